package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"

	"haven"
	"haven/hsds"
	"haven/listing"
)

// ProviderService ties provider accounts to organizations and takes their
// edits, invitations, re-verifications and partners' API tokens.
type ProviderService struct{ db *DB }

// NewProviderService returns the provider service of db.
func NewProviderService(db *DB) *ProviderService { return &ProviderService{db: db} }

// LinkProvider ties a provider account to an organization, audited.
func (p *ProviderService) LinkProvider(ctx context.Context, actor, userID, orgID string) error {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := linkProvider(ctx, tx, actor, userID, orgID); err != nil {
		return err
	}
	return tx.Commit()
}

func linkProvider(ctx context.Context, tx *Tx, actor, userID, orgID string) error {
	var role string
	if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1`, userID).Scan(&role); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No such account.")
	} else if err != nil {
		return err
	}
	if role != haven.RoleProvider {
		return haven.Errorf(haven.EINVALID, "Only a provider's account can be tied to an organization; this one is a %s's.", role)
	}
	if err := orgExists(ctx, tx, orgID); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM provider_organizations WHERE user_id = $1 AND organization_id = $2`, userID, orgID).Scan(&n); err != nil || n > 0 {
		return err
	}
	if err := tx.exec(ctx, `INSERT INTO provider_organizations (user_id, organization_id, created_at) VALUES ($1, $2, $3)`,
		userID, orgID, formatTime(tx.now)); err != nil {
		return err
	}
	return audit(ctx, tx, actor, "link", "organization", orgID, "provider", "", userID)
}

