package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A large import into an empty directory spends its time on statements, not
// on data: a service is some twenty rows, each an INSERT round trip, and as
// many DELETEs of children it cannot have yet. Bulk mode cuts both:
//
//   - inserts are buffered, by statement, and written as multi-row INSERTs
//     of bulkRows rows (the same statement text each time, so it is
//     prepared once);
//   - the DELETEs that clear an owner's children before rewriting them are
//     skipped for owners that are new: the directory was empty when the
//     import began and the import has not written them yet;
//   - anything else that reaches the database — a query, an UPDATE, a
//     DELETE that must run — first writes out every buffered row, so it
//     sees what the import wrote before it, as it would without buffering.
//
// The buffers are flushed in the order of the tables' references (an
// address after its location), so foreign keys hold at every statement.
// An import's atomicity is unchanged: it is still one transaction.

// bulkRows is how many rows a multi-row INSERT carries, at most; fewer when
// the statement has many columns, to stay under SQLite's 32,766 parameters.
const bulkRows = 128

// bulkFlushAt is how many buffered rows trigger writing them out.
const bulkFlushAt = 16384

// tableOrder is the order buffers are written in: every table after the
// tables it refers to. Tables not listed go last, in first-use order.
var tableOrder = []string{
	"taxonomies", "taxonomy_terms", "units", "organizations", "programs", "organization_identifiers",
	"locations", "addresses", "accessibility", "services", "funding", "service_at_locations", "contacts", "phones",
	"languages", "schedules", "service_areas", "cost_options", "required_documents", "urls", "service_capacities", "attributes", "metadata",
	"search_places", "search_categories", "search_languages", "search_ages", "search_groups", "search_hours", "search_areas", "search_docs", "services_fts",
}

// bulk is a transaction's bulk-mode state.
type bulk struct {
	// fresh says the directory was empty when the import began.
	fresh bool
	// nextRowid numbers new services on SQLite, so that their full-text
	// rows can be written without reading the rowid back.
	nextRowid int64
	bufs      map[string]*bulkBuf // by statement text
	order     []*bulkBuf          // in flush order
	rows      int
	err       error // the first failed flush; the transaction is spoiled
	noCopy    bool  // COPY met a repeated id; INSERT instead
	// dropped holds the CREATE statements of the indexes a fresh SQLite
	// import dropped, to build again, sorted, once the rows are in.
	dropped []string
}

// bulkBuf holds the buffered rows of one INSERT statement.
type bulkBuf struct {
	query           string // the single-row statement
	table           string
	head, row, tail string // "INSERT … VALUES ", "($1, …)", " ON CONFLICT …"
	params          int    // parameters in row
	perStmt         int    // rows per multi-row statement
	args            []any
	ids             map[string]struct{} // first argument of each buffered row
	multi           string              // the multi-row statement of perStmt rows
	rank            int
	keyed           bool
	columns         []string // for COPY, on PostgreSQL; nil when it cannot
}

var (
	insertShape = regexp.MustCompile(`(?s)^\s*INSERT INTO ([a-z_]+) \(.*?\)\s*VALUES \(`)
	placeholder = regexp.MustCompile(`\$(\d+)`)
)

// startBulk puts the transaction in bulk mode, noting whether the
// directory holds no service, organization or location yet.
func (tx *Tx) startBulk(ctx context.Context) error {
	b := &bulk{bufs: map[string]*bulkBuf{}}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM services LIMIT 1) s)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM organizations LIMIT 1) o)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM locations LIMIT 1) l)`).Scan(&n)
	if err != nil {
		return err
	}
	b.fresh = n == 0
	if tx.db.dialect.fts {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rowid), 0) + 1 FROM services_fts`).Scan(&b.nextRowid); err != nil {
			return err
		}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rowid), 0) + 1 FROM services`).Scan(&next); err != nil {
			return err
		}
		b.nextRowid = max(b.nextRowid, next)
	}
	tx.bulk = b
	if tx.db.dialect.file {
		// An import is one transaction, so every page it changes lives in
		// the WAL until it commits, and a page the cache no longer holds is
		// looked for there, through a hash table per 4,096 frames: at a
		// million services that search was half the import's CPU
		// (walFindFrame in its profile). A cache that holds the B-trees'
		// working set avoids it; it grows only as pages are used, up to
		// the bound the importer chose (ImportCacheMiB).
		mib := tx.db.ImportCacheMiB
		if mib <= 0 {
			mib = DefaultImportCacheMiB
		}
		if _, err := tx.Tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, -1024*mib)); err != nil {
			return err
		}
		if b.fresh {
			return tx.dropIndexes(ctx)
		}
	}
	return nil
}

// dropIndexes drops the directory's secondary indexes for a fresh SQLite
// import: building an index once from sorted rows costs a fraction of
// inserting a million random keys into it one at a time. (PostgreSQL would
// lock the tables for the whole import; it keeps its indexes.) Unique
// indexes stay, so that the import still checks what they promise.
func (tx *Tx) dropIndexes(ctx context.Context) error {
	rows, err := tx.Tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (`+quoted(bulkTables)+`)
		ORDER BY name`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
		tx.bulk.dropped = append(tx.bulk.dropped, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := tx.Tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return err
		}
	}
	return nil
}

