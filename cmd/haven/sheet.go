package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"haven"
	"haven/intake"
	"haven/sqlstore"
)

// sheetHelp is the import command's help on spreadsheets.
const sheetHelp = `
A coalition's spreadsheet (FILE.csv, or FILE.xlsx: its first sheet, or
--sheet NAME) lists one service or program a row. Haven recognizes the usual
column names in English and Spanish (Agency, Program, Address, City, State,
ZIP, Phone, Website, E-mail, Description, Services/Categories, Languages,
Hours, Eligibility/Who is served, Notes; Agencia, Programa, Dirección,
Ciudad, Estado, Código postal, Teléfono, Sitio web, Correo, Servicios,
Idiomas, Horario, A quién sirve, Notas...). Name the others with
--map 'Column Name=field' (repeatable) or --map-file FILE (one mapping a
line). The fields:
%s
Rows of the same agency become one organization. Ids are made from --source
(default "spreadsheet") and the agency and program names, so importing the
list again updates it. An address written "Confidential" marks the location
confidential. Try it first with --dry-run: it shows what would be created and
the report, and writes nothing.`

// wrapList writes items comma-separated in lines of at most width,
// indented by two spaces.
func wrapList(items []string, width int) string {
	var b strings.Builder
	line := 2
	b.WriteString("  ")
	for i, it := range items {
		word := it
		if i < len(items)-1 {
			word += ","
		}
		if line+1+len(word) > width && line > 2 {
			b.WriteString("\n  ")
			line = 2
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}

// sheetFlags are the flags of spreadsheet imports.
type sheetFlags struct {
	sheet   *string
	maps    mapFlag
	mapFile *string
}

type mapFlag []string

func (m *mapFlag) String() string     { return strings.Join(*m, ", ") }
func (m *mapFlag) Set(v string) error { *m = append(*m, v); return nil }

func newSheetFlags(fs *flag.FlagSet) *sheetFlags {
	f := &sheetFlags{}
	f.sheet = fs.String("sheet", "", "spreadsheet: the .xlsx sheet to read (default the first)")
	fs.Var(&f.maps, "map", "spreadsheet: 'Column Name=field' for a column Haven does not recognize (repeatable; field ignore leaves it out)")
	f.mapFile = fs.String("map-file", "", "spreadsheet: a file of 'Column Name=field' lines")
	return f
}

// isSheet reports whether path names a spreadsheet rather than HSDS data:
// a file (a data package folder may be called "export.csv") with a
// spreadsheet's extension.
func isSheet(path string) bool {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return false
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".xlsx", ".xlsm", ".xls", ".tsv", ".ods":
		return true
	}
	return false
}

// sheetRun is one spreadsheet import as the command line asks for it.
type sheetRun struct {
	path, source, country, reportFile string
	skip, dryRun                      bool
}

// importSheet imports (or with dryRun previews) a spreadsheet through the
// same ImportService the curator dashboard uses, with a progress bar.
func (m *Main) importSheet(ctx context.Context, dir *sqlstore.DirectoryService, f *sheetFlags, run sheetRun) error {
	opt := intake.SheetOptions{Source: run.source, Sheet: *f.sheet, DefaultCountry: run.country, Map: map[string]string{}}
	for _, spec := range f.maps {
		if err := intake.ParseMap(opt.Map, spec); err != nil {
			return err
		}
	}
	if *f.mapFile != "" {
		mf, err := os.Open(*f.mapFile)
		if err != nil {
			return fmt.Errorf("--map-file: %w", err)
		}
		err = intake.ReadMapFile(opt.Map, *f.mapFile, mf)
		mf.Close()
		if err != nil {
			return err
		}
	}
	name := filepath.Base(run.path)
	start := time.Now()
	var prog *progress
	req := haven.SheetImport{Path: run.path, Name: name, Options: opt, SkipInvalid: run.skip, DryRun: run.dryRun,
		Actor: "cli", Keep: 5}
	req.Progress = func(done, total int64, rows int) {
		if prog == nil {
			prog = m.newProgress(total, !strings.HasSuffix(strings.ToLower(name), ".xlsx"), "reading "+name)
		}
		prog.update(done, rows)
	}
	res, err := dir.ImportSheet(ctx, req)
	if prog != nil {
		prog.done()
	}
	if err != nil {
		return fmt.Errorf("%s", haven.ErrorMessage(err))
	}
	if run.reportFile != "" {
		if err := writeReportFile(run.reportFile, res.Report); err != nil {
			return err
		}
	}
	res.Report.WriteText(m.Stdout)
	c := res.Counts
	if run.dryRun {
		fmt.Fprintf(m.Stdout, "dry run, nothing written: would import %d services of %d organizations at %d locations (%d confidential)\n",
			c.Services, c.Organizations, c.Locations, c.Confidential)
		for _, s := range res.First {
			org := ""
			if s.Organization != nil {
				org = s.Organization.Name + ": "
			}
			fmt.Fprintf(m.Stdout, "  %s%s\n", org, s.Name)
		}
		return nil
	}
	fmt.Fprintf(m.Stdout, "imported %d services of %d organizations at %d locations (%d confidential) from %s in %.1fs\n",
		c.Services, c.Organizations, c.Locations, c.Confidential, name, time.Since(start).Seconds())
	return nil
}

// writeReportFile writes the JSON report beside its destination and
// renames it into place.
func writeReportFile(path string, r *intake.Report) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".haven-report-*")
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := r.WriteJSON(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("--report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}
