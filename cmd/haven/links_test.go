package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

func TestLinksCheck(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/gone", http.NotFound)
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	dsn := filepath.Join(dir, "h.db")
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var svcs []*hsds.Service
	sample.Services(3, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
	for i, path := range []string{"/ok", "/gone", "/old"} {
		svcs[i].URL = srv.URL + path
		svcs[i].Organization.Website = ""
		for j := range svcs[i].ServiceAtLocations {
			svcs[i].ServiceAtLocations[j].Location.URL = ""
		}
	}
	mustImportServices(t, db, svcs)
	// The library's addresses lead to the working page, so the check
	// stays on this server.
	pointLibraryAt(t, db, func(string) string { return srv.URL + "/ok" })
	db.Close()

	out := MustRunMain(t, dsn, "links", "check", "--host-delay", "0", "--allow-private") // the test server is on loopback
	if !strings.Contains(out, "checked 3 links: 2 broken or redirected") {
		t.Fatalf("links check: %s", out)
	}
	db, _ = sqlstore.Open(ctx, dsn)
	defer db.Close()
	d, err := sqlstore.NewCurationService(db).Dashboard(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]haven.BrokenLink{}
	for _, b := range d.Broken {
		found[strings.TrimPrefix(b.URL, srv.URL)] = b
	}
	if b := found["/gone"]; b.Status != 404 {
		t.Errorf("/gone stored as %+v", b)
	}
	if b := found["/old"]; b.FinalURL != srv.URL+"/ok" {
		t.Errorf("/old stored as %+v", b)
	}
	if _, ok := found["/ok"]; ok {
		t.Error("a working link is listed as broken")
	}
}
