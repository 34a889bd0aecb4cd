package http_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/sqlstore"
	"haven/vault"
)

// from sends a same-origin form from the client at addr, with cookies.
func from(s http.Handler, addr, method, path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	r.RemoteAddr = addr
	if method == "POST" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for _, c := range cookies {
		if c != nil {
			r.AddCookie(c)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func cookieOf(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

func signinForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// TestSignInThrottleNeverLocksOwner: however often one client guesses, the
// owner signs in at once from another; the guesser waits longer and
// longer, and is told how long.
func TestSignInThrottleNeverLocksOwner(t *testing.T) {
	s, _ := MustCurationServer(t)
	now := time.Now()
	havenhttp.SetThrottleClock(s, func() time.Time { return now })
	const attacker, owner = "203.0.113.7:4000", "198.51.100.2:5000"
	var waits []string
	for i := range 12 {
		w := from(s, attacker, "POST", "/signin", signinForm("admin@example.org", "guess guess guess"))
		switch {
		case i < 5 && w.Code != 401:
			t.Fatalf("guess %d: %d, want 401", i+1, w.Code)
		case i >= 5 && w.Code != 429:
			t.Fatalf("guess %d: %d, want 429", i+1, w.Code)
		}
		if w.Code == 429 {
			waits = append(waits, w.Header().Get("Retry-After"))
			if !strings.Contains(w.Body.String(), "Please wait") {
				t.Errorf("429 without a message: %s", w.Body)
			}
			// The guesser waits it out and guesses again, wrongly.
			secs, _ := time.ParseDuration(w.Header().Get("Retry-After") + "s")
			now = now.Add(secs)
			if w := from(s, attacker, "POST", "/signin", signinForm("admin@example.org", "guess guess guess")); w.Code != 401 {
				t.Fatalf("after waiting %v: %d", secs, w.Code)
			}
		}
		// The owner, from elsewhere, gets in at once, every time.
		if w := from(s, owner, "POST", "/signin", signinForm("admin@example.org", testPassword)); w.Code != http.StatusSeeOther {
			t.Fatalf("owner after %d guesses: %d", i+1, w.Code)
		}
	}
	want := []string{"1", "2", "4", "8", "16", "32", "64"}
	if strings.Join(waits, " ") != strings.Join(want, " ") {
		t.Errorf("Retry-After grew as %v, want %v", waits, want)
	}
	// Even the right password waits at the guessing client.
	if w := from(s, attacker, "POST", "/signin", signinForm("admin@example.org", testPassword)); w.Code != 429 {
		t.Errorf("right password from the guessing client: %d, want 429", w.Code)
	}
	// A guessing IPv6 client cannot start afresh from the next address of
	// its /64.
	for i := range 6 {
		from(s, "[2001:db8:1:2::"+string(rune('a'+i))+"]:1", "POST", "/signin", signinForm("curator@example.org", "guess guess guess"))
	}
	if w := from(s, "[2001:db8:1:2::ffff]:1", "POST", "/signin", signinForm("curator@example.org", testPassword)); w.Code != 429 {
		t.Errorf("another address in the same /64: %d, want 429", w.Code)
	}
	if w := from(s, "[2001:db8:1:3::1]:1", "POST", "/signin", signinForm("curator@example.org", testPassword)); w.Code != http.StatusSeeOther {
		t.Errorf("another /64: %d, want 303", w.Code)
	}
}

// TestSlowGuesserDoesNotLockAdmin is the attack that kept an admin out
// before: one wrong guess every three minutes, which a per-account bucket
// refilled at that rate never let recover.
func TestSlowGuesserDoesNotLockAdmin(t *testing.T) {
	s, _ := MustCurationServer(t)
	now := time.Now()
	havenhttp.SetThrottleClock(s, func() time.Time { return now })
	for i := range 80 {
		from(s, "203.0.113.7:4000", "POST", "/signin", signinForm("admin@example.org", "guess guess guess"))
		now = now.Add(3 * time.Minute)
		if i%10 == 9 {
			if w := from(s, "198.51.100.2:5000", "POST", "/signin", signinForm("admin@example.org", testPassword)); w.Code != http.StatusSeeOther {
				t.Fatalf("after %d hours of guessing, the admin cannot sign in: %d", (i+1)/20, w.Code)
			}
		}
	}
}

func TestChangePassword(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		ctx := context.Background()
		here := signIn(t, s, "curator@example.org")
		there := signIn(t, s, "curator@example.org")
		const newPassword = "a brand new passphrase"
		for _, tc := range []struct {
			name string
			form url.Values
			want string
		}{
			{"wrong current", url.Values{"current": {"not my password"}, "new": {newPassword}, "new2": {newPassword}}, "The current password is wrong."},
			{"too short", url.Values{"current": {testPassword}, "new": {"short"}, "new2": {"short"}}, "at least 12 characters"},
			{"differ", url.Values{"current": {testPassword}, "new": {newPassword}, "new2": {newPassword + "!"}}, "The two new passwords differ."},
			{"too short, in Spanish", url.Values{"current": {testPassword}, "new": {"corta"}, "new2": {"corta"}}, "al menos 12 caracteres"},
		} {
			path := "/account/password"
			if strings.Contains(tc.name, "Spanish") {
				path += "?lang=es"
			}
			w := post(s, path, tc.form, here)
			if body := html.UnescapeString(w.Body.String()); w.Code != 400 || !strings.Contains(body, tc.want) {
				t.Errorf("%s: %d, want 400 with %q", tc.name, w.Code, tc.want)
			}
		}
		w := post(s, "/account/password", url.Values{"current": {testPassword}, "new": {newPassword}, "new2": {newPassword}}, here)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account?done=password" {
			t.Fatalf("change: %d %s", w.Code, w.Body)
		}
		if w := get(s, "/account?done=password", here); w.Code != 200 || !strings.Contains(w.Body.String(), "Your password was changed") {
			t.Errorf("this session after the change: %d", w.Code)
		}
		if w := get(s, "/account", there); w.Code != http.StatusSeeOther {
			t.Errorf("the other session outlived the change: %d", w.Code)
		}
		if w := from(s, "198.51.100.9:1", "POST", "/signin", signinForm("curator@example.org", testPassword)); w.Code != 401 {
			t.Errorf("old password: %d", w.Code)
		}
		if w := from(s, "198.51.100.9:1", "POST", "/signin", signinForm("curator@example.org", newPassword)); w.Code != http.StatusSeeOther {
			t.Errorf("new password: %d", w.Code)
		}
		u, _ := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "curator@example.org")
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "user", u.ID, 0)
		if last := trail[len(trail)-1]; last.Field != "password" || last.Actor != "curator@example.org" {
			t.Errorf("not audited: %+v", last)
		}
	})
}

