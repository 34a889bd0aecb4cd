package http

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/auth"
)

// Limits bound what one request, one client and the busiest endpoints may
// take, so that a slow or greedy client cannot starve the others.
type Limits struct {
	// Server timeouts: to read a request's headers, to read the whole
	// request, to write the answer, and to keep an idle connection open.
	// ReadHeaderTimeout is what cuts off slow-loris clients.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxBodyBytes bounds a request's body; more is a 413.
	MaxBodyBytes int64
	// MaxUploadBytes bounds a spreadsheet uploaded for import, instead of
	// MaxBodyBytes.
	MaxUploadBytes int64
	// MaxQueryBytes bounds the query string; more is a 400.
	MaxQueryBytes int
	// Searches and Exports bound how many directory searches and how many
	// exports (NDJSON streams, referral PDFs) run at once. A request
	// beyond them waits up to QueueWait for its turn, then gets a 503.
	Searches, Exports int
	QueueWait         time.Duration
	// APIRate and APIBurst limit each client on /api/: APIBurst requests
	// at once, refilled at APIRate a second. APIRate 0 turns it off.
	APIRate  float64
	APIBurst int
	// PartnerRate and PartnerBurst limit each partner API token the same
	// way; PartnerRate must be above 0.
	PartnerRate  float64
	PartnerBurst int
}

// DefaultLimits are the limits a new Server has.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxBodyBytes:      1 << 20,
		MaxUploadBytes:    25 << 20,
		MaxQueryBytes:     4096,
		Searches:          16,
		Exports:           2,
		QueueWait:         5 * time.Second,
		APIRate:           10,
		APIBurst:          60,
		PartnerRate:       1,
		PartnerBurst:      30,
	}
}

// setup makes what the limits need; it runs once, at the first request,
// after the fields have been set.
func (s *Server) setup() {
	l := s.Limits
	s.searchSlots = make(chan struct{}, max(l.Searches, 1))
	s.exportSlots = make(chan struct{}, max(l.Exports, 1))
	if l.APIRate > 0 {
		s.apiLimiter = auth.NewLimiter(l.APIRate, max(l.APIBurst, 1), 100_000)
	}
	// Tokens are few: the bound only keeps made-up ones from growing it.
	s.partnerLimiter = auth.NewLimiter(max(l.PartnerRate, 0.01), max(l.PartnerBurst, 1), 10_000)
}

// searchRoutes run a directory search on every request.
var searchRoutes = map[string]bool{
	"GET /directory":                     true,
	"GET /directory/states/{code}":       true,
	"GET /directory/countries/{code}":    true,
	"GET /api/v1/search":                 true,
	"GET /api/hsds/services":             true,
	"GET /api/hsds/organizations":        true,
	"GET /api/hsds/service_at_locations": true,
	"GET /api/hsds/taxonomy_terms":       true,
	"GET /api/hsds/taxonomies":           true,
}

// guard wraps a route's handler with what its pattern calls for: the
// per-client limit on the API, and a slot among the searches or exports.
// It also records the pattern for the access log and the metrics.
func (s *Server) guard(pattern string, h http.HandlerFunc) http.HandlerFunc {
	api := strings.HasPrefix(pattern, "GET /api/")
	search := searchRoutes[pattern]
	return func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(routeKey).(*routeInfo); ok {
			info.pattern = pattern
		}
		if api && s.apiLimiter != nil {
			if ok, wait := s.apiLimiter.Allow(s.clientKey(r)); !ok {
				s.Metrics.Rejected("rate_limited")
				secs := int(wait.Seconds()) + 1
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeJSONError(w, r, s.Logger, haven.Errorf(haven.ETOOMANYREQUEST, "Too many requests from your address: try again in %d seconds.", secs))
				return
			}
		}
		slots := s.searchSlots
		switch {
		case pattern == "GET /referral.pdf" || (pattern == "GET /api/hsds/services" && r.URL.Query().Get("format") == "ndjson"):
			slots = s.exportSlots
		case !search:
			slots = nil
		}
		if slots != nil {
			if !s.acquire(r.Context(), slots) {
				if clientGone(w, r) {
					return
				}
				s.Metrics.Rejected("busy")
				w.Header().Set("Retry-After", "2")
				err := haven.Errorf(haven.EUNAVAILABLE, "Haven is busy: please try again in a moment.")
				if api {
					writeJSONError(w, r, s.Logger, err)
				} else {
					s.renderError(w, r, err)
				}
				return
			}
			defer func() { <-slots }()
		}
		h(w, r)
	}
}

