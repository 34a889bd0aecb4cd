package http

import (
	"io/fs"
	"net/url"
	"regexp"
	"testing"

	"haven"
	"haven/i18n"
)

var templateKey = regexp.MustCompile(`\.L\.[TN] "([^"]+)"`)

// TestTemplateKeys fails when a template uses a message key that is missing
// from a language's catalog; a missing key would show as raw text.
func TestTemplateKeys(t *testing.T) {
	names, _ := fs.Glob(assets, "templates/*.html")
	for _, n := range names {
		b, _ := fs.ReadFile(assets, n)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			for _, lang := range i18n.Langs {
				if !i18n.New(lang).Has(m[1]) {
					t.Errorf("%s uses key %q, missing in %s", n, m[1], lang)
				}
			}
		}
	}
	// Keys built at run time.
	for _, key := range []string{"error.title.400", "error.title.404", "error.title.500"} {
		for _, lang := range i18n.Langs {
			if !i18n.New(lang).Has(key) {
				t.Errorf("key %q missing in %s", key, lang)
			}
		}
	}
	for _, s := range haven.Sections {
		if !i18n.New("es").Has("section." + s) {
			t.Errorf("section.%s has no label", s)
		}
	}
}

// FuzzParseResourceFilter checks the query parser never panics and never
// lets an unknown value or out-of-range page through.
func FuzzParseResourceFilter(f *testing.F) {
	for _, s := range []string{"q=visa", "section=websites&page=2", "per_page=-1", "kind=%ff", "q=" + string([]byte{0xff}), "page=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, page, perPage, err := parseResourceFilter(q, defaultPerPage)
		if err != nil {
			if haven.ErrorCode(err) != haven.EINVALID {
				t.Fatalf("error without EINVALID: %v", err)
			}
			return
		}
		if page < 1 || perPage < 1 || perPage > maxPerPage || flt.Offset < 0 {
			t.Fatalf("bad paging: page %d per_page %d offset %d", page, perPage, flt.Offset)
		}
		for facet, v := range map[string]string{"section": flt.Section, "kind": flt.Kind, "audience": flt.Audience, "topic": flt.Topic, "region": flt.Region} {
			if v != "" && !haven.ValidValue(facet, v) {
				t.Fatalf("unknown %s %q accepted", facet, v)
			}
		}
	})
}
