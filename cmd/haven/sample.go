package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

func sampleCommand() *command {
	return &command{
		name:    "sample",
		summary: "write a realistic, clearly fake HSDS dataset for demos and benchmarks",
		usage:   "--services N [--seed S] [--format ndjson|json] --out PATH|-",
		help: `Writes N generated services as Open Referral HSDS 3.1. The data is marked
as sample in the data itself: every organization's name ends in "(sample)",
every description begins "Sample data, not a real provider.", phone numbers
are in the 555-01XX range kept for fiction, and x_sample is true. The same N
and seed always give the same bytes. Import it with "haven import PATH", or
run "haven serve --sample" to load 200 of them into an empty directory.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			n := fs.Int("services", 200, "how many services to generate")
			seed := fs.Int64("seed", 1, "seed of the generator")
			format := fs.String("format", "ndjson", "ndjson (one service a line) or json (an array)")
			out := fs.String("out", "", "output file, or - for standard output")
			return func(ctx context.Context, m *Main, args []string) error {
				if *out == "" {
					return fmt.Errorf("sample needs --out PATH (or --out - for standard output)")
				}
				if *n < 1 || *n > 10_000_000 {
					return fmt.Errorf("--services must be from 1 to 10000000")
				}
				if *format != "ndjson" && *format != "json" {
					return fmt.Errorf("unknown --format %q: use ndjson or json", *format)
				}
				start := time.Now()
				if err := writeSample(m.Stdout, *out, *n, *seed, *format); err != nil {
					return err
				}
				if *out != "-" {
					fmt.Fprintf(m.Stdout, "wrote %d sample services to %s in %.1fs\n", *n, *out, time.Since(start).Seconds())
				}
				return nil
			}
		},
	}
}

func writeSample(stdout io.Writer, out string, n int, seed int64, format string) error {
	w := stdout
	var tmp *os.File
	if out != "-" {
		var err error
		if tmp, err = os.CreateTemp(filepath.Dir(out), ".haven-sample-*"); err != nil {
			return err
		}
		tmp.Chmod(0o644) // CreateTemp makes it private; this is ordinary data
		defer os.Remove(tmp.Name())
		w = tmp
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if format == "json" {
		bw.WriteString("[")
	}
	i := 0
	err := sample.Services(n, seed, func(s *hsds.Service) error {
		if format == "json" {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		i++
		return enc.Encode(s)
	})
	if format == "json" {
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
	return err
}

// sampleServices is how many services "serve --sample" loads.
const sampleServices = 200

// loadSample fills an empty directory with sample services and the sample
// country summaries. A directory that holds anything is left alone.
func (m *Main) loadSample(ctx context.Context, db *sqlstore.DB) error {
	dir := sqlstore.NewDirectoryService(db)
	total, _, err := dir.CountServices(ctx)
	if err != nil {
		return err
	}
	if total > 0 {
		m.Logger.Info("--sample: the directory already holds services; no sample added", "services", total)
		return nil
	}
	var svcs []*hsds.Service
	if err := sample.Services(sampleServices, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil }); err != nil {
		return err
	}
	i := 0
	rep, err := dir.Import(ctx, func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"})
	if err != nil {
		return fmt.Errorf("load sample data: %w", err)
	}
	for _, c := range sample.CountrySummaries() {
		// Keep the country's real hotlines: only the summary is sample.
		if old, err := sqlstore.NewCountryService(db).FindCountrySummary(ctx, c.Country); err != nil {
			return err
		} else if old != nil && len(old.Hotlines) > 0 {
			c.Hotlines = old.Hotlines
		}
		if err := sqlstore.NewCountryService(db).PutCountrySummary(ctx, &c); err != nil {
			return fmt.Errorf("load sample country summary: %w", err)
		}
	}
	m.Logger.Info("loaded sample data: every provider is fictional and marked as sample", "services", rep.Imported)
	return nil
}
