//go:build browser

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestImportUploadOnPhone: a curator on a 390 px phone, in English and
// Spanish, uploads the sample coalition list from the dashboard, sees what
// would be created and the report, and cancels (so that the directory the
// other tests read does not change; the http tests confirm). Both pages
// pass axe and nothing sticks out sideways.
func TestImportUploadOnPhone(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../intake/testdata/coalition.csv")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "coalition.csv")
	os.WriteFile(file, src, 0o600)
	for lang, want := range map[string]string{"en": "This file would import 5 services of 3 organizations",
		"es": "Este archivo importaría 5 servicios de 3 organizaciones"} {
		tb := newTab(t, inLanguage(lang), atWidth(360))
		tb.phone()
		tb.open(havenURL+"/signin", 200)
		tb.do(
			chromedp.SendKeys(chromedp.CSS(`#email`), adminEmail),
			chromedp.SendKeys(chromedp.CSS(`#password`), adminPassword),
		)
		tb.load(200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		tb.open(withLang(havenURL+"/admin/import", lang), 200)
		checkPage(t, tb)
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{file}))
		tb.post(200, chromedp.Click(chromedp.CSS(`#import-form button[type="submit"]`)))
		text := eval[string](tb, `document.querySelector("main").innerText`)
		for _, w := range []string{want, "Emergency Shelter", "Pet grooming", "Fax, Contact Person"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the preview lacks %q", lang, w)
			}
		}
		if c := checkPage(t, tb); c.ScrollWidth > c.ClientWidth {
			t.Errorf("%s: the preview is %d px wide on a %d px phone: %v", lang, c.ScrollWidth, c.ClientWidth, c.Culprits)
		}
		tb.load(200, chromedp.Click(chromedp.CSS(`main button[value="cancel"]`)))
		if u := tb.location(); !strings.HasSuffix(u, "/admin/import") {
			t.Errorf("%s: after cancelling at %s", lang, u)
		}
	}
}
