package haven

import (
	"context"
	"errors"
)

// Issue 19 §4: a search that finds nothing says why and what would find
// something, rather than leave the visitor at a dead end.

// Relaxation says how many services a search would find without one of
// its filters.
type Relaxation struct {
	// Param is the query parameter to drop: q, category, state, country,
	// language or radius.
	Param string `json:"param"`
	Total int    `json:"total"`
}

// DeadEnd is what a search that found nothing can offer instead.
type DeadEnd struct {
	// Nearest are the nearest matching services beyond the radius, when
	// the search had one; they carry their distance.
	Nearest []DirectoryHit
	// Without lists, for each filter that excludes everything, how many
	// services the search finds without it (those finding some only).
	Without []Relaxation
}

// maxNearestBeyond bounds the services shown beyond a radius.
const maxNearestBeyond = 5

// FindDeadEnd works out a DeadEnd for filter f, which found nothing:
// the nearest services beyond its radius, and the count each filter's
// removal gives. It asks search a few small questions (no facets, one
// result each) and returns nil when there is nothing to offer.
func FindDeadEnd(ctx context.Context, search DirectorySearcher, f DirectoryFilter) (*DeadEnd, error) {
	f.Facets, f.Offset = nil, 0
	var d DeadEnd
	if f.Near != nil && f.RadiusKm > 0 {
		g := f
		g.RadiusKm, g.Sort, g.Limit = 0, SortDistance, maxNearestBeyond
		res, err := search.SearchDirectory(ctx, g)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			if h.DistanceKm != nil { // services without a place say nothing of distance
				d.Nearest = append(d.Nearest, h)
			}
		}
	}
	drops := []struct {
		param string
		drop  func(*DirectoryFilter) bool
	}{
		{"q", func(g *DirectoryFilter) bool { ok := g.Query != ""; g.Query = ""; return ok }},
		{"category", func(g *DirectoryFilter) bool {
			ok := g.Category != "" || g.TaxonomyTermID != ""
			g.Category, g.TaxonomyTermID = "", ""
			return ok
		}},
		{"state", func(g *DirectoryFilter) bool { ok := g.State != ""; g.State = ""; return ok }},
		{"country", func(g *DirectoryFilter) bool { ok := g.Country != ""; g.Country = ""; return ok }},
		{"language", func(g *DirectoryFilter) bool { ok := g.Language != ""; g.Language = ""; return ok }},
		{"radius", func(g *DirectoryFilter) bool { ok := g.RadiusKm > 0; g.RadiusKm = 0; return ok }},
	}
	for _, dr := range drops {
		g := f
		g.Limit = 1
		if !dr.drop(&g) {
			continue
		}
		if dr.param == "radius" && len(d.Nearest) > 0 {
			continue // the nearest beyond the radius say it better
		}
		res, err := search.SearchDirectory(ctx, g)
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == EINVALID {
				continue
			}
			return nil, err
		}
		if res.Total > 0 {
			d.Without = append(d.Without, Relaxation{Param: dr.param, Total: res.Total})
		}
	}
	if len(d.Nearest) == 0 && len(d.Without) == 0 {
		return nil, nil
	}
	return &d, nil
}
