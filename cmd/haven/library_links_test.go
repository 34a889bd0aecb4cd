package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/catalog"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// pointLibraryAt seeds the library and gives each entry that has a web
// address the one urlOf returns, as a curator's edit (so the next start's
// fill leaves it): a test's link check then visits its own server and
// never the internet.
func pointLibraryAt(tb testing.TB, db *sqlstore.DB, urlOf func(id string) string) {
	tb.Helper()
	ctx := context.Background()
	entries, err := catalog.Resources()
	if err != nil {
		tb.Fatal(err)
	}
	svc := sqlstore.NewResourceService(db)
	if _, err := svc.SeedResources(ctx, entries); err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if e.URL == "" {
			continue
		}
		r, err := svc.FindResourceByID(ctx, e.ID)
		if err != nil {
			tb.Fatal(err)
		}
		r.URL = urlOf(e.ID)
		if err := svc.UpdateResource(ctx, "curator@example.org", r); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestLibraryLinksChecked: "haven links check" visits the library's
// addresses; a broken one shows on the dashboard, and once a curator fixes
// the entry, the next check forgets it.
func TestLibraryLinksChecked(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		mux := http.NewServeMux()
		mux.HandleFunc("/library/", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/law-enforcement-pocket-card") {
				http.NotFound(w, r)
			}
		})
		srv := httptest.NewServer(mux)
		defer srv.Close()

		dsn := e.Fresh(t)
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		pointLibraryAt(t, db, func(id string) string { return srv.URL + "/library/" + id })

		out := MustRunMain(t, dsn, "links", "check", "--host-delay", "0", "--allow-private") // the test server is on loopback
		if !strings.Contains(out, "checked 26 links: 1 broken or redirected") {
			t.Fatalf("links check: %s", out)
		}
		d, err := sqlstore.NewCurationService(db).Dashboard(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		gone := srv.URL + "/library/law-enforcement-pocket-card"
		if len(d.Broken) != 1 || d.Broken[0].URL != gone || d.Broken[0].Status != 404 {
			t.Fatalf("dashboard links: %+v", d.Broken)
		}

		// A curator fixes the entry; the next check forgets the old address.
		svc := sqlstore.NewResourceService(db)
		r, err := svc.FindResourceByID(ctx, "law-enforcement-pocket-card")
		if err != nil {
			t.Fatal(err)
		}
		r.URL = srv.URL + "/library/pocket-card-found"
		if err := svc.UpdateResource(ctx, "curator@example.org", r); err != nil {
			t.Fatal(err)
		}
		out = MustRunMain(t, dsn, "links", "check", "--host-delay", "0", "--allow-private")
		if !strings.Contains(out, "checked 26 links: 0 broken or redirected") {
			t.Fatalf("links check after the fix: %s", out)
		}
		if d, _ = sqlstore.NewCurationService(db).Dashboard(ctx, time.Now()); len(d.Broken) != 0 {
			t.Errorf("dashboard still lists: %+v", d.Broken)
		}
	})
}
