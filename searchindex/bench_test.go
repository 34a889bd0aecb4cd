package searchindex

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

// The benchmarks run on an index of generated services built in memory,
// without a database: 100,000 by default, HAVEN_BENCH_SERVICES to change.
//
//	go test ./searchindex/ -run '^$' -bench . -benchmem
//	HAVEN_BENCH_SERVICES=1000000 go test ./searchindex/ -run '^$' -bench Build -benchtime 1x

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("HAVEN_BENCH_SERVICES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var bench struct {
	once   sync.Once
	ix     *Index
	report string
}

// sampleDocs returns the documents of n generated services.
func sampleDocs(n int) []haven.DirectoryDoc {
	docs := make([]haven.DirectoryDoc, 0, n)
	sample.Services(n, 1, func(s *hsds.Service) error {
		docs = append(docs, sqlstore.DirectoryDocOf(s))
		return nil
	})
	return docs
}

// benchIndex returns the index the benchmarks share, built once. Run with
// -v to see how long the build took and the memory the index holds.
func benchIndex(b *testing.B) *Index {
	bench.once.Do(func() {
		docs := sampleDocs(benchSize())
		// A fifth of the services count beds, updated up to two days
		// before benchNow: half of those fresh (issue 21).
		for i := range docs {
			if i%5 == 0 {
				t := benchNow.Add(-time.Duration(i/5%48) * time.Hour)
				docs[i].RoomUpdated = &t
			}
		}
		start, cpu := time.Now(), cpuTime()
		bld := NewBuilder()
		for i := range docs {
			bld.Add(&docs[i])
		}
		bench.ix = bld.Index()
		took, tookCPU := time.Since(start), cpuTime()-cpu
		docs = nil // as when building from the database: only the index stays
		runtime.GC()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		// What one garbage collection costs with the index in the heap:
		// searches pay it in proportion to what they allocate.
		gcStart, gcCPU := time.Now(), cpuTime()
		runtime.GC()
		gcTook, gcTookCPU := time.Since(gcStart), cpuTime()-gcCPU
		bench.report = fmt.Sprintf("index of %d services: built in %v (%v of CPU) from documents in memory; heap %d MiB, RSS %s; a GC takes %v (%v of CPU)",
			bench.ix.Len(), took.Round(time.Millisecond), tookCPU.Round(time.Millisecond), ms.HeapAlloc>>20, rss(),
			gcTook.Round(time.Millisecond), gcTookCPU.Round(time.Millisecond))
	})
	b.Log(bench.report)
	return bench.ix
}

// cpuTime returns the CPU time this process has used. Benchmarks report
// it beside the wall time, which on a busy machine counts waiting too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// rss reads the resident set size of this process.
func rss() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

var (
	houston = &haven.LatLon{Lat: 29.7604, Lon: -95.3698}
	chicago = &haven.LatLon{Lat: 41.8781, Lon: -87.6298}
)

// benchQueries are the classes of searches people make, as /directory and
// /api/v1/search ask them: a page of 20 with facets.
var benchQueries = []struct {
	name string
	f    haven.DirectoryFilter
}{
	{"browse", haven.DirectoryFilter{Limit: 20}},
	{"one-common-word", haven.DirectoryFilter{Query: "survivors", Limit: 20}},
	{"one-common-word-page-50", haven.DirectoryFilter{Query: "survivors", Offset: 980, Limit: 20}},
	{"two-words", haven.DirectoryFilter{Query: "legal immigration", Limit: 20}},
	{"three-words", haven.DirectoryFilter{Query: "trauma counseling housing", Limit: 20}},
	{"word+state", haven.DirectoryFilter{Query: "shelter", State: "TX", Limit: 20}},
	{"word+category+language", haven.DirectoryFilter{Query: "help", Category: "legal-services", Language: "es", Limit: 20}},
	{"word+radius-25km", haven.DirectoryFilter{Query: "housing", Near: houston, RadiusKm: 25, Limit: 20}},
	{"word+radius-50km", haven.DirectoryFilter{Query: "counseling", Near: chicago, RadiusKm: 50, Limit: 20}},
	{"word+3-filters", haven.DirectoryFilter{Query: "trauma", State: "CA", Category: "mental-health", Language: "es", Limit: 20}},
	{"word+2-filters", haven.DirectoryFilter{Query: "legal", Country: "US", Language: "es", Limit: 20}},
	{"near-no-radius", haven.DirectoryFilter{Query: "legal", Near: houston, Limit: 20}},
	// Issue 19: words and a place default to best match; nearest first
	// is the order near-no-radius had before.
	{"near-no-radius-nearest-first", haven.DirectoryFilter{Query: "legal", Near: houston, Sort: haven.SortDistance, Limit: 20}},
	{"best-match+radius-50km", haven.DirectoryFilter{Query: "legal aid", Near: houston, RadiusKm: 50, Sort: haven.SortBest, Limit: 20}},
	{"best-match-page-10", haven.DirectoryFilter{Query: "counseling", Near: chicago, Offset: 180, Limit: 20}},
	// Who can be helped, and when (issue 19).
	{"word+age", haven.DirectoryFilter{Query: "legal", Age: &benchAge, Limit: 20}},
	{"word+population+age", haven.DirectoryFilter{Query: "legal", Population: "minors", Age: &benchAge, Limit: 20}},
	{"open-now", haven.DirectoryFilter{Open: &haven.OpenAt{Instant: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}, Limit: 20}},
	{"word+open-monday-18h", haven.DirectoryFilter{Query: "shelter", Open: &haven.OpenAt{Wall: true, Day: time.Monday, Minute: 18 * 60}, Limit: 20}},
	// Has room now (issue 21).
	{"room-now", haven.DirectoryFilter{RoomSince: haven.RoomSince(benchNow, haven.DefaultCapacityMaxAge), Limit: 20}},
	{"word+room-now", haven.DirectoryFilter{Query: "shelter", RoomSince: haven.RoomSince(benchNow, haven.DefaultCapacityMaxAge), Limit: 20}},
}

