package sqlstore_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"haven/internal/testpg"
)

// engine is a database engine the contract suite runs on. fresh returns the
// DSN of a new, empty database of that engine, removed when the test ends.
type engine struct {
	name  string
	fresh func(tb testing.TB) string
}

const pgEnv = testpg.Env

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

func freshPostgres(tb testing.TB) string { return testpg.Fresh(tb) }
