package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"haven/hsds"
	"haven/internal/hsdsschema"
	"haven/internal/testenv"
)

// TestImportExportRoundTrip generates sample data, imports it, exports it
// in every format, imports each export into a fresh database and exports
// again: every step must give back the same services.
func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "sample.ndjson")
	MustRunMain(t, "", "sample", "--services", "120", "--out", in)
	db := filepath.Join(dir, "a.db")
	out := MustRunMain(t, db, "import", in)
	if !strings.Contains(out, "imported 120 services") {
		t.Fatalf("import: %s", out)
	}
	first := filepath.Join(dir, "first.ndjson")
	MustRunMain(t, db, "export", "--format", "ndjson", "--out", first)
	if a, b := importedLines(t, in), lines(t, first); !equalSets(a, b) {
		t.Fatalf("the export differs from the sample imported (%d vs %d lines)", len(a), len(b))
	}
	// The same data imported again changes nothing.
	MustRunMain(t, db, "import", in)
	again := filepath.Join(dir, "again.ndjson")
	MustRunMain(t, db, "export", "--format", "ndjson", "--out", again)
	if !bytes.Equal(mustRead(t, first), mustRead(t, again)) {
		t.Error("re-importing the same data changed the export")
	}
	// JSON: an exact round trip.
	js := filepath.Join(dir, "export.json")
	MustRunMain(t, db, "export", "--format", "json", "--out", js)
	db2 := filepath.Join(dir, "json.db")
	MustRunMain(t, db2, "import", js)
	back := filepath.Join(dir, "json-back.ndjson")
	MustRunMain(t, db2, "export", "--format", "ndjson", "--out", back)
	if !bytes.Equal(mustRead(t, first), mustRead(t, back)) {
		t.Errorf("json round trip changed the data")
	}
	// CSV has no order of rows and links every location to its organization,
	// so it comes back in its own canonical form: export, import and export
	// again must give the same files, byte for byte.
	csv1, csv2 := filepath.Join(dir, "csv1"), filepath.Join(dir, "csv2")
	MustRunMain(t, db, "export", "--format", "csv", "--out", csv1)
	db3 := filepath.Join(dir, "csv.db")
	MustRunMain(t, db3, "import", csv1)
	MustRunMain(t, db3, "export", "--format", "csv", "--out", csv2)
	files, _ := filepath.Glob(filepath.Join(csv1, "*"))
	if len(files) < 10 {
		t.Fatalf("csv export wrote %d files", len(files))
	}
	for _, f := range files {
		if !bytes.Equal(mustRead(t, f), mustRead(t, filepath.Join(csv2, filepath.Base(f)))) {
			t.Errorf("csv round trip changed %s", filepath.Base(f))
		}
	}
	// Each CSV's columns are those the HSDS 3.1 data package lists for it,
	// plus Haven's x_ extensions on services, organizations and locations.
	// The data package is the official one, as copied into hsds/testdata
	// (hsds's TestDataPackageCopy holds the copy to the original); it lists
	// only the keys of service_capacity and nothing of unit, whose columns
	// hsds.Columns gives (hsds's TestTablesMatchDataPackage checks them
	// against the 3.1 schemas).
	var dp struct {
		Resources []struct {
			Name   string `json:"name"`
			Path   string `json:"path"`
			Schema struct {
				Fields []struct{ Name string } `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(mustRead(t, "../../hsds/testdata/datapackage-3.1.json"), &dp); err != nil {
		t.Fatalf("the HSDS datapackage.json: %v", err)
	}
	for _, r := range dp.Resources {
		f := filepath.Join(csv1, filepath.Base(r.Path))
		if _, err := os.Stat(f); err != nil {
			continue // tables with no rows are not written
		}
		var want []string
		for _, fl := range r.Schema.Fields {
			want = append(want, fl.Name)
		}
		if r.Name == "service_capacity" || r.Name == "unit" {
			want = hsds.Columns(r.Name)
		}
		if base := filepath.Base(r.Path); base == "services.csv" || base == "organizations.csv" {
			want = append(want, "x_last_verified", "x_sample")
		}
		if filepath.Base(r.Path) == "services.csv" {
			want = append(want, "x_translations") // the service's texts in Spanish
		}
		if filepath.Base(r.Path) == "locations.csv" {
			want = append(want, "x_confidential")
		}
		if got := strings.TrimPrefix(lines(t, f)[0], "\ufeff"); got != strings.Join(want, ",") {
			t.Errorf("%s header:\n got %s\nwant %s", filepath.Base(f), got, strings.Join(want, ","))
		}
	}
	if n := len(lines(t, filepath.Join(csv1, "services.csv"))); n != 121 {
		t.Errorf("services.csv has %d lines, want a header and 120 rows", n)
	}
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(mustRead(t, path)))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x]--; m[x] < 0 {
			return false
		}
	}
	return true
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportValidates checks every exported service with Haven's own HSDS
// rules and, when shared/ is beside the repository, against the official
// HSDS 3.0 compiled service schema.
func TestExportValidates(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "s.json")
	MustRunMain(t, "", "sample", "--services", "60", "--format", "json", "--out", in)
	db := filepath.Join(dir, "h.db")
	MustRunMain(t, db, "import", in)
	out := filepath.Join(dir, "out.json")
	MustRunMain(t, db, "export", "--format", "json", "--out", out)
	checkExportedServices(t, out, 60)
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("export file mode %v, want 0644", fi.Mode().Perm())
	}
}

// TestImportRejectsFile checks a bad file is refused whole, with an error
// naming the file, the record and the field, and that --skip-invalid takes
// the rest.
func TestImportRejectsFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "sample.ndjson")
	MustRunMain(t, "", "sample", "--services", "5", "--out", in)
	ls := lines(t, in)
	ls[2] = strings.Replace(ls[2], `"status":"`, `"status":"open","x":"`, 1)
	bad := filepath.Join(dir, "bad.ndjson")
	os.WriteFile(bad, []byte(strings.Join(ls, "\r\n")+"\r\n"), 0o644)
	db := filepath.Join(dir, "h.db")
	_, err := runMain(db, "import", bad)
	if err == nil {
		t.Fatal("the bad file was imported")
	}
	for _, want := range []string{"bad.ndjson", "line 3", "nothing was imported"} {
		if !strings.Contains(errorText(err), want) {
			t.Errorf("error %q lacks %q", errorText(err), want)
		}
	}
	empty := filepath.Join(dir, "empty.ndjson")
	MustRunMain(t, db, "export", "--format", "ndjson", "--out", empty)
	if len(mustRead(t, empty)) != 0 {
		t.Error("a rejected import left services behind")
	}
	out, err := runMain(db, "import", "--skip-invalid", bad)
	if err != nil || !strings.Contains(out, "imported 4 services") || !strings.Contains(out, "skipped 1") {
		t.Errorf("--skip-invalid: %v\n%s", err, out)
	}
	if _, err := runMain(db, "import", filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(errorText(err), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

// TestImportStdinWithBOM imports from standard input, with a byte-order
// mark and CRLF line ends.
func TestImportStdinWithBOM(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "3", "--out", in)
	data := append([]byte("\ufeff"), bytes.ReplaceAll(mustRead(t, in), []byte("\n"), []byte("\r\n"))...)
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Stdin: bytes.NewReader(data), Logger: discardLogger()}
	if err := m.Run(t.Context(), []string{"import", "--db", filepath.Join(dir, "h.db"), "-"}); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "imported 3 services") {
		t.Errorf("stdin import: %s", stdout.String())
	}
}

func TestSampleDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	MustRunMain(t, "", "sample", "--services", "50", "--seed", "7", "--out", a)
	MustRunMain(t, "", "sample", "--services", "50", "--seed", "7", "--out", b)
	if !bytes.Equal(mustRead(t, a), mustRead(t, b)) {
		t.Error("the same seed gave different data")
	}
	if !strings.Contains(string(mustRead(t, a)), `"x_sample":true`) {
		t.Error("sample data is not marked as sample")
	}
}

// checkExportedServices reads the JSON export in file, which must hold
// want services, and checks each on its own: read strictly by Haven's HSDS
// reader (unknown fields refused), valid by Haven's rules, and valid by the
// official HSDS 3.0 and 3.1 schemas when the shared schemas are beside the
// repository. It returns the services as exported.
func checkExportedServices(t *testing.T, file string, want int) []json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(mustRead(t, file), &items); err != nil || len(items) != want {
		t.Fatalf("export: %d items, want %d, %v", len(items), want, err)
	}
	name := filepath.Base(file)
	for i, it := range items {
		s, err := hsds.NewJSONReader(bytes.NewReader(it), name).Next()
		if err != nil {
			t.Fatalf("exported service %d does not pass Haven's HSDS rules: %v", i, err)
		}
		if errs := s.Validate(); errs != nil {
			t.Fatalf("exported service %d: Validate: %v", i, hsds.Errors(errs))
		}
	}
	if schemaPath, ok := testenv.MaybeShared(t, "hsds/v3.0/schema/compiled/service.json"); ok {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		sch, err := c.Compile(schemaPath)
		if err != nil {
			t.Fatalf("compile the HSDS schema: %v", err)
		}
		for i, it := range items {
			v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(it))
			if err := sch.Validate(v); err != nil {
				t.Fatalf("exported service %d does not validate: %v", i, err)
			}
		}
	}
	if dir, ok := testenv.MaybeShared(t, "hsds/v3.1-dev/schema"); ok {
		schemas, err := hsdsschema.Compile31(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i, it := range items {
			v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(it))
			if err := schemas["service"].Validate(v); err != nil {
				t.Fatalf("exported service %d does not validate against HSDS 3.1: %v", i, err)
			}
		}
	}
	return items
}
