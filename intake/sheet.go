package intake

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/mail"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"haven/geo"
	"haven/hsds"
)

// SheetOptions tune the reading of a spreadsheet.
type SheetOptions struct {
	// Name is what reports and errors call the file (an upload's own
	// name); the file's base name when "".
	Name string
	// Source names the list in the stable ids: the same agency and
	// program of the same source get the same ids on every import, so
	// importing again updates rather than duplicates, whatever the file
	// is called. Default DefaultSheetSource.
	Source string
	// Sheet is the worksheet of an .xlsx file to read; the first when "".
	Sheet string
	// Map says which field columns fill, by HeaderKey of their name (see
	// ParseMap), before the usual names are tried.
	Map map[string]string
	// DefaultCountry fills an address without a country. When "", a U.S.
	// state makes the country US; anything else is an error.
	DefaultCountry string
	// Terms are the taxonomy terms categories may map to (Haven's
	// categories), matched by code, name, catalog label and synonym.
	Terms []hsds.TaxonomyTerm
	// TermNames are more names of the terms, by code: their labels in
	// each language Haven speaks.
	TermNames map[string][]string
	// Taxonomy, when set, is nested in the terms attributes carry, so
	// that an import into an empty directory creates it.
	Taxonomy *hsds.Taxonomy
}

// DefaultSheetSource is the source of spreadsheets imported without one.
const DefaultSheetSource = "spreadsheet"

// SheetCounts are what a sheet's rows make, counted as they are read.
type SheetCounts struct {
	Organizations int `json:"organizations"`
	Services      int `json:"services"`
	Locations     int `json:"locations"`
	// Confidential locations among Locations.
	Confidential int `json:"confidential_locations"`
}

// Sheet reads a coalition's list, one service or program a row, and gives
// HSDS 3.0 services (each with its organization and location nested) one
// at a time, for sqlstore's import. A row that cannot be taken gives
// hsds.Errors naming the file, the row and the column; the reader goes on
// after it, so that --skip-invalid can take the rest.
type Sheet struct {
	name   string // the file's name, in errors
	opt    SheetOptions
	src    rowSource
	rep    *Report
	tab    *TableReport
	plan   *columnPlan
	cats   categoryIndex
	orgs   map[string]*orgState
	seen   map[uuidKey]seenRow // service id → where it was first read
	locs   map[uuidKey]bool    // location id → confidential
	counts SheetCounts
	// usNoted: the report says once that U.S. states made the country US.
	usNoted bool
}

// orgState is what the rows so far say of an organization: only its own
// fields, so that a list of 100,000 agencies stays small in memory.
type orgState struct {
	name, description, website, email string
	descFallback                      bool // the description is the organization's name, for want of one
	sample                            bool
}

// uuidKey is a UUID as 16 bytes, a smaller map key than its text.
type uuidKey [16]byte

func keyOf(id string) uuidKey {
	u, _ := uuid.Parse(id)
	return uuidKey(u)
}

type seenRow struct {
	row  int
	hash uint64
}

// headerSearch is how many rows may stand above the header (a title, a
// date, a blank line).
const headerSearch = 10

// OpenSheet opens a .csv (or .tsv, .txt) or .xlsx file, finds its header
// row and matches its columns. It fails, naming the file, when the file
// cannot be read or no column names an agency or a program.
func OpenSheet(path string, opt SheetOptions) (*Sheet, error) {
	name := opt.Name
	if name == "" {
		name = filepath.Base(path)
	}
	var src rowSource
	var format string
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt":
		format = FormatCSV
		var c *csvSource
		if c, err = openCSV(path); err == nil {
			src = c
		}
	case ".xlsx", ".xlsm":
		format = FormatXLSX
		var x *xlsxSource
		if x, err = openXLSX(path, opt.Sheet); err == nil {
			src = x
		}
	case ".xls", ".ods", ".numbers":
		return nil, fmt.Errorf("%s: Haven reads .xlsx and .csv spreadsheets: save the file in one of those formats", name)
	default:
		return nil, fmt.Errorf("%s: not a spreadsheet Haven reads (.csv or .xlsx)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if opt.Sheet != "" && format != FormatXLSX {
		src.Close()
		return nil, fmt.Errorf("%s: --sheet is for .xlsx workbooks", name)
	}
	return newSheet(name, format, src, opt)
}

