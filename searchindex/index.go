// Package searchindex is an in-memory search index of the provider
// directory. It answers haven.DirectorySearcher exactly as the SQL search in
// package sqlstore does — the same matches, totals, facet counts and order —
// only faster.
//
// It indexes the search documents the store writes (haven.DirectoryDoc):
// the terms package analyze made, so it matches as SQL matches, never
// analyzing text itself. Each term has a posting list, and each facet value
// a set of services, as compressed bitmaps (roaring). A search intersects
// them; a facet count is the size of an intersection. Services are numbered
// in the order of their names, so that walking a bitmap walks the results in
// the order SQL sorts them, and a page is found without sorting.
//
// An Index builds itself from the store in the background and then follows
// the store's change log (directory_changes), so that every write, by any
// process on the database, reaches it within a second or so.
package searchindex

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
)

// Facet kinds, in the order of haven.DirectoryFacets.
const (
	facetCategory = iota
	facetState
	facetCountry
	facetLanguage
	facetPopulation
	facetTrafficking
	numFacets
)

// noValue marks a place without a state or a country.
const noValue = ^uint32(0)

// gridDeg is the size, in degrees of latitude and longitude, of the cells
// places are filed under for distance searches: a 25–50 km radius reads a
// handful of cells.
const gridDeg = 0.25

// index is one generation of the index. Documents are numbered from 0; those
// below sorted are numbered in the order SQL sorts by (name, id), those
// added since follow in the order they came. A document replaced or removed
// leaves the live set but stays in the posting lists until the next
// rebuild, so every search intersects with live (or open).
type index struct {
	mu sync.RWMutex

	docs      []doc
	byService map[string]uint32 // service id → its live document
	sorted    uint32
	dead      int
	small     uint64 // see defaultSmallSet
	maskOther uint32 // see masks: maskOther, or lower in tests
	drift     int    // see defaultDrift

	live *roaring.Bitmap // documents in use
	open *roaring.Bitmap // live ones whose service is active or temporarily closed

	termIDs map[string]uint32
	post    []*roaring.Bitmap // by term id: documents holding the term
	heads   []*roaring.Bitmap // by term id: documents whose name holds it (nil: none)
	seen    []uint32          // by term id: the last stamp that saw it, to drop repeats
	stamp   uint32

	// anchors holds, for the terms common at the last build (nil for the
	// others), the facet counts of their documents: a search for a common
	// word then counts only what sets its results apart from those.
	anchors     []*anchor // by term id
	anchorTerms []uint32  // the terms with an anchor

	// unions holds the unions of a query word's forms' lists, by "p" or
	// "h" (post or heads) and the forms; emptied at every change.
	unions struct {
		sync.Mutex
		m map[string]*roaring.Bitmap
	}

	facets    [numFacets]facet
	facetOff  []uint32 // by document: where its values start in facetVals
	facetVals []uint32 // per document: a count per facet kind, then the values
	// masks holds, per document and facet kind, its values as bits: bit v
	// for value v below maskOther, and bit maskOther for any other value
	// (then read facetVals). Counting document by document reads one or
	// two cache lines per document this way rather than two lists.
	masks []uint64

	places []place
	grid   map[uint64][]gridPoint

	orgIDs map[string]uint32
	orgs   []org

	areas areaIndex // services' served areas (areas.go)

	strs []byte // the arena of docs', places' and orgs' strings

	who whoIndex // age bounds and hours (who.go)
}

// Documents, places and organizations hold no pointers: their strings
// live in one arena (index.strs), so that the garbage collector has a few
// large objects to mark rather than millions of small ones.
type doc struct {
	serviceID str
	name      str
	org       uint32
	places    uint32 // first place in index.places
	nPlaces   uint32
}

type place struct {
	locationID, city str
	state, country   uint32 // facet value ids, or noValue
	lat, lon         float64
	hasLat, hasLon   bool
	coords           bool // both: only then has the place a distance
}

