//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLibraryLinks: in English and Spanish, at a phone's (390 px) and a
// laptop's width, a library entry shows its web address as a link labelled
// by what it leads to, inside the screen; the hotline tells its new name;
// the screening entry leads to Haven's own tool; a keyword search says how
// many entries and learning pages it shows, and shows that many; and a
// state with no providers is not a link. axe passes on every page.
func TestLibraryLinks(t *testing.T) {
	t.Parallel()
	text := map[string]struct{ archived, renamed, count string }{
		"en": {"Archived copy", "Now the National Human Trafficking Hotline", "1 entry matches. 2 learning pages match too."},
		"es": {"Copia archivada", "Hoy se llama National Human Trafficking Hotline", "1 entrada coincide. También coinciden 2 páginas de aprendizaje."},
	}
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int64{390, 1280} {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				t.Parallel()
				want := text[lang]
				tb := newTab(t, inLanguage(lang), atWidth(w))

				tb.open(withLang(havenURL+"/resources/law-enforcement-pocket-card", lang), 200)
				link := eval[struct {
					Text, Href   string
					Right, Width float64
				}](tb, `(() => {
					const a = document.querySelector("main a.resource-link");
					if (!a) return {};
					const r = a.getBoundingClientRect();
					return {text: a.textContent, href: a.href, right: r.right, width: document.documentElement.clientWidth};
				})()`)
				if link.Text != want.archived || link.Href != "https://www.acf.hhs.gov/archive/otip/resource/card" {
					t.Errorf("pocket card link: %q → %q", link.Text, link.Href)
				}
				if link.Right > link.Width {
					t.Errorf("the link ends at %.0f px, past the screen's %.0f", link.Right, link.Width)
				}
				checkPage(t, tb)

				// The longest host names, on the entry's page and in the list.
				for _, path := range []string{"/resources/health-risks-consequences-trafficking-women-adolescents", "/resources"} {
					tb.open(withLang(havenURL+path, lang), 200)
					if c := checkPage(t, tb); c.ScrollWidth > c.ClientWidth {
						t.Errorf("%s overflows sideways: %v", path, c.Culprits)
					}
				}

				tb.open(withLang(havenURL+"/resources/national-human-trafficking-hotline", lang), 200)
				if note := eval[string](tb, `document.querySelector("main .note")?.textContent ?? ""`); !strings.Contains(note, want.renamed) {
					t.Errorf("hotline note: %q", note)
				}
				checkPage(t, tb)

				tb.open(withLang(havenURL+"/resources/screening-tool-for-victims-of-human-trafficking", lang), 200)
				checkPage(t, tb)
				tb.load(200, chromedp.Click(chromedp.CSS(`main .own-tool a[href="/screening"]`)))
				if u := tb.location(); !strings.Contains(u, "/screening") {
					t.Errorf("the screening entry's own-tool link led to %s", u)
				}

				tb.open(withLang(havenURL+"/resources?q=T+visa", lang), 200)
				got := eval[struct {
					Summary        string
					Entries, Pages int
				}](tb, `({
					summary: document.querySelector("main .summary").textContent.trim(),
					entries: document.querySelectorAll('main .results section.section:not([aria-labelledby="sec-learn"]) li.entry').length,
					pages: document.querySelectorAll('main section[aria-labelledby="sec-learn"] li.entry').length,
				})`)
				if got.Summary != want.count || got.Entries != 1 || got.Pages != 2 {
					t.Errorf("T visa: says %q, shows %d entries and %d learning pages", got.Summary, got.Entries, got.Pages)
				}
				checkPage(t, tb)

				tb.open(withLang(havenURL+"/directory/states", lang), 200)
				states := eval[struct{ Linked, Plain, Wrong int }](tb, `(() => {
					const out = {linked: 0, plain: 0, wrong: 0};
					for (const li of document.querySelectorAll("main .state-list li")) {
						const empty = li.querySelector(".count").textContent === "(0)";
						const a = li.querySelector("a");
						if (a) out.linked++; else out.plain++;
						if (!!a === empty) out.wrong++;
					}
					const tiles = document.querySelectorAll('main svg a[href^="/directory/states/"]').length;
					if (tiles !== out.linked) out.wrong++;
					return out;
				})()`)
				if states.Wrong > 0 || states.Linked == 0 || states.Plain == 0 {
					t.Errorf("states: %d linked, %d plain, %d wrong (an empty state linked, or a state with providers not)", states.Linked, states.Plain, states.Wrong)
				}
				checkPage(t, tb)
			})
		}
	}
}
