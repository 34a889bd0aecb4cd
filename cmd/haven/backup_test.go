package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

// oneAtATime imports services one a transaction, each with its own audit
// line, until stop is closed or the services run out. It returns how many
// it committed.
func oneAtATime(tb testing.TB, db *sqlstore.DB, svcs []*hsds.Service, stop <-chan struct{}, done *atomic.Int64) {
	dir := sqlstore.NewDirectoryService(db)
	for _, s := range svcs {
		select {
		case <-stop:
			return
		default:
		}
		sent := false
		_, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
			if sent {
				return nil, io.EOF
			}
			sent = true
			return s, nil
		}, sqlstore.ImportOptions{Name: "writer"})
		if err != nil {
			tb.Errorf("writer: %v", err)
			return
		}
		done.Add(1)
	}
}

// dumpDB reads every table of an SQLite file, in rowid order, as JSON
// lines: two databases with the same dump hold the same data.
func dumpDB(tb testing.TB, path string) map[string][]string {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	names, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for names.Next() {
		var n string
		names.Scan(&n)
		tables = append(tables, n)
	}
	names.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			b, _ := json.Marshal(vals)
			out[table] = append(out[table], string(b))
		}
		rows.Close()
	}
	return out
}

func countWhere(tb testing.TB, path, query string) int {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestBackupWhileWriting backs up with "haven backup" while another
// connection keeps committing, restores with "haven restore", and compares:
// the backup is one consistent moment (each service with its import line),
// and the restored database holds exactly what the backup holds.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	MustRunMain(t, path, "migrate")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var svcs []*hsds.Service
	sample.Services(400, 3, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })

	stop := make(chan struct{})
	finished := make(chan struct{})
	var written atomic.Int64
	go func() { defer close(finished); oneAtATime(t, db, svcs, stop, &written) }()
	for written.Load() < 10 {
		time.Sleep(5 * time.Millisecond)
	}
	before := written.Load()
	backup := filepath.Join(dir, "backup.db")
	out := MustRunMain(t, path, "backup", backup)
	after := written.Load()
	// Let the writer go on a little past the backup, then stop it.
	for written.Load() < after+5 && written.Load() < int64(len(svcs)) {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	<-finished
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup said: %s", out)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600", err, fi.Mode())
	}

	services := countWhere(t, backup, `SELECT COUNT(*) FROM services`)
	imports := countWhere(t, backup, `SELECT COUNT(*) FROM audit_log WHERE action = 'import'`)
	total := countWhere(t, path, `SELECT COUNT(*) FROM services`)
	t.Logf("writer committed %d services before the backup began, %d when it ended, %d in all; the backup holds %d", before, after, total, services)
	if services != imports {
		t.Errorf("backup is not one moment: %d services but %d import lines", services, imports)
	}
	if int64(services) < before || int64(services) > after {
		t.Errorf("backup holds %d services; the writer had committed %d when it began and %d when it ended", services, before, after)
	}
	if services >= total {
		t.Errorf("the writer did not go on after the backup: %d in the backup, %d in all", services, total)
	}

	// Restore into a new file, then compare every table, row by row.
	restored := filepath.Join(dir, "restored.db")
	out = MustRunMain(t, restored, "restore", backup)
	if !strings.Contains(out, "restored") {
		t.Errorf("restore said: %s", out)
	}
	want, got := dumpDB(t, backup), dumpDB(t, restored)
	if len(want) < 20 {
		t.Fatalf("backup has only %d tables", len(want))
	}
	for table, rows := range want {
		if strings.Join(rows, "\n") != strings.Join(got[table], "\n") {
			t.Errorf("table %s: backup has %d rows, restored %d, or they differ", table, len(rows), len(got[table]))
		}
	}
	// The restored file is a working Haven database.
	rdb, err := sqlstore.Open(context.Background(), restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.CheckIntegrity(context.Background()); err != nil {
		t.Error(err)
	}
	if n, _, err := sqlstore.NewDirectoryService(rdb).CountServices(context.Background()); err != nil || n != services {
		t.Errorf("restored database counts %d services (%v), want %d", n, err, services)
	}
}

// TestRestoreRefuses checks what restore and backup will not do.
func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	MustRunMain(t, live, "migrate")
	backup := filepath.Join(dir, "b.db")
	MustRunMain(t, live, "backup", backup)

	if _, err := runMain(live, "backup", backup); err == nil || !strings.Contains(errorText(err), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	// A database that holds data is replaced only with --force.
	other := filepath.Join(dir, "other.db")
	MustRunMain(t, other, "migrate")
	MustRunMain(t, "", "sample", "--services", "5", "--out", filepath.Join(dir, "s.ndjson"))
	MustRunMain(t, other, "import", filepath.Join(dir, "s.ndjson"))
	if _, err := runMain(other, "restore", backup); err == nil || !strings.Contains(errorText(err), "--force") {
		t.Errorf("restore over a database with data: %v, want a refusal naming --force", err)
	}
	if n := countWhere(t, other, `SELECT COUNT(*) FROM services`); n != 5 {
		t.Errorf("the refused restore changed the database: %d services, want 5", n)
	}
	MustRunMain(t, other, "restore", backup, "--force")
	if n := countWhere(t, other, `SELECT COUNT(*) FROM services`); n != 0 {
		t.Errorf("after restore --force: %d services, want the backup's 0", n)
	}
	// An empty file is no database: restoring into it needs no --force.
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	MustRunMain(t, empty, "restore", backup)

	for _, tc := range []struct {
		args []string
		db   string
		want string
	}{
		{[]string{"restore", filepath.Join(dir, "missing.db")}, other, "No backup"},
		{[]string{"restore", filepath.Join(dir, "s.ndjson")}, filepath.Join(dir, "new.db"), "not a sound Haven backup"},
		{[]string{"backup", filepath.Join(dir, "x.db")}, filepath.Join(dir, "missing.db"), "No database"},
		{[]string{"backup", filepath.Join(dir, "y.db")}, "postgres://haven@db.example/haven", "pg_dump"},
		{[]string{"restore", backup}, "postgres://haven@db.example/haven", "pg_restore"},
	} {
		if _, err := runMain(tc.db, tc.args...); err == nil || !strings.Contains(errorText(err), tc.want) {
			t.Errorf("haven %v --db %s: %v, want %q", tc.args, tc.db, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backup of a missing database created it")
	}
}
