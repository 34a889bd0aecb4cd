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
	want31 := readFile(t, spec31(t), "datapackage.json")
	got31, err := os.ReadFile(dataPackage31File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got31, want31) {
		t.Errorf("%s differs from the official %s/datapackage.json: copy it again", dataPackage31File, testenv.SharedDir()+"/hsds/v3.1-dev")
	}
}

// TestPackageFillsOwnLinks is TestPackageFillsLinks on Haven's own fixture,
// for clones without the official example: the fixture's JSON with every
// link to a parent left out, as the official examples leave them, is
// written as a package whose rows hold those links again, and reads back
// as the fixture itself.
func TestPackageFillsOwnLinks(t *testing.T) {
	want := fullService(0)
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// Links to the object a record is nested in; references to
	// siblings (taxonomy_term_id, program_id) stay.
	parents := map[string]bool{"service_id": true, "organization_id": true, "location_id": true,
		"service_at_location_id": true, "contact_id": true, "phone_id": true, "link_id": true, "resource_id": true}
	dropped := 0
	var strip func(x any, top bool)
	strip = func(x any, top bool) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if !top && parents[k] {
					delete(x, k)
					dropped++
					continue
				}
				strip(v, false)
			}
		case []any:
			for _, v := range x {
				strip(v, false)
			}
		}
	}
	strip(doc, true)
	if dropped < 10 {
		t.Fatalf("only %d links left out", dropped)
	}
	bare, _ := json.Marshal(doc)
	s, err := NewJSONReader(bytes.NewReader(bare), "bare.json").Next()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WritePackage(dir, []*Service{s}); err != nil {
		t.Fatal(err)
	}
	phones := string(readFile(t, dir, "phones.csv"))
	for _, id := range []string{want.ID, want.Organization.ID, want.ServiceAtLocations[0].ID, want.Contacts[0].ID, want.ServiceAtLocations[0].Location.ID} {
		if !strings.Contains(phones, id) {
			t.Errorf("phones.csv lacks link %s:\n%s", id, phones)
		}
	}
	got, err := ReadPackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !deepEqual(got[0], want) {
		t.Fatalf("read back differs from the fixture: %s", firstDiff(got, []*Service{want}))
	}
}
