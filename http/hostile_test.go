package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"haven/vault"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/listing"
	"haven/sample"
	"haven/sqlstore"
)

// hostile are values no form or link of Haven's would send.
var hostile = []struct{ name, value string }{
	{"huge number", "99999999999999999999999999"},
	{"min int64", "-9223372036854775808"},
	{"negative", "-1"},
	{"zero", "0"},
	{"float", "1e308"},
	{"nan", "NaN"},
	{"invalid utf-8", "\xff\xfe\xc3("},
	{"nul", "a\x00b"},
	{"sql", "' OR 1=1; DROP TABLE services; --"},
	{"fts syntax", `NEAR("a" "b") OR * ^ : -(`},
	{"like wildcards", "%_%\\"},
	{"long", strings.Repeat("é", 1000)},
	{"very long", strings.Repeat("a", 3000)},
	{"unknown enum", "definitely-not-a-value"},
	{"html and crlf", "<script>x</script>\r\nSet-Cookie: x=1"},
	{"coordinates", "91,181"},
	{"empty", ""},
}

var (
	libraryParams   = []string{"q", "section", "kind", "audience", "topic", "region", "page", "per_page"}
	directoryParams = []string{"q", "state", "country", "category", "language", "status", "near", "postcode", "place",
		"radius_km", "page", "per_page", "sheet", "id"}
	hsdsParams = []string{"search", "page", "per_page", "full", "minimal", "format", "taxonomy_id", "taxonomy_term_id",
		"organization_id", "modified_after", "latitude", "longitude", "postcode", "proximity"}
)

// routeParams are the query parameters each GET route reads, besides lang,
// which every route reads.
var routeParams = map[string][]string{
	"GET /resources":                     libraryParams,
	"GET /api/v1/resources":              libraryParams,
	"GET /directory":                     directoryParams,
	"GET /directory/states/{code}":       directoryParams,
	"GET /directory/countries/{code}":    directoryParams,
	"GET /api/v1/search":                 directoryParams,
	"GET /api/hsds/services":             hsdsParams,
	"GET /api/hsds/organizations":        hsdsParams,
	"GET /api/hsds/service_at_locations": hsdsParams,
	"GET /api/hsds/taxonomies":           hsdsParams,
	"GET /api/hsds/taxonomy_terms":       hsdsParams,
	"GET /api/hsds/organizations/{id}":   {"full_service"},
	"GET /api/v1/pages":                  {"q"},
	"GET /referral":                      {"sheet", "id", "discreet"},
	"GET /referral.pdf":                  {"sheet", "id", "discreet", "download"},
	"GET /suggest":                       {"type", "id"},
	"GET /report":                        {"type", "id"},
	"GET /signin":                        {"next"},
	"GET /language/{lang}":               {"next"},
	"GET /admin/users":                   {"done"},
	"GET /admin/resources/{id}/edit":     {"saved"},
	"GET /admin/services/{id}/edit":      {"saved"},
	"GET /admin/organizations/{id}/edit": {"saved"},
	"GET /admin/locations/{id}/edit":     {"saved"},
	"GET /admin/countries/{code}/edit":   {"saved"},
	"GET /admin/learn/{slug}/edit":       {"saved"},
	"GET /admin/services/new":            {"organization"},
}

