//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPlacesOnAPhone (issue 19): at a phone's width (390 px), in English
// and Spanish, an ambiguous place offers its choices as links that fit the
// screen and lead to a search near the one chosen; and a search with
// nothing within its radius says so and shows the nearest services beyond
// it, in miles. axe passes on each page.
func TestPlacesOnAPhone(t *testing.T) {
	t.Parallel()
	text := map[string]struct{ ambiguous, near, beyond string }{
		"en": {"Several places are called “Springfield”", "Near Springfield, ", "None within 5 miles. The nearest are:"},
		"es": {"Hay varios lugares llamados “Springfield”", "Cerca de Springfield, ", "Ninguno a menos de 5 millas. Los más cercanos son:"},
	}
	for _, lang := range []string{"en", "es"} {
		t.Run(fmt.Sprintf("%s/390", lang), func(t *testing.T) {
			t.Parallel()
			want := text[lang]
			tb := newTab(t, inLanguage(lang), atWidth(390))

			tb.open(withLang(havenURL+"/directory?place=Springfield", lang), 400)
			got := eval[struct {
				Error        string
				Choices      int
				Right, Width float64
			}](tb, `(() => {
				const links = [...document.querySelectorAll("main .place-choices a")];
				return {
					error: document.querySelector("#place-error")?.textContent ?? "",
					choices: links.length,
					right: Math.max(0, ...links.map(a => a.getBoundingClientRect().right)),
					width: document.documentElement.clientWidth,
				};
			})()`)
			if !strings.Contains(got.Error, want.ambiguous) || got.Choices < 3 {
				t.Errorf("ambiguous place: %q with %d choices", got.Error, got.Choices)
			}
			if got.Right > got.Width {
				t.Errorf("a choice ends at %.0f px, past the screen's %.0f", got.Right, got.Width)
			}
			checkPage(t, tb)
			tb.load(200, chromedp.Click(chromedp.CSS(`main .place-choices a`)))
			if chips := eval[string](tb, `document.querySelector("main .chips")?.textContent ?? ""`); !strings.Contains(chips, want.near) {
				t.Errorf("after choosing, the chips say %q", chips)
			}

			tb.open(withLang(havenURL+"/directory?place=44.5,-100.5&radius_mi=5", lang), 200)
			dead := eval[struct {
				Heading string
				Cards   int
				Dist    string
			}](tb, `(() => {
				const s = document.querySelector('main section[aria-labelledby="beyond-h"]');
				return {
					heading: s?.querySelector("h2")?.textContent ?? "",
					cards: s ? s.querySelectorAll("li.svc").length : 0,
					dist: s?.querySelector("li.svc .meta strong")?.textContent ?? "",
				};
			})()`)
			if dead.Heading != want.beyond || dead.Cards == 0 || !strings.Contains(dead.Dist, " mi") {
				t.Errorf("dead end: %+v", dead)
			}
			if c := checkPage(t, tb); c.ScrollWidth > c.ClientWidth {
				t.Errorf("the dead-end page overflows sideways: %v", c.Culprits)
			}
		})
	}
}
