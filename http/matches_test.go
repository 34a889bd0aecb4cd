package http_test

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"haven/intake"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// mustImportSource imports the 1.1 sample package under a source name, so
// that importing it under two names lists each service twice.
func mustImportSource(tb testing.TB, db *sqlstore.DB, source string) {
	tb.Helper()
	path := filepath.Join("..", "intake", "testdata", "county211-sample")
	d, err := intake.Detect(path)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := intake.OpenPackage(path, d, intake.Options{Source: source})
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close()
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), p.Next, sqlstore.ImportOptions{Name: source, Validated: true}); err != nil {
		tb.Fatal(err)
	}
}

// TestMatchesPages walks the curators' duplicates page on both engines:
// the pairs with their reasons, the field-by-field merge form, the merge
// (the old page and API record then lead to the survivor), its history
// line, undo, and "not the same"; in English and Spanish.
func TestMatchesPages(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		mustImportSource(t, db, "county211")
		mustImportSource(t, db, "statewide")
		c := signIn(t, s, "curator@example.org")

		w := get(s, "/admin/matches", c)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "Likely duplicates") || !strings.Contains(body, "Same phone number") {
			t.Fatalf("matches page: %d\n%s", w.Code, body)
		}
		if es := get(s, "/admin/matches?lang=es", c).Body.String(); !strings.Contains(es, "Posibles duplicados") || !strings.Contains(es, "Mismo teléfono") {
			t.Error("the Spanish matches page is not in Spanish")
		}
		if w := get(s, "/admin/matches?min_score=7", c); w.Code != 400 {
			t.Errorf("min_score=7: %d", w.Code)
		}
		link := regexp.MustCompile(`href="/admin/matches/merge\?a=([0-9a-f-]+)&amp;b=([0-9a-f-]+)"`).FindStringSubmatch(body)
		if link == nil {
			t.Fatal("no compare link on the matches page")
		}
		a, b := link[1], link[2]

		// Give b a description of its own, so the form has a choice.
		dir := sqlstore.NewDirectoryService(db)
		if err := dir.UpdateService(context.Background(), "c@example.org", b, map[string]string{"description": "As the statewide list has it (sample)."}); err != nil {
			t.Fatal(err)
		}
		form := get(s, "/admin/matches/merge?a="+a+"&b="+b, c).Body.String()
		for _, want := range []string{`name="keep" value="a" checked`, `name="f.description" value="b"`, "As the statewide list has it (sample)."} {
			if !strings.Contains(form, want) {
				t.Errorf("merge form lacks %q", want)
			}
		}
		if strings.Contains(form, `name="f.name"`) {
			t.Error("the merge form offers a choice for a field both have alike")
		}
		if w := get(s, "/admin/matches/merge?a="+a+"&b="+a, c); w.Code != 400 {
			t.Errorf("comparing a service with itself: %d", w.Code)
		}

		// Bad merges change nothing.
		for _, bad := range []url.Values{
			{"a": {a}, "b": {b}},
			{"a": {a}, "b": {b}, "keep": {"a"}, "f.description": {"c"}},
			{"a": {a}, "b": {b}, "keep": {"a"}, "f.nonsense": {"b"}, "f.status": {"x"}},
		} {
			if w := post(s, "/admin/matches/merge", bad, c); w.Code != 400 {
				t.Errorf("bad merge %v: %d", bad, w.Code)
			}
		}
		// Keep b, taking a's description: a's listing leads to b.
		w = post(s, "/admin/matches/merge", url.Values{"a": {a}, "b": {b}, "keep": {"b"}, "f.description": {"a"}}, c)
		if w.Code != 303 || w.Header().Get("Location") != "/admin/matches?done=merged" {
			t.Fatalf("merge: %d %s", w.Code, w.Body.String())
		}
		got, _ := dir.FindServiceByID(context.Background(), b)
		if strings.Contains(got.Description, "statewide list") {
			t.Errorf("the survivor did not take a's description: %q", got.Description)
		}
		for path, want := range map[string]string{
			"/services/" + a + "?lang=es": "/services/" + b + "?lang=es",
			"/api/hsds/services/" + a:     "/api/hsds/services/" + b,
		} {
			if w := get(s, path, nil); w.Code != 302 || w.Header().Get("Location") != want {
				t.Errorf("GET %s: %d → %q, want 302 → %q", path, w.Code, w.Header().Get("Location"), want)
			}
		}
		// Curators see the merged-away listing itself, saying where it went.
		if w := get(s, "/services/"+a, c); w.Code != 200 || !strings.Contains(w.Body.String(), "Merged into another listing") ||
			!strings.Contains(w.Body.String(), `href="/services/`+b+`"`) {
			t.Errorf("the curator's view of a merged-away listing: %d", w.Code)
		}
		if w := get(s, "/services/"+b, c); strings.Contains(w.Body.String(), "Merged into another listing") {
			t.Error("the kept listing says it was merged away")
		}
		if w := get(s, "/services/no-such-service", nil); w.Code != 404 {
			t.Errorf("an unknown service: %d", w.Code)
		}
		hist := get(s, "/admin/history/service/"+b, c).Body.String()
		if !strings.Contains(hist, "merged") || !strings.Contains(hist, a) {
			t.Error("the survivor's history lacks the merge")
		}
		page := get(s, "/admin/matches?done=merged", c).Body.String()
		undo := regexp.MustCompile(`action="/admin/matches/merges/([0-9a-f-]+)/undo"`).FindStringSubmatch(page)
		if undo == nil || !strings.Contains(page, "Merged. ") {
			t.Fatal("the merge is not in the history with an undo button")
		}

		// Undo: a's page is its own again.
		if w := post(s, "/admin/matches/merges/"+undo[1]+"/undo", url.Values{}, c); w.Code != 303 {
			t.Fatalf("undo: %d %s", w.Code, w.Body.String())
		}
		if w := get(s, "/services/"+a, nil); w.Code != 200 {
			t.Errorf("a's page after undo: %d", w.Code)
		}
		if w := post(s, "/admin/matches/merges/"+undo[1]+"/undo", url.Values{}, c); w.Code != 409 {
			t.Errorf("undoing twice: %d", w.Code)
		}

		// Not the same: the pair is not offered again.
		if w := post(s, "/admin/matches/distinct", url.Values{"a": {a}, "b": {b}}, c); w.Code != 303 {
			t.Fatalf("not the same: %d %s", w.Code, w.Body.String())
		}
		if strings.Contains(get(s, "/admin/matches", c).Body.String(), "a="+a+"&amp;b="+b) {
			t.Error("a pair marked not the same is still listed")
		}
		if w := post(s, "/admin/matches/distinct", url.Values{"a": {a}}, c); w.Code != 400 {
			t.Errorf("not the same without b: %d", w.Code)
		}
	})
}
