package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"haven/hsds"
	"haven/intake"
	"haven/sqlstore"
)

func importCommand() *command {
	return &command{
		name:    "import",
		summary: "import providers from Open Referral data (HSDS 3.1, 3.0, 2.0 or 1.1)",
		usage:   "[--db DSN] [--skip-invalid] [--dry-run] [--report FILE] [--default-country CC] [--source NAME] [--sheet NAME] [--map 'Column=field']... PATH",
		help: `Imports services into the provider directory. PATH is either
  - an HSDS 3.1 (or 3.0) JSON file: one service, an array of services, an API page
    envelope with "contents", or NDJSON (one service a line), each service
    with its organization and locations nested; or "-" for standard input;
  - a folder, or a .zip of one, holding an HSDS tabular data package:
    HSDS 3.1, 3.0, 2.0 or 1.1. The version comes from datapackage.json or,
    when there is none, from the names of the tables and their columns. 3.1
    only adds to 3.0 (service_capacity.csv, units.csv, url.csv and a few
    columns), so both read alike; 2.0 and 1.1 data are converted to HSDS 3.1
    on the way in.

Every record is checked first. By default one invalid record rejects the
whole import, nothing is written, and the error names the file, the row or
record, the field and the reason. With --skip-invalid the valid records are
imported and the others reported. Either way the import is one transaction.
Importing the same data again updates it in place and makes no duplicates.

At the end a report says, table by table, how many rows were read,
imported and left out and why (with examples), what values were changed
on the way (trimmed, phone numbers in E.164, web addresses completed, ...)
and which columns have no place in HSDS 3.1. --report FILE writes it as
JSON too.

Rows of 2.0 and 1.1 packages whose ids are not UUIDs get stable UUIDs made
from --source (default: the folder or file name without extension), the
table and the original id; keep the same --source when importing a newer
copy of the same data, so that it updates what the last import wrote. The
original ids are kept: organizations in organization_identifiers,
locations in external_identifier, services in a metadata record of the id
change.

Each service records where it came from: the file's name, the id the
file gives it and when it was imported, shown on the curator's page (a
service a feed provides keeps its feed; see haven feeds).

An address without a country gets --default-country; without that flag,
US when every state in the package is a U.S. state (the report says so).` + fmt.Sprintf(sheetHelp, wrapList(intake.Fields, 76)),
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			var f importFlags
			fs.BoolVar(&f.skip, "skip-invalid", false, "import the valid records and report the invalid ones")
			fs.BoolVar(&f.dryRun, "dry-run", false, "check everything and show what would be imported, with the report; write nothing")
			fs.StringVar(&f.report, "report", "", "also write the report as JSON to `FILE`")
			fs.StringVar(&f.country, "default-country", "", "ISO 3166-1 alpha-2 country of addresses that give none (default US when every state is a U.S. state)")
			fs.StringVar(&f.source, "source", "", "namespace of the stable ids made for non-UUID ids (default: the folder or file name; \"spreadsheet\" for spreadsheets)")
			memory := fs.Int("memory", 512, "about how much memory the import may use, in `MiB`: an eighth is SQLite's page cache, half bounds the Go heap, the rest is left to SQLite's own work (raise it for a million services)")
			sheet := newSheetFlags(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("import takes one PATH: a JSON or NDJSON file, a data package folder or .zip, a .csv or .xlsx spreadsheet, or -")
				}
				if *memory < 128 {
					return fmt.Errorf("import: --memory %d: give at least 128 (MiB)", *memory)
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				store.ImportCacheMiB = *memory / 8
				m.boundHeap(int64(*memory/2) << 20)
				if isSheet(args[0]) {
					return m.importSheet(ctx, sqlstore.NewDirectoryService(store), sheet,
						sheetRun{path: args[0], source: f.source, country: f.country, reportFile: f.report, skip: f.skip, dryRun: f.dryRun})
				}
				_, err = m.importPath(ctx, sqlstore.NewDirectoryService(store), args[0], f)
				return err
			}
		},
	}
}

// boundHeap asks the Go collector to keep the heap under limit bytes (a
// soft limit: it collects sooner rather than letting the heap double), so
// that an import's memory does not grow with the garbage of the records it
// has written. GOMEMLIMIT, when set, is the operator's choice and wins.
func (m *Main) boundHeap(limit int64) {
	if os.Getenv("GOMEMLIMIT") == "" && m.SetMemoryLimit != nil {
		m.SetMemoryLimit(limit)
	}
}

