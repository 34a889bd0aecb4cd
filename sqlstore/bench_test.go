package sqlstore_test

import (
	"context"
	"testing"

	"haven/internal/testpg"
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
				if e.name == "postgres" {
					testpg.SkipUnlessAvailable(b)
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
