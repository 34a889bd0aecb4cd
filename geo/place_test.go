package geo

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		in      string
		kind    PlaceKind
		label   string // in English
		country string
		choices []string // some of an ambiguous name's choices
		err     error
	}{
		{in: "Houston", kind: KindCity, label: "Houston, TX", country: "US"},
		{in: "Houston, TX", kind: KindCity, label: "Houston, TX"},
		{in: "houston tx", kind: KindCity, label: "Houston, TX"},
		{in: "Houston, MO", kind: KindCity, label: "Houston, MO"},
		{in: "San Antonio Texas", kind: KindCity, label: "San Antonio, TX"},
		{in: "Texas", kind: KindState, label: "Texas", country: "US"},
		{in: "Nueva York", kind: KindState, label: "New York"},
		{in: "New York", kind: KindCity, label: "New York City, NY"},
		{in: "New York, NY", kind: KindCity, label: "New York City, NY"},
		{in: "Washington, DC", kind: KindCity, label: "Washington, DC"},
		{in: "Washington", choices: []string{"Washington, DC", "Washington state"}},
		{in: "Washington state", kind: KindState, label: "Washington"},
		{in: "estado de Texas", kind: KindState, label: "Texas"},
		{in: "Springfield, MO", kind: KindCity, label: "Springfield, MO"},
		{in: "Springfield, Missouri", kind: KindCity, label: "Springfield, MO"},
		{in: "Springfield", choices: []string{"Springfield, IL", "Springfield, MO", "Springfield, MA"}},
		{in: "Portland", choices: []string{"Portland, OR", "Portland, ME"}},
		{in: "Guadalajara", kind: KindCity, label: "Guadalajara, Jalisco, Mexico", country: "MX"},
		{in: "Guadalajara, Spain", kind: KindCity, country: "ES"},
		{in: "Guadalajara, Jalisco, México", kind: KindCity, label: "Guadalajara, Jalisco, Mexico"},
		{in: "Toronto", kind: KindCity, label: "Toronto, Ontario, Canada", country: "CA"},
		{in: "Toronto, OH", kind: KindCity, label: "Toronto, OH"},
		{in: "Harris County, TX", kind: KindCounty, label: "Harris County, TX"},
		{in: "condado de Harris, Texas", kind: KindCounty, label: "Harris County, TX"},
		{in: "Harris County", choices: []string{"Harris County, TX", "Harris County, GA"}},
		{in: "Mexico", kind: KindCountry, label: "Mexico", country: "MX"},
		{in: "méxico", kind: KindCountry, country: "MX"},
		{in: "St. Louis", kind: KindCity, label: "St. Louis, MO"},
		{in: "Bogotá", kind: KindCity, country: "CO"},
		{in: "77002", kind: KindZIP, label: "77002", country: "US"},
		{in: "77002-1234", kind: KindZIP, label: "77002"},
		{in: "29.76,-95.37", kind: KindPoint, label: "29.76,-95.37"},
		{in: "00000", err: ErrUnknownPlace},
		{in: "Qwxyzville", err: ErrUnknownPlace},
		{in: "", err: ErrUnknownPlace},
		{in: ",,,", err: ErrUnknownPlace},
	}
	for _, tt := range tests {
		p, err := Resolve(tt.in)
		var amb *AmbiguousError
		switch {
		case tt.err != nil:
			if !errors.Is(err, tt.err) {
				t.Errorf("Resolve(%q) = %+v, %v; want %v", tt.in, p, err, tt.err)
			}
		case tt.choices != nil:
			if !errors.As(err, &amb) {
				t.Errorf("Resolve(%q) = %+v, %v; want choices", tt.in, p, err)
				continue
			}
			var labels []string
			for _, c := range amb.Choices {
				labels = append(labels, c.ChoiceLabel())
				// Every choice's label finds that place alone.
				if back, err := Resolve(c.ChoiceLabel()); err != nil || back.Label("en") != c.Label("en") {
					t.Errorf("choice %q resolves to %q, %v", c.ChoiceLabel(), back.Label("en"), err)
				}
			}
			for _, want := range tt.choices {
				if !strings.Contains(strings.Join(labels, "|"), want) {
					t.Errorf("Resolve(%q) choices %v lack %q", tt.in, labels, want)
				}
			}
		case err != nil:
			t.Errorf("Resolve(%q): %v", tt.in, err)
		default:
			if p.Kind != tt.kind || (tt.label != "" && p.Label("en") != tt.label) || (tt.country != "" && p.Country != tt.country) {
				t.Errorf("Resolve(%q) = %s %q in %s; want %s %q in %s", tt.in, p.Kind, p.Label("en"), p.Country, tt.kind, tt.label, tt.country)
			}
			if p.Kind != KindCountry && (!p.HasPoint || !p.Point.Valid()) {
				t.Errorf("Resolve(%q) has no valid point: %+v", tt.in, p)
			}
		}
	}
	// Bad coordinates say why.
	if _, err := Resolve("91,0"); err == nil || !strings.Contains(err.Error(), "latitude") {
		t.Errorf("Resolve(91,0): %v", err)
	}
}

