package sqlstore_test

import (
	"fmt"
	"os"
	"testing"

	"haven/internal/testpg"
)

// engine is a database engine the contract suite runs on: testpg's, under
// the names this suite has always used. fresh returns the DSN of a new,
// empty database of that engine, removed when the test ends.
type engine struct {
	name  string
	fresh func(tb testing.TB) string
}

const pgEnv = testpg.Env

var allEngines = func() []engine {
	var out []engine
	for _, e := range testpg.Engines {
		out = append(out, engine{e.Name, e.Fresh})
	}
	return out
}()

// eachEngine runs the same test, with the same assertions, on every engine
// (testpg.EachEngine). Without HAVEN_TEST_POSTGRES the PostgreSQL half
// skips, and says so loudly; in CI it fails instead.
func eachEngine(t *testing.T, fn func(t *testing.T, e engine)) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { fn(t, engine{e.Name, e.Fresh}) })
}

func TestMain(m *testing.M) {
	if !testpg.Available() {
		fmt.Fprintf(os.Stderr, "\n*** %s is not set: the PostgreSQL half of the store contract suite is SKIPPED ***\n\n", pgEnv)
	}
	os.Exit(m.Run())
}

func freshPostgres(tb testing.TB) string { return testpg.Fresh(tb) }
