package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"haven/hsds"
	havenhttp "haven/http"
	"haven/sqlstore"
)

// MustRunMain runs haven with args against a database in a temporary folder
// and returns what it printed.
func MustRunMain(tb testing.TB, db string, args ...string) string {
	tb.Helper()
	out, err := runMain(db, args...)
	if err != nil {
		tb.Fatalf("haven %v: %v\n%s", args, err, out)
	}
	return out
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func runMain(db string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(""), Logger: discardLogger()}
	if db != "" {
		args = append(args, "--db", db)
	}
	err := m.Run(context.Background(), args)
	return stdout.String() + stderr.String(), err
}

func TestHelp(t *testing.T) {
	out := MustRunMain(t, "", "help")
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %s", c.name)
		}
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}} {
			out, err := runMain("", args...)
			if !errors.Is(err, flag.ErrHelp) {
				t.Errorf("haven %v: err = %v, want ErrHelp", args, err)
			}
			if !strings.Contains(out, "Usage: haven "+c.name) {
				t.Errorf("haven %v does not explain the command:\n%s", args, out)
			}
		}
	}
	if out := MustRunMain(t, "", "--help"); !strings.Contains(out, "Commands:") {
		t.Errorf("--help: %s", out)
	}
	if out, _ := runMain("", "serve", "--help"); !strings.Contains(out, "-addr") || !strings.Contains(out, "HAVEN_DB") {
		t.Errorf("serve --help does not list its flags:\n%s", out)
	}
	if _, err := runMain("", "frobnicate"); err == nil {
		t.Error("an unknown command should fail")
	}
}

func TestResourcesCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	out := MustRunMain(t, db, "resources", "list")
	if !strings.Contains(out, "36 of 36 entries") {
		t.Errorf("resources list:\n%s", out)
	}
	out = MustRunMain(t, db, "resources", "list", "--section", "hotlines", "--json")
	var list havenhttp.ResourceList
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Total != 1 {
		t.Errorf("resources list --section hotlines --json: total %d, err %v", list.Total, err)
	}
	out = MustRunMain(t, db, "resources", "show", "national-human-trafficking-hotline")
	if !strings.Contains(out, "1-888-373-7888") || !strings.Contains(out, "233733") {
		t.Errorf("resources show:\n%s", out)
	}
	if _, err := runMain(db, "resources", "show", "nope"); err == nil || !strings.Contains(errorText(err), "nope") {
		t.Errorf("show of an unknown id: %v", err)
	}
	if _, err := runMain(db, "resources", "list", "--section", "books"); err == nil || !strings.Contains(errorText(err), "books") {
		t.Errorf("list of an unknown section: %v", err)
	}
}

// TestSearchMatchesAPI checks "haven search" gives what the API gives.
func TestSearchMatchesAPI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	for _, q := range []string{"screen", "T visa", "víctimas", "law enforcement"} {
		cli := MustRunMain(t, db, "search", q, "--json", "--per-page", "20")

		store, err := sqlstore.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		s := havenhttp.NewServer()
		s.Resources, s.DB = sqlstore.NewResourceService(store), store
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/resources?lang=en&q="+strings.ReplaceAll(q, " ", "+"), nil))
		store.Close()

		var a, b havenhttp.ResourceList
		if err := json.Unmarshal([]byte(cli), &a); err != nil {
			t.Fatalf("%q: %v\n%s", q, err, cli)
		}
		json.Unmarshal(w.Body.Bytes(), &b)
		if a.Total == 0 || a.Total != b.Total || len(a.Items) != len(b.Items) {
			t.Fatalf("%q: cli total %d, api total %d", q, a.Total, b.Total)
		}
		for i := range a.Items {
			if a.Items[i].ID != b.Items[i].ID {
				t.Errorf("%q: item %d: cli %s, api %s", q, i, a.Items[i].ID, b.Items[i].ID)
			}
		}
	}
	out := MustRunMain(t, db, "search", "screening")
	if !strings.Contains(out, "screening-tool-for-victims-of-human-trafficking") || !strings.Contains(out, "TITLE") {
		t.Errorf("table output:\n%s", out)
	}
}

// TestServeGracefully builds the real binary, starts it on a free port with
// a fresh database, waits for it to answer, sends SIGTERM and expects a
// clean exit. Then it starts it again on the same file, which must keep
// everything.
func TestServeGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "haven")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for round := range 2 {
		var logs syncBuffer
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
		cmd.Dir = dir // haven.db lands in the working directory by default
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		url := waitForURL(t, &logs)
		resp, err := http.Get(url + "api/v1/resources")
		if err != nil {
			t.Fatal(err)
		}
		var list havenhttp.ResourceList
		json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if list.Total != 36 {
			t.Errorf("round %d: %d entries, want 36", round, list.Total)
		}
		if resp, err := http.Get(url + "readyz"); err != nil || resp.StatusCode != 200 {
			t.Errorf("round %d: /readyz: %v %v", round, err, resp)
		} else {
			resp.Body.Close()
		}
		if m := metricsURL.FindStringSubmatch(logs.String()); m == nil {
			t.Errorf("round %d: no metrics address logged", round)
		} else {
			// The server counts a request once its answer is written, which
			// can be just after the client has read it: look again briefly.
			var b []byte
			for try := 0; try < 20; try++ {
				resp, err := http.Get(m[1])
				if err != nil {
					t.Errorf("round %d: /metrics: %v", round, err)
					break
				}
				b, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
				if strings.Contains(string(b), `haven_http_requests_total{route="GET /api/v1/resources",status="200"} 1`) {
					b = nil
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if b != nil {
				t.Errorf("round %d: /metrics does not count the request:\n%.2000s", round, b)
			}
		}
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("round %d: exit after SIGTERM: %v\n%s", round, err, logs.String())
		}
		if !strings.Contains(logs.String(), "stopped") {
			t.Errorf("round %d: no clean stop logged:\n%s", round, logs.String())
		}
		if loaded := strings.Contains(logs.String(), "loaded the resource library"); loaded != (round == 0) {
			t.Errorf("round %d: seed loaded = %v", round, loaded)
		}
	}
}

