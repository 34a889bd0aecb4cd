//go:build browser

package browsertest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestFeedPanels: the dashboard's feeds, the curator's view of where a
// service came from, and a publisher's change in the queue read well at a
// phone's and a laptop's width, in English and Spanish, and pass axe.
func TestFeedPanels(t *testing.T) {
	t.Parallel()
	svc := queueServices(t, 6)[5]
	db, err := sql.Open("sqlite", havenDB+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	long := "https://api.a-county-with-a-rather-long-name.example.org/open-referral/hsds/v3/services-and-more"
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO feeds (name, url, kind, every_seconds, created_at, last_sync_at, last_ok_at, last_error, added, updated, unchanged, withdrawn, queued)
			VALUES ('browser-county-211', ?, 'hsds', 86400, ?, ?, ?, ?, 12, 3, 240, 1, 1)`,
			[]any{long, now, now, now, "feed browser-county-211: " + long + "?full=true&page=7&per_page=100: the publisher answered 500 Internal Server Error (after 5 tries); nothing was changed"}},
		{`INSERT INTO service_sources (service_id, kind, source, url, publisher_id, fetched_at) VALUES (?, 'feed', 'browser-county-211', ?, 'county-211-record-000123456789', ?)
			ON CONFLICT (service_id) DO UPDATE SET kind = excluded.kind, source = excluded.source, url = excluded.url, publisher_id = excluded.publisher_id`, []any{svc, long, now}},
		{`INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, new_value, field) VALUES ('00000000-0000-4000-8000-0000000feed1', ?, 'service', ?, 'upstream', 'browser-county-211', ?, 'description')`,
			[]any{now, svc, strings.Repeat("The publisher's new description of this service (sample). ", 4)}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	admin := signIn(t)
	for _, lang := range []string{"en", "es"} {
		for _, w := range queueWidths {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				tb := newTab(t, inLanguage(lang), atWidth(w), inContext(admin))
				for _, p := range []struct{ path, want string }{
					{"/admin", "browser-county-211"},
					{"/admin/services/" + svc + "/edit", "county-211-record-000123456789"},
					{"/admin/suggestions", "browser-county-211"},
				} {
					tb.open(withLang(havenURL+p.path, lang), 200)
					if body := eval[string](tb, `document.body.innerText`); !strings.Contains(body, p.want) {
						t.Errorf("%s does not show %q", p.path, p.want)
					}
					c := checkPage(t, tb)
					if c.ScrollWidth > c.ClientWidth {
						t.Errorf("%s overflows sideways at %d px: %d > %d: %v", p.path, w, c.ScrollWidth, c.ClientWidth, c.Culprits)
					}
				}
			})
		}
	}
}
