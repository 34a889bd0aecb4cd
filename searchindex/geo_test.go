package searchindex

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"haven"
	"haven/geo"
)

// TestDistanceEverywhere puts services all over the globe, crowded at the
// antimeridian and the poles where grid cells wrap and shrink, and checks
// the grid against measuring every service: the radius filter against the
// distance itself, and the nearest-first pages of the ring search against
// sorting everything.
func TestDistanceEverywhere(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	coord := func() (float64, float64) {
		switch r.IntN(4) {
		case 0: // near the antimeridian
			lon := 179.5 + r.Float64()
			if lon > 180 {
				lon -= 360
			}
			return r.Float64()*120 - 60, lon
		case 1: // near a pole
			return (89 + r.Float64()) * float64(1-2*r.IntN(2)), r.Float64()*360 - 180
		}
		return r.Float64()*180 - 90, r.Float64()*360 - 180
	}
	b, brute := NewBuilder(), NewBuilder()
	var points []geo.Point
	for i := range 3000 {
		doc := haven.DirectoryDoc{ServiceID: fmt.Sprintf("s%05d", i), Name: fmt.Sprintf("Service %d", i%50), Status: "active", OrgID: "o"}
		for j := range 1 + r.IntN(3) {
			lat, lon := coord()
			if j == 0 && i%10 == 0 {
				lat, lon = 10, -180 // on the antimeridian, by either name
				if i%20 == 0 {
					lon = 180
				}
			}
			points = append(points, geo.Point{Lat: lat, Lon: lon})
			doc.Places = append(doc.Places, haven.DirectoryPlace{LocationID: fmt.Sprintf("l%05d-%d", i, j), Lat: &lat, Lon: &lon})
		}
		if i%97 == 0 {
			doc.Places = nil // no coordinates at all
		}
		b.Add(&doc)
		brute.Add(&doc)
	}
	ring, all := b.Index(), brute.Index()
	ring.cur.Load().small = 0
	all.cur.Load().small = 1 << 62 // never the ring search
	for i := range 300 {
		p := points[r.IntN(len(points))]
		if i%3 == 0 {
			p.Lat, p.Lon = coord()
		}
		f := haven.DirectoryFilter{Near: &haven.LatLon{Lat: p.Lat, Lon: p.Lon}, Offset: r.IntN(30), Limit: 1 + r.IntN(20)}
		if i%2 == 0 {
			f.RadiusKm = []float64{10, 100, 1000}[r.IntN(3)]
		}
		a := all.cur.Load().search(f)
		got := ring.cur.Load().search(f)
		if !reflect.DeepEqual(a, got) {
			t.Fatalf("near %v within %v: the grid pages\n%v\nmeasuring all pages\n%v", p, f.RadiusKm, ids(got), ids(a))
		}
		if f.RadiusKm > 0 {
			// The oracle: every service with a place within the radius.
			want := 0
			x := all.cur.Load()
			for n := range x.docs {
				if slices.ContainsFunc(x.placesOf(uint32(n)), func(pl place) bool {
					return pl.coords && geo.DistanceKm(p, geo.Point{Lat: pl.lat, Lon: pl.lon}) <= f.RadiusKm
				}) {
					want++
				}
			}
			if a.Total != want {
				t.Fatalf("near %v within %v km: %d services, the oracle says %d", p, f.RadiusKm, a.Total, want)
			}
			// Each at its distance, to the bit: the least over its places.
			_, found := x.within(p, f.RadiusKm, x.live)
			for _, e := range found {
				d := math.Inf(1)
				for _, pl := range x.placesOf(e.doc) {
					if pl.coords {
						d = min(d, geo.DistanceKm(p, geo.Point{Lat: pl.lat, Lon: pl.lon}))
					}
				}
				if e.dist != d {
					t.Fatalf("near %v: document %d at %v km, measured %v", p, e.doc, e.dist, d)
				}
			}
		}
	}
}

func ids(res *haven.DirectoryResult) []string {
	var out []string
	for _, h := range res.Hits {
		d := -1.0
		if h.DistanceKm != nil {
			d = *h.DistanceKm
		}
		out = append(out, fmt.Sprintf("%s@%.3f", h.ServiceID, d))
	}
	return out
}
