package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/screening"
	"haven/sqlstore"
	"haven/vault"
)

// keyFlag adds --secret-key-file; the key itself may come from
// HAVEN_SECRET_KEY instead.
func keyFlag(fs *flag.FlagSet) *string {
	return fs.String("secret-key-file", envOr("HAVEN_SECRET_KEY_FILE", ""),
		"file of secret keys that seal screening records, one a line, the current one first (or set HAVEN_SECRET_KEY to one key); env HAVEN_SECRET_KEY_FILE")
}

// loadKeys reads the keyring; with optional, having no key is not an error
// and gives nil.
func loadKeys(path string, optional bool) (*vault.Keyring, error) {
	keys, err := vault.KeyringFromEnv(os.Getenv("HAVEN_SECRET_KEY"), path)
	if optional && errors.Is(err, vault.ErrNoKey) {
		return nil, nil
	}
	return keys, err
}

func keysCommand() *command {
	return &command{
		name:    "keys",
		summary: "make a secret key, or re-seal screening records under the current one",
		usage:   "generate | rotate [--db DSN] [--secret-key-file FILE]",
		help: `Screening records are sealed with AES-256-GCM under a secret key that
Haven never stores in its database. Give it as HAVEN_SECRET_KEY (one key) or
as --secret-key-file (one key a line: the current key first, older keys
below it, so records sealed before a rotation still open).

"keys generate" prints a new random key.

"keys rotate" re-seals every record whose latest version is under an older
key: it opens the content and saves it, unchanged, as a new version under
the current key, so the rotation is itself part of each record's verified
history. Earlier versions stay under the keys they were written with; keep
those keys in the file for as long as that history must stay readable.

To rotate: put a new key (from "keys generate") on the first line of the
key file, keep the old one below it, restart the servers, then run
"haven keys rotate".`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			keyFile := keyFlag(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 || (args[0] != "generate" && args[0] != "rotate") {
					return fmt.Errorf("usage: haven keys generate | haven keys rotate")
				}
				if args[0] == "generate" {
					key, text := vault.NewKey()
					fmt.Fprintln(m.Stdout, text)
					fmt.Fprintf(m.Stderr, "key %s: keep it secret and backed up apart from the database; without it, saved records cannot be read\n", key.ID)
					return nil
				}
				keys, err := loadKeys(*keyFile, false)
				if err != nil {
					return err
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				rotated, total, err := rotateKeys(ctx, store, keys, m.newProgressFunc("re-sealing records"))
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "%d of %d records re-sealed under key %s; the others already were\n", rotated, total, keys.CurrentID())
				return nil
			}
		},
	}
}

// rotateKeys moves every record's head to the current key.
func rotateKeys(ctx context.Context, db *sqlstore.DB, keys *vault.Keyring, progress func(done, total int)) (rotated, total int, err error) {
	recs, err := sqlstore.NewScreeningRecordService(db).ListScreenings(ctx, "", 1<<30)
	if err != nil {
		return 0, 0, err
	}
	at := time.Now().UTC().Format(time.RFC3339)
	meta := vault.CanonicalMeta(map[string]string{"reason": screening.ReasonRotation, "at": at})
	for i, rec := range recs {
		made := false
		_, err := sqlstore.NewScreeningRecordService(db).SaveScreening(ctx, "cli", "rotate", "", rec.ID, func(prev *vault.Version, id string) (vault.Version, error) {
			v, ok, err := keys.RotateVersion(*prev, meta)
			if err != nil {
				return vault.Version{}, fmt.Errorf("record %s: %w", id, err)
			}
			if !ok {
				return vault.Version{}, haven.ErrScreeningUnchanged
			}
			made = true
			return v, nil
		})
		if err != nil {
			return rotated, len(recs), err
		}
		if made {
			rotated++
		}
		progress(i+1, len(recs))
	}
	return rotated, len(recs), nil
}

