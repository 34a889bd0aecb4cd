// Package http serves Haven's web pages and JSON API.
package http

import (
	"context"
	"crypto/cipher"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"haven"
	"haven/auth"
	"haven/metrics"
	"haven/screening"
	"haven/vault"
)

//go:embed templates static
var assets embed.FS

// DefaultExitURL is where the quick exit goes: a neutral, everyday page. A
// weather site is what GOV.UK's "Exit this page" uses.
const DefaultExitURL = "https://www.bbc.com/weather"

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is Haven's HTTP server.
type Server struct {
	Resources haven.ResourceService
	Editor    haven.ResourceEditor
	Directory haven.DirectoryService
	// Search answers directory searches, when something other than
	// Directory does (an index); nil means Directory.
	Search    haven.DirectorySearcher
	DirEditor haven.DirectoryEditor
	// Importer imports curators' uploaded spreadsheets; without it the
	// import page is not found.
	Importer  haven.ImportService
	Countries haven.CountryService
	// Tiers keeps the Trafficking in Persons Report tiers; when nil, the
	// Countries service is asked, if it keeps them.
	Tiers       haven.CountryTierService
	Accounts    haven.AccountService
	Security    haven.AccountSecurityService // passwords and second factors (sealed with Vault)
	Audit       haven.AuditService
	Curation    haven.CurationService
	Suggestions haven.SuggestionService
	Learning    haven.LearningService
	Takedowns   haven.TakedownService // without it, the take-down pages are not found
	// Matches finds and merges duplicate services; without it the matches
	// pages are not found and merged ids lead nowhere.
	Matches haven.MatchService
	// Providers ties provider accounts to organizations and takes their
	// edits; without it, the provider pages are not found.
	Providers haven.ProviderService
	// Invitations keeps providers' invitations; without it, inviting is
	// not found.
	Invitations haven.InvitationService
	// Reverify keeps the yearly re-verification requests; without it,
	// their page is not found and the dashboard does not list them.
	Reverify haven.ReverifyService
	// APITokens keeps partners' API tokens; without it, the partner API
	// is not found.
	APITokens haven.APITokenService
	// Mailer sends invitations; without it, the curator is shown the
	// link to pass on.
	Mailer haven.Mailer
	// PublicURL is the site's address for links in e-mail
	// (https://host); when empty, the request's host is used.
	PublicURL string
	// Feeds says where each service came from, on the curator's view;
	// without it the view does not say.
	Feeds haven.FeedService
	// Capacities changes services' counts of free beds and places;
	// without it, the capacity page is not found.
	Capacities haven.CapacityService
	// CapacityMaxAge is how old a capacity's count may be before pages
	// show it as unknown and capacity=available leaves it out (default
	// haven.DefaultCapacityMaxAge).
	CapacityMaxAge time.Duration
	// Screening is the frozen question bank 1, which format-1 records were
	// written against; Screening2 is the bank new interviews ask.
	Screening  *screening.Bank
	Screening2 *screening.Bank2
	// Drafts keeps signed-in screeners' interviews in progress, sealed
	// with Vault; without it, interviews travel sealed in the page.
	Drafts haven.ScreeningDraftService
	// Records keeps saved screening interviews, sealed with Vault. With no
	// Vault (no secret key), nothing is saved or opened.
	Records haven.ScreeningRecordService
	Vault   *vault.Keyring
	// ScreeningRetention, when set, is how long a record is kept after its
	// last save; the serve command runs the purge.
	ScreeningRetention time.Duration
	// AdminsReadScreenings lets admins read, hold and delete every saved
	// screening record, as records supervisors do; off by default.
	AdminsReadScreenings bool
	// ScreeningMinimalNotes is the organization's choice to keep notes
	// minimal: an amendment erases the note text of earlier versions.
	ScreeningMinimalNotes bool
	// Zone is the time zone dates are shown in on screening records; nil
	// means the server's.
	Zone *time.Location
	// Sections are the learning sections' titles and introductions.
	Sections []haven.LearningSection
	DB       Pinger
	// Sessions sets how long sign-ins last.
	Sessions SessionConfig
	// PasswordParams are the argon2id parameters passwords are checked
	// against; hashes made with others are upgraded at sign-in.
	PasswordParams auth.Params
	// StaleMonths is how long a verification lasts before a listing is
	// flagged as stale (default 12).
	StaleMonths int
	Logger      *slog.Logger
	// ExitURL is the quick exit's destination.
	ExitURL string
	// Metrics, when set, counts requests, searches and refusals.
	Metrics *metrics.Metrics
	// SearchReady reports whether the search index is built, for /readyz;
	// nil means there is no index to wait for.
	SearchReady func() bool
	// Limits bound requests, clients and the busiest endpoints; set them
	// before the first request.
	Limits Limits
	// TrustedProxies are the peers whose X-Forwarded-For header Haven
	// believes, for rate limits. By default it believes none.
	TrustedProxies []netip.Prefix

	server   *http.Server
	ln       net.Listener
	handler  http.Handler
	renderer *renderer

	patterns       []string
	draftAEAD      cipher.AEAD   // seals anonymous interviews carried in pages
	keySecret      []byte        // keys rate limits without keeping addresses
	hashSlots      chan struct{} // bounds concurrent password checks
	signinThrottle *auth.Throttle
	suggestLimiter *auth.Limiter
	apiLimiter     *auth.Limiter
	partnerLimiter *auth.Limiter
	setupOnce      sync.Once
	searchSlots    chan struct{}
	exportSlots    chan struct{}
	uploads        uploads // spreadsheets waiting for their import's confirmation
}

