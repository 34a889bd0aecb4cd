package intake

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The formats a Report can name.
const (
	FormatHSDS30 = "hsds-3.0" // and 3.1, which only adds to 3.0
	FormatHSDS20 = "hsds-2.0"
	FormatHSDS11 = "hsds-1.1"
	FormatCSV    = "csv"
	FormatXLSX   = "xlsx"
)

// MaxExamples is how many examples a Tally keeps: enough to find the rows,
// few enough that a report on 100,000 rows stays readable.
const MaxExamples = 3

// Report says what an import read and what became of it.
type Report struct {
	Source string `json:"source"` // the file or folder read
	Format string `json:"format"` // one of the Format constants
	// How the format was recognized: "descriptor", "table names",
	// "file extension".
	DetectedBy string         `json:"detected_by,omitempty"`
	Services   int            `json:"services"` // HSDS 3.0 services produced
	Tables     []*TableReport `json:"tables"`
	// Notes are decisions that concern the whole import ("country US
	// assumed: every state is a U.S. state").
	Notes []string `json:"notes,omitempty"`
}

// TableReport is one table of a package, or one sheet of a spreadsheet.
type TableReport struct {
	Name     string `json:"name"`
	File     string `json:"file,omitempty"`
	Read     int    `json:"read"`     // data rows read
	Imported int    `json:"imported"` // rows that went into a service
	Skipped  int    `json:"skipped"`  // rows left out, counted in SkipReasons
	// SkipReasons says why rows were left out, with examples.
	SkipReasons []*Tally `json:"skip_reasons,omitempty"`
	// Fixes are values changed on the way in ("phone normalized to
	// E.164", "value trimmed", "id made a stable UUID"), with examples.
	Fixes []*Tally `json:"fixes,omitempty"`
	// Unmapped names the columns that have no home in HSDS 3.0 (or, for
	// a spreadsheet, that no column name or --map matched).
	Unmapped []string `json:"unmapped_columns,omitempty"`
	// Unrecognized are values read but not understood, with examples: a
	// category that is not in the taxonomy (left out, never invented), a
	// language without an ISO 639 code (kept by its name).
	Unrecognized []*Tally `json:"unrecognized,omitempty"`
}

// Tally counts one kind of event and keeps its first examples.
type Tally struct {
	What     string   `json:"what"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// Table returns the report of the named table, adding it the first time.
func (r *Report) Table(name string) *TableReport {
	for _, t := range r.Tables {
		if t.Name == name {
			return t
		}
	}
	t := &TableReport{Name: name}
	r.Tables = append(r.Tables, t)
	return t
}

// Note records a decision about the whole import.
func (r *Report) Note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// SkippedRows is the number of rows left out in every table.
func (r *Report) SkippedRows() int {
	n := 0
	for _, t := range r.Tables {
		n += t.Skipped
	}
	return n
}

// Skip counts a row left out for reason; example locates it ("row 12:
// id 4411").
func (t *TableReport) Skip(reason, example string) {
	t.Skipped++
	tally(&t.SkipReasons, reason, example)
}

// Fix counts a value changed on the way in.
func (t *TableReport) Fix(what, example string) { tally(&t.Fixes, what, example) }

// Unknown counts a value read but not understood (see Unrecognized).
func (t *TableReport) Unknown(what, example string) { tally(&t.Unrecognized, what, example) }

// NoHome records a column with no home in HSDS 3.0, once.
func (t *TableReport) NoHome(column string) {
	for _, c := range t.Unmapped {
		if c == column {
			return
		}
	}
	t.Unmapped = append(t.Unmapped, column)
}

func tally(list *[]*Tally, what, example string) {
	for _, x := range *list {
		if x.What == what {
			x.Count++
			if len(x.Examples) < MaxExamples && example != "" {
				x.Examples = append(x.Examples, example)
			}
			return
		}
	}
	x := &Tally{What: what, Count: 1}
	if example != "" {
		x.Examples = []string{example}
	}
	*list = append(*list, x)
}

// WriteJSON writes the report as indented JSON (--report FILE).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person reading a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", r.Source, r.Format)
	if r.DetectedBy != "" {
		fmt.Fprintf(&b, " (recognized by its %s)", r.DetectedBy)
	}
	fmt.Fprintf(&b, ", %d services\n", r.Services)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	for _, t := range r.Tables {
		name := t.Name
		if t.File != "" && t.File != t.Name {
			name += " (" + t.File + ")"
		}
		fmt.Fprintf(&b, "  %s: %d read, %d imported, %d skipped\n", name, t.Read, t.Imported, t.Skipped)
		for _, x := range t.SkipReasons {
			fmt.Fprintf(&b, "    skipped %d: %s%s\n", x.Count, x.What, examples(x))
		}
		for _, x := range t.Fixes {
			fmt.Fprintf(&b, "    changed %d: %s%s\n", x.Count, x.What, examples(x))
		}
		for _, x := range t.Unrecognized {
			fmt.Fprintf(&b, "    not recognized %d: %s%s\n", x.Count, x.What, examples(x))
		}
		if len(t.Unmapped) > 0 {
			what := "columns with no place in HSDS 3.0, not imported"
			if r.Format == FormatCSV || r.Format == FormatXLSX {
				what = "columns Haven does not recognize, not imported (name them with --map 'Column=field')"
			}
			fmt.Fprintf(&b, "    %s: %s\n", what, strings.Join(t.Unmapped, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func examples(x *Tally) string {
	if len(x.Examples) == 0 {
		return ""
	}
	return " (e.g. " + strings.Join(x.Examples, "; ") + ")"
}
