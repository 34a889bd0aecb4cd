package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"haven"
	"haven/auth"
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
