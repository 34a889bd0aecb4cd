package geo

import "testing"

func TestLocateCountry(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Point
		want string
	}{
		{"Guadalajara", Point{20.67, -103.35}, "MX"},
		{"Toronto", Point{43.65, -79.38}, "CA"},
		{"Madrid", Point{40.42, -3.70}, "ES"},
		{"Manila", Point{14.60, 120.98}, "PH"},
		{"Houston", Point{29.76, -95.37}, "US"},
		{"Fiji, across the antimeridian", Point{-16.5, 179.9}, "FJ"},
		{"mid-Atlantic", Point{30, -40}, ""},
		{"South Pole", Point{-90, 0}, ""},
	} {
		got, ok := LocateCountry(tc.p)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: LocateCountry(%v) = %q, %v; want %q", tc.name, tc.p, got, ok, tc.want)
		}
	}
}

func BenchmarkLocateCountry(b *testing.B) {
	LocateCountry(Point{20.67, -103.35})
	for b.Loop() {
		LocateCountry(Point{20.67, -103.35})
	}
}
