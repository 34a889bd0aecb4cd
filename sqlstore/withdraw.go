package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"haven"
	"haven/hsds"
)

// Take-downs. A curator can withdraw a service, an organization or a
// location from public view entirely — not only mark it defunct, which
// leaves its page, its API record and its address up — and restore it, or
// delete it. Each is audited in its transaction.
//
// A withdrawn service (services.withdrawn 1, or 2 when it went down with
// its organization) is left out of SQL search (directoryWhere) and has no
// stored search document (putSearchDoc), so the in-memory index drops it
// from the change log; public reads leave it out. A withdrawn location is
// left out of its services' places and public records.

var withdrawTables = map[string]string{"service": "services", "organization": "organizations", "location": "locations"}

// SetWithdrawn withdraws (or restores) a record, audited. It returns
// ENOTFOUND for an unknown record and EINVALID for an unknown kind.
func (d *DirectoryService) SetWithdrawn(ctx context.Context, actor, kind, id string, withdrawn bool) error {
	table, ok := withdrawTables[kind]
	if !ok {
		return haven.Errorf(haven.EINVALID, "Only a service, an organization or a location can be withdrawn.")
	}
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var was int
	if err := tx.QueryRowContext(ctx, `SELECT withdrawn FROM `+table+` WHERE id = $1`, id).Scan(&was); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No %s has the id %q.", kind, id)
	} else if err != nil {
		return err
	}
	if (was != 0) == withdrawn {
		return nil
	}
	now, action := 0, "restore"
	if withdrawn {
		now, action = 1, "withdraw"
	}
	if err := tx.exec(ctx, `UPDATE `+table+` SET withdrawn = $2 WHERE id = $1`, id, now); err != nil {
		return err
	}
	var reindex string
	switch kind {
	case "service":
		reindex = `SELECT id FROM services WHERE id = $1`
	case "organization":
		// Its services go down with it, marked 2 so that restoring it
		// brings back only those.
		if withdrawn {
			err = tx.exec(ctx, `UPDATE services SET withdrawn = 2 WHERE organization_id = $1 AND withdrawn = 0`, id)
		} else {
			err = tx.exec(ctx, `UPDATE services SET withdrawn = 0 WHERE organization_id = $1 AND withdrawn = 2`, id)
		}
		if err != nil {
			return err
		}
		reindex = `SELECT id FROM services WHERE organization_id = $1`
	case "location":
		reindex = `SELECT DISTINCT service_id FROM service_at_locations WHERE location_id = $1`
	}
	if err := reindexServices(ctx, tx, reindex, id); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, action, kind, id, "withdrawn", fmt.Sprint(was != 0), fmt.Sprint(withdrawn)); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteService deletes a service and what it owns, audited.
func (d *DirectoryService) DeleteService(ctx context.Context, actor, id string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM services WHERE id = $1`, id).Scan(&name); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", id)
	} else if err != nil {
		return err
	}
	if err := deleteServices(ctx, tx, []string{id}); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "delete", "service", id, "name", name, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteOrganization deletes an organization with its services and
// programs, audited; its locations stay, unowned, unless deleted too.
func (d *DirectoryService) DeleteOrganization(ctx context.Context, actor, id string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM organizations WHERE id = $1`, id).Scan(&name); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", id)
	} else if err != nil {
		return err
	}
	ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE organization_id = $1`, id)
	if err != nil {
		return err
	}
	if err := deleteServices(ctx, tx, ids); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM attributes WHERE link_id = $1`, `DELETE FROM metadata WHERE resource_id = $1`,
		`DELETE FROM organizations WHERE id = $1`} {
		if err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	if err := audit(ctx, tx, actor, "delete", "organization", id, "name", name, fmt.Sprintf("%d services deleted", len(ids))); err != nil {
		return err
	}
	return tx.Commit()
}

// deleteServices deletes services; the tables that reference them cascade,
// and the full-text rows and the polymorphic rows are deleted here. Each
// is logged as changed, so that indexes drop it.
func deleteServices(ctx context.Context, tx *Tx, ids []string) error {
	if err := tx.restoreIndexes(ctx); err != nil {
		return err
	}
	for _, id := range ids {
		if tx.db.dialect.fts {
			if err := tx.exec(ctx, `DELETE FROM services_fts WHERE rowid = (SELECT rowid FROM services WHERE id = $1)`, id); err != nil {
				return err
			}
		}
		for _, q := range []string{`DELETE FROM attributes WHERE link_id = $1`, `DELETE FROM metadata WHERE resource_id = $1`,
			`DELETE FROM search_docs WHERE service_id = $1`, `DELETE FROM services WHERE id = $1`} {
			if err := tx.exec(ctx, q, id); err != nil {
				return err
			}
		}
		tx.changes.addService(id)
	}
	return nil
}