var (
	servingURL = regexp.MustCompile(`"url":"(http://[^"]+/)"`)
	metricsURL = regexp.MustCompile(`"url":"(http://[^"]+/metrics)"`)
)

// waitForURL reads a child server's logs, which it writes while the test
// reads them: hence a syncBuffer, never a bare bytes.Buffer.
func waitForURL(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingURL.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", logs.String())
	return ""
}

func TestEnvDefaults(t *testing.T) {
	t.Setenv("HAVEN_DB", filepath.Join(t.TempDir(), "env.db"))
	out := MustRunMain(t, "", "migrate")
	if !strings.Contains(out, "env.db") {
		t.Errorf("HAVEN_DB not used: %s", out)
	}
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	var stdout, stderr bytes.Buffer
	run := func(stdin string, args ...string) error {
		stdout.Reset()
		stderr.Reset()
		m := &Main{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(stdin), Logger: discardLogger()}
		return m.Run(context.Background(), append(args, "--db", db))
	}
	if err := run("a sufficiently long passphrase\n", "user", "add", "--role", "curator", "Ana@Example.org"); err != nil {
		t.Fatalf("%v %s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "added ana@example.org as curator") {
		t.Errorf("output: %s", stdout.String())
	}
	for _, tc := range []struct{ stdin, role, email, want string }{
		{"short\n", "curator", "b@example.org", "12 characters"},
		{"a sufficiently long passphrase\n", "owner", "b@example.org", "--role"},
		{"a sufficiently long passphrase\n", "curator", "not-an-email", "e-mail"},
		{"a sufficiently long passphrase\n", "admin", "ana@example.org", "already exists"},
		{"", "curator", "c@example.org", "no password"},
	} {
		err := run(tc.stdin, "user", "add", "--role", tc.role, tc.email)
		if err == nil || !strings.Contains(errorText(err), tc.want) {
			t.Errorf("user add %s %s: %v, want %q", tc.role, tc.email, err, tc.want)
		}
	}
}

// syncBuffer is a buffer a server logs to while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeSearchModes serves the sample directory with each --search mode
// and expects the same answers from the API.
func TestServeSearchModes(t *testing.T) {
	if _, err := runMain(filepath.Join(t.TempDir(), "h.db"), "serve", "--search", "fast"); err == nil || !strings.Contains(err.Error(), "--search") {
		t.Errorf("--search fast: %v", err)
	}
	db := filepath.Join(t.TempDir(), "h.db")
	var answers []string
	for _, mode := range []string{"sql", "index", "auto"} {
		ctx, cancel := context.WithCancel(context.Background())
		var logs syncBuffer
		m := &Main{Stdout: io.Discard, Stderr: io.Discard, Stdin: strings.NewReader(""), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
		done := make(chan error, 1)
		go func() {
			done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--sample", "--jobs-tick", "0", "--search", mode})
		}()
		var url string
		for deadline := time.Now().Add(20 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if m := servingURL.FindStringSubmatch(logs.String()); m != nil {
				url = m[1]
			}
		}
		if url == "" {
			t.Fatalf("%s: the server did not start:\n%s", mode, logs.String())
		}
		// In index mode searches answer 503 until the index is built.
		var body []byte
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			resp, err := http.Get(url + "api/v1/search?q=legal+aid&state=TX&per_page=5")
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			if mode != "index" || resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("%s: status %d: %s", mode, resp.StatusCode, body)
			}
		}
		answers = append(answers, string(body))
		// In auto mode SQL may have answered before the index was built:
		// stopping the server then would race the build.
		for deadline := time.Now().Add(20 * time.Second); mode != "sql" && time.Now().Before(deadline) &&
			!strings.Contains(logs.String(), "search index built"); time.Sleep(10 * time.Millisecond) {
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if mode != "sql" && !strings.Contains(logs.String(), "search index built") {
			t.Errorf("%s: no index was built:\n%s", mode, logs.String())
		}
	}
	if !strings.Contains(answers[0], `"total":`) || strings.Contains(answers[0], `"total":0`) {
		t.Fatalf("the sample has no legal aid in Texas: %s", answers[0])
	}
	for i, mode := range []string{"index", "auto"} {
		if answers[i+1] != answers[0] {
			t.Errorf("%s answers\n%s\nSQL answers\n%s", mode, answers[i+1], answers[0])
		}
	}
}

// mustImportServices imports svcs into db, a test's fixtures.
func mustImportServices(t testing.TB, db *sqlstore.DB, svcs []*hsds.Service) {
	t.Helper()
	i := 0
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "t"}); err != nil {
		t.Fatal(err)
	}
}
