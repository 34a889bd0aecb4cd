package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// CountRows counts the rows of a table.
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	return db.countRows(ctx, table)
}

// ExecForTest runs a statement directly, for tests that check what the
// database itself refuses.
func (db *DB) ExecForTest(ctx context.Context, query string) error {
	_, err := db.write.ExecContext(ctx, query)
	return err
}

// DumpForTest returns every row of a table as text, sorted, for tests that
// compare two databases. On SQLite the services' full-text rows come with
// their service's id, since rowids may differ.
func (db *DB) DumpForTest(ctx context.Context, table string) ([]string, error) {
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("bad table name %q", table)
	}
	query := `SELECT * FROM ` + table
	if table == "services_fts" {
		query = `SELECT s.id, f.name_terms, f.body_terms FROM services_fts f JOIN services s ON s.rowid = f.rowid`
	}
	rows, err := db.read.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, v := range vals {
			if b.Len() > 0 {
				b.WriteString(" | ")
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v", cols[i], v)
		}
		out = append(out, b.String())
	}
	slices.Sort(out)
	return out, rows.Err()
}

// IndexesForTest returns the names of the database's indexes, sorted.
func (db *DB) IndexesForTest(ctx context.Context) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`
	if !db.dialect.file {
		query = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`
	}
	rows, err := db.read.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}
