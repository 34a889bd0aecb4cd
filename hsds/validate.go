package hsds

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"haven/weburl"
)

// rule is a check beyond type and format for one column, drawn from the
// schema's enums and from what its descriptions state.
type rule struct {
	enum  []string
	check func(string) string // returns a reason, or ""
	// For numbers.
	hasRange bool
	min, max float64
	integer  bool
}

// rules are keyed by "table.column".
var rules = map[string]rule{
	"service.status":         {enum: []string{"active", "inactive", "defunct", "temporarily closed"}},
	"service.minimum_age":    {hasRange: true, min: 0, max: 150},
	"service.maximum_age":    {hasRange: true, min: 0, max: 150},
	"location.location_type": {enum: []string{"physical", "postal", "virtual"}},
	"location.latitude":      {hasRange: true, min: -90, max: 90},
	"location.longitude":     {hasRange: true, min: -180, max: 180},
	"address.address_type":   {enum: []string{"physical", "postal", "virtual"}},
	"address.country": {check: func(s string) string {
		if !upperLetters(s, 2) {
			return fmt.Sprintf("%s is not an ISO 3166-1 alpha-2 country code (two upper-case letters such as US)", quote(s))
		}
		return ""
	}},
	"schedule.wkst":       {enum: weekdays},
	"schedule.freq":       {enum: []string{"WEEKLY", "MONTHLY"}},
	"schedule.byday":      {check: checkByDay},
	"schedule.byweekno":   {check: func(s string) string { return checkIntList(s, 53) }},
	"schedule.bymonthday": {check: func(s string) string { return checkIntList(s, 31) }},
	"schedule.byyearday":  {check: func(s string) string { return checkIntList(s, 366) }},
	"schedule.count":      {hasRange: true, min: 1, max: math.MaxInt32, integer: true},
	"schedule.interval":   {hasRange: true, min: 1, max: math.MaxInt32, integer: true},
	// UTC offsets run from -12 to +14 hours.
	"schedule.timezone": {hasRange: true, min: -12, max: 14},
	// The schema has no enum for phone.type, but its description fixes the
	// RFC 6350 list.
	"phone.type":                      {enum: []string{"text", "voice", "fax", "cell", "video", "pager", "textphone"}},
	"phone.extension":                 {hasRange: true, min: 0, max: 1e15, integer: true},
	"organization.year_incorporated":  {hasRange: true, min: 1, max: 9999, integer: true},
	"language.code":                   {check: checkLanguage},
	"taxonomy_term.language":          {check: checkLanguage},
	"meta_table_description.language": {check: checkLanguage},
	"cost_option.currency": {check: func(s string) string {
		if len(s) != 3 || !allLetters(s) {
			return fmt.Sprintf("%s is not an ISO 4217 currency code (three letters such as USD)", quote(s))
		}
		return ""
	}},
	// Haven's extension: the service's texts in other languages.
	"service.x_translations": {check: checkTranslations},
	// A capacity counts what is there: never fewer than none.
	"service_capacity.available": {hasRange: true, min: 0, max: 1e12},
	"service_capacity.maximum":   {hasRange: true, min: 0, max: 1e12},
	// The description of extent_type fixes this list.
	"service_area.extent_type": {enum: []string{"geojson", "topojson", "kml", "text"}},
}

func checkLanguage(s string) string {
	if !validLanguageCode(s) {
		return fmt.Sprintf("%s is not an ISO 639 language code (such as en or eng)", quote(s))
	}
	return ""
}

// emptyAllowed lists required columns for which an empty text is a real
// value: a change that created a field has no previous value.
var emptyAllowed = map[string]bool{
	"metadata.previous_value":    true,
	"metadata.replacement_value": true,
}

// tableInfo holds the per-column facts validation needs, built once.
type tableInfo struct {
	rules        []*rule
	emptyOK      []bool
	fingerprintN []bool // columns left out of the content fingerprint
}

var infos []tableInfo

