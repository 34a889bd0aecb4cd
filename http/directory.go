package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/i18n"
	"haven/phone"
)

func newLineEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// serviceCard is a service as result lists and the referral sheet show it.
type serviceCard struct {
	ID, Name, OrgID, OrgName string
	City, State, Country     string
	Distance                 string
	Phone                    string
	PhoneTel                 template.URL
	Languages                []string
	Today                    string
	Eligibility              string
	Sample                   bool
	Status                   string
	// Link is the service's page, carrying the picks of a referral sheet
	// in the making; Pick adds the service to them or takes it off, and
	// Picked says it is on.
	Link, Pick string
	Picked     bool
	// Confidential says the place shown keeps its address secret.
	Confidential bool
	// LangNote, when set, says the texts are shown in English, all or
	// some of them, for want of a translation (translations.go).
	LangNote string
	// Served marks a service found because it serves the searched place
	// ("Serves your area", "By phone / online"): it has no distance.
	Served string
	// Capacity says, for each capacity, what is free now or that it is
	// unknown (capacity.go).
	Capacity []capacityLine
}

// card builds a service's card in the visitor's language.
func card(l *i18n.Localizer, h *haven.DirectoryHit, sv *hsds.Service, at cardClock) serviceCard {
	sv, note := localized(l, sv)
	c := serviceCard{LangNote: note, ID: sv.ID, Name: sv.Name, Status: sv.Status, Sample: sv.XSample != nil && *sv.XSample, Link: "/services/" + sv.ID}
	if sv.Organization != nil {
		c.OrgID, c.OrgName = sv.Organization.ID, sv.Organization.Name
		c.Sample = c.Sample || (sv.Organization.XSample != nil && *sv.Organization.XSample)
	}
	if h != nil {
		c.City, c.State, c.Country = h.City, geo.SubdivisionName(h.State, l.Lang), h.Country
		if h.DistanceKm != nil {
			c.Distance = l.T("directory.distance", math.Round(*h.DistanceKm*10)/10)
		}
	} else if len(sv.ServiceAtLocations) > 0 && sv.ServiceAtLocations[0].Location != nil {
		if a := sv.ServiceAtLocations[0].Location.MainAddress(); a != nil {
			c.City, c.State, c.Country = a.City, a.StateProvince, a.Country
		}
	}
	if p := firstPhone(sv); p != "" {
		c.Phone, c.PhoneTel = phone.Display(p, visitorRegion), telURI(p)
	}
	c.Confidential = shownConfidential(h, sv)
	c.Served = servedBadge(l, h)
	for _, lang := range sv.Languages {
		name := lang.Name
		if lang.Code != "" {
			name = languageName(lang.Code, l.Lang)
		}
		if name != "" && !slices.Contains(c.Languages, name) {
			c.Languages = append(c.Languages, name)
		}
	}
	c.Today = todaysHours(l, allSchedules(sv), at.now)
	c.Capacity = capacityLines(l, sv.Capacities, at)
	c.Eligibility = truncate(sv.EligibilityDescription, 180)
	return c
}

// hitCards makes the cards of search hits, each with its own service:
// a hit whose service is gone (the index lags the database by a moment)
// gets no card, rather than shifting the rest onto their neighbours'
// places.
func hitCards(l *i18n.Localizer, hits []haven.DirectoryHit, svcs []*hsds.Service, now cardClock) []serviceCard {
	byID := make(map[string]*hsds.Service, len(svcs))
	for _, sv := range svcs {
		byID[sv.ID] = sv
	}
	cards := make([]serviceCard, 0, len(hits))
	for i := range hits {
		if sv := byID[hits[i].ServiceID]; sv != nil {
			cards = append(cards, card(l, &hits[i], sv, now))
		}
	}
	return cards
}

func firstPhone(sv *hsds.Service) string {
	if len(sv.Phones) > 0 {
		return sv.Phones[0].Number
	}
	for _, sal := range sv.ServiceAtLocations {
		if len(sal.Phones) > 0 {
			return sal.Phones[0].Number
		}
		if sal.Location != nil && len(sal.Location.Phones) > 0 {
			return sal.Location.Phones[0].Number
		}
	}
	if sv.Organization != nil && len(sv.Organization.Phones) > 0 {
		return sv.Organization.Phones[0].Number
	}
	return ""
}

// telURI turns a printed number into a tel: URI of its digits. It is
// marked safe for templates, which otherwise refuse tel: links they did not
// write themselves; only digits and a leading + get through.
func telURI(number string) template.URL {
	return template.URL("tel:" + phone.Dial(number))
}

