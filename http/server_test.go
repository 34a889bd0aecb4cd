package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"haven"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"haven/catalog"
	havenhttp "haven/http"
	"haven/learning"
	"haven/sample"
	"haven/sqlstore"
)

// MustServer returns a server on a fresh, seeded SQLite database, and the
// buffer its logger writes to.
func MustServer(tb testing.TB) (*havenhttp.Server, *bytes.Buffer, *sqlstore.DB) {
	tb.Helper()
	return MustServerOn(tb, filepath.Join(tb.TempDir(), "haven.db"))
}

// MustServerOn is MustServer on the database dsn names.
func MustServerOn(tb testing.TB, dsn string) (*havenhttp.Server, *bytes.Buffer, *sqlstore.DB) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	entries, err := catalog.Resources()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sqlstore.NewResourceService(db).SeedResources(ctx, entries); err != nil {
		tb.Fatal(err)
	}
	sections, pages, err := learning.Load()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sqlstore.NewLearningService(db).SeedPages(ctx, pages); err != nil {
		tb.Fatal(err)
	}
	if tax, terms := sample.Taxonomy(); sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms) != nil {
		tb.Fatal(err)
	}
	if tax, terms := haven.WhoTaxonomy(); sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms) != nil {
		tb.Fatal("load the who-is-served taxonomy")
	}
	var logs bytes.Buffer
	s := havenhttp.NewServer()
	s.Resources = sqlstore.NewResourceService(db)
	s.DB = db
	s.Learning, s.Sections = sqlstore.NewLearningService(db), sections
	s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	return s, &logs, db
}

func do(s http.Handler, method, url string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, url, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	s, _, _ := MustServer(t)
	tests := []struct {
		name, url string
		header    map[string]string
		status    int
		contains  []string
		json      bool
	}{
		{name: "home", url: "/", status: 200, contains: []string{"Serving trafficking victims"}},
		{name: "library", url: "/resources", status: 200, contains: []string{
			"Documents and Materials", "Organizations and Programs", "Web Sites", "Hotline", "36 entries"}},
		{name: "library in spanish", url: "/resources?lang=es", status: 200, contains: []string{
			`<html lang="es">`, "Documentos y materiales", "Organizaciones y programas", "Sitios web", "Línea de ayuda"}},
		{name: "spanish by header", url: "/resources", header: map[string]string{"Accept-Language": "es-MX,es;q=0.9"}, status: 200,
			contains: []string{`<html lang="es">`}},
		{name: "search", url: "/resources?q=screen", status: 200, contains: []string{"Screening Tool for Victims of Human Trafficking", "entries match"}},
		{name: "facet counts", url: "/resources?section=websites", status: 200, contains: []string{"Documents and Materials (17)</option>", "11 entries match", `<option value="websites" selected>`}},
		{name: "singular", url: "/resources?section=hotlines", status: 200, contains: []string{"1 entry matches."}},
		{name: "unknown filter", url: "/resources?kind=poster", status: 400, contains: []string{"Unknown kind &#34;poster&#34;"}},
		{name: "bad page", url: "/resources?page=0", status: 400, contains: []string{"page must be a whole number"}},
		{name: "detail", url: "/resources/national-human-trafficking-hotline", status: 200, contains: []string{
			"National Human Trafficking Resource Center Hotline", `href="sms:233733"`, "24 hours a day"}},
		{name: "detail 404", url: "/resources/nope", status: 404, contains: []string{"Page not found"}},
		{name: "understand", url: "/understand-victims", status: 200, contains: []string{`aria-current="page">Understand Victims`, `href="/learn/`}},
		{name: "heal", url: "/help-victims-heal", status: 200},
		{name: "culture", url: "/culture-and-diversity", status: 200},
		{name: "browse safely", url: "/browse-safely", status: 200, contains: []string{"Browser history", "Shared devices",
			"Monitored devices", "private or incognito window", "can itself draw attention", "prefer calling the hotline", "Quick exit button"}},
		{name: "not found", url: "/no/such/page", status: 404},
		{name: "css", url: "/static/style.css", status: 200},
		{name: "favicon", url: "/favicon.ico", status: 204},
		{name: "healthz", url: "/healthz", status: 200, json: true},
		{name: "api list", url: "/api/v1/resources", status: 200, json: true, contains: []string{`"total":36`, `"per_page":20`}},
		{name: "api search", url: "/api/v1/resources?q=visa&section=documents", status: 200, json: true},
		{name: "api unknown filter", url: "/api/v1/resources?audience=cops", status: 400, json: true, contains: []string{`"error":"Unknown audience \"cops\"`}},
		{name: "api unknown section", url: "/api/v1/resources?section=books", status: 400, json: true, contains: []string{`section`}},
		{name: "api per_page too big", url: "/api/v1/resources?per_page=1000", status: 400, json: true, contains: []string{"per_page"}},
		{name: "api bad lang", url: "/api/v1/resources?lang=fr", status: 400, json: true, contains: []string{"lang"}},
		{name: "api long query", url: "/api/v1/resources?q=" + strings.Repeat("a", 201), status: 400, json: true},
		{name: "api detail", url: "/api/v1/resources/law-enforcement-pocket-card", status: 200, json: true, contains: []string{`"kind":"pocket-card"`}},
		{name: "api detail 404", url: "/api/v1/resources/nope", status: 404, json: true, contains: []string{`"error"`}},
		{name: "api unknown route", url: "/api/v1/nothing", status: 404, json: true},
		{name: "wrong method", url: "/resources", status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "GET"
			if tt.name == "wrong method" {
				method = "DELETE"
			}
			w := do(s, method, tt.url, tt.header)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body: %.300s", w.Code, tt.status, w.Body.String())
			}
			body := w.Body.String()
			if tt.json {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("content type %q", ct)
				}
				if !json.Valid(w.Body.Bytes()) {
					t.Errorf("invalid JSON: %s", body)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body lacks %q", c)
				}
			}
			// Every response carries the safety headers.
			h := w.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") {
				t.Errorf("CSP allows inline code or another origin: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("missing nosniff or no-referrer: %v", h)
			}
			if c := h.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("anonymous visit got a cookie: %v", c)
			}
		})
	}
}

