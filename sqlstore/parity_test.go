package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"haven"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// TestEnginesAgree loads the same data into SQLite and PostgreSQL and asks
// both the same questions: results, order, totals and facets must match.
func TestEnginesAgree(t *testing.T) {
	testpg.SkipUnlessAvailable(t)
	svcs := MustSample(t, 300)
	lite, pg := MustOpenDB(t, allEngines[0]), MustOpenDB(t, allEngines[1])
	MustImport(t, lite, svcs)
	MustImport(t, pg, svcs)
	houston := &haven.LatLon{Lat: 29.7604, Lon: -95.3698}
	age16 := 16
	filters := []haven.DirectoryFilter{
		{Limit: 20},
		{Query: "legal", Limit: 20},
		{Query: "counseling trauma", Limit: 50},
		{Query: "T visa", AllStatuses: true},
		{Query: "refugio niñas"},
		{Query: "shelter", State: "CA"},
		{Country: "MX", Language: "es"},
		{Category: "legal-services", Offset: 5, Limit: 5},
		{Near: houston, RadiusKm: 300},
		{Near: houston, Query: "legal", Limit: 10},
		{Query: "the of"},
		// Issue 19: best match and nearest first, and filters read from
		// what people type (state names, language names).
		{Near: houston, Query: "T visa", Sort: haven.SortBest, Limit: 20},
		{Near: houston, Query: "legal aid", Sort: haven.SortDistance, Limit: 20},
		{Near: houston, RadiusKm: 300, Query: "safe house", Offset: 3, Limit: 5},
		// Who can be helped, and when (directory_who.go).
		{Age: &age16},
		{Query: "legal", Age: &age16, Population: "minors", Trafficking: "sex"},
		{Open: &haven.OpenAt{Instant: time.Date(2026, 12, 7, 18, 30, 0, 0, time.UTC)}, Limit: 20},
		{Open: &haven.OpenAt{Wall: true, Day: time.Saturday, Minute: 10 * 60}, Near: houston},
		{Open: &haven.OpenAt{Wall: true, Day: time.Sunday, Minute: -1}, Country: "MX"},
	}
	for _, f := range filters {
		f.Facets = haven.DirectoryFacets
		name, _ := json.Marshal(f)
		a, err := sqlstore.NewDirectoryService(lite).SearchDirectory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sqlstore.NewDirectoryService(pg).SearchDirectory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Hits {
			// Distances are computed in Go from the same coordinates; compare
			// them rounded to a metre.
			for _, h := range []*haven.DirectoryHit{&a.Hits[i], &b.Hits[i]} {
				if h.DistanceKm != nil {
					d := float64(int64(*h.DistanceKm*1000+0.5)) / 1000
					h.DistanceKm = &d
				}
			}
		}
		a.Engine, b.Engine = "", "" // each names itself
		if !reflect.DeepEqual(a, b) {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			t.Errorf("%s: engines disagree\n sqlite   %.600s\n postgres %.600s", name, ja, jb)
		}
	}
	for _, q := range []string{"screen", "T visa", "línea de ayuda", "law enforcement", "trata"} {
		a, _ := sqlstore.NewResourceService(lite).FindResources(context.Background(), haven.ResourceFilter{Query: q})
		b, _ := sqlstore.NewResourceService(pg).FindResources(context.Background(), haven.ResourceFilter{Query: q})
		if len(a.Items) != len(b.Items) || !reflect.DeepEqual(a.Facets, b.Facets) {
			t.Errorf("library %q: engines disagree", q)
			continue
		}
		for i := range a.Items {
			if a.Items[i].ID != b.Items[i].ID {
				t.Errorf("library %q: item %d is %s on SQLite, %s on PostgreSQL", q, i, a.Items[i].ID, b.Items[i].ID)
			}
		}
	}
}
