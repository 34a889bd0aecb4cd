package http

import (
	"context"
	"math"
	"net/url"
	"strconv"

	"haven"
	"haven/i18n"
)

// Issue 19 on /directory: places by name, with choices when a name is
// ambiguous; distances in miles or kilometres; best match or nearest
// first; and, when nothing is found, what would find something.

// searchPlaceView is what /directory shows of places, units, order and dead
// ends beside its results.
type searchPlaceView struct {
	// PlaceChoices are links to each place an ambiguous name may mean.
	PlaceChoices []chip
	// Units is "mi" or "km"; UnitLinks switch to the other.
	Units     string
	UnitLinks []chip
	// RadiusParam is radius_mi or radius_km, as Units.
	RadiusParam string
	// Sorts are the orders to pick from, when there is a place.
	Sorts []radiusOption
	// SortLabels name Sorts' values.
	SortLabels map[string]string
	Best       bool // results come by best match
	// Beyond says nothing lies within the radius; BeyondCards are the
	// nearest services past it.
	Beyond      string
	BeyondCards []serviceCard
	// Without says which filter to drop and what it would find.
	Without []chip
}

// placeProblem says why the place box could not be read, with a link for
// each place an ambiguous name may mean.
func placeProblem(l *i18n.Localizer, u *url.URL, typed string, pe *haven.ParamError) (string, []chip) {
	if len(pe.Choices) == 0 {
		return l.T("directory.place.unknown", truncate(typed, 60)), nil
	}
	var links []chip
	for _, c := range pe.Choices {
		q := u.Query()
		q.Del("page")
		q.Del("near")
		q.Del("postcode")
		q.Set("place", c)
		links = append(links, chip{c, u.Path + "?" + q.Encode()})
	}
	return l.T("directory.place.ambiguous", truncate(typed, 60)), links
}

// unitDistance writes a distance as the visitor reads it: "27 mi away".
func unitDistance(l *i18n.Localizer, km float64, units string) string {
	return l.T("directory.distance."+units, haven.FormatDistance(km, units))
}

// radiusText writes a radius: "25 miles", "40 km".
func radiusText(l *i18n.Localizer, km float64, units string) string {
	v := km
	if units == "mi" {
		v = km / haven.KmPerMile
	}
	return l.T("directory.radius."+units, strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64))
}

// setDistances writes each card's distance in the visitor's units.
func setDistances(l *i18n.Localizer, cards []serviceCard, hits []haven.DirectoryHit, units string) {
	km := make(map[string]*float64, len(hits))
	for _, h := range hits {
		km[h.ServiceID] = h.DistanceKm
	}
	for i := range cards {
		if d := km[cards[i].ID]; d != nil {
			cards[i].Distance = unitDistance(l, *d, units)
		}
	}
}

