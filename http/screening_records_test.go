package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"haven"
	"haven/auth"
	havenhttp "haven/http"
	"haven/internal/dbtest"
	"haven/internal/testpg"
	"haven/sqlstore"
	"haven/vault"
)

// Markers written into notes, the place and the reference: they must never
// appear outside the sealed record.
const (
	noteMarker  = "Quetzal-note-5521 works nights at the laundry"
	placeMarker = "Tlaxcala-7731"
	refMarker   = "CASE-ZX-90417"
)

// MustScreeningServer returns a curation server that can save records,
// with a second screener, and its log buffer.
func MustScreeningServer(t *testing.T) (*havenhttp.Server, *sqlstore.DB, *bytes.Buffer) {
	t.Helper()
	return MustScreeningServerOn(t, filepath.Join(t.TempDir(), "haven.db"))
}

// MustScreeningServerOn is MustScreeningServer on the database dsn names.
func MustScreeningServerOn(t *testing.T, dsn string) (*havenhttp.Server, *sqlstore.DB, *bytes.Buffer) {
	t.Helper()
	s, db := MustCurationServerOn(t, dsn)
	var logs bytes.Buffer
	s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	key, _ := vault.NewKey()
	s.Vault, s.Records = vault.NewKeyring(key), sqlstore.NewScreeningRecordService(db)
	s.Drafts = sqlstore.NewScreeningDraftService(db)
	hash, err := auth.HashPassword(testPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.NewAccountService(db).CreateUser(context.Background(), "test", &haven.User{Email: "other@example.org", Role: haven.RoleScreener, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return s, db, &logs
}

var noteName = regexp.MustCompile(`name="(n_[a-z0-9-]+)"`)

// interview walks the interview as a signed-in browser, from its start
// or from form's "start" address (an amendment), answering yes to the
// questions in yes and writing noteMarker on the first of them; it returns
// the result page.
func interview(t *testing.T, s http.Handler, c *http.Cookie, lang string, form url.Values, yes map[string]bool) string {
	t.Helper()
	body, _ := walkInterview(t, s, c, lang, form.Get("start"), func(step, body string, form url.Values) {
		for _, m := range radioName.FindAllStringSubmatch(body, -1) {
			if id := strings.TrimPrefix(m[1], "a_"); yes[id] {
				form.Set(m[1], "yes")
			}
		}
		for _, m := range noteName.FindAllStringSubmatch(body, -1) {
			if yes[strings.TrimPrefix(m[1], "n_")] && !strings.Contains(body, noteMarker) {
				form.Set(m[1], noteMarker)
			}
		}
		if step == "age" && !yes["age-under-18"] {
			form.Set("a_age-under-18", "no")
		}
		if step == "person" {
			form.Set("place", placeMarker)
		}
	})
	return body
}

// formValues collects the hidden fields of a page, and the text areas'
// contents, as the browser would post them.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]* name="([^"]+)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(body, -1) {
		if m[2] != "" {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	for _, m := range regexp.MustCompile(`name="(a_[a-z0-9-]+)" value="([a-z]+)" checked`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], m[2])
	}
	return v
}

var recordLink = regexp.MustCompile(`^/screening/records/([0-9a-f-]{36})\?saved=1$`)

// saveFrom posts the result page's save form and returns the record's ID.
func saveFrom(t *testing.T, s http.Handler, c *http.Cookie, lang, result string) string {
	t.Helper()
	form := formValues(result)
	if !strings.Contains(result, `action="/screening/save"`) {
		t.Fatalf("no save form on the result page")
	}
	if form.Get("record") == "" {
		form.Set("reference", refMarker)
	}
	w := post(s, "/screening/save?lang="+lang, form, c)
	m := recordLink.FindStringSubmatch(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d %q %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	return m[1]
}

// TestScreeningRecordFlow runs the whole flow over HTTP, in both
// languages, on both engines.
func TestScreeningRecordFlow(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { testScreeningRecordFlow(t, e.Fresh(t)) })
}

func testScreeningRecordFlow(t *testing.T, dsn string) {
	s, db, logs := MustScreeningServerOn(t, dsn)
	ctx := context.Background()
	c := signIn(t, s, "screener@example.org")
	yes := map[string]bool{"child-sex-exchange": true, "age-under-18": true, "child-hurt": true}
	for _, tc := range []struct{ lang, saved, summary, amended string }{
		{"en", "Saved. The record is encrypted", "Strong signs of trafficking seen", "Amended by the interviewer"},
		{"es", "Guardado. El registro está cifrado", "Se vieron señales fuertes de trata", "Modificado por el entrevistador"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			result := interview(t, s, c, tc.lang, url.Values{"step": {"1"}}, yes)
			if strings.Contains(result, "not saved") {
				t.Error("a screener is told the result is not saved")
			}
			id := saveFrom(t, s, c, tc.lang, result)
			w := get(s, "/screening/records/"+id+"?saved=1&lang="+tc.lang, c)
			page := html.UnescapeString(w.Body.String())
			for _, want := range []string{tc.saved, tc.summary, noteMarker, placeMarker, refMarker, "screener@example.org"} {
				if !strings.Contains(page, want) {
					t.Errorf("record page lacks %q", want)
				}
			}
			rec, versions, err := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, id)
			if err != nil || len(versions) != 1 || rec.AuthorEmail != "screener@example.org" {
				t.Fatalf("stored: %+v %d %v", rec, len(versions), err)
			}
			if !strings.Contains(page, rec.HeadHash) {
				t.Error("the record page does not show its hash")
			}
			// The printable export and the JSON export carry the hash.
			if w := get(s, "/screening/records/"+id+"/print?lang="+tc.lang, c); w.Code != 200 || !strings.Contains(w.Body.String(), rec.HeadHash) {
				t.Errorf("print: %d, hash shown: %v", w.Code, strings.Contains(w.Body.String(), rec.HeadHash))
			}
			w = get(s, "/screening/records/"+id+"/export.json", c)
			var exp struct {
				Payload struct {
					RecordID string `json:"record_id"`
					Hash     string `json:"head_hash"`
					Version  int
					Record   struct {
						Interviewer string
						Interpreter bool
						Place       string
					}
					View struct {
						Answers []struct{ Question, Answer, Note string }
						Result  struct{ Level string }
					}
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &exp); err != nil || w.Code != 200 {
				t.Fatalf("export: %d %v %s", w.Code, err, w.Body.String())
			}
			if p := exp.Payload; p.Hash != rec.HeadHash || p.RecordID != id || p.Version != 1 || !p.Record.Interpreter ||
				p.Record.Place != placeMarker || p.View.Result.Level != "strong" || len(p.View.Answers) != 3 {
				t.Errorf("export: %+v", exp)
			}
			// Amend: reopen, answer one more question, save a second version.
			w = post(s, "/screening/records/"+id+"/amend?lang="+tc.lang, url.Values{}, c)
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/screening/interview/intro?draft=") {
				t.Fatalf("amend: %d %s", w.Code, w.Header().Get("Location"))
			}
			form := url.Values{"start": {w.Header().Get("Location")}}
			more := map[string]bool{"child-online": true}
			for k := range yes {
				more[k] = true
			}
			result = interview(t, s, c, tc.lang, form, more)
			if id2 := saveFrom(t, s, c, tc.lang, result); id2 != id {
				t.Fatalf("amending made a new record %s", id2)
			}
			rec2, versions, _ := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, id)
			if len(versions) != 2 || versions[1].PrevHash != rec.HeadHash || rec2.HeadHash == rec.HeadHash {
				t.Fatalf("second version: %d versions", len(versions))
			}
			page = html.UnescapeString(get(s, "/screening/records/"+id+"?lang="+tc.lang, c).Body.String())
			if !strings.Contains(page, tc.amended) || !strings.Contains(page, noteMarker) {
				t.Error("the record page does not list the amendment")
			}
			// Every save, view and export is in the audit trail, without content.
			trail, err := sqlstore.NewAuditService(db).AuditTrail(ctx, "screening", id, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range trail {
				got = append(got, e.Action+":"+e.Field)
				if strings.Contains(e.Before+e.After, placeMarker) || strings.Contains(e.Before+e.After, "Quetzal") {
					t.Errorf("audit line holds content: %+v", e)
				}
			}
			want := "save:version view:page export:print export:json view:amend amend:version view:page"
			if strings.Join(got, " ") != want {
				t.Errorf("audit trail:\n got %s\nwant %s", strings.Join(got, " "), want)
			}
		})
	}
	// The list shows the screener's own records only.
	w := get(s, "/screening/records", c)
	if n := strings.Count(w.Body.String(), `href="/screening/records/`); w.Code != 200 || n != 2 {
		t.Errorf("list: %d, %d records", w.Code, n)
	}
	other := signIn(t, s, "other@example.org")
	if n := strings.Count(get(s, "/screening/records", other).Body.String(), `href="/screening/records/`); n != 0 {
		t.Errorf("another screener sees %d records", n)
	}
	// A records supervisor sees everyone's; an admin, by default, only
	// their own (none).
	supervisor := signIn(t, s, "records-supervisor@example.org")
	if n := strings.Count(get(s, "/screening/records", supervisor).Body.String(), `href="/screening/records/`); n != 2 {
		t.Errorf("the records supervisor sees %d records", n)
	}
	admin := signIn(t, s, "admin@example.org")
	if n := strings.Count(get(s, "/screening/records", admin).Body.String(), `href="/screening/records/`); n != 0 {
		t.Errorf("the admin sees %d records", n)
	}
	for _, needle := range []string{noteMarker, placeMarker, refMarker, "Quetzal"} {
		if strings.Contains(logs.String(), needle) {
			t.Errorf("the log holds %q", needle)
		}
	}
}

