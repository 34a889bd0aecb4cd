package learning

import (
	"strings"
	"testing"
	"testing/fstest"

	"haven"
)

func TestContentComplete(t *testing.T) {
	sections, pages, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(sections) != 3 {
		t.Errorf("%d sections, want 3", len(sections))
	}
	count := map[string]int{}
	for _, p := range pages {
		count[p.Section]++
		for _, lang := range []string{"en", "es"} {
			if strings.Count(p.Body[lang], "\n## ") < 2 && !strings.HasPrefix(p.Body[lang], "## ") {
				t.Errorf("%s.%s has fewer than two headings", p.Slug, lang)
			}
			if strings.Contains(p.Body[lang], "<") {
				t.Errorf("%s.%s holds raw HTML", p.Slug, lang)
			}
		}
		if p.Body["en"] == p.Body["es"] {
			t.Errorf("%s: the Spanish text is the English one", p.Slug)
		}
		if len(p.Cites) == 0 {
			t.Errorf("%s cites no library entry", p.Slug)
		}
	}
	for _, s := range haven.LearningSections {
		if count[s] < 2 || count[s] > 4 {
			t.Errorf("section %s has %d pages, want 2 to 4", s, count[s])
		}
	}
}

// TestMissingSpanishFails checks a page without its Spanish text is refused.
func TestMissingSpanishFails(t *testing.T) {
	fsys := fstest.MapFS{
		"pages.json": {Data: []byte(`{"sections":[],"pages":[{"slug":"a","section":"heal","title":{"en":"A","es":"A"},"summary":{"en":"s","es":"s"},"reviewed":"2026-01-01","cites":[]}]}`)},
		"a.en.md":    {Data: []byte("## One\n\ntext")},
	}
	if _, _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "no es text") {
		t.Errorf("load = %v, want it to name the missing Spanish text", err)
	}
	fsys["a.es.md"] = &fstest.MapFile{Data: []byte("## Uno\n\ntexto")}
	if _, _, err := load(fsys); err != nil {
		t.Errorf("with both languages: %v", err)
	}
}

func TestRenderIsSafe(t *testing.T) {
	tests := []struct {
		md      string
		want    []string
		mustNot []string
	}{
		{"## Heading\n\n- one\n- two", []string{"<h2", "Heading</h2>", "<li>one</li>"}, nil},
		{"<script>alert(1)</script>\n\ntext", []string{"text"}, []string{"<script"}},
		{"[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{`<img src=x onerror=alert(1)>`, nil, []string{"onerror", "<img"}},
		{"[hotline](/resources/national-human-trafficking-hotline)", []string{`href="/resources/national-human-trafficking-hotline"`}, nil},
	}
	for _, tt := range tests {
		got := string(Render(tt.md))
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("Render(%q) = %q, lacks %q", tt.md, got, w)
			}
		}
		for _, w := range tt.mustNot {
			if strings.Contains(got, w) {
				t.Errorf("Render(%q) = %q, holds %q", tt.md, got, w)
			}
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("## a\n\n- b\n\n[c](/d)")
	f.Add("<script>x</script>")
	f.Fuzz(func(t *testing.T, md string) {
		if strings.Contains(strings.ToLower(string(Render(md))), "<script") {
			t.Fatalf("script survived: %q", md)
		}
	})
}
