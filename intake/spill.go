package intake

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
)

// spillAt is how many bytes of cells a table holds in memory before it
// moves its rows to a temporary file. A package's big tables (phones,
// schedules, languages, a row or more per service) then cost a few bytes a
// row in memory, for their place in the file, rather than their text: the
// reader of a 50 MB package held 120 MB of cells before. A variable so that
// tests can spill every table.
var spillAt = 1 << 20

// diskRows keeps a table's rows in a temporary file, each as its cells'
// lengths (uvarints) and bytes, read back on demand. The file is removed
// as soon as it is made; it lives until the reader closes it.
type diskRows struct {
	f    *os.File
	w    *bufio.Writer // while the table loads; nil after
	at   []int64
	ln   []uint32
	size int64
	buf  []byte
	// Recently read rows: a service's rows are read several times in a
	// row (a cell at a time), and neighbouring rows go to the same service.
	cache [32]struct {
		i     int
		cells []string
	}
	err error // the first read or write failure; the reader stops at it
}

func newDiskRows() (*diskRows, error) {
	f, err := os.CreateTemp("", "haven-import-*.rows")
	if err != nil {
		return nil, fmt.Errorf("a large table needs a temporary file: %w", err)
	}
	os.Remove(f.Name()) // gone from the folder now, and when closed from the disk
	d := &diskRows{f: f, w: bufio.NewWriterSize(f, 256<<10)}
	for k := range d.cache {
		d.cache[k].i = -1
	}
	return d, nil
}

// encode appends a row's record to buf.
func encodeRow(buf []byte, cells []string) []byte {
	for _, c := range cells {
		buf = binary.AppendUvarint(buf, uint64(len(c)))
		buf = append(buf, c...)
	}
	return buf
}

// add appends a row while the table loads.
func (d *diskRows) add(cells []string) {
	d.buf = encodeRow(d.buf[:0], cells)
	if _, err := d.w.Write(d.buf); err != nil && d.err == nil {
		d.err = err
	}
	d.at = append(d.at, d.size)
	d.ln = append(d.ln, uint32(len(d.buf)))
	d.size += int64(len(d.buf))
}

// loaded ends the loading: what is buffered goes to the file.
func (d *diskRows) loaded() error {
	if d.w != nil {
		if err := d.w.Flush(); err != nil && d.err == nil {
			d.err = err
		}
		d.w = nil
	}
	return d.err
}

// cells returns row i's cells; fewer than the header's when columns were
// added after it was written (they are empty).
func (d *diskRows) cells(i int) []string {
	slot := &d.cache[i%len(d.cache)]
	if slot.i == i {
		return slot.cells
	}
	rec := make([]byte, d.ln[i])
	if _, err := d.f.ReadAt(rec, d.at[i]); err != nil {
		if d.err == nil {
			d.err = fmt.Errorf("reading back a large table from its temporary file: %w", err)
		}
		return nil
	}
	s := string(rec) // one string a row; the cells are its parts
	var cells []string
	for k := 0; k < len(s); {
		n, w := binary.Uvarint(rec[k:])
		if w <= 0 || uint64(len(s)-k-w) < n {
			if d.err == nil {
				d.err = errors.New("a large table's temporary file is damaged")
			}
			return nil
		}
		k += w
		cells = append(cells, s[k:k+int(n)])
		k += int(n)
	}
	slot.i, slot.cells = i, cells
	return cells
}

// set rewrites row i with cells, at the end of the file.
func (d *diskRows) set(i int, cells []string) {
	rec := encodeRow(nil, cells)
	if _, err := d.f.WriteAt(rec, d.size); err != nil && d.err == nil {
		d.err = err
	}
	d.at[i], d.ln[i] = d.size, uint32(len(rec))
	d.size += int64(len(rec))
	if slot := &d.cache[i%len(d.cache)]; slot.i == i {
		slot.i = -1
	}
}

func (d *diskRows) close() error { return d.f.Close() }

// keep is a cell value a map keeps as a key: a copy for a spilled table,
// whose cells are parts of a row read back (keeping one would keep the
// whole row in memory), the value itself otherwise.
func (t *table) keep(v string) string {
	if t.disk != nil {
		return strings.Clone(v)
	}
	return v
}

// spill moves the table's rows to a temporary file.
func (t *table) spill() error {
	d, err := newDiskRows()
	if err != nil {
		return err
	}
	for i := range t.n {
		d.add(t.memCells(i))
	}
	t.disk, t.rows, t.offs = d, nil, nil
	return d.err
}
