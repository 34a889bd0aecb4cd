package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	havenhttp "haven/http"
	"haven/internal/testpg"
)

// TestCommandsOnPostgres runs the data commands against PostgreSQL and
// expects what they do on SQLite.
func TestCommandsOnPostgres(t *testing.T) {
	pg := testpg.Fresh(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "60", "--out", in)
	if out := MustRunMain(t, pg, "import", in); !strings.Contains(out, "imported 60 services") {
		t.Fatalf("import: %s", out)
	}
	MustRunMain(t, pg, "import", in) // again: nothing changes
	out := filepath.Join(dir, "out.ndjson")
	MustRunMain(t, pg, "export", "--format", "ndjson", "--out", out)
	lite := filepath.Join(dir, "h.db")
	MustRunMain(t, lite, "import", in)
	outLite := filepath.Join(dir, "lite.ndjson")
	MustRunMain(t, lite, "export", "--format", "ndjson", "--out", outLite)
	if !bytes.Equal(mustRead(t, out), mustRead(t, outLite)) {
		t.Error("PostgreSQL and SQLite export different data")
	}
	if !equalSets(importedLines(t, in), lines(t, out)) {
		t.Error("the PostgreSQL export differs from what was imported")
	}
	for _, q := range []string{"T visa", "screen", "línea de ayuda"} {
		a := MustRunMain(t, pg, "search", q, "--json")
		b := MustRunMain(t, lite, "search", q, "--json")
		if a != b {
			t.Errorf("search %q differs between the engines", q)
		}
	}
	if out := MustRunMain(t, pg, "migrate"); strings.Contains(out, "@") && strings.Contains(out, ":@") {
		t.Errorf("migrate printed a password: %s", out)
	}
}

// TestTwoServersOnPostgres starts two real servers on one database, writes
// through a third process, reads through both, and checks that the daily
// job ran exactly once between them.
func TestTwoServersOnPostgres(t *testing.T) {
	pg := testpg.Fresh(t)
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "haven")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	type server struct {
		cmd  *exec.Cmd
		logs *syncBuffer
		url  string
	}
	var servers []*server
	for range 2 {
		s := &server{logs: &syncBuffer{}}
		s.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", pg, "--jobs-tick", "100ms")
		s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
		if err := s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer s.cmd.Process.Kill()
		servers = append(servers, s)
	}
	for _, s := range servers {
		s.url = waitForURL(t, s.logs)
	}
	in := filepath.Join(dir, "s.ndjson")
	MustRunMain(t, "", "sample", "--services", "7", "--out", in)
	if out, err := exec.Command(bin, "import", "--db", pg, in).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for i, s := range servers {
		// Searches go to each server's in-memory index, which follows the
		// database's change log every half second: wait for it.
		var body havenhttp.SearchResponse
		for deadline := time.Now().Add(20 * time.Second); body.Total != 7 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get(s.url + "api/v1/search?status=all")
			if err != nil {
				t.Fatal(err)
			}
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
		}
		if body.Total != 7 {
			t.Errorf("server %d sees %d services, want 7", i, body.Total)
		}
		resp, err := http.Get(s.url + "api/v1/resources")
		if err != nil {
			t.Fatal(err)
		}
		var lib havenhttp.ResourceList
		json.NewDecoder(resp.Body).Decode(&lib)
		resp.Body.Close()
		if lib.Total != 36 {
			t.Errorf("server %d: library of %d entries, want 36 (seeded once)", i, lib.Total)
		}
	}
	// The first server to claim the job runs it; on a loaded machine that
	// may take a while, so wait for it, then give the other server several
	// more ticks in which it must not run it again.
	jobRan := func(s *server) bool { return strings.Contains(s.logs.String(), `"msg":"job ran","job":"optimize"`) }
	for deadline := time.Now().Add(20 * time.Second); !jobRan(servers[0]) && !jobRan(servers[1]) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // several job ticks on each server
	ran := 0
	for _, s := range servers {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
		ran += strings.Count(s.logs.String(), `"msg":"job ran","job":"optimize"`)
	}
	if ran != 1 {
		var lines []string
		for i, s := range servers {
			for _, l := range strings.Split(s.logs.String(), "\n") {
				if strings.Contains(l, `"job"`) {
					lines = append(lines, fmt.Sprintf("server %d: %s", i, l))
				}
			}
		}
		t.Errorf("the optimize job ran %d times across two servers, want once; the jobs' log lines:\n%s", ran, strings.Join(lines, "\n"))
	}
}