// ReadSheet reads a sheet from r, for tests and fuzzing: format is
// FormatCSV or FormatXLSX.
func ReadSheet(name, format string, r io.Reader, opt SheetOptions) (*Sheet, error) {
	var src rowSource
	var err error
	if format == FormatXLSX {
		src, err = readXLSX(r, opt.Sheet)
	} else {
		src, err = newCSVSource(r, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newSheet(name, format, src, opt)
}

func newSheet(name, format string, src rowSource, opt SheetOptions) (*Sheet, error) {
	if opt.Source = Clean(opt.Source); opt.Source == "" {
		opt.Source = DefaultSheetSource
	}
	s := &Sheet{name: name, opt: opt, src: src, rep: &Report{Source: name, Format: format, DetectedBy: "file extension"},
		cats: newCategoryIndex(opt.Terms, opt.TermNames), orgs: map[string]*orgState{}, seen: map[uuidKey]seenRow{}, locs: map[uuidKey]bool{}}
	tableName := name
	if x, ok := src.(*xlsxSource); ok {
		tableName = x.sheet
	}
	s.tab = s.rep.Table(tableName)
	s.tab.File = name
	if c, ok := src.(*csvSource); ok {
		for _, n := range c.notes {
			s.rep.Note("%s", n)
		}
	}
	if err := s.findHeader(); err != nil {
		src.Close()
		return nil, err
	}
	return s, nil
}

// findHeader takes the first of the first rows that names at least two
// fields (or one, agency or program) as the header; rows above it are a
// title and are reported.
func (s *Sheet) findHeader() error {
	var above []int
	for range headerSearch {
		cells, row, err := s.src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		n := recognized(cells, s.opt.Map)
		if n >= 2 || (n == 1 && s.namesAgencyOrProgram(cells)) {
			plan, unmapped := planColumns(cells, s.opt.Map)
			if !plan.has[FieldOrganization] && !plan.has[FieldService] {
				return fmt.Errorf("%s: row %d: no column names the agency or the program (columns: %s); name one with --map 'Column=organization' or --map 'Column=service'",
					s.name, row, strings.Join(plan.headers, ", "))
			}
			s.plan = plan
			for _, u := range unmapped {
				s.tab.NoHome(u)
			}
			for _, r := range above {
				s.tab.Fix("rows above the header row ignored (a title or notes)", fmt.Sprintf("row %d", r))
			}
			return nil
		}
		if !blank(cells) {
			above = append(above, row)
		}
	}
	return fmt.Errorf("%s: none of the first %d rows is a header naming the agency or program columns; Haven knows names such as Agency, Organization, Program, Service, Address, City, ZIP, Phone (or in Spanish Agencia, Programa, Dirección…); name yours with --map 'Column=field'",
		s.name, headerSearch)
}

func (s *Sheet) namesAgencyOrProgram(cells []string) bool {
	for _, c := range cells {
		f, ok := s.opt.Map[HeaderKey(c)]
		if !ok {
			f = MatchHeader(c)
		}
		if f == FieldOrganization || f == FieldService {
			return true
		}
	}
	return false
}

func blank(cells []string) bool {
	for _, c := range cells {
		if Clean(c) != "" {
			return false
		}
	}
	return true
}

// Report is what the reading has found so far; complete once Next has
// returned io.EOF.
func (s *Sheet) Report() *Report { return s.rep }

// Table is the report of the sheet's one table.
func (s *Sheet) Table() *TableReport { return s.tab }

// Counts are the organizations, services and locations read so far.
func (s *Sheet) Counts() SheetCounts {
	c := s.counts
	c.Organizations = len(s.orgs)
	return c
}

// Progress says how far the reading is: bytes of a CSV file, rows of a
// workbook; total is 0 when unknown.
func (s *Sheet) Progress() (done, total int64) { return s.src.progress() }

// Close releases the file (and excelize's temporary files).
func (s *Sheet) Close() error { return s.src.Close() }

// Next returns the service of the next row; io.EOF after the last.
// hsds.Errors for a row that cannot be taken: call Next again for the
// rows after it. Any other error ends the reading.
func (s *Sheet) Next() (*hsds.Service, error) {
	for {
		cells, row, err := s.src.next()
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil {
			if row > 0 && s.rep.Format == FormatCSV {
				// The CSV reader goes on after a malformed row.
				s.tab.Read++
				s.tab.Skip("the row cannot be read as CSV", fmt.Sprintf("row %d", row))
				return nil, hsds.Errors{{File: s.name, Record: fmt.Sprintf("row %d", row), Reason: err.Error()}}
			}
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if blank(cells) {
			continue
		}
		s.tab.Read++
		svc, errs, kind, dup := s.build(cells, row)
		if dup {
			continue
		}
		if len(errs) > 0 {
			s.tab.Skip(kind, errs[0].Record+": "+truncateText(errs[0].Reason, 80))
			return nil, hsds.Errors(errs)
		}
		s.tab.Imported++
		s.rep.Services++
		s.counts.Services++
		return svc, nil
	}
}

// row is one row being read, with its errors.
type row struct {
	s     *Sheet
	cells []string
	n     int
	errs  []*hsds.FieldError
	// kind is the first error without its values, to count rows left out
	// for one reason together in the report.
	kind string
}

func (r *row) at() string { return fmt.Sprintf("row %d", r.n) }

// get returns the cleaned value of a field's column.
func (r *row) get(field string) string {
	for i, f := range r.s.plan.field {
		if f == field && i < len(r.cells) {
			return Clean(r.cells[i])
		}
	}
	return ""
}

// column names a field's column as the sheet wrote it.
func (r *row) column(field string) string {
	for i, f := range r.s.plan.field {
		if f == field {
			return r.s.plan.headers[i]
		}
	}
	return field
}

func (r *row) fail(field, format string, args ...any) {
	if r.kind == "" {
		r.kind = r.column(field) + ": " + strings.NewReplacer("%q", "…", "%d", "N", "%s", "…").Replace(format)
	}
	r.errs = append(r.errs, &hsds.FieldError{File: r.s.name, Record: r.at(), Field: r.column(field), Reason: fmt.Sprintf(format, args...)})
}

func (r *row) fix(what, value string) {
	r.s.tab.Fix(what, r.at()+": "+truncateText(value, 60))
}

func truncateText(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// build makes a row's service. dup reports a row that repeats an earlier
// one exactly, which is left out (and reported) rather than refused.
func (s *Sheet) build(cells []string, n int) (svc *hsds.Service, errs []*hsds.FieldError, kind string, dup bool) {
	r := &row{s: s, cells: cells, n: n}
	src := s.opt.Source
	for i, c := range cells {
		if i < len(s.plan.field) && s.plan.field[i] != "" && Clean(c) != c && Clean(c) != "" {
			s.tab.Fix("spaces around values trimmed", r.at()+": "+s.plan.headers[i])
		}
	}
	orgName, progName := r.get(FieldOrganization), r.get(FieldService)
	switch {
	case orgName == "" && progName == "":
		r.fail(FieldOrganization, "neither an agency nor a program name: every row needs one")
		return nil, r.errs, r.kind, false
	case orgName == "":
		orgName = progName
		r.fix("agency named after its program (the row has no agency name)", progName)
	case progName == "":
		progName = orgName
		if s.plan.has[FieldService] {
			r.fix("program named after its agency (the row has no program name)", orgName)
		}
	}
	orgKey := HeaderKey(orgName)
	svcKey := orgKey + "\x00" + HeaderKey(progName)
	orgID := StableID(src, "organization", orgKey)
	svcID := StableID(src, "service", svcKey)
	h := rowHash(s.plan, cells)
	if prev, ok := s.seen[keyOf(svcID)]; ok {
		if prev.hash == h {
			r.fix("row repeats an earlier row exactly: left out", fmt.Sprintf("same as row %d", prev.row))
			return nil, nil, "", true
		}
		r.fail(FieldService, "the same agency and program as row %d, with other details: merge the two rows, or give the programs different names", prev.row)
		return nil, r.errs, r.kind, false
	}

	yes := true
	sample := isYes(r.get(FieldSample))
	svc = &hsds.Service{ID: svcID, OrganizationID: orgID, Name: progName, Status: "active",
		Description: r.get(FieldDescription), EligibilityDescription: r.get(FieldEligibility),
		FeesDescription: r.get(FieldFees), ApplicationProcess: r.get(FieldApplication)}
	if sample {
		svc.XSample = &yes
	}
	if notes := r.get(FieldNotes); notes != "" {
		if svc.Description != "" {
			svc.Description += "\n\n"
		}
		svc.Description += notes
		r.fix("notes added to the description (HSDS has no notes field)", notes)
	}
	if v := r.get(FieldLastVerified); v != "" {
		if d, ok := readDate(v); ok {
			svc.XLastVerified = d
		} else {
			r.fail(FieldLastVerified, "%q is not a date (write it as 2026-12-01 or 12/1/2026)", v)
		}
	}
	if v := r.get(FieldWebsite); v != "" {
		if u, ok := WebURL(v); ok {
			if u != v {
				r.fix("web address completed with https://", v)
			}
			svc.URL = u
		} else {
			r.fail(FieldWebsite, "%q is not a web address", truncateText(v, 80))
		}
	}
	if v := r.get(FieldEmail); v != "" {
		list := strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '/' })
		e := strings.TrimPrefix(strings.ToLower(list[0]), "mailto:")
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@"):], ".") {
			r.fail(FieldEmail, "%q is not an e-mail address", truncateText(v, 80))
		} else {
			svc.Email = e
			if len(list) > 1 {
				r.fix("only the first e-mail address kept (a service has one in HSDS)", v)
			}
		}
	}

	// The organization: the first row of an agency starts it; later rows
	// fill what it lacks. Each service gets its own copy, since the import
	// writes one while the next rows are read.
	st := orgState{name: orgName}
	if prev := s.orgs[orgID]; prev != nil {
		st = *prev
	}
	if d := r.get(FieldOrgDescription); d != "" && (st.description == "" || st.descFallback) {
		st.description, st.descFallback = d, false
	}
	if st.description == "" {
		st.description, st.descFallback = orgName, true
		r.fix("organization without a description: its name stands for one", orgName)
	}
	if st.website == "" {
		st.website = svc.URL
	}
	if st.email == "" {
		st.email = svc.Email
	}
	st.sample = st.sample || sample
	svc.Organization = &hsds.Organization{ID: orgID, Name: st.name, Description: st.description, Website: st.website, Email: st.email}
	if st.sample {
		svc.Organization.XSample = &yes
	}

	country := s.country(r)
	region := country
	if region == "" {
		region = "US"
	}
	s.phones(r, svc, svcKey, region)
	s.languages(r, svc, svcKey)
	s.categories(r, svc, svcKey)
	s.hours(r, svc, svcKey)
	locID, secret := s.location(r, svc, orgKey, svcKey, st.name, country)

	for _, e := range svc.Validate() {
		// A safety net: the checks above name the column; this names the
		// HSDS field of anything they let through.
		r.errs = append(r.errs, &hsds.FieldError{File: s.name, Record: r.at(), Field: e.Field, Reason: e.Reason})
		if r.kind == "" {
			r.kind = e.Field + ": " + e.Reason
		}
	}
	if len(r.errs) > 0 {
		return nil, r.errs, r.kind, false
	}
	s.seen[keyOf(svcID)] = seenRow{n, h}
	s.orgs[orgID] = &st
	if _, ok := s.locs[keyOf(locID)]; !ok && locID != "" {
		s.locs[keyOf(locID)] = secret
		s.counts.Locations++
		if secret {
			s.counts.Confidential++
		}
	}
	return svc, nil, "", false
}

// rowHash is a digest of a row's mapped cells, to tell a repeated row from
// a different row with the same names.
func rowHash(p *columnPlan, cells []string) uint64 {
	h := fnv.New64a()
	for i, f := range p.field {
		if f != "" && i < len(cells) {
			h.Write([]byte(Clean(cells[i])))
		}
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func isYes(s string) bool {
	switch HeaderKey(s) {
	case "yes", "y", "true", "x", "1", "si", "sample", "muestra":
		return true
	}
	return false
}

// country returns the row's country code: as written, else the default,
// else US when the state is a U.S. state; "" (and an error) otherwise.
func (s *Sheet) country(r *row) string {
	v := r.get(FieldCountry)
	if v != "" {
		if c := CountryCode(v); c != "" {
			if c != v {
				r.fix("country written as its ISO 3166 code", v)
			}
			return c
		}
		r.fail(FieldCountry, "%q is not a country Haven knows (write it as a two-letter code such as US or MX)", truncateText(v, 40))
		return ""
	}
	if !s.hasAddress(r) {
		return ""
	}
	if s.opt.DefaultCountry != "" {
		return strings.ToUpper(s.opt.DefaultCountry)
	}
	if _, ok := USState(r.get(FieldState)); ok {
		if !s.usNoted {
			s.usNoted = true
			s.rep.Note("country US assumed for addresses without one: their states are U.S. states (give --default-country to say otherwise)")
		}
		return "US"
	}
	r.fail(FieldCountry, "the address has no country and its state is not a U.S. state: add a country column or give --default-country")
	return ""
}

func (s *Sheet) hasAddress(r *row) bool {
	for _, f := range []string{FieldAddress, FieldAddress2, FieldCity, FieldState, FieldPostalCode} {
		if r.get(f) != "" {
			return true
		}
	}
	return false
}

// phoneSplit separates the numbers of a cell listing several.
var phoneSplit = regexp.MustCompile(`\s*(?:;|\n|\s/\s|\s+or\s+|\s+o\s+)\s*`)

// excelNumber is a number a spreadsheet stored as a number: "9795550101.0",
// "9.79555E+09".
var (
	excelFloat = regexp.MustCompile(`^(\d{7,15})\.0+$`)
	excelExp   = regexp.MustCompile(`^\d(?:\.\d+)?[eE]\+\d+$`)
)

func (s *Sheet) phones(r *row, svc *hsds.Service, svcKey, region string) {
	v := r.get(FieldPhone)
	if v == "" {
		return
	}
	for i, text := range phoneSplit.Split(v, -1) {
		if text = Clean(text); text == "" {
			continue
		}
		if m := excelFloat.FindStringSubmatch(text); m != nil {
			text = m[1]
			r.fix("phone stored as a number in the spreadsheet: read as its digits", v)
		}
		p := hsds.Phone{ID: StableID(s.opt.Source, "phone", svcKey+"\x00"+strconv.Itoa(i)), ServiceID: svc.ID, Number: text}
		if excelExp.MatchString(text) {
			r.fix("phone stored as a number in scientific notation: its digits are lost, kept as written (store phones as text)", text)
		} else if number, ext, ok := Phone(text, region); ok {
			p.Number = number
			if ext != "" {
				if x, err := strconv.ParseFloat(ext, 64); err == nil {
					p.Extension = &x
				}
			}
			if number != text {
				r.fix("phone written in E.164 (its extension apart)", text)
			}
		} else {
			r.fix("phone kept as written: it does not read as a number", text)
		}
		svc.Phones = append(svc.Phones, p)
	}
}

func (s *Sheet) languages(r *row, svc *hsds.Service, svcKey string) {
	seen := map[string]bool{}
	for _, name := range splitCell(r.get(FieldLanguages)) {
		l := hsds.Language{ServiceID: svc.ID, Name: name}
		key := HeaderKey(name)
		if code, ok := LanguageCode(name); ok {
			l.Code, key = code, code
			if strings.EqualFold(name, code) {
				l.Name = ""
			}
		} else {
			r.s.tab.Unknown("language without an ISO 639 code: kept by its name", r.at()+": "+name)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		l.ID = StableID(s.opt.Source, "language", svcKey+"\x00"+key)
		svc.Languages = append(svc.Languages, l)
	}
}

func (s *Sheet) categories(r *row, svc *hsds.Service, svcKey string) {
	for _, name := range splitCell(r.get(FieldCategories)) {
		t := s.cats.find(name)
		if t == nil {
			r.s.tab.Unknown("category not in Haven's taxonomy: not imported (add the term, or rename it in the sheet)", r.at()+": "+name)
			continue
		}
		if slices.ContainsFunc(svc.Attributes, func(a hsds.Attribute) bool { return a.TaxonomyTerm.Code == t.Code }) {
			continue
		}
		term := *t
		if term.TaxonomyDetail == nil && s.opt.Taxonomy != nil && term.TaxonomyID == s.opt.Taxonomy.ID {
			tax := *s.opt.Taxonomy
			term.TaxonomyDetail = &tax
		}
		svc.Attributes = append(svc.Attributes, hsds.Attribute{ID: StableID(s.opt.Source, "attribute", svcKey+"\x00"+t.Code),
			LinkID: svc.ID, LinkEntity: "service", TaxonomyTermID: t.ID, TaxonomyTerm: &term})
	}
}

func (s *Sheet) hours(r *row, svc *hsds.Service, svcKey string) {
	text := r.get(FieldHours)
	if text == "" {
		return
	}
	scheds, ok := ParseHours(text)
	if !ok {
		scheds = []hsds.Schedule{{Description: text}}
		r.fix("hours kept as text: they do not read as days and times", text)
	}
	for i := range scheds {
		scheds[i].ID = StableID(s.opt.Source, "schedule", svcKey+"\x00"+strconv.Itoa(i))
		scheds[i].ServiceID = svc.ID
	}
	svc.Schedules = scheds
}

// confidentialWords are what a coalition writes instead of a shelter's
// address.
var confidentialWords = []string{"confidential", "confidencial", "undisclosed", "withheld", "not disclosed",
	"private", "privada", "privado", "reservada", "reservado", "no se divulga", "secret", "secreta", "secreto",
	"confidential location", "direccion confidencial", "ubicacion confidencial", "call for address",
	"llame para la direccion", "given on contact", "n a confidential"}

// IsConfidentialAddress reports whether an address cell says the address
// is kept secret ("Confidential", "Confidencial", "Undisclosed location").
func IsConfidentialAddress(s string) bool {
	k := HeaderKey(s)
	if slices.Contains(confidentialWords, k) {
		return true
	}
	for _, w := range []string{"confidential", "confidencial", "undisclosed"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// zipDigits is a U.S. ZIP code a spreadsheet stored as a number.
var zipDigits = regexp.MustCompile(`^(\d{3,5})(?:\.0+)?$`)

// location gives the service the row's location, and returns its id and
// whether it is confidential ("" when the row has no address).
func (s *Sheet) location(r *row, svc *hsds.Service, orgKey, svcKey, orgName, country string) (string, bool) {
	if !s.hasAddress(r) {
		return "", false
	}
	street, street2 := r.get(FieldAddress), r.get(FieldAddress2)
	city, state, zip := r.get(FieldCity), r.get(FieldState), r.get(FieldPostalCode)
	secret := IsConfidentialAddress(street) || IsConfidentialAddress(street2)
	if secret {
		street, street2 = "", ""
		r.fix("address written as confidential: the location is kept secret (x_confidential), its city and ZIP shown", orgName)
	}
	if code, ok := USState(state); ok && country == "US" && code != state {
		r.fix("state written as its USPS code", state)
		state = code
	}
	if country == "US" {
		if m := zipDigits.FindStringSubmatch(zip); m != nil && (m[1] != zip || len(m[1]) < 5) {
			fixed := strings.Repeat("0", 5-len(m[1])) + m[1]
			r.fix("ZIP code stored as a number lost its leading zeros: restored", zip+" → "+fixed)
			zip = fixed
		}
	}
	if street == "" && !secret {
		r.fail(FieldAddress, "no street address: write it, or write Confidential if the address must stay secret")
	}
	if city == "" {
		r.fail(FieldCity, "the address has no city")
	}
	if state == "" {
		r.fail(FieldState, "the address has no state or province")
	}
	if zip == "" {
		r.fail(FieldPostalCode, "the address has no ZIP or postal code")
	}
	lat, lon := r.coordinate(FieldLatitude, 90), r.coordinate(FieldLongitude, 180)
	if (lat == nil) != (lon == nil) {
		r.fail(FieldLatitude, "give both the latitude and the longitude, or neither")
	}
	if len(r.errs) > 0 {
		return "", false
	}
	var locKey string
	if secret {
		locKey = orgKey + "\x00confidential\x00" + HeaderKey(city+" "+state+" "+zip)
	} else {
		locKey = orgKey + "\x00" + HeaderKey(strings.Join([]string{street, street2, city, state, zip}, " "))
	}
	locID := StableID(s.opt.Source, "location", locKey)
	loc := &hsds.Location{ID: locID, LocationType: "physical", OrganizationID: svc.OrganizationID,
		Addresses: []hsds.Address{{ID: StableID(s.opt.Source, "address", locKey), LocationID: locID, Address1: street,
			Address2: street2, City: city, StateProvince: state, PostalCode: zip, Country: country, AddressType: "physical"}}}
	loc.Latitude, loc.Longitude = lat, lon
	if secret {
		yes := true
		loc.XConfidential = &yes
	} else {
		loc.Name = orgName
	}
	svc.ServiceAtLocations = []hsds.ServiceAtLocation{{ID: StableID(s.opt.Source, "service_at_location", svcKey+"\x00"+locKey),
		ServiceID: svc.ID, LocationID: locID, Location: loc}}
	return locID, secret
}

// coordinate reads a latitude (limit 90) or longitude (limit 180) in
// decimal degrees; nil when the cell is empty or wrong (with an error).
func (r *row) coordinate(field string, limit float64) *float64 {
	v := r.get(field)
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsNaN(x) || math.Abs(x) > limit {
		r.fail(field, "%q is not a %s in decimal degrees (such as 29.7604 or -95.3698)", truncateText(v, 30), field)
		return nil
	}
	return &x
}

// CountryCode reads a country as written ("US", "USA", "United States",
// "Estados Unidos", "México") and returns its ISO 3166-1 alpha-2 code, or
// "" when it does not know it.
func CountryCode(s string) string {
	if geo.ValidCountry(s) {
		return strings.ToUpper(Clean(s))
	}
	return countryNames[HeaderKey(s)]
}

var countryNames = func() map[string]string {
	m := map[string]string{
		"usa": "US", "u s": "US", "u s a": "US", "united states of america": "US", "ee uu": "US", "eeuu": "US",
		"eua": "US", "estados unidos de america": "US", "america": "US",
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if !geo.ValidCountry(code) {
				continue
			}
			for _, lang := range []string{"en", "es"} {
				if k := HeaderKey(geo.CountryName(code, lang)); k != "" {
					if _, ok := m[k]; !ok {
						m[k] = code
					}
				}
			}
		}
	}
	return m
}()

// readDate reads a date as spreadsheets write it, or Excel's serial
// number of one, and returns it as YYYY-MM-DD.
func readDate(s string) (string, bool) {
	for _, layout := range []string{"2006-01-02", "1/2/2006", "1/2/06", "01-02-06", "1-2-2006", "2006/01/02",
		"January 2, 2006", "Jan 2, 2006", "2 January 2006", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1990 && t.Year() < 2100 {
			return t.Format(time.DateOnly), true
		}
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 32874 && n < 73051 { // 1990 to 2100
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format(time.DateOnly), true
	}
	return "", false
}

// Preview reads the whole sheet as an import would, writing nothing: the
// dry run. It returns the first keep services; with skipInvalid false it
// stops at the first row that cannot be taken, with that row's error, as
// the import would.
func (s *Sheet) Preview(skipInvalid bool, keep int) ([]*hsds.Service, error) {
	var first []*hsds.Service
	for {
		svc, err := s.Next()
		if errors.Is(err, io.EOF) {
			return first, nil
		}
		var invalid hsds.Errors
		if err != nil {
			if errors.As(err, &invalid) && skipInvalid {
				continue
			}
			return first, err
		}
		if len(first) < keep {
			first = append(first, svc)
		}
	}
}
