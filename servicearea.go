package haven

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"haven/geo"
	"haven/hsds"
)

// Services that serve an area rather than (or besides) the places they
// stand at: a statewide legal line, a national hotline, online counselling.
// HSDS says where a service is available in its service_areas, as free
// text (name) or as a shape (extent, with extent_type). Haven resolves each
// to a ServedArea when the service is imported or edited, stores that form
// beside the original (which stays as written, and is what the HSDS API and
// exports return), and searches with it:
//
//   - A search with a place (near, postcode) finds a service serving the
//     point: a whole country, state or U.S. county holding it (see
//     LocatePoint; Haven has no boundaries, so a point's state and county
//     are approximate near their lines), or a polygon holding it.
//   - A state filter finds a service serving that state, or part of it (a
//     county in it), or its whole country. A country filter finds a
//     service serving that country or any part of it named by state or
//     county. A polygon has no state or country: only points match it.
//   - Such a service is "served" in the results (DirectoryHit.Served) when
//     no place of its own matches the search: it has no distance, and takes
//     a bounded share of each page (see PageServed).
//
// An area Haven cannot resolve is kept with the problem (ServedArea.
// Problem), shown to curators, and never guessed at.

// The kinds of ServedArea.
const (
	AreaCountry = "country" // a whole country ("Nationwide", "United States", "MX")
	AreaState   = "state"   // a U.S. state ("Texas", "TX") or an ISO 3166-2 subdivision ("MX-JAL")
	AreaCounty  = "county"  // a U.S. county ("Harris County, TX")
	AreaPolygon = "polygon" // a GeoJSON Polygon or MultiPolygon in extent
)

// ServedArea is a service area resolved to a place Haven can search. Kind
// is "" when it could not be resolved, and Problem then says why.
type ServedArea struct {
	AreaID string // the HSDS service_area's id
	Kind   string
	// Country is set for every kind but polygons; State (as in
	// DirectoryFilter.State) for states and counties; County, for
	// counties, is the county's name folded (geo.FoldName) without the
	// word "county".
	Country, State, County string
	// Geometry is a polygon's GeoJSON geometry, as Haven re-encodes it;
	// the Min/Max fields are its bounding box, in degrees.
	Geometry                       string
	MinLat, MinLon, MaxLat, MaxLon float64
	// Label is the area as written: its name, else its text extent.
	Label   string
	Problem string
}

// AreaHome is where a service's own places are, for areas that name no
// place of their own ("Statewide", "Nationwide"): the one state and the
// one country all its places share, "" when they do not share one.
type AreaHome struct{ Country, State string }

// Limits on a GeoJSON extent, so that one service cannot make every search
// slow.
const (
	maxExtentLen    = 200_000
	maxExtentPoints = 10_000
)

// ResolveServiceArea resolves one HSDS service area. It never fails: an
// area it cannot resolve comes back with Kind "" and the Problem, in
// English, naming the area.
func ResolveServiceArea(a hsds.ServiceArea, home AreaHome) ServedArea {
	out := ServedArea{AreaID: a.ID, Label: strings.TrimSpace(a.Name)}
	extentType := strings.ToLower(strings.TrimSpace(a.ExtentType))
	if out.Label == "" && (extentType == "text" || extentType == "") {
		out.Label = strings.TrimSpace(a.Extent)
	}
	if strings.TrimSpace(a.Extent) != "" && extentType == "geojson" {
		shape, err := ParseAreaGeometry(a.Extent)
		if err != nil {
			out.Problem = fmt.Sprintf("service area %s: extent is not a GeoJSON polygon Haven can use: %v", a.ID, err)
			return out
		}
		out.Kind, out.Geometry = AreaPolygon, shape.String()
		out.MinLat, out.MinLon, out.MaxLat, out.MaxLon = shape.Bounds()
		return out
	}
	if out.Label == "" {
		out.Problem = fmt.Sprintf("service area %s has no name and no GeoJSON extent to say where it is.", a.ID)
		if extentType == "topojson" || extentType == "kml" {
			out.Problem = fmt.Sprintf("service area %s: Haven reads GeoJSON extents only, not %s; give the area a name (a state, a country or \"Nationwide\") or a GeoJSON polygon.", a.ID, extentType)
		}
		return out
	}
	r, problem := resolveAreaText(out.Label, home)
	if problem != "" {
		out.Problem = fmt.Sprintf("service area %s: %s", a.ID, problem)
		return out
	}
	r.AreaID, r.Label = out.AreaID, out.Label
	return r
}

