package haven

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"haven/geo"
	"haven/hsds"
)

// Issue 19: places, units, sort orders and filter values as people write
// them. ParseDirectoryQuery calls these for Haven's own parameters.

// The sort orders of a directory search.
const (
	// SortBest blends how well a service's name matches the words with how
	// near it is (see BestScore).
	SortBest = "best"
	// SortDistance is nearest first.
	SortDistance = "distance"
)

// KmPerMile converts radius_mi and distances shown in miles.
const KmPerMile = 1.609344

// PlaceChoicesError is the EINVALID error for a place name several places
// share: the *ParamError for "place" wraps it, and its choices are labels
// that name each place alone.
type PlaceChoicesError struct {
	Choices []string
}

func (e *PlaceChoicesError) Error() string {
	return "Several places have that name: " + strings.Join(e.Choices, "; ") + ". Say which, for example \"" + e.Choices[0] + "\"."
}

// parsePlaceParams reads where a search looks and how far: place (a ZIP
// code, "lat,lon" or a name), near and postcode (older, still read),
// radius_km or radius_mi; then units and sort.
func parsePlaceParams(q url.Values, f *DirectoryFilter) error {
	near, err := ParsePlace(q.Get("near"), q.Get("postcode"))
	if err != nil {
		return err
	}
	f.Near = near
	if s := strings.TrimSpace(q.Get("place")); s != "" && near == nil {
		if err := resolvePlace(s, f); err != nil {
			return err
		}
	}
	km, mi := q.Get("radius_km"), q.Get("radius_mi")
	name, s, scale := "radius_km", km, 1.0
	switch {
	case km != "" && mi != "":
		return paramErrorf("radius_mi", "Give radius_km or radius_mi, not both.")
	case mi != "":
		name, s, scale = "radius_mi", mi, KmPerMile
	}
	if s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(r) || r <= 0 || r*scale > MaxRadiusKm+1e-9 {
			return paramErrorf(name, "Parameter %s must be a number above 0 and at most %d.", name, int(MaxRadiusKm/scale))
		}
		if f.Near == nil {
			return paramErrorf(name, "Parameter %s needs a place: give place (a town, ZIP code or lat,lon), near=lat,lon or postcode.", name)
		}
		f.RadiusKm = min(r*scale, MaxRadiusKm)
	}
	switch u := q.Get("units"); u {
	case "", "mi", "km":
		f.Units = u
	default:
		return paramErrorf("units", "Parameter units must be mi or km.")
	}
	if f.Units == "" && name == "radius_mi" {
		f.Units = "mi"
	}
	switch s := q.Get("sort"); s {
	case "", SortBest, SortDistance:
		f.Sort = s
	default:
		return paramErrorf("sort", "Parameter sort must be best (best match) or distance (nearest first).")
	}
	return nil
}

// resolvePlace reads a typed place into the filter: a point for a ZIP
// code, coordinates, a city or a county; the state or country filter for a
// state or country.
func resolvePlace(s string, f *DirectoryFilter) error {
	if !validText(s) {
		return paramErrorf("place", "Parameter place must be valid UTF-8 of at most %d characters.", MaxQueryLen)
	}
	p, err := geo.Resolve(s)
	var amb *geo.AmbiguousError
	switch {
	case errors.As(err, &amb):
		choices := make([]string, len(amb.Choices))
		for i, c := range amb.Choices {
			choices[i] = c.ChoiceLabel()
		}
		ce := &PlaceChoicesError{Choices: choices}
		return &ParamError{Param: "place", Err: &Error{Code: EINVALID, Message: ce.Error()}, Choices: choices}
	case errors.Is(err, geo.ErrUnknownPlace):
		return paramErrorf("place", "Haven does not know the place %q. Try a city and state (\"Houston, TX\"), a U.S. ZIP code, a county (\"Harris County, TX\"), a state or country, or lat,lon.", truncate(s, 40))
	case err != nil:
		return paramErrorf("place", "Parameter place: %s.", err.Error())
	}
	f.Place = &p
	switch p.Kind {
	case geo.KindState:
		f.State, f.Country = p.Region, "US"
	case geo.KindCountry:
		f.Country = p.Country
	default:
		pt := p.Point
		f.Near = &pt
	}
	return nil
}

