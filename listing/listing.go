// Package listing holds the text forms in which curators edit directory
// listings: a service's hours typed one schedule a line, its languages and
// categories as comma-separated codes, a location's first address and
// coordinates as plain fields. The web forms show and read these forms; the
// store applies them and writes them to the audit trail.
package listing

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/phone"
)

// ServiceFields are the fields of a service curators edit through the web
// form, by their HSDS names, and three written as text: "phone" (the first
// phone number), "languages" (ISO 639-1 codes, comma-separated), "hours"
// (one weekly schedule a line, "MO,TU,WE,TH,FR 09:00-17:00"),
// "categories" (codes of Haven's taxonomy, comma-separated) and
// "service_areas" (areas.go: one area a line).
var ServiceFields = []string{"name", "alternate_name", "description", "status", "eligibility_description",
	"application_process", "fees_description", "url", "email", "phone", "languages", "hours", "categories", "service_areas"}

// textField reads and writes one field of a service as text.
type textField struct {
	get func(s *hsds.Service) string
	set func(s *hsds.Service, v string, category CategoryLookup) error
}

func plain(f func(s *hsds.Service) *string) textField {
	return textField{
		get: func(s *hsds.Service) string { return *f(s) },
		set: func(s *hsds.Service, v string, _ CategoryLookup) error { *f(s) = v; return nil },
	}
}

var serviceTextFields = map[string]textField{
	"name":                    plain(func(s *hsds.Service) *string { return &s.Name }),
	"alternate_name":          plain(func(s *hsds.Service) *string { return &s.AlternateName }),
	"description":             plain(func(s *hsds.Service) *string { return &s.Description }),
	"status":                  plain(func(s *hsds.Service) *string { return &s.Status }),
	"eligibility_description": plain(func(s *hsds.Service) *string { return &s.EligibilityDescription }),
	"application_process":     plain(func(s *hsds.Service) *string { return &s.ApplicationProcess }),
	"fees_description":        plain(func(s *hsds.Service) *string { return &s.FeesDescription }),
	"url":                     plain(func(s *hsds.Service) *string { return &s.URL }),
	"email":                   plain(func(s *hsds.Service) *string { return &s.Email }),
	"x_last_verified":         plain(func(s *hsds.Service) *string { return &s.XLastVerified }),
	"phone": {
		get: func(s *hsds.Service) string {
			if len(s.Phones) == 0 {
				return ""
			}
			return phone.Text(s.Phones[0].Number, extText(s.Phones[0].Extension))
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			var number, ext string
			if v != "" {
				var ok bool
				if number, ext, ok = phone.Parse(v, ServiceRegion(s)); !ok {
					return haven.Errorf(haven.EINVALID, "%q is not a phone number; write it as dialed, such as (979) 555-0101 ext. 12 or +52 55 5555 1234.", v)
				}
			}
			switch {
			case v == "" && len(s.Phones) > 0:
				s.Phones = s.Phones[1:]
			case v == "":
			case len(s.Phones) == 0:
				s.Phones = []hsds.Phone{{ID: newID(), ServiceID: s.ID, Number: number, Extension: extNumber(ext)}}
			default:
				s.Phones[0].Number, s.Phones[0].Extension = number, extNumber(ext)
			}
			if len(s.Phones) == 0 {
				s.Phones = nil
			}
			return nil
		},
	},
	"languages": {
		get: func(s *hsds.Service) string {
			var codes []string
			for _, l := range s.Languages {
				codes = append(codes, l.Code)
			}
			return strings.Join(codes, ", ")
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			old := map[string]hsds.Language{}
			for _, l := range s.Languages {
				old[l.Code] = l
			}
			var out []hsds.Language
			for _, code := range splitList(v) {
				code = strings.ToLower(code)
				if !languageCode.MatchString(code) {
					return haven.Errorf(haven.EINVALID, "%q is not an ISO 639-1 language code such as en or es.", code)
				}
				l, ok := old[code]
				if !ok {
					l = hsds.Language{ID: newID(), ServiceID: s.ID, Code: code}
				}
				out = append(out, l)
			}
			s.Languages = out
			return nil
		},
	},
	"hours": {
		get: func(s *hsds.Service) string {
			var lines []string
			for _, sc := range s.Schedules {
				if sc.OpensAt != "" || sc.ClosesAt != "" {
					lines = append(lines, strings.TrimSpace(sc.ByDay+" "+hm(sc.OpensAt)+"-"+hm(sc.ClosesAt)))
				}
			}
			return strings.Join(lines, "\n")
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			var kept []hsds.Schedule
			for _, sc := range s.Schedules {
				if sc.OpensAt == "" && sc.ClosesAt == "" {
					kept = append(kept, sc) // schedules not written as hours stay
				}
			}
			for n, line := range strings.Split(v, "\n") {
				line = strings.TrimSpace(line)
				if line == "" {
					continue
				}
				m := hoursLine.FindStringSubmatch(strings.ToUpper(line))
				if m == nil {
					return haven.Errorf(haven.EINVALID, "Hours line %d, %q: write days and times like \"MO,TU,WE 09:00-17:00\".", n+1, line)
				}
				kept = append(kept, hsds.Schedule{ID: newID(), ServiceID: s.ID, Freq: "WEEKLY", ByDay: m[1], OpensAt: m[2], ClosesAt: m[3]})
			}
			s.Schedules = kept
			return nil
		},
	},
	"categories": {
		get: func(s *hsds.Service) string {
			var codes []string
			for _, a := range s.Attributes {
				if a.TaxonomyTerm != nil && slices.Contains(haven.Categories, a.TaxonomyTerm.Code) {
					codes = append(codes, a.TaxonomyTerm.Code)
				}
			}
			return strings.Join(codes, ", ")
		},
		set: func(s *hsds.Service, v string, category CategoryLookup) error {
			var out []hsds.Attribute
			have := map[string]hsds.Attribute{}
			for _, a := range s.Attributes {
				if a.TaxonomyTerm != nil && slices.Contains(haven.Categories, a.TaxonomyTerm.Code) {
					have[a.TaxonomyTerm.Code] = a
				} else {
					out = append(out, a) // terms of other taxonomies stay
				}
			}
			for _, code := range splitList(v) {
				if a, ok := have[code]; ok {
					out = append(out, a)
					continue
				}
				termID, err := category(code)
				if err != nil {
					return err
				}
				out = append(out, hsds.Attribute{ID: newID(), LinkID: s.ID, LinkEntity: "service", TaxonomyTermID: termID})
			}
			s.Attributes = out
			return nil
		},
	},
}

