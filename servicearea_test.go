package haven_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven"
	"haven/geo"
	"haven/hsds"
)

const box = `{"type":"Polygon","coordinates":[[[-95.6,29.6],[-95.1,29.6],[-95.1,29.95],[-95.6,29.95],[-95.6,29.6]]]}`

func TestResolveServiceArea(t *testing.T) {
	tx := haven.AreaHome{Country: "US", State: "TX"}
	none := haven.AreaHome{}
	tests := []struct {
		name string
		area hsds.ServiceArea
		home haven.AreaHome
		want haven.ServedArea // AreaID, Label, Geometry and the box are not compared
		// problem, when the area cannot be resolved: words the reason holds.
		problem string
	}{
		{"state by name", hsds.ServiceArea{Name: "Texas"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "TX"}, ""},
		{"state by code", hsds.ServiceArea{Name: "tx"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "TX"}, ""},
		{"statewide with the state", hsds.ServiceArea{Name: "Texas (statewide)"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "TX"}, ""},
		{"state of", hsds.ServiceArea{Name: "State of New York"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "NY"}, ""},
		{"New York State", hsds.ServiceArea{Name: "New York State"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "NY"}, ""},
		{"Spanish name", hsds.ServiceArea{Name: "Todo el estado de Nuevo México"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "NM"}, ""},
		{"DC", hsds.ServiceArea{Name: "District of Columbia"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "DC"}, ""},
		{"statewide alone, home state", hsds.ServiceArea{Name: "Statewide"}, tx, haven.ServedArea{Kind: "state", Country: "US", State: "TX"}, ""},
		{"statewide alone, no home", hsds.ServiceArea{Name: "Statewide"}, none, haven.ServedArea{}, "statewide"},
		{"nationwide alone, home country", hsds.ServiceArea{Name: "Nationwide"}, tx, haven.ServedArea{Kind: "country", Country: "US"}, ""},
		{"nationwide alone, no home", hsds.ServiceArea{Name: "nationwide"}, none, haven.ServedArea{}, "which nation"},
		{"nationwide with country", hsds.ServiceArea{Name: "Nationwide (United States)"}, none, haven.ServedArea{Kind: "country", Country: "US"}, ""},
		{"USA", hsds.ServiceArea{Name: "U.S.A."}, none, haven.ServedArea{Kind: "country", Country: "US"}, ""},
		{"country in Spanish", hsds.ServiceArea{Name: "Todo México"}, none, haven.ServedArea{Kind: "country", Country: "MX"}, ""},
		{"country with the", hsds.ServiceArea{Name: "the Netherlands (nationwide)"}, none, haven.ServedArea{Kind: "country", Country: "NL"}, ""},
		{"country code", hsds.ServiceArea{Name: "CA"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "CA"}, ""}, // CA is California first
		{"ISO subdivision", hsds.ServiceArea{Name: "MX-JAL"}, none, haven.ServedArea{Kind: "state", Country: "MX", State: "MX-JAL"}, ""},
		{"county", hsds.ServiceArea{Name: "Harris County, TX"}, none, haven.ServedArea{Kind: "county", Country: "US", State: "TX", County: "harris"}, ""},
		{"county, state by name", hsds.ServiceArea{Name: "Los Angeles County, California"}, none, haven.ServedArea{Kind: "county", Country: "US", State: "CA", County: "los angeles"}, ""},
		{"parish, home state", hsds.ServiceArea{Name: "Orleans Parish"}, haven.AreaHome{Country: "US", State: "LA"}, haven.ServedArea{Kind: "county", Country: "US", State: "LA", County: "orleans"}, ""},
		{"condado", hsds.ServiceArea{Name: "Condado de Harris"}, tx, haven.ServedArea{Kind: "county", Country: "US", State: "TX", County: "harris"}, ""},
		{"county without state", hsds.ServiceArea{Name: "Harris County"}, none, haven.ServedArea{}, "without its state"},
		{"county of an unknown state", hsds.ServiceArea{Name: "Harris County, Atlantis"}, none, haven.ServedArea{}, "which U.S. state"},
		{"text extent", hsds.ServiceArea{Extent: "Florida", ExtentType: "text"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "FL"}, ""},
		{"polygon", hsds.ServiceArea{Name: "Central Houston", Extent: box, ExtentType: "geojson"}, none, haven.ServedArea{Kind: "polygon"}, ""},
		{"feature", hsds.ServiceArea{Extent: `{"type":"Feature","properties":{},"geometry":` + box + `}`, ExtentType: "GeoJSON"}, none, haven.ServedArea{Kind: "polygon"}, ""},
		{"multipolygon", hsds.ServiceArea{Extent: `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}`, ExtentType: "geojson"}, none, haven.ServedArea{Kind: "polygon"}, ""},
		{"a point is no area", hsds.ServiceArea{Extent: `{"type":"Point","coordinates":[0,0]}`, ExtentType: "geojson"}, none, haven.ServedArea{}, "not a Polygon"},
		{"open ring", hsds.ServiceArea{Extent: `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, ExtentType: "geojson"}, none, haven.ServedArea{}, "at least 4"},
		{"latitude out of range", hsds.ServiceArea{Extent: `{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,1],[0,0]]]}`, ExtentType: "geojson"}, none, haven.ServedArea{}, "not a longitude"},
		{"bad JSON", hsds.ServiceArea{Name: "Texas", Extent: `{"type":`, ExtentType: "geojson"}, none, haven.ServedArea{}, "not JSON"},
		{"KML is not read", hsds.ServiceArea{Extent: "<kml/>", ExtentType: "kml"}, none, haven.ServedArea{}, "GeoJSON extents only"},
		{"KML with a name", hsds.ServiceArea{Name: "Ohio", Extent: "<kml/>", ExtentType: "kml"}, none, haven.ServedArea{Kind: "state", Country: "US", State: "OH"}, ""},
		{"metropolitan area", hsds.ServiceArea{Name: "Houston metropolitan area"}, tx, haven.ServedArea{}, "cannot tell which place"},
		{"nothing", hsds.ServiceArea{}, tx, haven.ServedArea{}, "no name"},
		{"too long", hsds.ServiceArea{Name: strings.Repeat("word ", 20)}, tx, haven.ServedArea{}, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.area.ID = "area-1"
			got := haven.ResolveServiceArea(tt.area, tt.home)
			if tt.problem != "" {
				if got.Kind != "" || !strings.Contains(got.Problem, tt.problem) || !strings.Contains(got.Problem, "area-1") {
					t.Fatalf("got %+v, want a problem naming the area and saying %q", got, tt.problem)
				}
				return
			}
			if got.Problem != "" || got.AreaID != "area-1" || !haven.ValidArea(got) {
				t.Fatalf("got %+v", got)
			}
			if got.Kind != tt.want.Kind || got.Country != tt.want.Country || got.State != tt.want.State || got.County != tt.want.County {
				t.Errorf("got %s %s %s %q, want %s %s %s %q", got.Kind, got.Country, got.State, got.County, tt.want.Kind, tt.want.Country, tt.want.State, tt.want.County)
			}
			if tt.area.Name != "" && got.Label != strings.TrimSpace(tt.area.Name) {
				t.Errorf("label %q, want the name as written", got.Label)
			}
		})
	}
}

func TestPolygonContains(t *testing.T) {
	a := haven.ResolveServiceArea(hsds.ServiceArea{ID: "a", Extent: box, ExtentType: "geojson"}, haven.AreaHome{})
	hole := haven.ResolveServiceArea(hsds.ServiceArea{ID: "b", ExtentType: "geojson",
		Extent: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}`}, haven.AreaHome{})
	tests := []struct {
		area haven.ServedArea
		p    geo.Point
		want bool
	}{
		{a, geo.Point{Lat: 29.7604, Lon: -95.3698}, true}, // downtown Houston
		{a, geo.Point{Lat: 29.5, Lon: -95.3698}, false},   // south of the box
		{a, geo.Point{Lat: 29.7604, Lon: -95.0}, false},   // east of it
		{a, geo.Point{Lat: 29.6, Lon: -95.3}, true},       // on the edge
		{hole, geo.Point{Lat: 2, Lon: 2}, true},           // in the ring
		{hole, geo.Point{Lat: 5, Lon: 5}, false},          // in the hole
		{hole, geo.Point{Lat: 11, Lon: 5}, false},         // outside
		{haven.ServedArea{Geometry: "junk"}, geo.Point{}, false},
	}
	for _, tt := range tests {
		if got := haven.PolygonContains(tt.area.Geometry, tt.p); got != tt.want {
			t.Errorf("%s holds %v: %v, want %v", tt.area.Geometry, tt.p, got, tt.want)
		}
		if tt.want && !tt.area.InBounds(tt.p) {
			t.Errorf("%v is in %s but not in its box", tt.p, tt.area.Geometry)
		}
	}
}

