package geo

import (
	"math"
	"strings"
)

// PublicCellKm is the least width and height of the grid cells a
// confidential site is snapped to when its postal code gives no centroid.
const PublicCellKm = 5.0

// publicLatStep is the grid's height in degrees: 0.05° is about 5.56 km.
const publicLatStep = 0.05

// PublicPoint returns the point that stands for a confidential site (a
// shelter whose address is secret) wherever distances are measured or
// shown: the centroid of its U.S. ZIP code when the postal code is one Haven
// knows, otherwise the centre of the cell of a fixed grid, at least
// PublicCellKm on each side, that holds the site. ok is false when neither
// is known (no postal code Haven knows and no valid site).
//
// Both answers are deterministic and depend on nothing finer than the
// postal code or the cell, so that distances measured from many places, and
// radius searches repeated as often as one likes, reveal that point and
// nothing closer to the site: there is no noise to average away.
func PublicPoint(site *Point, postcode, country string) (p Point, ok bool) {
	country = strings.ToUpper(strings.TrimSpace(country))
	if country == "" || country == "US" {
		if z, found := LookupZIP(postcode); found {
			return z, true
		}
	}
	if site == nil || !site.Valid() {
		return Point{}, false
	}
	return gridCenter(*site), true
}

// gridCenter returns the centre of the grid cell holding p. Rows are
// publicLatStep high; a row's cells are a whole multiple of publicLatStep
// wide, enough that they are at least PublicCellKm wide at the row's edge
// nearest a pole, where degrees of longitude are shortest.
func gridCenter(p Point) Point {
	row := math.Floor((p.Lat + 90) / publicLatStep)
	south := row*publicLatStep - 90
	north := south + publicLatStep
	edge := math.Max(math.Abs(south), math.Abs(north))
	kmPerDeg := 2 * math.Pi * EarthRadiusKm / 360
	lonStep := 360.0
	if c := math.Cos(Radians(math.Min(edge, 89.9))); c > 0 {
		k := math.Ceil(PublicCellKm / (kmPerDeg * c * publicLatStep))
		lonStep = math.Min(360, k*publicLatStep)
	}
	col := math.Floor((p.Lon + 180) / lonStep)
	lat := south + publicLatStep/2
	lon := col*lonStep - 180 + lonStep/2
	if lon > 180 {
		lon = 180
	}
	return Point{Lat: math.Min(lat, 90), Lon: lon}
}
