package http_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

// mustIndexedServer returns a server whose directory holds n sample
// services in SQLite, searched through the in-memory index.
func mustIndexedServer(b *testing.B, n int) *havenhttp.Server {
	b.Helper()
	return mustIndexedServerOn(b, filepath.Join(b.TempDir(), "haven.db"), n)
}

// mustIndexedServerOn is mustIndexedServer on the database dsn names.
func mustIndexedServerOn(b *testing.B, dsn string, n int) *havenhttp.Server {
	b.Helper()
	s, _, db := MustServerOn(b, dsn)
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
	s.Directory, s.Search, s.Countries = dir, ix, sqlstore.NewCountryService(db)
	s.Limits.APIRate = 0 // else past the burst the benchmark measures 429s
	return s
}

// eachEngine runs fn on SQLite and, when HAVEN_TEST_POSTGRES is set, on
// PostgreSQL (in a schema of its own), each with n sample services: pages
// that read the database cost a round trip per query on PostgreSQL.
func eachEngine(b *testing.B, n int, fn func(b *testing.B, s *havenhttp.Server)) {
	testpg.EachEngine(b, func(b *testing.B, e testpg.Engine) { fn(b, mustIndexedServerOn(b, e.Fresh(b), n)) })
}

// BenchmarkSearchPage renders /directory: the search, then the page's
// services read from the database and the HTML template.
func BenchmarkSearchPage(b *testing.B) {
	eachEngine(b, 1000, func(b *testing.B, s *havenhttp.Server) {
		benchGet(b, s, "/directory?q=legal+help&state=TX")
	})
}

// BenchmarkServicePage renders a service's page: the service with its
// organization, program, locations and terms read from the database, and
// the HTML template.
func BenchmarkServicePage(b *testing.B) {
	eachEngine(b, 1000, func(b *testing.B, s *havenhttp.Server) {
		w := do(s, "GET", "/api/v1/search?q=legal&per_page=1", nil)
		var page havenhttp.SearchResponse
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Items) != 1 {
			b.Fatalf("%v: %s", err, w.Body)
		}
		benchGet(b, s, "/services/"+page.Items[0].ID)
	})
}

// BenchmarkSearchAPI answers /api/v1/search: the search, facet labels and
// the JSON encoding of a page of 20.
func BenchmarkSearchAPI(b *testing.B) {
	s := mustIndexedServer(b, 1000)
	benchGet(b, s, "/api/v1/search?q=legal+help&state=TX")
}

// memIndexedServer returns a server whose searches go to an index of n
// sample services built in memory (HAVEN_BENCH_SERVICES, 100,000 by
// default), for the API's costs at a large directory's facet sizes. The
// services are not in the database: pages that show them cannot be used.
// The index is built once a process (a million services take ~25 s, and
// the benchmark framework calls a benchmark several times); the server
// around it once for each call.
func memIndexedServer(b *testing.B) *havenhttp.Server {
	b.Helper()
	if memIndex == nil {
		n := 100_000
		if v, err := strconv.Atoi(os.Getenv("HAVEN_BENCH_SERVICES")); err == nil && v > 0 {
			n = v
		}
		bld := searchindex.NewBuilder()
		if err := sample.Services(n, 1, func(x *hsds.Service) error {
			doc := sqlstore.DirectoryDocOf(x)
			bld.Add(&doc)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		memIndex = bld.Index()
		runtime.GC()
		debug.FreeOSMemory()
	}
	s, _, db := MustServer(b)
	s.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil)) // as costly as a real log, without keeping it
	s.Directory, s.Search, s.Countries = sqlstore.NewDirectoryService(db), memIndex, sqlstore.NewCountryService(db)
	s.Limits.APIRate = 0
	return s
}

var memIndex *searchindex.Index

