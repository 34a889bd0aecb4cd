package http

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven"
	"haven/i18n"
)

const (
	defaultPerPage = 20
	maxPerPage     = 100
	maxQueryLen    = 200
)

// apiSections maps the API's section names to the library's; they are the
// same today, and the map keeps the API stable if the library's change.
var apiSections = map[string]string{
	"documents": "documents", "organizations": "organizations", "websites": "websites", "hotlines": "hotlines",
}

// parseResourceFilter reads the library's query parameters; an unknown or
// malformed value is an EINVALID error that names the parameter.
func parseResourceFilter(q url.Values, defPerPage int) (haven.ResourceFilter, int, int, error) {
	var f haven.ResourceFilter
	f.Query = strings.TrimSpace(q.Get("q"))
	if !utf8.ValidString(f.Query) {
		return f, 0, 0, haven.Errorf(haven.EINVALID, "Parameter q is not valid UTF-8.")
	}
	if utf8.RuneCountInString(f.Query) > maxQueryLen {
		return f, 0, 0, haven.Errorf(haven.EINVALID, "Parameter q is longer than %d characters.", maxQueryLen)
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"section", &f.Section}, {"kind", &f.Kind}, {"audience", &f.Audience}, {"topic", &f.Topic}, {"region", &f.Region}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		if p.name == "section" {
			if s, ok := apiSections[v]; ok {
				v = s
			}
		}
		if !haven.ValidValue(p.name, v) {
			return f, 0, 0, haven.Errorf(haven.EINVALID, "Unknown %s %q. Use one of: %s.", p.name, truncate(v, 40), strings.Join(haven.FacetValues(p.name), ", "))
		}
		*p.dst = v
	}
	page, err := haven.IntParam(q, "page", 1, 1, 1_000_000)
	if err != nil {
		return f, 0, 0, err
	}
	perPage, err := haven.IntParam(q, "per_page", defPerPage, 1, maxPerPage)
	if err != nil {
		return f, 0, 0, err
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	return f, page, perPage, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// APIResourceItem is a library entry as the JSON API shows it, in one language.
type APIResourceItem struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Section     string         `json:"section"`
	Kind        string         `json:"kind"`
	Description string         `json:"description"`
	URL         string         `json:"url"`
	Audiences   []string       `json:"audiences"`
	Topics      []string       `json:"topics"`
	Region      string         `json:"region"`
	Publisher   string         `json:"publisher"`
	Year        *int           `json:"year"`
	Languages   []string       `json:"languages"`
	Hotline     *haven.Hotline `json:"hotline,omitempty"`
}

// APIResource shows an entry in one language.
func APIResource(r *haven.Resource, lang string) APIResourceItem {
	a := APIResourceItem{
		ID: r.ID, Title: r.Title, Section: r.Section, Kind: r.Kind, Description: r.Desc.In(lang),
		URL: r.URL, Audiences: r.Audiences, Topics: r.Topics, Region: r.Region, Publisher: r.Publisher,
		Languages: r.Languages, Hotline: r.Hotline,
	}
	if r.Year != 0 {
		year := r.Year
		a.Year = &year
	}
	return a
}

// labelFacets fills in each facet value's label in the visitor's language.
func labelFacets(facets map[string][]haven.FacetCount, l *i18n.Localizer) {
	for name, counts := range facets {
		for i := range counts {
			counts[i].Label = l.Label(name, counts[i].Value)
		}
	}
}

// apiLang is the API's language: the lang parameter, else negotiated.
func apiLang(r *http.Request) (string, error) {
	if l := r.URL.Query().Get("lang"); l != "" && !i18n.Supported(l) {
		return "", haven.Errorf(haven.EINVALID, "Unknown lang %q. Use one of: %s.", truncate(l, 20), strings.Join(i18n.Langs, ", "))
	}
	return i18n.FromRequest(r), nil
}

// ResourceList is the body of GET /api/v1/resources.
type ResourceList struct {
	Total   int                           `json:"total"`
	Page    int                           `json:"page"`
	PerPage int                           `json:"per_page"`
	Items   []APIResourceItem             `json:"items"`
	Facets  map[string][]haven.FacetCount `json:"facets"`
}

