package sqlstore

import (
	"encoding/binary"
	"math"
	"time"

	"haven"
)

// The stored search document's who and hours fields (version 2 on):
// a flags byte (1: min age, 2: max age) and the bounds, the populations
// and kinds of trafficking as string lists, and the hours as a count and,
// for each, its zone, day, opens and closes. Hours are stored in their
// canonical order, which is the order whoDoc makes them in.

func appendWho(b []byte, d *haven.DirectoryDoc) []byte {
	var flags byte
	if d.MinAge != nil {
		flags |= 1
	}
	if d.MaxAge != nil {
		flags |= 2
	}
	b = append(b, flags)
	for _, v := range []*float64{d.MinAge, d.MaxAge} {
		if v != nil {
			b = appendFloat(b, *v)
		}
	}
	for _, list := range [][]string{sortedSet(d.Populations, nil), sortedSet(d.Trafficking, nil)} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			b = appendString(b, s)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(d.Hours)))
	for _, h := range d.Hours {
		b = appendString(b, h.Zone)
		b = append(b, byte(h.Day))
		b = binary.AppendUvarint(b, uint64(h.Opens))
		b = binary.AppendUvarint(b, uint64(h.Closes))
	}
	return b
}

// who reads what appendWho wrote into d.
func (r *docReader) who(d *haven.DirectoryDoc) {
	flags := r.byte()
	if flags&^3 != 0 {
		r.fail()
		return
	}
	if flags&1 != 0 {
		d.MinAge = r.float()
	}
	if flags&2 != 0 {
		d.MaxAge = r.float()
	}
	d.Populations, d.Trafficking = r.strs(), r.strs()
	if n := r.count(); n > 0 {
		d.Hours = make([]haven.WeeklyHours, n)
		for i := range d.Hours {
			h := &d.Hours[i]
			h.Zone = r.str(true)
			day := r.byte()
			opens, closes := r.uvarint(), r.uvarint()
			if day > 6 || opens > 1440 || closes > 1440 {
				r.fail()
				return
			}
			h.Day, h.Opens, h.Closes = time.Weekday(day), int(opens), int(closes)
		}
	}
}

func appendFloat(b []byte, f float64) []byte {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], math.Float64bits(f))
	return append(b, buf[:]...)
}

func (r *docReader) uvarint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}
