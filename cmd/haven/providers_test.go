package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	havenhttp "haven/http"
	"haven/sqlstore"
)

// TestProvidersMatchesAPI checks "haven providers" gives what
// /api/v1/search gives, and refuses what the API refuses.
func TestProvidersMatchesAPI(t *testing.T) {
	dir := t.TempDir()
	db, in := filepath.Join(dir, "h.db"), filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "120", "--out", in)
	MustRunMain(t, db, "import", in)
	for _, c := range []struct {
		args  []string
		query string
	}{
		{[]string{"legal"}, "q=legal"},
		{[]string{"--state", "tx", "--language", "es"}, "state=tx&language=es"},
		{[]string{"counseling", "--postcode", "77002", "--radius-km", "1000", "--per-page", "5", "--page", "2"}, "q=counseling&postcode=77002&radius_km=1000&per_page=5&page=2"},
		{[]string{"--all", "--lang", "es"}, "status=all&lang=es"},
		// Issue 19: places by name, miles, orders, values as typed.
		{[]string{"legal", "--place", "Houston, TX", "--radius-mi", "500", "--sort", "distance"}, "q=legal&place=Houston%2C+TX&radius_mi=500&sort=distance"},
		{[]string{"--state", "Texas", "--language", "Spanish"}, "state=Texas&language=Spanish"},
	} {
		cli := MustRunMain(t, db, append([]string{"providers", "--json"}, c.args...)...)
		store, err := sqlstore.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		s := havenhttp.NewServer()
		s.Directory, s.DB = sqlstore.NewDirectoryService(store), store
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/search?"+c.query, nil))
		store.Close()

		var a, b havenhttp.SearchResponse
		if err := json.Unmarshal([]byte(cli), &a); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, cli)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
			t.Fatalf("%s: %v\n%s", c.query, err, w.Body)
		}
		if a.Total == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("%v: the command line found %d, the API %d, or they differ", c.args, a.Total, b.Total)
		}
	}
	out := MustRunMain(t, db, "providers", "legal")
	if !strings.Contains(out, "ORGANIZATION") || !strings.Contains(out, " services") {
		t.Errorf("table output:\n%s", out)
	}
	if _, err := runMain(db, "providers", "--radius-km", "5"); err == nil || !strings.Contains(err.Error(), "radius_km needs a place") {
		t.Errorf("a radius without a place: %v", err)
	}
	if _, err := runMain(db, "providers", "--place", "Springfield"); err == nil || !strings.Contains(err.Error(), "Springfield, IL") {
		t.Errorf("an ambiguous place: %v", err)
	}
	out = MustRunMain(t, db, "providers", "--state", "TX", "--country", "MX")
	if !strings.Contains(out, "0 of 0 services") || !strings.Contains(out, "Without --state: ") {
		t.Errorf("an empty search says nothing of what would find something:\n%s", out)
	}
}
