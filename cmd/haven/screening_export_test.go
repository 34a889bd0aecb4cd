package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/internal/dbtest"
	"haven/screening"
	"haven/sqlstore"
	"haven/vault"
)

// TestVerifyExportCommand: "haven screening verify-export" passes a good
// export, in JSON and as a saved page, and fails a changed, truncated or
// wrongly keyed one with status 1 and a line saying why; "public-key"
// prints the key that checks it.
func TestVerifyExportCommand(t *testing.T) {
	dir := t.TempDir()
	keyText := newKeyText(t)
	keyFile := filepath.Join(dir, "keys")
	if err := os.WriteFile(keyFile, []byte(keyText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := vault.KeyringFromEnv("", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	e, err := screening.SignExport(keys, screening.ExportPayload{RecordID: "00000000-0000-4000-8000-000000000002", Version: 1,
		HeadHash: strings.Repeat("0f", 32), ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: "sample-supervisor@example.org",
		Record: []byte(`{"reference":"SAMPLE-7 (fictional test data)"}`)})
	if err != nil {
		t.Fatal(err)
	}
	js := e.JSON()
	files := map[string][]byte{
		"good.json":      js,
		"good.html":      []byte("<html><body><pre>" + strings.ReplaceAll(e.Block(), "+", "&#43;") + "</pre></body></html>"),
		"changed.json":   []byte(strings.Replace(string(js), "SAMPLE-7", "SAMPLE-8", 1)),
		"truncated.json": js[:len(js)-40],
		"notes.txt":      []byte("just some notes\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := MustRunMain(t, "", "screening", "public-key", "--secret-key-file", keyFile)
	pub := strings.Fields(out)[0]
	if !strings.HasPrefix(pub, "ed25519:") || !strings.Contains(out, vault.PublicKeyFingerprint(keys.SigningPublicKeys()[0])) {
		t.Fatalf("public-key: %s", out)
	}
	pubFile := filepath.Join(dir, "published.txt")
	if err := os.WriteFile(pubFile, []byte("# our key\n"+out), 0o600); err != nil {
		t.Fatal(err)
	}
	otherKey, _ := vault.NewKey()
	otherPub := vault.PublicKeyText(vault.NewKeyring(otherKey).SigningPublicKeys()[0])

	for _, tc := range []struct {
		name string
		args []string
		want string // in the output
		ok   bool
	}{
		{"json with the key", []string{"good.json", "--public-key", pub}, "the key is one of the public keys given", true},
		{"html with a key file", []string{"good.html", "--public-key", pubFile}, "OK", true},
		{"json without a key", []string{"good.json"}, "check that this fingerprint is your organization's published one", true},
		{"json with another key", []string{"good.json", "--public-key", otherPub}, "which is not a key given", false},
		{"changed", []string{"changed.json", "--public-key", pub}, "the export was changed after it was signed", false},
		{"truncated", []string{"truncated.json"}, "may be truncated", false},
		{"not an export", []string{"notes.txt"}, "no signed export found", false},
	} {
		args := append([]string{"screening", "verify-export", filepath.Join(dir, tc.args[0])}, tc.args[1:]...)
		out, err := runMain("", args...)
		if tc.ok && (err != nil || !strings.Contains(out, "OK ")) || !tc.ok && (!errors.Is(err, errExportBad) || !strings.Contains(out, "FAIL ")) {
			t.Errorf("%s: %v\n%s", tc.name, err, out)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, out)
		}
	}
	if out := MustRunMain(t, "", "screening", "verify-export", filepath.Join(dir, "good.json"), "--show"); !strings.Contains(out, "SAMPLE-7") {
		t.Errorf("--show does not print the content: %s", out)
	}
	for _, bad := range [][]string{
		{"screening", "verify-export"},
		{"screening", "verify-export", filepath.Join(dir, "missing.json")},
		{"screening", "verify-export", filepath.Join(dir, "good.json"), "--public-key", "ed25519:short"},
	} {
		if _, err := runMain("", bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestParseAge: years count 365 days; the default retention is 3 years.
func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"3y": 3 * 365 * 24 * time.Hour, "365d": 365 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := parseAge(in); err != nil || got != want {
			t.Errorf("parseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "y", "0y", "-1y", "101y", "9999999999999y", "1e3d"} {
		if _, err := parseAge(bad); err == nil {
			t.Errorf("parseAge(%q) accepted", bad)
		}
	}
	if d, err := parseAge(defaultRetention); err != nil || d != 3*365*24*time.Hour {
		t.Errorf("default retention %q: %v %v", defaultRetention, d, err)
	}
}

// TestRotateSplitNotes: "keys rotate" moves notes sealed apart with the
// rest, so they still open under the new key; "screening verify" passes
// it, and fails a note erased behind Haven's back.
func TestRotateSplitNotes(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "h.db")
	key1 := newKeyText(t)
	keyFile := filepath.Join(dir, "keys")
	if err := os.WriteFile(keyFile, []byte(key1+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	MustRunMain(t, dsn, "migrate")
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, _ := vault.KeyringFromEnv("", keyFile)
	u := &haven.User{Email: "screener@example.org", Role: haven.RoleScreener, PasswordHash: "$argon2id$x"}
	if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", u); err != nil {
		t.Fatal(err)
	}
	rec := screening.Record{Format: screening.RecordFormat, Interviewer: u.Email, InterviewerID: u.ID, Saved: time.Now().UTC(),
		Language: "en", Answers: screening.Answers{"doc-taken": screening.Yes}, Notes: map[string]string{"doc-taken": "Sample note 4411"}}
	pt, _ := rec.Encode()
	r, err := sqlstore.NewScreeningRecordService(db).SaveScreening(ctx, u.Email, "save", u.ID, "", screening.SealSplit(keys, pt, screening.ReasonSave, rec.Saved, false))
	if err != nil {
		t.Fatal(err)
	}
	key2 := newKeyText(t)
	if err := os.WriteFile(keyFile, []byte(key2+"\n"+key1+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := MustRunMain(t, dsn, "keys", "rotate", "--secret-key-file", keyFile); !strings.Contains(out, "1 of 1 records re-sealed") {
		t.Fatalf("rotate: %s", out)
	}
	if out := MustRunMain(t, dsn, "keys", "rotate", "--secret-key-file", keyFile); !strings.Contains(out, "0 of 1 records re-sealed") {
		t.Errorf("rotate twice: %s", out)
	}
	_, versions, _ := sqlstore.NewScreeningRecordService(db).FindScreening(ctx, r.ID)
	newOnly, _ := vault.KeyringFromEnv(key2, "")
	got, err := screening.OpenPlaintext(newOnly, versions[len(versions)-1])
	if err != nil || !strings.Contains(string(got), "Sample note 4411") {
		t.Fatalf("the rotated head under the new key alone: %s %v", got, err)
	}
	if out := MustRunMain(t, dsn, "screening", "verify", "--secret-key-file", keyFile); !strings.Contains(out, "every chain intact") {
		t.Errorf("verify: %s", out)
	}
	if err := dbtest.Exec(ctx, db, `UPDATE screening_versions SET detached = '' WHERE record_id = '`+r.ID+`' AND number = 1`); err != nil {
		t.Fatal(err)
	}
	out, err := runMain(dsn, "screening", "verify")
	if !errors.Is(err, errFaults) || !strings.Contains(out, "FAULT record "+r.ID+", version 1: note text missing, and no later version erased it") {
		t.Errorf("verify after an unaudited erasure: %v\n%s", err, out)
	}
}