// BenchmarkSearchAPILarge answers /api/v1/search over a large index: a
// common word, a page of 20 with every facet's values labelled, in
// English and in Spanish.
func BenchmarkSearchAPILarge(b *testing.B) {
	s := memIndexedServer(b)
	for _, url := range []string{"/api/v1/search?q=survivors", "/api/v1/search?q=survivors&lang=es", "/api/v1/search?q=legal&state=TX&language=es"} {
		b.Run(url, func(b *testing.B) { benchGet(b, s, url) })
	}
}

// searchMix is one search of each class of searchindex's benchmarks, as
// /api/v1/search is asked them.
var searchMix = []string{
	"/api/v1/search?q=survivors",
	"/api/v1/search?q=survivors&page=50",
	"/api/v1/search?q=legal+immigration",
	"/api/v1/search?q=trauma+counseling+housing",
	"/api/v1/search?q=shelter&state=TX",
	"/api/v1/search?q=help&category=legal-services&language=es",
	"/api/v1/search?q=housing&near=29.7604,-95.3698&radius_km=25",
	"/api/v1/search?q=counseling&near=41.8781,-87.6298&radius_km=50",
	"/api/v1/search?q=trauma&state=CA&category=mental-health&language=es",
	"/api/v1/search?q=legal&country=US&language=es",
	"/api/v1/search?q=legal&near=29.7604,-95.3698",
}

// havenbenchMix is cmd/havenbench's API mix: its six classes, four
// queries each, a page of 20.
var havenbenchMix = []string{
	"q=survivors", "q=trafficking", "q=help", "q=services",
	"q=legal+immigration", "q=emergency+shelter", "q=mental+health+counseling", "q=trauma+counseling+housing",
	"q=shelter&state=TX", "q=legal&state=CA", "q=counseling&state=NY", "q=housing&state=FL",
	"q=help&category=legal-services&language=es", "q=counseling&category=mental-health&language=es",
	"q=shelter&category=shelter&language=en", "q=food&category=food-clothing&language=zh",
	"q=housing&postcode=77002&radius_km=25", "q=counseling&near=41.8781,-87.6298&radius_km=50",
	"q=legal&postcode=10001&radius_km=25", "q=shelter&postcode=90012&radius_km=50",
	"q=trauma&state=CA&category=mental-health&language=es", "q=legal&country=US&language=es",
	"q=survivors&state=TX&category=housing", "q=interpreters&country=MX&language=es",
}

// BenchmarkSearchAPIMix answers the mix of searchMix on every core at
// once: ns/op is the inverse of the API's throughput, less the network,
// and the RSS reported after is the server's with the index and its
// garbage (HAVEN_BENCH_SERVICES=1000000 for a million services).
func BenchmarkSearchAPIMix(b *testing.B) {
	benchMix(b, searchMix)
}

// BenchmarkSearchAPIHavenbench is BenchmarkSearchAPIMix with
// cmd/havenbench's mix, the one the scale benchmark's targets are for.
func BenchmarkSearchAPIHavenbench(b *testing.B) {
	urls := make([]string, len(havenbenchMix))
	for i, q := range havenbenchMix {
		urls[i] = "/api/v1/search?per_page=20&" + q
	}
	benchMix(b, urls)
}

func benchMix(b *testing.B, urls []string) {
	s := memIndexedServer(b)
	b.ResetTimer()
	for _, url := range urls {
		if w := do(s, "GET", url, nil); w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", url, w.Code, w.Body)
		}
	}
	// -test.cpuprofile would be mostly the index's build.
	if path := os.Getenv("HAVEN_BENCH_CPUPROFILE"); path != "" && b.N > 1 {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			url := urls[next.Add(1)%int64(len(urls))]
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
			if w.Code != http.StatusOK {
				b.Errorf("%s: %d", url, w.Code)
			}
		}
	})
	b.StopTimer()
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
				b.Log(strings.Join(strings.Fields(line), " "))
			}
		}
	}
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
	cpu := processCPU()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", url, w.Code, w.Body)
		}
	}
	// On a shared machine the time per request mostly measures waiting for
	// a core; the CPU time this process spent does not (a database server's
	// is not in it).
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
