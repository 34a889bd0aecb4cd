package hsds

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readAll reads every record, failing the test on any error.
func readAll[T Record](t testing.TB, data []byte, name string) []*T {
	t.Helper()
	r := NewReader[T](bytes.NewReader(data), name)
	var out []*T
	for {
		x, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, x)
	}
}

func someServices(n int) []*Service {
	out := make([]*Service, n)
	for i := range out {
		out[i] = fullService(i)
	}
	return out
}

func TestFixtureIsValid(t *testing.T) {
	for _, s := range someServices(3) {
		if errs := s.Validate(); errs != nil {
			t.Fatalf("fixture invalid: %v", Errors(errs))
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	want := someServices(12)
	want[3].ServiceAreas = []ServiceArea{} // an explicit [] must survive too
	for _, pretty := range []bool{true, false} {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, want, pretty); err != nil {
			t.Fatal(err)
		}
		got := readAll[Service](t, buf.Bytes(), "out.json")
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("pretty=%v: round trip differs: %s", pretty, firstDiff(got, want))
		}
	}
}

func TestNDJSONRoundTrip(t *testing.T) {
	want := someServices(12)
	var buf bytes.Buffer
	w := NewNDJSONWriter(&buf)
	for _, s := range want {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte{'\n'}); n != len(want) {
		t.Fatalf("%d lines for %d services", n, len(want))
	}
	got := readAll[Service](t, buf.Bytes(), "out.ndjson")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip differs: %s", firstDiff(got, want))
	}
}

func TestEmptyInputs(t *testing.T) {
	for _, in := range []string{"", "  \n", "[]", "\uFEFF[ ]\r\n", `{"contents": []}`} {
		if got := readAll[Service](t, []byte(in), "empty.json"); len(got) != 0 {
			t.Errorf("%q: got %d services", in, len(got))
		}
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, nil, true); err != nil || buf.String() != "[]\n" {
		t.Fatalf("WriteJSON(nil) = %q, %v", buf.String(), err)
	}
}

func TestPackageRoundTrip(t *testing.T) {
	want := someServices(25)
	// ReadPackage returns services in id order.
	slices.SortFunc(want, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) })
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
	if len(p.Organizations)+len(p.Locations)+len(p.TaxonomyTerms)+len(p.MetaTableDescriptions) != 0 {
		t.Errorf("unexpected unlinked records: %+v", p)
	}
	// Writing what was read gives the same files, byte for byte.
	dir2 := t.TempDir()
	if err := p.WriteDir(dir2); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		a, b := readFile(t, dir, tb.path), readFile(t, dir2, tb.path)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after a second round trip", tb.path)
		}
	}
}

func TestPackageKeepsUnlinkedRecords(t *testing.T) {
	s := fullService(0)
	lonely := &Organization{ID: fid("lonely org"), Name: "No services yet", Description: "Listed, serves nothing."}
	dir := t.TempDir()
	w := NewPackageWriter(dir)
	if err := w.AddService(s); err != nil {
		t.Fatal(err)
	}
	if err := w.AddOrganization(lonely); err != nil {
		t.Fatal(err)
	}
	mtd := &MetaTableDescription{ID: fid("mtd"), Name: "services", Language: "en", CharacterSet: "UTF-8"}
	w.AddMetaTableDescription(mtd)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Organizations) != 1 || !reflect.DeepEqual(p.Organizations[0], lonely) {
		t.Fatalf("lonely organization lost: %+v", p.Organizations)
	}
	if len(p.MetaTableDescriptions) != 1 || !reflect.DeepEqual(p.MetaTableDescriptions[0], mtd) {
		t.Fatalf("meta table description lost")
	}
}

func TestPackageWriterConflicts(t *testing.T) {
	a, b := fullService(0), fullService(1) // same organization
	org := *b.Organization
	org.Name = "Renamed"
	b.Organization = &org
	w := NewPackageWriter(t.TempDir())
	if err := w.AddService(a); err != nil {
		t.Fatal(err)
	}
	err := w.AddService(b)
	var es Errors
	if !errors.As(err, &es) || es[0].File != "organizations.csv" || es[0].Field != "name" {
		t.Fatalf("want a conflict on organizations.csv name, got %v", err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close wrote a package with conflicts")
	}
}

// Objects nested in several places become one row holding every link, and
// the JSON form of the official example (which leaves links out) fills them.
func TestPackageFillsLinks(t *testing.T) {
	s, _ := NewJSONReader(bytes.NewReader(readFile(t, specDir(t), "examples/service_full.json")), "service_full.json").Next()
	dir := t.TempDir()
	if err := WritePackage(dir, []*Service{s}); err != nil {
		t.Fatal(err)
	}
	phones := string(readFile(t, dir, "phones.csv"))
	for _, id := range []string{s.ID, s.Organization.ID, s.ServiceAtLocations[0].ID, s.Contacts[0].ID, s.ServiceAtLocations[0].Location.ID} {
		if !strings.Contains(phones, id) {
			t.Errorf("phones.csv lacks link %s:\n%s", id, phones)
		}
	}
	services, err := ReadPackage(dir)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("want only validation errors, got %v", err)
	}
	for _, e := range es {
		if e.Field != "latitude" {
			t.Errorf("unexpected error %v", e)
		}
	}
	if len(services) != 1 || services[0].Organization.ID != s.Organization.ID || services[0].Attributes[0].LinkEntity != "link_entity" {
		t.Fatalf("bad read back: %+v", services)
	}
	if got := services[0].Program.OrganizationID; got != s.Organization.ID {
		t.Errorf("program.organization_id = %q, want the service's organization", got)
	}
}

// A unit no capacity counts is kept apart, as unused taxonomy terms are,
// and a package of it round-trips; the units capacities count stay nested.
func TestPackageKeepsUnusedUnits(t *testing.T) {
	dir := t.TempDir()
	spare := &Unit{ID: fid("unit spare"), Name: "Place in a support group", Scheme: "Haven", Identifier: "group-place"}
	w := NewPackageWriter(dir)
	w.AddService(fullService(0))
	w.AddUnit(spare)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Units) != 1 || !reflect.DeepEqual(p.Units[0], spare) {
		t.Errorf("unused units read: %+v", p.Units)
	}
	if c := p.Services[0].Capacities; len(c) != 1 || c[0].Unit == nil || c[0].Unit.ID != fid("unit bed") {
		t.Errorf("capacities read: %+v", c)
	}
	again := t.TempDir()
	if err := p.WriteDir(again); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"units.csv", "service_capacity.csv"} {
		if a, b := readFile(t, dir, f), readFile(t, again, f); !bytes.Equal(a, b) {
			t.Errorf("%s changed on the way:\n%s\n%s", f, a, b)
		}
	}
}