// NewServer returns a Server with its routes; set the services before use.
func NewServer() *Server {
	s := &Server{Logger: slog.Default(), ExitURL: DefaultExitURL, StaleMonths: 12,
		Sessions: SessionConfig{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}, PasswordParams: auth.DefaultParams,
		Limits: DefaultLimits()}
	s.renderer = mustRenderer()
	bank, err := screening.Load()
	if err != nil {
		panic(err) // embedded and tested: a broken bank is a build mistake
	}
	s.Screening = bank
	if s.Screening2, err = screening.Load2(); err != nil {
		panic(err)
	}
	// Interviews of people not signed in travel in the page, sealed under
	// a key that lives only in this process: the server keeps nothing.
	s.draftAEAD = newProcessAEAD()
	s.keySecret = auth.NewSecret()
	s.hashSlots = make(chan struct{}, 4)
	// Sign-in guesses slow down per client and account, never lock an
	// account (see auth.Throttle). In memory: see README on several servers.
	s.signinThrottle = auth.NewThrottle(100_000)
	s.suggestLimiter = newSuggestLimiter()
	mux := http.NewServeMux()
	s.routes(mux)
	// Every state-changing request must come from Haven's own pages: the
	// browser's Sec-Fetch-Site and Origin headers tell, and SameSite=Lax
	// cookies back it up.
	csrf := http.NewCrossOriginProtection()
	// Requests get their id first, so that every line logged about them,
	// a panic's too, carries it.
	chain := s.logRequests(s.recoverPanics(s.secureHeaders(s.limitRequest(csrf.Handler(s.withUser(mux))))))
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.setupOnce.Do(s.setup)
		chain.ServeHTTP(w, r)
	})
	return s
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", s.guard("GET /static/", s.static().ServeHTTP))
	s.handle(mux, "GET /healthz", s.handleHealthz)
	s.handle(mux, "GET /readyz", s.handleReadyz)
	// Browsers ask every site for /favicon.ico. Haven has no icon (one would
	// linger in the browser's icon cache); an empty answer, not a 404 page,
	// keeps the browser's console and the access log free of errors.
	s.handle(mux, "GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

	s.handle(mux, "GET /{$}", s.handleHome)
	s.handle(mux, "GET /resources", s.handleResources)
	s.handle(mux, "GET /resources/{id}", s.handleResource)
	s.handle(mux, "GET /understand-victims", s.handleSection("understand"))
	s.handle(mux, "GET /help-victims-heal", s.handleSection("heal"))
	s.handle(mux, "GET /culture-and-diversity", s.handleSection("culture"))
	s.handle(mux, "GET /learn/{slug}", s.handleLearnPage)
	s.handle(mux, "GET /screening", s.handleScreeningGuide)
	s.handle(mux, "POST /screening/start", s.handleScreeningStart)
	s.handle(mux, "GET /screening/interview/{step}", s.handleInterviewPage)
	s.handle(mux, "POST /screening/interview/{step}", s.handleInterviewPost)
	s.handle(mux, "POST /screening/save", s.requireRole(haven.RoleScreener, s.handleScreeningSave))
	s.handle(mux, "GET /screening/records", s.requireRole(haven.RoleScreener, s.handleScreeningRecords))
	s.handle(mux, "GET /screening/records/{id}", s.requireRole(haven.RoleScreener, s.handleScreeningRecord))
	s.handle(mux, "GET /screening/records/{id}/print", s.requireRole(haven.RoleScreener, s.handleScreeningPrint))
	s.handle(mux, "GET /screening/records/{id}/export.json", s.requireRole(haven.RoleScreener, s.handleScreeningExport))
	s.handle(mux, "POST /screening/records/{id}/amend", s.requireRole(haven.RoleScreener, s.handleScreeningAmend))
	s.handle(mux, "POST /screening/records/{id}/hold", s.requireRole(haven.RoleScreener, s.handleScreeningHold))
	s.handle(mux, "POST /screening/records/{id}/delete", s.requireRole(haven.RoleScreener, s.handleScreeningDelete))
	s.handle(mux, "GET /.well-known/haven-screening-keys.txt", s.handleScreeningKeys)
	s.handle(mux, "GET /api/v1/pages", s.handleAPIPages)
	s.handle(mux, "GET /admin/learn/{slug}/edit", s.requireRole(haven.RoleCurator, s.handleEditPage))
	s.handle(mux, "POST /admin/learn/{slug}", s.requireRole(haven.RoleCurator, s.handleSavePage))
	s.handle(mux, "GET /browse-safely", s.handleBrowseSafely)
	s.handle(mux, "GET /language/{lang}", s.handleLanguage)

	s.handle(mux, "GET /directory", s.handleDirectory)
	s.handle(mux, "GET /directory/states", s.handleStates)
	s.handle(mux, "GET /directory/states/{code}", s.handleState)
	s.handle(mux, "GET /directory/countries", s.handleCountries)
	s.handle(mux, "GET /directory/countries/{code}", s.handleCountry)
	s.handle(mux, "GET /countries", s.handleWorld)
	s.handle(mux, "GET /countries/{code}", s.handleWorldCountry)
	s.handle(mux, "GET /services/{id}", s.handleService)
	s.handle(mux, "GET /organizations/{id}", s.handleOrganization)
	s.handle(mux, "GET /referral", s.handleReferral)
	s.handle(mux, "GET /referral.pdf", s.handleReferralPDF)
	s.handle(mux, "GET /referral/compare", s.handleCompare)
	s.handle(mux, "GET /report", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/suggest?"+r.URL.RawQuery, http.StatusSeeOther)
	})
	s.handle(mux, "GET /suggest", s.handleSuggestForm)
	s.handle(mux, "POST /suggest", s.handleSuggest)
	s.handle(mux, "GET /admin/users", s.requireRole(haven.RoleAdmin, s.handleUsers))
	s.handle(mux, "POST /admin/users", s.requireRole(haven.RoleAdmin, s.handleCreateUser))
	s.handle(mux, "POST /admin/users/{id}", s.requireRole(haven.RoleAdmin, s.handleUpdateUser))
	s.handle(mux, "GET /admin/suggestions", s.requireRole(haven.RoleCurator, s.handleSuggestionQueue))
	s.handle(mux, "GET /admin/suggestions/{id}", s.requireRole(haven.RoleCurator, s.handleSuggestion))
	s.handle(mux, "POST /admin/suggestions/{id}/accept", s.requireRole(haven.RoleCurator, s.handleResolveSuggestion(true)))
	s.handle(mux, "POST /admin/suggestions/{id}/reject", s.requireRole(haven.RoleCurator, s.handleResolveSuggestion(false)))

	s.handle(mux, "GET /signin", s.handleSigninForm)
	s.handle(mux, "POST /signin", s.handleSignin)
	s.handle(mux, "POST /signout", s.handleSignout)
	s.handle(mux, "GET /account", s.requireRole(anyRole, s.handleAccount))
	s.handle(mux, "POST /account/sessions/revoke", s.requireRole(anyRole, s.handleRevokeSession))
	s.handle(mux, "GET /signin/code", s.handleSigninCodeForm)
	s.handle(mux, "POST /signin/code", s.handleSigninCode)
	s.handle(mux, "POST /account/password", s.requireRole(anyRole, s.handleChangePassword))
	s.handle(mux, "GET /account/2fa", s.requireRole(anyRole, s.handleSecondFactor))
	s.handle(mux, "GET /account/2fa/qr.png", s.requireRole(anyRole, s.handleSecondFactorQR))
	s.handle(mux, "POST /account/2fa", s.requireRole(anyRole, s.handleEnableSecondFactor))
	s.handle(mux, "POST /account/2fa/disable", s.requireRole(anyRole, s.handleDisableSecondFactor))
	s.handle(mux, "POST /admin/security", s.requireRole(haven.RoleAdmin, s.handleSecondFactorSetting))
	s.handle(mux, "GET /admin", s.requireRole(haven.RoleCurator, s.handleDashboard))
	s.handle(mux, "GET /admin/resources/new", s.requireRole(haven.RoleCurator, s.handleNewResource))
	s.handle(mux, "POST /admin/resources", s.requireRole(haven.RoleCurator, s.handleSaveResource))
	s.handle(mux, "GET /admin/resources/{id}/edit", s.requireRole(haven.RoleCurator, s.handleEditResource))
	s.handle(mux, "POST /admin/resources/{id}", s.requireRole(haven.RoleCurator, s.handleSaveResource))
	s.handle(mux, "POST /admin/resources/{id}/verify", s.requireRole(haven.RoleCurator, s.handleVerifyResource))
	s.handle(mux, "POST /admin/resources/{id}/retire", s.requireRole(haven.RoleCurator, s.handleRetireResource))
	// Staff reach the capacity page under /admin, providers under
	// /provider; canUpdateCapacity decides by organization (capacity.go).
	s.handle(mux, "GET /admin/capacity-report", s.requireRole(haven.RoleCurator, s.handleCapacityReport))
	s.handle(mux, "GET /admin/capacity/{org}", s.requireRole(haven.RoleCurator, s.handleCapacity))
	s.handle(mux, "POST /admin/capacity/{org}", s.requireRole(haven.RoleCurator, s.handleUpdateCapacity))
	s.handle(mux, "GET /provider/capacity/{org}", s.requireRole(haven.RoleProvider, s.withProviders(s.handleCapacity)))
	s.handle(mux, "POST /provider/capacity/{org}", s.requireRole(haven.RoleProvider, s.withProviders(s.handleUpdateCapacity)))
	s.handlePartner(mux, "PATCH /api/v1/partner/services/{id}/capacities", s.handlePartnerCapacities)
	s.handle(mux, "GET /admin/history/{type}/{id}", s.requireRole(haven.RoleCurator, s.handleHistory))
	s.handle(mux, "POST /admin/history/{type}/{id}/{entry}/undo", s.requireRole(haven.RoleCurator, s.handleUndo))
	s.handle(mux, "GET /admin/services/new", s.requireRole(haven.RoleCurator, s.handleNewService))
	s.handle(mux, "POST /admin/services", s.requireRole(haven.RoleCurator, s.handleCreateService))
	s.handle(mux, "GET /admin/services/{id}/edit", s.requireRole(haven.RoleCurator, s.handleEditService))
	s.handle(mux, "POST /admin/services/{id}", s.requireRole(haven.RoleCurator, s.handleSaveService))
	s.handle(mux, "POST /admin/services/{id}/verify", s.requireRole(haven.RoleCurator, s.handleVerifyService))
	s.handle(mux, "GET /admin/organizations/{id}/edit", s.requireRole(haven.RoleCurator, s.handleEditOrganization))
	s.handle(mux, "POST /admin/organizations/{id}", s.requireRole(haven.RoleCurator, s.handleSaveOrganization))
	s.handle(mux, "POST /admin/organizations/{id}/verify", s.requireRole(haven.RoleCurator, s.handleVerifyOrganization))
	s.handle(mux, "GET /admin/locations/{id}/edit", s.requireRole(haven.RoleCurator, s.handleEditLocation))
	s.handle(mux, "POST /admin/locations/{id}", s.requireRole(haven.RoleCurator, s.handleSaveLocation))
	s.handle(mux, "GET /admin/import", s.requireRole(haven.RoleCurator, s.handleImportForm))
	s.handle(mux, "POST /admin/import", s.requireRole(haven.RoleCurator, s.handleImportUpload))
	s.handle(mux, "POST /admin/import/{token}", s.requireRole(haven.RoleCurator, s.handleImportConfirm))
	s.handle(mux, "GET /admin/terms", s.requireRole(haven.RoleCurator, s.handleTerms))
	s.handle(mux, "POST /admin/terms", s.requireRole(haven.RoleCurator, s.handleCreateTerm))
	s.handle(mux, "POST /admin/organizations/{id}/retire", s.requireRole(haven.RoleCurator, s.handleRetireOrganization))
	s.handle(mux, "POST /admin/terms/{id}", s.requireRole(haven.RoleCurator, s.handleSaveTerm))
	s.handle(mux, "GET /admin/takedown/{kind}/{id}", s.requireRole(haven.RoleCurator, s.handleTakedown))
	s.handle(mux, "POST /admin/takedown/{kind}/{id}", s.requireRole(haven.RoleCurator, s.handleTakedownAction))
	s.handle(mux, "GET /admin/matches", s.requireRole(haven.RoleCurator, s.handleMatches))
	s.handle(mux, "GET /admin/matches/merge", s.requireRole(haven.RoleCurator, s.handleMergeForm))
	s.handle(mux, "POST /admin/matches/merge", s.requireRole(haven.RoleCurator, s.handleMerge))
	s.handle(mux, "POST /admin/matches/distinct", s.requireRole(haven.RoleCurator, s.handleMatchDistinct))
	s.handle(mux, "POST /admin/matches/merges/{id}/undo", s.requireRole(haven.RoleCurator, s.handleUndoMerge))
	s.handle(mux, "GET /admin/organizations/{id}/providers", s.requireRole(haven.RoleCurator, s.withProviders(s.handleProviders)))
	s.handle(mux, "POST /admin/organizations/{id}/providers/settings", s.requireRole(haven.RoleCurator, s.withProviders(s.handleProviderSettings)))
	s.handle(mux, "POST /admin/organizations/{id}/providers/link", s.requireRole(haven.RoleCurator, s.withProviders(s.handleLinkProvider)))
	s.handle(mux, "POST /admin/organizations/{id}/providers/{user}/unlink", s.requireRole(haven.RoleCurator, s.withProviders(s.handleUnlinkProvider)))
	s.handle(mux, "POST /admin/organizations/{id}/providers/invite", s.requireRole(haven.RoleCurator, s.withProviders(s.handleInviteProvider)))
	s.handle(mux, "GET /invitation", s.withProviders(s.handleInvitation))
	s.handle(mux, "POST /invitation", s.withProviders(s.handleAcceptInvitation))
	s.handle(mux, "POST /admin/organizations/{id}/tokens", s.requireRole(haven.RoleCurator, s.withTokens(s.handleCreateAPIToken)))
	s.handle(mux, "POST /admin/organizations/{id}/tokens/{token}/revoke", s.requireRole(haven.RoleCurator, s.withTokens(s.handleRevokeAPIToken)))
	s.handlePartner(mux, "GET /api/v1/partner/whoami", s.handlePartnerWhoami)
	s.handle(mux, "GET /reverify", s.withReverify(s.handleReverify))
	s.handle(mux, "POST /reverify", s.withReverify(s.handleAnswerReverify))
	s.handle(mux, "GET /provider", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderDashboard)))
	s.handle(mux, "GET /provider/services/{id}/edit", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderEditService)))
	s.handle(mux, "POST /provider/services/{id}", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderSaveService)))
	s.handle(mux, "GET /provider/locations/{id}/edit", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderEditLocation)))
	s.handle(mux, "POST /provider/locations/{id}", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderSaveLocation)))
	s.handle(mux, "GET /provider/organizations/{id}/edit", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderEditOrganization)))
	s.handle(mux, "POST /provider/organizations/{id}", s.requireRole(haven.RoleProvider, s.withProviders(s.handleProviderSaveOrganization)))
	s.handle(mux, "GET /admin/countries/{code}/edit", s.requireRole(haven.RoleCurator, s.handleEditCountry))
	s.handle(mux, "POST /admin/countries/{code}", s.requireRole(haven.RoleCurator, s.handleSaveCountry))

	s.handle(mux, "GET /api/openapi.json", s.handleOpenAPI)
	s.handle(mux, "GET /api/v1/search", s.handleAPISearch)
	s.handle(mux, "GET /api/hsds/{$}", s.handleHSDSRoot)
	s.handle(mux, "GET /api/hsds/services", s.handleHSDSServices)
	s.handle(mux, "GET /api/hsds/services/{id}", s.handleHSDSService)
	s.handle(mux, "GET /api/hsds/organizations", s.handleHSDSOrganizations)
	s.handle(mux, "GET /api/hsds/organizations/{id}", s.handleHSDSOrganization)
	s.handle(mux, "GET /api/hsds/service_at_locations", s.handleHSDSServiceAtLocations)
	s.handle(mux, "GET /api/hsds/service_at_locations/{id}", s.handleHSDSServiceAtLocation)
	s.handle(mux, "GET /api/hsds/taxonomies", s.handleHSDSTaxonomies)
	s.handle(mux, "GET /api/hsds/taxonomies/{id}", s.handleHSDSTaxonomy)
	s.handle(mux, "GET /api/hsds/taxonomy_terms", s.handleHSDSTerms)
	s.handle(mux, "GET /api/hsds/taxonomy_terms/{id}", s.handleHSDSTerm)
	s.handle(mux, "GET /api/v1/resources", s.handleAPIResources)
	s.handle(mux, "GET /api/v1/resources/{id}", s.handleAPIResource)
	s.handle(mux, "GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "No API route %s %s.", r.Method, r.URL.Path))
	})
	s.handle(mux, "GET /", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
	})
}

// handle registers a route and remembers its pattern, so tests can reach
// every route; guard adds the limits its pattern calls for.
func (s *Server) handle(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	s.patterns = append(s.patterns, pattern)
	mux.HandleFunc(pattern, s.guard(pattern, h))
}

// Patterns returns the route patterns, as "METHOD /path".
func (s *Server) Patterns() []string { return s.patterns }

// ServeHTTP lets the server be used as a handler in tests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Open starts listening on addr (":0" picks a free port) and serves in the
// background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.server = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.Limits.ReadHeaderTimeout,
		ReadTimeout:       s.Limits.ReadTimeout,
		WriteTimeout:      s.Limits.WriteTimeout,
		IdleTimeout:       s.Limits.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("serve", "err", err)
		}
	}()
	return nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops accepting requests and waits for those under way, up to the
// context's deadline.
func (s *Server) Close(ctx context.Context) error {
	if s.server == nil {
		return nil
	}
	return s.server.Shutdown(ctx)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.log(r.Context()).Error("healthz: database does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "down"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "up"})
}
