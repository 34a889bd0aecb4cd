// Package linkcheck checks whether the links in Haven's library and
// provider directory still work.
//
// A Checker visits each URL politely: at most PerHost requests in flight per
// host, at least HostDelay between the starts of two requests to one host, and
// at most Concurrency requests in flight overall. It asks with HEAD first and
// falls back to GET for servers that mishandle HEAD, follows redirects itself
// so that every hop is recorded, and reports failures as short, human-readable
// reasons suitable for showing to curators.
//
// Egress: the URLs come from people (a visitor's suggestion a curator
// accepted, an imported directory), so by default the checker never
// connects to loopback, private, link-local or other special addresses
// (see netguard): each address is checked when the connection is made,
// after DNS and on every redirect, and a refused one is reported as
// ErrPrivateAddress, not as broken. AllowPrivate turns the guard off, for a
// directory of intranet links or for tests. The guard is part of the
// default client; a Client given by the caller dials as its Transport does.
package linkcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"haven/netguard"
)

// Defaults used by New. Check also uses them for fields left at zero, except
// HostDelay, where zero means no delay.
const (
	DefaultConcurrency  = 8
	DefaultPerHost      = 1
	DefaultHostDelay    = time.Second
	DefaultTimeout      = 15 * time.Second
	DefaultMaxRedirects = 10
	DefaultUserAgent    = "Haven link checker"
)

// maxBody is how much of a GET response body is read before closing it.
const maxBody = 64 << 10

// Error reasons reported in Result.Error that callers may want to match.
const (
	ErrInvalidURL        = "invalid URL"
	ErrUnsupportedScheme = "unsupported scheme"
	ErrTimeout           = "timeout"
	ErrRefused           = "connection refused"
	ErrNoSuchHost        = "no such host"
	ErrTooManyRedirects  = "too many redirects"
	ErrRedirectLoop      = "redirect loop"
	// ErrPrivateAddress: the URL, or a redirect, led to a loopback,
	// private or otherwise special address, which the checker does not
	// visit unless AllowPrivate is set. The curation dashboard matches it.
	ErrPrivateAddress = "not checked: private address"
)

// Result is what one check found.
type Result struct {
	// URL is the URL as given to Check.
	URL string
	// Status is the HTTP status of the last response received, 0 when no
	// response was received.
	Status int
	// FinalURL is the last URL requested after following redirects, or ""
	// when it is the same as URL.
	FinalURL string
	// Redirects holds, in order, the absolute form of every Location header
	// received, including one that was not followed because of a redirect
	// loop, the redirect limit or an unsupported scheme.
	Redirects []string
	// Error is "" or a short human-readable reason such as "timeout",
	// "no such host", "connection refused", "TLS certificate problem: …",
	// "too many redirects", "redirect loop", "invalid URL" or
	// "unsupported scheme".
	Error string
	// Duration is the time spent waiting on the network for this URL, summed
	// over all requests made for it; politeness waits are not included.
	Duration time.Duration
	// CheckedAt is when the check of this URL started, per Checker.Now.
	CheckedAt time.Time
	// Method is the method of the last request made: "HEAD", or "GET" when
	// the server refused HEAD. It is "" when no request was made.
	Method string
}

// OK reports whether the URL answered 2xx (after redirects) without error.
func (r Result) OK() bool { return r.Error == "" && r.Status >= 200 && r.Status < 300 }

// Broken reports whether the check failed: an error, or a 4xx/5xx status.
// A URL not checked because of its address is not broken: nothing is known
// about it.
func (r Result) Broken() bool { return !r.NotChecked() && (r.Error != "" || r.Status >= 400) }

// NotChecked reports whether the URL, or a redirect it gave, led to an
// address the checker refuses (ErrPrivateAddress).
func (r Result) NotChecked() bool { return r.Error == ErrPrivateAddress }

// Redirected reports whether the URL ended up somewhere else (FinalURL != "").
func (r Result) Redirected() bool { return r.FinalURL != "" }

