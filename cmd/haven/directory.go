package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"haven"
	"haven/hsds"
	"haven/sqlstore"
)

func importCommand() *command {
	return &command{
		name:    "import",
		summary: "import providers from Open Referral HSDS 3.0 data",
		usage:   "[--db DSN] [--skip-invalid] PATH",
		help: `Imports services into the provider directory. PATH is either
  - an HSDS 3.0 JSON file: one service, an array of services, an API page
    envelope with "contents", or NDJSON (one service a line), each service
    with its organization and locations nested; or "-" for standard input;
  - a folder holding an HSDS tabular data package: datapackage.json and
    the CSV files it names.

Every record is checked first. By default one invalid record rejects the
whole import, nothing is written, and the error names the file, the record,
the field and the reason. With --skip-invalid the valid records are
imported and the invalid ones reported. Importing the same data again
updates it in place and makes no duplicates.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			skip := fs.Bool("skip-invalid", false, "import the valid records and report the invalid ones")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("import takes one PATH: a JSON or NDJSON file, a data package folder, or -")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				rep, err := m.importPath(ctx, sqlstore.NewDirectoryService(store), args[0], *skip)
				if err != nil {
					return err
				}
				for _, e := range rep.Skipped {
					fmt.Fprintln(m.Stderr, "skipped:", e)
				}
				if len(rep.Skipped) > 0 {
					fmt.Fprintf(m.Stdout, "imported %d services; skipped %d invalid records (listed above)\n", rep.Imported, len(rep.Skipped))
				}
				return nil
			}
		},
	}
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importPath imports a file, standard input or a data package folder.
func (m *Main) importPath(ctx context.Context, dir *sqlstore.DirectoryService, path string, skip bool) (*sqlstore.ImportReport, error) {
	start := time.Now()
	var next func() (*hsds.Service, error)
	var size int64
	var counter *countingReader
	name := filepath.Base(path)
	if path == "-" {
		name = "standard input"
		counter = &countingReader{r: m.Stdin}
		next = hsds.NewJSONReader(counter, name).Next
	} else if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	} else if fi.IsDir() {
		svcs, err := hsds.ReadPackage(path)
		if err != nil {
			return nil, err
		}
		size = int64(len(svcs))
		i := 0
		next = func() (*hsds.Service, error) {
			if i == len(svcs) {
				return nil, io.EOF
			}
			i++
			return svcs[i-1], nil
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		size = fi.Size()
		counter = &countingReader{r: f}
		next = hsds.NewJSONReader(bufio.NewReaderSize(counter, 1<<20), name).Next
	}
	prog := m.newProgress(size, counter != nil, "importing "+name)
	rep, err := dir.Import(ctx, next, sqlstore.ImportOptions{Name: name, SkipInvalid: skip, Validated: true, Progress: func(n int) {
		if counter != nil {
			prog.update(counter.n.Load(), n)
		} else {
			prog.update(int64(n), n)
		}
	}})
	prog.done()
	if err != nil {
		return nil, fmt.Errorf("nothing was imported: %w", err)
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(m.Stdout, "imported %d services from %s in %.1fs (%.0f services/s)\n", rep.Imported, name, secs, float64(rep.Imported)/max(secs, 1e-9))
	if rep.PhonesAsGiven > 0 {
		fmt.Fprintf(m.Stdout, "%d phone numbers did not read as numbers and were kept as given; the others are stored in E.164\n", rep.PhonesAsGiven)
	}
	if rep.AreasUnread > 0 {
		fmt.Fprintf(m.Stdout, "%d service areas in the directory name no place Haven can read (a state, a country, \"Nationwide\", a county or a GeoJSON polygon): they are kept as written, found by no search, and listed on the curators' dashboard\n", rep.AreasUnread)
	}
	return rep, nil
}

// progress shows a bar on a terminal and a plain line every few seconds
// elsewhere, so that logs of long imports stay readable.
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	label string
	last  time.Time
	n     int
}

func (m *Main) newProgress(total int64, bytes bool, label string) *progress {
	p := &progress{w: m.Stderr, label: label, last: time.Now()}
	if f, ok := m.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && total > 0 {
		opts := []progressbar.Option{progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100 * time.Millisecond), progressbar.OptionClearOnFinish()}
		if bytes {
			opts = append(opts, progressbar.OptionShowBytes(true))
		}
		p.bar = progressbar.NewOptions64(total, opts...)
	}
	return p
}

func (p *progress) update(pos int64, records int) {
	p.n = records
	if p.bar != nil {
		p.bar.Set64(pos)
		return
	}
	if time.Since(p.last) >= 2*time.Second {
		p.last = time.Now()
		fmt.Fprintf(p.w, "%s: %d records\n", p.label, records)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func exportCommand() *command {
	return &command{
		name:    "export",
		summary: "export the whole provider directory as HSDS 3.0",
		usage:   "[--db DSN] --format json|ndjson|csv [--spreadsheet-safe] --out PATH|- [--include-confidential]",
		help: `Writes every service, fully nested, as Open Referral HSDS 3.0:
  json    one JSON array of services
  ndjson  one service a line
  csv     a tabular data package: --out names a folder that receives
          datapackage.json and one CSV file a table
What is exported imports back unchanged.

Confidential locations (x_confidential: true, such as shelters) are
exported as the public sees them: city, state, postal code and country
only. --include-confidential exports them whole, for backups and trusted
transfers; keep such a file as safe as the database. A default export
imports into another Haven (a confidential location may lack its street);
imported back over a database that holds the full address it is refused,
so that nothing is erased. Back up with --include-confidential.

CSV files keep the data exactly, for exchange with other systems. To open
them in a spreadsheet, add --spreadsheet-safe: any text cell starting with
=, +, -, @, tab or carriage return then gets a leading ', so that the
spreadsheet shows it instead of running it as a formula (such files no
longer import back exactly).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			format := fs.String("format", "ndjson", "json, ndjson or csv")
			out := fs.String("out", "", "output file, folder (csv), or - for standard output")
			safe := fs.Bool("spreadsheet-safe", false, "csv: put a ' before text a spreadsheet would run as a formula")
			whole := fs.Bool("include-confidential", false, "export confidential locations whole (street, coordinates, phones)")
			return func(ctx context.Context, m *Main, args []string) error {
				if *whole {
					ctx = haven.WithStaffView(ctx)
				}
				if *out == "" {
					return fmt.Errorf("export needs --out PATH (or --out - for standard output)")
				}
				if *format != "json" && *format != "ndjson" && *format != "csv" {
					return fmt.Errorf("unknown --format %q: use json, ndjson or csv", *format)
				}
				if *safe && *format != "csv" {
					return fmt.Errorf("--spreadsheet-safe is for --format csv")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				n, err := m.export(ctx, sqlstore.NewDirectoryService(store), *format, *out, *safe)
				if err != nil {
					return err
				}
				if *out != "-" {
					fmt.Fprintf(m.Stdout, "exported %d services to %s\n", n, *out)
				}
				return nil
			}
		},
	}
}

