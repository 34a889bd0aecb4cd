package linkcheck

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testChecker is a Checker without politeness delay and with short
// timeouts, allowed to reach the test servers on loopback.
func testChecker() *Checker {
	c := New()
	c.HostDelay = 0
	c.Timeout = 5 * time.Second
	c.AllowPrivate = true
	return c
}

// checkOne checks a single URL and returns its result.
func checkOne(t *testing.T, c *Checker, u string) Result {
	t.Helper()
	rs, err := c.Check(t.Context(), []string{u}, nil)
	if err != nil {
		t.Fatalf("Check(%s): %v", u, err)
	}
	if len(rs) != 1 {
		t.Fatalf("Check(%s): %d results", u, len(rs))
	}
	return rs[0]
}

// testServer serves testHandler until the test ends.
func testServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(testHandler())
	t.Cleanup(srv.Close)
	return srv
}

// testHandler serves the fixed paths the basic tests use.
func testHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/nohead/{code}", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			code, _ := strconv.Atoi(r.PathValue("code"))
			w.WriteHeader(code)
			return
		}
		io.WriteString(w, strings.Repeat("x", 200<<10)) // more than is read
	})
	mux.HandleFunc("/hangup-on-head", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) })
	mux.HandleFunc("/chain/1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/chain/2", http.StatusMovedPermanently) // absolute
	})
	mux.HandleFunc("/chain/2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "3") // relative to /chain/2
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/chain/3", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/rel/a/b", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "../c?x=1")
		w.WriteHeader(http.StatusSeeOther)
	})
	mux.HandleFunc("/rel/c", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/ok")
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/loop/b")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/loop/a")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("seen"); err != nil {
			http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1", Path: "/"})
			w.Header().Set("Location", "/cookie")
			w.WriteHeader(http.StatusFound)
		}
	})
	mux.HandleFunc("/many/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Header().Set("Location", "/many/"+strconv.Itoa(n+1))
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/to-mailto", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "mailto:help@example.org")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/no-location", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusMovedPermanently)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	return mux
}

func TestStatuses(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	for _, tc := range []struct {
		path         string
		status       int
		ok, broken   bool
		method, err  string
		redirected   bool
		wantRedirect bool
	}{
		{path: "/ok", status: 200, ok: true, method: "HEAD"},
		{path: "/404", status: 404, broken: true, method: "HEAD"},
		{path: "/500", status: 500, broken: true, method: "HEAD"},
		{path: "/nohead/405", status: 200, ok: true, method: "GET"},
		{path: "/nohead/501", status: 200, ok: true, method: "GET"},
		{path: "/nohead/403", status: 200, ok: true, method: "GET"},
		{path: "/nohead/400", status: 200, ok: true, method: "GET"},
		{path: "/nohead/404", status: 404, broken: true, method: "HEAD"}, // 404 is believed
		{path: "/forbidden", status: 403, broken: true, method: "GET"},   // GET tried, still 403
		{path: "/hangup-on-head", status: 200, ok: true, method: "GET"},
		{path: "/no-location", status: 301, broken: true, method: "HEAD", err: "redirect without Location"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := checkOne(t, c, srv.URL+tc.path)
			if r.Status != tc.status || r.OK() != tc.ok || r.Broken() != tc.broken || r.Method != tc.method || r.Error != tc.err || r.Redirected() {
				t.Errorf("got %+v; want status %d ok %v broken %v method %s error %q", r, tc.status, tc.ok, tc.broken, tc.method, tc.err)
			}
			if r.URL != srv.URL+tc.path || r.CheckedAt.IsZero() || r.Duration <= 0 {
				t.Errorf("URL/CheckedAt/Duration not filled in: %+v", r)
			}
		})
	}
}

func TestRedirectChain(t *testing.T) {
	srv := testServer(t)
	r := checkOne(t, testChecker(), srv.URL+"/chain/1")
	want := []string{srv.URL + "/chain/2", srv.URL + "/chain/3"}
	if !r.OK() || r.Status != 200 || !slices.Equal(r.Redirects, want) || r.FinalURL != srv.URL+"/chain/3" || !r.Redirected() {
		t.Errorf("got %+v; want 200 via %v", r, want)
	}
}

func TestRelativeLocation(t *testing.T) {
	srv := testServer(t)
	r := checkOne(t, testChecker(), srv.URL+"/rel/a/b#frag")
	want := []string{srv.URL + "/rel/c?x=1", srv.URL + "/ok"}
	if !r.OK() || !slices.Equal(r.Redirects, want) || r.FinalURL != srv.URL+"/ok" {
		t.Errorf("got %+v; want 200 via %v", r, want)
	}
}

