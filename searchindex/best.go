package searchindex

import (
	"cmp"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
	"haven/analyze"
	"haven/geo"
)

// pageBest pages through set by best match with a place (issue 19): by
// haven.BestScore of how many query words each name holds and how near the
// service is, then nearest first, then by name — as sqlstore's
// bestOrder. Every document of set is measured: a keyword search's set is
// small beside the directory.
func (x *index) pageBest(set *roaring.Bitmap, q analyze.Query, p geo.Point, skip, take int) []uint32 {
	heads := make([]*roaring.Bitmap, 0, len(q))
	for _, g := range q {
		if h := x.union(x.heads, g); h != nil {
			heads = append(heads, h)
		}
	}
	type scored struct {
		doc   uint32
		score int
		dist  float64
	}
	rs := make([]scored, 0, set.GetCardinality())
	it := set.Iterator()
	for it.HasNext() {
		d := it.Next()
		e := scored{doc: d, dist: math.Inf(1)}
		for _, pl := range x.placesOf(d) {
			if pl.coords {
				e.dist = min(e.dist, geo.DistanceKm(p, geo.Point{Lat: pl.lat, Lon: pl.lon}))
			}
		}
		rank := 0
		for _, h := range heads {
			if h.Contains(d) {
				rank++
			}
		}
		e.score = haven.BestScore(rank, e.dist, !math.IsInf(e.dist, 1))
		rs = append(rs, e)
	}
	slices.SortFunc(rs, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return x.compare(a.doc, b.doc)
	})
	if skip >= len(rs) {
		return nil
	}
	rs = rs[skip:min(skip+take, len(rs))]
	out := make([]uint32, len(rs))
	for i, r := range rs {
		out[i] = r.doc
	}
	return out
}
