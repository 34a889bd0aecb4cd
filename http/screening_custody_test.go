package http_test

import (
	"crypto/ed25519"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/screening"
	"haven/sqlstore"
	"haven/vault"
)

// TestSigninLanding: with no page asked for, each role lands where it
// works, never on a page it may not open.
func TestSigninLanding(t *testing.T) {
	s, _, _ := MustScreeningServer(t)
	for email, want := range map[string]string{
		"admin@example.org": "/admin", "curator@example.org": "/admin",
		"screener@example.org": "/screening/records", "records-supervisor@example.org": "/screening/records",
	} {
		w := post(s, "/signin", url.Values{"email": {email}, "password": {testPassword}}, nil)
		if got := w.Header().Get("Location"); w.Code != http.StatusSeeOther || got != want {
			t.Errorf("%s lands on %d %q, want %q", email, w.Code, got, want)
			continue
		}
		c := w.Result().Cookies()[0]
		if page := get(s, want, c); page.Code != 200 {
			t.Errorf("%s: the landing page %s answers %d", email, want, page.Code)
		}
	}
}

// TestScreeningRecordList: the list shows the case reference, the result
// and the date in the configured zone, so the right record is found
// without opening others; listing opens nothing in the access log.
func TestScreeningRecordList(t *testing.T) {
	s, _, _ := MustScreeningServer(t)
	zone, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	s.Zone = zone
	c := signIn(t, s, "screener@example.org")
	result := interview(t, s, c, "es", url.Values{"step": {"1"}}, map[string]bool{"child-sex-exchange": true, "age-under-18": true})
	if !strings.Contains(html.UnescapeString(result), "citación") {
		t.Error("the save form does not remind that records can be subpoenaed (es)")
	}
	id := saveFrom(t, s, c, "es", result)
	for _, tc := range []struct{ lang, result, zone string }{
		{"en", "Strong signs of trafficking seen", "America/Chicago"},
		{"es", "Se vieron señales fuertes de trata", "America/Chicago"},
	} {
		page := html.UnescapeString(get(s, "/screening/records?lang="+tc.lang, c).Body.String())
		for _, want := range []string{refMarker, tc.result, tc.zone, " CST"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s list lacks %q", tc.lang, want)
			}
		}
		for _, never := range []string{noteMarker, placeMarker} {
			if strings.Contains(page, never) {
				t.Errorf("%s list shows %q", tc.lang, never)
			}
		}
	}
	if !strings.Contains(html.UnescapeString(interview(t, s, c, "en", url.Values{"step": {"1"}}, nil)), "subpoenaed") {
		t.Error("the save form does not remind that records can be subpoenaed (en)")
	}
	// The author's record page lists no opening by anyone but them yet.
	page := get(s, "/screening/records/"+id, c).Body.String()
	if strings.Contains(page, "records-supervisor@example.org") {
		t.Error("an access that did not happen is listed")
	}
}

// TestScreeningSupervision walks a records supervisor through a record:
// they open it, the author sees that they did; they place a legal hold,
// cannot delete the held record, release it and delete it with a reason.
func TestScreeningSupervision(t *testing.T) {
	s, _, _ := MustScreeningServer(t)
	author := signIn(t, s, "screener@example.org")
	id := saveFrom(t, s, author, "en", interview(t, s, author, "en", url.Values{"step": {"1"}}, map[string]bool{"ctrl-leave": true}))
	sup := signIn(t, s, "records-supervisor@example.org")
	path := "/screening/records/" + id

	page := get(s, path, sup).Body.String()
	if !strings.Contains(page, `action="`+path+`/hold"`) || !strings.Contains(page, `action="`+path+`/delete"`) {
		t.Fatal("the supervisor has no hold or delete form")
	}
	if strings.Contains(get(s, path, author).Body.String(), `action="`+path+`/delete"`) {
		t.Error("the author is offered deletion")
	}
	// The author sees who opened the record, and how.
	mine := html.UnescapeString(get(s, path, author).Body.String())
	if !strings.Contains(mine, "Who opened this record") || !strings.Contains(mine, "records-supervisor@example.org") {
		t.Error("the author does not see that the supervisor opened the record")
	}

	for _, step := range []struct {
		name string
		path string
		form url.Values
		code int
		loc  string
	}{
		{"hold without a reason", "/hold", url.Values{"hold": {"hold"}}, 400, ""},
		{"hold", "/hold", url.Values{"hold": {"hold"}, "reason": {"Subpoena, case 2026-17"}}, 303, path},
		{"delete while held", "/delete", url.Values{"reason": {"asked"}, "confirm": {"1"}}, 409, ""},
		{"release", "/hold", url.Values{"hold": {"release"}, "reason": {"case closed"}}, 303, path},
		{"delete unconfirmed", "/delete", url.Values{"reason": {"asked"}}, 400, ""},
		{"delete", "/delete", url.Values{"reason": {"The person asked"}, "confirm": {"1"}}, 303, "/screening/records?deleted=1"},
	} {
		w := post(s, path+step.path, step.form, sup)
		if w.Code != step.code || w.Header().Get("Location") != step.loc {
			t.Errorf("%s: %d %q, want %d %q", step.name, w.Code, w.Header().Get("Location"), step.code, step.loc)
		}
		if step.name == "hold" {
			held := html.UnescapeString(get(s, path, author).Body.String())
			if !strings.Contains(held, "Under a legal hold") || !strings.Contains(held, "Subpoena, case 2026-17") {
				t.Error("the record page does not show the hold")
			}
			if !strings.Contains(get(s, "/screening/records", author).Body.String(), "Legal hold") {
				t.Error("the list does not mark the held record")
			}
		}
	}
	if w := get(s, path, author); w.Code != 404 {
		t.Errorf("the deleted record answers %d", w.Code)
	}
}