func TestRedirectLoop(t *testing.T) {
	srv := testServer(t)
	r := checkOne(t, testChecker(), srv.URL+"/loop/a")
	if r.Error != ErrRedirectLoop || !r.Broken() || r.Status != 302 {
		t.Errorf("got %+v; want redirect loop", r)
	}
	if len(r.Redirects) > 6 {
		t.Errorf("loop detected late: %v", r.Redirects)
	}
}

func TestCookieSelfRedirectIsNotALoop(t *testing.T) {
	srv := testServer(t)
	r := checkOne(t, testChecker(), srv.URL+"/cookie")
	if !r.OK() || len(r.Redirects) != 1 || r.Redirected() {
		t.Errorf("got %+v; want 200 after one redirect to itself", r)
	}
}

func TestTooManyRedirects(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	c.MaxRedirects = 3
	r := checkOne(t, c, srv.URL+"/many/0")
	if r.Error != ErrTooManyRedirects || !r.Broken() || r.FinalURL != srv.URL+"/many/3" || len(r.Redirects) != 4 {
		t.Errorf("got %+v; want too many redirects after following 3", r)
	}
	c.MaxRedirects = 0 // default 10
	r = checkOne(t, c, srv.URL+"/many/0")
	if r.Error != ErrTooManyRedirects || r.FinalURL != srv.URL+"/many/10" {
		t.Errorf("default limit: got %+v", r)
	}
}

func TestRedirectToUnsupportedScheme(t *testing.T) {
	srv := testServer(t)
	r := checkOne(t, testChecker(), srv.URL+"/to-mailto")
	if r.Error != "redirect to unsupported scheme" || !slices.Equal(r.Redirects, []string{"mailto:help@example.org"}) {
		t.Errorf("got %+v", r)
	}
}

func TestTimeout(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	c.Timeout = 100 * time.Millisecond
	start := time.Now()
	r := checkOne(t, c, srv.URL+"/slow")
	if r.Error != ErrTimeout || r.Status != 0 || !r.Broken() {
		t.Errorf("got %+v; want timeout", r)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timeout took %v", d)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := checkOne(t, testChecker(), "http://"+addr+"/")
	if r.Error != ErrRefused || r.Status != 0 || !r.Broken() || r.Method != "HEAD" {
		t.Errorf("got %+v; want connection refused", r)
	}
}

// nxdomainResolver is a resolver that never leaves the process: every query
// is answered NXDOMAIN by an in-memory DNS server over a pipe.
func nxdomainResolver() *net.Resolver { return pipeResolver(false) }

// loopbackResolver answers every A query for every name with 127.0.0.1,
// as a hostile name server does, and AAAA queries with nothing; it never
// leaves the process.
func loopbackResolver() *net.Resolver { return pipeResolver(true) }

// pipeResolver is a resolver whose name server is in memory, over a pipe
// (not a PacketConn, so DNS-over-TCP framing): it answers A queries with
// 127.0.0.1 when loopback is set, and NXDOMAIN to everything otherwise.
func pipeResolver(loopback bool) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		client, server := net.Pipe()
		go serveDNS(server, loopback)
		return client, nil
	}}
}

func serveDNS(c net.Conn, loopback bool) {
	defer c.Close()
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
			return
		}
		end := 12 // skip the question name, then type and class
		for end < len(q) && q[end] != 0 {
			end += int(q[end]) + 1
		}
		end += 5
		if end > len(q) {
			return
		}
		resp := slices.Clone(q[:end])
		resp[2] = 0x80 | q[2]&0x79 // QR, opcode, RD
		resp[3] = 0x80 | 3         // RA, NXDOMAIN
		binary.BigEndian.PutUint16(resp[4:], 1)
		clear(resp[6:12]) // no answers, authority or additional records
		if loopback {
			resp[3] = 0x80 // RA, no error
			if qtype := binary.BigEndian.Uint16(q[end-4:]); qtype == 1 {
				binary.BigEndian.PutUint16(resp[6:], 1)
				resp = append(resp, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1)
			}
		}
		binary.BigEndian.PutUint16(n[:], uint16(len(resp)))
		if _, err := c.Write(append(n[:], resp...)); err != nil {
			return
		}
	}
}

