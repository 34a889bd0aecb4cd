package hsds

import (
	"fmt"
	"reflect"
	"strings"
)

// column is one field of a table of the tabular form (datapackage.json), which
// is also a scalar property of the matching JSON object.
type column struct {
	name string
	// typ is the Frictionless type from datapackage.json: string, number,
	// date, datetime, time or boolean.
	typ string
	// format is the JSON Schema format: uuid, email or uri.
	format string
	// required: listed in the JSON schema's "required".
	required bool
	// tabRequired: required in the tabular form (datapackage.json), which
	// adds the schema's "tabular_required" (mostly foreign keys).
	tabRequired bool
	// ref names the table a foreign key points to.
	ref string
	// extra marks a Haven extension column (x_...), written after the
	// standard ones.
	extra bool
}

// The Haven extension columns of services.csv and organizations.csv.
var extraColumns = []column{
	{name: "x_last_verified", typ: "date", extra: true},
	{name: "x_sample", typ: "boolean", extra: true},
}

// translationsColumn is Haven's extension column of services.csv: the
// service's texts in other languages, as a JSON object (translations.go).
var translationsColumn = column{name: "x_translations", typ: "string", extra: true}

// confidentialColumn is Haven's extension column of locations.csv.
var confidentialColumn = column{name: "x_confidential", typ: "boolean", extra: true}

// table describes one HSDS object: its CSV file, its columns and how its Go
// struct nests other objects.
type table struct {
	name    string
	path    string
	columns []column

	goType   reflect.Type
	index    int            // position in tables
	fields   []int          // struct field index of each column
	colIndex map[string]int // column name -> position in columns
	children []child
	label    string // human name, e.g. "service at location"
}

// linkKind says how a nested object is tied to the object holding it.
type linkKind uint8

const (
	// linkForward: the child has a foreign key to the parent (phone.service_id).
	linkForward linkKind = iota
	// linkReverse: the parent has a foreign key to the child
	// (service.organization_id for service.organization).
	linkReverse
	// linkPoly: attribute.link_id / metadata.resource_id, which may point
	// at any table.
	linkPoly
)

// child is a struct field holding nested objects.
type child struct {
	name  string // JSON property
	field int    // struct field index
	slice bool   // []T rather than *T
	t     *table
	link  linkKind
	// col: for linkForward and linkPoly, the column of the child holding
	// the parent's id; for linkReverse, the column of the parent holding the
	// child's id.
	col int
	// entityCol: for linkPoly, the child's column naming the parent's table
	// (link_entity, resource_type); -1 otherwise.
	entityCol int
	// apiOnly: Organization.services and ServiceAtLocation.service. They
	// exist only in API documents; the tabular form cannot hold them (they
	// would make cycles), so ReadPackage never fills them.
	apiOnly bool
}

