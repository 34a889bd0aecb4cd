package hsds

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// Package is the whole content of an HSDS tabular data package, joined into
// nested objects.
//
// Services hold everything reachable from them, in the nesting of
// schema/compiled/service.json: the organization with all its locations,
// programs, phones, contacts, funding and identifiers; each
// service_at_location with its location; attributes with their taxonomy term
// and its taxonomy; and so on. Nested objects are shared, not copied: every
// service of one organization points at the same *Organization, so treat
// what a reader returns as read-only or copy before changing it.
//
// The other fields keep the records that no service reaches, so that
// nothing read is dropped.
type Package struct {
	// Services in id order.
	Services []*Service
	// Organizations that deliver none of Services.
	Organizations []*Organization
	// Locations that belong to no organization and serve none of Services.
	Locations []*Location
	// TaxonomyTerms that no attribute uses.
	TaxonomyTerms []*TaxonomyTerm
	// Taxonomies that no taxonomy term details.
	Taxonomies []*Taxonomy
	// Units that no service capacity counts (HSDS 3.1): a package may list
	// the units of a scheme before any service uses them.
	Units []*Unit
	// MetaTableDescriptions, which nothing else refers to.
	MetaTableDescriptions []*MetaTableDescription
}

// tabRow is one row of a table as read.
type tabRow struct {
	v      reflect.Value // pointer to a struct holding only the row's columns
	key    string        // idKey of its id
	line   int
	label  string
	broken bool // a reference of the row points nowhere (already reported)
	// noStreet: an address row without address_1, which only a
	// confidential location's address may leave out (checkStreets).
	noStreet bool
	reached  bool          // nested into something returned
	built    reflect.Value // the nested object, once built
}

// tableData is one table of a package.
type tableData struct {
	t    *table
	file string
	rows []*tabRow // in id order
	byID map[string]*tabRow
}

// readTable reads one CSV table (the bytes of one file). Problems in single
// rows come back in rowErrs and the rows are kept; a problem that stops the
// table (bad CSV syntax, a wrong number of fields, an unknown or missing
// column, a read error) comes back in fatal.
func readTable(r io.Reader, file string, t *table) (rows []*tabRow, rowErrs []*FieldError, fatal *FieldError) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, &FieldError{File: file, Record: "line 1", Reason: "empty file: the header row is missing"}
	}
	if err != nil {
		return nil, nil, csvError(file, err, nil, 0)
	}
	colOf := make([]int, len(header))
	have := map[string]bool{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, nil, &FieldError{File: file, Record: "line 1", Reason: fmt.Sprintf("column %d: header is not valid UTF-8", i+1)}
		}
		ci, ok := t.colIndex[h]
		if !ok {
			return nil, nil, &FieldError{File: file, Record: "line 1", Field: h, Reason: fmt.Sprintf("unknown column: HSDS 3.1 %s has no such field", t.path)}
		}
		if have[h] {
			return nil, nil, &FieldError{File: file, Record: "line 1", Field: h, Reason: "column appears twice in the header"}
		}
		have[h] = true
		colOf[i] = ci
	}
	for _, c := range t.columns {
		if c.tabRequired && !have[c.name] {
			return nil, nil, &FieldError{File: file, Record: "line 1", Field: c.name, Reason: "required column is missing from the header"}
		}
	}
	idCol := slices.Index(colOf, 0)
	byID := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvError(file, err, rec, len(header))
		}
		line, _ := cr.FieldPos(0)
		id := ""
		if idCol >= 0 {
			id = rec[idCol]
		}
		label := fmt.Sprintf("line %d", line)
		if id != "" && utf8.ValidString(id) && len(id) <= 100 {
			label = fmt.Sprintf("%s %s (line %d)", t.label, id, line)
		}
		// An address's street is checked once its location is known
		// (checkStreets).
		c := &checker{file: file, record: label, tabular: true, streetless: t.name == "address"}
		v := reflect.New(t.goType)
		sv := v.Elem()
		for i, cell := range rec {
			if cell == "" {
				continue // an empty cell is an absent value
			}
			ci := colOf[i]
			col := &t.columns[ci]
			f := sv.Field(t.fields[ci])
			switch col.typ {
			case "number":
				x, ok := parseNumber(cell)
				if !ok {
					c.add(col.name, "%s is not a number", quote(cell))
					continue
				}
				f.Set(reflect.ValueOf(&x))
			case "boolean":
				b, ok := parseBool(cell)
				if !ok {
					c.add(col.name, "%s is not true or false", quote(cell))
					continue
				}
				f.Set(reflect.ValueOf(&b))
			default:
				// encoding/csv returns a fresh string for each field, even
				// with ReuseRecord, so keeping it is safe.
				f.SetString(cell)
			}
		}
		c.columns(t, sv, nil)
		rowErrs = append(rowErrs, c.errs...)
		if id != "" {
			key := idKey(id)
			if prev, dup := byID[key]; dup {
				rowErrs = append(rowErrs, &FieldError{File: file, Record: label, Field: "id",
					Reason: fmt.Sprintf("duplicate id %s: line %d has the same id; this row is left out", quote(id), prev)})
				continue
			}
			byID[key] = line
			rows = append(rows, &tabRow{v: v, key: key, line: line, label: label,
				noStreet: t.name == "address" && sv.Field(t.fields[t.colIndex["address_1"]]).String() == ""})
		}
		// A row without an id was reported as missing its required id; it
		// cannot be linked, so it is left out.
	}
	return rows, rowErrs, nil
}

