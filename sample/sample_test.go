package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/geo"
	"haven/hsds"
)

func collect(t testing.TB, n int, seed int64) []*hsds.Service {
	t.Helper()
	var out []*hsds.Service
	if err := Services(n, seed, func(s *hsds.Service) error {
		out = append(out, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func ndjson(t testing.TB, n int, seed int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := Services(n, seed, func(s *hsds.Service) error { return enc.Encode(s) }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var testSeeds = []int64{0, 1, 2, 7, 42, 2026, -5}

func TestDeterministic(t *testing.T) {
	a := ndjson(t, 500, 7)
	b := ndjson(t, 500, 7)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same n and seed differ")
	}
	short := ndjson(t, 137, 7)
	if !bytes.HasPrefix(a, short) {
		t.Fatal("Services(137, 7) is not a prefix of Services(500, 7)")
	}
	if bytes.Equal(a, ndjson(t, 500, 8)) {
		t.Fatal("seeds 7 and 8 give the same data")
	}
}

func TestEmitError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Services(10, 1, func(*hsds.Service) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Fatalf("got %v after %d calls, want stop after 3", err, calls)
	}
	if err := Services(0, 1, func(*hsds.Service) error { t.Fatal("emit called for n = 0"); return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestValid(t *testing.T) {
	for _, seed := range []int64{1, 42} {
		for _, s := range collect(t, 3000, seed) {
			if errs := s.Validate(); len(errs) > 0 {
				t.Fatalf("seed %d, service %s: %v", seed, s.ID, hsds.Errors(errs))
			}
		}
	}
}

// TestIDs checks that every id is a version 5 UUID and that one id names
// one object: objects met again under the same id (shared organizations,
// locations, terms) are identical.
func TestIDs(t *testing.T) {
	seen := map[string]string{}
	check := func(kind, id string, v any) {
		t.Helper()
		if !hsds.ValidUUID(id) || id[14] != '5' || !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("%s id %q is not a version 5 UUID", kind, id)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		k := kind + " " + string(b)
		if old, ok := seen[id]; ok && old != k {
			t.Fatalf("id %s names two different objects:\n%s\n%s", id, old, k)
		}
		seen[id] = k
	}
	for _, s := range collect(t, 5000, 3) {
		o := *s.Organization
		check("organization", o.ID, o)
		for _, p := range o.Phones {
			check("phone", p.ID, p)
		}
		sv := *s
		sv.Organization, sv.ServiceAtLocations, sv.Attributes = nil, nil, nil
		check("service", s.ID, sv)
		for _, sal := range s.ServiceAtLocations {
			check("location", sal.Location.ID, *sal.Location)
			for _, a := range sal.Location.Addresses {
				check("address", a.ID, a)
			}
			for _, a := range sal.Location.Accessibility {
				check("accessibility", a.ID, a)
			}
			sal.Location = nil
			check("service_at_location", sal.ID, sal)
		}
		for _, a := range s.Attributes {
			check("term", a.TaxonomyTerm.ID, *a.TaxonomyTerm)
			a.TaxonomyTerm = nil
			check("attribute", a.ID, a)
		}
		for _, x := range s.Phones {
			check("phone", x.ID, x)
		}
		for _, x := range s.Schedules {
			check("schedule", x.ID, x)
		}
		for _, x := range s.Languages {
			check("language", x.ID, x)
		}
		for _, x := range s.ServiceAreas {
			check("service_area", x.ID, x)
		}
		for _, x := range s.CostOptions {
			check("cost_option", x.ID, x)
		}
		for _, x := range s.RequiredDocuments {
			check("required_document", x.ID, x)
		}
		for _, x := range s.Contacts {
			check("contact", x.ID, x)
		}
	}
}

func TestMarkedAsSample(t *testing.T) {
	for _, s := range collect(t, 3000, 11) {
		o := s.Organization
		if !strings.HasSuffix(o.Name, " (sample)") {
			t.Errorf("organization name %q lacks (sample)", o.Name)
		}
		if o.XSample == nil || !*o.XSample || s.XSample == nil || !*s.XSample {
			t.Errorf("service %s or its organization lacks x_sample: true", s.ID)
		}
		for _, d := range []string{o.Description, s.Description} {
			if !strings.HasPrefix(d, "Sample data, not a real provider. ") {
				t.Errorf("description %q does not say it is sample data", d)
			}
		}
		for _, e := range []string{o.Email, s.Email} {
			if e != "" && !strings.HasSuffix(e, "@example.org") {
				t.Errorf("e-mail %q is not at example.org", e)
			}
		}
		for _, c := range s.Contacts {
			if !strings.HasSuffix(c.Email, "@example.org") {
				t.Errorf("e-mail %q is not at example.org", c.Email)
			}
		}
		for _, u := range []string{o.Website, s.URL} {
			if u != "" && !strings.HasPrefix(u, "https://example.org/") {
				t.Errorf("website %q is not at example.org", u)
			}
		}
		for _, p := range append(append([]hsds.Phone{}, s.Phones...), o.Phones...) {
			fictional := strings.HasPrefix(p.Number, "+1 (") && strings.Contains(p.Number, ") 555-01") && len(p.Number) == len("+1 (713) 555-0142") ||
				!strings.HasPrefix(p.Number, "+1 ") && strings.Contains(p.Number, " 555 01") && len(p.Number) <= len("+380 555 0142")
			if !fictional {
				t.Errorf("phone number %q is not in a fictional range", p.Number)
			}
		}
		if s.XLastVerified < "2024-11-01" || s.XLastVerified > "2026-10-31" || o.XLastVerified < "2024-11-01" || o.XLastVerified > "2026-10-31" {
			t.Errorf("x_last_verified %s / %s outside the 24 months before 2026-11-01", s.XLastVerified, o.XLastVerified)
		}
		lm, err := time.Parse(time.RFC3339, s.LastModified)
		if err != nil || !lm.Before(ReferenceDate()) {
			t.Errorf("last_modified %q is not an RFC 3339 time before the reference date", s.LastModified)
		}
	}
}

// TestCoverage checks what the first 200 services must show, for several
// seeds.
func TestCoverage(t *testing.T) {
	for _, seed := range testSeeds {
		cats := map[string]bool{}
		states := map[string]bool{}
		countries := map[string]bool{}
		text := &strings.Builder{}
		ninas := false
		for _, s := range collect(t, 200, seed) {
			for _, a := range s.Attributes {
				cats[a.TaxonomyTerm.Code] = true
			}
			for _, sal := range s.ServiceAtLocations {
				a := sal.Location.Addresses[0]
				countries[a.Country] = true
				if a.Country == "US" {
					states[a.StateProvince] = true
				}
			}
			for _, x := range []string{s.Name, s.AlternateName, s.Description, s.EligibilityDescription, s.Organization.Name} {
				text.WriteString(x)
				text.WriteByte('\n')
			}
			if s.Attributes[0].TaxonomyTerm.Code == "youth-services" && strings.Contains(s.Name+s.AlternateName, "Niñas") {
				ninas = true
			}
		}
		for _, c := range haven.Categories {
			if !cats[c] {
				t.Errorf("seed %d: category %s missing from the first 200 services", seed, c)
			}
		}
		if !states["PR"] || !states["DC"] || len(states)-2 < 12 {
			t.Errorf("seed %d: first 200 services cover %d U.S. states/DC/PR (%v), want 12 states plus DC and PR", seed, len(states), states)
		}
		if len(countries)-1 < 6 {
			t.Errorf("seed %d: first 200 services cover %d other countries, want at least 6", seed, len(countries)-1)
		}
		all := text.String()
		lower := strings.ToLower(all)
		for _, w := range []string{"counseling", "counselling", "legal", "shelter", "refugio", "niñas"} {
			if !strings.Contains(lower, w) {
				t.Errorf("seed %d: %q does not occur in the first 200 services", seed, w)
			}
		}
		if !strings.Contains(all, "T visa") {
			t.Errorf("seed %d: \"T visa\" does not occur in the first 200 services", seed)
		}
		if !ninas {
			t.Errorf("seed %d: no youth service named with \"Niñas\" in the first 200", seed)
		}
	}
}

func TestPlaces(t *testing.T) {
	for _, p := range places {
		if p.country != "US" {
			if !geo.ValidCountry(p.country) || !strings.HasPrefix(p.region, p.country+"-") {
				t.Errorf("%s: bad country %q or region %q", p.city, p.country, p.region)
			}
			continue
		}
		if _, ok := geo.StateByCode(p.region); !ok {
			t.Errorf("%s: unknown state %q", p.city, p.region)
		}
		for _, z := range p.postal {
			pt, ok := geo.LookupZIP(z)
			if !ok {
				t.Errorf("%s: ZIP %s unknown to geo.LookupZIP", p.city, z)
				continue
			}
			if d := geo.DistanceKm(pt, geo.Point{Lat: p.lat, Lon: p.lon}); d > 15 {
				t.Errorf("%s: ZIP %s is %.1f km from the city centre", p.city, z, d)
			}
		}
	}
	for _, l := range places {
		for _, x := range l.langs {
			if langNames[x.code] == "" {
				t.Errorf("no name for language %q", x.code)
			}
		}
	}
}

func TestLocations(t *testing.T) {
	us, total := 0, 0
	shared := map[string]map[string]bool{} // location id -> service ids
	for _, s := range collect(t, 2000, 5) {
		for _, sal := range s.ServiceAtLocations {
			l := sal.Location
			a := l.Addresses[0]
			if l.LocationType != "physical" || a.AddressType != "physical" || a.Address1 == "" || a.City == "" {
				t.Fatalf("incomplete location %+v", l)
			}
			if a.Country == "US" {
				us++
				if _, ok := geo.LookupZIP(a.PostalCode); !ok {
					t.Errorf("ZIP %s unknown to geo.LookupZIP", a.PostalCode)
				}
			}
			total++
			// Within the jitter of some place of that city.
			ok := false
			for _, p := range places {
				if p.city == a.City && p.region == a.StateProvince {
					ok = geo.DistanceKm(geo.Point{Lat: *l.Latitude, Lon: *l.Longitude}, geo.Point{Lat: p.lat, Lon: p.lon}) <= jitterKm+0.01
				}
			}
			if !ok {
				t.Errorf("location %s at %v,%v is not within %d km of %s", l.ID, *l.Latitude, *l.Longitude, jitterKm, a.City)
			}
			if l.OrganizationID != s.Organization.ID {
				t.Errorf("location %s of another organization", l.ID)
			}
			if shared[l.ID] == nil {
				shared[l.ID] = map[string]bool{}
			}
			shared[l.ID][s.ID] = true
		}
	}
	if f := float64(us) / float64(total); f < 0.65 || f > 0.85 {
		t.Errorf("%.0f%% of locations are in the U.S., want about 75%%", 100*f)
	}
	n := 0
	for _, svcs := range shared {
		if len(svcs) > 1 {
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d locations are shared by several services", n)
	}
}

func TestOrganizationsShared(t *testing.T) {
	sizes := map[string]int{}
	last := ""
	for _, s := range collect(t, 1000, 9) {
		id := s.Organization.ID
		if id != last && sizes[id] > 0 {
			t.Fatalf("organization %s is not consecutive", id)
		}
		sizes[id]++
		last = id
	}
	multi := 0
	for _, n := range sizes {
		if n > 4 {
			t.Errorf("organization with %d services", n)
		}
		if n > 1 {
			multi++
		}
	}
	if len(sizes) < 250 || len(sizes) > 700 || multi < 100 {
		t.Errorf("%d organizations, %d with several services, for 1000 services", len(sizes), multi)
	}
}

func TestStatusMix(t *testing.T) {
	count := map[string]int{}
	for _, s := range collect(t, 1000, 1) {
		count[s.Status]++
	}
	for _, st := range []string{"active", "inactive", "defunct", "temporarily closed"} {
		if count[st] == 0 {
			t.Errorf("no %q service in the first 1000", st)
		}
	}
	if count["active"] < 850 {
		t.Errorf("only %d active services of 1000", count["active"])
	}
}

func TestTaxonomy(t *testing.T) {
	tax, terms := Taxonomy()
	if tax.ID != haven.CategoryTaxonomyID || tax.Name == "" || tax.Description == "" || tax.Version != "1" {
		t.Errorf("taxonomy %+v", tax)
	}
	if errs := tax.Validate(); len(errs) > 0 {
		t.Error(hsds.Errors(errs))
	}
	if len(terms) != len(haven.Categories) {
		t.Fatalf("%d terms for %d categories", len(terms), len(haven.Categories))
	}
	ids := map[string]string{}
	for i, term := range terms {
		if term.Code != haven.Categories[i] || term.TaxonomyID != haven.CategoryTaxonomyID || term.Name == term.Code {
			t.Errorf("term %+v", term)
		}
		if term.ID != TermID(term.Code) || !hsds.ValidUUID(term.ID) {
			t.Errorf("term %s has id %s", term.Code, term.ID)
		}
		if errs := term.Validate(); len(errs) > 0 {
			t.Error(hsds.Errors(errs))
		}
		ids[term.ID] = term.Code
	}
	// Fixed forever: stored data refers to these ids.
	if got := TermID("shelter"); got != "9600a69e-6b93-51bd-8a46-12dd61789369" {
		t.Errorf("TermID(shelter) = %s", got)
	}
	// The services use the same terms.
	for _, s := range collect(t, 300, 4) {
		for _, a := range s.Attributes {
			if ids[a.TaxonomyTermID] != a.TaxonomyTerm.Code || a.LinkID != s.ID || a.LinkEntity != "service" {
				t.Fatalf("attribute %+v", a)
			}
			if d := a.TaxonomyTerm.TaxonomyDetail; d == nil || d.ID != haven.CategoryTaxonomyID {
				t.Fatalf("term %s without its taxonomy", a.TaxonomyTerm.Code)
			}
		}
	}
	// Copies: changing them does not change the next call.
	terms[0].Name = "changed"
	if _, again := Taxonomy(); again[0].Name == "changed" {
		t.Error("Taxonomy returns shared terms")
	}
}

func TestCountrySummaries(t *testing.T) {
	cs := CountrySummaries()
	want := map[string]bool{}
	for _, p := range places {
		if p.country != "US" {
			want[p.country] = true
		}
	}
	if len(cs) != len(want) || len(cs) < 6 {
		t.Fatalf("%d summaries for %d countries", len(cs), len(want))
	}
	for _, c := range cs {
		if !want[c.Country] || !c.Sample || c.Hotlines == nil || len(c.Hotlines) != 0 {
			t.Errorf("summary %+v", c)
		}
		name := geo.CountryName(c.Country, "en")
		if !strings.HasPrefix(c.Summary["en"], "Sample summary.") || !strings.Contains(c.Summary["en"], name) ||
			!strings.Contains(c.Summary["en"], "describes nothing real") {
			t.Errorf("English summary %q", c.Summary["en"])
		}
		if !strings.HasPrefix(c.Summary["es"], "Resumen de ejemplo.") || !strings.Contains(c.Summary["es"], geo.CountryName(c.Country, "es")) ||
			!strings.Contains(c.Summary["es"], "no describe nada real") {
			t.Errorf("Spanish summary %q", c.Summary["es"])
		}
		b, _ := json.Marshal(c)
		if !bytes.Contains(b, []byte(`"hotlines":[]`)) {
			t.Errorf("hotlines not an empty list: %s", b)
		}
	}
}

func TestLanguages(t *testing.T) {
	count := map[string]int{}
	for _, s := range collect(t, 2000, 6) {
		if len(s.Languages) == 0 {
			t.Fatalf("service %s has no language", s.ID)
		}
		hasES := false
		for _, l := range s.Languages {
			count[l.Code]++
			hasES = hasES || l.Code == "es"
		}
		if hasES && s.AlternateName == "" {
			t.Errorf("service %s offered in Spanish has no alternate name", s.ID)
		}
	}
	if count["en"] < 1000 || count["es"] < 800 || len(count) < 20 {
		t.Errorf("language mix %v", count)
	}
}

func BenchmarkServices(b *testing.B) {
	b.ReportAllocs()
	if err := Services(b.N, 1, func(*hsds.Service) error { return nil }); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkServicesJSON(b *testing.B) {
	b.ReportAllocs()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := Services(b.N, 1, func(s *hsds.Service) error {
		buf.Reset()
		return enc.Encode(s)
	}); err != nil {
		b.Fatal(err)
	}
}