func orgExists(ctx context.Context, tx *Tx, orgID string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM organizations WHERE id = $1`, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", orgID)
	}
	return err
}

// UnlinkProvider unties a provider from an organization, audited.
func (p *ProviderService) UnlinkProvider(ctx context.Context, actor, userID, orgID string) error {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM provider_organizations WHERE user_id = $1 AND organization_id = $2`, userID, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if err := audit(ctx, tx, actor, "unlink", "organization", orgID, "provider", userID, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// ProviderOrganizations returns the organizations a provider speaks for,
// with their services and locations, withdrawn ones left out.
func (p *ProviderService) ProviderOrganizations(ctx context.Context, userID string) ([]haven.ProviderOrganization, error) {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.name, COALESCE(s.edits_live, 0) FROM provider_organizations po
		JOIN organizations o ON o.id = po.organization_id
		LEFT JOIN provider_settings s ON s.organization_id = o.id
		WHERE po.user_id = $1 AND o.withdrawn = 0 ORDER BY o.name, o.id`, userID)
	if err != nil {
		return nil, err
	}
	var out []haven.ProviderOrganization
	for rows.Next() {
		var o haven.ProviderOrganization
		var live int
		if err := rows.Scan(&o.ID, &o.Name, &live); err != nil {
			rows.Close()
			return nil, err
		}
		o.EditsLive = live != 0
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		o := &out[i]
		if o.Services, err = listingRows(ctx, tx, `SELECT id, name, status, last_verified, 0 FROM services
			WHERE organization_id = $1 AND withdrawn = 0 ORDER BY name, id`, o.ID); err != nil {
			return nil, err
		}
		if o.Locations, err = listingRows(ctx, tx, `SELECT l.id, l.name, '', '', l.confidential FROM locations l
			WHERE l.withdrawn = 0 AND (l.organization_id = $1 OR (l.organization_id IS NULL AND l.id IN
				(SELECT sal.location_id FROM service_at_locations sal JOIN services s ON s.id = sal.service_id WHERE s.organization_id = $1)))
			ORDER BY l.name, l.id`, o.ID); err != nil {
			return nil, err
		}
		for j := range o.Locations {
			l := &o.Locations[j]
			if l.Name == "" && !l.Confidential {
				if loc, err := findLocation(ctx, tx, l.ID); err == nil {
					v := listing.LocationText(loc)
					l.Name = v["address_1"] + ", " + v["city"]
				}
			}
		}
	}
	return out, nil
}

func listingRows(ctx context.Context, tx *Tx, q string, args ...any) ([]haven.ProviderListing, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.ProviderListing
	for rows.Next() {
		var l haven.ProviderListing
		var conf int
		if err := rows.Scan(&l.ID, &l.Name, &l.Status, &l.LastVerified, &conf); err != nil {
			return nil, err
		}
		l.Confidential = conf != 0
		out = append(out, l)
	}
	return out, rows.Err()
}

// OrganizationProviders returns the providers tied to an organization.
func (p *ProviderService) OrganizationProviders(ctx context.Context, orgID string) ([]haven.ProviderLink, error) {
	rows, err := p.db.read.QueryContext(ctx, `SELECT u.id, u.email, po.created_at, u.disabled_at FROM provider_organizations po
		JOIN users u ON u.id = po.user_id WHERE po.organization_id = $1 ORDER BY u.email`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.ProviderLink
	for rows.Next() {
		var l haven.ProviderLink
		var since, disabled string
		if err := rows.Scan(&l.UserID, &l.Email, &since, &disabled); err != nil {
			return nil, err
		}
		l.Since, l.Disabled = parseTime(since), disabled != ""
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetProviderEditsLive records whether an organization's providers' edits
// go live at once, audited.
func (p *ProviderService) SetProviderEditsLive(ctx context.Context, actor, orgID string, live bool) error {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := orgExists(ctx, tx, orgID); err != nil {
		return err
	}
	before, err := editsLive(ctx, tx, orgID)
	if err != nil || before == live {
		return err
	}
	v := 0
	if live {
		v = 1
	}
	if err := tx.exec(ctx, `INSERT INTO provider_settings (organization_id, edits_live) VALUES ($1, $2)
		ON CONFLICT (organization_id) DO UPDATE SET edits_live = excluded.edits_live`, orgID, v); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "update", "organization", orgID, "provider_edits_live", boolText(before), boolText(live)); err != nil {
		return err
	}
	return tx.Commit()
}

// ProviderEditsLive reports whether an organization's providers' edits go
// live at once.
func (p *ProviderService) ProviderEditsLive(ctx context.Context, orgID string) (bool, error) {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	return editsLive(ctx, tx, orgID)
}

func editsLive(ctx context.Context, tx *Tx, orgID string) (bool, error) {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT edits_live FROM provider_settings WHERE organization_id = $1`, orgID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v != 0, err
}

// ProviderMayEdit returns nil when the provider may edit the record.
func (p *ProviderService) ProviderMayEdit(ctx context.Context, userID, recordType, recordID string) error {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = providerMayEdit(ctx, tx, userID, recordType, recordID)
	return err
}

// ProviderRecordEditsLive is haven.ProviderService's.
func (p *ProviderService) ProviderRecordEditsLive(ctx context.Context, userID, recordType, recordID string) (bool, error) {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	org, err := providerMayEdit(ctx, tx, userID, recordType, recordID)
	if err != nil {
		return false, err
	}
	return editsLive(ctx, tx, org)
}

// providerMayEdit returns the organization through which the provider may
// edit the record. Another organization's record and a missing one get the
// same ENOTFOUND.
func providerMayEdit(ctx context.Context, tx *Tx, userID, recordType, recordID string) (string, error) {
	notFound := haven.Errorf(haven.ENOTFOUND, "None of your organizations has this %s.", recordType)
	var orgs []string
	var err error
	switch recordType {
	case "service":
		orgs, err = queryStrings(ctx, tx, `SELECT organization_id FROM services WHERE id = $1 AND withdrawn = 0`, recordID)
	case "organization":
		orgs, err = queryStrings(ctx, tx, `SELECT id FROM organizations WHERE id = $1 AND withdrawn = 0`, recordID)
	case "location":
		// A location belongs to its organization; one that names none
		// belongs to whoever offers every service there.
		var org sql.NullString
		var conf int
		err := tx.QueryRowContext(ctx, `SELECT organization_id, confidential FROM locations WHERE id = $1 AND withdrawn = 0`, recordID).Scan(&org, &conf)
		if errors.Is(err, sql.ErrNoRows) {
			return "", notFound
		} else if err != nil {
			return "", err
		}
		if org.Valid {
			orgs = []string{org.String}
		} else if orgs, err = queryStrings(ctx, tx, `SELECT DISTINCT s.organization_id FROM service_at_locations sal
			JOIN services s ON s.id = sal.service_id WHERE sal.location_id = $1 ORDER BY s.organization_id`, recordID); err != nil {
			return "", err
		}
		if len(orgs) == 0 {
			return "", notFound
		}
		for _, o := range orgs {
			if ok, err := isProviderOf(ctx, tx, userID, o); err != nil {
				return "", err
			} else if !ok {
				return "", notFound
			}
		}
		if conf != 0 {
			// Its address is for staff alone, a provider's account
			// included: a curator edits it.
			return "", haven.Errorf(haven.EFORBIDDEN, "This location is confidential: please ask a curator to change it.")
		}
		// Shared by several organizations, it goes by the one whose
		// providers' edits wait for a curator, if any: an edit goes live
		// only where every organization lets it.
		for _, o := range orgs {
			if live, err := editsLive(ctx, tx, o); err != nil {
				return "", err
			} else if !live {
				return o, nil
			}
		}
		return orgs[0], nil
	default:
		return "", haven.Errorf(haven.EINVALID, "Providers edit services, locations and organizations, not %q.", recordType)
	}
	if err != nil {
		return "", err
	}
	if len(orgs) == 0 {
		return "", notFound
	}
	if ok, err := isProviderOf(ctx, tx, userID, orgs[0]); err != nil {
		return "", err
	} else if !ok {
		return "", notFound
	}
	return orgs[0], nil
}

func isProviderOf(ctx context.Context, tx *Tx, userID, orgID string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM provider_organizations po JOIN users u ON u.id = po.user_id
		WHERE po.user_id = $1 AND po.organization_id = $2 AND u.role = $3 AND u.disabled_at = ''`, userID, orgID, haven.RoleProvider).Scan(&n)
	return n > 0, err
}

// SubmitProviderEdit applies or queues a provider's edit.
func (p *ProviderService) SubmitProviderEdit(ctx context.Context, u *haven.User, recordType, recordID string, changes map[string]string) (string, error) {
	if !u.Can(haven.RoleProvider) {
		return "", haven.Errorf(haven.EFORBIDDEN, "Only providers submit provider edits.")
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	orgID, err := providerMayEdit(ctx, tx, u.ID, recordType, recordID)
	if err != nil {
		return "", err
	}
	diff, err := providerDiff(ctx, tx, recordType, recordID, changes)
	if err != nil || len(diff) == 0 {
		return "", err
	}
	live, err := editsLive(ctx, tx, orgID)
	if err != nil {
		return "", err
	}
	if live {
		if err := applyProviderChanges(ctx, tx, haven.ProviderActor(u.Email), recordType, recordID, diff); err != nil {
			return "", err
		}
		return haven.ProviderEditLive, tx.Commit()
	}
	body, _ := json.Marshal(diff)
	id := newID()
	if err := tx.exec(ctx, `INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, changes, submitted_by)
		VALUES ($1, $2, $3, $4, $5, '', $6, $7)`, id, formatTime(tx.now), recordType, recordID, haven.SuggestionProvider, string(body), u.Email); err != nil {
		return "", err
	}
	if err := audit(ctx, tx, haven.ProviderActor(u.Email), "suggest", "suggestion", id, haven.SuggestionProvider, "", recordType+" "+recordID); err != nil {
		return "", err
	}
	return haven.ProviderEditQueued, tx.Commit()
}

// providerDiff returns the fields an edit would change, each checked as
// the curators' form would: services and organizations keep the values
// given, locations the text their form shows after the change. Only the
// fields of the curators' forms may change, a location's confidentiality
// never.
func providerDiff(ctx context.Context, tx *Tx, recordType, id string, changes map[string]string) (map[string]string, error) {
	diff := map[string]string{}
	switch recordType {
	case "service":
		svcs, err := loadServices(ctx, tx, []string{id})
		if err != nil {
			return nil, err
		} else if len(svcs) == 0 {
			return nil, haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", id)
		}
		s := svcs[0]
		for field, value := range changes {
			if !slices.Contains(listing.ServiceFields, field) {
				return nil, haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
			}
			before, _ := listing.ServiceField(s, field)
			if before == value {
				continue
			}
			if err := listing.SetServiceField(s, field, value, categoryLookup(ctx, tx)); err != nil {
				return nil, err
			}
			if after, _ := listing.ServiceField(s, field); after != before {
				diff[field] = value
			}
		}
		if errs := s.Validate(); len(errs) > 0 {
			return nil, haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
		}
	case "organization":
		orgs := map[string]*hsds.Organization{}
		if err := loadDocs(ctx, tx, "organizations", set{id: true}, func(id string) any {
			orgs[id] = &hsds.Organization{}
			return orgs[id]
		}); err != nil {
			return nil, err
		}
		o := orgs[id]
		if o == nil {
			return nil, haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", id)
		}
		for field, value := range changes {
			if !slices.Contains(listing.OrganizationFields, field) {
				return nil, haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
			}
			if field == "phone" {
				before := listing.OrganizationPhone(o)
				if err := listing.SetOrganizationPhone(o, value); err != nil {
					return nil, err
				}
				if listing.OrganizationPhone(o) != before {
					diff[field] = value
				}
				continue
			}
			if p := listing.OrganizationField(o, field); *p != value {
				*p, diff[field] = value, value
			}
		}
		if len(o.Phones) > 0 && o.Phones[0].Number == "" {
			o.Phones = o.Phones[1:]
		}
		if errs := o.Validate(); len(errs) > 0 {
			return nil, haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
		}
	case "location":
		l, err := findLocation(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before := listing.LocationText(l)
		values := listing.LocationText(l)
		delete(values, listing.ConfidentialField)
		for field, value := range changes {
			if !slices.Contains(listing.LocationFields, field) {
				return nil, haven.Errorf(haven.EINVALID, "Unknown field %q.", field)
			}
			values[field] = value
		}
		if err := listing.ApplyLocationText(l, values); err != nil {
			return nil, err
		}
		if errs := l.Validate(); len(errs) > 0 {
			return nil, haven.Errorf(haven.EINVALID, "%s", hsds.Errors(errs).Error())
		}
		after := listing.LocationText(l)
		for _, f := range listing.LocationFields {
			if before[f] != after[f] {
				diff[f] = after[f]
			}
		}
	}
	return diff, nil
}

// applyProviderChanges writes a provider's changes, audited under actor:
// at once, or when a curator accepts them. A location's other fields are
// taken as they are now, so that accepting an edit keeps a curator's later
// changes to fields the provider did not touch.
func applyProviderChanges(ctx context.Context, tx *Tx, actor, recordType, id string, changes map[string]string) error {
	switch recordType {
	case "service":
		return updateService(ctx, tx, actor, id, changes)
	case "organization":
		return updateOrganization(ctx, tx, actor, id, changes)
	case "location":
		l, err := findLocation(ctx, tx, id)
		if err != nil {
			return err
		}
		values := listing.LocationText(l)
		delete(values, listing.ConfidentialField)
		for f, v := range changes {
			if !slices.Contains(listing.LocationFields, f) {
				return haven.Errorf(haven.EINVALID, "Unknown field %q.", f)
			}
			values[f] = v
		}
		return updateLocation(ctx, tx, actor, id, values)
	}
	return haven.Errorf(haven.EINVALID, "Unknown record type %q.", recordType)
}

// PendingProviderEdits returns the edits a provider sent that wait for a
// curator, oldest first.
func (p *ProviderService) PendingProviderEdits(ctx context.Context, email string) ([]*haven.Suggestion, error) {
	return queryAll(ctx, p.db.read, scanSuggestion, `SELECT `+suggestionColumns+` FROM suggestions
		WHERE kind = $1 AND submitted_by = $2 AND status = 'pending' ORDER BY created_at, id LIMIT 500`, haven.SuggestionProvider, email)
}
