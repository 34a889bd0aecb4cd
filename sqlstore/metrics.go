package sqlstore

import (
	"context"
	"database/sql"
)

// PoolStats returns the statistics of the connection pools, by name:
// "write" and "read". When reads and writes share one pool (PostgreSQL
// without a replica) it is reported once, as "write".
func (db *DB) PoolStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{"write": db.write.Stats()}
	if db.read != db.write {
		out["read"] = db.read.Stats()
	}
	return out
}

// MetricCounts returns what /metrics reports from the data: how many
// imports have been committed (from the audit trail, which every import
// writes to), and the checked web addresses by result: "ok", "broken"
// (an error or a status of 400 or more), "redirected" or "not_checked"
// (refused by the checker for their private address; the error text is
// linkcheck.ErrPrivateAddress).
func (db *DB) MetricCounts(ctx context.Context) (imports int, links map[string]int, err error) {
	// record_type leads audit_record_idx, so this reads the index only.
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'directory' AND action = 'import'`).Scan(&imports); err != nil {
		return 0, nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT CASE WHEN error = 'not checked: private address' THEN 'not_checked'
		WHEN error <> '' OR status >= 400 THEN 'broken'
		WHEN final_url <> '' THEN 'redirected' ELSE 'ok' END AS result, COUNT(*) FROM link_checks GROUP BY result`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	links = map[string]int{}
	for rows.Next() {
		var result string
		var n int
		if err := rows.Scan(&result, &n); err != nil {
			return 0, nil, err
		}
		links[result] = n
	}
	return imports, links, rows.Err()
}
