package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven/intake"
)

const coalitionCSV = "../../intake/testdata/coalition.csv"

// TestImportSpreadsheet walks a coalition through its list: a dry run
// shows what would come and writes nothing, the strict import names the
// bad row, --skip-invalid takes the rest and writes the report, importing
// again changes nothing, and the export validates against HSDS 3.0.
func TestImportSpreadsheet(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	out := MustRunMain(t, db, "import", "--dry-run", "--skip-invalid", coalitionCSV)
	for _, want := range []string{"dry run, nothing written: would import 5 services of 3 organizations at 4 locations (1 confidential)",
		"skipped 1: E-mail", "columns Haven does not recognize, not imported", "Fax, Contact Person",
		"Casa Esperanza Sample Shelter (sample): Emergency Shelter", "not recognized 1: category", "Pet grooming"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	empty := filepath.Join(dir, "empty.ndjson")
	MustRunMain(t, db, "export", "--format", "ndjson", "--out", empty)
	if len(mustRead(t, empty)) != 0 {
		t.Fatal("the dry run wrote services")
	}
	if _, err := runMain(db, "import", coalitionCSV); err == nil || !strings.Contains(errorText(err), `nothing was imported: coalition.csv: row 10: E-mail: "call us" is not an e-mail address`) {
		t.Fatalf("strict import: %v", err)
	}
	report := filepath.Join(dir, "report.json")
	out = MustRunMain(t, db, "import", "--skip-invalid", "--report", report, "--source", "coalition", coalitionCSV)
	if !strings.Contains(out, "imported 5 services of 3 organizations at 4 locations (1 confidential)") {
		t.Errorf("import: %s", out)
	}
	var rep intake.Report
	if err := json.Unmarshal(mustRead(t, report), &rep); err != nil || rep.Services != 5 || rep.Format != "csv" || rep.Tables[0].Skipped != 1 {
		t.Errorf("report file: %v %+v", err, rep)
	}
	first := filepath.Join(dir, "first.json")
	MustRunMain(t, db, "export", "--format", "json", "--include-confidential", "--out", first)
	MustRunMain(t, db, "import", "--skip-invalid", "--source", "coalition", coalitionCSV)
	again := filepath.Join(dir, "again.json")
	MustRunMain(t, db, "export", "--format", "json", "--include-confidential", "--out", again)
	if !bytes.Equal(mustRead(t, first), mustRead(t, again)) {
		t.Error("importing the list again changed the directory")
	}

	// The public export: Haven's own rules (strict reading), and the HSDS
	// 3.0 schema when the shared schemas are beside the repository.
	public := filepath.Join(dir, "public.json")
	MustRunMain(t, db, "export", "--format", "json", "--out", public)
	for i, it := range checkExportedServices(t, public, 5) {
		if bytes.Contains(it, []byte("Confidential")) {
			t.Errorf("exported service %d carries the word written for its address", i)
		}
	}
	// The export imports into a fresh database as the same directory.
	db2 := filepath.Join(dir, "h2.db")
	MustRunMain(t, db2, "import", first)
	back := filepath.Join(dir, "back.json")
	MustRunMain(t, db2, "export", "--format", "json", "--include-confidential", "--out", back)
	if !bytes.Equal(mustRead(t, first), mustRead(t, back)) {
		t.Error("the export imported into a fresh database differs")
	}
}

// TestImportSpreadsheetFlags: --map and --map-file name columns; bad ones
// and flags meant for spreadsheets are refused clearly.
func TestImportSpreadsheetFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	csv := filepath.Join(dir, "list.csv")
	os.WriteFile(csv, []byte("Nombre comercial,Línea,Dirección,Ciudad,Estado,CP\nRefugio Muestra (sample),512-555-0100,Confidencial,Austin,TX,78701\n"), 0o600)
	if _, err := runMain(db, "import", "--dry-run", csv); err == nil || !strings.Contains(errorText(err), "no column names the agency") {
		t.Errorf("without --map: %v", err)
	}
	maps := filepath.Join(dir, "map.txt")
	os.WriteFile(maps, []byte("# columns of our list\nNombre comercial=organization\n"), 0o600)
	out := MustRunMain(t, db, "import", "--map-file", maps, "--map", "Línea=phone", csv)
	if !strings.Contains(out, "imported 1 services of 1 organizations at 1 locations (1 confidential)") {
		t.Errorf("with --map: %s", out)
	}
	if _, err := runMain(db, "import", "--map", "Línea=fax", csv); err == nil || !strings.Contains(errorText(err), `"fax" is not a field`) {
		t.Errorf("bad --map: %v", err)
	}
	if _, err := runMain(db, "import", "--sheet", "Lista", csv); err == nil || !strings.Contains(errorText(err), "--sheet is for .xlsx") {
		t.Errorf("--sheet on CSV: %v", err)
	}
}
