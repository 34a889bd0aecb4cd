package sqlstore

import (
	"context"
	"time"

	"haven"
	"haven/hsds"
)

// ServiceFields are the fields of a service curators edit through the web
// form, by their HSDS names; "phone" is the service's first phone number.
var ServiceFields = []string{"name", "alternate_name", "description", "status", "eligibility_description",
	"application_process", "fees_description", "url", "email", "phone"}

func serviceField(s *hsds.Service, name string) *string {
	switch name {
	case "name":
		return &s.Name
	case "alternate_name":
		return &s.AlternateName
	case "description":
		return &s.Description
	case "status":
		return &s.Status
	case "eligibility_description":
		return &s.EligibilityDescription
	case "application_process":
		return &s.ApplicationProcess
	case "fees_description":
		return &s.FeesDescription
	case "url":
		return &s.URL
	case "email":
		return &s.Email
	case "phone":
		if len(s.Phones) == 0 {
			s.Phones = []hsds.Phone{{ID: newID(), ServiceID: s.ID}}
		}
		return &s.Phones[0].Number
	case "x_last_verified":
		return &s.XLastVerified
	}
	return nil
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
		p := serviceField(s, field)
		if p == nil {
			return haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
		}
		if *p != value {
			done = append(done, change{field, *p, value})
			*p = value
		}
	}
	if len(done) == 0 {
		return nil
	}
	if s.Phones != nil && s.Phones[0].Number == "" {
		s.Phones = s.Phones[1:] // an emptied phone is removed
		if len(s.Phones) == 0 {
			s.Phones = nil
		}
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
	ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE organization_id = $1`, id)
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
	return tx.Commit()
}

// VerifyOrganization records that a curator confirmed an organization today.
func (d *DirectoryService) VerifyOrganization(ctx context.Context, actor, id string) error {
	return d.UpdateOrganization(ctx, actor, id, map[string]string{"x_last_verified": d.db.Now().UTC().Format("2006-01-02")})
}
