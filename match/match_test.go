package match

import (
	"math"
	"slices"
	"strings"
	"testing"

	"haven/hsds"
	"haven/sample"
)

// fake is a sample service with one place, as tests need them.
type fake struct {
	id, org, name, phone, url string
	lat, lon                  float64
	city, country             string
	ident                     string // an organization identifier, "scheme|value"
}

func (f fake) service() *hsds.Service {
	yes := true
	lat, lon := f.lat, f.lon
	o := &hsds.Organization{ID: f.org, Name: f.org + " (sample)", XSample: &yes}
	if f.ident != "" {
		scheme, value, _ := strings.Cut(f.ident, "|")
		o.OrganizationIdentifiers = []hsds.OrganizationIdentifier{{ID: f.id + "-oi", IdentifierScheme: scheme, Identifier: value}}
	}
	s := &hsds.Service{ID: f.id, OrganizationID: f.org, Organization: o, Name: f.name, URL: f.url, XSample: &yes,
		ServiceAtLocations: []hsds.ServiceAtLocation{{ID: f.id + "-sal", Location: &hsds.Location{ID: f.id + "-loc",
			Latitude: &lat, Longitude: &lon, Addresses: []hsds.Address{{City: f.city, Country: f.country}}}}}}
	if f.phone != "" {
		s.Phones = []hsds.Phone{{ID: f.id + "-ph", Number: f.phone}}
	}
	return s
}

func reasonCodes(p Pair) []string {
	var out []string
	for _, r := range p.Reasons {
		out = append(out, r.Code)
	}
	return out
}

