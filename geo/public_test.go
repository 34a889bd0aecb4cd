package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPublicPoint(t *testing.T) {
	austin := Point{Lat: 30.28173, Lon: -97.72161}
	centroid, _ := LookupZIP("78705")
	for _, tc := range []struct {
		name              string
		site              *Point
		postcode, country string
		want              Point
		ok                bool
	}{
		{"U.S. ZIP: its centroid", &austin, "78705", "US", centroid, true},
		{"ZIP+4 without a country", &austin, "78705-1234", "", centroid, true},
		{"ZIP but no site", nil, "78705", "us", centroid, true},
		{"unknown ZIP: the grid", &austin, "00000", "US", gridCenter(austin), true},
		{"a foreign postcode that looks like a ZIP: the grid", &Point{Lat: 20.67361, Lon: -103.34412}, "44100", "MX",
			gridCenter(Point{Lat: 20.67361, Lon: -103.34412}), true},
		{"nothing known", nil, "", "MX", Point{}, false},
		{"an invalid site", &Point{Lat: 91, Lon: 0}, "", "", Point{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := PublicPoint(tc.site, tc.postcode, tc.country)
			if ok != tc.ok || got != tc.want {
				t.Errorf("PublicPoint = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestGridCells checks, at every latitude, that the cells a site snaps to
// are at least PublicCellKm on each side (so the point says nothing finer),
// that every site of a cell gets the same point, and that the point is the
// cell's centre.
func TestGridCells(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		p := Point{Lat: r.Float64()*170 - 85, Lon: r.Float64()*360 - 180}
		c := gridCenter(p)
		if !c.Valid() {
			t.Fatalf("%v: centre %v is not a point", p, c)
		}
		if c != gridCenter(p) {
			t.Fatalf("%v: not deterministic", p)
		}
		// The cell's edges: half a step each way from the centre.
		halfLat := publicLatStep / 2
		if math.Abs(p.Lat-c.Lat) > halfLat+1e-9 {
			t.Fatalf("%v is outside the rows of its centre %v", p, c)
		}
		south, north := c.Lat-halfLat, c.Lat+halfLat
		if h := DistanceKm(Point{south, c.Lon}, Point{north, c.Lon}); h < PublicCellKm {
			t.Fatalf("%v: cell %.2f km high", p, h)
		}
		// Width along the edge nearest the pole, where it is least.
		edge := north
		if math.Abs(south) > math.Abs(north) {
			edge = south
		}
		halfLon := math.Abs(p.Lon-c.Lon) + 1e-9
		// Find the cell's west and east edges by walking from the centre
		// until the centre changes.
		step := 0.001
		west, east := c.Lon, c.Lon
		for gridCenter(Point{c.Lat, west - step}) == c && west-step > -180 {
			west -= step
		}
		for gridCenter(Point{c.Lat, east + step}) == c && east+step < 180 {
			east += step
		}
		if east < 179 && west > -179 {
			if w := DistanceKm(Point{edge, west}, Point{edge, east}); w < PublicCellKm-0.2 {
				t.Fatalf("%v: cell %.2f km wide at latitude %.2f", p, w, edge)
			}
		}
		if halfLon > (east-west)/2+step+1e-6 {
			t.Fatalf("%v is %.4f° from its centre %v, outside its cell [%.3f, %.3f]", p, halfLon, c, west, east)
		}
	}
}