// Checker checks links. Its fields must not be changed while Check runs; one
// Checker may run several Checks at once, but politeness limits are only
// enforced within a single Check.
type Checker struct {
	// Client makes the requests. Nil means a default client, guarded like
	// New's (see AllowPrivate); a Client given here is not. Check uses a
	// copy of it whose CheckRedirect stops at every redirect, and, when the
	// Client has no Jar, gives each URL its own cookie jar so that sites
	// which set a cookie and redirect to themselves work.
	Client *http.Client
	// Concurrency is the maximum number of requests in flight overall
	// (default 8 when zero or negative).
	Concurrency int
	// PerHost is the maximum number of requests in flight to one host
	// (default 1 when zero or negative). The host is the URL's host
	// lower-cased, with the port only when it is not the scheme's default.
	PerHost int
	// HostDelay is the minimum gap between the starts of two requests to the
	// same host. New sets it to 1s; zero means no delay.
	HostDelay time.Duration
	// Timeout bounds each request, including reading the (truncated) body
	// (default 15s when zero or negative).
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed per URL before giving
	// up with "too many redirects" (default 10 when zero or negative).
	MaxRedirects int
	// UserAgent is sent with every request (default "Haven link checker").
	UserAgent string
	// Now gives CheckedAt (default time.Now).
	Now func() time.Time
	// AllowPrivate lets the default client connect to loopback, private,
	// link-local and other special addresses, which it refuses otherwise
	// (see the package comment). It also lets that client use a proxy
	// from the environment, which the guard cannot see past.
	AllowPrivate bool

	// owned is the client New built; its idle connections are closed when a
	// Check finishes, so no keep-alive goroutines outlive the check.
	owned *http.Client
	// allow, when set, lets through addresses the guard refuses: in tests,
	// one loopback server stands for the internet.
	allow func(netip.AddrPort) bool
	// resolver, when set, is the default client's resolver (tests).
	resolver *net.Resolver
}

// New returns a Checker with every field set to its default.
func New() *Checker {
	c := &Checker{
		Concurrency:  DefaultConcurrency,
		PerHost:      DefaultPerHost,
		HostDelay:    DefaultHostDelay,
		Timeout:      DefaultTimeout,
		MaxRedirects: DefaultMaxRedirects,
		UserAgent:    DefaultUserAgent,
		Now:          time.Now,
	}
	c.Client = c.newClient()
	c.owned = c.Client
	return c
}

// newClient builds the default client: the standard transport's dial
// settings with a smaller idle pool, connecting only where c's guard
// allows. The guard reads c.AllowPrivate at each connection, so it may be
// set after New.
func (c *Checker) newClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := netguard.Dialer()
	d.Resolver = c.resolver
	d.Control = func(network, address string, raw syscall.RawConn) error {
		if c.AllowPrivate {
			return nil
		}
		if c.allow != nil {
			if ap, err := netip.ParseAddrPort(address); err == nil && c.allow(ap) {
				return nil
			}
		}
		return netguard.Control(network, address, raw)
	}
	tr.DialContext = d.DialContext
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		if !c.AllowPrivate {
			return nil, nil // a proxy would connect where the guard cannot see
		}
		return http.ProxyFromEnvironment(r)
	}
	tr.MaxIdleConns = 64
	tr.MaxIdleConnsPerHost = 2
	tr.IdleConnTimeout = 30 * time.Second
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Transport: tr}
}

// config is a Checker with defaults resolved, fixed for one Check.
type config struct {
	client       http.Client
	ownClient    bool
	concurrency  int
	perHost      int
	hostDelay    time.Duration
	timeout      time.Duration
	maxRedirects int
	userAgent    string
	now          func() time.Time
}

