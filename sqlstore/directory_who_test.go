package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/searchindex"
	"haven/sqlstore"
)

// TestWhoAndOpenFilters checks what the age, population, trafficking and
// open filters mean, on both engines and in the index built from them:
// bounds admit an age, a missing bound is open, hours are read on the
// clocks of the service's state (daylight saving included), hours past
// midnight run into the next day, 24/7 services are always open, and
// unknown hours are never "open".
func TestWhoAndOpenFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		svcs := MustSample(t, 300)
		pickIn := func(state string, skip ...*hsds.Service) *hsds.Service {
			for _, s := range svcs {
				doc := sqlstore.DirectoryDocOf(s)
				if len(doc.Places) == 1 && doc.Places[0].State == state && !slices.Contains(skip, s) {
					return s
				}
			}
			t.Fatalf("no sample service in %s alone", state)
			return nil
		}
		a := pickIn("TX")
		b := pickIn("CA")
		c := pickIn("TX", a)
		d := pickIn("TX", a, c)
		x := pickIn("CA", b)
		names := map[*hsds.Service]string{a: "A tx office", b: "B ca office", c: "C always", d: "D night", x: "E unknown"}
		tax, terms := haven.WhoTaxonomy()
		who := func(s *hsds.Service, codes ...string) {
			for _, code := range codes {
				for _, tt := range terms {
					if tt.Code == code {
						tt.TaxonomyDetail = &tax
						s.Attributes = append(s.Attributes, hsds.Attribute{ID: tt.ID[:24] + s.ID[24:], LinkID: s.ID, LinkEntity: "service",
							TaxonomyTermID: tt.ID, TaxonomyTerm: &tt})
					}
				}
			}
		}
		week := func(s *hsds.Service, byday, opens, closes string) {
			s.Schedules = []hsds.Schedule{{ID: s.ID[:30] + "aaaaaa", ServiceID: s.ID, Freq: "WEEKLY", ByDay: byday, OpensAt: opens, ClosesAt: closes}}
		}
		num := func(v float64) *float64 { return &v }
		for _, s := range svcs {
			if names[s] == "" {
				s.Status = "inactive" // out of every search below
				continue
			}
			s.Status, s.Name, s.MinimumAge, s.MaximumAge = "active", names[s], nil, nil
		}
		a.MinimumAge = num(18)
		who(a, "population:women", "trafficking:labor")
		week(a, "MO,TU,WE,TH,FR", "09:00", "17:00")
		who(b, "population:minors", "trafficking:sex")
		week(b, "MO,TU,WE,TH,FR", "09:00:00", "17:00:00")
		c.MaximumAge = num(17)
		who(c, "population:minors")
		week(c, "MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")
		week(d, "FR", "22:00", "04:00")
		x.MinimumAge, x.MaximumAge = num(12), num(24)
		x.Schedules = nil

		db := MustOpenDB(t, e)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		ix := searchindex.New(dir, nil)
		if err := ix.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		age := func(n int) *int { return &n }
		instant := func(s string) *haven.OpenAt {
			at, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			return &haven.OpenAt{Instant: at}
		}
		wall := func(day time.Weekday, minute int) *haven.OpenAt {
			return &haven.OpenAt{Wall: true, Day: day, Minute: minute}
		}
		tests := []struct {
			name   string
			filter haven.DirectoryFilter
			want   []string
			facets map[string][]haven.FacetCount
		}{
			{"everyone", haven.DirectoryFilter{}, []string{"A tx office", "B ca office", "C always", "D night", "E unknown"}, nil},
			{"age 16", haven.DirectoryFilter{Age: age(16)}, []string{"B ca office", "C always", "D night", "E unknown"},
				map[string][]haven.FacetCount{"population": {{Value: "minors", Count: 2}}, "trafficking": {{Value: "sex", Count: 1}}}},
			{"age 30", haven.DirectoryFilter{Age: age(30)}, []string{"A tx office", "B ca office", "D night"}, nil},
			{"age 0", haven.DirectoryFilter{Age: age(0)}, []string{"B ca office", "C always", "D night"}, nil},
			{"minors", haven.DirectoryFilter{Population: "minors"}, []string{"B ca office", "C always"},
				map[string][]haven.FacetCount{"population": {{Value: "minors", Count: 2}, {Value: "women", Count: 1}}, "trafficking": {{Value: "sex", Count: 1}}}},
			{"labor", haven.DirectoryFilter{Trafficking: "labor"}, []string{"A tx office"}, nil},
			{"nobody", haven.DirectoryFilter{Population: "us-citizens"}, nil, nil},
			// Monday 7 December 2026, 16:00 UTC: 10:00 in Houston, 08:00 in Los Angeles.
			{"open monday 16:00Z", haven.DirectoryFilter{Open: instant("2026-12-07T16:00:00Z")}, []string{"A tx office", "C always"}, nil},
			{"open monday 18:00Z", haven.DirectoryFilter{Open: instant("2026-12-07T18:00:00Z")}, []string{"A tx office", "B ca office", "C always"}, nil},
			// Monday 9 March 2026, 14:30 UTC: daylight saving began the day
			// before, so 09:30 in Houston (08:30 on standard time).
			{"open after the clocks change", haven.DirectoryFilter{Open: instant("2026-03-09T14:30:00Z")}, []string{"A tx office", "C always"}, nil},
			{"open saturday 02:00 local", haven.DirectoryFilter{Open: wall(time.Saturday, 120)}, []string{"C always", "D night"}, nil},
			{"open friday 23:00 local", haven.DirectoryFilter{Open: wall(time.Friday, 23*60)}, []string{"C always", "D night"}, nil},
			{"open some time on saturday", haven.DirectoryFilter{Open: wall(time.Saturday, -1)}, []string{"C always", "D night"}, nil},
			{"open monday 08:30 local", haven.DirectoryFilter{Open: wall(time.Monday, 8*60+30)}, []string{"C always"}, nil},
			{"open monday 17:00 local", haven.DirectoryFilter{Open: wall(time.Monday, 17*60)}, []string{"C always"}, nil},
			{"open and minors", haven.DirectoryFilter{Open: wall(time.Monday, 12*60), Population: "minors", Age: age(16)}, []string{"B ca office", "C always"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.filter
				f.Facets = []string{"population", "trafficking"}
				for _, s := range []haven.DirectorySearcher{dir, ix} {
					res, err := s.SearchDirectory(context.Background(), f)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, h := range res.Hits {
						got = append(got, h.Name)
					}
					if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
						t.Errorf("%s: got %v (total %d), want %v", res.Engine, got, res.Total, tt.want)
					}
					for name, want := range tt.facets {
						if !slices.Equal(res.Facets[name], want) {
							t.Errorf("%s: facet %s = %v, want %v", res.Engine, name, res.Facets[name], want)
						}
					}
				}
			})
		}
	})
}

