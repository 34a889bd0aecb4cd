package i18n

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"haven"
)

// TestCatalogsComplete fails when any key is missing or empty in any
// language, or when a message's format verbs differ between languages.
func TestCatalogsComplete(t *testing.T) {
	all := map[string]bool{}
	for _, l := range Langs {
		for _, k := range Keys(l) {
			all[k] = true
		}
	}
	for k := range all {
		for _, l := range Langs {
			msg, ok := catalogs[l][k]
			if !ok || strings.TrimSpace(msg) == "" {
				t.Errorf("messages/%s.json: key %q is missing or empty", l, k)
				continue
			}
			if en := catalogs[Default][k]; strings.Count(msg, "%") != strings.Count(en, "%") {
				t.Errorf("messages/%s.json: key %q has other format verbs than English", l, k)
			}
		}
	}
}

// TestVocabularyLabels fails when a facet value has no label.
func TestVocabularyLabels(t *testing.T) {
	for _, facet := range append(slices.Clone(haven.Facets), "language") {
		for _, v := range haven.FacetValues(facet) {
			for _, l := range Langs {
				if !New(l).Has(facet + "." + v) {
					t.Errorf("messages/%s.json: no label %q", l, facet+"."+v)
				}
			}
		}
	}
}

func TestFromRequest(t *testing.T) {
	tests := []struct {
		name, url, cookie, accept, want string
	}{
		{"default", "/", "", "", "en"},
		{"accept-language", "/", "", "es-MX,es;q=0.9,en;q=0.5", "es"},
		{"cookie beats header", "/", "en", "es", "en"},
		{"query beats cookie", "/?lang=es", "en", "en", "es"},
		{"unsupported query falls through", "/?lang=xx", "", "es", "es"},
		{"unsupported header", "/", "", "fr-FR", "en"},
		{"garbage header", "/", "", ";;;q=zz", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.url, nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", CookieName+"="+tt.cookie)
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := FromRequest(r); got != tt.want {
				t.Errorf("FromRequest = %q, want %q", got, tt.want)
			}
		})
	}
}
