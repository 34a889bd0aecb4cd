package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/analyze"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

type dashboardData struct {
	D         *haven.Dashboard
	Users     []*haven.User
	StaleDate string
	Months    int
	// UsedBy maps a broken link to the library entries that use it.
	UsedBy map[string][]*haven.Resource
	// Reverify are the yearly re-verification requests not answered yet
	// (HasReverify: the server keeps them).
	Reverify    []haven.ReverifyRequest
	HasReverify bool
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	cut := time.Now().AddDate(0, -s.StaleMonths, 0)
	d, err := s.Curation.Dashboard(r.Context(), cut)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// Who screened whom, and when, is for admins: curators see the rest.
	if !currentUser(r).Can(haven.RoleAdmin) {
		recent := d.Recent[:0:0]
		for _, e := range d.Recent {
			if e.RecordType != "screening" {
				recent = append(recent, e)
			}
		}
		d.Recent = recent
	}
	p := s.newPage(r, "", "admin", nil)
	p.Title = p.L.T("admin.title")
	data := dashboardData{D: d, StaleDate: formatDate(cut, p.Lang), Months: s.StaleMonths}
	if data.UsedBy, err = s.resourcesByURL(r.Context(), d.Broken); err != nil {
		s.renderError(w, r, err)
		return
	}
	if s.Reverify != nil {
		if data.Reverify, err = s.Reverify.OpenReverifications(r.Context()); err != nil {
			s.renderError(w, r, err)
			return
		}
		data.HasReverify = true
	}
	if currentUser(r).Can(haven.RoleAdmin) {
		if data.Users, err = s.Accounts.ListUsers(r.Context()); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "admin", p)
}

// resourceForm is the edit form's state: the values and the errors by field.
type resourceForm struct {
	R      *haven.Resource
	Errors map[string]string
	Saved  bool
	New    bool
}

func (s *Server) handleNewResource(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "admin", resourceForm{R: &haven.Resource{Section: "documents", Kind: "guide", Region: "us",
		Languages: []string{"en"}, Desc: haven.Localized{}}, New: true})
	p.Title = p.L.T("edit.new")
	s.render(w, r, http.StatusOK, "resource_edit", p)
}

func (s *Server) handleEditResource(w http.ResponseWriter, r *http.Request) {
	res, err := s.Resources.FindResourceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, res.Title, "admin", resourceForm{R: res, Saved: r.URL.Query().Get("saved") == "1"})
	s.render(w, r, http.StatusOK, "resource_edit", p)
}

// handleSaveResource validates the form field by field; on any error it
// shows the form again with every error next to its field, and saves
// nothing.
func (s *Server) handleSaveResource(w http.ResponseWriter, r *http.Request) {
	isNew := r.PathValue("id") == ""
	old := &haven.Resource{Desc: haven.Localized{}}
	if !isNew {
		var err error
		if old, err = s.Resources.FindResourceByID(r.Context(), r.PathValue("id")); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if !s.parseForm(w, r, 256<<10) {
		return
	}
	f := r.PostForm
	p := s.newPage(r, old.Title, "admin", nil)
	nr := *old
	nr.Title = strings.TrimSpace(f.Get("title"))
	nr.Section, nr.Kind, nr.Region = f.Get("section"), f.Get("kind"), f.Get("region")
	nr.Publisher, nr.URL = strings.TrimSpace(f.Get("publisher")), strings.TrimSpace(f.Get("url"))
	nr.Desc = haven.Localized{"en": strings.TrimSpace(f.Get("description_en")), "es": strings.TrimSpace(f.Get("description_es"))}
	nr.Audiences, nr.Topics, nr.Languages = f["audiences"], f["topics"], f["languages"]
	errs := map[string]string{}
	parseResourceLinkFields(f, &nr, errs, p.L)
	nr.Year = 0
	if y := strings.TrimSpace(f.Get("year")); y != "" {
		if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 2100 {
			errs["year"] = p.L.T("form.year")
		} else {
			nr.Year = n
		}
	}
	if nr.URL != "" {
		if _, err := haven.CheckWebURL("url", nr.URL); err != nil {
			errs["url"] = p.L.T("form.url")
		}
	}
	for field, ok := range map[string]bool{
		"title": nr.Title != "" && len(nr.Title) <= 500, "section": haven.ValidValue("section", nr.Section),
		"kind": haven.ValidValue("kind", nr.Kind), "region": haven.ValidValue("region", nr.Region),
		"description_en": nr.Desc["en"] != "", "description_es": nr.Desc["es"] != "",
		"audiences": len(nr.Audiences) > 0, "topics": len(nr.Topics) > 0,
	} {
		if !ok {
			errs[field] = p.L.T("form.required." + field)
		}
	}
	if isNew && len(errs) == 0 {
		nr.ID = slugify(nr.Title)
		if nr.ID == "" {
			errs["title"] = p.L.T("form.required.title")
		}
	}
	if len(errs) == 0 {
		if err := nr.Validate(); err != nil {
			errs["form"] = haven.ErrorMessage(err)
		}
	}
	if len(errs) == 0 && isNew {
		err := s.Editor.CreateResourceAs(r.Context(), currentUser(r).Email, &nr)
		if haven.ErrorCode(err) == haven.ECONFLICT {
			errs["title"] = p.L.T("form.duplicate")
		} else if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		p.Data = resourceForm{R: &nr, Errors: errs, New: isNew}
		s.render(w, r, http.StatusBadRequest, "resource_edit", p)
		return
	}
	if !isNew {
		if err := s.Editor.UpdateResource(r.Context(), currentUser(r).Email, &nr); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/admin/resources/"+nr.ID+"/edit?saved=1", http.StatusSeeOther)
}

func (s *Server) handleVerifyResource(w http.ResponseWriter, r *http.Request) {
	if err := s.Editor.VerifyResource(r.Context(), currentUser(r).Email, r.PathValue("id")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/resources/"+r.PathValue("id")+"/edit?saved=1", http.StatusSeeOther)
}

func (s *Server) handleRetireResource(w http.ResponseWriter, r *http.Request) {
	if err := s.Editor.RetireResource(r.Context(), currentUser(r).Email, r.PathValue("id")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	s.showHistory(w, r, http.StatusOK, "")
}

// slugify makes an entry id of a title: lower-case ASCII letters and
// digits joined by hyphens, at most 60 characters.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range analyze.Fold(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
