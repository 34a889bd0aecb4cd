package geo

import (
	"math"
	"strings"
	"sync"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"unicode"
)

// Which state holds a point, without state boundaries: Haven embeds no
// polygons of the states, only the ZIP centroids (zip.go), and each ZIP's
// first three digits name its state (the U.S. Postal Service assigns them
// by state). A point is taken to lie in the state of the nearest ZIP
// centroid, when one lies within LocateMaxKm; beyond that it is taken to
// lie outside the United States, or somewhere Haven cannot tell.
//
// Near a state line the nearest centroid may be across it, and near the
// borders with Mexico and Canada a point just outside the country may be
// given the state across the border: the answer is right for nearly every
// point people live at, and wrong near borders. It only decides whether a
// service serving a whole state (or the whole country) is shown as serving
// a searched point, never a distance.

// LocateMaxKm is how far the nearest ZIP centroid may lie from a point
// that LocateState places in its state: ZCTAs in the rural West are tens
// of kilometres across.
const LocateMaxKm = 40.0

// locateGrid files the ZIP centroids by whole degree, for LocateState.
type locateGrid struct {
	cells map[[2]int16][]int32 // index into the ZIP table
}

var (
	locateOnce sync.Once
	locateData locateGrid
)

func locateLoaded() *locateGrid {
	locateOnce.Do(func() {
		t := zipsLoaded()
		g := locateGrid{cells: map[[2]int16][]int32{}}
		for i := range t.zips {
			k := [2]int16{int16(math.Floor(float64(t.lat[i]) / zipScale)), int16(math.Floor(float64(t.lon[i]) / zipScale))}
			g.cells[k] = append(g.cells[k], int32(i))
		}
		locateData = g
	})
	return &locateData
}

// LocateState returns the USPS code of the U.S. state, DC or territory
// holding p, by the nearest ZIP centroid within LocateMaxKm (see above),
// and false when there is none that near.
func LocateState(p Point) (string, bool) {
	if !p.Valid() {
		return "", false
	}
	t, g := zipsLoaded(), locateLoaded()
	la, lo := int16(math.Floor(p.Lat)), int16(math.Floor(p.Lon))
	best, bestKm := -1, math.Inf(1)
	// 40 km is less than a degree of latitude, and less than one of
	// longitude below 68°N; farther north, look two cells either way.
	span := int16(1)
	if math.Abs(p.Lat) > 60 {
		span = 3
	}
	for dla := int16(-1); dla <= 1; dla++ {
		for dlo := -span; dlo <= span; dlo++ {
			for _, i := range g.cells[[2]int16{la + dla, lo + dlo}] {
				d := DistanceKm(p, Point{float64(t.lat[i]) / zipScale, float64(t.lon[i]) / zipScale})
				// Ties go to the lower ZIP, so that the answer never
				// depends on the order cells are read.
				if d < bestKm || d == bestKm && int(i) < best {
					best, bestKm = int(i), d
				}
			}
		}
	}
	if best < 0 || bestKm > LocateMaxKm {
		return "", false
	}
	return StateOfZIP(t.zips[best])
}

// zipPrefixes maps the first three digits of a ZIP code to its state: each
// entry covers the prefixes from its own to the next entry's, less one.
// From the U.S. Postal Service's assignment of three-digit prefixes (its
// Publication 65 and the National Five-Digit ZIP Code directory); the
// military prefixes (090–099, 340, 962–966) have no state.
var zipPrefixes = []struct {
	from  uint32
	state string
}{
	{5, "NY"}, {6, "PR"}, {8, "VI"}, {9, "PR"}, {10, "MA"}, {28, "RI"}, {30, "NH"}, {39, "ME"},
	{50, "VT"}, {55, "MA"}, {56, "VT"}, {60, "CT"}, {70, "NJ"}, {90, ""}, {100, "NY"}, {150, "PA"},
	{197, "DE"}, {200, "DC"}, {201, "VA"}, {202, "DC"}, {206, "MD"}, {220, "VA"}, {247, "WV"},
	{270, "NC"}, {290, "SC"}, {300, "GA"}, {320, "FL"}, {340, ""}, {341, "FL"}, {350, "AL"},
	{370, "TN"}, {386, "MS"}, {398, "GA"}, {400, "KY"}, {430, "OH"}, {460, "IN"}, {480, "MI"},
	{500, "IA"}, {530, "WI"}, {550, "MN"}, {569, "DC"}, {570, "SD"}, {580, "ND"}, {590, "MT"},
	{600, "IL"}, {630, "MO"}, {660, "KS"}, {680, "NE"}, {700, "LA"}, {716, "AR"}, {730, "OK"},
	{733, "TX"}, {734, "OK"}, {750, "TX"}, {800, "CO"}, {820, "WY"}, {832, "ID"}, {840, "UT"},
	{850, "AZ"}, {870, "NM"}, {885, "TX"}, {889, "NV"}, {900, "CA"}, {962, ""}, {967, "HI"},
	{969, "GU"}, {970, "OR"}, {980, "WA"}, {995, "AK"}, {1000, ""},
}

