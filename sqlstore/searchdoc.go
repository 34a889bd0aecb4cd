package sqlstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"haven"
)

// A service's search document is also stored whole, encoded, in
// search_docs, beside the rows SQL search reads. An in-memory index then
// starts from one sequential read of small rows instead of joining five
// tables per service and walking each service's JSON to reach its terms:
// at a million services that join was most of the index's start.
//
// The encoding is canonical: terms are a set, so the head terms and the
// other terms are each stored sorted and once, and a document read back
// from SQL (whatever order its engine returns terms in) encodes to the same
// bytes as the one the writer made.

const searchDocVersion = 3 // 2: who is served and hours (searchdoc_who.go), service areas (service_areas.go); 3: room (capacity_update.go)

// errSearchDoc is what decodeSearchDoc returns for bytes it cannot read.
var errSearchDoc = errors.New("bad search document")

// encodeSearchDoc returns d's stored form. The service id is not in it:
// it is the row's key.
func encodeSearchDoc(d *haven.DirectoryDoc) []byte {
	head := sortedSet(d.HeadTerms, nil)
	rest := sortedSet(d.Terms, head)
	b := make([]byte, 0, 64+len(d.Name)+len(d.OrgName)+8*(len(d.Terms)+len(head)))
	b = append(b, searchDocVersion)
	for _, s := range []string{d.Name, d.Status, d.OrgID, d.OrgName} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Places)))
	for _, p := range d.Places {
		for _, s := range []string{p.LocationID, p.State, p.Country, p.City} {
			b = appendString(b, s)
		}
		var flags byte
		if p.Lat != nil {
			flags |= 1
		}
		if p.Lon != nil {
			flags |= 2
		}
		b = append(b, flags)
		if p.Lat != nil {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*p.Lat))
		}
		if p.Lon != nil {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*p.Lon))
		}
	}
	for _, list := range [][]string{d.Categories, d.Languages, head, rest} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			b = appendString(b, s)
		}
	}
	b = appendWho(b, d)
	b = appendAreas(b, d)
	return appendRoom(b, d)
}

// sortedSet returns the distinct strings of list, sorted, leaving out those
// in skip (sorted).
func sortedSet(list, skip []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(skip) > 0 {
		out = slices.DeleteFunc(out, func(s string) bool { _, in := slices.BinarySearch(skip, s); return in })
	}
	return out
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// docDecoder reads stored search documents. Values that repeat across
// services (terms, codes, statuses) are interned: a million documents
// share a few thousand distinct terms, so interning saves most of the
// allocations of reading them.
type docDecoder struct {
	interned map[string]string
}

func newDocDecoder() *docDecoder { return &docDecoder{interned: map[string]string{}} }

// decode reads the document of service id from b.
func (dec *docDecoder) decode(id string, b []byte) (*haven.DirectoryDoc, error) {
	r := docReader{b: b, dec: dec}
	if len(b) == 0 || b[0] != searchDocVersion {
		return nil, fmt.Errorf("%w of service %s: unknown version", errSearchDoc, id)
	}
	r.b = b[1:]
	d := &haven.DirectoryDoc{ServiceID: id}
	d.Name, d.Status, d.OrgID, d.OrgName = r.str(false), r.str(true), r.str(false), r.str(false)
	if n := r.count(); n > 0 {
		d.Places = make([]haven.DirectoryPlace, n)
		for i := range d.Places {
			p := &d.Places[i]
			p.LocationID, p.State, p.Country, p.City = r.str(false), r.str(true), r.str(true), r.str(false)
			flags := r.byte()
			if flags&^3 != 0 {
				r.fail()
			}
			if flags&1 != 0 {
				p.Lat = r.float()
			}
			if flags&2 != 0 {
				p.Lon = r.float()
			}
		}
	}
	d.Categories, d.Languages = r.strs(), r.strs()
	head, rest := r.strs(), r.strs()
	r.who(d)
	r.areas(d)
	r.room(d)
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w of service %s: %v", errSearchDoc, id, r.err)
	}
	d.HeadTerms = head
	d.Terms = make([]string, 0, len(head)+len(rest))
	d.Terms = append(append(d.Terms, head...), rest...)
	return d, nil
}

// docReader reads the fields of one document, remembering the first error.
type docReader struct {
	b   []byte
	dec *docDecoder
	err error
}

func (r *docReader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated or malformed")
	}
	r.b = nil
}

func (r *docReader) count() int {
	n, k := binary.Uvarint(r.b)
	// Every counted item takes at least a byte: a larger count is corrupt,
	// and would otherwise allocate without bound.
	if k <= 0 || n > uint64(len(r.b)-k) {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return int(n)
}

func (r *docReader) bytes() []byte {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)-k) {
		r.fail()
		return nil
	}
	s := r.b[k : k+int(n)]
	r.b = r.b[k+int(n):]
	return s
}

// str reads a string, interned when intern is set.
func (r *docReader) str(intern bool) string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	if !intern {
		return string(b)
	}
	if s, ok := r.dec.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	r.dec.interned[s] = s
	return s
}

func (r *docReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str(true)
	}
	return out
}

func (r *docReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *docReader) float() *float64 {
	if len(r.b) < 8 {
		r.fail()
		return nil
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return &f
}