// export writes the directory; a file is written beside its destination
// and renamed into place, so a failed export never leaves half a file.
// spreadsheetSafe applies to csv only.
func (m *Main) export(ctx context.Context, dir *sqlstore.DirectoryService, format, out string, spreadsheetSafe bool) (int, error) {
	n := 0
	if format == "csv" {
		if out == "-" {
			return 0, fmt.Errorf("csv exports a folder: give --out FOLDER")
		}
		pw := hsds.NewPackageWriter(out)
		pw.SpreadsheetSafe = spreadsheetSafe
		if err := dir.EachService(ctx, func(s *hsds.Service) error { n++; return pw.AddService(s) }); err != nil {
			return 0, err
		}
		return n, pw.Close()
	}
	var w io.Writer = m.Stdout
	var tmp *os.File
	if out != "-" {
		var err error
		if tmp, err = os.CreateTemp(filepath.Dir(out), ".haven-export-*"); err != nil {
			return 0, err
		}
		tmp.Chmod(0o644) // CreateTemp makes it private; this is ordinary data
		defer os.Remove(tmp.Name())
		w = tmp
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var err error
	switch format {
	case "ndjson":
		nw := hsds.NewNDJSONWriter(bw)
		err = dir.EachService(ctx, func(s *hsds.Service) error { n++; return nw.Write(s) })
		if err == nil {
			err = nw.Flush()
		}
	case "json":
		// Streamed, so that a million services need not sit in memory.
		bw.WriteString("[")
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		err = dir.EachService(ctx, func(s *hsds.Service) error {
			if n > 0 {
				bw.WriteString(",")
			}
			n++
			bw.WriteString("\n")
			return enc.Encode(s)
		})
		bw.WriteString("]\n")
	}
	if err == nil {
		err = bw.Flush()
	}
	if tmp != nil {
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), out)
		}
	}
	if err != nil {
		return 0, errors.Join(fmt.Errorf("export to %s failed", out), err)
	}
	return n, nil
}
