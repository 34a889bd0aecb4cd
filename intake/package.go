package intake

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"haven/hsds"
)

// Options tune the reading of a package.
type Options struct {
	// Source names where the data comes from; it is the namespace of the
	// stable ids made for rows whose ids are not UUIDs, so that the same
	// package imported again gets the same ids. Default: the folder or
	// file name without extension.
	Source string
	// DefaultCountry fills an address without a country (ISO 3166-1
	// alpha-2). Empty: US when every state given is a U.S. state.
	DefaultCountry string
	// SkipInvalid leaves out the rows that cannot be taken (reporting
	// them) instead of refusing the record they belong to.
	SkipInvalid bool
}

// PackageReader reads an HSDS 1.1 or 2.0 tabular package and returns its
// services in HSDS 3.0, one at a time: the services table is streamed, the
// other tables are held in memory (they are joined to each service).
type PackageReader struct {
	Report *Report

	fsys    fs.FS
	closer  io.Closer
	opt     Options
	version string
	tables  map[string]*table
	svcFile string
	svcRep  *TableReport

	// The services table as it streams.
	svcIDs  map[string]int // original id → line, read in a first pass
	svcCols map[string]int // column → index in services
	ids     func(table, id string) string
	cur     *cursor // nil once closed
	scanErr error   // the services table cannot be read on
	pending []error // problems found before the first service
	done    bool
	date    string       // last_action_date of the id records: the package's date
	country string       // the country filled in where none is given
	read    atomic.Int64 // bytes of services read, for progress
	size    int64
}

type svcRow struct {
	cells []string
	line  int
	extra bool
}

// The tables a package may have besides services, with the columns that
// have a home in HSDS 3.0. Columns not listed are reported as having none.
var knownColumns = map[string][]string{
	"organization":                   {"id", "name", "alternate_name", "description", "email", "url", "website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri"},
	"program":                        {"id", "organization_id", "name", "alternate_name", "description"},
	"service":                        {"id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email", "status", "interpretation_services", "application_process", "wait_time", "fees", "fees_description", "accreditations", "accrediations", "licenses", "taxonomy_ids", "eligibility_description", "minimum_age", "maximum_age", "alert"},
	"service_at_location":            {"id", "service_id", "location_id", "description"},
	"location":                       {"id", "organization_id", "name", "alternate_name", "description", "transportation", "latitude", "longitude"},
	"phone":                          {"id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id", "number", "extension", "type", "language", "description"},
	"contact":                        {"id", "organization_id", "service_id", "service_at_location_id", "name", "title", "department", "email"},
	"physical_address":               {"id", "location_id", "attention", "address_1", "address_2", "address_3", "address_4", "city", "region", "state_province", "postal_code", "country"},
	"postal_address":                 {"id", "location_id", "attention", "address_1", "address_2", "address_3", "address_4", "city", "region", "state_province", "postal_code", "country"},
	"regular_schedule":               {"id", "service_id", "location_id", "service_at_location_id", "weekday", "opens_at", "closes_at", "description"},
	"holiday_schedule":               {"id", "service_id", "location_id", "service_at_location_id", "closed", "opens_at", "closes_at", "start_date", "end_date"},
	"schedule":                       {"id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at"},
	"funding":                        {"id", "organization_id", "service_id", "source"},
	"eligibility":                    {"id", "service_id", "eligibility"},
	"service_area":                   {"id", "service_id", "service_area", "description"},
	"required_document":              {"id", "service_id", "document"},
	"payment_accepted":               {"id", "service_id", "payment"},
	"language":                       {"id", "service_id", "location_id", "language"},
	"accessibility_for_disabilities": {"id", "location_id", "accessibility", "details"},
	"taxonomy":                       {"id", "name", "parent_id", "parent_name", "vocabulary"},
	"service_taxonomy":               {"id", "service_id", "taxonomy_id", "taxonomy_detail"},
	"taxonomy_term":                  {"id", "term", "name", "description", "parent_id", "taxonomy", "language"},
	"service_attribute":              {"id", "service_id", "taxonomy_term_id"},
	"other_attribute":                {"id", "link_id", "link_type", "taxonomy_term_id"},
	"metadata":                       {"id", "resource_id", "resource_type", "last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"},
	"meta_table_description":         {"id", "name", "language", "character_set"},
}

// referenced are the tables other rows point at by id.
var referenced = map[string]bool{"organization": true, "location": true, "program": true, "contact": true,
	"service_at_location": true, "taxonomy": true, "taxonomy_term": true, "eligibility": true}

// refs are the columns that point at another table's id.
var refs = map[string]string{
	"organization_id": "organization", "service_id": "service", "location_id": "location",
	"program_id": "program", "contact_id": "contact", "service_at_location_id": "service_at_location",
	"taxonomy_id": "taxonomy", "taxonomy_term_id": "taxonomy_term",
}

// OpenPackage opens the package at path (a folder or a .zip), whose
// version Detect found, and reads every table but services.
func OpenPackage(path string, d Detection, opt Options) (*PackageReader, error) {
	var fsys fs.FS
	var closer io.Closer
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		if fsys, err = packageRoot(zr); err != nil {
			zr.Close()
			return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		closer = zr
	} else {
		fsys = os.DirFS(path)
	}
	// "." and "pkg/" are named by the folder they mean.
	name := filepath.Base(path)
	if abs, err := filepath.Abs(path); err == nil {
		name = filepath.Base(abs)
	}
	if opt.Source == "" {
		opt.Source = strings.TrimSuffix(name, filepath.Ext(name))
	}
	p, err := ReadPackageFS(fsys, name, d, opt)
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		return nil, err
	}
	p.closer = closer
	return p, nil
}

