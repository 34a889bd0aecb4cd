package sqlstore_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"haven"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// TestJobRunsOnce has two "servers" — two pools on one database, as two
// processes would have — race to claim the same due job: exactly one wins,
// and once the job is due again, exactly one wins again.
func TestJobRunsOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		dsn := e.fresh(t)
		a, b := mustOpenPath(t, dsn), mustOpenPath(t, dsn)
		clock := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
		for _, db := range []*sqlstore.DB{a, b} {
			db.Now = func() time.Time { return clock }
		}
		for round := range 3 {
			var wins atomic.Int32
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db := []*sqlstore.DB{a, b}[i%2]
					ok, err := sqlstore.NewJobService(db).ClaimJob(context.Background(), "link-check", "server", time.Hour)
					if err != nil {
						t.Error(err)
					}
					if ok {
						wins.Add(1)
					}
				}()
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Fatalf("round %d: the job was claimed %d times, want once", round, wins.Load())
			}
			clock = clock.Add(time.Hour) // due again
		}
	})
}

// TestMigrationsConcurrently starts four servers at once on one empty
// database: each migration is applied once and every server opens.
func TestMigrationsConcurrently(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		dsn := e.fresh(t)
		var wg sync.WaitGroup
		dbs := make([]*sqlstore.DB, 4)
		for i := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := sqlstore.Open(context.Background(), dsn)
				if err != nil {
					t.Error(err)
					return
				}
				dbs[i] = db
			}()
		}
		wg.Wait()
		for _, db := range dbs {
			if db == nil {
				t.FailNow()
			}
			defer db.Close()
		}
		applied, known, err := dbs[0].MigrationVersion(context.Background())
		n, _ := dbs[0].CountRows(context.Background(), "schema_migrations")
		// Numbers may have gaps (one branch's migration not merged yet), so
		// count the files rather than trust the highest number.
		files, _ := filepath.Glob(filepath.Join("migrations", e.name, "*.sql"))
		if err != nil || applied != known || n != len(files) {
			t.Errorf("applied %d of %d, %d rows for %d migrations (%v)", applied, known, n, len(files), err)
		}
	})
}

// TestSharedDatabase has two servers on one database: what one writes, the
// other reads at once, since neither keeps a cache of its own.
func TestSharedDatabase(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		dsn := e.fresh(t)
		a, b := mustOpenPath(t, dsn), mustOpenPath(t, dsn)
		svcs := MustSample(t, 5)
		MustImport(t, a, svcs)
		got, err := sqlstore.NewDirectoryService(b).FindServiceByID(context.Background(), svcs[3].ID)
		if err != nil || got.Name != svcs[3].Name {
			t.Errorf("the second server does not see the first one's write: %v", err)
		}
	})
}

func pgOnly(t *testing.T) {
	testpg.SkipUnlessAvailable(t)
}

// TestReadReplica sends reads to --db-read. A second schema stands in for
// the replica: what is only there is what searches see.
func TestReadReplica(t *testing.T) {
	pgOnly(t)
	primary, replica := freshPostgres(t), freshPostgres(t)
	rep := mustOpenPath(t, replica)
	MustImport(t, rep, MustSample(t, 10))
	db, err := sqlstore.OpenWith(context.Background(), primary, sqlstore.Options{ReadDSN: replica})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := sqlstore.NewDirectoryService(db).SearchDirectory(context.Background(), haven.DirectoryFilter{AllStatuses: true})
	if err != nil || res.Total != 10 {
		t.Fatalf("search through the replica: %d services, %v; want 10", res.Total, err)
	}
	if n, _ := db.CountRows(context.Background(), "services"); n != 10 {
		t.Errorf("reads counted %d services", n)
	}
	// Writes go to the primary, which the stand-in replica does not follow.
	MustImport(t, db, MustSample(t, 12)[10:])
	p := mustOpenPath(t, primary)
	if n, _ := p.CountRows(context.Background(), "services"); n != 2 {
		t.Errorf("the primary holds %d services, want the 2 written", n)
	}
}

// proxy forwards TCP to PostgreSQL, so a test can cut connections or take
// the "server" away and bring it back.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
}

func startProxy(t *testing.T, target, addr string) *proxy {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

// cut drops every connection, as a database restart would.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) stop() { p.ln.Close(); p.cut() }

// TestLostConnection cuts every connection under a running store: the next
// search still works. With the server gone, Ping (and so /healthz) fails
// without a crash, and recovers when the server is back.
func TestLostConnection(t *testing.T) {
	pgOnly(t)
	dsn := freshPostgres(t)
	u, _ := url.Parse(dsn)
	target := u.Host
	p := startProxy(t, target, "127.0.0.1:0")
	addr := p.ln.Addr().String()
	u.Host = addr
	db := mustOpenPath(t, u.String())
	dir := sqlstore.NewDirectoryService(db)
	MustImport(t, db, MustSample(t, 3))
	ctx := context.Background()
	for round := range 3 {
		p.cut()
		if res, err := dir.SearchDirectory(ctx, haven.DirectoryFilter{AllStatuses: true}); err != nil || res.Total != 3 {
			t.Fatalf("round %d: search after the connections were cut: %v", round, err)
		}
	}
	p.stop()
	pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	if err := db.Ping(pingCtx); err == nil {
		t.Error("Ping succeeded with the database gone")
	}
	cancel()
	p = startProxy(t, target, addr)
	defer p.stop()
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping after the database came back: %v", err)
	}
}
