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
		summary: "export the whole provider directory as HSDS 3.1",
		usage:   "[--db DSN] --format json|ndjson|csv [--spreadsheet-safe] --out PATH|- [--include-confidential]",
		help: `Writes every service, fully nested, as Open Referral HSDS 3.1 (capacities,
additional URLs and the other 3.1 objects included):
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
