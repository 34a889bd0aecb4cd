package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"haven"
	"haven/hsds"
)

// A service's HSDS 3.1 capacities (beds free tonight, places in a group)
// change far more often than the rest of it, so they are not part of its
// stored document: each is a row of service_capacities, its unit a row of
// units shared by every capacity that counts it, and loadServices joins
// them back. Rewriting a service rewrites its capacities with it; the
// methods below read and replace them alone.

// putCapacities replaces the capacities of a service with cs, in order,
// storing their units.
func putCapacities(ctx context.Context, tx *Tx, serviceID string, cs []hsds.ServiceCapacity) error {
	for i := range cs {
		c := cs[i] // the caller's value is not changed
		unitID := c.UnitID
		if c.Unit != nil {
			if err := putUnit(ctx, tx, c.Unit); err != nil {
				return err
			}
			unitID = c.Unit.ID
		}
		if unitID == "" || c.Available == nil {
			return haven.Errorf(haven.EINVALID, "capacity %s of service %s needs a unit and a number available.", c.ID, serviceID)
		}
		updated, err := utcMillis(c.Updated)
		if err != nil {
			return haven.Errorf(haven.EINVALID, "capacity %s of service %s: updated %q is not an RFC 3339 date-time.", c.ID, serviceID, c.Updated)
		}
		c.Unit = nil
		if err := tx.exec(ctx, `INSERT INTO service_capacities (id, service_id, position, unit_id, available, maximum, updated_utc, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id, position = excluded.position,
				unit_id = excluded.unit_id, available = excluded.available, maximum = excluded.maximum,
				updated_utc = excluded.updated_utc, data = excluded.data`,
			c.ID, serviceID, i, unitID, *c.Available, c.Maximum, updated, mustJSON(c)); err != nil {
			return fmt.Errorf("service_capacity %s: %w", c.ID, err)
		}
	}
	return nil
}

// utcMillis writes an RFC 3339 date-time in UTC with milliseconds, a form
// whose text order is time order.
func utcMillis(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", err
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00"), nil
}

func putUnit(ctx context.Context, tx *Tx, u *hsds.Unit) error {
	data := mustJSON(u)
	if same, _ := tx.unchanged("units", u.ID, data); same {
		return nil
	}
	if err := tx.exec(ctx, `INSERT INTO units (id, name, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data`, u.ID, u.Name, data); err != nil {
		return fmt.Errorf("unit %s: %w", u.ID, err)
	}
	return nil
}

// attachCapacities gives each service its capacities, with their units, in
// the order they were written.
func attachCapacities(ctx context.Context, tx *Tx, svcs []*hsds.Service) error {
	byID := make(map[string]*hsds.Service, len(svcs))
	ids := make([]string, 0, len(svcs))
	for _, s := range svcs {
		if _, dup := byID[s.ID]; !dup {
			ids = append(ids, s.ID)
		}
		byID[s.ID] = s
		s.Capacities = nil
	}
	type found struct {
		serviceID, unitID string
		c                 hsds.ServiceCapacity
	}
	var all []found
	err := eachIDBatch(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT service_id, unit_id, data FROM service_capacities
			WHERE service_id IN (`+in+`) ORDER BY service_id, position`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f found
			var data string
			if err := rows.Scan(&f.serviceID, &f.unitID, &data); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(data), &f.c); err != nil {
				return fmt.Errorf("stored service_capacity: %w", err)
			}
			all = append(all, f)
		}
		return rows.Err()
	})
	if err != nil || len(all) == 0 {
		return err
	}
	unitIDs := set{}
	for _, f := range all {
		unitIDs.add(f.unitID)
	}
	units := map[string]*hsds.Unit{}
	if err := loadDocs(ctx, tx, "units", unitIDs, func(id string) any {
		units[id] = &hsds.Unit{}
		return units[id]
	}); err != nil {
		return err
	}
	for _, f := range all {
		s := byID[f.serviceID]
		if u := units[f.unitID]; u != nil {
			c := *u
			f.c.Unit = &c
		}
		s.Capacities = append(s.Capacities, f.c)
	}
	// A service listed twice in svcs is one value only when the pointers
	// are the same; give the others their copy too.
	for _, s := range svcs {
		if t := byID[s.ID]; t != s {
			s.Capacities = t.Capacities
		}
	}
	return nil
}

// ServiceCapacities returns a service's capacities with their units, in
// the service's order, or ENOTFOUND when no service has the id.
func (d *DirectoryService) ServiceCapacities(ctx context.Context, serviceID string) ([]hsds.ServiceCapacity, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findCapacities(ctx, tx, serviceID)
}

// findCapacities is ServiceCapacities in a transaction.
func findCapacities(ctx context.Context, tx *Tx, serviceID string) ([]hsds.ServiceCapacity, error) {
	if ok, err := serviceExists(ctx, tx, serviceID); err != nil {
		return nil, err
	} else if !ok {
		return nil, haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", serviceID)
	}
	s := &hsds.Service{ID: serviceID}
	if err := attachCapacities(ctx, tx, []*hsds.Service{s}); err != nil {
		return nil, err
	}
	return s.Capacities, nil
}

func serviceExists(ctx context.Context, tx *Tx, id string) (bool, error) {
	v, err := tx.storedValue(ctx, `SELECT id FROM services WHERE id = $1`, id)
	return v != nil, err
}

// SetServiceCapacities replaces a service's capacities with cs (each
// checked as HSDS 3.1 asks, its unit stored), keeping every updated time as
// given. It is plain storage: it writes no audit row or history and leaves
// the service's last_modified alone; a service method that records who
// changed a count calls setCapacities in its own transaction. EINVALID
// for a capacity that fails the checks, ENOTFOUND for an unknown service.
func (d *DirectoryService) SetServiceCapacities(ctx context.Context, serviceID string, cs []hsds.ServiceCapacity) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := setCapacities(ctx, tx, serviceID, cs); err != nil {
		return err
	}
	return tx.Commit()
}

// setCapacities is SetServiceCapacities in a transaction.
func setCapacities(ctx context.Context, tx *Tx, serviceID string, cs []hsds.ServiceCapacity) error {
	if ok, err := serviceExists(ctx, tx, serviceID); err != nil {
		return err
	} else if !ok {
		return haven.Errorf(haven.ENOTFOUND, "No service has the id %q.", serviceID)
	}
	var errs hsds.Errors
	seen := map[string]bool{}
	for i := range cs {
		c := cs[i]
		if c.ServiceID != "" && c.ServiceID != serviceID {
			return haven.Errorf(haven.EINVALID, "capacity %s belongs to service %s, not %s.", c.ID, c.ServiceID, serviceID)
		}
		if seen[c.ID] {
			return haven.Errorf(haven.EINVALID, "capacity %s is listed twice.", c.ID)
		}
		seen[c.ID] = true
		errs = append(errs, c.Validate()...)
	}
	if len(errs) > 0 {
		return haven.Errorf(haven.EINVALID, "%s", errs.Error())
	}
	if err := tx.exec(ctx, `DELETE FROM service_capacities WHERE service_id = $1`, serviceID); err != nil {
		return err
	}
	if err := putCapacities(ctx, tx, serviceID, cs); err != nil {
		return err
	}
	return refreshRoom(ctx, tx, serviceID) // search's "has room now" follows the counts
}
