package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/screening"
	"haven/sqlstore"
	"haven/vault"
)

const secretNote = "Marisol-8812 keeps the passports in the blue van"

// screeningFixture is a store with two screeners and a keyring.
type screeningFixture struct {
	db     *sqlstore.DB
	keys   *vault.Keyring
	bank   *screening.Bank
	author *haven.User
	other  *haven.User
}

func newScreeningFixture(t *testing.T, dsn string) *screeningFixture {
	t.Helper()
	f := &screeningFixture{db: mustOpenPath(t, dsn)}
	key, _ := vault.NewKey()
	f.keys = vault.NewKeyring(key)
	var err error
	if f.bank, err = screening.Load(); err != nil {
		t.Fatal(err)
	}
	for _, u := range []**haven.User{&f.author, &f.other} {
		*u = &haven.User{Email: fmt.Sprintf("s%p@example.org", u), Role: haven.RoleScreener, PasswordHash: "$argon2id$x"}
		if err := sqlstore.NewAccountService(f.db).CreateUser(context.Background(), "test", *u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *screeningFixture) record(answers screening.Answers, note string) screening.Record {
	r := screening.Record{Format: screening.RecordFormat, Interviewer: f.author.Email, InterviewerID: f.author.ID,
		Started: time.Now().Add(-time.Hour).UTC().Truncate(time.Second), Saved: time.Now().UTC().Truncate(time.Second),
		Language: "en", Interpreter: true, Place: "Oaxaca-4471", Reference: "REF-5150", Answers: answers}
	if note != "" {
		r.Notes = map[string]string{"doc-taken": note}
	}
	return r
}

// save saves rec as a new record (id "") or a new version of id.
func (f *screeningFixture) save(t *testing.T, id string, rec screening.Record) *haven.ScreeningRecord {
	t.Helper()
	if err := f.bank.Check(rec); err != nil {
		t.Fatal(err)
	}
	action, reason := "save", screening.ReasonSave
	if id != "" {
		action, reason = "amend", screening.ReasonAmend
	}
	r, err := sqlstore.NewScreeningRecordService(f.db).SaveScreening(context.Background(), f.author.Email, action, f.author.ID, id, screening.Seal(f.keys, rec, reason))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *screeningFixture) verify(t *testing.T, keys *vault.Keyring) []screening.Problem {
	t.Helper()
	ctx := context.Background()
	chains, err := sqlstore.NewScreeningRecordService(f.db).ScreeningChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	trails, err := sqlstore.NewScreeningRecordService(f.db).ScreeningTrails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return screening.Verify(chains, trails, keys)
}

func TestScreeningStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		f := newScreeningFixture(t, e.fresh(t))
		yes := screening.Answers{"doc-taken": screening.Yes}
		r1 := f.save(t, "", f.record(yes, secretNote))
		r1b := f.save(t, r1.ID, f.record(screening.Answers{"doc-taken": screening.Yes, "ctrl-leave-job": screening.Yes}, secretNote))
		if r1b.ID != r1.ID || r1b.Versions != 2 || r1b.HeadHash == r1.HeadHash {
			t.Fatalf("amend: %+v", r1b)
		}
		rec, versions, err := sqlstore.NewScreeningRecordService(f.db).FindScreening(ctx, r1.ID)
		if err != nil || len(versions) != 2 || rec.AuthorEmail != f.author.Email || versions[1].PrevHash != versions[0].Hash {
			t.Fatalf("find: %+v %d %v", rec, len(versions), err)
		}
		got, err := screening.Open(f.keys, versions[1])
		if err != nil || got.Answers["ctrl-leave-job"] != screening.Yes || got.Notes["doc-taken"] != secretNote {
			t.Fatalf("open: %+v %v", got, err)
		}
		if screening.VersionReason(versions[1]) != screening.ReasonAmend {
			t.Errorf("reason: %q", versions[1].Meta)
		}
		// Only the author adds versions.
		_, err = sqlstore.NewScreeningRecordService(f.db).SaveScreening(ctx, f.other.Email, "amend", f.other.ID, r1.ID, screening.Seal(f.keys, f.record(yes, ""), screening.ReasonAmend))
		if haven.ErrorCode(err) != haven.EFORBIDDEN {
			t.Errorf("another screener amended: %v", err)
		}
		if _, _, err := sqlstore.NewScreeningRecordService(f.db).FindScreening(ctx, "00000000-0000-4000-8000-000000000000"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown record: %v", err)
		}
		mine, _ := sqlstore.NewScreeningRecordService(f.db).ListScreenings(ctx, f.author.ID, 10)
		theirs, _ := sqlstore.NewScreeningRecordService(f.db).ListScreenings(ctx, f.other.ID, 10)
		if len(mine) != 1 || len(theirs) != 0 {
			t.Errorf("lists: %d mine, %d theirs", len(mine), len(theirs))
		}
		if p := f.verify(t, f.keys); p != nil {
			t.Fatalf("an intact store fails verification: %v", p)
		}

		// Tampering, one kind per record; each is found and named.
		tampered := map[string]string{}
		sealedEdit := f.save(t, "", f.record(yes, "a"))
		exec(t, f.db, `UPDATE screening_versions SET sealed = 'v1.00000000.AAAA.AAAA' WHERE record_id = '%s'`, sealedEdit.ID)
		tampered[sealedEdit.ID] = vault.ReasonHashMismatch
		// A forger without the key rewrites the metadata and recomputes the hash.
		rehashed := f.save(t, "", f.record(yes, "b"))
		_, vs, _ := sqlstore.NewScreeningRecordService(f.db).FindScreening(ctx, rehashed.ID)
		forged := vs[0]
		forged.Meta = vault.CanonicalMeta(map[string]string{"reason": "save", "at": "2020-01-01T00:00:00Z"})
		forged.Hash = vault.ComputeHash(forged)
		exec(t, f.db, `UPDATE screening_versions SET meta = '%s', hash = '%s' WHERE record_id = '%s'`, forged.Meta, forged.Hash, rehashed.ID)
		exec(t, f.db, `UPDATE screening_records SET head_hash = '%s' WHERE id = '%s'`, forged.Hash, rehashed.ID)
		tampered[rehashed.ID] = "differs from the version the audit trail saw saved"
		// The newest version is deleted and the header fixed to match.
		cut := f.save(t, "", f.record(yes, "c"))
		cut2 := f.save(t, cut.ID, f.record(yes, "c2"))
		exec(t, f.db, `DELETE FROM screening_versions WHERE record_id = '%s' AND number = 2`, cut2.ID)
		exec(t, f.db, `UPDATE screening_records SET head_number = 1, head_hash = '%s' WHERE id = '%s'`, cut.HeadHash, cut.ID)
		tampered[cut.ID] = "missing: the audit trail shows it saved"
		// A whole record is deleted behind Haven's back.
		gone := f.save(t, "", f.record(yes, "d"))
		exec(t, f.db, `DELETE FROM screening_records WHERE id = '%s'`, gone.ID)
		tampered[gone.ID] = "never purged"

		problems := f.verify(t, f.keys)
		found := map[string][]string{}
		for _, p := range problems {
			found[p.RecordID] = append(found[p.RecordID], p.Reason)
		}
		if _, ok := found[r1.ID]; ok {
			t.Errorf("the untouched record is reported: %v", found[r1.ID])
		}
		for id, want := range tampered {
			if !strings.Contains(strings.Join(found[id], "; "), want) {
				t.Errorf("record %s: want a fault %q, got %v", id, want, found[id])
			}
		}
		if len(found) != len(tampered) {
			t.Errorf("faults in %d records, want %d: %v", len(found), len(tampered), problems)
		}
		// Only opening finds the forged metadata when the trail is silent;
		// without the key the structural checks still find it through the trail.
		withKey := strings.Join(found[rehashed.ID], "; ")
		if !strings.Contains(withKey, "does not open") {
			t.Errorf("the forged version opened: %s", withKey)
		}
	})
}