func attachRules() {
	infos = make([]tableInfo, len(tables))
	for _, t := range tables {
		in := &infos[t.index]
		for _, c := range t.columns {
			key := t.name + "." + c.name
			if r, ok := rules[key]; ok {
				in.rules = append(in.rules, &r)
			} else {
				in.rules = append(in.rules, nil)
			}
			in.emptyOK = append(in.emptyOK, emptyAllowed[key])
			// Links are left out of the fingerprint: one object may be
			// nested under several parents, each copy showing only its own
			// link (or none), and that is the same object.
			skip := c.ref != "" || c.name == "link_id" || c.name == "link_entity" ||
				(t.name == "metadata" && (c.name == "resource_id" || c.name == "resource_type"))
			in.fingerprintN = append(in.fingerprintN, skip)
		}
	}
}

// path is a JSON path built lazily: segments live on the stack and are only
// rendered into a string when there is an error to report.
type path struct {
	up   *path
	name string
	idx  int // -1: not an array element
}

func (p *path) String() string {
	if p == nil {
		return ""
	}
	s := p.up.String()
	if s != "" {
		s += "."
	}
	s += p.name
	if p.idx >= 0 {
		s += fmt.Sprintf("[%d]", p.idx)
	}
	return s
}

func (p *path) field(name string) string {
	if s := p.String(); s != "" {
		return s + "." + name
	}
	return name
}

type entityKey struct {
	table uint8
	id    uuid.UUID
}

type entitySeen struct {
	hash uint64
	rec  int
	line int
}

// checker collects the problems of one record.
type checker struct {
	file, record string
	// tabular: check the tabular form's required columns rather than the
	// JSON schema's.
	tabular bool
	errs    []*FieldError
	// seen, when not nil, finds one id used for objects of one table with
	// different content (within the record and, kept across records,
	// across an input).
	seen map[entityKey]entitySeen
	rec  int
	line int
	// streetless: the objects checked are the addresses of a confidential
	// location, which may leave out their street (streetOptional).
	streetless bool
}

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{File: c.file, Record: c.record, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// entity checks an object of table t and everything nested in it.
func (c *checker) entity(t *table, v reflect.Value, p *path, depth int) {
	if depth > MaxDepth {
		c.add(p.String(), "objects nested more than %d deep", MaxDepth)
		return
	}
	c.columns(t, v, p)
	if p != nil {
		c.track(t, v, p)
	}
	outer := c.streetless
	c.streetless = t.name == "location" && confidentialValue(t, v)
	id := idOf(v)
	for i := range t.children {
		ch := &t.children[i]
		f := v.Field(ch.field)
		if ch.slice {
			for j := 0; j < f.Len(); j++ {
				cp := path{up: p, name: ch.name, idx: j}
				cv := f.Index(j)
				c.link(t, v, id, ch, cv, &cp, p)
				c.entity(ch.t, cv, &cp, depth+1)
			}
		} else if !f.IsNil() {
			cp := path{up: p, name: ch.name, idx: -1}
			cv := f.Elem()
			c.link(t, v, id, ch, cv, &cp, p)
			c.entity(ch.t, cv, &cp, depth+1)
		}
	}
	c.streetless = outer
}

// link checks that a nested object and its holder agree on the key that
// ties them.
func (c *checker) link(pt *table, pv reflect.Value, pid string, ch *child, cv reflect.Value, cp, pp *path) {
	switch ch.link {
	case linkForward, linkPoly:
		ref := cv.Field(ch.t.fields[ch.col]).String()
		if ref != "" && pid != "" && !sameID(ref, pid) {
			c.add(cp.field(ch.t.columns[ch.col].name), "%s does not match the id of the %s holding it (%s)", quote(ref), pt.label, quote(pid))
		}
	case linkReverse:
		ref := pv.Field(pt.fields[ch.col]).String()
		cid := idOf(cv)
		if ref != "" && cid != "" && !sameID(ref, cid) {
			c.add(pp.field(pt.columns[ch.col].name), "%s does not match %s.id (%s)", quote(ref), ch.name, quote(cid))
		}
	}
}

// columns checks the scalar fields of one object.
func (c *checker) columns(t *table, v reflect.Value, p *path) {
	in := &infos[t.index]
	for ci := range t.columns {
		col := &t.columns[ci]
		f := v.Field(t.fields[ci])
		required := col.required
		if c.tabular {
			required = col.tabRequired
		}
		switch col.typ {
		case "number":
			if f.IsNil() {
				if required {
					c.add(p.field(col.name), "required field is missing")
				}
				continue
			}
			c.number(p, col, in.rules[ci], f.Elem().Float())
		case "boolean":
			if f.IsNil() && required {
				c.add(p.field(col.name), "required field is missing")
			}
		default:
			s := f.String()
			if s == "" {
				if required && !in.emptyOK[ci] && !(c.streetless && streetOptional(t, col)) {
					c.add(p.field(col.name), "%s", missingReason(t, col))
				}
				continue
			}
			if reason := checkText(col, in.rules[ci], s); reason != "" {
				c.add(p.field(col.name), "%s", reason)
			}
		}
	}
	switch t.name {
	case "service":
		lo, hi := v.Field(t.fields[t.colIndex["minimum_age"]]), v.Field(t.fields[t.colIndex["maximum_age"]])
		if !lo.IsNil() && !hi.IsNil() && lo.Elem().Float() > hi.Elem().Float() {
			c.add(p.field("minimum_age"), "minimum_age %s is above maximum_age %s", formatNumber(lo.Elem().Float()), formatNumber(hi.Elem().Float()))
		}
	case "service_capacity":
		// The JSON form nests the unit itself; the tabular form has unit_id.
		if !c.tabular && v.FieldByName("Unit").IsNil() {
			c.add(p.field("unit"), "required field is missing")
		}
	case "schedule", "cost_option":
		from, to := v.Field(t.fields[t.colIndex["valid_from"]]).String(), v.Field(t.fields[t.colIndex["valid_to"]]).String()
		if validDate(from) && validDate(to) && from > to {
			c.add(p.field("valid_from"), "valid_from %s is after valid_to %s", from, to)
		}
	}
}

func (c *checker) number(p *path, col *column, r *rule, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.add(p.field(col.name), "%v is not a finite number", x)
		return
	}
	if r == nil || !r.hasRange {
		return
	}
	if x < r.min || x > r.max {
		c.add(p.field(col.name), "%s is out of range %s..%s", formatNumber(x), formatNumber(r.min), formatNumber(r.max))
		return
	}
	if r.integer && x != math.Trunc(x) {
		c.add(p.field(col.name), "%s is not a whole number", formatNumber(x))
	}
}

