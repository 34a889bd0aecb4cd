package hsds

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
)

// PackageWriter writes a tabular data package: datapackage.json and one CSV
// file per HSDS table, with exactly the columns of the HSDS 3.1
// datapackage.json in its order (services.csv and organizations.csv end with
// Haven's x_last_verified and x_sample).
//
// Each Add call flattens a nested object into table rows. An object that
// appears more than once (one organization under many services, one phone
// under a service and its contact) becomes one row: the links each copy
// implies are merged (a phone nested under a service and under a location
// gets both service_id and location_id), and any other column must agree.
// Links the nesting implies but the object leaves empty are filled in
// (phone.service_id, attribute.link_id and link_entity, metadata.resource_id
// and resource_type, service.organization_id, program.organization_id, …).
//
// Rows are kept in memory until Close, which writes every file with rows in
// id order, so output is deterministic.
//
// The files hold the data exactly, for exchange. Set SpreadsheetSafe before
// Close when they will be opened in a spreadsheet instead.
type PackageWriter struct {
	// SpreadsheetSafe neutralizes text cells a spreadsheet would run as a
	// formula: any that starts with =, +, -, @, tab or carriage return gets
	// a leading ' (OWASP's advice for CSV injection). Numbers stay as they
	// are. The data then no longer reads back exactly.
	SpreadsheetSafe bool

	dir  string
	rows []map[string][]string
	errs []*FieldError
}

// NewPackageWriter returns a writer of a package into the folder dir, which
// Close creates if needed.
func NewPackageWriter(dir string) *PackageWriter {
	w := &PackageWriter{dir: dir, rows: make([]map[string][]string, len(tables))}
	for i := range w.rows {
		w.rows[i] = map[string][]string{}
	}
	return w
}

// AddService adds a service and everything nested in it. It returns an
// Errors value if the service conflicts with what was added before; Close
// then refuses to write.
func (w *PackageWriter) AddService(s *Service) error { return w.addRoot(reflect.ValueOf(s)) }

// AddOrganization adds an organization and everything nested in it; see
// AddService.
func (w *PackageWriter) AddOrganization(o *Organization) error { return w.addRoot(reflect.ValueOf(o)) }

// AddLocation adds a location and everything nested in it; see AddService.
func (w *PackageWriter) AddLocation(l *Location) error { return w.addRoot(reflect.ValueOf(l)) }

// AddTaxonomyTerm adds a taxonomy term and its taxonomy; see AddService.
func (w *PackageWriter) AddTaxonomyTerm(t *TaxonomyTerm) error { return w.addRoot(reflect.ValueOf(t)) }

// AddTaxonomy adds a taxonomy; see AddService.
func (w *PackageWriter) AddTaxonomy(t *Taxonomy) error { return w.addRoot(reflect.ValueOf(t)) }

// AddUnit adds a unit of service capacity; see AddService.
func (w *PackageWriter) AddUnit(u *Unit) error { return w.addRoot(reflect.ValueOf(u)) }

// AddMetaTableDescription adds a meta table description; see AddService.
func (w *PackageWriter) AddMetaTableDescription(m *MetaTableDescription) error {
	return w.addRoot(reflect.ValueOf(m))
}

// AddPackage adds everything in p.
func (w *PackageWriter) AddPackage(p *Package) error {
	before := len(w.errs)
	for _, x := range p.Services {
		w.AddService(x)
	}
	for _, x := range p.Organizations {
		w.AddOrganization(x)
	}
	for _, x := range p.Locations {
		w.AddLocation(x)
	}
	for _, x := range p.TaxonomyTerms {
		w.AddTaxonomyTerm(x)
	}
	for _, x := range p.Taxonomies {
		w.AddTaxonomy(x)
	}
	for _, x := range p.Units {
		w.AddUnit(x)
	}
	for _, x := range p.MetaTableDescriptions {
		w.AddMetaTableDescription(x)
	}
	return errorsOrNil(w.errs[before:])
}

func (w *PackageWriter) addRoot(p reflect.Value) error {
	if p.IsNil() {
		return nil
	}
	before := len(w.errs)
	v := p.Elem()
	w.add(tableByType[v.Type()], v, nil, nil, nil, nil, 1)
	return errorsOrNil(w.errs[before:])
}

