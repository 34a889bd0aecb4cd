package auth

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func newTestThrottle() (*Throttle, *fakeClock) {
	c := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	t := NewThrottle(1000)
	t.Now = c.Now
	return t, c
}

// TestThrottleSlowGuesserDoesNotLockOwner is the attack that locked admins
// out before: one wrong guess every three minutes, for a day. The owner,
// from another client, must get in at once throughout.
func TestThrottleSlowGuesserDoesNotLockOwner(t *testing.T) {
	th, clock := newTestThrottle()
	guesses := 0
	for i := range 24 * 20 {
		if w := th.Wait("attacker", "admin"); w == 0 {
			th.Fail("attacker", "admin")
			guesses++
		}
		if w := th.Wait("owner", "admin"); w != 0 {
			t.Fatalf("after %d guesses by another client, the owner waits %v", i+1, w)
		}
		clock.Advance(3 * time.Minute)
	}
	// The guesser itself is slowed to about one guess in 15 minutes.
	if guesses > 24*4+20 {
		t.Errorf("a client guessing every 3 minutes for a day got %d guesses", guesses)
	}
}

func TestThrottleGrowingDelays(t *testing.T) {
	th, clock := newTestThrottle()
	for i := range 5 {
		if w := th.Wait("a", "u"); w != 0 {
			t.Fatalf("free attempt %d waits %v", i+1, w)
		}
		th.Fail("a", "u")
	}
	var last time.Duration
	for i := range 14 {
		w := th.Wait("a", "u")
		want := min(15*time.Minute, time.Second<<i)
		if w != want {
			t.Fatalf("after %d failures: wait %v, want %v", 5+i, w, want)
		}
		if w < last {
			t.Fatalf("delay shrank from %v to %v", last, w)
		}
		last = w
		if i == 3 {
			clock.Advance(w)
			if th.Wait("a", "u") != 0 {
				t.Fatalf("after waiting %v, still waiting", w)
			}
		}
		th.Fail("a", "u")
	}
	if w := th.Wait("a", "u"); w != 15*time.Minute {
		t.Errorf("delay not capped at 15 min: %v", w)
	}
	// The same client may still try another account (until its own cap).
	if w := th.Wait("a", "other"); w != 0 {
		t.Errorf("another account waits %v", w)
	}
	// Success forgets the pair.
	clock.Advance(15 * time.Minute)
	th.Succeed("a", "u")
	if w := th.Wait("a", "u"); w != 0 {
		t.Errorf("after success: wait %v", w)
	}
	// Failures are forgiven with time.
	for range 10 {
		th.Fail("b", "u")
	}
	if th.Wait("b", "u") == 0 {
		t.Fatal("ten failures, no wait")
	}
	clock.Advance(24 * time.Hour)
	if w := th.Wait("b", "u"); w != 0 {
		t.Errorf("a day later: wait %v", w)
	}
}

// TestThrottleSpraying: one client trying one password on many accounts
// is slowed by its own count across accounts.
func TestThrottleSpraying(t *testing.T) {
	th, _ := newTestThrottle()
	for i := range 20 {
		acct := fmt.Sprint("user", i)
		if w := th.Wait("sprayer", acct); w != 0 {
			t.Fatalf("account %d: wait %v", i, w)
		}
		th.Fail("sprayer", acct)
	}
	if w := th.Wait("sprayer", "user99"); w != time.Second {
		t.Errorf("21st account: wait %v, want 1s", w)
	}
	if w := th.Wait("someone", "user99"); w != 0 {
		t.Errorf("another client waits %v", w)
	}
}

// TestThrottleAccountUnderAttack: many clients each guessing a little lose
// their free attempts once the account has many failures, while a client
// that never failed on it still gets in at once.
func TestThrottleAccountUnderAttack(t *testing.T) {
	th, _ := newTestThrottle()
	for i := range 100 {
		th.Fail(fmt.Sprint("bot", i), "admin")
	}
	if w := th.Wait("bot1", "admin"); w != time.Second {
		t.Errorf("a bot after one failure, account under attack: wait %v, want 1s", w)
	}
	if w := th.Wait("owner", "admin"); w != 0 {
		t.Errorf("the owner waits %v", w)
	}
	if w := th.Wait("bot1", "other"); w != 0 {
		t.Errorf("another account waits %v", w)
	}
}

func TestThrottleMemoryBounded(t *testing.T) {
	th := NewThrottle(50)
	for i := range 1000 {
		th.Fail(strings.Repeat("c", i%7), fmt.Sprint("acct", i))
	}
	if n := th.Len(); n > 50 {
		t.Errorf("remembers %d pairs, bound 50", n)
	}
}

func TestTOTP(t *testing.T) {
	secret, uri, err := NewTOTPKey("Haven", "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 || !strings.HasPrefix(uri, "otpauth://totp/Haven:ana@example.org?") || !strings.Contains(uri, "secret="+secret) {
		t.Fatalf("secret %q, uri %q", secret, uri)
	}
	if got := TOTPURI("Haven", "ana@example.org", secret); got != uri {
		t.Errorf("TOTPURI = %q, want %q", got, uri)
	}
	if img, err := TOTPImage(uri, 200); err != nil || img.Bounds().Dx() != 200 {
		t.Errorf("TOTPImage: %v", err)
	}
	// RFC 6238 appendix B: SHA-1 secret "12345678901234567890" at 59 s
	// gives 94287082, whose last six digits are the 6-digit code.
	rfc := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	if code, _ := TOTPCode(rfc, time.Unix(59, 0)); code != "287082" {
		t.Errorf("RFC 6238 vector: %q, want 287082", code)
	}
	if code, _ := TOTPCode(rfc, time.Unix(1111111109, 0)); code != "081804" {
		t.Errorf("RFC 6238 vector: %q, want 081804", code)
	}
	now := time.Unix(1111111109, 0)
	step := TOTPStep(now)
	tests := []struct {
		name string
		code string
		at   time.Time
		last int64
		ok   bool
	}{
		{"now", "081804", now, 0, true},
		{"spaced", "081 804", now, 0, true},
		{"30 s late", "081804", now.Add(30 * time.Second), 0, true},
		{"90 s late", "081804", now.Add(90 * time.Second), 0, false},
		{"reused", "081804", now, step, false},
		{"wrong", "081805", now, 0, false},
		{"short", "08180", now, 0, false},
		{"empty", "", now, 0, false},
	}
	for _, tt := range tests {
		got, ok := VerifyTOTP(rfc, tt.code, tt.at, tt.last)
		if ok != tt.ok || (ok && got != step) {
			t.Errorf("%s: VerifyTOTP = %d, %v; want step %d, %v", tt.name, got, ok, step, tt.ok)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		h := RecoveryCodeHash(c)
		if len(c) != 19 || h == "" || seen[h] {
			t.Fatalf("code %q hash %q", c, h)
		}
		seen[h] = true
		if RecoveryCodeHash(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != h {
			t.Errorf("%q typed in capitals with spaces hashes differently", c)
		}
	}
	if len(codes) != RecoveryCodeCount {
		t.Errorf("%d codes", len(codes))
	}
	for _, bad := range []string{"", "123456", "0000-0000-0000-0000", strings.Repeat("a", 17)} {
		if RecoveryCodeHash(bad) != "" {
			t.Errorf("RecoveryCodeHash(%q) is not empty", bad)
		}
	}
}