type gridPoint struct {
	doc      uint32
	lat, lon float64
	cosLat   float64 // for the haversine, once
}

type org struct{ id, name str }

// str is a string in the index's arena.
type str struct{ off, n uint32 }

// str returns a string of the arena. It shares the arena's memory, which
// only ever grows: bytes once written never change.
func (x *index) str(s str) string {
	if s.n == 0 {
		return ""
	}
	return unsafe.String(&x.strs[s.off], s.n)
}

// putStr copies s into the arena.
func (x *index) putStr(s string) str {
	if s == "" {
		return str{}
	}
	r := str{uint32(len(x.strs)), uint32(len(s))}
	x.strs = append(x.strs, s...)
	return r
}

// anchor is the facet counts of the documents holding one term: over the
// open ones ([0]) and over the live ones ([1]), kept as documents come
// and go.
type anchor struct {
	n      [2]uint32
	counts [2][numFacets][]uint32
}

// bump adds sign to the counts of a document with facet values vals.
func (a *anchor) bump(open bool, vals *[numFacets][]uint32, sign uint32) {
	for s := range 2 {
		if s == 0 && !open {
			continue
		}
		a.n[s] += sign
		for k := range numFacets {
			c := a.counts[s][k]
			for _, v := range vals[k] {
				if int(v) >= len(c) {
					c = append(c, make([]uint32, int(v)+1-len(c))...)
				}
				c[v] += sign
			}
			a.counts[s][k] = c
		}
	}
}

// facet holds one facet's values and, for each, the documents having it.
type facet struct {
	ids   map[string]uint32
	names []string
	sets  []*roaring.Bitmap
	// How many live documents, and how many open ones, have each value:
	// a search matching most of one of those sets counts the few it
	// leaves out instead.
	live, open []uint32
	// dense holds the sets of the values common at the last build also as
	// plain bitsets (nil for the others): counting a large set's members
	// with such a value is then a streak of AND and POPCNT.
	dense [][]uint64
	// members lists the documents of each other value, to probe a set
	// written out as a bitset with.
	members [][]uint32
	// cost estimates, in nanoseconds, counting a set value by value: a
	// pass over each bitset, a probe for each member of the other values.
	cost int
}

func (f *facet) intern(v string) uint32 {
	if id, ok := f.ids[v]; ok {
		return id
	}
	id := uint32(len(f.names))
	f.ids[v] = id
	f.names = append(f.names, v)
	f.sets = append(f.sets, roaring.New())
	f.live = append(f.live, 0)
	f.open = append(f.open, 0)
	f.dense = append(f.dense, nil)
	f.members = append(f.members, nil)
	return id
}

func newIndex() *index {
	x := &index{
		byService: map[string]uint32{},
		live:      roaring.New(),
		open:      roaring.New(),
		termIDs:   map[string]uint32{},
		grid:      map[uint64][]gridPoint{},
		orgIDs:    map[string]uint32{},
		small:     defaultSmallSet,
		maskOther: maskOther,
		drift:     defaultDrift,
	}
	for k := range x.facets {
		x.facets[k].ids = map[string]uint32{}
	}
	x.unions.m = map[string]*roaring.Bitmap{}
	return x
}

func (x *index) internTerm(t string) uint32 {
	if id, ok := x.termIDs[t]; ok {
		return id
	}
	id := uint32(len(x.post))
	x.termIDs[strings.Clone(t)] = id // not a piece of a document's string, kept whole
	x.post = append(x.post, nil)
	x.heads = append(x.heads, nil)
	x.anchors = append(x.anchors, nil)
	x.seen = append(x.seen, 0)
	return id
}

func (x *index) internOrg(id, name string) uint32 {
	if n, ok := x.orgIDs[id]; ok {
		// The latest name wins for every service of the organization, as
		// SQL joins the organization's current name.
		if x.str(x.orgs[n].name) != name {
			x.orgs[n].name = x.putStr(name)
		}
		return n
	}
	n := uint32(len(x.orgs))
	o := org{x.putStr(id), x.putStr(name)}
	x.orgIDs[x.str(o.id)] = n
	x.orgs = append(x.orgs, o)
	return n
}

