package http

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"haven"
	"haven/auth"
	"haven/hsds"
)

// The partner API: programs of partner organizations act for one
// organization with a token a curator made (Authorization: Bearer). A
// session cookie opens nothing here, nor does a token anything else. Each
// token is rate-limited on its own, after the per-client limit every /api/
// route has, and each use is audited.

type apiTokenKey struct{}

// currentAPIToken returns the token a partner route was called with.
func currentAPIToken(r *http.Request) *haven.APIToken {
	t, _ := r.Context().Value(apiTokenKey{}).(*haven.APIToken)
	return t
}

// handlePartner registers a partner route: h runs only for a live token,
// within its rate, after its use is audited; currentAPIToken(r) says which
// organization it acts for. Routes a partner may call (such as a future
// PATCH of a service's capacities, which must check that the service is
// of the token's organization) are registered through it.
func (s *Server) handlePartner(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	s.handle(mux, pattern, s.partner(pattern, h))
}

func (s *Server) partner(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.APITokens == nil {
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "No API route %s %s.", r.Method, r.URL.Path))
			return
		}
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(token, haven.APITokenPrefix) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="haven-partner"`)
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.EUNAUTHORIZED, "Send the API token a curator gave you, as Authorization: Bearer %s….", haven.APITokenPrefix))
			return
		}
		hash := auth.HashToken(token)
		// The rate is the token's, keyed by its hash before the database
		// is asked, so that a flood with one token costs no lookups.
		if ok, wait := s.partnerLimiter.Allow(hash); !ok {
			secs := int(wait.Seconds()) + 1
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.ETOOMANYREQUEST, "Too many requests with this token: try again in %d seconds.", secs))
			return
		}
		t, err := s.APITokens.UseAPIToken(r.Context(), hash, pattern)
		if haven.ErrorCode(err) == haven.ENOTFOUND {
			w.Header().Set("WWW-Authenticate", `Bearer realm="haven-partner", error="invalid_token"`)
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.EUNAUTHORIZED, "%s", haven.ErrorMessage(err)))
			return
		} else if err != nil {
			writeJSONError(w, r, s.Logger, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r.WithContext(contextWithAPIToken(r, t)))
	}
}

func contextWithAPIToken(r *http.Request, t *haven.APIToken) context.Context {
	return context.WithValue(r.Context(), apiTokenKey{}, t)
}

// handlePartnerWhoami tells a partner's program which organization its
// token acts for: a first call to check a token works.
func (s *Server) handlePartnerWhoami(w http.ResponseWriter, r *http.Request) {
	t := currentAPIToken(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"organization": map[string]string{"id": t.OrganizationID, "name": t.OrganizationName},
		"token":        map[string]string{"id": t.ID, "name": t.Name},
	})
}

// Curators' side, on the organization's providers page.

func (s *Server) handleCreateAPIToken(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	secret, _ := auth.NewToken()
	secret = haven.APITokenPrefix + secret
	t, err := s.APITokens.CreateAPIToken(r.Context(), currentUser(r).Email, strings.ToLower(r.PathValue("id")),
		r.PostForm.Get("name"), auth.HashToken(secret))
	if haven.ErrorCode(err) == haven.EINVALID {
		s.renderProviders(w, r, http.StatusBadRequest, providersData{TokenName: r.PostForm.Get("name"),
			Errors: map[string]string{"token_name": haven.ErrorMessage(err)}})
		return
	} else if err != nil {
		s.renderError(w, r, err)
		return
	}
	// Shown this once: only its hash is kept.
	w.Header().Set("Cache-Control", "no-store")
	s.renderProviders(w, r, http.StatusOK, providersData{NewToken: secret, NewTokenName: t.Name})
}

func (s *Server) handleRevokeAPIToken(w http.ResponseWriter, r *http.Request) {
	if err := s.APITokens.RevokeAPIToken(r.Context(), currentUser(r).Email, strings.ToLower(r.PathValue("id")), r.PathValue("token")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, s.providersPath(r)+"?done=revoked#tokens", http.StatusSeeOther)
}

// partnerCapacities is the body of PATCH /api/v1/partner/services/{id}/capacities:
// the counts a partner's own system knows, each by the capacity's id.
type partnerCapacities struct {
	Capacities []struct {
		ID        string `json:"id"`
		Available *int   `json:"available"`
	} `json:"capacities"`
}

// handlePartnerCapacities sets counts of one of the token's organization's
// services. Every count is checked before any is written; each goes live
// at once, audited under the token's name, as a provider's would.
func (s *Server) handlePartnerCapacities(w http.ResponseWriter, r *http.Request) {
	t := currentAPIToken(r)
	if s.Capacities == nil {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "No API route %s %s.", r.Method, r.URL.Path))
		return
	}
	serviceID := strings.ToLower(r.PathValue("id"))
	var body partnerCapacities
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "The body must be JSON like {\"capacities\": [{\"id\": \"…\", \"available\": 3}]}: %v.", err))
		return
	}
	if dec.More() {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "The body must hold one JSON object."))
		return
	}
	if len(body.Capacities) == 0 || len(body.Capacities) > 100 {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "capacities: give from 1 to 100 counts."))
		return
	}
	list, err := s.Capacities.OrganizationCapacities(r.Context(), t.OrganizationID)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	var have []hsds.ServiceCapacity
	for _, sc := range list {
		if sc.ServiceID == serviceID {
			have = sc.Capacities
		}
	}
	if have == nil {
		// Another organization's service, or none: the same answer.
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "Your organization has no service %s with capacities.", truncate(serviceID, 40)))
		return
	}
	for i, c := range body.Capacities {
		k := slices.IndexFunc(have, func(h hsds.ServiceCapacity) bool { return h.ID == strings.ToLower(c.ID) })
		switch {
		case k < 0:
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "capacities[%d].id: the service has no capacity %q.", i, truncate(c.ID, 40)))
			return
		case c.Available == nil:
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "capacities[%d].available: give the count available now.", i))
			return
		case *c.Available < 0 || (have[k].Maximum != nil && float64(*c.Available) > *have[k].Maximum):
			writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "capacities[%d].available: %d is not from 0 to the capacity's maximum.", i, *c.Available))
			return
		}
	}
	actor := haven.PartnerActor(t.Name)
	for _, c := range body.Capacities {
		if err := s.Capacities.UpdateCapacity(r.Context(), actor, serviceID, strings.ToLower(c.ID), *c.Available); err != nil {
			writeJSONError(w, r, s.Logger, err)
			return
		}
	}
	list, err = s.Capacities.OrganizationCapacities(r.Context(), t.OrganizationID)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	for _, sc := range list {
		if sc.ServiceID == serviceID {
			writeJSON(w, http.StatusOK, map[string]any{"service_id": serviceID, "capacities": sc.Capacities})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"service_id": serviceID, "capacities": []hsds.ServiceCapacity{}})
}
