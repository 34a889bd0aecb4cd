package hsds

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readExample reads every record of an example file, returning the records
// and every problem reported (as "field: reason").
func readExample[T Record](t *testing.T, file string) ([]*T, []string) {
	t.Helper()
	r := NewReader[T](bytes.NewReader(readFile(t, specDir(t), "examples/"+file)), file)
	var out []*T
	var problems []string
	for {
		x, err := r.Next()
		if err == io.EOF {
			return out, problems
		}
		var es Errors
		if err != nil && !errors.As(err, &es) {
			t.Fatalf("%s: %v", file, err)
		}
		for _, e := range es {
			if e.File != file {
				t.Errorf("error names file %q, want %q", e.File, file)
			}
			problems = append(problems, e.Field+": "+e.Reason)
		}
		if x == nil {
			t.Fatalf("%s: record not decoded: %v", file, err)
		}
		out = append(out, x)
	}
}

// The official examples give latitude 100 and longitude 101 for the civic
// center. 101 is a valid longitude; 100 is not a latitude. These are the only
// rules the JSON examples break.
const badLatitude = "100 is out of range -90..90"

func TestOfficialJSONExamples(t *testing.T) {
	check := func(t *testing.T, n int, problems, want []string) {
		if n == 0 {
			t.Error("no records read")
		}
		slices.Sort(problems)
		slices.Sort(want)
		if !slices.Equal(problems, want) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
		}
	}
	cases := []struct {
		file string
		read func(*testing.T, string) (int, []string)
		want []string
	}{
		{"service_full.json", readN[Service], []string{
			"service_at_locations[0].location.latitude: " + badLatitude,
			"organization.locations[0].latitude: " + badLatitude}},
		{"service_list.json", readN[Service], nil},
		{"organization_full.json", readN[Organization], []string{
			"locations[0].latitude: " + badLatitude,
			"services[0].service_at_locations[0].location.latitude: " + badLatitude}},
		{"organization_list.json", readN[Organization], nil},
		{"service_at_location_full.json", readN[ServiceAtLocation], []string{
			"location.latitude: " + badLatitude,
			"service.organization.locations[0].latitude: " + badLatitude}},
		{"service_at_location_list.json", readN[ServiceAtLocation], []string{"location.latitude: " + badLatitude}},
		{"location.json", readN[Location], []string{"latitude: " + badLatitude}},
		{"taxonomy.json", readN[Taxonomy], nil},
		{"taxonomy_list.json", readN[Taxonomy], nil},
		{"taxonomy_term.json", readN[TaxonomyTerm], nil},
		{"taxonomy_term_list.json", readN[TaxonomyTerm], nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			n, problems := c.read(t, c.file)
			check(t, n, problems, c.want)
		})
	}
}

func readN[T Record](t *testing.T, file string) (int, []string) {
	out, problems := readExample[T](t, file)
	return len(out), problems
}

// Every example file is covered by a test.
func TestEveryExampleCovered(t *testing.T) {
	covered := map[string]bool{
		"service_full.json": true, "service_list.json": true, "organization_full.json": true,
		"organization_list.json": true, "service_at_location_full.json": true, "service_at_location_list.json": true,
		"location.json": true, "taxonomy.json": true, "taxonomy_list.json": true, "taxonomy_term.json": true,
		"taxonomy_term_list.json": true, "base.json": true, "tabular.json": true, "csv": true,
	}
	entries, err := os.ReadDir(spec(t, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !covered[e.Name()] {
			t.Errorf("example %s is not tested", e.Name())
		}
	}
}

// The official CSV example breaks these rules: its location has latitude
// 100, and six references point at ids that are in no table (contacts.csv
// gives another organization and service at location than the others,
// locations.csv another organization, taxonomy_terms.csv another taxonomy,
// the attribute's link_id and the metadata's resource_id match nothing).
var officialCSVProblems = []string{
	"attributes.csv|link_id",
	"contacts.csv|organization_id",
	"contacts.csv|service_at_location_id",
	"locations.csv|latitude",
	"locations.csv|organization_id",
	"metadata.csv|resource_id",
	"taxonomy_terms.csv|taxonomy_id",
}

func TestOfficialCSVExample(t *testing.T) {
	p, err := ReadPackageAll(spec(t, "examples", "csv"))
	var es Errors
	if p == nil || !errors.As(err, &es) {
		t.Fatalf("ReadPackageAll: %v", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.File+"|"+e.Field)
		if !strings.Contains(e.Record, "(line 2)") {
			t.Errorf("record not named: %v", e)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, officialCSVProblems) {
		t.Errorf("problems:\n%v\nwant:\n%v", es, officialCSVProblems)
	}
	if len(p.Services) != 1 {
		t.Fatalf("%d services", len(p.Services))
	}
	s := p.Services[0]
	if s.Organization == nil || s.Program == nil || len(s.ServiceAtLocations) != 1 ||
		s.ServiceAtLocations[0].Location == nil || len(s.ServiceAtLocations[0].Location.Addresses) != 1 ||
		len(s.Phones) != 1 || len(s.Phones[0].Languages) != 1 || len(s.Contacts) != 1 || len(s.Contacts[0].Phones) != 1 {
		t.Errorf("service not fully joined: %+v", s)
	}
	// Unlinked records are kept, not dropped.
	if len(p.Taxonomies) != 1 || len(p.TaxonomyTerms) != 1 || len(p.MetaTableDescriptions) != 1 {
		t.Errorf("unlinked records: %d taxonomies, %d terms, %d table descriptions", len(p.Taxonomies), len(p.TaxonomyTerms), len(p.MetaTableDescriptions))
	}
}

// testdata/csv_fixed is the official CSV example with the problems above
// corrected; it reads cleanly and survives a round trip unchanged.
func TestFixedCSVExample(t *testing.T) {
	p, err := ReadPackageAll("testdata/csv_fixed")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || len(p.Services[0].Attributes) != 1 || len(p.Services[0].Attributes[0].TaxonomyTerm.TaxonomyDetail.ID) == 0 {
		t.Fatalf("not joined: %+v", p.Services)
	}
	for _, s := range p.Services {
		if errs := s.Validate(); errs != nil {
			t.Errorf("joined service does not validate: %v", Errors(errs))
		}
	}
	dir := t.TempDir()
	if err := p.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	q, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(q, p); !deepEqual(q, p) {
		t.Fatalf("round trip differs: %s", d)
	}
}

// The API root example is not an HSDS object; tabular.json is the tabular
// form as JSON: each of its rows must be a valid row of its table.
func TestTabularJSONExample(t *testing.T) {
	var doc map[string][]map[string]any
	if err := jsonUnmarshal(readFile(t, specDir(t), "examples/tabular.json"), &doc); err != nil {
		t.Fatal(err)
	}
	for file, rows := range doc {
		var tb *table
		for _, x := range tables {
			if x.path == file {
				tb = x
			}
		}
		if tb == nil {
			t.Errorf("tabular.json: unknown table %s", file)
			continue
		}
		for i, row := range rows {
			for k := range row {
				if _, ok := tb.colIndex[k]; !ok {
					t.Errorf("%s[%d]: unknown column %s", file, i, k)
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(specDir(t), "examples", "base.json")); err != nil {
		t.Fatal(err)
	}
}
