package hsds

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// translated returns fixture services, some with translations.
func translated(n int) []*Service {
	svcs := someServices(n)
	for i, s := range svcs {
		switch i % 3 {
		case 0:
			s.XTranslations = MakeTranslations(map[string]Translation{"es": {Name: "Línea de ayuda " + s.Name,
				Description: "Atención \"confidencial\", 24 horas,\nen español.", FeesDescription: "Gratis"}})
		case 1:
			s.XTranslations = MakeTranslations(map[string]Translation{"es": {EligibilityDescription: "Mayores de 18 años"},
				"fr": {Name: "Ligne d'écoute"}})
		}
	}
	return svcs
}

// TestTranslationsRoundTrip writes translated services as JSON, NDJSON
// and a CSV package, and reads back the same services.
func TestTranslationsRoundTrip(t *testing.T) {
	want := translated(9)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, want, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"x_translations": {`) {
		t.Fatalf("x_translations is not an object in JSON:\n%.2000s", buf.String())
	}
	if got := readAll[Service](t, buf.Bytes(), "out.json"); !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON round trip differs: %s", firstDiff(got, want))
	}
	buf.Reset()
	w := NewNDJSONWriter(&buf)
	for _, s := range want {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	if got := readAll[Service](t, buf.Bytes(), "out.ndjson"); !reflect.DeepEqual(got, want) {
		t.Fatalf("NDJSON round trip differs: %s", firstDiff(got, want))
	}
	slices.SortFunc(want, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) })
	dir := t.TempDir()
	if err := WritePackage(dir, want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readFile(t, dir, "services.csv")), "x_translations") {
		t.Error("services.csv has no x_translations column")
	}
	p, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Services, want) {
		t.Fatalf("package round trip differs: %s", firstDiff(p.Services, want))
	}
	if tr, ok := p.Services[0].XTranslations.Get("es"); ok && tr == (Translation{}) {
		t.Error("an empty translation was kept")
	}
}

// TestTranslationsRead checks that JSON in another key order or with
// spaces reads as the canonical form.
func TestTranslationsRead(t *testing.T) {
	in := svc(sid1, `"x_translations": { "es" : {"name":" Línea ", "fees_description": "Gratis"}, "fr": {} }`)
	got := readAll[Service](t, []byte(in), "in.json")
	if want := Translations(`{"es":{"name":"Línea","fees_description":"Gratis"}}`); got[0].XTranslations != want {
		t.Errorf("read %s, want %s", got[0].XTranslations, want)
	}
	if tr, ok := got[0].XTranslations.Get("es"); !ok || tr.Name != "Línea" {
		t.Errorf("Get(es) = %+v, %v", tr, ok)
	}
	if _, ok := got[0].XTranslations.Get("fr"); ok {
		t.Error("an empty translation counts")
	}
}

func TestBadTranslations(t *testing.T) {
	cases := []struct{ name, value, reason string }{
		{"not an object", `"Línea de ayuda"`, "is not a JSON object of languages"},
		{"a list", `[{"es": {}}]`, "is not a JSON object of languages"},
		{"bad language", `{"spanish": {"name": "x"}}`, `"spanish" is not an ISO 639-1 language code`},
		{"english", `{"en": {"name": "x"}}`, "listing's own language"},
		{"unknown field", `{"es": {"nombre": "x"}}`, "only the fields name, description"},
		{"not text", `{"es": {"name": 5}}`, "only the fields"},
		{"too long", `{"es": {"description": "` + strings.Repeat("a", 70<<10) + `"}}`, "longer than the limit"},
	}
	for _, c := range cases {
		err := firstProblem([]byte(svc(sid1, `"x_translations": `+c.value)), "in.json")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		fe := asFieldError(t, err)
		if fe.Field != "x_translations" || !strings.Contains(fe.Reason, c.reason) {
			t.Errorf("%s: %v, want a reason about x_translations containing %q", c.name, err, c.reason)
		}
	}
	// In a package, the cell's text is checked the same way, naming the
	// file, the row and the column.
	services := "id,organization_id,name,status,x_translations\n" + sid1 + "," + oid1 + `,H,active,"{""es"": {""nombre"": ""x""}}"` + "\n"
	_, err := ReadPackageAll(writePackage(t, map[string]string{"services.csv": services, "organizations.csv": orgCSV}))
	fe := asFieldError(t, err)
	if fe.File != "services.csv" || fe.Field != "x_translations" || !strings.Contains(fe.Reason, "only the fields") {
		t.Errorf("package: %v", err)
	}
}

// FuzzParseTranslations checks that any text either reads, and then
// writes back to a text that reads the same, or is refused with a reason.
func FuzzParseTranslations(f *testing.F) {
	for _, s := range []string{"", `{"es":{"name":"Línea"}}`, `{"es":{"nombre":"x"}}`, `{"en":{}}`, `[1]`, `null`, `{"es":null}`,
		`{"es":{"name":"a","description":"b","eligibility_description":"c","application_process":"d","fees_description":"e"},"fr":{"name":"f"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseTranslations(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		text := MakeTranslations(m)
		m2, err := ParseTranslations(string(text))
		if err != nil {
			t.Fatalf("%q wrote %q, which does not read: %v", s, text, err)
		}
		if MakeTranslations(m2) != text {
			t.Fatalf("%q is not canonical", text)
		}
		var tr Translations
		if err := tr.UnmarshalJSON([]byte(text)); text != "" && (err != nil || tr != text) {
			t.Fatalf("UnmarshalJSON(%q) = %q, %v", text, tr, err)
		}
	})
}
