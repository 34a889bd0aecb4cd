package searchindex

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"

	"haven"
)

// allKinds lists every facet kind, for counting them all.
var allKinds = func() []int {
	out := make([]int, numFacets)
	for k := range out {
		out[k] = k
	}
	return out
}()

// whoIndex holds the documents' age bounds and weekly hours, in flat
// arrays by document number (documents are added in number order), so
// that a million documents cost a few bytes each rather than a map entry.
// A document replaced or removed keeps its entry until the next rebuild;
// searches only ever keep live documents.
type whoIndex struct {
	aged  roaring.Bitmap // documents with an age bound
	ages  []float64      // by document: minimum and maximum age, NaN for none
	timed roaring.Bitmap // documents with hours
	// hoursOff[n] is where document n's hours start in hours, which
	// holds each as zone<<48 | day<<32 | opens<<16 | closes.
	hoursOff []uint32
	hours    []uint64
	zones    []string // by zone id
	zoneIDs  map[string]uint64
	// roomy holds the documents with a capacity above zero, rooms the
	// latest update time of those capacities in Unix milliseconds: few
	// services count capacities, so a map costs less than an array.
	roomy roaring.Bitmap
	rooms map[uint32]int64
}

func (w *whoIndex) add(n uint32, e *entry) {
	lo, hi := math.NaN(), math.NaN()
	if e.minAge != nil {
		lo = *e.minAge
	}
	if e.maxAge != nil {
		hi = *e.maxAge
	}
	w.ages = append(w.ages, lo, hi)
	if e.minAge != nil || e.maxAge != nil {
		w.aged.Add(n)
	}
	if len(w.hoursOff) == 0 {
		w.hoursOff = append(w.hoursOff, 0)
	}
	for _, h := range e.hours {
		id, ok := w.zoneIDs[h.Zone]
		if !ok {
			if w.zoneIDs == nil {
				w.zoneIDs = map[string]uint64{}
			}
			id = uint64(len(w.zones))
			w.zoneIDs[h.Zone] = id
			w.zones = append(w.zones, h.Zone)
		}
		w.hours = append(w.hours, id<<48|uint64(h.Day)<<32|uint64(h.Opens)<<16|uint64(h.Closes))
	}
	w.hoursOff = append(w.hoursOff, uint32(len(w.hours)))
	if e.room != nil {
		if w.rooms == nil {
			w.rooms = map[uint32]int64{}
		}
		w.rooms[n] = e.room.UnixMilli()
		w.roomy.Add(n)
	}
	if len(e.hours) > 0 {
		w.timed.Add(n)
	}
}

// admits reports whether document n's age bounds admit age, as
// haven.AgeAdmits does.
func (w *whoIndex) admits(n uint32, age int) bool {
	lo, hi := w.ages[2*n], w.ages[2*n+1]
	a := float64(age)
	return !(lo > a) && !(hi < a) // NaN compares false: an open bound
}

// filter returns the members of set that f's age and open filters keep, as
// SQL's whoConds does: bounds admit the age (a missing bound is open), and
// hours include the moment (unknown hours never do).
func (w *whoIndex) filter(set *roaring.Bitmap, f haven.DirectoryFilter) *roaring.Bitmap {
	if f.Age != nil {
		out := set.Clone()
		it := roaring.And(&w.aged, set).Iterator()
		for it.HasNext() {
			if n := it.Next(); !w.admits(n, *f.Age) {
				out.Remove(n)
			}
		}
		set = out
	}
	if f.Open != nil {
		// The day and minute of the moment on each zone's clocks, once.
		clocks := make([][2]int, len(w.zones))
		for id, z := range w.zones {
			d, m := f.Open.Local(z)
			clocks[id] = [2]int{int(d), m}
		}
		out := roaring.New()
		it := roaring.And(&w.timed, set).Iterator()
		for it.HasNext() {
			n := it.Next()
			for _, h := range w.hours[w.hoursOff[n]:w.hoursOff[n+1]] {
				c := clocks[h>>48]
				day, opens, closes := int(h>>32&0xffff), int(h>>16&0xffff), int(h&0xffff)
				if day == c[0] && (c[1] < 0 && closes > opens || opens <= c[1] && c[1] < closes) {
					out.Add(n)
					break
				}
			}
		}
		set = out
	}
	if !f.RoomSince.IsZero() {
		// As SQL's roomCond: a capacity above zero updated since then.
		since := f.RoomSince.UnixMilli()
		out := roaring.New()
		it := roaring.And(&w.roomy, set).Iterator()
		for it.HasNext() {
			if n := it.Next(); w.rooms[n] >= since {
				out.Add(n)
			}
		}
		set = out
	}
	return set
}