var (
	languageCode = regexp.MustCompile(`^[a-z]{2}$`)
	hoursLine    = regexp.MustCompile(`^((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)\s+([0-2][0-9]:[0-5][0-9])\s*-\s*([0-2][0-9]:[0-5][0-9])$`)
)

// RestorePhone sets a service's first phone back to text as an audit line
// wrote it, without reading it as a number: an undo puts back what was
// there, a number imported as given included.
func RestorePhone(s *hsds.Service, text string) {
	if text == "" {
		SetServiceField(s, "phone", "", nil)
		return
	}
	number, ext := phone.Split(text)
	if len(s.Phones) == 0 {
		s.Phones = []hsds.Phone{{ID: newID(), ServiceID: s.ID}}
	}
	s.Phones[0].Number, s.Phones[0].Extension = number, extNumber(ext)
}

// RestoreOrganizationPhone is RestorePhone for an organization.
func RestoreOrganizationPhone(o *hsds.Organization, text string) {
	if text == "" {
		SetOrganizationPhone(o, "")
		return
	}
	number, ext := phone.Split(text)
	if len(o.Phones) == 0 {
		o.Phones = []hsds.Phone{{ID: newID(), OrganizationID: o.ID}}
	}
	o.Phones[0].Number, o.Phones[0].Extension = number, extNumber(ext)
}

// ServiceRegion is the country a service's numbers written without a
// country code belong to: its first location's.
func ServiceRegion(s *hsds.Service) string {
	for _, sal := range s.ServiceAtLocations {
		if sal.Location != nil {
			for _, a := range sal.Location.Addresses {
				if a.Country != "" {
					return a.Country
				}
			}
		}
	}
	return phone.DefaultRegion
}

