// Package testpg gives tests a PostgreSQL database of their own: a fresh
// schema on the server HAVEN_TEST_POSTGRES names, dropped when the test
// ends. Tests that need PostgreSQL skip, loudly, without that variable,
// and fail instead where it is required (HAVEN_REQUIRE_POSTGRES=1 or
// CI=true), the same rule internal/testenv applies to everything else
// outside the repository.
package testpg

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"haven/internal/testenv"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver tests connect with
)

// Env is the variable naming the test server.
const Env = "HAVEN_TEST_POSTGRES"

// RequireEnv=1 makes a test that needs PostgreSQL fail, not skip, when Env
// is unset; so does CI=true.
const RequireEnv = "HAVEN_REQUIRE_POSTGRES"

// Available reports whether a test server is configured.
func Available() bool { return os.Getenv(Env) != "" }

// SkipUnlessAvailable skips the test, saying why, when no server is set;
// where PostgreSQL is required it fails the test instead.
func SkipUnlessAvailable(tb testing.TB) {
	tb.Helper()
	if !Available() {
		testenv.Missing(tb, RequireEnv, "the PostgreSQL test server",
			Env+" is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
}

// Fresh makes a schema for one test and returns a DSN whose search_path is
// that schema, so tests never see each other's rows.
func Fresh(tb testing.TB) string {
	tb.Helper()
	SkipUnlessAvailable(tb)
	base := os.Getenv(Env)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "haven_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create a schema on %s: %v", Env, err)
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