// entry is a document ready to be added: its terms already interned.
type entry struct {
	serviceID, name string
	org             uint32
	open            bool
	places          []haven.DirectoryPlace
	categories      []string
	languages       []string
	populations     []string
	trafficking     []string
	minAge, maxAge  *float64
	hours           []haven.WeeklyHours
	terms           []uint32 // distinct; the first nHeads are the head terms
	nHeads          int
	areas           []haven.ServedArea
	remote          bool
	room            *time.Time
}

// entryOf interns what a document needs in x's dictionaries.
func (x *index) entryOf(d *haven.DirectoryDoc) entry {
	e := entry{serviceID: d.ServiceID, name: d.Name, org: x.internOrg(d.OrgID, d.OrgName),
		open:   d.Status == "active" || d.Status == "temporarily closed",
		places: d.Places, categories: d.Categories, languages: d.Languages, areas: d.Areas, remote: d.Remote,
		populations: d.Populations, trafficking: d.Trafficking, minAge: d.MinAge, maxAge: d.MaxAge, hours: d.Hours,
		room: d.RoomUpdated}
	e.terms = make([]uint32, 0, len(d.Terms)+len(d.HeadTerms))
	x.stamp++ // marks the terms this entry has, in x.seen
	for i, terms := range [2][]string{d.HeadTerms, d.Terms} {
		for _, t := range terms {
			if id := x.internTerm(t); x.seen[id] != x.stamp {
				x.seen[id] = x.stamp
				e.terms = append(e.terms, id)
			}
		}
		if i == 0 {
			e.nHeads = len(e.terms)
		}
	}
	return e
}

// add appends a document, numbered len(x.docs).
func (x *index) add(e *entry) {
	n := uint32(len(x.docs))
	d := doc{serviceID: x.putStr(e.serviceID), name: x.putStr(e.name), org: e.org, places: uint32(len(x.places))}
	x.facetOff = append(x.facetOff, uint32(len(x.facetVals)))
	x.live.Add(n)
	if e.open {
		x.open.Add(n)
	}
	if old, ok := x.byService[e.serviceID]; ok {
		x.kill(old)
	}
	x.byService[x.str(d.serviceID)] = n
	for i, t := range e.terms {
		if x.post[t] == nil {
			x.post[t] = roaring.New()
		}
		x.post[t].Add(n)
		if i < e.nHeads {
			if x.heads[t] == nil {
				x.heads[t] = roaring.New()
			}
			x.heads[t].Add(n)
		}
	}

	// Facet values, each once per document.
	var vals [numFacets][]uint32
	addVal := func(k int, v string) uint32 {
		if v == "" {
			return noValue
		}
		fc := &x.facets[k]
		id := fc.intern(v)
		if !slices.Contains(vals[k], id) {
			vals[k] = append(vals[k], id)
			fc.sets[id].Add(n)
			if d := fc.dense[id]; d != nil {
				fc.dense[id] = setBit(d, n)
			} else {
				fc.members[id] = append(fc.members[id], n)
			}
			fc.live[id]++
			if e.open {
				fc.open[id]++
			}
		}
		return id
	}
	for _, c := range e.categories {
		addVal(facetCategory, c)
	}
	for _, l := range e.languages {
		addVal(facetLanguage, l)
	}
	for _, c := range e.populations {
		addVal(facetPopulation, c)
	}
	for _, c := range e.trafficking {
		addVal(facetTrafficking, c)
	}
	x.who.add(n, e)
	for _, p := range e.places {
		pl := place{locationID: x.putStr(p.LocationID), city: x.putStr(p.City), state: addVal(facetState, p.State), country: addVal(facetCountry, p.Country)}
		if p.Lat != nil {
			pl.lat, pl.hasLat = *p.Lat, true
		}
		if p.Lon != nil {
			pl.lon, pl.hasLon = *p.Lon, true
		}
		if pl.coords = pl.hasLat && pl.hasLon; pl.coords {
			key := cellKey(cell(pl.lat), wrapCell(cell(pl.lon)))
			x.grid[key] = append(x.grid[key], gridPoint{n, pl.lat, pl.lon, math.Cos(pl.lat * math.Pi / 180)})
		}
		x.places = append(x.places, pl)
	}
	d.nPlaces = uint32(len(e.places))
	x.addAreas(n, e)
	for _, t := range e.terms {
		if a := x.anchors[t]; a != nil {
			a.bump(e.open, &vals, 1)
		}
	}
	for k := range vals {
		x.facetVals = append(x.facetVals, uint32(len(vals[k])))
		var m uint64
		for _, v := range vals[k] {
			m |= 1 << min(v, x.maskOther)
		}
		x.masks = append(x.masks, m)
	}
	for k := range vals {
		x.facetVals = append(x.facetVals, vals[k]...)
	}
	x.docs = append(x.docs, d)
}

