package haven_test

import (
	"math"
	"net/url"
	"testing"

	"haven"
)

// TestParsePlacesAndValues: place, radius_mi, units and sort, and filter
// values as people type them (issue 19).
func TestParsePlacesAndValues(t *testing.T) {
	tests := []struct {
		query string
		check func(f haven.DirectoryFilter) bool
		param string // the parameter an error names; "" when none
	}{
		{"place=Houston", func(f haven.DirectoryFilter) bool {
			return f.Near != nil && math.Abs(f.Near.Lat-29.76) < 0.1 && f.Place.Label("en") == "Houston, TX"
		}, ""},
		{"place=Houston,+TX&radius_mi=25", func(f haven.DirectoryFilter) bool {
			return math.Abs(f.RadiusKm-40.2336) < 1e-6 && f.Units == "mi"
		}, ""},
		{"place=77002&radius_km=10", func(f haven.DirectoryFilter) bool { return f.Near != nil && f.RadiusKm == 10 }, ""},
		{"place=29.76,-95.37", func(f haven.DirectoryFilter) bool { return f.Near != nil && f.Near.Lon == -95.37 }, ""},
		{"place=Texas", func(f haven.DirectoryFilter) bool { return f.Near == nil && f.State == "TX" && f.Country == "US" }, ""},
		{"place=México", func(f haven.DirectoryFilter) bool { return f.Near == nil && f.Country == "MX" }, ""},
		{"place=Harris+County,+TX", func(f haven.DirectoryFilter) bool { return f.Near != nil && f.Place.Kind == "county" }, ""},
		{"near=30,-97&place=Springfield", func(f haven.DirectoryFilter) bool { return f.Near.Lat == 30 && f.Place == nil }, ""}, // near wins
		{"place=Springfield", nil, "place"},
		{"place=Qwxyzville", nil, "place"},
		{"place=91,0", nil, "place"},
		{"place=Houston&radius_km=5&radius_mi=5", nil, "radius_mi"},
		{"place=Houston&radius_mi=622", nil, "radius_mi"},
		{"place=Houston&radius_mi=621", func(f haven.DirectoryFilter) bool { return f.RadiusKm <= haven.MaxRadiusKm }, ""},
		{"radius_mi=5", nil, "radius_mi"},
		{"units=km", func(f haven.DirectoryFilter) bool { return f.Units == "km" }, ""},
		{"units=leagues", nil, "units"},
		{"sort=best", func(f haven.DirectoryFilter) bool { return f.Sort == haven.SortBest }, ""},
		{"sort=distance", func(f haven.DirectoryFilter) bool { return f.Sort == haven.SortDistance }, ""},
		{"sort=random", nil, "sort"},
		{"state=BC&country=CA", func(f haven.DirectoryFilter) bool { return f.State == "CA-BC" }, ""},
		{"state=CA-BC", func(f haven.DirectoryFilter) bool { return f.State == "CA-BC" }, ""},
		{"state=Texas", func(f haven.DirectoryFilter) bool { return f.State == "TX" }, ""},
		{"state=US-TX", func(f haven.DirectoryFilter) bool { return f.State == "TX" }, ""},
		{"state=Jalisco", func(f haven.DirectoryFilter) bool { return f.State == "MX-JAL" }, ""},
		{"state=tx", func(f haven.DirectoryFilter) bool { return f.State == "TX" }, ""},
		{"state=Narnia", nil, "state"},
		{"language=Spanish", func(f haven.DirectoryFilter) bool { return f.Language == "es" }, ""},
		{"language=espa%C3%B1ol", func(f haven.DirectoryFilter) bool { return f.Language == "es" }, ""},
		{"language=ES", func(f haven.DirectoryFilter) bool { return f.Language == "es" }, ""},
		{"language=Vietnamese", func(f haven.DirectoryFilter) bool { return f.Language == "vi" }, ""},
		{"language=Klingonish", nil, "language"},
		{"category=legal-services", func(f haven.DirectoryFilter) bool { return f.Category == "legal-services" }, ""},
		{"category=0191D6D4-0000-7000-8000-000000000000", func(f haven.DirectoryFilter) bool {
			return f.Category == "" && f.TaxonomyTermID == "0191d6d4-0000-7000-8000-000000000000"
		}, ""},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		f, err := haven.ParseDirectoryQuery(q, haven.DirectoryParams{PerPage: 20})
		if tt.param != "" {
			if pe, ok := err.(*haven.ParamError); !ok || pe.Param != tt.param {
				t.Errorf("%s: got %v, want an error naming %s", tt.query, err, tt.param)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.query, err)
		} else if !tt.check(f) {
			t.Errorf("%s: got %+v", tt.query, f)
		}
	}
	// An ambiguous place lists its choices.
	_, err := haven.ParseDirectoryQuery(url.Values{"place": {"Springfield"}}, haven.DirectoryParams{PerPage: 20})
	if pe, ok := err.(*haven.ParamError); !ok || len(pe.Choices) < 3 || pe.Choices[0] == "" {
		t.Errorf("Springfield: %#v", err)
	}
}