// TestSpanishTexts checks that a curator's Spanish texts are kept in the
// x_translations extension, audited field by field, found by a search in
// Spanish on both engines and in the index, and undone by clearing them.
func TestSpanishTexts(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 40)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		sv := svcs[7]
		if err := dir.UpdateService(ctx, "curator@example.org", sv.ID, map[string]string{
			"name_es": "Refugio Zafiro", "description_es": "Acompañamiento jurídico para sobrevivientes de trata.",
			"fees_description_es": "Gratuito"}); err != nil {
			t.Fatal(err)
		}
		got, err := dir.FindServiceByID(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		tr, ok := got.XTranslations.Get("es")
		if !ok || tr.Name != "Refugio Zafiro" || tr.FeesDescription != "Gratuito" || got.Name != sv.Name {
			t.Fatalf("kept %q (%+v), name %q", got.XTranslations, tr, got.Name)
		}
		trail, err := sqlstore.NewAuditService(db).AuditTrail(ctx, "service", sv.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, a := range trail {
			fields[a.Field] = a.After
		}
		if fields["name_es"] != "Refugio Zafiro" || fields["fees_description_es"] != "Gratuito" {
			t.Errorf("audit trail: %v", fields)
		}
		ix := searchindex.New(dir, nil)
		if err := ix.Build(ctx); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"zafiro", "Refugio Zafiro", "jurídico sobrevivientes", "juridico"} {
			for _, s := range []haven.DirectorySearcher{dir, ix} {
				res, err := s.SearchDirectory(ctx, haven.DirectoryFilter{Query: q, Limit: 5})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total == 0 || res.Hits[0].ServiceID != sv.ID {
					t.Errorf("%s: %q finds %d, first %v", res.Engine, q, res.Total, res.Hits)
				}
			}
		}
		if err := dir.UpdateService(ctx, "curator@example.org", sv.ID, map[string]string{
			"name_es": "", "description_es": "", "fees_description_es": ""}); err != nil {
			t.Fatal(err)
		}
		if got, _ := dir.FindServiceByID(ctx, sv.ID); got.XTranslations != "" {
			t.Errorf("cleared texts leave %q", got.XTranslations)
		}
		if res, _ := dir.SearchDirectory(ctx, haven.DirectoryFilter{Query: "zafiro"}); res.Total != 0 {
			t.Errorf("the old Spanish name is still found")
		}
	})
}