// denseWords is the length of a bitset of n documents, in whole roaring
// containers (WriteDenseTo writes whole bitmap containers).
func denseWords(n int) int { return (n + 1<<16 - 1) >> 16 << 10 }

// setBit sets bit n of a bitset, growing it as needed.
func setBit(d []uint64, n uint32) []uint64 {
	if w := denseWords(int(n) + 1); w > len(d) {
		d = append(d, make([]uint64, w-len(d))...)
	}
	d[n>>6] |= 1 << (n & 63)
	return d
}

// kill takes a document out of the live sets.
func (x *index) kill(n uint32) {
	open := x.open.Contains(n)
	var vals [numFacets][]uint32
	for k := range x.facets {
		fc := &x.facets[k]
		vals[k] = x.facetValues(n, k)
		for _, v := range vals[k] {
			fc.live[v]--
			if open {
				fc.open[v]--
			}
		}
	}
	for _, t := range x.anchorTerms {
		if x.post[t].Contains(n) {
			x.anchors[t].bump(open, &vals, ^uint32(0)) // -1
		}
	}
	x.live.Remove(n)
	x.open.Remove(n)
	x.dead++
}

// maskOther is the bit of a document's facet mask that stands for the
// values numbered from it on.
const maskOther = 63

// facetValues returns a document's values of facet k.
func (x *index) facetValues(n uint32, k int) []uint32 {
	off := x.facetOff[n]
	start := off + numFacets
	for j := range k {
		start += x.facetVals[off+uint32(j)]
	}
	return x.facetVals[start : start+x.facetVals[off+uint32(k)]]
}

func (x *index) placesOf(n uint32) []place {
	d := &x.docs[n]
	return x.places[d.places : d.places+d.nPlaces]
}

// less orders documents as SQL does: by name, then service id.
func (x *index) less(a, b uint32) bool {
	if a < x.sorted && b < x.sorted {
		return a < b
	}
	return x.compare(a, b) < 0
}

func (x *index) compare(a, b uint32) int {
	da, db := &x.docs[a], &x.docs[b]
	if c := cmp.Compare(x.str(da.name), x.str(db.name)); c != 0 {
		return c
	}
	return cmp.Compare(x.str(da.serviceID), x.str(db.serviceID))
}

func cell(deg float64) int32 { return int32(math.Floor(deg / gridDeg)) }

func cellKey(lat, lon int32) uint64 { return uint64(uint32(lat))<<32 | uint64(uint32(lon)) }

