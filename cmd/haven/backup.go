package main

import (
	"context"
	"flag"
	"fmt"

	"haven"
	"haven/sqlstore"
)

func backupCommand() *command {
	return &command{
		name:    "backup",
		summary: "copy the SQLite database to a file, while Haven runs",
		usage:   "[--db DSN] OUT",
		help: `Writes a consistent copy of the SQLite database to the new file OUT,
while servers go on reading and writing it: the copy holds every change
committed before the backup began and none after. It is checked with
SQLite's integrity check before it is kept, and readable by its owner
only, since it holds password hashes. OUT must not exist yet.

For PostgreSQL, use pg_dump (see "Backups" in the README).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 || args[0] == "" {
					return fmt.Errorf("backup takes one OUT file: haven backup --db haven.db OUT")
				}
				size, err := sqlstore.Backup(ctx, db.dsn, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "backed up %s to %s (%.1f MB)\n", db.display(), args[0], float64(size)/1e6)
				return nil
			}
		},
	}
}

func restoreCommand() *command {
	return &command{
		name:    "restore",
		summary: "replace the SQLite database with a backup",
		usage:   "IN [--db DSN] [--force]",
		help: `Replaces the SQLite database with the backup IN, made by "haven backup".
The backup is checked first; a database that already holds data is
replaced only with --force. The replacement is one transaction: if it is
interrupted, the old database stays as it was. Stop the servers first.

For PostgreSQL, use pg_restore (see "Backups" in the README).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			force := fs.Bool("force", false, "replace a database that already holds data")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("restore takes one IN file: haven restore IN --db haven.db")
				}
				rep, err := sqlstore.Restore(ctx, args[0], db.dsn, *force)
				if haven.ErrorCode(err) == haven.ECONFLICT && !*force {
					return haven.Errorf(haven.ECONFLICT, "%s Pass --force to replace it.", errorText(err))
				} else if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "restored %s into %s: %d services, %d library entries\n", args[0], db.display(), rep.Services, rep.Resources)
				return nil
			}
		},
	}
}
