package http_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/listing"
)

// TestEditWhoAndSpanish checks the service form's fields of who a service
// serves, its age limits and its Spanish texts: labelled in the curator's
// language, a bad value refused beside its field with nothing saved, and a
// good edit saved.
func TestEditWhoAndSpanish(t *testing.T) {
	s, db := MustCurationServer(t)
	sv := MustImportSample(t, db, 5)[1]
	c := signIn(t, s, "curator@example.org")
	for lang, labels := range map[string][]string{
		"en": {"Who the service serves", "Kinds of trafficking it works on", "Minimum age", "In Spanish", "Name in Spanish", "How to apply, in Spanish"},
		"es": {"A quién atiende el servicio", "Edad mínima", "En español", "Nombre en español"},
	} {
		page := get(s, "/admin/services/"+sv.ID+"/edit?lang="+lang, c)
		body := html.UnescapeString(page.Body.String())
		for _, l := range labels {
			if !strings.Contains(body, l) {
				t.Errorf("%s form lacks %q", lang, l)
			}
		}
		if strings.Contains(body, "field.") || strings.Contains(body, "hint.") {
			t.Errorf("%s form shows a message key", lang)
		}
	}
	form := url.Values{}
	for k, v := range listing.ServiceText(sv) {
		form.Set(k, v)
	}
	for field, bad := range map[string]string{"minimum_age": "teen", "populations": "children", "trafficking": "organs"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(field, bad)
		w := post(s, "/admin/services/"+sv.ID, f, c)
		if w.Code != 400 || !strings.Contains(html.UnescapeString(w.Body.String()), bad) {
			t.Errorf("%s=%s: %d", field, bad, w.Code)
		}
	}
	form.Set("populations", "minors, foreign-nationals")
	form.Set("trafficking", "labor")
	form.Set("minimum_age", "12")
	form.Set("maximum_age", "17")
	form.Set("name_es", "Refugio de prueba")
	form.Set("application_process_es", "Llame primero.")
	if w := post(s, "/admin/services/"+sv.ID, form, c); w.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", w.Code, w.Body.String())
	}
	got, err := s.Directory.FindServiceByID(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := listing.ServiceText(got)
	if text["populations"] != "minors, foreign-nationals" || text["trafficking"] != "labor" || text["maximum_age"] != "17" || text["minimum_age"] != "12" ||
		text["name_es"] != "Refugio de prueba" || text["application_process_es"] != "Llame primero." {
		t.Errorf("saved %v", text)
	}
}
