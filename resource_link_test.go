package haven

import (
	"strings"
	"testing"
)

func TestResourceLinkFields(t *testing.T) {
	base := func() *Resource {
		return &Resource{ID: "x", Section: "documents", Kind: "guide", Title: "X", Region: "us",
			Audiences: []string{"ngos"}, Topics: []string{"identification"}, Desc: Localized{"en": "a", "es": "b"}}
	}
	tests := []struct {
		name    string
		edit    func(r *Resource)
		wantErr string // "" for valid
	}{
		{"address with its kind", func(r *Resource) { r.URL, r.URLKind = "https://example.org/", "library-record" }, ""},
		{"address without a kind", func(r *Resource) { r.URL = "https://example.org/" }, ""},
		{"unknown kind", func(r *Resource) { r.URL, r.URLKind = "https://example.org/", "blog" }, "url_kind"},
		{"kind without an address", func(r *Resource) { r.URLKind = "archive" }, "url_kind"},
		{"note in both languages", func(r *Resource) { r.Note = Localized{"en": "Now Y.", "es": "Ahora Y."} }, ""},
		{"note in English only", func(r *Resource) { r.Note = Localized{"en": "Now Y."} }, "note"},
		{"how to find in Spanish only", func(r *Resource) { r.HowToFind = Localized{"es": "Búsquelo."} }, "how_to_find"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(r)
			err := r.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate = %v, want an error naming %s", err, tt.wantErr)
			case tt.wantErr != "" && ErrorCode(err) != EINVALID:
				t.Fatalf("code %s, want EINVALID", ErrorCode(err))
			}
		})
	}
}
