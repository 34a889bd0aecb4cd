package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// rowSource gives a sheet's rows one at a time, so that a large file is
// never held whole in memory.
type rowSource interface {
	// next returns the next row's cells and its number as a spreadsheet
	// shows it (1 for the first row); io.EOF at the end.
	next() (cells []string, row int, err error)
	// progress says how far the reading is: bytes of a CSV file, rows of
	// a sheet; total is 0 when unknown.
	progress() (done, total int64)
	Close() error
}

// csvSource reads a CSV file: comma, semicolon or tab separated (as the
// first line shows), UTF-8 with or without a byte order mark, or, when it
// is not UTF-8, Windows-1252 as Excel writes it.
type csvSource struct {
	f     io.Closer
	r     *csv.Reader
	read  *atomic.Int64
	size  int64
	row   int
	notes []string
}

// countReader counts the bytes read, for progress.
type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func openCSV(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	src, err := newCSVSource(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	src.f = f
	return src, nil
}

// newCSVSource reads CSV from r, of size bytes (0 when unknown).
func newCSVSource(r io.Reader, size int64) (*csvSource, error) {
	s := &csvSource{read: new(atomic.Int64), size: size}
	br := bufio.NewReaderSize(countReader{r, s.read}, 1<<16)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	var in io.Reader = br
	if !utf8.Valid(trimPartialRune(head)) {
		in = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		s.notes = append(s.notes, "the file is not UTF-8: read as Windows-1252, as Excel saves CSV")
	}
	s.r = csv.NewReader(in)
	s.r.Comma = sniffComma(head)
	if s.r.Comma != ',' {
		s.notes = append(s.notes, fmt.Sprintf("columns separated by %q", s.r.Comma))
	}
	s.r.FieldsPerRecord = -1 // rows of different lengths are common; short ones are padded
	s.r.LazyQuotes = true    // a stray quote inside a cell is the cell's
	s.r.ReuseRecord = true
	return s, nil
}

// trimPartialRune drops an incomplete UTF-8 sequence cut by the peek.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// sniffComma picks the separator the first line uses most, outside quotes.
func sniffComma(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		counts[c]++
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, s.row + 1, fmt.Errorf("row %d: %w", s.row+1, pe.Err)
		}
		return nil, s.row, err
	}
	s.row++
	return rec, s.row, nil
}

func (s *csvSource) progress() (int64, int64) { return s.read.Load(), s.size }

func (s *csvSource) Close() error {
	if s.f != nil {
		return s.f.Close()
	}
	return nil
}