func csvError(file string, err error, rec []string, want int) *FieldError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &FieldError{File: file, Record: fmt.Sprintf("line %d", pe.StartLine),
				Reason: fmt.Sprintf("row has %d fields but the header has %d", len(rec), want)}
		}
		return &FieldError{File: file, Record: fmt.Sprintf("line %d", pe.StartLine),
			Reason: fmt.Sprintf("bad CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)}
	}
	return &FieldError{File: file, Reason: err.Error()}
}

// ReadPackage reads the services of a tabular data package: the folder
// dir holding datapackage.json and the CSV files it lists (absent ones are
// taken as empty). See ReadPackageAll, which also returns the records no
// service reaches; ReadPackage leaves those out.
func ReadPackage(dir string) ([]*Service, error) {
	p, err := ReadPackageAll(dir)
	if p == nil {
		return nil, err
	}
	return p.Services, err
}

// ReadPackageAll reads a tabular data package and joins its tables into
// nested objects (see Package).
//
// Columns are matched by header name in any order; a column HSDS 3.1 does
// not define is an error, a missing optional column is fine, and an empty
// cell is an absent value. Each row is checked like Validate checks objects
// (with the tabular form's required columns), ids must be unique within a
// table, and every reference (the foreign keys of datapackage.json, an
// attribute's link_id and a metadata record's resource_id) must point at a
// row that exists.
//
// If the package cannot be read at all (a missing or bad datapackage.json,
// bad CSV syntax, a wrong number of fields, an unknown column), the returned
// *Package is nil and the error lists every such problem. Otherwise the
// Package holds everything that could be joined, and the error, if not nil,
// is an Errors value listing the rows with problems.
func ReadPackageAll(dir string) (*Package, error) {
	files, err := packageFiles(dir)
	if err != nil {
		return nil, err
	}
	var fatal, errs []*FieldError
	data := make([]*tableData, len(tables))
	for _, t := range tables {
		file, listed := files[t.name]
		if !listed {
			continue
		}
		f, err := os.Open(filepath.Join(dir, file))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			fatal = append(fatal, &FieldError{File: file, Reason: err.Error()})
			continue
		}
		rows, rowErrs, bad := readTable(f, file, t)
		f.Close()
		if bad != nil {
			fatal = append(fatal, bad)
			continue
		}
		errs = append(errs, rowErrs...)
		td := &tableData{t: t, file: file, rows: rows, byID: make(map[string]*tabRow, len(rows))}
		slices.SortFunc(td.rows, func(a, b *tabRow) int { return strings.Compare(a.key, b.key) })
		for _, r := range rows {
			td.byID[r.key] = r
		}
		data[t.index] = td
	}
	if len(fatal) > 0 {
		return nil, Errors(fatal)
	}
	a := &assembler{data: data, files: files, errs: errs}
	p := a.assemble()
	return p, errorsOrNil(a.errs)
}