func (c *Checker) config() *config {
	cfg := &config{
		concurrency:  orDefault(c.Concurrency, DefaultConcurrency),
		perHost:      orDefault(c.PerHost, DefaultPerHost),
		hostDelay:    max(c.HostDelay, 0),
		timeout:      orDefault(c.Timeout, DefaultTimeout),
		maxRedirects: orDefault(c.MaxRedirects, DefaultMaxRedirects),
		userAgent:    c.UserAgent,
		now:          c.Now,
	}
	if cfg.userAgent == "" {
		cfg.userAgent = DefaultUserAgent
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	switch {
	case c.Client == nil:
		cfg.client = *c.newClient()
		cfg.ownClient = true
	default:
		cfg.client = *c.Client
		cfg.ownClient = c.Client == c.owned
	}
	cfg.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return cfg
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// job is one distinct URL to check.
type job struct {
	idx  int // position in the deduplicated list
	raw  string
	u    *url.URL
	host string
}

type done struct {
	idx int
	r   Result
}

// Check checks every URL, deduplicated, and returns the results in order of
// first appearance. It calls progress (when non-nil) with the number of URLs
// done so far and the number of distinct URLs after each one; the calls are
// made one at a time from the calling goroutine.
//
// When ctx is cancelled Check stops promptly and returns the results it has
// completed (still in order of first appearance, skipping the rest) together
// with ctx.Err(). Checks interrupted by the cancellation are not reported.
func (c *Checker) Check(ctx context.Context, urls []string, progress func(done, total int)) ([]Result, error) {
	cfg := c.config()
	if cfg.ownClient {
		defer cfg.client.CloseIdleConnections()
	}

	// Deduplicate, keeping the first spelling of each URL.
	seen := make(map[string]bool, len(urls))
	var raws []string
	for _, s := range urls {
		k := strings.TrimSpace(s)
		if !seen[k] {
			seen[k] = true
			raws = append(raws, s)
		}
	}
	total := len(raws)
	results := make([]Result, total)
	have := make([]bool, total)
	count := 0
	finish := func(i int, r Result) {
		results[i], have[i] = r, true
		count++
		if progress != nil {
			progress(count, total)
		}
	}

	g := newGate(cfg.perHost, cfg.hostDelay)
	jobs := make([]job, total)
	pending := 0
	for i, raw := range raws {
		u, reason := parse(raw)
		if reason != "" {
			finish(i, Result{URL: raw, Error: reason, CheckedAt: cfg.now()})
			continue
		}
		jobs[i] = job{idx: i, raw: raw, u: u, host: hostKey(u)}
		g.add(jobs[i].host, i)
		pending++
	}

	if pending > 0 && ctx.Err() == nil {
		out := make(chan done, pending) // never blocks a worker
		var wg sync.WaitGroup
		for range min(cfg.concurrency, pending) {
			wg.Go(func() {
				for {
					i, err := g.take(ctx)
					if err != nil || i < 0 {
						return
					}
					r, ok := cfg.check(ctx, g, jobs[i])
					if !ok {
						return // interrupted by ctx
					}
					out <- done{i, r}
				}
			})
		}
		go func() { wg.Wait(); close(out) }()
		for d := range out {
			finish(d.idx, d.r)
		}
	}

	if count == total {
		return results, nil
	}
	got := make([]Result, 0, count)
	for i, r := range results {
		if have[i] {
			got = append(got, r)
		}
	}
	return got, ctx.Err()
}

// parse validates a URL given to Check; reason is "" when it can be checked.
func parse(raw string) (*url.URL, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, ErrInvalidURL
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, ErrInvalidURL
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return nil, ErrInvalidURL // relative, or missing its scheme
	default:
		return nil, ErrUnsupportedScheme
	}
	if u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return nil, ErrInvalidURL
	}
	u.Fragment, u.RawFragment = "", "" // never sent to the server
	return u, ""
}

// hostKey is the politeness key of a URL: its host lower-cased, without a
// trailing dot, with the port only when it is not the scheme's default.
func hostKey(u *url.URL) string {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch p := u.Port(); {
	case p == "", u.Scheme == "http" && p == "80", u.Scheme == "https" && p == "443":
		return h
	default:
		return net.JoinHostPort(h, p)
	}
}

// isRedirect reports whether a status asks the client to go elsewhere.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// refusesHEAD reports whether a status to a HEAD request suggests the server
// mishandles HEAD, so that GET is worth trying.
func refusesHEAD(status int) bool {
	switch status {
	case http.StatusMethodNotAllowed, http.StatusNotImplemented,
		http.StatusForbidden, http.StatusBadRequest:
		return true
	}
	return false
}