// tables lists every HSDS 3.1 table in the order of its datapackage.json,
// with the fields of each in that file's order.
var tables = []*table{
	{name: "organization", path: "organizations.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "alternate_name", typ: "string"},
		{name: "description", typ: "string", required: true, tabRequired: true},
		{name: "email", typ: "string", format: "email"},
		{name: "website", typ: "string", format: "uri"},
		{name: "tax_status", typ: "string"},
		{name: "tax_id", typ: "string"},
		{name: "year_incorporated", typ: "number"},
		{name: "legal_status", typ: "string"},
		{name: "logo", typ: "string"},
		{name: "uri", typ: "string", format: "uri"},
		{name: "parent_organization_id", typ: "string", format: "uuid"},
	}},
	{name: "program", path: "programs.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "organization_id", typ: "string", tabRequired: true, format: "uuid", ref: "organization"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "alternate_name", typ: "string"},
		{name: "description", typ: "string", required: true, tabRequired: true},
	}},
	{name: "service", path: "services.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "organization_id", typ: "string", tabRequired: true, format: "uuid", ref: "organization"},
		{name: "program_id", typ: "string", format: "uuid", ref: "program"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "alternate_name", typ: "string"},
		{name: "description", typ: "string"},
		{name: "url", typ: "string", format: "uri"},
		{name: "email", typ: "string", format: "email"},
		{name: "status", typ: "string", required: true, tabRequired: true},
		{name: "interpretation_services", typ: "string"},
		{name: "application_process", typ: "string"},
		{name: "fees_description", typ: "string"},
		{name: "wait_time", typ: "string"},
		{name: "fees", typ: "string"},
		{name: "accreditations", typ: "string"},
		{name: "eligibility_description", typ: "string"},
		{name: "minimum_age", typ: "number"},
		{name: "maximum_age", typ: "number"},
		{name: "assured_date", typ: "date"},
		{name: "assurer_email", typ: "string", format: "email"},
		{name: "licenses", typ: "string"},
		{name: "alert", typ: "string"},
		{name: "last_modified", typ: "datetime"},
	}},
	{name: "attribute", path: "attributes.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "link_id", typ: "string", tabRequired: true, format: "uuid"},
		{name: "taxonomy_term_id", typ: "string", tabRequired: true, format: "uuid", ref: "taxonomy_term"},
		{name: "link_type", typ: "string"},
		{name: "link_entity", typ: "string", tabRequired: true},
		{name: "value", typ: "string"},
		{name: "label", typ: "string"},
	}},
	{name: "service_at_location", path: "service_at_location.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", tabRequired: true, format: "uuid", ref: "service"},
		{name: "location_id", typ: "string", tabRequired: true, format: "uuid", ref: "location"},
		{name: "description", typ: "string"},
	}},
	{name: "location", path: "locations.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "location_type", typ: "string", required: true, tabRequired: true},
		{name: "url", typ: "string", format: "uri"},
		{name: "organization_id", typ: "string", format: "uuid", ref: "organization"},
		{name: "name", typ: "string"},
		{name: "alternate_name", typ: "string"},
		{name: "description", typ: "string"},
		{name: "transportation", typ: "string"},
		{name: "latitude", typ: "number"},
		{name: "longitude", typ: "number"},
		{name: "external_identifier", typ: "string"},
		{name: "external_identifier_type", typ: "string"},
	}},
	{name: "phone", path: "phones.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "organization_id", typ: "string", format: "uuid", ref: "organization"},
		{name: "contact_id", typ: "string", format: "uuid", ref: "contact"},
		{name: "service_at_location_id", typ: "string", format: "uuid", ref: "service_at_location"},
		{name: "number", typ: "string", required: true, tabRequired: true},
		{name: "extension", typ: "number"},
		{name: "type", typ: "string"},
		{name: "description", typ: "string"},
	}},
	{name: "contact", path: "contacts.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "organization_id", typ: "string", format: "uuid", ref: "organization"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "service_at_location_id", typ: "string", format: "uuid", ref: "service_at_location"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "name", typ: "string"},
		{name: "title", typ: "string"},
		{name: "department", typ: "string"},
		{name: "email", typ: "string", format: "email"},
	}},
	{name: "address", path: "addresses.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "attention", typ: "string"},
		{name: "address_1", typ: "string", required: true, tabRequired: true},
		{name: "address_2", typ: "string"},
		{name: "city", typ: "string", required: true, tabRequired: true},
		{name: "region", typ: "string"},
		{name: "state_province", typ: "string", required: true, tabRequired: true},
		{name: "postal_code", typ: "string", required: true, tabRequired: true},
		{name: "country", typ: "string", required: true, tabRequired: true},
		{name: "address_type", typ: "string", required: true, tabRequired: true},
	}},
	{name: "schedule", path: "schedules.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "service_at_location_id", typ: "string", format: "uuid", ref: "service_at_location"},
		{name: "valid_from", typ: "date"},
		{name: "valid_to", typ: "date"},
		{name: "dtstart", typ: "date"},
		{name: "timezone", typ: "number"},
		{name: "until", typ: "date"},
		{name: "count", typ: "number"},
		{name: "wkst", typ: "string"},
		{name: "freq", typ: "string"},
		{name: "interval", typ: "number"},
		{name: "byday", typ: "string"},
		{name: "byweekno", typ: "string"},
		{name: "bymonthday", typ: "string"},
		{name: "byyearday", typ: "string"},
		{name: "description", typ: "string"},
		{name: "opens_at", typ: "time"},
		{name: "closes_at", typ: "time"},
		{name: "schedule_link", typ: "string", format: "uri"},
		{name: "attending_type", typ: "string"},
		{name: "notes", typ: "string"},
	}},
	{name: "funding", path: "funding.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "organization_id", typ: "string", format: "uuid", ref: "organization"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "source", typ: "string"},
	}},
	{name: "service_area", path: "service_areas.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "service_at_location_id", typ: "string", format: "uuid", ref: "service_at_location"},
		{name: "name", typ: "string"},
		{name: "description", typ: "string"},
		{name: "extent", typ: "string"},
		{name: "extent_type", typ: "string"},
		{name: "uri", typ: "string"},
	}},
	{name: "required_document", path: "required_documents.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "document", typ: "string"},
		{name: "uri", typ: "string", format: "uri"},
	}},
	{name: "language", path: "languages.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "phone_id", typ: "string", format: "uuid", ref: "phone"},
		{name: "name", typ: "string"},
		{name: "code", typ: "string"},
		{name: "note", typ: "string"},
	}},
	{name: "accessibility", path: "accessibility.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "location_id", typ: "string", format: "uuid", ref: "location"},
		{name: "description", typ: "string"},
		{name: "details", typ: "string"},
		{name: "url", typ: "string", format: "uri"},
	}},
	{name: "taxonomy_term", path: "taxonomy_terms.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "code", typ: "string"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "description", typ: "string", required: true, tabRequired: true},
		{name: "parent_id", typ: "string", format: "uuid"},
		{name: "taxonomy", typ: "string"},
		{name: "language", typ: "string"},
		{name: "taxonomy_id", typ: "string", format: "uuid", ref: "taxonomy"},
		{name: "term_uri", typ: "string", format: "uri"},
	}},
	{name: "metadata", path: "metadata.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "resource_id", typ: "string", tabRequired: true, format: "uuid"},
		{name: "resource_type", typ: "string", tabRequired: true},
		{name: "last_action_date", typ: "date", required: true, tabRequired: true},
		{name: "last_action_type", typ: "string", required: true, tabRequired: true},
		{name: "field_name", typ: "string", required: true, tabRequired: true},
		{name: "previous_value", typ: "string", required: true, tabRequired: true},
		{name: "replacement_value", typ: "string", required: true, tabRequired: true},
		{name: "updated_by", typ: "string", required: true, tabRequired: true},
	}},
	{name: "meta_table_description", path: "meta_table_descriptions.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "name", typ: "string"},
		{name: "language", typ: "string"},
		{name: "character_set", typ: "string"},
	}},
	{name: "cost_option", path: "cost_options.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", tabRequired: true, format: "uuid", ref: "service"},
		{name: "valid_from", typ: "date"},
		{name: "valid_to", typ: "date"},
		{name: "option", typ: "string"},
		{name: "currency", typ: "string"},
		{name: "amount", typ: "number"},
		{name: "amount_description", typ: "string"},
	}},
	{name: "organization_identifier", path: "organization_identifiers.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "organization_id", typ: "string", tabRequired: true, format: "uuid", ref: "organization"},
		{name: "identifier_scheme", typ: "string"},
		{name: "identifier_type", typ: "string", required: true, tabRequired: true},
		{name: "identifier", typ: "string", required: true, tabRequired: true},
	}},
	{name: "taxonomy", path: "taxonomies.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "description", typ: "string", required: true, tabRequired: true},
		{name: "uri", typ: "string", format: "uri"},
		{name: "version", typ: "string"},
	}},
	// HSDS 3.1's datapackage.json lists only the keys of service_capacity
	// and nothing of unit; their columns are the scalar properties of
	// schema/service_capacity.json and schema/unit.json, as the 3.1 CSV
	// example writes them.
	{name: "service_capacity", path: "service_capacity.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "service_id", typ: "string", tabRequired: true, format: "uuid", ref: "service"},
		{name: "unit_id", typ: "string", tabRequired: true, format: "uuid", ref: "unit"},
		{name: "available", typ: "number", required: true, tabRequired: true},
		{name: "maximum", typ: "number"},
		{name: "description", typ: "string"},
		{name: "updated", typ: "datetime", required: true, tabRequired: true},
	}},
	{name: "unit", path: "units.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "name", typ: "string", required: true, tabRequired: true},
		{name: "scheme", typ: "string"},
		{name: "identifier", typ: "string"},
		{name: "uri", typ: "string", format: "uri"},
	}},
	{name: "url", path: "url.csv", columns: []column{
		{name: "id", typ: "string", required: true, tabRequired: true, format: "uuid"},
		{name: "label", typ: "string"},
		{name: "url", typ: "string", required: true, tabRequired: true, format: "uri"},
		{name: "organization_id", typ: "string", format: "uuid", ref: "organization"},
		{name: "service_id", typ: "string", format: "uuid", ref: "service"},
	}}}

