package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"haven"
	"haven/catalog"
	"haven/sqlstore"
)

// MustOpenDB opens a fresh database of engine e, with the seed library
// loaded, and closes it when the test ends.
func MustOpenDB(tb testing.TB, e engine) *sqlstore.DB {
	tb.Helper()
	return mustOpenPath(tb, e.fresh(tb))
}

func mustOpenPath(tb testing.TB, path string) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	entries, err := catalog.Resources()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sqlstore.NewResourceService(db).SeedResources(ctx, entries); err != nil {
		tb.Fatal(err)
	}
	return db
}

// TestMigrationsTwice opens the same file twice: the second start applies
// nothing, seeds nothing again, and loses nothing.
func TestMigrationsTwice(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		path := e.fresh(t)
		db := mustOpenPath(t, path)
		before, _ := sqlstore.NewResourceService(db).CountResources(ctx)
		applied1, known, err := db.MigrationVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if applied1 != known || known == 0 {
			t.Fatalf("applied %d of %d migrations", applied1, known)
		}
		db.Close()

		db2 := mustOpenPath(t, path)
		after, _ := sqlstore.NewResourceService(db2).CountResources(ctx)
		applied2, _, _ := db2.MigrationVersion(ctx)
		if before != 36 || after != before {
			t.Errorf("entries before %d, after reopening %d; want 36 both times", before, after)
		}
		if applied2 != applied1 {
			t.Errorf("schema version changed from %d to %d on a second start", applied1, applied2)
		}
	})
}

// TestSeedOnce checks an emptied library is not refilled on the next start.
func TestSeedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		n, err := sqlstore.NewResourceService(db).SeedResources(ctx, []*haven.Resource{{ID: "x"}})
		if err != nil || n != 0 {
			t.Errorf("second seed added %d entries (err %v), want 0", n, err)
		}
	})
}

func TestSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		svc := sqlstore.NewResourceService(MustOpenDB(t, e))
		tests := []struct {
			name   string
			filter haven.ResourceFilter
			total  int      // -1: do not check
			first  string   // expected first hit, "" to skip
			hits   []string // ids that must be among the results
			misses []string // ids that must not be
		}{
			{name: "everything", total: 36, first: "anti-trafficking-directory-legal-social-service-providers"},
			{name: "stemmed", filter: haven.ResourceFilter{Query: "screen"}, total: -1,
				first: "screening-tool-for-victims-of-human-trafficking"},
			{name: "case and accents", filter: haven.ResourceFilter{Query: "SCRÉENING"}, total: -1,
				hits: []string{"screening-tool-for-victims-of-human-trafficking"}},
			{name: "T visa", filter: haven.ResourceFilter{Query: "T visa"}, total: -1,
				first: "identification-legal-advocacy-trafficking-victims-2d-edition"},
			{name: "pocket card", filter: haven.ResourceFilter{Query: "pocket card"}, total: -1,
				hits: []string{"law-enforcement-pocket-card", "crime-of-human-trafficking-law-enforcement-guide"}},
			{name: "spanish", filter: haven.ResourceFilter{Query: "línea de ayuda"}, total: -1,
				hits: []string{"national-human-trafficking-hotline"}},
			{name: "spanish without accents", filter: haven.ResourceFilter{Query: "linea ayuda"}, total: -1,
				hits: []string{"national-human-trafficking-hotline"}},
			{name: "spanish stem", filter: haven.ResourceFilter{Query: "víctima"}, total: -1,
				hits: []string{"screening-tool-for-victims-of-human-trafficking"}},
			{name: "hotline by number", filter: haven.ResourceFilter{Query: "888"}, total: 1,
				first: "national-human-trafficking-hotline"},
			{name: "no match", filter: haven.ResourceFilter{Query: "zebra"}, total: 0},
			{name: "stop words only", filter: haven.ResourceFilter{Query: "the of"}, total: 0},
			{name: "section", filter: haven.ResourceFilter{Section: "websites"}, total: 11},
			{name: "hotlines", filter: haven.ResourceFilter{Section: "hotlines"}, total: 1, first: "national-human-trafficking-hotline"},
			{name: "region", filter: haven.ResourceFilter{Region: "au"}, total: 1, first: "coalition-against-trafficking-in-women-australia"},
			{name: "combined", filter: haven.ResourceFilter{Query: "law enforcement", Section: "documents", Audience: "law-enforcement"}, total: -1,
				hits: []string{"law-enforcement-pocket-card"}, misses: []string{"the-mindset-of-a-human-trafficking-victim"}},
			{name: "paging", filter: haven.ResourceFilter{Section: "documents", Limit: 5, Offset: 15}, total: 17},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := svc.FindResources(context.Background(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, r := range res.Items {
					ids = append(ids, r.ID)
				}
				if tt.total >= 0 && res.Total != tt.total {
					t.Errorf("total = %d, want %d (%v)", res.Total, tt.total, ids)
				}
				if tt.total < 0 && res.Total == 0 {
					t.Errorf("no results")
				}
				if tt.filter.Limit > 0 && len(ids) > tt.filter.Limit {
					t.Errorf("%d items on a page of %d", len(ids), tt.filter.Limit)
				}
				if tt.name == "paging" && len(ids) != 2 {
					t.Errorf("last page has %d items, want 2", len(ids))
				}
				if tt.first != "" && (len(ids) == 0 || ids[0] != tt.first) {
					t.Errorf("first hit = %v, want %s", ids, tt.first)
				}
				for _, id := range tt.hits {
					if !slices.Contains(ids, id) {
						t.Errorf("%s missing from %v", id, ids)
					}
				}
				for _, id := range tt.misses {
					if slices.Contains(ids, id) {
						t.Errorf("%s should not be in %v", id, ids)
					}
				}
			})
		}
	})
}

