package http

import (
	"context"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/listing"
	"haven/phone"
)

func (s *Server) handleCreateTerm(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	f := r.PostForm
	if err := s.DirEditor.CreateTerm(r.Context(), currentUser(r).Email, strings.TrimSpace(f.Get("code")),
		strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("description"))); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/terms", http.StatusSeeOther)
}

func (s *Server) handleRetireOrganization(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if err := s.DirEditor.RetireOrganization(r.Context(), currentUser(r).Email, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/organizations/"+id+"/edit?saved=1", http.StatusSeeOther)
}

func (s *Server) handleTerms(w http.ResponseWriter, r *http.Request) {
	terms, _, err := s.Directory.ListTaxonomyTerms(r.Context(), haven.TermFilter{Limit: 500})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", terms)
	p.Title = p.L.T("terms.title")
	s.render(w, r, http.StatusOK, "terms", p)
}

func (s *Server) handleSaveTerm(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	if err := s.DirEditor.UpdateTerm(r.Context(), currentUser(r).Email, strings.ToLower(r.PathValue("id")),
		strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("description"))); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/terms", http.StatusSeeOther)
}

type newServiceForm struct {
	Org            *hsds.Organization // when adding to an existing organization
	OrgName        string
	OrgDesc        string
	Service        map[string]string
	Location       map[string]string
	Errors         map[string]string
	ServiceFields  []string
	LocationFields []string
}

func (s *Server) newServiceForm(r *http.Request, f *newServiceForm) error {
	f.ServiceFields, f.LocationFields = listing.ServiceFields, listing.LocationFields
	if id := strings.ToLower(r.FormValue("organization")); id != "" {
		o, _, err := s.Directory.FindOrganizationByID(r.Context(), id)
		if err != nil {
			return err
		}
		f.Org = o
	}
	return nil
}

func (s *Server) handleNewService(w http.ResponseWriter, r *http.Request) {
	f := &newServiceForm{Service: map[string]string{"status": "active"}, Location: map[string]string{"country": "US"}}
	if err := s.newServiceForm(r, f); err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", f)
	p.Title = p.L.T("newservice.title")
	s.render(w, r, http.StatusOK, "service_new", p)
}

func (s *Server) handleCreateService(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 256<<10) {
		return
	}
	f := &newServiceForm{Service: map[string]string{}, Location: map[string]string{}, Errors: map[string]string{},
		OrgName: strings.TrimSpace(r.PostForm.Get("org_name")), OrgDesc: strings.TrimSpace(r.PostForm.Get("org_description"))}
	if err := s.newServiceForm(r, f); err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", f)
	p.Title = p.L.T("newservice.title")
	for _, k := range listing.ServiceFields {
		f.Service[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	for _, k := range listing.LocationValues {
		f.Location[k] = strings.TrimSpace(r.PostForm.Get("loc_" + k))
	}
	readHoursDays(p, r.PostForm, f.Service, f.Errors)
	if f.Service["name"] == "" {
		f.Errors["name"] = p.L.T("form.required.name")
	}
	if f.Org == nil && (f.OrgName == "" || f.OrgDesc == "") {
		f.Errors["org_name"] = p.L.T("newservice.org.required")
	}
	for _, k := range requiredPlace(f.Location) {
		if f.Location[k] == "" {
			f.Errors["loc_"+k] = p.L.T("form.required.field")
		}
	}
	np := haven.ProviderDraft{NewOrgName: f.OrgName, NewOrgDesc: f.OrgDesc, Service: f.Service, Location: f.Location}
	if f.Org != nil {
		np.OrganizationID = f.Org.ID
	}
	var id string
	if len(f.Errors) == 0 {
		var err error
		id, err = s.DirEditor.CreateService(r.Context(), currentUser(r).Email, np)
		if haven.ErrorCode(err) == haven.EINVALID {
			f.Errors["form"] = haven.ErrorMessage(err)
		} else if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "service_new", p)
		return
	}
	http.Redirect(w, r, "/services/"+id, http.StatusSeeOther)
}

// requiredPlace returns the fields a location's form must fill: its
// address, whose street a confidential location may leave out, as its
// import may (a shelter whose address is given on contact).
func requiredPlace(values map[string]string) []string {
	if values[listing.ConfidentialField] == "true" {
		return []string{"city", "state_province", "postal_code", "country"}
	}
	return []string{"address_1", "city", "state_province", "postal_code", "country"}
}

type locationForm struct {
	L      *hsds.Location
	Values map[string]string
	Errors map[string]string
	Saved  bool
	Fields []string
	// Provider marks a provider's form; Live says their edits go live at
	// once, Queued that the last one waits for a curator.
	Provider, Live, Queued bool
}

func (s *Server) handleEditLocation(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.locationEditor())
}

func (s *Server) handleSaveLocation(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.locationEditor())
}

