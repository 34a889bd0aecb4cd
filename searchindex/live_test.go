package searchindex_test

import (
	"context"
	"testing"
	"time"

	"haven"
	"haven/internal/dbtest"
	"haven/searchindex"
	"haven/sqlstore"
)

// waitFor polls cond until it holds. The deadline only stops a broken
// test from hanging; how fast the index follows is for benchmarks.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

// TestRunFollowsOtherProcesses runs the index as haven serve does, and
// writes through another connection to the database, as another server
// would: the index must see the write by itself.
func TestRunFollowsOtherProcesses(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		dsn := e.Fresh(t)
		db := mustOpen(t, dsn)
		svcs := randomDataset(t, 60, 5)
		mustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)

		ix := searchindex.New(dir, nil)
		ix.PollEvery = 20 * time.Millisecond
		sw := &searchindex.Switch{Mode: searchindex.IndexOnly, SQL: dir, Index: ix}
		auto := &searchindex.Switch{Mode: searchindex.Auto, SQL: dir, Index: ix}
		if sw.Ready() || ix.Ready() {
			t.Fatal("ready before it is built")
		}
		if !auto.Ready() {
			t.Error("auto is not ready at once, though SQL answers")
		}
		if _, err := ix.SearchDirectory(ctx, haven.DirectoryFilter{}); haven.ErrorCode(err) != haven.EUNAVAILABLE {
			t.Errorf("search before the build: %v, want EUNAVAILABLE", err)
		}
		if res, err := auto.SearchDirectory(ctx, haven.DirectoryFilter{AllStatuses: true}); err != nil || res.Total != len(svcs) {
			t.Errorf("auto before the build: %v", err)
		}
		done := make(chan struct{})
		go func() { ix.Run(ctx); close(done) }()
		waitFor(t, "the index to be built", ix.Ready)
		if !sw.Ready() || ix.Len() != len(svcs) {
			t.Fatalf("built: ready %v, %d services of %d", sw.Ready(), ix.Len(), len(svcs))
		}

		other := sqlstore.NewDirectoryService(mustOpen(t, dsn))
		s := svcs[7]
		if err := other.UpdateService(ctx, "test", s.ID, map[string]string{"name": "Quixotic Zephyr Clinic", "status": "active"}); err != nil {
			t.Fatal(err)
		}
		f := haven.DirectoryFilter{Query: "zephyr quixotic"}
		waitFor(t, "the index to see another process's edit", func() bool {
			res, err := ix.SearchDirectory(ctx, f)
			return err == nil && res.Total == 1 && res.Hits[0].ServiceID == s.ID
		})
		var tl tally
		mustAgree(t, &tl, f, dir, map[string]haven.DirectorySearcher{"index": ix})
		cancel()
		<-done
	})
}

