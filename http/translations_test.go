package http_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"haven/sqlstore"
)

// TestListingsInTheVisitorsLanguage checks that Spanish readers see a
// service's Spanish texts where curators gave them, and a note where they
// did not, on the results page, the service page and the referral sheet;
// that English readers see English; that a Spanish search finds a Spanish
// name; and that the HSDS API's service, with its x_translations, still
// validates against the official HSDS 3.0 schema.
func TestListingsInTheVisitorsLanguage(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	dir := s.Directory.(*sqlstore.DirectoryService)
	full, part, none := svcs[5], svcs[6], svcs[8]
	if err := dir.UpdateService(context.Background(), "test", full.ID, map[string]string{
		"name_es": "Clínica Jurídica Zafiro", "description_es": "Ayuda legal gratuita en español.",
		"eligibility_description_es": "Sobrevivientes de trata de cualquier edad.", "application_process_es": "Llame para una cita.",
		"fees_description_es": "Sin costo."}); err != nil {
		t.Fatal(err)
	}
	if err := dir.UpdateService(context.Background(), "test", part.ID, map[string]string{"name_es": "Línea Ámbar"}); err != nil {
		t.Fatal(err)
	}
	ok := func(url string, contains, lacks []string) {
		t.Helper()
		w := do(s, "GET", url, nil)
		body := html.UnescapeString(w.Body.String())
		if w.Code != 200 {
			t.Errorf("%s: status %d", url, w.Code)
			return
		}
		for _, c := range contains {
			if !strings.Contains(body, c) {
				t.Errorf("%s lacks %q", url, c)
			}
		}
		for _, c := range lacks {
			if strings.Contains(body, c) {
				t.Errorf("%s has %q", url, c)
			}
		}
	}
	const noneNote, partNote = "aún no hay versión en español", "algunos textos de este servicio aún no están traducidos"
	ok("/services/"+full.ID+"?lang=es", []string{"<h1>Clínica Jurídica Zafiro</h1>", "Ayuda legal gratuita en español.",
		"Sobrevivientes de trata de cualquier edad.", "Llame para una cita.", "<title>Clínica Jurídica Zafiro"}, []string{noneNote, partNote, full.Description})
	ok("/services/"+full.ID, []string{"<h1>" + full.Name + "</h1>"}, []string{"Zafiro", "Shown in English"})
	ok("/services/"+part.ID+"?lang=es", []string{"<h1>Línea Ámbar</h1>", partNote}, nil)
	ok("/services/"+none.ID+"?lang=es", []string{"<h1>" + none.Name + "</h1>", noneNote}, nil)
	ok("/directory?q=zafiro&lang=es", []string{"Clínica Jurídica Zafiro", "1 servicio"}, []string{noneNote})
	ok("/directory?q=ambar&lang=es", []string{"Línea Ámbar", partNote}, nil)
	ok("/referral?lang=es&id="+full.ID+"&id="+none.ID, []string{"Clínica Jurídica Zafiro", "Sobrevivientes de trata de cualquier edad.", noneNote}, nil)

	w := do(s, "GET", "/api/hsds/services/"+full.ID, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"x_translations":{"es":{"name":"Clínica Jurídica Zafiro"`) {
		t.Errorf("HSDS API: %d %.300s", w.Code, w.Body.String())
	}
	mustValidate(t, "service", w.Body.Bytes(), "a service with x_translations")
}
