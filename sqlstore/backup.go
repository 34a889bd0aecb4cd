package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"

	"haven"
)

// PostgresBackupAdvice is what Haven says when asked to back up or restore
// PostgreSQL itself: PostgreSQL's own tools do it better.
const PostgresBackupAdvice = `Haven backs up SQLite files only. Back up PostgreSQL with its own tools while Haven runs:
  pg_dump --format=custom --file=haven.dump 'postgres://…'
and restore into an empty database with:
  pg_restore --no-owner --dbname='postgres://…' haven.dump
(see "Backups" in the README).`

// sqlitePath is the file an SQLite DSN names.
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// Backup writes a consistent copy of the SQLite database dsn names to the
// new file out, while servers go on reading and writing it. It uses VACUUM
// INTO, which copies one read transaction's snapshot, so the copy holds
// every transaction committed before it began and none after, and is
// compacted. The copy is written beside out, checked, and only then renamed
// into place, readable by its owner alone: it holds password hashes and
// sessions. It returns the backup's size in bytes.
func Backup(ctx context.Context, dsn, out string) (int64, error) {
	if isPostgres(dsn) {
		return 0, haven.Errorf(haven.EINVALID, "%s", PostgresBackupAdvice)
	}
	if out == "" {
		return 0, haven.Errorf(haven.EINVALID, "A backup needs the name of the file to write.")
	}
	src := sqlitePath(dsn)
	if _, err := os.Stat(out); err == nil {
		return 0, haven.Errorf(haven.ECONFLICT, "%s already exists: a backup never overwrites a file; choose a new name.", out)
	}
	db, err := openExisting(ctx, src, false)
	if err != nil {
		return 0, err
	}
	defer db.Close()

	// VACUUM INTO takes an empty file, so a unique temporary one will do.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".haven-backup-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, tmp.Name()); err != nil {
		return 0, fmt.Errorf("backup of %s: %w", src, err)
	}
	if err := checkFile(ctx, tmp.Name()); err != nil {
		return 0, fmt.Errorf("the backup failed its check, so it was not kept: %w", err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// RestoreReport says what a restore replaced.
type RestoreReport struct {
	Services  int // services in the restored database
	Resources int // library entries in the restored database
}

// Restore replaces the SQLite database dsn names with the backup in, which
// must be a Haven database that passes SQLite's integrity check. A database
// that already holds tables is replaced only with force. It uses SQLite's
// backup API, which writes the whole copy in one transaction under the
// database's locks: a crash leaves the old database or the new one, never a
// mix. Stop the servers first all the same, so none of them is midway
// through work the restore throws away.
func Restore(ctx context.Context, in, dsn string, force bool) (*RestoreReport, error) {
	if isPostgres(dsn) {
		return nil, haven.Errorf(haven.EINVALID, "%s", PostgresBackupAdvice)
	}
	dst := sqlitePath(dsn)
	if _, err := os.Stat(in); err != nil {
		return nil, haven.Errorf(haven.ENOTFOUND, "No backup at %s.", in)
	}
	if err := checkFile(ctx, in); err != nil {
		return nil, haven.Errorf(haven.EINVALID, "%s is not a sound Haven backup, so nothing was restored: %v", in, err)
	}
	applied, err := fileMigration(ctx, in)
	if err != nil {
		return nil, err
	}
	if ms, err := loadMigrations(SQLite); err != nil {
		return nil, err
	} else if known := ms[len(ms)-1].version; applied > known {
		return nil, haven.Errorf(haven.EINVALID, "%s comes from a newer Haven (schema version %d; this one knows %d): restore it with that version.", in, applied, known)
	}
	if fi, err := os.Stat(dst); err == nil && fi.Size() > 0 {
		n, err := tableCount(ctx, dst)
		if err != nil {
			return nil, fmt.Errorf("restore: %s: %w", dst, err)
		}
		if n > 0 && !force {
			return nil, haven.Errorf(haven.ECONFLICT, "%s already holds a database (%d tables), which only a forced restore replaces with %s.", dst, n, in)
		}
	}

	db, err := sql.Open("sqlite", sqliteDSN(dst, true))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("restore: open %s: %w", dst, err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		rc, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no backup API")
		}
		b, err := rc.NewRestore("file:" + in + "?mode=ro")
		if err != nil {
			return err
		}
		// All pages in one step: one transaction on the destination.
		_, err = b.Step(-1)
		return errors.Join(err, b.Finish())
	})
	if err != nil {
		return nil, fmt.Errorf("restore %s into %s: %w", in, dst, err)
	}
	conn.Close()
	db.Close()
	if err := checkFile(ctx, dst); err != nil {
		return nil, fmt.Errorf("restore: %s fails its check after the restore: %w", dst, err)
	}
	rep := &RestoreReport{}
	chk, err := openExisting(ctx, dst, true)
	if err != nil {
		return nil, err
	}
	defer chk.Close()
	if err := chk.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM services), (SELECT COUNT(*) FROM resources)`).Scan(&rep.Services, &rep.Resources); err != nil {
		return nil, fmt.Errorf("restore: count what was restored: %w", err)
	}
	return rep, nil
}

// openExisting opens an SQLite file that must already be a Haven database,
// without migrating it: backups must not change what they copy.
// A read-only one leaves the file exactly as it was, as a backup should be.
func openExisting(ctx context.Context, path string, readOnly bool) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, haven.Errorf(haven.ENOTFOUND, "No database at %s.", path)
	}
	dsn := sqliteDSN(path, false)
	if readOnly {
		dsn = readOnlyDSN(path)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		db.Close()
		if isBusy(err) {
			return nil, err
		}
		return nil, haven.Errorf(haven.EINVALID, "%s is not a Haven database: %v", path, err)
	}
	return db, nil
}

// checkFile runs SQLite's integrity check on a file, read-only.
func checkFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	return integrityCheck(ctx, db)
}

// integrityCheck runs PRAGMA integrity_check, which answers "ok" or lists
// what is wrong.
func integrityCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" && len(problems) < 10 {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// CheckIntegrity runs SQLite's full integrity check (PRAGMA
// integrity_check) and returns an error naming the problems it finds. On
// PostgreSQL, which checks its pages itself, it only checks that the
// database answers.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	if !db.dialect.file {
		return db.Ping(ctx)
	}
	return integrityCheck(ctx, db.read)
}

func fileMigration(ctx context.Context, path string) (int, error) {
	db, err := openExisting(ctx, path, true)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func tableCount(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n)
	return n, err
}

func readOnlyDSN(path string) string { return "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)" }

// syncFile flushes a file to disk before it is renamed into place.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