var (
	secretText   = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)
	recoveryText = regexp.MustCompile(`<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>`)
)

// enrol sets up a second factor for email, signed in as c, and returns its
// secret, the code that confirmed it and the recovery codes.
func enrol(t *testing.T, s http.Handler, db *sqlstore.DB, email string, c *http.Cookie) (string, string, []string) {
	t.Helper()
	page := get(s, "/account/2fa", c)
	m := secretText.FindStringSubmatch(page.Body.String())
	if page.Code != 200 || m == nil {
		t.Fatalf("enrolment page: %d %s", page.Code, page.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if !strings.Contains(html.UnescapeString(page.Body.String()), "otpauth://totp/Haven:") {
		t.Error("no otpauth URI on the page")
	}
	if w := get(s, "/account/2fa/qr.png", c); w.Code != 200 || w.Header().Get("Content-Type") != "image/png" || !strings.HasPrefix(w.Body.String(), "\x89PNG") {
		t.Errorf("QR code: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	// Reloading keeps the same secret: the app may already hold it.
	if m2 := secretText.FindStringSubmatch(get(s, "/account/2fa", c).Body.String()); m2 == nil || m2[1] != m[1] {
		t.Error("the secret changed on reload")
	}
	// The database holds it sealed, never in the clear.
	if f, _ := sqlstore.NewAccountService(db).SecondFactor(context.Background(), mustUserID(t, db, email)); !strings.HasPrefix(f.Pending, "v1.") ||
		strings.Contains(f.Pending, secret) {
		t.Errorf("pending secret as stored: %q", f.Pending)
	}
	if w := post(s, "/account/2fa", url.Values{"code": {"000000"}, "password": {testPassword}}, c); w.Code != 400 || !strings.Contains(w.Body.String(), "That code is not right") {
		t.Errorf("wrong code: %d", w.Code)
	}
	code, _ := auth.TOTPCode(secret, time.Now())
	// A session alone cannot tie the account to a phone: the password too.
	if w := post(s, "/account/2fa", url.Values{"code": {code}, "password": {"not the password"}}, c); w.Code != 400 || !strings.Contains(w.Body.String(), "The current password is wrong") {
		t.Errorf("enrolment without the password: %d", w.Code)
	}
	w := post(s, "/account/2fa", url.Values{"code": {code}, "password": {testPassword}}, c)
	codes := recoveryText.FindAllStringSubmatch(w.Body.String(), -1)
	if w.Code != 200 || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("confirm: %d, %d recovery codes", w.Code, len(codes))
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return secret, code, out
}

// codeSignIn signs in with a password and then code, from addr; it
// returns the session cookie, or nil and the last response.
func codeSignIn(t *testing.T, s http.Handler, addr, email, code string) (*http.Cookie, *httptest.ResponseRecorder) {
	t.Helper()
	w := from(s, addr, "POST", "/signin", signinForm(email, testPassword))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin/code" {
		t.Fatalf("password step: %d %q", w.Code, w.Header().Get("Location"))
	}
	if cookieOf(w, "haven_session") != nil {
		t.Fatal("a session was made before the second factor")
	}
	ch := cookieOf(w, "haven_signin")
	if ch == nil || !ch.HttpOnly || ch.Path != "/signin" {
		t.Fatalf("challenge cookie: %+v", ch)
	}
	if w := from(s, addr, "GET", "/signin/code", nil, ch); w.Code != 200 || !strings.Contains(w.Body.String(), `autocomplete="one-time-code"`) {
		t.Fatalf("code form: %d", w.Code)
	}
	w = from(s, addr, "POST", "/signin/code", url.Values{"code": {code}}, ch)
	return cookieOf(w, "haven_session"), w
}

func TestSecondFactor(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		ctx := context.Background()
		// Without a secret key there is nowhere safe to keep a secret.
		c := signIn(t, s, "screener@example.org")
		if w := get(s, "/account/2fa", c); w.Code != 200 || !strings.Contains(w.Body.String(), "cannot be set up on this server") || secretText.MatchString(w.Body.String()) {
			t.Errorf("enrolment with no key: %d", w.Code)
		}
		key, _ := vault.NewKey()
		s.Vault = vault.NewKeyring(key)
		secret, used, recovery := enrol(t, s, db, "screener@example.org", c)
		if w := get(s, "/account", c); !strings.Contains(w.Body.String(), "A second factor is on") {
			t.Error("account page does not say the second factor is on")
		}
		const addr = "198.51.100.20:1"
		// The code used to enrol cannot be used again.
		if sc, w := codeSignIn(t, s, addr, "screener@example.org", used); sc != nil || w.Code != 401 {
			t.Errorf("replayed enrolment code: %d", w.Code)
		}
		// A key rotation: the secret opens with the old key, and the
		// sign-in seals it again under the new one.
		newKey, _ := vault.NewKey()
		s.Vault = vault.NewKeyring(newKey, key)
		next, _ := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
		sc, w := codeSignIn(t, s, addr, "screener@example.org", next)
		// A screener lands on their records, not on /admin (issue 20).
		if sc == nil || w.Header().Get("Location") != "/screening/records" {
			t.Fatalf("sign-in with a fresh code: %d %q", w.Code, w.Header().Get("Location"))
		}
		if f, _ := sqlstore.NewAccountService(db).SecondFactor(ctx, mustUserID(t, db, "screener@example.org")); !strings.HasPrefix(f.Secret, "v1."+newKey.ID+".") {
			t.Errorf("not resealed under the new key %s: %q", newKey.ID, f.Secret)
		}
		if w := get(s, "/admin/users", signIn(t, s, "admin@example.org")); !strings.Contains(w.Body.String(), "screener@example.org (second factor on)") {
			t.Error("the accounts page does not show who has a second factor")
		}
		if w := get(s, "/account", sc); w.Code != 200 {
			t.Errorf("account page after sign-in: %d", w.Code)
		}
		if sc, _ := codeSignIn(t, s, addr, "screener@example.org", next); sc != nil {
			t.Error("a code was accepted twice")
		}
		// Recovery codes work once each, typed any way.
		if sc, _ := codeSignIn(t, s, addr, "screener@example.org", strings.ToUpper(recovery[0])); sc == nil {
			t.Error("recovery code refused")
		}
		if sc, _ := codeSignIn(t, s, addr, "screener@example.org", recovery[0]); sc != nil {
			t.Error("a recovery code was accepted twice")
		}
		// A waiting sign-in takes five wrong codes, then the password again.
		w = from(s, "198.51.100.30:1", "POST", "/signin", signinForm("screener@example.org", testPassword))
		ch := cookieOf(w, "haven_signin")
		for i := range 5 {
			if w := from(s, "198.51.100.30:1", "POST", "/signin/code", url.Values{"code": {"123456"}}, ch); w.Code != 401 || !strings.Contains(w.Body.String(), "not right") {
				t.Fatalf("wrong code %d: %d", i+1, w.Code)
			}
		}
		good, _ := auth.TOTPCode(secret, time.Now().Add(-30*time.Second))
		if w := from(s, "198.51.100.30:1", "POST", "/signin/code", url.Values{"code": {good}}, ch); cookieOf(w, "haven_session") != nil || !strings.Contains(w.Body.String(), "expired") {
			t.Errorf("after five wrong codes: %d", w.Code)
		}
		// Wrong codes count in the throttle, like wrong passwords.
		w = from(s, "198.51.100.30:1", "POST", "/signin", signinForm("screener@example.org", testPassword))
		if w.Code != 429 {
			t.Errorf("password after five wrong codes from one client: %d, want 429", w.Code)
		}
		// No code, no session: the challenge cookie opens nothing else.
		if w := get(s, "/account", ch); w.Code != http.StatusSeeOther {
			t.Errorf("challenge cookie as a session: %d", w.Code)
		}
		// Turning it off needs the password.
		if w := post(s, "/account/2fa/disable", url.Values{"password": {"wrong password"}}, sc); w.Code != 400 {
			t.Errorf("off with a wrong password: %d", w.Code)
		}
		if w := post(s, "/account/2fa/disable", url.Values{"password": {testPassword}}, sc); w.Code != http.StatusSeeOther {
			t.Errorf("off: %d", w.Code)
		}
		if w := from(s, "198.51.100.40:1", "POST", "/signin", signinForm("screener@example.org", testPassword)); cookieOf(w, "haven_session") == nil {
			t.Errorf("password alone after turning off: %d", w.Code)
		}
		u, _ := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "screener@example.org")
		var fields []string
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "user", u.ID, 0)
		for _, e := range trail {
			fields = append(fields, e.Field+":"+e.After)
		}
		if got := strings.Join(fields, " "); !strings.Contains(got, "second factor:on recovery code:used second factor:off") {
			t.Errorf("audit: %s", got)
		}
	})
}

