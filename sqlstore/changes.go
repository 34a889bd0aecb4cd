package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"haven"
)

// The directory_changes log lets an in-memory search index, in this process
// or any other on the same database, follow every write to the directory.
// A transaction collects the services whose search documents it rewrote —
// and the organizations and locations it rewrote, whose names and cities
// other services show — and logs them just before it commits.

// changesLock is the PostgreSQL advisory lock a transaction holds from
// logging its changes to its commit. Change ids are then handed out in
// commit order: a reader that sees id n has seen every smaller id, which a
// bare sequence would not promise.
const changesLock = 0x6469_7263 // "dirc"

// MaxListedChanges is how many services a transaction logs one by one; one
// that touches more logs a single "any service" row, and followers rebuild.
const MaxListedChanges = 20_000

// ChangeRetention is how long change rows are kept; a follower that has not
// read the log for longer must rebuild.
const ChangeRetention = 24 * time.Hour

// changeSet is what one transaction changed, as sets of ids.
type changeSet struct {
	services, orgs, locations map[string]struct{}
	// placed holds the locations whose place in search changed (their
	// coordinates or confidentiality): their services are indexed again.
	placed map[string]struct{}
	// overflow says more services changed than are listed one by one, so
	// that a large import need not hold every id.
	overflow bool
}

// addService records a changed service, up to MaxListedChanges of them.
func (c *changeSet) addService(id string) {
	if len(c.services) >= MaxListedChanges {
		c.overflow = true
		return
	}
	addID(&c.services, id)
}

func addID(m *map[string]struct{}, id string) {
	if *m == nil {
		*m = map[string]struct{}{}
	}
	(*m)[id] = struct{}{}
}

func (c *changeSet) size() int {
	n := len(c.services) + len(c.orgs) + len(c.locations) + len(c.placed)
	if c.overflow {
		n += MaxListedChanges
	}
	return n
}

// Commit writes what a bulk import buffered, logs the transaction's
// directory changes, then commits.
func (tx *Tx) Commit() error {
	if err := tx.endBulk(tx.ctx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.logChanges(); err != nil {
		tx.Rollback()
		return fmt.Errorf("log directory changes: %w", err)
	}
	return tx.Tx.Commit()
}

func (tx *Tx) logChanges() error {
	c := &tx.changes
	if c.size() == 0 {
		return nil
	}
	ctx := tx.ctx
	if err := tx.reindexPlaced(ctx); err != nil {
		return err
	}
	// The services that show a rewritten organization's name or a
	// rewritten location's city: their stored documents are made again
	// from what SQL reads live, and they are logged with the rest.
	shown, err := tx.servicesShowing(ctx)
	if err != nil {
		return err
	}
	if err := tx.refreshSearchDocs(ctx, shown); err != nil {
		return err
	}
	ids := make(map[string]struct{}, len(c.services)+len(shown))
	for id := range c.services {
		ids[id] = struct{}{}
	}
	for _, id := range shown {
		ids[id] = struct{}{}
	}
	all := c.overflow || len(ids) > MaxListedChanges
	if tx.db.dialect.locks {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, changesLock); err != nil {
			return err
		}
	}
	at := formatTime(tx.now)
	if all {
		_, err := tx.ExecContext(ctx, `INSERT INTO directory_changes (service_id, changed_at) VALUES ('', $1)`, at)
		return err
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	for start := 0; start < len(sorted); start += idsPerQuery {
		batch := sorted[start:min(start+idsPerQuery, len(sorted))]
		args := []any{at}
		var values strings.Builder
		for i, id := range batch {
			if i > 0 {
				values.WriteString(", ")
			}
			args = append(args, id)
			fmt.Fprintf(&values, "($%d, $1)", len(args))
		}
		if err := tx.exec(ctx, `INSERT INTO directory_changes (service_id, changed_at) VALUES `+values.String(), args...); err != nil {
			return err
		}
	}
	tx.changes = changeSet{}
	return nil
}

// servicesShowing returns the services of the transaction's rewritten
// organizations and locations.
func (tx *Tx) servicesShowing(ctx context.Context) ([]string, error) {
	var out []string
	for _, q := range []struct {
		query string
		keys  map[string]struct{}
	}{
		{`SELECT id FROM services WHERE organization_id IN (%s)`, tx.changes.orgs},
		{`SELECT service_id FROM service_at_locations WHERE location_id IN (%s)`, tx.changes.locations},
	} {
		keys := make([]string, 0, len(q.keys))
		for k := range q.keys {
			keys = append(keys, k)
		}
		err := eachIDBatch(keys, func(in string, args []any) error {
			found, err := queryStrings(ctx, tx, fmt.Sprintf(q.query, in), args...)
			out = append(out, found...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// refreshSearchDocs stores again the search documents of the services ids
// names, as SQL search reads them now.
func (tx *Tx) refreshSearchDocs(ctx context.Context, ids []string) error {
	return eachIDBatch(ids, func(in string, args []any) error {
		docs, err := directoryDocs(ctx, tx, `s.id IN (`+in+`) ORDER BY s.id`, args...)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := putSearchDoc(ctx, tx, d.ServiceID, d, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// LastDirectoryChange returns the id of the latest logged change, 0 when
// there is none. A follower that reads it before reading every document
// then replays the changes after it.
func (d *DirectoryService) LastDirectoryChange(ctx context.Context) (int64, error) {
	var id int64
	err := d.db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM directory_changes`).Scan(&id)
	return id, err
}

// DirectoryChanges returns up to limit changes logged after the change
// numbered after, oldest first.
func (d *DirectoryService) DirectoryChanges(ctx context.Context, after int64, limit int) ([]haven.DirectoryChange, error) {
	rows, err := d.db.read.QueryContext(ctx, `SELECT id, service_id FROM directory_changes WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.DirectoryChange
	for rows.Next() {
		var c haven.DirectoryChange
		if err := rows.Scan(&c.Seq, &c.ServiceID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// pruneChanges deletes change rows older than ChangeRetention.
func (db *DB) pruneChanges(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM directory_changes WHERE changed_at < $1`,
		formatTime(db.Now().Add(-ChangeRetention)))
	return err
}
