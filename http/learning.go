package http

import (
	"html/template"
	"net/http"
	"strings"

	"haven"
	"haven/learning"
)

// sectionPaths are the seed page's addresses of the learning sections.
var sectionPaths = map[string]string{"understand": "/understand-victims", "heal": "/help-victims-heal", "culture": "/culture-and-diversity"}

func (s *Server) section(id string) haven.LearningSection {
	for _, sec := range s.Sections {
		if sec.ID == id {
			return sec
		}
	}
	return haven.LearningSection{ID: id, Title: haven.Localized{}, Intro: haven.Localized{}}
}

type sectionData struct {
	Section haven.LearningSection
	Pages   []*haven.LearningPage
}

func (s *Server) handleSection(section string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pages, err := s.Learning.ListPages(r.Context(), section)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		p := s.newPage(r, "", section, sectionData{Section: s.section(section), Pages: pages})
		p.Title = p.L.T("nav." + section)
		s.render(w, r, http.StatusOK, "section", p)
	}
}

type learnData struct {
	Page       *haven.LearningPage
	Section    haven.LearningSection
	SectionURL string
	Body       template.HTML
	Reviewed   string
	Cites      []*haven.Resource
	Prev, Next *haven.LearningPage
}

func (s *Server) handleLearnPage(w http.ResponseWriter, r *http.Request) {
	pg, err := s.Learning.FindPage(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", pg.Section, nil)
	p.Title = pg.Title.In(p.Lang)
	d := learnData{Page: pg, Section: s.section(pg.Section), SectionURL: sectionPaths[pg.Section], Body: learning.Render(pg.Body.In(p.Lang))}
	if t, err := parseDate(pg.Reviewed); err == nil {
		d.Reviewed = formatDate(t, p.Lang)
	}
	for _, id := range pg.Cites {
		if res, err := s.Resources.FindResourceByID(r.Context(), id); err == nil {
			d.Cites = append(d.Cites, res)
		}
	}
	siblings, err := s.Learning.ListPages(r.Context(), pg.Section)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for i, x := range siblings {
		if x.Slug == pg.Slug {
			if i > 0 {
				d.Prev = siblings[i-1]
			}
			if i+1 < len(siblings) {
				d.Next = siblings[i+1]
			}
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "learn", p)
}

// apiPage is a learning page as /api/v1/pages lists it.
type apiPage struct {
	Slug     string `json:"slug"`
	Section  string `json:"section"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	URL      string `json:"url"`
	Reviewed string `json:"reviewed"`
}

func (s *Server) handleAPIPages(w http.ResponseWriter, r *http.Request) {
	lang, err := apiLang(r)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxQueryLen {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "Parameter q is longer than %d characters.", maxQueryLen))
		return
	}
	var pages []*haven.LearningPage
	if q != "" {
		pages, err = s.Learning.SearchPages(r.Context(), q)
	} else {
		pages, err = s.Learning.ListPages(r.Context(), "")
	}
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	items := make([]apiPage, 0, len(pages))
	for _, p := range pages {
		items = append(items, apiPage{p.Slug, p.Section, p.Title.In(lang), p.Summary.In(lang), "/learn/" + p.Slug, p.Reviewed})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(items), "items": items})
}

type pageForm struct {
	Page    *haven.LearningPage
	Preview map[string]template.HTML
	Errors  map[string]string
	Saved   bool
}

func (s *Server) handleEditPage(w http.ResponseWriter, r *http.Request) {
	pg, err := s.Learning.FindPage(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", pageForm{Page: pg, Saved: r.URL.Query().Get("saved") == "1"})
	p.Title = p.L.T("learnedit.title")
	s.render(w, r, http.StatusOK, "learn_edit", p)
}

// handleSavePage previews or saves a page; a preview shows both languages
// rendered exactly as visitors will see them, and saves nothing.
func (s *Server) handleSavePage(w http.ResponseWriter, r *http.Request) {
	old, err := s.Learning.FindPage(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !s.parseForm(w, r, 512<<10) {
		return
	}
	f := r.PostForm
	pg := &haven.LearningPage{Slug: old.Slug, Section: old.Section, Reviewed: old.Reviewed, Cites: old.Cites,
		Title:   haven.Localized{"en": strings.TrimSpace(f.Get("title_en")), "es": strings.TrimSpace(f.Get("title_es"))},
		Summary: haven.Localized{"en": strings.TrimSpace(f.Get("summary_en")), "es": strings.TrimSpace(f.Get("summary_es"))},
		Body:    haven.Localized{"en": f.Get("body_en"), "es": f.Get("body_es")}}
	p := s.newPage(r, "", "admin", nil)
	p.Title = p.L.T("learnedit.title")
	d := pageForm{Page: pg, Errors: map[string]string{}}
	for _, k := range []string{"title_en", "title_es", "summary_en", "summary_es", "body_en", "body_es"} {
		if strings.TrimSpace(f.Get(k)) == "" {
			d.Errors[k] = p.L.T("form.required.field")
		}
	}
	if f.Get("action") == "preview" || len(d.Errors) > 0 {
		d.Preview = map[string]template.HTML{"en": learning.Render(pg.Body["en"]), "es": learning.Render(pg.Body["es"])}
		status := http.StatusOK
		if len(d.Errors) > 0 {
			status = http.StatusBadRequest
		}
		p.Data = d
		s.render(w, r, status, "learn_edit", p)
		return
	}
	if err := s.Learning.UpdatePage(r.Context(), currentUser(r).Email, pg); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/learn/"+pg.Slug+"/edit?saved=1", http.StatusSeeOther)
}
