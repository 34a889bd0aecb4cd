package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/hsds"
)

// Capacity updates (issue 21): a curator's new count goes live at once,
// as the capacity row, a line of capacity_history (migration 0027), a line
// of the audit trail and a directory change, all in one transaction, so
// that every search index on the database sees the service's room change.

var _ haven.CapacityService = (*DirectoryService)(nil)

// UpdateCapacity implements haven.CapacityService.
func (d *DirectoryService) UpdateCapacity(ctx context.Context, actor, serviceID, capacityID string, available int) error {
	tx, err := d.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The service first, as every write of the whole service locks it: one
	// in between would put back the count it read (lockService).
	if err := lockService(ctx, tx, serviceID); err != nil {
		return err
	}
	var unitID, data string
	var before float64
	var maximum *float64
	// Locked until commit on PostgreSQL, so that two people pressing +
	// at once are recorded one after the other, each with its true before.
	err = tx.QueryRowContext(ctx, `SELECT unit_id, available, maximum, data FROM service_capacities WHERE id = $1 AND service_id = $2`+
		tx.db.dialect.forUpdate(false), capacityID, serviceID).Scan(&unitID, &before, &maximum, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "Service %q has no capacity %q.", serviceID, capacityID)
	} else if err != nil {
		return err
	}
	if available < 0 || maximum != nil && float64(available) > *maximum {
		limit := "0 or more"
		if maximum != nil {
			limit = "from 0 to " + strconv.FormatFloat(*maximum, 'f', -1, 64)
		}
		return haven.Errorf(haven.EINVALID, "The number available must be %s.", limit)
	}
	var c hsds.ServiceCapacity
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return fmt.Errorf("stored service_capacity %s: %w", capacityID, err)
	}
	after := float64(available)
	c.Available = &after
	c.Updated = tx.now.UTC().Format(time.RFC3339)
	updated, _ := utcMillis(c.Updated)
	if err := tx.exec(ctx, `UPDATE service_capacities SET available = $1, updated_utc = $2, data = $3 WHERE id = $4`,
		after, updated, mustJSON(c), capacityID); err != nil {
		return err
	}
	if err := tx.exec(ctx, `INSERT INTO capacity_history (service_id, capacity_id, unit_id, before, after, maximum, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, serviceID, capacityID, unitID, before, after, maximum, actor, formatTime(tx.now)); err != nil {
		return err
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	// Its own action: a count is not undone from the history page, it is
	// set again.
	if err := audit(ctx, tx, actor, capacityAction, "service", serviceID, "capacity:"+capacityID, num(before), num(after)); err != nil {
		return err
	}
	if err := touchService(ctx, tx, serviceID); err != nil {
		return err
	}
	if err := refreshRoom(ctx, tx, serviceID); err != nil {
		return err
	}
	return tx.Commit()
}

// capacityAction is the audit trail's action of a capacity's new count.
const capacityAction = "capacity"

// touchService stamps a service modified now, in its column and its stored
// document: a new count changes what the HSDS API gives for the service,
// so a client polling with modified_after must learn of it.
func touchService(ctx context.Context, tx *Tx, id string) error {
	v, err := tx.storedValue(ctx, `SELECT data FROM services WHERE id = $1`, id)
	if err != nil || v == nil {
		return err
	}
	var s hsds.Service
	if err := json.Unmarshal([]byte(*v), &s); err != nil {
		return fmt.Errorf("stored service %s: %w", id, err)
	}
	s.LastModified = tx.now.UTC().Format(time.RFC3339)
	return tx.exec(ctx, `UPDATE services SET data = $1, last_modified = $2, updated_at = $3 WHERE id = $4`,
		mustJSON(s), s.LastModified, formatTime(tx.now), id)
}

// refreshRoom rewrites the room time of a service's stored search document
// from its capacity rows and logs the service as changed. A withdrawn
// service has no document and stays without one.
func refreshRoom(ctx context.Context, tx *Tx, serviceID string) error {
	docs, err := storedDocs(ctx, tx, newDocDecoder(), `service_id = $1`, serviceID)
	if err != nil || len(docs) == 0 {
		return err
	}
	doc := docs[0]
	room, err := roomOf(ctx, tx, serviceID)
	if err != nil {
		return err
	}
	doc.RoomUpdated = room
	if err := putSearchDoc(ctx, tx, serviceID, doc, false); err != nil {
		return err
	}
	tx.changes.addService(serviceID)
	return nil
}

// roomOf reads haven.RoomUpdated of a service from its capacity rows.
func roomOf(ctx context.Context, tx *Tx, serviceID string) (*time.Time, error) {
	v, err := tx.storedValue(ctx, `SELECT COALESCE(MAX(updated_utc), '') FROM service_capacities WHERE service_id = $1 AND available > 0`, serviceID)
	if err != nil || v == nil || *v == "" {
		return nil, err
	}
	return parseRoom(*v)
}

func parseRoom(s string) (*time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, fmt.Errorf("stored capacity time %q: %w", s, err)
	}
	t = t.UTC()
	return &t, nil
}

// readRoom fills in the room times of the documents in byID, whose ids are
// args and in placeholders, as searchDoc makes them.
func readRoom(ctx context.Context, tx *Tx, in string, ids []any, byID map[string]*haven.DirectoryDoc) error {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, MAX(updated_utc) FROM service_capacities
		WHERE available > 0 AND service_id IN (`+in+`) GROUP BY service_id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, at string
		if err := rows.Scan(&sid, &at); err != nil {
			return err
		}
		if byID[sid].RoomUpdated, err = parseRoom(at); err != nil {
			return err
		}
	}
	return rows.Err()
}

// roomCond is the SQL condition on services s of having room since a time,
// as the index's filter reads RoomUpdated: a capacity above zero updated at
// or after it. Stored times are UTC with milliseconds, whose text order is
// time order (utcMillis).
func roomCond(since time.Time, arg func(any) string) string {
	return `EXISTS (SELECT 1 FROM service_capacities c WHERE c.service_id = s.id AND c.available > 0 AND c.updated_utc >= ` +
		arg(since.UTC().Format("2006-01-02T15:04:05.000Z07:00")) + `)`
}

// CapacityHistory implements haven.CapacityService.
func (d *DirectoryService) CapacityHistory(ctx context.Context, capacityID string, limit int) ([]haven.CapacityChange, error) {
	rows, err := d.db.read.QueryContext(ctx, `SELECT service_id, capacity_id, unit_id, before, after, maximum, actor, at
		FROM capacity_history WHERE capacity_id = $1 ORDER BY id DESC LIMIT $2`, capacityID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.CapacityChange
	for rows.Next() {
		var c haven.CapacityChange
		var at string
		if err := rows.Scan(&c.ServiceID, &c.CapacityID, &c.UnitID, &c.Before, &c.After, &c.Maximum, &c.Actor, &at); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// OrganizationCapacities implements haven.CapacityService. Withdrawn
// services are left out.
func (d *DirectoryService) OrganizationCapacities(ctx context.Context, orgID string) ([]haven.ServiceCapacities, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if v, err := tx.storedValue(ctx, `SELECT id FROM organizations WHERE id = $1`, orgID); err != nil {
		return nil, err
	} else if v == nil {
		return nil, haven.Errorf(haven.ENOTFOUND, "No organization has the id %q.", orgID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM services
		WHERE organization_id = $1 AND withdrawn = 0 AND EXISTS (SELECT 1 FROM service_capacities c WHERE c.service_id = services.id)
		ORDER BY name, id`, orgID)
	if err != nil {
		return nil, err
	}
	var out []haven.ServiceCapacities
	var svcs []*hsds.Service
	for rows.Next() {
		var sc haven.ServiceCapacities
		if err := rows.Scan(&sc.ServiceID, &sc.ServiceName); err != nil {
			rows.Close()
			return nil, err
		}
		sc.OrgID = orgID
		out = append(out, sc)
		svcs = append(svcs, &hsds.Service{ID: sc.ServiceID})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := attachCapacities(ctx, tx, svcs); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Capacities = svcs[i].Capacities
	}
	return out, nil
}

