//go:build browser

package browsertest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// phone sets the tab's viewport to a 390×844 phone, as an iPhone 12–15 is.
func (tb *tab) phone() {
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// TestHeaderFitsAPhone: on a 390×844 phone, in English and Spanish, the
// header, the navigation and the hotline bar together — everything above
// the page's own content — take at most a fifth of the screen.
func TestHeaderFitsAPhone(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(lang), atWidth(390))
			tb.phone()
			for _, path := range []string{"/", "/directory?q=legal", "/services/" + x.service, "/resources"} {
				tb.open(withLang(havenURL+path, lang), 200)
				type m struct {
					Top, Header, Height float64
				}
				got := eval[m](tb, `({top: document.getElementById("main").getBoundingClientRect().top,
					header: document.querySelector(".site-header").getBoundingClientRect().height, height: innerHeight})`)
				if got.Height != 844 {
					t.Fatalf("the viewport is %v px high, want 844", got.Height)
				}
				if got.Top > 844.0/5 {
					t.Errorf("%s: the page's content starts %.0f px down, over a fifth of 844 (168.8)", path, got.Top)
				}
				t.Logf("%s %s: header %.0f px, content from %.0f px", lang, path, got.Header, got.Top)
			}
		})
	}
}

// TestQuickExitCoversNothing scrolls through pages at four widths, in both
// languages: at each step, nothing that can be tapped — link, button,
// field, filter chip — lies under the quick exit, unless the sticky bar
// the button sits on covers it there already (so the button takes nothing
// more from the page than the bar does).
func TestQuickExitCoversNothing(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	paths := []string{"/", "/directory?q=legal&state=TX&sheet=" + x.service, "/services/" + x.service,
		"/referral?id=" + x.service + "&id=" + x.service2, "/resources?q=visa"}
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int64{320, 390, 768, 1280} {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				t.Parallel()
				tb := newTab(t, inLanguage(lang), atWidth(w))
				for _, path := range paths {
					tb.open(withLang(havenURL+path, lang), 200)
					r := eval[struct {
						Steps    int
						Problems []string
					}](tb, `new Promise(resolve => {
						const exit = document.getElementById("quick-exit"), bar = document.querySelector(".site-header");
						const tappable = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])")]
							.filter(e => e !== exit && !e.closest("[hidden]") && getComputedStyle(e).visibility !== "hidden" && e.getClientRects().length > 0);
						const problems = [];
						let steps = 0;
						const check = () => {
							steps++;
							const x = exit.getBoundingClientRect();
							for (const e of tappable) {
								for (const r of e.getClientRects()) {
									const l = Math.max(r.left, x.left), t = Math.max(r.top, x.top);
									const ri = Math.min(r.right, x.right), b = Math.min(r.bottom, x.bottom);
									if (ri - l < 1 || b - t < 1) continue;
									// What is under the button there?
									exit.style.visibility = "hidden";
									const under = document.elementFromPoint((l + ri) / 2, (t + b) / 2);
									exit.style.visibility = "";
									if (bar.contains(e) || !under || !bar.contains(under)) {
										problems.push(location.pathname + " at scroll " + Math.round(scrollY) + ": " + e.outerHTML.slice(0, 120) +
											" at " + [r.left, r.top, r.right, r.bottom].map(Math.round) + ", the button at " + [x.left, x.top, x.right, x.bottom].map(Math.round));
									}
								}
							}
						};
						const max = document.documentElement.scrollHeight - innerHeight;
						let y = 0;
						const step = () => {
							window.scrollTo(0, y);
							requestAnimationFrame(() => {
								check();
								if (y >= max) { window.scrollTo(0, 0); resolve({steps, problems: problems.slice(0, 5)}); return; }
								y = Math.min(max, y + innerHeight / 3);
								step();
							});
						};
						step();
					})`)
					if r.Steps < 1 {
						t.Fatalf("%s: no step checked", path)
					}
					for _, p := range r.Problems {
						t.Errorf("the quick exit covers something to tap: %s", p)
					}
				}
			})
		}
	}
}

