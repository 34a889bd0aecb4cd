package sqlstore

import (
	"context"
	"fmt"
)

// searchVersion names the way search terms are made and stored. Change it
// whenever package analyze or writeTerms changes: a database indexed under
// another version has its terms rebuilt when it is next opened, so results
// never mix two analyses.
const searchVersion = "5" // 5: room, the latest update of a capacity above zero (search document version 3); 4: who is served and hours (migration 0022), service areas resolved (search_areas, migration 0021)

// reindexIfNeeded rebuilds every row's search terms when the database was
// indexed under another searchVersion. It runs under the migration lock.
func (db *DB) reindexIfNeeded(ctx context.Context) error {
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = 'search_version'), '')`).Scan(&v); err != nil {
		return err
	}
	if v == searchVersion {
		return nil
	}
	rs, err := queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources r`)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := indexResource(ctx, tx, r); err != nil {
			return fmt.Errorf("reindex resource %s: %w", r.ID, err)
		}
	}
	pages, err := queryPages(ctx, tx, `SELECT `+pageColumns+` FROM learning_pages`)
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := indexPage(ctx, tx, p); err != nil {
			return fmt.Errorf("reindex page %s: %w", p.Slug, err)
		}
	}
	after := ""
	for {
		ids, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE id > $1 ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		svcs, err := loadServices(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if err := indexService(ctx, tx, s); err != nil {
				return fmt.Errorf("reindex service %s: %w", s.ID, err)
			}
		}
		after = ids[len(ids)-1]
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('search_version', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, searchVersion); err != nil {
		return err
	}
	return tx.Commit()
}

// fillSearchDocsIfNeeded stores every service's search document once, in a
// database made before search_docs (migration 0010): read from the rows SQL
// search reads, which is far cheaper than a reindex. From then on every
// write keeps them. It runs under the migration lock.
func (db *DB) fillSearchDocsIfNeeded(ctx context.Context) error {
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = 'search_docs'), '')`).Scan(&v); err != nil {
		return err
	}
	if v == "filled" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
		return err
	}
	for after := ""; ; {
		docs, err := directoryDocs(ctx, tx, `s.id > $1 ORDER BY s.id LIMIT 1000`, after)
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			break
		}
		for _, d := range docs {
			if err := putSearchDoc(ctx, tx, d.ServiceID, d, true); err != nil {
				return fmt.Errorf("search document of service %s: %w", d.ServiceID, err)
			}
		}
		after = docs[len(docs)-1].ServiceID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('search_docs', 'filled')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`); err != nil {
		return err
	}
	return tx.Commit()
}
