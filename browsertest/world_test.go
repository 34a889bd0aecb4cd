//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWorld visits the world map and country pages in English and Spanish
// at a phone's (390 px) and a laptop's width: axe finds nothing on them,
// nothing overflows sideways on the phone, the map shows every ranked
// country with its tier written in its square, the list beside it names
// every country, and a country page shows its tier with the report named
// and linked, its hotline as a tap-to-call link with the date it was
// checked, the missing summary said plainly, and its providers.
func TestWorld(t *testing.T) {
	t.Parallel()
	type want struct {
		path   string
		checks string // a JS expression that is true when the page is right
	}
	pages := func(lang string) []want {
		tier2 := map[string]string{"en": "Tier 2", "es": "Nivel 2"}[lang]
		nosum := map[string]string{"en": "No summary has been written for Ireland yet.", "es": "Aún no se ha escrito un resumen sobre Irlanda."}[lang]
		checked := map[string]string{"en": "Number checked on 2026-12-06.", "es": "Número comprobado el 2026-12-06."}[lang]
		return []want{
			{"/countries", fmt.Sprintf(`(() => {
				const svg = document.querySelector("main figure svg");
				const tiles = svg.querySelectorAll("a[href^='/countries/']");
				const ie = svg.querySelector("a[href='/countries/IE']");
				const list = document.querySelectorAll(".world-list a[href^='/countries/']");
				return tiles.length === 188 && ie.getAttribute("aria-label").endsWith(%q) &&
					ie.textContent.includes("IE") && ie.textContent.includes("2") &&
					list.length > 240 && svg.getBoundingClientRect().width > 300 &&
					document.querySelector("main a[href='https://www.state.gov/reports/2025-trafficking-in-persons-report/']") !== null &&
					document.querySelectorAll(".legend li").length === 5;
			})()`, tier2)},
			{"/countries/IE", fmt.Sprintf(`(() => {
				const m = document.querySelector("main").innerText;
				const tel = document.querySelector(".country-hotlines a[href='tel:1800666111']");
				return m.includes(%q) && m.includes(%q) && m.includes(%q) && tel !== null && tel.getBoundingClientRect().height > 0 &&
					document.querySelector(".tier-box a[href='https://www.state.gov/reports/2025-trafficking-in-persons-report/']") !== null;
			})()`, tier2, nosum, checked)},
			{"/countries/MX", `document.querySelectorAll("main .cards-list li.svc").length > 0 && document.querySelector("main .badge.sample") !== null &&
				document.querySelector(".country-hotlines a[href='tel:8005533000']") !== null`},
			{"/countries/AQ", `document.querySelector(".tier-box .tier-line") === null`},
		}
	}
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int64{390, 1280} {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				tb := newTab(t, inLanguage(lang), atWidth(w))
				for _, p := range pages(lang) {
					t.Run(strings.TrimPrefix(p.path, "/"), func(t *testing.T) {
						tb.use(t)
						tb.open(withLang(havenURL+p.path, lang), 200)
						c := checkPage(t, tb)
						if c.Lang != lang {
							t.Errorf("<html lang=%q>, want %q", c.Lang, lang)
						}
						if c.ScrollWidth > c.ClientWidth {
							t.Errorf("the page overflows sideways: scrollWidth %d > clientWidth %d; sticking out: %v", c.ScrollWidth, c.ClientWidth, c.Culprits)
						}
						if !eval[bool](tb, p.checks) {
							t.Errorf("%s does not show what it should:\n%s", p.path, eval[string](tb, `document.querySelector("main").innerText`))
						}
						if p.path == "/countries" || p.path == "/countries/IE" {
							screenshot(t, tb, fmt.Sprintf("world%s-%s-%d.png", strings.ReplaceAll(strings.TrimPrefix(p.path, "/countries"), "/", "-"), lang, w))
						}
					})
				}
			})
		}
	}
}

// TestWorldCuratorEdit edits a country's hotline and summary in the
// browser: the form is sent, the page shows the saved text, and the
// country page shows the new number as a link and the summary.
func TestWorldCuratorEdit(t *testing.T) {
	t.Parallel()
	tb := newTab(t, inContext(signIn(t)))
	tb.open(havenURL+"/admin/countries/GR/edit", 200)
	tb.do(
		chromedp.SetValue(chromedp.CSS(`#f-summary_en`), "Written by a curator in the browser test."),
		chromedp.SetValue(chromedp.CSS(`#f-summary_es`), "Escrito por una persona del equipo en la prueba del navegador."),
		chromedp.SetValue(chromedp.CSS(`#f-hotlines`), "Human Trafficking Resource Line 1109 | 1109 | Confidential. | Confidencial. | 2026-12-06\n"),
	)
	// A saved form answers with a redirect, which the page follows as a
	// navigation (tb.post is for forms whose answer is a page).
	tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if !strings.Contains(tb.location(), "/admin/countries/GR/edit?saved=1") {
		t.Fatalf("after saving: at %s", tb.location())
	}
	tb.open(havenURL+"/countries/GR?lang=es", 200)
	if !eval[bool](tb, `document.querySelector("main").innerText.includes("Escrito por una persona del equipo") &&
		document.querySelector(".country-hotlines a[href='tel:1109']") !== null`) {
		t.Errorf("the country page does not show the edit: %s", eval[string](tb, `document.querySelector("main").innerText`))
	}
	checkPage(t, tb)
}