// Words that say how much of a place is served, left out before the place
// is looked up; "nationwide" and "statewide" words also stand for the
// service's own country or state when no place is named.
var (
	areaFiller = map[string]bool{
		"entire": true, "whole": true, "all": true, "the": true, "of": true, "throughout": true,
		"across": true, "serving": true, "serves": true, "served": true, "entero": true, "entera": true,
		"todo": true, "toda": true, "el": true, "la": true, "los": true, "las": true, "en": true,
		"area": true, "region": true, "only": true, "anywhere": true, "in": true, "wide": true,
		"de": true, "del": true, "a": true, "nivel": true, "residents": true, "within": true,
	}
	areaNationwide = map[string]bool{"nationwide": true, "countrywide": true, "national": true, "nacional": true,
		"country": true, "pais": true, "nationally": true}
	areaStatewide   = map[string]bool{"statewide": true, "state": true, "estado": true, "estatal": true}
	areaCountyWords = map[string]bool{"county": true, "parish": true, "borough": true, "condado": true}
)

// resolveAreaText resolves an area written as text, or says why it cannot.
func resolveAreaText(text string, home AreaHome) (ServedArea, string) {
	if c, ok := isoSubdivision(strings.TrimSpace(text)); ok {
		return ServedArea{Kind: AreaState, Country: c, State: strings.ToUpper(strings.TrimSpace(text))}, ""
	}
	if r, ok := areaByName(text); ok {
		return r, ""
	}
	folded := geo.FoldName(text)
	words := strings.Fields(folded)
	if len(words) > 12 {
		return ServedArea{}, fmt.Sprintf("%q is too long to be the name of a place; give a state, a country or \"Nationwide\".", truncate(text, 40))
	}
	// A county: "Harris County, TX", "Harris County Texas", "Condado de Harris".
	for i, w := range words {
		if !areaCountyWords[w] {
			continue
		}
		name, rest := words[:i], words[i+1:]
		if w == "condado" {
			name, rest = words[i+1:], nil
			if len(name) > 0 && (name[0] == "de" || name[0] == "del") {
				name = name[1:]
			}
		}
		name = trimCountyFiller(name)
		if len(name) == 0 {
			break
		}
		state := home.State
		if len(rest) > 0 {
			st, ok := geo.StateByName(strings.Join(trimFiller(rest), " "))
			if !ok {
				return ServedArea{}, fmt.Sprintf("%q names a county, but Haven cannot tell in which U.S. state.", text)
			}
			state = st.Code
		}
		if state == "" || len(state) != 2 {
			return ServedArea{}, fmt.Sprintf("%q names a county without its state, and the service's places are not all in one U.S. state: write it as \"Harris County, TX\".", text)
		}
		return ServedArea{Kind: AreaCounty, Country: "US", State: state, County: strings.Join(name, " ")}, ""
	}
	var nationwide, statewide bool
	var core []string
	for _, w := range words {
		switch {
		case areaNationwide[w]:
			nationwide = true
		case areaStatewide[w]:
			statewide = true
		case areaFiller[w]:
		default:
			core = append(core, w)
		}
	}
	if len(core) > 0 {
		if r, ok := areaByName(strings.Join(core, " ")); ok {
			return r, ""
		}
		return ServedArea{}, fmt.Sprintf("Haven cannot tell which place %q names: write a U.S. state, a country, \"Nationwide\", a county (\"Harris County, TX\"), or give a GeoJSON polygon in extent.", truncate(text, 80))
	}
	switch {
	case nationwide && home.Country != "":
		return ServedArea{Kind: AreaCountry, Country: home.Country}, ""
	case nationwide:
		return ServedArea{}, fmt.Sprintf("%q says nationwide, but not which nation, and the service's places are not all in one country: write \"Nationwide, United States\" or the country's name.", text)
	case statewide && home.State != "":
		return ServedArea{Kind: AreaState, Country: countryOfState(home.State), State: home.State}, ""
	case statewide:
		return ServedArea{}, fmt.Sprintf("%q says statewide, but not which state, and the service's places are not all in one state: write the state's name.", text)
	}
	return ServedArea{}, fmt.Sprintf("Haven cannot tell which place %q names.", truncate(text, 80))
}

