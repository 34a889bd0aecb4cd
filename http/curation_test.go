package http_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/dbtest"
	"haven/listing"
	"haven/sample"
	"haven/sqlstore"
)

// cheap keeps password hashing fast in tests; production uses DefaultParams.
var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const testPassword = "correct horse battery staple"

// MustCurationServer returns a server with accounts, one per role.
func MustCurationServer(t testing.TB) (*havenhttp.Server, *sqlstore.DB) {
	t.Helper()
	return MustCurationServerOn(t, filepath.Join(t.TempDir(), "haven.db"))
}

// MustCurationServerOn is MustCurationServer on the database dsn names.
func MustCurationServerOn(t testing.TB, dsn string) (*havenhttp.Server, *sqlstore.DB) {
	t.Helper()
	s, _, db := MustServerOn(t, dsn)
	s.PasswordParams = cheap
	dir := sqlstore.NewDirectoryService(db)
	s.Directory, s.DirEditor, s.Takedowns, s.Countries, s.Matches = dir, dir, dir, sqlstore.NewCountryService(db), dir
	res := sqlstore.NewResourceService(db)
	s.Resources, s.Editor, s.Accounts, s.Audit, s.Curation, s.Suggestions, s.Learning = res, res, sqlstore.NewAccountService(db),
		sqlstore.NewAuditService(db), sqlstore.NewCurationService(db), sqlstore.NewSuggestionService(db), sqlstore.NewLearningService(db)
	s.Security = sqlstore.NewAccountService(db)
	s.Providers = sqlstore.NewProviderService(db)
	s.Invitations = sqlstore.NewProviderService(db)
	s.Reverify = sqlstore.NewProviderService(db)
	s.APITokens = sqlstore.NewProviderService(db)
	s.Feeds = sqlstore.NewFeedService(db)
	s.Capacities = dir
	for _, role := range haven.Roles {
		hash, err := auth.HashPassword(testPassword, cheap)
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.NewAccountService(db).CreateUser(context.Background(), "test", &haven.User{Email: role + "@example.org", Role: role, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	return s, db
}

// signIn signs in and returns the session cookie.
func signIn(t testing.TB, s http.Handler, email string) *http.Cookie {
	t.Helper()
	w := post(s, "/signin", url.Values{"email": {email}, "password": {testPassword}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %d %s", email, w.Code, w.Body.String())
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "haven_session" {
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// post sends a same-origin form, as Haven's own pages do.
func post(s http.Handler, path string, form url.Values, c *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if c != nil {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func get(s http.Handler, path string, c *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	if c != nil {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestSignIn(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "curator@example.org")
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Errorf("cookie flags: %+v", c)
	}
	if w := get(s, "/admin", c); w.Code != 200 || !strings.Contains(w.Body.String(), "Curation") {
		t.Errorf("dashboard: %d", w.Code)
	}
	// Wrong password and unknown account get the same answer.
	bad := post(s, "/signin", url.Values{"email": {"curator@example.org"}, "password": {"wrong password!!"}}, nil)
	unknown := post(s, "/signin", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!!"}}, nil)
	if bad.Code != 401 || unknown.Code != 401 {
		t.Errorf("bad sign-ins: %d and %d, want 401", bad.Code, unknown.Code)
	}
	msg := regexp.MustCompile(`role="alert" id="signin-error">([^<]+)<`)
	a, b := msg.FindStringSubmatch(bad.Body.String()), msg.FindStringSubmatch(unknown.Body.String())
	if a == nil || b == nil || a[1] != b[1] {
		t.Errorf("messages differ or are missing: %q vs %q", a, b)
	}
	// A hash made with older, weaker parameters is upgraded at sign-in.
	s.PasswordParams = auth.Params{Memory: 2048, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	signIn(t, s, "admin@example.org")
	u, _ := sqlstore.NewAccountService(db).FindUserByEmail(context.Background(), "admin@example.org")
	if !strings.Contains(u.PasswordHash, "m=2048,") {
		t.Errorf("hash not upgraded: %s", u.PasswordHash)
	}
	// Sign out ends the session in the database, not only the cookie.
	if w := post(s, "/signout", nil, c); w.Code != http.StatusSeeOther {
		t.Errorf("sign-out: %d", w.Code)
	}
	if w := get(s, "/admin", c); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin") {
		t.Errorf("after sign-out: %d %s", w.Code, w.Header().Get("Location"))
	}
}

func TestSecureCookieBehindTLS(t *testing.T) {
	s, _ := MustCurationServer(t)
	s.Sessions.SecureCookies = true
	if c := signIn(t, s, "admin@example.org"); !c.Secure {
		t.Error("cookie not Secure with SecureCookies set")
	}
}

func TestSessionsExpireAndRevoke(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "admin@example.org")
	other := signIn(t, s, "admin@example.org")
	body := get(s, "/account", c).Body.String()
	hashes := regexp.MustCompile(`name="session" value="([0-9a-f]{64})"`).FindAllStringSubmatch(body, -1)
	if len(hashes) != 2 {
		t.Fatalf("account page lists %d sessions, want 2", len(hashes))
	}
	if strings.Contains(body, c.Value) {
		t.Error("the account page shows a session token")
	}
	target := auth.HashToken(other.Value)
	if w := post(s, "/account/sessions/revoke", url.Values{"session": {target}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", w.Code)
	}
	if w := get(s, "/admin", other); w.Code != http.StatusSeeOther {
		t.Error("a revoked session still works")
	}
	if w := get(s, "/admin", c); w.Code != 200 {
		t.Error("revoking the other session ended this one")
	}
	// Idle too long: the session ends.
	db.Now = func() time.Time { return time.Now().Add(3 * time.Hour) }
	if w := get(s, "/admin", c); w.Code != http.StatusSeeOther {
		t.Error("an idle session still works")
	}
}

func TestSignInRateLimit(t *testing.T) {
	s, _ := MustCurationServer(t)
	var last *httptest.ResponseRecorder
	for range 6 {
		last = post(s, "/signin", url.Values{"email": {"curator@example.org"}, "password": {"guess guess guess"}}, nil)
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" {
		t.Errorf("sixth wrong password: %d, Retry-After %q", last.Code, last.Header().Get("Retry-After"))
	}
	// Even the right password waits now.
	if w := post(s, "/signin", url.Values{"email": {"curator@example.org"}, "password": {testPassword}}, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("right password under the limit: %d", w.Code)
	}
}

// fillPattern makes a concrete path of a route pattern.
func fillPattern(p string) string {
	return strings.NewReplacer("{id}", "law-enforcement-pocket-card", "{type}", "resource", "{code}", "TX", "{lang}", "es", "{slug}", "no-such-page", "{$}", "").Replace(p)
}

// TestCrossOriginRefused posts from another site to every state-changing
// route, signed in as an admin: each must be refused with 403.
func TestCrossOriginRefused(t *testing.T) {
	s, _ := MustCurationServer(t)
	c := signIn(t, s, "admin@example.org")
	n := 0
	for _, p := range s.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		if method == "GET" || method == "HEAD" {
			continue
		}
		n++
		r := httptest.NewRequest(method, fillPattern(path), strings.NewReader("title=x"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		r.AddCookie(c)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusForbidden {
			t.Errorf("cross-site %s: %d, want 403", p, w.Code)
		}
	}
	if n < 6 {
		t.Errorf("only %d state-changing routes found", n)
	}
}

// TestRoles checks every protected route against every kind of visitor.
func TestRoles(t *testing.T) {
	s, _ := MustCurationServer(t)
	cookies := map[string]*http.Cookie{"": nil}
	for _, r := range haven.Roles {
		cookies[r] = signIn(t, s, r+"@example.org")
	}
	// Every role is tried, the records supervisor's too (issue 20): it
	// opens no admin page. The screening record routes have their own
	// table in TestScreeningRecordRoles.
	if _, ok := cookies[haven.RoleRecordsSupervisor]; !ok {
		t.Fatal("the records supervisor is not among the roles tried")
	}
	// The least role each route needs; screener also stands for "any signed-in".
	need := map[string]string{
		"GET /account": haven.RoleScreener, "POST /account/sessions/revoke": haven.RoleScreener,
		"GET /admin": haven.RoleCurator, "GET /admin/resources/{id}/edit": haven.RoleCurator,
		"POST /admin/resources/{id}": haven.RoleCurator, "POST /admin/resources/{id}/verify": haven.RoleCurator,
		"POST /admin/resources/{id}/retire": haven.RoleCurator, "GET /admin/history/{type}/{id}": haven.RoleCurator,
		"GET /admin/services/{id}/edit": haven.RoleCurator, "POST /admin/services/{id}": haven.RoleCurator,
		"POST /admin/services/{id}/verify": haven.RoleCurator, "GET /admin/countries/{code}/edit": haven.RoleCurator,
		"POST /admin/countries/{code}": haven.RoleCurator, "GET /admin/suggestions": haven.RoleCurator,
		"POST /admin/suggestions/{id}/accept": haven.RoleCurator, "POST /admin/suggestions/{id}/reject": haven.RoleCurator,
		"GET /admin/suggestions/{id}": haven.RoleCurator, "POST /admin/history/{type}/{id}/{entry}/undo": haven.RoleCurator,
		"GET /admin/organizations/{id}/edit": haven.RoleCurator, "POST /admin/organizations/{id}": haven.RoleCurator,
		"POST /admin/organizations/{id}/verify": haven.RoleCurator,
		"POST /admin/terms":                     haven.RoleCurator, "POST /admin/organizations/{id}/retire": haven.RoleCurator,
		"GET /admin/learn/{slug}/edit": haven.RoleCurator, "POST /admin/learn/{slug}": haven.RoleCurator,
		"GET /admin/terms": haven.RoleCurator, "POST /admin/terms/{id}": haven.RoleCurator,
		"GET /admin/services/new": haven.RoleCurator, "POST /admin/services": haven.RoleCurator,
		"GET /admin/import": haven.RoleCurator, "POST /admin/import": haven.RoleCurator, "POST /admin/import/{token}": haven.RoleCurator,
		"GET /admin/locations/{id}/edit": haven.RoleCurator, "POST /admin/locations/{id}": haven.RoleCurator,
		"GET /admin/resources/new": haven.RoleCurator, "POST /admin/resources": haven.RoleCurator,
		"GET /admin/users": haven.RoleAdmin, "POST /admin/users": haven.RoleAdmin, "POST /admin/users/{id}": haven.RoleAdmin,
		"POST /account/password": haven.RoleScreener, "GET /account/2fa": haven.RoleScreener, "GET /account/2fa/qr.png": haven.RoleScreener,
		"POST /account/2fa": haven.RoleScreener, "POST /account/2fa/disable": haven.RoleScreener, "POST /admin/security": haven.RoleAdmin,
		"GET /admin/takedown/{kind}/{id}": haven.RoleCurator, "POST /admin/takedown/{kind}/{id}": haven.RoleCurator,
		"GET /admin/matches": haven.RoleCurator, "GET /admin/matches/merge": haven.RoleCurator,
		"POST /admin/matches/merge": haven.RoleCurator, "POST /admin/matches/distinct": haven.RoleCurator,
		"POST /admin/matches/merges/{id}/undo": haven.RoleCurator,
		// Issue 21: providers, and the curators' page of an
		// organization's providers.
		"GET /admin/organizations/{id}/providers": haven.RoleCurator, "POST /admin/organizations/{id}/providers/settings": haven.RoleCurator,
		"POST /admin/organizations/{id}/providers/link": haven.RoleCurator, "POST /admin/organizations/{id}/providers/{user}/unlink": haven.RoleCurator,
		"POST /admin/organizations/{id}/providers/invite": haven.RoleCurator,
		"POST /admin/organizations/{id}/tokens":           haven.RoleCurator, "POST /admin/organizations/{id}/tokens/{token}/revoke": haven.RoleCurator,
		"GET /provider": haven.RoleProvider, "GET /provider/services/{id}/edit": haven.RoleProvider, "POST /provider/services/{id}": haven.RoleProvider,
		"GET /provider/locations/{id}/edit": haven.RoleProvider, "POST /provider/locations/{id}": haven.RoleProvider,
		"GET /provider/organizations/{id}/edit": haven.RoleProvider, "POST /provider/organizations/{id}": haven.RoleProvider,
		// The capacity page admits curators and admins by
		// canUpdateCapacity, not by its route (capacity.go).
		"GET /admin/capacity/{org}": haven.RoleCurator, "POST /admin/capacity/{org}": haven.RoleCurator,
		"GET /admin/capacity-report":   haven.RoleCurator,
		"GET /provider/capacity/{org}": haven.RoleProvider, "POST /provider/capacity/{org}": haven.RoleProvider,
	}
	if _, ok := cookies[haven.RoleProvider]; !ok {
		t.Fatal("the provider is not among the roles tried")
	}
	for _, p := range s.Patterns() {
		if strings.Contains(p, "/admin") || strings.Contains(p, "/account") || strings.Contains(p, "/provider") {
			if _, ok := need[p]; !ok {
				t.Errorf("route %s has no role expectation in this test", p)
			}
		}
	}
	// The partner API opens to an API token only: no session, whatever
	// its role, gets in.
	for _, p := range s.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		if !strings.HasPrefix(path, "/api/v1/partner/") {
			continue
		}
		for role, c := range cookies {
			r := httptest.NewRequest(method, path, nil)
			if c != nil {
				r.AddCookie(c)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s as %q with a session: %d, want 401", p, role, w.Code)
			}
		}
	}
	allowed := func(role, needed string) bool {
		switch needed {
		case haven.RoleScreener:
			return role != ""
		case haven.RoleCurator:
			return role == haven.RoleCurator || role == haven.RoleAdmin
		case haven.RoleProvider:
			// Only providers: staff edit through their own pages.
			return role == haven.RoleProvider
		}
		return role == needed
	}
	for p, needed := range need {
		method, path, _ := strings.Cut(p, " ")
		for role, c := range cookies {
			var w *httptest.ResponseRecorder
			if method == "GET" {
				w = get(s, fillPattern(path), c)
			} else {
				w = post(s, fillPattern(path), url.Values{}, c)
			}
			refused := w.Code == 401 || w.Code == 403 || (w.Code == 303 && strings.HasPrefix(w.Header().Get("Location"), "/signin"))
			if allowed(role, needed) == refused {
				t.Errorf("%s as %q: status %d (location %q)", p, role, w.Code, w.Header().Get("Location"))
			}
		}
	}
}

func TestEditResourceAudited(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "curator@example.org")
	page := get(s, "/admin/resources/law-enforcement-pocket-card/edit", c).Body.String()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="(\w+)" type="text" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)name="((?:description|note|find)_\w+)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`name="(\w+)" value="([^"]+)" checked`).FindAllStringSubmatch(page, -1) {
		form.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="f-\w+" name="(\w+)"[^>]*>.*?<option value="([^"]+)" selected>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	// A bad edit: every error shown, nothing saved.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("title", "")
	bad.Set("year", "1800")
	bad.Del("audiences")
	w := post(s, "/admin/resources/law-enforcement-pocket-card", bad, c)
	if w.Code != 400 {
		t.Fatalf("bad edit: %d", w.Code)
	}
	for _, want := range []string{"A title is required.", "between 1900 and 2100", "at least one audience", `aria-invalid="true"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("bad edit page lacks %q", want)
		}
	}
	// A good edit: saved, and audited with before and after.
	form.Set("title", "Law Enforcement Pocket Card (revised)")
	if w := post(s, "/admin/resources/law-enforcement-pocket-card", form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", w.Code, w.Body.String())
	}
	trail, err := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "resource", "law-enforcement-pocket-card", 0)
	if err != nil || len(trail) != 1 {
		t.Fatalf("audit trail: %v %v", trail, err)
	}
	e := trail[0]
	if e.Actor != "curator@example.org" || e.Field != "title" || e.Before != "Law Enforcement Pocket Card" || e.After != "Law Enforcement Pocket Card (revised)" {
		t.Errorf("audit entry %+v", e)
	}
	if !strings.Contains(get(s, "/resources/law-enforcement-pocket-card", nil).Body.String(), "(revised)") {
		t.Error("the public page does not show the edit")
	}
	// Verify in one click; retire takes it off the public pages.
	post(s, "/admin/resources/law-enforcement-pocket-card/verify", nil, c)
	if h := get(s, "/admin/history/resource/law-enforcement-pocket-card", c).Body.String(); !strings.Contains(h, "verified") {
		t.Error("history lacks the verification")
	}
	post(s, "/admin/resources/law-enforcement-pocket-card/retire", nil, c)
	if w := get(s, "/resources?q=pocket+card", nil); strings.Contains(w.Body.String(), "(revised)") {
		t.Error("a retired entry is still listed")
	}
}

// TestAuditAppendOnly: the code has no path that changes the trail, and
// the database refuses it too.
func TestAuditAppendOnly(t *testing.T) {
	files, _ := filepath.Glob("../*/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		if regexp.MustCompile(`(?i)(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|TRUNCATE\s+audit_log|DROP\s+TABLE\s+audit_log)`).Match(b) {
			t.Errorf("%s changes the audit trail", f)
		}
	}
	_, db := MustCurationServer(t)
	for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`} {
		if err := dbtest.Exec(context.Background(), db, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the database to refuse", q, err)
		}
	}
}

func TestEditServiceAndCountry(t *testing.T) {
	s, db := MustCurationServer(t)
	svcs := MustImportSample(t, db, 20)
	sv := svcs[0]
	c := signIn(t, s, "curator@example.org")
	page := get(s, "/admin/services/"+sv.ID+"/edit", c)
	if page.Code != 200 || !strings.Contains(page.Body.String(), sv.Name) {
		t.Fatalf("edit form: %d", page.Code)
	}
	form := url.Values{}
	for k, v := range listing.ServiceText(sv) {
		form.Set(k, v)
	}
	form.Set("name", sv.Name+" (renamed)")
	form.Set("url", "https://example.org/new")
	form.Set("phone", "+1 (713) 555-0199")
	form.Set("languages", "en, fr")
	form.Set("hours", "SA,SU 10:00-14:00")
	form.Set("categories", "legal-services, shelter")
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("name", "")
	bad.Set("url", "ftp://x")
	bad.Set("email", "not an address")
	bad.Set("status", "open")
	w := post(s, "/admin/services/"+sv.ID, bad, c)
	if w.Code != 400 {
		t.Fatalf("bad edit: %d", w.Code)
	}
	for _, want := range []string{"A name is required.", "https://", "e-mail address", "Choose a status."} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("bad edit page lacks %q", want)
		}
	}
	if w := post(s, "/admin/services/"+sv.ID, form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", w.Code, w.Body.String())
	}
	got, err := s.Directory.FindServiceByID(context.Background(), sv.ID)
	if err != nil || got.Name != sv.Name+" (renamed)" || got.URL != "https://example.org/new" || got.Phones[0].Number != "+17135550199" {
		t.Fatalf("edit not saved: %+v %v", got, err)
	}
	if len(got.Languages) != 2 || got.Languages[1].Code != "fr" || len(got.Schedules) != 1 || got.Schedules[0].ByDay != "SA,SU" {
		t.Errorf("languages %+v, schedules %+v", got.Languages, got.Schedules)
	}
	for _, code := range []string{"legal-services", "shelter"} {
		res, _ := s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "renamed", Category: code, Language: "fr", AllStatuses: true})
		if res.Total != 1 {
			t.Errorf("category %s + language fr finds %d", code, res.Total)
		}
	}
	for field, bad := range map[string]string{"languages": "english", "hours": "weekdays 9 to 5", "categories": "massage"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(field, bad)
		if w := post(s, "/admin/services/"+sv.ID, f, c); w.Code != 400 {
			t.Errorf("%s %q accepted: %d", field, bad, w.Code)
		}
	}
	// The search index follows the edit.
	res, _ := s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "renamed", AllStatuses: true})
	if res.Total != 1 {
		t.Errorf("search finds the new name %d times", res.Total)
	}
	trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "service", sv.ID, 0)
	fields := map[string]bool{}
	for _, e := range trail {
		fields[e.Field] = e.Actor == "curator@example.org"
	}
	for _, f := range []string{"name", "url", "phone"} {
		if !fields[f] {
			t.Errorf("no audit entry for %s: %+v", f, trail)
		}
	}
	// The HSDS API's metadata array carries the changes.
	api := get(s, "/api/hsds/services/"+sv.ID, nil)
	mustValidate(t, "service", api.Body.Bytes(), "service with audit metadata")
	if !strings.Contains(api.Body.String(), `"field_name":"name"`) || !strings.Contains(api.Body.String(), `"updated_by":"Haven curator"`) ||
		strings.Contains(api.Body.String(), "curator@example.org") {
		t.Errorf("metadata not drawn from the audit trail: %.400s", api.Body.String())
	}
	// Verify in one click.
	if w := post(s, "/admin/services/"+sv.ID+"/verify", nil, c); w.Code != http.StatusSeeOther {
		t.Fatalf("verify: %d", w.Code)
	}
	today := time.Now().UTC().Format("2006-01-02")
	if got, _ := s.Directory.FindServiceByID(context.Background(), sv.ID); got.XLastVerified != today {
		t.Errorf("last verified %q, want %s", got.XLastVerified, today)
	}
	// Locations: moving one to a ZIP code moves its services in distance search.
	loc := sv.ServiceAtLocations[0].Location
	lf := url.Values{}
	for k, v := range listing.LocationText(loc) {
		lf.Set(k, v)
	}
	lf.Set("country", "US")
	lf.Set("state_province", "ME")
	lf.Set("postal_code", "04101")
	lf.Set("city", "Portland")
	lf.Set("latitude", "")
	lf.Set("longitude", "")
	if w := post(s, "/admin/locations/"+loc.ID, lf, c); w.Code != http.StatusSeeOther {
		t.Fatalf("location edit: %d %s", w.Code, w.Body.String())
	}
	res, _ = s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Near: &haven.LatLon{Lat: 43.66, Lon: -70.26}, RadiusKm: 10, State: "ME", AllStatuses: true})
	if res.Total == 0 || res.Hits[0].ServiceID != sv.ID {
		t.Errorf("the moved location is not found near Portland, Maine: %+v", res.Hits)
	}
	lf.Set("latitude", "12")
	if w := post(s, "/admin/locations/"+loc.ID, lf, c); w.Code != 400 {
		t.Errorf("latitude without longitude: %d", w.Code)
	}
	// Organizations: renaming one re-indexes its services.
	if w := post(s, "/admin/organizations/"+sv.OrganizationID, url.Values{"name": {"Zephyr Collective (sample)"}, "description": {"Sample data, not a real provider. Renamed."}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("organization edit: %d %s", w.Code, w.Body.String())
	}
	if res, _ = s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "zephyr", AllStatuses: true}); res.Total == 0 {
		t.Error("search does not find the organization's new name")
	}
	if w := post(s, "/admin/organizations/"+sv.OrganizationID, url.Values{"name": {""}, "website": {"nope"}}, c); w.Code != 400 {
		t.Errorf("bad organization edit: %d", w.Code)
	}
	if !strings.Contains(get(s, "/services/"+sv.ID, c).Body.String(), "/admin/services/"+sv.ID+"/edit") {
		t.Error("a curator sees no edit link on the service page")
	}
	if strings.Contains(get(s, "/services/"+sv.ID, nil).Body.String(), "/admin/services/") {
		t.Error("an anonymous visitor sees an edit link")
	}
	// A country summary written by a curator is no longer marked sample.
	cf := url.Values{"summary_en": {"Curated summary."}, "summary_es": {"Resumen revisado."}, "hotlines": {"Línea X | +52 800 000 0000 | 24/7\n"}}
	if w := post(s, "/admin/countries/MX", url.Values{"summary_en": {""}, "summary_es": {"x"}, "hotlines": {"no phone here"}}, c); w.Code != 400 {
		t.Errorf("bad country edit: %d", w.Code)
	}
	if w := post(s, "/admin/countries/MX", cf, c); w.Code != http.StatusSeeOther {
		t.Fatalf("country edit: %d %s", w.Code, w.Body.String())
	}
	body := html.UnescapeString(get(s, "/directory/countries/MX", nil).Body.String())
	if !strings.Contains(body, "Curated summary.") || strings.Contains(body, "Sample text") || !strings.Contains(body, `href="tel:+528000000000">+52 800 000 0000`) {
		t.Error("the country page does not show the curated summary and its hotline link")
	}
	if trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "country", "MX", 0); len(trail) < 2 {
		t.Errorf("country audit: %+v", trail)
	}
}

// MustImportSample imports n sample services into db.
func MustImportSample(t testing.TB, db *sqlstore.DB, n int) []*hsds.Service {
	t.Helper()
	var svcs []*hsds.Service
	sample.Services(n, 1, func(x *hsds.Service) error { svcs = append(svcs, x); return nil })
	i := 0
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		t.Fatal(err)
	}
	return svcs
}

func TestSuggestions(t *testing.T) {
	s, db := MustCurationServer(t)
	svcs := MustImportSample(t, db, 5)
	sv := svcs[0]
	send := func(form url.Values) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/suggest", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.RemoteAddr = "198.51.100.7:4444"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	// A program filling the honeypot is thanked, and nothing is kept.
	if w := send(url.Values{"type": {"service"}, "id": {sv.ID}, "kind": {"phone"}, "body": {"spam"}, "company_website": {"http://spam"}}); w.Code != 200 {
		t.Errorf("honeypot: %d", w.Code)
	}
	if n, _ := dbtest.CountRows(context.Background(), db, "suggestions"); n != 0 {
		t.Errorf("the honeypot submission was stored")
	}
	// A person reports a wrong phone, without contact details.
	w := send(url.Values{"type": {"service"}, "id": {sv.ID}, "kind": {"phone"}, "body": {"The number rings a shop."}, "new_value": {"+1 (713) 555-0111"}})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Thank you") || len(w.Result().Cookies()) > 0 {
		t.Fatalf("report: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	if w := send(url.Values{"type": {"service"}, "id": {sv.ID}, "kind": {"phone"}}); w.Code != 400 || !strings.Contains(w.Body.String(), "Please say what is wrong") {
		t.Errorf("empty report: %d", w.Code)
	}
	// A curator accepts it, correcting the value: the change is applied and audited.
	c := signIn(t, s, "curator@example.org")
	queue := get(s, "/admin/suggestions", c).Body.String()
	m := regexp.MustCompile(`/admin/suggestions/([0-9a-f-]{36})/accept`).FindStringSubmatch(queue)
	if m == nil || !strings.Contains(queue, "The number rings a shop.") {
		t.Fatalf("queue: %s", queue)
	}
	if w := post(s, "/admin/suggestions/"+m[1]+"/accept", url.Values{"value": {"+1 (713) 555-0112"}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", w.Code, w.Body.String())
	}
	got, _ := s.Directory.FindServiceByID(context.Background(), sv.ID)
	if got.Phones[0].Number != "+17135550112" {
		t.Errorf("phone after accepting: %q", got.Phones[0].Number)
	}
	trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "service", sv.ID, 0)
	if len(trail) == 0 || trail[len(trail)-1].Field != "phone" || trail[len(trail)-1].Actor != "curator@example.org" {
		t.Errorf("audit: %+v", trail)
	}
	if w := post(s, "/admin/suggestions/"+m[1]+"/reject", nil, c); w.Code != http.StatusConflict {
		t.Errorf("resolving twice: %d, want 409", w.Code)
	}
	// A burst of reports from one client is slowed down.
	var last *httptest.ResponseRecorder
	for range 6 {
		last = send(url.Values{"kind": {"new"}, "body": {"Please list the clinic on Main Street."}})
	}
	if last.Code != http.StatusTooManyRequests {
		t.Errorf("seventh report from one client: %d, want 429", last.Code)
	}
}

func TestAdminManagesUsers(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "admin@example.org")
	if w := post(s, "/admin/users", url.Values{"email": {"new@example.org"}, "role": {"screener"}, "password": {"short"}}, c); w.Code != 400 ||
		!strings.Contains(w.Body.String(), "12 characters") {
		t.Errorf("weak password accepted: %d", w.Code)
	}
	if w := post(s, "/admin/users", url.Values{"email": {"new@example.org"}, "role": {"screener"}, "password": {"a long enough passphrase"}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	nc := post(s, "/signin", url.Values{"email": {"new@example.org"}, "password": {"a long enough passphrase"}}, nil)
	if nc.Code != http.StatusSeeOther {
		t.Fatalf("the new account cannot sign in: %d", nc.Code)
	}
	u, _ := sqlstore.NewAccountService(db).FindUserByEmail(context.Background(), "new@example.org")
	if w := post(s, "/admin/users/"+u.ID, url.Values{"role": {"curator"}, "disabled": {"1"}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("update: %d", w.Code)
	}
	// Disabled: its sessions end and it cannot sign in again.
	if w := get(s, "/account", nc.Result().Cookies()[0]); w.Code != http.StatusSeeOther {
		t.Errorf("a disabled account's session still works: %d", w.Code)
	}
	if w := post(s, "/signin", url.Values{"email": {"new@example.org"}, "password": {"a long enough passphrase"}}, nil); w.Code != 401 {
		t.Errorf("a disabled account signed in: %d", w.Code)
	}
	me, _ := sqlstore.NewAccountService(db).FindUserByEmail(context.Background(), "admin@example.org")
	if w := post(s, "/admin/users/"+me.ID, url.Values{"role": {"curator"}}, c); w.Code != 400 {
		t.Errorf("an admin demoted themselves: %d", w.Code)
	}
	trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "user", u.ID, 0)
	if len(trail) != 3 {
		t.Errorf("user audit: %+v", trail)
	}
}

func TestCreateResource(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "curator@example.org")
	if w := get(s, "/admin/resources/new", c); w.Code != 200 {
		t.Fatalf("new form: %d", w.Code)
	}
	form := url.Values{"title": {"Trauma-Informed Interviewing: A Field Guide"}, "section": {"documents"}, "kind": {"guide"},
		"region": {"us"}, "description_en": {"A short guide."}, "description_es": {"Una guía breve."},
		"audiences": {"law-enforcement"}, "topics": {"identification"}, "languages": {"en"}, "url": {"https://example.org/guide"}}
	if w := post(s, "/admin/resources", form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	id := "trauma-informed-interviewing-a-field-guide"
	if !strings.Contains(get(s, "/resources?q=trauma+interviewing", nil).Body.String(), "/resources/"+id) {
		t.Error("the new entry is not found by search")
	}
	if trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "resource", id, 0); len(trail) != 1 || trail[0].Action != "create" {
		t.Errorf("creation audit: %+v", trail)
	}
	if w := post(s, "/admin/resources", form, c); w.Code != 400 || !strings.Contains(w.Body.String(), "already exists") {
		t.Errorf("duplicate: %d", w.Code)
	}
}

func TestCreateProvider(t *testing.T) {
	s, db := MustCurationServer(t)
	MustImportSample(t, db, 3)
	c := signIn(t, s, "curator@example.org")
	if w := get(s, "/admin/services/new", c); w.Code != 200 {
		t.Fatalf("form: %d", w.Code)
	}
	form := url.Values{"org_name": {"Harbor Legal Clinic (sample)"}, "org_description": {"Sample data, not a real provider."},
		"name": {"T visa consultations"}, "status": {"active"}, "languages": {"en, es"}, "categories": {"immigration-legal"},
		"hours": {"MO,WE 09:00-13:00"}, "phone": {"+1 (207) 555-0100"},
		"loc_address_1": {"1 Harbor St"}, "loc_city": {"Portland"}, "loc_state_province": {"ME"}, "loc_postal_code": {"04101"}, "loc_country": {"US"}}
	bad := url.Values{"name": {""}}
	if w := post(s, "/admin/services", bad, c); w.Code != 400 || !strings.Contains(w.Body.String(), "A name is required.") {
		t.Errorf("empty form: %d", w.Code)
	}
	w := post(s, "/admin/services", form, c)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	id := strings.TrimPrefix(w.Header().Get("Location"), "/services/")
	res, _ := s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "T visa", Category: "immigration-legal",
		Language: "es", Near: &haven.LatLon{Lat: 43.66, Lon: -70.26}, RadiusKm: 15})
	if res.Total != 1 || res.Hits[0].ServiceID != id {
		t.Errorf("the new provider is not found: %+v", res.Hits)
	}
	if api := get(s, "/api/hsds/services/"+id, nil); api.Code != 200 {
		t.Errorf("HSDS API: %d", api.Code)
	} else {
		mustValidate(t, "service", api.Body.Bytes(), "a curator-made service")
	}
	if trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "service", id, 0); len(trail) != 1 || trail[0].Action != "create" {
		t.Errorf("audit: %+v", trail)
	}
}

func TestEditTerm(t *testing.T) {
	s, db := MustCurationServer(t)
	svcs := MustImportSample(t, db, 10)
	c := signIn(t, s, "curator@example.org")
	term := svcs[0].Attributes[0].TaxonomyTerm
	if w := get(s, "/admin/terms", c); w.Code != 200 || !strings.Contains(w.Body.String(), term.Code) {
		t.Fatalf("terms page: %d", w.Code)
	}
	if w := post(s, "/admin/terms/"+term.ID, url.Values{"name": {"Quixotic help"}, "description": {"Renamed."}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", w.Code, w.Body.String())
	}
	if res, _ := s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{Query: "quixotic", AllStatuses: true}); res.Total == 0 {
		t.Error("services are not found by the term's new name")
	}
	if w := post(s, "/admin/terms/"+term.ID, url.Values{"name": {""}}, c); w.Code != 400 {
		t.Errorf("empty name: %d", w.Code)
	}
	if trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "taxonomy_term", term.ID, 0); len(trail) != 2 {
		t.Errorf("audit: %+v", trail)
	}
	if w := post(s, "/admin/terms", url.Values{"code": {"peer-support"}, "name": {"Peer support"}, "description": {"Support from survivors."}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("create term: %d", w.Code)
	}
	if w := post(s, "/admin/terms", url.Values{"code": {"peer-support"}, "name": {"x"}, "description": {"y"}}, c); w.Code != http.StatusConflict {
		t.Errorf("duplicate code: %d", w.Code)
	}
	if w := post(s, "/admin/terms", url.Values{"code": {"Bad Code"}, "name": {"x"}, "description": {"y"}}, c); w.Code != 400 {
		t.Errorf("bad code: %d", w.Code)
	}
	// Retiring an organization closes its services and takes them off the directory.
	org := svcs[0].OrganizationID
	if w := post(s, "/admin/organizations/"+org+"/retire", nil, c); w.Code != http.StatusSeeOther {
		t.Fatalf("retire: %d", w.Code)
	}
	res, _ := s.Directory.SearchDirectory(context.Background(), haven.DirectoryFilter{OrganizationID: org})
	if res.Total != 0 {
		t.Errorf("a retired organization still lists %d services", res.Total)
	}
}