// check checks one URL, whose first request's host slot the caller has
// already taken from g. ok is false when ctx was cancelled before a result
// was reached.
func (cfg *config) check(ctx context.Context, g *gate, j job) (r Result, ok bool) {
	r = Result{URL: j.raw, CheckedAt: cfg.now()}
	client := cfg.client
	if client.Jar == nil {
		jar, _ := cookiejar.New(nil) // never fails with nil options
		client.Jar = jar
	}
	cur, host := j.u, j.host
	reserved := true // the slot for the first request came with the job
	visits := map[string]int{cur.String(): 1}
	for {
		if !reserved {
			if err := g.acquire(ctx, host); err != nil {
				return r, false
			}
		}
		reserved = false
		resp, err := cfg.do(ctx, &client, g, host, http.MethodHead, cur, &r)
		if refusal(resp, err) {
			if err := g.acquire(ctx, host); err != nil {
				return r, false
			}
			resp, err = cfg.do(ctx, &client, g, host, http.MethodGet, cur, &r)
		}
		if err != nil {
			if ctx.Err() != nil {
				return r, false
			}
			r.Status, r.Error = 0, describe(err)
			break
		}
		r.Status = resp.status
		if !isRedirect(resp.status) {
			break
		}
		if resp.location == "" {
			r.Error = "redirect without Location"
			break
		}
		next, err := cur.Parse(resp.location)
		if err != nil {
			r.Error = "invalid redirect: " + truncate(resp.location, 80)
			break
		}
		next.Fragment, next.RawFragment = "", ""
		r.Redirects = append(r.Redirects, next.String())
		if next.Scheme != "http" && next.Scheme != "https" {
			r.Error = "redirect to unsupported scheme"
			break
		}
		if next.Hostname() == "" {
			r.Error = "invalid redirect: " + truncate(resp.location, 80)
			break
		}
		// A URL may be visited twice (a site that sets a cookie and
		// redirects to itself); a third visit is a loop.
		if visits[next.String()] >= 2 {
			r.Error = ErrRedirectLoop
			break
		}
		if len(r.Redirects) > cfg.maxRedirects {
			r.Error = ErrTooManyRedirects
			break
		}
		visits[next.String()]++
		cur, host = next, hostKey(next)
	}
	if s := cur.String(); s != j.u.String() {
		r.FinalURL = s
	}
	return r, true
}

// refusal reports whether a HEAD request's outcome calls for a GET retry:
// a status servers use when they do not support HEAD, or the connection
// being dropped (some servers hang up on HEAD).
func refusal(resp response, err error) bool {
	if err != nil {
		return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
	}
	return refusesHEAD(resp.status)
}

// response is what check needs from an HTTP response.
type response struct {
	status   int
	location string
}

