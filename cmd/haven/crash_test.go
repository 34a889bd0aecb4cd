package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"haven/hsds"
	"haven/sample"
	"haven/sqlstore"
)

// crashChild tells the test binary, started again by a crash test, to act
// as a child rather than run the tests.
const crashChild = "HAVEN_CRASH_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(crashChild) {
	case "":
		os.Exit(m.Run())
	case "haven":
		// Be the haven binary: os.Args[1:] are its arguments.
		main()
		os.Exit(0)
	case "edit":
		editForever(os.Args[1], os.Args[2])
	}
	fmt.Fprintln(os.Stderr, "unknown", crashChild)
	os.Exit(2)
}

// editForever renames one service again and again, as a curator would,
// each edit audited in its own transaction, until it is killed. It prints
// "ready" once the first edit is in.
func editForever(path, id string) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dir := sqlstore.NewDirectoryService(db)
	for i := 1; ; i++ {
		if err := dir.UpdateService(ctx, "crash@example.org", id, map[string]string{"name": "Edit " + strconv.Itoa(i)}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i == 1 {
			fmt.Println("ready")
		}
	}
}

// envInt reads a positive whole number from the environment.
func envInt(tb testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a whole number above 0", name, s)
	}
	return n
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// child starts the test binary as a child of the given kind.
func child(kind string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), crashChild+"="+kind)
	return cmd
}

// killed reports whether a child ended by SIGKILL rather than on its own.
func killed(err error) bool {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok {
			return ws.Signaled() && ws.Signal() == syscall.SIGKILL
		}
	}
	return false
}

// mustCheck opens a database a killed process left behind, as the next
// start would, runs SQLite's integrity check and returns it open.
func mustCheck(tb testing.TB, path string) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("%s does not open after the kill: %v", path, err)
	}
	if err := db.CheckIntegrity(context.Background()); err != nil {
		db.Close()
		tb.Fatalf("%s: %v", path, err)
	}
	return db
}

func scalar(tb testing.TB, path, query string, args ...any) int {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestCrashDuringImport kills "haven import" with SIGKILL at random points
// of a large import, HAVEN_CRASH_RUNS times (default 20). Each time the
// database must open, pass PRAGMA integrity_check, and hold the whole import
// (every service and its import line) or none of it. HAVEN_CRASH_SERVICES
// sizes the import (default 400, about a second here).
func TestCrashDuringImport(t *testing.T) {
	t.Parallel()
	runs := envInt(t, "HAVEN_CRASH_RUNS", 20)
	n := envInt(t, "HAVEN_CRASH_SERVICES", 400)
	dir := t.TempDir()
	input := filepath.Join(dir, "import.ndjson")
	if err := writeSample(io.Discard, input, n, 7, "ndjson"); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base.db")
	MustRunMain(t, base, "migrate")
	before := scalar(t, base, `SELECT COUNT(*) FROM services`)

	// One uncut import first: it must hold everything, and it times the
	// window the kills fall in.
	full := filepath.Join(dir, "full.db")
	copyFile(t, base, full)
	start := time.Now()
	if out, err := child("haven", "import", "--db", full, input).CombinedOutput(); err != nil {
		t.Fatalf("uncut import: %v\n%s", err, out)
	}
	window := time.Since(start)
	if got := scalar(t, full, `SELECT COUNT(*) FROM services`); got != before+n {
		t.Fatalf("uncut import holds %d services, want %d", got, before+n)
	}

	var none, all, cut int
	for run := range runs {
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", run))
		copyFile(t, base, path)
		cmd := child("haven", "import", "--db", path, input)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere in the import's life, and somewhat past it, so that some
		// kills land during the commit.
		after := time.Duration(rand.Int64N(int64(window) * 13 / 10))
		time.Sleep(after)
		cmd.Process.Kill()
		err := cmd.Wait()
		wasKilled := killed(err)
		if err != nil && !wasKilled {
			t.Fatalf("run %d: import failed on its own: %v\n%s", run, err, out.String())
		}
		if wasKilled {
			cut++
		}

		db := mustCheck(t, path)
		db.Close()
		services := scalar(t, path, `SELECT COUNT(*) FROM services`)
		lines := scalar(t, path, `SELECT COUNT(*) FROM audit_log WHERE action = 'import'`)
		switch {
		case services == before && lines == 0:
			none++
		case services == before+n && lines == 1:
			all++
		default:
			t.Fatalf("run %d, killed after %v: %d services and %d import lines; want all %d services with 1 line, or none",
				run, after.Round(time.Millisecond), services-before, lines, n)
		}
		os.Remove(path)
	}
	t.Logf("%d runs of a %d-service import (%v uncut): %d killed while running; afterwards %d held none of it, %d all of it; every database passed integrity_check",
		runs, n, window.Round(time.Millisecond), cut, none, all)
	if cut == 0 {
		t.Error("no run was killed while importing: the test showed nothing")
	}
}

// TestCrashDuringEdit kills a process that keeps editing a service, each
// edit with its audit line in one transaction, HAVEN_CRASH_RUNS times. Each
// time the last edit in the data must be the last one in the audit trail,
// and every edit must have its line: the edit and its audit row both exist,
// or neither does.
func TestCrashDuringEdit(t *testing.T) {
	t.Parallel()
	runs := envInt(t, "HAVEN_CRASH_RUNS", 20)
	dir := t.TempDir()
	input := filepath.Join(dir, "one.ndjson")
	if err := writeSample(io.Discard, input, 1, 7, "ndjson"); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base.db")
	MustRunMain(t, base, "import", input)
	var id string
	sample.Services(1, 7, func(s *hsds.Service) error { id = s.ID; return nil })

	edits := 0
	for run := range runs {
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", run))
		copyFile(t, base, path)
		cmd := child("edit", path, id)
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: the editor did not start: %q %s", run, line, stderr.String())
		}
		time.Sleep(time.Duration(rand.Int64N(int64(300 * time.Millisecond))))
		cmd.Process.Kill()
		if err := cmd.Wait(); !killed(err) {
			t.Fatalf("run %d: the editor ended on its own: %v %s", run, err, stderr.String())
		}

		db := mustCheck(t, path)
		sv, err := sqlstore.NewDirectoryService(db).FindServiceByID(context.Background(), id)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		k, err := strconv.Atoi(strings.TrimPrefix(sv.Name, "Edit "))
		if err != nil {
			t.Fatalf("run %d: the service's name is %q", run, sv.Name)
		}
		lines := scalar(t, path, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'service' AND record_id = $1 AND field = 'name' AND actor = 'crash@example.org'`, id)
		last := scalar(t, path, `SELECT COUNT(*) FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log WHERE record_id = $1 AND field = 'name') AND after = $2`, id, sv.Name)
		if lines != k || last != 1 {
			t.Fatalf("run %d: the name is edit %d but the audit trail holds %d name lines (last matches: %v)", run, k, lines, last == 1)
		}
		edits += k
		os.Remove(path)
	}
	t.Logf("%d editors killed after %d committed edits in all; in every database each edit had its audit line and no line lacked its edit; every one passed integrity_check", runs, edits)
}
