package hsds

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"haven/internal/hsdsschema"
	"haven/internal/testenv"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// compiledSchema compiles one bundled schema of schema/compiled, which
// declares no $schema: it is read as draft 2020-12, with formats (uuid,
// email, uri, date-time) asserted rather than only annotated.
func compiledSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		for _, n := range []string{"service", "organization"} {
			s, err := c.Compile(spec(t, "schema", "compiled", n+".json"))
			if err != nil {
				schemaErr = err
				return
			}
			schemas[n] = s
		}
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	return schemas[name]
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, doc []byte, what string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s does not validate against the HSDS schema: %v", what, err)
	}
}

func schemaTestServices(t *testing.T) []*Service {
	out := someServices(3)
	for _, f := range []string{"service_full.json", "service_list.json"} {
		r := NewJSONReader(bytes.NewReader(readFile(t, specDir(t), "examples/"+f)), f)
		for s, _ := range r.All() {
			if s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

func TestOutputValidatesAgainstSchema(t *testing.T) {
	sch := compiledSchema(t, "service")
	services := schemaTestServices(t)

	var arr bytes.Buffer
	if err := WriteJSON(&arr, services, true); err != nil {
		t.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(arr.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	for i, it := range items {
		validateJSON(t, sch, it, "WriteJSON item "+services[i].ID)
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
		validateJSON(t, sch, sc.Bytes(), "NDJSON line")
		n++
	}
	if n != len(services) {
		t.Fatalf("%d NDJSON lines", n)
	}

	// The schema is really checking: a bad status and a bad UUID fail.
	bad := *services[0]
	bad.Status, bad.ID = "open", "nope"
	b, _ := json.Marshal(&bad)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err := sch.Validate(v); err == nil {
		t.Error("schema accepted a service with status open and id nope")
	}

	org := compiledSchema(t, "organization")
	b, _ = json.Marshal(services[0].Organization)
	validateJSON(t, org, b, "organization")
}

// The schema must accept the Haven extension fields: HSDS 3.0 leaves
// additionalProperties open. This checks no object of the bundled schema
// closes it.
func TestSchemaAllowsExtensions(t *testing.T) {
	s := fullService(0)
	b, _ := json.Marshal(s)
	if !bytes.Contains(b, []byte(`"x_last_verified":"2025-02-01"`)) || !bytes.Contains(b, []byte(`"x_sample":false`)) {
		t.Fatalf("extensions not written: %s", b)
	}
	raw := readFile(t, specDir(t), "schema/compiled/service.json")
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if ap, ok := x["additionalProperties"]; ok && ap == false {
				t.Fatal("compiled/service.json sets additionalProperties: false")
			}
			for _, v := range x {
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(doc)
}

// The table definitions match the official HSDS 3.1 datapackage.json field
// for field, and the CSV files written have exactly its columns (plus the
// two Haven columns at the end of services.csv and organizations.csv). 3.1's
// descriptor lists only the keys of service_capacity and nothing of unit:
// for those two its fields must be among the table's, and the JSON schema
// check below covers the rest.
func TestTablesMatchDataPackage(t *testing.T) {
	var dp struct {
		Resources []struct {
			Name   string
			Path   string
			Schema struct {
				Fields []struct {
					Name        string
					Type        string
					Format      string
					Constraints struct{ Required bool }
				}
				ForeignKeys []struct {
					Fields    string
					Reference struct{ Resource string }
				}
			}
		}
	}
	if err := json.Unmarshal(readFile(t, ".", dataPackage31File), &dp); err != nil {
		t.Fatal(err)
	}
	if len(dp.Resources) != len(tables) {
		t.Fatalf("%d resources, %d tables", len(dp.Resources), len(tables))
	}
	dir := t.TempDir()
	if err := WritePackage(dir, someServices(2)); err != nil {
		t.Fatal(err)
	}
	for i, r := range dp.Resources {
		tb := tables[i]
		if tb.name != r.Name || tb.path != r.Path {
			t.Fatalf("table %d is %s (%s), want %s (%s)", i, tb.name, tb.path, r.Name, r.Path)
		}
		fks := map[string]string{}
		for _, fk := range r.Schema.ForeignKeys {
			fks[fk.Fields] = fk.Reference.Resource
		}
		partial := r.Name == "service_capacity" || r.Name == "unit"
		var want []string
		for j, f := range r.Schema.Fields {
			c := tb.columns[j]
			if partial {
				c = tb.columns[tb.colIndex[f.Name]]
			}
			format := f.Format
			if format == "default" {
				format = ""
			}
			if c.name != f.Name || c.typ != f.Type || c.format != format || c.tabRequired != f.Constraints.Required || c.ref != fks[f.Name] {
				t.Errorf("%s.%s: have %+v, want %+v", r.Name, f.Name, c, f)
			}
			want = append(want, f.Name)
		}
		if partial {
			want = Columns(r.Name)
		}
		if r.Name == "service" || r.Name == "organization" {
			want = append(want, "x_last_verified", "x_sample")
		}
		if r.Name == "service" {
			want = append(want, "x_translations")
		}
		if r.Name == "location" {
			want = append(want, "x_confidential")
		}
		if !slices.Equal(Columns(r.Name), want) {
			t.Errorf("Columns(%s) = %v", r.Name, Columns(r.Name))
		}
		f, err := os.Open(dir + "/" + r.Path)
		if err != nil {
			t.Fatal(err)
		}
		header, err := csv.NewReader(f).Read()
		f.Close()
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
		if !slices.Equal(header, want) {
			t.Errorf("%s header %v, want %v", r.Path, header, want)
		}
	}
	// Our datapackage.json lists the same columns.
	var ours struct {
		Resources []struct {
			Path   string
			Schema struct{ Fields []struct{ Name string } }
		}
	}
	if err := json.Unmarshal(readFile(t, dir, "datapackage.json"), &ours); err != nil {
		t.Fatal(err)
	}
	for _, r := range ours.Resources {
		var names []string
		for _, f := range r.Schema.Fields {
			names = append(names, f.Name)
		}
		if !slices.Equal(names, Columns(r.Path)) {
			t.Errorf("datapackage.json %s: %v", r.Path, names)
		}
	}
	// JSON property names are the schema's.
	schemaDir, ok := testenv.MaybeShared(t, "hsds/v3.1-dev/schema")
	if !ok {
		return
	}
	for _, tb := range tables {
		var sch struct{ Properties map[string]any }
		if err := json.Unmarshal(readFile(t, schemaDir, tb.name+".json"), &sch); err != nil {
			t.Fatal(err)
		}
		for i := range tb.goType.NumField() {
			name, _, _ := strings.Cut(tb.goType.Field(i).Tag.Get("json"), ",")
			if _, ok := sch.Properties[name]; !ok && !strings.HasPrefix(name, "x_") && !(tb.name == "organization" && name == "services") && !(tb.name == "service_at_location" && name == "service") {
				t.Errorf("%s has field %s, which the schema does not define", tb.name, name)
			}
			delete(sch.Properties, name)
		}
		for name := range sch.Properties {
			t.Errorf("%s lacks schema property %s", tb.name, name)
		}
	}
}

// Haven's output validates against the HSDS 3.1 schemas too, with the 3.1
// objects (capacities and their units, additional URLs and websites,
// service areas of a service_at_location, attribute labels) filled in, and
// the official 3.1 examples read without a problem.
func TestOutputValidatesAgainstSchema31(t *testing.T) {
	schemas, err := hsdsschema.Compile31(spec31(t, "schema"))
	if err != nil {
		t.Fatal(err)
	}
	services := schemaTestServices(t)
	// The official examples break Haven's own rules (a latitude of 100), so
	// they are decoded strictly, which still refuses any property the types
	// lack, rather than through the reader.
	strict := func(f string, v any) {
		dec := json.NewDecoder(bytes.NewReader(readFile(t, spec31(t), "examples/"+f)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("official 3.1 %s: %v", f, err)
		}
	}
	example := &Service{}
	strict("service_full.json", example)
	if len(example.Capacities) == 0 || example.Capacities[0].Unit == nil || len(example.AdditionalURLs) == 0 {
		t.Errorf("official 3.1 service_full.json read without its capacities or URLs: %+v", example.Capacities)
	}
	var page struct {
		TotalItems int        `json:"total_items"`
		TotalPages int        `json:"total_pages"`
		PageNumber int        `json:"page_number"`
		Size       int        `json:"size"`
		FirstPage  bool       `json:"first_page"`
		LastPage   bool       `json:"last_page"`
		Empty      *bool      `json:"empty"`
		Contents   []*Service `json:"contents"`
	}
	strict("service_list.json", &page)
	if len(page.Contents) == 0 || page.Empty == nil {
		t.Error("official 3.1 service_list.json: no contents or no empty field")
	}
	services = append(append(services, example), page.Contents...)
	full := services[0]
	if len(full.Capacities) == 0 || full.Capacities[0].Unit == nil || len(full.AdditionalURLs) == 0 ||
		len(full.ServiceAtLocations[0].ServiceAreas) == 0 || len(full.Organization.AdditionalWebsites) == 0 || full.Attributes[0].Label == "" {
		t.Fatal("the fixture lacks the 3.1 objects this test is about")
	}
	for _, s := range services {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		validateJSON(t, schemas["service"], b, "service "+s.ID)
	}
	b, _ := json.Marshal(full.Organization)
	validateJSON(t, schemas["organization"], b, "organization")

	// The 3.1 schemas really check the new objects: a capacity without its
	// unit, and a URL that is not one, fail.
	for name, spoil := range map[string]func(*Service){
		"capacity without unit":    func(s *Service) { s.Capacities[0].Unit = nil },
		"capacity without updated": func(s *Service) { s.Capacities[0].Updated = "" },
		"url not a uri":            func(s *Service) { s.AdditionalURLs[0].URL = "not a url" },
	} {
		bad := *full
		bad.Capacities = slices.Clone(full.Capacities)
		bad.AdditionalURLs = slices.Clone(full.AdditionalURLs)
		spoil(&bad)
		b, _ := json.Marshal(&bad)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := schemas["service"].Validate(v); err == nil {
			t.Errorf("%s: the 3.1 schema accepted it", name)
		}
		if errs := bad.Validate(); len(errs) == 0 {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
}