func screeningCommand() *command {
	return &command{
		name:    "screening",
		summary: "verify saved screening records, or purge old ones",
		usage:   "verify [--db DSN] [--secret-key-file FILE] | purge --older-than AGE [--dry-run] [--db DSN]",
		help: `"screening verify" checks every saved screening record: that each version's
hash is right and names the version before it, that the record names its
last version, and that every version the audit trail saw saved is still
there, unchanged. With the secret key (HAVEN_SECRET_KEY or
--secret-key-file) it also opens every version, which finds content or
metadata rewritten with recomputed hashes. It lists each fault by record and
version, and exits with status 1 if there is any.

"screening purge --older-than 365d" deletes every record whose latest
version was saved longer ago than AGE (a number of days "365d", weeks "52w",
or hours "8760h"), with all its versions. Each deletion is written to the
audit trail, naming the record and nothing of its content. --dry-run lists
what would go. "haven serve --screening-retention 365d" runs the same purge
every day.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			keyFile := keyFlag(fs)
			olderThan := fs.String("older-than", "", "purge: delete records last saved longer ago than this, e.g. 365d")
			dryRun := fs.Bool("dry-run", false, "purge: list what would be deleted, delete nothing")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 || (args[0] != "verify" && args[0] != "purge") {
					return fmt.Errorf("usage: haven screening verify | haven screening purge --older-than AGE")
				}
				var age time.Duration
				if args[0] == "purge" {
					var err error
					if age, err = parseAge(*olderThan); err != nil {
						return fmt.Errorf("--older-than: %w", err)
					}
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				if args[0] == "purge" {
					ids, err := sqlstore.NewScreeningRecordService(store).PurgeScreenings(ctx, "cli", time.Now().Add(-age), *dryRun)
					if *dryRun {
						for _, id := range ids {
							fmt.Fprintln(m.Stdout, id)
						}
						fmt.Fprintf(m.Stdout, "%d records would be deleted\n", len(ids))
						return err
					}
					fmt.Fprintf(m.Stdout, "%d records deleted\n", len(ids))
					return err
				}
				keys, err := loadKeys(*keyFile, true)
				if err != nil {
					return err
				}
				return verifyScreenings(ctx, m, store, keys)
			}
		},
	}
}

// errFaults makes verify exit with status 1 after it printed the faults.
var errFaults = errors.New("screening records failed verification")

func verifyScreenings(ctx context.Context, m *Main, db *sqlstore.DB, keys *vault.Keyring) error {
	chains, err := sqlstore.NewScreeningRecordService(db).ScreeningChains(ctx)
	if err != nil {
		return err
	}
	trails, err := sqlstore.NewScreeningRecordService(db).ScreeningTrails(ctx)
	if err != nil {
		return err
	}
	versions := 0
	for _, c := range chains {
		versions += len(c.Versions)
	}
	problems := screening.Verify(chains, trails, keys)
	for _, p := range problems {
		fmt.Fprintln(m.Stdout, "FAULT", p)
	}
	opened := "sealed content not opened: no secret key given"
	if keys != nil {
		opened = "every version opened"
	}
	if len(problems) > 0 {
		bad := map[string]bool{}
		for _, p := range problems {
			bad[p.RecordID] = true
		}
		fmt.Fprintf(m.Stdout, "%d faults in %d of %d records (%d versions; %s)\n", len(problems), len(bad), len(chains), versions, opened)
		return errFaults
	}
	fmt.Fprintf(m.Stdout, "%d records, %d versions: every chain intact, every audited version present (%s)\n", len(chains), versions, opened)
	return nil
}

// parseAge reads "365d", "52w" or a Go duration such as "8760h".
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("give an age, such as 365d")
	}
	var d time.Duration
	var err error
	if unit := s[len(s)-1]; unit == 'd' || unit == 'w' {
		n, perr := strconv.Atoi(s[:len(s)-1])
		err = perr
		d = time.Duration(n) * 24 * time.Hour
		if unit == 'w' {
			d *= 7
		}
		if n > 100*366 {
			err = errors.New("too long")
		}
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not an age: use days (365d), weeks (52w) or hours (8760h)", s)
	}
	return d, nil
}

// purgeJob deletes expired screening records once a day, on one server.
func purgeJob(db *sqlstore.DB, keep time.Duration, m *Main) haven.Job {
	return haven.Job{Name: "screening-purge", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		ids, err := sqlstore.NewScreeningRecordService(db).PurgeScreenings(ctx, "system", time.Now().Add(-keep), false)
		if len(ids) > 0 {
			m.Logger.Info("purged expired screening records", "records", len(ids), "older_than", keep.String())
		}
		return err
	}}
}