// withdrawnLocations returns which of the given locations are withdrawn.
func withdrawnLocations(ctx context.Context, tx *Tx, ids []string) (set, error) {
	out := set{}
	err := eachIDBatch(ids, func(in string, args []any) error {
		found, err := queryStrings(ctx, tx, `SELECT id FROM locations WHERE withdrawn <> 0 AND id IN (`+in+`)`, args...)
		for _, id := range found {
			out[id] = true
		}
		return err
	})
	return out, err
}

// withdrawnServices returns which of the given services are withdrawn.
func withdrawnServices(ctx context.Context, tx *Tx, ids []string) (set, error) {
	out := set{}
	err := eachIDBatch(ids, func(in string, args []any) error {
		found, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE withdrawn <> 0 AND id IN (`+in+`)`, args...)
		for _, id := range found {
			out[id] = true
		}
		return err
	})
	return out, err
}

// TakedownStatus returns a record's name and whether it is withdrawn (for a
// service, also when it went down with its organization), or ENOTFOUND.
func (d *DirectoryService) TakedownStatus(ctx context.Context, kind, id string) (name string, withdrawn bool, err error) {
	table, ok := withdrawTables[kind]
	if !ok {
		return "", false, haven.Errorf(haven.EINVALID, "Only a service, an organization or a location can be withdrawn.")
	}
	var w int
	err = d.db.read.QueryRowContext(ctx, `SELECT name, withdrawn FROM `+table+` WHERE id = $1`, id).Scan(&name, &w)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, haven.Errorf(haven.ENOTFOUND, "No %s has the id %q.", kind, id)
	}
	return name, w != 0, err
}

// DeleteListing deletes a service, an organization (with its services) or
// a location, audited.
func (d *DirectoryService) DeleteListing(ctx context.Context, actor, kind, id string) error {
	switch kind {
	case "service":
		return d.DeleteService(ctx, actor, id)
	case "organization":
		return d.DeleteOrganization(ctx, actor, id)
	case "location":
		return d.DeleteLocation(ctx, actor, id)
	}
	return haven.Errorf(haven.EINVALID, "Only a service, an organization or a location can be deleted.")
}

// DeleteLocation deletes a location, audited: the services offered there
// lose it (they stay, at their other locations), and so does the copy of
// it in its organization's record.
func (d *DirectoryService) DeleteLocation(ctx context.Context, actor, id string) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var name string
	var orgID sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT name, organization_id FROM locations WHERE id = $1`, id).Scan(&name, &orgID); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No location has the id %q.", id)
	} else if err != nil {
		return err
	}
	ids, err := queryStrings(ctx, tx, `SELECT DISTINCT service_id FROM service_at_locations WHERE location_id = $1`, id)
	if err != nil {
		return err
	}
	svcs, err := loadServices(ctx, tx, ids)
	if err != nil {
		return err
	}
	notHere := func(l hsds.Location) bool { return l.ID == id }
	for _, s := range svcs {
		s.ServiceAtLocations = slices.DeleteFunc(s.ServiceAtLocations, func(sal hsds.ServiceAtLocation) bool { return sal.LocationID == id })
		if s.Organization != nil {
			s.Organization.Locations = slices.DeleteFunc(s.Organization.Locations, notHere)
		}
		if err := putService(ctx, tx, s); err != nil {
			return err
		}
	}
	if orgID.Valid {
		orgs := map[string]*hsds.Organization{}
		if err := loadDocs(ctx, tx, "organizations", set{orgID.String: true}, func(oid string) any {
			orgs[oid] = &hsds.Organization{}
			return orgs[oid]
		}); err != nil {
			return err
		}
		if o := orgs[orgID.String]; o != nil && slices.ContainsFunc(o.Locations, notHere) {
			o.Locations = slices.DeleteFunc(o.Locations, notHere)
			if err := putOrganization(ctx, tx, o); err != nil {
				return err
			}
		}
	}
	for _, q := range []string{`DELETE FROM attributes WHERE link_id = $1`, `DELETE FROM metadata WHERE resource_id = $1`,
		`DELETE FROM locations WHERE id = $1`} {
		if err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	if err := audit(ctx, tx, actor, "delete", "location", id, "name", name, fmt.Sprintf("taken off %d services", len(svcs))); err != nil {
		return err
	}
	return tx.Commit()
}

// ListWithdrawn returns the withdrawn services, organizations and
// locations, for curators to review or restore.
func (d *DirectoryService) ListWithdrawn(ctx context.Context) ([]haven.WithdrawnListing, error) {
	var out []haven.WithdrawnListing
	for _, kind := range haven.TakedownKinds {
		rows, err := d.db.read.QueryContext(ctx, `SELECT id, name FROM `+withdrawTables[kind]+` WHERE withdrawn = 1 ORDER BY name, id LIMIT 500`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			r := haven.WithdrawnListing{Kind: kind}
			if err := rows.Scan(&r.ID, &r.Name); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// serviceWithdrawn reports whether a service is withdrawn.
func serviceWithdrawn(ctx context.Context, tx *Tx, id string) (bool, error) {
	var w int
	err := tx.QueryRowContext(ctx, `SELECT withdrawn FROM services WHERE id = $1`, id).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return w != 0, err
}

// dropWithdrawnLocations leaves withdrawn locations out of a search
// document's inputs. Most databases have none, which one query per
// transaction finds out.
func dropWithdrawnLocations(ctx context.Context, tx *Tx, in *docInputs) error {
	if len(in.locations) == 0 {
		return nil
	}
	if tx.anyWithdrawn == nil {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM locations WHERE withdrawn <> 0 LIMIT 1) AS x`).Scan(&n); err != nil {
			return err
		}
		some := n > 0
		tx.anyWithdrawn = &some
	}
	if !*tx.anyWithdrawn {
		return nil
	}
	ids := make([]string, len(in.locations))
	for i, l := range in.locations {
		ids[i] = l.ID
	}
	out, err := withdrawnLocations(ctx, tx, ids)
	if err != nil || len(out) == 0 {
		return err
	}
	kept := in.locations[:0:0]
	for _, l := range in.locations {
		if !out[l.ID] {
			kept = append(kept, l)
		}
	}
	in.locations = kept
	return nil
}

// publicServices returns what of svcs the public may see, unless ctx is a
// staff view: withdrawn services left out, withdrawn locations taken off
// the others, and confidential locations redacted.
func publicServices(ctx context.Context, tx *Tx, svcs []*hsds.Service) ([]*hsds.Service, error) {
	if haven.StaffView(ctx) || len(svcs) == 0 {
		return svcs, nil
	}
	ids := make([]string, len(svcs))
	locs := set{}
	for i, s := range svcs {
		ids[i] = s.ID
		for _, sal := range s.ServiceAtLocations {
			locs.add(sal.LocationID)
		}
		if s.Organization != nil {
			for _, l := range s.Organization.Locations {
				locs.add(l.ID)
			}
		}
	}
	out, secret, gone, err := publicFlags(ctx, tx, ids, locs)
	if err != nil {
		return nil, err
	}
	kept := make([]*hsds.Service, 0, len(svcs))
	for _, s := range svcs {
		if out[s.ID] {
			continue
		}
		if len(gone) > 0 {
			s.ServiceAtLocations = slices.DeleteFunc(s.ServiceAtLocations, func(sal hsds.ServiceAtLocation) bool { return gone[sal.LocationID] })
			if o := s.Organization; o != nil {
				c := *o
				c.Locations = slices.DeleteFunc(slices.Clone(c.Locations), func(l hsds.Location) bool { return gone[l.ID] })
				s.Organization = &c
			}
		}
		hsds.RedactService(s, func(id string) bool { return secret[id] })
		kept = append(kept, s)
	}
	return kept, nil
}

// publicFlags returns which of the services are withdrawn, and which of the
// locations are confidential or withdrawn. A page of services and their
// locations fits one statement, which on PostgreSQL is one round trip
// where two queries were two (measured at +0.5 ms a service page, see
// BENCHMARKS.md); more ids go batch by batch.
func publicFlags(ctx context.Context, tx *Tx, svcIDs []string, locs set) (out, secret, gone set, err error) {
	if len(svcIDs)+len(locs) > idsPerQuery {
		if out, err = withdrawnServices(ctx, tx, svcIDs); err != nil {
			return nil, nil, nil, err
		}
		secret, gone, err = locationFlags(ctx, tx, locs)
		return out, secret, gone, err
	}
	out, secret, gone = set{}, set{}, set{}
	args := make([]any, 0, len(svcIDs)+len(locs))
	for _, id := range svcIDs {
		args = append(args, id)
	}
	for id := range locs {
		args = append(args, id)
	}
	query := `SELECT 's', id, 0, withdrawn FROM services WHERE withdrawn <> 0 AND id IN (` + placeholders(1, len(svcIDs)) + `)`
	if len(svcIDs) == 0 {
		query = ""
	}
	if len(locs) > 0 {
		if query != "" {
			query += ` UNION ALL `
		}
		query += `SELECT 'l', id, confidential, withdrawn FROM locations WHERE (confidential <> 0 OR withdrawn <> 0) AND id IN (` +
			placeholders(len(svcIDs)+1, len(locs)) + `)`
	}
	if query == "" {
		return out, secret, gone, nil
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id string
		var c, w int
		if err := rows.Scan(&kind, &id, &c, &w); err != nil {
			return nil, nil, nil, err
		}
		if kind == "s" {
			out[id] = true
		} else {
			secret[id], gone[id] = c != 0, w != 0
		}
	}
	return out, secret, gone, rows.Err()
}

// publicOrganization returns ENOTFOUND for a withdrawn organization unless
// ctx is a staff view.
func publicOrganization(ctx context.Context, tx *Tx, o *hsds.Organization) error {
	if haven.StaffView(ctx) {
		return nil
	}
	var w int
	if err := tx.QueryRowContext(ctx, `SELECT withdrawn FROM organizations WHERE id = $1`, o.ID).Scan(&w); err != nil {
		return err
	}
	if w != 0 {
		return haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", o.ID)
	}
	return nil
}