// webAddress names the uri columns that hold a web address Haven shows as
// a link and checks: only http and https are accepted there. Other uri
// columns are identifiers (urn:, mailto: … allowed, javascript: and data:
// not).
var webAddress = map[string]bool{"url": true, "website": true, "schedule_link": true}

// checkText checks one non-empty text value and returns a reason or "".
func checkText(col *column, r *rule, s string) string {
	if !utf8.ValidString(s) {
		return "text is not valid UTF-8"
	}
	if len(s) > MaxTextBytes {
		return fmt.Sprintf("text of %d bytes is longer than the limit of %d bytes", len(s), MaxTextBytes)
	}
	switch col.format {
	case "uuid":
		if !ValidUUID(s) {
			return fmt.Sprintf("%s is not a UUID (36 characters such as 3f7b145d-84af-42d7-8fae-eaca714b02b2)", quote(s))
		}
	case "email":
		if !validEmail(s) {
			return fmt.Sprintf("%s is not an e-mail address", quote(s))
		}
	case "uri":
		check := weburl.URIProblem
		if webAddress[col.name] {
			check = weburl.WebProblem
		}
		if p := check(strings.TrimSpace(s)); p != "" {
			return p
		}
	}
	switch col.typ {
	case "date":
		if !validDate(s) {
			return fmt.Sprintf("%s is not a date (YYYY-MM-DD)", quote(s))
		}
	case "datetime":
		if !validDateTime(s) {
			return fmt.Sprintf("%s is not an RFC 3339 date-time (such as 2023-03-15T10:30:45.123Z)", quote(s))
		}
	case "time":
		if !validTime(s) {
			return fmt.Sprintf("%s is not a time (HH:MM or HH:MM:SS, optionally with Z or ±HH:MM)", quote(s))
		}
	}
	if r != nil {
		if r.enum != nil && !oneOf(s, r.enum) {
			return fmt.Sprintf("%s is not one of %s", quote(s), strings.Join(r.enum, ", "))
		}
		if r.check != nil {
			return r.check(s)
		}
	}
	return ""
}