// fillPlaceView sets the units, radius choices, orders and, when the
// search found nothing, the dead-end help of a page.
func (s *Server) fillPlaceView(ctx context.Context, l *i18n.Localizer, u *url.URL, f haven.DirectoryFilter, d *directoryData, res *haven.DirectoryResult) error {
	v := &d.PlaceView
	v.Units = haven.DistanceUnits(f, l.Lang)
	v.RadiusParam = "radius_" + v.Units
	d.Radii = d.Radii[:0]
	for _, r := range []string{"5", "10", "25", "50", "100", "250"} {
		n, _ := strconv.ParseFloat(r, 64)
		km := n
		if v.Units == "mi" {
			km = n * haven.KmPerMile
		}
		d.Radii = append(d.Radii, radiusOption{r, f.RadiusKm > 0 && math.Abs(km-f.RadiusKm) < 0.05})
	}
	if d.HasPlace {
		for _, other := range []string{"mi", "km"} {
			if other == v.Units {
				continue
			}
			q := u.Query()
			q.Set("units", other)
			// Keep the radius, in the other unit's parameter.
			if f.RadiusKm > 0 {
				q.Del("radius_km")
				q.Del("radius_mi")
				r := f.RadiusKm
				if other == "mi" {
					r /= haven.KmPerMile
				}
				q.Set("radius_"+other, strconv.FormatFloat(math.Round(r*10)/10, 'f', -1, 64))
			}
			v.UnitLinks = append(v.UnitLinks, chip{l.T("directory.units." + other), u.Path + "?" + q.Encode()})
		}
		v.SortLabels = map[string]string{haven.SortBest: l.T("directory.sort.best"), haven.SortDistance: l.T("directory.sort.distance")}
		eff := f.EffectiveSort()
		for _, o := range []string{haven.SortBest, haven.SortDistance} {
			v.Sorts = append(v.Sorts, radiusOption{o, o == eff})
		}
		v.Best = eff == haven.SortBest && f.Query != ""
	}
	if res.Total > 0 || d.Empty {
		return nil
	}
	de, err := haven.FindDeadEnd(ctx, countedSearch{s}, f)
	if err != nil || de == nil {
		return err
	}
	if len(de.Nearest) > 0 {
		svcs, err := s.Directory.FindServicesByID(ctx, hitIDs(de.Nearest))
		if err != nil {
			return err
		}
		v.Beyond = l.T("directory.beyond", radiusText(l, f.RadiusKm, v.Units))
		v.BeyondCards = hitCards(l, de.Nearest, svcs, s.cardClock())
		setDistances(l, v.BeyondCards, de.Nearest, v.Units)
	}
	for _, w := range de.Without {
		count := l.N("directory.services", w.Total)
		var label, link string
		switch w.Param {
		case "q":
			label, link = l.T("directory.without.q", f.Query, count), withParam(u, "q", "")
		case "radius":
			q := u.Query()
			q.Del("page")
			q.Del("radius_km")
			q.Del("radius_mi")
			label, link = l.T("directory.without.radius", count), u.Path+"?"+q.Encode()
		default:
			label, link = l.T("directory.without", l.T("dirfacet."+w.Param), count), withParam(u, w.Param, "")
		}
		v.Without = append(v.Without, chip{label, link})
	}
	return nil
}

// deadEndBody adds to an API search's answer the place it read, its
// order and units, and, when it found nothing, the nearest services
// beyond the radius and what dropping each filter would find.
func deadEndBody(ctx context.Context, search haven.DirectorySearcher, f haven.DirectoryFilter, lang string, res *haven.DirectoryResult, body *SearchResponse) error {
	body.Sort, body.Units = f.EffectiveSort(), haven.DistanceUnits(f, lang)
	if f.Near == nil && f.Query == "" {
		body.Sort = "name"
	}
	if p := f.Place; p != nil {
		body.Place = &PlaceInfo{Label: p.Label(lang), Kind: string(p.Kind), Country: p.Country}
		if p.HasPoint {
			lat, lon := p.Point.Lat, p.Point.Lon
			body.Place.Latitude, body.Place.Longitude = &lat, &lon
		}
	}
	if res.Total > 0 {
		return nil
	}
	de, err := haven.FindDeadEnd(ctx, search, f)
	if err != nil || de == nil {
		return err
	}
	for _, h := range de.Nearest {
		body.Nearest = append(body.Nearest, searchItem(h))
	}
	body.Without = de.Without
	return nil
}

// clearFacetURL is the link that drops a facet's filter: with it the
// place, when the filter came from a place that is a state or country
// (place=Texas), which would otherwise set it again.
func clearFacetURL(u *url.URL, f haven.DirectoryFilter, name string) string {
	if p := f.Place; p != nil && f.Near == nil && (name == "state" || name == "country") {
		q := u.Query()
		q.Del("page")
		q.Del("place")
		q.Del(name)
		if enc := q.Encode(); enc != "" {
			return u.Path + "?" + enc
		}
		return u.Path
	}
	return withParam(u, name, "")
}