// ReadPackageFS is OpenPackage on a file system.
func ReadPackageFS(fsys fs.FS, name string, d Detection, opt Options) (_ *PackageReader, err error) {
	if d.Format != FormatHSDS11 && d.Format != FormatHSDS20 {
		return nil, fmt.Errorf("%s: %s is not an HSDS 1.1 or 2.0 package", name, d.Format)
	}
	if opt.Source == "" {
		opt.Source = name
	}
	if opt.DefaultCountry != "" {
		opt.DefaultCountry = strings.ToUpper(Clean(opt.DefaultCountry))
		if len(opt.DefaultCountry) != 2 || !isUpperLetters(opt.DefaultCountry) {
			return nil, fmt.Errorf("--default-country %q: give an ISO 3166-1 alpha-2 code such as US or MX", opt.DefaultCountry)
		}
	}
	p := &PackageReader{
		Report:  &Report{Source: name, Format: d.Format, DetectedBy: d.DetectedBy},
		fsys:    fsys,
		opt:     opt,
		version: d.Format,
		tables:  map[string]*table{},
		ids:     StableIDs(opt.Source),
	}
	defer func() {
		if err != nil {
			p.Close() // the temporary files of the tables read so far
		}
	}()
	files, err := tablesIn(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	svcFile, ok := files["service"]
	if !ok {
		return nil, fmt.Errorf("%s: no services.csv: a package without services has nothing Haven can import", name)
	}
	p.svcFile = svcFile
	// The tables in the order a reader of the report expects them.
	order := []string{"organization", "program", "service"}
	for t := range files {
		if !slices.Contains(order, t) {
			order = append(order, t)
		}
	}
	slices.Sort(order[3:])
	for _, t := range order {
		file, ok := files[t]
		if !ok {
			continue
		}
		if t == "service" {
			p.svcRep = p.Report.Table("service")
			p.svcRep.File = file
			continue
		}
		rep := p.Report.Table(t)
		tb, err := loadTable(fsys, t, file, rep)
		if err != nil {
			return nil, err
		}
		if _, known := knownColumns[t]; !known {
			// A table of another version or of the publisher's own: every
			// row and column is reported, none is taken.
			for i := range tb.n {
				rep.Skip("no such table in HSDS "+strings.TrimPrefix(d.Format, "hsds-"), tb.where(i))
			}
			for _, c := range tb.header {
				rep.NoHome(c)
			}
			if tb.disk != nil {
				tb.disk.close()
			}
			continue
		}
		p.tables[t] = tb
	}
	if fi, err := fs.Stat(fsys, svcFile); err == nil {
		p.size = fi.Size()
	}
	p.date = packageDate(fsys, svcFile)
	if err := p.firstPass(); err != nil {
		return nil, err
	}
	p.checkTables()
	p.chooseCountry()
	if err := p.diskErr(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if p.cur, err = openCursor(fsys, svcFile, p.svcRep); err != nil {
		return nil, err
	}
	return p, nil
}

// packageDate is the date of a package, for the metadata records that keep
// services' original ids: the date its descriptor gives (created or
// updated), or else the day its services file was last changed, so that
// the same package imported again writes the same records. Only a package
// with neither (as in tests) gets today.
func packageDate(fsys fs.FS, svcFile string) string {
	if b, err := fs.ReadFile(fsys, "datapackage.json"); err == nil {
		// Only the date fields are decoded: a descriptor is mostly its
		// tables' schemas, which need no maps built.
		var d struct {
			LastUpdated   any `json:"last_updated"`
			LastUpdated2  any `json:"lastUpdated"`
			Updated       any `json:"updated"`
			LastModified  any `json:"last_modified"`
			LastModified2 any `json:"lastModified"`
			Modified      any `json:"modified"`
			Created       any `json:"created"`
		}
		if json.Unmarshal(b, &d) == nil {
			for _, x := range []any{d.LastUpdated, d.LastUpdated2, d.Updated, d.LastModified, d.LastModified2, d.Modified, d.Created} {
				if v, ok := x.(string); ok && len(v) >= 10 {
					if _, err := time.Parse(time.DateOnly, v[:10]); err == nil {
						return v[:10]
					}
				}
			}
		}
	}
	if fi, err := fs.Stat(fsys, svcFile); err == nil && fi.ModTime().Year() > 1980 {
		return fi.ModTime().UTC().Format(time.DateOnly)
	}
	return time.Now().UTC().Format(time.DateOnly)
}

// firstPass reads the services table's header and ids only, so that the
// references to services can be checked before any is built.
func (p *PackageReader) firstPass() error {
	h, err := headerOf(p.fsys, p.svcFile)
	if err != nil {
		return &hsds.FieldError{File: p.svcFile, Record: "line 1", Reason: "empty file: the header row is missing"}
	}
	p.svcCols = map[string]int{}
	for i, c := range h {
		if _, dup := p.svcCols[c]; !dup {
			p.svcCols[c] = i
		}
		if c != "" && !slices.Contains(knownColumns["service"], c) {
			p.svcRep.NoHome(c)
		}
	}
	for _, c := range []string{"id", "name"} {
		if _, ok := p.svcCols[c]; !ok {
			return &hsds.FieldError{File: p.svcFile, Record: "line 1", Field: c, Reason: "required column is missing from the header"}
		}
	}
	idCol := p.svcCols["id"]
	p.svcIDs = map[string]int{}
	_, err = scanTable(p.fsys, p.svcFile, nil, func(cells []string, line int, _ bool) error {
		if id := cells[idCol]; id != "" {
			if _, dup := p.svcIDs[id]; !dup {
				// A copy: the cell is part of its whole row's string.
				p.svcIDs[strings.Clone(id)] = line
			}
		}
		return nil
	})
	return err
}

// checkTables indexes each table by id and reports the rows that cannot be
// joined: duplicate ids, references to rows that do not exist, rows that
// point at nothing. In strict mode each is an error the import stops at.
func (p *PackageReader) checkTables() {
	names := make([]string, 0, len(p.tables))
	for n := range p.tables {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		return slices.Index(p.Report.Tables, p.Report.Table(a)) - slices.Index(p.Report.Tables, p.Report.Table(b))
	})
	for _, n := range names {
		t := p.tables[n]
		for _, c := range t.header {
			if c != "" && !slices.Contains(knownColumns[n], c) {
				t.rep.NoHome(c)
			}
		}
		for i := range t.n {
			id := t.get(i, "id")
			if id == "" {
				t.rep.Fix("row without an id: one made from its line number", t.where(i))
				t.set(i, t.colOrAdd("id"), fmt.Sprintf("line %d", t.lines[i]))
				id = t.get(i, "id")
			}
			if prev, dup := t.byID[id]; dup {
				p.refuse(t, i, "id", fmt.Sprintf("duplicate id: line %d has it too", t.lines[prev]), "duplicate id")
				continue
			}
			t.byID[t.keep(id)] = i
		}
	}
	for _, n := range names {
		t := p.tables[n]
		for i := range t.n {
			if t.bad[i] {
				continue
			}
			for _, col := range t.header {
				target, ok := refs[col]
				if !ok || (col == "organization_id" && n == "organization") {
					continue
				}
				v := t.get(i, col)
				if v == "" || p.exists(target, v) {
					continue
				}
				p.refuse(t, i, col, fmt.Sprintf("%s %q is not in the package", target, v), col+" names a "+target+" not in the package")
				break
			}
		}
	}
	// The ids of tables nothing refers to served only to find duplicates.
	// (other_attribute may point at a row of any table.)
	for n, t := range p.tables {
		if !referenced[n] && p.tables["other_attribute"] == nil {
			t.byID = nil
		}
	}
	// other_attribute links by link_id and link_type.
	if t := p.tables["other_attribute"]; t != nil {
		for i := range t.n {
			if t.bad[i] {
				continue
			}
			typ, id := strings.ToLower(t.get(i, "link_type")), t.get(i, "link_id")
			if target := canonicalTable(typ); !p.exists(target, id) {
				p.refuse(t, i, "link_id", fmt.Sprintf("%s %q is not in the package", typ, id), "link_id names a row not in the package")
			}
		}
	}
}

func (t *table) colOrAdd(col string) int {
	if c, ok := t.cols[col]; ok {
		return c
	}
	t.header = append(t.header, col)
	t.cols[col] = len(t.header) - 1
	if t.disk == nil {
		// Every row gets an empty cell at its end. (A row on disk reads the
		// cells it lacks as empty.)
		offs := make([]uint32, 0, t.n*(t.stride+1))
		for i := range t.n {
			o := t.offs[i*t.stride : (i+1)*t.stride]
			offs = append(append(offs, o...), o[len(o)-1])
		}
		t.offs = offs
	}
	t.stride++
	return t.cols[col]
}

func (p *PackageReader) exists(table, id string) bool {
	if table == "service" {
		_, ok := p.svcIDs[id]
		return ok
	}
	_, ok := p.tables[table].row(id)
	return ok
}

// refuse marks a row as not taken: an error for the import to stop at (or,
// with SkipInvalid, to count), and a reason in the report.
func (p *PackageReader) refuse(t *table, i int, field, reason, tally string) {
	t.bad[i] = true
	t.rep.Skip(tally, t.where(i))
	p.pending = append(p.pending, hsds.Errors{{File: t.file, Record: t.where(i), Field: field, Reason: reason}})
}

// chooseCountry decides the country of addresses that give none.
func (p *PackageReader) chooseCountry() {
	if p.opt.DefaultCountry != "" {
		p.country = p.opt.DefaultCountry
		return
	}
	empty, allUS := 0, true
	for _, n := range []string{"physical_address", "postal_address"} {
		t := p.tables[n]
		if t == nil {
			continue
		}
		for i := range t.n {
			if t.get(i, "country") == "" {
				empty++
			}
			if st := t.get(i, "state_province"); st != "" {
				if _, ok := USState(st); !ok {
					allUS = false
				}
			}
		}
	}
	if empty > 0 && allUS {
		p.country = "US"
		p.Report.Note("country US filled in for %d addresses that gave none: every state in the package is a U.S. state (--default-country sets another)", empty)
	}
}

// Close ends the reading and closes the zip file, if any, and the
// temporary files of large tables.
func (p *PackageReader) Close() error {
	var err error
	for _, t := range p.tables {
		if t.disk != nil {
			err = errors.Join(err, t.disk.close())
			t.disk = nil
		}
	}
	if p.cur != nil {
		err = p.cur.close()
		p.cur = nil
	}
	if p.closer != nil {
		err = errors.Join(err, p.closer.Close())
		p.closer = nil
	}
	return err
}

// diskErr is the first failure to read a large table back from its
// temporary file, if any: the reader cannot go on without its rows.
func (p *PackageReader) diskErr() error {
	for _, t := range p.tables {
		if t.disk != nil && t.disk.err != nil {
			return t.disk.err
		}
	}
	return nil
}

// Size is the size of the services file, for a progress bar.
func (p *PackageReader) Size() int64 { return p.size }

// Pos is about how many bytes of the services file have been read.
func (p *PackageReader) Pos() int64 { return p.read.Load() }

// Next returns the next service in HSDS 3.0, or io.EOF after the last, when
// the report is complete. A record that cannot be taken comes back as
// hsds.Errors naming the file, row and field; Next may be called again.
func (p *PackageReader) Next() (*hsds.Service, error) {
	if len(p.pending) > 0 {
		err := p.pending[0]
		p.pending = p.pending[1:]
		return nil, err
	}
	if p.done {
		return nil, io.EOF
	}
	if p.scanErr != nil {
		return nil, p.scanErr
	}
	if p.cur == nil {
		return nil, errors.New("the package reader is closed")
	}
	cells, line, extra, err := p.cur.next()
	if errors.Is(err, io.EOF) {
		p.finish()
		p.done = true
		return nil, io.EOF
	}
	if err != nil {
		p.scanErr = err
		return nil, err
	}
	n := 0
	for _, c := range cells {
		n += len(c) + 1
	}
	p.read.Add(int64(n))
	r := svcRow{cells, line, extra}
	p.svcRep.Read++
	if r.extra {
		p.svcRep.Fix("cells beyond the last column left out", fmt.Sprintf("line %d", r.line))
	}
	b := &builder{p: p}
	s := b.service(r)
	if err := p.diskErr(); err != nil {
		p.scanErr = err
		return nil, err
	}
	if len(b.errs) > 0 {
		p.svcRep.Skip(b.errs[0].Reason, b.errs[0].Record)
		return nil, b.errs
	}
	for _, m := range b.marks {
		m.t.used[m.i] = true
	}
	p.svcRep.Imported++
	p.Report.Services++
	return s, nil
}

// finish completes the report: every row no service took is counted as
// skipped, with the reason.
func (p *PackageReader) finish() {
	for name, t := range p.tables {
		for i := range t.n {
			if t.used[i] {
				t.rep.Imported++
				continue
			}
			if t.bad[i] {
				continue
			}
			t.rep.Skip(unusedReason(name, t, i), t.where(i))
		}
	}
}

func unusedReason(name string, t *table, i int) string {
	switch name {
	case "organization":
		return "delivers no service in the package: Haven's directory is made of services"
	case "location":
		return "serves no service (no services_at_location row links it)"
	case "taxonomy", "taxonomy_term":
		return "no service uses the term: Haven keeps the terms its services use"
	case "meta_table_description":
		return "HSDS 3.0 has a meta_table_description table, but Haven does not keep it"
	case "metadata":
		return "resource_id names no service, organization or location that was imported"
	case "program":
		return "no service in the package names it in program_id"
	case "other_attribute":
		switch canonicalTable(strings.ToLower(t.get(i, "link_type"))) {
		case "service", "organization", "location", "eligibility":
		default:
			return "link_type " + t.get(i, "link_type") + ": Haven takes terms of services, organizations, locations and eligibility only"
		}
	}
	for _, c := range []string{"service_id", "service_at_location_id", "location_id", "contact_id", "organization_id", "link_id", "program_id"} {
		if v := t.get(i, c); v != "" {
			target := strings.TrimSuffix(c, "_id")
			if c == "link_id" {
				target = strings.ToLower(t.get(i, "link_type"))
			}
			return "belongs to a " + target + " that was not imported"
		}
	}
	return "links to nothing: no service, location or organization id"
}

// builder makes one service and collects the rows it used and the problems
// it met.
type builder struct {
	p     *PackageReader
	errs  hsds.Errors
	marks []mark
	file  string
	rec   string
}

type mark struct {
	t *table
	i int
}

func (b *builder) use(t *table, i int) { b.marks = append(b.marks, mark{t, i}) }

// rowProblem reports a child row that cannot be taken: in strict mode the
// service it belongs to is refused; with SkipInvalid the row is left out.
func (b *builder) rowProblem(t *table, i int, field, reason string) {
	if b.p.opt.SkipInvalid {
		if !t.bad[i] {
			t.bad[i] = true
			t.rep.Skip(reason, t.where(i)+" "+field)
		}
		return
	}
	b.errs = append(b.errs, &hsds.FieldError{File: t.file, Record: t.where(i), Field: field, Reason: reason})
}

func (b *builder) id(table, orig string) string { return b.p.ids(table, orig) }

// children returns the rows of table whose col is v and that are fit to
// take, most specific parent first: a row with a contact or service at
// location id belongs there, not to the service it also names.
func (b *builder) children(table, col, v string, unless ...string) []int {
	t := b.p.tables[table]
	var out []int
	for _, i := range t.rowsWith(col, v) {
		if t.bad[i] {
			continue
		}
		more := false
		for _, u := range unless {
			if t.get(i, u) != "" {
				more = true
			}
		}
		if !more {
			out = append(out, i)
		}
	}
	return out
}

func (b *builder) service(r svcRow) *hsds.Service {
	p := b.p
	get := func(c string) string {
		if i, ok := p.svcCols[c]; ok && i < len(r.cells) {
			return r.cells[i]
		}
		return ""
	}
	orig := get("id")
	b.file = p.svcFile
	b.rec = fmt.Sprintf("line %d", r.line)
	if orig != "" && len(orig) <= 80 {
		b.rec = fmt.Sprintf("service %s (line %d)", orig, r.line)
	}
	fail := func(field, reason string) {
		b.errs = append(b.errs, &hsds.FieldError{File: b.file, Record: b.rec, Field: field, Reason: reason})
	}
	if orig == "" {
		fail("id", "required field is missing")
		return nil
	}
	if line := p.svcIDs[orig]; line != r.line {
		fail("id", fmt.Sprintf("duplicate id: line %d has it too", line))
		return nil
	}
	s := &hsds.Service{
		ID:                     b.id("service", orig),
		Name:                   get("name"),
		AlternateName:          get("alternate_name"),
		Description:            get("description"),
		Email:                  get("email"),
		InterpretationServices: get("interpretation_services"),
		ApplicationProcess:     get("application_process"),
		WaitTime:               get("wait_time"),
		FeesDescription:        firstOf(get("fees_description"), get("fees")),
		Accreditations:         firstOf(get("accreditations"), get("accrediations")),
		Licenses:               get("licenses"),
		EligibilityDescription: get("eligibility_description"),
		Alert:                  get("alert"),
	}
	s.MinimumAge, s.MaximumAge = b.number(nil, 0, "minimum_age", get("minimum_age")), b.number(nil, 0, "maximum_age", get("maximum_age"))
	s.URL = b.web(nil, 0, "url", get("url"))
	s.Status = strings.ToLower(get("status"))
	if s.Status == "" {
		s.Status = "active"
		p.svcRep.Fix("status empty: taken as active", b.rec)
	} else if s.Status != get("status") {
		p.svcRep.Fix("status written in lower case", b.rec)
	}
	if !hsds.ValidUUID(orig) {
		s.Metadata = append(s.Metadata, b.origIDRecord("service", s.ID, orig))
	}
	// The organization.
	if oid := get("organization_id"); oid == "" {
		fail("organization_id", "required field is missing: HSDS 3.0 services belong to an organization")
	} else if oi, ok := p.tables["organization"].row(oid); !ok || p.tables["organization"].bad[oi] {
		fail("organization_id", fmt.Sprintf("organization %q is not in the package", oid))
	} else {
		s.OrganizationID = b.id("organization", oid)
		s.Organization = b.organization(oi)
	}
	if pid := get("program_id"); pid != "" {
		t := p.tables["program"]
		if pi, ok := t.row(pid); ok && !t.bad[pi] {
			s.ProgramID = b.id("program", pid)
			s.Program = b.program(pi)
		} else {
			fail("program_id", fmt.Sprintf("program %q is not in the package", pid))
		}
	}
	b.serviceChildren(s, orig)
	for _, i := range b.children("service_at_location", "service_id", orig) {
		if sal := b.serviceAtLocation(i, s.ID); sal != nil {
			s.ServiceAtLocations = append(s.ServiceAtLocations, *sal)
		}
	}
	if p.version == FormatHSDS11 {
		b.taxonomy11(s, orig, get("taxonomy_ids"))
	} else {
		b.attributes20(s, orig)
	}
	b.metadata(&s.Metadata, orig, "service", s.ID)
	if len(b.errs) > 0 {
		return nil
	}
	for _, e := range s.Validate() {
		e.File, e.Record = b.file, b.rec
		b.errs = append(b.errs, e)
	}
	if len(b.errs) > 0 {
		return nil
	}
	return s
}

// serviceChildren takes the rows that hang from the service itself.
func (b *builder) serviceChildren(s *hsds.Service, orig string) {
	p := b.p
	s.Phones = append(s.Phones, b.phones("service_id", orig, "contact_id", "service_at_location_id")...)
	for _, i := range b.children("contact", "service_id", orig, "service_at_location_id") {
		s.Contacts = append(s.Contacts, b.contact(i))
	}
	s.Languages = append(s.Languages, b.languages("service_id", orig)...)
	s.Schedules = append(s.Schedules, b.schedules("service_id", orig, "service_at_location_id")...)
	var elig []string
	if s.EligibilityDescription != "" {
		elig = append(elig, s.EligibilityDescription)
	}
	if t := p.tables["eligibility"]; t != nil {
		for _, i := range b.children("eligibility", "service_id", orig) {
			e := t.get(i, "eligibility")
			e = strings.Join(append([]string{e}, b.termNamesFor("eligibility", t.get(i, "id"))...), ", ")
			e = strings.Trim(e, ", ")
			if e == "" {
				b.rowProblem(t, i, "eligibility", "empty eligibility")
				continue
			}
			elig = append(elig, e)
			b.use(t, i)
		}
	}
	s.EligibilityDescription = strings.Join(elig, "; ")
	if t := p.tables["payment_accepted"]; t != nil {
		var pay []string
		for _, i := range b.children("payment_accepted", "service_id", orig) {
			if v := t.get(i, "payment"); v != "" {
				pay = append(pay, v)
			}
			b.use(t, i)
		}
		if len(pay) > 0 {
			// HSDS 3.0 dropped payment_accepted; the fees description is
			// where a reader looks for it.
			line := "Payment accepted: " + strings.Join(pay, ", ")
			s.FeesDescription = strings.TrimPrefix(s.FeesDescription+"\n"+line, "\n")
			t.rep.Fix("kept in the service's fees_description (HSDS 3.0 has no payment_accepted)", "")
		}
	}
	if t := p.tables["service_area"]; t != nil {
		for _, i := range b.children("service_area", "service_id", orig) {
			s.ServiceAreas = append(s.ServiceAreas, hsds.ServiceArea{ID: b.id("service_area", t.get(i, "id")), ServiceID: s.ID,
				Name: t.get(i, "service_area"), Description: t.get(i, "description")})
			b.use(t, i)
		}
	}
	if t := p.tables["required_document"]; t != nil {
		for _, i := range b.children("required_document", "service_id", orig) {
			s.RequiredDocuments = append(s.RequiredDocuments, hsds.RequiredDocument{ID: b.id("required_document", t.get(i, "id")), ServiceID: s.ID, Document: t.get(i, "document")})
			b.use(t, i)
		}
	}
	if t := p.tables["funding"]; t != nil {
		for _, i := range b.children("funding", "service_id", orig) {
			s.Funding = append(s.Funding, hsds.Funding{ID: b.id("funding", t.get(i, "id")), ServiceID: s.ID, Source: t.get(i, "source")})
			b.use(t, i)
		}
	}
}

func (b *builder) organization(i int) *hsds.Organization {
	t := b.p.tables["organization"]
	orig := t.get(i, "id")
	o := &hsds.Organization{
		ID:            b.id("organization", orig),
		Name:          t.get(i, "name"),
		AlternateName: t.get(i, "alternate_name"),
		Description:   t.get(i, "description"),
		Email:         t.get(i, "email"),
		TaxStatus:     t.get(i, "tax_status"),
		TaxID:         t.get(i, "tax_id"),
		LegalStatus:   t.get(i, "legal_status"),
		Logo:          t.get(i, "logo"),
		URI:           t.get(i, "uri"),
	}
	o.Website = b.web(t, i, "url", firstOf(t.get(i, "url"), t.get(i, "website")))
	o.YearIncorporated = b.number(t, i, "year_incorporated", t.get(i, "year_incorporated"))
	if o.Description == "" {
		// HSDS 3.0 requires a description; the name is the least that
		// describes it, and the report says so.
		o.Description = o.Name
		t.fix(i, "description empty: HSDS 3.0 requires one, so it repeats the name", t.where(i))
	}
	if !hsds.ValidUUID(orig) {
		o.OrganizationIdentifiers = []hsds.OrganizationIdentifier{{ID: b.id("organization_identifier", orig), OrganizationID: o.ID,
			IdentifierType: idType(b.p), Identifier: orig}}
	}
	o.Phones = b.phones("organization_id", orig, "contact_id", "service_at_location_id", "service_id", "location_id")
	for _, c := range b.children("contact", "organization_id", orig, "service_id", "service_at_location_id") {
		o.Contacts = append(o.Contacts, b.contact(c))
	}
	if f := b.p.tables["funding"]; f != nil {
		for _, k := range b.children("funding", "organization_id", orig, "service_id") {
			o.Funding = append(o.Funding, hsds.Funding{ID: b.id("funding", f.get(k, "id")), OrganizationID: o.ID, Source: f.get(k, "source")})
			b.use(f, k)
		}
	}
	o.Attributes = b.otherAttributes("organization", orig, o.ID)
	b.metadata(&o.Metadata, orig, "organization", o.ID)
	b.use(t, i)
	return o
}

// idType names where an original id came from, in organization
// identifiers and location external identifiers.
func idType(p *PackageReader) string {
	return "id in " + p.opt.Source + " (" + strings.ToUpper(strings.Replace(p.version, "hsds-", "HSDS ", 1)) + ")"
}

func (b *builder) program(i int) *hsds.Program {
	t := b.p.tables["program"]
	pr := &hsds.Program{ID: b.id("program", t.get(i, "id")), Name: t.get(i, "name"), AlternateName: t.get(i, "alternate_name"), Description: t.get(i, "description")}
	if oid := t.get(i, "organization_id"); oid != "" {
		pr.OrganizationID = b.id("organization", oid)
	}
	if pr.Description == "" {
		pr.Description = pr.Name
		t.fix(i, "description empty: HSDS 3.0 requires one, so it repeats the name", t.where(i))
	}
	b.use(t, i)
	return pr
}

func (b *builder) serviceAtLocation(i int, serviceID string) *hsds.ServiceAtLocation {
	t := b.p.tables["service_at_location"]
	orig := t.get(i, "id")
	lt := b.p.tables["location"]
	li, ok := lt.row(t.get(i, "location_id"))
	if !ok || lt.bad[li] {
		b.rowProblem(t, i, "location_id", "required field is missing: a service at a location needs the location")
		return nil
	}
	sal := &hsds.ServiceAtLocation{ID: b.id("service_at_location", orig), ServiceID: serviceID, Description: t.get(i, "description")}
	sal.Location = b.location(li)
	sal.LocationID = sal.Location.ID
	sal.Phones = b.phones("service_at_location_id", orig, "contact_id")
	for _, c := range b.children("contact", "service_at_location_id", orig) {
		sal.Contacts = append(sal.Contacts, b.contact(c))
	}
	sal.Schedules = b.schedules("service_at_location_id", orig)
	b.use(t, i)
	return sal
}

func (b *builder) location(i int) *hsds.Location {
	p := b.p
	t := p.tables["location"]
	orig := t.get(i, "id")
	l := &hsds.Location{ID: b.id("location", orig), Name: t.get(i, "name"), AlternateName: t.get(i, "alternate_name"),
		Description: t.get(i, "description"), Transportation: t.get(i, "transportation"), LocationType: "physical"}
	if oid := t.get(i, "organization_id"); oid != "" {
		l.OrganizationID = b.id("organization", oid)
	}
	l.Latitude, l.Longitude = b.number(t, i, "latitude", t.get(i, "latitude")), b.number(t, i, "longitude", t.get(i, "longitude"))
	if !hsds.ValidUUID(orig) {
		l.ExternalIdentifier, l.ExternalIdentifierType = orig, idType(p)
	}
	physical := 0
	for _, kind := range []string{"physical", "postal"} {
		for _, k := range b.children(kind+"_address", "location_id", orig) {
			if a, ok := b.address(kind, k, l.ID); ok {
				l.Addresses = append(l.Addresses, a)
				if kind == "physical" {
					physical++
				}
			}
		}
	}
	if physical == 0 && len(l.Addresses) > 0 {
		l.LocationType = "postal"
	}
	l.Phones = b.phones("location_id", orig, "contact_id", "service_at_location_id", "service_id")
	l.Languages = b.languagesOnly("location_id", orig)
	l.Schedules = b.schedules("location_id", orig, "service_id", "service_at_location_id")
	if a := p.tables["accessibility_for_disabilities"]; a != nil {
		for _, k := range b.children("accessibility_for_disabilities", "location_id", orig) {
			l.Accessibility = append(l.Accessibility, hsds.Accessibility{ID: b.id("accessibility", a.get(k, "id")), LocationID: l.ID,
				Description: a.get(k, "accessibility"), Details: a.get(k, "details")})
			b.use(a, k)
		}
	}
	l.Attributes = b.otherAttributes("location", orig, l.ID)
	b.metadata(&l.Metadata, orig, "location", l.ID)
	b.use(t, i)
	return l
}

func (b *builder) address(kind string, i int, locationID string) (hsds.Address, bool) {
	t := b.p.tables[kind+"_address"]
	a := hsds.Address{ID: b.id(kind+"_address", t.get(i, "id")), LocationID: locationID, AddressType: kind,
		Attention: t.get(i, "attention"), Address1: t.get(i, "address_1"), City: t.get(i, "city"),
		Region: t.get(i, "region"), PostalCode: t.get(i, "postal_code")}
	var more []string
	for _, c := range []string{"address_2", "address_3", "address_4"} {
		if v := t.get(i, c); v != "" {
			more = append(more, v)
		}
	}
	if len(more) > 1 {
		t.fix(i, "address_3 and address_4 joined to address_2 (HSDS 3.0 has two address lines)", t.where(i))
	}
	a.Address2 = strings.Join(more, ", ")
	a.StateProvince = t.get(i, "state_province")
	if st, ok := USState(a.StateProvince); ok && st != a.StateProvince {
		t.fix(i, "state written out: stored as its USPS code", fmt.Sprintf("%s %q → %s", t.where(i), a.StateProvince, st))
		a.StateProvince = st
	}
	a.Country = strings.ToUpper(t.get(i, "country"))
	switch a.Country {
	case "":
		if b.p.country != "" {
			a.Country = b.p.country
		}
	case "USA", "U.S.", "U.S.A.", "UNITED STATES", "UNITED STATES OF AMERICA":
		t.fix(i, "country written out: stored as its ISO code", fmt.Sprintf("%s %q → US", t.where(i), t.get(i, "country")))
		a.Country = "US"
	}
	if a.Country == "" {
		b.rowProblem(t, i, "country", "country is empty and not every state is a U.S. state: give --default-country")
		return a, false
	}
	for _, c := range []struct{ f, v string }{{"address_1", a.Address1}, {"city", a.City}, {"state_province", a.StateProvince}, {"postal_code", a.PostalCode}} {
		if c.v == "" {
			b.rowProblem(t, i, c.f, "required field is missing: HSDS 3.0 addresses need street, city, state and postal code")
			return a, false
		}
	}
	if len(a.Country) != 2 || !isUpperLetters(a.Country) {
		b.rowProblem(t, i, "country", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code (such as US)", a.Country))
		return a, false
	}
	b.use(t, i)
	return a, true
}

// phones takes the phone rows whose col is v and none of unless.
func (b *builder) phones(col, v string, unless ...string) []hsds.Phone {
	t := b.p.tables["phone"]
	if t == nil {
		return nil
	}
	var out []hsds.Phone
	for _, i := range b.children("phone", col, v, unless...) {
		ph, ok := b.phone(i)
		if ok {
			out = append(out, ph)
		}
	}
	return out
}

func (b *builder) phone(i int) (hsds.Phone, bool) {
	t := b.p.tables["phone"]
	ph := hsds.Phone{ID: b.id("phone", t.get(i, "id")), Description: t.get(i, "description")}
	text := t.get(i, "number")
	if text == "" {
		b.rowProblem(t, i, "number", "required field is missing")
		return ph, false
	}
	region := b.p.country
	if region == "" {
		region = "US"
	}
	number, ext, ok := Phone(text, region)
	if ok {
		if number != text {
			t.fix(i, "phone number written in E.164", fmt.Sprintf("%s %q → %s", t.where(i), text, number))
		}
		ph.Number = number
	} else {
		ph.Number = text
		t.fix(i, "phone number kept as written: it does not read as a number", fmt.Sprintf("%s %q", t.where(i), text))
	}
	if e := t.get(i, "extension"); e != "" {
		ext = e
	}
	if ext != "" {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, ext)
		if n, err := strconv.ParseFloat(digits, 64); err == nil && len(digits) <= 15 {
			ph.Extension = &n
			if digits != ext {
				t.fix(i, "extension kept as its digits", fmt.Sprintf("%s %q", t.where(i), ext))
			}
		} else {
			ph.Description = strings.TrimSpace(ph.Description + " (extension " + ext + ")")
			t.fix(i, "extension that is not a number kept in the description", t.where(i))
		}
	}
	if typ := strings.ToLower(t.get(i, "type")); typ != "" {
		switch typ {
		case "text", "voice", "fax", "cell", "video", "pager", "textphone":
			ph.Type = typ
		case "tty", "tdd":
			ph.Type = "textphone"
		case "sms":
			ph.Type = "text"
		case "mobile":
			ph.Type = "cell"
		case "main", "office", "phone", "hotline", "toll free", "toll-free", "business":
			ph.Type = "voice"
			ph.Description = strings.TrimSpace(ph.Description + " (" + t.get(i, "type") + ")")
		default:
			ph.Description = strings.TrimSpace(ph.Description + " (" + t.get(i, "type") + ")")
			t.fix(i, "phone type not in RFC 6350: kept in the description", fmt.Sprintf("%s %q", t.where(i), t.get(i, "type")))
		}
	}
	for k, name := range splitList(t.get(i, "language")) {
		ph.Languages = append(ph.Languages, b.language(t, i, name, k, "phone/"+t.get(i, "id")))
	}
	for k := range ph.Languages {
		ph.Languages[k].PhoneID = ph.ID
	}
	b.use(t, i)
	return ph, true
}

func (b *builder) contact(i int) hsds.Contact {
	t := b.p.tables["contact"]
	orig := t.get(i, "id")
	c := hsds.Contact{ID: b.id("contact", orig), Name: t.get(i, "name"), Title: t.get(i, "title"), Department: t.get(i, "department"), Email: t.get(i, "email")}
	c.Phones = b.phones("contact_id", orig)
	b.use(t, i)
	return c
}

// languages takes the language rows of a service.
func (b *builder) languages(col, v string) []hsds.Language {
	t := b.p.tables["language"]
	if t == nil {
		return nil
	}
	var out []hsds.Language
	for _, i := range b.children("language", col, v) {
		for k, name := range splitList(t.get(i, "language")) {
			out = append(out, b.language(t, i, name, k, ""))
		}
		b.use(t, i)
	}
	return out
}

// languagesOnly takes the language rows of a location that name no
// service (a row naming both belongs to the service).
func (b *builder) languagesOnly(col, v string) []hsds.Language {
	t := b.p.tables["language"]
	if t == nil {
		return nil
	}
	var out []hsds.Language
	for _, i := range b.children("language", col, v, "service_id") {
		for k, name := range splitList(t.get(i, "language")) {
			out = append(out, b.language(t, i, name, k, ""))
		}
		b.use(t, i)
	}
	return out
}

// language reads one language as written; the k-th of a list in one cell
// gets an id of its own.
func (b *builder) language(t *table, i int, name string, k int, idBase string) hsds.Language {
	if idBase == "" {
		idBase = t.get(i, "id")
	}
	if k > 0 {
		idBase += "#" + strconv.Itoa(k)
	}
	l := hsds.Language{ID: b.id("language", idBase), Name: name}
	if code, ok := LanguageCode(name); ok {
		l.Code = code
		if strings.EqualFold(name, code) {
			l.Name = ""
		}
	} else {
		t.fix(i, "language kept by name: no single ISO 639 code for it", fmt.Sprintf("%s %q", t.where(i), name))
	}
	return l
}

// splitList splits "English, Spanish; Vietnamese" into its items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '|' }) {
		if f = Clean(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

var dayCodes = map[string]string{
	"1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA", "7": "SU", "0": "SU",
	"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR", "saturday": "SA", "sunday": "SU",
	"mon": "MO", "tue": "TU", "tues": "TU", "wed": "WE", "thu": "TH", "thur": "TH", "thurs": "TH", "fri": "FR", "sat": "SA", "sun": "SU",
	"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU",
	"lunes": "MO", "martes": "TU", "miércoles": "WE", "miercoles": "WE", "jueves": "TH", "viernes": "FR", "sábado": "SA", "sabado": "SA", "domingo": "SU",
}

// schedules takes the schedule rows (1.1 regular and holiday, 2.0
// schedule) whose col is v and none of unless.
func (b *builder) schedules(col, v string, unless ...string) []hsds.Schedule {
	var out []hsds.Schedule
	if t := b.p.tables["regular_schedule"]; t != nil {
		for _, i := range b.children("regular_schedule", col, v, unless...) {
			day, ok := dayCodes[strings.ToLower(t.get(i, "weekday"))]
			if !ok {
				b.rowProblem(t, i, "weekday", fmt.Sprintf("%q is not a day of the week (1 = Monday … 7 = Sunday, or a name)", t.get(i, "weekday")))
				continue
			}
			sc := hsds.Schedule{ID: b.id("schedule", "regular/"+t.get(i, "id")), Freq: "WEEKLY", ByDay: day, Description: t.get(i, "description")}
			if !b.times(t, i, &sc) {
				continue
			}
			out = append(out, sc)
			b.use(t, i)
		}
	}
	if t := b.p.tables["holiday_schedule"]; t != nil {
		for _, i := range b.children("holiday_schedule", col, v, unless...) {
			sc := hsds.Schedule{ID: b.id("schedule", "holiday/"+t.get(i, "id"))}
			var ok bool
			if sc.ValidFrom, ok = b.date(t, i, "start_date"); !ok {
				continue
			}
			if sc.ValidTo, ok = b.date(t, i, "end_date"); !ok {
				continue
			}
			switch strings.ToLower(t.get(i, "closed")) {
			case "true", "yes", "1", "y", "t":
				sc.Description = "Closed for a holiday"
			default:
				sc.Description = "Holiday hours"
				if !b.times(t, i, &sc) {
					continue
				}
			}
			out = append(out, sc)
			b.use(t, i)
		}
	}
	if t := b.p.tables["schedule"]; t != nil {
		for _, i := range b.children("schedule", col, v, unless...) {
			sc := hsds.Schedule{ID: b.id("schedule", t.get(i, "id")), Description: t.get(i, "description"),
				WKST: strings.ToUpper(t.get(i, "wkst")), Freq: strings.ToUpper(t.get(i, "freq")),
				ByDay: strings.ToUpper(strings.ReplaceAll(t.get(i, "byday"), " ", "")), ByWeekNo: t.get(i, "byweekno"),
				ByMonthDay: t.get(i, "bymonthday"), ByYearDay: t.get(i, "byyearday")}
			sc.Timezone = b.number(t, i, "timezone", t.get(i, "timezone"))
			sc.Count = b.number(t, i, "count", t.get(i, "count"))
			sc.Interval = b.number(t, i, "interval", t.get(i, "interval"))
			ok := true
			for _, d := range []struct {
				col string
				to  *string
			}{{"valid_from", &sc.ValidFrom}, {"valid_to", &sc.ValidTo}, {"dtstart", &sc.DTStart}, {"until", &sc.Until}} {
				if t.get(i, d.col) != "" {
					if *d.to, ok = b.date(t, i, d.col); !ok {
						break
					}
				}
			}
			if !ok || !b.times(t, i, &sc) {
				continue
			}
			if probs := (&hsds.Service{ID: "00000000-0000-0000-0000-000000000000", Name: "x", Status: "active", Schedules: []hsds.Schedule{sc}}).Validate(); len(probs) > 0 {
				field := probs[0].Field[strings.LastIndexByte(probs[0].Field, '.')+1:]
				b.rowProblem(t, i, field, probs[0].Reason)
				continue
			}
			out = append(out, sc)
			b.use(t, i)
		}
	}
	return out
}

// times reads opens_at and closes_at as people write them.
func (b *builder) times(t *table, i int, sc *hsds.Schedule) bool {
	for _, c := range []struct {
		col string
		to  *string
	}{{"opens_at", &sc.OpensAt}, {"closes_at", &sc.ClosesAt}} {
		raw := t.get(i, c.col)
		if raw == "" {
			continue
		}
		v, ok := clockTime(raw)
		if !ok {
			b.rowProblem(t, i, c.col, fmt.Sprintf("%q is not a time of day (such as 09:00 or 5pm)", raw))
			return false
		}
		if v != raw {
			t.fix(i, "time written as HH:MM", fmt.Sprintf("%s %q → %s", t.where(i), raw, v))
		}
		*c.to = v
	}
	return true
}

// clockTime reads "9:00", "09:00:00", "9am", "5:30 PM", "1700" as HH:MM
// (or HH:MM:SS, and a zone, when given).
func clockTime(s string) (string, bool) {
	x := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	x = strings.ReplaceAll(x, ".", "")
	pm, am := strings.HasSuffix(x, "pm"), strings.HasSuffix(x, "am")
	if pm || am {
		x = x[:len(x)-2]
	}
	h, m, sec, zone := x, "00", "", ""
	if i := strings.IndexAny(x, "z+-"); i > 0 {
		h, zone = x[:i], strings.ToUpper(x[i:])
	}
	if parts := strings.Split(h, ":"); len(parts) >= 2 && len(parts) <= 3 {
		h, m = parts[0], parts[1]
		if len(parts) == 3 {
			sec = parts[2]
		}
	} else if len(h) == 4 && !am && !pm {
		h, m = h[:2], h[2:]
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(m) != 2 || len(h) > 2 || mm > 59 || hh > 23 || hh < 0 || mm < 0 {
		return "", false
	}
	if pm || am {
		if hh < 1 || hh > 12 {
			return "", false
		}
		hh %= 12
		if pm {
			hh += 12
		}
	}
	out := fmt.Sprintf("%02d:%02d", hh, mm)
	if sec != "" {
		if ss, err := strconv.Atoi(sec); err != nil || len(sec) != 2 || ss > 60 || ss < 0 {
			return "", false
		}
		out += ":" + sec
	}
	if zone != "" {
		out += zone
		if !validClock(out) {
			return "", false
		}
	}
	return out, true
}

func validClock(s string) bool {
	sc := hsds.Schedule{ID: "00000000-0000-0000-0000-000000000000", OpensAt: s}
	return len((&hsds.Service{ID: "00000000-0000-0000-0000-000000000000", Name: "x", Status: "active", Schedules: []hsds.Schedule{sc}}).Validate()) == 0
}

// date reads YYYY-MM-DD, a date-time, or a U.S. M/D/YYYY.
func (b *builder) date(t *table, i int, col string) (string, bool) {
	raw := t.get(i, col)
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04:05", "1/2/2006", "01/02/2006"} {
		if d, err := time.Parse(layout, raw); err == nil {
			v := d.Format(time.DateOnly)
			if v != raw {
				t.fix(i, "date written as YYYY-MM-DD", fmt.Sprintf("%s %q → %s", t.where(i), raw, v))
			}
			return v, true
		}
	}
	b.rowProblem(t, i, col, fmt.Sprintf("%q is not a date (YYYY-MM-DD)", raw))
	return "", false
}

// invalid reports a value that cannot be taken. In the services table it
// refuses the service; in another table, in strict mode too, and with
// SkipInvalid the value is left out and the report says so.
func (b *builder) invalid(t *table, i int, col, reason string) {
	if t == nil {
		b.errs = append(b.errs, &hsds.FieldError{File: b.file, Record: b.rec, Field: col, Reason: reason})
		return
	}
	if b.p.opt.SkipInvalid {
		t.fix(i, "value left out, not valid: "+col, fmt.Sprintf("%s: %s", t.where(i), reason))
		return
	}
	b.errs = append(b.errs, &hsds.FieldError{File: t.file, Record: t.where(i), Field: col, Reason: reason})
}

// number reads a number column (t nil: the service's own row).
func (b *builder) number(t *table, i int, col, s string) *float64 {
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		b.invalid(t, i, col, fmt.Sprintf("%q is not a number", short(s)))
		return nil
	}
	return &f
}

// web reads a web address as people write it (t nil: the service's row).
func (b *builder) web(t *table, i int, col, s string) string {
	if s == "" {
		return ""
	}
	u, ok := WebURL(s)
	if !ok {
		b.invalid(t, i, col, fmt.Sprintf("%q is not a web address", short(s)))
		return ""
	}
	if u != s {
		const what = "web address completed with https://"
		if t != nil {
			t.fix(i, what, fmt.Sprintf("%s %q → %s", t.where(i), short(s), u))
		} else {
			b.p.svcRep.Fix(what, fmt.Sprintf("%s %q → %s", b.rec, short(s), u))
		}
	}
	return u
}

// origIDRecord keeps a service's original id: HSDS 3.0 services have no
// identifier field, and a metadata record of the id's change is what the
// standard offers to say where a record came from.
func (b *builder) origIDRecord(kind, newID, orig string) hsds.Metadata {
	return hsds.Metadata{ID: b.id("metadata", kind+"/id/"+orig), ResourceID: newID, ResourceType: kind,
		LastActionDate: b.p.date, LastActionType: "import", FieldName: "id", PreviousValue: orig, ReplacementValue: newID,
		UpdatedBy: "haven import (source " + b.p.opt.Source + ", " + strings.ToUpper(strings.Replace(b.p.version, "hsds-", "HSDS ", 1)) + ")"}
}

// metadata takes the package's own metadata rows about a record. A 1.1
// row names no resource type, and numbered tables share ids: such a row
// goes to every record its id names, each copy with an id of its own.
func (b *builder) metadata(to *[]hsds.Metadata, orig, kind, newID string) {
	t := b.p.tables["metadata"]
	if t == nil {
		return
	}
	for _, i := range b.children("metadata", "resource_id", orig) {
		if rt := strings.ToLower(t.get(i, "resource_type")); rt != "" && canonicalTable(rt) != kind {
			continue
		}
		m := hsds.Metadata{ID: b.id("metadata", kind+"/"+t.get(i, "id")), ResourceID: newID, ResourceType: kind,
			LastActionType: t.get(i, "last_action_type"), FieldName: t.get(i, "field_name"), PreviousValue: t.get(i, "previous_value"),
			ReplacementValue: t.get(i, "replacement_value"), UpdatedBy: t.get(i, "updated_by")}
		var ok bool
		if m.LastActionDate, ok = b.date(t, i, "last_action_date"); !ok {
			continue
		}
		for _, f := range []struct{ c, v string }{{"last_action_type", m.LastActionType}, {"field_name", m.FieldName}, {"updated_by", m.UpdatedBy}} {
			if f.v == "" {
				b.rowProblem(t, i, f.c, "required field is missing")
				ok = false
				break
			}
		}
		if ok {
			*to = append(*to, m)
			b.use(t, i)
		}
	}
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func isUpperLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return s != ""
}