// build makes an index of entries, numbering them by (name, id).
func build(x *index, es []entry) *index {
	order := make([]int32, len(es)) // sorting indices moves less than sorting entries
	nPlaces, nVals := 0, 0
	nBytes := len(x.strs)
	for i := range es {
		order[i] = int32(i)
		nPlaces += len(es[i].places)
		nBytes += len(es[i].serviceID) + len(es[i].name)
		for _, p := range es[i].places {
			nBytes += len(p.LocationID) + len(p.City)
		}
		nVals += numFacets + len(es[i].categories) + len(es[i].languages) + len(es[i].populations) + len(es[i].trafficking) + 2*len(es[i].places)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &es[i], &es[j]
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.serviceID, b.serviceID)
	})
	x.strs = slices.Grow(x.strs, nBytes-len(x.strs))
	x.docs = make([]doc, 0, len(es))
	x.facetOff = make([]uint32, 0, len(es))
	x.masks = make([]uint64, 0, numFacets*len(es))
	if x.small == 0 {
		x.maskOther = 1 // in tests, on small data: reach the values past the masks
	}
	x.places = make([]place, 0, nPlaces)
	x.facetVals = make([]uint32, 0, nVals)
	x.byService = make(map[string]uint32, len(es))
	for _, i := range order {
		x.add(&es[i])
		es[i] = entry{} // let the garbage collector have it
	}
	x.sorted = uint32(len(x.docs))
	// Values held by more than 1 in 128 services (and by thousands) get a
	// bitset too: probing each member of their sets would cost more.
	words := denseWords(len(x.docs))
	for k := range x.facets {
		fc := &x.facets[k]
		fc.cost = words / 2
		for v, set := range fc.sets {
			if n := int(set.GetCardinality()); n >= 4096 && n*128 >= len(x.docs) {
				fc.dense[v] = make([]uint64, words)
				set.WriteDenseTo(fc.dense[v])
				fc.members[v] = nil
				fc.cost += words * 3 / 2 // a popAnd streams two bitsets from memory
			} else {
				fc.members[v] = slices.Clip(fc.members[v])
				fc.cost += n
			}
		}
	}
	x.makeAnchors()
	// No RunOptimize: run containers save little on posting lists, and
	// intersecting arrays with them costs a binary search per element
	// where bitmap containers cost a bit test.
	return x
}

// makeAnchors gives the terms held by many documents an anchor, counted
// with the facets' bitsets on every core (far quicker than document by
// document as they are added), then kept as documents come and go.
func (x *index) makeAnchors() {
	minDF := max(4*x.small, uint64(len(x.docs)/128), 1)
	for t, p := range x.post {
		if p != nil && p.GetCardinality() >= minDF {
			x.anchorTerms = append(x.anchorTerms, uint32(t))
		}
	}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			sc := &scratch{}
			for i := w; i < len(x.anchorTerms); i += workers {
				t := x.anchorTerms[i]
				a := &anchor{}
				for s, all := range []bool{false, true} {
					set := roaring.And(x.post[t], x.baseOf(all))
					a.n[s] = uint32(set.GetCardinality())
					x.rawCount(set, allKinds, all, sc, &sc.counts)
					for k := range numFacets {
						a.counts[s][k] = slices.Clone(sc.counts[k])
					}
				}
				x.anchors[t] = a // each worker its own terms
			}
		})
	}
	wg.Wait()
}

// apply replaces the documents of the services named by ids with docs: a
// service in ids without a document in docs is removed. It reports whether
// the index has drifted far enough from name order, or holds enough dead
// documents, to be worth rebuilding.
func (x *index) apply(ids []string, docs []*haven.DirectoryDoc) (rebuild bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	clear(x.unions.m)
	for _, id := range ids {
		if n, ok := x.byService[id]; ok {
			x.kill(n)
			delete(x.byService, id)
		}
	}
	for _, d := range docs {
		e := x.entryOf(d)
		x.add(&e)
	}
	tail := len(x.docs) - int(x.sorted)
	return tail > x.drift && tail*8 > len(x.docs) || x.dead > x.drift && x.dead*2 > len(x.docs)
}

// defaultDrift is how many documents may be out of name order, or dead,
// before an index is worth rebuilding — if they are also an eighth of it
// (out of order) or half of it (dead). Out-of-order documents are sorted
// at each search that finds them; dead ones cost memory and bitmap work.
const defaultDrift = 4096
