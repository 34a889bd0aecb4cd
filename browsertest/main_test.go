//go:build browser

package browsertest

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"haven/vault"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"haven/internal/testenv"

	_ "modernc.org/sqlite" // to break a copy of the database for the 500 page
)

// The admin account the tests sign in with.
const (
	adminEmail    = "admin@example.org"
	adminPassword = "a browser-test passphrase"
)

var (
	// havenURL is the server under test, with the sample directory; its
	// quick exit points at exitURL.
	havenURL string
	// brokenURL is a second server whose database lacks a table, so that
	// some pages fail with a 500, as they would if the database broke.
	brokenURL string
	// exitURL is the "neutral site": a page of a second local server on
	// another loopback address, standing in for the weather site.
	exitURL string
	// otherURL is the root of that second server, which also serves a page
	// that posts a form to Haven from another site.
	otherURL string
	// browserCtx holds the running Chromium; each test opens tabs in it.
	browserCtx context.Context
	// axeSource is axe.min.js, from browsertest/node_modules.
	axeSource string
	// screenshotDir is where the layout screenshots go.
	screenshotDir string
	// havenDB is the main server's SQLite file.
	havenDB string
	// havenBin is the haven binary the servers run.
	havenBin string
	// bedsService and bedsOrg are the sample service seedBeds gave beds,
	// and its organization.
	bedsService, bedsOrg string
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	b, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return 0, fmt.Errorf("axe-core is not installed: run \"npm ci\" in browsertest/ (%w)", err)
	}
	axeSource = string(b)
	chromium, err := testenv.Chromium()
	if err != nil {
		return 0, err
	}
	screenshotDir = os.Getenv("HAVEN_SCREENSHOTS")
	if screenshotDir == "" {
		screenshotDir = filepath.Join("..", "screenshots")
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		return 0, err
	}

	tmp, err := os.MkdirTemp("", "haven-browsertest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "haven")
	if out, err := exec.Command("go", "build", "-o", bin, "haven/cmd/haven").CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build: %v\n%s", err, out)
	}

	other, err := startOtherSite()
	if err != nil {
		return 0, err
	}
	defer other.Close()

	// The main server: an admin account, then the sample directory.
	db := filepath.Join(tmp, "haven.db")
	add := exec.Command(bin, "user", "add", "--role", "admin", "--db", db, adminEmail)
	add.Stdin = strings.NewReader(adminPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("haven user add: %v\n%s", err, out)
	}
	// A secret key, so the admin can save screening records.
	_, key := vault.NewKey()
	os.Setenv("HAVEN_SECRET_KEY", key)
	havenDB, havenBin = db, bin
	served, err := startHaven(bin, filepath.Join(tmp, "serve.log"), "--db", db, "--sample", "--exit-url", exitURL)
	if err != nil {
		return 0, err
	}
	defer served.stop()
	havenURL = served.url
	if err := seedBeds(tmp); err != nil {
		return 0, err
	}

	// The broken server: a database without the country summaries table.
	brokenDB := filepath.Join(tmp, "broken.db")
	if out, err := exec.Command(bin, "migrate", "--db", brokenDB).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("haven migrate: %v\n%s", err, out)
	}
	if err := execSQL(brokenDB, "DROP TABLE country_summaries"); err != nil {
		return 0, err
	}
	broken, err := startHaven(bin, filepath.Join(tmp, "broken.log"), "--db", brokenDB, "--exit-url", exitURL)
	if err != nil {
		return 0, err
	}
	defer broken.stop()
	brokenURL = broken.url

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(ctx); err != nil {
		return 0, fmt.Errorf("start chromium: %w", err)
	}
	browserCtx = ctx

	code := m.Run()
	cancelBrowser()
	for _, s := range []*havenProcess{served, broken} {
		if s.stop() != nil {
			code = 1
		}
	}
	if code != 0 {
		for _, s := range []*havenProcess{served, broken} {
			fmt.Fprintf(os.Stderr, "--- last lines of %s\n%s\n", filepath.Base(s.log), tail(s.log, 20))
		}
	}
	return code, nil
}

// havenProcess is a running "haven serve".
type havenProcess struct {
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	log  string
	once sync.Once
	err  error
}

var servingLine = regexp.MustCompile(`"url":"(http://127\.0\.0\.1:\d+)/"`)