func exec(t *testing.T, db *sqlstore.DB, format string, args ...any) {
	t.Helper()
	if err := db.ExecForTest(context.Background(), fmt.Sprintf(format, args...)); err != nil {
		t.Fatal(err)
	}
}

func TestScreeningPurge(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		f := newScreeningFixture(t, e.fresh(t))
		yes := screening.Answers{"doc-taken": screening.Yes}
		f.db.Now = func() time.Time { return time.Now().AddDate(-2, 0, 0) }
		old := f.save(t, "", f.record(yes, secretNote))
		f.db.Now = time.Now
		recent := f.save(t, "", f.record(yes, secretNote))

		ids, err := sqlstore.NewScreeningRecordService(f.db).PurgeScreenings(ctx, "cli", time.Now().AddDate(-1, 0, 0), true)
		if err != nil || len(ids) != 1 || ids[0] != old.ID {
			t.Fatalf("dry run: %v %v", ids, err)
		}
		if n, _ := f.db.CountRows(ctx, "screening_records"); n != 2 {
			t.Fatalf("the dry run deleted: %d left", n)
		}
		ids, err = sqlstore.NewScreeningRecordService(f.db).PurgeScreenings(ctx, "cli", time.Now().AddDate(-1, 0, 0), false)
		if err != nil || len(ids) != 1 || ids[0] != old.ID {
			t.Fatalf("purge: %v %v", ids, err)
		}
		if _, _, err := sqlstore.NewScreeningRecordService(f.db).FindScreening(ctx, old.ID); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("the old record is still there: %v", err)
		}
		if n, _ := f.db.CountRows(ctx, "screening_versions"); n != 1 {
			t.Errorf("%d versions left, want the recent record's 1", n)
		}
		if _, _, err := sqlstore.NewScreeningRecordService(f.db).FindScreening(ctx, recent.ID); err != nil {
			t.Errorf("the recent record went: %v", err)
		}
		trail, _ := sqlstore.NewAuditService(f.db).AuditTrail(ctx, "screening", old.ID, 0)
		last := trail[len(trail)-1]
		if last.Action != "purge" || last.Actor != "cli" || last.Field+last.Before+last.After != "" {
			t.Errorf("purge audit line: %+v", last)
		}
		if p := f.verify(t, f.keys); p != nil {
			t.Errorf("a purge is reported as a fault: %v", p)
		}
	})
}

