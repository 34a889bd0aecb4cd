//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pageCase is one page type of the tour.
type pageCase struct {
	name   string
	path   string // GET path on Haven; "" when visit loads the page
	status int
	admin  bool // needs a signed-in admin
	broken bool // served by the server whose database is broken
	shot   bool // keep a screenshot
	visit  func(tb *tab, lang string)
}

// ids are records of the sample data the tour visits.
type ids struct {
	resource, slug, service, service2, org, location string
}

func findIDs(t *testing.T) ids {
	var x ids
	var res struct{ Items []struct{ ID string } }
	getJSON(t, "/api/v1/resources?per_page=1", &res)
	var pages struct{ Items []struct{ Slug string } }
	getJSON(t, "/api/v1/pages", &pages)
	var svcs struct {
		Items []struct {
			ID           string
			Organization struct{ ID string }
		}
	}
	getJSON(t, "/api/v1/search?state=TX&per_page=2", &svcs)
	var sal struct {
		Contents []struct {
			LocationID string `json:"location_id"`
		}
	}
	getJSON(t, "/api/hsds/service_at_locations?per_page=1", &sal)
	if len(res.Items) == 0 || len(pages.Items) == 0 || len(svcs.Items) < 2 || len(sal.Contents) == 0 {
		t.Fatal("the sample data lacks a resource, a learning page, two Texas services or a location")
	}
	x.resource, x.slug = res.Items[0].ID, pages.Items[0].Slug
	x.service, x.service2, x.org = svcs.Items[0].ID, svcs.Items[1].ID, svcs.Items[0].Organization.ID
	x.location = sal.Contents[0].LocationID
	return x
}

