package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"haven"
	"haven/catalog"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/learning"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the web site and API",
		usage:   "[--addr ADDR] [--db DSN] [--search auto|index|sql]",
		help: `Serves Haven's web pages and JSON API. On first start it creates the
database, applies its migrations and loads the resource library from the
seed catalog built into the binary; later starts keep what is there.

Directory searches (/directory, /api/v1/search, the HSDS API's search) go
to an in-memory index, built in the background at start and kept up with
every write to the database, by this server or any other, within a second
or so. With --search auto (the default) SQL answers until the index is
built; --search index answers only from the index (503 until it is
built); --search sql builds no index.

Stop it with Ctrl-C or SIGTERM: requests under way are allowed to finish.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			addr := fs.String("addr", envOr("HAVEN_ADDR", "127.0.0.1:8080"), "address to listen on, host:port; env HAVEN_ADDR")
			db := dbFlag(fs)
			exitURL := fs.String("exit-url", envOr("HAVEN_EXIT_URL", havenhttp.DefaultExitURL), "where the quick exit goes: a neutral, everyday site; env HAVEN_EXIT_URL")
			withSample := fs.Bool("sample", false, "load about 200 fictional sample services into an empty directory, to explore")
			secure := fs.Bool("secure-cookies", false, "mark session cookies Secure even over plain HTTP, as behind a TLS proxy (they are whenever Haven itself serves TLS)")
			idle := fs.Duration("session-idle", 2*time.Hour, "a sign-in unused this long ends")
			maxAge := fs.Duration("session-max", 12*time.Hour, "a sign-in ends this long after it began, used or not")
			staleMonths := fs.Int("stale-months", 12, "listings not verified for this many months are flagged stale")
			checkEvery := fs.Duration("check-links-every", 0, "check every web address this often, e.g. 24h (off by default); one server runs it when several share a database")
			jobTick := fs.Duration("jobs-tick", time.Minute, "how often to look for due background jobs (0 turns jobs off); several servers on one database run each job once")
			search := fs.String("search", envOr("HAVEN_SEARCH", "auto"), "what answers directory searches: index (in memory, built at start), sql, or auto (SQL until the index is built); env HAVEN_SEARCH")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) > 0 {
					return fmt.Errorf("serve takes no arguments, got %q", args)
				}
				mode, err := searchindex.ParseMode(*search)
				if err != nil {
					return err
				}
				return m.serve(ctx, *addr, db, *exitURL, *withSample, *jobTick, *checkEvery, mode, func(s *havenhttp.Server) {
					s.Sessions = havenhttp.SessionConfig{Idle: *idle, Absolute: *maxAge, SecureCookies: *secure}
					s.StaleMonths = *staleMonths
				})
			}
		},
	}
}

func (m *Main) serve(ctx context.Context, addr string, cfg *dbConfig, exitURL string, withSample bool, jobTick, checkEvery time.Duration,
	search searchindex.Mode, configure func(*havenhttp.Server)) error {
	db, err := m.openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if withSample {
		if err := m.loadSample(ctx, db); err != nil {
			return err
		}
	}
	dir := sqlstore.NewDirectoryService(db)
	if n, _, err := dir.CountServices(ctx); err == nil && n == 0 {
		m.Logger.Info("the provider directory is empty: import data with \"haven import PATH\", or restart with --sample to explore")
	}

	srv := havenhttp.NewServer()
	resources := sqlstore.NewResourceService(db)
	srv.Resources, srv.Editor, srv.Suggestions = resources, resources, db
	// Directory searches go where --search says; everything else of the
	// directory, pages and HSDS lists included, reads the store.
	searcher := &searchindex.Switch{Mode: search, SQL: dir}
	if search != searchindex.SQLOnly {
		ix := searchindex.New(dir, m.Logger)
		ix.MaxLag = sqlstore.ChangeRetention / 2
		searcher.Index = ix
		go ix.Run(ctx) // builds in the background, then follows every write
	}
	srv.Directory, srv.DirEditor = searchingDirectory{dir, searcher}, dir
	srv.Countries, srv.Accounts, srv.Curation, srv.UserAdmin, srv.Learning = db, db, db, db, db
	if srv.Sections, _, err = learning.Load(); err != nil {
		return err
	}
	configure(srv)
	srv.DB = db
	srv.Logger = m.Logger
	srv.ExitURL = exitURL
	if err := srv.Open(addr); err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	m.Logger.Info("haven is serving", "url", "http://"+srv.Addr()+"/", "db", cfg.display(), "engine", db.Engine(), "search", string(search))
	if jobTick > 0 {
		host, _ := os.Hostname()
		runner := fmt.Sprintf("%s:%d", host, os.Getpid())
		jobs := []sqlstore.Job{{Name: "optimize", Every: 24 * time.Hour, Run: db.Optimize}}
		if checkEvery > 0 {
			jobs = append(jobs, linkJob(db, checkEvery, m))
		}
		go db.RunJobs(ctx, runner, jobTick, jobs, m.Logger)
	}

	<-ctx.Done()
	m.Logger.Info("shutting down: finishing requests under way")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Close(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	m.Logger.Info("stopped")
	return nil
}

// searchingDirectory is the directory store with its searches answered by
// a searchindex.Switch.
type searchingDirectory struct {
	*sqlstore.DirectoryService
	search *searchindex.Switch
}

func (d searchingDirectory) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	return d.search.SearchDirectory(ctx, f)
}

// Ready reports whether directory searches can be answered (see
// searchindex.Switch.Ready), for a readiness check.
func (d searchingDirectory) Ready() bool { return d.search.Ready() }

// openDB opens the database, applies pending migrations and seeds the
// library on first use. Every command that touches data goes through it.
func (m *Main) openDB(ctx context.Context, cfg *dbConfig) (*sqlstore.DB, error) {
	timeout := cfg.statementTimeout
	if timeout == 0 {
		timeout = -1 // the flag's 0 means no limit; Options' 0 means the default
	}
	db, err := sqlstore.OpenWith(ctx, cfg.dsn, sqlstore.Options{ReadDSN: cfg.read, MaxOpenConns: cfg.maxConns, StatementTimeout: timeout})
	if err != nil {
		return nil, err
	}
	entries, err := catalog.Resources()
	if err != nil {
		db.Close()
		return nil, err
	}
	n, err := db.SeedResources(ctx, entries)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load the seed catalog: %w", err)
	}
	if n > 0 {
		m.Logger.Info("loaded the resource library from the seed catalog", "entries", n)
	}
	// Haven's own service categories, so curators can assign any of them.
	_, pages, err := learning.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	if n, err := db.SeedPages(ctx, pages); err != nil {
		db.Close()
		return nil, fmt.Errorf("load the learning pages: %w", err)
	} else if n > 0 {
		m.Logger.Info("loaded the learning pages", "pages", n)
	}
	tax, terms := categoryTaxonomy()
	if err := db.EnsureTaxonomy(ctx, tax, terms); err != nil {
		db.Close()
		return nil, fmt.Errorf("load the service categories: %w", err)
	}
	return db, nil
}

// categoryTaxonomy is Haven's taxonomy of service categories, with the same
// term ids the sample data uses.
func categoryTaxonomy() (hsds.Taxonomy, []hsds.TaxonomyTerm) { return sample.Taxonomy() }