// allParams is every query parameter above.
func allParams() []string {
	all := []string{"lang"}
	for _, ps := range routeParams {
		all = append(all, ps...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// formFields are every form field Haven reads, on any form.
func formFields() []string {
	fields := []string{"action", "audiences", "body", "body_en", "body_es", "category", "code", "company_website", "contact",
		"country", "description", "description_en", "description_es", "disabled", "email", "go", "hotlines", "id", "kind",
		"lang", "language", "languages", "name", "new_value", "next", "org_description", "org_name", "organization",
		"password", "publisher", "region", "role", "section", "session", "sheet", "status", "step", "summary_en", "summary_es",
		"title", "title_en", "title_es", "topics", "type", "url", "value", "year", "address_1", "city", "state_province",
		"postal_code", "latitude", "longitude", "reviewed"}
	fields = append(fields, listing.ServiceFields...)
	fields = append(fields, listing.OrganizationFields...)
	slices.Sort(fields)
	return slices.Compact(fields)
}

// hostileServer is a server with sample data, accounts and no API rate
// limit, whose log is watched for panics.
type hostileServer struct {
	*havenhttp.Server
	logs  *syncBuffer
	admin *http.Cookie
	ids   map[string]string // path parameter → a real value
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	b.b.Reset()
	return s
}

func mustHostileServer(t testing.TB, dsn string) *hostileServer {
	t.Helper()
	s, db := MustCurationServerOn(t, dsn)
	svcs := MustImportSample(t, db, 30)
	for _, c := range sample.CountrySummaries() {
		if err := sqlstore.NewCountryService(db).PutCountrySummary(context.Background(), &c); err != nil {
			t.Fatal(err)
		}
	}
	logs := &syncBuffer{}
	s.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s.Limits.APIRate = 0
	key, _ := vault.NewKey()
	s.Records, s.Vault = sqlstore.NewScreeningRecordService(db), vault.NewKeyring(key)
	h := &hostileServer{Server: s, logs: logs, admin: signIn(t, s, "admin@example.org")}
	h.ids = map[string]string{"{id}": svcs[0].ID, "{type}": "service", "{code}": "TX", "{lang}": "es",
		"{slug}": "understand-victims-needs", "{$}": ""}
	return h
}

// check sends one request and reports what is wrong with its answer: a
// 5xx, a panic in the log, or a 400 without a message.
func (h *hostileServer) check(t *testing.T, r *http.Request) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	logs := h.logs.take()
	what := r.Method + " " + truncateForLog(r.URL.String())
	if strings.Contains(logs, `"msg":"panic"`) {
		t.Errorf("%s: panic: %.600s", what, logs)
	}
	if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
		t.Errorf("%s: status %d; log: %.600s", what, w.Code, logs)
		return
	}
	if w.Code == http.StatusBadRequest {
		body := w.Body.String()
		if strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			var e struct{ Error string }
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || len(e.Error) < 10 {
				t.Errorf("%s: 400 without a clear message: %.300s", what, body)
			}
		} else if !strings.Contains(body, `class="field-error"`) && !strings.Contains(body, `class="error-summary"`) &&
			(!strings.Contains(body, `<p class="lead">`) || strings.Contains(body, `<p class="lead"></p>`)) {
			t.Errorf("%s: 400 page without a message", what)
		}
	}
}

func truncateForLog(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

// fill makes a concrete path of a pattern, with value (escaped) for each
// path parameter, or a real value when value is "".
func (h *hostileServer) fill(pattern, value string) string {
	_, path, _ := strings.Cut(pattern, " ")
	for k, real := range h.ids {
		v := real
		if value != "" && k != "{$}" {
			v = url.PathEscape(value)
		}
		path = strings.ReplaceAll(path, k, v)
	}
	return path
}

// TestHostileInput sends hostile values to every route: as each path
// parameter, as each query parameter the route reads (one at a time, then
// all at once), and as every form field at once; to the admin pages as an
// admin. Nothing may answer with a 5xx or panic, and a 400 must say what
// was wrong.
//
// On PostgreSQL it sends the values engines treat differently (a NUL byte
// PostgreSQL refuses in text, numbers past its integer types, its
// operators and pattern characters, long text).
func TestHostileInput(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		values := hostile
		if e.Name == "postgres" {
			values = nil
			for _, hv := range hostile {
				switch hv.name {
				case "huge number", "min int64", "nul", "sql", "fts syntax", "like wildcards", "long", "invalid utf-8":
					values = append(values, hv)
				}
			}
		}
		hostileInput(t, mustHostileServer(t, e.Fresh(t)), values)
	})
}

