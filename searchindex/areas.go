package searchindex

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
)

// Served areas, as sqlstore's prepareServed finds them (see haven's
// servicearea.go): a search with a place also finds the services that
// serve it without a place of their own matching it, and pages them in
// with haven.PageServed. Replaced and removed documents stay in these sets
// until the next rebuild, as in the posting lists: every use intersects
// with a set of live documents.

// areaIndex holds the documents of each served area.
type areaIndex struct {
	country   map[string]*roaring.Bitmap // a whole country, by country
	state     map[string]*roaring.Bitmap // a whole state, by state
	county    map[string]*roaring.Bitmap // a county, by "state/county" (see PointPlace)
	inState   map[string]*roaring.Bitmap // a state or a county of it, by state
	inCountry map[string]*roaring.Bitmap // a country, or a state or county of it, by country
	polys     []polyArea
	remote    *roaring.Bitmap // documents with a virtual location
	coords    *roaring.Bitmap // documents with a place with coordinates
}

type polyArea struct {
	doc   uint32
	area  haven.ServedArea // for its bounding box
	shape haven.AreaShape
}

func addTo(m *map[string]*roaring.Bitmap, key string, n uint32) {
	if *m == nil {
		*m = map[string]*roaring.Bitmap{}
	}
	b := (*m)[key]
	if b == nil {
		b = roaring.New()
		(*m)[key] = b
	}
	b.Add(n)
}

// addAreas files document n's areas, its virtual location and whether it
// has coordinates.
func (x *index) addAreas(n uint32, e *entry) {
	a := &x.areas
	if a.remote == nil {
		a.remote, a.coords = roaring.New(), roaring.New()
	}
	if e.remote {
		a.remote.Add(n)
	}
	for _, p := range e.places {
		if p.Lat != nil && p.Lon != nil {
			a.coords.Add(n)
			break
		}
	}
	for _, ar := range e.areas {
		switch ar.Kind {
		case haven.AreaCountry:
			addTo(&a.country, ar.Country, n)
			addTo(&a.inCountry, ar.Country, n)
		case haven.AreaState:
			addTo(&a.state, ar.State, n)
			addTo(&a.inState, ar.State, n)
			addTo(&a.inCountry, ar.Country, n)
		case haven.AreaCounty:
			addTo(&a.county, ar.State+"/"+ar.County, n)
			addTo(&a.inState, ar.State, n)
			addTo(&a.inCountry, ar.Country, n)
		case haven.AreaPolygon:
			if shape, err := haven.ParseAreaGeometry(ar.Geometry); err == nil {
				a.polys = append(a.polys, polyArea{n, ar, shape})
			}
		}
	}
}

// served returns the documents a search with a place finds because they
// serve it: of nonPlace (those matching every filter but the place ones,
// once narrowed by extra), those matching each place filter by a place or
// an area, and the point by an area, that local (those found by their
// places) leaves out — or, without a radius, that have no coordinates.
// nil when there are none.
//
// Every served document has an area matching one of the place filters
// (by its places alone it would be local): those few are found first from
// the area sets, and every other set is intersected with them, so that no
// set of the size of the directory is copied.
func (x *index) served(f haven.DirectoryFilter, nonPlace, local *roaring.Bitmap, extra ...*roaring.Bitmap) *roaring.Bitmap {
	if !f.HasPlace() || f.Served == haven.ServedNone || x.areas.remote == nil {
		return nil
	}
	a := &x.areas
	var nearAreas, stateAreas, countryAreas []*roaring.Bitmap
	if f.Near != nil {
		at := haven.LocatePoint(*f.Near)
		if at.Country != "" {
			nearAreas = append(nearAreas, a.country[at.Country])
		}
		if at.State != "" {
			nearAreas = append(nearAreas, a.state[at.State])
		}
		if at.County != "" {
			nearAreas = append(nearAreas, a.county[at.State+"/"+at.County])
		}
		var polys *roaring.Bitmap
		for _, pa := range a.polys {
			if pa.area.InBounds(*f.Near) && pa.shape.Contains(*f.Near) {
				if polys == nil {
					polys = roaring.New()
				}
				polys.Add(pa.doc)
			}
		}
		nearAreas = append(nearAreas, polys)
	}
	if f.State != "" {
		stateAreas = []*roaring.Bitmap{a.inState[f.State], a.country[haven.CountryOfState(f.State)]}
	}
	if f.Country != "" {
		countryAreas = []*roaring.Bitmap{a.inCountry[f.Country]}
	}
	var cand *roaring.Bitmap
	for _, b := range append(append(slices.Clone(nearAreas), stateAreas...), countryAreas...) {
		if b == nil {
			continue
		}
		if part := roaring.And(b, nonPlace); cand == nil {
			cand = part
		} else {
			cand.Or(part)
		}
	}
	if cand == nil || cand.IsEmpty() {
		return nil
	}
	for _, b := range extra {
		if b != nil {
			cand.And(b)
		}
	}
	// Those its places find already are local: most often all of them (a
	// statewide service in its state), so they go first.
	if f.Near != nil && f.RadiusKm == 0 {
		found := roaring.And(cand, local)
		found.And(a.coords)
		cand.AndNot(found)
	} else {
		cand.AndNot(local)
	}
	if cand.IsEmpty() {
		return nil
	}
	// Each place filter: by an area, or (state and country) by a place.
	keep := func(areas []*roaring.Bitmap, byPlace *roaring.Bitmap) {
		u := roaring.New()
		for _, b := range append(areas, byPlace) {
			if b != nil {
				u.Or(roaring.And(cand, b))
			}
		}
		cand = u
	}
	if f.Near != nil {
		keep(nearAreas, nil)
	}
	facetSet := func(k int, v string) *roaring.Bitmap {
		if id, ok := x.facets[k].ids[v]; ok {
			return x.facets[k].sets[id]
		}
		return nil
	}
	if f.State != "" {
		keep(stateAreas, facetSet(facetState, f.State))
	}
	if f.Country != "" {
		keep(countryAreas, facetSet(facetCountry, f.Country))
	}
	if cand.IsEmpty() {
		return nil
	}
	return cand
}

// isRemote reports whether document n has a virtual location.
func (x *index) isRemote(n uint32) bool { return x.areas.remote != nil && x.areas.remote.Contains(n) }
