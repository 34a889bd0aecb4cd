//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// history is the tab's session history, read through the DevTools protocol
// (it works with JavaScript off too).
func (tb *tab) history() page.GetNavigationHistoryResult {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil {
		tb.t.Fatal(err)
	}
	return h
}

// checkBackLeavesHaven goes Back from the neutral site, as the browser's
// button does, and checks that it lands on the page before Haven. The page
// may come from the back-forward cache, with no load to wait for: it waits
// for the address to change instead.
func checkBackLeavesHaven(t testing.TB, tb *tab, h page.GetNavigationHistoryResult) {
	t.Helper()
	tb.do(call(page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID}))
	got := ""
	for range 100 {
		if got = eval[string](tb, `location.href`); got != exitURL {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != otherURL+"/before" {
		t.Errorf("Back went to %s, want the page before Haven", got)
	}
}

// current is the URL of the tab's current history entry.
func (tb *tab) current() string {
	h := tb.history()
	return h.Entries[h.CurrentIndex].URL
}

// TestQuickExit leaves Haven by the Esc key and by the button, at a phone's
// and a laptop's width: the tab goes to the neutral site, Haven's page is
// replaced in the history (it grows by no entry) and Back goes to the page
// before Haven, never to Haven's.
func TestQuickExit(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	ways := []struct {
		name   string
		action chromedp.Action[chromedp.Void]
	}{
		{"Esc", chromedp.KeyEvent(kb.Escape)},
		{"button", chromedp.Click(chromedp.ID("quick-exit"))},
	}
	paths := []string{"/resources", "/services/" + x.service}
	for i, way := range ways {
		for j, w := range widths {
			// Each way at each width, on one of two pages in turn.
			path := paths[(i+j)%len(paths)]
			t.Run(fmt.Sprintf("%s/%d%s", way.name, w, path), func(t *testing.T) {
				tb := newTab(t, atWidth(w))
				tb.allow(hostOf(otherURL)) // the page before Haven is on it
				tb.open(otherURL+"/before", 200)
				tb.open(havenURL+path, 200)
				before := tb.history()
				tb.load(200, way.action)
				after := tb.history()
				if got := after.Entries[after.CurrentIndex].URL; got != exitURL {
					t.Fatalf("after the quick exit the tab is at %s, want %s", got, exitURL)
				}
				if len(after.Entries) != len(before.Entries) || after.CurrentIndex != before.CurrentIndex {
					t.Errorf("the history grew: %d entries (at %d) before, %d (at %d) after",
						len(before.Entries), before.CurrentIndex, len(after.Entries), after.CurrentIndex)
				}
				if n := eval[int](tb, `history.length`); n != len(before.Entries) {
					t.Errorf("history.length = %d on the neutral site, want %d", n, len(before.Entries))
				}
				for _, e := range after.Entries {
					if hostOf(e.URL) == hostOf(havenURL) {
						t.Errorf("Haven's page %s is still in the history", e.URL)
					}
				}
				checkBackLeavesHaven(t, tb, after)
			})
		}
	}
}

// TestQuickExitStaysInView scrolls long pages to the bottom: the button
// must still be wholly inside the viewport and on top of everything there.
func TestQuickExitStaysInView(t *testing.T) {
	t.Parallel()
	x := findIDs(t)
	for _, w := range widths {
		tb := newTab(t, atWidth(w))
		for _, path := range []string{"/resources", "/directory?q=legal", "/learn/" + x.slug, "/directory/states"} {
			t.Run(fmt.Sprintf("%d%s", w, path), func(t *testing.T) {
				tb.use(t)
				tb.open(havenURL+path, 200)
				type view struct {
					Scrolled, Inside, OnTop bool
					Rect                    string
				}
				v := eval[view](tb, `new Promise(resolve => {
					window.scrollTo(0, document.documentElement.scrollHeight);
					requestAnimationFrame(() => requestAnimationFrame(() => {
						const b = document.getElementById("quick-exit"), r = b.getBoundingClientRect();
						const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
						resolve({
							scrolled: window.scrollY > innerHeight,
							inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0,
							onTop: !!top && b.contains(top),
							rect: [r.left, r.top, r.right, r.bottom].map(Math.round).join(",") + " in " + innerWidth + "x" + innerHeight,
						});
					}));
				})`)
				if !v.Scrolled {
					t.Fatalf("the page is too short to test scrolling")
				}
				if !v.Inside {
					t.Errorf("after scrolling to the bottom the quick exit is outside the viewport: %s", v.Rect)
				}
				if !v.OnTop {
					t.Errorf("after scrolling to the bottom something covers the quick exit: %s", v.Rect)
				}
			})
		}
	}
}

// TestQuickExitWithoutJavaScript: with scripts off, the button is a plain
// link to the neutral site, and it works. (It then adds a history entry, as
// any link does: that it does shows the script really was off.)
func TestQuickExitWithoutJavaScript(t *testing.T) {
	t.Parallel()
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			tb := newTab(t, atWidth(w))
			tb.allow(hostOf(otherURL))
			tb.do(call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
			tb.open(havenURL+"/resources", 200)
			before := tb.history()
			tb.load(200, chromedp.Click(chromedp.ID("quick-exit")))
			after := tb.history()
			if got := after.Entries[after.CurrentIndex].URL; got != exitURL {
				t.Fatalf("the quick exit link led to %s, want %s", got, exitURL)
			}
			if len(after.Entries) != len(before.Entries)+1 {
				t.Errorf("history went from %d to %d entries; a plain link adds one, so the script may have run", len(before.Entries), len(after.Entries))
			}
		})
	}
}
