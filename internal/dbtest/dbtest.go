// Package dbtest gives tests outside sqlstore a way past its services: to
// run a statement directly on a store's database, as no service would, so
// as to check what the database itself refuses or to age a row, and to
// count a table's rows. sqlstore hands it the way in, so that its own
// exported API carries no test hook; being internal, nothing outside Haven
// can reach it.
package dbtest

import "context"

var (
	exec  func(ctx context.Context, db any, query string) error
	count func(ctx context.Context, db any, table string) (int, error)
)

// Set is how sqlstore hands in the way to run a statement and to count rows.
func Set(execFn func(ctx context.Context, db any, query string) error, countFn func(ctx context.Context, db any, table string) (int, error)) {
	exec, count = execFn, countFn
}

// Exec runs query on db, a *sqlstore.DB, directly, with no transaction.
func Exec(ctx context.Context, db any, query string) error { return exec(ctx, db, query) }

// CountRows counts the rows of a table of db, a *sqlstore.DB.
func CountRows(ctx context.Context, db any, table string) (int, error) { return count(ctx, db, table) }
