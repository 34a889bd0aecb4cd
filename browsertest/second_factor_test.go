//go:build browser

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"haven/auth"
)

// TestSecondFactorSignIn sets up a second factor in the browser, as a
// person would with an authenticator app, and signs in with a code: the
// password alone lands on the code form, the code on the dashboard. The
// pages pass axe, and the QR code, drawn by Haven, loads under the CSP.
func TestSecondFactorSignIn(t *testing.T) {
	t.Parallel()
	const email, password = "totp-curator@example.org", "a second browser passphrase"
	admin := signIn(t)
	admin.open(havenURL+"/admin/users", 200)
	admin.do(
		chromedp.SendKeys(chromedp.CSS(`#f-email`), email),
		chromedp.SetValue(chromedp.CSS(`#f-role`), "curator"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), password),
	)
	admin.load(200, chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type="submit"]`)))

	tb := newTab(t)
	signin := func() {
		tb.open(havenURL+"/signin", 200)
		tb.do(
			chromedp.SendKeys(chromedp.CSS(`#email`), email),
			chromedp.SendKeys(chromedp.CSS(`#password`), password),
		)
		tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	}
	signin()
	if u := tb.location(); !strings.HasSuffix(u, "/admin") {
		t.Fatalf("after signing in: at %s", u)
	}
	tb.open(havenURL+"/account/2fa", 200)
	checkPage(t, tb)
	if w := eval[int](tb, `document.querySelector('img[src="/account/2fa/qr.png"]').naturalWidth`); w != 240 {
		t.Errorf("QR code is %d pixels wide, want 240 (not loaded?)", w)
	}
	secret := strings.ReplaceAll(eval[string](tb, `document.getElementById("totp-secret").textContent`), " ", "")
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	tb.do(chromedp.SendKeys(chromedp.CSS(`#f-code`), code), chromedp.SendKeys(chromedp.CSS(`#f-password`), password))
	// The recovery codes come as the form's answer, not after a redirect.
	tb.post(200, chromedp.Click(chromedp.CSS(`form[action="/account/2fa"] button[type="submit"]`)))
	if n := eval[int](tb, `document.querySelectorAll(".recovery-codes li").length`); n != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", n)
	}
	checkPage(t, tb)

	tb.open(havenURL+"/account", 200)
	tb.load(200, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	signin()
	if u := tb.location(); !strings.HasSuffix(u, "/signin/code") {
		t.Fatalf("after the password: at %s, want the code form", u)
	}
	checkPage(t, tb)
	// The next step's code: the one that confirmed the set-up is spent.
	next, _ := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
	tb.do(chromedp.SendKeys(chromedp.CSS(`#code`), next))
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if u := tb.location(); !strings.HasSuffix(u, "/admin") {
		t.Fatalf("after the code: at %s, want /admin", u)
	}
}