// TestFindPlanted plants duplicates among a thousand sample services and
// checks that each is found for the right reasons, and that services with
// similar names far apart, or alike only in words everyone uses, are not
// paired.
func TestFindPlanted(t *testing.T) {
	var recs []Record
	if err := sample.Services(1000, 7, func(s *hsds.Service) error {
		recs = append(recs, FromService(s))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	planted := []fake{
		// The same phone, written two ways, names and places unrelated.
		{id: "p1", org: "Alpha", name: "Night shelter", phone: "(406) 555-0199", lat: 45.78, lon: -108.50, city: "Billings", country: "US"},
		{id: "p2", org: "Beta", name: "Legal clinic", phone: "+14065550199", lat: 43.61, lon: -116.20, city: "Boise", country: "US"},
		// The same web address, but for scheme, www, case and a slash.
		{id: "u1", org: "Gamma", name: "Counseling", url: "https://www.Gamma.example.org/help/", lat: 41.26, lon: -95.93, city: "Omaha", country: "US"},
		{id: "u2", org: "Delta", name: "Food pantry", url: "http://gamma.example.org/help", lat: 39.10, lon: -94.58, city: "Kansas City", country: "US"},
		// The same organization identifier.
		{id: "i1", org: "Epsilon", name: "Case management", ident: "US-EIN|12-3456789", lat: 35.47, lon: -97.52, city: "Oklahoma City", country: "US"},
		{id: "i2", org: "Zeta", name: "Housing help", ident: "us-ein |12-3456789", lat: 38.25, lon: -85.76, city: "Louisville", country: "US"},
		// Similar names two kilometres apart.
		{id: "n1", org: "Casa Esperanza", name: "Refugio de emergencia", lat: 17.0732, lon: -96.7266, city: "Oaxaca de Juárez", country: "MX"},
		{id: "n2", org: "Casa de la Esperanza", name: "Refugio emergencia", lat: 17.0900, lon: -96.7266, city: "Oaxaca de Juarez", country: "MX"},
		// The same names on two continents: not the same service.
		{id: "f1", org: "Harbor Light", name: "Survivor support", lat: 55.95, lon: -3.19, city: "Edinburgh", country: "GB"},
		{id: "f2", org: "Harbor Light", name: "Survivor support", lat: -33.87, lon: 151.21, city: "Sydney", country: "AU"},
		// Neighbours that share only a common word.
		{id: "w1", org: "Northside", name: "Shelter", lat: 45.50, lon: -73.57, city: "Montreal", country: "CA"},
		{id: "w2", org: "Riverbend", name: "Shelter", lat: 45.51, lon: -73.57, city: "Montreal", country: "CA"},
	}
	// Give f1/f2 different organization ids, as two sources would.
	planted[9].org = "Harbor Light 2"
	planted[9].name = "Survivor support"
	for _, f := range planted {
		recs = append(recs, FromService(f.service()))
	}
	pairs := Find(recs, Options{})
	byKey := map[[2]string]Pair{}
	for _, p := range pairs {
		if p.A >= p.B {
			t.Fatalf("pair %s, %s is not in id order", p.A, p.B)
		}
		byKey[Key(p.A, p.B)] = p
	}
	for _, c := range []struct {
		a, b  string
		codes []string
	}{
		{"p1", "p2", []string{ReasonPhone}},
		{"u1", "u2", []string{ReasonURL}},
		{"i1", "i2", []string{ReasonIdentifier}},
		{"n1", "n2", []string{ReasonName}},
	} {
		p, ok := byKey[Key(c.a, c.b)]
		if !ok {
			t.Errorf("%s and %s were not paired", c.a, c.b)
			continue
		}
		if got := reasonCodes(p); !slices.Equal(got, c.codes) {
			t.Errorf("%s and %s: reasons %v, want %v (%+v)", c.a, c.b, got, c.codes, p.Reasons)
		}
		if p.Score <= 0 || p.Score > 1 {
			t.Errorf("%s and %s: score %v", c.a, c.b, p.Score)
		}
	}
	for _, k := range [][2]string{Key("f1", "f2"), Key("w1", "w2")} {
		if p, ok := byKey[k]; ok {
			t.Errorf("%s and %s were paired: %+v", k[0], k[1], p.Reasons)
		}
	}
	// Planted services meet nothing of the background but what they share.
	for _, p := range pairs {
		if strings.Contains(p.A+p.B, "-") && (len(p.A) < 4) != (len(p.B) < 4) {
			t.Errorf("planted and sample services paired: %+v", p)
		}
	}
	// Best first, and deterministic.
	if !slices.IsSortedFunc(pairs, func(a, b Pair) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.A+"\x00"+a.B, b.A+"\x00"+b.B)
	}) {
		t.Error("pairs are not best first, then by ids")
	}
	if again := Find(recs, Options{}); !slices.EqualFunc(pairs, again, func(a, b Pair) bool {
		return a.A == b.A && a.B == b.B && a.Score == b.Score && slices.Equal(a.Reasons, b.Reasons)
	}) {
		t.Error("two runs gave different pairs")
	}

	// Curators' "not the same" and the minimum score leave pairs out.
	fewer := Find(recs, Options{MinScore: 0.65, Distinct: map[[2]string]bool{Key("n1", "n2"): true}})
	for _, p := range fewer {
		if p.Score < 0.65 || Key(p.A, p.B) == Key("n1", "n2") {
			t.Errorf("pair %+v should have been left out", p)
		}
	}
}

func TestSampleOnlyWithSample(t *testing.T) {
	a := fake{id: "a", org: "A", name: "Shelter", phone: "+12125550199", lat: 40.7, lon: -74, city: "New York", country: "US"}.service()
	b := fake{id: "b", org: "B", name: "Shelter", phone: "+12125550199", lat: 40.7, lon: -74, city: "New York", country: "US"}.service()
	b.XSample = nil
	if pairs := Find([]Record{FromService(a), FromService(b)}, Options{}); len(pairs) != 0 {
		t.Errorf("a real and a sample service were paired: %+v", pairs)
	}
}

func TestSameOrganizationNeedsName(t *testing.T) {
	a := fake{id: "a", org: "A", name: "Legal aid", phone: "+12125550199", lat: 40.7, lon: -74, city: "New York", country: "US"}
	b := a
	b.id, b.name = "b", "Shelter"
	if pairs := Find([]Record{FromService(a.service()), FromService(b.service())}, Options{}); len(pairs) != 0 {
		t.Errorf("two services of one organization sharing its phone were paired: %+v", pairs)
	}
	b.name = "Legal aid clinic"
	if pairs := Find([]Record{FromService(a.service()), FromService(b.service())}, Options{}); len(pairs) != 1 {
		t.Errorf("one organization's twice-listed service was not paired: %+v", pairs)
	}
}

func TestNormalizeURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://www.Example.org/Help/", "example.org/help"},
		{"http://example.org", "example.org"},
		{"example.org/a?x=1#top", "example.org/a"},
		{"https://example.org:8443/index.html", "example.org"},
		{"mailto:someone@example.org", ""},
		{"", ""},
		{"not a url", ""},
	} {
		if got := NormalizeURL(c.in); got != c.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNameSimilarity(t *testing.T) {
	for _, c := range []struct {
		a, b     string
		min, max float64
	}{
		{"Casa Esperanza", "casa esperanza", 1, 1},
		{"Casa Esperanza", "Esperanza Casa", 1, 1},
		{"Casa de la Esperanza", "Casa Esperanza", 1, 1}, // stop words
		{"Niñas Seguras", "Ninas Seguras", 1, 1},
		{"Harbor Light Shelter", "Harbour Light Shelter", 0.6, 0.95},
		{"Legal clinic", "Food pantry", 0, 0.1},
	} {
		if got := NameSimilarity(c.a, c.b); got < c.min || got > c.max {
			t.Errorf("NameSimilarity(%q, %q) = %.2f, want %.2f..%.2f", c.a, c.b, got, c.min, c.max)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://www.example.org/a/", "example.org", "http://[::1]:80/x", "https://ex ample.org", "\x00", "http://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := NormalizeURL(s)
		if strings.Contains(u, "://") || strings.ContainsAny(u, " ?#") {
			t.Errorf("NormalizeURL(%q) = %q", s, u)
		}
	})
}

func FuzzNameSimilarity(f *testing.F) {
	f.Add("Casa Esperanza", "Casa de la Esperanza")
	f.Add("", "\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		s, r := NameSimilarity(a, b), NameSimilarity(b, a)
		if s < 0 || s > 1 || s != r {
			t.Errorf("NameSimilarity(%q, %q) = %v, reversed %v", a, b, s, r)
		}
	})
}

// BenchmarkFind matches 100,000 sample services against each other (the
// figure in BENCHMARKS.md). Reading them into records is timed apart.
func BenchmarkFind(b *testing.B) {
	const n = 100_000
	var svcs []*hsds.Service
	if err := sample.Services(n, 1, func(s *hsds.Service) error {
		svcs = append(svcs, s)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	recs := make([]Record, len(svcs))
	for i, s := range svcs {
		recs[i] = FromService(s)
	}
	b.Run("records", func(b *testing.B) {
		for b.Loop() {
			for i, s := range svcs {
				recs[i] = FromService(s)
			}
		}
	})
	b.Run("find", func(b *testing.B) {
		var pairs []Pair
		cpu := cpuTime()
		for b.Loop() {
			pairs = Find(recs, Options{})
		}
		b.ReportMetric(float64(len(pairs)), "pairs")
		b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	})
}

// TestNearAtEveryLatitude: two services of the same name 4.6 km apart east
// to west are paired at the equator's latitude and far from it, where a
// grid cell is narrower than NearKm (they were missed above about 26°).
func TestNearAtEveryLatitude(t *testing.T) {
	for _, lat := range []float64{0, 29.8, 45, 52.5, 70} {
		dlon := 4.6 / (111.32 * math.Cos(lat*math.Pi/180))
		place := func(lon float64) []Place { return []Place{{Lat: lat, Lon: lon, HasCoords: true, Country: "XX"}} }
		a := Record{ID: "a", OrgID: "oa", Name: "Harbor Refuge Legal Clinic", OrgName: "Harbor Refuge", Places: place(10)}
		b := Record{ID: "b", OrgID: "ob", Name: "Harbor Refuge Legal Clinic", OrgName: "Harbor Refuge", Places: place(10 + dlon)}
		if pairs := Find([]Record{a, b}, Options{}); len(pairs) != 1 {
			t.Errorf("at %v°: %d pairs of one name 4.6 km apart, want 1", lat, len(pairs))
		}
	}
}