func TestLocatePoint(t *testing.T) {
	tests := []struct {
		p    geo.Point
		want haven.PointPlace
	}{
		{geo.Point{Lat: 29.7604, Lon: -95.3698}, haven.PointPlace{Country: "US", State: "TX", County: "harris"}},    // Houston
		{geo.Point{Lat: 40.7128, Lon: -74.006}, haven.PointPlace{Country: "US", State: "NY"}},                       // New York
		{geo.Point{Lat: 38.8977, Lon: -77.0365}, haven.PointPlace{Country: "US", State: "DC"}},                      // Washington
		{geo.Point{Lat: 18.4655, Lon: -66.1057}, haven.PointPlace{Country: "US", State: "PR"}},                      // San Juan
		{geo.Point{Lat: 61.2181, Lon: -149.9003}, haven.PointPlace{Country: "US", State: "AK"}},                     // Anchorage
		{geo.Point{Lat: 21.3069, Lon: -157.8583}, haven.PointPlace{Country: "US", State: "HI", County: "honolulu"}}, // Honolulu
		{geo.Point{Lat: 13.4443, Lon: 144.7937}, haven.PointPlace{Country: "US", State: "GU"}},                      // Hagåtña
		{geo.Point{Lat: 20.6597, Lon: -103.3496}, haven.PointPlace{Country: "MX"}},                                  // Guadalajara
		{geo.Point{Lat: 43.6532, Lon: -79.3832}, haven.PointPlace{Country: "CA"}},                                   // Toronto
		{geo.Point{Lat: 30.0, Lon: -40.0}, haven.PointPlace{}},                                                      // the Atlantic
	}
	for _, tt := range tests {
		got := haven.LocatePoint(tt.p)
		if tt.want.County == "" {
			// The county is the nearest county centre's, approximate
			// (San Juan's is Cataño's): checked only where it is sure.
			got.County = ""
		}
		if got != tt.want {
			t.Errorf("LocatePoint(%v) = %+v, want %+v", tt.p, got, tt.want)
		}
	}
}