func allSchedules(sv *hsds.Service) []hsds.Schedule {
	out := slices.Clone(sv.Schedules)
	for _, sal := range sv.ServiceAtLocations {
		out = append(out, sal.Schedules...)
		if sal.Location != nil {
			out = append(out, sal.Location.Schedules...)
		}
	}
	return out
}

var weekdays = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// todaysHours says when the service is open today, from its weekly
// schedules.
func todaysHours(l *i18n.Localizer, scheds []hsds.Schedule, now time.Time) string {
	today := weekdays[now.Weekday()]
	var spans []string
	listed := false
	for _, s := range scheds {
		if s.OpensAt == "" && s.ClosesAt == "" {
			continue
		}
		listed = true
		if s.Freq != "" && s.Freq != "WEEKLY" {
			continue
		}
		if s.ByDay != "" && !slices.ContainsFunc(strings.Split(s.ByDay, ","), func(d string) bool {
			return strings.HasSuffix(strings.TrimSpace(d), today)
		}) {
			continue
		}
		open, close := hhmm(s.OpensAt), hhmm(s.ClosesAt)
		if open == "00:00" && (close == "23:59" || close == "00:00" || close == "24:00") {
			return l.T("directory.open24")
		}
		spans = append(spans, clock(l.Lang, open)+"–"+clock(l.Lang, close))
	}
	switch {
	case len(spans) > 0:
		return l.T("directory.today", strings.Join(spans, ", "))
	case listed:
		return l.T("directory.closedtoday")
	}
	return ""
}

func hhmm(t string) string {
	if len(t) >= 5 {
		return t[:5]
	}
	return t
}

type directoryData struct {
	Query, Place, Radius string
	Filter               haven.DirectoryFilter
	Total                int
	Cards                []serviceCard
	Facets               []facetView
	Chips                []chip
	Prev, Next           string
	Page, Pages          int
	Empty                bool // the directory holds no services at all
	Sheet                []string
	Picks                picks
	HasPlace             bool
	Radii                []radiusOption
	Heading              string
	Intro                string
	Summary              *haven.CountrySummary
	SummaryText          string
	Hotlines             []haven.CountryHotline
	National             bool // show the U.S. national hotline
	FormAction           string
	// PlaceError says why the place box could not be read; BadPlace is
	// what was typed there.
	PlaceError, BadPlace string
	PlaceView            searchPlaceView // directory_place.go
	Who                  whoForm         // age and opening hours (directory_who.go)
	// Served lists, on a state's or country's page, the services serving
	// it from elsewhere (served.go).
	Served *servedSection
}