// startHaven runs "haven serve" on a free loopback port, read back from its
// log, and waits until it answers /healthz.
func startHaven(bin, logPath string, args ...string) (*havenProcess, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--jobs-tick", "0"}, args...)...)
	dieWithTest(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &havenProcess{cmd: cmd, log: logPath}
	found := make(chan string, 1)
	go func() {
		defer logFile.Close()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			if m := servingLine.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-time.After(60 * time.Second):
		p.stop()
		return nil, fmt.Errorf("haven serve did not start within 60s:\n%s", tail(logPath, 20))
	}
	for i := 0; ; i++ {
		resp, err := http.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p, nil
			}
		}
		if i == 100 {
			p.stop()
			return nil, fmt.Errorf("haven serve does not answer /healthz: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the server as an operator would, with SIGTERM, and reports
// whether it stopped cleanly.
func (p *havenProcess) stop() error {
	p.once.Do(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case p.err = <-done:
		case <-time.After(20 * time.Second):
			p.cmd.Process.Kill()
			p.err = errors.New("haven serve did not stop within 20s of SIGTERM")
		}
		if p.err != nil {
			fmt.Fprintf(os.Stderr, "haven serve (%s): %v\n", p.url, p.err)
		}
	})
	return p.err
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func execSQL(path, stmt string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		return fmt.Errorf("%s on %s: %w", stmt, path, err)
	}
	return nil
}

// startOtherSite serves the neutral exit page and a page of another site
// that posts forms to Haven. It listens on 127.0.0.2, another loopback
// address, so that to the browser it is another site, not just another
// port.
func startOtherSite() (*http.Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.2 for the exit site: %w", err)
	}
	otherURL = "http://" + ln.Addr().String()
	exitURL = otherURL + "/weather"
	mux := http.NewServeMux()
	page := func(title, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title></head><body><h1>%s</h1>%s</body></html>",
				title, title, body)
		}
	}
	mux.HandleFunc("GET /weather", page("Weather", "<p>Sunny, 21 °C.</p>"))
	mux.HandleFunc("GET /before", page("News", "<p>Somewhere else first.</p>"))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	// A page of another site with forms that post to Haven: the browser
	// sends them, and Haven must refuse them.
	mux.HandleFunc("GET /forms", func(w http.ResponseWriter, r *http.Request) {
		page("Forms", fmt.Sprintf(`<form id="signin" method="post" action="%[1]s/signin"><input name="email" value="%[2]s"><input name="password" value="%[3]s"><button>Sign in</button></form>
<form id="suggest" method="post" action="%[1]s/suggest"><input name="kind" value="new"><input name="body" value="A provider"><button>Suggest</button></form>`,
			havenURL, adminEmail, adminPassword))(w, r)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return srv, nil
}

// getJSON reads one of Haven's JSON APIs, to find ids for the pages.
func getJSON(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(havenURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// hostOf returns a URL's host:port.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Host
}

// bedsCapacity is the capacity seedBeds gives a sample service.
const bedsCapacity = "5e3c2a1b-9d8f-4e7a-b6c5-d4e3f2a1b0c9"

// seedBeds gives the first sample service in Texas a capacity of 4 beds
// (sample), none free, updated now, by importing it again as the HSDS API
// gives it (an import updates in place): the sample directory counts no
// beds of its own, and the pages that show capacities need one.
func seedBeds(tmp string) error {
	get := func(path string, v any) error {
		resp, err := http.Get(havenURL + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}
	var found struct {
		Items []struct {
			ID           string
			Organization struct{ ID string }
		}
	}
	if err := get("/api/v1/search?state=TX&per_page=1", &found); err != nil {
		return err
	}
	if len(found.Items) == 0 {
		return fmt.Errorf("seed beds: no sample service in Texas")
	}
	bedsService, bedsOrg = found.Items[0].ID, found.Items[0].Organization.ID
	var svc map[string]any
	if err := get("/api/hsds/services/"+bedsService, &svc); err != nil {
		return err
	}
	svc["capacities"] = []map[string]any{{
		"id": bedsCapacity, "service_id": bedsService, "available": 0, "maximum": 4,
		"updated": time.Now().UTC().Format(time.RFC3339),
		"unit":    map[string]any{"id": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d", "name": "Bed (sample)"},
	}}
	b, err := json.Marshal(svc)
	if err != nil {
		return err
	}
	file := filepath.Join(tmp, "beds.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return err
	}
	if out, err := exec.Command(havenBin, "import", "--db", havenDB, file).CombinedOutput(); err != nil {
		return fmt.Errorf("haven import of a service with beds: %v\n%s", err, out)
	}
	return nil
}