func (s *Server) locationEditor() *listingEditor {
	return &listingEditor{
		// The form shows LocationFields as text fields and the
		// ConfidentialField checkbox; it sends them all.
		path: "/admin/locations/", template: "location_edit", title: "location.edit", fields: listing.LocationValues, maxBody: 64 << 10,
		load: func(r *http.Request, id string) (*listingEdit, error) {
			l, err := s.DirEditor.FindLocation(r.Context(), id)
			if err != nil {
				return nil, err
			}
			return &listingEdit{id: l.ID, name: l.Name, values: listing.LocationText(l), form: func(values, errs map[string]string, saved bool) any {
				return locationForm{L: l, Values: values, Errors: errs, Saved: saved, Fields: listing.LocationFields}
			}}, nil
		},
		check: func(p *page, values, errs map[string]string) {
			for _, f := range requiredPlace(values) {
				if values[f] == "" {
					errs[f] = p.L.T("form.required.field")
				}
			}
			if c := strings.ToUpper(values["country"]); c != "" && !geo.ValidCountry(c) {
				errs["country"] = p.L.T("form.country")
			}
			if (values["latitude"] == "") != (values["longitude"] == "") {
				errs["latitude"] = p.L.T("form.coords")
			}
		},
		update: func(ctx context.Context, actor, id string, values map[string]string) error {
			return s.DirEditor.UpdateLocation(ctx, actor, id, values)
		},
	}
}

type organizationForm struct {
	O      *hsds.Organization
	Values map[string]string
	Errors map[string]string
	Saved  bool
	Fields []string
	// Provider marks a provider's form; Live says their edits go live at
	// once, Queued that the last one waits for a curator.
	Provider, Live, Queued bool
}

func organizationValues(o *hsds.Organization) map[string]string {
	v := map[string]string{"name": o.Name, "alternate_name": o.AlternateName, "description": o.Description, "email": o.Email, "website": o.Website}
	v["phone"] = phone.Display(listing.OrganizationPhone(o), visitorRegion)
	return v
}

func (s *Server) handleEditOrganization(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.organizationEditor())
}

func (s *Server) handleSaveOrganization(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.organizationEditor())
}

func (s *Server) organizationEditor() *listingEditor {
	return &listingEditor{
		path: "/admin/organizations/", template: "organization_edit", fields: listing.OrganizationFields, maxBody: 256 << 10,
		load: func(r *http.Request, id string) (*listingEdit, error) {
			o, _, err := s.Directory.FindOrganizationByID(r.Context(), id)
			if err != nil {
				return nil, err
			}
			return &listingEdit{id: o.ID, name: o.Name, values: organizationValues(o), form: func(values, errs map[string]string, saved bool) any {
				return organizationForm{O: o, Values: values, Errors: errs, Saved: saved, Fields: listing.OrganizationFields}
			}}, nil
		},
		check: func(p *page, values, errs map[string]string) {
			if values["name"] == "" {
				errs["name"] = p.L.T("form.required.name")
			}
			if values["description"] == "" {
				errs["description"] = p.L.T("form.required.description")
			}
			checkContact(p, values, "website", errs)
		},
		update: func(ctx context.Context, actor, id string, values map[string]string) error {
			return s.DirEditor.UpdateOrganization(ctx, actor, id, values)
		},
	}
}

func (s *Server) handleVerifyOrganization(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if err := s.DirEditor.VerifyOrganization(r.Context(), currentUser(r).Email, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/organizations/"+id+"/edit?saved=1", http.StatusSeeOther)
}

type serviceForm struct {
	S      *hsds.Service
	Values map[string]string
	Errors map[string]string
	Saved  bool
	Fields []string
	// Provider marks a provider's form; Live says their edits go live at
	// once, Queued that the last one waits for a curator.
	Provider, Live, Queued bool
	// Source is where the service came from, nil when unknown.
	Source *haven.ServiceSource
}

// serviceValues are a service's fields as its form shows them: the phone
// in national format, which the store reads back to the same number.
func serviceValues(sv *hsds.Service) map[string]string {
	v := listing.ServiceText(sv)
	v["phone"] = phone.Display(v["phone"], visitorRegion)
	return v
}

func (s *Server) handleEditService(w http.ResponseWriter, r *http.Request) {
	s.editListing(w, r, s.serviceEditor())
}

var statuses = []string{"active", "inactive", "defunct", "temporarily closed"}

// handleSaveService checks each field; any error shows the form again
// with the errors beside their fields and saves nothing.
func (s *Server) handleSaveService(w http.ResponseWriter, r *http.Request) {
	s.saveListing(w, r, s.serviceEditor())
}

func (s *Server) serviceEditor() *listingEditor {
	return &listingEditor{
		path: "/admin/services/", template: "service_edit", fields: listing.ServiceFields, maxBody: 256 << 10,
		load: func(r *http.Request, id string) (*listingEdit, error) {
			sv, err := s.Directory.FindServiceByID(r.Context(), id)
			if err != nil {
				return nil, err
			}
			var src *haven.ServiceSource
			if s.Feeds != nil {
				if src, err = s.Feeds.ServiceSource(r.Context(), id); err != nil {
					return nil, err
				}
			}
			return &listingEdit{id: sv.ID, name: sv.Name, values: serviceValues(sv), form: func(values, errs map[string]string, saved bool) any {
				return serviceForm{S: sv, Values: values, Errors: errs, Saved: saved, Fields: listing.ServiceFields, Source: src}
			}}, nil
		},
		read: readHoursDays,
		check: func(p *page, values, errs map[string]string) {
			if values["name"] == "" {
				errs["name"] = p.L.T("form.required.name")
			}
			if !containsString(statuses, values["status"]) {
				errs["status"] = p.L.T("form.status")
			}
			checkContact(p, values, "url", errs)
			for f, v := range values {
				if len(v) > 64<<10 {
					errs[f] = p.L.T("form.toolong")
				}
			}
		},
		update: func(ctx context.Context, actor, id string, values map[string]string) error {
			return s.DirEditor.UpdateService(ctx, actor, id, values)
		},
	}
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (s *Server) handleVerifyService(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if err := s.DirEditor.VerifyService(r.Context(), currentUser(r).Email, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	next := localPath(r.FormValue("next"))
	if next == "/" {
		next = "/admin/services/" + id + "/edit?saved=1"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type countryForm struct {
	Code, Name, En, Es, Hotlines string
	Errors                       map[string]string
	Saved                        bool
}

// hotlineLines shows hotlines one a line: "name | phone | note in English
// | note in Spanish | date checked".
func hotlineLines(hs []haven.CountryHotline) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.Name + " | " + h.Phone + " | " + h.Note + " | " + h.NoteES + " | " + h.Checked + "\n")
	}
	return b.String()
}

func (s *Server) handleEditCountry(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if !geo.ValidCountry(code) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "no such country"))
		return
	}
	sum, err := s.Countries.FindCountrySummary(r.Context(), code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", nil)
	f := countryForm{Code: code, Name: geo.CountryName(code, p.Lang), Saved: r.URL.Query().Get("saved") == "1"}
	if sum != nil {
		f.En, f.Es, f.Hotlines = sum.Summary["en"], sum.Summary["es"], hotlineLines(sum.Hotlines)
	}
	p.Title, p.Data = f.Name, f
	s.render(w, r, http.StatusOK, "country_edit", p)
}