// status is the page's HTTP status: a place Haven could not read makes the
// request a bad one, though the page still lists providers.
func (d *directoryData) status() int {
	if d.PlaceError != "" {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

type chip struct{ Label, URL string }

type radiusOption struct {
	Value    string
	Selected bool
}

// directoryParams are /directory's: Haven's, 20 services a page.
var directoryParams = haven.DirectoryParams{PerPage: 20}

// searchPage fills the data of a page that lists providers: /directory and
// each state's and country's page.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p *page, d *directoryData, q url.Values) bool {
	if placeParam(q) == "" {
		// A distance without a place means nothing: ignore it on the page.
		q.Del("radius_km")
		q.Del("radius_mi")
	}
	params := directoryParams
	params.CapacityMaxAge = s.capacityMaxAge()
	f, err := haven.ParseDirectoryQuery(q, params)
	// A place Haven cannot read is most often a typo: say so at the field
	// and search without it, rather than leave the visitor on an error page.
	if pe := (*haven.ParamError)(nil); errors.As(err, &pe) && (pe.Param == "near" || pe.Param == "postcode" || pe.Param == "place") {
		d.PlaceError, d.PlaceView.PlaceChoices = placeProblem(p.L, r.URL, placeParam(q), pe)
		d.BadPlace = placeParam(q)
		q.Del("near")
		q.Del("postcode")
		q.Del("place")
		q.Del("radius_km")
		q.Del("radius_mi")
		f, err = haven.ParseDirectoryQuery(q, params)
	}
	if err != nil {
		s.renderError(w, r, err)
		return false
	}
	f.Facets = haven.DirectoryFacets // the page shows them all
	page, perPage := pageOf(f)
	res, err := s.searchDirectory(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return false
	}
	if res.Total == 0 {
		// Only when nothing matched: is the whole directory empty?
		has, err := s.Directory.HasServices(r.Context())
		if err != nil {
			s.renderError(w, r, err)
			return false
		}
		d.Empty = !has
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), hitIDs(res.Hits))
	if err != nil {
		s.renderError(w, r, err)
		return false
	}
	d.Cards = hitCards(p.L, res.Hits, svcs, s.cardClock())
	setDistances(p.L, d.Cards, res.Hits, haven.DistanceUnits(f, p.Lang))
	d.Filter, d.Total, d.Page = f, res.Total, page
	d.Query, d.Place, d.Radius = f.Query, placeParam(q), q.Get("radius_km")
	if d.BadPlace != "" {
		d.Place = d.BadPlace // kept in the box, to be corrected
	}
	d.HasPlace = f.Near != nil
	if err := s.fillPlaceView(r.Context(), p.L, r.URL, f, d, res); err != nil {
		s.renderError(w, r, err)
		return false
	}
	d.Pages = (res.Total + perPage - 1) / perPage
	if page > 1 {
		d.Prev = pageURL(r.URL, page-1)
	}
	if page < d.Pages {
		d.Next = pageURL(r.URL, page+1)
	}
	selected := map[string]string{"category": f.Category, "state": f.State, "country": f.Country, "language": f.Language,
		"population": f.Population, "trafficking": f.Trafficking}
	for _, name := range haven.DirectoryFacets {
		fv := facetView{Name: name, Label: p.L.T("dirfacet." + name), Selected: selected[name],
			SelectedLabel: directoryLabel(p.L, name, selected[name]), ClearURL: clearFacetURL(r.URL, f, name)}
		for _, c := range res.Facets[name] {
			fv.Values = append(fv.Values, facetValueView{Value: c.Value, Label: directoryLabel(p.L, name, c.Value),
				Count: c.Count, Selected: c.Value == selected[name]})
		}
		if fv.Selected != "" && !slices.ContainsFunc(fv.Values, func(v facetValueView) bool { return v.Selected }) {
			fv.Values = append(fv.Values, facetValueView{Value: fv.Selected, Label: fv.SelectedLabel, Selected: true})
		}
		d.Facets = append(d.Facets, fv)
		if fv.Selected != "" {
			d.Chips = append(d.Chips, chip{fv.Label + ": " + fv.SelectedLabel, fv.ClearURL})
		}
	}
	var whoChips []chip
	d.Who, whoChips = whoFormOf(p.L, r.URL, f)
	d.Who.RoomHint = p.L.T("capacity.filter.hint", durationText(p.L, s.capacityMaxAge()))
	d.Chips = append(d.Chips, whoChips...)
	if f.Query != "" {
		d.Chips = append([]chip{{"“" + f.Query + "”", withParam(r.URL, "q", "")}}, d.Chips...)
	}
	if d.Place != "" && d.PlaceError == "" && (f.Near != nil || f.Place == nil) { // a state or country is its facet's chip
		u := *r.URL
		qq := u.Query()
		for _, k := range []string{"near", "postcode", "place", "radius_km", "radius_mi", "units", "sort"} {
			qq.Del(k)
		}
		u.RawQuery = qq.Encode()
		label := d.Place
		if f.Place != nil {
			label = f.Place.Label(p.Lang)
		}
		d.Chips = append(d.Chips, chip{p.L.T("directory.near", label), withParam(&u, "page", "")})
	}
	d.Sheet = sheetIDs(q)
	d.Picks = newPicks(d.Sheet)
	if d.PlaceError == "" {
		d.Picks = d.Picks.withPlace(d.Place)
	}
	links := newSheetLinker(r.URL)
	for i := range d.Cards {
		d.Cards[i].pickFrom(links, d.Sheet)
	}
	for i := range d.PlaceView.BeyondCards {
		d.PlaceView.BeyondCards[i].pickFrom(links, d.Sheet)
	}
	return true
}

func placeParam(q url.Values) string {
	if v := strings.TrimSpace(q.Get("near")); v != "" {
		return v
	}
	if v := strings.TrimSpace(q.Get("postcode")); v != "" {
		return v
	}
	return strings.TrimSpace(q.Get("place"))
}

// sheetIDs reads the services already chosen for a referral sheet: the
// list lives in the URL, never in a cookie.
func sheetIDs(q url.Values) []string {
	var out []string
	list := append(strings.Split(q.Get("sheet"), ","), strings.Split(q.Get("ids"), ",")...)
	for _, v := range append(q["id"], list...) {
		v = strings.ToLower(strings.TrimSpace(v))
		if hsds.ValidUUID(v) && !slices.Contains(out, v) && len(out) < maxSheet {
			out = append(out, v)
		}
	}
	return out
}

