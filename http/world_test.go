package http_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven"
	"haven/countries"
	"haven/internal/testpg"
	"haven/sample"
	"haven/sqlstore"
)

// mustSeedCountries loads the shipped tiers and hotlines, as a first start
// does.
func mustSeedCountries(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	hot := map[string][]haven.CountryHotline{}
	for _, h := range countries.Hotlines() {
		hot[h.Country] = append(hot[h.Country], h.CountryHotline)
	}
	if _, err := sqlstore.NewCountryService(db).SeedCountries(context.Background(), countries.Tiers(), hot); err != nil {
		t.Fatal(err)
	}
}

func TestWorldPages(t *testing.T) {
	s, db := MustCurationServer(t)
	MustImportSample(t, db, 200)
	for _, c := range sample.CountrySummaries() {
		if err := sqlstore.NewCountryService(db).PutCountrySummary(context.Background(), &c); err != nil {
			t.Fatal(err)
		}
	}
	mustSeedCountries(t, db) // after the sample summaries: their countries get hotlines too
	page := func(path string) (int, string) {
		w := get(s, path, nil)
		return w.Code, html.UnescapeString(w.Body.String())
	}
	for _, c := range []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/countries", 200, []string{`aria-label="IE 2, Ireland: Tier 2"`, `aria-label="XK 2, Kosovo: Tier 2"`, `aria-label="HT SC, Haiti: Special Case"`,
			`href="` + haven.TierReportURL + `"`, "2025 Trafficking in Persons Report", "Tier 2 Watch List", "(25)",
			`<a href="/countries/AQ">Antarctica</a>`, "Western Hemisphere", `<a href="/countries/MX">Mexico</a>: Tier 2 <span class="count">(`}, nil},
		{"/countries?lang=es", 200, []string{`aria-label="IE 2, Irlanda: Nivel 2"`, "Informe sobre la Trata de Personas 2025", "Nivel 2 en observación",
			`<a href="/countries/AQ">Antártida</a>`, "Hemisferio Occidental"}, nil},
		{"/countries/IE", 200, []string{"The report places Ireland on Tier 2.", "significant efforts", `href="tel:1800666111"`, "Garda Confidential Line",
			"Number checked on 2026-12-06.", "No summary has been written for Ireland yet.", "2025 Trafficking in Persons Report</a>, U.S. Department of State",
			"Haven lists no providers in Ireland yet."}, []string{"Sample"}},
		{"/countries/IE?lang=es", 200, []string{"El informe sitúa a Irlanda en el nivel 2.", "Línea de la policía", "Número comprobado el 2026-12-06.",
			"Aún no se ha escrito un resumen sobre Irlanda."}, nil},
		{"/countries/MX", 200, []string{"Sample text: stands in", `href="tel:8005533000"`, "services are offered in this country", `href="/directory/countries/MX"`}, nil},
		{"/countries/HT", 200, []string{"The report treats Haiti as a Special Case.", "conflict or a humanitarian crisis"}, nil},
		{"/countries/AQ", 200, []string{"The 2025 report does not rank Antarctica.", "Haven has no national hotline for Antarctica yet."}, []string{"Tier 1", "Tier 2", "Tier 3", "Special Case"}},
		{"/countries/XK?lang=es", 200, []string{"<h1>Kosovo</h1>", "Nivel 2"}, nil},
		{"/countries/ZZ", 404, nil, nil},
		{"/countries/fr", 301, nil, nil},
	} {
		status, body := page(c.path)
		if status != c.status {
			t.Errorf("%s: status %d, want %d", c.path, status, c.status)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q", c.path, w)
			}
		}
		main := body[max(0, strings.Index(body, "<main")):]
		for _, n := range c.not {
			if strings.Contains(main, n) {
				t.Errorf("%s: shows %q", c.path, n)
			}
		}
	}
	// The directory's own country page shows the notes in Spanish too.
	if _, body := page("/directory/countries/IE?lang=es"); !strings.Contains(body, "Línea de la policía") || !strings.Contains(body, "Aún no se ha escrito un resumen") {
		t.Error("/directory/countries/IE in Spanish: no Spanish hotline note, or no plain 'no summary'")
	}
	_, body := page("/countries")
	svg := body[strings.Index(body, "<svg"):strings.Index(body, "</svg>")]
	if n := strings.Count(svg, `<a href="/countries/`); n != 188 {
		t.Errorf("the map has %d countries, want 188", n)
	}
	if strings.Contains(body, "<script") && !strings.Contains(body, `<script src="/static/exit.js`) {
		t.Error("the world page has a script of its own")
	}
}

func TestWorldCountryEditAudited(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { worldCountryEditAudited(t, e.Fresh(t)) })
}

func worldCountryEditAudited(t *testing.T, dsn string) {
	s, db := MustCurationServerOn(t, dsn)
	mustSeedCountries(t, db)
	c := signIn(t, s, "curator@example.org")
	if w := get(s, "/countries/IE", c); !strings.Contains(w.Body.String(), `href="/admin/countries/IE/edit"`) {
		t.Error("a curator sees no edit link on the country page")
	}
	form := get(s, "/admin/countries/IE/edit", c).Body.String()
	if !strings.Contains(html.UnescapeString(form), "Garda Confidential Line | 1800 666 111 | A police line") {
		t.Fatalf("the edit form does not hold the seeded hotlines: %s", form)
	}
	for _, bad := range []url.Values{
		{"summary_en": {"Only English"}, "hotlines": {""}},
		{"hotlines": {"Line | 123 | | Solo en español"}},
		{"hotlines": {"Line | 123 | | | 6 Dec 2026"}},
		{"hotlines": {"Line | no digits"}},
	} {
		if w := post(s, "/admin/countries/IE", bad, c); w.Code != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, w.Code)
		}
	}
	ok := url.Values{"summary_en": {"Curated summary."}, "summary_es": {"Resumen curado."},
		"hotlines": {"New line | +353 1 000 0000 | Weekdays. | Días laborables. | 2026-12-05\nOther | 1800 1 | |"}}
	if w := post(s, "/admin/countries/IE", ok, c); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", w.Code, w.Body.String())
	}
	body := html.UnescapeString(get(s, "/countries/IE?lang=es", nil).Body.String())
	for _, want := range []string{"Resumen curado.", `href="tel:+35310000000"`, "Días laborables.", "Número comprobado el 2026-12-05."} {
		if !strings.Contains(body, want) {
			t.Errorf("after the edit, no %q", want)
		}
	}
	if strings.Contains(body, "Garda") {
		t.Error("the replaced hotline still shows")
	}
	trail, err := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "country", "IE", 0)
	if err != nil || len(trail) != 3 { // summary.en, summary.es, hotlines
		t.Fatalf("trail = %+v, %v", trail, err)
	}
	if trail[2].Field != "hotlines" || !strings.Contains(trail[2].Before, "1800 666 111") || !strings.Contains(trail[2].After, "+353 1 000 0000") || trail[2].Actor != "curator@example.org" {
		t.Errorf("hotlines audit = %+v", trail[2])
	}
}
