package searchindex_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"haven"
	"haven/analyze"
	"haven/hsds"
	"haven/internal/testpg"
	"haven/listing"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

// The index must answer every search exactly as the SQL search does: the
// same services, totals, facet counts, order, and the same place shown for
// each. These tests ask both random questions over random data, on SQLite
// always and on PostgreSQL when HAVEN_TEST_POSTGRES is set.

type engine = testpg.Engine

var engines = testpg.Engines

func eachEngine(t *testing.T, fn func(t *testing.T, e engine)) { testpg.EachEngine(t, fn) }

func mustOpen(tb testing.TB, dsn string) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustImport(tb testing.TB, db *sqlstore.DB, svcs []*hsds.Service) {
	tb.Helper()
	i := 0
	next := func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), next, sqlstore.ImportOptions{Name: "test"}); err != nil {
		tb.Fatal(err)
	}
}

// names is a small pool of service names, so that many services share one
// and the order falls to the tie-breakers.
var names = []string{"Legal Aid", "Safe House", "Refugio Seguro", "Ayuda Legal para Niñas", "Counseling Center", "T Visa Clinic", "Línea de Ayuda"}

// randomDataset generates n services and roughs them up: shared names,
// every status, locations without coordinates or with a latitude only,
// services without locations or languages.
func randomDataset(tb testing.TB, n int, seed int64) []*hsds.Service {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	var svcs []*hsds.Service
	if err := sample.Services(n, seed, func(s *hsds.Service) error { svcs = append(svcs, s); return nil }); err != nil {
		tb.Fatal(err)
	}
	// Locations are shared between services: change each one once, and
	// point every service at the changed copy.
	locs := map[string]*hsds.Location{}
	for _, s := range svcs {
		for i := range s.ServiceAtLocations {
			l := s.ServiceAtLocations[i].Location
			c, ok := locs[l.ID]
			if !ok {
				cp := *l
				c = &cp
				switch x := r.IntN(20); {
				case x < 2:
					c.Latitude, c.Longitude = nil, nil
				case x == 2:
					c.Longitude = nil
				}
				locs[l.ID] = c
			}
			s.ServiceAtLocations[i].Location = c
		}
	}
	statuses := []string{"active", "inactive", "defunct", "temporarily closed"}
	for _, s := range svcs {
		if r.IntN(5) == 0 {
			s.Name = names[r.IntN(len(names))]
		}
		if r.IntN(5) == 0 {
			s.Status = statuses[r.IntN(len(statuses))]
		}
		if r.IntN(30) == 0 {
			s.ServiceAtLocations = nil
		}
		if r.IntN(20) == 0 {
			s.Languages = nil
		}
		if r.IntN(8) == 0 {
			s.Description += " Atiende a niñas y víctimas de trata; T visa and U visa help."
		}
	}
	roughUpWho(r, svcs)
	roughAreas(r, svcs, seed) // areas.go's questions (areas_test.go)
	roughRoom(r, svcs)        // capacity=available (room_test.go)
	return svcs
}

// vocabulary is what the random queries draw on: words of the data, and
// a few words with accents, stop words and words found nowhere.
type vocabulary struct {
	texts                                           [][]string // each service's words
	words, states, countries, categories, languages []string
	points                                          []haven.LatLon
}

