package sqlstore_test

import (
	"context"
	"database/sql"
	"io"
	"slices"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// changedSince returns the service ids logged after change number after,
// sorted, and the last change number.
func changedSince(tb testing.TB, dir *sqlstore.DirectoryService, after int64) ([]string, int64) {
	tb.Helper()
	cs, err := dir.DirectoryChanges(context.Background(), after, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	last := after
	for _, c := range cs {
		if c.Seq <= last {
			tb.Fatalf("change %d after %d: not in order", c.Seq, last)
		}
		last = c.Seq
		if !slices.Contains(ids, c.ServiceID) {
			ids = append(ids, c.ServiceID)
		}
	}
	slices.Sort(ids)
	return ids, last
}

func idsOf(svcs ...*hsds.Service) []string {
	var ids []string
	for _, s := range svcs {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// TestChangeLog checks that every write to the directory logs the services
// whose search documents it changed, and only those.
func TestChangeLog(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		dir := sqlstore.NewDirectoryService(db)
		if last, err := dir.LastDirectoryChange(ctx); err != nil || last != 0 {
			t.Fatalf("a new database has changes up to %d (%v)", last, err)
		}
		svcs := MustSample(t, 40)
		MustImport(t, db, svcs)
		got, last := changedSince(t, dir, 0)
		if want := idsOf(svcs...); !slices.Equal(got, want) {
			t.Fatalf("the import logged %d services, want %d", len(got), len(want))
		}
		if l, _ := dir.LastDirectoryChange(ctx); l != last {
			t.Errorf("LastDirectoryChange = %d, the log ends at %d", l, last)
		}

		// An edit logs its service, and nothing else: its organization is
		// written again, but unchanged.
		s := svcs[3]
		if err := dir.UpdateService(ctx, "test", s.ID, map[string]string{"name": "Zephyr Legal Aid"}); err != nil {
			t.Fatal(err)
		}
		got, last = changedSince(t, dir, last)
		if !slices.Equal(got, idsOf(s)) {
			t.Errorf("an edit of %s logged %v", s.ID, got)
		}

		// A refused edit logs nothing.
		if err := dir.UpdateService(ctx, "test", s.ID, map[string]string{"status": "open"}); haven.ErrorCode(err) != haven.EINVALID {
			t.Fatalf("a bad status: %v", err)
		}
		if got, _ = changedSince(t, dir, last); len(got) != 0 {
			t.Errorf("a refused edit logged %v", got)
		}

		// Renaming an organization changes what all its services show.
		var sameOrg []*hsds.Service
		for _, o := range svcs {
			if o.OrganizationID == s.OrganizationID {
				sameOrg = append(sameOrg, o)
			}
		}
		if err := dir.UpdateOrganization(ctx, "test", s.OrganizationID, map[string]string{"name": "Renamed (sample)"}); err != nil {
			t.Fatal(err)
		}
		got, last = changedSince(t, dir, last)
		if !slices.Equal(got, idsOf(sameOrg...)) {
			t.Errorf("renaming an organization logged %v, want its %d services", got, len(sameOrg))
		}

		// So does an import of one service that renames its organization.
		var shared *hsds.Service
		for _, a := range svcs {
			for _, b := range svcs {
				if a != b && a.OrganizationID == b.OrganizationID && a.OrganizationID != s.OrganizationID {
					shared = a
				}
			}
		}
		if shared == nil {
			t.Fatal("no two sample services share an organization")
		}
		o := *shared.Organization
		o.Name = "Imported New Name (sample)"
		c := *shared
		c.Organization = &o
		MustImport(t, db, []*hsds.Service{&c})
		got, last = changedSince(t, dir, last)
		var want []*hsds.Service
		for _, x := range svcs {
			if x.OrganizationID == shared.OrganizationID {
				want = append(want, x)
			}
		}
		if !slices.Equal(got, idsOf(want...)) {
			t.Errorf("importing a renamed organization logged %v, want its %d services", got, len(want))
		}

		// Pruning keeps the last day.
		if err := db.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ = changedSince(t, dir, 0); len(got) == 0 {
			t.Errorf("pruning removed today's changes")
		}
		db.Now = func() time.Time { return time.Now().Add(sqlstore.ChangeRetention + time.Hour) }
		if err := db.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ = changedSince(t, dir, 0); len(got) != 0 {
			t.Errorf("pruning kept %d changes older than %v", len(got), sqlstore.ChangeRetention)
		}
		// Numbers are never reused once pruned.
		db.Now = time.Now
		if err := dir.VerifyService(ctx, "test", s.ID); err != nil {
			t.Fatal(err)
		}
		if _, l := changedSince(t, dir, 0); l <= last {
			t.Errorf("after pruning, a change is numbered %d, not after %d", l, last)
		}
	})
}

// TestChangesNumberedAtCommit has a long transaction and a short one
// overlap on PostgreSQL: the one that commits last gets the later number,
// so a follower that has read up to a number has missed nothing before it.
func TestChangesNumberedAtCommit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		if e.name == "sqlite" {
			t.Skip("SQLite runs one write transaction at a time: nothing overlaps")
		}
		ctx := context.Background()
		db := MustOpenDB(t, e)
		dir := sqlstore.NewDirectoryService(db)
		svcs := MustSample(t, 12)
		early, late := svcs[:10], svcs[10:]
		MustImport(t, db, early)
		_, last := changedSince(t, dir, 0)
		// The short one renames an organization the long one does not touch.
		var org string
		for _, s := range early {
			if s.OrganizationID != late[0].OrganizationID && s.OrganizationID != late[1].OrganizationID {
				org = s.OrganizationID
			}
		}
		var orgServices []*hsds.Service
		for _, s := range early {
			if s.OrganizationID == org {
				orgServices = append(orgServices, s)
			}
		}

		// The long one: an import that waits half-way.
		half, resume, done := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			i := 0
			_, err := dir.Import(ctx, func() (*hsds.Service, error) {
				if i == 1 {
					close(half)
					<-resume
				}
				if i == len(late) {
					return nil, io.EOF
				}
				i++
				return late[i-1], nil
			}, sqlstore.ImportOptions{Name: "slow"})
			done <- err
		}()
		<-half
		if err := dir.UpdateOrganization(ctx, "test", org, map[string]string{"name": "Quick Rename (sample)"}); err != nil {
			t.Fatal(err)
		}
		close(resume)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		cs, err := dir.DirectoryChanges(ctx, last, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.ServiceID)
		}
		want := append(idsOf(orgServices...), idsOf(late...)...)
		if !slices.Equal(got, want) {
			t.Errorf("changes %v, want %v: the rename committed first, so it must come first", got, want)
		}
	})
}

// TestOptimizeKeepsToItsSchema: the daily job analyzes Haven's own tables,
// not the whole database, so a table another application holds locked in
// another schema cannot stall it (on a shared server it did: a bare ANALYZE
// waited on every test's schema).
func TestOptimizeKeepsToItsSchema(t *testing.T) {
	pg := freshPostgres(t)
	db := mustOpenPath(t, pg)
	ctx := context.Background()
	other, err := sql.Open("pgx", testpg.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `CREATE TABLE someone_elses (x int)`); err != nil {
		t.Fatal(err)
	}
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE someone_elses IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.Optimize(ctx); err != nil {
		t.Fatalf("optimize waited on another schema's locked table: %v", err)
	}
}
