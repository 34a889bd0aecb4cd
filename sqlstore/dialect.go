package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"haven/analyze"
)

// The few places where SQLite and PostgreSQL differ: full-text matching,
// ranking and the writing of search terms. Both engines index the terms
// package analyze makes, so they match exactly alike: SQLite in an FTS5
// table whose rowid is the row's, PostgreSQL in a tsvector column built with
// array_to_tsvector (no parser, no dictionary: the terms as they are) under
// a GIN index, queried with a tsquery cast from text.

// dialect is what differs between the engines, named by what differs, so
// that the rest of the store asks it rather than comparing engine names.
type dialect struct {
	name string // "sqlite" or "postgres", also the folder of its migrations
	// file: the database is one SQLite file, written through one
	// connection: it has a path, checks its own pages when asked, is tuned
	// with PRAGMAs, and binds plain ? parameters faster than numbered ones.
	file bool
	// fts: search terms live in FTS5 tables beside their rows, joined by
	// rowid; otherwise in a weighted tsvector column of the row itself.
	fts bool
	// locks: rows can be locked (SELECT … FOR UPDATE) and advisory locks
	// taken; without them the single writer serializes every write.
	locks bool
	// copy: large imports stream rows with COPY.
	copy bool
	// server: connections go to a server, which may drop them (a restart,
	// a failover).
	server bool
	// optimize refreshes the query planner's statistics.
	optimize string
}

var (
	sqliteDialect   = &dialect{name: SQLite, file: true, fts: true, optimize: `PRAGMA optimize`}
	postgresDialect = &dialect{name: Postgres, locks: true, copy: true, server: true, optimize: `ANALYZE`}
)

// forUpdate is the clause that locks the rows a SELECT reads until the
// transaction ends, where the engine has row locks; skipLocked passes over
// rows another transaction holds instead of waiting for them.
func (d *dialect) forUpdate(skipLocked bool) string {
	switch {
	case !d.locks:
		return ""
	case skipLocked:
		return " FOR UPDATE SKIP LOCKED"
	}
	return " FOR UPDATE"
}

// ftsTable names the FTS5 table beside each searchable SQLite table.
var ftsTable = map[string]string{"resources": "resources_fts", "services": "services_fts", "learning_pages": "learning_fts"}

// textMatch is the condition that the row aliased alias, of table, matches
// the query in argument arg.
func (d *dialect) textMatch(table, alias, arg string) string {
	if !d.fts {
		return alias + `.search @@ ` + arg + `::tsquery`
	}
	fts := ftsTable[table]
	return alias + `.rowid IN (SELECT rowid FROM ` + fts + ` WHERE ` + fts + ` MATCH ` + arg + `)`
}

// textRank orders rows best match first, the same way on both engines:
// by how many of the query's words the title or name holds (head_terms),
// then by the caller's tie-breakers. It appends its arguments to args.
func textRank(alias string, q analyze.Query, args *[]any) string {
	var hits []string
	for _, g := range q {
		var any []string
		for _, t := range g {
			*args = append(*args, "% "+t+" %")
			any = append(any, fmt.Sprintf("%s.head_terms LIKE $%d", alias, len(*args)))
		}
		hits = append(hits, "(CASE WHEN "+strings.Join(any, " OR ")+" THEN 1 ELSE 0 END)")
	}
	return "(" + strings.Join(hits, " + ") + ") DESC"
}

// matchQuery renders an analyzed query for the engine: every group must
// match, and a group matches on any of its terms.
func (d *dialect) matchQuery(q analyze.Query) string {
	groups := make([]string, len(q))
	for i, g := range q {
		terms := make([]string, len(g))
		for j, t := range g {
			if !d.fts {
				terms[j] = `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + `'`
			} else {
				terms[j] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
			}
		}
		op := " OR "
		if !d.fts {
			op = " | "
		}
		groups[i] = "(" + strings.Join(terms, op) + ")"
	}
	if !d.fts {
		return strings.Join(groups, " & ")
	}
	return strings.Join(groups, " AND ")
}

// writeTerms stores a row's search terms: head (title or name) and body.
func writeTerms(ctx context.Context, tx *Tx, table, id string, head, body []string) error {
	key := "id"
	if table == "learning_pages" {
		key = "slug"
	}
	if err := tx.exec(ctx, `UPDATE `+table+` SET head_terms = $2 WHERE `+key+` = $1`, id, " "+strings.Join(head, " ")+" "); err != nil {
		return err
	}
	if !tx.db.dialect.fts {
		// Terms never hold spaces, so a space-joined string travels as one
		// parameter and string_to_array rebuilds the array.
		return tx.exec(ctx, `UPDATE `+table+` SET search =
			setweight(array_to_tsvector(string_to_array($2, ' ')), 'A') ||
			setweight(array_to_tsvector(string_to_array($3, ' ')), 'B') WHERE `+key+` = $1`,
			id, strings.Join(head, " "), strings.Join(body, " "))
	}
	fts := ftsTable[table]
	var rowid int64
	if err := tx.QueryRowContext(ctx, `SELECT rowid FROM `+table+` WHERE `+key+` = $1`, id).Scan(&rowid); err != nil {
		return err
	}
	if err := tx.exec(ctx, `DELETE FROM `+fts+` WHERE rowid = $1`, rowid); err != nil {
		return err
	}
	cols := map[string]string{"resources": "title_terms, body_terms", "services": "name_terms, body_terms", "learning_pages": "title_terms, body_terms"}[table]
	return tx.exec(ctx, `INSERT INTO `+fts+` (rowid, `+cols+`) VALUES ($1, $2, $3)`,
		rowid, strings.Join(head, " "), strings.Join(body, " "))
}
