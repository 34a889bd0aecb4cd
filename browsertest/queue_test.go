//go:build browser

package browsertest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// queueWidths are a phone's and a laptop's.
var queueWidths = []int64{390, 1280}

// addSuggestion queues a visitor's phone suggestion for a service straight
// in the database, beside the running server: the public form allows a
// client five suggestions before it slows down, and the other tests send
// some. The form itself is tested in package http and TestFormErrors.
func addSuggestion(t *testing.T, id, serviceID, value string) {
	t.Helper()
	db, err := sql.Open("sqlite", havenDB+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO suggestions (id, created_at, record_type, record_id, kind, body, new_value, contact)
		VALUES (?, ?, 'service', ?, 'phone', 'The number rings a shop.', ?, '')`, id, time.Now().UTC().Format(time.RFC3339Nano), serviceID, value); err != nil {
		t.Fatal(err)
	}
}

// queueServices are services of the sample no other test edits.
func queueServices(t *testing.T, n int) []string {
	x := findIDs(t)
	var svcs struct{ Items []struct{ ID string } }
	getJSON(t, "/api/v1/search?country=US&per_page=40", &svcs) // numbers of the U.S., shown in national format
	var out []string
	for _, s := range svcs.Items {
		if s.ID != x.service && s.ID != x.service2 && len(out) < n {
			out = append(out, s.ID)
		}
	}
	if len(out) < n {
		t.Fatalf("the sample has %d services to spare, want %d", len(out), n)
	}
	return out
}

// TestCuratorQueue is a curator's round through the queue, in English and
// Spanish at a phone's and a laptop's width: the queue shows the number now
// beside the one proposed; accepting says what changed and links to the
// history; the history, headed by the service's name, links back to the
// suggestion and undoes the change; and the service's hours are saved from
// the day-by-day controls. axe checks every page on the way.
func TestCuratorQueue(t *testing.T) {
	t.Parallel()
	services := queueServices(t, 4)
	admin := signIn(t)
	i := 0
	for _, lang := range []string{"en", "es"} {
		for _, w := range queueWidths {
			svc := services[i]
			i++
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				tb := newTab(t, inLanguage(lang), atWidth(w), inContext(admin))
				check := func(what string) {
					t.Helper()
					c := checkPage(t, tb)
					if c.Lang != lang {
						t.Errorf("%s: <html lang=%q>, want %q", what, c.Lang, lang)
					}
					if c.ScrollWidth > c.ClientWidth {
						t.Errorf("%s overflows sideways: %d > %d: %v", what, c.ScrollWidth, c.ClientWidth, c.Culprits)
					}
				}
				text := func(sel string) string {
					t.Helper()
					return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
				}
				es := lang == "es"
				pick := func(en, sp string) string {
					if es {
						return sp
					}
					return en
				}
				id := fmt.Sprintf("00000000-0000-4000-8000-%012d", int64(i)*10000+w)
				proposed := fmt.Sprintf("979-555-01%02d x%d", i, i)
				shown := fmt.Sprintf("(979) 555-01%02d ext. %d", i, i)
				addSuggestion(t, id, svc, proposed)

				// The queue: the number now beside the proposed one.
				tb.open(withLang(havenURL+"/admin/suggestions", lang), 200)
				item := "#s-" + id
				cmp := text(item + " .compare")
				if !strings.Contains(cmp, pick("Now", "Ahora")) || !strings.Contains(cmp, pick("Proposed", "Propuesta")) || !strings.Contains(cmp, shown) {
					t.Errorf("the queue item does not compare the values: %q", cmp)
				}
				now := text(item + " .compare div:first-child dd")
				if now == "" || now == "—" || strings.HasPrefix(now, "+1") {
					t.Errorf("the current number is not shown in national format: %q", now)
				}
				check("the queue")

				// Accepting (a POST answered by a redirect, which the page's
				// script follows by location.replace) opens the suggestion's page, which says what changed.
				tb.load(200, chromedp.Click(chromedp.CSS(item+` form[action$="/accept"] button`)))
				if !strings.Contains(tb.location(), "/admin/suggestions/"+id) {
					t.Fatalf("accepting led to %s", tb.location())
				}
				if got := text(".notice"); got != pick("Suggestion accepted.", "Sugerencia aceptada.") {
					t.Errorf("notice: %q", got)
				}
				change := text("ul.changes li")
				if !strings.Contains(change, now) || !strings.Contains(change, shown) {
					t.Errorf("the change says %q, want %q → %q", change, now, shown)
				}
				check("the suggestion's page")

				// Its link leads to the history's line, which links back.
				tb.load(200, chromedp.Click(chromedp.CSS(`ul.changes li a`)))
				hash := eval[string](tb, `location.hash`)
				if !strings.HasPrefix(hash, "#a-") {
					t.Fatalf("the link led to %s", tb.location())
				}
				if h1 := text("h1"); !strings.HasPrefix(h1, pick("History of ", "Historial de ")) || strings.Contains(h1, svc) {
					t.Errorf("the history's heading is %q: it should name the service", h1)
				}
				if back := eval[string](tb, fmt.Sprintf(`document.querySelector("tr%s a[href^='/admin/suggestions/']").getAttribute("href")`, hash)); back != "/admin/suggestions/"+id {
					t.Errorf("the history's line links to %q, want the suggestion", back)
				}
				check("the history")

				// Undo puts the old number back, audited as an undo.
				tb.load(200, chromedp.Click(chromedp.CSS(`tr`+hash+` form button`)))
				if got := text(".notice"); !strings.Contains(got, pick("undone", "deshizo")) {
					t.Errorf("after undo the notice says %q", got)
				}
				last := text("table.audit tbody tr:last-child")
				if !strings.Contains(last, pick("undoes change", "deshace el cambio")) || !strings.Contains(last, now) {
					t.Errorf("the last line after undo: %q", last)
				}
				check("the history after an undo")
				tb.open(withLang(havenURL+"/services/"+svc, lang), 200)
				if !strings.Contains(text("main"), now) || strings.Contains(text("main"), shown) {
					t.Errorf("the service page after undo does not show %q", now)
				}
				// Undoing it again is refused with the reason.
				tb.open(withLang(havenURL+"/admin/history/service/"+svc, lang), 200)
				tb.expectError(havenURL + "/admin/history/service/" + svc + "/" + strings.TrimPrefix(hash, "#a-") + "/undo")
				tb.post(409, chromedp.Click(chromedp.CSS(`tr`+hash+` form button`)))
				if got := text("[role=alert]"); !strings.Contains(got, pick("changed again", "volvió a cambiar")) {
					t.Errorf("a second undo says %q", got)
				}

				// The hours, a day at a time: Saturday 10 to 1.
				tb.open(withLang(havenURL+"/admin/services/"+svc+"/edit", lang), 200)
				if open := eval[bool](tb, `document.querySelector("details.hours-text").open`); open {
					t.Error("the text form of the hours is open by default")
				}
				check("the service form")
				tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
					document.querySelector("#day-SA").value = "open";
					document.querySelector("#opens-SA").value = "10:00";
					document.querySelector("#closes-SA").value = "13:00";
				})()`))
				tb.load(200, chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)))
				if got := eval[[]string](tb, `[document.querySelector("#day-SA").value, document.querySelector("#opens-SA").value, document.querySelector("#closes-SA").value]`); strings.Join(got, " ") != "open 10:00 13:00" {
					t.Errorf("after saving, Saturday shows %v", got)
				}
				if got := text(".notice"); got == "" {
					t.Error("no notice after saving the hours")
				}
				tb.open(withLang(havenURL+"/services/"+svc, lang), 200)
				if !strings.Contains(text("main"), pick("10:00 AM–1:00 PM", "10:00–13:00")) {
					t.Errorf("the service page does not show Saturday's hours:\n%s", text("main"))
				}
			})
		}
	}
}