// SearchResources answers a library query given as API parameters. The API
// handler and the command line both use it, so they cannot drift apart.
func SearchResources(ctx context.Context, svc haven.ResourceService, q url.Values, lang string) (*ResourceList, error) {
	f, page, perPage, err := parseResourceFilter(q, defaultPerPage)
	if err != nil {
		return nil, err
	}
	res, err := svc.FindResources(ctx, f)
	if err != nil {
		return nil, err
	}
	labelFacets(res.Facets, i18n.New(lang))
	out := &ResourceList{Total: res.Total, Page: page, PerPage: perPage, Items: make([]APIResourceItem, 0, len(res.Items)), Facets: res.Facets}
	for _, it := range res.Items {
		out.Items = append(out.Items, APIResource(it, lang))
	}
	return out, nil
}

func (s *Server) handleAPIResources(w http.ResponseWriter, r *http.Request) {
	lang, err := apiLang(r)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	body, err := SearchResources(r.Context(), s.Resources, r.URL.Query(), lang)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleAPIResource(w http.ResponseWriter, r *http.Request) {
	lang, err := apiLang(r)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	res, err := s.Resources.FindResourceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, APIResource(res, lang))
}

// facetView is one facet of the library page.
type facetView struct {
	Name          string
	Label         string
	Selected      string
	SelectedLabel string
	ClearURL      string
	Values        []facetValueView
}

type facetValueView struct {
	Value    string
	Label    string
	Count    int
	URL      string
	Selected bool
}

type sectionView struct {
	ID    string
	Title string
	Items []*haven.Resource
}

type libraryData struct {
	LearnPages []*haven.LearningPage // learning pages matching the query
	Query      string
	Total      int
	Filtered   bool
	Sections   []sectionView
	Facets     []facetView
	// ClearQuery is this page without its keywords.
	ClearQuery string
	Prev       string
	Next       string
	Page       int
	Pages      int
}

// libraryPerPage is high enough that the whole seed shows on one page.
const libraryPerPage = 100

func (s *Server) handleResources(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "resources", nil)
	p.Title = p.L.T("library.title")
	f, page, perPage, err := parseResourceFilter(r.URL.Query(), libraryPerPage)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	res, err := s.Resources.FindResources(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := libraryData{Query: f.Query, Total: res.Total, Page: page}
	if f.Query != "" && s.Learning != nil && page == 1 {
		if d.LearnPages, err = s.Learning.SearchPages(r.Context(), f.Query); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	d.Filtered = f != (haven.ResourceFilter{Limit: f.Limit, Offset: f.Offset})
	d.Pages = (res.Total + perPage - 1) / perPage
	if page > 1 {
		d.Prev = pageURL(r.URL, page-1)
	}
	if page < d.Pages {
		d.Next = pageURL(r.URL, page+1)
	}
	for _, sec := range haven.Sections {
		sv := sectionView{ID: sec, Title: p.L.T("section." + sec)}
		for _, it := range res.Items {
			if it.Section == sec {
				sv.Items = append(sv.Items, it)
			}
		}
		if len(sv.Items) > 0 {
			d.Sections = append(d.Sections, sv)
		}
	}
	selected := map[string]string{"section": f.Section, "kind": f.Kind, "audience": f.Audience, "topic": f.Topic, "region": f.Region}
	for _, name := range haven.Facets {
		fv := facetView{Name: name, Label: p.L.T("facet." + name), Selected: selected[name],
			SelectedLabel: p.L.Label(name, selected[name]), ClearURL: withParam(r.URL, name, "")}
		for _, c := range res.Facets[name] {
			fv.Values = append(fv.Values, facetValueView{
				Value: c.Value, Label: p.L.Label(name, c.Value), Count: c.Count,
				URL: withParam(r.URL, name, c.Value), Selected: c.Value == selected[name],
			})
		}
		if fv.Selected != "" && !slices.ContainsFunc(fv.Values, func(v facetValueView) bool { return v.Selected }) {
			// A chosen value with no matches stays choosable, so the form
			// still shows what is applied.
			fv.Values = append(fv.Values, facetValueView{Value: fv.Selected, Label: fv.SelectedLabel, Selected: true})
		}
		d.Facets = append(d.Facets, fv)
	}
	d.ClearQuery = withParam(r.URL, "q", "")
	p.Data = d
	s.render(w, r, http.StatusOK, "resources", p)
}

func pageURL(u *url.URL, n int) string {
	q := u.Query()
	q.Set("page", strconv.Itoa(n))
	return u.Path + "?" + q.Encode()
}

func (s *Server) handleResource(w http.ResponseWriter, r *http.Request) {
	res, err := s.Resources.FindResourceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, res.Title, "resources", res)
	s.render(w, r, http.StatusOK, "resource", p)
}
