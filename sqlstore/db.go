// Package sqlstore keeps Haven's data in SQL. It is written once for both
// engines Haven runs on: an embedded SQLite file, and PostgreSQL for larger
// deployments. SQL text uses $1-style placeholders, which both drivers bind,
// and the few places where the engines differ go through the dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure Go: no C toolchain needed to build Haven

	"haven"
	"haven/internal/dbtest"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open Haven database.
type DB struct {
	// write takes every write. On SQLite it holds one connection, because
	// SQLite allows one writer at a time and queuing in Go beats spinning on
	// "database is locked".
	write *sql.DB
	// read serves queries from a pool.
	read *sql.DB

	dialect *dialect
	dsn     string

	// Now is the clock; tests replace it.
	Now func() time.Time

	// ImportCacheMiB is the SQLite page cache of a bulk import, in MiB
	// (default DefaultImportCacheMiB). An import is one transaction, and a
	// larger cache spares SQLite looking up pages in a growing WAL; it is
	// memory the importer holds until it commits.
	ImportCacheMiB int

	matches matchCache // the curators' list of likely duplicates
}

// DefaultImportCacheMiB is the page cache of a bulk import on SQLite: it
// keeps a 50 MB package's import under half a gigabyte; a million services
// import faster with a gigabyte (haven import --memory).
const DefaultImportCacheMiB = 128

// Options tune how a database is opened. The zero value is sensible.
type Options struct {
	// ReadDSN, for PostgreSQL, names a read replica: searches and page reads
	// go there, writes to the primary.
	ReadDSN string
	// MaxOpenConns bounds each PostgreSQL pool (default 16).
	MaxOpenConns int
	// StatementTimeout stops a PostgreSQL statement running longer
	// (default 30s; negative turns it off).
	StatementTimeout time.Duration
}

// Open opens the database named by dsn, creating it if needed, and applies
// pending migrations. A dsn starting with postgres:// or postgresql:// names
// a PostgreSQL server (sslmode and other settings go in the URL); anything
// else is a path to an SQLite file.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if dsn == "" {
		return nil, haven.Errorf(haven.EINVALID, "no database given: an SQLite file path or a postgres:// URL")
	}
	if isPostgres(dsn) {
		return openPostgres(ctx, dsn, opt)
	}
	if opt.ReadDSN != "" {
		return nil, haven.Errorf(haven.EINVALID, "a read replica works with PostgreSQL only; SQLite reads its own file")
	}
	// Several processes creating one new file at once can briefly find it
	// locked while one of them switches it to WAL, before busy_timeout can
	// help; try again for a few seconds before giving up.
	var err error
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		var db *DB
		if db, err = openSQLite(ctx, dsn); err == nil || !isBusy(err) || wait > 3*time.Second {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked"))
}

func openSQLite(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dialect: sqliteDialect, dsn: dsn, Now: time.Now}
	var err error
	if db.write, err = sql.Open("sqlite", sqliteDSN(dsn, true)); err != nil {
		return nil, err
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
		db.write.Close()
		return nil, err
	}
	db.read.SetMaxOpenConns(8)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", dsn, err)
	}
	return db, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteCacheSize is the writer's page cache, in KiB when negative: 64 MiB.
// A bulk import raises it while it runs and sets it back.
const sqliteCacheSize = "-65536"

// sqliteDSN builds the modernc.org/sqlite DSN for a file path.
func sqliteDSN(path string, writer bool) string {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	q := url.Values{}
	for _, p := range []string{
		// busy_timeout comes first: switching a new file to WAL takes a lock,
		// and without it set, processes starting together failed at once.
		"busy_timeout(10000)", // wait for another process's write instead of failing
		"journal_mode(WAL)",   // readers never block the writer
		"foreign_keys(1)",     // off by default in SQLite
		"synchronous(NORMAL)", // safe with WAL: a crash loses no committed transaction's integrity
		"temp_store(2)",       // statement journals in memory: a big import wrote one per statement to disk
	} {
		q.Add("_pragma", p)
	}
	if writer {
		// A large import touches many index pages; 64 MiB of cache keeps
		// them in memory instead of re-reading them for every record.
		q.Add("_pragma", "cache_size("+sqliteCacheSize+")")
		// Take the write lock at BEGIN, so that a transaction that reads and
		// then writes cannot deadlock with another process doing the same.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path returns the SQLite file's path, or "" on PostgreSQL.
func (db *DB) Path() string {
	if db.dialect.file {
		return db.dsn
	}
	return ""
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name }

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers a query, and the read replica too
// when there is one.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.write.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("primary: %w", err)
	}
	if db.read != db.write {
		if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			return fmt.Errorf("read replica: %w", err)
		}
	}
	return nil
}