// TestFacets checks that each facet is counted under the other filters but
// not its own, so a chosen section still shows the counts of the others.
func TestFacets(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		svc := sqlstore.NewResourceService(MustOpenDB(t, e))
		ctx := context.Background()
		res, err := svc.FindResources(ctx, haven.ResourceFilter{Section: "websites"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, c := range res.Facets["section"] {
			got[c.Value] = c.Count
		}
		want := map[string]int{"documents": 17, "organizations": 7, "websites": 11, "hotlines": 1}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("section facet %s = %d, want %d", k, got[k], v)
			}
		}
		kinds := 0
		for _, c := range res.Facets["kind"] {
			kinds += c.Count
		}
		if kinds != 11 {
			t.Errorf("kind counts within websites add up to %d, want 11", kinds)
		}
		for _, facet := range haven.Facets {
			if _, ok := res.Facets[facet]; !ok {
				t.Errorf("facet %s missing", facet)
			}
		}
	})
}

func TestFindErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		svc := sqlstore.NewResourceService(MustOpenDB(t, e))
		ctx := context.Background()
		if _, err := svc.FindResources(ctx, haven.ResourceFilter{Audience: "cops"}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("unknown audience: err = %v, want EINVALID", err)
		}
		if _, err := svc.FindResourceByID(ctx, "no-such-entry"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown id: err = %v, want ENOTFOUND", err)
		}
		r, err := svc.FindResourceByID(ctx, "national-human-trafficking-hotline")
		if err != nil {
			t.Fatal(err)
		}
		if r.Hotline == nil || r.Hotline.Phone != "1-888-373-7888" || r.Desc["es"] == "" {
			t.Errorf("hotline entry lost its facts: %+v", r)
		}
		if err := svc.CreateResource(ctx, r); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("duplicate create: err = %v, want ECONFLICT", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := sqlstore.Open(ctx, ""); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("empty dsn: %v", err)
	}
	if _, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "h.db")); err == nil {
		t.Error("a database in a missing folder should fail to open")
	}
}