// TestScreeningNoPlaintextAtRest saves a record and then looks for its
// content everywhere the database keeps bytes: on SQLite the file and its
// WAL; on PostgreSQL every row of every table as text, and, when the test
// can read the server's files (as on CI, which runs as root), the tables'
// data files and the write-ahead log.
func TestScreeningNoPlaintextAtRest(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		dsn := e.fresh(t)
		f := newScreeningFixture(t, dsn)
		rec := f.record(screening.Answers{"doc-taken": screening.Yes, "work-commercial-sex": screening.Yes}, secretNote)
		f.save(t, "", rec)
		needles := []string{secretNote, "Marisol", "Oaxaca-4471", "REF-5150", "doc-taken", "work-commercial-sex", `"answers"`}
		var haystacks map[string][]byte
		if e.name == "sqlite" {
			haystacks = map[string][]byte{}
			for _, p := range []string{dsn, dsn + "-wal"} {
				if b, err := os.ReadFile(p); err == nil {
					haystacks[filepath.Base(p)] = b
				}
			}
		} else {
			haystacks = postgresBytes(t, dsn)
		}
		total := 0
		for name, b := range haystacks {
			total += len(b)
			for _, n := range needles {
				if bytes.Contains(b, []byte(n)) {
					t.Errorf("%q is readable in %s", n, name)
				}
			}
		}
		// The search can succeed: the record's ID is stored in the clear.
		recs, _ := sqlstore.NewScreeningRecordService(f.db).ListScreenings(ctx, "", 1)
		seen := false
		for _, b := range haystacks {
			seen = seen || bytes.Contains(b, []byte(recs[0].ID))
		}
		if !seen || total == 0 {
			t.Errorf("the record's ID is not in the %d bytes searched: the search looked in the wrong place", total)
		}
	})
}

// postgresBytes returns every row of every table of the test's schema as
// text, and the raw data files and recent WAL segments where readable.
func postgresBytes(t *testing.T, dsn string) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string][]byte{}
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		var b bytes.Buffer
		rs, err := conn.QueryContext(ctx, `SELECT t::text FROM "`+table+`" t`)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var s string
			rs.Scan(&s)
			b.WriteString(s)
		}
		rs.Close()
		out["table "+table] = b.Bytes()
	}
	if _, err := conn.ExecContext(ctx, `CHECKPOINT`); err != nil {
		t.Logf("raw files not checked: CHECKPOINT: %v", err)
		return out
	}
	var dataDir, relPath string
	if err := conn.QueryRowContext(ctx, `SELECT current_setting('data_directory'), pg_relation_filepath('screening_versions')`).Scan(&dataDir, &relPath); err != nil {
		t.Logf("raw files not checked: %v", err)
		return out
	}
	if b, err := os.ReadFile(filepath.Join(dataDir, relPath)); err == nil {
		out["data file of screening_versions"] = b
	} else {
		t.Logf("raw files not checked (the test cannot read the server's files): %v", err)
		return out
	}
	wal, _ := filepath.Glob(filepath.Join(dataDir, "pg_wal", "0*"))
	for _, p := range wal {
		if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) < 10*time.Minute {
			if b, err := os.ReadFile(p); err == nil {
				out["WAL "+filepath.Base(p)] = b
			}
		}
	}
	return out
}