// packageFiles reads datapackage.json and returns the file of each table.
func packageFiles(dir string) (map[string]string, error) {
	const name = "datapackage.json"
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, Errors{{File: name, Reason: err.Error()}}
	}
	defer f.Close()
	var dp struct {
		Resources []struct {
			Name string          `json:"name"`
			Path json.RawMessage `json:"path"`
		} `json:"resources"`
	}
	if err := json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&dp); err != nil {
		return nil, Errors{{File: name, Reason: "not a valid data package: " + err.Error()}}
	}
	files := map[string]string{}
	var errs []*FieldError
	for i, r := range dp.Resources {
		field := fmt.Sprintf("resources[%d]", i)
		t := tableByName[r.Name]
		if t == nil {
			errs = append(errs, &FieldError{File: name, Field: field + ".name", Reason: fmt.Sprintf("unknown resource %s: HSDS 3.1 has no such table", quote(r.Name))})
			continue
		}
		if _, dup := files[r.Name]; dup {
			errs = append(errs, &FieldError{File: name, Field: field + ".name", Reason: fmt.Sprintf("resource %s is listed twice", quote(r.Name))})
			continue
		}
		var p string
		if json.Unmarshal(r.Path, &p) != nil {
			errs = append(errs, &FieldError{File: name, Field: field + ".path", Reason: "path must be one file name (multi-file and inline resources are not supported)"})
			continue
		}
		// Only files inside dir: a package must not make us read elsewhere.
		if !filepath.IsLocal(p) || strings.Contains(p, "://") || strings.Contains(p, "\\") {
			errs = append(errs, &FieldError{File: name, Field: field + ".path", Reason: fmt.Sprintf("path %s is not a file inside the package folder", quote(p))})
			continue
		}
		files[r.Name] = p
	}
	if len(errs) > 0 {
		return nil, Errors(errs)
	}
	return files, nil
}

// assembler joins the tables of a package.
type assembler struct {
	data  []*tableData
	files map[string]string
	errs  []*FieldError
	fwd   map[[2]int]map[string][]*tabRow // (child table, column) -> parent key -> rows
	poly  map[polyKey][]*tabRow           // attributes and metadata by what they describe
}

type polyKey struct {
	child, parent int
	key           string
}

func (a *assembler) fileOf(t *table) string {
	if f, ok := a.files[t.name]; ok {
		return f
	}
	return t.path
}