func (w *PackageWriter) fail(t *table, id, field, format string, args ...any) {
	rec := ""
	if id != "" {
		rec = t.label + " " + id
	}
	w.errs = append(w.errs, &FieldError{File: t.path, Record: rec, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// cells renders the columns of an object as CSV cells.
func cells(t *table, v reflect.Value) []string {
	out := make([]string, len(t.columns))
	for ci, c := range t.columns {
		f := v.Field(t.fields[ci])
		switch c.typ {
		case "number":
			if !f.IsNil() {
				out[ci] = formatNumber(f.Elem().Float())
			}
		case "boolean":
			if !f.IsNil() {
				out[ci] = fmt.Sprint(f.Elem().Bool())
			}
		default:
			out[ci] = f.String()
		}
	}
	return out
}

// add flattens object v of table t, nested in a parent of table pt (whose
// cells are pc) through child field ch.
func (w *PackageWriter) add(t *table, v reflect.Value, pt *table, pc []string, ch *child, p *path, depth int) {
	if depth > MaxDepth {
		w.fail(t, "", p.String(), "objects nested more than %d deep", MaxDepth)
		return
	}
	c := cells(t, v)
	if c[0] == "" {
		w.fail(t, "", p.String(), "a %s without an id cannot be written", t.label)
		return
	}
	if ch != nil {
		switch ch.link {
		case linkForward, linkPoly:
			if c[ch.col] == "" {
				c[ch.col] = pc[0]
			}
			if ch.link == linkPoly && c[ch.entityCol] == "" {
				c[ch.entityCol] = pt.name
			}
		}
		// A program nested in a service belongs to the service's
		// organization; the tabular form requires program.organization_id.
		if t.name == "program" && pt.name == "service" {
			oc := t.colIndex["organization_id"]
			if c[oc] == "" {
				c[oc] = pc[pt.colIndex["organization_id"]]
			}
		}
	}
	// Links to nested objects held by this object (service.organization_id
	// for service.organization, …) are filled before the row is stored.
	for i := range t.children {
		k := &t.children[i]
		if k.link != linkReverse || c[k.col] != "" {
			continue
		}
		if f := v.Field(k.field); !f.IsNil() {
			c[k.col] = idOf(f.Elem())
		}
	}
	w.store(t, c)
	for i := range t.children {
		k := &t.children[i]
		f := v.Field(k.field)
		if k.slice {
			for j := 0; j < f.Len(); j++ {
				w.add(k.t, f.Index(j), t, c, k, &path{up: p, name: k.name, idx: j}, depth+1)
			}
		} else if !f.IsNil() {
			w.add(k.t, f.Elem(), t, c, k, &path{up: p, name: k.name, idx: -1}, depth+1)
		}
	}
}

// store merges a row into its table.
func (w *PackageWriter) store(t *table, c []string) {
	key := idKey(c[0])
	old, ok := w.rows[t.index][key]
	if !ok {
		w.rows[t.index][key] = c
		return
	}
	for i := range c {
		switch {
		case c[i] == "" || c[i] == old[i]:
		case old[i] == "":
			old[i] = c[i]
		case t.columns[i].format == "uuid" && sameID(c[i], old[i]):
		default:
			w.fail(t, c[0], t.columns[i].name, "one id, two values: %s and %s", quote(old[i]), quote(c[i]))
		}
	}
}

// Close writes the package. If any Add reported a conflict, it writes
// nothing and returns all of them.
func (w *PackageWriter) Close() error {
	if len(w.errs) > 0 {
		return Errors(w.errs)
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return err
	}
	for _, t := range tables {
		if err := w.writeTable(t); err != nil {
			return err
		}
	}
	return writeDataPackage(filepath.Join(w.dir, "datapackage.json"))
}

func (w *PackageWriter) writeTable(t *table) error {
	f, err := os.Create(filepath.Join(w.dir, t.path))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	cw := csv.NewWriter(bw)
	header := make([]string, len(t.columns))
	for i, c := range t.columns {
		header[i] = c.name
	}
	cw.Write(header)
	keys := make([]string, 0, len(w.rows[t.index]))
	for k := range w.rows[t.index] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		row := w.rows[t.index][k]
		if w.SpreadsheetSafe {
			row = neutralize(t, row)
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// neutralize returns row with every text cell a spreadsheet would take for
// a formula prefixed by ', so that it shows as text; row is not changed.
func neutralize(t *table, row []string) []string {
	var out []string
	for i, c := range row {
		if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			continue
		}
		if typ := t.columns[i].typ; typ == "number" || typ == "boolean" {
			continue // "-12.5" is a number, and a spreadsheet reads it as one
		}
		if out == nil {
			out = slices.Clone(row)
		}
		out[i] = "'" + c
	}
	if out == nil {
		return row
	}
	return out
}

// WritePackage writes services (and everything nested in them) as a
// tabular data package in dir; see PackageWriter.
func WritePackage(dir string, services []*Service) error {
	w := NewPackageWriter(dir)
	for _, s := range services {
		w.AddService(s)
	}
	return w.Close()
}

// WriteDir writes the whole package p as a tabular data package in dir.
func (p *Package) WriteDir(dir string) error {
	w := NewPackageWriter(dir)
	w.AddPackage(p)
	return w.Close()
}

// writeDataPackage writes the Frictionless descriptor of the tables.
func writeDataPackage(file string) error {
	type constraints struct {
		Required bool `json:"required,omitzero"`
		Unique   bool `json:"unique,omitzero"`
	}
	type field struct {
		Name        string       `json:"name"`
		Type        string       `json:"type"`
		Format      string       `json:"format,omitzero"`
		Constraints *constraints `json:"constraints,omitzero"`
		Description string       `json:"description,omitzero"`
	}
	type reference struct {
		Resource string `json:"resource"`
		Fields   string `json:"fields"`
	}
	type foreignKey struct {
		Fields    string    `json:"fields"`
		Reference reference `json:"reference"`
	}
	type schema struct {
		Fields      []field      `json:"fields"`
		PrimaryKey  string       `json:"primaryKey"`
		ForeignKeys []foreignKey `json:"foreignKeys,omitzero"`
	}
	type resource struct {
		Name      string `json:"name"`
		Path      string `json:"path"`
		Profile   string `json:"profile"`
		Format    string `json:"format"`
		Mediatype string `json:"mediatype"`
		Encoding  string `json:"encoding"`
		Schema    schema `json:"schema"`
	}
	dp := struct {
		Name      string     `json:"name"`
		Title     string     `json:"title"`
		Profile   string     `json:"profile"`
		Version   string     `json:"version"`
		Resources []resource `json:"resources"`
	}{Name: "human_services_data", Title: "Human Services Data Specification", Profile: "tabular-data-package", Version: "3.1.0"}
	for _, t := range tables {
		r := resource{Name: t.name, Path: t.path, Profile: "tabular-data-resource", Format: "csv", Mediatype: "text/csv", Encoding: "utf-8"}
		r.Schema.PrimaryKey = "id"
		for _, c := range t.columns {
			f := field{Name: c.name, Type: c.typ, Format: c.format}
			if c.tabRequired || c.name == "id" {
				f.Constraints = &constraints{Required: c.tabRequired, Unique: c.name == "id"}
			}
			switch c.name {
			case "x_last_verified":
				f.Description = "Haven extension: the date a person last confirmed this record."
			case "x_sample":
				f.Description = "Haven extension: true marks sample or test data."
			case "x_translations":
				f.Description = `Haven extension: the service's texts in other languages, as a JSON object such as {"es": {"name": "…"}}.`
			case "x_confidential":
				f.Description = "Haven extension: true keeps the location's address and coordinates from the public."
			}
			r.Schema.Fields = append(r.Schema.Fields, f)
			if c.ref != "" {
				r.Schema.ForeignKeys = append(r.Schema.ForeignKeys, foreignKey{Fields: c.name, Reference: reference{Resource: c.ref, Fields: "id"}})
			}
		}
		dp.Resources = append(dp.Resources, r)
	}
	b, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(b, '\n'), 0o644)
}

// Columns returns the CSV header of an HSDS table ("services", "phones", …,
// or the file name "services.csv"), including Haven's extension columns, or
// nil for an unknown table. The store code can use it to map tables.
func Columns(table string) []string {
	for _, t := range tables {
		if t.name == table || t.path == table || strings.TrimSuffix(t.path, ".csv") == table {
			out := make([]string, len(t.columns))
			for i, c := range t.columns {
				out[i] = c.name
			}
			return out
		}
	}
	return nil
}
