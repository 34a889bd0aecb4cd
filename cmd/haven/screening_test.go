package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/internal/dbtest"
	"haven/internal/testpg"
	"haven/screening"
	"haven/sqlstore"
	"haven/vault"
)

var keyLine = regexp.MustCompile(`(?m)^[A-Za-z0-9+/=_-]{43,44}$`)

func newKeyText(t *testing.T) string {
	t.Helper()
	out := MustRunMain(t, "", "keys", "generate")
	k := keyLine.FindString(out)
	if k == "" {
		t.Fatalf("keys generate printed no key: %s", out)
	}
	if _, err := vault.ParseKey(k); err != nil {
		t.Fatalf("keys generate: %v", err)
	}
	return k
}

func TestScreeningCommands(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { testScreeningCommands(t, e.Fresh(t)) })
}

func testScreeningCommands(t *testing.T, dsn string) {
	ctx := context.Background()
	dir := t.TempDir()
	key1 := newKeyText(t)
	keyFile := filepath.Join(dir, "keys")
	if err := os.WriteFile(keyFile, []byte("# Haven's keys\n"+key1+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	MustRunMain(t, dsn, "migrate")
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := vault.KeyringFromEnv("", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	u := &haven.User{Email: "screener@example.org", Role: haven.RoleScreener, PasswordHash: "$argon2id$x"}
	if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", u); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 3; i++ {
		rec := screening.Record{Format: screening.RecordFormat, Interviewer: u.Email, InterviewerID: u.ID, Saved: time.Now().UTC(),
			Language: "es", Answers: screening.Answers{"doc-taken": screening.Yes}}
		r, err := sqlstore.NewScreeningRecordService(db).SaveScreening(ctx, u.Email, "save", u.ID, "", screening.Seal(keys, rec, screening.ReasonSave))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}

	out := MustRunMain(t, dsn, "screening", "verify", "--secret-key-file", keyFile)
	if !strings.Contains(out, "3 records, 3 versions: every chain intact") || !strings.Contains(out, "every version opened") {
		t.Fatalf("verify: %s", out)
	}
	if out := MustRunMain(t, dsn, "screening", "verify"); !strings.Contains(out, "no secret key given") {
		t.Errorf("verify without a key: %s", out)
	}

	// Rotation: a new key first, the old one kept below it.
	key2 := newKeyText(t)
	if err := os.WriteFile(keyFile, []byte(key2+"\n"+key1+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := MustRunMain(t, dsn, "keys", "rotate", "--secret-key-file", keyFile); !strings.Contains(out, "3 of 3 records re-sealed") {
		t.Errorf("rotate: %s", out)
	}
	if out := MustRunMain(t, dsn, "keys", "rotate", "--secret-key-file", keyFile); !strings.Contains(out, "0 of 3 records re-sealed") {
		t.Errorf("rotate twice: %s", out)
	}
	if out := MustRunMain(t, dsn, "screening", "verify", "--secret-key-file", keyFile); !strings.Contains(out, "3 records, 6 versions: every chain intact") {
		t.Errorf("verify after rotation: %s", out)
	}
	_, versions, _ := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, ids[0])
	if screening.VersionReason(versions[1]) != screening.ReasonRotation {
		t.Errorf("the rotation is not recorded in the chain: %q", versions[1].Meta)
	}
	// The head opens with the new key alone; the history needs the old one.
	t.Setenv("HAVEN_SECRET_KEY", key2)
	out, err = runMain(dsn, "screening", "verify")
	if !errors.Is(err, errFaults) || strings.Count(out, "sealed with a key this keyring lacks") != 3 {
		t.Errorf("verify with only the new key: %v\n%s", err, out)
	}
	t.Setenv("HAVEN_SECRET_KEY", "")

	// Purge: nothing is old yet; then one record is.
	if out := MustRunMain(t, dsn, "screening", "purge", "--older-than", "365d"); !strings.Contains(out, "0 records deleted") {
		t.Errorf("purge: %s", out)
	}
	old := time.Now().AddDate(-2, 0, 0).UTC().Format(time.RFC3339)
	if err := dbtest.Exec(ctx, db, `UPDATE screening_records SET updated_at = '`+old+`' WHERE id = '`+ids[2]+`'`); err != nil {
		t.Fatal(err)
	}
	if out := MustRunMain(t, dsn, "screening", "purge", "--older-than", "52w", "--dry-run"); !strings.Contains(out, ids[2]) || !strings.Contains(out, "1 records would be deleted") {
		t.Errorf("dry run: %s", out)
	}
	if out := MustRunMain(t, dsn, "screening", "purge", "--older-than", "365d"); !strings.Contains(out, "1 records deleted") {
		t.Errorf("purge: %s", out)
	}
	if out := MustRunMain(t, dsn, "screening", "verify", "--secret-key-file", keyFile); !strings.Contains(out, "2 records, 4 versions: every chain intact") {
		t.Errorf("verify after purge: %s", out)
	}
	for _, bad := range []string{"soon", "-3d", "0d", "365"} {
		if _, err := runMain(dsn, "screening", "purge", "--older-than", bad); err == nil || !strings.Contains(err.Error(), "--older-than") {
			t.Errorf("--older-than %s: %v", bad, err)
		}
	}

	// Tampering with a stored version is found and named.
	if err := dbtest.Exec(ctx, db, `UPDATE screening_versions SET meta = 'reason=save' WHERE record_id = '`+ids[1]+`' AND number = 1`); err != nil {
		t.Fatal(err)
	}
	out, err = runMain(dsn, "screening", "verify", "--secret-key-file", keyFile)
	if !errors.Is(err, errFaults) || !strings.Contains(out, "FAULT record "+ids[1]+", version 1: hash mismatch") || strings.Contains(out, ids[0]) {
		t.Errorf("verify after tampering: %v\n%s", err, out)
	}
}

func TestServeNeedsAGoodKey(t *testing.T) {
	t.Setenv("HAVEN_SECRET_KEY", "too-short")
	_, err := runMain(filepath.Join(t.TempDir(), "h.db"), "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "HAVEN_SECRET_KEY") {
		t.Errorf("serve with a bad key: %v", err)
	}
	t.Setenv("HAVEN_SECRET_KEY", "")
	_, err = runMain(filepath.Join(t.TempDir(), "h.db"), "serve", "--addr", "127.0.0.1:0", "--screening-retention", "forever")
	if err == nil || !strings.Contains(err.Error(), "--screening-retention") {
		t.Errorf("serve with a bad retention: %v", err)
	}
	_, err = runMain(filepath.Join(t.TempDir(), "h.db"), "serve", "--addr", "127.0.0.1:0", "--time-zone", "Mars/Olympus_Mons")
	if err == nil || !strings.Contains(err.Error(), "--time-zone") || !strings.Contains(err.Error(), "America/Chicago") {
		t.Errorf("serve with a bad time zone: %v", err)
	}
}

// TestRetentionJob: the scheduled purge deletes what the command would.
func TestRetentionJob(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, _ := vault.NewKey()
	keys := vault.NewKeyring(key)
	u := &haven.User{Email: "screener@example.org", Role: haven.RoleScreener, PasswordHash: "$argon2id$x"}
	if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", u); err != nil {
		t.Fatal(err)
	}
	save := func() string {
		rec := screening.Record{Format: screening.RecordFormat, Interviewer: u.Email, InterviewerID: u.ID, Saved: time.Now().UTC(), Language: "en"}
		r, err := sqlstore.NewScreeningRecordService(db).SaveScreening(ctx, u.Email, "save", u.ID, "", screening.Seal(keys, rec, screening.ReasonSave))
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	db.Now = func() time.Time { return time.Now().AddDate(0, 0, -31) }
	old := save()
	db.Now = time.Now
	recent := save()
	m := &Main{Logger: discardLogger()}
	if err := purgeJob(db, 30*24*time.Hour, m).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, old); haven.ErrorCode(err) != haven.ENOTFOUND {
		t.Errorf("the expired record is still there: %v", err)
	}
	if _, _, err := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, recent); err != nil {
		t.Errorf("the recent record went: %v", err)
	}
	trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "screening", old, 0)
	if last := trail[len(trail)-1]; last.Action != "purge" || last.Actor != "system" {
		t.Errorf("the purge is not audited: %+v", last)
	}
}
