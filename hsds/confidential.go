package hsds

// Haven's extension x_confidential marks a location whose street address is
// secret: a shelter for survivors of trafficking, whose traffickers may be
// looking for them. Everything here decides what of such a location may be
// shown to the public. Staff see everything.

import "reflect"

// Confidential reports whether l is marked x_confidential.
func (l *Location) Confidential() bool {
	return l != nil && l.XConfidential != nil && *l.XConfidential
}

// RedactedLocation returns what of a confidential location may be shown to
// the public: its id, type and organization (references the rest of the
// record needs), and of each address only the city, region, state, postal
// code and country. Its name, description, transportation, coordinates,
// street lines, accessibility, phones, contacts, schedules, languages,
// attributes and metadata are left out. The result is marked
// x_confidential, so that readers can say the address is given on contact.
func RedactedLocation(l *Location) Location {
	yes := true
	out := Location{ID: l.ID, LocationType: l.LocationType, OrganizationID: l.OrganizationID, XConfidential: &yes}
	if out.LocationType == "" {
		out.LocationType = "physical"
	}
	for _, a := range l.Addresses {
		out.Addresses = append(out.Addresses, Address{ID: a.ID, LocationID: a.LocationID, City: a.City, Region: a.Region,
			StateProvince: a.StateProvince, PostalCode: a.PostalCode, Country: a.Country, AddressType: a.AddressType})
	}
	return out
}

// RedactService removes from s, in place, what would reveal a confidential
// location: the location itself (see RedactedLocation), and what is tied to
// it — the service_at_location's description, phones, contacts, schedules
// and attributes, and the service's and organization's phones and contacts
// that name the location. secret reports whether a location is
// confidential beyond what its own x_confidential says (the store knows
// the current flag even where an older copy of the location is nested).
// It reports whether anything was redacted.
func RedactService(s *Service, secret func(locationID string) bool) bool {
	if s == nil {
		return false
	}
	hidden := map[string]bool{}
	isSecret := func(l *Location) bool {
		return l.Confidential() || (secret != nil && secret(l.ID))
	}
	for i := range s.ServiceAtLocations {
		sal := &s.ServiceAtLocations[i]
		if sal.Location == nil && secret != nil && secret(sal.LocationID) {
			hidden[sal.LocationID] = true
		}
		if sal.Location != nil && isSecret(sal.Location) {
			hidden[sal.LocationID] = true
			hidden[sal.Location.ID] = true
			l := RedactedLocation(sal.Location)
			sal.Location = &l
		}
		if hidden[sal.LocationID] {
			sal.Description, sal.Phones, sal.Contacts, sal.Schedules, sal.Attributes, sal.Metadata = "", nil, nil, nil, nil, nil
		}
	}
	if s.Organization != nil {
		o := *s.Organization
		if RedactOrganization(&o, secret) {
			s.Organization = &o
			hiddenOrg(&o, hidden)
		}
	}
	if len(hidden) == 0 {
		return false
	}
	s.Phones = phonesElsewhere(s.Phones, hidden)
	s.Contacts = contactsElsewhere(s.Contacts, hidden)
	s.Schedules = schedulesElsewhere(s.Schedules, hidden)
	s.Metadata = metadataElsewhere(s.Metadata, hidden)
	if s.Organization != nil {
		o := *s.Organization
		o.Phones = phonesElsewhere(o.Phones, hidden)
		o.Contacts = contactsElsewhere(o.Contacts, hidden)
		o.Metadata = metadataElsewhere(o.Metadata, hidden)
		s.Organization = &o
	}
	return true
}

func hiddenOrg(o *Organization, hidden map[string]bool) {
	for _, l := range o.Locations {
		if l.Confidential() {
			hidden[l.ID] = true
		}
	}
}

// RedactOrganization replaces, in place, the organization's confidential
// locations with their redacted form, and drops its phones and contacts
// that name one. It reports whether anything was redacted.
func RedactOrganization(o *Organization, secret func(locationID string) bool) bool {
	if o == nil {
		return false
	}
	hidden := map[string]bool{}
	var locs []Location
	for i, l := range o.Locations {
		if l.Confidential() || (secret != nil && secret(l.ID)) {
			if locs == nil {
				locs = append([]Location(nil), o.Locations...)
			}
			locs[i] = RedactedLocation(&l)
			hidden[l.ID] = true
		}
	}
	if len(hidden) == 0 {
		return false
	}
	o.Locations = locs
	o.Phones = phonesElsewhere(o.Phones, hidden)
	o.Contacts = contactsElsewhere(o.Contacts, hidden)
	o.Metadata = metadataElsewhere(o.Metadata, hidden)
	return true
}

// metadataElsewhere leaves out change records about a hidden location,
// whose previous and new values may be its old address.
func metadataElsewhere(ms []Metadata, hidden map[string]bool) []Metadata {
	var out []Metadata
	for _, m := range ms {
		if !hidden[m.ResourceID] {
			out = append(out, m)
		}
	}
	if out == nil && ms != nil {
		out = []Metadata{}
	}
	return out
}

func phonesElsewhere(ps []Phone, hidden map[string]bool) []Phone {
	var out []Phone
	for _, p := range ps {
		if !hidden[p.LocationID] || p.LocationID == "" {
			out = append(out, p)
		}
	}
	if out == nil && ps != nil {
		out = []Phone{}
	}
	return out
}

func contactsElsewhere(cs []Contact, hidden map[string]bool) []Contact {
	var out []Contact
	for _, c := range cs {
		if !hidden[c.LocationID] || c.LocationID == "" {
			out = append(out, c)
		}
	}
	if out == nil && cs != nil {
		out = []Contact{}
	}
	return out
}

func schedulesElsewhere(ss []Schedule, hidden map[string]bool) []Schedule {
	var out []Schedule
	for _, s := range ss {
		if !hidden[s.LocationID] || s.LocationID == "" {
			out = append(out, s)
		}
	}
	if out == nil && ss != nil {
		out = []Schedule{}
	}
	return out
}

// HasConfidentialLocation reports whether any of s's locations is
// confidential (after redaction, whether any was).
func HasConfidentialLocation(s *Service) bool {
	for _, sal := range s.ServiceAtLocations {
		if sal.Location.Confidential() {
			return true
		}
	}
	return false
}

// A default export shows a confidential location as the public sees it,
// without its street; Haven's import takes such a location back, and only
// such a one: elsewhere address_1 stays required.

// streetOptional reports whether column col of table t is a street line
// that an address of a confidential location may leave empty.
func streetOptional(t *table, col *column) bool {
	return t.name == "address" && col.name == "address_1"
}

// missingReason says why an empty required column is an error.
func missingReason(t *table, col *column) string {
	if streetOptional(t, col) {
		return "required field is missing (only the address of a location marked x_confidential may leave it empty)"
	}
	return "required field is missing"
}

// confidentialValue reports whether v, a location of table t, is marked
// x_confidential.
func confidentialValue(t *table, v reflect.Value) bool {
	f := v.Field(t.fields[t.colIndex[confidentialColumn.name]])
	return !f.IsNil() && f.Elem().Bool()
}
