package intake

import (
	"testing"

	"haven/weburl"
)

// FuzzValues reads arbitrary text as each kind of value: nothing panics, a
// web address it accepts is one Haven accepts, and a language code it
// returns reads back as itself.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"www.example.org", "Spanish", "(979) 555-0101 ext. 12", "FL ", "pt-BR", "\uFEFF x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if u, ok := WebURL(s); ok && weburl.WebProblem(u) != "" {
			t.Errorf("WebURL(%q) accepted %q", s, u)
		}
		if c, ok := LanguageCode(s); ok {
			if back, ok := LanguageCode(c); !ok || back != c {
				t.Errorf("LanguageCode(%q) = %q, which reads back as %q", s, c, back)
			}
		}
		Phone(s, "US")
		USState(s)
		StableID("src", "t", s)
	})
}
