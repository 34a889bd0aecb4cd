package searchindex

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
	"haven/analyze"
	"haven/geo"
)

// What follows mirrors sqlstore's SearchDirectory, clause for clause:
//
//   - a query word matches a service holding any of its forms, and every
//     word must match;
//   - only active and temporarily closed services, unless AllStatuses;
//   - state, country, category and language each keep the services having
//     the value; a radius keeps those with a place within it;
//   - each facet counts, for each of its values, the services matching
//     every filter but the facet's own;
//   - results come nearest first when a place is given, else by how many
//     query words their name holds, then by name and service id (with a
//     place and words, best match blends the two: see best.go); a page is
//     Limit results from Offset, and Limit 0 means all of them.

// empty is a shared empty bitmap, never modified.
var empty = roaring.New()

// defaultSmallSet is the size below which a set is sorted or counted
// document by document rather than through bitmap operations.
const defaultSmallSet = 2048

// search answers a filter that has been validated and that the index
// supports.
func (x *index) search(f haven.DirectoryFilter) *haven.DirectoryResult {
	res := &haven.DirectoryResult{Hits: []haven.DirectoryHit{}, Engine: Engine}
	var want [numFacets]bool // the facets to count
	if len(f.Facets) > 0 {
		res.Facets = make(map[string][]haven.FacetCount, len(f.Facets))
		for _, name := range f.Facets {
			res.Facets[name] = []haven.FacetCount{}
			want[haven.FacetIndex(name)] = true
		}
	}
	q := analyze.ParseQuery(f.Query)
	if strings.TrimSpace(f.Query) != "" && q.Empty() {
		return res // stop words only: SQL answers nothing
	}

	x.mu.RLock()
	defer x.mu.RUnlock()

	// core: the services every filter but the facets' keeps.
	operands := make([]*roaring.Bitmap, 0, len(q)+2)
	for _, g := range q {
		operands = append(operands, x.union(x.post, g))
	}
	var gs []*groupSet // only counting uses them
	if len(f.Facets) > 0 {
		gs = x.groupSets(q, operands, x.baseOf(f.AllStatuses), f.AllStatuses)
	}
	operands = append(operands, x.baseOf(f.AllStatuses))
	core := intersect(operands)
	// Who is served and when apply to services found by their places and
	// to those serving the place alike, as in SQL.
	core = x.who.filter(core, f)
	nonPlace := core    // for served areas (areas.go)
	var inRadius []near // with a radius: every service in it, at its distance
	if f.Near != nil && f.RadiusKm > 0 {
		// Last, so that only the places of services matching the rest
		// are measured.
		core, inRadius = x.within(*f.Near, f.RadiusKm, core)
	}

	var filters [numFacets]*roaring.Bitmap
	for k, v := range [numFacets]string{f.Category, f.State, f.Country, f.Language, f.Population, f.Trafficking} {
		if v == "" {
			continue
		}
		filters[k] = empty
		if id, ok := x.facets[k].ids[v]; ok {
			filters[k] = x.facets[k].sets[id]
		}
	}
	all := core
	for _, fb := range filters {
		if fb != nil {
			all = roaring.And(all, fb)
		}
	}
	res.Total = int(all.GetCardinality())

	// Each facet counts over the services every filter but its own keeps:
	// those with no filter of their own share one set, and one pass.
	var ins [numFacets]*roaring.Bitmap
	for k := range ins {
		ins[k] = all
		if want[k] && filters[k] != nil {
			ins[k] = core
			for j, fb := range filters {
				if j != k && fb != nil {
					ins[k] = roaring.And(ins[k], fb)
				}
			}
		}
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	var done [numFacets]bool
	for k := range ins {
		if done[k] || !want[k] {
			continue
		}
		var kinds []int
		for j := k; j < numFacets; j++ {
			if want[j] && ins[j] == ins[k] {
				kinds, done[j] = append(kinds, j), true
			}
		}
		x.count(ins[k], kinds, f.AllStatuses, sc, gs)
		for _, j := range kinds {
			res.Facets[haven.DirectoryFacets[j]] = x.facetList(j, sc.counts[j])
		}
	}

	// Services serving the place, after the facets: those count the
	// services found by their places, as SQL's do.
	served := x.served(f, nonPlace, all, filters[facetCategory], filters[facetLanguage], filters[facetPopulation], filters[facetTrafficking])
	var servedOff, servedN int
	var isServed []bool
	offset, limit := f.Offset, f.Limit
	if f.Served == haven.ServedOnly {
		all = empty // the services found by their places are left out
		res.Total = 0
		if served == nil {
			return res
		}
	}
	if served != nil {
		if f.Near != nil && f.RadiusKm == 0 {
			all = roaring.AndNot(all, served)
		}
		nLocal := int(all.GetCardinality())
		offset, limit, servedOff, servedN, isServed = haven.PageServed(nLocal, int(served.GetCardinality()), f.Offset, f.Limit)
		res.Total = nLocal + int(served.GetCardinality())
		if limit == 0 {
			offset = nLocal // no local result on this page
		}
	} else if limit == 0 {
		offset, limit = 0, res.Total
	}
	var page []uint32
	switch {
	case offset >= int(all.GetCardinality()):
	case f.Near != nil && !q.Empty() && f.EffectiveSort() == haven.SortBest:
		page = x.pageBest(all, q, *f.Near, offset, limit) // best.go
	case inRadius != nil:
		page = x.pageNearest(all, inRadius, offset, limit)
	case f.Near != nil:
		page = x.pageByDistance(all, *f.Near, offset, limit)
	case !q.Empty():
		page = x.pageByRank(all, q, offset, limit)
	default:
		page = x.pageByName(all, offset, limit, nil)
	}
	res.Hits = x.hits(page, f)
	if served != nil {
		var spage []uint32
		if servedN > 0 {
			if !q.Empty() {
				spage = x.pageByRank(served, q, servedOff, servedN)
			} else {
				spage = x.pageByName(served, servedOff, servedN, nil)
			}
		}
		remote := map[string]bool{}
		for _, n := range spage {
			if x.isRemote(n) {
				remote[x.str(x.docs[n].serviceID)] = true
			}
		}
		res.Hits = haven.MergeServed(res.Hits, x.hits(spage, f), isServed, func(id string) bool { return remote[id] })
	}
	return res
}

// union returns the documents holding any of terms in lists, nil when none
// does. The result may be one of the index's own bitmaps: read only.
func (x *index) union(lists []*roaring.Bitmap, terms []string) *roaring.Bitmap {
	var buf [4]*roaring.Bitmap
	bms := buf[:0]
	for _, t := range terms {
		if id, ok := x.termIDs[t]; ok && lists[id] != nil {
			bms = append(bms, lists[id])
		}
	}
	switch len(bms) {
	case 0:
		return nil
	case 1:
		return bms[0]
	}
	// A word's forms are ORed at every search that has it: keep the
	// unions, until the index changes.
	var kb [128]byte
	key := append(kb[:0], "p"...)
	if &lists[0] == &x.heads[0] {
		key[0] = 'h'
	}
	for _, t := range terms {
		key = append(append(key, ' '), t...)
	}
	x.unions.Lock()
	defer x.unions.Unlock()
	if u, ok := x.unions.m[string(key)]; ok {
		return u
	}
	u := roaring.FastOr(bms...)
	if len(x.unions.m) >= maxUnions {
		clear(x.unions.m)
	}
	x.unions.m[string(key)] = u
	return u
}

// maxUnions bounds how many unions of forms an index keeps (each of at
// most a bitset's size).
const maxUnions = 128

// intersect returns the intersection of bitmaps, a nil one counting as
// empty, smallest first. The result may be one of bms: read only.
func intersect(bms []*roaring.Bitmap) *roaring.Bitmap {
	for _, b := range bms {
		if b == nil {
			return empty
		}
	}
	if len(bms) == 1 {
		return bms[0]
	}
	slices.SortFunc(bms, func(a, b *roaring.Bitmap) int { return cmp.Compare(a.GetCardinality(), b.GetCardinality()) })
	out := roaring.And(bms[0], bms[1]) // no copy of the smallest first
	for _, b := range bms[2:] {
		out.And(b)
	}
	return out
}

// within returns the documents of set with a place within radius km of p:
// the grid cells under the bounding box, then the box and the exact
// distance, as SQL checks them.
//
// It also returns each of those documents at its distance from p: the least
// over its places, as byDistance measures it, since a place outside the
// radius is farther than any inside.
func (x *index) within(p geo.Point, radius float64, set *roaring.Bitmap) (*roaring.Bitmap, []near) {
	minLat, minLon, maxLat, maxLon := geo.BoundingBox(p, radius)
	la0, la1, lo0, lo1 := cell(minLat), cell(maxLat), cell(minLon), cell(maxLon)
	var found []near
	// The haversine's h grows with the distance: compare it with the h of
	// the radius, and leave only a hair's breadth either side to the
	// distance itself, so that the answer is exactly geo.DistanceKm's.
	lat1, cosLat1 := geo.Radians(p.Lat), math.Cos(geo.Radians(p.Lat))
	hr := math.Pow(math.Sin(radius/geo.EarthRadiusKm/2), 2)
	check := func(pts []gridPoint) {
		for _, g := range pts {
			if g.lat < minLat || g.lat > maxLat || g.lon < minLon || g.lon > maxLon || !set.Contains(g.doc) {
				continue
			}
			sinDLat := math.Sin((geo.Radians(g.lat) - lat1) / 2)
			sinDLon := math.Sin(geo.Radians(g.lon-p.Lon) / 2)
			h := sinDLat*sinDLat + cosLat1*g.cosLat*sinDLon*sinDLon
			if h > hr*(1+1e-9) {
				continue
			}
			// geo.DistanceKm's last step, from the same h.
			if d := 2 * geo.EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1))); h < hr*(1-1e-9) || d <= radius {
				found = append(found, near{g.doc, d})
			}
		}
	}
	if cells := int64(la1-la0+1) * int64(lo1-lo0+1); cells > int64(len(x.grid)) {
		for key, pts := range x.grid {
			la, lo := int32(uint32(key>>32)), int32(uint32(key))
			// The column at -180° also holds the points at 180°.
			if la >= la0 && la <= la1 && (lo >= lo0 && lo <= lo1 || lo == wrapCell(lo1)) {
				check(pts)
			}
		}
		return nearestOnce(found)
	}
	for la := la0; la <= la1; la++ {
		for lo := lo0; lo <= lo1; lo++ {
			if lo == lo1 && lo != lo0 && wrapCell(lo) == wrapCell(lo0) {
				break // 180° and -180° are one column
			}
			check(x.grid[cellKey(la, wrapCell(lo))])
		}
	}
	return nearestOnce(found)
}

