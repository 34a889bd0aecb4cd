package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/sqlstore"
)

func TestLearningPages(t *testing.T) {
	s, _, _ := MustServer(t)
	for _, path := range []string{"/understand-victims", "/help-victims-heal", "/culture-and-diversity", "/understand-victims?lang=es"} {
		w := do(s, "GET", path, nil)
		links := regexp.MustCompile(`href="(/learn/[a-z0-9-]+)"`).FindAllStringSubmatch(w.Body.String(), -1)
		if w.Code != 200 || len(links) < 2 {
			t.Fatalf("%s: %d, %d page links", path, w.Code, len(links))
		}
		for _, l := range links {
			pw := do(s, "GET", l[1], nil)
			body := pw.Body.String()
			if pw.Code != 200 || !strings.Contains(body, "Last reviewed on") || !strings.Contains(body, "<h2") {
				t.Errorf("%s: %d", l[1], pw.Code)
			}
			if !strings.Contains(body, `aria-current="page"`) {
				t.Errorf("%s: the navigation does not mark the section", l[1])
			}
		}
	}
	if w := do(s, "GET", "/learn/no-such-page", nil); w.Code != 404 {
		t.Errorf("unknown page: %d", w.Code)
	}
	var list struct {
		Total int `json:"total"`
		Items []struct{ Slug, Title, URL string }
	}
	json.Unmarshal(do(s, "GET", "/api/v1/pages?lang=es", nil).Body.Bytes(), &list)
	if list.Total < 6 || list.Items[0].URL == "" {
		t.Errorf("/api/v1/pages: %+v", list)
	}
	json.Unmarshal(do(s, "GET", "/api/v1/pages?q=interpreter", nil).Body.Bytes(), &list)
	if list.Total == 0 {
		t.Error("/api/v1/pages?q=interpreter finds nothing")
	}
	// The site search shows learning pages beside library entries.
	if body := do(s, "GET", "/resources?q=interpreters", nil).Body.String(); !strings.Contains(body, "Learning pages") || !strings.Contains(body, `href="/learn/`) {
		t.Error("library search does not include learning pages")
	}
}

func TestEditLearningPage(t *testing.T) {
	s, db := MustCurationServer(t)
	c := signIn(t, s, "curator@example.org")
	pages, err := sqlstore.NewLearningService(db).ListPages(context.Background(), "heal")
	if err != nil || len(pages) == 0 {
		t.Fatal(err)
	}
	pg := pages[0]
	form := url.Values{"title_en": {pg.Title["en"]}, "title_es": {pg.Title["es"]}, "summary_en": {pg.Summary["en"]},
		"summary_es": {pg.Summary["es"]}, "body_en": {"## Safety first\n\nA new paragraph.\n\n<script>alert(1)</script>"}, "body_es": {pg.Body["es"]}}
	form.Set("action", "preview")
	w := post(s, "/admin/learn/"+pg.Slug, form, c)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Safety first</h2>") || strings.Contains(w.Body.String(), "<script>alert") {
		t.Fatalf("preview: %d", w.Code)
	}
	if got, _ := sqlstore.NewLearningService(db).FindPage(context.Background(), pg.Slug); got.Body["en"] != pg.Body["en"] {
		t.Error("a preview saved the page")
	}
	form.Set("action", "save")
	form.Set("body_es", "")
	if w := post(s, "/admin/learn/"+pg.Slug, form, c); w.Code != 400 {
		t.Errorf("a page without Spanish text was accepted: %d", w.Code)
	}
	form.Set("body_es", pg.Body["es"])
	if w := post(s, "/admin/learn/"+pg.Slug, form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", w.Code, w.Body.String())
	}
	page := do(s, "GET", "/learn/"+pg.Slug, nil).Body.String()
	if !strings.Contains(page, "Safety first") || strings.Contains(page, "<script>alert") {
		t.Error("the saved page is not shown, or not sanitized")
	}
	if trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "learning_page", pg.Slug, 0); len(trail) == 0 || trail[0].Field != "body.en" {
		t.Errorf("audit: %+v", trail)
	}
}