// restoreIndexes builds again the indexes dropIndexes dropped: at the end
// of the import, or before a statement that needs them (rewriting an object
// the import already wrote deletes its children by owner).
func (tx *Tx) restoreIndexes(ctx context.Context) error {
	if tx.bulk == nil || len(tx.bulk.dropped) == 0 {
		return nil
	}
	if err := tx.flush(ctx); err != nil {
		return err
	}
	for _, create := range tx.bulk.dropped {
		if _, err := tx.Tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	tx.bulk.dropped = nil
	return nil
}

// bulkTables are the tables whose indexes a fresh import drops: those it
// fills, less the taxonomy tables it looks terms up in.
var bulkTables = slices.DeleteFunc(slices.Clone(tableOrder), func(t string) bool {
	return t == "taxonomies" || t == "taxonomy_terms" || t == "services_fts"
})

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return strings.Join(q, ", ")
}

// isNew reports whether an owner (service, organization, location) is
// known to have no rows yet, so that clearing its children can be skipped.
// first says whether this transaction is writing it for the first time.
func (tx *Tx) isNew(first bool) bool {
	return tx.bulk != nil && tx.bulk.fresh && first
}

// buffer takes an INSERT for later, when in bulk mode; it reports false
// for a statement it does not buffer, which the caller then runs.
func (tx *Tx) buffer(ctx context.Context, query string, args []any) (bool, error) {
	b := tx.bulk
	if b == nil {
		return false, nil
	}
	if b.err != nil {
		return true, b.err
	}
	buf, ok := b.bufs[query]
	if !ok {
		buf = newBulkBuf(query, tx.db.dialect)
		b.bufs[query] = buf
		if buf != nil {
			b.order = append(b.order, buf)
			slices.SortStableFunc(b.order, func(x, y *bulkBuf) int { return x.rank - y.rank })
		}
	}
	if buf == nil || len(args) != buf.params {
		return false, nil
	}
	// PostgreSQL refuses an INSERT … ON CONFLICT DO UPDATE that touches one
	// row twice; a repeated id goes in the next statement.
	if buf.keyed {
		id, _ := args[0].(string)
		if _, dup := buf.ids[id]; dup {
			if err := tx.flush(ctx); err != nil {
				return true, err
			}
		}
		buf.ids[id] = struct{}{}
	}
	buf.args = append(buf.args, args...)
	b.rows++
	if b.rows >= bulkFlushAt {
		return true, tx.flush(ctx)
	}
	return true, nil
}

// newBulkBuf parses a single-row INSERT into the parts of a multi-row one,
// or returns nil for a statement of another shape.
func newBulkBuf(query string, d *dialect) *bulkBuf {
	m := insertShape.FindStringSubmatchIndex(query)
	if m == nil {
		return nil
	}
	open := m[1] - 1 // the row's "("
	depth, end := 0, -1
	for i := open; i < len(query) && end < 0; i++ {
		switch query[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				end = i + 1
			}
		}
	}
	if end < 0 {
		return nil
	}
	buf := &bulkBuf{query: query, table: query[m[2]:m[3]], head: query[:open], row: query[open:end], tail: query[end:]}
	if strings.Contains(buf.tail, "(") && !strings.Contains(buf.tail, "ON CONFLICT") {
		return nil // another row follows: already multi-row
	}
	for _, p := range placeholder.FindAllStringSubmatch(buf.row, -1) {
		n, _ := strconv.Atoi(p[1])
		buf.params = max(buf.params, n)
	}
	if buf.params == 0 || placeholder.MatchString(buf.tail) {
		return nil
	}
	buf.perStmt = max(1, min(bulkRows, 30000/buf.params))
	buf.keyed = strings.Contains(buf.tail, "ON CONFLICT")
	buf.ids = map[string]struct{}{}
	buf.rank = len(tableOrder)
	if i := slices.Index(tableOrder, buf.table); i >= 0 {
		buf.rank = i
	}
	row := func(r int) string { return renumber(buf.row, r*buf.params) }
	if d.file && inOrder(buf.row, buf.params) {
		// modernc.org/sqlite looks up every named parameter's name, in a
		// list as long as the statement's parameters: plain ? binds the
		// same values without that quadratic cost.
		plain := placeholder.ReplaceAllString(buf.row, "?")
		row = func(int) string { return plain }
	}
	var sb strings.Builder
	sb.WriteString(buf.head)
	for r := range buf.perStmt {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(row(r))
	}
	sb.WriteString(buf.tail)
	buf.multi = sb.String()
	if d.copy && slices.Contains(bulkTables, buf.table) {
		// Not the taxonomy tables: Haven's own taxonomy is there before
		// any import, so the first COPY of it would conflict.
		buf.columns = copyColumns(buf)
	}
	return buf
}

