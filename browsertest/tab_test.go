//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// tab is a browser tab that watches everything the page does: each
// request it sends and each console message, log entry and uncaught
// exception. When the test ends it fails the test for any request to a host
// but Haven's own and for any error in the console — which is also where
// the browser reports a Content-Security-Policy violation.
type tab struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	hosts    map[string]bool // hosts the page may talk to
	requests []string
	problems []string
	expected map[string]bool // pages whose error status the test asked for
}

type tabOption func(*tabConfig)

type tabConfig struct {
	parent context.Context // nil: a fresh browser context of its own
	lang   string
	width  int64
}

// inContext opens the tab in the browser context of another tab, to share
// its cookies (a signed-in session).
func inContext(parent *tab) tabOption { return func(c *tabConfig) { c.parent = parent.ctx } }

// inLanguage makes the browser ask for a language, as a visitor's browser
// set to Spanish would; pages visited with ?lang= say it in the URL too.
func inLanguage(lang string) tabOption { return func(c *tabConfig) { c.lang = lang } }

// atWidth sets the viewport: 360 is a phone (with mobile emulation), 1280 a
// laptop.
func atWidth(w int64) tabOption { return func(c *tabConfig) { c.width = w } }

// newTab opens a tab, by default in a browser context of its own, so that
// no cookie or history is shared with another test.
func newTab(t testing.TB, opts ...tabOption) *tab {
	t.Helper()
	cfg := tabConfig{lang: "en", width: 1280}
	for _, o := range opts {
		o(&cfg)
	}
	tb := &tab{t: t, hosts: map[string]bool{hostOf(havenURL): true}, expected: map[string]bool{}}
	parent, ctxOpts := cfg.parent, []chromedp.ContextOption{chromedp.WithListener(tb.listen)}
	if parent == nil {
		parent = browserCtx
		ctxOpts = append(ctxOpts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(parent, ctxOpts...)
	tb.ctx = ctx
	t.Cleanup(func() {
		cancel()
		tb.flush()
	})
	viewport := chromedp.EmulateViewport(cfg.width, 800)
	if cfg.width < 600 {
		viewport = chromedp.EmulateViewport(cfg.width, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	err := chromedp.Do(ctx,
		viewport,
		// A headless tab has no window focus; without this, :focus-visible
		// and focus events would not behave as in a real window.
		call(emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}),
		call(network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": cfg.lang}}),
	)
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tb
}

// call wraps one DevTools command as an action.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// allow lets the page talk to one more host, from now on.
func (tb *tab) allow(host string) {
	tb.mu.Lock()
	tb.hosts[host] = true
	tb.mu.Unlock()
}

// expectError records that a page (a URL, less its query) is meant to
// answer with an error status, so the browser's "Failed to load resource"
// message for it is no fault.
func (tb *tab) expectError(u string) {
	tb.mu.Lock()
	tb.expected[pageOf(u)] = true
	tb.mu.Unlock()
}

// pageOf is a URL less its query and fragment.
func pageOf(u string) string {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	return u
}

// listen runs on the tab's event loop; it only records.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "about:") {
			return
		}
		tb.requests = append(tb.requests, u)
		if !tb.hosts[hostOf(u)] {
			tb.problems = append(tb.problems, "request to another host: "+u)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.problems = append(tb.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError && e.Level != log.EntryLevelWarning {
			return
		}
		if e.Source == log.EntrySourceNetwork && tb.expected[pageOf(e.URL)] {
			return
		}
		tb.problems = append(tb.problems, fmt.Sprintf("%s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL))
	}
}

// use hands the tab to a subtest: what the page does wrong from now on
// fails that subtest.
func (tb *tab) use(t testing.TB) {
	tb.flush()
	owner := tb.t
	tb.t = t
	t.Cleanup(func() {
		tb.flush()
		tb.t = owner
	})
}

// flush fails the current test for what the page did wrong so far.
func (tb *tab) flush() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Error(p)
	}
	tb.problems = nil
}

// do runs actions with a time limit, failing the test on error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// open navigates and returns the document's status, failing the test if it
// is not the one wanted.
func (tb *tab) open(u string, status int) {
	tb.t.Helper()
	if status >= 400 {
		tb.expectError(u)
	}
	tb.load(status, chromedp.Navigate(u))
}

// load runs an action that loads a page (a navigation, a click on a link
// or a submit button) and checks the document's status.
func (tb *tab) load(status int, action chromedp.Action[chromedp.Void]) *network.Response {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		tb.t.Fatalf("load: %v", err)
	}
	if int(resp.Status) != status {
		tb.t.Fatalf("%s: status %d, want %d", resp.URL, resp.Status, status)
	}
	return resp
}

// location is the page's address.
func (tb *tab) location() string { return eval[string](tb, `location.href`) }
