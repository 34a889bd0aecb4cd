package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// TestUserPasswordAndReset2FA runs "user password" and "user reset-2fa"
// on both engines: each ends the account's sessions and is audited.
func TestUserPasswordAndReset2FA(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { testUserPasswordAndReset2FA(t, e.Fresh(t)) })
}

func testUserPasswordAndReset2FA(t *testing.T, dsn string) {
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	run := func(stdin string, args ...string) error {
		stdout.Reset()
		stderr.Reset()
		m := &Main{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(stdin), Logger: discardLogger()}
		return m.Run(ctx, append(args, "--db", dsn))
	}
	if err := run("a sufficiently long passphrase\n", "user", "add", "--role", "admin", "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	accounts := sqlstore.NewAccountService(db)
	u, _ := accounts.FindUserByEmail(ctx, "ana@example.org")
	session := func() string {
		_, h := auth.NewToken()
		if err := accounts.CreateSession(ctx, &haven.Session{TokenHash: h, UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
		return h
	}
	live := func(h string) bool {
		_, _, err := accounts.SessionUser(ctx, h, time.Hour, time.Hour)
		return err == nil
	}

	s := session()
	for _, tc := range []struct{ stdin, email, want string }{
		{"short\n", "ana@example.org", "12 characters"},
		{"", "ana@example.org", "no password"},
		{"another long passphrase\n", "nobody@example.org", "no account for nobody@example.org"},
		{"another long passphrase\n", "not-an-email", "e-mail"},
	} {
		if err := run(tc.stdin, "user", "password", tc.email); err == nil || !strings.Contains(errorText(err), tc.want) {
			t.Errorf("user password %s: %v, want %q", tc.email, err, tc.want)
		}
	}
	if !live(s) {
		t.Fatal("a refused password change ended a session")
	}
	if err := run("another long passphrase\n", "user", "password", "Ana@Example.org"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "ended its sessions") || live(s) {
		t.Errorf("after user password: %q, session live %v", stdout.String(), live(s))
	}
	u, _ = accounts.FindUserByEmail(ctx, "ana@example.org")
	if ok, _, _ := auth.VerifyPassword("another long passphrase", u.PasswordHash, auth.DefaultParams); !ok {
		t.Error("the new password does not verify")
	}
	if err := run("", "user", "password", "--role", "admin", "ana@example.org"); err == nil || !strings.Contains(err.Error(), "--role") {
		t.Errorf("--role with password: %v", err)
	}

	// reset-2fa: the factor, its recovery codes and the sessions go.
	if err := accounts.SetPendingSecondFactor(ctx, u.ID, "sealed"); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnableSecondFactor(ctx, u.Email, u.ID, "sealed", 1, []string{"h1"}); err != nil {
		t.Fatal(err)
	}
	s = session()
	if err := run("", "user", "reset-2fa", "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	if f, _ := accounts.SecondFactor(ctx, u.ID); f.Enabled() || f.RecoveryLeft != 0 || live(s) {
		t.Errorf("after reset-2fa: %+v, session live %v", f, live(s))
	}
	if err := run("", "user", "reset-2fa", "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("reset-2fa of nobody: %v", err)
	}
	if err := run("", "user", "frobnicate", "ana@example.org"); err == nil || !strings.Contains(err.Error(), "unknown user command") {
		t.Errorf("unknown subcommand: %v", err)
	}
	trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "user", u.ID, 0)
	var got []string
	for _, e := range trail {
		got = append(got, e.Actor+" "+e.Field+" "+e.After)
	}
	if want := "cli password changed|ana@example.org second factor on|cli second factor off"; !strings.Contains(strings.Join(got, "|"), want) {
		t.Errorf("audit %q lacks %q", got, want)
	}
}
