package http

import (
	"context"
	_ "embed"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/i18n"
)

//go:embed openapi.json
var openAPIDoc []byte

// The parameters of the directory searches: Haven's own, and the HSDS
// API's lists.
var (
	havenParams     = haven.DirectoryParams{PerPage: defaultPerPage}
	hsdsParams      = haven.DirectoryParams{HSDS: true, PerPage: hsdsPerPage}
	hsdsPlaceParams = haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: hsdsPerPage}
)

// pageOf returns the page number and size of a parsed filter.
func pageOf(f haven.DirectoryFilter) (page, perPage int) { return f.Offset/f.Limit + 1, f.Limit }

// SearchItem is one hit of GET /api/v1/search.
type SearchItem struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	Organization IDName      `json:"organization"`
	Location     SearchPlace `json:"location"`
	DistanceKm   *float64    `json:"distance_km,omitempty"`
	DistanceMi   *float64    `json:"distance_mi,omitempty"`
	// Served is "area" or "remote" for a service found because it serves
	// the searched place (then it has no distance), absent otherwise.
	Served string `json:"served,omitempty"`
}

// IDName names an object.
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SearchPlace is where a hit is.
type SearchPlace struct {
	City      string   `json:"city"`
	State     string   `json:"state"`
	Country   string   `json:"country"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// SearchResponse is the body of GET /api/v1/search.
type SearchResponse struct {
	Total   int                           `json:"total"`
	Page    int                           `json:"page"`
	PerPage int                           `json:"per_page"`
	Items   []SearchItem                  `json:"items"`
	Facets  map[string][]haven.FacetCount `json:"facets"`
	// Issue 19: the place read from place=, the order used, the units
	// the visitor's pages show, and, when nothing was found, the nearest
	// services beyond the radius and what each filter's removal finds.
	Place   *PlaceInfo         `json:"place,omitempty"`
	Sort    string             `json:"sort"`
	Units   string             `json:"units"`
	Nearest []SearchItem       `json:"nearest_beyond_radius,omitempty"`
	Without []haven.Relaxation `json:"without,omitempty"`
}

// PlaceInfo is a place as GET /api/v1/search read it.
type PlaceInfo struct {
	Label     string   `json:"label"`
	Kind      string   `json:"kind"`
	Country   string   `json:"country,omitempty"`
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
}

func searchItem(h haven.DirectoryHit) SearchItem {
	it := SearchItem{ID: h.ServiceID, Name: h.Name, Organization: IDName{h.OrgID, h.OrgName},
		Location: SearchPlace{City: h.City, State: h.State, Country: h.Country, Latitude: h.Lat, Longitude: h.Lon}, Served: h.Served}
	if h.DistanceKm != nil {
		d := math.Round(*h.DistanceKm*10) / 10
		it.DistanceKm = &d
		mi := math.Round(*h.DistanceKm/haven.KmPerMile*10) / 10
		it.DistanceMi = &mi
	}
	return it
}

// labelDirectoryFacets names each facet value in the visitor's language.
func labelDirectoryFacets(facets map[string][]haven.FacetCount, l *i18n.Localizer) {
	for name, counts := range facets {
		for i := range counts {
			counts[i].Label = directoryLabel(l, name, counts[i].Value)
		}
	}
}

// labels caches directoryLabel's answers: a search labels every value of
// four facets, and naming a language is slow (it parses tags). Values come
// from the directory and from URLs, so the cache stops growing at a bound.
var labels struct {
	m sync.Map // labelKey → string
	n atomic.Int64
}

type labelKey struct{ lang, facet, value string }

const maxLabels = 20_000

func directoryLabel(l *i18n.Localizer, facet, value string) string {
	k := labelKey{l.Lang, facet, value}
	if v, ok := labels.m.Load(k); ok {
		return v.(string)
	}
	label := makeDirectoryLabel(l, facet, value)
	if labels.n.Load() < maxLabels {
		if _, loaded := labels.m.LoadOrStore(k, label); !loaded {
			labels.n.Add(1)
		}
	}
	return label
}

func makeDirectoryLabel(l *i18n.Localizer, facet, value string) string {
	switch facet {
	case "category":
		if l.Has("category." + value) {
			return l.T("category." + value)
		}
		return strings.ReplaceAll(value, "-", " ")
	case "state":
		return geo.SubdivisionName(value, l.Lang) // "Texas", "Jalisco", "British Columbia"
	case "country":
		return geo.CountryName(value, l.Lang)
	case "language":
		return languageName(value, l.Lang)
	case "population", "trafficking":
		if l.Has(facet + "." + value) {
			return l.T(facet + "." + value)
		}
	}
	return value
}

// languageName names an ISO 639-1 language in the UI language.
func languageName(code, uiLang string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := display.Tags(language.MustParse(uiLang)).Name(tag); n != "" {
		return n
	}
	return code
}

// SearchProviders answers a directory search as GET /api/v1/search does,
// through search, so that the command line and the API cannot drift apart.
//
// capacityMaxAge is how old a capacity's count may be for capacity=available
// to believe it (zero: haven.DefaultCapacityMaxAge).
func SearchProviders(ctx context.Context, search haven.DirectorySearcher, q url.Values, lang string, capacityMaxAge time.Duration) (*SearchResponse, error) {
	params := havenParams
	params.CapacityMaxAge = capacityMaxAge
	f, err := haven.ParseDirectoryQuery(q, params)
	if err != nil {
		return nil, err
	}
	f.Facets = haven.DirectoryFacets // the response lists them all
	res, err := search.SearchDirectory(ctx, f)
	if err != nil {
		return nil, err
	}
	labelDirectoryFacets(res.Facets, i18n.New(lang))
	page, perPage := pageOf(f)
	body := &SearchResponse{Total: res.Total, Page: page, PerPage: perPage, Items: make([]SearchItem, 0, len(res.Hits)), Facets: res.Facets}
	for _, h := range res.Hits {
		body.Items = append(body.Items, searchItem(h))
	}
	if err := deadEndBody(ctx, search, f, lang, res, body); err != nil { // directory_place.go
		return nil, err
	}
	return body, nil
}

func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	lang, err := apiLang(r)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	body, err := SearchProviders(r.Context(), countedSearch{s}, r.URL.Query(), lang, s.capacityMaxAge())
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// --- The HSDS 3.1 API ---

// hsdsPerPage is the HSDS API's default page size.
const hsdsPerPage = 50

// Page is the HSDS page envelope.
type Page struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   any  `json:"contents"`
}

func newPage(f haven.DirectoryFilter, total, size int, contents any) Page {
	page, perPage := pageOf(f)
	pages := (total + perPage - 1) / perPage
	return Page{TotalItems: total, TotalPages: pages, PageNumber: page, Size: size,
		FirstPage: page == 1, LastPage: page >= pages, Empty: total == 0, Contents: contents}
}

func boolParam(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, haven.Errorf(haven.EINVALID, "Parameter %s must be true or false.", name)
}

func (s *Server) handleHSDSRoot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"version":     "3.1",
		"profile":     "https://openreferral.org/hsds/profiles/haven",
		"openapi_url": "/api/openapi.json",
	})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}

// listService is the HSDS list form of a service: its own fields with its
// organization and program, not the rest of the tree.
func listService(sv *hsds.Service) *hsds.Service {
	c := *sv
	c.Phones, c.Schedules, c.ServiceAreas, c.ServiceAtLocations, c.Languages = nil, nil, nil, nil, nil
	c.Funding, c.CostOptions, c.RequiredDocuments, c.Contacts, c.Attributes, c.Metadata = nil, nil, nil, nil, nil, nil
	c.AdditionalURLs, c.Capacities = nil, nil
	if c.Organization != nil {
		c.Organization = listOrganization(c.Organization)
	}
	return &c
}

func listOrganization(o *hsds.Organization) *hsds.Organization {
	c := *o
	c.Funding, c.Contacts, c.Phones, c.Locations, c.Programs = nil, nil, nil, nil, nil
	c.OrganizationIdentifiers, c.Attributes, c.Metadata, c.Services, c.AdditionalWebsites = nil, nil, nil, nil, nil
	return &c
}

// minimalService is the HSDS "minimal" form: enough to tell what changed.
type minimalService struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Status       string `json:"status"`
	LastModified string `json:"last_modified,omitempty"`
}

func (s *Server) handleHSDSServices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := haven.ParseDirectoryQuery(q, hsdsParams)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	full, err := boolParam(q, "full")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	minimal, err := boolParam(q, "minimal")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "ndjson" {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.EINVALID, "Parameter format must be json or ndjson."))
		return
	}
	shape := func(sv *hsds.Service) any {
		switch {
		case minimal:
			return minimalService{sv.ID, sv.Name, sv.Status, sv.LastModified}
		case full:
			return sv
		}
		return listService(sv)
	}
	if format == "ndjson" {
		s.streamServices(w, r, f, shape)
		return
	}
	res, err := s.searchDirectory(r.Context(), f)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), hitIDs(res.Hits))
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	contents := make([]any, 0, len(svcs))
	for _, sv := range svcs {
		contents = append(contents, shape(sv))
	}
	writeJSON(w, http.StatusOK, newPage(f, res.Total, len(contents), contents))
}

func hitIDs(hits []haven.DirectoryHit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ServiceID
	}
	return ids
}

// streamServices writes every matching service as NDJSON, page by page, with
// no envelope, as HSDS asks of format=ndjson.
func (s *Server) streamServices(w http.ResponseWriter, r *http.Request, f haven.DirectoryFilter, shape func(*hsds.Service) any) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := newLineEncoder(w)
	f.Offset, f.Limit = 0, 500
	for {
		res, err := s.searchDirectory(r.Context(), f)
		if err != nil {
			s.log(r.Context()).Error("ndjson export", "err", err)
			return // the status is sent; a cut-off stream is the signal
		}
		svcs, err := s.Directory.FindServicesByID(r.Context(), hitIDs(res.Hits))
		if err != nil {
			s.log(r.Context()).Error("ndjson export", "err", err)
			return
		}
		for _, sv := range svcs {
			if err := enc.Encode(shape(sv)); err != nil {
				return
			}
		}
		if len(res.Hits) < f.Limit {
			return
		}
		f.Offset += f.Limit
	}
}

func (s *Server) handleHSDSService(w http.ResponseWriter, r *http.Request) {
	sv, err := s.Directory.FindServiceByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err == nil {
		err = s.withAuditMetadata(r.Context(), sv)
	}
	if err != nil {
		if !s.mergedRedirect(w, r, err, "/api/hsds/services/") {
			writeJSONError(w, r, s.Logger, err)
		}
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// auditNamespace makes the ids of metadata drawn from the audit trail
// stable: the same audit line always gives the same UUID.
var auditNamespace = uuid.MustParse("3d0c6f1e-8f6a-4c43-9a4e-6b1f0f0a7c21")

// withAuditMetadata appends to a service's HSDS metadata array one entry
// for each change the audit trail holds for it, after any metadata that
// came with the imported data.
func (s *Server) withAuditMetadata(ctx context.Context, sv *hsds.Service) error {
	if s.Accounts == nil {
		return nil
	}
	trail, err := s.Audit.PublishedTrail(ctx, "service", sv.ID)
	if err != nil {
		return err
	}
	for _, e := range trail {
		sv.Metadata = append(sv.Metadata, hsds.Metadata{
			ID:               uuid.NewSHA1(auditNamespace, []byte(strconv.FormatInt(e.ID, 10))).String(),
			ResourceID:       sv.ID,
			ResourceType:     "service",
			LastActionDate:   e.At.Format("2006-01-02"),
			LastActionType:   e.Action,
			FieldName:        e.Field,
			PreviousValue:    e.Before,
			ReplacementValue: e.After,
			UpdatedBy:        publicActor(e.Actor),
		})
	}
	return nil
}

// publicActor names who made a change without naming the person: staff
// e-mail addresses stay out of the public API, and the full trail is on the
// curators' history pages.
func publicActor(actor string) string {
	switch {
	case strings.HasPrefix(actor, haven.ProviderActorPrefix):
		return "the organization's provider"
	case strings.HasPrefix(actor, haven.PartnerActorPrefix):
		return "the organization's own system"
	case strings.Contains(actor, "@"):
		return "Haven curator"
	case actor == "cli":
		return "Haven import"
	case actor == "public":
		return "public suggestion"
	}
	return "Haven"
}

func (s *Server) handleHSDSOrganizations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := haven.ParseDirectoryQuery(q, hsdsParams)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	fullService, err := boolParam(q, "full_service")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	full, err := boolParam(q, "full")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	orgs, total, err := s.Directory.ListOrganizations(r.Context(), haven.OrganizationFilter{Search: f.Query,
		TaxonomyTermID: f.TaxonomyTermID, TaxonomyID: f.TaxonomyID, Offset: f.Offset, Limit: f.Limit})
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	contents := make([]any, 0, len(orgs))
	for _, o := range orgs {
		switch {
		case fullService:
			if o, err = s.withServices(r.Context(), o); err != nil {
				writeJSONError(w, r, s.Logger, err)
				return
			}
		case !full:
			o = listOrganization(o)
		}
		contents = append(contents, o)
	}
	writeJSON(w, http.StatusOK, newPage(f, total, len(contents), contents))
}

// withServices nests an organization's services, fully, each without its
// copy of the organization.
func (s *Server) withServices(ctx context.Context, o *hsds.Organization) (*hsds.Organization, error) {
	_, ids, err := s.Directory.FindOrganizationByID(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	svcs, err := s.Directory.FindServicesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	c := *o
	c.Services = make([]hsds.Service, len(svcs))
	for i, sv := range svcs {
		sv.Organization = nil
		c.Services[i] = *sv
	}
	return &c, nil
}

func (s *Server) handleHSDSOrganization(w http.ResponseWriter, r *http.Request) {
	fullService, err := boolParam(r.URL.Query(), "full_service")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	o, _, err := s.Directory.FindOrganizationByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err == nil && fullService {
		o, err = s.withServices(r.Context(), o)
	}
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) handleHSDSServiceAtLocations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := haven.ParseDirectoryQuery(q, hsdsPlaceParams)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	full, err := boolParam(q, "full")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	ids, total, err := s.listServiceAtLocations(r.Context(), f)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	sals, err := s.Directory.FindServiceAtLocations(r.Context(), ids)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	contents := make([]any, 0, len(sals))
	for _, sal := range sals {
		if !full {
			c := *sal
			c.Contacts, c.Phones, c.Schedules, c.Attributes, c.Metadata, c.ServiceAreas = nil, nil, nil, nil, nil, nil
			if c.Service != nil {
				c.Service = listService(c.Service)
			}
			if c.Location != nil {
				l := *c.Location
				l.Languages, l.Contacts, l.Accessibility, l.Phones, l.Schedules, l.Attributes, l.Metadata = nil, nil, nil, nil, nil, nil, nil
				c.Location = &l
			}
			sal = &c
		}
		contents = append(contents, sal)
	}
	writeJSON(w, http.StatusOK, newPage(f, total, len(contents), contents))
}

func (s *Server) handleHSDSServiceAtLocation(w http.ResponseWriter, r *http.Request) {
	sals, err := s.Directory.FindServiceAtLocations(r.Context(), []string{strings.ToLower(r.PathValue("id"))})
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	if len(sals) == 0 {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "No service_at_location has the id %q.", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, sals[0])
}

func (s *Server) handleHSDSTaxonomies(w http.ResponseWriter, r *http.Request) {
	f, err := haven.ParseDirectoryQuery(r.URL.Query(), hsdsParams)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	ts, total, err := s.Directory.ListTaxonomies(r.Context(), f.Query, f.Offset, f.Limit)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, newPage(f, total, len(ts), nonNil(ts)))
}

func (s *Server) handleHSDSTaxonomy(w http.ResponseWriter, r *http.Request) {
	t, err := s.Directory.FindTaxonomyByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleHSDSTerms(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := haven.ParseDirectoryQuery(q, hsdsParams)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	tf := haven.TermFilter{Search: f.Query, TaxonomyID: f.TaxonomyID, Offset: f.Offset, Limit: f.Limit}
	if tf.ParentID, err = haven.UUIDParam(q, "parent_id"); err == nil {
		tf.TopOnly, err = boolParam(q, "top_only")
	}
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	ts, total, err := s.Directory.ListTaxonomyTerms(r.Context(), tf)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, newPage(f, total, len(ts), nonNil(ts)))
}

func (s *Server) handleHSDSTerm(w http.ResponseWriter, r *http.Request) {
	t, err := s.Directory.FindTaxonomyTermByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// nonNil makes an empty page encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
