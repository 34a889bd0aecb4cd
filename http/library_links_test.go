package http_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/linkcheck"
	"haven/sqlstore"
)

// TestLibraryLinks: each entry links to what it describes, labelled by what
// the page is, or says how to find the item; renames are told; the
// screening entry points to Haven's own tool. In both languages.
func TestLibraryLinks(t *testing.T) {
	s, _ := MustCurationServer(t)
	tests := []struct {
		path   string
		want   []string
		absent []string
	}{
		{"/resources/law-enforcement-pocket-card", []string{
			`<a class="resource-link" href="https://www.acf.hhs.gov/archive/otip/resource/card" rel="noreferrer noopener">Archived copy</a>`,
			"(acf.hhs.gov)", `<h2 id="find-h">How to find it</h2>`}, []string{"No checked web address"}},
		{"/resources/law-enforcement-pocket-card?lang=es", []string{">Copia archivada</a>", "Cómo encontrarlo", "«Look Beneath the Surface»"}, nil},
		{"/resources/national-human-trafficking-hotline", []string{">Official site</a>", "Now the National Human Trafficking Hotline, run by Polaris"}, nil},
		{"/resources/national-human-trafficking-hotline?lang=es", []string{">Sitio oficial</a>", "Hoy se llama National Human Trafficking Hotline"}, nil},
		{"/resources/crime-of-human-trafficking-law-enforcement-guide", []string{">Library record</a>", "(ncjrs.gov)"}, []string{"find-h"}},
		{"/resources/crime-of-human-trafficking-law-enforcement-guide?lang=es", []string{">Ficha de biblioteca</a>"}, nil},
		{"/resources/toolkit-to-combat-trafficking-in-persons", []string{">Publisher&#39;s page</a>"}, nil},
		{"/resources/toolkit-to-combat-trafficking-in-persons?lang=es", []string{">Página de la editorial</a>"}, nil},
		{"/resources/screening-tool-for-victims-of-human-trafficking", []string{
			"No web address was found for this entry.", "How to find it", `<a href="/screening">Open Haven&#39;s screening tool</a>`}, nil},
		{"/resources/screening-tool-for-victims-of-human-trafficking?lang=es", []string{
			"No se encontró ninguna dirección web", "Cómo encontrarlo", `<a href="/screening">Abrir la herramienta de evaluación de Haven</a>`}, nil},
		{"/resources", []string{`href="/screening"`, ">Archived copy<span class=\"visually-hidden\">: Law Enforcement Pocket Card</span></a>",
			`href="/resources/hiding-in-plain-sight-identifying-victims-in-the-us#find-h"`}, []string{"No checked web address"}},
		{"/resources?lang=es", []string{">Copia archivada<span", ">Cómo encontrarlo<span"}, nil},
		{"/resources?q=T+visa", []string{"1 entry matches. 2 learning pages match too."}, nil},
		{"/resources?q=T+visa&lang=es", []string{"1 entrada coincide. También coinciden 2 páginas de aprendizaje."}, nil},
		{"/learn/indicators-by-setting", []string{`<a href="/screening" rel="nofollow">screening tool</a>`}, nil},
		{"/learn/indicators-by-setting?lang=es", []string{`<a href="/screening" rel="nofollow">herramienta de evaluación</a>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(s, tt.path, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			body := w.Body.String()
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("lacks %q", want)
				}
			}
			for _, no := range tt.absent {
				if strings.Contains(body, no) {
					t.Errorf("still has %q", no)
				}
			}
		})
	}
}

// TestBrokenLibraryLinkFixedInForm: a library address on a local server that
// answers 404 shows on the dashboard with the entry it belongs to; the
// curator follows that to the form, gives a working address, and after the
// next check the dashboard lists nothing.
func TestBrokenLibraryLinkFixedInForm(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/gone", http.NotFound)
	mux.HandleFunc("/card", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s, db := MustCurationServer(t)
	ctx := context.Background()
	res := sqlstore.NewResourceService(db)
	r, err := res.FindResourceByID(ctx, "law-enforcement-pocket-card")
	if err != nil {
		t.Fatal(err)
	}
	r.URL = srv.URL + "/gone"
	if err := res.UpdateResource(ctx, "curator@example.org", r); err != nil {
		t.Fatal(err)
	}
	cur := sqlstore.NewCurationService(db)
	// The check, as "haven links check" runs it, of this entry's address
	// only: the other entries' addresses are on the internet.
	check := func(u string) {
		t.Helper()
		c := linkcheck.New()
		c.AllowPrivate, c.HostDelay = true, 0 // the test server is on loopback
		results, err := c.Check(ctx, []string{u}, nil)
		if err != nil {
			t.Fatal(err)
		}
		all, err := cur.LinkURLs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cur.ForgetLinkChecks(ctx, all); err != nil {
			t.Fatal(err)
		}
		for _, x := range results {
			if err := cur.SaveLinkCheck(ctx, x.URL, x.Status, x.FinalURL, x.Error, x.CheckedAt); err != nil {
				t.Fatal(err)
			}
		}
	}
	check(srv.URL + "/gone")

	c := signIn(t, s, "curator@example.org")
	for _, lang := range []string{"en", "es"} {
		dash := get(s, "/admin?lang="+lang, c).Body.String()
		row := regexp.MustCompile(`(?s)<tr><td class="url">` + regexp.QuoteMeta(srv.URL+"/gone") + `</td><td>404</td><td>(.*?)</td></tr>`).FindStringSubmatch(dash)
		if row == nil || !strings.Contains(row[1], `<a href="/admin/resources/law-enforcement-pocket-card/edit">Law Enforcement Pocket Card</a>`) {
			t.Fatalf("%s dashboard does not list the broken link with its entry:\n%s", lang, dash)
		}
	}
	if !strings.Contains(get(s, "/admin?lang=es", c).Body.String(), "Usado por") {
		t.Error("the Spanish dashboard lacks its column heading")
	}

	// The form shows the address and what it leads to; the curator fixes it.
	page := get(s, "/admin/resources/law-enforcement-pocket-card/edit", c).Body.String()
	if !strings.Contains(page, `value="`+srv.URL+`/gone"`) || !strings.Contains(page, `<option value="archive" selected>Archived copy</option>`) {
		t.Fatalf("the form lacks the address or its kind")
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="(\w+)" type="text" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)name="(\w+)" rows="5"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`name="(\w+)" value="([^"]+)" checked`).FindAllStringSubmatch(page, -1) {
		form.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="f-\w+" name="(\w+)"[^>]*>.*?<option value="([^"]+)" selected>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	// A note in one language only is refused, naming the field.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("note_en", "Now a card of HHS.")
	bad.Set("note_es", "")
	if w := post(s, "/admin/resources/law-enforcement-pocket-card", bad, c); w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), "Give this text in both English and Spanish, or in neither.") {
		t.Fatalf("a one-language note: %d", w.Code)
	}
	form.Set("url", srv.URL+"/card")
	form.Set("url_kind", "publisher")
	if w := post(s, "/admin/resources/law-enforcement-pocket-card", form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("fix: %d %s", w.Code, w.Body.String())
	}
	got, _ := res.FindResourceByID(ctx, "law-enforcement-pocket-card")
	if got.URL != srv.URL+"/card" || got.URLKind != "publisher" || got.HowToFind.In("es") != r.HowToFind.In("es") {
		t.Errorf("saved as %q %q, find %q", got.URL, got.URLKind, got.HowToFind.In("es"))
	}
	check(srv.URL + "/card")
	if dash := get(s, "/admin", c).Body.String(); strings.Contains(dash, `<td class="url">`+srv.URL) {
		t.Error("the dashboard still lists the fixed address")
	}
	if page := get(s, "/resources/law-enforcement-pocket-card", nil).Body.String(); !strings.Contains(page, `href="`+srv.URL+`/card" rel="noreferrer noopener">Publisher&#39;s page</a>`) {
		t.Error("the public page does not show the fixed address")
	}
}

