//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestSkipLink: the first Tab stop of every page is the skip link, it shows
// when focused, and following it puts focus on the main content, so the
// next Tab lands inside it.
func TestSkipLink(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	for _, w := range widths {
		tb := newTab(t, atWidth(w))
		for _, path := range []string{"/", "/resources", "/directory?q=legal", "/services/" + x.service, "/signin"} {
			t.Run(fmt.Sprintf("%d%s", w, path), func(t *testing.T) {
				tb.use(t)
				tb.open(havenURL+path, 200)
				tb.do(chromedp.KeyEvent(kb.Tab))
				type focus struct {
					Class   string
					Visible bool
				}
				f := eval[focus](tb, `(() => {
					const e = document.activeElement, r = e.getBoundingClientRect();
					return {class: e.className, visible: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 1 && r.height > 1};
				})()`)
				if f.Class != "skip-link" {
					t.Fatalf("first Tab stop is %q, want the skip link", f.Class)
				}
				if !f.Visible {
					t.Error("the focused skip link is not visible in the viewport")
				}
				tb.do(chromedp.KeyEvent(kb.Enter))
				if got := eval[string](tb, `document.activeElement.id`); got != "main" {
					t.Errorf("after the skip link, focus is on %q, want main", got)
				}
				tb.do(chromedp.KeyEvent(kb.Tab))
				if !eval[bool](tb, `document.getElementById("main").contains(document.activeElement)`) {
					t.Errorf("after the skip link, Tab goes to %s, outside main", eval[string](tb, `document.activeElement.outerHTML.slice(0, 120)`))
				}
			})
		}
	}
}

// TestKeyboardFocus tabs through whole pages: every link and control must
// be reached by Tab alone, in one pass, and each must show a visible focus
// indicator (an outline or a box shadow, by its computed style).
func TestKeyboardFocus(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	admin := signIn(t)
	pages := []struct {
		path  string
		admin bool
		phone bool // also at 360 px
	}{
		{"/", false, true},
		{"/resources?q=visa&topic=immigration", false, false},
		{"/directory?q=legal", false, true},
		{"/directory/states", false, false},
		{"/services/" + x.service, false, false},
		{"/suggest?type=service&id=" + x.service, false, false},
		{"/signin", false, true},
		{"/admin/users", true, false},
		{"/admin/services/" + x.service + "/edit", true, false},
	}
	stops, visited := 0, 0
	for _, w := range widths {
		anon := newTab(t, atWidth(w))
		staff := newTab(t, atWidth(w), inContext(admin))
		for _, pg := range pages {
			if w < 600 && !pg.phone {
				continue
			}
			t.Run(fmt.Sprintf("%d%s", w, pg.path), func(t *testing.T) {
				tb := anon
				if pg.admin {
					tb = staff
				}
				tb.use(t)
				tb.open(havenURL+pg.path, 200)
				stops += tabThrough(t, tb)
				visited++
			})
		}
	}
	t.Logf("%d focus stops checked on %d page visits", stops, visited)
}