func tourPages(x ids) []pageCase {
	return []pageCase{
		{name: "home", path: "/", status: 200, shot: true},
		{name: "library", path: "/resources", status: 200, shot: true},
		{name: "library-search", path: "/resources?q=visa&topic=immigration", status: 200},
		{name: "resource", path: "/resources/" + x.resource, status: 200, shot: true},
		{name: "hotline", path: "/resources/national-human-trafficking-hotline", status: 200},
		{name: "section", path: "/understand-victims", status: 200, shot: true},
		{name: "section-heal", path: "/help-victims-heal", status: 200},
		{name: "section-culture", path: "/culture-and-diversity", status: 200},
		{name: "learn", path: "/learn/" + x.slug, status: 200, shot: true},
		{name: "browse-safely", path: "/browse-safely", status: 200},
		{name: "directory", path: "/directory?q=legal", status: 200, shot: true},
		{name: "directory-near", path: "/directory?place=77002&radius_km=250", status: 200},
		{name: "directory-bad-place", path: "/directory?place=00000", status: 400, shot: true},
		{name: "directory-who-and-when", path: "/directory?age=16&population=minors&open_day=sat&open_time=09:00", status: 200, shot: true},
		{name: "directory-room-now", path: "/directory?capacity=available&state=TX", status: 200, shot: true},
		{name: "states", path: "/directory/states", status: 200, shot: true},
		{name: "state", path: "/directory/states/TX", status: 200},
		{name: "countries", path: "/directory/countries", status: 200},
		{name: "country", path: "/directory/countries/MX", status: 200, shot: true},
		{name: "service", path: "/services/" + x.service, status: 200, shot: true},
		{name: "organization", path: "/organizations/" + x.org, status: 200, shot: true},
		{name: "referral", path: "/referral?id=" + x.service + "&id=" + x.service2, status: 200, shot: true},
		{name: "directory-picked", path: "/directory?q=legal&sheet=" + x.service + "," + x.service2, status: 200},
		{name: "compare", path: "/referral/compare?ids=" + x.service + "," + x.service2 + "&place=77002", status: 200, shot: true},
		{name: "referral-discreet", path: "/referral?discreet=1&id=" + x.service + "&id=" + x.service2, status: 200},
		{name: "suggest", path: "/suggest?type=service&id=" + x.service, status: 200},
		{name: "screening", path: "/screening", status: 200, shot: true},
		{name: "screening-step", status: 200, shot: true, visit: func(tb *tab, lang string) {
			tb.open(withLang(havenURL+"/screening", lang), 200)
			tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		}},
		{name: "screening-result", status: 200, shot: true, visit: func(tb *tab, lang string) { screenTo(tb, lang, true) }},
		{name: "signin", path: "/signin", status: 200, shot: true},
		{name: "signin-error", status: 401, visit: func(tb *tab, lang string) { wrongSignin(tb, lang) }},
		{name: "not-found", path: "/no/such/page", status: 404, shot: true},
		{name: "server-error", path: "/directory/countries/MX", status: 500, broken: true, shot: true},
		{name: "admin", path: "/admin", status: 200, admin: true, shot: true},
		{name: "admin-users", path: "/admin/users", status: 200, admin: true},
		{name: "admin-suggestions", path: "/admin/suggestions", status: 200, admin: true},
		{name: "admin-terms", path: "/admin/terms", status: 200, admin: true},
		{name: "admin-resource-new", path: "/admin/resources/new", status: 200, admin: true},
		{name: "admin-resource-edit", path: "/admin/resources/" + x.resource + "/edit", status: 200, admin: true, shot: true},
		{name: "admin-service-new", path: "/admin/services/new", status: 200, admin: true},
		{name: "admin-service-edit", path: "/admin/services/" + x.service + "/edit", status: 200, admin: true},
		{name: "admin-organization-edit", path: "/admin/organizations/" + x.org + "/edit", status: 200, admin: true},
		{name: "admin-location-edit", path: "/admin/locations/" + x.location + "/edit", status: 200, admin: true},
		{name: "admin-country-edit", path: "/admin/countries/MX/edit", status: 200, admin: true},
		{name: "admin-learn-edit", path: "/admin/learn/" + x.slug + "/edit", status: 200, admin: true},
		{name: "admin-history", path: "/admin/history/resource/" + x.resource, status: 200, admin: true},
		{name: "admin-matches", path: "/admin/matches", status: 200, admin: true, shot: true},
		{name: "admin-merge", path: "/admin/matches/merge?a=" + x.service + "&b=" + x.service2, status: 200, admin: true, shot: true},
		{name: "admin-capacity", path: "/admin/capacity/" + bedsOrg, status: 200, admin: true, shot: true},
		{name: "admin-capacity-report", path: "/admin/capacity-report", status: 200, admin: true},
		{name: "account", path: "/account", status: 200, admin: true},
		{name: "screening-save", status: 200, admin: true, shot: true, visit: func(tb *tab, lang string) {
			screenTo(tb, lang, true)
			tb.load(200, chromedp.Click(chromedp.CSS(`main form[action="/screening/save"] button`)))
			if !strings.Contains(tb.location(), "/screening/records/") {
				tb.t.Fatalf("saving the interview led to %s", tb.location())
			}
		}},
		{name: "screening-records", path: "/screening/records", status: 200, admin: true},
		{name: "screening-record-print", status: 200, admin: true, visit: func(tb *tab, lang string) {
			tb.open(withLang(havenURL+"/screening/records", lang), 200)
			tb.load(200, chromedp.Click(chromedp.CSS(`main table a`)))
			tb.load(200, chromedp.Click(chromedp.CSS(`main a[href$="/print"]`)))
		}},
		{name: "curator-service", path: "/services/" + x.service, status: 200, admin: true},
	}
}

// withLang adds ?lang= for Spanish; English is the default.
func withLang(u, lang string) string {
	if lang == "en" {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&lang=" + lang
	}
	return u + "?lang=" + lang
}