// TestEmptyPlacesAreNotLinks: a state or country with no providers is named,
// not linked to an empty list.
func TestEmptyPlacesAreNotLinks(t *testing.T) {
	s, db := MustCurationServer(t)
	MustImportSample(t, db, 30)
	item := regexp.MustCompile(`<li>(<a href="/directory/(?:states|countries)/\w+">)?([^<]+)(?:</a>)? <span class="count">\((\d+)\)</span></li>`)
	for _, path := range []string{"/directory/states", "/directory/states?lang=es", "/directory/countries"} {
		body := get(s, path, nil).Body.String()
		linked, plain := 0, 0
		for _, m := range item.FindAllStringSubmatch(body, -1) {
			isLink, empty := m[1] != "", m[3] == "0"
			if isLink == empty {
				t.Errorf("%s: %s (%s) linked=%v", path, m[2], m[3], isLink)
			}
			if isLink {
				linked++
			} else {
				plain++
			}
		}
		if linked == 0 || (strings.HasPrefix(path, "/directory/states") && plain == 0) {
			t.Errorf("%s: %d linked, %d plain: the test proves nothing", path, linked, plain)
		}
		if strings.HasPrefix(path, "/directory/states") {
			tiles := strings.Count(body, `<a href="/directory/states/`) / 2 // the map's and the list's
			if tiles != linked {
				t.Errorf("%s: %d map tiles are links, want %d", path, tiles, linked)
			}
		}
	}
}