// TestPicksInBrowser builds a referral sheet as a case worker would, at a
// phone's and a laptop's width, in both languages: a pick, the next page,
// another pick, a new search, a filter and a service's page each keep the
// picks, the counter follows, the sheet holds all three and they compare
// side by side — a table on a laptop, cards on a phone. Nothing is kept
// in cookies or the browser's storage.
func TestPicksInBrowser(t *testing.T) {
	t.Parallel()
	counted := map[string]string{"en": "%d picked", "es": "%d elegido"}
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int64{390, 1280} {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				t.Parallel()
				tb := newTab(t, inLanguage(lang), atWidth(w))
				count := func(want int) {
					t.Helper()
					got := eval[string](tb, `(document.querySelector("main .picked") || {}).textContent || ""`)
					if !strings.Contains(got, fmt.Sprintf(counted[lang], want)) {
						t.Fatalf("at %s the counter says %q, want %d picked", tb.location(), strings.TrimSpace(got), want)
					}
				}
				picked := func() []string {
					u, err := url.Parse(tb.location())
					if err != nil {
						t.Fatal(err)
					}
					return strings.Split(u.Query().Get("sheet"), ",")
				}
				tb.open(withLang(havenURL+"/directory", lang), 200)
				tb.load(200, chromedp.Click(chromedp.CSS(`main .svc .pick a`)))
				count(1)
				first := picked()[0]
				tb.load(200, chromedp.Click(chromedp.CSS(`main .pager a[rel="next"]`)))
				count(1)
				tb.load(200, chromedp.Click(chromedp.CSS(`main .svc:not(.is-picked) .pick a`)))
				count(2)
				if eval[int](tb, `document.querySelectorAll("main .svc.is-picked").length`) != 1 {
					t.Error("the card just picked is not marked as picked")
				}
				tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = "legal"; undefined`))
				tb.load(200, chromedp.Submit(chromedp.ID("q")))
				count(2)
				tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-state").value = "TX"; undefined`))
				tb.load(200, chromedp.Click(chromedp.CSS(`main .filter.apply button`)))
				count(2)
				if got := picked(); len(got) != 2 || got[0] != first {
					t.Fatalf("after a search and a filter the picks are %v", got)
				}
				// A service not yet picked: its page adds it to the sheet.
				tb.load(200, chromedp.Click(chromedp.CSS(`main .svc:not(.is-picked) h3 a`)))
				tb.load(200, chromedp.Click(chromedp.CSS(`main .actions a[href^="/referral?sheet="]`)))
				if n := eval[int](tb, `document.querySelectorAll("main .sheet-entry").length`); n != 3 {
					t.Fatalf("the sheet at %s has %d services, want 3", tb.location(), n)
				}
				// The print button shows (scripts run) and prints.
				tb.do(chromedp.Evaluate[chromedp.Void](`window.print = () => { window.hvPrinted = true }; undefined`))
				tb.do(chromedp.Click(chromedp.CSS(`main button[data-print]`)))
				if !eval[bool](tb, `window.hvPrinted === true`) {
					t.Error("the Print button did not print")
				}
				tb.load(200, chromedp.Click(chromedp.CSS(`main a[href^="/referral/compare?"]`)))
				type shown struct{ Table, Cards, Rows int }
				got := eval[shown](tb, `({table: document.querySelector(".compare-table").offsetHeight > 0 ? document.querySelectorAll(".compare thead th").length : 0,
					cards: document.querySelector(".compare-cards").offsetHeight > 0 ? document.querySelectorAll(".compare-cards > li").length : 0,
					rows: document.querySelectorAll(".compare tbody tr").length})`)
				if w < 600 && (got.Cards != 3 || got.Table != 0) {
					t.Errorf("on a phone the comparison shows %d cards and a table of %d, want 3 cards alone", got.Cards, got.Table)
				}
				if w >= 600 && (got.Table != 3 || got.Cards != 0) {
					t.Errorf("on a laptop the comparison shows a table of %d and %d cards, want a table of 3 alone", got.Table, got.Cards)
				}
				if got.Rows != 4 {
					t.Errorf("the comparison has %d rows, want hours, languages, eligibility and fees", got.Rows)
				}
				if c := tb.cookies(); len(c) > 0 {
					t.Errorf("picking services set cookies: %v", c)
				}
				if n := eval[int](tb, `localStorage.length + sessionStorage.length`); n != 0 {
					t.Errorf("picking services stored %d items in the browser", n)
				}
			})
		}
	}
}