// TestScreeningRecordRoles: every record route refuses anonymous users and
// curators; a record opens only for its author and records supervisors
// (admins only when the organization allows it); only the author amends;
// only supervisors hold and delete.
func TestScreeningRecordRoles(t *testing.T) {
	for _, adminsRead := range []bool{false, true} {
		s, _, _ := MustScreeningServer(t)
		s.AdminsReadScreenings = adminsRead
		author := signIn(t, s, "screener@example.org")
		result := interview(t, s, author, "en", url.Values{"step": {"1"}}, map[string]bool{"ctrl-leave": true})
		id := saveFrom(t, s, author, "en", result)
		cookies := map[string]*http.Cookie{"anonymous": nil, "author": author}
		for _, who := range []string{"curator", "admin", "other", "records-supervisor"} {
			cookies[who] = signIn(t, s, who+"@example.org")
		}
		save := formValues(result)
		readers := []string{"author", "records-supervisor"}
		supervisors := []string{"records-supervisor"}
		everyone := []string{"anonymous", "author", "curator", "admin", "other", "records-supervisor"}
		if adminsRead {
			readers, supervisors = append(readers, "admin"), append(supervisors, "admin")
		}
		routes := map[string][]string{ // who may use each route
			"POST /screening/save":                    {"author", "admin", "other", "records-supervisor"},
			"POST /screening/start":                   everyone,
			"GET /screening/interview/{step}":         everyone,
			"POST /screening/interview/{step}":        everyone,
			"GET /screening/records":                  {"author", "admin", "other", "records-supervisor"},
			"GET /screening/records/{id}":             readers,
			"GET /screening/records/{id}/print":       readers,
			"GET /screening/records/{id}/export.json": readers,
			"POST /screening/records/{id}/amend":      {"author"},
			// Posted without a reason: refused as invalid, not forbidden.
			"POST /screening/records/{id}/hold":   supervisors,
			"POST /screening/records/{id}/delete": supervisors,
		}
		checkRecordRoutes(t, s, id, save, cookies, routes)
		// The list: everyone's for supervisors (and admins with the
		// setting), one's own for the rest.
		want := map[string]int{"author": 1, "other": 0, "records-supervisor": 1, "admin": 0}
		if adminsRead {
			want["admin"] = 1
		}
		for who, n := range want {
			if got := strings.Count(get(s, "/screening/records", cookies[who]).Body.String(), `href="/screening/records/`+id); got != n {
				t.Errorf("adminsRead %v: %s lists %d of the record, want %d", adminsRead, who, got, n)
			}
		}
	}
}

