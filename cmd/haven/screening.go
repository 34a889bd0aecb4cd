package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // --time-zone works on hosts without a zone database

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
	now := time.Now().UTC()
	at := now.Format(time.RFC3339)
	meta := vault.CanonicalMeta(map[string]string{"reason": screening.ReasonRotation, "at": at})
	for i, rec := range recs {
		made := false
		_, err := sqlstore.NewScreeningRecordService(db).SaveScreening(ctx, "cli", "rotate", "", rec.ID, func(prev *vault.Version, id string) (vault.Version, error) {
			if prev.Detached != "" {
				// Notes sealed apart move with the rest.
				v, ok, err := rotateSplit(keys, *prev, at)
				if err != nil {
					return vault.Version{}, fmt.Errorf("record %s: %w", id, err)
				}
				if !ok {
					return vault.Version{}, haven.ErrScreeningUnchanged
				}
				made = true
				return v, nil
			}
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

// defaultRetention is how long a saved screening record is kept after its
// last save unless the operator says otherwise: three years, long enough
// for most referrals and cases to run their course, short enough that a
// forgotten record about a person who may be at risk does not sit in the
// database for good. A record a case needs is put under a legal hold,
// which retention never deletes.
const defaultRetention = "3y"

// rotateSplit moves a head whose notes are sealed apart to the current
// key: both parts are sealed again in a new version, unless both already
// are under it.
func rotateSplit(keys *vault.Keyring, head vault.Version, at string) (vault.Version, bool, error) {
	main, err1 := vault.DecodeSealed(head.Sealed)
	notes, err2 := vault.DecodeSealed(head.Detached)
	if err := errors.Join(err1, err2); err != nil {
		return vault.Version{}, false, err
	}
	if main.KeyID == keys.CurrentID() && notes.KeyID == keys.CurrentID() {
		return head, false, nil
	}
	pt, err := screening.OpenPlaintext(keys, head)
	if err != nil {
		return vault.Version{}, false, err
	}
	defer clear(pt)
	when, _ := time.Parse(time.RFC3339, at)
	v, err := screening.SealSplit(keys, pt, screening.ReasonRotation, when, false)(&head, head.RecordID)
	return v, err == nil, err
}

func screeningCommand() *command {
	return &command{
		name:    "screening",
		summary: "verify saved screening records or signed exports, print the signing key, or purge old records",
		usage:   "verify [--db DSN] [--secret-key-file FILE] | verify-export FILE [--public-key KEY] [--show] | public-key [--secret-key-file FILE] | purge --older-than AGE [--dry-run] [--db DSN]",
		help: `"screening verify" checks every saved screening record: that each version's
hash is right and names the version before it, that the record names its
last version, and that every version the audit trail saw saved is still
there, unchanged. With the secret key (HAVEN_SECRET_KEY or
--secret-key-file) it also opens every version, which finds content or
metadata rewritten with recomputed hashes. It lists each fault by record and
version, and exits with status 1 if there is any.

"screening verify-export FILE" checks a signed export offline, with no
database and no secret key: FILE is a JSON export, or a printout saved as
HTML or text (the block between the BEGIN and END lines is what counts;
"-" reads standard input). It checks the Ed25519 signature over the
export's content and prints the record, version, hash and who exported it,
and the signing key. Give --public-key (repeatable, or a file of keys, one a
line) with the key your organization publishes ("haven screening
public-key", or /.well-known/haven-screening-keys.txt on the server) to check
who signed it, too; without it, compare the fingerprint printed with the
published one. --show prints the signed content. It exits with status 1 if
the export does not verify.

"screening public-key" prints the public keys that sign exports, the current
one first: they are derived from the secret keys, so they rotate with them.

"screening purge --older-than 365d" deletes every record not under a legal
hold whose latest version was saved longer ago than AGE (years "3y", days
"365d", weeks "52w", or hours "8760h"), with all its versions. Each deletion
is written to the audit trail, naming the record and nothing of its content.
--dry-run lists what would go. "haven serve" runs the same purge every day,
with --screening-retention (3y by default; "off" turns it off).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			keyFile := keyFlag(fs)
			olderThan := fs.String("older-than", "", "purge: delete records last saved longer ago than this, e.g. 365d")
			dryRun := fs.Bool("dry-run", false, "purge: list what would be deleted, delete nothing")
			var pubKeys stringList
			fs.Var(&pubKeys, "public-key", "verify-export: a trusted public key (ed25519:BASE64) or a file of them, one a line; repeatable")
			show := fs.Bool("show", false, "verify-export: print the signed content too")
			return func(ctx context.Context, m *Main, args []string) error {
				const usage = "usage: haven screening verify | verify-export FILE | public-key | purge --older-than AGE"
				if len(args) == 0 {
					return errors.New(usage)
				}
				switch args[0] {
				case "verify-export":
					if len(args) != 2 {
						return errors.New("usage: haven screening verify-export FILE [--public-key KEY]")
					}
					return verifyExport(m, args[1], pubKeys, *show)
				case "public-key":
					keys, err := loadKeys(*keyFile, false)
					if err != nil {
						return err
					}
					for _, k := range keys.SigningPublicKeys() {
						fmt.Fprintf(m.Stdout, "%s  fingerprint %s\n", vault.PublicKeyText(k), vault.PublicKeyFingerprint(k))
					}
					return nil
				case "verify", "purge":
				default:
					return errors.New(usage)
				}
				if len(args) != 1 {
					return errors.New(usage)
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

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// errExportBad makes verify-export exit with status 1 after saying why.
var errExportBad = errors.New("the export did not verify")

// verifyExport checks the signed export in file (see the command's help).
func verifyExport(m *Main, file string, pubKeys []string, show bool) error {
	var trusted []ed25519.PublicKey
	for _, k := range pubKeys {
		if !strings.HasPrefix(strings.TrimSpace(k), "ed25519:") {
			data, err := os.ReadFile(k)
			if err != nil {
				return fmt.Errorf("--public-key: %q is neither a key (ed25519:...) nor a readable file: %w", k, err)
			}
			for i, line := range strings.Split(string(data), "\n") {
				if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				key, err := screening.ParsePublicKey(strings.Fields(line)[0])
				if err != nil {
					return fmt.Errorf("--public-key %s, line %d: %w", k, i+1, err)
				}
				trusted = append(trusted, key)
			}
			continue
		}
		key, err := screening.ParsePublicKey(k)
		if err != nil {
			return fmt.Errorf("--public-key: %w", err)
		}
		trusted = append(trusted, key)
	}
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(m.Stdin, screening.MaxExport+1))
	} else {
		data, err = readFileLimit(file, screening.MaxExport+1)
	}
	if err != nil {
		return err
	}
	var e *screening.SignedExport
	if len(trusted) > 0 {
		e, err = screening.VerifyExport(data, trusted)
	} else {
		e, err = screening.ReadExport(data)
	}
	if err != nil {
		fmt.Fprintf(m.Stdout, "FAIL %s: %v\n", file, err)
		return errExportBad
	}
	p := e.Payload
	fmt.Fprintf(m.Stdout, "OK %s: the signature matches the content\n", file)
	fmt.Fprintf(m.Stdout, "  record    %s, version %d of %d\n", p.RecordID, p.Version, len(p.Versions))
	fmt.Fprintf(m.Stdout, "  hash      %s\n", p.HeadHash)
	fmt.Fprintf(m.Stdout, "  exported  %s by %s\n", p.ExportedAt.UTC().Format(time.RFC3339), p.ExportedBy)
	fmt.Fprintf(m.Stdout, "  signed by %s (fingerprint %s)\n", vault.PublicKeyText(e.PublicKey), vault.PublicKeyFingerprint(e.PublicKey))
	if len(trusted) > 0 {
		fmt.Fprintln(m.Stdout, "  the key is one of the public keys given")
	} else {
		fmt.Fprintln(m.Stdout, "  no --public-key given: check that this fingerprint is your organization's published one")
	}
	if show {
		var out any
		json.Unmarshal(e.Canonical, &out)
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(m.Stdout, "%s\n", b)
	}
	return nil
}

// readFileLimit reads at most limit bytes of path.
func readFileLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
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

// parseAge reads "3y" (a year is 365 days), "365d", "52w" or a Go
// duration such as "8760h".
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("give an age, such as 365d")
	}
	var d time.Duration
	var err error
	if unit := s[len(s)-1]; unit == 'd' || unit == 'w' || unit == 'y' {
		n, perr := strconv.Atoi(s[:len(s)-1])
		err = perr
		days := map[byte]int{'d': 1, 'w': 7, 'y': 365}[unit]
		if n > 100*366 || n*days > 100*366 {
			err = errors.New("too long")
		}
		d = time.Duration(n*days) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not an age: use years (3y), days (365d), weeks (52w) or hours (8760h)", s)
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