// maxSheet bounds a referral sheet.
const maxSheet = 40

func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("directory.title")
	q := r.URL.Query()
	d := &directoryData{Heading: p.L.T("directory.title"), Intro: p.L.T("directory.lead"), FormAction: "/directory"}
	if !s.searchPage(w, r, p, d, q) {
		return
	}
	p.Data = d
	s.render(w, r, d.status(), "directory", p)
}

type stateTile struct {
	Code, Name string
	X, Y       int
	Count      int
}

type statesData struct {
	Tiles  []stateTile
	Width  int
	Height int
	Empty  bool
}

func (s *Server) handleStates(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("states.title")
	res, err := s.searchDirectory(r.Context(), haven.DirectoryFilter{Country: "US", Limit: 1, Facets: []string{"state"}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	counts := map[string]int{}
	for _, c := range res.Facets["state"] {
		counts[c.Value] = c.Count
	}
	const tile = 44
	d := statesData{Width: geo.TileCols * tile, Height: geo.TileRows * tile, Empty: res.Total == 0}
	for _, st := range geo.States {
		name := st.Name
		if p.Lang == "es" {
			name = st.NameES
		}
		d.Tiles = append(d.Tiles, stateTile{Code: st.Code, Name: name, X: st.Col * tile, Y: st.Row * tile, Count: counts[st.Code]})
	}
	slices.SortFunc(d.Tiles, func(a, b stateTile) int { return strings.Compare(a.Name, b.Name) })
	p.Data = d
	s.render(w, r, http.StatusOK, "states", p)
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	st, ok := geo.StateByCode(r.PathValue("code"))
	if !ok {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "no such state"))
		return
	}
	p := s.newPage(r, "", "directory", nil)
	name := st.Name
	if p.Lang == "es" {
		name = st.NameES
	}
	p.Title = name
	q := r.URL.Query()
	q.Set("state", st.Code)
	q.Set("country", "US")
	q.Set("served", haven.ServedNone) // those serving it have a section apart
	d := &directoryData{Heading: name, Intro: p.L.T("states.intro", name), FormAction: r.URL.Path, National: true}
	if !s.searchPage(w, r, p, d, q) {
		return
	}
	var err error
	if d.Served, err = s.findServed(r, p.L, d.Filter, name); err != nil {
		s.renderError(w, r, err)
		return
	}
	p.Data = d
	s.render(w, r, d.status(), "directory", p)
}

type countryRow struct {
	Code, Name string
	Count      int
}

func (s *Server) handleCountries(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("countries.title")
	res, err := s.searchDirectory(r.Context(), haven.DirectoryFilter{Limit: 1, Facets: []string{"country"}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var rows []countryRow
	for _, c := range res.Facets["country"] {
		rows = append(rows, countryRow{c.Value, geo.CountryName(c.Value, p.Lang), c.Count})
	}
	slices.SortFunc(rows, func(a, b countryRow) int { return strings.Compare(a.Name, b.Name) })
	p.Data = rows
	s.render(w, r, http.StatusOK, "countries", p)
}

func (s *Server) handleCountry(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if !geo.ValidCountry(code) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "no such country"))
		return
	}
	p := s.newPage(r, "", "directory", nil)
	name := geo.CountryName(code, p.Lang)
	p.Title = name
	q := r.URL.Query()
	q.Set("country", code)
	q.Set("served", haven.ServedNone) // those serving it have a section apart
	d := &directoryData{Heading: name, Intro: p.L.T("countries.intro", name), FormAction: r.URL.Path, National: code == "US"}
	sum, err := s.Countries.FindCountrySummary(r.Context(), code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if sum != nil {
		d.Summary, d.SummaryText, d.Hotlines = sum, sum.Summary.In(p.Lang), sum.Hotlines
		if d.SummaryText == "" {
			d.SummaryText = p.L.T("world.nosummary", name) // never a blank as if written
		}
		if p.Lang == "es" {
			d.Hotlines = localHotlines(sum.Hotlines, p.Lang)
		}
	}
	if !s.searchPage(w, r, p, d, q) {
		return
	}
	if d.Served, err = s.findServed(r, p.L, d.Filter, name); err != nil {
		s.renderError(w, r, err)
		return
	}
	p.Data = d
	s.render(w, r, d.status(), "directory", p)
}

