package geo

import "testing"

func TestStateOfZIP(t *testing.T) {
	tests := []struct {
		zip  uint32
		want string
	}{
		{77002, "TX"}, {10001, "NY"}, {501, "NY"}, {601, "PR"}, {802, "VI"}, {2108, "MA"}, {5501, "MA"},
		{20001, "DC"}, {20101, "VA"}, {20500, "DC"}, {73301, "TX"}, {73102, "OK"}, {88510, "TX"},
		{96799, "AS"}, {96910, "GU"}, {96950, "MP"}, {96813, "HI"}, {99501, "AK"}, {39901, "GA"},
		{56901, "DC"}, {9001, ""}, {34001, ""}, {96201, ""},
	}
	for _, tt := range tests {
		got, ok := StateOfZIP(tt.zip)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("StateOfZIP(%05d) = %q, %v; want %q", tt.zip, got, ok, tt.want)
		}
	}
	// Every ZIP of the embedded table is in a state Haven knows.
	zt := zipsLoaded()
	for _, z := range zt.zips {
		st, ok := StateOfZIP(z)
		if _, known := StateByCode(st); !ok || !known {
			t.Errorf("ZIP %05d: state %q", z, st)
		}
	}
}

func TestCountryAndStateByName(t *testing.T) {
	countries := map[string]string{"Mexico": "MX", "méxico": "MX", "the Netherlands": "NL", "Países Bajos": "NL",
		"USA": "US", "U.S.": "US", "Estados Unidos": "US", "mx": "MX", "Atlantis": "", "": ""}
	for name, want := range countries {
		if got, ok := CountryByName(name); got != want || ok != (want != "") {
			t.Errorf("CountryByName(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	states := map[string]string{"Texas": "TX", "nuevo méxico": "NM", "tx": "TX", "District of Columbia": "DC",
		"Washington, D.C.": "DC", "Washington": "WA", "Puerto Rico": "PR", "Tejas": "", "": ""}
	for name, want := range states {
		if got, ok := StateByName(name); got.Code != want || ok != (want != "") {
			t.Errorf("StateByName(%q) = %q, %v; want %q", name, got.Code, ok, want)
		}
	}
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{"Nuevo  León,": "nuevo leon", "People's Place": "peoples place", "(statewide)": "statewide", "": ""} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLocateState(f *testing.F) {
	f.Add(29.76, -95.37)
	f.Add(61.2, -149.9)
	f.Add(91.0, 0.0)
	f.Fuzz(func(t *testing.T, lat, lon float64) {
		st, ok := LocateState(Point{Lat: lat, Lon: lon})
		if _, known := StateByCode(st); ok != known {
			t.Fatalf("LocateState(%v, %v) = %q, %v", lat, lon, st, ok)
		}
	})
}
