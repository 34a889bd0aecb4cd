package catalog

import (
	"os"
	"strings"
	"testing"

	"haven"
	"haven/internal/testenv"
)

// TestEveryEntryLeadsSomewhere: each entry either links to what it describes,
// saying what kind of page that is, or tells how to find the item.
func TestEveryEntryLeadsSomewhere(t *testing.T) {
	rs, err := Resources()
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, r := range rs {
		switch {
		case r.URL != "":
			linked++
			if r.URLKind == "" {
				t.Errorf("%s: has a url but no url_kind", r.ID)
			}
		case r.HowToFind["en"] == "":
			t.Errorf("%s: has neither a url nor how_to_find", r.ID)
		}
	}
	if linked != 26 {
		t.Errorf("%d entries have an address, want 26 (the seed's addresses that lead to the item or a record, copy or successor of it)", linked)
	}
}

// TestCatalogFacts pins the facts library-urls.md corrects or adds, and the
// renames it tells.
func TestCatalogFacts(t *testing.T) {
	rs, err := Resources()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*haven.Resource{}
	for _, r := range rs {
		by[r.ID] = r
	}
	tests := []struct {
		id, what string
		ok       func(r *haven.Resource) bool
	}{
		{"digital-dangers-ict-and-trafficking-in-women", "year 2008 (La Strada)", func(r *haven.Resource) bool { return r.Year == 2008 }},
		{"identification-legal-advocacy-trafficking-victims-2d-edition", "year 2005, no Legal Momentum attribution",
			func(r *haven.Resource) bool {
				return r.Year == 2005 && !strings.Contains(r.Publisher, "Legal Momentum")
			}},
		{"trafficking-in-persons-guide-for-ngos", "DOL Women's Bureau, 2002, not Ann Jordan",
			func(r *haven.Resource) bool {
				return r.Year == 2002 && strings.Contains(r.Publisher, "Women's Bureau") && !strings.Contains(r.Desc["en"]+r.Publisher, "Jordan")
			}},
		{"national-human-trafficking-hotline", "the rename, in both languages",
			func(r *haven.Resource) bool {
				return strings.HasPrefix(r.Note["en"], "Now the National Human Trafficking Hotline") && strings.Contains(r.Note["es"], "National Human Trafficking Hotline")
			}},
		{"legal-momentum-immigrant-women-program", "the 2004 rename", func(r *haven.Resource) bool { return strings.Contains(r.Note["en"], "NOW Legal Defense") }},
		{"law-enforcement-pocket-card", "an archived copy", func(r *haven.Resource) bool { return r.URLKind == "archive" && r.URL != "" }},
		{"anti-trafficking-directory-legal-social-service-providers", "no address (the OVC map is not this document)", func(r *haven.Resource) bool { return r.URL == "" }},
	}
	for _, tt := range tests {
		r := by[tt.id]
		if r == nil {
			t.Errorf("%s: missing", tt.id)
		} else if !tt.ok(r) {
			t.Errorf("%s: want %s", tt.id, tt.what)
		}
	}
}

// TestAddressesComeFromTheSeedPage: every address in the catalog is one the
// checked list of addresses gives, so none is guessed.
func TestAddressesComeFromTheSeedPage(t *testing.T) {
	list, err := os.ReadFile(testenv.Shared(t, "seed/library-urls.md"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Resources()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.URL != "" && !strings.Contains(string(list), r.URL) {
			t.Errorf("%s: %s is not in seed/library-urls.md", r.ID, r.URL)
		}
	}
}
