package intake

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"haven/hsds"
)

// newCSV reads CSV as real exports write it: a byte order mark, rows of
// uneven length and stray quotes are taken in their stride.
func newCSV(r io.Reader) *csv.Reader { return newCSVSize(r, 64<<10) }

// newCSVSize is newCSV with a read buffer of size bytes (at least 16).
func newCSVSize(r io.Reader, size int) *csv.Reader {
	br := bufio.NewReaderSize(r, size)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return cr
}

// table is one CSV table of a package, with its cells trimmed, and which
// of its rows went into a service. A small table is held in memory; a large
// one in a temporary file (spill.go).
type table struct {
	name, file string
	cols       map[string]int
	header     []string
	n          int // rows
	// rows hold each row's cells end to end, and offs the cells' bounds,
	// stride to a row: one string and a few integers a row, rather than a
	// string a cell, keeps a table in less memory. Both are nil once the
	// table is on disk.
	rows   []string
	offs   []uint32
	stride int // len(header)+1
	size   int // bytes of cells in memory
	disk   *diskRows
	lines  []int
	used   []bool
	bad    []bool // refused for a reason already reported
	rep    *TableReport
	index  map[string]map[string][]int // column → value → rows
	fixed  map[string][]bool           // what → rows already reported
	byID   map[string]int
}

func (t *table) get(i int, col string) string {
	c, ok := t.cols[col]
	if !ok {
		return ""
	}
	if t.disk != nil {
		if cells := t.disk.cells(i); c < len(cells) {
			return cells[c]
		}
		return ""
	}
	o := t.offs[i*t.stride:]
	return t.rows[i][o[c]:o[c+1]]
}

// memCells returns the cells of row i of a table in memory.
func (t *table) memCells(i int) []string {
	cells := make([]string, t.stride-1)
	o := t.offs[i*t.stride:]
	for k := range cells {
		cells[k] = t.rows[i][o[k]:o[k+1]]
	}
	return cells
}

// add appends a row of len(header) cells; past spillAt bytes the table
// moves to disk.
func (t *table) add(cells []string) error {
	t.n++
	if t.disk != nil {
		t.disk.add(cells)
		return t.disk.err
	}
	n := 0
	for _, c := range cells {
		n += len(c)
	}
	var b strings.Builder
	b.Grow(n)
	t.offs = append(t.offs, 0)
	for _, c := range cells {
		b.WriteString(c)
		t.offs = append(t.offs, uint32(b.Len()))
	}
	t.rows = append(t.rows, b.String())
	if t.size += n; t.size > spillAt {
		return t.spill()
	}
	return nil
}

// set changes one cell of row i.
func (t *table) set(i, c int, v string) {
	if t.disk != nil {
		cells := append([]string(nil), t.disk.cells(i)...)
		for len(cells) <= c {
			cells = append(cells, "")
		}
		cells[c] = v
		t.disk.set(i, cells)
		return
	}
	cells := t.memCells(i)
	cells[c] = v
	t.rows[i] = strings.Join(cells, "")
	o := t.offs[i*t.stride:]
	at := uint32(0)
	for k, x := range cells {
		o[k] = at
		at += uint32(len(x))
		o[k+1] = at
	}
}

func (t *table) has(col string) bool { _, ok := t.cols[col]; return ok }

// where names a row for messages: "phones.csv line 7 (id 12)".
func (t *table) where(i int) string {
	s := fmt.Sprintf("line %d", t.lines[i])
	if id := t.get(i, "id"); id != "" && len(id) <= 80 {
		s = fmt.Sprintf("%s %s (line %d)", t.name, id, t.lines[i])
	}
	return s
}

// rowsWith returns the rows whose col holds v.
func (t *table) rowsWith(col, v string) []int {
	if t == nil || v == "" || !t.has(col) {
		return nil
	}
	if t.index == nil {
		t.index = map[string]map[string][]int{}
	}
	m, ok := t.index[col]
	if !ok {
		m = map[string][]int{}
		for i := range t.n {
			if x := t.get(i, col); x != "" {
				if rows, ok := m[x]; ok {
					m[x] = append(rows, i)
				} else {
					m[t.keep(x)] = []int{i}
				}
			}
		}
		t.index[col] = m
	}
	return m[v]
}

// row returns the row whose id is id.
func (t *table) row(id string) (int, bool) {
	if t == nil || id == "" {
		return 0, false
	}
	i, ok := t.byID[id]
	return i, ok
}