// CapacityReport implements haven.CapacityService. Units are named by
// their names; two units of one name are one line.
func (d *DirectoryService) CapacityReport(ctx context.Context, since time.Time, maxAge time.Duration) (*haven.CapacityReport, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rep := &haven.CapacityReport{Since: since.UTC()}
	fresh := haven.RoomSince(tx.now, maxAge).Format("2006-01-02T15:04:05.000Z07:00")
	rows, err := tx.QueryContext(ctx, `SELECT u.name, COUNT(*), SUM(c.available), COALESCE(SUM(c.maximum), 0),
			SUM(CASE WHEN c.updated_utc >= $1 THEN 1 ELSE 0 END)
		FROM service_capacities c JOIN units u ON u.id = c.unit_id JOIN services s ON s.id = c.service_id
		WHERE s.withdrawn = 0 GROUP BY u.name ORDER BY u.name`, fresh)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t haven.CapacityUnitTotal
		if err := rows.Scan(&t.Unit, &t.Capacities, &t.Available, &t.Maximum, &t.Fresh); err != nil {
			rows.Close()
			return nil, err
		}
		rep.Units = append(rep.Units, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Months are cut from the stored RFC 3339 text, alike on both engines.
	rows, err = tx.QueryContext(ctx, `SELECT SUBSTR(h.at, 1, 7), COALESCE(u.name, h.unit_id), COUNT(*)
		FROM capacity_history h LEFT JOIN units u ON u.id = h.unit_id
		WHERE h.at >= $1 GROUP BY SUBSTR(h.at, 1, 7), COALESCE(u.name, h.unit_id)`, formatTime(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m haven.CapacityMonth
		if err := rows.Scan(&m.Month, &m.Unit, &m.Updates); err != nil {
			return nil, err
		}
		rep.Months = append(rep.Months, m)
	}
	slices.SortFunc(rep.Months, func(a, b haven.CapacityMonth) int {
		if c := strings.Compare(a.Month, b.Month); c != 0 {
			return c
		}
		return strings.Compare(a.Unit, b.Unit)
	})
	return rep, rows.Err()
}

// appendRoom writes a document's room time (version 3 on): a flag byte,
// then the time in Unix milliseconds when the flag is 1.
func appendRoom(b []byte, d *haven.DirectoryDoc) []byte {
	if d.RoomUpdated == nil {
		return append(b, 0)
	}
	b = append(b, 1)
	return binary.AppendVarint(b, d.RoomUpdated.UnixMilli())
}

// room reads what appendRoom wrote into d.
func (r *docReader) room(d *haven.DirectoryDoc) {
	switch r.byte() {
	case 0:
	case 1:
		ms, k := binary.Varint(r.b)
		if k <= 0 {
			r.fail()
			return
		}
		r.b = r.b[k:]
		t := time.UnixMilli(ms).UTC()
		d.RoomUpdated = &t
	default:
		r.fail()
	}
}