// screenTo drives the screening interview from the guide to the result by
// clicking, as a screener would: consent and safe to talk first; with
// answers, it says yes to the first question of every section. Each step
// is a POST answered by a redirect to the next step's page.
func screenTo(tb *tab, lang string, answers bool) {
	tb.t.Helper()
	tb.open(withLang(havenURL+"/screening", lang), 200)
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	for range 20 {
		if eval[bool](tb, `!!document.querySelector("main .level")`) {
			return
		}
		for _, sel := range []string{`input[name="safe_to_talk"][value="yes"]`, `input[name="consent_screen"][value="yes"]`, `input[name="consent_save"][value="yes"]`} {
			if eval[bool](tb, `!!document.querySelector('main `+sel+`')`) {
				tb.do(chromedp.Click(chromedp.CSS(`main ` + sel)))
			}
		}
		if answers && eval[bool](tb, `!!document.querySelector('main input[name^="a_"][value="yes"]')`) {
			tb.do(chromedp.Click(chromedp.CSS(`main input[name^="a_"][value="yes"]`)))
		}
		if eval[bool](tb, `!!document.querySelector('#f-place')`) {
			tb.do(chromedp.SendKeys(chromedp.CSS(`#f-place`), "77002"))
		}
		tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
	}
	tb.t.Fatal("the screening interview did not reach a result in 20 steps")
}

// wrongSignin posts the sign-in form with a wrong password, for an unknown
// account (each call its own, to stay clear of the per-account limit).
var signinTries atomic.Int32

func wrongSignin(tb *tab, lang string) {
	tb.t.Helper()
	tb.open(withLang(havenURL+"/signin", lang), 200)
	tb.expectError(havenURL + "/signin")
	tb.do(
		chromedp.SendKeys(chromedp.CSS(`#email`), fmt.Sprintf("nobody%d@example.org", signinTries.Add(1))),
		chromedp.SendKeys(chromedp.CSS(`#password`), "not the password at all"),
	)
	tb.post(401, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
}

// signIn opens a tab in a browser context of its own and signs the admin in
// through the form.
func signIn(t *testing.T) *tab {
	tb := newTab(t)
	tb.open(havenURL+"/signin", 200)
	tb.do(
		chromedp.SendKeys(chromedp.CSS(`#email`), adminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), adminPassword),
	)
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if u := tb.location(); !strings.HasSuffix(u, "/admin") {
		t.Fatalf("after signing in: at %s, want /admin", u)
	}
	return tb
}

var widths = []int64{360, 1280}

// TestPages visits every page type in English and Spanish at a phone's and
// a laptop's width. On each visit it checks the language of the page, runs
// axe-core for WCAG 2.1 A and AA, checks that nothing overflows sideways on
// the phone, keeps screenshots of the main pages, and (through the tab) that no request
// leaves Haven and nothing is logged to the console. Each language and
// width is one tab, visiting page after page as a person would; the four
// run two at a time.
func TestPages(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	pages := tourPages(x)
	admin := signIn(t)
	var visits, axeRuns, overflowChecks, shots atomic.Int32
	t.Run("tour", func(t *testing.T) {
		for _, lang := range []string{"en", "es"} {
			for _, w := range widths {
				t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
					t.Parallel()
					anon := newTab(t, inLanguage(lang), atWidth(w))
					staff := newTab(t, inLanguage(lang), atWidth(w), inContext(admin))
					for _, pc := range pages {
						t.Run(pc.name, func(t *testing.T) {
							tb := anon
							if pc.admin {
								tb = staff
							}
							tb.use(t)
							base := havenURL
							if pc.broken {
								base = brokenURL
								tb.allow(hostOf(brokenURL))
							}
							if pc.visit != nil {
								pc.visit(tb, lang)
							} else {
								tb.open(withLang(base+pc.path, lang), pc.status)
							}
							visits.Add(1)
							c := checkPage(t, tb)
							axeRuns.Add(1)
							if c.Lang != lang {
								t.Errorf("<html lang=%q>, want %q", c.Lang, lang)
							}
							if w < 600 {
								overflowChecks.Add(1)
								if c.ScrollWidth > c.ClientWidth {
									t.Errorf("the page overflows sideways: scrollWidth %d > clientWidth %d; sticking out: %v", c.ScrollWidth, c.ClientWidth, c.Culprits)
								}
							}
							// Screenshots of the main pages at both widths, and in
							// Spanish, whose longer words try a phone's width most.
							if pc.shot && (lang == "en" || w < 600) {
								screenshot(t, tb, fmt.Sprintf("%s-%s-%d.png", pc.name, lang, w))
								shots.Add(1)
							}
						})
					}
					if c := anon.cookies(); len(c) > 0 {
						t.Errorf("the anonymous tour got cookies: %v", c)
					}
				})
			}
		}
	})
	t.Logf("%d page visits (%d page types × 2 languages × 2 widths): %d axe runs, %d overflow checks at 360 px, %d screenshots in %s",
		visits.Load(), len(pages), axeRuns.Load(), overflowChecks.Load(), shots.Load(), screenshotDir)
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target, HTML, Summary string }
}