// Tx is a transaction with the time it started, so every row it writes
// carries the same timestamp.
type Tx struct {
	*sql.Tx
	db    *DB
	ctx   context.Context
	now   time.Time
	stmts map[string]*sql.Stmt // prepared for this transaction; closed with it
	// written remembers shared objects (organizations, locations, terms)
	// this transaction has stored, by table and id, with their JSON: a
	// service repeating one unchanged need not write it again.
	written map[string]sum
	// bulk, when set, buffers a large import's inserts (see bulk.go).
	bulk *bulk
	// conn is the connection an import's transaction holds apart, on
	// PostgreSQL, for COPY (see bulk_copy.go).
	conn *sql.Conn
	// changes collects what the transaction did to search documents, for
	// the directory_changes log written at commit.
	changes changeSet
	// anyWithdrawn caches whether any location is withdrawn (withdraw.go).
	anyWithdrawn *bool
}

// unchanged reports whether the transaction already wrote this object with
// this content, and records it otherwise; first says whether it is the
// first time the transaction writes this object at all.
func (tx *Tx) unchanged(table, id, data string) (same, first bool) {
	if tx.written == nil {
		tx.written = map[string]sum{}
	}
	key := table + ":" + id
	s := sumOf(data)
	before, seen := tx.written[key]
	if seen && before == s {
		return true, false
	}
	tx.written[key] = s
	return false, !seen
}

// wrote reports whether the transaction wrote this object with this content.
func (tx *Tx) wrote(table, id, data string) bool {
	s, ok := tx.written[table+":"+id]
	return ok && s == sumOf(data)
}

// BeginTx starts a write transaction (readOnly=false) or a read one.
func (db *DB) BeginTx(ctx context.Context, readOnly bool) (*Tx, error) {
	pool := db.write
	if readOnly {
		pool = db.read
	}
	tx, err := pool.BeginTx(ctx, nil)
	if db.dialect.server {
		// A connection the server dropped (a restart, a failover) is found
		// dead only when used, and then leaves the pool. pgx pings those
		// idle over a second; younger ones each fail once here. Nothing has
		// run yet, so try again, at most once per open connection.
		for tries := pool.Stats().OpenConnections + 1; err != nil && tries > 0 && ctx.Err() == nil; tries-- {
			tx, err = pool.BeginTx(ctx, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, db: db, ctx: ctx, now: db.Now().UTC().Truncate(time.Second)}, nil
}

// formatTime stores times as RFC 3339 text in UTC, which sorts correctly.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// placeholders returns "$n, $n+1, …" for count values starting at n.
func placeholders(n, count int) string {
	var b strings.Builder
	for i := range count {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", n+i)
	}
	return b.String()
}

// Setting returns a stored setting, or "" when it is unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

var tableName = regexp.MustCompile(`^[a-z_]+$`)

// countRows counts the rows of a table.
func (db *DB) countRows(ctx context.Context, table string) (int, error) {
	if !tableName.MatchString(table) {
		return 0, fmt.Errorf("bad table name %q", table)
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n)
	return n, err
}

func init() {
	// Tests in other packages reach the database directly through
	// dbtest, not through an exported method of DB.
	dbtest.Set(func(ctx context.Context, db any, query string) error {
		_, err := db.(*DB).write.ExecContext(ctx, query)
		return err
	}, func(ctx context.Context, db any, table string) (int, error) {
		return db.(*DB).countRows(ctx, table)
	})
}
