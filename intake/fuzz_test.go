package intake

import (
	"regexp"
	"slices"
	"strings"
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

// FuzzMatchHeader: any column name matches one field or none, the same
// however it is spaced or cased.
func FuzzMatchHeader(f *testing.F) {
	for _, s := range []string{"Agency Name ", "¿A quién sirve?", "Teléfono(s)", "E-mail", "Código Postal", "Main Phone #"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MatchHeader(s)
		if got != "" && !slices.Contains(Fields, got) {
			t.Fatalf("MatchHeader(%q) = %q, not a field", s, got)
		}
		if again := MatchHeader("  " + strings.ToUpper(s) + " "); strings.ToLower(strings.ToUpper(s)) == strings.ToLower(s) && again != got {
			t.Fatalf("MatchHeader(%q) = %q but upper-cased %q", s, got, again)
		}
	})
}

// FuzzParseHours: hours that parse give weekly schedules whose times are
// real and in order.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"Mon-Fri 9am-5pm", "Tue & Thu 10:00-16:00", "24/7", "Lunes a viernes 9-17", "Mon-Fri 9-12, 1-5",
		"By appointment, call first", "lun-vie 8 a 16; sáb 9 a 13", "Sat noon to 6pm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scheds, ok := ParseHours(s)
		if !ok {
			return
		}
		if len(scheds) == 0 {
			t.Fatalf("ParseHours(%q) read no schedule", s)
		}
		for _, sc := range scheds {
			if sc.Freq != "WEEKLY" || sc.ByDay == "" || !hhmm.MatchString(sc.OpensAt) || !hhmm.MatchString(sc.ClosesAt) || sc.ClosesAt <= sc.OpensAt {
				t.Fatalf("ParseHours(%q) = %+v", s, sc)
			}
		}
	})
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
