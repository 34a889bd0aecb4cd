//go:build browser

package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// cookies lists the cookies the tab's browser context holds for Haven and
// the other site.
func (tb *tab) cookies() []string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{havenURL + "/", brokenURL + "/", otherURL + "/"}})
	if err != nil {
		tb.t.Fatal(err)
	}
	var out []string
	for _, c := range res.Cookies {
		out = append(out, c.Name+"="+c.Value+" for "+c.Domain)
	}
	return out
}

// TestPrivateVisit follows a visitor through Haven, clicking and typing as
// a person would, in English and then Spanish: every request goes to Haven
// (the tab fails the test otherwise), nothing lands in the console, no
// cookie is set, and only the quick exit, at the end, reaches the other
// site.
func TestPrivateVisit(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(lang), atWidth(360))
			tb.open(withLang(havenURL+"/", lang), 200)
			tb.do(chromedp.SendKeys(chromedp.ID("home-q"), "visa"))
			tb.load(200, chromedp.KeyEvent(kb.Enter))
			tb.load(200, chromedp.Click(chromedp.CSS(`main .entry h3 a`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/directory"]`)))
			tb.do(chromedp.SendKeys(chromedp.ID("q"), "legal"), chromedp.SendKeys(chromedp.ID("place"), "77002"))
			tb.load(200, chromedp.KeyEvent(kb.Enter))
			tb.load(200, chromedp.Click(chromedp.CSS(`main .svc .pick a`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`main .picked a[href^="/referral?"]`)))
			if !strings.Contains(tb.location(), "/referral?") {
				t.Fatalf("the referral sheet did not open: at %s", tb.location())
			}
			tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/understand-victims"]`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`main .cards a`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`footer a[href="/browse-safely"]`)))
			screenTo(tb, lang, true)
			if got := eval[string](tb, `document.documentElement.lang`); got != lang {
				t.Errorf("the visit ended in language %q, want %q", got, lang)
			}
			if c := tb.cookies(); len(c) > 0 {
				t.Errorf("an anonymous visit got cookies: %v", c)
			}
			tb.mu.Lock()
			n := len(tb.requests)
			tb.mu.Unlock()
			if n < 30 {
				t.Errorf("only %d requests seen: the network watch is not working", n)
			}
			// Leave: now, and only now, the other site may be reached.
			tb.allow(hostOf(otherURL))
			tb.load(200, chromedp.KeyEvent(kb.Escape))
			// The browser may ask the neutral site for its icon after the
			// page loads: that request is not the visit's.
			tb.mu.Lock()
			last := ""
			for i := len(tb.requests) - 1; i >= 0 && last == ""; i-- {
				if !strings.HasSuffix(tb.requests[i], "/favicon.ico") {
					last = tb.requests[i]
				}
			}
			tb.mu.Unlock()
			if last != exitURL {
				t.Errorf("the last request was %s, want the neutral site", last)
			}
		})
	}
}

// TestWatchCatchesProblems shows the tab's watch is real: a script that
// breaks the page's Content-Security-Policy, an error in the console and a
// request to another site are each caught.
func TestWatchCatchesProblems(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.open(havenURL+"/", 200)
	// Through the DevTools protocol, add what a page must never have: an
	// inline script (refused by the CSP), and an image from another site.
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.createElement("script");
		s.textContent = "window.inlineRan = true";
		document.body.append(s);
		const i = document.createElement("img");
		i.src = "` + otherURL + `/pixel.gif";
		document.body.append(i);
	})()`))
	var got []string
	for range 50 {
		tb.mu.Lock()
		got = append([]string(nil), tb.problems...)
		tb.mu.Unlock()
		if len(got) >= 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.mu.Lock()
	tb.problems = nil // they were the point: do not fail the test with them
	tb.mu.Unlock()
	joined := strings.Join(got, "\n")
	if eval[bool](tb, `window.inlineRan === true`) {
		t.Error("an inline script ran: the Content-Security-Policy did not stop it")
	}
	if !strings.Contains(joined, "Content Security Policy") {
		t.Errorf("the CSP violation was not caught; caught: %s", joined)
	}
	if !strings.Contains(joined, "pixel.gif") {
		t.Errorf("the image from another site was not caught; caught: %s", joined)
	}
}

// TestCrossSitePost: a page on another site that posts Haven's forms — even
// with the right password — is refused with 403, and no session is set.
func TestCrossSitePost(t *testing.T) {
	t.Parallel()
	for _, form := range []string{"signin", "suggest"} {
		t.Run(form, func(t *testing.T) {
			tb := newTab(t)
			tb.allow(hostOf(otherURL))
			tb.open(otherURL+"/forms", 200)
			tb.expectError(havenURL + "/" + form)
			resp := tb.load(403, chromedp.Click(chromedp.CSS("#"+form+" button")))
			if resp.URL != havenURL+"/"+form {
				t.Errorf("the post went to %s", resp.URL)
			}
			if c := tb.cookies(); len(c) > 0 {
				t.Errorf("a refused post set cookies: %v", c)
			}
		})
	}
}
