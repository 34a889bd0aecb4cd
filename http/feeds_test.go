package http_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/internal/testpg"
	"haven/sample"
	"haven/sqlstore"
)

// TestFeedPages: the dashboard shows each feed's last sync, counts and
// error; the curator's view of a service says where it came from; the
// queue explains a publisher's change to a field a curator changed; and
// the HSDS API's record names the feed.
func TestFeedPages(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		ctx := context.Background()
		feeds := sqlstore.NewFeedService(db)
		if err := feeds.AddFeed(ctx, "cli", &haven.Feed{Name: "metro-211", URL: "https://211.example.org/hsds", Kind: haven.FeedHSDS, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		var svcs []*hsds.Service
		sample.Services(2, 7, func(x *hsds.Service) error { svcs = append(svcs, x); return nil })
		fetch := func() *haven.FeedFetch {
			return &haven.FeedFetch{Services: svcs, FetchedAt: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC), PublisherIDs: map[string]string{svcs[0].ID: "211-0001"}}
		}
		if _, err := feeds.ApplyFeed(ctx, "system", "metro-211", fetch()); err != nil {
			t.Fatal(err)
		}
		id := svcs[0].ID
		if err := sqlstore.NewDirectoryService(db).UpdateService(ctx, "curator@example.org", id, map[string]string{"name": "Curator's name (sample)"}); err != nil {
			t.Fatal(err)
		}
		svcs[0].Name = "Publisher's new name (sample)"
		if rep, err := feeds.ApplyFeed(ctx, "system", "metro-211", fetch()); err != nil || len(rep.Queued) != 1 {
			t.Fatalf("second sync: %+v, %v", rep, err)
		}
		// And one of its organization's fields.
		if err := sqlstore.NewDirectoryService(db).UpdateOrganization(ctx, "curator@example.org", svcs[0].OrganizationID, map[string]string{"website": "https://curator.example.org/"}); err != nil {
			t.Fatal(err)
		}
		o := *svcs[0].Organization
		o.Website = "https://publisher.example.org/"
		svcs[0].Organization = &o
		if rep, err := feeds.ApplyFeed(ctx, "system", "metro-211", fetch()); err != nil || len(rep.Queued) != 1 || rep.Queued[0].RecordType != "organization" {
			t.Fatalf("third sync: %+v, %v", rep, err)
		}
		feeds.FeedFailed(ctx, "metro-211", time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC), "the publisher answered 503 Service Unavailable; nothing was changed")
		c := signIn(t, s, "curator@example.org")

		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/admin", []string{"metro-211", "https://211.example.org/hsds", "2026-12-06 12:00 UTC", "0 added, 1 updated, 1 unchanged, 0 withdrawn, 1 sent to the queue", "503 Service Unavailable"}},
			{"/admin/services/" + id + "/edit", []string{"Came from feed metro-211", "<code>211-0001</code>", "fetched 2026-12-06 12:00 UTC"}},
			{"/admin/suggestions", []string{"The publisher of feed metro-211 changed “name”", "Publisher&#39;s new name (sample)", "Curator&#39;s name (sample)",
				"changed “website”", "https://curator.example.org/", "https://publisher.example.org/"}},
			{"/admin/history/feed/metro-211", []string{"sync", "0 added, 1 updated, 1 unchanged, 0 withdrawn, 1 queued"}},
			{"/admin/history/service/" + id, []string{"sync-add", "sync-update", "feed metro-211"}},
			{"/api/hsds/services/" + id, []string{`"last_action_type":"feed sync"`, `"previous_value":"211-0001"`, "Haven feed metro-211 (https://211.example.org/hsds)"}},
		} {
			w := get(s, tc.path, c)
			if w.Code != 200 {
				t.Errorf("GET %s: %d", tc.path, w.Code)
				continue
			}
			for _, want := range tc.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("GET %s lacks %q", tc.path, want)
				}
			}
		}
		// In Spanish too.
		r := httptest.NewRequest("GET", "/admin", nil)
		r.AddCookie(c)
		r.Header.Set("Accept-Language", "es")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		for _, want := range []string{"Fuentes de datos", "0 nuevos, 1 actualizados, 1 sin cambios, 0 retirados, 1 enviados a la cola"} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("the Spanish dashboard lacks %q", want)
			}
		}
	})
}