// dryRunShown is how many services a dry run names.
const dryRunShown = 20

// importFlags are the choices of "haven import".
type importFlags struct {
	skip, dryRun            bool
	report, country, source string
}

// importInput is an input opened for import: its services one at a time,
// and what it knows to report.
type importInput struct {
	name   string
	next   func() (*hsds.Service, error)
	report *intake.Report // the reader's; nil: made from the import's
	size   int64          // for the progress bar: bytes, or records when !bytes
	bytes  bool
	pos    func() int64 // bytes read so far
	close  func() error
}

// openInput chooses the reader for what path holds. A new kind of input
// is one more case here.
func (m *Main) openInput(path string, f importFlags) (*importInput, error) {
	d, err := intake.Detect(path)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	name := filepath.Base(path)
	in := &importInput{name: name, close: func() error { return nil }}
	switch d.Kind {
	case intake.KindJSON:
		var r io.Reader
		if path == "-" {
			in.name = "standard input"
			r = m.Stdin
		} else {
			file, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
			fi, _ := file.Stat()
			in.size, in.bytes, in.close = fi.Size(), true, file.Close
			r = file
		}
		counter := &countingReader{r: r}
		in.pos = counter.n.Load
		in.next = hsds.NewJSONReader(bufio.NewReaderSize(counter, 1<<20), in.name).Next
	case intake.KindPackage30, intake.KindZip30:
		dir := path
		if d.Kind == intake.KindZip30 {
			tmp, err := os.MkdirTemp("", "haven-import-*")
			if err != nil {
				return nil, err
			}
			in.close = func() error { return os.RemoveAll(tmp) }
			if dir, err = intake.UnzipPackage(path, tmp, 0); err != nil {
				in.close()
				return nil, fmt.Errorf("import: %s: %w", name, err)
			}
		}
		svcs, err := hsds.ReadPackage(dir)
		if err != nil {
			in.close()
			return nil, err
		}
		in.size = int64(len(svcs))
		i := 0
		in.next = func() (*hsds.Service, error) {
			if i == len(svcs) {
				return nil, io.EOF
			}
			i++
			return svcs[i-1], nil
		}
	case intake.KindPackageOld:
		p, err := intake.OpenPackage(path, d, intake.Options{Source: f.source, DefaultCountry: f.country, SkipInvalid: f.skip})
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		in.next, in.report, in.close = p.Next, p.Report, p.Close
		in.name = p.Report.Source
		in.size, in.bytes, in.pos = p.Size(), true, p.Pos
	case intake.KindSpreadsheet:
		// The command sends spreadsheets to importSheet before this.
		return nil, fmt.Errorf("import: %s: a spreadsheet, which the spreadsheet importer reads", name)
	default:
		return nil, fmt.Errorf("import: %s: not a file Haven can import", name)
	}
	if f.source != "" && d.Kind != intake.KindPackageOld {
		in.close()
		return nil, fmt.Errorf("import: --source names the ids of 2.0 and 1.1 packages and spreadsheets; %s is %s, whose ids are UUIDs already", name, d.Format)
	}
	if f.country != "" && d.Kind != intake.KindPackageOld {
		in.close()
		return nil, fmt.Errorf("import: --default-country is for 2.0 and 1.1 packages and spreadsheets; %s is %s, whose addresses must give their country", name, d.Format)
	}
	if in.report == nil {
		in.report = &intake.Report{Source: in.name, Format: d.Format, DetectedBy: d.DetectedBy}
	}
	return in, nil
}