// nearestOnce keeps each document of found once, at its least distance,
// and returns them in document order and as a bitmap.
func nearestOnce(found []near) (*roaring.Bitmap, []near) {
	slices.SortFunc(found, func(a, b near) int {
		if a.doc != b.doc {
			return cmp.Compare(a.doc, b.doc)
		}
		return cmp.Compare(a.dist, b.dist)
	})
	found = slices.CompactFunc(found, func(a, b near) bool { return a.doc == b.doc })
	docs := make([]uint32, len(found))
	for i, e := range found {
		docs[i] = e.doc
	}
	out := roaring.New()
	out.AddMany(docs) // at once, in order: quicker than one by one
	if found == nil {
		found = []near{}
	}
	return out, found
}

// pageNearest pages through the documents of set among found, nearest
// first, then by name.
func (x *index) pageNearest(set *roaring.Bitmap, found []near, skip, take int) []uint32 {
	keep := skip + take
	compare := func(a, b near) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return x.compare(a.doc, b.doc)
	}
	var ns []near
	for _, e := range found {
		if !set.Contains(e.doc) {
			continue
		}
		ns = keepNearest(ns, e, keep, compare)
	}
	if len(ns) < keep {
		slices.SortFunc(ns, compare)
	}
	if skip >= len(ns) {
		return nil
	}
	ns = ns[skip:]
	out := make([]uint32, len(ns))
	for i, e := range ns {
		out[i] = e.doc
	}
	return out
}

