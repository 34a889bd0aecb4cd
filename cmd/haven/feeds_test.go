package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"haven/hsds"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// TestFeedsCommands adds a feed on a local HSDS publisher, lists, syncs
// and removes it, on both engines.
func TestFeedsCommands(t *testing.T) {
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		org := &hsds.Organization{ID: "7f1c0d3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f", Name: "Lakeside Shelter Network (sample)", Description: "Sample data."}
		s := &hsds.Service{ID: "7f1c0d3e-1b2a-4c5d-8e9f-0a1b2c3d4e60", OrganizationID: org.ID, Organization: org, Name: "Emergency shelter (sample)", Status: "active"}
		json.NewEncoder(w).Encode(map[string]any{"total_items": 1, "total_pages": 1, "page_number": 1, "last_page": true, "contents": []any{s}})
	}))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		down.Store(false)
		db := e.Fresh(t)
		out := MustRunMain(t, db, "feeds", "add", "lakeside", srv.URL+"/hsds", "--every", "6h")
		if !strings.Contains(out, "added feed lakeside (hsds, every 6h0m0s)") {
			t.Errorf("add: %s", out)
		}
		if _, err := runMain(db, "feeds", "add", "lakeside", srv.URL); err == nil || !strings.Contains(errorText(err), "already") {
			t.Errorf("a second feed of the same name: %v", err)
		}
		if _, err := runMain(db, "feeds", "add", "Bad Name", srv.URL); err == nil || !strings.Contains(errorText(err), "lower-case") {
			t.Errorf("a bad name: %v", err)
		}
		if out := MustRunMain(t, db, "feeds", "list"); !strings.Contains(out, "lakeside") || !strings.Contains(out, "never") {
			t.Errorf("list before a sync:\n%s", out)
		}
		// Loopback is refused unless allowed.
		if out, err := runMain(db, "feeds", "sync", "lakeside"); err == nil || !strings.Contains(out, "refused") {
			t.Errorf("sync of a loopback feed without --feeds-allow-private: %v\n%s", err, out)
		}
		out = MustRunMain(t, db, "feeds", "sync", "lakeside", "--feeds-allow-private", "--feed-interval", "1ms")
		if !strings.Contains(out, "feed lakeside: 1 added") {
			t.Errorf("sync:\n%s", out)
		}
		down.Store(true)
		out, err := runMain(db, "feeds", "sync", "--feeds-allow-private", "--feed-interval", "1ms", "--feed-retries", "0")
		if err == nil || !strings.Contains(out, "503") || !strings.Contains(out, "nothing was changed") {
			t.Errorf("sync with the publisher down: %v\n%s", err, out)
		}
		if out := MustRunMain(t, db, "feeds", "list"); !strings.Contains(out, "lakeside: last attempt") || !strings.Contains(out, "503") {
			t.Errorf("list after a failed sync:\n%s", out)
		}
		if out := MustRunMain(t, db, "feeds", "remove", "lakeside"); !strings.Contains(out, "removed feed lakeside") {
			t.Errorf("remove: %s", out)
		}
		if out := MustRunMain(t, db, "feeds", "list"); !strings.Contains(out, "no feeds") {
			t.Errorf("list after remove:\n%s", out)
		}
		// The service stays, and says where it came from.
		store, err := sqlstore.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		src, err := sqlstore.NewFeedService(store).ServiceSource(context.Background(), "7f1c0d3e-1b2a-4c5d-8e9f-0a1b2c3d4e60")
		if err != nil || src == nil || src.Kind != "feed" || src.Source != "lakeside" {
			t.Errorf("source after remove: %+v, %v", src, err)
		}
	})
}

// TestImportRecordsSource: a file import records, per service, the file
// and the id the file gave it.
func TestImportRecordsSource(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		db := e.Fresh(t)
		MustRunMain(t, db, "import", filepath.Join("..", "..", "intake", "testdata", "county211-sample"))
		store, err := sqlstore.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		ctx := context.Background()
		n := 0
		err = sqlstore.NewDirectoryService(store).EachService(ctx, func(s *hsds.Service) error {
			src, err := sqlstore.NewFeedService(store).ServiceSource(ctx, s.ID)
			if err != nil || src == nil || src.Kind != "file" || src.Source != "county211-sample" || src.PublisherID == s.ID || src.FetchedAt.IsZero() {
				t.Errorf("service %s: source %+v, %v", s.ID, src, err)
			}
			n++
			return nil
		})
		if err != nil || n != 4 {
			t.Fatalf("%d services, %v", n, err)
		}
	})
}

// TestFeedJob: serve's job syncs a feed when it is due, and not again
// before its schedule, whichever server runs it.
func TestFeedJob(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"total_items": 0, "total_pages": 0, "page_number": 1, "last_page": true, "contents": []any{}})
	}))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		hits.Store(0)
		db := e.Fresh(t)
		MustRunMain(t, db, "feeds", "add", "empty", srv.URL, "--every", "24h")
		store, err := sqlstore.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		m := &Main{Logger: discardLogger(), feeds: &feedFlags{interval: 1, allowPrivate: true}}
		for _, runner := range []string{"a", "b", "a"} {
			if err := feedJob(store, m, runner).Run(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if n := hits.Load(); n != 1 {
			t.Errorf("three runs of the job on two servers fetched %d times, want once", n)
		}
		f, err := sqlstore.NewFeedService(store).FindFeed(context.Background(), "empty")
		if err != nil || f.LastOK.IsZero() {
			t.Errorf("feed after the job: %+v, %v", f, err)
		}
		// An hour on, the feed (synced, due in a day) is looked at but not
		// fetched; after a failed attempt it is, within the hour.
		start := time.Now()
		store.Now = func() time.Time { return start.Add(61 * time.Minute) }
		if err := feedJob(store, m, "b").Run(context.Background()); err != nil || hits.Load() != 1 {
			t.Errorf("an hour after a good sync: %d fetches, %v", hits.Load(), err)
		}
		sqlstore.NewFeedService(store).FeedFailed(context.Background(), "empty", start.Add(90*time.Minute), "the publisher answered 503")
		store.Now = func() time.Time { return start.Add(122 * time.Minute) }
		if err := feedJob(store, m, "b").Run(context.Background()); err != nil || hits.Load() != 2 {
			t.Errorf("an hour after a failed attempt: %d fetches, %v", hits.Load(), err)
		}
	})
}
