package analyze

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Screening Tool for Victims", []string{"screening", "tool", "for", "victims"}},
		{"T visa", []string{"t", "visa"}},
		{"women's health", []string{"womens", "health"}},
		{"Human Rights and Trafficking in Persons—A Handbook", []string{"human", "rights", "and", "trafficking", "in", "persons", "a", "handbook"}},
		{"¿Dónde está el refugio?", []string{"dónde", "está", "el", "refugio"}},
		{"1-888-373-7888", []string{"1", "888", "373", "7888"}},
		{"", nil},
		{"\xff\xfebad", []string{"bad"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMatches checks that a query word meets the document words a person
// would expect it to, across stemming, accents and spelling variants.
func TestMatches(t *testing.T) {
	tests := []struct {
		query, doc string
		want       bool
	}{
		{"screen", "Screening", true},
		{"counseling", "counselling", true},
		{"nina", "Niñas", true},
		{"niñas", "nina", true},
		{"informacion", "información", true},
		{"policía", "policia", true},
		{"detección", "detecciones", true},
		{"victim", "víctimas", true},
		{"trafficked", "trafficking", true},
		{"T", "T visa", true},
		{"shelter", "health", false},
		{"visa", "housing", false},
	}
	for _, tt := range tests {
		q := ParseQuery(tt.query)
		terms := Terms(tt.doc)
		got := !q.Empty()
		for _, group := range q {
			hit := false
			for _, f := range group {
				hit = hit || slices.Contains(terms, f)
			}
			got = got && hit
		}
		if got != tt.want {
			t.Errorf("query %q vs doc %q: match = %v, want %v (query %q, terms %q)", tt.query, tt.doc, got, tt.want, q, terms)
		}
	}
}

func TestParseQueryDropsStopWords(t *testing.T) {
	if q := ParseQuery("the guide for the police"); len(q) != 2 {
		t.Errorf("got %q, want the groups for guide and police", q)
	}
	if q := ParseQuery("de la"); !q.Empty() {
		t.Errorf("a query of stop words should be empty, got %q", q)
	}
	if q := ParseQuery("visa visas"); len(q) != 1 {
		t.Errorf("repeated words should give one group, got %q", q)
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Screening Tool", "niñas", "T visa", "\xff", "a'b'c", "’x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range Terms(s) {
			if term == "" {
				t.Fatalf("empty term from %q", s)
			}
		}
		_ = ParseQuery(s)
	})
}

func BenchmarkTerms(b *testing.B) {
	text := "Legal services for survivors of labor and sex trafficking, including T visa applications. Servicios legales para sobrevivientes de trata."
	b.ReportAllocs()
	for b.Loop() {
		Terms(text)
	}
}

// BenchmarkParseQuery is the analysis every search starts with.
func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ParseQuery("Servicios legales T visa niñas")
	}
}