// TestRebuildWhenEverythingChanged logs a change to "any service", as a
// large import does, in place of an edit's own line: the index must
// rebuild and see the edit.
func TestRebuildWhenEverythingChanged(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := mustOpen(t, e.Fresh(t))
		svcs := randomDataset(t, 50, 6)
		mustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		ix := mustBuild(t, dir, -1)
		// An edit whose own line in the log is replaced by "any service".
		if err := dir.UpdateService(ctx, "test", svcs[9].ID, map[string]string{"name": "Aardvark Aid"}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DELETE FROM directory_changes WHERE service_id = '` + svcs[9].ID + `'`,
			`INSERT INTO directory_changes (service_id, changed_at) VALUES ('', '2026-01-01T00:00:00Z')`} {
			if err := dbtest.Exec(ctx, db, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		f := haven.DirectoryFilter{AllStatuses: true, Limit: 3}
		res, err := ix.SearchDirectory(ctx, f)
		if err != nil || res.Hits[0].Name != "Aardvark Aid" {
			t.Fatalf("after the rebuild: %v %+v", err, res)
		}
		var tl tally
		mustAgree(t, &tl, f, dir, map[string]haven.DirectorySearcher{"index": ix})
	})
}

// TestRebuildWhenDrifted lets edits move services out of name order until
// the index rebuilds itself in order.
func TestRebuildWhenDrifted(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, engines[0].Fresh(t))
	svcs := randomDataset(t, 50, 8)
	mustImport(t, db, svcs)
	dir := sqlstore.NewDirectoryService(db)
	ix := mustBuild(t, dir, -1)
	// Seven may be out of order; eight are, and an eighth of the index too.
	searchindex.SetDrift(ix, 7)
	for i, name := range []string{"Zeta", "Alpha", "Mu", "Beta", "Kappa", "Aardvark", "Yak"} {
		if err := dir.UpdateService(ctx, "test", svcs[i].ID, map[string]string{"name": name}); err != nil {
			t.Fatal(err)
		}
		if err := ix.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if tail := searchindex.Tail(ix); tail != i+1 {
			t.Fatalf("after %d edits, %d services out of order", i+1, tail)
		}
	}
	if err := dir.UpdateService(ctx, "test", svcs[7].ID, map[string]string{"name": "Omega"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if tail := searchindex.Tail(ix); tail != 0 {
		t.Errorf("past the limit, %d services are still out of order", tail)
	}
	var tl tally
	mustAgree(t, &tl, haven.DirectoryFilter{AllStatuses: true}, dir, map[string]haven.DirectorySearcher{"index": ix})
}

// TestSwitch checks what each mode sends where.
func TestSwitch(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, engines[0].Fresh(t))
	svcs := randomDataset(t, 30, 9)
	mustImport(t, db, svcs)
	dir := sqlstore.NewDirectoryService(db)
	unbuilt := searchindex.New(dir, nil)

	// The index leaves the HSDS API's own filters to SQL, even when it
	// alone is chosen and not built yet.
	byOrg := haven.DirectoryFilter{OrganizationID: svcs[0].OrganizationID, AllStatuses: true}
	sw := &searchindex.Switch{Mode: searchindex.IndexOnly, SQL: dir, Index: unbuilt}
	if res, err := sw.SearchDirectory(ctx, byOrg); err != nil || res.Total == 0 {
		t.Errorf("by organization: %v", err)
	}
	if _, err := sw.SearchDirectory(ctx, haven.DirectoryFilter{}); haven.ErrorCode(err) != haven.EUNAVAILABLE {
		t.Errorf("index mode before the build: %v, want EUNAVAILABLE", err)
	}
	if _, err := mustBuild(t, dir, -1).SearchDirectory(ctx, byOrg); err == nil {
		t.Error("the index answered a filter by organization it cannot apply")
	}
	// Each result names what answered it, for the metrics: the index
	// once built, SQL for the filters the index leaves to it.
	built := &searchindex.Switch{Mode: searchindex.Auto, SQL: dir, Index: mustBuild(t, dir, -1)}
	for _, c := range []struct {
		sw   *searchindex.Switch
		f    haven.DirectoryFilter
		want string
	}{
		{built, haven.DirectoryFilter{AllStatuses: true}, "index"},
		{built, byOrg, db.Engine()},
		{sw, byOrg, db.Engine()},
		{&searchindex.Switch{Mode: searchindex.Auto, SQL: dir, Index: unbuilt}, haven.DirectoryFilter{}, db.Engine()},
		{&searchindex.Switch{Mode: searchindex.SQLOnly, SQL: dir}, haven.DirectoryFilter{}, db.Engine()},
	} {
		res, err := c.sw.SearchDirectory(ctx, c.f)
		if err != nil {
			t.Errorf("%s mode, %+v: %v", c.sw.Mode, c.f, err)
		} else if res.Engine != c.want {
			t.Errorf("%s mode, %+v: answered by %q, want %q", c.sw.Mode, c.f, res.Engine, c.want)
		}
	}
	sql := &searchindex.Switch{Mode: searchindex.SQLOnly, SQL: dir}
	if !sql.Ready() {
		t.Error("SQL mode not ready")
	}
	if res, err := sql.SearchDirectory(ctx, haven.DirectoryFilter{AllStatuses: true}); err != nil || res.Total != len(svcs) {
		t.Errorf("sql mode: %v", err)
	}
	for _, s := range []string{"auto", "index", "sql"} {
		if m, err := searchindex.ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := searchindex.ParseMode("fast"); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("ParseMode(fast): %v", err)
	}

	// Bad filters are refused as SQL refuses them.
	ix := mustBuild(t, dir, -1)
	for _, f := range []haven.DirectoryFilter{
		{State: "Texas"}, {Country: "USA"}, {Language: "english"}, {RadiusKm: 10},
		{Near: &haven.LatLon{Lat: 95}}, {Near: &haven.LatLon{}, RadiusKm: 5000}, {Offset: -1}, {Category: "a b"},
	} {
		_, errSQL := dir.SearchDirectory(ctx, f)
		_, errIx := ix.SearchDirectory(ctx, f)
		if haven.ErrorCode(errIx) != haven.EINVALID || haven.ErrorMessage(errIx) != haven.ErrorMessage(errSQL) {
			t.Errorf("%+v: index %v, SQL %v", f, errIx, errSQL)
		}
	}
}