// OrganizationPhone returns an organization's first phone as text.
func OrganizationPhone(o *hsds.Organization) string {
	if len(o.Phones) == 0 {
		return ""
	}
	return phone.Text(o.Phones[0].Number, extText(o.Phones[0].Extension))
}

// SetOrganizationPhone sets an organization's first phone from typed text,
// normalized; "" removes it. EINVALID for text that is not a number.
func SetOrganizationPhone(o *hsds.Organization, v string) error {
	if v == "" {
		if len(o.Phones) > 0 {
			o.Phones = o.Phones[1:]
		}
		if len(o.Phones) == 0 {
			o.Phones = nil
		}
		return nil
	}
	number, ext, ok := phone.Parse(v, phone.DefaultRegion)
	if !ok {
		return haven.Errorf(haven.EINVALID, "%q is not a phone number; write it as dialed, such as (979) 555-0101 ext. 12 or +52 55 5555 1234.", v)
	}
	if len(o.Phones) == 0 {
		o.Phones = []hsds.Phone{{ID: newID(), OrganizationID: o.ID}}
	}
	o.Phones[0].Number, o.Phones[0].Extension = number, extNumber(ext)
	return nil
}

// HSDS 3.0 gives a phone's extension as a number.
func extText(e *float64) string {
	if e == nil {
		return ""
	}
	return strconv.FormatFloat(*e, 'f', -1, 64)
}

func extNumber(s string) *float64 {
	f, err := strconv.ParseFloat(s, 64)
	if s == "" || err != nil {
		return nil
	}
	return &f
}

// NormalizePhones stores each phone of a service (its own, its locations',
// its organization's) that reads as a number in E.164, its extension
// apart; one that does not read stays as given, for a curator to see. It
// returns the numbers that did not read.
func NormalizePhones(s *hsds.Service) (unread []string) {
	region := ServiceRegion(s)
	fix := func(ps []hsds.Phone) {
		for i := range ps {
			p := &ps[i]
			text := p.Number
			if e := extText(p.Extension); e != "" {
				text += " ext. " + e
			}
			if number, ext, ok := phone.Parse(text, region); ok {
				p.Number, p.Extension = number, extNumber(ext)
			} else if p.Number != "" {
				unread = append(unread, p.Number)
			}
		}
	}
	fix(s.Phones)
	for i := range s.ServiceAtLocations {
		fix(s.ServiceAtLocations[i].Phones)
		if l := s.ServiceAtLocations[i].Location; l != nil {
			fix(l.Phones)
		}
	}
	if s.Organization != nil {
		fix(s.Organization.Phones)
	}
	for i := range s.Contacts {
		fix(s.Contacts[i].Phones)
	}
	return unread
}

func hm(t string) string {
	if len(t) >= 5 {
		return t[:5]
	}
	return t
}

func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ServiceText returns a service's editable fields as text.
func ServiceText(s *hsds.Service) map[string]string {
	out := map[string]string{}
	for _, f := range ServiceFields {
		out[f] = serviceTextFields[f].get(s)
	}
	return out
}

// CategoryLookup returns the id of the term of Haven's category taxonomy
// with the given code: EINVALID when there is none.
type CategoryLookup func(code string) (termID string, err error)

// ServiceField returns one field of a service as text, and whether the
// field is one curators edit (ServiceFields, and "x_last_verified").
func ServiceField(s *hsds.Service, field string) (string, bool) {
	f, ok := serviceTextFields[field]
	if !ok {
		return "", false
	}
	return f.get(s), true
}

// SetServiceField sets one field of a service from its text; category
// resolves the codes of the "categories" field. EINVALID for an unknown
// field or a value not in its form.
func SetServiceField(s *hsds.Service, field, value string, category CategoryLookup) error {
	f, ok := serviceTextFields[field]
	if !ok {
		return haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
	}
	return f.set(s, value, category)
}

// newID makes a random (version 4) UUID, as the store does.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// OrganizationFields are the fields of an organization curators edit;
// "phone" is its first phone number.
var OrganizationFields = []string{"name", "alternate_name", "description", "email", "website", "phone"}

