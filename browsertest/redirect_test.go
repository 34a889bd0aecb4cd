//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReturnAddressesInBrowser follows hostile return addresses in Chromium
// itself, which drops tabs and newlines and reads "\" as "/": each names
// the other local site, and the tab must stay on Haven. Before the fix,
// /language/es?next=/%09/HOST/weather took the browser to HOST.
func TestReturnAddressesInBrowser(t *testing.T) {
	t.Parallel()
	other := hostOf(otherURL)
	hostile := []string{
		"/%09/" + other + "/weather",
		"/%0a/" + other + "/weather",
		"/%0d/" + other + "/weather",
		"/%5C" + other + "/weather",
		"%5C/" + other + "/weather",
		"//" + other + "/weather",
		"/%2F" + other + "/weather",
		"http://" + other + "/weather",
	}
	tb := newTab(t)
	for _, next := range hostile {
		tb.open(havenURL+"/language/es?next="+next, 200)
		if loc := tb.location(); hostOf(loc) != hostOf(havenURL) {
			t.Errorf("language link with next=%s: the browser went to %s", next, loc)
		}
	}
	// The sign-in form carries next to the sign-in; signing in must land
	// on Haven's dashboard.
	tb.open(havenURL+"/signin?next="+hostile[0], 200)
	tb.do(
		chromedp.SendKeys(chromedp.CSS(`#email`), adminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), adminPassword),
	)
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if loc := tb.location(); hostOf(loc) != hostOf(havenURL) || !strings.HasSuffix(loc, "/admin") {
		t.Errorf("sign-in with next=%s: the browser went to %s, want Haven's /admin", hostile[0], loc)
	}
}