func (s *Server) handleSaveCountry(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if !geo.ValidCountry(code) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "no such country"))
		return
	}
	if !s.parseForm(w, r, 256<<10) {
		return
	}
	p := s.newPage(r, "", "admin", nil)
	f := countryForm{Code: code, Name: geo.CountryName(code, p.Lang), En: strings.TrimSpace(r.PostForm.Get("summary_en")),
		Es: strings.TrimSpace(r.PostForm.Get("summary_es")), Hotlines: r.PostForm.Get("hotlines"), Errors: map[string]string{}}
	// Both empty is allowed: the country page then says no summary has
	// been written. One language alone is not.
	if f.En == "" && f.Es != "" {
		f.Errors["summary_en"] = p.L.T("form.required.description_en")
	}
	if f.Es == "" && f.En != "" {
		f.Errors["summary_es"] = p.L.T("form.required.description_es")
	}
	var hot []haven.CountryHotline
	for i, line := range strings.Split(f.Hotlines, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.SplitN(line, "|", 5)
		for len(parts) < 5 {
			parts = append(parts, "")
		}
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		h := haven.CountryHotline{Name: parts[0], Phone: parts[1], Note: parts[2], NoteES: parts[3], Checked: parts[4]}
		if h.Name == "" || h.Phone == "" || !strings.ContainsAny(h.Phone, "0123456789") {
			f.Errors["hotlines"] = p.L.T("form.hotline", i+1)
			break
		}
		// A note in Spanish alone would leave English readers nothing; the
		// English one alone (the older three-part line) shows in both.
		if h.Note == "" && h.NoteES != "" {
			f.Errors["hotlines"] = p.L.T("form.hotline.note", i+1)
			break
		}
		// A line saved without a date was checked by the curator now.
		if h.Checked == "" {
			h.Checked = time.Now().UTC().Format("2006-01-02")
		} else if _, err := time.Parse("2006-01-02", h.Checked); err != nil {
			f.Errors["hotlines"] = p.L.T("form.hotline.date", i+1)
			break
		}
		hot = append(hot, h)
	}
	p.Title = f.Name
	if len(f.Errors) > 0 {
		p.Data = f
		s.render(w, r, http.StatusBadRequest, "country_edit", p)
		return
	}
	// A curator's text is real content: the sample mark comes off.
	c := &haven.CountrySummary{Country: code, Summary: haven.Localized{"en": f.En, "es": f.Es}, Hotlines: hot}
	if err := s.Countries.SaveCountrySummary(r.Context(), currentUser(r).Email, c); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/countries/"+code+"/edit?saved=1", http.StatusSeeOther)
}

// checkContact checks the web address (in field urlField) and the e-mail
// address of a form, when given, recording errors by field.
func checkContact(p *page, values map[string]string, urlField string, errs map[string]string) {
	if u := values[urlField]; u != "" {
		if _, err := haven.CheckWebURL(urlField, u); err != nil {
			errs[urlField] = p.L.T("form.url")
		}
	}
	if e := values["email"]; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			errs["email"] = p.L.T("form.email")
		}
	}
}