// serviceView is everything the service page shows.
type serviceView struct {
	S          *hsds.Service
	Card       serviceCard
	Places     []placeView
	Phones     []phoneView
	Hours      []string
	Languages  []string
	Categories []string
	Documents  []string
	Costs      []string
	Areas      []string
	Verified   string
	Stale      bool
	Inactive   bool
	Picks      servicePicks
	// MergedInto, for staff only (visitors are redirected), is the
	// service this one was merged into (matches.go).
	MergedInto string
	// CapacityURL is the capacity page, for those who may update it.
	CapacityURL string
}

type placeView struct {
	Name, Lines, MapURL string
	// Confidential says the address is given on contact; Lines then hold
	// the area only and the notice's last line.
	Confidential   bool
	StaffOnly      bool // a confidential place shown whole to staff
	Transportation string
	Access         []string
}

type phoneView struct {
	Number string
	Tel    template.URL
	Note   string
}

var dayNames = map[string][2]string{
	"MO": {"Mon", "lun"}, "TU": {"Tue", "mar"}, "WE": {"Wed", "mié"}, "TH": {"Thu", "jue"},
	"FR": {"Fri", "vie"}, "SA": {"Sat", "sáb"}, "SU": {"Sun", "dom"},
}

// scheduleLines describes weekly schedules, one line each.
func scheduleLines(l *i18n.Localizer, scheds []hsds.Schedule) []string {
	var out []string
	for _, s := range scheds {
		var days []string
		for _, d := range strings.Split(s.ByDay, ",") {
			d = strings.TrimSpace(d)
			if n, ok := dayNames[d[max(0, len(d)-2):]]; ok && d != "" {
				if l.Lang == "es" {
					days = append(days, n[1])
				} else {
					days = append(days, n[0])
				}
			}
		}
		line := strings.Join(days, ", ")
		if s.OpensAt != "" || s.ClosesAt != "" {
			if hhmm(s.OpensAt) == "00:00" && (hhmm(s.ClosesAt) == "23:59" || hhmm(s.ClosesAt) == "24:00") {
				line = strings.TrimSpace(line + " " + l.T("directory.open24"))
			} else {
				line = strings.TrimSpace(line + " " + clock(l.Lang, hhmm(s.OpensAt)) + "–" + clock(l.Lang, hhmm(s.ClosesAt)))
			}
		}
		if s.Description != "" {
			line = strings.TrimSpace(line + " " + s.Description)
		}
		if line != "" && !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	return out
}

func addressLines(a hsds.Address) string {
	parts := []string{a.Address1}
	if a.Address2 != "" {
		parts = append(parts, a.Address2)
	}
	parts = append(parts, strings.TrimSpace(fmt.Sprintf("%s, %s %s", a.City, a.StateProvince, a.PostalCode)))
	if a.Country != "" && a.Country != "US" {
		parts = append(parts, geo.CountryName(a.Country, "en"))
	}
	return strings.Join(parts, "\n")
}

// serviceView builds a service's page. A confidential location is shown
// as the public sees it unless staff is set, when it is shown whole and
// marked.
func (s *Server) serviceView(l *i18n.Localizer, sv *hsds.Service, staff bool) serviceView {
	sv, _ = localized(l, sv) // the card says what is not translated
	v := serviceView{S: sv, Card: card(l, nil, sv, s.cardClock()), Inactive: sv.Status == "inactive" || sv.Status == "defunct"}
	for _, sal := range sv.ServiceAtLocations {
		loc := sal.Location
		if loc == nil {
			continue
		}
		if loc.Confidential() && !staff {
			// Only the area is shown; the address is given on contact.
			v.Places = append(v.Places, confidentialPlace(l, loc, v.Card.Phone))
			continue
		}
		pv := placeView{Name: loc.Name, Transportation: loc.Transportation, StaffOnly: loc.Confidential()}
		if a := loc.MainAddress(); a != nil {
			pv.Lines = addressLines(*a)
		}
		for _, a := range loc.Accessibility {
			pv.Access = append(pv.Access, strings.TrimSpace(a.Description+" "+a.Details))
		}
		v.Places = append(v.Places, pv)
		for _, ph := range append(slices.Clone(sal.Phones), loc.Phones...) {
			v.Phones = append(v.Phones, viewPhone(ph))
		}
	}
	for _, ph := range sv.Phones {
		v.Phones = append([]phoneView{viewPhone(ph)}, v.Phones...)
	}
	v.Hours = scheduleLines(l, allSchedules(sv))
	v.Languages = v.Card.Languages
	for _, a := range sv.Attributes {
		if t := a.TaxonomyTerm; t != nil {
			label := t.Name
			if t.Code != "" && l.Has("category."+t.Code) {
				label = l.T("category." + t.Code)
			}
			v.Categories = append(v.Categories, label)
		}
	}
	for _, d := range sv.RequiredDocuments {
		v.Documents = append(v.Documents, d.Document)
	}
	for _, c := range sv.CostOptions {
		line := c.Option
		if c.Amount != nil {
			line = strings.TrimSpace(fmt.Sprintf("%s %.2f %s", line, *c.Amount, c.Currency))
		}
		if c.AmountDescription != "" {
			line = strings.TrimSpace(line + " — " + c.AmountDescription)
		}
		v.Costs = append(v.Costs, line)
	}
	for _, a := range sv.ServiceAreas {
		v.Areas = append(v.Areas, strings.TrimSpace(a.Name+" "+a.Description))
	}
	if t, err := time.Parse("2006-01-02", sv.XLastVerified); err == nil {
		v.Verified = formatDate(t, l.Lang)
		v.Stale = t.Before(time.Now().AddDate(0, -s.StaleMonths, 0))
	}
	return v
}

func parseDate(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

var monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// formatDate writes a date the way each language does: "March 3, 2026"
// (U.S. English), "3 de marzo de 2026".
func formatDate(t time.Time, lang string) string {
	if lang == "es" {
		return fmt.Sprintf("%d de %s de %d", t.Day(), monthsES[t.Month()-1], t.Year())
	}
	return t.Format("January 2, 2006")
}

// clock writes a time of day ("17:00") the way each language reads it:
// "5:00 PM" in U.S. English, "17:00" in Spanish. Anything it cannot read
// is returned as it is.
func clock(lang, hm string) string {
	if lang == "es" {
		return hm
	}
	if hm == "24:00" {
		return "12:00 AM"
	}
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return hm
	}
	return t.Format("3:04 PM")
}

func (s *Server) handleService(w http.ResponseWriter, r *http.Request) {
	sv, err := s.Directory.FindServiceByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err != nil {
		if !s.mergedRedirect(w, r, err, "/services/") {
			s.renderError(w, r, err)
		}
		return
	}
	p := s.newPage(r, sv.Name, "directory", nil)
	v := s.serviceView(p.L, sv, haven.StaffView(r.Context()))
	v.Picks = newServicePicks(sheetIDs(r.URL.Query()), sv.ID)
	if s.Matches != nil && haven.StaffView(r.Context()) {
		if to, err := s.Matches.MergedInto(r.Context(), sv.ID); err != nil {
			s.log(r.Context()).Warn("merged into", "service", sv.ID, "err", err)
		} else {
			v.MergedInto = to
		}
	}
	if u := currentUser(r); len(sv.Capacities) > 0 && s.Capacities != nil && s.canUpdateCapacity(r.Context(), u, sv.OrganizationID) {
		v.CapacityURL = capacityPath(u, sv.OrganizationID)
	}
	p.Title = v.S.Name // in the visitor's language where it can be
	p.Data = v
	s.render(w, r, http.StatusOK, "service", p)
}

type organizationView struct {
	// CapacityURL is the capacity page, for those who may update it.
	CapacityURL string
	O           *hsds.Organization
	Cards       []serviceCard
	Phones      []phoneView
	Verified    string
	Sample      bool
}

func (s *Server) handleOrganization(w http.ResponseWriter, r *http.Request) {
	o, ids, err := s.Directory.FindOrganizationByID(r.Context(), strings.ToLower(r.PathValue("id")))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), ids)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, o.Name, "directory", nil)
	v := organizationView{O: o, Sample: o.XSample != nil && *o.XSample}
	if u := currentUser(r); s.Capacities != nil && s.canUpdateCapacity(r.Context(), u, o.ID) {
		v.CapacityURL = capacityPath(u, o.ID)
	}
	now := s.cardClock()
	for _, sv := range svcs {
		v.Cards = append(v.Cards, card(p.L, nil, sv, now))
	}
	for _, ph := range o.Phones {
		v.Phones = append(v.Phones, viewPhone(ph))
	}
	if t, err := time.Parse("2006-01-02", o.XLastVerified); err == nil {
		v.Verified = formatDate(t, p.Lang)
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "organization", p)
}