func vocabOf(svcs []*hsds.Service) *vocabulary {
	v := &vocabulary{words: []string{"T", "visa", "niñas", "NINAS", "víctimas", "refugio", "counselling", "the", "de", "zzqx", "línea"}}
	seen := map[string]bool{}
	add := func(list *[]string, s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	for _, s := range svcs {
		doc := sqlstore.DirectoryDocOf(s)
		text := analyze.Tokens(s.Name + " " + s.Description)
		v.texts = append(v.texts, text)
		for _, w := range text {
			add(&v.words, w)
		}
		for _, p := range doc.Places {
			add(&v.states, p.State)
			add(&v.countries, p.Country)
			if p.Lat != nil && p.Lon != nil {
				v.points = append(v.points, haven.LatLon{Lat: *p.Lat, Lon: *p.Lon})
			}
		}
		for _, c := range doc.Categories {
			add(&v.categories, c)
		}
		for _, l := range doc.Languages {
			add(&v.languages, l)
		}
	}
	return v
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (v *vocabulary) randomFilter(r *rand.Rand) haven.DirectoryFilter {
	var f haven.DirectoryFilter
	if r.IntN(10) < 6 {
		words := make([]string, 1+r.IntN(3))
		text := pick(r, v.texts) // words of one service, mostly, so they meet
		for i := range words {
			if r.IntN(4) == 0 {
				words[i] = pick(r, v.words)
			} else {
				words[i] = pick(r, text)
			}
		}
		f.Query = strings.Join(words, " ")
	}
	if r.IntN(4) == 0 {
		f.State = pick(r, append(v.states, "ZZ"))
	}
	if r.IntN(7) == 0 {
		f.Country = pick(r, v.countries)
	}
	if r.IntN(5) == 0 {
		f.Category = pick(r, append(v.categories, "no-such-category"))
	}
	if r.IntN(5) == 0 {
		f.Language = pick(r, append(v.languages, "zh"))
	}
	if r.IntN(3) == 0 && len(v.points) > 0 {
		p := pick(r, v.points)
		f.Near = &haven.LatLon{Lat: p.Lat + (r.Float64()-0.5)*0.6, Lon: p.Lon + (r.Float64()-0.5)*0.6}
		if r.IntN(4) > 0 {
			f.RadiusKm = pick(r, []float64{5, 25, 50, 300, haven.MaxRadiusKm})
		}
	}
	f.Sort = pick(r, []string{"", "", haven.SortBest, haven.SortDistance}) // issue 19
	randomWho(r, &f)
	randomRoom(r, &f)
	f.Served = pick(r, []string{"", "", "", haven.ServedNone, haven.ServedOnly})
	f.AllStatuses = r.IntN(3) == 0
	switch r.IntN(4) { // most questions count every facet, as the API does
	case 0:
	case 1:
		f.Facets = []string{pick(r, haven.DirectoryFacets)}
	default:
		f.Facets = haven.DirectoryFacets
	}
	f.Limit = pick(r, []int{0, 1, 5, 20, 50})
	f.Offset = pick(r, []int{0, 0, 3, 10, 40})
	return f
}

// fixedFilters are the questions the engine-parity test asks.
var fixedFilters = []haven.DirectoryFilter{
	{Limit: 20},
	{Query: "legal", Limit: 20},
	{Query: "counseling trauma", Limit: 50},
	{Query: "T visa", AllStatuses: true},
	{Query: "refugio niñas"},
	{Query: "shelter", State: "CA"},
	{Country: "MX", Language: "es"},
	{Category: "legal-services", Offset: 5, Limit: 5},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, RadiusKm: 300},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, Query: "legal", Limit: 10},
	// Issue 19: best match blends words and distance; nearest first.
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, Query: "T visa", Sort: haven.SortBest, Limit: 20},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, Query: "legal aid", Sort: haven.SortDistance, Limit: 20},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, RadiusKm: 300, Query: "safe house", Offset: 3, Limit: 5},
	{Query: "the of"},
	{Offset: 7},
	{Query: "legal", State: "TX", Facets: []string{"state"}},
	{Country: "US", Facets: []string{"language", "category"}},
	// Services serving the place (areas_test.go).
	{State: "TX", Limit: 20},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, RadiusKm: 25, Limit: 20},
	{Near: &haven.LatLon{Lat: 29.7604, Lon: -95.3698}, Limit: 20, Offset: 3},
	{Near: &haven.LatLon{Lat: 40.7128, Lon: -74.006}, RadiusKm: 5, Query: "legal"},
	{Country: "MX", Limit: 5, Offset: 2},
	{State: "TX", Served: haven.ServedOnly, Limit: 10},
	{State: "TX", Served: haven.ServedNone, Limit: 10},
	{Query: "legal", Served: haven.ServedOnly},
}

func init() {
	for _, f := range append(whoFilters, roomFilters...) {
		f.Facets = haven.DirectoryFacets
		fixedFilters = append(fixedFilters, f)
	}
}

func init() {
	for i := range fixedFilters {
		if fixedFilters[i].Facets == nil {
			fixedFilters[i].Facets = haven.DirectoryFacets
		}
	}
}

// tally counts how many questions found something, to show that the
// random questions test more than empty answers.
type tally struct{ asked, found, paged, served, remote int }