// countyFiller are the words left out of a county's name: fewer than
// areaFiller, since "La Salle" and "Los Angeles" are names.
var countyFiller = map[string]bool{"the": true, "all": true, "of": true, "entire": true, "whole": true,
	"serving": true, "serves": true, "throughout": true, "in": true, "residents": true, "across": true}

func trimCountyFiller(words []string) []string {
	for len(words) > 0 && countyFiller[words[0]] {
		words = words[1:]
	}
	for len(words) > 0 && countyFiller[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return words
}

func trimFiller(words []string) []string {
	for len(words) > 0 && areaFiller[words[0]] {
		words = words[1:]
	}
	for len(words) > 0 && areaFiller[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return words
}

// areaByName resolves the name of a U.S. state or of a country.
func areaByName(name string) (ServedArea, bool) {
	if st, ok := geo.StateByName(name); ok {
		return ServedArea{Kind: AreaState, Country: "US", State: st.Code}, true
	}
	if c, ok := geo.CountryByName(name); ok {
		return ServedArea{Kind: AreaCountry, Country: c}, true
	}
	return ServedArea{}, false
}

// isoSubdivision reports whether s is an ISO 3166-2 code of a known
// country other than the U.S. ("MX-JAL"), and returns the country.
func isoSubdivision(s string) (string, bool) {
	s = strings.ToUpper(s)
	if !isStateCode(s) || len(s) < 4 || !geo.ValidCountry(s[:2]) || s[:2] == "US" {
		return "", false
	}
	return s[:2], true
}

// countryOfState returns the country of a state code as DirectoryFilter
// holds it: two letters are a U.S. state, "MX-CMX" is in MX.
func countryOfState(state string) string {
	if len(state) == 2 {
		return "US"
	}
	if len(state) > 3 && state[2] == '-' {
		return state[:2]
	}
	return ""
}

// CountryOfState is countryOfState for other packages: the country a
// state filter's state is in, "" for a malformed one.
func CountryOfState(state string) string { return countryOfState(state) }

// AreaShape is a polygon area, parsed.
type AreaShape struct {
	mp orb.MultiPolygon
}

// ParseAreaGeometry reads a GeoJSON Polygon or MultiPolygon geometry, or a
// Feature holding one, with coordinates in longitude, latitude order.
func ParseAreaGeometry(s string) (AreaShape, error) {
	if len(s) > maxExtentLen {
		return AreaShape{}, fmt.Errorf("longer than %d characters", maxExtentLen)
	}
	// orb's own geojson package would bring MongoDB's BSON library with
	// it; two geometry types are quickly read with encoding/json.
	var g struct {
		Type        string          `json:"type"`
		Geometry    json.RawMessage `json:"geometry"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal([]byte(s), &g); err != nil {
		return AreaShape{}, fmt.Errorf("not JSON: %v", err)
	}
	if g.Type == "Feature" {
		if len(g.Geometry) == 0 || string(g.Geometry) == "null" {
			return AreaShape{}, fmt.Errorf("a Feature without a geometry")
		}
		g.Type, g.Coordinates = "", nil
		if err := json.Unmarshal(g.Geometry, &g); err != nil {
			return AreaShape{}, fmt.Errorf("the Feature's geometry is not JSON: %v", err)
		}
	}
	var mp orb.MultiPolygon
	switch g.Type {
	case "Polygon":
		var rings [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return AreaShape{}, fmt.Errorf("a Polygon's coordinates must be rings of [longitude, latitude] pairs")
		}
		mp = orb.MultiPolygon{toPolygon(rings)}
	case "MultiPolygon":
		var polys [][][][2]float64
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return AreaShape{}, fmt.Errorf("a MultiPolygon's coordinates must be polygons of rings of [longitude, latitude] pairs")
		}
		for _, rings := range polys {
			mp = append(mp, toPolygon(rings))
		}
	case "":
		return AreaShape{}, fmt.Errorf("no geometry type")
	default:
		return AreaShape{}, fmt.Errorf("a %.40q, not a Polygon or MultiPolygon", g.Type)
	}
	if len(mp) == 0 {
		return AreaShape{}, fmt.Errorf("no polygon")
	}
	n := 0
	for _, poly := range mp {
		if len(poly) == 0 {
			return AreaShape{}, fmt.Errorf("a polygon without rings")
		}
		for _, ring := range poly {
			if len(ring) < 4 {
				return AreaShape{}, fmt.Errorf("a ring of %d points: a ring needs at least 4, the last one the first again", len(ring))
			}
			for _, p := range ring {
				if !(geo.Point{Lat: p[1], Lon: p[0]}).Valid() {
					return AreaShape{}, fmt.Errorf("point [%g, %g] is not a longitude and latitude", p[0], p[1])
				}
			}
			n += len(ring)
		}
	}
	if n > maxExtentPoints {
		return AreaShape{}, fmt.Errorf("%d points: at most %d", n, maxExtentPoints)
	}
	return AreaShape{mp: mp}, nil
}

func toPolygon(rings [][][2]float64) orb.Polygon {
	p := make(orb.Polygon, len(rings))
	for i, r := range rings {
		p[i] = make(orb.Ring, len(r))
		for j, pt := range r {
			p[i][j] = orb.Point(pt)
		}
	}
	return p
}

// String is the shape's GeoJSON geometry, a MultiPolygon.
func (a AreaShape) String() string {
	b, _ := json.Marshal(struct {
		Type        string           `json:"type"`
		Coordinates orb.MultiPolygon `json:"coordinates"`
	}{"MultiPolygon", a.mp})
	return string(b)
}

// Bounds returns the shape's bounding box.
func (a AreaShape) Bounds() (minLat, minLon, maxLat, maxLon float64) {
	b := a.mp.Bound()
	return b.Min[1], b.Min[0], b.Max[1], b.Max[0]
}

// Contains reports whether p lies inside the shape (on its edge counts as
// inside), treating longitude and latitude as plane coordinates: right for
// areas of the size services serve, wrong across the 180th meridian.
func (a AreaShape) Contains(p geo.Point) bool {
	return planar.MultiPolygonContains(a.mp, orb.Point{p.Lon, p.Lat})
}

// PolygonContains reports whether a polygon area's stored geometry holds
// p; false for a geometry that does not parse.
func PolygonContains(geometry string, p geo.Point) bool {
	s, err := ParseAreaGeometry(geometry)
	return err == nil && s.Contains(p)
}

// InBounds reports whether p lies in the area's bounding box.
func (a ServedArea) InBounds(p geo.Point) bool {
	return a.MinLat <= p.Lat && p.Lat <= a.MaxLat && a.MinLon <= p.Lon && p.Lon <= a.MaxLon
}

// PointPlace is where a search's point lies, as far as Haven can tell.
type PointPlace struct {
	Country, State string // "" when unknown
	// County is the U.S. county, named as ServedArea.County names it
	// ("harris"), "" when unknown.
	County string
}

// LocatePoint tells which country, state and county hold a point: within
// the United States, the state of the nearest ZIP centroid
// (geo.LocateState, approximate near borders) and the county of that state
// whose centre is nearest (geo.LocateCounty, approximate near county
// lines); elsewhere the country of the nearest town of
// the gazetteer (geo.LocateCountry), with no state, since Haven holds no
// boundaries of other countries. A search near Guadalajara so finds
// Mexico's nationwide services. Every engine asks it, so that all agree.
func LocatePoint(p geo.Point) PointPlace {
	if st, ok := geo.LocateState(p); ok {
		pp := PointPlace{Country: "US", State: st}
		if name, ok := geo.LocateCounty(p, st); ok {
			pp.County = countyKey(name)
		}
		return pp
	}
	if cc, ok := geo.LocateCountry(p); ok {
		return PointPlace{Country: cc}
	}
	return PointPlace{}
}

// The values of DirectoryFilter.Served besides "".
const (
	ServedNone = "none"
	ServedOnly = "only"
)

// HasPlace reports whether a filter names a place (a point, a state or a
// country): only then are services that serve it without being there
// found, and marked served.
func (f DirectoryFilter) HasPlace() bool {
	return f.Near != nil || f.State != "" || f.Country != ""
}

// ServedEvery spaces served services among the local ones: while both
// remain, every ServedEvery-th result is a served one. A national hotline
// or a statewide legal line belongs on the first page of a local search,
// but three in four results stay local, so that the services nearby are
// never pushed off the page by the ones that serve everyone.
const ServedEvery = 4

// servedBefore is how many served results come before position i of the
// merged order of nLocal local and nServed served results.
func servedBefore(i, nLocal, nServed int) int {
	return max(i-nLocal, min(i/ServedEvery, nServed))
}

// PageServed splits a page of the merged order (Offset, Limit; Limit 0
// means to the end) into the ranges of the local and the served results
// it holds, and says, for each position of the page, whether it is a
// served one. Every engine pages with it, so that all order alike.
func PageServed(nLocal, nServed, offset, limit int) (localOff, localN, servedOff, servedN int, isServed []bool) {
	total := nLocal + nServed
	end := total
	if limit > 0 {
		end = min(total, offset+limit)
	}
	if offset >= end {
		return 0, 0, 0, 0, nil
	}
	s0, s1 := servedBefore(offset, nLocal, nServed), servedBefore(end, nLocal, nServed)
	isServed = make([]bool, end-offset)
	for i := offset; i < end; i++ {
		isServed[i-offset] = servedBefore(i+1, nLocal, nServed) > servedBefore(i, nLocal, nServed)
	}
	return offset - s0, (end - s1) - (offset - s0), s0, s1 - s0, isServed
}

// MergeServed puts a page's local and served hits in the order PageServed
// gave, marking the served ones: "remote" when the service is reached by
// phone or online (it has a virtual location), else "area". A served hit
// has no distance: no place of its own matched the search.
func MergeServed(local, served []DirectoryHit, isServed []bool, remote func(serviceID string) bool) []DirectoryHit {
	out := make([]DirectoryHit, 0, len(local)+len(served))
	for _, s := range isServed {
		if s && len(served) > 0 {
			h := served[0]
			served = served[1:]
			h.DistanceKm = nil
			h.Served = "area"
			if remote(h.ServiceID) {
				h.Served = "remote"
			}
			out = append(out, h)
		} else if !s && len(local) > 0 {
			out = append(out, local[0])
			local = local[1:]
		}
	}
	return out
}

// validArea checks a resolved area's fields, for stored forms read back.
func validArea(a ServedArea) bool {
	switch a.Kind {
	case AreaCountry:
		return IsCountryCode(a.Country)
	case AreaState, AreaCounty:
		return IsCountryCode(a.Country) && isStateCode(a.State)
	case AreaPolygon:
		return a.Geometry != "" && !math.IsNaN(a.MinLat)
	}
	return a.Kind == ""
}

// ValidArea reports whether a stored area has the fields its kind needs.
func ValidArea(a ServedArea) bool { return validArea(a) }

// AreaProblem is a service area Haven could not resolve, for curators to
// rewrite.
type AreaProblem struct {
	ServiceID, ServiceName string
	AreaID, Label, Problem string
}

// countyKey names a county of the gazetteer ("Harris County", "Orleans
// Parish") as a resolved area names it: folded, without the word county.
func countyKey(name string) string {
	words := strings.Fields(geo.FoldName(name))
	for i, w := range words {
		if areaCountyWords[w] {
			words = words[:i]
			break
		}
	}
	return strings.Join(trimCountyFiller(words), " ")
}