func checkRecordRoutes(t *testing.T, s *havenhttp.Server, id string, save url.Values, cookies map[string]*http.Cookie, routes map[string][]string) {
	t.Helper()
	author := cookies["author"]
	for _, p := range s.Patterns() {
		if strings.HasPrefix(p, "GET /screening/") || strings.HasPrefix(p, "POST /screening/") {
			if _, ok := routes[p]; !ok {
				t.Errorf("route %s has no expectation in this test", p)
			}
		}
	}
	for p, may := range routes {
		method, path, _ := strings.Cut(p, " ")
		path = strings.Replace(path, "{id}", id, 1)
		form := save
		if strings.HasSuffix(path, "/delete") || strings.HasSuffix(path, "/hold") {
			form = url.Values{} // no reason: nothing is held or deleted
		}
		for who, c := range cookies {
			var w *httptest.ResponseRecorder
			if method == "GET" {
				w = get(s, path, c)
			} else {
				w = post(s, path, form, c)
			}
			refused := w.Code == 401 || w.Code == 403 || (w.Code == 303 && strings.HasPrefix(w.Header().Get("Location"), "/signin"))
			allowed := false
			for _, m := range may {
				allowed = allowed || m == who
			}
			if allowed == refused {
				t.Errorf("%s as %s: %d", p, who, w.Code)
			}
		}
	}
	// An unknown or malformed record ID is a 404, never a 500.
	for _, path := range []string{"/screening/records/00000000-0000-4000-8000-000000000000", "/screening/records/x'%20OR%201=1"} {
		if w := get(s, path, author); w.Code != 404 {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}

// TestScreeningWithoutKey: with no secret key, nothing is saved, and the
// screener is told why and how to fix it.
func TestScreeningWithoutKey(t *testing.T) {
	s, db, _ := MustScreeningServer(t)
	s.Vault = nil
	c := signIn(t, s, "screener@example.org")
	result := interview(t, s, c, "en", url.Values{"step": {"1"}}, map[string]bool{"ctrl-leave": true})
	if !strings.Contains(html.UnescapeString(result), "haven keys generate") || strings.Contains(result, `action="/screening/save"`) {
		t.Error("the result page does not explain that saving is off")
	}
	w := post(s, "/screening/save", formValues(result), c)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(html.UnescapeString(w.Body.String()), "HAVEN_SECRET_KEY") {
		t.Errorf("save without a key: %d", w.Code)
	}
	if n, _ := dbtest.CountRows(context.Background(), db, "screening_records"); n != 0 {
		t.Errorf("%d records saved without a key", n)
	}
}

// TestNoPlaintextOnDisk saves records and then reads the raw bytes of the
// SQLite file and its WAL, and the log: no note, place, reference or
// question ID may appear in them.
func TestNoPlaintextOnDisk(t *testing.T) {
	s, db, logs := MustScreeningServer(t)
	c := signIn(t, s, "screener@example.org")
	yes := map[string]bool{"sit-sex": true, "ctrl-leave": true, "ctrl-documents": true}
	for _, lang := range []string{"en", "es"} {
		saveFrom(t, s, c, lang, interview(t, s, c, lang, url.Values{"step": {"1"}}, yes))
	}
	path := db.Path()
	var raw []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	if len(raw) == 0 {
		t.Fatalf("nothing read from %s", filepath.Base(path))
	}
	raw = append(raw, logs.Bytes()...)
	for _, needle := range []string{noteMarker, "Quetzal", placeMarker, refMarker, "sit-sex", "ctrl-leave", "ctrl-documents", `"answers"`, `"items"`, "Test Clinic", "Lingua Test Agency"} {
		if bytes.Contains(raw, []byte(needle)) {
			t.Errorf("%q is readable in the database file, its WAL or the log", needle)
		}
	}
	// The check can fail: the sealed rows are there, as ciphertext.
	if !bytes.Contains(raw, []byte("screening_versions")) {
		t.Error("the database file does not look like Haven's")
	}
}

// TestScreeningAuditForAdminsOnly: curators see the audit trail of the
// library and directory, but not who screened whom.
func TestScreeningAuditForAdminsOnly(t *testing.T) {
	s, _, _ := MustScreeningServer(t)
	author := signIn(t, s, "screener@example.org")
	id := saveFrom(t, s, author, "en", interview(t, s, author, "en", url.Values{"step": {"1"}}, map[string]bool{"ctrl-documents": true}))
	curator, admin := signIn(t, s, "curator@example.org"), signIn(t, s, "admin@example.org")
	if w := get(s, "/admin/history/screening/"+id, curator); w.Code != 403 {
		t.Errorf("a curator reads a record's history: %d", w.Code)
	}
	if w := get(s, "/admin/history/screening/"+id, admin); w.Code != 200 || !strings.Contains(w.Body.String(), "screener@example.org") {
		t.Errorf("the admin cannot read a record's history: %d", w.Code)
	}
	if strings.Contains(get(s, "/admin", curator).Body.String(), id) {
		t.Error("the curator's dashboard lists a screening record")
	}
	if !strings.Contains(get(s, "/admin", admin).Body.String(), id) {
		t.Error("the admin's dashboard does not list the screening save")
	}
}
