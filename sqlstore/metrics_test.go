package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"haven/sqlstore"
)

// TestMetricCounts checks what /metrics reads from the data, on both
// engines: imports from the audit trail, links by their last result, the
// pools, and the integrity check.
func TestMetricCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		imports, links, err := db.MetricCounts(ctx)
		if err != nil || imports != 0 || len(links) != 0 {
			t.Fatalf("empty database: %d imports, links %v, %v", imports, links, err)
		}
		MustImport(t, db, MustSample(t, 3))
		MustImport(t, db, MustSample(t, 2))
		for _, l := range []struct {
			url, final, err string
			status          int
		}{{"https://a.example/", "", "", 200}, {"https://b.example/", "", "", 200}, {"https://c.example/", "", "", 503},
			{"https://d.example/", "", "no such host", 0}, {"https://e.example/", "https://e.example/x", "", 200},
			{"http://10.0.0.1/", "", "not checked: private address", 0}} {
			if err := sqlstore.NewCurationService(db).SaveLinkCheck(ctx, l.url, l.status, l.final, l.err, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		imports, links, err = db.MetricCounts(ctx)
		if err != nil || imports != 2 || links["ok"] != 2 || links["broken"] != 2 || links["redirected"] != 1 || links["not_checked"] != 1 {
			t.Errorf("%d imports (want 2), links %v (want 2 ok, 2 broken, 1 redirected, 1 not checked), %v", imports, links, err)
		}
		pools := db.PoolStats()
		if w, ok := pools["write"]; !ok || w.MaxOpenConnections < 1 {
			t.Errorf("pools: %v", pools)
		}
		if err := db.CheckIntegrity(ctx); err != nil {
			t.Error(err)
		}
	})
}