// pageCheck is what checkPage finds on a page.
type pageCheck struct {
	Lang                     string
	ScrollWidth, ClientWidth int
	Culprits                 []string // elements sticking out on the right
	Violations               []axeViolation
}

// checkPage runs inspectPage and fails the test for every violation.
func checkPage(t *testing.T, tb *tab) pageCheck {
	t.Helper()
	c := inspectPage(tb)
	for _, v := range c.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t%s: %s\n\t\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
		}
		t.Error(b.String())
	}
	return c
}

// inspectPage reads the page's language and width, then injects axe-core
// through the DevTools protocol — which the page's Content-Security-Policy
// does not govern, so the page itself keeps allowing no inline script —
// and runs it for WCAG 2.1 A and AA. It is one evaluation, to keep the
// round trips to the browser few.
func inspectPage(tb *tab) pageCheck {
	tb.t.Helper()
	return eval[pageCheck](tb, axeSource+`
;(async () => {
	const d = document.documentElement;
	const out = {lang: d.lang, scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, culprits: []};
	if (d.scrollWidth > d.clientWidth) {
		// What a box of its own scrolls sideways (a wide table, the
		// phone's one-line navigation) does not stick out of the page.
		const inScroller = e => {
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== "visible") return true;
			}
			return false;
		};
		for (const e of document.querySelectorAll("body *")) {
			const r = e.getBoundingClientRect();
			if (r.right > d.clientWidth + 1 && out.culprits.length < 8 && !inScroller(e)) {
				out.culprits.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (typeof e.className === "string" && e.className ? "." + e.className : "") + " right=" + Math.round(r.right));
			}
		}
	}
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		resultTypes: ["violations"],
	});
	out.violations = r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary})),
	}));
	return out;
})()`)
}

// TestChecksFindProblems shows the page checks are real: on a phone-sized
// page given, through the DevTools protocol, a field without a label, an
// empty link, grey text on white and a box too wide for the screen, each
// is reported.
func TestChecksFindProblems(t *testing.T) {
	t.Parallel()
	tb := newTab(t, atWidth(360))
	tb.open(havenURL+"/", 200)
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const m = document.getElementById("main");
		m.insertAdjacentHTML("beforeend", '<input type="text"><a href="/resources"></a>');
		const p = document.createElement("p");
		p.textContent = "Hard to read";
		p.style.color = "#bbb";
		p.style.width = "600px";
		p.id = "too-wide";
		m.append(p);
	})()`))
	c := inspectPage(tb)
	if c.ScrollWidth <= c.ClientWidth || !strings.Contains(strings.Join(c.Culprits, " "), "p#too-wide") {
		t.Errorf("the overflow was not caught: scrollWidth %d, clientWidth %d, culprits %v", c.ScrollWidth, c.ClientWidth, c.Culprits)
	}
	found := map[string]bool{}
	for _, v := range c.Violations {
		found[v.ID] = true
	}
	for _, id := range []string{"label", "link-name", "color-contrast"} {
		if !found[id] {
			t.Errorf("axe did not report %s; it reported %v", id, found)
		}
	}
}

// screenshot writes a full-page PNG for people to look at.
func screenshot(t *testing.T, tb *tab, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: new(true),
		FromSurface:           new(true),
		OptimizeForSpeed:      new(true), // a faster, larger PNG: these are for looking at
	})
	b := res.Data
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