func TestSecondFactorRequired(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		admin := signIn(t, s, "admin@example.org")
		// Refused without a key: nobody could enrol.
		if w := post(s, "/admin/security", url.Values{"required": {"1"}}, admin); w.Code != 400 {
			t.Errorf("required with no key: %d", w.Code)
		}
		key, _ := vault.NewKey()
		s.Vault = vault.NewKeyring(key)
		if w := post(s, "/admin/security", url.Values{"required": {"1"}}, admin); w.Code != http.StatusSeeOther {
			t.Fatalf("require: %d", w.Code)
		}
		if on, _ := sqlstore.NewAccountService(db).SecondFactorRequired(context.Background()); !on {
			t.Fatal("setting not stored")
		}
		// An admin and a screener without one go to enrol, and nowhere else.
		for who, paths := range map[string][]string{"admin@example.org": {"/account", "/admin", "/admin/users"}, "screener@example.org": {"/account", "/screening/records"}} {
			c := signIn(t, s, who)
			for _, path := range paths {
				if w := get(s, path, c); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account/2fa" {
					t.Errorf("%s, GET %s: %d %q", who, path, w.Code, w.Header().Get("Location"))
				}
			}
			if w := post(s, "/account/password", url.Values{}, c); w.Code != 403 {
				t.Errorf("%s, POST before enrolling: %d", who, w.Code)
			}
			if w := get(s, "/account/2fa", c); w.Code != 200 || !strings.Contains(w.Body.String(), "requires a second factor for your role") {
				t.Errorf("%s, enrolment page: %d", who, w.Code)
			}
		}
		// A curator is not asked.
		if w := get(s, "/admin", signIn(t, s, "curator@example.org")); w.Code != 200 {
			t.Errorf("curator: %d", w.Code)
		}
		// Once enrolled, the admin gets everywhere again, and cannot turn
		// the factor off while it is required.
		secret, _, _ := enrol(t, s, db, "admin@example.org", admin)
		if w := get(s, "/admin/users", admin); w.Code != 200 || !strings.Contains(w.Body.String(), `name="required" value="1" checked`) {
			t.Errorf("admin after enrolling: %d", w.Code)
		}
		if w := post(s, "/account/2fa/disable", url.Values{"password": {testPassword}}, admin); w.Code != 400 {
			t.Errorf("turned off while required: %d", w.Code)
		}
		if f, _ := sqlstore.NewAccountService(db).SecondFactor(context.Background(), mustUserID(t, db, "admin@example.org")); !f.Enabled() || secret == "" {
			t.Error("factor gone")
		}
		if w := post(s, "/admin/security", url.Values{}, admin); w.Code != http.StatusSeeOther {
			t.Errorf("unrequire: %d", w.Code)
		}
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "setting", haven.SettingSecondFactorRequired, 0)
		if len(trail) != 2 || trail[0].Actor != "admin@example.org" || trail[0].After != "yes" || trail[1].After != "no" {
			t.Errorf("setting audit: %+v", trail)
		}
	})
}

func mustUserID(t *testing.T, db *sqlstore.DB, email string) string {
	u, err := sqlstore.NewAccountService(db).FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