func TestNoSuchHost(t *testing.T) {
	c := testChecker()
	dialer := &net.Dialer{Resolver: nxdomainResolver(), Timeout: 2 * time.Second}
	c.Client = &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}} // no proxy
	r := checkOne(t, c, "http://no-such-host.invalid/")
	if r.Error != ErrNoSuchHost || r.Status != 0 || !r.Broken() {
		t.Errorf("got %+v; want no such host", r)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is logged
	srv.StartTLS()
	defer srv.Close()
	r := checkOne(t, testChecker(), srv.URL+"/")
	if r.Error != "TLS certificate problem: unknown authority" {
		t.Errorf("untrusted certificate: got %+v", r)
	}
	c := testChecker()
	c.Client = srv.Client()
	if r := checkOne(t, c, srv.URL+"/"); !r.OK() {
		t.Errorf("trusted certificate: got %+v", r)
	}
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	r = checkOne(t, testChecker(), strings.Replace(plain.URL, "http:", "https:", 1))
	if !strings.HasPrefix(r.Error, "TLS handshake failed") {
		t.Errorf("https to a plain server: got %+v", r)
	}
}

func TestInvalidURLs(t *testing.T) {
	var hits atomic.Int32
	c := testChecker()
	c.Client = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return nil, errors.New("no request expected")
	})}
	in := map[string]string{
		"mailto:help@example.org": ErrUnsupportedScheme,
		"ftp://example.org/file":  ErrUnsupportedScheme,
		"javascript:alert(1)":     ErrUnsupportedScheme,
		"tel:+15555550100":        ErrUnsupportedScheme,
		"":                        ErrInvalidURL,
		"   ":                     ErrInvalidURL,
		"http://":                 ErrInvalidURL,
		"https:///path":           ErrInvalidURL,
		"http:example.org":        ErrInvalidURL,
		"www.example.org/page":    ErrInvalidURL,
		"/relative/path":          ErrInvalidURL,
		"http://[::1":             ErrInvalidURL,
		"http://exa mple.org/":    ErrInvalidURL,
		"%zz":                     ErrInvalidURL,
	}
	var urls []string
	for u := range in {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	rs, err := c.Check(t.Context(), urls, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests made", hits.Load())
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.URL)
		if want := in[r.URL]; r.Error != want || r.Status != 0 || r.Method != "" || !r.Broken() || r.OK() {
			t.Errorf("%q: got %+v; want error %q", r.URL, r, want)
		}
	}
	// "" and "   " are the same URL once trimmed; the first spelling is kept.
	want := slices.DeleteFunc(slices.Clone(urls), func(s string) bool { return s == "   " })
	if !slices.Equal(got, want) {
		t.Errorf("results for %q; want %q", got, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDuplicatesCheckedOnceInOrder(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/gone" {
			w.WriteHeader(410)
		}
	}))
	defer srv.Close()
	c := testChecker()
	urls := []string{srv.URL + "/c", srv.URL + "/a", srv.URL + "/c", srv.URL + "/gone", srv.URL + "/a", " " + srv.URL + "/gone", srv.URL + "/b"}
	rs, err := c.Check(t.Context(), urls, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, strings.TrimPrefix(r.URL, srv.URL))
	}
	if want := []string{"/c", "/a", "/gone", "/b"}; !slices.Equal(got, want) {
		t.Errorf("order %v; want %v", got, want)
	}
	if rs[2].Status != 410 || !rs[2].Broken() {
		t.Errorf("/gone: %+v", rs[2])
	}
	for p, n := range hits {
		if n != 1 {
			t.Errorf("%s requested %d times", p, n)
		}
	}
}

// arrivals records when requests reach a server, and how many are in flight.
type arrivals struct {
	mu       sync.Mutex
	times    []time.Time
	inflight int
	peak     int
}

func (a *arrivals) handler(hold time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.times = append(a.times, time.Now())
		a.inflight++
		a.peak = max(a.peak, a.inflight)
		a.mu.Unlock()
		defer func() {
			a.mu.Lock()
			a.inflight--
			a.mu.Unlock()
		}()
		time.Sleep(hold)
		if next != nil {
			next.ServeHTTP(w, r)
		}
	})
}

func urlsOn(base string, n int) []string {
	var us []string
	for i := range n {
		us = append(us, fmt.Sprintf("%s/p%d", base, i))
	}
	return us
}

// jitter allows for the loopback network: the checker spaces the starts of
// requests, and the first request's connection set-up can delay its arrival
// at the server more than later ones' — by 7 ms once on a busy 2-core
// machine. A checker that does not wait at all still fails by far.
const jitter = 20 * time.Millisecond

