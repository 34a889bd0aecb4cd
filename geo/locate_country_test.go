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

func TestLocateCounty(t *testing.T) {
	for _, tc := range []struct {
		p           Point
		state, want string
	}{
		{Point{29.76, -95.37}, "TX", "Harris County"},       // Houston
		{Point{34.05, -118.24}, "CA", "Los Angeles County"}, // Los Angeles
		{Point{29.95, -90.07}, "LA", "Orleans Parish"},      // New Orleans
		{Point{29.76, -95.37}, "", ""},
		{Point{20.67, -103.35}, "TX", ""}, // Guadalajara is in no Texas county
	} {
		got, ok := LocateCounty(tc.p, tc.state)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("LocateCounty(%v, %q) = %q, %v; want %q", tc.p, tc.state, got, ok, tc.want)
		}
	}
}

func BenchmarkLocateCounty(b *testing.B) {
	LocateCounty(Point{29.76, -95.37}, "TX")
	for b.Loop() {
		LocateCounty(Point{29.76, -95.37}, "TX")
	}
}