// mustAgree asks want and every other searcher the same question.
func mustAgree(t *testing.T, tl *tally, f haven.DirectoryFilter, want haven.DirectorySearcher, others map[string]haven.DirectorySearcher) {
	t.Helper()
	a, errA := want.SearchDirectory(context.Background(), f)
	tl.asked++
	if a != nil && a.Total > 0 {
		tl.found++
		if len(a.Hits) > 1 {
			tl.paged++
		}
		for _, h := range a.Hits {
			if h.Served != "" {
				tl.served++
				if h.Served == "remote" {
					tl.remote++
				}
				break
			}
		}
	}
	if errA != nil && haven.ErrorCode(errA) != haven.EINVALID {
		t.Fatal(errA)
	}
	if a != nil && len(a.Facets) != len(f.Facets) {
		t.Fatalf("SQL counted %d facets, asked for %d", len(a.Facets), len(f.Facets))
	}
	for name, s := range others {
		b, errB := s.SearchDirectory(context.Background(), f)
		if errA != nil || errB != nil {
			// A bad filter is refused alike.
			if haven.ErrorMessage(errA) != haven.ErrorMessage(errB) || haven.ErrorCode(errA) != haven.ErrorCode(errB) {
				t.Fatalf("%s: SQL says %v, the index %v", name, errA, errB)
			}
			continue
		}
		// Each says who answered; the rest must be the same.
		ac, bc := *a, *b
		ac.Engine, bc.Engine = "", ""
		if !reflect.DeepEqual(ac, bc) {
			fj, _ := json.Marshal(f)
			t.Fatalf("%s disagrees with SQL on %s:\n%s", name, fj, diff(a, b))
		}
	}
}

// diff says how two results differ, briefly.
func diff(a, b *haven.DirectoryResult) string {
	var out strings.Builder
	if a.Total != b.Total {
		fmt.Fprintf(&out, "total: SQL %d, index %d\n", a.Total, b.Total)
	}
	for _, f := range haven.DirectoryFacets {
		if !reflect.DeepEqual(a.Facets[f], b.Facets[f]) {
			fmt.Fprintf(&out, "facet %s:\n  SQL   %v\n  index %v\n", f, a.Facets[f], b.Facets[f])
		}
	}
	for i := range max(len(a.Hits), len(b.Hits)) {
		var ha, hb string
		if i < len(a.Hits) {
			ha = hitString(a.Hits[i])
		}
		if i < len(b.Hits) {
			hb = hitString(b.Hits[i])
		}
		if ha != hb {
			fmt.Fprintf(&out, "hit %d:\n  SQL   %s\n  index %s\n", i, ha, hb)
		}
	}
	return out.String()
}

func hitString(h haven.DirectoryHit) string {
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%s %q org=%s %q loc=%s %s/%s/%s lat=%s lon=%s d=%s served=%s", h.ServiceID, h.Name, h.OrgID, h.OrgName,
		h.LocationID, h.City, h.State, h.Country, f(h.Lat), f(h.Lon), f(h.DistanceKm), h.Served)
}

// memIndex builds an index from the services themselves, with no database.
func memIndex(svcs []*hsds.Service) *searchindex.Index {
	b := searchindex.NewBuilder()
	for _, s := range svcs {
		doc := sqlstore.DirectoryDocOf(s)
		b.Add(&doc)
	}
	return b.Index()
}

func mustBuild(t *testing.T, dir *sqlstore.DirectoryService, small int) *searchindex.Index {
	t.Helper()
	ix := searchindex.New(dir, nil)
	searchindex.SetSmallSet(ix, small)
	if err := ix.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !ix.Ready() {
		t.Fatal("built, but not ready")
	}
	return ix
}

func TestIndexAgreesWithSQL(t *testing.T) {
	queries := 100
	if testing.Short() {
		queries = 40
	}
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		var tl tally
		for seed := int64(1); seed <= 3; seed++ {
			dsn := e.Fresh(t)
			svcs := randomDataset(t, 80+int(seed)*40, seed)
			db := mustOpen(t, dsn)
			mustImport(t, db, svcs)
			dir := sqlstore.NewDirectoryService(db)
			searchers := map[string]haven.DirectorySearcher{
				"index":                   mustBuild(t, dir, -1),
				"index without shortcuts": mustBuild(t, dir, 0),
				"index built from memory": memIndex(svcs),
				"auto switch":             &searchindex.Switch{Mode: searchindex.Auto, SQL: dir, Index: mustBuild(t, dir, -1)},
			}
			v := vocabOf(svcs)
			r := rand.New(rand.NewPCG(uint64(seed), 1))
			for _, f := range fixedFilters {
				mustAgree(t, &tl, f, dir, searchers)
			}
			for range queries {
				mustAgree(t, &tl, v.randomFilter(r), dir, searchers)
			}

			// Another process writes; the index follows.
			other := sqlstore.NewDirectoryService(mustOpen(t, dsn))
			mustChange(t, r, other, svcs, seed)
			delete(searchers, "index built from memory") // it follows nothing
			delete(searchers, "auto switch")
			for name, s := range searchers {
				if err := s.(*searchindex.Index).Sync(ctx); err != nil {
					t.Fatalf("%s: sync: %v", name, err)
				}
			}
			v = vocabOf(append(svcs, mustAll(t, dir)...))
			for _, f := range fixedFilters {
				mustAgree(t, &tl, f, dir, searchers)
			}
			for range queries {
				mustAgree(t, &tl, v.randomFilter(r), dir, searchers)
			}
		}
		if tl.served*10 < tl.asked || tl.remote == 0 {
			t.Errorf("of %d questions, %d found a service serving the place and %d one by phone or online: the test proves little of served areas", tl.asked, tl.served, tl.remote)
		}
		if tl.found*5 < tl.asked*2 || tl.paged*5 < tl.asked {
			t.Errorf("of %d questions, %d found anything and %d more than one service: the test proves little", tl.asked, tl.found, tl.paged)
		}
	})
}

