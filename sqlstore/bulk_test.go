package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"haven/hsds"
	"haven/sqlstore"
)

// directoryTables are the tables an import writes, compared row by row.
var directoryTables = []string{"organizations", "programs", "organization_identifiers", "funding", "locations",
	"addresses", "accessibility", "services", "service_at_locations", "contacts", "phones", "languages", "schedules",
	"service_areas", "cost_options", "required_documents", "taxonomies", "taxonomy_terms", "attributes", "metadata",
	"search_places", "search_categories", "search_languages", "search_docs", "units", "service_capacities", "urls"}

// awkwardImport is sample data bent the ways real data is: an organization
// and a location that come back later with changes, a phone id used by two
// services, and services that refer to an organization and a location by id
// instead of nesting them.
func awkwardImport(tb testing.TB) []*hsds.Service {
	svcs := with31(MustSample(tb, 90)) // and the objects of HSDS 3.1
	clone := func(v, into any) {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			tb.Fatal(err)
		}
	}
	// Service 40 carries service 3's organization, renamed, with one phone
	// fewer: the organization is rewritten half-way through the import.
	org := &hsds.Organization{}
	clone(svcs[3].Organization, org)
	org.Name += " (renamed)"
	org.Phones = nil
	svcs[40].Organization, svcs[40].OrganizationID = org, org.ID
	// Service 41 is at service 2's first location, whose city has changed.
	loc := &hsds.Location{}
	clone(svcs[2].ServiceAtLocations[0].Location, loc)
	loc.Addresses[0].City = "Elsewhere"
	svcs[41].ServiceAtLocations[0].Location, svcs[41].ServiceAtLocations[0].LocationID = loc, loc.ID
	svcs[41].ServiceAtLocations[0].Location.ID = loc.ID
	// Service 50 reuses service 49's phone id: the phone moves to it.
	if len(svcs[49].Phones) > 0 && len(svcs[50].Phones) > 0 {
		svcs[50].Phones[0].ID = svcs[49].Phones[0].ID
	} else {
		tb.Fatal("sample services 49 and 50 have no phones; pick others")
	}
	// Service 60 names service 1's organization and location without them.
	svcs[60].Organization, svcs[60].OrganizationID = nil, svcs[1].OrganizationID
	svcs[60].ServiceAtLocations = svcs[60].ServiceAtLocations[:1]
	svcs[60].ServiceAtLocations[0].Location = nil
	svcs[60].ServiceAtLocations[0].LocationID = svcs[1].ServiceAtLocations[0].LocationID
	return svcs
}

// dump returns every row of the directory's tables.
func dump(tb testing.TB, db *sqlstore.DB) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	tables := directoryTables
	if db.Engine() == sqlstore.SQLite {
		tables = append(slices.Clone(tables), "services_fts")
	}
	for _, t := range tables {
		rows, err := db.DumpForTest(context.Background(), t)
		if err != nil {
			tb.Fatal(err)
		}
		out[t] = rows
	}
	return out
}

// TestBulkImportMatchesRowByRow imports the same awkward data twice: once
// with SkipInvalid, which writes row by row, and once in bulk mode (multi-row
// INSERTs, COPY on PostgreSQL, dropped and rebuilt indexes on SQLite). Both
// databases must hold the same rows, into an empty directory and into one
// that already holds part of the data.
func TestBulkImportMatchesRowByRow(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	eachEngine(t, func(t *testing.T, e engine) {
		for _, pre := range []int{0, 30} {
			svcs := awkwardImport(t)
			var dbs [2]*sqlstore.DB
			for i, rowByRow := range []bool{true, false} {
				db := MustOpenDB(t, e)
				db.Now = clock
				dir := sqlstore.NewDirectoryService(db)
				indexes, err := db.IndexesForTest(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if pre > 0 {
					MustImport(t, db, MustSample(t, pre))
				}
				rep, err := dir.Import(context.Background(), sliceSource(svcs), sqlstore.ImportOptions{Name: "awkward", SkipInvalid: rowByRow})
				if err != nil {
					t.Fatalf("pre %d, row by row %v: %v", pre, rowByRow, err)
				}
				if rep.Imported != len(svcs) || len(rep.Skipped) != 0 {
					t.Fatalf("pre %d, row by row %v: imported %d, skipped %v", pre, rowByRow, rep.Imported, rep.Skipped)
				}
				after, err := db.IndexesForTest(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(indexes, after) {
					t.Errorf("pre %d, row by row %v: indexes before %v, after %v", pre, rowByRow, indexes, after)
				}
				dbs[i] = db
			}
			want, got := dump(t, dbs[0]), dump(t, dbs[1])
			if len(want["services"]) != len(svcs) {
				t.Fatalf("row by row: %d services, want %d", len(want["services"]), len(svcs))
			}
			for table, rows := range want {
				if !slices.Equal(rows, got[table]) {
					t.Errorf("pre %d: table %s differs: %d rows row by row, %d in bulk", pre, table, len(rows), len(got[table]))
					for i := range max(len(rows), len(got[table])) {
						var a, b string
						if i < len(rows) {
							a = rows[i]
						}
						if i < len(got[table]) {
							b = got[table][i]
						}
						if a != b {
							t.Errorf("first difference:\nrow by row %.400s\n   in bulk %.400s", a, b)
							break
						}
					}
				}
			}
		}
	})
}
