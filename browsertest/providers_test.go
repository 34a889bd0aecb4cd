//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestProviderOnAPhone is a provider's first visit, in English and Spanish
// on a 390 px phone: a curator invites them (no mail server is set up, so
// the page shows the link), the link sets their password, they sign in,
// land on their listings and open a service's form. Every page passes axe
// and nothing sticks out sideways.
func TestProviderOnAPhone(t *testing.T) {
	t.Parallel()
	admin := signIn(t)
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			cur := newTab(t, inLanguage(lang), atWidth(390), inContext(admin))
			checkOn := func(tb *tab, what string) {
				t.Helper()
				c := checkPage(t, tb)
				if c.Lang != lang {
					t.Errorf("%s: <html lang=%q>, want %q", what, c.Lang, lang)
				}
				if c.ScrollWidth > c.ClientWidth {
					t.Errorf("%s overflows sideways: %d > %d: %v", what, c.ScrollWidth, c.ClientWidth, c.Culprits)
				}
			}
			cur.open(withLang(havenURL+"/admin/organizations/"+bedsOrg+"/providers", lang), 200)
			checkOn(cur, "the providers page")
			email := fmt.Sprintf("keeper-%s@example.org", lang)
			cur.do(chromedp.SendKeys(chromedp.CSS(`#f-invite-email`), email))
			cur.post(200, chromedp.Click(chromedp.CSS(`form[action$="/providers/invite"] button[type="submit"]`)))
			link := eval[string](cur, `(document.getElementById("invite-link") || {value: ""}).value`)
			if !strings.Contains(link, "/invitation?t=") {
				t.Fatalf("no invitation link shown: %q", link)
			}
			checkOn(cur, "the providers page with a link to copy")

			p := newTab(t, inLanguage(lang), atWidth(390))
			p.open(withLang(link, lang), 200)
			checkOn(p, "the invitation")
			const pw = "a provider's long passphrase"
			p.do(chromedp.SendKeys(chromedp.CSS(`#f-password`), pw), chromedp.SendKeys(chromedp.CSS(`#f-password2`), pw))
			p.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
			if !strings.Contains(p.location(), "/signin") {
				t.Fatalf("setting the password led to %s", p.location())
			}
			checkOn(p, "the sign-in page after the invitation")
			p.do(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), pw))
			p.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
			if !strings.HasSuffix(strings.SplitN(p.location(), "?", 2)[0], "/provider") {
				t.Fatalf("after signing in the provider is at %s", p.location())
			}
			checkOn(p, "the provider's listings")
			p.load(200, chromedp.Click(chromedp.CSS(`main a[href^="/provider/services/"]`)))
			checkOn(p, "the provider's service form")
			if n := eval[int](p, `document.querySelectorAll('a[href^="/admin/"]').length`); n != 0 {
				t.Errorf("the provider's form links to %d admin pages", n)
			}

			// Room now: from their listings to the capacity page, and +.
			p.open(withLang(havenURL+"/provider", lang), 200)
			p.load(200, chromedp.Click(chromedp.CSS(`main a[href^="/provider/capacity/"]`)))
			checkOn(p, "the provider's capacity page")
			before := eval[string](p, `document.getElementById("n-`+bedsCapacity+`").value`)
			p.load(200, chromedp.Click(chromedp.CSS(`#cap-`+bedsCapacity+` div.cap-set > form:last-child button[type="submit"]`)))
			after := eval[string](p, `document.getElementById("n-`+bedsCapacity+`").value`)
			if before == "" || after == before {
				t.Fatalf("pressing + left the count at %q (was %q)", after, before)
			}
			checkOn(p, "the capacity page after +")

			// A referrer's search for room now finds the service: SQL at
			// once, the server's index within its half-second follow.
			ref := newTab(t, inLanguage(lang), atWidth(390))
			found := false
			for deadline := time.Now().Add(10 * time.Second); !found && time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
				ref.open(withLang(havenURL+"/directory?capacity=available", lang), 200)
				found = eval[int](ref, `document.querySelectorAll('main a[href^="/services/`+bedsService+`"]').length`) > 0
			}
			if !found {
				t.Error("a search with Has room now does not find the service the provider gave a bed")
			}
			checkOn(ref, "the directory with Has room now")
		})
	}
}
