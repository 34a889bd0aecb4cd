//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// exited reports whether the tab is at the neutral site within wait: a
// long wait for a key that should leave (the machine may be busy), and
// waiting that long for one that should not.
func (tb *tab) exited(wait time.Duration) bool {
	tb.t.Helper()
	for end := time.Now().Add(wait); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		// While the tab navigates the history may not be readable: try again.
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
		cancel()
		if err == nil && h.Entries[h.CurrentIndex].URL == exitURL {
			return true
		}
	}
	return false
}

// TestQuickExitKeys: Shift three times leaves from anywhere, even while
// typing in a search box or a note; Esc leaves from the page but not from a
// text field, where it keeps what was typed; Shift with other keys between
// (typing capitals) never leaves.
func TestQuickExitKeys(t *testing.T) {
	t.Parallel()
	shift := chromedp.KeyEvent(kb.Shift)
	type tc struct {
		name  string
		path  string
		focus string // CSS of the field to type in, "" for none
		keys  []chromedp.Action[chromedp.Void]
		leave bool
	}
	cases := []tc{
		{"shift×3 on the page", "/resources", "", []chromedp.Action[chromedp.Void]{shift, shift, shift}, true},
		{"shift×3 typing a search", "/directory", "#q", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent("legal"), shift, shift, shift}, true},
		{"shift×3 in a note", "/suggest", "#f-body", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent("The hours changed"), shift, shift, shift}, true},
		{"esc on the page", "/resources", "", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent(kb.Escape)}, true},
		{"esc on a link", "/resources", `nav a[href="/directory"]`, []chromedp.Action[chromedp.Void]{chromedp.KeyEvent(kb.Escape)}, true},
		{"esc typing a search", "/directory", "#q", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent("legal"), chromedp.KeyEvent(kb.Escape)}, false},
		{"esc in a note", "/suggest", "#f-body", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent("The hours changed"), chromedp.KeyEvent(kb.Escape)}, false},
		{"shift, key, shift, shift", "/directory", "#q", []chromedp.Action[chromedp.Void]{shift, chromedp.KeyEvent("A"), shift, shift}, false},
		{"capitals", "/directory", "#q", []chromedp.Action[chromedp.Void]{chromedp.KeyEvent("Ana Maria Lopez"), shift}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tb.allow(hostOf(otherURL))
			tb.open(havenURL+c.path, 200)
			if c.focus != "" {
				tb.do(chromedp.Focus(chromedp.CSS(c.focus)))
			}
			tb.do(c.keys...)
			wait := time.Second
			if c.leave {
				wait = 15 * time.Second
			}
			if got := tb.exited(wait); got != c.leave {
				t.Fatalf("left: %v, want %v", got, c.leave)
			}
			// A slow exit would still have blanked the page at once.
			if !c.leave && eval[bool](tb, `document.documentElement.classList.contains("exiting") || location.host !== `+fmt.Sprintf("%q", hostOf(havenURL))) {
				t.Fatal("the page began to leave")
			}
			// (A search box clears itself on Esc, as browsers make them do.)
			if !c.leave && c.focus == "#f-body" {
				if v := eval[string](tb, `document.querySelector("#f-body").value`); v == "" {
					t.Errorf("what was typed in the note is gone")
				}
			}
		})
	}
}

// TestVisitIsOneEntry goes home → directory → search → a service → the
// referral sheet → the screening interview (its POST-redirect-GET forms) → quick exit,
// clicking and typing as a person would: the visit never grows the
// history past the one entry Haven had, and after the quick exit no Haven
// page is in it and Back goes to the page before Haven.
func TestVisitIsOneEntry(t *testing.T) {
	t.Parallel()
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			tb := newTab(t, atWidth(w))
			tb.allow(hostOf(otherURL))
			tb.open(otherURL+"/before", 200)
			tb.open(havenURL+"/", 200)
			start := tb.history()
			same := func(step string) {
				t.Helper()
				h := tb.history()
				if len(h.Entries) != len(start.Entries) || h.CurrentIndex != start.CurrentIndex {
					t.Fatalf("after %s the history has %d entries (at %d), want %d (at %d): %v",
						step, len(h.Entries), h.CurrentIndex, len(start.Entries), start.CurrentIndex, urls(h))
				}
			}
			tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/directory"]`)))
			same("the directory link")
			tb.do(chromedp.SendKeys(chromedp.ID("q"), "legal"))
			tb.load(200, chromedp.KeyEvent(kb.Enter))
			same("a search")
			if !strings.Contains(tb.location(), "q=legal") {
				t.Fatalf("the search did not run: at %s", tb.location())
			}
			tb.load(200, chromedp.Click(chromedp.CSS(`main .svc h3 a`)))
			same("a service")
			if !strings.Contains(tb.location(), "/services/") {
				t.Fatalf("not on a service: at %s", tb.location())
			}
			tb.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter)) // the skip link
			if got := eval[string](tb, `document.activeElement.id`); got != "main" {
				t.Errorf("after the skip link, focus is on %q, want main", got)
			}
			same("the skip link")
			// The interview's forms answer with a redirect to the next step
			// (POST-redirect-GET), which the script opens by replace.
			tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/screening"]`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
			step := eval[string](tb, `document.querySelector("main .meta").textContent`)
			tb.do(chromedp.Click(chromedp.CSS(`input[name="safe_to_talk"][value="yes"]`)),
				chromedp.Click(chromedp.CSS(`input[name="consent_screen"][value="yes"]`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
			same("the screening forms")
			if next := eval[string](tb, `document.querySelector("main .meta").textContent`); next == step {
				t.Fatalf("the screening stayed at %q", step)
			}

			tb.load(200, chromedp.Click(chromedp.ID("quick-exit")))
			h := tb.history()
			if got := h.Entries[h.CurrentIndex].URL; got != exitURL {
				t.Fatalf("after the quick exit the tab is at %s", got)
			}
			same("the quick exit")
			for _, e := range h.Entries {
				if hostOf(e.URL) == hostOf(havenURL) {
					t.Errorf("Haven's page %s is in the history: %v", e.URL, urls(h))
				}
			}
			checkBackLeavesHaven(t, tb, h)
		})
	}
}

