package http_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"haven"
	havenhttp "haven/http"
	"haven/metrics"
	"haven/sqlstore"
)

// scrape returns what /metrics would serve.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("/metrics: %d", w.Code)
	}
	return w.Body.String()
}

func TestMetrics(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	_, _, db := MustServer(t) // a second database, for link results
	m := metrics.New()
	m.WatchDB(db)
	s.Metrics = m
	ctx := context.Background()
	for _, l := range []struct {
		url, final, err string
		status          int
	}{{"https://a.example/", "", "", 200}, {"https://b.example/", "", "", 404}, {"https://c.example/", "https://c.example/new", "", 200}, {"https://d.example/", "", "timeout", 0}} {
		if err := sqlstore.NewCurationService(db).SaveLinkCheck(ctx, l.url, l.status, l.final, l.err, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"/api/v1/search?q=legal", "/api/v1/search?q=legal", "/directory?q=shelter", "/services/nope", "/no/such/page"} {
		do(s, "GET", u, nil)
	}
	do(s, "DELETE", "/directory", nil)
	body := scrape(t, m)
	for _, want := range []string{
		`haven_http_requests_total{route="GET /api/v1/search",status="200"} 2`,
		`haven_http_requests_total{route="GET /directory",status="200"} 1`,
		`haven_http_requests_total{route="GET /services/{id}",status="404"} 1`,
		`haven_http_requests_total{route="GET /",status="404"} 1`,
		`haven_http_requests_total{route="unmatched",status="405"} 1`,
		`haven_http_request_duration_seconds_count{route="GET /api/v1/search"} 2`,
		`haven_http_request_duration_seconds_bucket{route="GET /directory",le="+Inf"} 1`,
		`haven_searches_total{engine="sqlite"} 3`,
		`haven_http_requests_in_flight 0`,
		`haven_imports_total 0`,
		`haven_links{result="ok"} 1`,
		`haven_links{result="broken"} 2`,
		`haven_links{result="redirected"} 1`,
		`haven_db_pool_max_open_connections{pool="write"} 1`,
		`haven_db_pool_open_connections{pool="read"}`,
		`haven_db_up 1`,
		`process_resident_memory_bytes`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want+"\n") && !strings.Contains(body, want+" ") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// The route label is the pattern, never a path with ids or queries.
	if strings.Contains(body, "nope") || strings.Contains(body, "shelter") {
		t.Error("/metrics holds a path or a query")
	}
	db.Close()
	if body := scrape(t, m); !strings.Contains(body, "haven_db_up 0") {
		t.Error("a closed database does not show as haven_db_up 0")
	}
}

func TestReadyz(t *testing.T) {
	s, _, db := MustServer(t)
	var body map[string]string
	w := do(s, "GET", "/readyz", nil)
	json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != 200 || body["database"] != "up" || body["migrations"] != "current" || body["search_index"] != "ready" {
		t.Fatalf("readyz: %d %v", w.Code, body)
	}
	ready := false
	s.SearchReady = func() bool { return ready }
	if w := do(s, "GET", "/readyz", nil); w.Code != 503 || !strings.Contains(w.Body.String(), `"search_index":"building"`) {
		t.Errorf("readyz while the index builds: %d %s", w.Code, w.Body.String())
	}
	// Liveness does not wait for the index.
	if w := do(s, "GET", "/healthz", nil); w.Code != 200 {
		t.Errorf("healthz while the index builds: %d", w.Code)
	}
	ready = true
	if w := do(s, "GET", "/readyz", nil); w.Code != 200 {
		t.Errorf("readyz once the index is built: %d", w.Code)
	}
	db.Close()
	if w := do(s, "GET", "/readyz", nil); w.Code != 503 || !strings.Contains(w.Body.String(), `"database":"down"`) {
		t.Errorf("readyz without a database: %d %s", w.Code, w.Body.String())
	}
}

// TestRequestIDOnEveryLine makes a request fail inside, and checks that
// each line logged about it carries the id the response names.
func TestRequestIDOnEveryLine(t *testing.T) {
	s, logs, db := MustServer(t)
	s.Directory = sqlstore.NewDirectoryService(db)
	db.Close() // the search fails: an internal error, logged
	w := do(s, "GET", "/directory?q=shelter", nil)
	if w.Code != 500 {
		t.Fatalf("status %d", w.Code)
	}
	id := w.Header().Get("X-Request-Id")
	if len(id) != 16 {
		t.Fatalf("X-Request-Id = %q", id)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("want an error line and an access line, got:\n%s", logs.String())
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		if rec["request_id"] != id {
			t.Errorf("line without the request's id %s: %s", id, l)
		}
	}
}

// TestAPIRateLimit checks the per-client limit on the API: a 429 with
// Retry-After and a JSON message once the burst is spent, while other
// clients and the pages go on.
func TestAPIRateLimit(t *testing.T) {
	s, _, _ := MustServer(t)
	s.Limits.APIRate, s.Limits.APIBurst = 0.5, 3
	from := func(addr, path string, xff string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.RemoteAddr = addr + ":4321"
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	for i := range 3 {
		if w := from("192.0.2.1", "/api/v1/resources", ""); w.Code != 200 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := from("192.0.2.1", "/api/v1/resources", "")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"error":"Too many requests`) {
		t.Fatalf("4th request: %d, Retry-After %q, %s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	if w := from("192.0.2.2", "/api/v1/resources", ""); w.Code != 200 {
		t.Errorf("another client: %d", w.Code)
	}
	if w := from("192.0.2.1", "/resources", ""); w.Code != 200 {
		t.Errorf("the limited client's page: %d", w.Code)
	}
	// Without --trusted-proxy, X-Forwarded-For changes nothing: a client
	// cannot escape its limit by writing one.
	if w := from("192.0.2.1", "/api/v1/resources", "198.51.100.9"); w.Code != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For escaped the limit: %d", w.Code)
	}
}

// TestTrustedProxy checks whose address counts behind a reverse proxy.
func TestTrustedProxy(t *testing.T) {
	s, _, _ := MustServer(t)
	s.Limits.APIRate, s.Limits.APIBurst = 0.01, 1
	var err error
	if s.TrustedProxies, err = havenhttp.ParseProxies("10.0.0.0/8, 2001:db8::1"); err != nil {
		t.Fatal(err)
	}
	call := func(peer, xff string) int {
		r := httptest.NewRequest("GET", "/api/v1/resources", nil)
		r.RemoteAddr = net.JoinHostPort(peer, "1234")
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	steps := []struct {
		peer, xff string
		want      int
	}{
		{"10.0.0.5", "203.0.113.1", 200},
		{"10.0.0.6", "203.0.113.1", 429},                 // the same client through another proxy
		{"10.0.0.5", "203.0.113.2", 200},                 // another client through the same proxy
		{"10.0.0.5", "6.6.6.6, 203.0.113.1", 429},        // a forged hop before the real one changes nothing
		{"10.0.0.5", "203.0.113.3, 10.9.9.9", 200},       // the proxy's own hops are skipped
		{"10.0.0.5", "203.0.113.3", 429},                 // …so that was 203.0.113.3
		{"2001:db8::1", "203.0.113.4", 200},              // a single trusted address
		{"192.0.2.50", "203.0.113.5", 200},               // an untrusted peer is itself the client…
		{"192.0.2.50", "203.0.113.6", 429},               // …whatever it writes
		{"10.0.0.5", "not-an-address, 203.0.113.7", 200}, // the last good hop still counts
		{"10.0.0.5", "203.0.113.7, not-an-address", 200}, // a garbled last hop: the proxy is the client
		{"10.0.0.5", "", 429},                            // …as it is with no header
		{"::ffff:10.0.0.5", "203.0.113.8", 200},          // an IPv4-mapped peer is the same proxy
		{"10.0.0.5", "203.0.113.8", 429},
	}
	for i, st := range steps {
		if got := call(st.peer, st.xff); got != st.want {
			t.Errorf("step %d: peer %s, X-Forwarded-For %q: %d, want %d", i, st.peer, st.xff, got, st.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "example.org", "10.0.0/8"} {
		if _, err := havenhttp.ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted it", bad)
		}
	}
}

// gatedDirectory holds each search until the test lets it go, so that a
// search can be kept running; the data is the real store's.
type gatedDirectory struct {
	haven.DirectoryService
	started chan struct{}
	gate    chan struct{}
}

func (d gatedDirectory) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	d.started <- struct{}{}
	<-d.gate
	return d.DirectoryService.SearchDirectory(ctx, f)
}

// TestSearchConcurrencyLimit fills the search slots and checks that the
// next search waits, then gets a 503 with Retry-After, while other pages
// are served; once a slot frees, searches work again.
func TestSearchConcurrencyLimit(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	s.Limits.Searches, s.Limits.QueueWait = 1, 100*time.Millisecond
	gd := gatedDirectory{DirectoryService: s.Directory, started: make(chan struct{}, 8), gate: make(chan struct{})}
	s.Directory = gd
	first := make(chan int)
	go func() { first <- do(s, "GET", "/api/v1/search?q=legal", nil).Code }()
	<-gd.started
	w := do(s, "GET", "/api/v1/search?q=food", nil)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "busy") {
		t.Errorf("search beyond the limit: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	if w := do(s, "GET", "/directory?q=food", nil); w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "busy") {
		t.Errorf("directory page beyond the limit: %d", w.Code)
	}
	for _, u := range []string{"/resources", "/services/" + svcs[0].ID, "/api/hsds/services/" + svcs[0].ID} {
		if w := do(s, "GET", u, nil); w.Code != 200 {
			t.Errorf("%s while searches are full: %d", u, w.Code)
		}
	}
	close(gd.gate)
	if code := <-first; code != 200 {
		t.Errorf("the search holding the slot: %d", code)
	}
	if w := do(s, "GET", "/api/v1/search?q=food", nil); w.Code != 200 {
		t.Errorf("a search after the slot freed: %d", w.Code)
	}
}

// liveServer serves s on a free local port.
func liveServer(t *testing.T, s *havenhttp.Server) string {
	t.Helper()
	if err := s.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return "http://" + s.Addr()
}

// TestSlowLorisCutOff opens connections that send their headers a byte at
// a time and never finish them: the server must close each once the
// header timeout passes, and serve an ordinary visitor all along.
func TestSlowLorisCutOff(t *testing.T) {
	s, _, _ := MustServer(t)
	s.Limits.ReadHeaderTimeout = 300 * time.Millisecond
	base := liveServer(t, s)
	const lorises = 20
	var wg sync.WaitGroup
	cut := make(chan time.Duration, lorises)
	stop := make(chan struct{})
	for range lorises {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", s.Addr())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			start := time.Now()
			closed := make(chan struct{})
			go func() { io.Copy(io.Discard, c); close(closed) }()
			c.Write([]byte("GET / HTTP/1.1\r\nHost: haven\r\n"))
			for i := 0; ; i++ {
				select {
				case <-closed:
					cut <- time.Since(start)
					return
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					c.Write([]byte{"X-Slow: abcdef\r\n"[i%16]})
				}
			}
		}()
	}
	// An ordinary visitor is served while the lorises trickle.
	for range 5 {
		resp, err := http.Get(base + "/resources")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("ordinary visitor: %v %v", err, resp)
		}
		resp.Body.Close()
		time.Sleep(50 * time.Millisecond)
	}
	deadline := time.After(10 * time.Second)
	for i := range lorises {
		select {
		case d := <-cut:
			if i == 0 {
				t.Logf("first slow-loris connection closed after %v", d.Round(time.Millisecond))
			}
		case <-deadline:
			close(stop)
			wg.Wait()
			t.Fatalf("only %d of %d slow connections were closed within 10s", i, lorises)
		}
	}
	close(stop)
	wg.Wait()
}

// TestOversizedBodyCutOff sends bodies over the limit, with and without a
// declared length: each gets a 413 without the server reading it all, and
// others are served meanwhile.
func TestOversizedBodyCutOff(t *testing.T) {
	s, _, _ := MustServer(t)
	s.Limits.MaxBodyBytes = 64 << 10
	base := liveServer(t, s)

	// A declared length over the limit is refused before the body is read:
	// the client gets its answer while it still has almost all to send.
	c, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /suggest HTTP/1.1\r\nHost: haven\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", 100<<20)
	c.Write(bytes.Repeat([]byte("a"), 1000))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a 100 MB declared body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 100 MB: %d, want 413", resp.StatusCode)
	}
	resp.Body.Close()

	// A streamed body of unknown length is cut where it passes the limit.
	// An ordinary visitor is served while the big body is being refused.
	pr, pw := io.Pipe()
	go func() {
		chunk := []byte("body=" + strings.Repeat("x", 8<<10))
		for i := 0; i < 10_000; i++ { // 80 MB if nobody stops it
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", base+"/suggest", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- nil
			return
		}
		done <- resp
	}()
	if resp, err := http.Get(base + "/resources"); err != nil || resp.StatusCode != 200 {
		t.Errorf("ordinary visitor during the big upload: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	select {
	case resp := <-done:
		if resp == nil {
			break // the server closed the connection mid-upload: cut off too
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("streamed big body: %d, want 413", resp.StatusCode)
		}
		resp.Body.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the streamed big body was not cut off within 10s")
	}
	pr.CloseWithError(errors.New("test over"))

	// A form over the handler's own, smaller limit is a 413 too.
	form := url.Values{"body": {strings.Repeat("y", 40<<10)}}
	if w := post(s, "/suggest", form, nil); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("form over the suggestion limit: %d, want 413", w.Code)
	}
	// A query string over the limit is a 400 that says so.
	if w := do(s, "GET", "/api/v1/search?q="+strings.Repeat("a", 5000), nil); w.Code != 400 || !strings.Contains(w.Body.String(), "too long") {
		t.Errorf("huge query string: %d %s", w.Code, w.Body.String())
	}
}

// TestClientGoneIsNoError checks that a visitor leaving mid-request is
// recorded as 499, not logged as an internal error nor counted as a 5xx.
func TestClientGoneIsNoError(t *testing.T) {
	s, logs, db := MustServer(t)
	MustImportSample(t, db, 10)
	s.Directory = sqlstore.NewDirectoryService(db)
	s.Metrics = metrics.New()
	for _, u := range []string{"/directory?q=legal", "/api/v1/search?q=legal"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", u, nil).WithContext(ctx))
		if w.Code != 499 {
			t.Errorf("%s with the client gone: %d, want 499", u, w.Code)
		}
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a client leaving was logged as an error:\n%s", logs.String())
	}
	if body := scrape(t, s.Metrics); !strings.Contains(body, `route="GET /directory",status="499"} 1`) || strings.Contains(body, `status="500"`) {
		t.Errorf("metrics:\n%s", body)
	}
}
