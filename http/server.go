// Package http serves Haven's web pages and JSON API.
package http

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"haven"
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
	Directory Directory
	Countries Countries
	DB        Pinger
	Logger    *slog.Logger
	// ExitURL is the quick exit's destination.
	ExitURL string

	server   *http.Server
	ln       net.Listener
	handler  http.Handler
	renderer *renderer
}

// NewServer returns a Server with its routes; set the services before use.
func NewServer() *Server {
	s := &Server{Logger: slog.Default(), ExitURL: DefaultExitURL}
	s.renderer = mustRenderer()
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.recoverPanics(s.secureHeaders(s.logRequests(mux)))
	return s
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", s.static())
	mux.HandleFunc("GET /healthz", s.handleHealthz)

	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /resources", s.handleResources)
	mux.HandleFunc("GET /resources/{id}", s.handleResource)
	mux.HandleFunc("GET /understand-victims", s.handleLearning("understand", "identification"))
	mux.HandleFunc("GET /help-victims-heal", s.handleLearning("heal", "victim-services"))
	mux.HandleFunc("GET /culture-and-diversity", s.handleLearning("culture", "culture"))
	mux.HandleFunc("GET /browse-safely", s.handleBrowseSafely)
	mux.HandleFunc("GET /language/{lang}", s.handleLanguage)

	mux.HandleFunc("GET /directory", s.handleDirectory)
	mux.HandleFunc("GET /directory/states", s.handleStates)
	mux.HandleFunc("GET /directory/states/{code}", s.handleState)
	mux.HandleFunc("GET /directory/countries", s.handleCountries)
	mux.HandleFunc("GET /directory/countries/{code}", s.handleCountry)
	mux.HandleFunc("GET /services/{id}", s.handleService)
	mux.HandleFunc("GET /organizations/{id}", s.handleOrganization)
	mux.HandleFunc("GET /referral", s.handleReferral)
	mux.HandleFunc("GET /referral.pdf", s.handleReferralPDF)
	mux.HandleFunc("GET /report", s.handleReport)

	mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)
	mux.HandleFunc("GET /api/v1/search", s.handleAPISearch)
	mux.HandleFunc("GET /api/hsds/{$}", s.handleHSDSRoot)
	mux.HandleFunc("GET /api/hsds/services", s.handleHSDSServices)
	mux.HandleFunc("GET /api/hsds/services/{id}", s.handleHSDSService)
	mux.HandleFunc("GET /api/hsds/organizations", s.handleHSDSOrganizations)
	mux.HandleFunc("GET /api/hsds/organizations/{id}", s.handleHSDSOrganization)
	mux.HandleFunc("GET /api/hsds/service_at_locations", s.handleHSDSServiceAtLocations)
	mux.HandleFunc("GET /api/hsds/service_at_locations/{id}", s.handleHSDSServiceAtLocation)
	mux.HandleFunc("GET /api/hsds/taxonomies", s.handleHSDSTaxonomies)
	mux.HandleFunc("GET /api/hsds/taxonomies/{id}", s.handleHSDSTaxonomy)
	mux.HandleFunc("GET /api/hsds/taxonomy_terms", s.handleHSDSTerms)
	mux.HandleFunc("GET /api/hsds/taxonomy_terms/{id}", s.handleHSDSTerm)
	mux.HandleFunc("GET /api/v1/resources", s.handleAPIResources)
	mux.HandleFunc("GET /api/v1/resources/{id}", s.handleAPIResource)
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, r, s.Logger, haven.Errorf(haven.ENOTFOUND, "No API route %s %s.", r.Method, r.URL.Path))
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
	})
}

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
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
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
		s.Logger.Error("healthz: database does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "down"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "up"})
}