func TestPageServed(t *testing.T) {
	tests := []struct {
		nLocal, nServed, offset, limit int
		want                           string // L local, S served
	}{
		{10, 3, 0, 20, "LLLSLLLSLLLSL"},
		{10, 3, 0, 4, "LLLS"},
		{10, 3, 4, 4, "LLLS"},
		{2, 3, 0, 10, "LLSSS"},         // local run out: the rest served
		{0, 3, 0, 10, "SSS"},           // nothing local
		{9, 0, 0, 5, "LLLLL"},          // nothing served
		{10, 3, 0, 0, "LLLSLLLSLLLSL"}, // limit 0: all
		{10, 3, 11, 5, "SL"},
		{30, 3, 12, 8, "LLLLLLLL"}, // served run out: local only
		{10, 3, 40, 5, ""},
	}
	for _, tt := range tests {
		lo, ln, so, sn, isServed := haven.PageServed(tt.nLocal, tt.nServed, tt.offset, tt.limit)
		var got strings.Builder
		nl, ns := 0, 0
		for _, s := range isServed {
			if s {
				got.WriteByte('S')
				ns++
			} else {
				got.WriteByte('L')
				nl++
			}
		}
		if got.String() != tt.want || nl != ln || ns != sn {
			t.Errorf("PageServed(%d, %d, %d, %d) = %s (local %d, served %d), want %s", tt.nLocal, tt.nServed, tt.offset, tt.limit, got.String(), ln, sn, tt.want)
		}
		// The ranges continue those of the page before.
		if tt.offset > 0 {
			plo, pln, pso, psn, _ := haven.PageServed(tt.nLocal, tt.nServed, 0, tt.offset)
			if plo+pln != lo && ln > 0 || pso+psn != so && sn > 0 {
				t.Errorf("PageServed(%d, %d, %d, %d): local from %d, served from %d; the pages before end at %d and %d", tt.nLocal, tt.nServed, tt.offset, tt.limit, lo, so, plo+pln, pso+psn)
			}
		}
	}
}

// FuzzResolveServiceArea: any area resolves or says why, never panics,
// and what it resolves is valid and names a place Haven knows.
func FuzzResolveServiceArea(f *testing.F) {
	for _, s := range []string{"Texas", "Nationwide", "Harris County, TX", "Todo México", "MX-JAL", "Statewide", "Houston metropolitan area"} {
		f.Add(s, "", "text")
	}
	f.Add("Central Houston", box, "geojson")
	f.Add("", `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}`, "geojson")
	// Seeds from the repo's HSDS test data: every service area's name.
	if b, err := os.ReadFile(filepath.Join("hsds", "testdata", "csv_fixed", "service_areas.csv")); err == nil {
		for _, line := range strings.Split(string(b), "\n")[1:] {
			if fields := strings.Split(line, ","); len(fields) > 2 {
				f.Add(fields[2], "", "text")
			}
		}
	}
	f.Fuzz(func(t *testing.T, name, extent, extentType string) {
		for _, home := range []haven.AreaHome{{}, {Country: "US", State: "TX"}} {
			a := haven.ResolveServiceArea(hsds.ServiceArea{ID: "x", Name: name, Extent: extent, ExtentType: extentType}, home)
			if (a.Kind == "") == (a.Problem == "") {
				t.Fatalf("%q %q: kind %q with problem %q", name, extent, a.Kind, a.Problem)
			}
			if !haven.ValidArea(a) {
				t.Fatalf("%q %q: invalid area %+v", name, extent, a)
			}
			switch a.Kind {
			case haven.AreaCountry:
				if !geo.ValidCountry(a.Country) {
					t.Fatalf("%q: unknown country %q", name, a.Country)
				}
			case haven.AreaPolygon:
				if _, err := haven.ParseAreaGeometry(a.Geometry); err != nil {
					t.Fatalf("%q: stored geometry %q does not parse: %v", extent, a.Geometry, err)
				}
			}
		}
	})
}
