package testpg

import (
	"path/filepath"
	"testing"
)

// Engine is a database engine a test runs on. Fresh returns the DSN of a
// new, empty database of that engine, removed when the test ends; the
// store opens either kind of DSN.
type Engine struct {
	Name  string
	Fresh func(tb testing.TB) string
}

// Engines are the engines Haven runs on, SQLite first.
var Engines = []Engine{
	{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "haven.db") }},
	{"postgres", Fresh},
}

// Runner is a test or a benchmark: anything with subtests.
type Runner[T any] interface {
	testing.TB
	Run(name string, f func(T)) bool
}

// EachEngine runs fn, with the same assertions, once per engine as a
// subtest named after it. Without a PostgreSQL server the postgres subtest
// skips loudly (or fails, where PostgreSQL is required) before fn runs.
func EachEngine[T Runner[T]](tb T, fn func(tb T, e Engine)) {
	for _, e := range Engines {
		tb.Run(e.Name, func(tb T) {
			if e.Name == "postgres" {
				SkipUnlessAvailable(tb)
			}
			fn(tb, e)
		})
	}
}