// mustAll returns every service in the store.
func mustAll(t *testing.T, dir *sqlstore.DirectoryService) []*hsds.Service {
	var out []*hsds.Service
	if err := dir.EachService(context.Background(), func(s *hsds.Service) error { out = append(out, s); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// mustChange makes every kind of write a curator or an import makes.
func mustChange(t *testing.T, r *rand.Rand, dir *sqlstore.DirectoryService, svcs []*hsds.Service, seed int64) {
	t.Helper()
	ctx := context.Background()
	some := func() *hsds.Service { return pick(r, svcs) }
	for range 15 {
		s := some()
		changes := map[string]string{}
		switch r.IntN(5) {
		case 0:
			changes["name"] = pick(r, names)
		case 1:
			changes["status"] = pick(r, []string{"active", "inactive", "defunct", "temporarily closed"})
		case 2:
			changes["description"] = "Sample data, not a real provider. Refugio para niñas, zephyr counselling."
		case 3:
			changes["languages"] = pick(r, []string{"en", "es,fr", "zh"})
		case 4:
			changes["categories"] = pick(r, []string{"legal-services", "shelter,legal-services", ""})
		}
		if err := dir.UpdateService(ctx, "test", s.ID, changes); err != nil {
			t.Fatalf("update %s %v: %v", s.ID, changes, err)
		}
	}
	for range 3 {
		s := some()
		if err := dir.UpdateOrganization(ctx, "test", s.OrganizationID, map[string]string{"name": "Renamed Legal Aid (sample)"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		s := some()
		if len(s.ServiceAtLocations) == 0 {
			continue
		}
		l, err := dir.FindLocation(ctx, s.ServiceAtLocations[0].LocationID)
		if err != nil {
			t.Fatal(err)
		}
		values := listing.LocationText(l)
		values["city"] = "Zephyrville"
		values["latitude"], values["longitude"] = fmt.Sprint(29.7+r.Float64()), fmt.Sprint(-95.9+r.Float64())
		if err := dir.UpdateLocation(ctx, "test", l.ID, values); err != nil {
			t.Fatal(err)
		}
	}
	changeRoom(t, r, dir, svcs)
	if err := dir.RetireOrganization(ctx, "test", some().OrganizationID); err != nil {
		t.Fatal(err)
	}
	id, err := dir.CreateService(ctx, "test", haven.ProviderDraft{NewOrgName: "Quixotic Legal Aid (sample)", NewOrgDesc: "Sample.",
		Service:  map[string]string{"name": "Legal Aid", "description": "Quixotic help.", "languages": "es", "categories": "legal-services"},
		Location: map[string]string{"address_1": "1 Main St", "city": "Houston", "state_province": "TX", "postal_code": "77002", "country": "US"}})
	if err != nil || id == "" {
		t.Fatalf("create: %v", err)
	}
	// A later import: new services, and old ones again, some changed.
	more := randomDataset(t, 40, seed+100)
	again := svcs[:10]
	for _, s := range again {
		s.Name = pick(r, names)
	}
	i := 0
	all := append(more, again...)
	next := func() (*hsds.Service, error) {
		if i == len(all) {
			return nil, io.EOF
		}
		i++
		return all[i-1], nil
	}
	if _, err := dir.Import(ctx, next, sqlstore.ImportOptions{Name: "more"}); err != nil {
		t.Fatal(err)
	}
	terms, _, err := dir.ListTaxonomyTerms(ctx, haven.TermFilter{Limit: 5})
	if err != nil || len(terms) == 0 {
		t.Fatalf("terms: %v", err)
	}
	if err := dir.UpdateTerm(ctx, "test", terms[0].ID, "Zephyr services", "Renamed."); err != nil {
		t.Fatal(err)
	}
}
