package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"testing"

	"haven"
	"haven/hsds"
	"haven/intake"
	"haven/searchindex"
	"haven/sqlstore"
)

const coalitionCSV = "../intake/testdata/coalition.csv"

// sheetTables are the tables an import writes the directory into.
var sheetTables = []string{"organizations", "services", "locations", "addresses", "phones", "schedules",
	"languages", "attributes", "service_at_locations", "taxonomy_terms", "taxonomies"}

// dumpDirectory returns every service as the export writes it (staff
// view, confidential locations whole), and how many rows each directory
// table holds.
func dumpDirectory(t *testing.T, db *sqlstore.DB) map[string][]string {
	t.Helper()
	ctx := haven.WithStaffView(context.Background())
	out := map[string][]string{}
	err := sqlstore.NewDirectoryService(db).EachService(ctx, func(s *hsds.Service) error {
		b, err := json.Marshal(s)
		out["services"] = append(out["services"], string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range sheetTables {
		n, err := db.CountRows(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		out["count"] = append(out["count"], fmt.Sprintf("%s %d", table, n))
	}
	return out
}

// TestImportSheet imports the messy sample list: a dry run writes nothing,
// the strict import refuses the bad row and writes nothing, --skip-invalid
// takes the rest, importing again changes nothing, and search finds the
// services by place, language and category, in the store and in the index.
func TestImportSheet(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		dir := sqlstore.NewDirectoryService(db)
		req := haven.SheetImport{Path: coalitionCSV, Actor: "curator@example.org", Keep: 2, DryRun: true, SkipInvalid: true}
		res, err := dir.ImportSheet(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want := intake.SheetCounts{Organizations: 3, Services: 5, Locations: 4, Confidential: 1}
		if res.Written || res.Counts != want || len(res.First) != 2 || res.Report.Services != 5 {
			t.Fatalf("dry run: written %v, counts %+v, %d first", res.Written, res.Counts, len(res.First))
		}
		if n, _, _ := dir.CountServices(ctx); n != 0 {
			t.Fatalf("the dry run wrote %d services", n)
		}

		req.DryRun, req.SkipInvalid = false, false
		_, err = dir.ImportSheet(ctx, req)
		if haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(haven.ErrorMessage(err), "coalition.csv: row 10: E-mail") {
			t.Fatalf("strict import: %v", err)
		}
		if n, _, _ := dir.CountServices(ctx); n != 0 {
			t.Fatalf("a refused import wrote %d services", n)
		}

		req.SkipInvalid = true
		res, err = dir.ImportSheet(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Written || res.Counts != want || res.Report.Tables[0].Skipped != 1 {
			t.Fatalf("import: %+v, report %+v", res.Counts, res.Report.Tables[0])
		}
		if n, sample, _ := dir.CountServices(ctx); n != 5 || sample != 5 {
			t.Fatalf("%d services (%d sample), want 5 sample", n, sample)
		}
		before := dumpDirectory(t, db)
		if _, err := dir.ImportSheet(ctx, req); err != nil {
			t.Fatal(err)
		}
		after := dumpDirectory(t, db)
		for _, k := range []string{"services", "count"} {
			if !slices.Equal(before[k], after[k]) {
				t.Errorf("importing again changed the directory:\n%s\n%s", strings.Join(before[k], "\n"), strings.Join(after[k], "\n"))
			}
		}

		ix := searchindex.New(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := ix.Build(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			f    haven.DirectoryFilter
			want string
		}{
			{haven.DirectoryFilter{State: "TX"}, "Consejería, Emergency Shelter, Legal Clinic, Youth Drop-in"},
			{haven.DirectoryFilter{State: "MA", Country: "US"}, "Workers' Rights Clinic"},
			{haven.DirectoryFilter{Language: "vi"}, "Legal Clinic"},
			{haven.DirectoryFilter{Language: "ht"}, "Workers' Rights Clinic"},
			{haven.DirectoryFilter{Language: "es", State: "TX"}, "Consejería, Emergency Shelter, Legal Clinic, Youth Drop-in"},
			{haven.DirectoryFilter{Category: "shelter"}, "Emergency Shelter"},
			{haven.DirectoryFilter{Category: "labor-rights"}, "Workers' Rights Clinic"},
			{haven.DirectoryFilter{Category: "mental-health", State: "TX"}, "Consejería"},
			{haven.DirectoryFilter{Query: "survivors", State: "TX"}, "Emergency Shelter, Legal Clinic"},
			// By place: the coordinates the sheet gives, and for the
			// confidential shelter, which has none, its ZIP code's centre.
			{haven.DirectoryFilter{Near: &haven.LatLon{Lat: 42.35, Lon: -71.06}, RadiusKm: 25}, "Workers' Rights Clinic"},
			{haven.DirectoryFilter{Near: &haven.LatLon{Lat: 29.76, Lon: -95.37}, RadiusKm: 25}, "Emergency Shelter"},
		} {
			for _, s := range []haven.DirectorySearcher{dir, ix} {
				res, err := s.SearchDirectory(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, h := range res.Hits {
					names = append(names, h.Name)
				}
				sort.Strings(names)
				if got := strings.Join(names, ", "); got != tc.want {
					t.Errorf("%s %+v: %s; want %s", res.Engine, tc.f, got, tc.want)
				}
			}
		}
	})
}
