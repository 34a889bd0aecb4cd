package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

// sliceSource feeds services to Import.
func sliceSource(svcs []*hsds.Service) func() (*hsds.Service, error) {
	i := 0
	return func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}
}

// MustSample returns n generated services.
func MustSample(tb testing.TB, n int) []*hsds.Service {
	tb.Helper()
	var out []*hsds.Service
	if err := sample.Services(n, 1, func(s *hsds.Service) error { out = append(out, s); return nil }); err != nil {
		tb.Fatal(err)
	}
	return out
}

// MustImport imports services into db.
func MustImport(tb testing.TB, db *sqlstore.DB, svcs []*hsds.Service) {
	tb.Helper()
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), sliceSource(svcs), sqlstore.ImportOptions{Name: "test"}); err != nil {
		tb.Fatal(err)
	}
}

// tableCounts counts the rows of every directory table.
func tableCounts(tb testing.TB, db *sqlstore.DB) map[string]int {
	tb.Helper()
	counts := map[string]int{}
	for _, t := range []string{"organizations", "services", "locations", "service_at_locations", "addresses", "phones",
		"schedules", "languages", "contacts", "taxonomies", "taxonomy_terms", "attributes", "cost_options",
		"required_documents", "accessibility", "service_areas", "search_places", "search_categories", "search_languages"} {
		n, err := db.CountRows(context.Background(), t)
		if err != nil {
			tb.Fatal(err)
		}
		counts[t] = n
	}
	return counts
}

func TestImportIdempotent(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 60)
		MustImport(t, db, svcs)
		first := tableCounts(t, db)
		if first["services"] != 60 || first["organizations"] == 0 || first["addresses"] == 0 || first["taxonomy_terms"] == 0 {
			t.Fatalf("counts after import: %v", first)
		}
		MustImport(t, db, MustSample(t, 60))
		if second := tableCounts(t, db); !mapsEqual(first, second) {
			t.Errorf("a second import changed the counts:\n first %v\nsecond %v", first, second)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRoundTrip exports what was imported and compares it, service by
// service, with what came in.
func TestRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 80)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		got := map[string]string{}
		if err := dir.EachService(context.Background(), func(s *hsds.Service) error {
			b, _ := json.Marshal(s)
			got[s.ID] = string(b)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(svcs) {
			t.Fatalf("exported %d services, imported %d", len(got), len(svcs))
		}
		for _, s := range svcs {
			want, _ := json.Marshal(s)
			if got[s.ID] != string(want) {
				t.Errorf("service %s changed on the way:\n in %s\nout %s", s.ID, want, got[s.ID])
				break
			}
		}
	})
}

func mustParse(tb testing.TB, js string) *hsds.Service {
	tb.Helper()
	s := &hsds.Service{}
	if err := json.Unmarshal([]byte(js), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestImportRejects(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		good := MustSample(t, 3)
		goodJSON, _ := json.Marshal(good[0])
		edit := func(f func(m map[string]any)) *hsds.Service {
			var m map[string]any
			json.Unmarshal(goodJSON, &m)
			f(m)
			b, _ := json.Marshal(m)
			return mustParse(t, string(b))
		}
		tests := []struct {
			name   string
			bad    *hsds.Service
			inDB   bool // import good[0] first, so it exists
			reason []string
		}{
			{name: "missing name", bad: edit(func(m map[string]any) { delete(m, "name") }), reason: []string{"name"}},
			{name: "bad status", bad: edit(func(m map[string]any) { m["status"] = "open" }), reason: []string{"status", "open"}},
			{name: "bad uuid", bad: edit(func(m map[string]any) { m["id"] = "not-a-uuid" }), reason: []string{"id"}},
			{name: "latitude", bad: edit(func(m map[string]any) {
				m["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)["latitude"] = 95.0
			}), reason: []string{"latitude"}},
			{name: "unknown organization", bad: edit(func(m map[string]any) {
				delete(m, "organization")
				m["organization_id"] = "3a5e9a2c-1111-4222-8333-444455556666"
			}), reason: []string{"organization_id", "3a5e9a2c-1111-4222-8333-444455556666"}},
			{name: "unknown location", bad: edit(func(m map[string]any) {
				sal := m["service_at_locations"].([]any)[0].(map[string]any)
				delete(sal, "location")
				sal["location_id"] = "3a5e9a2c-1111-4222-8333-444455556667"
			}), reason: []string{"location_id"}},
			{name: "duplicate", bad: good[1], reason: []string{"duplicate"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := MustOpenDB(t, e)
				dir := sqlstore.NewDirectoryService(db)
				input := []*hsds.Service{good[1], tt.bad, good[2]}
				if tt.name == "duplicate" {
					input = []*hsds.Service{good[1], good[2], good[1]}
				}
				_, err := dir.Import(context.Background(), sliceSource(input), sqlstore.ImportOptions{Name: "input.ndjson"})
				if err == nil {
					t.Fatal("the import was accepted")
				}
				msg := err.Error()
				for _, want := range append([]string{"input.ndjson"}, tt.reason...) {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not name %q", msg, want)
					}
				}
				if n, _, _ := dir.CountServices(context.Background()); n != 0 {
					t.Errorf("a rejected import wrote %d services", n)
				}
				// With --skip-invalid the good records go in.
				rep, err := dir.Import(context.Background(), sliceSource(input), sqlstore.ImportOptions{Name: "input.ndjson", SkipInvalid: true})
				if err != nil {
					t.Fatal(err)
				}
				if rep.Imported != 2 || len(rep.Skipped) != 1 {
					t.Errorf("skip-invalid: imported %d, skipped %d; want 2 and 1", rep.Imported, len(rep.Skipped))
				}
				if n, _, _ := dir.CountServices(context.Background()); n != 2 {
					t.Errorf("skip-invalid wrote %d services, want 2", n)
				}
			})
		}
	})
}

