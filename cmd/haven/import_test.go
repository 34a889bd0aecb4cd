package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven/intake"
)

// TestImportOldPackages runs "haven import" on the HSDS 1.1 and 2.0
// samples of package intake: dry run, strict refusal, --skip-invalid,
// --report, --source and the zip, each with what it must print.
func TestImportOldPackages(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	pkg11 := filepath.Join("..", "..", "intake", "testdata", "county211-sample")
	pkg20 := filepath.Join("..", "..", "intake", "testdata", "coalition20-sample")

	out := MustRunMain(t, db, "import", "--dry-run", pkg11)
	for _, want := range []string{"county211-sample: hsds-1.1 (recognized by its descriptor), 4 services",
		"dry run: 4 services would be imported", "nothing was written",
		"would import: Emergency Shelter for Survivors (SAMPLE) — Gulf Coast Freedom Network (SAMPLE)"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if out := MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-"); strings.Contains(out, "SAMPLE") {
		t.Errorf("the dry run wrote services:\n%s", out)
	}

	out, err := runMain(db, "import", pkg20)
	if err == nil || !strings.Contains(err.Error(), `nothing was imported: phones.csv: phone PH-9 (line 4): service_id: service "S-999" is not in the package`) {
		t.Errorf("strict import of the 2.0 folder: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "report.json")
	out = MustRunMain(t, db, "import", "--skip-invalid", "--report", report, pkg20)
	if !strings.Contains(out, "imported 3 services from coalition20-sample") || !strings.Contains(out, "imported 3 services; skipped 2 invalid records") {
		t.Errorf("--skip-invalid:\n%s", out)
	}
	var r intake.Report
	b, _ := os.ReadFile(report)
	if err := json.Unmarshal(b, &r); err != nil || r.Services != 3 || r.Format != intake.FormatHSDS20 || r.Table("phone").Skipped != 1 {
		t.Errorf("--report: %v\n%s", err, b)
	}

	MustRunMain(t, db, "import", pkg11)
	first := MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-")
	// The same package under another --source is another set of records.
	MustRunMain(t, db, "import", "--dry-run", "--source", "elsewhere", pkg11)
	if again := MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-"); again != first {
		t.Error("a dry run under another --source changed the directory")
	}
	out = MustRunMain(t, db, "import", "--source", "elsewhere", pkg11)
	if n := strings.Count(MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-"), "\n"); n != 11 {
		t.Errorf("%d services after importing under another source; want 11\n%s", n, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--default-country", "Mexico", pkg20}, "--default-country"},
		{[]string{"import", "--source", "x", filepath.Join("..", "..", "hsds", "testdata", "csv_fixed")}, "--source names the ids"},
		{[]string{"import", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"import", "--memory", "64", pkg20}, "--memory 64: give at least 128"},
	} {
		if out, err := runMain(db, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("haven %v: %v\n%s", tc.args, err, out)
		}
	}
}

// TestImportZipped30 imports a zipped HSDS 3.0 package, as exported and
// zipped with its folder: the same directory comes back.
func TestImportZipped30(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "sample.ndjson")
	MustRunMain(t, "", "sample", "--services", "20", "--out", in)
	db := filepath.Join(dir, "a.db")
	MustRunMain(t, db, "import", in)
	pkg := filepath.Join(dir, "export")
	MustRunMain(t, db, "export", "--format", "csv", "--out", pkg)
	// CSV comes back in its own canonical form (see
	// TestImportExportRoundTrip): the zip must give what the folder gives.
	db1 := filepath.Join(dir, "folder.db")
	MustRunMain(t, db1, "import", pkg)
	first := MustRunMain(t, db1, "export", "--format", "ndjson", "--out", "-")
	zipped := filepath.Join(dir, "export.zip")
	f, _ := os.Create(zipped)
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(pkg)
	for _, e := range entries {
		w, _ := zw.Create("export/" + e.Name())
		b, _ := os.ReadFile(filepath.Join(pkg, e.Name()))
		w.Write(b)
	}
	zw.Close()
	f.Close()
	db2 := filepath.Join(dir, "b.db")
	if out := MustRunMain(t, db2, "import", zipped); !strings.Contains(out, "imported 20 services from export.zip") {
		t.Errorf("zip import: %s", out)
	}
	if back := MustRunMain(t, db2, "export", "--format", "ndjson", "--out", "-"); back != first {
		t.Error("the zipped package imported differs from the folder imported")
	}
}
