package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/geo"
	"haven/hsds"
)

// ServiceFields are the fields of a service curators edit through the web
// form, by their HSDS names, and three written as text: "phone" (the first
// phone number), "languages" (ISO 639-1 codes, comma-separated), "hours"
// (one weekly schedule a line, "MO,TU,WE,TH,FR 09:00-17:00") and
// "categories" (codes of Haven's taxonomy, comma-separated).
var ServiceFields = []string{"name", "alternate_name", "description", "status", "eligibility_description",
	"application_process", "fees_description", "url", "email", "phone", "languages", "hours", "categories"}

// textField reads and writes one field of a service as text.
type textField struct {
	get func(s *hsds.Service) string
	set func(ctx context.Context, tx *Tx, s *hsds.Service, v string) error
}

func plain(f func(s *hsds.Service) *string) textField {
	return textField{
		get: func(s *hsds.Service) string { return *f(s) },
		set: func(_ context.Context, _ *Tx, s *hsds.Service, v string) error { *f(s) = v; return nil },
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
			return s.Phones[0].Number
		},
		set: func(_ context.Context, _ *Tx, s *hsds.Service, v string) error {
			switch {
			case v == "" && len(s.Phones) > 0:
				s.Phones = s.Phones[1:]
			case v == "":
			case len(s.Phones) == 0:
				s.Phones = []hsds.Phone{{ID: newID(), ServiceID: s.ID, Number: v}}
			default:
				s.Phones[0].Number = v
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
		set: func(_ context.Context, _ *Tx, s *hsds.Service, v string) error {
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
		set: func(_ context.Context, _ *Tx, s *hsds.Service, v string) error {
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
		set: func(ctx context.Context, tx *Tx, s *hsds.Service, v string) error {
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
				var termID string
				err := tx.QueryRowContext(ctx, `SELECT id FROM taxonomy_terms WHERE code = $1 AND taxonomy_id = $2`, code, haven.CategoryTaxonomyID).Scan(&termID)
				if errors.Is(err, sql.ErrNoRows) {
					return haven.Errorf(haven.EINVALID, "%q is not a category; use codes such as legal-services or shelter.", code)
				} else if err != nil {
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

// UpdateService applies a curator's changes to a service's fields, checks
// the result as an import would, and writes each changed field to the audit
// trail in the same transaction. Unknown fields are EINVALID.
func (d *DirectoryService) UpdateService(ctx context.Context, actor, id string, changes map[string]string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := updateService(ctx, tx, actor, id, changes); err != nil {
		return err
	}
	return tx.Commit()
}

func updateService(ctx context.Context, tx *Tx, actor, id string, changes map[string]string) error {
	svcs, err := loadServices(ctx, tx, []string{id})
	if err != nil {
		return err
	} else if len(svcs) == 0 {
		return haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", id)
	}
	s := svcs[0]
	type change struct{ field, before, after string }
	var done []change
	for field, value := range changes {
		f, ok := serviceTextFields[field]
		if !ok {
			return haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
		}
		before := f.get(s)
		if before == value {
			continue
		}
		if err := f.set(ctx, tx, s, value); err != nil {
			return err
		}
		if after := f.get(s); after != before {
			done = append(done, change{field, before, after})
		}
	}
	if len(done) == 0 {
		return nil
	}
	s.LastModified = tx.now.Format(time.RFC3339)
	if errs := s.Validate(); len(errs) > 0 {
		return haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
	}
	for _, c := range done {
		action := "update"
		if c.field == "x_last_verified" {
			action = "verify"
		}
		if err := audit(ctx, tx, actor, action, "service", id, c.field, c.before, c.after); err != nil {
			return err
		}
	}
	return putService(ctx, tx, s)
}

// VerifyService records that a curator confirmed a service today.
func (d *DirectoryService) VerifyService(ctx context.Context, actor, id string) error {
	return d.UpdateService(ctx, actor, id, map[string]string{"x_last_verified": d.db.Now().UTC().Format("2006-01-02")})
}

// SaveCountrySummary stores a curator's country summary, audited.
func (d *DirectoryService) SaveCountrySummary(ctx context.Context, actor string, c *haven.CountrySummary) error {
	return d.db.SaveCountrySummary(ctx, actor, c)
}

// OrganizationFields are the fields of an organization curators edit;
// "phone" is its first phone number.
var OrganizationFields = []string{"name", "alternate_name", "description", "email", "website", "phone"}

func organizationField(o *hsds.Organization, name string) *string {
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

// UpdateOrganization applies a curator's changes to an organization,
// audited field by field, and re-indexes its services, whose search terms
// include the organization's name.
func (d *DirectoryService) UpdateOrganization(ctx context.Context, actor, id string, changes map[string]string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	orgs := map[string]*hsds.Organization{}
	if err := loadDocs(ctx, tx, "organizations", set{id: true}, func(id string) any {
		orgs[id] = &hsds.Organization{}
		return orgs[id]
	}); err != nil {
		return err
	}
	o := orgs[id]
	if o == nil {
		return haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", id)
	}
	changed := false
	for field, value := range changes {
		p := organizationField(o, field)
		if p == nil {
			return haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
		}
		if *p != value {
			action := "update"
			if field == "x_last_verified" {
				action = "verify"
			}
			if err := audit(ctx, tx, actor, action, "organization", id, field, *p, value); err != nil {
				return err
			}
			*p, changed = value, true
		}
	}
	if !changed {
		return nil
	}
	if len(o.Phones) > 0 && o.Phones[0].Number == "" {
		o.Phones = o.Phones[1:]
		if len(o.Phones) == 0 {
			o.Phones = nil
		}
	}
	if errs := o.Validate(); len(errs) > 0 {
		return haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
	}
	if err := putOrganization(ctx, tx, o); err != nil {
		return err
	}
	if err := reindexServices(ctx, tx, `SELECT id FROM services WHERE organization_id = $1`, id); err != nil {
		return err
	}
	return tx.Commit()
}

// VerifyOrganization records that a curator confirmed an organization today.
func (d *DirectoryService) VerifyOrganization(ctx context.Context, actor, id string) error {
	return d.UpdateOrganization(ctx, actor, id, map[string]string{"x_last_verified": d.db.Now().UTC().Format("2006-01-02")})
}

// LocationFields are what curators edit of a location, its first address
// included.
var LocationFields = []string{"name", "address_1", "address_2", "city", "state_province", "postal_code", "country",
	"latitude", "longitude", "transportation"}

// FindLocation returns a location, or ENOTFOUND.
func (d *DirectoryService) FindLocation(ctx context.Context, id string) (*hsds.Location, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	l, err := findLocation(ctx, tx, id)
	if haven.ErrorCode(err) == haven.EINVALID {
		return nil, haven.Errorf(haven.ENOTFOUND, "No location has the id %q.", id)
	}
	return l, err
}

// LocationText returns a location's editable fields as text.
func LocationText(l *hsds.Location) map[string]string {
	v := map[string]string{"name": l.Name, "transportation": l.Transportation}
	if l.Latitude != nil {
		v["latitude"] = strconv.FormatFloat(*l.Latitude, 'f', -1, 64)
	}
	if l.Longitude != nil {
		v["longitude"] = strconv.FormatFloat(*l.Longitude, 'f', -1, 64)
	}
	if len(l.Addresses) > 0 {
		a := l.Addresses[0]
		v["address_1"], v["address_2"], v["city"], v["state_province"], v["postal_code"], v["country"] =
			a.Address1, a.Address2, a.City, a.StateProvince, a.PostalCode, a.Country
	}
	if l.Confidential() {
		v[ConfidentialField] = "true"
	}
	return v
}

// ConfidentialField is the location form's field for x_confidential:
// "true" marks the location confidential, "" does not.
const ConfidentialField = "x_confidential"

// UpdateLocation saves a curator's edit of a location, audited field by
// field, and re-indexes the services offered there, whose place in search
// (state, country, distance) comes from it. A U.S. location left without
// coordinates gets its ZIP code's centroid.
func (d *DirectoryService) UpdateLocation(ctx context.Context, actor, id string, values map[string]string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	l, err := findLocation(ctx, tx, id)
	if haven.ErrorCode(err) == haven.EINVALID {
		return haven.Errorf(haven.ENOTFOUND, "No location has the id %q.", id)
	} else if err != nil {
		return err
	}
	before := LocationText(l)
	if err := applyLocationText(l, values); err != nil {
		return err
	}
	if errs := l.Validate(); len(errs) > 0 {
		return haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
	}
	after := LocationText(l)
	changed := false
	for _, f := range append(slices.Clone(LocationFields), ConfidentialField) {
		if before[f] != after[f] {
			changed = true
			if err := audit(ctx, tx, actor, "update", "location", id, f, before[f], after[f]); err != nil {
				return err
			}
		}
	}
	if !changed {
		return nil
	}
	if err := putLocation(ctx, tx, l); err != nil {
		return err
	}
	if err := reindexServices(ctx, tx, `SELECT DISTINCT service_id FROM service_at_locations WHERE location_id = $1`, id); err != nil {
		return err
	}
	return tx.Commit()
}

// applyLocationText sets a location's fields from form text; a U.S.
// location left without coordinates gets its ZIP code's centroid.
func applyLocationText(l *hsds.Location, values map[string]string) error {
	var err error
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
	a := &l.Addresses[0]
	a.Address1, a.Address2, a.City, a.StateProvince, a.PostalCode, a.Country = values["address_1"], values["address_2"],
		values["city"], strings.ToUpper(values["state_province"]), values["postal_code"], strings.ToUpper(values["country"])
	if v, ok := values[ConfidentialField]; ok {
		l.XConfidential = nil
		if v == "true" {
			yes := true
			l.XConfidential = &yes
		}
	}
	return nil
}

// NewProvider is what a curator gives to add a service: the service's
// fields as text (see ServiceFields), its place, and either an existing
// organization or a new one.
type NewProvider struct {
	OrganizationID string
	NewOrgName     string
	NewOrgDesc     string
	Service        map[string]string
	Location       map[string]string
}

// CreateService adds a service, with its location and, when asked, a new
// organization, in one transaction, audited as a creation. It returns the
// new service's id.
func (d *DirectoryService) CreateService(ctx context.Context, actor string, p NewProvider) (string, error) {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	s := &hsds.Service{ID: newID(), Status: "active", LastModified: tx.now.Format(time.RFC3339),
		XLastVerified: tx.now.Format("2006-01-02")}
	if p.OrganizationID != "" {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM organizations WHERE id = $1`, p.OrganizationID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return "", haven.Errorf(haven.EINVALID, "No organization has the id %q.", p.OrganizationID)
		} else if err != nil {
			return "", err
		}
		s.OrganizationID = p.OrganizationID
	} else {
		o := &hsds.Organization{ID: newID(), Name: p.NewOrgName, Description: p.NewOrgDesc, XLastVerified: s.XLastVerified}
		s.OrganizationID, s.Organization = o.ID, o
	}
	l := &hsds.Location{ID: newID(), LocationType: "physical", OrganizationID: s.OrganizationID}
	if err := applyLocationText(l, p.Location); err != nil {
		return "", err
	}
	s.ServiceAtLocations = []hsds.ServiceAtLocation{{ID: newID(), ServiceID: s.ID, LocationID: l.ID, Location: l}}
	for _, f := range ServiceFields {
		if v := p.Service[f]; v != "" {
			if err := serviceTextFields[f].set(ctx, tx, s, v); err != nil {
				return "", err
			}
		}
	}
	if errs := s.Validate(); len(errs) > 0 {
		return "", haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
	}
	if err := putService(ctx, tx, s); err != nil {
		return "", err
	}
	if err := audit(ctx, tx, actor, "create", "service", s.ID, "name", "", s.Name); err != nil {
		return "", err
	}
	if s.Organization != nil {
		if err := audit(ctx, tx, actor, "create", "organization", s.OrganizationID, "name", "", s.Organization.Name); err != nil {
			return "", err
		}
	}
	return s.ID, tx.Commit()
}

// EnsureTaxonomy stores a taxonomy and those of its terms whose code it does
// not hold yet, so curators can assign every category from the start. Terms
// already there, perhaps edited, are left as they are.
func (db *DB) EnsureTaxonomy(ctx context.Context, t hsds.Taxonomy, terms []hsds.TaxonomyTerm) error {
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM taxonomies WHERE id = $1`, t.ID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if err := putTaxonomy(ctx, tx, &t); err != nil {
			return err
		}
	}
	for i := range terms {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM taxonomy_terms WHERE code = $1 AND taxonomy_id = $2`, terms[i].Code, t.ID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if err := putTerm(ctx, tx, &terms[i]); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// UpdateTerm renames or re-describes a taxonomy term, audited, and
// re-indexes the services that carry it, whose search text includes its
// name.
func (d *DirectoryService) UpdateTerm(ctx context.Context, actor, id, name, description string) error {
	if strings.TrimSpace(name) == "" || strings.TrimSpace(description) == "" {
		return haven.Errorf(haven.EINVALID, "A term needs a name and a description.")
	}
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	terms, err := loadTerms(ctx, tx, set{id: true})
	if err != nil {
		return err
	}
	t := terms[id]
	if t == nil {
		return haven.Errorf(haven.ENOTFOUND, "No taxonomy term has the id %q.", id)
	}
	for _, f := range []fieldChange{{"name", t.Name, name}, {"description", t.Description, description}} {
		if f.before != f.after {
			if err := audit(ctx, tx, actor, "update", "taxonomy_term", id, f.name, f.before, f.after); err != nil {
				return err
			}
		}
	}
	t.Name, t.Description = name, description
	if err := putTerm(ctx, tx, t); err != nil {
		return err
	}
	if err := reindexServices(ctx, tx, `SELECT DISTINCT link_id FROM attributes WHERE taxonomy_term_id = $1 AND link_entity = 'service'`, id); err != nil {
		return err
	}
	return tx.Commit()
}

// reindexServices rewrites the search documents of the services the query
// selects (by one argument): those whose organization, location or
// taxonomy term a curator has just changed.
func reindexServices(ctx context.Context, tx *Tx, query, arg string) error {
	ids, err := queryStrings(ctx, tx, query, arg)
	if err != nil {
		return err
	}
	svcs, err := loadServices(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		if err := indexService(ctx, tx, s); err != nil {
			return err
		}
	}
	return nil
}

// RetireOrganization records that an organization has closed: HSDS gives
// organizations no status, so each of its services becomes "defunct",
// audited, and leaves the public directory while its history stays.
func (d *DirectoryService) RetireOrganization(ctx context.Context, actor, id string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM organizations WHERE id = $1`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", id)
	} else if err != nil {
		return err
	}
	ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE organization_id = $1 AND status <> 'defunct'`, id)
	if err != nil {
		return err
	}
	for _, sid := range ids {
		if err := updateService(ctx, tx, actor, sid, map[string]string{"status": "defunct"}); err != nil {
			return err
		}
	}
	if err := audit(ctx, tx, actor, "retire", "organization", id, "services", "", fmt.Sprintf("%d services marked defunct", len(ids))); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateTerm adds a term to Haven's category taxonomy, audited.
func (d *DirectoryService) CreateTerm(ctx context.Context, actor, code, name, description string) error {
	if !termCode.MatchString(code) {
		return haven.Errorf(haven.EINVALID, "A code is lower-case letters, digits and hyphens, such as legal-services.")
	}
	if strings.TrimSpace(name) == "" || strings.TrimSpace(description) == "" {
		return haven.Errorf(haven.EINVALID, "A term needs a name and a description.")
	}
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM taxonomy_terms WHERE code = $1 AND taxonomy_id = $2`, code, haven.CategoryTaxonomyID).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return haven.Errorf(haven.ECONFLICT, "A term with the code %q exists.", code)
	}
	t := &hsds.TaxonomyTerm{ID: newID(), Code: code, Name: name, Description: description, TaxonomyID: haven.CategoryTaxonomyID}
	if err := putTerm(ctx, tx, t); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "create", "taxonomy_term", t.ID, "code", "", code); err != nil {
		return err
	}
	return tx.Commit()
}

var termCode = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
