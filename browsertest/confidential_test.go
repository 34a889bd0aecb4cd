//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConfidentialInBrowser marks a sample location confidential through
// the curator's form, as a curator would, then visits the service as the
// public in both languages at a phone's width: the street is gone, the
// page says the address is given on contact, and the page passes axe. The
// take-down page is checked too. It uses a Californian service, which the
// tour (Texan services) does not visit.
func TestConfidentialInBrowser(t *testing.T) {
	t.Parallel()
	var hits struct{ Items []struct{ ID string } }
	getJSON(t, "/api/v1/search?state=CA&per_page=2", &hits)
	if len(hits.Items) < 2 {
		t.Fatal("the sample has no two Californian services")
	}
	svc, other := hits.Items[0].ID, hits.Items[1].ID
	var rec struct {
		ServiceAtLocations []struct {
			LocationID string `json:"location_id"`
			Location   struct {
				Addresses []struct {
					Address1 string `json:"address_1"`
				} `json:"addresses"`
			} `json:"location"`
		} `json:"service_at_locations"`
	}
	getJSON(t, "/api/hsds/services/"+svc, &rec)
	if len(rec.ServiceAtLocations) == 0 || len(rec.ServiceAtLocations[0].Location.Addresses) == 0 {
		t.Fatal("the service has no address")
	}
	loc, street := rec.ServiceAtLocations[0].LocationID, rec.ServiceAtLocations[0].Location.Addresses[0].Address1

	admin := signIn(t)
	admin.open(havenURL+"/admin/locations/"+loc+"/edit", 200)
	checkPage(t, admin)
	admin.do(chromedp.Click(chromedp.CSS(`input[name="x_confidential"]`)))
	admin.load(200, chromedp.Click(chromedp.CSS(`main form.form button[type="submit"]`)))
	if u := admin.location(); !strings.Contains(u, "saved=1") {
		t.Fatalf("after saving: at %s", u)
	}
	if !eval[bool](admin, `document.querySelector('input[name="x_confidential"]').checked`) {
		t.Fatal("the saved form does not show the location as confidential")
	}

	for _, lang := range []string{"en", "es"} {
		anon := newTab(t, inLanguage(lang), atWidth(360))
		anon.open(withLang(havenURL+"/services/"+svc, lang), 200)
		text := eval[string](anon, `document.querySelector("main").innerText`)
		if strings.Contains(text, street) {
			t.Errorf("%s: the public page shows the street %q", lang, street)
		}
		want := map[string]string{"en": "Address given on contact", "es": "Dirección a pedido"}[lang]
		if !strings.Contains(text, want) {
			t.Errorf("%s: the public page does not say %q", lang, want)
		}
		checkPage(t, anon)
		screenshot(t, anon, "service-confidential-"+lang+"-360.png")
		if c := anon.cookies(); len(c) > 0 {
			t.Errorf("anonymous visit got cookies: %v", c)
		}
	}

	admin.open(havenURL+"/admin/takedown/service/"+other, 200)
	checkPage(t, admin)
	admin.load(200, chromedp.Click(chromedp.CSS(`button[value="withdraw"]`)))
	if !strings.Contains(admin.location(), "done=withdraw") {
		t.Fatalf("after withdrawing: at %s", admin.location())
	}
	checkPage(t, admin)
	anon := newTab(t)
	anon.open(havenURL+"/services/"+other, 404)
	admin.load(200, chromedp.Click(chromedp.CSS(`button[value="restore"]`)))
	anon.open(havenURL+"/services/"+other, 200)
}
