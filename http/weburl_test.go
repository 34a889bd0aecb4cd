package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven"
	"haven/internal/dbtest"
	"haven/internal/testpg"
	"haven/listing"
)

// badWebAddresses must never become a link, whichever way they come in.
var badWebAddresses = []string{
	"javascript:alert(document.cookie)",
	"JavaScript:alert(1)",
	" javascript:alert(1)",
	"java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"vbscript:msgbox(1)",
	"file:///etc/passwd",
	"https://bank.example@evil.example/",
	"https:\\\\evil.example",
	"www.example.org",
}

// TestWebAddressesChecked sends addresses that are not web addresses
// through every way one comes in — the resource, service and organization
// forms, a visitor's suggestion, and a curator accepting a suggestion
// stored before the check — on both engines. Each is refused with the
// field named and nothing changes.
func TestWebAddressesChecked(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { webAddressesChecked(t, e.Fresh(t)) })
}

func webAddressesChecked(t *testing.T, dsn string) {
	ctx := context.Background()
	s, db := MustCurationServerOn(t, dsn)
	sv := MustImportSample(t, db, 1)[0]
	c := signIn(t, s, "curator@example.org")
	const resID = "law-enforcement-pocket-card"
	res, err := s.Resources.FindResourceByID(ctx, resID)
	if err != nil {
		t.Fatal(err)
	}
	resForm := currentForm(t, get(s, "/admin/resources/"+resID+"/edit", c).Body.String())
	svcForm := url.Values{}
	for k, v := range listing.ServiceText(sv) {
		svcForm.Set(k, v)
	}
	orgForm := url.Values{"name": {sv.Organization.Name}, "description": {sv.Organization.Description}}
	fieldError := regexp.MustCompile(`id="e-(\w+)"`)

	for i, bad := range badWebAddresses {
		forms := []struct {
			name, path, field string
			form              url.Values
		}{
			{"new resource", "/admin/resources", "url", url.Values{"title": {"A new guide"}, "section": {res.Section}, "kind": {res.Kind},
				"region": {res.Region}, "description_en": {"x"}, "description_es": {"x"}, "audiences": res.Audiences, "topics": res.Topics}},
			{"resource", "/admin/resources/" + resID, "url", resForm},
			{"service", "/admin/services/" + sv.ID, "url", svcForm},
			{"organization", "/admin/organizations/" + sv.Organization.ID, "website", orgForm},
		}
		for _, f := range forms {
			form := url.Values{}
			for k, v := range f.form {
				form[k] = v
			}
			form.Set(f.field, bad)
			w := post(s, f.path, form, c)
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s with %s %q: status %d, want 400", f.name, f.field, bad, w.Code)
				continue
			}
			body := w.Body.String()
			if !strings.Contains(body, "Give a full web address starting with https://.") || !slicesContain(fieldError.FindAllStringSubmatch(body, -1), f.field) {
				t.Errorf("%s with %s %q: the error does not name the field", f.name, f.field, bad)
			}
		}

		// A visitor suggests it as a service's web address: refused, kept nowhere.
		r := httptest.NewRequest("POST", "/suggest", strings.NewReader(url.Values{"type": {"service"}, "id": {sv.ID}, "kind": {"website"},
			"body": {"New site"}, "new_value": {bad}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Accept-Language", "es")
		r.RemoteAddr = fmt.Sprintf("203.0.113.%d:1", i+1) // each its own client, under the suggestion limit
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `id="e-new_value"`) ||
			!strings.Contains(w.Body.String(), "Escriba una dirección web completa") {
			t.Errorf("suggesting %q: status %d, or no Spanish error by the field", bad, w.Code)
		}
	}
	if n, _ := dbtest.CountRows(ctx, db, "suggestions"); n != 0 {
		t.Errorf("%d refused suggestions were stored", n)
	}

	// Suggestions stored before this check, accepted by a curator: refused,
	// and the listing keeps its address.
	for _, bad := range badWebAddresses {
		for _, target := range []struct{ typ, id string }{{"service", sv.ID}, {"resource", resID}} {
			sg := &haven.Suggestion{RecordType: target.typ, RecordID: target.id, Kind: "website", Body: "moved", NewValue: bad}
			if err := s.Suggestions.CreateSuggestion(ctx, sg); err != nil {
				t.Fatal(err)
			}
			w := post(s, "/admin/suggestions/"+sg.ID+"/accept", nil, c)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "url: ") {
				t.Errorf("accepting %s website %q: status %d, want 400 naming url", target.typ, bad, w.Code)
			}
		}
	}
	got, _ := s.Directory.FindServiceByID(ctx, sv.ID)
	if got.URL != sv.URL {
		t.Errorf("service url became %q", got.URL)
	}
	if r, _ := s.Resources.FindResourceByID(ctx, resID); r.URL != res.URL {
		t.Errorf("resource url became %q", r.URL)
	}
	o, _, _ := s.Directory.FindOrganizationByID(ctx, sv.Organization.ID)
	if o.Website != sv.Organization.Website {
		t.Errorf("organization website became %q", o.Website)
	}
}

// currentForm reads a resource edit form's current values.
func currentForm(t *testing.T, page string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="(\w+)" type="text" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)name="(description_\w+)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`name="(\w+)" value="([^"]+)" checked`).FindAllStringSubmatch(page, -1) {
		form.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="f-\w+" name="(\w+)"[^>]*>.*?<option value="([^"]+)" selected>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	if form.Get("title") == "" {
		t.Fatalf("no form in %s", page)
	}
	return form
}

func slicesContain(ms [][]string, field string) bool {
	for _, m := range ms {
		if m[1] == field {
			return true
		}
	}
	return false
}