// scratch is what counting facets needs, kept between searches.
type scratch struct {
	counts [numFacets][]uint32
	diff   [numFacets][]uint32 // the counts over a difference of sets
	dense  []uint64
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// groupSet is a query word's documents among the searched ones (open or
// live) and their facet counts, found from the anchor of its most common
// form when a count needs them. Every set a search counts lies within
// each of its words' sets, so that those counts less the counts over the
// difference are the set's: for a common word, a much smaller difference.
type groupSet struct {
	union  *roaring.Bitmap // the word's documents, open or not
	term   uint32          // the form with the largest anchor
	a      *anchor
	n      uint64          // how many searched documents hold the word
	set    *roaring.Bitmap // those documents, once needed
	ready  bool            // counts are filled
	counts [numFacets][]uint32
}

// groupSets returns the groupSets of the query's words that have an
// anchor.
func (x *index) groupSets(q analyze.Query, unions []*roaring.Bitmap, base *roaring.Bitmap, all bool) []*groupSet {
	s := 0
	if all {
		s = 1
	}
	var out []*groupSet
	for i, g := range q {
		var best *anchor
		var term uint32
		for _, t := range g {
			if id, ok := x.termIDs[t]; ok && x.anchors[id] != nil && (best == nil || x.anchors[id].n[s] > best.n[s]) {
				best, term = x.anchors[id], id
			}
		}
		if best != nil && unions[i] != nil {
			out = append(out, &groupSet{union: unions[i], term: term, a: best, n: unions[i].AndCardinality(base)})
		}
	}
	return out
}

// count counts, for each facet kind in kinds, the members of set having
// each of its values, into sc.counts. set is part of the live documents
// (all) or of the open ones, and of every group's set in gs: whichever of
// them leaves the smallest difference to count is counted from.
func (x *index) count(set *roaring.Bitmap, kinds []int, all bool, sc *scratch, gs []*groupSet) {
	n := set.GetCardinality()
	s := 0
	if all {
		s = 1
	}
	// In nanoseconds, roughly: a difference of m documents costs
	// countCost(m) to count, and each bitmap operation on the way a pass
	// over a bitset's worth of words.
	valueCost := uint64(0)
	for _, k := range kinds {
		valueCost += uint64(x.facets[k].cost)
	}
	countCost := func(m uint64) uint64 {
		if m == 0 {
			return 0
		}
		return min(m*docCost, valueCost)
	}
	nb := x.baseOf(all).GetCardinality()
	op := uint64(denseWords(len(x.docs)))
	if x.small == 0 { // in tests, on small data: count from anchors wherever it is less work
		op, valueCost = 0, math.MaxUint64
	}
	var best *groupSet
	cost := countCost(min(n, nb-n)) // counting set itself, or the rest of the base
	for _, g := range gs {
		c := op + countCost(g.n-n)
		if !g.ready {
			c += 2*op + countCost(g.n-uint64(g.a.n[s]))
		}
		if c < cost {
			best, cost = g, c
		}
	}
	if best == nil {
		x.rawCount(set, kinds, all, sc, &sc.counts)
		return
	}
	if !best.ready {
		best.set = roaring.And(best.union, x.baseOf(all))
		kindsAll := allKinds
		rest := roaring.AndNot(best.set, x.post[best.term])
		x.rawCount(rest, kindsAll, all, sc, &sc.diff)
		for k := range numFacets {
			nv := len(x.facets[k].names)
			best.counts[k] = make([]uint32, nv)
			copy(best.counts[k], best.a.counts[s][k])
			for v, c := range sc.diff[k] {
				best.counts[k][v] += c
			}
		}
		best.ready = true
	}
	x.rawCount(roaring.AndNot(best.set, set), kinds, all, sc, &sc.diff)
	for _, k := range kinds {
		nv := len(x.facets[k].names)
		sc.counts[k] = slices.Grow(sc.counts[k][:0], nv)[:nv]
		for v := range sc.counts[k] {
			sc.counts[k][v] = best.counts[k][v] - sc.diff[k][v]
		}
	}
}

func (x *index) baseOf(all bool) *roaring.Bitmap {
	if all {
		return x.live
	}
	return x.open
}

// docCost is what counting one document's facets costs, in nanoseconds,
// measured at a million services (BenchmarkFacets): its masks are a cache
// miss, overlapped with the others' of a batch.
const docCost = 50

// rawCount counts, for each facet kind in kinds, the members of set having
// each of its values, into out. set is part of the live documents (all)
// or of the open ones; when it is most of them, the index's counts over
// those, less the counts over the rest, are quicker to find.
func (x *index) rawCount(set *roaring.Bitmap, kinds []int, all bool, sc *scratch, out *[numFacets][]uint32) {
	base := x.baseOf(all)
	for _, k := range kinds {
		n := len(x.facets[k].names)
		out[k] = slices.Grow(out[k][:0], n)[:n]
		clear(out[k])
	}
	n, nb := set.GetCardinality(), base.GetCardinality()
	if n == 0 {
		return
	}
	rest := n*2 > nb
	if rest {
		set = roaring.AndNot(base, set)
	}
	// Document by document, each costs a cache miss or two, for every
	// facet at once. Value by value, see facet.cost.
	valueCost := 0
	for _, k := range kinds {
		valueCost += x.facets[k].cost
	}
	if m := set.GetCardinality(); m < x.small || int(m)*docCost < valueCost {
		it := set.ManyIterator()
		var buf [256]uint32
		var ms [256][numFacets]uint64
		for n := it.NextMany(buf[:]); n > 0; n = it.NextMany(buf[:]) {
			// Each document's masks are a cache miss: read them all
			// first, with no branch between, so that the misses overlap.
			for i, d := range buf[:n] {
				ms[i] = [numFacets]uint64(x.masks[d*numFacets:])
			}
			for i, d := range buf[:n] {
				masks := &ms[i]
				for _, k := range kinds {
					counts, m := out[k], masks[k]
					if m>>x.maskOther != 0 {
						for _, v := range x.facetValues(d, k) {
							counts[v]++
						}
						continue
					}
					for ; m != 0; m &= m - 1 {
						counts[bits.TrailingZeros64(m)]++
					}
				}
			}
		}
	} else if m > 0 {
		words := denseWords(len(x.docs))
		sc.dense = slices.Grow(sc.dense[:0], words)[:words]
		clear(sc.dense)
		set.WriteDenseTo(sc.dense)
		for _, k := range kinds {
			fc, counts := &x.facets[k], out[k]
			for v, d := range fc.dense {
				if d != nil {
					counts[v] = popAnd(sc.dense, d)
				} else {
					counts[v] = probe(sc.dense, fc.members[v])
				}
			}
		}
	}
	if rest {
		for _, k := range kinds {
			fc := &x.facets[k]
			baseCounts := fc.open
			if all {
				baseCounts = fc.live
			}
			for v, c := range out[k] {
				out[k][v] = baseCounts[v] - c
			}
		}
	}
}

// facetList lists the values of facet k with a count, most frequent first.
func (x *index) facetList(k int, counts []uint32) []haven.FacetCount {
	fc := &x.facets[k]
	nonzero := 0
	for _, c := range counts {
		if c > 0 {
			nonzero++
		}
	}
	out := make([]haven.FacetCount, 0, nonzero)
	for v, c := range counts {
		if c > 0 {
			out = append(out, haven.FacetCount{Value: fc.names[v], Count: int(c)})
		}
	}
	slices.SortFunc(out, func(a, b haven.FacetCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

// probe counts the documents of ids whose bits are set in d.
func probe(d []uint64, ids []uint32) uint32 {
	var c uint64
	for _, id := range ids {
		c += d[id>>6] >> (id & 63) & 1
	}
	return uint32(c)
}

// popAnd counts the bits set in both a and b.
func popAnd(a, b []uint64) uint32 {
	n := min(len(a), len(b))
	a, b = a[:n], b[:n]
	var c0, c1, c2, c3 int
	i := 0
	for ; i+4 <= n; i += 4 {
		c0 += bits.OnesCount64(a[i] & b[i])
		c1 += bits.OnesCount64(a[i+1] & b[i+1])
		c2 += bits.OnesCount64(a[i+2] & b[i+2])
		c3 += bits.OnesCount64(a[i+3] & b[i+3])
	}
	for ; i < n; i++ {
		c0 += bits.OnesCount64(a[i] & b[i])
	}
	return uint32(c0 + c1 + c2 + c3)
}

// pageByName appends to out up to take documents of set, in (name, id)
// order, after skipping skip of them. Documents numbered below x.sorted
// come in that order already; the few added since are sorted and merged in.
func (x *index) pageByName(set *roaring.Bitmap, skip, take int, out []uint32) []uint32 {
	n := int(set.GetCardinality())
	if take <= 0 || skip >= n {
		return out
	}
	inOrder := n // members numbered below x.sorted
	var tail []uint32
	if x.sorted == 0 {
		inOrder = 0
	} else if set.Maximum() >= x.sorted {
		inOrder = int(set.Rank(x.sorted - 1))
	}
	if inOrder < n {
		tail = make([]uint32, 0, n-inOrder)
		it := set.Iterator()
		it.AdvanceIfNeeded(x.sorted)
		for it.HasNext() {
			tail = append(tail, it.Next())
		}
		slices.SortFunc(tail, x.compare)
	}
	// before[i]: how many in-order members come before tail[i].
	before := make([]int, len(tail))
	for i, t := range tail {
		b, _ := slices.BinarySearchFunc(x.docs[:x.sorted], t, func(d doc, t uint32) int {
			if c := cmp.Compare(x.str(d.name), x.str(x.docs[t].name)); c != 0 {
				return c
			}
			return cmp.Compare(x.str(d.serviceID), x.str(x.docs[t].serviceID))
		})
		if b > 0 {
			before[i] = int(set.Rank(uint32(b - 1)))
		}
	}
	// Tail member i sits at position before[i]+i of the merged order.
	k := 0
	for k < len(tail) && before[k]+k < skip {
		k++
	}
	next := skip - k // position, among in-order members, of the next one
	it := set.Iterator()
	if next < inOrder {
		first, _ := set.Select(uint32(next))
		it.AdvanceIfNeeded(first)
	}
	for ; take > 0; take-- {
		switch {
		case k < len(tail) && (next >= inOrder || before[k] <= next):
			out = append(out, tail[k])
			k++
		case next < inOrder:
			out = append(out, it.Next())
			next++
		default:
			return out
		}
	}
	return out
}

// pageByRank pages through set by how many of the query's words each
// document's name holds, then by name. Documents are grouped by that count
// with bitmap operations, each group walked in name order.
func (x *index) pageByRank(set *roaring.Bitmap, q analyze.Query, skip, take int) []uint32 {
	heads := make([]*roaring.Bitmap, len(q))
	for i, g := range q {
		heads[i] = x.union(x.heads, g)
	}
	if set.GetCardinality() < x.small {
		docs := set.ToArray()
		type ranked struct {
			doc  uint32
			rank int
		}
		rs := make([]ranked, len(docs))
		for i, d := range docs {
			rs[i].doc = d
			for _, h := range heads {
				if h != nil && h.Contains(d) {
					rs[i].rank++
				}
			}
		}
		slices.SortFunc(rs, func(a, b ranked) int {
			if a.rank != b.rank {
				return cmp.Compare(b.rank, a.rank)
			}
			return x.compare(a.doc, b.doc)
		})
		if skip >= len(rs) {
			return nil
		}
		out := make([]uint32, 0, min(take, len(rs)-skip))
		for _, r := range rs[skip:min(skip+take, len(rs))] {
			out = append(out, r.doc)
		}
		return out
	}
	m := len(q)
	atLeast := wordsAtLeast(set, heads)
	card := func(b *roaring.Bitmap) int {
		if b == nil {
			return 0
		}
		return int(b.GetCardinality())
	}
	out := make([]uint32, 0, take)
	for j := m; j >= 0 && take > len(out); j-- {
		n := card(atLeast[j]) - card(atLeast[j+1])
		if skip >= n {
			skip -= n
			continue
		}
		level := atLeast[j]
		if atLeast[j+1] != nil {
			level = roaring.AndNot(level, atLeast[j+1])
		}
		out = x.pageByName(level, skip, take-len(out), out)
		skip = 0
	}
	return out
}

// near is a document and its distance from a search's place: the least
// over its places, +Inf without coordinates.
type near struct {
	doc  uint32
	dist float64
}

// pageByDistance pages through set nearest first (services without
// coordinates last), then by name. When the page is a small part of a large
// set, the grid finds the nearest services without measuring the others.
func (x *index) pageByDistance(set *roaring.Bitmap, p geo.Point, skip, take int) []uint32 {
	compare := func(a, b near) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return x.compare(a.doc, b.doc)
	}
	keep := skip + take
	n := int(set.GetCardinality())
	// The rings pay off for large sets only: a small one, often in one
	// place already (a radius), is quicker measured whole.
	var ns []near
	if uint64(n) >= 8*x.small && keep*16 < n {
		ns = x.nearest(set, p, keep)
	}
	if ns == nil {
		ns = x.byDistance(set, p, keep, compare)
	} else {
		slices.SortFunc(ns, compare)
	}
	if skip >= len(ns) {
		return nil
	}
	ns = ns[skip:min(keep, len(ns))]
	out := make([]uint32, len(ns))
	for i, e := range ns {
		out[i] = e.doc
	}
	return out
}

// byDistance measures every document of set and returns the keep nearest,
// in order.
func (x *index) byDistance(set *roaring.Bitmap, p geo.Point, keep int, compare func(a, b near) int) []near {
	n := int(set.GetCardinality())
	all := keep*4 >= n // else keep only the nearest keep, sorted, as they come
	ns := make([]near, 0, min(n, keep))
	if all {
		ns = make([]near, 0, n)
	}
	it := set.Iterator()
	for it.HasNext() {
		d := it.Next()
		e := near{d, math.Inf(1)}
		for _, pl := range x.placesOf(d) {
			if pl.coords {
				e.dist = min(e.dist, geo.DistanceKm(p, geo.Point{Lat: pl.lat, Lon: pl.lon}))
			}
		}
		if all {
			ns = append(ns, e)
		} else {
			ns = keepNearest(ns, e, keep, compare)
		}
	}
	if all {
		slices.SortFunc(ns, compare)
	}
	return ns
}

// keepNearest adds e to ns, which holds at most keep entries: unsorted
// until it is full, then sorted, so that a new entry displaces the last
// one only when it compares before it.
func keepNearest(ns []near, e near, keep int, compare func(a, b near) int) []near {
	switch {
	case len(ns) < keep-1:
		ns = append(ns, e)
	case len(ns) == keep-1:
		ns = append(ns, e)
		slices.SortFunc(ns, compare)
	case compare(e, ns[len(ns)-1]) < 0:
		i, _ := slices.BinarySearchFunc(ns, e, compare)
		copy(ns[i+1:], ns[i:len(ns)-1])
		ns[i] = e
	}
	return ns
}

// nearest reads the grid in rings of cells around p until it has found
// keep documents of set nearer than anything outside the rings can be. It
// returns them and any others it met (unsorted), or nil when it would read
// most of the grid: then measuring every document is as quick.
func (x *index) nearest(set *roaring.Bitmap, p geo.Point, keep int) []near {
	const cells = 1440 // columns of longitude
	pla, plo := cell(p.Lat), cell(p.Lon)
	found := map[uint32]float64{}
	visit := func(la, lo int32) {
		lo = wrapCell(lo)
		for _, g := range x.grid[cellKey(la, lo)] {
			if !set.Contains(g.doc) {
				continue
			}
			d := geo.DistanceKm(p, geo.Point{Lat: g.lat, Lon: g.lon})
			if old, ok := found[g.doc]; !ok || d < old {
				found[g.doc] = d
			}
		}
	}
	latCells := int32(math.Round(90 / gridDeg))
	budget := 2*len(x.grid) + 64
	for r := int32(0); ; r++ {
		for la := pla - r; la <= pla+r; la++ {
			if la < -latCells || la > latCells {
				continue
			}
			if la == pla-r || la == pla+r {
				for lo := plo - r; lo <= plo+r; lo++ {
					visit(la, lo)
				}
			} else {
				visit(la, plo-r)
				visit(la, plo+r)
			}
		}
		budget -= max(1, 8*int(r))
		// Anything outside the rings read is at least bound away: beyond
		// their latitudes, or beyond their longitudes (at least as far as
		// the meridian there, or the nearer pole).
		bound := math.Inf(1)
		if low := float64(pla-r) * gridDeg; low > -90 {
			bound = min(bound, geo.Radians(p.Lat-low)*geo.EarthRadiusKm)
		}
		if high := float64(pla+r+1) * gridDeg; high < 90 {
			bound = min(bound, geo.Radians(high-p.Lat)*geo.EarthRadiusKm)
		}
		if 2*r+1 < cells {
			dl := min(p.Lon-float64(plo-r)*gridDeg, float64(plo+r+1)*gridDeg-p.Lon)
			lonBound := math.Pi/2 - geo.Radians(math.Abs(p.Lat))
			if dl < 90 {
				lonBound = math.Asin(math.Sin(geo.Radians(dl)) * math.Cos(geo.Radians(p.Lat)))
			}
			bound = min(bound, lonBound*geo.EarthRadiusKm)
		}
		if math.IsInf(bound, 1) {
			break // every cell read: found has every document with a place
		}
		bound -= 1e-9 // against rounding: be sure, not quick
		within := 0
		for _, d := range found {
			if d < bound {
				within++
			}
		}
		if within >= keep {
			break
		}
		if budget < 0 {
			return nil
		}
	}
	if len(found) < keep {
		return nil // the rest have no coordinates; measure them all
	}
	out := make([]near, 0, len(found))
	for doc, d := range found {
		out = append(out, near{doc, d})
	}
	return out
}

// wrapCell brings a column of cells into -180..180 degrees of longitude.
func wrapCell(lo int32) int32 {
	const half = int32(180 / gridDeg)
	return ((lo+half)%(2*half)+2*half)%(2*half) - half
}

// hits turns documents into results, each at the place SQL would show:
// the nearest one when the search has a place, else the first by location
// id, unless a later one is in the state or country filtered on.
func (x *index) hits(page []uint32, f haven.DirectoryFilter) []haven.DirectoryHit {
	out := make([]haven.DirectoryHit, len(page))
	var slab []float64 // latitude, longitude and distance of every hit, in one allocation
	var p geo.Point
	if f.Near != nil {
		p = *f.Near
	}
	matches := func(state, country string) bool {
		return (f.State == "" || state == f.State) && (f.Country == "" || country == f.Country)
	}
	for i, n := range page {
		d := &x.docs[n]
		o := &x.orgs[d.org]
		h := &out[i]
		h.ServiceID, h.Name, h.OrgID, h.OrgName = x.str(d.serviceID), x.str(d.name), x.str(o.id), x.str(o.name)
		var best *place
		bestDist := math.NaN()
		for j, pl := range x.placesOf(n) {
			dist := math.NaN()
			if f.Near != nil && pl.coords {
				dist = geo.DistanceKm(p, geo.Point{Lat: pl.lat, Lon: pl.lon})
			}
			better := best == nil
			if !better && !math.IsNaN(dist) {
				better = math.IsNaN(bestDist) || dist < bestDist
			} else if !better {
				better = !matches(x.value(facetState, best.state), x.value(facetCountry, best.country)) &&
					matches(x.value(facetState, pl.state), x.value(facetCountry, pl.country))
			}
			if better {
				best, bestDist = &x.placesOf(n)[j], dist
			}
		}
		if best == nil {
			continue
		}
		h.LocationID, h.City = x.str(best.locationID), x.str(best.city)
		h.State, h.Country = x.value(facetState, best.state), x.value(facetCountry, best.country)
		if slab == nil {
			slab = make([]float64, 0, 3*len(page))
		}
		if best.hasLat {
			slab = append(slab, best.lat)
			h.Lat = &slab[len(slab)-1]
		}
		if best.hasLon {
			slab = append(slab, best.lon)
			h.Lon = &slab[len(slab)-1]
		}
		if !math.IsNaN(bestDist) {
			slab = append(slab, bestDist)
			h.DistanceKm = &slab[len(slab)-1]
		}
	}
	return out
}

// value returns the name of a state or country value id.
func (x *index) value(k int, id uint32) string {
	if id == noValue {
		return ""
	}
	return x.facets[k].names[id]
}

// wordsAtLeast returns atLeast, where atLeast[j] is the documents of set
// whose name holds at least j of the query words whose name postings are
// heads (nil where no name holds the word); it has len(heads)+2 entries,
// the last always nil, and nil entries where no document qualifies.
func wordsAtLeast(set *roaring.Bitmap, heads []*roaring.Bitmap) []*roaring.Bitmap {
	m := len(heads)
	atLeast := make([]*roaring.Bitmap, m+2)
	atLeast[0] = set
	for i, h := range heads {
		if h == nil {
			continue
		}
		for j := min(i+1, m); j >= 1; j-- {
			if atLeast[j-1] == nil {
				continue
			}
			t := roaring.And(atLeast[j-1], h)
			if atLeast[j] == nil {
				atLeast[j] = t
			} else {
				atLeast[j].Or(t)
			}
		}
	}
	return atLeast
}
