package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"haven"
	"haven/hsds"
	"haven/listing"
)

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

// lockService holds a service's row until the transaction ends, on
// PostgreSQL (SQLite's one writer already serializes): a write that reads a
// service and writes it back whole (with its capacities) must not put back
// what another changed in between, such as a provider's new bed count.
func lockService(ctx context.Context, tx *Tx, id string) error {
	return tx.exec(ctx, `SELECT id FROM services WHERE id = $1`+tx.db.dialect.forUpdate(false), id)
}

func updateService(ctx context.Context, tx *Tx, actor, id string, changes map[string]string) error {
	if err := lockService(ctx, tx, id); err != nil {
		return err
	}
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
		before, ok := listing.ServiceField(s, field)
		if !ok {
			return haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
		}
		if before == value {
			continue
		}
		if field == "phone" && auditLinkOf(ctx).undoes != 0 {
			listing.RestorePhone(s, value) // back as it was, read or not
		} else if err := listing.SetServiceField(s, field, value, categoryLookup(ctx, tx)); err != nil {
			return err
		}
		if after, _ := listing.ServiceField(s, field); after != before {
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

// categoryLookup finds the terms of Haven's category taxonomy by code, in
// the transaction, for the "categories" field.
func categoryLookup(ctx context.Context, tx *Tx) listing.CategoryLookup {
	return func(code string) (string, error) {
		var termID string
		err := tx.QueryRowContext(ctx, `SELECT id FROM taxonomy_terms WHERE code = $1 AND taxonomy_id = $2`, code, haven.CategoryTaxonomyID).Scan(&termID)
		if errors.Is(err, sql.ErrNoRows) {
			return "", haven.Errorf(haven.EINVALID, "%q is not a category; use codes such as legal-services or shelter.", code)
		}
		return termID, err
	}
}

// VerifyService records that a curator confirmed a service today.
func (d *DirectoryService) VerifyService(ctx context.Context, actor, id string) error {
	return d.UpdateService(ctx, actor, id, map[string]string{"x_last_verified": d.db.Now().UTC().Format("2006-01-02")})
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
	if err := updateOrganization(ctx, tx, actor, id, changes); err != nil {
		return err
	}
	return tx.Commit()
}

func updateOrganization(ctx context.Context, tx *Tx, actor, id string, changes map[string]string) error {
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
		if field == "phone" {
			// Typed numbers are stored normalized, extension apart.
			before := listing.OrganizationPhone(o)
			if auditLinkOf(ctx).undoes != 0 {
				listing.RestoreOrganizationPhone(o, value)
			} else if err := listing.SetOrganizationPhone(o, value); err != nil {
				return err
			}
			if after := listing.OrganizationPhone(o); after != before {
				if err := audit(ctx, tx, actor, "update", "organization", id, field, before, after); err != nil {
					return err
				}
				changed = true
			}
			continue
		}
		p := listing.OrganizationField(o, field)
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
	return reindexServices(ctx, tx, `SELECT id FROM services WHERE organization_id = $1`, id)
}

// VerifyOrganization records that a curator confirmed an organization today.
func (d *DirectoryService) VerifyOrganization(ctx context.Context, actor, id string) error {
	return d.UpdateOrganization(ctx, actor, id, map[string]string{"x_last_verified": d.db.Now().UTC().Format("2006-01-02")})
}

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
	if err := updateLocation(ctx, tx, actor, id, values); err != nil {
		return err
	}
	return tx.Commit()
}

func updateLocation(ctx context.Context, tx *Tx, actor, id string, values map[string]string) error {
	l, err := findLocation(ctx, tx, id)
	if haven.ErrorCode(err) == haven.EINVALID {
		return haven.Errorf(haven.ENOTFOUND, "No location has the id %q.", id)
	} else if err != nil {
		return err
	}
	before := listing.LocationText(l)
	if err := listing.ApplyLocationText(l, values); err != nil {
		return err
	}
	if errs := l.Validate(); len(errs) > 0 {
		return haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
	}
	after := listing.LocationText(l)
	changed := false
	for _, f := range listing.LocationValues {
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
	return reindexServices(ctx, tx, `SELECT DISTINCT service_id FROM service_at_locations WHERE location_id = $1`, id)
}

// CreateService adds a service, with its location and, when asked, a new
// organization, in one transaction, audited as a creation. It returns the
// new service's id.
func (d *DirectoryService) CreateService(ctx context.Context, actor string, p haven.ProviderDraft) (string, error) {
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
	if err := listing.ApplyLocationText(l, p.Location); err != nil {
		return "", err
	}
	s.ServiceAtLocations = []hsds.ServiceAtLocation{{ID: newID(), ServiceID: s.ID, LocationID: l.ID, Location: l}}
	for _, f := range listing.ServiceFields {
		if v := p.Service[f]; v != "" {
			if err := listing.SetServiceField(s, f, v, categoryLookup(ctx, tx)); err != nil {
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
func (d *DirectoryService) EnsureTaxonomy(ctx context.Context, t hsds.Taxonomy, terms []hsds.TaxonomyTerm) error {
	tx, err := d.db.BeginTx(ctx, false)
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
