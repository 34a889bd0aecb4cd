package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"haven"
	"haven/catalog"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/learning"
	"haven/mail"
	"haven/metrics"
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
			capacityAge := fs.String("capacity-max-age", envOr("HAVEN_CAPACITY_MAX_AGE", "24h"), "how old a capacity's count (free beds, places) may be before pages show it as unknown and capacity=available leaves it out, e.g. 24h, 6h, 2d; env HAVEN_CAPACITY_MAX_AGE")
			checkEvery := fs.Duration("check-links-every", 0, "check every web address this often, e.g. 24h (off by default); one server runs it when several share a database")
			linksPrivate := fs.Bool("links-allow-private", false, "let the link check visit loopback, private and link-local addresses (refused by default: addresses come from visitors and imports)")
			jobTick := fs.Duration("jobs-tick", time.Minute, "how often to look for due background jobs (0 turns jobs off); several servers on one database run each job once")
			keyFile := keyFlag(fs)
			retention := fs.String("screening-retention", envOr("HAVEN_SCREENING_RETENTION", defaultRetention), "delete saved screening records this long after their last save, unless under a legal hold; checked daily by one server; e.g. 3y, 365d, or off; env HAVEN_SCREENING_RETENTION")
			adminsRead := fs.Bool("admins-read-screenings", envOr("HAVEN_ADMINS_READ_SCREENINGS", "") == "1", "let admins read, hold and delete every saved screening record, as records supervisors do (off by default); env HAVEN_ADMINS_READ_SCREENINGS=1")
			minimalNotes := fs.Bool("screening-minimal-notes", envOr("HAVEN_SCREENING_MINIMAL_NOTES", "") == "1", "keep screening notes minimal: amending a record erases the note text of its earlier versions; env HAVEN_SCREENING_MINIMAL_NOTES=1")
			zoneName := fs.String("time-zone", envOr("HAVEN_TIME_ZONE", ""), "IANA time zone that screening record dates are shown in, e.g. America/Chicago (the server's by default); env HAVEN_TIME_ZONE")
			metricsAddr := fs.String("metrics-addr", envOr("HAVEN_METRICS_ADDR", "127.0.0.1:9464"), "where to serve /metrics for Prometheus, apart from the site (\"\" turns it off); env HAVEN_METRICS_ADDR")
			proxies := fs.String("trusted-proxy", envOr("HAVEN_TRUSTED_PROXY", ""), "CIDR ranges (comma-separated) of reverse proxies whose X-Forwarded-For is believed for rate limits; none by default; env HAVEN_TRUSTED_PROXY")
			limits := havenhttp.DefaultLimits()
			fs.Float64Var(&limits.APIRate, "api-rate", limits.APIRate, "requests a second each client may make to /api/, after --api-burst (0 turns the limit off)")
			fs.IntVar(&limits.APIBurst, "api-burst", limits.APIBurst, "requests a client may make to /api/ at once")
			fs.Float64Var(&limits.PartnerRate, "partner-rate", limits.PartnerRate, "requests a second each partner API token may make, after --partner-burst")
			fs.IntVar(&limits.PartnerBurst, "partner-burst", limits.PartnerBurst, "requests a partner API token may make at once")
			fs.IntVar(&limits.Searches, "max-searches", limits.Searches, "directory searches running at once; more wait their turn")
			fs.IntVar(&limits.Exports, "max-exports", limits.Exports, "exports (NDJSON, referral PDFs) running at once; more wait their turn")
			smtpURL := fs.String("smtp-url", envOr("HAVEN_SMTP_URL", ""), "SMTP server for invitations and re-verification requests: smtps://user:password@host:465, or smtp://user:password@host:587 (STARTTLS required; ?starttls=off for a trusted relay); none by default, and pages then show links to copy; env HAVEN_SMTP_URL")
			smtpFrom := fs.String("smtp-from", envOr("HAVEN_SMTP_FROM", ""), "the address Haven's e-mail comes from (needed with --smtp-url); env HAVEN_SMTP_FROM")
			publicURL := fs.String("public-url", envOr("HAVEN_PUBLIC_URL", ""), "the site's address as people reach it, e.g. https://haven.example.org, for links in e-mail; env HAVEN_PUBLIC_URL")
			fc := feedClientFlags(fs)
			search := fs.String("search", envOr("HAVEN_SEARCH", "auto"), "what answers directory searches: index (in memory, built at start), sql, or auto (SQL until the index is built); env HAVEN_SEARCH")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) > 0 {
					return fmt.Errorf("serve takes no arguments, got %q", args)
				}
				keys, err := loadKeys(*keyFile, true)
				if err != nil {
					return err
				}
				if keys == nil {
					m.Logger.Warn("no secret key: screening records cannot be saved or opened; make one with \"haven keys generate\" and set HAVEN_SECRET_KEY or --secret-key-file")
				}
				capMaxAge, err := parseAge(*capacityAge)
				if err != nil {
					return fmt.Errorf("--capacity-max-age: %w", err)
				}
				var keep time.Duration
				if r := strings.TrimSpace(*retention); r != "off" && r != "" {
					if keep, err = parseAge(r); err != nil {
						return fmt.Errorf("--screening-retention: %w (or \"off\")", err)
					}
				}
				zone := time.Local
				if *zoneName != "" {
					if zone, err = time.LoadLocation(*zoneName); err != nil {
						return fmt.Errorf("--time-zone: %q is not a time zone: give an IANA name such as America/Chicago", *zoneName)
					}
				}
				trusted, err := havenhttp.ParseProxies(*proxies)
				if err != nil {
					return fmt.Errorf("--trusted-proxy: %w", err)
				}
				if limits.APIRate < 0 || limits.APIBurst < 1 || limits.Searches < 1 || limits.Exports < 1 {
					return fmt.Errorf("--api-rate must be 0 or more, and --api-burst, --max-searches and --max-exports 1 or more")
				}
				if limits.PartnerRate <= 0 || limits.PartnerBurst < 1 {
					return fmt.Errorf("--partner-rate must be above 0, and --partner-burst 1 or more")
				}
				// Metrics on the default address are a convenience: when it
				// is taken (a second server on the host), say so and go on.
				// An address asked for must work.
				mc := metricsConfig{addr: *metricsAddr, required: os.Getenv("HAVEN_METRICS_ADDR") != ""}
				fs.Visit(func(f *flag.Flag) { mc.required = mc.required || f.Name == "metrics-addr" })
				mode, err := searchindex.ParseMode(*search)
				if err != nil {
					return err
				}
				m.linksAllowPrivate = *linksPrivate
				var mailer *mail.Sender
				if *smtpURL != "" {
					if mailer, err = mail.Parse(*smtpURL, *smtpFrom); err != nil {
						return fmt.Errorf("--smtp-url or --smtp-from: %w", err)
					}
					m.Logger.Info("e-mail goes through SMTP", "server", mailer.String())
				}
				public, err := parsePublicURL(*publicURL)
				if err != nil {
					return err
				}
				m.feeds = fc
				return m.serve(ctx, *addr, mc, db, *exitURL, *withSample, *jobTick, *checkEvery, mode, func(s *havenhttp.Server) {
					s.Sessions = havenhttp.SessionConfig{Idle: *idle, Absolute: *maxAge, SecureCookies: *secure}
					s.StaleMonths = *staleMonths
					s.CapacityMaxAge = capMaxAge
					s.Limits = limits
					s.TrustedProxies = trusted
					s.Vault = keys
					s.ScreeningRetention = keep
					s.AdminsReadScreenings = *adminsRead
					s.ScreeningMinimalNotes = *minimalNotes
					s.Zone = zone
					if mailer != nil {
						s.Mailer = mailer
					}
					s.PublicURL = public
				})
			}
		},
	}
}

