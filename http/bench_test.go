package http_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"haven"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

// indexedDirectory is the store with searches answered by an index, as
// haven serve wires it.
type indexedDirectory struct {
	*sqlstore.DirectoryService
	ix *searchindex.Index
}

func (d indexedDirectory) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	return d.ix.SearchDirectory(ctx, f)
}

// mustIndexedServer returns a server whose directory holds n sample
// services, searched through the in-memory index.
func mustIndexedServer(b *testing.B, n int) *havenhttp.Server {
	b.Helper()
	s, _, db := MustServer(b)
	var svcs []*hsds.Service
	if err := sample.Services(n, 1, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
		b.Fatal(err)
	}
	i := 0
	dir := sqlstore.NewDirectoryService(db)
	if _, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample", Validated: true}); err != nil {
		b.Fatal(err)
	}
	ix := searchindex.New(dir, nil)
	if err := ix.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	s.Directory, s.Countries = indexedDirectory{dir, ix}, db
	return s
}

// BenchmarkSearchPage renders /directory: the search, then the page's
// services read from SQLite and the HTML template.
func BenchmarkSearchPage(b *testing.B) {
	s := mustIndexedServer(b, 1000)
	benchGet(b, s, "/directory?q=legal+help&state=TX")
}

// BenchmarkSearchAPI answers /api/v1/search: the search, facet labels and
// the JSON encoding of a page of 20.
func BenchmarkSearchAPI(b *testing.B) {
	s := mustIndexedServer(b, 1000)
	benchGet(b, s, "/api/v1/search?q=legal+help&state=TX")
}

// BenchmarkSearchJSON encodes a page of results alone.
func BenchmarkSearchJSON(b *testing.B) {
	s := mustIndexedServer(b, 1000)
	w := do(s, "GET", "/api/v1/search?q=counseling&per_page=20", nil)
	var page havenhttp.SearchResponse
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Items) != 20 {
		b.Fatalf("%v: %s", err, w.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := json.NewEncoder(io.Discard).Encode(page); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGet(b *testing.B, s http.Handler, url string) {
	if w := do(s, "GET", url, nil); w.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", url, w.Code, w.Body)
	}
	r := httptest.NewRequest("GET", url, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
	}
}
