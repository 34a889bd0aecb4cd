package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"haven"
	"haven/sqlstore"
)

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		a, audit := sqlstore.NewAccountService(db), sqlstore.NewAuditService(db)
		u := &haven.User{Email: "ana@example.org", Role: haven.RoleAdmin, PasswordHash: "old"}
		other := &haven.User{Email: "bo@example.org", Role: haven.RoleCurator, PasswordHash: "bo"}
		for _, x := range []*haven.User{u, other} {
			if err := a.CreateUser(ctx, "cli", x); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range []*haven.Session{{TokenHash: "keep", UserID: u.ID}, {TokenHash: "gone", UserID: u.ID}, {TokenHash: "bo", UserID: other.ID}} {
			if err := a.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.ChangePassword(ctx, u.Email, u.ID, "new", "keep"); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.FindUserByEmail(ctx, u.Email); got.PasswordHash != "new" {
			t.Errorf("hash = %q", got.PasswordHash)
		}
		for hash, live := range map[string]bool{"keep": true, "gone": false, "bo": true} {
			_, _, err := a.SessionUser(ctx, hash, time.Hour, time.Hour)
			if (err == nil) != live {
				t.Errorf("session %s: err %v, want live %v", hash, err, live)
			}
		}
		// From the command line, with no session to keep: all end.
		if err := a.ChangePassword(ctx, "cli", u.ID, "newer", ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.SessionUser(ctx, "keep", time.Hour, time.Hour); err == nil {
			t.Error("a session outlived a password change from the command line")
		}
		if err := a.ChangePassword(ctx, "cli", "no-such-id", "x", ""); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown account: %v", err)
		}
		trail, _ := audit.AuditTrail(ctx, "user", u.ID, 0)
		if len(trail) != 3 || trail[1].Field != "password" || trail[1].Actor != u.Email || trail[2].Actor != "cli" {
			t.Errorf("audit: %+v", trail)
		}
	})
}

func TestSecondFactorStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		a, audit := sqlstore.NewAccountService(db), sqlstore.NewAuditService(db)
		u := &haven.User{Email: "ana@example.org", Role: haven.RoleScreener, PasswordHash: "x"}
		if err := a.CreateUser(ctx, "cli", u); err != nil {
			t.Fatal(err)
		}
		f, err := a.SecondFactor(ctx, u.ID)
		if err != nil || f.Enabled() || f.Pending != "" {
			t.Fatalf("new account's factor: %+v, %v", f, err)
		}
		if err := a.SetPendingSecondFactor(ctx, u.ID, "sealed-1"); err != nil {
			t.Fatal(err)
		}
		if err := a.SetPendingSecondFactor(ctx, u.ID, "sealed-2"); err != nil {
			t.Fatal(err)
		}
		// Confirming a secret that is no longer the pending one fails.
		if err := a.EnableSecondFactor(ctx, u.Email, u.ID, "sealed-1", 100, nil); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("stale pending secret: %v", err)
		}
		if err := a.EnableSecondFactor(ctx, u.Email, u.ID, "sealed-2", 100, []string{"h1", "h2"}); err != nil {
			t.Fatal(err)
		}
		f, _ = a.SecondFactor(ctx, u.ID)
		if !f.Enabled() || f.Secret != "sealed-2" || f.Pending != "" || f.LastStep != 100 || f.RecoveryLeft != 2 {
			t.Fatalf("enabled factor: %+v", f)
		}
		// A step is used once; an earlier one never.
		for _, tc := range []struct {
			step int64
			ok   bool
		}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}} {
			if ok, err := a.UseTOTPStep(ctx, u.ID, tc.step); err != nil || ok != tc.ok {
				t.Errorf("UseTOTPStep(%d) = %v, %v; want %v", tc.step, ok, err, tc.ok)
			}
		}
		// Recovery codes are spent once.
		for _, tc := range []struct {
			hash string
			ok   bool
		}{{"h1", true}, {"h1", false}, {"nope", false}, {"", false}} {
			if ok, err := a.UseRecoveryCode(ctx, u.Email, u.ID, tc.hash); err != nil || ok != tc.ok {
				t.Errorf("UseRecoveryCode(%q) = %v, %v; want %v", tc.hash, ok, err, tc.ok)
			}
		}
		if f, _ := a.SecondFactor(ctx, u.ID); f.RecoveryLeft != 1 {
			t.Errorf("recovery codes left: %d", f.RecoveryLeft)
		}
		// Challenges: expire, count failures, end.
		if err := a.CreateSigninChallenge(ctx, "c1", u.ID, "/admin"); err != nil {
			t.Fatal(err)
		}
		if got, next, err := a.SigninChallenge(ctx, "c1", 5*time.Minute, 3); err != nil || got.ID != u.ID || next != "/admin" {
			t.Fatalf("challenge: %v %q %v", got, next, err)
		}
		for range 3 {
			a.FailSigninChallenge(ctx, "c1")
		}
		if _, _, err := a.SigninChallenge(ctx, "c1", 5*time.Minute, 3); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("challenge after 3 failures: %v", err)
		}
		a.CreateSigninChallenge(ctx, "c2", u.ID, "")
		db.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
		if _, _, err := a.SigninChallenge(ctx, "c2", 5*time.Minute, 3); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("old challenge: %v", err)
		}
		db.Now = time.Now
		// Reset: factor, codes and sessions gone.
		a.CreateSession(ctx, &haven.Session{TokenHash: "s", UserID: u.ID})
		if err := a.ResetSecondFactor(ctx, "cli", u.ID, true); err != nil {
			t.Fatal(err)
		}
		if f, _ := a.SecondFactor(ctx, u.ID); f.Enabled() || f.RecoveryLeft != 0 {
			t.Errorf("after reset: %+v", f)
		}
		if _, _, err := a.SessionUser(ctx, "s", time.Hour, time.Hour); err == nil {
			t.Error("a session outlived reset-2fa")
		}
		trail, _ := audit.AuditTrail(ctx, "user", u.ID, 0)
		if n := len(trail); n != 4 || trail[n-1].Field != "second factor" || trail[n-1].Before != "yes" || trail[n-1].After != "off" {
			t.Errorf("audit: %+v", trail)
		}
		// The site setting.
		if on, _ := a.SecondFactorRequired(ctx); on {
			t.Error("required by default")
		}
		for _, on := range []bool{true, true, false} {
			if err := a.SetSecondFactorRequired(ctx, "admin@example.org", on); err != nil {
				t.Fatal(err)
			}
			if got, _ := a.SecondFactorRequired(ctx); got != on {
				t.Errorf("required = %v, want %v", got, on)
			}
		}
		if trail, _ := audit.AuditTrail(ctx, "setting", haven.SettingSecondFactorRequired, 0); len(trail) != 2 {
			t.Errorf("setting audit: %+v", trail)
		}
	})
}