func TestDistanceUnitsAndFormat(t *testing.T) {
	us, mx := url.Values{"place": {"Houston"}}, url.Values{"place": {"Guadalajara"}}
	fus, _ := haven.ParseDirectoryQuery(us, haven.DirectoryParams{PerPage: 20})
	fmx, _ := haven.ParseDirectoryQuery(mx, haven.DirectoryParams{PerPage: 20})
	tests := []struct {
		f          haven.DirectoryFilter
		lang, want string
	}{
		{fus, "en", "mi"}, {fus, "es", "mi"}, {fmx, "en", "km"}, {fmx, "es", "km"},
		{haven.DirectoryFilter{}, "en", "mi"}, {haven.DirectoryFilter{}, "es", "km"},
		{haven.DirectoryFilter{Units: "km"}, "en", "km"},
	}
	for _, tt := range tests {
		if got := haven.DistanceUnits(tt.f, tt.lang); got != tt.want {
			t.Errorf("DistanceUnits(%v, %s) = %s, want %s", tt.f.Place, tt.lang, got, tt.want)
		}
	}
	for _, c := range []struct {
		km    float64
		units string
		want  string
	}{
		{3.42, "km", "3.4"}, {9.94, "km", "9.9"}, {9.96, "km", "10"}, {27.4, "km", "27"},
		{1.609344, "mi", "1.0"}, {48.28, "mi", "30"}, {0, "mi", "0.0"},
	} {
		if got := haven.FormatDistance(c.km, c.units); got != c.want {
			t.Errorf("FormatDistance(%v, %s) = %s, want %s", c.km, c.units, got, c.want)
		}
	}
}

func TestEffectiveSort(t *testing.T) {
	p := &haven.LatLon{Lat: 29.76, Lon: -95.37}
	tests := []struct {
		f    haven.DirectoryFilter
		want string
	}{
		{haven.DirectoryFilter{}, haven.SortBest},
		{haven.DirectoryFilter{Query: "legal"}, haven.SortBest},
		{haven.DirectoryFilter{Near: p}, haven.SortDistance},
		{haven.DirectoryFilter{Near: p, Query: "T visa"}, haven.SortBest},
		{haven.DirectoryFilter{Near: p, Query: "T visa", Sort: haven.SortDistance}, haven.SortDistance},
		{haven.DirectoryFilter{Near: p, Sort: haven.SortBest}, haven.SortDistance}, // no words to match
		{haven.DirectoryFilter{Sort: haven.SortDistance}, haven.SortBest},          // no place to measure from
	}
	for _, tt := range tests {
		if got := tt.f.EffectiveSort(); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.f, got, tt.want)
		}
	}
	// The blend: words in the name outweigh distance within 50 km, but not
	// beyond 200 km.
	if !(haven.BestScore(1, 48, true) > haven.BestScore(0, 8, true)) || !(haven.BestScore(1, 300, true) < haven.BestScore(0, 8, true)) {
		t.Error("BestScore does not blend as documented")
	}
}