func TestHostDelay(t *testing.T) {
	var a, b arrivals
	srvA := httptest.NewServer(a.handler(0, nil))
	defer srvA.Close()
	srvB := httptest.NewServer(b.handler(0, nil))
	defer srvB.Close()
	c := testChecker()
	c.HostDelay = 100 * time.Millisecond

	t.Run("one host", func(t *testing.T) {
		start := time.Now()
		if _, err := c.Check(t.Context(), urlsOn(srvA.URL, 5), nil); err != nil {
			t.Fatal(err)
		}
		if len(a.times) != 5 {
			t.Fatalf("%d requests", len(a.times))
		}
		for i := 1; i < len(a.times); i++ {
			if gap := a.times[i].Sub(a.times[i-1]); gap < c.HostDelay-jitter {
				t.Errorf("requests %d and %d only %v apart", i-1, i, gap)
			}
		}
		if d := time.Since(start); d < 4*c.HostDelay-jitter {
			t.Errorf("5 requests took %v", d)
		}
	})

	t.Run("two hosts interleave", func(t *testing.T) {
		a.times, b.times = nil, nil
		start := time.Now()
		urls := append(urlsOn(srvA.URL, 5), urlsOn(srvB.URL, 5)...) // all of A first
		if _, err := c.Check(t.Context(), urls, nil); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		if len(a.times) != 5 || len(b.times) != 5 {
			t.Fatalf("%d and %d requests", len(a.times), len(b.times))
		}
		for _, ts := range [][]time.Time{a.times, b.times} {
			for i := 1; i < len(ts); i++ {
				if gap := ts[i].Sub(ts[i-1]); gap < c.HostDelay-jitter {
					t.Errorf("requests %d and %d only %v apart", i-1, i, gap)
				}
			}
		}
		if !b.times[0].Before(a.times[1]) {
			t.Errorf("host B waited for host A: first B at %v, second A at %v", b.times[0].Sub(start), a.times[1].Sub(start))
		}
		if d > 7*c.HostDelay { // one after the other would take at least 9
			t.Errorf("two hosts took %v; not interleaved", d)
		}
	})
}

func TestPerHost(t *testing.T) {
	for _, perHost := range []int{1, 2} {
		t.Run(strconv.Itoa(perHost), func(t *testing.T) {
			var a, b arrivals
			srvB := httptest.NewServer(b.handler(20*time.Millisecond, nil))
			defer srvB.Close()
			// Every URL on A redirects to B: the hops count against B.
			srvA := httptest.NewServer(a.handler(20*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, srvB.URL+r.URL.Path, http.StatusFound)
			})))
			defer srvA.Close()
			c := testChecker()
			c.PerHost = perHost
			c.Concurrency = 8
			urls := append(urlsOn(srvA.URL, 8), urlsOn(srvB.URL, 8)...)
			rs, err := c.Check(t.Context(), urls, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if !r.OK() {
					t.Errorf("%+v", r)
				}
			}
			if a.peak != perHost || b.peak != perHost {
				t.Errorf("peak in flight A %d, B %d; want %d", a.peak, b.peak, perHost)
			}
			if len(b.times) != 16 {
				t.Errorf("B got %d requests; want 16", len(b.times))
			}
		})
	}
}

func TestConcurrency(t *testing.T) {
	var a arrivals
	srv := httptest.NewServer(a.handler(30*time.Millisecond, nil))
	defer srv.Close()
	c := testChecker()
	c.Concurrency = 3
	c.PerHost = 100
	if _, err := c.Check(t.Context(), urlsOn(srv.URL, 15), nil); err != nil {
		t.Fatal(err)
	}
	if a.peak > 3 || a.peak < 2 {
		t.Errorf("peak in flight %d; want 3", a.peak)
	}

	// The bound holds across hosts too.
	var peak, inflight atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
	})
	var urls []string
	for range 5 {
		s := httptest.NewServer(h)
		defer s.Close()
		urls = append(urls, urlsOn(s.URL, 3)...)
	}
	if _, err := c.Check(t.Context(), urls, nil); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("peak in flight over 5 hosts %d; want at most 3", p)
	}
}

