package catalog

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"haven"
	"haven/internal/testenv"
)

func MustResources(tb testing.TB) []*haven.Resource {
	tb.Helper()
	rs, err := Resources()
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

// TestSeedCounts checks the catalog holds the seed page's 36 entries in its
// four sections, in the seed's order.
func TestSeedCounts(t *testing.T) {
	rs := MustResources(t)
	counts := map[string]int{}
	last := -1
	for _, r := range rs {
		counts[r.Section]++
		i := slices.Index(haven.Sections, r.Section)
		if i < last {
			t.Errorf("%s: section %s out of the seed's order", r.ID, r.Section)
		}
		last = i
	}
	want := map[string]int{"documents": 17, "organizations": 7, "websites": 11, "hotlines": 1}
	if len(rs) != 36 {
		t.Errorf("catalog has %d entries, want 36", len(rs))
	}
	for s, n := range want {
		if counts[s] != n {
			t.Errorf("section %s has %d entries, want %d", s, counts[s], n)
		}
	}
}

// TestSeedTitles checks every title appears, letter for letter, on the seed
// page, when the seed is beside the repository as it is in CI.
func TestSeedTitles(t *testing.T) {
	seed, err := os.ReadFile(testenv.Shared(t, "seed/serving-trafficking-victims.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(seed), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, r := range MustResources(t) {
		if !lines[r.Title] {
			t.Errorf("%s: title %q is not a line of the seed page", r.ID, r.Title)
		}
	}
}

var sentenceEnd = regexp.MustCompile(`[.!?](\s|$)`)

// TestEntriesComplete checks each entry in both languages: a description of
// one to three sentences, and the fields the library relies on.
func TestEntriesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range MustResources(t) {
		if seen[r.ID] {
			t.Errorf("duplicate id %s", r.ID)
		}
		seen[r.ID] = true
		for _, lang := range []string{"en", "es"} {
			d := strings.TrimSpace(r.Desc[lang])
			if n := len(sentenceEnd.FindAllString(d, -1)); n < 1 || n > 3 {
				t.Errorf("%s: description.%s has %d sentences, want 1 to 3: %q", r.ID, lang, n, d)
			}
		}
		if r.Desc["en"] == r.Desc["es"] {
			t.Errorf("%s: the Spanish description is the English one", r.ID)
		}
		if len(r.Languages) == 0 {
			t.Errorf("%s: no languages", r.ID)
		}
		if r.URL != "" && !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://") {
			t.Errorf("%s: url %q is not a web address", r.ID, r.URL)
		}
	}
}

// TestHotlineFacts checks the hotline carries the seed's facts.
func TestHotlineFacts(t *testing.T) {
	var h *haven.Hotline
	for _, r := range MustResources(t) {
		if r.Kind == "hotline" {
			h = r.Hotline
		}
	}
	if h == nil {
		t.Fatal("no hotline entry")
	}
	if h.Phone != "1-888-373-7888" || h.Text != "233733" || h.Hours != "24/7" || !h.Interpretation {
		t.Errorf("hotline facts wrong: %+v", h)
	}
	if !slices.Equal(h.CounselorLanguages, []string{"en", "es"}) {
		t.Errorf("counselor languages = %v", h.CounselorLanguages)
	}
	if !slices.Equal(h.EmailLanguages, []string{"en", "es", "zh", "ru", "pl"}) {
		t.Errorf("e-mail languages = %v", h.EmailLanguages)
	}
}

// TestDescriptionsAreOurOwn fails when an English description repeats seven
// or more consecutive words of the seed page's own sentences.
func TestDescriptionsAreOurOwn(t *testing.T) {
	seed, err := os.ReadFile(testenv.Shared(t, "seed/serving-trafficking-victims.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 7
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		})
	}
	grams := map[string]bool{}
	sw := words(string(seed))
	for i := 0; i+n <= len(sw); i++ {
		grams[strings.Join(sw[i:i+n], " ")] = true
	}
	titles := map[string]bool{}
	for _, r := range MustResources(t) {
		tw := words(r.Title)
		for i := 0; i+n <= len(tw); i++ {
			titles[strings.Join(tw[i:i+n], " ")] = true
		}
	}
	for _, r := range MustResources(t) {
		dw := words(r.Desc["en"])
		for i := 0; i+n <= len(dw); i++ {
			g := strings.Join(dw[i:i+n], " ")
			if grams[g] && !titles[g] {
				t.Errorf("%s: description repeats the seed's words %q", r.ID, g)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"unknown field", `{"entries":[{"id":"a","colour":"red"}]}`, `unknown field "colour"`},
		{"bad kind", `{"entries":[{"id":"a","section":"documents","kind":"poster","title":"T","region":"us","audiences":["ngos"],"topics":["health"],"description":{"en":"x.","es":"y."}}]}`, `kind: unknown value "poster"`},
		{"missing spanish", `{"entries":[{"id":"a","section":"documents","kind":"guide","title":"T","region":"us","audiences":["ngos"],"topics":["health"],"description":{"en":"x."}}]}`, `description.es: is required`},
		{"bad slug", `{"entries":[{"id":"A B"}]}`, `id: must be a lower-case slug`},
		{"duplicate", `{"entries":[` + okEntry + `,` + okEntry + `]}`, `duplicate id "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

const okEntry = `{"id":"a","section":"documents","kind":"guide","title":"T","region":"us","audiences":["ngos"],"topics":["health"],"languages":["en"],"description":{"en":"x.","es":"y."}}`