func validText(s string) bool {
	return len(s) <= 4*MaxQueryLen && strings.ToValidUTF8(s, "\uFFFD") == s && len([]rune(s)) <= MaxQueryLen
}

// normalizeFilterValues reads state, country, category and language as
// people type them: "state=BC&country=CA", "CA-BC", "Texas", "Jalisco";
// a category's taxonomy term id as well as its code; a language by code or
// name ("es", "Spanish", "español"). Values it cannot read are left for
// Validate to refuse with its message.
func normalizeFilterValues(f *DirectoryFilter) {
	if f.State != "" {
		if code, ok := geo.ParseSubdivision(f.State, f.Country); ok {
			f.State = code
		} else {
			f.State = strings.ToUpper(f.State)
		}
	}
	if hsds.ValidUUID(f.Category) {
		f.TaxonomyTermID, f.Category = strings.ToLower(f.Category), ""
	}
	if f.Language != "" {
		if code, ok := LanguageCode(f.Language); ok {
			f.Language = code
		} else {
			f.Language = strings.ToLower(f.Language)
		}
	}
}

var (
	langNamesOnce sync.Once
	langNames     map[string]string // folded name → ISO 639-1 code
)

// LanguageCode reads a language as a two-letter code ("es") or by its name
// in English, Spanish or itself ("Spanish", "español", "Espanol").
func LanguageCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 2 && isLetters(s) {
		return strings.ToLower(s), true
	}
	langNamesOnce.Do(func() {
		langNames = map[string]string{}
		namers := []display.Namer{display.English.Languages(), display.Spanish.Languages()}
		for a := byte('a'); a <= 'z'; a++ {
			for b := byte('a'); b <= 'z'; b++ {
				code := string([]byte{a, b})
				base, err := language.ParseBase(code)
				if err != nil || base.String() != code {
					continue
				}
				tag := language.Make(code)
				for _, n := range append(namers, display.Self) {
					if name := n.Name(tag); name != "" {
						if _, taken := langNames[geo.Fold(name)]; !taken {
							langNames[geo.Fold(name)] = code
						}
					}
				}
			}
		}
	})
	code, ok := langNames[geo.Fold(s)]
	return code, ok
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isLower(s[i]) {
			return false
		}
	}
	return true
}

// DistanceUnits says how a search's distances are shown: units= when
// given; else miles for a U.S. place and kilometres for one elsewhere; for
// bare coordinates or no place, miles in English (Haven's visitors are
// mostly in the U.S.) and kilometres in Spanish.
func DistanceUnits(f DirectoryFilter, lang string) string {
	switch {
	case f.Units != "":
		return f.Units
	case f.Place != nil && f.Place.Country == "US":
		return "mi"
	case f.Place != nil && f.Place.Country != "":
		return "km"
	case lang == "es":
		return "km"
	}
	return "mi"
}

// FormatDistance writes a distance in the units given: whole numbers from
// 10 up, one decimal below ("3.4", "27").
func FormatDistance(km float64, units string) string {
	v := km
	if units == "mi" {
		v = km / KmPerMile
	}
	if v >= 9.95 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
}

// EffectiveSort is the order a search uses: the one asked for, else best
// match when there are words to match and nearest first otherwise.
// Nearest first needs a place, and best match without words is by name
// (or nearest first with a place).
func (f DirectoryFilter) EffectiveSort() string {
	hasWords := strings.TrimSpace(f.Query) != ""
	switch {
	case f.Near == nil:
		return SortBest
	case f.Sort != "":
		if f.Sort == SortBest && !hasWords {
			return SortDistance
		}
		return f.Sort
	case hasWords:
		return SortBest
	}
	return SortDistance
}

// BestScore is what best match with a place sorts by, highest first: the
// number of query words the service's name holds, less a step for
// distance (none within 50 km, one within 200 km, two beyond or without
// coordinates). A T-visa clinic 30 miles away (score 1) so comes before a
// general program 5 miles away whose name holds no query word (score 0).
// Ties go nearest first, then by name. SQL and the index share it.
func BestScore(rank int, distKm float64, known bool) int {
	switch {
	case !known:
		return rank - 2
	case distKm <= BestNearKm:
		return rank
	case distKm <= BestFarKm:
		return rank - 1
	}
	return rank - 2
}

// The distance steps of BestScore.
const (
	BestNearKm = 50
	BestFarKm  = 200
)