// importPath imports what path holds and prints the report.
func (m *Main) importPath(ctx context.Context, dir *sqlstore.DirectoryService, path string, f importFlags) (*intake.Report, error) {
	start := time.Now()
	in, err := m.openInput(path, f)
	if err != nil {
		return nil, err
	}
	defer in.close()
	// The import reads ahead on a goroutine of its own, which may still be
	// in next when the import stops; the lock keeps the report still
	// while it is read.
	var mu sync.Mutex
	ended := false
	own := len(in.report.Tables) > 0 // the reader reports its own problems
	var shown []string               // a dry run's first services, to show
	next := func() (*hsds.Service, error) {
		mu.Lock()
		defer mu.Unlock()
		if ended {
			return nil, io.EOF
		}
		s, err := in.next()
		if s != nil && f.dryRun && len(shown) < dryRunShown {
			org := ""
			if s.Organization != nil {
				org = " — " + s.Organization.Name
			}
			shown = append(shown, s.Name+org)
		}
		if err != nil && !errors.Is(err, io.EOF) && own {
			err = &reported{err}
		}
		return s, err
	}
	label := "importing " + in.name
	if f.dryRun {
		label = "checking " + in.name
	}
	prog := m.newProgress(in.size, in.bytes, label)
	rep, err := dir.Import(ctx, next, sqlstore.ImportOptions{Name: in.name, SkipInvalid: f.skip, Validated: true, DryRun: f.dryRun,
		Progress: func(n int) {
			if in.pos != nil {
				prog.update(in.pos(), n)
			} else {
				prog.update(int64(n), n)
			}
		}})
	prog.done()
	mu.Lock()
	ended = true
	mu.Unlock()
	r := in.report
	if err != nil {
		// The report would count what was read before the stop, ahead of
		// the import: the error says what matters.
		if f.dryRun {
			return r, fmt.Errorf("the import would fail: %w", err)
		}
		return r, fmt.Errorf("nothing was imported: %w", err)
	}
	// What the database refused, and for HSDS 3.0 input everything, goes
	// into the report here.
	svc := r.Table("service")
	if len(r.Tables) == 1 && svc.Read == 0 {
		svc.Read = rep.Imported + len(rep.Skipped)
		svc.Imported = rep.Imported
	}
	for _, e := range rep.Skipped {
		if errors.As(e, new(*reported)) {
			continue
		}
		what, where := "invalid record", e.Error()
		var fe *hsds.FieldError
		var list hsds.Errors
		if errors.As(e, &list) && len(list) > 0 {
			fe = list[0]
		} else {
			errors.As(e, &fe)
		}
		if fe != nil {
			what, where = fe.Reason, strings.TrimSuffix(fe.Error(), ": "+fe.Reason)
		}
		svc.Skip(what, where)
		if svc.Imported > rep.Imported {
			svc.Imported--
		}
	}
	r.Services = rep.Imported
	if rep.PhonesAsGiven > 0 && !own {
		r.Note("%d phone numbers did not read as numbers and were kept as given; the others are stored in E.164", rep.PhonesAsGiven)
	}
	if rep.AreasUnread > 0 {
		r.Note("%d service areas in the directory name no place Haven can read (a state, a country, \"Nationwide\", a county or a GeoJSON polygon): they are kept as written, found by no search, and listed on the curators' dashboard", rep.AreasUnread)
	}
	if err := r.WriteText(m.Stdout); err != nil {
		return r, err
	}
	if f.report != "" {
		if err := writeReport(f.report, r); err != nil {
			return r, err
		}
	}
	secs := time.Since(start).Seconds()
	if f.dryRun {
		for _, s := range shown {
			fmt.Fprintf(m.Stdout, "  would import: %s\n", s)
		}
		if rep.Imported > len(shown) {
			fmt.Fprintf(m.Stdout, "  … and %d more\n", rep.Imported-len(shown))
		}
		fmt.Fprintf(m.Stdout, "dry run: %d services would be imported from %s (new or updated), %d records left out; nothing was written\n",
			rep.Imported, in.name, len(rep.Skipped))
		return r, nil
	}
	fmt.Fprintf(m.Stdout, "imported %d services from %s in %.1fs (%.0f services/s)\n", rep.Imported, in.name, secs, float64(rep.Imported)/max(secs, 1e-9))
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(m.Stdout, "imported %d services; skipped %d invalid records (see the report above)\n", rep.Imported, len(rep.Skipped))
	}
	return r, nil
}

// reported marks an error the reader has already put in its report.
type reported struct{ err error }

func (r *reported) Error() string { return r.err.Error() }
func (r *reported) Unwrap() error { return r.err }

// writeReport writes the JSON report beside its destination and renames it
// into place.
func writeReport(path string, r *intake.Report) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".haven-report-*")
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	defer os.Remove(tmp.Name())
	tmp.Chmod(0o644)
	err = r.WriteJSON(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("--report %s: %w", path, err)
	}
	return nil
}
