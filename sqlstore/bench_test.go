package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"haven/hsds"
	"haven/sqlstore"
)

// BenchmarkImport measures importing 2,000 generated services into an
// empty directory, on each engine, in bulk mode (the default) and row by
// row (what SkipInvalid does); it reports services/s.
//
//	HAVEN_TEST_POSTGRES=… go test ./sqlstore/ -run '^$' -bench Import -benchtime 3x
func BenchmarkImport(b *testing.B) {
	svcs := MustSample(b, 2000)
	for _, e := range allEngines {
		for _, mode := range []struct {
			name     string
			rowByRow bool
		}{{"bulk", false}, {"row-by-row", true}} {
			b.Run(e.name+"/"+mode.name, func(b *testing.B) {
				if e.name == "postgres" && os.Getenv(pgEnv) == "" {
					b.Skip("SKIPPED: needs " + pgEnv)
				}
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					db, err := sqlstore.Open(context.Background(), e.fresh(b))
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), sliceSource(svcs),
						sqlstore.ImportOptions{Name: "bench", SkipInvalid: mode.rowByRow}); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(b.N*len(svcs))/b.Elapsed().Seconds(), "services/s")
			})
		}
	}
}

// BenchmarkFindServices reads services fully nested, as pages do: one for
// a service's page, 20 for a page of search results, on each engine, from
// 1,000 imported sample services, or from the databases HAVEN_BENCH_SQLITE
// and HAVEN_BENCH_POSTGRES name (opened, never written: give a copy of an
// SQLite file, since opening one applies pending migrations).
func BenchmarkFindServices(b *testing.B) {
	for _, e := range allEngines {
		b.Run(e.name, func(b *testing.B) {
			dsn := os.Getenv(map[string]string{"sqlite": "HAVEN_BENCH_SQLITE", "postgres": "HAVEN_BENCH_POSTGRES"}[e.name])
			if dsn == "" && e.name == "postgres" && os.Getenv(pgEnv) == "" {
				b.Skip("SKIPPED: needs " + pgEnv)
			}
			var db *sqlstore.DB
			if dsn != "" {
				var err error
				if db, err = sqlstore.Open(context.Background(), dsn); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
			} else {
				db = MustOpenDB(b, e)
				MustImport(b, db, MustSample(b, 1000))
			}
			dir := sqlstore.NewDirectoryService(db)
			var ids []string
			enough := errors.New("enough")
			if err := dir.EachService(context.Background(), func(s *hsds.Service) error {
				if ids = append(ids, s.ID); len(ids) == 20 {
					return enough
				}
				return nil
			}); err != enough {
				b.Fatal(err)
			}
			for _, n := range []int{1, 20} {
				b.Run(fmt.Sprint(n), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						svcs, err := dir.FindServicesByID(context.Background(), ids[:n])
						if err != nil || len(svcs) != n {
							b.Fatal(len(svcs), err)
						}
					}
				})
			}
		})
	}
}
