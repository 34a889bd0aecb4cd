package http

import (
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"haven"
	"haven/countries"
)

// The world view (/countries) and a page for every country
// (/countries/{code}): the country's tier in the Trafficking in Persons
// Report, its hotlines, the curator's summary and its providers.

// tierService is where tiers come from: Tiers when set, else the country
// service when it keeps them too (sqlstore's does).
func (s *Server) tierService() haven.CountryTierService {
	if s.Tiers != nil {
		return s.Tiers
	}
	t, _ := s.Countries.(haven.CountryTierService)
	return t
}

func (s *Server) listTiers(r *http.Request) (map[string]haven.CountryTier, error) {
	out := map[string]haven.CountryTier{}
	ts := s.tierService()
	if ts == nil {
		return out, nil
	}
	list, err := ts.ListCountryTiers(r.Context())
	for _, t := range list {
		out[t.Country] = t
	}
	return out, err
}

// tierKey is the i18n key suffix and CSS class of a tier ("none" when the
// report does not rank the country).
func tierKey(t string) string {
	switch t {
	case haven.Tier1:
		return "1"
	case haven.Tier2:
		return "2"
	case haven.Tier2Watch:
		return "2wl"
	case haven.Tier3:
		return "3"
	case haven.TierSpecial:
		return "special"
	}
	return "none"
}

type worldTile struct {
	Code, Name, Tier, Short string
	X, Y                    int
	Count                   int
}

type worldRow struct {
	Code, Name, Tier string
	Count            int
}

type worldGroup struct {
	Name string
	Rows []worldRow
}

type legendItem struct {
	Key, Short, Label string
	Count             int
}

type regionLabel struct {
	Name string
	X, Y int
}

type worldData struct {
	Tiles         []worldTile
	Labels        []regionLabel
	Width, Height int
	Legend        []legendItem
	Groups        []worldGroup
	Others        []worldRow
	Year          int
	ReportURL     string
}

// worldTileSize is a tile's side on the world map, in SVG units.
const worldTileSize = 44

