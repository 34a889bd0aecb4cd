package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"haven/catalog"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/learning"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

// serveSample serves sample services from a real SQLite database over
// loopback HTTP, as haven serve does, searching with the index or SQL.
func serveSample(t *testing.T, db *sqlstore.DB, mode searchindex.Mode) string {
	t.Helper()
	ctx := context.Background()
	dir := sqlstore.NewDirectoryService(db)
	sw := &searchindex.Switch{Mode: mode, SQL: dir}
	if mode != searchindex.SQLOnly {
		sw.Index = searchindex.New(dir, nil)
		if err := sw.Index.Build(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sections, _, err := learning.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := havenhttp.NewServer()
	s.Resources, s.DB, s.Learning, s.Sections = sqlstore.NewResourceService(db), db, sqlstore.NewLearningService(db), sections
	s.Directory, s.Search, s.Countries, s.SearchReady = dir, sw, sqlstore.NewCountryService(db), sw.Ready
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Limits.APIRate = 0 // as the script runs it: all the load comes from one client
	if err := s.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return "http://" + s.Addr()
}

// TestMixAgainstHaven runs the load generator and both sweeps against
// Haven's real HTTP stack on a real SQLite database of sample services:
// every request of the mix must answer 200, every class must find
// services, and the index and SQL must find the same number for every
// query.
func TestMixAgainstHaven(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,000 sample services")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "haven.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := catalog.Resources()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlstore.NewResourceService(db).SeedResources(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if tax, terms := sample.Taxonomy(); sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms) != nil {
		t.Fatal("taxonomy")
	}
	var svcs []*hsds.Service
	if err := sample.Services(1000, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil }); err != nil {
		t.Fatal(err)
	}
	i := 0
	if _, err := sqlstore.NewDirectoryService(db).Import(ctx, func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		t.Fatal(err)
	}

	index := serveSample(t, db, searchindex.IndexOnly)
	load, err := runLoad(ctx, loadConfig{base: index, conns: 2, duration: 400 * time.Millisecond, timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range load.Rows {
		if r.Errors > 0 || r.Non200 > 0 {
			t.Errorf("%s through %s: %d errors (%s), non-200 %v", r.Class, r.Endpoint, r.Errors, r.Sample, r.Statuses)
		}
	}
	if all := row(load.Rows, "all", "all"); all == nil || all.N == 0 || all.P99 == 0 || all.PerSec == 0 {
		t.Errorf("the load run measured nothing: %+v", all)
	}
	if load.ServiceIDs == 0 || row(load.Rows, classService, endpointService) == nil {
		t.Errorf("no service pages: %d ids", load.ServiceIDs)
	}

	ixSweep, err := runSweep(ctx, sweepConfig{base: index, count: 1, budget: time.Minute, timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sql := serveSample(t, db, searchindex.SQLOnly)
	sqlSweep, err := runSweep(ctx, sweepConfig{base: sql, count: 1, budget: time.Minute, timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, q := range ixSweep.Queries {
		if q.N != 1 || q.Bad != 0 {
			t.Errorf("%s: %d sent, %d bad", q.Path, q.N, q.Bad)
		}
		found[q.Class] += q.Total
	}
	for _, c := range classes {
		if found[c.ID] == 0 {
			t.Errorf("class %s found no service in 1,000", c.ID)
		}
	}
	if len(sqlSweep.Queries) != len(ixSweep.Queries) {
		t.Fatalf("%d queries from SQL, %d from the index", len(sqlSweep.Queries), len(ixSweep.Queries))
	}
	if diff := compareTotals(Run{Engine: "sqlite", Services: 1000, IndexSweep: ixSweep, SQLSweep: sqlSweep}); len(diff) > 0 {
		t.Errorf("the index and SQL disagree:\n%v", diff)
	}
}