// track notes the object's id and content, reporting an id already used
// for a different object of the same table.
func (c *checker) track(t *table, v reflect.Value, p *path) {
	if c.seen == nil {
		return
	}
	id := idOf(v)
	u, ok := parseUUID(id)
	if !ok {
		return
	}
	k := entityKey{uint8(t.index), u}
	h := fingerprint(t, v)
	old, ok := c.seen[k]
	if !ok {
		c.seen[k] = entitySeen{hash: h, rec: c.rec, line: c.line}
		return
	}
	if old.hash == h {
		return
	}
	if old.rec == c.rec {
		c.add(p.field("id"), "duplicate id %s: another %s with this id and different content appears earlier in this record", id, t.label)
	} else {
		c.add(p.field("id"), "duplicate id %s: another %s with this id and different content appears at line %d", id, t.label, old.line)
	}
}

// fingerprint hashes (FNV-1a) the columns of an object other than links.
func fingerprint(t *table, v reflect.Value) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	in := &infos[t.index]
	for ci := range t.columns {
		if in.fingerprintN[ci] {
			continue
		}
		f := v.Field(t.fields[ci])
		switch t.columns[ci].typ {
		case "number":
			if f.IsNil() {
				h = (h ^ 0xfe) * prime
				continue
			}
			bits := math.Float64bits(f.Elem().Float())
			for i := 0; i < 8; i++ {
				h = (h ^ (bits & 0xff)) * prime
				bits >>= 8
			}
		case "boolean":
			switch {
			case f.IsNil():
				h = (h ^ 0xfe) * prime
			case f.Elem().Bool():
				h = (h ^ 1) * prime
			default:
				h = (h ^ 0) * prime
			}
		default:
			s := f.String()
			for i := 0; i < len(s); i++ {
				h = (h ^ uint64(s[i])) * prime
			}
		}
		h = (h ^ 0xff) * prime
	}
	return h
}

func validateValue(t *table, v reflect.Value) []*FieldError {
	c := &checker{seen: map[entityKey]entitySeen{}}
	if id := idOf(v); id != "" {
		c.record = t.label + " " + id
	}
	c.entity(t, v, nil, 1)
	return c.errs
}

func validateAny[T any](x *T) []*FieldError {
	v := reflect.ValueOf(x).Elem()
	return validateValue(tableByType[v.Type()], v)
}

// Validate checks the service and everything nested in it against HSDS 3.1
// and Haven's rules: required fields, UUIDs, enumerations, formats, ranges,
// text size and UTF-8, agreement of nested objects with the keys that tie
// them, and one id naming two different objects of the same kind. It returns
// nil when all is well.
func (s *Service) Validate() []*FieldError { return validateAny(s) }

// Validate checks the organization and everything nested in it; see
// Service.Validate.
func (o *Organization) Validate() []*FieldError { return validateAny(o) }

// Validate checks the service at location and everything nested in it; see
// Service.Validate.
func (s *ServiceAtLocation) Validate() []*FieldError { return validateAny(s) }

// Validate checks the location and everything nested in it; see
// Service.Validate.
func (l *Location) Validate() []*FieldError { return validateAny(l) }

// Validate checks the taxonomy; see Service.Validate.
func (t *Taxonomy) Validate() []*FieldError { return validateAny(t) }

// Validate checks the taxonomy term and its taxonomy; see Service.Validate.
func (t *TaxonomyTerm) Validate() []*FieldError { return validateAny(t) }

// Validate checks the program; see Service.Validate.
func (p *Program) Validate() []*FieldError { return validateAny(p) }

// Validate checks the meta table description; see Service.Validate.
func (m *MetaTableDescription) Validate() []*FieldError { return validateAny(m) }

// Validate checks the service capacity and its unit; see Service.Validate.
func (c *ServiceCapacity) Validate() []*FieldError { return validateAny(c) }
