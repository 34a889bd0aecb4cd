// Package learning holds the learning pages' starting content — Understand
// Victims, Help Victims Heal, Consider Culture and Diversity — as Markdown in
// English and Spanish, and renders Markdown safely.
package learning

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"haven"
)

//go:embed content
var content embed.FS

type manifest struct {
	Sections []haven.LearningSection `json:"sections"`
	Pages    []*haven.LearningPage   `json:"pages"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load returns the sections and the pages, each page's Markdown read from
// content/<slug>.<lang>.md, or an error naming what is missing.
// The content is embedded, so it is parsed once; callers must not modify
// what Load returns.
func Load() ([]haven.LearningSection, []*haven.LearningPage, error) {
	r := loaded()
	return r.sections, r.pages, r.err
}

type loadResult struct {
	sections []haven.LearningSection
	pages    []*haven.LearningPage
	err      error
}

var loaded = sync.OnceValue(func() loadResult {
	sub, err := fs.Sub(content, "content")
	if err != nil {
		return loadResult{err: err}
	}
	sections, pages, err := load(sub)
	return loadResult{sections, pages, err}
})

func load(fsys fs.FS) ([]haven.LearningSection, []*haven.LearningPage, error) {
	b, err := fs.ReadFile(fsys, "pages.json")
	if err != nil {
		return nil, nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("learning pages.json: %w", err)
	}
	pos := map[string]int{}
	seen := map[string]bool{}
	for _, p := range m.Pages {
		if !slugRE.MatchString(p.Slug) || seen[p.Slug] {
			return nil, nil, fmt.Errorf("learning pages.json: bad or repeated slug %q", p.Slug)
		}
		seen[p.Slug] = true
		if !slices.Contains(haven.LearningSections, p.Section) {
			return nil, nil, fmt.Errorf("learning page %s: unknown section %q", p.Slug, p.Section)
		}
		pos[p.Section]++
		p.Position = pos[p.Section]
		p.Body = haven.Localized{}
		for _, lang := range []string{"en", "es"} {
			md, err := fs.ReadFile(fsys, p.Slug+"."+lang+".md")
			if err != nil || len(bytes.TrimSpace(md)) == 0 {
				return nil, nil, fmt.Errorf("learning page %s: no %s text (content/%s.%s.md)", p.Slug, lang, p.Slug, lang)
			}
			if p.Title[lang] == "" || p.Summary[lang] == "" {
				return nil, nil, fmt.Errorf("learning page %s: no %s title or summary", p.Slug, lang)
			}
			p.Body[lang] = string(md)
		}
	}
	return m.Sections, m.Pages, nil
}

var (
	// Raw HTML stays off (goldmark's default): curators write Markdown, and
	// whatever HTML it makes is sanitized once more before it is shown.
	md     = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough))
	policy = bluemonday.UGCPolicy()
)

// Render turns Markdown into sanitized HTML, safe to put in a page.
func Render(markdown string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(markdown), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(markdown))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}