// StateOfZIP returns the state of a five-digit ZIP code given as a number
// (from its first three digits, with the few five-digit exceptions of the
// Pacific territories), and false for military and unassigned prefixes.
func StateOfZIP(zip uint32) (string, bool) {
	switch {
	case zip == 96799:
		return "AS", true
	case zip >= 96950 && zip <= 96952:
		return "MP", true
	}
	prefix := zip / 100
	state := ""
	for _, e := range zipPrefixes {
		if e.from > prefix {
			break
		}
		state = e.state
	}
	return state, state != ""
}

// CountryByName returns the ISO 3166-1 alpha-2 code of a country named in
// English or Spanish, or by its code, matched without regard to case,
// accents or a leading "the"; false when no country has that name.
func CountryByName(name string) (string, bool) {
	k := FoldName(name)
	k = strings.TrimPrefix(k, "the ")
	if c, ok := countryAliases[k]; ok {
		return c, true
	}
	if c := normCountry(name); c != "" {
		if _, ok := countryTable()[c]; ok {
			return c, true
		}
	}
	c, ok := countryNameIndex()[k]
	return c, ok
}

// countryAliases are names people write for countries beyond the table's.
var countryAliases = map[string]string{
	"usa": "US", "u s": "US", "u s a": "US", "united states of america": "US", "america": "US",
	"eeuu": "US", "ee uu": "US", "estados unidos de america": "US",
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB",
	"mexico": "MX", "republica mexicana": "MX", "estados unidos mexicanos": "MX",
}

var (
	countryByNameOnce sync.Once
	countryByName     map[string]string
)

func countryNameIndex() map[string]string {
	countryByNameOnce.Do(func() {
		countryByName = map[string]string{}
		for code, n := range countryTable() {
			for _, name := range []string{n.en, n.es} {
				countryByName[strings.TrimPrefix(FoldName(name), "the ")] = code
			}
		}
	})
	return countryByName
}

// StateByName returns the U.S. state, DC or territory named in English or
// Spanish, or by its USPS code, matched without regard to case, accents
// or punctuation.
func StateByName(name string) (State, bool) {
	if s, ok := StateByCode(name); ok {
		return s, true
	}
	i, ok := stateNameIndex()[FoldName(name)]
	if !ok {
		return State{}, false
	}
	return states[i], true
}

var (
	stateNamesOnce sync.Once
	stateNames     map[string]int // folded name → index in states
)

func stateNameIndex() map[string]int {
	stateNamesOnce.Do(func() {
		stateNames = map[string]int{}
		for i, s := range states {
			stateNames[FoldName(s.Name)] = i
			stateNames[FoldName(s.NameES)] = i
			if s.Code == "DC" {
				for _, alias := range []string{"washington dc", "washington d c", "district of columbia", "distrito de columbia"} {
					stateNames[alias] = i
				}
			}
		}
	})
	return stateNames
}

// FoldName lower-cases s, drops accents, turns punctuation into spaces
// and collapses runs of spaces: "Nuevo  León," becomes "nuevo leon".
func FoldName(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if folded, _, err := transform.String(t, s); err == nil {
		s = folded
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '’' {
			continue // "People's" folds as "peoples"
		}
		space = true
	}
	return b.String()
}
