package geo

import (
	"math"
	"strings"
	"sync"
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

// locateCell is the size, in degrees, of the cells LocateState files the
// ZIP centroids under: a dense city's cell holds a few dozen.
const locateCell = 0.1

// locateGrid files the ZIP centroids by cell, for LocateState.
type locateGrid struct {
	cells map[[2]int32][]int32 // index into the ZIP table
}

var (
	locateOnce sync.Once
	locateData locateGrid
)

func locateKey(lat, lon float64) [2]int32 {
	return [2]int32{int32(math.Floor(lat / locateCell)), int32(math.Floor(lon / locateCell))}
}

func locateLoaded() *locateGrid {
	locateOnce.Do(func() {
		t := zipsLoaded()
		g := locateGrid{cells: map[[2]int32][]int32{}}
		for i := range t.zips {
			k := locateKey(float64(t.lat[i])/zipScale, float64(t.lon[i])/zipScale)
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
	c := locateKey(p.Lat, p.Lon)
	// Candidates are compared by the equirectangular approximation (in
	// squared hundred-thousandths of a degree, east-west ones shrunk by the
	// cosine of p's latitude), as good as the haversine over a few dozen
	// kilometres and far cheaper; the best is then measured exactly.
	best, bestD := -1, math.Inf(1)
	plat, plon, cosLat := p.Lat*zipScale, p.Lon*zipScale, math.Cos(Radians(p.Lat))
	visit := func(la, lo int32) {
		for _, i := range g.cells[[2]int32{la, lo}] {
			dy, dx := float64(t.lat[i])-plat, (float64(t.lon[i])-plon)*cosLat
			d := dx*dx + dy*dy
			// Ties go to the lower ZIP, so that the answer never
			// depends on the order cells are read.
			if d < bestD || d == bestD && int(i) < best {
				best, bestD = int(i), d
			}
		}
	}
	bestKm := math.Inf(1)
	// Rings of cells around p's, until nothing outside them can be nearer
	// than the best found, or lie within LocateMaxKm. Outside ring r a
	// point is at least r cells away in latitude or in longitude; a cell
	// is narrowest east to west at the ring's edge nearest a pole.
	for r := int32(0); ; r++ {
		for la := c[0] - r; la <= c[0]+r; la++ {
			if la == c[0]-r || la == c[0]+r {
				for lo := c[1] - r; lo <= c[1]+r; lo++ {
					visit(la, lo)
				}
			} else {
				visit(la, c[1]-r)
				visit(la, c[1]+r)
			}
		}
		edge := math.Min(89.9, math.Abs(p.Lat)+float64(r+1)*locateCell)
		bound := float64(r) * locateCell * (math.Pi / 180) * EarthRadiusKm * math.Cos(Radians(edge))
		if best >= 0 {
			bestKm = DistanceKm(p, Point{float64(t.lat[best]) / zipScale, float64(t.lon[best]) / zipScale})
		}
		// The approximation may rank a point just outside the rings
		// before one inside: a kilometre of margin keeps the answer exact.
		if bestKm+1 <= bound || bound > LocateMaxKm || r > 400 {
			break
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
	countryNameOnce sync.Once
	countryNameIdx  map[string]string
)

func countryNameIndex() map[string]string {
	countryNameOnce.Do(func() {
		countryNameIdx = map[string]string{}
		for code, n := range countryTable() {
			for _, name := range []string{n.en, n.es} {
				countryNameIdx[strings.TrimPrefix(FoldName(name), "the ")] = code
			}
		}
	})
	return countryNameIdx
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
	stateNameIdxOnce sync.Once
	stateNameIdx     map[string]int // folded name → index in states
)

func stateNameIndex() map[string]int {
	stateNameIdxOnce.Do(func() {
		stateNameIdx = map[string]int{}
		for i, s := range states {
			stateNameIdx[FoldName(s.Name)] = i
			stateNameIdx[FoldName(s.NameES)] = i
			if s.Code == "DC" {
				for _, alias := range []string{"washington dc", "washington d c", "district of columbia", "distrito de columbia"} {
					stateNameIdx[alias] = i
				}
			}
		}
	})
	return stateNameIdx
}

// FoldName lower-cases s, drops accents, turns punctuation into spaces
// and collapses runs of spaces: "Nuevo  León," becomes "nuevo leon", and
// "People's" "peoples".
func FoldName(s string) string { return fold(s, false) }
