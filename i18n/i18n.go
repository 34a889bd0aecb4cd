// Package i18n holds the user-interface strings of Haven in each language it
// speaks, and picks the language for a request.
//
// Each language is an embedded JSON file of key → message. Every key must be
// present in every language; a test enforces it.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

//go:embed messages/*.json
var messageFS embed.FS

// Langs are the supported UI languages, the default first.
var Langs = []string{"en", "es"}

// Default is the language used when nothing else decides.
const Default = "en"

// CookieName holds the language a visitor picked. It is set only when they
// pick one, never on a plain visit.
const CookieName = "lang"

var (
	catalogs = map[string]map[string]string{}
	matcher  language.Matcher
)

func init() {
	tags := make([]language.Tag, len(Langs))
	for i, l := range Langs {
		tags[i] = language.MustParse(l)
		b, err := messageFS.ReadFile(path.Join("messages", l+".json"))
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n messages/%s.json: %v", l, err))
		}
		// A feature may keep its messages apart, in <lang>.<feature>.json,
		// so that work on two features does not edit one file; a key in
		// two files is a mistake.
		more, _ := fs.Glob(messageFS, path.Join("messages", l+".*.json"))
		for _, name := range more {
			b, err := messageFS.ReadFile(name)
			if err != nil {
				panic(err)
			}
			extra := map[string]string{}
			if err := json.Unmarshal(b, &extra); err != nil {
				panic(fmt.Sprintf("i18n %s: %v", name, err))
			}
			for k, v := range extra {
				if _, dup := m[k]; dup {
					panic(fmt.Sprintf("i18n %s: key %q is already in another file", name, k))
				}
				m[k] = v
			}
		}
		catalogs[l] = m
	}
	matcher = language.NewMatcher(tags)
}

// Supported reports whether lang is a UI language.
func Supported(lang string) bool {
	_, ok := catalogs[lang]
	return ok
}

// Keys returns the sorted keys of a language's catalog.
func Keys(lang string) []string {
	var keys []string
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Localizer translates for one language.
type Localizer struct {
	Lang string
}

// New returns a Localizer for lang, or for Default when lang is unsupported.
func New(lang string) *Localizer {
	if !Supported(lang) {
		lang = Default
	}
	return &Localizer{Lang: lang}
}

// T returns the message for key, formatted with args when given. A missing
// key shows itself, which a test catches before it ships.
func (l *Localizer) T(key string, args ...any) string {
	msg, ok := catalogs[l.Lang][key]
	if !ok {
		if msg, ok = catalogs[Default][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// N returns the message for a count: key+".one" when n is 1 and that key
// exists, key otherwise, formatted with n.
func (l *Localizer) N(key string, n int) string {
	if n == 1 && l.Has(key+".one") {
		return l.T(key+".one", n)
	}
	return l.T(key, n)
}

// Has reports whether key exists.
func (l *Localizer) Has(key string) bool {
	_, ok := catalogs[l.Lang][key]
	return ok
}

// Label returns the display label of a facet value, such as
// Label("kind", "pocket-card") → "Pocket card".
func (l *Localizer) Label(facet, value string) string {
	key := facet + "." + value
	if l.Has(key) {
		return l.T(key)
	}
	if facet == "region" || facet == "country" {
		return strings.ToUpper(value)
	}
	return value
}

// FromRequest picks the language for r: the lang query parameter first, then
// the cookie set when the visitor picked a language, then Accept-Language.
func FromRequest(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); Supported(l) {
		return l
	}
	if c, err := r.Cookie(CookieName); err == nil && Supported(c.Value) {
		return c.Value
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, idx, conf := matcher.Match(tags...)
			if conf != language.No {
				return Langs[idx]
			}
		}
	}
	return Default
}

// CategoryLabels returns the labels of taxonomy term codes in every UI
// language, by code ("legal-services": "Legal services", "Servicios
// legales"), from their "category."+code messages; codes without one are
// left out. Spreadsheet readers match categories written by name with it.
func CategoryLabels(codes []string) map[string][]string {
	out := map[string][]string{}
	for _, lang := range Langs {
		l := New(lang)
		for _, c := range codes {
			if key := "category." + c; l.Has(key) {
				out[c] = append(out[c], l.T(key))
			}
		}
	}
	return out
}
