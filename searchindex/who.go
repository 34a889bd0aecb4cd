package searchindex

import (
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

// whoIndex holds the age bounds and weekly hours of the documents that
// have them: few do, so each filter walks those rather than every
// document. A document replaced or removed keeps its entry until the next
// rebuild; searches only ever keep live documents.
type whoIndex struct {
	aged  roaring.Bitmap // documents with an age bound
	ages  map[uint32][2]*float64
	timed roaring.Bitmap // documents with hours
	hours map[uint32][]haven.WeeklyHours
}

func (w *whoIndex) add(n uint32, e *entry) {
	if e.minAge != nil || e.maxAge != nil {
		if w.ages == nil {
			w.ages = map[uint32][2]*float64{}
		}
		w.aged.Add(n)
		w.ages[n] = [2]*float64{e.minAge, e.maxAge}
	}
	if len(e.hours) > 0 {
		if w.hours == nil {
			w.hours = map[uint32][]haven.WeeklyHours{}
		}
		w.timed.Add(n)
		w.hours[n] = e.hours
	}
}

// filter returns the members of set that f's age and open filters keep, as
// SQL's whoConds does: bounds admit the age (a missing bound is open), and
// hours include the moment (unknown hours never do).
func (w *whoIndex) filter(set *roaring.Bitmap, f haven.DirectoryFilter) *roaring.Bitmap {
	if f.Age != nil {
		out := set.Clone()
		it := roaring.And(&w.aged, set).Iterator()
		for it.HasNext() {
			n := it.Next()
			b := w.ages[n]
			if !haven.AgeAdmits(b[0], b[1], *f.Age) {
				out.Remove(n)
			}
		}
		set = out
	}
	if f.Open != nil {
		out := roaring.New()
		clocks := map[string][2]int{} // zone → day and minute, once per zone
		it := roaring.And(&w.timed, set).Iterator()
		for it.HasNext() {
			n := it.Next()
			for _, h := range w.hours[n] {
				c, ok := clocks[h.Zone]
				if !ok {
					d, m := f.Open.Local(h.Zone)
					c = [2]int{int(d), m}
					clocks[h.Zone] = c
				}
				if int(h.Day) == c[0] && (c[1] < 0 && h.Closes > h.Opens || h.Opens <= c[1] && c[1] < h.Closes) {
					out.Add(n)
					break
				}
			}
		}
		set = out
	}
	return set
}