// OrganizationField returns the field of o a curator edits by name (see
// OrganizationFields, and "x_last_verified"), or nil for an unknown name;
// "phone" makes o a first phone when it has none.
func OrganizationField(o *hsds.Organization, name string) *string {
	switch name {
	case "name":
		return &o.Name
	case "alternate_name":
		return &o.AlternateName
	case "description":
		return &o.Description
	case "email":
		return &o.Email
	case "website":
		return &o.Website
	case "phone":
		if len(o.Phones) == 0 {
			o.Phones = []hsds.Phone{{ID: newID(), OrganizationID: o.ID}}
		}
		return &o.Phones[0].Number
	case "x_last_verified":
		return &o.XLastVerified
	}
	return nil
}

// LocationFields are what curators edit of a location as text, its first
// address included.
var LocationFields = []string{"name", "address_1", "address_2", "city", "state_province", "postal_code", "country",
	"latitude", "longitude", "transportation"}

// ConfidentialField is a location's x_confidential, a checkbox on the form:
// "true" marks the location confidential (its address is kept from the
// public), "" does not.
const ConfidentialField = "x_confidential"

// LocationValues are every value of a location's form, audited one by one:
// the text of LocationFields and ConfidentialField.
var LocationValues = append(slices.Clone(LocationFields), ConfidentialField)

// LocationText returns a location's editable fields as text.
func LocationText(l *hsds.Location) map[string]string {
	v := map[string]string{"name": l.Name, "transportation": l.Transportation}
	if l.Latitude != nil {
		v["latitude"] = strconv.FormatFloat(*l.Latitude, 'f', -1, 64)
	}
	if l.Longitude != nil {
		v["longitude"] = strconv.FormatFloat(*l.Longitude, 'f', -1, 64)
	}
	if a := l.MainAddress(); a != nil { // the address pages show
		v["address_1"], v["address_2"], v["city"], v["state_province"], v["postal_code"], v["country"] =
			a.Address1, a.Address2, a.City, a.StateProvince, a.PostalCode, a.Country
	}
	if l.Confidential() {
		v[ConfidentialField] = "true"
	}
	return v
}

// ApplyLocationText sets a location's fields from form text; a U.S.
// location left without coordinates gets its ZIP code's centroid. Without
// a ConfidentialField value the location stays as confidential as it was.
func ApplyLocationText(l *hsds.Location, values map[string]string) error {
	var err error
	if v, ok := values[ConfidentialField]; ok {
		switch v {
		case "":
			l.XConfidential = nil
		case "true":
			yes := true
			l.XConfidential = &yes
		default:
			return haven.Errorf(haven.EINVALID, "%s: %q is neither true nor empty.", ConfidentialField, v)
		}
	}
	if values["latitude"] == "" && values["longitude"] == "" && strings.EqualFold(values["country"], "US") {
		if p, ok := geo.LookupZIP(values["postal_code"]); ok {
			values["latitude"] = strconv.FormatFloat(p.Lat, 'f', 4, 64)
			values["longitude"] = strconv.FormatFloat(p.Lon, 'f', 4, 64)
		}
	}
	coord := func(s string) (*float64, error) {
		if s == "" {
			return nil, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, haven.Errorf(haven.EINVALID, "%q is not a number.", s)
		}
		return &f, nil
	}
	if l.Latitude, err = coord(values["latitude"]); err != nil {
		return err
	}
	if l.Longitude, err = coord(values["longitude"]); err != nil {
		return err
	}
	l.Name, l.Transportation = values["name"], values["transportation"]
	if len(l.Addresses) == 0 {
		l.Addresses = []hsds.Address{{ID: newID(), LocationID: l.ID, AddressType: "physical"}}
	}
	a := l.MainAddress()
	a.Address1, a.Address2, a.City, a.StateProvince, a.PostalCode, a.Country = values["address_1"], values["address_2"],
		values["city"], strings.ToUpper(values["state_province"]), values["postal_code"], strings.ToUpper(values["country"])
	return nil
}
