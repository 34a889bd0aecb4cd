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
// service is, then nearest first, then by name — as sqlstore's bestOrder.
//
// Within one rank (number of words in the name) the score only falls with
// distance, so the order within a rank is nearest first. The page so
// needs no more than the skip+take nearest of each rank: those are found
// as nearest-first pages find them (the grid for a large set), and only
// they are scored and sorted.
func (x *index) pageBest(set *roaring.Bitmap, q analyze.Query, p geo.Point, skip, take int) []uint32 {
	// atLeast[j]: the documents whose name holds at least j query words,
	// as in pageByRank.
	m := len(q)
	heads := make([]*roaring.Bitmap, m)
	for i, g := range q {
		heads[i] = x.union(x.heads, g)
	}
	atLeast := wordsAtLeast(set, heads)
	type scored struct {
		near
		score int
	}
	keep := skip + take
	var all []scored
	for rank := m; rank >= 0; rank-- {
		level := atLeast[rank]
		if level == nil || level.IsEmpty() {
			continue
		}
		if atLeast[rank+1] != nil {
			level = roaring.AndNot(level, atLeast[rank+1])
		}
		for _, e := range x.nearestSorted(level, p, keep) {
			all = append(all, scored{e, haven.BestScore(rank, e.dist, !math.IsInf(e.dist, 1))})
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return x.compare(a.doc, b.doc)
	})
	if skip >= len(all) {
		return nil
	}
	all = all[skip:min(keep, len(all))]
	out := make([]uint32, len(all))
	for i, e := range all {
		out[i] = e.doc
	}
	return out
}

// nearestSorted returns the keep documents of set nearest p (those
// without coordinates last), in order, choosing between the grid and
// measuring everything as pageByDistance does.
func (x *index) nearestSorted(set *roaring.Bitmap, p geo.Point, keep int) []near {
	compare := func(a, b near) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return x.compare(a.doc, b.doc)
	}
	n := int(set.GetCardinality())
	var ns []near
	// A rank's level is a part of a keyword search's set: the grid pays
	// off for smaller sets than pageByDistance asks (measured).
	if uint64(n) >= x.small && keep*16 < n {
		ns = x.nearest(set, p, keep)
	}
	if ns == nil {
		return x.byDistance(set, p, keep, compare)
	}
	slices.SortFunc(ns, compare)
	return ns[:min(keep, len(ns))]
}