func hostileInput(t *testing.T, h *hostileServer, hostile []struct{ name, value string }) {
	fields := formFields()
	n := 0
	for _, pattern := range h.Patterns() {
		method, path, _ := strings.Cut(pattern, " ")
		if pattern == "POST /signout" {
			continue // it would end the admin's session, and reads no input
		}
		var cookie *http.Cookie
		if strings.HasPrefix(path, "/admin") || strings.HasPrefix(path, "/account") {
			cookie = h.admin
		}
		send := func(r *http.Request) {
			if cookie != nil {
				r.AddCookie(cookie)
			}
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			h.check(t, r)
			n++
		}
		for _, hv := range hostile {
			// The value as each path parameter.
			if strings.Contains(path, "{") && !strings.HasSuffix(path, "{$}") {
				if u, err := url.Parse(h.fill(pattern, hv.value)); err == nil {
					r := httptest.NewRequest(method, "/", nil)
					r.URL = u
					send(r)
				}
			}
			if method == "GET" {
				// The value in each query parameter the route reads, one at
				// a time, then in all of Haven's parameters at once.
				all := url.Values{}
				for _, p := range allParams() {
					all.Set(p, hv.value)
				}
				for _, q := range append([]string{url.Values{"lang": {hv.value}}.Encode(), all.Encode()}, encodeEach(routeParams[pattern], hv.value)...) {
					r := httptest.NewRequest("GET", h.fill(pattern, ""), nil)
					r.URL.RawQuery = q
					send(r)
				}
				continue
			}
			// The value in every form field at once.
			form := url.Values{}
			for _, f := range fields {
				form.Set(f, hv.value)
			}
			r := httptest.NewRequest(method, h.fill(pattern, ""), strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			send(r)
		}
	}
	t.Logf("%d hostile requests to %d routes", n, len(h.Patterns()))
}

func encodeEach(params []string, value string) []string {
	var out []string
	for _, p := range params {
		out = append(out, url.Values{p: {value}}.Encode())
	}
	return out
}

// FuzzGET sends a fuzzed query string and path parameter to a GET route
// chosen by the fuzzer, anonymous or as an admin.
func FuzzGET(f *testing.F) {
	f.Add(uint8(0), "q=visa&page=2", "", false)
	f.Add(uint8(20), "per_page=-1&near=1e999,5", "\xff", true)
	f.Add(uint8(35), "q=%ff&state=tx&radius_km=NaN", "TX", false)
	f.Add(uint8(60), "modified_after=2025-13-45&format=ndjson", "..%2f", false)
	f.Add(uint8(70), "postcode=00000&proximity=1e308", "' OR 1=1", true)
	h := mustHostileServer(f, filepath.Join(f.TempDir(), "haven.db"))
	var gets []string
	for _, p := range h.Patterns() {
		if strings.HasPrefix(p, "GET ") {
			gets = append(gets, p)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, rawQuery, pathValue string, admin bool) {
		if len(rawQuery) > 8192 || len(pathValue) > 1024 {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		u, err := url.Parse(h.fill(gets[int(route)%len(gets)], pathValue))
		if err != nil {
			return
		}
		r.URL = u
		r.URL.RawQuery = rawQuery
		if admin {
			r.AddCookie(h.admin)
		}
		h.check(t, r)
	})
}

// FuzzPOST posts a fuzzed form body to a state-changing route, signed in
// as an admin so that the forms behind sign-in are reached too.
func FuzzPOST(f *testing.F) {
	f.Add(uint8(0), "title=x&year=-5", "")
	f.Add(uint8(3), "name=%ff%fe&status=bogus", "\xff")
	f.Add(uint8(7), "latitude=91&longitude=NaN&postal_code=x", "")
	f.Add(uint8(9), "email=a@b&role=owner&disabled=maybe", "'; DROP TABLE users; --")
	f.Add(uint8(12), "kind=other&body="+strings.Repeat("z", 300), "")
	h := mustHostileServer(f, filepath.Join(f.TempDir(), "haven.db"))
	var posts []string
	for _, p := range h.Patterns() {
		if strings.HasPrefix(p, "POST ") && p != "POST /signout" {
			posts = append(posts, p)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body, pathValue string) {
		if len(body) > 64<<10 || len(pathValue) > 1024 {
			return
		}
		u, err := url.Parse(h.fill(posts[int(route)%len(posts)], pathValue))
		if err != nil {
			return
		}
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.URL = u
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.AddCookie(h.admin)
		h.check(t, r)
	})
}
