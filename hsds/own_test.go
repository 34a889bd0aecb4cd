package hsds

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"haven/internal/testenv"
)

// ownTestServices are services of Haven's own making: the full fixture
// and the corrected official CSV example kept in testdata.
func ownTestServices(t *testing.T) []*Service {
	t.Helper()
	out := someServices(3)
	p, err := ReadPackageAll("testdata/csv_fixed")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, p.Services...)
}

// TestOutputValidatesOwnRules is TestOutputValidatesAgainstSchema with
// Haven's own validator in place of the official schema, so that a clone
// without shared/ still checks that everything Haven writes is valid HSDS:
// each item of WriteJSON and each NDJSON line, read strictly on its own
// (unknown fields refused), passes every rule, and the rules do catch a
// bad status and a bad id.
func TestOutputValidatesOwnRules(t *testing.T) {
	services := ownTestServices(t)
	check := func(doc []byte, what string) {
		t.Helper()
		r := NewJSONReader(bytes.NewReader(doc), what)
		s, err := r.Next()
		if err != nil || s == nil {
			t.Errorf("%s does not pass Haven's HSDS rules: %v", what, err)
			return
		}
		if errs := s.Validate(); errs != nil {
			t.Errorf("%s: Validate: %v", what, Errors(errs))
		}
	}

	var arr bytes.Buffer
	if err := WriteJSON(&arr, services, true); err != nil {
		t.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(arr.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != len(services) {
		t.Fatalf("%d items for %d services", len(items), len(services))
	}
	for i, it := range items {
		check(it, "WriteJSON item "+services[i].ID)
	}

	var nd bytes.Buffer
	w := NewNDJSONWriter(&nd)
	for _, s := range services {
		w.Write(s)
	}
	w.Close()
	sc := bufio.NewScanner(&nd)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		check(sc.Bytes(), "NDJSON line")
		n++
	}
	if n != len(services) {
		t.Fatalf("%d NDJSON lines", n)
	}

	// The rules are really checking: a bad status and a bad UUID fail.
	bad := *services[0]
	bad.Status, bad.ID = "open", "nope"
	b, _ := json.Marshal(&bad)
	_, err := NewJSONReader(bytes.NewReader(b), "bad.json").Next()
	if err == nil || !strings.Contains(err.Error(), `"open" is not one of`) || !strings.Contains(err.Error(), "is not a UUID") {
		t.Errorf("a service with status open and id nope: %v", err)
	}

	b, _ = json.Marshal(services[0].Organization)
	if _, err := NewReader[Organization](bytes.NewReader(b), "organization.json").Next(); err != nil {
		t.Errorf("organization does not pass Haven's HSDS rules: %v", err)
	}
}

// TestDataPackageCopy checks that testdata's copy of the official
// datapackage.json, which bare clones read in its place, is the official
// file byte for byte.
func TestDataPackageCopy(t *testing.T) {
	want := readFile(t, specDir(t), "datapackage.json")
	got, err := os.ReadFile(dataPackageFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the official %s/datapackage.json: copy it again", dataPackageFile, testenv.SharedDir()+"/hsds/v3.0")
	}
}