var (
	tableByName = map[string]*table{}
	tableByType = map[reflect.Type]*table{}
)

// goTypes maps each table to its struct.
var goTypes = map[string]any{
	"organization":            Organization{},
	"program":                 Program{},
	"service":                 Service{},
	"attribute":               Attribute{},
	"service_at_location":     ServiceAtLocation{},
	"location":                Location{},
	"phone":                   Phone{},
	"contact":                 Contact{},
	"address":                 Address{},
	"schedule":                Schedule{},
	"funding":                 Funding{},
	"service_area":            ServiceArea{},
	"required_document":       RequiredDocument{},
	"language":                Language{},
	"accessibility":           Accessibility{},
	"taxonomy_term":           TaxonomyTerm{},
	"metadata":                Metadata{},
	"meta_table_description":  MetaTableDescription{},
	"cost_option":             CostOption{},
	"organization_identifier": OrganizationIdentifier{},
	"taxonomy":                Taxonomy{},
	"service_capacity":        ServiceCapacity{},
	"unit":                    Unit{},
	"url":                     URL{},
}

var (
	stringType  = reflect.TypeFor[string]()
	numberType  = reflect.TypeFor[*float64]()
	booleanType = reflect.TypeFor[*bool]()
)

func init() {
	for i, t := range tables {
		t.index = i
		t.label = strings.ReplaceAll(t.name, "_", " ")
		t.goType = reflect.TypeOf(goTypes[t.name])
		if t.name == "service" || t.name == "organization" {
			t.columns = append(t.columns, extraColumns...)
		}
		if t.name == "service" {
			t.columns = append(t.columns, translationsColumn)
		}
		if t.name == "location" {
			t.columns = append(t.columns, confidentialColumn)
		}
		tableByName[t.name] = t
		tableByType[t.goType] = t
	}
	for _, t := range tables {
		t.colIndex = map[string]int{}
		byJSON := map[string]int{}
		for i := range t.goType.NumField() {
			name, _, _ := strings.Cut(t.goType.Field(i).Tag.Get("json"), ",")
			byJSON[name] = i
		}
		for ci, c := range t.columns {
			fi, ok := byJSON[c.name]
			if !ok {
				panic(fmt.Sprintf("hsds: %s has no field for column %s", t.goType, c.name))
			}
			want := stringType
			switch c.typ {
			case "number":
				want = numberType
			case "boolean":
				want = booleanType
			}
			// A text column may be a named string type with its own JSON
			// form (Translations).
			if ft := t.goType.Field(fi).Type; ft != want && !(want == stringType && ft.Kind() == reflect.String) {
				panic(fmt.Sprintf("hsds: %s.%s is %s, want %s", t.goType, c.name, ft, want))
			}
			t.fields = append(t.fields, fi)
			t.colIndex[c.name] = ci
		}
	}
	for _, t := range tables {
		byJSON := map[string]int{}
		for i := range t.goType.NumField() {
			name, _, _ := strings.Cut(t.goType.Field(i).Tag.Get("json"), ",")
			if _, isCol := t.colIndex[name]; !isCol {
				byJSON[name] = i
			}
		}
		// Every other field nests objects.
		for name, fi := range byJSON {
			ft := t.goType.Field(fi).Type
			ch := child{name: name, field: fi, entityCol: -1}
			switch ft.Kind() {
			case reflect.Slice:
				ch.slice = true
				ch.t = tableByType[ft.Elem()]
			case reflect.Pointer:
				ch.t = tableByType[ft.Elem()]
			}
			if ch.t == nil {
				panic(fmt.Sprintf("hsds: %s.%s is neither a column nor nested objects", t.goType, name))
			}
			ch.apiOnly = (t.name == "organization" && name == "services") ||
				(t.name == "service_at_location" && name == "service")
			ch.col = -1
			switch {
			case ch.t.name == "attribute":
				ch.link, ch.col, ch.entityCol = linkPoly, ch.t.colIndex["link_id"], ch.t.colIndex["link_entity"]
			case ch.t.name == "metadata":
				ch.link, ch.col, ch.entityCol = linkPoly, ch.t.colIndex["resource_id"], ch.t.colIndex["resource_type"]
			default:
				for ci, c := range ch.t.columns {
					if c.ref == t.name {
						ch.link, ch.col = linkForward, ci
					}
				}
				if ch.col < 0 {
					for ci, c := range t.columns {
						if c.ref == ch.t.name {
							ch.link, ch.col = linkReverse, ci
						}
					}
				}
			}
			if ch.col < 0 {
				panic(fmt.Sprintf("hsds: no key ties %s.%s to %s", t.name, name, ch.t.name))
			}
			t.children = append(t.children, ch)
		}
		// Map iteration above is random: keep struct order.
		sortChildren(t.children)
		if t.columns[0].name != "id" || t.fields[0] != 0 {
			panic("hsds: id must be the first column and field of " + t.name)
		}
	}
	attachRules()
}

func sortChildren(cs []child) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].field < cs[j-1].field; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// idOf returns the id of a struct value of table t.
func idOf(v reflect.Value) string { return v.Field(0).String() }