func (s *Server) handleWorld(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("world.title")
	tiers, err := s.listTiers(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	res, err := s.searchDirectory(r.Context(), haven.DirectoryFilter{Limit: 1, Facets: []string{"country"}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	counts := map[string]int{}
	for _, c := range res.Facets["country"] {
		counts[c.Value] = c.Count
	}
	d := worldData{}
	var ranked []string
	for c, t := range tiers {
		ranked = append(ranked, c)
		d.Year = max(d.Year, t.Year)
	}
	if d.Year == 0 {
		d.Year = 2025
	}
	d.ReportURL = countries.ReportURL(d.Year)
	tiles, cols, rows := countries.Layout(ranked)
	d.Width, d.Height = cols*worldTileSize, rows*worldTileSize
	for _, t := range tiles {
		k := tierKey(tiers[t.Code].Tier)
		d.Tiles = append(d.Tiles, worldTile{Code: t.Code, Name: countries.Name(t.Code, p.Lang), Tier: k,
			Short: p.L.T("tier.short." + k), X: t.Col * worldTileSize, Y: t.Row * worldTileSize, Count: counts[t.Code]})
	}
	for _, reg := range countries.Regions {
		d.Labels = append(d.Labels, regionLabel{Name: p.L.T("region." + reg.Key), X: reg.Col * worldTileSize, Y: reg.Row*worldTileSize - 10})
	}
	for _, t := range append(slices.Clone(haven.Tiers), "") {
		k := tierKey(t)
		n := 0
		for _, ct := range tiers {
			if ct.Tier == t {
				n++
			}
		}
		if t == "" {
			continue // "not ranked" is not on the map, only in the list
		}
		d.Legend = append(d.Legend, legendItem{Key: k, Short: p.L.T("tier.short." + k), Label: p.L.T("tier.name." + k), Count: n})
	}
	// The list: every ranked country by region, then every other country
	// or territory, each with a page.
	// Sorted as a reader expects: "Côte d'Ivoire" with the C's.
	coll := collate.New(language.Make(p.Lang), collate.Loose)
	byName := func(a, b worldRow) int { return coll.CompareString(a.Name, b.Name) }
	for _, reg := range countries.Regions {
		g := worldGroup{Name: p.L.T("region." + reg.Key)}
		for _, c := range strings.Fields(reg.Codes) {
			if t, ok := tiers[c]; ok {
				g.Rows = append(g.Rows, worldRow{c, countries.Name(c, p.Lang), p.L.T("tier.name." + tierKey(t.Tier)), counts[c]})
			}
		}
		slices.SortFunc(g.Rows, byName)
		d.Groups = append(d.Groups, g)
	}
	for _, c := range allCountryCodes() {
		if _, ok := tiers[c]; !ok {
			d.Others = append(d.Others, worldRow{c, countries.Name(c, p.Lang), "", counts[c]})
		}
	}
	slices.SortFunc(d.Others, byName)
	p.Data = d
	s.render(w, r, http.StatusOK, "world", p)
}

// allCountryCodes lists every code with a country page.
func allCountryCodes() []string {
	var out []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if c := string([]rune{a, b}); countries.Known(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

type hotlineView struct {
	Name, Phone, Note, Checked string
}

type countryPageData struct {
	Code, Name   string
	Tier         string // tierKey
	TierYear     int
	ReportURL    string
	Hotlines     []hotlineView
	Summary      string
	Sample       bool
	Cards        []serviceCard
	Total        int
	Served       *servedSection // services serving the country from elsewhere (served.go)
	DirectoryURL string
	Region       string
}

// countryCards is how many providers the country page lists; the
// directory's country page has them all, with search and filters.
const countryCards = 10

func (s *Server) handleWorldCountry(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if up := strings.ToUpper(code); up != code && countries.Known(up) {
		http.Redirect(w, r, "/countries/"+up, http.StatusMovedPermanently)
		return
	}
	if !countries.Known(code) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "no such country"))
		return
	}
	p := s.newPage(r, "", "directory", nil)
	d := countryPageData{Code: code, Name: countries.Name(code, p.Lang), Tier: "none", TierYear: 2025,
		DirectoryURL: "/directory/countries/" + code}
	if k := countries.RegionOf(code); k != "" {
		d.Region = p.L.T("region." + k)
	}
	p.Title = d.Name
	if ts := s.tierService(); ts != nil {
		t, err := ts.FindCountryTier(r.Context(), code)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if t != nil {
			d.Tier, d.TierYear = tierKey(t.Tier), t.Year
		}
	}
	d.ReportURL = countries.ReportURL(d.TierYear)
	sum, err := s.Countries.FindCountrySummary(r.Context(), code)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if sum != nil {
		d.Summary, d.Sample = sum.Summary.In(p.Lang), sum.Sample
		for _, h := range localHotlines(sum.Hotlines, p.Lang) {
			d.Hotlines = append(d.Hotlines, hotlineView{h.Name, h.Phone, h.Note, h.Checked})
		}
	}
	if code != "XK" { // the directory knows ISO codes only
		f := haven.DirectoryFilter{Country: code, Limit: countryCards, Served: haven.ServedNone}
		if d.Served, err = s.findServed(r, p.L, f, d.Name); err != nil {
			s.renderError(w, r, err)
			return
		}
		res, err := s.searchDirectory(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		svcs, err := s.Directory.FindServicesByID(r.Context(), hitIDs(res.Hits))
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		d.Cards, d.Total = hitCards(p.L, res.Hits, svcs, s.cardClock()), res.Total
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "world_country", p)
}

// localHotlines returns hotlines with each note in lang, where one is
// written in it.
func localHotlines(hs []haven.CountryHotline, lang string) []haven.CountryHotline {
	out := slices.Clone(hs)
	for i := range out {
		if lang == "es" && out[i].NoteES != "" {
			out[i].Note = out[i].NoteES
		}
	}
	return out
}
