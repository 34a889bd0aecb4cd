package haven

import (
	"context"

	"haven/hsds"
	"haven/intake"
)

// SheetImport asks for a coalition's spreadsheet (.csv or .xlsx, one
// service a row) to be read and, unless DryRun, imported.
type SheetImport struct {
	// Path is the file on the server's disk; Name how to call it in the
	// report and errors (an upload's own name), its base name when "".
	Path, Name string
	// Options say how to read it (source, sheet, column mappings, default
	// country). The store fills in the taxonomy terms categories map to.
	Options intake.SheetOptions
	// SkipInvalid takes the rows that can be taken and reports the
	// others; without it the first bad row refuses the whole import.
	SkipInvalid bool
	// DryRun reads and checks everything and writes nothing.
	DryRun bool
	// Actor is who imports, for the audit trail.
	Actor string
	// Keep is how many of the first services to return, for a preview.
	Keep int
	// Progress, when set, is called as rows are read: how far into the
	// file (bytes of a CSV, rows of a workbook; total 0 when unknown), and
	// how many rows have been read.
	Progress func(done, total int64, rows int)
}

// SheetResult says what a spreadsheet import did, or with DryRun would do.
type SheetResult struct {
	Report *intake.Report
	Counts intake.SheetCounts
	// First are the first services read (SheetImport.Keep of them).
	First []*hsds.Service
	// Written reports whether the directory was changed (not a dry run).
	Written bool
}

// ImportService brings data from files into the provider directory.
type ImportService interface {
	// ImportSheet reads a spreadsheet and imports its services in one
	// transaction, or with DryRun only reads it. EINVALID, naming the file,
	// row and column, for a file that cannot be read or, without
	// SkipInvalid, a row that cannot be taken; nothing is written then.
	ImportSheet(ctx context.Context, req SheetImport) (*SheetResult, error)
}
