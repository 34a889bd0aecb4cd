package intake

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads one sheet of an .xlsx workbook row by row through
// excelize's streaming iterator: a worksheet larger than a few megabytes
// is unzipped to a temporary file and read from there, never whole into
// memory.
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	row   int
	total int64
	sheet string
}

// xlsxLimits keep a hostile workbook (a "zip bomb") from filling the disk
// or memory: no real coalition list unzips to more than 1 GB.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 16 << 20}

// openXLSX opens a workbook file at the named sheet, or the first when
// sheet is "". excelize reads the file in place (OpenReader would copy it
// whole into memory first).
func openXLSX(path, sheet string) (*xlsxSource, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return newXLSXSource(func() (*excelize.File, error) { return excelize.OpenFile(path, xlsxLimits) }, sheet)
}

// readXLSX opens a workbook held in memory (for the fuzz test).
func readXLSX(r io.Reader, sheet string) (*xlsxSource, error) {
	return newXLSXSource(func() (*excelize.File, error) { return excelize.OpenReader(r, xlsxLimits) }, sheet)
}

func newXLSXSource(open func() (*excelize.File, error), sheet string) (src *xlsxSource, err error) {
	// excelize is well kept but parses what anyone uploads; a panic on a
	// broken file must be an error naming the file, not a crash.
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, fmt.Errorf("the workbook cannot be read (%v)", p)
		}
	}()
	f, err := open()
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			return nil, fmt.Errorf("not an .xlsx workbook (an old .xls? save it as .xlsx or CSV): %w", err)
		}
		return nil, err
	}
	list := f.GetSheetList()
	if len(list) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheet")
	}
	if sheet == "" {
		sheet = list[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		f.Close()
		return nil, fmt.Errorf("no sheet named %q: the sheets are %s", sheet, strings.Join(quoteAll(list), ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &xlsxSource{f: f, rows: rows, sheet: sheet}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, n, err := excelize.CellNameToCoordinates(last); err == nil {
				s.total = int64(n)
			}
		}
	}
	return s, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func (s *xlsxSource) next() (cells []string, row int, err error) {
	defer func() {
		if p := recover(); p != nil {
			cells, err = nil, fmt.Errorf("row %d cannot be read (%v)", s.row+1, p)
		}
	}()
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.row, err
		}
		return nil, s.row, io.EOF
	}
	s.row++
	// Values as the sheet shows them (a ZIP code formatted 00000 keeps
	// its zero, a date reads as a date), not the numbers underneath.
	cells, err = s.rows.Columns()
	if err != nil {
		return nil, s.row, fmt.Errorf("row %d: %w", s.row, err)
	}
	return cells, s.row, nil
}

func (s *xlsxSource) progress() (int64, int64) { return int64(s.row), s.total }

func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	return errors.Join(err, s.f.Close())
}
