//go:build browser

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestScreeningAtPhoneWidth walks the interview on a 390 px phone, in
// English and Spanish: each step is a page of its own address that
// reloads without resending a form; Esc while typing a note does not
// leave; the urgent-needs banner appears at once; Back returns to the
// previous step with its answers; every answer's label stays on its line.
func TestScreeningAtPhoneWidth(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(lang), atWidth(390))
			tb.phone()
			tb.open(withLang(havenURL+"/screening", lang), 200)
			tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
			if !strings.Contains(tb.location(), "/screening/interview/intro?") {
				t.Fatalf("start led to %s", tb.location())
			}
			tb.do(chromedp.Click(chromedp.CSS(`input[name="safe_to_talk"][value="yes"]`)),
				chromedp.Click(chromedp.CSS(`input[name="consent_screen"][value="yes"]`)))
			// Esc in a text field belongs to the field: the page stays.
			at := tb.location()
			tb.do(chromedp.SendKeys(chromedp.CSS(`#f-interp_name`), "Lingua"), chromedp.KeyEvent(kb.Escape))
			if tb.exited(300*time.Millisecond) || tb.location() != at {
				t.Fatal("Esc in a text field left the interview")
			}
			tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
			needs := tb.location()
			if !strings.Contains(needs, "/screening/interview/needs?") {
				t.Fatalf("after the intro: %s", needs)
			}
			checkLabels(t, tb)
			tb.do(chromedp.Click(chromedp.CSS(`input[name="a_need-danger"][value="unsure"]`)),
				chromedp.SendKeys(chromedp.CSS(`#n-need-danger`), "partner outside"), chromedp.KeyEvent(kb.Escape))
			if tb.exited(300 * time.Millisecond) {
				t.Fatal("Esc in a note left the interview")
			}
			tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
			if !eval[bool](tb, `!!document.querySelector('main .urgent[role="alert"] button[value="pause"]')`) {
				t.Error("no urgent banner with a pause button after danger: unsure")
			}
			// A reload is a GET of the same step: no form is resent.
			age := tb.location()
			resp := tb.load(200, chromedp.Reload())
			if resp.URL != age || !strings.Contains(age, "/screening/interview/age?") {
				t.Errorf("reload: %s, want %s", resp.URL, age)
			}
			checkLabels(t, tb)
			// Back keeps the answer and the note.
			tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="back"]`)))
			if !strings.Contains(tb.location(), "/screening/interview/needs?") ||
				!eval[bool](tb, `document.querySelector('input[name="a_need-danger"][value="unsure"]').checked`) ||
				eval[string](tb, `document.querySelector('#n-need-danger').value`) != "partner outside" {
				t.Error("Back lost the step or its answers")
			}
			// On to the result, as an adult answering no.
			for range 20 {
				if eval[bool](tb, `!!document.querySelector("main .level")`) {
					break
				}
				if eval[bool](tb, `!!document.querySelector('input[name="a_age-under-18"]')`) {
					tb.do(chromedp.Click(chromedp.CSS(`input[name="a_age-under-18"][value="no"]`)))
				}
				checkLabels(t, tb)
				tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="next"]`)))
			}
			if !eval[bool](tb, `!!document.querySelector("main .level") && !!document.querySelector("main .urgent") && !!document.querySelector('main a[href^="tel:"]')`) {
				t.Fatal("the result lacks its level, the urgent banner or the hotline")
			}
			if n := eval[int](tb, `document.documentElement.scrollWidth`); n > 390 {
				t.Errorf("the result is %d px wide on a 390 px phone", n)
			}
		})
	}
}

// checkLabels fails when an answer's label wraps onto a second line or
// runs past the screen's edge.
func checkLabels(t *testing.T, tb *tab) {
	t.Helper()
	bad := eval[[]string](tb, `[...document.querySelectorAll("main .choices label")].filter(l => {
		const r = l.getBoundingClientRect(), lh = parseFloat(getComputedStyle(l).lineHeight) || 24;
		const text = [...l.childNodes].filter(n => n.nodeType === 3).map(n => {
			const range = document.createRange(); range.selectNodeContents(n); return range.getClientRects().length;
		});
		return l.getClientRects().length > 1 || r.right > innerWidth + 0.5 || text.some(n => n > 1);
	}).map(l => l.textContent.trim())`)
	if len(bad) > 0 {
		t.Errorf("%s: labels that wrap or overflow at %d px: %q", tb.location(), 390, bad)
	}
}