func TestHoustonIsNearItsZIP(t *testing.T) {
	city, err := Resolve("Houston")
	if err != nil {
		t.Fatal(err)
	}
	county, err := Resolve("Harris County, TX")
	if err != nil {
		t.Fatal(err)
	}
	zip, _ := LookupZIP("77002")
	for name, p := range map[string]Point{"city": city.Point, "county": county.Point} {
		if d := DistanceKm(p, zip); d > 30 {
			t.Errorf("Houston's %s centre is %.0f km from 77002", name, d)
		}
	}
}

func TestSubdivisions(t *testing.T) {
	tests := []struct {
		in, country, want string
		ok                bool
	}{
		{"TX", "", "TX", true},
		{"tx", "US", "TX", true},
		{"Texas", "", "TX", true},
		{"US-TX", "", "TX", true},
		{"Luisiana", "", "LA", true},
		{"BC", "CA", "CA-BC", true},
		{"CA-BC", "", "CA-BC", true},
		{"ca-bc", "CA", "CA-BC", true},
		{"British Columbia", "", "CA-BC", true},
		{"Jalisco", "", "MX-JAL", true},
		{"jalisco", "MX", "MX-JAL", true},
		{"CA-BC", "MX", "", false},
		{"Narnia", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseSubdivision(tt.in, tt.country)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSubdivision(%q, %q) = %q, %v; want %q, %v", tt.in, tt.country, got, ok, tt.want, tt.ok)
		}
	}
	for code, want := range map[[2]string]string{
		{"TX", "en"}: "Texas", {"LA", "es"}: "Luisiana", {"CA-BC", "en"}: "British Columbia",
		{"MX-JAL", "es"}: "Jalisco", {"MX-CMX", "en"}: "Ciudad de México", {"ZZ-QQ", "en"}: "ZZ-QQ",
	} {
		if got := SubdivisionName(code[0], code[1]); got != want {
			t.Errorf("SubdivisionName(%q, %q) = %q, want %q", code[0], code[1], got, want)
		}
	}
}

// TestGazetteerTables checks the embedded tables decode and hold what
// SOURCE.md says.
func TestGazetteerTables(t *testing.T) {
	g := gazetteer()
	var cities, counties int
	for _, p := range g.places {
		if !p.Point.Valid() || p.Name == "" || p.Country == "" {
			t.Fatalf("bad place %+v", p)
		}
		switch p.Kind {
		case KindCity:
			cities++
		case KindCounty:
			counties++
		}
	}
	if cities != 36284 || counties != 3221 {
		t.Errorf("%d cities and %d counties; SOURCE.md says 36,284 and 3,221", cities, counties)
	}
	subdivisionTable()
	if len(subNames) != 3715 {
		t.Errorf("%d subdivisions; SOURCE.md says 3,715", len(subNames))
	}
}

func placeSeeds(tb testing.TB) []string {
	f, err := os.Open("testdata/places.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func FuzzResolve(f *testing.F) {
	for _, s := range placeSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Resolve(s)
		var amb *AmbiguousError
		switch {
		case errors.As(err, &amb):
			if len(amb.Choices) < 2 || len(amb.Choices) > maxChoices {
				t.Fatalf("Resolve(%q) offers %d choices", s, len(amb.Choices))
			}
		case err != nil:
		case p.Kind == KindCountry:
			if !ValidCountry(p.Country) {
				t.Fatalf("Resolve(%q) = country %q", s, p.Country)
			}
		case p.Kind == KindState:
			// A state filters by its code; territories without counties
			// in the table have no centre.
			if _, ok := StateByCode(p.Region); !ok {
				t.Fatalf("Resolve(%q) = state %q", s, p.Region)
			}
		case !p.HasPoint || !p.Point.Valid():
			t.Fatalf("Resolve(%q) = %+v without a valid point", s, p)
		}
	})
}

func FuzzParseSubdivision(f *testing.F) {
	for _, s := range []string{"TX", "Texas", "CA-BC", "BC", "Jalisco", "US-ZZ", "-", "ca-", "ÉÉ"} {
		f.Add(s, "")
		f.Add(s, "CA")
	}
	f.Fuzz(func(t *testing.T, s, country string) {
		code, ok := ParseSubdivision(s, country)
		if ok && SubdivisionName(code, "en") == code {
			t.Fatalf("ParseSubdivision(%q, %q) = %q, which has no name", s, country, code)
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	gazetteer()
	for b.Loop() {
		for _, s := range []string{"Houston", "Springfield", "San Antonio Texas", "Qwxyzville"} {
			Resolve(s)
		}
	}
}

// TestChoicesResolveBack: for names many places share, every choice
// offered names one place that Resolve finds again, alone.
func TestChoicesResolveBack(t *testing.T) {
	g := gazetteer()
	var names []string
	for k, idx := range g.cities {
		if len(idx) >= 3 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	checked := 0
	for i, name := range names {
		if i%7 != 0 { // a spread of them keeps the test quick
			continue
		}
		_, err := Resolve(name)
		var amb *AmbiguousError
		if !errors.As(err, &amb) {
			continue
		}
		for _, c := range amb.Choices {
			checked++
			back, err := Resolve(c.ChoiceLabel())
			if err != nil || back.Label("en") != c.Label("en") {
				t.Errorf("%q: choice %q resolves to %q, %v", name, c.ChoiceLabel(), back.Label("en"), err)
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d choices checked", checked)
	}
}
