package geo

import (
	"math"
	"sync"
)

// LocateCountryMaxKm is how far the nearest town of the gazetteer may lie
// from a point for LocateCountry to name its country. Towns elsewhere are
// those of 15,000 people or more: a point farther than this from all of
// them is at sea, in a desert, or somewhere the answer would be a guess.
const LocateCountryMaxKm = 150.0

// cityCells indexes the gazetteer's towns by one-degree cells, for
// LocateCountry.
var (
	cityCellsOnce sync.Once
	cityCells     map[[2]int16][]int32
)

func cityCell(lat, lon float64) [2]int16 {
	return [2]int16{int16(math.Floor(lat)), int16(math.Floor(lon))}
}

// LocateCountry tells which country holds p: the country of the nearest
// town of the gazetteer (places.csv.gz) within LocateCountryMaxKm. Haven
// holds no boundaries, so near a border the answer is the country of the
// nearer town; ties go to the town listed first, so the answer never
// depends on map order.
func LocateCountry(p Point) (string, bool) {
	if !p.Valid() {
		return "", false
	}
	g := gazetteer()
	cityCellsOnce.Do(func() {
		cityCells = map[[2]int16][]int32{}
		for i, pl := range g.places {
			if pl.Kind == KindCity {
				c := cityCell(pl.Point.Lat, pl.Point.Lon)
				cityCells[c] = append(cityCells[c], int32(i))
			}
		}
	})
	// 150 km is under 1.4 degrees of latitude; east to west a degree
	// shrinks with the cosine of the latitude, so widen the search there.
	dLat := int16(2)
	dLon := int16(2)
	if c := math.Cos(Radians(p.Lat)); c > 0.05 {
		dLon = int16(math.Min(180, math.Ceil(1.4/c)+1))
	} else {
		dLon = 180
	}
	home := cityCell(p.Lat, p.Lon)
	best, bestKm := int32(-1), math.Inf(1)
	for la := home[0] - dLat; la <= home[0]+dLat; la++ {
		for lo := home[1] - dLon; lo <= home[1]+dLon; lo++ {
			wrapped := (int(lo)+180+360)%360 - 180 // across the antimeridian
			for _, i := range cityCells[[2]int16{la, int16(wrapped)}] {
				if d := DistanceKm(p, g.places[i].Point); d < bestKm || d == bestKm && i < best {
					best, bestKm = i, d
				}
			}
		}
	}
	if best < 0 || bestKm > LocateCountryMaxKm {
		return "", false
	}
	return g.places[best].Country, true
}

// LocateCountyMaxKm is how far the centre of the nearest county of the
// state may lie for LocateCounty to name it: the largest counties of the
// West reach this far from their centres.
const LocateCountyMaxKm = 200.0

// LocateCounty tells which county of the U.S. state holds p, as the
// county whose centre (the mean of its ZIP areas' centres) is nearest:
// Haven holds no county boundaries, so near a county line the answer is
// approximate, as the state of a point is near a state line.
func LocateCounty(p Point, state string) (string, bool) {
	if !p.Valid() || state == "" {
		return "", false
	}
	g := gazetteer()
	best, bestKm := -1, math.Inf(1)
	for _, i := range g.statesCounties()[state] {
		if d := DistanceKm(p, g.places[i].Point); d < bestKm {
			best, bestKm = i, d
		}
	}
	if best < 0 || bestKm > LocateCountyMaxKm {
		return "", false
	}
	return g.places[best].Name, true
}

var (
	countiesByStateOnce sync.Once
	countiesByState     map[string][]int
)

// statesCounties lists the gazetteer's counties by state, in file order.
func (g *gazetteerData) statesCounties() map[string][]int {
	countiesByStateOnce.Do(func() {
		countiesByState = map[string][]int{}
		for i, pl := range g.places {
			if pl.Kind == KindCounty {
				countiesByState[pl.Region] = append(countiesByState[pl.Region], i)
			}
		}
	})
	return countiesByState
}