// gcPercent is the garbage collector's target with the search index,
// unless GOGC is set: the index is most of the heap, and the default (100)
// lets the heap grow to twice it between collections, past the 1.5 GB a
// server of a million services may use. Collections are cheap, since the
// index holds few pointers.
const gcPercent = 50

// metricsConfig is where /metrics is served, and whether failing to serve
// it there stops the server.
type metricsConfig struct {
	addr     string
	required bool
}

func (m *Main) serve(ctx context.Context, addr string, mc metricsConfig, cfg *dbConfig, exitURL string, withSample bool, jobTick, checkEvery time.Duration,
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
	if has, err := dir.HasServices(ctx); err == nil && !has {
		m.Logger.Info("the provider directory is empty: import data with \"haven import PATH\", or restart with --sample to explore")
	}

	mx := metrics.New()
	mx.WatchDB(db)
	srv := havenhttp.NewServer()
	srv.Metrics = mx
	resources := sqlstore.NewResourceService(db)
	srv.Resources, srv.Editor, srv.Suggestions = resources, resources, sqlstore.NewSuggestionService(db)
	// Directory searches go where --search says; everything else of the
	// directory, pages and HSDS lists included, reads the store.
	searcher := &searchindex.Switch{Mode: search, SQL: dir}
	if search != searchindex.SQLOnly {
		ix := searchindex.New(dir, m.Logger)
		ix.MaxLag = sqlstore.ChangeRetention / 2
		searcher.Index = ix
		if _, set := os.LookupEnv("GOGC"); !set {
			debug.SetGCPercent(gcPercent)
		}
		// A build's garbage (the documents read, the entries sorted) is
		// as large as the index: give it back rather than keep it in RSS.
		ix.AfterBuild = func() { debug.FreeOSMemory() }
		go ix.Run(ctx) // builds in the background, then follows every write
	}
	srv.Directory, srv.Search, srv.DirEditor, srv.Takedowns, srv.Importer, srv.Matches = dir, searcher, dir, dir, dir, dir
	srv.Capacities = dir
	srv.SearchReady = searcher.Ready
	accounts := sqlstore.NewAccountService(db)
	srv.Countries, srv.Accounts, srv.Security, srv.Audit = sqlstore.NewCountryService(db), accounts, accounts, sqlstore.NewAuditService(db)
	srv.Curation, srv.Learning, srv.Records = sqlstore.NewCurationService(db), sqlstore.NewLearningService(db), sqlstore.NewScreeningRecordService(db)
	srv.Feeds = sqlstore.NewFeedService(db)
	srv.Drafts = sqlstore.NewScreeningDraftService(db)
	providers := sqlstore.NewProviderService(db)
	srv.Providers, srv.Invitations, srv.Reverify, srv.APITokens = providers, providers, providers, providers
	if srv.Sections, _, err = learning.Load(); err != nil {
		return err
	}
	configure(srv)
	srv.DB = db
	srv.Logger = m.Logger
	srv.ExitURL = exitURL
	if mc.addr != "" {
		stop, bound, err := serveMetrics(mc.addr, mx, m)
		switch {
		case err != nil && mc.required:
			return fmt.Errorf("--metrics-addr %s: %w (choose another, or pass --metrics-addr \"\" to turn metrics off)", mc.addr, err)
		case err != nil:
			m.Logger.Warn("metrics are off: their default address is taken; choose one with --metrics-addr", "addr", mc.addr, "err", err)
		default:
			defer stop()
			m.Logger.Info("metrics for Prometheus", "url", "http://"+bound+"/metrics")
		}
	}
	if err := srv.Open(addr); err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	m.Logger.Info("haven is serving", "url", "http://"+srv.Addr()+"/", "db", cfg.display(), "engine", db.Engine(), "search", string(search))
	if jobTick > 0 {
		host, _ := os.Hostname()
		runner := fmt.Sprintf("%s:%d", host, os.Getpid())
		jobs := []haven.Job{{Name: "optimize", Every: 24 * time.Hour, Run: db.Optimize}}
		if checkEvery > 0 {
			jobs = append(jobs, linkJob(db, checkEvery, m))
		}
		if keep := srv.ScreeningRetention; keep > 0 {
			jobs = append(jobs, purgeJob(db, keep, m))
		}
		switch {
		case srv.Mailer != nil && srv.PublicURL != "":
			jobs = append(jobs, reverifyJob(sqlstore.NewProviderService(db), srv.Mailer, srv.PublicURL, m.Logger))
		case srv.Mailer != nil:
			m.Logger.Warn("no yearly re-verification requests to providers: they need --public-url for their links")
		}
		jobs = append(jobs, feedJob(db, m, runner))
		go sqlstore.NewJobService(db).RunJobs(ctx, runner, jobTick, jobs, m.Logger)
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

// openDB opens the database, applies pending migrations and seeds the
// library on first use. Every command that touches data goes through it.
func (m *Main) openDB(ctx context.Context, cfg *dbConfig) (*sqlstore.DB, error) {
	timeout := cfg.statementTimeout
	if timeout == 0 {
		timeout = -1 // the flag's 0 means no limit; Options' 0 means the default
	}
	if cfg.dsn == "" {
		return nil, haven.Errorf(haven.EINVALID, "no database given: pass --db PATH or set HAVEN_DB")
	}
	db, err := sqlstore.OpenWith(ctx, cfg.dsn, sqlstore.Options{ReadDSN: cfg.read, MaxOpenConns: cfg.maxConns, StatementTimeout: timeout})
	if err != nil {
		if cfg.read != "" && haven.ErrorCode(err) == haven.EINVALID {
			return nil, haven.Errorf(haven.EINVALID, "--db-read: %s", errorText(err))
		}
		return nil, err
	}
	entries, err := catalog.Resources()
	if err != nil {
		db.Close()
		return nil, err
	}
	n, err := sqlstore.NewResourceService(db).SeedResources(ctx, entries)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load the seed catalog: %w", err)
	}
	if n > 0 {
		m.Logger.Info("loaded the resource library from the seed catalog", "entries", n)
	}
	// A library seeded from an older catalog gets the addresses found since,
	// where no curator has touched the entry.
	if n, err := sqlstore.NewResourceService(db).FillResourceLinks(ctx, entries); err != nil {
		db.Close()
		return nil, fmt.Errorf("fill the library's web addresses: %w", err)
	} else if n > 0 {
		m.Logger.Info("filled web addresses of library entries from the seed catalog", "entries", n)
	}
	// Haven's own service categories, so curators can assign any of them.
	_, pages, err := learning.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	if n, err := sqlstore.NewLearningService(db).SeedPages(ctx, pages); err != nil {
		db.Close()
		return nil, fmt.Errorf("load the learning pages: %w", err)
	} else if n > 0 {
		m.Logger.Info("loaded the learning pages", "pages", n)
	}
	if ok, err := seedCountries(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("load the country tiers and hotlines: %w", err)
	} else if ok {
		m.Logger.Info("loaded the country tiers (TIP Report 2025) and national hotlines")
	}
	tax, terms := categoryTaxonomy()
	if err := sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms); err != nil {
		db.Close()
		return nil, fmt.Errorf("load the service categories: %w", err)
	}
	// Haven's taxonomy of who a service helps, for curators to assign.
	if tax, terms := haven.WhoTaxonomy(); sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms) != nil {
		db.Close()
		return nil, fmt.Errorf("load the who-is-served taxonomy")
	}
	return db, nil
}

// categoryTaxonomy is Haven's taxonomy of service categories, with the same
// term ids the sample data uses.
func categoryTaxonomy() (hsds.Taxonomy, []hsds.TaxonomyTerm) { return sample.Taxonomy() }

// serveMetrics serves /metrics on its own address, so that it need not be
// reachable from where visitors come.
func serveMetrics(addr string, mx *metrics.Metrics, m *Main) (stop func(), bound string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", mx.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("metrics server", "err", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, ln.Addr().String(), nil
}

// parsePublicURL checks --public-url: an http(s) address without a path,
// query or fragment, given without its last slash.
func parsePublicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--public-url %q: give the site's address as https://host or https://host:port, nothing after it", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}