// acquire takes a slot, waiting up to QueueWait for one.
func (s *Server) acquire(ctx context.Context, slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(s.Limits.QueueWait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// limitRequest refuses a body or a query string over the limits before any
// handler reads them, and bounds the body for the handlers that do. It also
// refuses an address that is not text (invalid UTF-8 or a NUL byte, which
// PostgreSQL refuses to store or compare), so that no handler has to.
func (s *Server) limitRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api := strings.HasPrefix(r.URL.Path, "/api/")
		fail := func(err error) {
			if api {
				writeJSONError(w, r, s.Logger, err)
			} else {
				s.renderError(w, r, err)
			}
		}
		if max := s.Limits.MaxQueryBytes; max > 0 && len(r.URL.RawQuery) > max {
			s.Metrics.Rejected("query_too_long")
			fail(haven.Errorf(haven.EINVALID, "The address is too long: its query may hold at most %d characters.", max))
			return
		}
		if !isText(r.URL.Path) {
			fail(haven.Errorf(haven.EINVALID, "The address is not valid text: it holds invalid UTF-8 or a NUL byte."))
			return
		}
		if name, ok := textValues(r.URL.Query()); !ok {
			fail(haven.Errorf(haven.EINVALID, "Parameter %s is not valid text: it holds invalid UTF-8 or a NUL byte.", truncate(strings.ToValidUTF8(name, "?"), 40)))
			return
		}
		max := s.Limits.MaxBodyBytes
		if r.Method == http.MethodPost && r.URL.Path == "/admin/import" && s.Limits.MaxUploadBytes > 0 {
			max = s.Limits.MaxUploadBytes // a spreadsheet, only for signed-in curators
		}
		if max > 0 {
			if r.ContentLength > max {
				s.Metrics.Rejected("too_large")
				// Say so and close: reading the rest would be what the
				// limit is there to avoid.
				w.Header().Set("Connection", "close")
				fail(haven.Errorf(haven.ETOOLARGE, "The request is too large: at most %d bytes.", max))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// tooLarge reports whether reading a body failed on the size limit.
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// clientAddr is the address of the client, for rate limits only (it is
// never logged). Haven believes X-Forwarded-For only from a trusted proxy,
// and then takes the last address in it that is not itself a trusted
// proxy: the ones before it could have been written by the client.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.TrustedProxies) == 0 {
		return host
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled chain: trust nothing before it
		}
		if !s.trusted(a) {
			return a.Unmap().String()
		}
		host = a.Unmap().String()
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseProxies reads --trusted-proxy values: CIDR ranges or single
// addresses, separated by commas.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !strings.Contains(v, "/") {
			a, err := netip.ParseAddr(v)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR range", v)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not a CIDR range such as 10.0.0.0/8", v)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// handleReadyz says whether this server should get traffic: the database
// answers, its schema is the one this binary expects, and the search index
// (when there is one) is built. /healthz, by contrast, says only whether
// the process is alive and reaches its database.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]string{"status": "ready", "database": "up", "migrations": "current", "search_index": "ready"}
	ready := true
	if err := s.DB.Ping(ctx); err != nil {
		s.log(r.Context()).Warn("readyz: database does not answer", "err", err)
		body["database"], ready = "down", false
	} else if m, ok := s.DB.(interface {
		MigrationVersion(context.Context) (applied, known int, err error)
	}); ok {
		applied, known, err := m.MigrationVersion(ctx)
		switch {
		case err != nil:
			body["migrations"], ready = "unknown", false
		case applied < known:
			body["migrations"], ready = fmt.Sprintf("behind: %d of %d applied", applied, known), false
		case applied > known:
			body["migrations"], ready = fmt.Sprintf("ahead: the database has %d, this binary knows %d", applied, known), false
		}
	}
	if s.SearchReady != nil && !s.SearchReady() {
		body["search_index"], ready = "building", false
	}
	status := http.StatusOK
	if !ready {
		body["status"], status = "unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, body)
}

// searchDirectory runs a directory search through Search (or Directory),
// and counts it for /metrics under the engine that answered.
func (s *Server) searchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	var search haven.DirectorySearcher = s.Directory
	if s.Search != nil {
		search = s.Search
	}
	res, err := search.SearchDirectory(ctx, f)
	if err == nil {
		s.Metrics.Search(res.Engine)
	}
	return res, err
}

// countedSearch is the server's searchDirectory as a DirectorySearcher.
type countedSearch struct{ s *Server }

func (c countedSearch) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	return c.s.searchDirectory(ctx, f)
}

// listServiceAtLocations lists service_at_location ids, a search SQL
// always answers, and counts it for /metrics under the store's engine.
func (s *Server) listServiceAtLocations(ctx context.Context, f haven.DirectoryFilter) ([]string, int, error) {
	ids, total, err := s.Directory.ListServiceAtLocations(ctx, f)
	if err == nil {
		s.Metrics.Search(s.Directory.Engine())
	}
	return ids, total, err
}

// log returns the logger for a request's context: every line it writes
// carries the request's id.
func (s *Server) log(ctx context.Context) *slog.Logger {
	if id := RequestID(ctx); id != "" {
		return s.Logger.With(slog.String("request_id", id))
	}
	return s.Logger
}

// isText reports whether s is valid UTF-8 without NUL bytes.
func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// textValues checks every name and value; when one is not text it returns
// the parameter's name and false.
func textValues(vs url.Values) (string, bool) {
	for k, list := range vs {
		if !isText(k) {
			return k, false
		}
		for _, v := range list {
			if !isText(v) {
				return k, false
			}
		}
	}
	return "", true
}