var (
	firstFocusable = regexp.MustCompile(`<body>\s*<a class="skip-link" href="#main">`)
	anyExternal    = regexp.MustCompile(`(src|href)="(https?:)?//`)
)

// TestFrame checks the elements every page must carry.
func TestFrame(t *testing.T) {
	s, _, _ := MustServer(t)
	for _, url := range []string{"/", "/resources", "/resources/law-enforcement-pocket-card", "/understand-victims",
		"/help-victims-heal", "/culture-and-diversity", "/browse-safely", "/missing", "/resources?lang=es"} {
		body := html.UnescapeString(do(s, "GET", url, nil).Body.String())
		for _, want := range []string{
			`<main id="main"`,
			`href="tel:+18883737888"`, `href="sms:233733"`,
			`id="quick-exit"`, `rel="noreferrer nofollow"`, `href="https://www.bbc.com/weather"`,
			`src="/static/exit.js`,
			`href="/understand-victims"`, `href="/help-victims-heal"`, `href="/culture-and-diversity"`, `href="/resources"`,
			`href="/browse-safely"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: lacks %q", url, want)
			}
		}
		if !firstFocusable.MatchString(body) {
			t.Errorf("%s: the skip link is not the first element of the body", url)
		}
		// The quick exit is the only link that leaves the site from the frame;
		// no asset may come from elsewhere.
		for _, m := range anyExternal.FindAllString(body, -1) {
			if !strings.HasPrefix(m, `href=`) {
				t.Errorf("%s: asset from another site: %s", url, m)
			}
		}
		if strings.Contains(body, "ZgotmplZ") {
			t.Errorf("%s: a link the template refused (#ZgotmplZ)", url)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "onclick") {
			t.Errorf("%s: inline script or style", url)
		}
	}
}

// TestQuickExitScript checks the script leaves by replacing the history
// entry, blanks the page first, and listens for Esc.
func TestQuickExitScript(t *testing.T) {
	s, _, _ := MustServer(t)
	js := do(s, "GET", "/static/exit.js", nil).Body.String()
	for _, want := range []string{"location.replace(", `"Escape"`, `"Shift"`, "textContent = \"\"", "preventDefault"} {
		if !strings.Contains(js, want) {
			t.Errorf("exit.js lacks %q", want)
		}
	}
	if strings.Index(js, "textContent") > strings.Index(js, "location.replace(") {
		t.Error("exit.js must blank the page before it leaves")
	}
}

// TestLanguageCookie checks that a cookie is set only when the visitor picks
// a language, and that the redirect stays on this site.
func TestLanguageCookie(t *testing.T) {
	s, _, _ := MustServer(t)
	w := do(s, "GET", "/language/es?next=/resources%3Fq%3Dvisa", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/resources?q=visa" {
		t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
	}
	c := w.Header().Get("Set-Cookie")
	if !strings.HasPrefix(c, "lang=es") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("cookie = %q", c)
	}
	// A session cookie: nothing lasting says a language was chosen here.
	if lc := strings.ToLower(c); strings.Contains(lc, "max-age") || strings.Contains(lc, "expires") {
		t.Errorf("the language cookie outlives the session: %q", c)
	}
	body := do(s, "GET", "/resources", map[string]string{"Cookie": "lang=es", "Accept-Language": "en"}).Body.String()
	if !strings.Contains(body, `<html lang="es">`) {
		t.Error("the cookie's language was not used")
	}
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		w := do(s, "GET", "/language/en?next="+next, nil)
		if loc := w.Header().Get("Location"); loc != "/" {
			t.Errorf("next=%s redirected to %q, want /", next, loc)
		}
	}
	if w := do(s, "GET", "/language/fr", nil); w.Code != 404 || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("unknown language: status %d, cookie %q", w.Code, w.Header().Get("Set-Cookie"))
	}
}

// TestAccessLogPrivacy checks that the access log keeps neither the
// client's address nor what they searched for.
func TestAccessLogPrivacy(t *testing.T) {
	s, logs, _ := MustServer(t)
	r := httptest.NewRequest("GET", "/resources?q=shelter+near+78701", nil)
	r.RemoteAddr = "203.0.113.77:54321"
	r.Header.Set("X-Forwarded-For", "198.51.100.23")
	s.ServeHTTP(httptest.NewRecorder(), r)
	out := logs.String()
	if !strings.Contains(out, `"path":"/resources"`) {
		t.Fatalf("no access log line: %s", out)
	}
	for _, secret := range []string{"203.0.113.77", "198.51.100.23", "shelter", "78701"} {
		if strings.Contains(out, secret) {
			t.Errorf("access log holds %q: %s", secret, out)
		}
	}
}

func TestHealthzDown(t *testing.T) {
	s, _, db := MustServer(t)
	db.Close()
	w := do(s, "GET", "/healthz", nil)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database = %d, want 503", w.Code)
	}
}

// TestAPIShape checks the API's item and facet fields.
func TestAPIShape(t *testing.T) {
	s, _, _ := MustServer(t)
	var body struct {
		Total   int                         `json:"total"`
		Page    int                         `json:"page"`
		PerPage int                         `json:"per_page"`
		Items   []map[string]any            `json:"items"`
		Facets  map[string][]map[string]any `json:"facets"`
	}
	w := do(s, "GET", "/api/v1/resources?q=trata&lang=es&per_page=5", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body.Total == 0 || body.Page != 1 || body.PerPage != 5 || len(body.Items) > 5 {
		t.Fatalf("total %d page %d per_page %d items %d", body.Total, body.Page, body.PerPage, len(body.Items))
	}
	for _, k := range []string{"id", "title", "section", "kind", "description", "url", "audiences", "topics", "region", "publisher", "year", "languages"} {
		if _, ok := body.Items[0][k]; !ok {
			t.Errorf("item lacks %q", k)
		}
	}
	for _, f := range []string{"section", "kind", "audience", "topic", "region"} {
		vs, ok := body.Facets[f]
		if !ok || len(vs) == 0 {
			t.Errorf("facet %s missing or empty", f)
			continue
		}
		for _, k := range []string{"value", "label", "count"} {
			if _, ok := vs[0][k]; !ok {
				t.Errorf("facet %s value lacks %q", f, k)
			}
		}
	}
	if lbl := body.Facets["section"][0]["label"]; lbl != "Documentos y materiales" {
		t.Errorf("Spanish label = %v", lbl)
	}
}

// TestSearchBoxesKeepNoHistory: what a visitor types to search (words, a
// place) is not kept in the browser's form history, where the next person
// at the device would be offered it.
func TestSearchBoxesKeepNoHistory(t *testing.T) {
	s, _ := MustDirectoryServer(t) // the directory's search form shows only with providers
	input := regexp.MustCompile(`<input[^>]* name="(q|place)"[^>]*>`)
	for _, path := range []string{"/", "/directory", "/resources"} {
		body := do(s, "GET", path, nil).Body.String()
		found := input.FindAllString(body, -1)
		if len(found) == 0 {
			t.Errorf("%s: no search box", path)
		}
		for _, in := range found {
			if !strings.Contains(in, `autocomplete="off"`) {
				t.Errorf("%s: %s keeps form history", path, in)
			}
		}
	}
}