// scanTable reads a CSV table row by row, calling fn with each row's
// cleaned cells and line; it returns the header. A row with more cells
// than the header is reported to fn with extra set.
func scanTable(fsys fs.FS, file string, rep *TableReport, fn func(cells []string, line int, extra bool) error) ([]string, error) {
	c, err := openCursor(fsys, file, rep)
	if err != nil {
		return nil, err
	}
	defer c.close()
	for {
		cells, line, extra, err := c.next()
		if errors.Is(err, io.EOF) {
			return c.header, nil
		}
		if err != nil {
			return nil, err
		}
		if err := fn(cells, line, extra); err != nil {
			return nil, err
		}
	}
}

// cursor reads a CSV table one row at a time, on the caller's goroutine:
// the services table streams through one, so that reading a package does
// the same work in the same order every time, and stops where its reader
// stops.
type cursor struct {
	file   string
	f      fs.File
	cr     *csv.Reader
	header []string // nil for an empty file
	rep    *TableReport
}

// openCursor opens file and reads its header.
func openCursor(fsys fs.FS, file string, rep *TableReport) (*cursor, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, err
	}
	// A package has a score of tables, most of them small: a buffer no
	// larger than the file saves a 64 kB allocation for each.
	size := 64 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() < int64(size) {
		size = int(fi.Size()) + 16
	}
	c := &cursor{file: file, f: f, cr: newCSVSize(f, size), rep: rep}
	header, err := c.cr.Read()
	if errors.Is(err, io.EOF) {
		return c, nil
	}
	if err != nil {
		f.Close()
		return nil, &hsds.FieldError{File: file, Record: "line 1", Reason: err.Error()}
	}
	header = append([]string(nil), header...)
	for i, h := range header {
		if !utf8.ValidString(h) {
			f.Close()
			return nil, &hsds.FieldError{File: file, Record: "line 1", Reason: fmt.Sprintf("column %d: the header is not UTF-8 text: save the file as UTF-8", i+1)}
		}
		header[i] = strings.ToLower(Clean(h))
	}
	c.header = header
	return c, nil
}

// next returns the next row's cleaned cells (len(header) of them) and its
// line, with extra set when the row had more cells than the header; io.EOF
// after the last.
func (c *cursor) next() (cells []string, line int, extra bool, err error) {
	if c.header == nil {
		return nil, 0, false, io.EOF
	}
	for {
		rec, err := c.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, 0, false, io.EOF
		}
		line, _ = c.cr.FieldPos(0)
		if err != nil {
			return nil, line, false, &hsds.FieldError{File: c.file, Record: fmt.Sprintf("line %d", line), Reason: err.Error()}
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		cells = make([]string, len(c.header))
		for i, v := range rec {
			if i >= len(cells) {
				break
			}
			if !utf8.ValidString(v) {
				return nil, line, false, &hsds.FieldError{File: c.file, Record: fmt.Sprintf("line %d", line), Field: c.header[i], Reason: "the cell is not UTF-8 text: save the file as UTF-8"}
			}
			cl := Clean(v)
			if cl != v && c.rep != nil {
				c.rep.Fix("spaces trimmed", fmt.Sprintf("line %d %s %q", line, c.header[i], short(v)))
			}
			cells[i] = cl
		}
		return cells, line, len(rec) > len(c.header) && strings.Join(rec[len(c.header):], "") != "", nil
	}
}

func (c *cursor) close() error { return c.f.Close() }

func short(s string) string {
	if len(s) > 40 {
		for i := 40; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "…"
			}
		}
	}
	return s
}

// loadTable reads a whole table into memory.
func loadTable(fsys fs.FS, name, file string, rep *TableReport) (*table, error) {
	t := &table{name: name, file: file, rep: rep, byID: map[string]int{}, cols: map[string]int{}}
	rep.File = file
	header, err := scanTable(fsys, file, rep, func(cells []string, line int, extra bool) error {
		if extra {
			rep.Fix("cells beyond the last column left out", fmt.Sprintf("line %d", line))
		}
		if t.n == 0 {
			t.stride = len(cells) + 1
		}
		t.lines = append(t.lines, line)
		return t.add(cells)
	})
	if err == nil && t.disk != nil {
		err = t.disk.loaded()
	}
	if err != nil {
		if t.disk != nil {
			t.disk.close()
		}
		return nil, err
	}
	t.header = header
	t.stride = len(header) + 1
	for i, h := range header {
		if _, dup := t.cols[h]; !dup {
			t.cols[h] = i
		}
	}
	t.used = make([]bool, t.n)
	t.bad = make([]bool, t.n)
	rep.Read = t.n
	return t, nil
}

// fix reports a change to row i once, however many services share the row.
func (t *table) fix(i int, what, example string) {
	if t.fixed == nil {
		t.fixed = map[string][]bool{}
	}
	done, ok := t.fixed[what]
	if !ok {
		done = make([]bool, t.n)
		t.fixed[what] = done
	}
	if done[i] {
		return
	}
	done[i] = true
	t.rep.Fix(what, example)
}