func TestCancel(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	c.Concurrency = 4
	c.PerHost = 4
	urls := []string{srv.URL + "/ok", srv.URL + "/404"}
	for i := range 20 {
		urls = append(urls, fmt.Sprintf("%s/slow?%d", srv.URL, i))
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	rs, err := c.Check(ctx, urls, nil)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Check returned %v after cancel", d-200*time.Millisecond)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
	if len(rs) != 2 || rs[0].URL != urls[0] || rs[1].URL != urls[1] || !rs[0].OK() || rs[1].Status != 404 {
		t.Errorf("got %+v; want the two completed results", rs)
	}

	// Already cancelled: invalid URLs are still reported, nothing is fetched.
	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	rs, err = c.Check(ctx, []string{srv.URL + "/ok", "mailto:x@example.org"}, nil)
	if !errors.Is(err, context.Canceled) || len(rs) != 1 || rs[0].Error != ErrUnsupportedScheme {
		t.Errorf("cancelled: %+v, %v", rs, err)
	}
}

func TestCancelDuringHostDelay(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	c.HostDelay = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	rs, err := c.Check(ctx, []string{srv.URL + "/ok", srv.URL + "/404", srv.URL + "/nohead/405"}, nil)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Check took %v", d)
	}
	if !errors.Is(err, context.Canceled) || len(rs) != 1 || !rs[0].OK() {
		t.Errorf("got %+v, %v", rs, err)
	}
	// The HEAD/GET fallback also waits its turn.
	ctx, cancel = context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	rs, err = c.Check(ctx, []string{srv.URL + "/nohead/405"}, nil)
	if !errors.Is(err, context.Canceled) || len(rs) != 0 {
		t.Errorf("fallback: got %+v, %v", rs, err)
	}
}

func TestProgress(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	urls := append(urlsOn(srv.URL, 6), "mailto:a@example.org", srv.URL+"/p1", "")
	var calls [][2]int
	rs, err := c.Check(t.Context(), urls, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 8 || len(calls) != 8 {
		t.Fatalf("%d results, %d progress calls; want 8", len(rs), len(calls))
	}
	for i, call := range calls {
		if call != [2]int{i + 1, 8} {
			t.Errorf("call %d: progress%v", i, call)
		}
	}
}

func TestNow(t *testing.T) {
	srv := testServer(t)
	c := testChecker()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c.Now = func() time.Time { return at }
	if r := checkOne(t, c, srv.URL+"/ok"); !r.CheckedAt.Equal(at) {
		t.Errorf("CheckedAt %v", r.CheckedAt)
	}
}

func TestUserAgent(t *testing.T) {
	var mu sync.Mutex
	var uas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas = append(uas, r.UserAgent())
		mu.Unlock()
	}))
	defer srv.Close()
	checkOne(t, testChecker(), srv.URL)
	c := &Checker{UserAgent: "custom", AllowPrivate: true} // zero value otherwise
	checkOne(t, c, srv.URL)
	if !slices.Equal(uas, []string{"Haven link checker", "custom"}) {
		t.Errorf("User-Agents %q", uas)
	}
}

func TestHostKey(t *testing.T) {
	for in, want := range map[string]string{
		"http://Example.ORG/a":       "example.org",
		"https://example.org:443/":   "example.org",
		"http://example.org:80/":     "example.org",
		"http://example.org:443/":    "example.org:443",
		"https://example.org.:8443/": "example.org:8443",
		"http://[::1]:8080/":         "[::1]:8080",
	} {
		u, reason := parse(in)
		if reason != "" {
			t.Fatalf("%s: %s", in, reason)
		}
		if got := hostKey(u); got != want {
			t.Errorf("hostKey(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	srv := httptest.NewServer(testHandler())
	defer srv.Close()
	before := runtime.NumGoroutine()
	c := New()
	c.AllowPrivate = true
	c.HostDelay = 10 * time.Millisecond
	c.Timeout = 100 * time.Millisecond
	c.PerHost = 3
	urls := []string{srv.URL + "/ok", srv.URL + "/chain/1", srv.URL + "/nohead/405", srv.URL + "/slow", srv.URL + "/loop/a", "ftp://x"}
	if _, err := c.Check(t.Context(), urls, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	c.Timeout = 5 * time.Second
	c.Check(ctx, append(urls, srv.URL+"/slow?2", srv.URL+"/slow?3"), nil)

	// The server is still up: its connection goroutines end only if the
	// checker closed its idle connections.

	deadline := time.Now().Add(3 * time.Second)
	for {
		// Slack for runtime housekeeping; one leaked idle connection alone
		// would cost three (client read and write loops, server conn).
		after := runtime.NumGoroutine()
		if after <= before+2 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func BenchmarkCheck(b *testing.B) {
	var urls []string
	for range 10 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer srv.Close()
		urls = append(urls, urlsOn(srv.URL, 10)...)
	}
	c := New()
	c.HostDelay = 0
	c.AllowPrivate = true
	b.ReportAllocs()
	for b.Loop() {
		rs, err := c.Check(b.Context(), urls, nil)
		if err != nil || len(rs) != 100 || !rs[99].OK() {
			b.Fatalf("%d results, %v", len(rs), err)
		}
	}
}