// do makes one request, holding host's slot (taken by the caller) and
// releasing it when done; it records Method and Duration in r.
func (cfg *config) do(ctx context.Context, client *http.Client, g *gate, host, method string, u *url.URL, r *Result) (response, error) {
	defer g.release(host)
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("User-Agent", cfg.userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8")
	r.Method = method
	start := time.Now()
	defer func() { r.Duration += time.Since(start) }()
	resp, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	if method == http.MethodGet {
		// Read a little so the server is not cut off mid-header; errors
		// here do not change the status already received.
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	}
	resp.Body.Close()
	return response{status: resp.StatusCode, location: resp.Header.Get("Location")}, nil
}

// describe turns a request error into a short human-readable reason.
func describe(err error) string {
	if _, ok := errors.AsType[*netguard.RefusedError](err); ok {
		return ErrPrivateAddress
	}
	if e, ok := errors.AsType[*net.DNSError](err); ok {
		switch {
		case e.IsNotFound:
			return ErrNoSuchHost
		case e.IsTimeout:
			return "DNS timeout"
		default:
			return "DNS error: " + truncate(e.Err, 80)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	if e, ok := errors.AsType[net.Error](err); ok && e.Timeout() {
		return ErrTimeout
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return "TLS certificate problem: unknown authority"
	}
	if e, ok := errors.AsType[x509.HostnameError](err); ok {
		return "TLS certificate problem: not valid for " + truncate(e.Host, 80)
	}
	if e, ok := errors.AsType[x509.CertificateInvalidError](err); ok {
		if e.Reason == x509.Expired {
			return "TLS certificate problem: expired or not yet valid"
		}
		return "TLS certificate problem: invalid certificate"
	}
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return "TLS certificate problem: verification failed"
	}
	if _, ok := errors.AsType[tls.RecordHeaderError](err); ok || errors.Is(err, http.ErrSchemeMismatch) {
		return "TLS handshake failed: server does not speak TLS"
	}
	if e, ok := errors.AsType[tls.AlertError](err); ok {
		return "TLS handshake failed: " + strings.TrimPrefix(e.Error(), "tls: ")
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrRefused
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by server"
	}
	if e, ok := errors.AsType[*url.Error](err); ok {
		err = e.Err // drop the `Head "http://…":` prefix
	}
	return truncate(err.Error(), 120)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// gate enforces the politeness limits of one Check and hands out jobs.
type gate struct {
	mu      sync.Mutex
	perHost int
	delay   time.Duration
	hosts   map[string]*hostState
	queue   []string // hosts that may have pending jobs, in order of first appearance
	pending int      // jobs not yet taken
	wake    chan struct{}
}

type hostState struct {
	inflight int       // requests in flight or about to start
	next     time.Time // earliest start of the next request
	jobs     []int     // pending jobs whose first request goes here, FIFO
}

func newGate(perHost int, delay time.Duration) *gate {
	return &gate{perHost: perHost, delay: delay, hosts: map[string]*hostState{}, wake: make(chan struct{})}
}

func (g *gate) state(host string) *hostState {
	h := g.hosts[host]
	if h == nil {
		h = &hostState{}
		g.hosts[host] = h
	}
	return h
}

// add queues job i, whose first request goes to host. Not safe once take
// has been called.
func (g *gate) add(host string, i int) {
	h := g.state(host)
	if len(h.jobs) == 0 {
		g.queue = append(g.queue, host)
	}
	h.jobs = append(h.jobs, i)
	g.pending++
}

// reserve claims a slot on h and returns when its request may start.
// g.mu must be held and h.inflight < g.perHost.
func (g *gate) reserve(h *hostState, now time.Time) time.Time {
	at := now
	if h.next.After(at) {
		at = h.next
	}
	h.next = at.Add(g.delay)
	h.inflight++
	return at
}

// take returns the next job whose host may be asked right now, with that
// host's slot claimed, waiting if no host is ready. It returns -1 when no
// jobs are left, and ctx.Err() if ctx ends first.
func (g *gate) take(ctx context.Context) (int, error) {
	for {
		g.mu.Lock()
		if g.pending == 0 {
			g.mu.Unlock()
			return -1, nil
		}
		now := time.Now()
		var soonest time.Time
		live := g.queue[:0]
		job := -1
		for qi, key := range g.queue {
			h := g.hosts[key]
			if len(h.jobs) == 0 {
				continue
			}
			live = append(live, key)
			if job >= 0 || h.inflight >= g.perHost {
				continue
			}
			if h.next.After(now) {
				if soonest.IsZero() || h.next.Before(soonest) {
					soonest = h.next
				}
				continue
			}
			job, h.jobs = h.jobs[0], h.jobs[1:]
			g.pending--
			g.reserve(h, now)
			if len(h.jobs) == 0 {
				live = live[:len(live)-1]
			}
			live = append(live, g.queue[qi+1:]...)
			break
		}
		g.queue = live
		wake := g.wake
		g.mu.Unlock()
		if job >= 0 {
			return job, nil
		}
		if err := sleep(ctx, soonest, wake); err != nil {
			return -1, err
		}
	}
}

// acquire claims a slot on host for one request and waits until the request
// may start. On error (ctx ended) no slot is held.
func (g *gate) acquire(ctx context.Context, host string) error {
	for {
		g.mu.Lock()
		h := g.state(host)
		if h.inflight < g.perHost {
			at := g.reserve(h, time.Now())
			g.mu.Unlock()
			if err := sleep(ctx, at, nil); err != nil {
				g.release(host)
				return err
			}
			return nil
		}
		wake := g.wake
		g.mu.Unlock()
		if err := sleep(ctx, time.Time{}, wake); err != nil {
			return err
		}
	}
}

// release gives back a slot on host and wakes any waiters.
func (g *gate) release(host string) {
	g.mu.Lock()
	g.hosts[host].inflight--
	close(g.wake)
	g.wake = make(chan struct{})
	g.mu.Unlock()
}

// sleep waits until the time until (if non-zero), wake is closed (if
// non-nil) or ctx ends, whichever is first; it returns ctx.Err() in the last
// case.
func sleep(ctx context.Context, until time.Time, wake <-chan struct{}) error {
	var timer <-chan time.Time
	if !until.IsZero() {
		d := time.Until(until)
		if d <= 0 {
			return ctx.Err()
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
