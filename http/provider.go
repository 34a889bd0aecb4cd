package http

import (
	"context"
	"net/http"
	"strings"

	"haven"
	"haven/listing"
	"haven/phone"
)

// Providers keep their own organizations' listings current, through the
// curators' edit forms under /provider/: each load first asks the store
// whether the signed-in provider may edit the record, and each save goes
// through SubmitProviderEdit, which applies it or queues it for a curator
// as the organization's setting says.

// withProviders answers 404 when the server has no provider service.
func (s *Server) withProviders(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Providers == nil || s.Invitations == nil {
			s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
			return
		}
		h(w, r)
	}
}

// withReverify answers 404 when the server keeps no re-verifications.
func (s *Server) withReverify(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Reverify == nil {
			s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
			return
		}
		h(w, r)
	}
}

// withTokens answers 404 when the server keeps no API tokens.
func (s *Server) withTokens(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.APITokens == nil {
			s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
			return
		}
		h(w, r)
	}
}

type providerDashboard struct {
	Orgs    []haven.ProviderOrganization
	Pending []*haven.Suggestion
}

func (s *Server) handleProviderDashboard(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	orgs, err := s.Providers.ProviderOrganizations(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pending, err := s.Providers.PendingProviderEdits(r.Context(), u.Email)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", providerDashboard{Orgs: orgs, Pending: pending})
	p.Title = p.L.T("provider.title")
	s.render(w, r, http.StatusOK, "provider", p)
}

// providerEditor turns a curators' listing editor into a provider's: the
// record must be one of the provider's, the form says so, and saving
// submits the edit.
func (s *Server) providerEditor(r *http.Request, recordType string, e *listingEditor) *listingEditor {
	u := currentUser(r)
	var outcome string
	// shown are the values the form showed: the provider reads the public
	// view, with what ties a confidential location (a phone, hours)
	// left out, so only the fields they changed are sent, and what they
	// could not see stays as it is.
	var shown map[string]string
	load := e.load
	e.path = "/provider/" + recordType + "s/"
	e.load = func(r *http.Request, id string) (*listingEdit, error) {
		live, err := s.Providers.ProviderRecordEditsLive(r.Context(), u.ID, recordType, id)
		if err != nil {
			return nil, err
		}
		l, err := load(r, id)
		if err != nil {
			return nil, err
		}
		shown = l.values
		form, queued := l.form, r.URL.Query().Get("saved") == "queued"
		l.form = func(values, errs map[string]string, saved bool) any {
			switch f := form(values, errs, saved).(type) {
			case serviceForm:
				f.Provider, f.Live, f.Queued = true, live, queued
				return f
			case locationForm:
				f.Provider, f.Live, f.Queued = true, live, queued
				return f
			case organizationForm:
				f.Provider, f.Live, f.Queued = true, live, queued
				return f
			default:
				return f
			}
		}
		return l, nil
	}
	e.update = func(ctx context.Context, _, id string, values map[string]string) error {
		changed := map[string]string{}
		for k, v := range values {
			if !sameShown(k, v, shown[k]) {
				changed[k] = v
			}
		}
		var err error
		outcome, err = s.Providers.SubmitProviderEdit(ctx, u, recordType, id, changed)
		return err
	}
	e.saved = func() string {
		if outcome == haven.ProviderEditQueued {
			return "saved=queued"
		}
		return "saved=1"
	}
	return e
}

// sameShown reports whether a field came back as the form showed it; a
// phone as the same number, however written.
func sameShown(field, value, shown string) bool {
	if sameText(value, strings.TrimSpace(shown)) {
		return true
	}
	if field == "phone" {
		a, ok1 := phone.Normalize(value, phone.DefaultRegion)
		b, ok2 := phone.Normalize(shown, phone.DefaultRegion)
		return ok1 && ok2 && a == b
	}
	return false
}

func (s *Server) handleProviderEditService(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.providerEditor(r, "service", s.serviceEditor()))
}

func (s *Server) handleProviderSaveService(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.providerEditor(r, "service", s.serviceEditor()))
}

func (s *Server) handleProviderEditLocation(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.providerEditor(r, "location", s.providerLocationEditor()))
}

func (s *Server) handleProviderSaveLocation(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.providerEditor(r, "location", s.providerLocationEditor()))
}

// providerLocationEditor is the curators' location form without the
// confidential checkbox: whether an address is kept secret is a curator's
// decision.
func (s *Server) providerLocationEditor() *listingEditor {
	e := s.locationEditor()
	e.fields = listing.LocationFields
	return e
}

func (s *Server) handleProviderEditOrganization(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.providerEditor(r, "organization", s.organizationEditor()))
}

func (s *Server) handleProviderSaveOrganization(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.providerEditor(r, "organization", s.organizationEditor()))
}