// TestScreeningPrintVerifies: the printout carries a signed block that
// verifies offline against the key the server publishes, and the JSON
// export verifies too; neither verifies against another key.
func TestScreeningPrintVerifies(t *testing.T) {
	s, _, _ := MustScreeningServer(t)
	c := signIn(t, s, "screener@example.org")
	id := saveFrom(t, s, c, "en", interview(t, s, c, "en", url.Values{"step": {"1"}}, map[string]bool{"ctrl-leave": true, "ctrl-documents": true}))

	w := get(s, "/.well-known/haven-screening-keys.txt", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "ed25519:") {
		t.Fatalf("published keys: %d %q", w.Code, w.Body.String())
	}
	pub, err := screening.ParsePublicKey(strings.SplitN(w.Body.String(), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	other, _ := vault.NewKey()
	for _, route := range []string{"/print", "/export.json"} {
		body := get(s, "/screening/records/"+id+route, c).Body.Bytes()
		e, err := screening.VerifyExport(body, []ed25519.PublicKey{pub})
		if err != nil {
			t.Fatalf("%s: %v", route, err)
		}
		if e.Payload.RecordID != id || e.Payload.Version != 1 || !strings.Contains(string(e.Payload.Record), noteMarker) {
			t.Errorf("%s: the signed payload is not the record: %+v", route, e.Payload)
		}
		if _, err := screening.VerifyExport(body, vault.NewKeyring(other).SigningPublicKeys()); err == nil {
			t.Errorf("%s verifies against another key", route)
		}
	}
	s.Vault = nil
	if w := get(s, "/.well-known/haven-screening-keys.txt", nil); w.Code != 404 {
		t.Errorf("keys published without a key: %d", w.Code)
	}
}

// TestScreeningMinimalNotes: with the organization's minimal-notes
// setting, amending a record erases the note text of its earlier versions
// from the database; the record still shows its current notes, the
// history says what was erased, and the evidence still verifies.
func TestScreeningMinimalNotes(t *testing.T) {
	for _, minimal := range []bool{false, true} {
		s, db, _ := MustScreeningServer(t)
		s.ScreeningMinimalNotes = minimal
		c := signIn(t, s, "screener@example.org")
		yes := map[string]bool{"ctrl-leave": true}
		id := saveFrom(t, s, c, "en", interview(t, s, c, "en", url.Values{"step": {"1"}}, yes))
		if minimal != strings.Contains(html.UnescapeString(get(s, "/screening/records/"+id, c).Body.String()), "keeps notes minimal") {
			t.Errorf("minimal %v: the notice beside the amend button is wrong", minimal)
		}
		w := post(s, "/screening/records/"+id+"/amend", url.Values{}, c)
		form := url.Values{"start": {w.Header().Get("Location")}}
		saveFrom(t, s, c, "en", interview(t, s, c, "en", form, map[string]bool{"ctrl-leave": true, "ctrl-documents": true}))

		ctx := t.Context()
		ss := sqlstore.NewScreeningRecordService(db)
		_, versions, err := ss.FindScreening(ctx, id)
		if err != nil || len(versions) != 2 {
			t.Fatalf("versions: %d %v", len(versions), err)
		}
		if erased := versions[0].Detached == ""; erased != minimal {
			t.Errorf("minimal %v: the first version's notes erased: %v", minimal, erased)
		}
		if versions[1].Detached == "" {
			t.Error("the head's notes were erased")
		}
		page := html.UnescapeString(get(s, "/screening/records/"+id, c).Body.String())
		if !strings.Contains(page, noteMarker) {
			t.Error("the record lost its current notes")
		}
		if minimal != strings.Contains(page, "Note text erased") {
			t.Errorf("minimal %v: the history's erasure note is wrong", minimal)
		}
		chains, _ := ss.ScreeningChains(ctx)
		trails, _ := ss.ScreeningTrails(ctx)
		if p := screening.Verify(chains, trails, s.Vault); p != nil {
			t.Errorf("minimal %v: verify: %v", minimal, p)
		}
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "screening", id, 0)
		audited := false
		for _, e := range trail {
			audited = audited || (e.Action == "erase-notes" && e.After == "versions 1")
		}
		if audited != minimal {
			t.Errorf("minimal %v: erasure audited: %v", minimal, audited)
		}
	}
}