// TestVisitWithoutJavaScript: with scripts off the same visit works by
// plain links and forms, and each page adds its entry, as any site's do
// (which shows the script is what keeps a visit to one entry).
func TestVisitWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.do(call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	tb.open(havenURL+"/", 200)
	before := len(tb.history().Entries)
	tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/directory"]`)))
	tb.do(chromedp.SendKeys(chromedp.ID("q"), "legal"))
	tb.load(200, chromedp.KeyEvent(kb.Enter))
	tb.load(200, chromedp.Click(chromedp.CSS(`main .svc h3 a`)))
	tb.load(200, chromedp.Click(chromedp.CSS(`nav a[href="/screening"]`)))
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	step := eval[string](tb, `document.querySelector("main .meta").textContent`)
	tb.do(chromedp.Click(chromedp.CSS(`input[name="safe_to_talk"][value="yes"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent_screen"][value="yes"]`)))
	tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
	if next := eval[string](tb, `document.querySelector("main .meta").textContent`); next == step {
		t.Fatalf("without JavaScript the screening stayed at %q", step)
	}
	if n := len(tb.history().Entries); n != before+6 {
		t.Errorf("without JavaScript the visit made %d entries, want %d, one a page", n-before+1, 7)
	}
}

// TestLanguageChoiceLeavesNoLastingCookie picks Spanish by the link in the
// header: the page turns Spanish, and the one cookie it sets is a session
// cookie, gone when the browser closes.
func TestLanguageChoiceLeavesNoLastingCookie(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.open(havenURL+"/resources", 200)
	tb.load(200, chromedp.Click(chromedp.CSS(`a.lang-switch`)))
	if got := eval[string](tb, `document.documentElement.lang`); got != "es" {
		t.Fatalf("after choosing Spanish the page is in %q", got)
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{havenURL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cookies) != 1 || res.Cookies[0].Name != "lang" || res.Cookies[0].Value != "es" {
		t.Fatalf("cookies after choosing Spanish: %+v, want lang=es alone", res.Cookies)
	}
	if c := res.Cookies[0]; !c.Session || c.Expires > 0 {
		t.Errorf("the language cookie lasts: session %v, expires %v", c.Session, c.Expires)
	}
}

// post runs an action that sends a POST form which answers with a page
// (not a redirect): the script sends it with fetch and shows the answer in
// place, so there is no navigation to wait for. It waits for the page to
// be shown and checks the answer's status.
func (tb *tab) post(status int, action chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`window.hvShown = new Promise(resolve => {
		new MutationObserver((ms, o) => {
			if (ms.some(m => [...m.addedNodes].some(n => n.nodeName === "BODY"))) { o.disconnect(); resolve(); }
		}).observe(document.documentElement, {childList: true});
	}); undefined`))
	tb.do(action)
	if !eval[bool](tb, `window.hvShown.then(() => true)`) {
		tb.t.Fatal("the form's answer was not shown")
	}
	got := eval[int](tb, `(() => {
		const e = performance.getEntriesByType("resource").filter(e => e.initiatorType === "fetch").pop();
		return e ? e.responseStatus : 0;
	})()`)
	if got != status {
		tb.t.Fatalf("%s: status %d, want %d", tb.location(), got, status)
	}
}

// TestDiscreetPrint prints the discreet referral sheet, in English and
// Spanish: in print media the page shows the plain title and the phones,
// and no word of trafficking or hotlines — the site's header with the
// hotline bar is hidden too — while the full sheet's print shows them.
func TestDiscreetPrint(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	words := []string{"traffick", "hotline", "trata", "tráfico", "línea"}
	printedText := func(tb *tab, u string) string {
		tb.open(u, 200)
		tb.do(call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}))
		return strings.ToLower(eval[string](tb, `document.body.innerText`))
	}
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(lang))
			q := "id=" + x.service + "&id=" + x.service2 + "&lang=" + lang
			full := printedText(tb, havenURL+"/referral?"+q)
			seen := 0
			for _, w := range words {
				if strings.Contains(full, w) {
					seen++
				}
			}
			if seen == 0 {
				t.Fatalf("the full sheet's print names neither trafficking nor the hotline: the check sees nothing:\n%s", full)
			}
			text := printedText(tb, havenURL+"/referral?discreet=1&"+q)
			for _, w := range words {
				if strings.Contains(text, w) {
					t.Errorf("the discreet sheet prints %q:\n%s", w, text)
				}
			}
			title := map[string]string{"en": "contacts", "es": "contactos"}[lang]
			if !strings.HasPrefix(strings.TrimSpace(text), title) {
				t.Errorf("the discreet print does not start with its plain title %q:\n%s", title, text)
			}
			if !strings.Contains(text, "555-") {
				t.Errorf("the discreet print shows no phone:\n%s", text)
			}
		})
	}
}

// urls lists a history's addresses, for messages.
func urls(h page.GetNavigationHistoryResult) []string {
	var out []string
	for _, e := range h.Entries {
		out = append(out, e.URL)
	}
	return out
}
