//go:build browser

package browsertest

import (
	"strings"
	"testing"
)

// TestServedBadgeOnAPhone: on a 390 px phone, in English and Spanish, a
// search within 25 km of Phoenix shows the sample's Arizona-wide services
// in Tucson as serving the area — a badge in place of a distance, whole on
// the screen — and a state page's section of services serving it apart,
// when it has one, is headed so.
func TestServedBadgeOnAPhone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, badge, heading string }{
		{"en", "Serves your area", "Also serving"},
		{"es", "Atiende su zona", "También atienden"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			tb := newTab(t, inLanguage(c.lang), atWidth(390))
			tb.phone()
			tb.open(withLang(havenURL+"/directory?near=33.4484,-112.074&radius_km=25", c.lang), 200)
			type badge struct {
				Text             string
				Left, Right, W   float64
				Visible, HasDist bool
			}
			got := eval[[]badge](tb, `[...document.querySelectorAll(".badge.served")].map(b => {
				const r = b.getBoundingClientRect(), li = b.closest("li");
				return {text: b.textContent.trim(), left: r.left, right: r.right, w: innerWidth,
					visible: r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== "hidden",
					hasDist: !!li.querySelector(".meta strong")};
			})`)
			if len(got) == 0 {
				t.Fatal("no service is marked as serving the area")
			}
			for _, b := range got {
				if b.Text != c.badge || !b.Visible || b.Left < 0 || b.Right > b.W {
					t.Errorf("badge %+v: want %q, visible within the %v px screen", b, c.badge, b.W)
				}
				if b.HasDist {
					t.Errorf("a served card shows a distance")
				}
			}
			tb.open(withLang(havenURL+"/directory/states/TX", c.lang), 200)
			h := eval[string](tb, `(document.getElementById("served-h") || {}).textContent || ""`)
			if h != "" && !strings.HasPrefix(h, c.heading) {
				t.Errorf("Texas's section of services serving it is headed %q", h)
			}
		})
	}
}