// tabThrough marks every element that should take focus, presses Tab until
// focus comes round again, and checks each stop. It returns the number of
// stops.
func tabThrough(t *testing.T, tb *tab) int {
	t.Helper()
	n := eval[int](tb, `(() => {
		const sel = 'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex], details > summary:first-of-type';
		let i = 0;
		const groups = {}; // Tab stops once in a group of radio buttons; arrows move within it
		for (const e of document.querySelectorAll(sel)) {
			if (e.tabIndex < 0 || e.closest("[inert], [hidden]")) continue;
			if (e.tagName !== "SUMMARY" && e.closest("details:not([open])")) continue; // folded away
			const s = getComputedStyle(e);
			if (s.visibility === "hidden" || e.getClientRects().length === 0) continue;
			if (e.type === "radio" && e.name) {
				const key = (e.form ? e.form.action : "") + "/" + e.name;
				if (!(key in groups)) groups[key] = i++;
				e.dataset.kb = String(groups[key]);
				continue;
			}
			e.dataset.kb = String(i++);
		}
		document.activeElement && document.activeElement.blur();
		return i;
	})()`)
	type stop struct {
		Index   int
		What    string
		Outline string
		Shadow  string
		SVGRing bool
		Fields  bool // a time or date control: Tab stops at each of its parts
	}
	seen := map[int]bool{}
	first, prev := -2, -2
	for range 3*n + 10 { // a time control takes up to three stops
		tb.do(chromedp.KeyEvent(kb.Tab))
		s := eval[stop](tb, `(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return {index: -1, what: "body"};
			const s = getComputedStyle(e);
			const rect = e.querySelector && e.querySelector("rect");
			return {
				index: e.dataset && e.dataset.kb !== undefined ? Number(e.dataset.kb) : -1,
				what: e.outerHTML.slice(0, 100),
				outline: s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0 ? "" : s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor,
				shadow: s.boxShadow === "none" ? "" : s.boxShadow,
				svgRing: e instanceof SVGElement && !!rect && parseFloat(getComputedStyle(rect).strokeWidth) >= 3,
				fields: e.matches('input[type="time"], input[type="date"], input[type="datetime-local"]'),
			};
		})()`)
		if s.Index == first || (s.Index == -1 && len(seen) > 0 && s.What == "body") {
			break // round again
		}
		if first == -2 {
			first = s.Index
		}
		if s.Index == -1 {
			t.Errorf("Tab reached an element that was not expected to take focus: %s", s.What)
			continue
		}
		if seen[s.Index] && s.Fields && s.Index == prev {
			continue // the next part (minutes, AM/PM) of the same control
		}
		if seen[s.Index] {
			t.Errorf("Tab reached %s twice in one pass", s.What)
		}
		seen[s.Index], prev = true, s.Index
		if s.Outline == "" && s.Shadow == "" && !s.SVGRing {
			t.Errorf("no visible focus indicator on %s", s.What)
		}
	}
	if len(seen) != n {
		missed := eval[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll("[data-kb]")].filter(e => !%s.includes(Number(e.dataset.kb))).map(e => e.outerHTML.slice(0, 100))`, jsInts(seen)))
		t.Errorf("Tab reached %d of %d focusable elements; not reached: %s", len(seen), n, strings.Join(missed, "\n\t"))
	}
	return len(seen)
}

func jsInts(m map[int]bool) string {
	var b strings.Builder
	b.WriteString("[")
	for k := range m {
		fmt.Fprintf(&b, "%d,", k)
	}
	b.WriteString("]")
	return b.String()
}

// TestFormErrors: a form that is sent back with an error says so to a
// screen reader — the message is an alert, and the field is marked invalid
// and described by it.
func TestFormErrors(t *testing.T) {
	t.Parallel()
	type field struct {
		Invalid, DescribedBy, Error, Role string
	}
	read := func(tb *tab, input string) field {
		return eval[field](tb, fmt.Sprintf(`(() => {
			const e = document.querySelector(%q);
			const ids = (e.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
			const msgs = ids.map(id => document.getElementById(id)).filter(Boolean);
			const alert = document.querySelector('[role="alert"]');
			return {invalid: e.getAttribute("aria-invalid") || "", describedBy: ids.join(" "),
				error: msgs.map(m => m.textContent.trim()).join(" "), role: alert ? alert.textContent.trim() : ""};
		})()`, input))
	}
	t.Run("signin", func(t *testing.T) {
		tb := newTab(t)
		wrongSignin(tb, "en")
		for _, input := range []string{"#email", "#password"} {
			f := read(tb, input)
			if f.Invalid != "true" || f.Error == "" || f.Role == "" || f.Error != f.Role {
				t.Errorf("%s after a failed sign-in: %+v; want aria-invalid and a description that is the alert", input, f)
			}
		}
	})
	t.Run("directory place", func(t *testing.T) {
		tb := newTab(t, inLanguage("es"))
		tb.open(havenURL+"/directory?lang=es", 200)
		tb.expectError(havenURL + "/directory")
		tb.do(chromedp.SendKeys(chromedp.CSS(`#place`), "00000"))
		tb.load(400, chromedp.KeyEvent(kb.Enter))
		f := read(tb, "#place")
		if f.Invalid != "true" || !strings.Contains(f.Error, "00000") || f.Error != f.Role {
			t.Errorf("place field after a bad place: %+v; want aria-invalid and a description that is the alert", f)
		}
		if got := eval[string](tb, `document.getElementById("place").value`); got != "00000" {
			t.Errorf("the bad place is not kept in the box to correct: %q", got)
		}
	})
	t.Run("suggest", func(t *testing.T) {
		tb := newTab(t)
		tb.open(havenURL+"/suggest", 200)
		tb.expectError(havenURL + "/suggest")
		tb.post(400, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		f := read(tb, "#f-body")
		if f.Invalid != "true" || f.Error == "" || !strings.Contains(f.Role, f.Error) {
			t.Errorf("suggestion body after an empty post: %+v; want aria-invalid and a description in the alert", f)
		}
	})
}