// place returns the places of a generated service.
type place struct {
	state, country string
	pt             *geo.Point
}

func placesOf(s *hsds.Service) []place {
	var out []place
	for _, sal := range s.ServiceAtLocations {
		l := sal.Location
		var p place
		for _, a := range l.Addresses {
			p.state, p.country = strings.ToUpper(a.StateProvince), strings.ToUpper(a.Country)
			if p.country != "US" && !strings.Contains(p.state, "-") {
				p.state = p.country + "-" + p.state
			}
			break
		}
		if l.Latitude != nil && l.Longitude != nil {
			p.pt = &geo.Point{Lat: *l.Latitude, Lon: *l.Longitude}
		}
		out = append(out, p)
	}
	return out
}

// oracle computes in Go, from the data itself, which services a filter
// without keywords selects.
func oracle(svcs []*hsds.Service, f haven.DirectoryFilter) []string {
	var ids []string
	for _, s := range svcs {
		if !f.AllStatuses && s.Status != "active" && s.Status != "temporarily closed" {
			continue
		}
		ps := placesOf(s)
		if f.State != "" && !slices.ContainsFunc(ps, func(p place) bool { return p.state == f.State }) {
			continue
		}
		if f.Country != "" && !slices.ContainsFunc(ps, func(p place) bool { return p.country == f.Country }) {
			continue
		}
		if f.Category != "" && !slices.ContainsFunc(s.Attributes, func(a hsds.Attribute) bool {
			return a.TaxonomyTerm != nil && a.TaxonomyTerm.Code == f.Category
		}) {
			continue
		}
		if f.Language != "" && !slices.ContainsFunc(s.Languages, func(l hsds.Language) bool { return l.Code == f.Language }) {
			continue
		}
		if f.Near != nil && f.RadiusKm > 0 && !slices.ContainsFunc(ps, func(p place) bool {
			return p.pt != nil && geo.DistanceKm(*p.pt, *f.Near) <= f.RadiusKm
		}) {
			continue
		}
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	return ids
}

func TestDirectorySearchMatchesOracle(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 300)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		houston := &haven.LatLon{Lat: 29.7604, Lon: -95.3698}
		tests := []haven.DirectoryFilter{
			{},
			{AllStatuses: true},
			{State: "TX"},
			{State: "PR"},
			{Country: "MX"},
			{Country: "US", Language: "es"},
			{Category: "legal-services"},
			{Category: "shelter", State: "CA"},
			{Near: houston, RadiusKm: 50},
			{Near: houston, RadiusKm: 1000, Language: "es"},
			{Language: "zh"},
		}
		for _, f := range tests {
			name, _ := json.Marshal(f)
			f.Facets = haven.DirectoryFacets
			t.Run(string(name), func(t *testing.T) {
				want := withServed(svcs, f, oracle(svcs, f))
				res, err := dir.SearchDirectory(context.Background(), f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ServiceID)
				}
				sort.Strings(got)
				if res.Total != len(want) || !slices.Equal(got, want) {
					t.Fatalf("total %d, %d hits; oracle says %d", res.Total, len(got), len(want))
				}
				if len(want) == 0 && f.Language != "zh" {
					t.Errorf("the oracle found nothing: the test data does not exercise this filter")
				}
				if f.Near != nil {
					local := localHits(res.Hits) // served ones have no distance (service_areas_test.go)
					for i := 1; i < len(local); i++ {
						if *local[i].DistanceKm < *local[i-1].DistanceKm {
							t.Errorf("hit %d is nearer than hit %d", i, i-1)
						}
					}
					for _, h := range local {
						if h.DistanceKm == nil || *h.DistanceKm > f.RadiusKm+0.01 {
							t.Errorf("hit %s at %v km, outside %v km", h.ServiceID, h.DistanceKm, f.RadiusKm)
						}
					}
				}
				// Facet counts: each value's count is the oracle with that value.
				for _, facet := range []string{"state", "category", "language"} {
					for _, c := range res.Facets[facet] {
						g := f
						switch facet {
						case "state":
							g.State = c.Value
						case "category":
							g.Category = c.Value
						case "language":
							g.Language = c.Value
						}
						if n := len(oracle(svcs, g)); n != c.Count {
							t.Errorf("facet %s=%s counts %d, oracle %d", facet, c.Value, c.Count, n)
						}
					}
				}
			})
		}
	})
}