// inOrder reports whether row holds $1 … $n once each, in that order, so
// that positional ? placeholders bind the same values.
func inOrder(row string, n int) bool {
	ps := placeholder.FindAllStringSubmatch(row, -1)
	if len(ps) != n {
		return false
	}
	for i, p := range ps {
		if p[1] != strconv.Itoa(i+1) {
			return false
		}
	}
	return true
}

// renumber shifts every $n in a row by off.
func renumber(row string, off int) string {
	return placeholder.ReplaceAllStringFunc(row, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		return "$" + strconv.Itoa(n+off)
	})
}

// flush writes every buffered row, table by table in reference order: full
// statements of perStmt rows, then what remains one row at a time, so that
// only two statement texts are ever prepared per table.
func (tx *Tx) flush(ctx context.Context) error {
	b := tx.bulk
	if b == nil || b.rows == 0 {
		return nil
	}
	if b.err != nil {
		return b.err
	}
	if tx.conn != nil && b.fresh && !b.noCopy {
		conflict, err := tx.flushCopy(ctx)
		if err != nil {
			b.err = err
			return err
		}
		if !conflict {
			b.clear()
			return nil
		}
		b.noCopy = true // the input repeats ids: INSERT from here on
	}
	for _, buf := range b.order {
		if len(buf.args) == 0 {
			continue
		}
		if err := tx.flushBuf(ctx, buf); err != nil {
			b.err = err
			return err
		}
	}
	b.clear()
	return nil
}

// clear empties the buffers once their rows are written.
func (b *bulk) clear() {
	for _, buf := range b.order {
		clear(buf.args)
		buf.args = buf.args[:0]
		clear(buf.ids)
	}
	b.rows = 0
}

func (tx *Tx) flushBuf(ctx context.Context, buf *bulkBuf) error {
	args := buf.args
	per := buf.perStmt * buf.params
	for len(args) >= per {
		if err := tx.execNow(ctx, buf.multi, args[:per]...); err != nil {
			// The failing row is not known; the import is rolled back anyway.
			return fmt.Errorf("writing %s (%d rows at once): %w", buf.table, buf.perStmt, err)
		}
		args = args[per:]
	}
	for len(args) > 0 {
		if err := tx.execNow(ctx, buf.query, args[:buf.params]...); err != nil {
			return fmt.Errorf("%s %v: %w", strings.TrimSuffix(buf.table, "s"), args[0], err)
		}
		args = args[buf.params:]
	}
	return nil
}

// barrier writes out the buffered rows before a statement that may read or
// change them runs directly.
func (tx *Tx) barrier(ctx context.Context) error {
	if tx.bulk == nil {
		return nil
	}
	return tx.flush(ctx)
}

// endBulk writes what is buffered and leaves bulk mode.
func (tx *Tx) endBulk(ctx context.Context) error {
	if tx.bulk == nil {
		return nil
	}
	err := tx.restoreIndexes(ctx)
	if err == nil {
		err = tx.flush(ctx)
	}
	if err == nil && tx.db.dialect.file {
		_, err = tx.Tx.ExecContext(ctx, `PRAGMA cache_size = `+sqliteCacheSize)
	}
	tx.bulk = nil
	return err
}

// ExecContext runs a statement directly, after writing out buffered rows.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.barrier(ctx); err != nil {
		return nil, err
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query, after writing out buffered rows.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.barrier(ctx); err != nil {
		return nil, err
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query, after writing out buffered rows. A failed
// flush spoils the transaction: the import stops at its next write.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.barrier(ctx)
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// sum is what Tx.written keeps of an object's JSON: enough to tell a
// repeat from a change without holding every object of a large import.
type sum [16]byte

func sumOf(data string) sum {
	h := sha256.Sum256([]byte(data))
	return sum(h[:16])
}
