package feeds_test

import (
	"context"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/internal/testpg"
	"haven/sample"
	"haven/sqlstore"
)

// BenchmarkApplyFeed measures applying a feed of 2,000 generated services
// on each engine: the first sync (every service new) and a sync where
// nothing changed (every service compared, none written); it reports
// services/s.
//
//	HAVEN_TEST_POSTGRES=… go test ./feeds/ -run '^$' -bench ApplyFeed -benchtime 3x
func BenchmarkApplyFeed(b *testing.B) {
	var svcs []*hsds.Service
	sample.Services(2000, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
	for _, e := range testpg.Engines {
		for _, again := range []bool{false, true} {
			name := e.Name + "/first"
			if again {
				name = e.Name + "/unchanged"
			}
			b.Run(name, func(b *testing.B) {
				if e.Name == "postgres" {
					testpg.SkipUnlessAvailable(b)
				}
				ctx := context.Background()
				for b.Loop() {
					b.StopTimer()
					db, err := sqlstore.Open(ctx, e.Fresh(b))
					if err != nil {
						b.Fatal(err)
					}
					if tax, terms := sample.Taxonomy(); sqlstore.NewDirectoryService(db).EnsureTaxonomy(ctx, tax, terms) != nil {
						b.Fatal("taxonomy")
					}
					store := sqlstore.NewFeedService(db)
					if err := store.AddFeed(ctx, "cli", &haven.Feed{Name: "bench", URL: "https://example.org/hsds", Kind: haven.FeedHSDS, Every: time.Hour}); err != nil {
						b.Fatal(err)
					}
					fetch := &haven.FeedFetch{Services: svcs, FetchedAt: time.Now()}
					if again {
						if _, err := store.ApplyFeed(ctx, "bench", "bench", fetch); err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
					rep, err := store.ApplyFeed(ctx, "bench", "bench", fetch)
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if again && rep.Unchanged != len(svcs) || !again && rep.Added != len(svcs) {
						b.Fatalf("report %+v", rep)
					}
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(b.N*len(svcs))/b.Elapsed().Seconds(), "services/s")
			})
		}
	}
}