func TestDirectoryKeywords(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 300)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		contains := func(s *hsds.Service, word string) bool {
			text := strings.ToLower(s.Name + " " + s.AlternateName + " " + s.Description + " " + s.EligibilityDescription)
			if s.Organization != nil {
				text += " " + strings.ToLower(s.Organization.Name)
			}
			return strings.Contains(text, strings.ToLower(word))
		}
		tests := []struct {
			query string
			must  string // a word whose services must all be found
		}{
			{"counseling", "counselling"},
			{"counselling", "counseling"},
			{"nina", "niñas"},
			{"T visa", "t visa"},
			{"refugio", "refugio"},
			{"legal", "legal"},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				res, err := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: tt.query, AllStatuses: true})
				if err != nil {
					t.Fatal(err)
				}
				found := map[string]bool{}
				for _, h := range res.Hits {
					found[h.ServiceID] = true
				}
				n := 0
				for _, s := range svcs {
					if contains(s, tt.must) {
						n++
						if !found[s.ID] {
							t.Errorf("%q does not find %q (%s)", tt.query, s.Name, s.ID)
						}
					}
				}
				if n == 0 {
					t.Errorf("no generated service contains %q: the test proves nothing", tt.must)
				}
			})
		}
		// "T visa" must not match every visa service: the T counts.
		tv, _ := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "T visa", AllStatuses: true})
		v, _ := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "visa", AllStatuses: true})
		if tv.Total > v.Total {
			t.Errorf("\"T visa\" finds %d, more than \"visa\" (%d)", tv.Total, v.Total)
		}
	})
}

func TestDirectoryPaging(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		MustImport(t, db, MustSample(t, 120))
		dir := sqlstore.NewDirectoryService(db)
		all, err := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var paged []string
		for off := 0; off < all.Total; off += 7 {
			res, err := dir.SearchDirectory(context.Background(), haven.DirectoryFilter{Offset: off, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != all.Total {
				t.Fatalf("total changed across pages: %d vs %d", res.Total, all.Total)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ServiceID)
			}
		}
		var whole []string
		for _, h := range all.Hits {
			whole = append(whole, h.ServiceID)
		}
		if !slices.Equal(paged, whole) {
			t.Errorf("pages do not add up to the whole list")
		}
	})
}

func TestDirectoryFilterErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		dir := sqlstore.NewDirectoryService(MustOpenDB(t, e))
		for _, f := range []haven.DirectoryFilter{
			{State: "Texas"}, {Country: "USA"}, {Language: "english"}, {RadiusKm: 10},
			{Near: &haven.LatLon{Lat: 95}}, {Near: &haven.LatLon{}, RadiusKm: 5000}, {Offset: -1},
		} {
			if _, err := dir.SearchDirectory(context.Background(), f); haven.ErrorCode(err) != haven.EINVALID {
				t.Errorf("%+v: err = %v, want EINVALID", f, err)
			}
		}
		if _, err := dir.FindServiceByID(context.Background(), "00000000-0000-4000-8000-000000000000"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown service: %v", err)
		}
		var appErr *haven.Error
		_, err := dir.FindServiceByID(context.Background(), "x")
		if !errors.As(err, &appErr) {
			t.Errorf("not an application error: %v", err)
		}
	})
}

// TestTermsMatchedByCode imports a service whose category term arrives
// under a new id with a code Haven already holds: it must join the existing
// term, not add a second one.
func TestTermsMatchedByCode(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 2)
		MustImport(t, db, svcs[:1])
		before := tableCounts(t, db)["taxonomy_terms"]
		s := svcs[1]
		term := *svcs[0].Attributes[0].TaxonomyTerm // a term Haven now holds…
		code := term.Code
		newID := "0a0b0c0d-1111-4222-8333-444455556666"
		term.ID = newID // …arriving under another id
		s.Attributes = s.Attributes[:1]
		s.Attributes[0].TaxonomyTermID, s.Attributes[0].TaxonomyTerm = newID, &term
		MustImport(t, db, []*hsds.Service{s})
		terms := tableCounts(t, db)["taxonomy_terms"]
		got, err := sqlstore.NewDirectoryService(db).FindServiceByID(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id := got.Attributes[0].TaxonomyTermID; id == newID || got.Attributes[0].TaxonomyTerm.Code != code {
			t.Errorf("the attribute points at %s (code %s), not the existing term for %s", id, got.Attributes[0].TaxonomyTerm.Code, code)
		}
		if terms != before {
			t.Errorf("terms went from %d to %d: a term with a known code was added again", before, terms)
		}
		res, _ := sqlstore.NewDirectoryService(db).SearchDirectory(context.Background(), haven.DirectoryFilter{Category: code, AllStatuses: true})
		found := false
		for _, h := range res.Hits {
			found = found || h.ServiceID == s.ID
		}
		if !found {
			t.Errorf("category %s does not find the service", code)
		}
	})
}