// TestHomeWaysIn: the home page offers the three ways in, in both
// languages. "Use my location" asks for the position only when tapped,
// puts it in the place box and stores nothing; the home search can search
// providers as well as the library.
func TestHomeWaysIn(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(lang), atWidth(390))
			// Count the page's requests for the position, from the start.
			tb.do(call(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
				window.hvAsked = 0;
				const get = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
				navigator.geolocation.getCurrentPosition = (...a) => { window.hvAsked++; return get(...a); };`}))
			tb.do(call(browser.SetPermission, browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: "geolocation"},
				Setting: browser.PermissionSettingGranted, Origin: havenURL, BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID}))
			lat, lon, acc := 29.7604, -95.3698, 10.0
			tb.do(call(emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc}))
			tb.open(withLang(havenURL+"/", lang), 200)
			type ways struct {
				Find, Library, Providers, Screening bool
				Asked                               int
			}
			got := eval[ways](tb, `({find: !!document.querySelector('main form[action="/directory"] #find-place'),
				library: !!document.querySelector('main form[action="/resources"] #home-q'),
				providers: !!document.querySelector('main form[action="/resources"] button[formaction="/directory"]'),
				screening: !!document.querySelector('main a[href="/screening"]'), asked: window.hvAsked})`)
			if !got.Find || !got.Library || !got.Providers || !got.Screening {
				t.Fatalf("the home page lacks a way in: %+v", got)
			}
			if got.Asked != 0 {
				t.Fatalf("the page asked for the position %d times before any tap", got.Asked)
			}
			tb.do(chromedp.Click(chromedp.CSS(`main button[data-locate]`)))
			tb.do(chromedp.Poll[chromedp.Void](`document.getElementById("find-place").value !== ""`))
			if v := eval[string](tb, `document.getElementById("find-place").value`); v != "29.760,-95.370" {
				t.Errorf("the place box says %q after the tap", v)
			}
			if n := eval[int](tb, `window.hvAsked`); n != 1 {
				t.Errorf("one tap asked for the position %d times", n)
			}
			tb.load(200, chromedp.Submit(chromedp.ID("find-place")))
			// Distances in miles in English, kilometres in Spanish (issue 19).
			if text := eval[string](tb, `document.querySelector("main").innerText`); !strings.Contains(tb.location(), "/directory?") ||
				!(strings.Contains(text, " mi away") || strings.Contains(text, " km")) {
				t.Errorf("the search near the position led to %s without distances", tb.location())
			}
			if n := eval[int](tb, `localStorage.length + sessionStorage.length`); n != 0 || len(tb.cookies()) > 0 {
				t.Errorf("the position left something in the browser: %d stored items, cookies %v", n, tb.cookies())
			}
			// The home search, for providers.
			tb.open(withLang(havenURL+"/", lang), 200)
			tb.do(chromedp.SendKeys(chromedp.ID("home-q"), "legal"))
			tb.load(200, chromedp.Click(chromedp.CSS(`main button[formaction="/directory"]`)))
			if u := tb.location(); !strings.Contains(u, "/directory?") || !strings.Contains(u, "q=legal") {
				t.Errorf("searching providers from home led to %s", u)
			}
		})
	}
}

// TestToolsWithoutJavaScript: with scripts off, the Print and "Use my
// location" buttons, which need a script, are not shown; the forms work.
func TestToolsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	tb := newTab(t, atWidth(390))
	tb.do(call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	for _, path := range []string{"/", "/directory", "/referral?id=" + x.service, "/referral/compare?ids=" + x.service + "," + x.service2} {
		tb.open(havenURL+path, 200)
		shown := eval[int](tb, `[...document.querySelectorAll("[data-print], [data-locate]")].filter(e => e.offsetParent !== null).length`)
		if shown != 0 {
			t.Errorf("%s shows %d script-only buttons with scripts off", path, shown)
		}
		if n := eval[int](tb, `document.querySelectorAll("[data-print], [data-locate]").length`); n == 0 {
			t.Errorf("%s has no script-only button at all: the check sees nothing", path)
		}
	}
	tb.open(havenURL+"/", 200)
	tb.do(chromedp.SendKeys(chromedp.ID("find-place"), "77002"))
	tb.load(200, chromedp.Click(chromedp.CSS(`main form[action="/directory"] button[type="submit"]`)))
	if !strings.Contains(tb.location(), "place=77002") {
		t.Errorf("the home page's provider search led to %s", tb.location())
	}
}