func (a *assembler) add(td *tableData, r *tabRow, field, format string, args ...any) {
	a.errs = append(a.errs, &FieldError{File: td.file, Record: r.label, Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (a *assembler) lookup(t *table, id string) *tabRow {
	if td := a.data[t.index]; td != nil {
		return td.byID[idKey(id)]
	}
	return nil
}

func (a *assembler) assemble() *Package {
	a.fwd = map[[2]int]map[string][]*tabRow{}
	a.poly = map[polyKey][]*tabRow{}
	a.checkReferences()
	a.checkStreets()
	p := &Package{}
	take := func(name string, fn func(reflect.Value)) {
		td := a.data[tableByName[name].index]
		if td == nil {
			return
		}
		for _, r := range td.rows {
			if !r.reached {
				fn(a.build(td.t, r))
			}
		}
	}
	take("service", func(v reflect.Value) { p.Services = append(p.Services, v.Interface().(*Service)) })
	take("organization", func(v reflect.Value) { p.Organizations = append(p.Organizations, v.Interface().(*Organization)) })
	take("location", func(v reflect.Value) { p.Locations = append(p.Locations, v.Interface().(*Location)) })
	take("taxonomy_term", func(v reflect.Value) { p.TaxonomyTerms = append(p.TaxonomyTerms, v.Interface().(*TaxonomyTerm)) })
	take("taxonomy", func(v reflect.Value) { p.Taxonomies = append(p.Taxonomies, v.Interface().(*Taxonomy)) })
	take("unit", func(v reflect.Value) { p.Units = append(p.Units, v.Interface().(*Unit)) })
	take("meta_table_description", func(v reflect.Value) {
		p.MetaTableDescriptions = append(p.MetaTableDescriptions, v.Interface().(*MetaTableDescription))
	})
	for _, td := range a.data {
		if td == nil {
			continue
		}
		for _, r := range td.rows {
			if !r.reached && !r.broken {
				a.add(td, r, "", "linked to nothing that can hold a %s: its references are all empty or lead only to records that are themselves unlinked", td.t.label)
			}
		}
	}
	return p
}

// checkReferences reports references that point nowhere and indexes
// attributes and metadata by the record they describe.
func (a *assembler) checkReferences() {
	for _, td := range a.data {
		if td == nil {
			continue
		}
		t := td.t
		for _, r := range td.rows {
			v := r.v.Elem()
			for ci, c := range t.columns {
				if c.ref == "" {
					continue
				}
				ref := v.Field(t.fields[ci]).String()
				if ref == "" {
					continue
				}
				rt := tableByName[c.ref]
				if a.lookup(rt, ref) == nil {
					r.broken = true
					a.add(td, r, c.name, "refers to %s %s, which is not in %s", rt.label, quote(ref), a.fileOf(rt))
				}
			}
			switch t.name {
			case "attribute":
				a.indexPoly(td, r, "link_id", "link_entity")
			case "metadata":
				a.indexPoly(td, r, "resource_id", "resource_type")
			}
		}
	}
}

// checkStreets reports the addresses without address_1 whose location is
// not marked x_confidential (or not found).
func (a *assembler) checkStreets() {
	at, lt := tableByName["address"], tableByName["location"]
	td := a.data[at.index]
	if td == nil {
		return
	}
	street := &at.columns[at.colIndex["address_1"]]
	for _, r := range td.rows {
		if !r.noStreet {
			continue
		}
		if l := a.lookup(lt, r.v.Elem().Field(at.fields[at.colIndex["location_id"]]).String()); l != nil && confidentialValue(lt, l.v.Elem()) {
			continue
		}
		a.add(td, r, street.name, "%s", missingReason(at, street))
	}
}

// indexPoly finds the record an attribute or metadata row describes. Its
// *_entity/*_type column narrows the search when it names a table; HSDS
// does not fix those values (the official example has "link_entity"), so
// otherwise every table that can hold such rows is searched.
func (a *assembler) indexPoly(td *tableData, r *tabRow, idCol, entityCol string) {
	v := r.v.Elem()
	id := v.Field(td.t.fields[td.t.colIndex[idCol]]).String()
	entity := v.Field(td.t.fields[td.t.colIndex[entityCol]]).String()
	if id == "" {
		r.broken = true // reported as a missing required column
		return
	}
	search := func(only *table) []*table {
		var found []*table
		for _, pt := range tables {
			ch := pt.child(td.t.name + "s")
			if td.t.name == "metadata" {
				ch = pt.child("metadata")
			}
			if ch == nil || ch.t != td.t || only != nil && only != pt {
				continue
			}
			if a.lookup(pt, id) != nil {
				found = append(found, pt)
			}
		}
		return found
	}
	found := search(tableByName[entity])
	if len(found) == 0 && tableByName[entity] != nil {
		// The type column is descriptive and data get it wrong (the
		// official service_full.json nests, under a service, metadata
		// whose resource_type is "location"): fall back to the id alone.
		found = search(nil)
	}
	switch len(found) {
	case 1:
		k := polyKey{td.t.index, found[0].index, idKey(id)}
		a.poly[k] = append(a.poly[k], r)
	case 0:
		r.broken = true
		if et := tableByName[entity]; et != nil {
			a.add(td, r, idCol, "refers to %s %s, which is not in %s", et.label, quote(id), a.fileOf(et))
		} else {
			a.add(td, r, idCol, "refers to %s, which is in no table that can hold %s rows (%s is %s)", quote(id), td.t.label, entityCol, quote(entity))
		}
	default:
		r.broken = true
		names := make([]string, len(found))
		for i, t := range found {
			names[i] = a.fileOf(t)
		}
		a.add(td, r, idCol, "refers to %s, which is in several tables (%s); set %s to say which", quote(id), strings.Join(names, ", "), entityCol)
	}
}

// forward returns the rows of table ct by the value of their column col.
func (a *assembler) forward(ct *table, col int) map[string][]*tabRow {
	k := [2]int{ct.index, col}
	if m, ok := a.fwd[k]; ok {
		return m
	}
	m := map[string][]*tabRow{}
	if td := a.data[ct.index]; td != nil {
		for _, r := range td.rows {
			if ref := r.v.Elem().Field(ct.fields[col]).String(); ref != "" {
				m[idKey(ref)] = append(m[idKey(ref)], r)
			}
		}
	}
	a.fwd[k] = m
	return m
}

// build returns the nested object of a row, building it once. The nesting
// of the types has no cycles once the API-only fields are left out, so this
// recursion ends whatever the data say.
func (a *assembler) build(t *table, r *tabRow) reflect.Value {
	if r.built.IsValid() {
		return r.built
	}
	r.reached = true
	p := reflect.New(t.goType)
	v := p.Elem()
	v.Set(r.v.Elem())
	for i := range t.children {
		ch := &t.children[i]
		if ch.apiOnly {
			continue
		}
		f := v.Field(ch.field)
		var kids []*tabRow
		switch ch.link {
		case linkForward:
			kids = a.forward(ch.t, ch.col)[r.key]
		case linkPoly:
			kids = a.poly[polyKey{ch.t.index, t.index, r.key}]
		case linkReverse:
			if ref := v.Field(t.fields[ch.col]).String(); ref != "" {
				if target := a.lookup(ch.t, ref); target != nil {
					f.Set(a.build(ch.t, target))
				}
			}
			continue
		}
		if len(kids) == 0 {
			continue
		}
		s := reflect.MakeSlice(f.Type(), len(kids), len(kids))
		for j, k := range kids {
			s.Index(j).Set(a.build(ch.t, k).Elem())
		}
		f.Set(s)
	}
	r.built = p
	return p
}