var benchNow = time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)

var benchAge = 16

func init() {
	for i := range benchQueries {
		benchQueries[i].f.Facets = haven.DirectoryFacets // as the API and /directory ask
	}
}

// BenchmarkSearch is one search of each class: the whole answer, with its
// total, four facets and a page of hits.
func BenchmarkSearch(b *testing.B) {
	ix := benchIndex(b)
	ctx := context.Background()
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			res, err := ix.SearchDirectory(ctx, q.f)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := cpuTime()
			// Labelled, so that a CPU profile splits by class:
			// go tool pprof -tagfocus class=word+state ...
			pprof.Do(ctx, pprof.Labels("class", q.name), func(ctx context.Context) {
				for b.Loop() {
					ix.SearchDirectory(ctx, q.f)
				}
			})
			reportCPU(b, cpu)
			b.ReportMetric(float64(res.Total), "matches")
		})
	}
}

// BenchmarkSearchParallel runs the common-word class on every core at
// once, as many visitors would.
func BenchmarkSearchParallel(b *testing.B) {
	ix := benchIndex(b)
	f := benchQueries[1].f
	b.ReportAllocs()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ix.SearchDirectory(context.Background(), f)
		}
	})
	reportCPU(b, cpu)
}

// BenchmarkFacets counts one facet over half the services, value by value
// (the most a search counts: past half, it counts the other half), and
// over a few thousand, document by document.
func BenchmarkFacets(b *testing.B) {
	x := benchIndex(b).cur.Load()
	half := x.open.Clone()
	half.RemoveRange(uint64(len(x.docs)/2), uint64(len(x.docs)))
	small := x.open.Clone()
	small.RemoveRange(x.small-1, uint64(len(x.docs)))
	// 20,000 documents at random, as a search of a few words finds them.
	random := roaring.New()
	r := rand.New(rand.NewPCG(1, 2))
	for random.GetCardinality() < 20_000 {
		if d := uint32(r.IntN(len(x.docs))); x.open.Contains(d) {
			random.Add(d)
		}
	}
	for _, how := range []struct {
		name  string
		small uint64
	}{{"doc-by-doc", 1 << 62}, {"value-by-value", 0}} {
		b.Run("random-20k/"+how.name, func(b *testing.B) {
			defer func(small uint64) { x.small = small }(x.small)
			x.small = how.small
			sc := &scratch{}
			b.ReportAllocs()
			for b.Loop() {
				x.rawCount(random, []int{0, 1, 2, 3}, false, sc, &sc.counts)
			}
		})
	}
	for _, set := range []struct {
		name string
		bm   *roaring.Bitmap
	}{{"half", half}, {"small", small}} {
		for k, facet := range haven.DirectoryFacets {
			b.Run(set.name+"/"+facet, func(b *testing.B) {
				sc := &scratch{}
				b.ReportAllocs()
				for b.Loop() {
					x.count(set.bm, []int{k}, false, sc, nil)
					x.facetList(k, sc.counts[k])
				}
			})
		}
		b.Run(set.name+"/all-four", func(b *testing.B) {
			sc := &scratch{}
			b.ReportAllocs()
			for b.Loop() {
				x.count(set.bm, []int{0, 1, 2, 3}, false, sc, nil)
			}
		})
	}
}

// BenchmarkHits turns a page of 20 into results.
func BenchmarkHits(b *testing.B) {
	x := benchIndex(b).cur.Load()
	page := make([]uint32, 20)
	for i := range page {
		page[i] = uint32(i * 997 % len(x.docs))
	}
	f := haven.DirectoryFilter{Near: houston}
	b.ReportAllocs()
	for b.Loop() {
		x.hits(page, f)
	}
}

// BenchmarkBuild builds the index from documents already in memory.
func BenchmarkBuild(b *testing.B) {
	docs := sampleDocs(min(benchSize(), 100_000))
	b.ReportAllocs()
	for b.Loop() {
		bld := NewBuilder()
		for i := range docs {
			bld.Add(&docs[i])
		}
		bld.Index()
	}
	b.ReportMetric(float64(len(docs)), "services")
}

// BenchmarkVersusSQL asks the SQL search and the index the same questions
// over generated services imported into a fresh SQLite database:
// HAVEN_BENCH_SQL_SERVICES of them, 5,000 by default.
func BenchmarkVersusSQL(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("HAVEN_BENCH_SQL_SERVICES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	i := 0
	var svcs []*hsds.Service
	sample.Services(n, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
	dir := sqlstore.NewDirectoryService(db)
	if _, err := dir.Import(ctx, func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "bench", Validated: true}); err != nil {
		b.Fatal(err)
	}
	ix := New(dir, nil)
	start, cpu := time.Now(), cpuTime()
	if err := ix.Build(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("index of %d services built from SQLite in %v (%v of CPU)", ix.Len(), time.Since(start).Round(time.Millisecond), (cpuTime() - cpu).Round(time.Millisecond))
	for _, q := range benchQueries {
		for _, s := range []struct {
			name string
			s    haven.DirectorySearcher
		}{{"sql", dir}, {"index", ix}} {
			b.Run(q.name+"/"+s.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					if _, err := s.s.SearchDirectory(ctx, q.f); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}
