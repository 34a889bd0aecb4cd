// Package geo holds Haven's offline geographic reference data and helpers:
// U.S. ZIP code centroids, great-circle distances and bounding boxes, U.S.
// states and territories with a tile-grid layout, and ISO 3166-1 country
// names in English and Spanish.
//
// Everything is embedded in the binary and needs no network. The ZIP table
// is decoded lazily on first use; see SOURCE.md for where it comes from and
// how to regenerate it.
package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// EarthRadiusKm is the mean Earth radius (IUGG R1) used by DistanceKm and
// BoundingBox.
const EarthRadiusKm = 6371.0088

// Point is a position in decimal degrees (WGS 84).
type Point struct {
	Lat, Lon float64
}

// Valid reports whether p is a real position: latitude in [-90, 90],
// longitude in [-180, 180], neither NaN. The comparisons are written so
// that NaN fails them.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// String formats p as "lat,lon", the form ParseLatLon accepts.
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// Radians converts degrees to radians.
func Radians(deg float64) float64 { return deg * math.Pi / 180 }
func degrees(rad float64) float64 { return rad * 180 / math.Pi }

// DistanceKm returns the great-circle distance between a and b in
// kilometres, by the haversine formula on a sphere of radius EarthRadiusKm.
// The spherical model is within about 0.5% of the ellipsoid, well inside
// the uncertainty of a ZIP centroid.
func DistanceKm(a, b Point) float64 {
	lat1, lat2 := Radians(a.Lat), Radians(b.Lat)
	sinDLat := math.Sin((lat2 - lat1) / 2)
	sinDLon := math.Sin(Radians(b.Lon-a.Lon) / 2)
	h := sinDLat*sinDLat + math.Cos(lat1)*math.Cos(lat2)*sinDLon*sinDLon
	// Rounding can push h a hair above 1 for antipodal points, and Asin
	// of anything above 1 is NaN.
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// boxPadDeg widens every box edge a little, so a point exactly radiusKm away
// is not lost to floating-point rounding when compared with an edge. It is
// about 0.1 mm on the ground.
const boxPadDeg = 1e-9

// BoundingBox returns a latitude/longitude box that contains every point
// within radiusKm of p, for a cheap pre-filter (e.g. an indexed SQL range
// query) before the exact DistanceKm check.
//
// The box is the tightest one of its kind, with two exceptions that keep it
// a single, non-wrapping range: if the circle reaches a pole, the latitude
// is clamped to ±90 and the longitude range is the full -180..180 (every
// meridian meets the pole); if the longitude range would cross the
// antimeridian (±180), it is also widened to the full -180..180, so callers
// never need to split the query in two. A negative or NaN radius counts as
// zero; an invalid p gives the whole world.
func BoundingBox(p Point, radiusKm float64) (minLat, minLon, maxLat, maxLon float64) {
	if !p.Valid() {
		return -90, -180, 90, 180
	}
	if !(radiusKm > 0) { // also catches NaN
		radiusKm = 0
	}
	d := radiusKm / EarthRadiusKm // angular radius in radians
	dLat := degrees(d) + boxPadDeg
	minLat, maxLat = p.Lat-dLat, p.Lat+dLat
	if minLat <= -90 || maxLat >= 90 {
		return max(minLat, -90), -180, min(maxLat, 90), 180
	}
	// The widest longitude reached by a circle of angular radius d centred
	// at latitude lat is asin(sin d / cos lat) — not d / cos lat, which
	// is too small for large circles. Because the circle stops short of
	// both poles here, |lat| + d < 90° and the ratio is below 1.
	ratio := math.Sin(d) / math.Cos(Radians(p.Lat))
	if ratio >= 1 {
		return minLat, -180, maxLat, 180
	}
	dLon := degrees(math.Asin(ratio)) + boxPadDeg
	minLon, maxLon = p.Lon-dLon, p.Lon+dLon
	if minLon < -180 || maxLon > 180 {
		return minLat, -180, maxLat, 180
	}
	return minLat, minLon, maxLat, maxLon
}

// errLatLonShape is returned by ParseLatLon for anything that is not two
// comma-separated parts. Its wording names the "near" query parameter
// because that is where Haven's users type these.
var errLatLonShape = errors.New(`near must be "lat,lon"`)

// ParseLatLon parses "lat,lon" in decimal degrees, e.g. "40.75,-73.99".
// Spaces around either number are allowed. Only plain decimal numbers are
// accepted (no hex, NaN or Inf), and the result is always Valid.
func ParseLatLon(s string) (Point, error) {
	latStr, lonStr, ok := strings.Cut(s, ",")
	if !ok || strings.Contains(lonStr, ",") {
		return Point{}, errLatLonShape
	}
	lat, err := parseDegrees("latitude", latStr, 90)
	if err != nil {
		return Point{}, err
	}
	lon, err := parseDegrees("longitude", lonStr, 180)
	if err != nil {
		return Point{}, err
	}
	return Point{Lat: lat, Lon: lon}, nil
}

// parseDegrees parses one coordinate and checks it against ±limit.
func parseDegrees(what, s string, limit float64) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errLatLonShape
	}
	// strconv.ParseFloat also takes "NaN", "Inf", hex floats and
	// underscores; none of them belong in a coordinate, so allow only the
	// characters of a plain decimal number.
	if strings.Trim(s, "0123456789.+-eE") != "" {
		return 0, fmt.Errorf("%s %q is not a number", what, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s %q is not a number", what, s)
	}
	// ErrRange means ±Inf ("1e999"), which the range check reports.
	if v < -limit || v > limit {
		return 0, fmt.Errorf("%s %s is out of range %g..%g", what, s, -limit, limit)
	}
	if v == 0 {
		v = 0 // drop the sign of "-0"
	}
	return v, nil
}
