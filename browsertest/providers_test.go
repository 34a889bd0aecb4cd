//go:build browser

package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	x := findIDs(t)
	capID := giveBeds(t, x.service)
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
			cur.open(withLang(havenURL+"/admin/organizations/"+x.org+"/providers", lang), 200)
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
			before := eval[string](p, `document.getElementById("n-`+capID+`").value`)
			p.load(200, chromedp.Click(chromedp.CSS(`#cap-`+capID+` div.cap-set > form:last-child button[type="submit"]`)))
			after := eval[string](p, `document.getElementById("n-`+capID+`").value`)
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
				found = eval[int](ref, `document.querySelectorAll('main a[href^="/services/`+x.service+`"]').length`) > 0
			}
			if !found {
				t.Error("a search with Has room now does not find the service the provider gave a bed")
			}
			checkOn(ref, "the directory with Has room now")
		})
	}
}

// giveBeds gives a sample service a capacity of 4 beds, none free, updated
// now, by importing the service again as the HSDS API gives it (an import
// updates in place), and returns the capacity's id. The sample directory
// counts no beds of its own.
func giveBeds(t *testing.T, serviceID string) string {
	t.Helper()
	var svc map[string]any
	getJSON(t, "/api/hsds/services/"+serviceID, &svc)
	capID := "5e3c2a1b-9d8f-4e7a-b6c5-d4e3f2a1b0c9"
	svc["capacities"] = []map[string]any{{
		"id": capID, "service_id": serviceID, "available": 0, "maximum": 4,
		"updated": time.Now().UTC().Format(time.RFC3339),
		"unit":    map[string]any{"id": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d", "name": "Bed (sample)"},
	}}
	b, err := json.Marshal(svc)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "beds.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(havenBin, "import", "--db", havenDB, file).CombinedOutput(); err != nil {
		t.Fatalf("haven import of the service with beds: %v\n%s", err, out)
	}
	return capID
}
