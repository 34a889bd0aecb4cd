package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"haven/sqlstore"
)

// BenchmarkImport measures importing generated services into SQLite; the
// reported figure is per service.
func BenchmarkImport(b *testing.B) {
	svcs := MustSample(b, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), sliceSource(svcs), sqlstore.ImportOptions{Name: "bench"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(svcs)), "ns/service")
}
