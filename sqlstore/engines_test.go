package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// engine is a database engine the contract suite runs on. fresh returns the
// DSN of a new, empty database of that engine, removed when the test ends.
type engine struct {
	name  string
	fresh func(tb testing.TB) string
}

const pgEnv = "HAVEN_TEST_POSTGRES"

var allEngines = []engine{
	{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "haven.db") }},
	{"postgres", freshPostgres},
}

// eachEngine runs the same test, with the same assertions, on every engine.
// Without HAVEN_TEST_POSTGRES the PostgreSQL half skips, and says so loudly.
func eachEngine(t *testing.T, fn func(t *testing.T, e engine)) {
	for _, e := range allEngines {
		t.Run(e.name, func(t *testing.T) {
			if e.name == "postgres" && os.Getenv(pgEnv) == "" {
				t.Skip("SKIPPED: PostgreSQL contract tests need " + pgEnv + ", e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
			}
			fn(t, e)
		})
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(pgEnv) == "" {
		fmt.Fprintf(os.Stderr, "\n*** %s is not set: the PostgreSQL half of the store contract suite is SKIPPED ***\n\n", pgEnv)
	}
	os.Exit(m.Run())
}

// freshPostgres makes a schema of its own for one test, so tests never see
// each other's rows, and drops it afterwards.
func freshPostgres(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(pgEnv)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "haven_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema on %s: %v", pgEnv, err)
	}
	tb.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
