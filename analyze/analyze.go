// Package analyze turns text into search terms. Every search engine in Haven
// (SQLite, PostgreSQL and the in-memory index) indexes and queries the terms
// made here, so that all of them agree on what matches.
//
// A word is lower-cased, split from its neighbours, and stemmed in English
// and in Spanish; each stem is also folded to plain letters ("Niñas" and
// "ninas" meet). A word yields every form it could take, and a query word
// matches a document when any of its forms is among the document's terms.
package analyze

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/spanish"
	"golang.org/x/text/unicode/norm"
)

// MaxTokenLen bounds a token; longer runs of letters are not words anyone
// searches for, and they would bloat the index.
const MaxTokenLen = 64

// Fold lower-cases s and strips diacritics: "Niñas Víctimas" → "ninas victimas".
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s) // the common case, and it needs no tables
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// Tokens splits s into lower-case words. Apostrophes inside a word are
// dropped ("women's" → "womens", "don't" → "dont") so that they do not leave
// stray one-letter tokens behind; a real one-letter word such as the "T" of
// "T visa" stays a token.
func Tokens(s string) []string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			if tok := b.String(); utf8.RuneCountInString(tok) <= MaxTokenLen {
				toks = append(toks, tok)
			}
			b.Reset()
		}
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && b.Len() > 0 && nextIsLetter(s[i+utf8.RuneLen(r):]):
			// inside a word: skip it
		default:
			flush()
		}
	}
	flush()
	return toks
}

func nextIsLetter(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return rest != "" && unicode.IsLetter(r)
}

// formsCache remembers the forms of words already seen: stemming is the
// costliest step, and a directory's vocabulary is far smaller than its text.
var formsCache = struct {
	sync.RWMutex
	m map[string][]string
}{m: map[string][]string{}}

// maxCachedWords bounds the cache; words past it are stemmed every time.
const maxCachedWords = 200_000

// Forms returns the terms one word stands for: its English stem and its
// Spanish stems, folded, without repeats. It returns nil for a stop word.
// The result is shared: callers must not modify it.
func Forms(word string) []string {
	formsCache.RLock()
	f, ok := formsCache.m[word]
	formsCache.RUnlock()
	if ok {
		return f
	}
	f = forms(word)
	formsCache.Lock()
	if len(formsCache.m) < maxCachedWords {
		formsCache.m[word] = f
	}
	formsCache.Unlock()
	return f
}

func forms(word string) []string {
	folded := Fold(word)
	if IsStopWord(folded) {
		return nil
	}
	forms := make([]string, 0, 3)
	add := func(f string) {
		f = Fold(f)
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	add(english.Stem(folded, true))
	// The Spanish stemmer reads accents ("información" → "inform"), while
	// people often type without them ("informacion" → "informacion"): keep
	// both stems so that either spelling finds the other.
	add(spanish.Stem(word, true))
	add(spanish.Stem(folded, true))
	return forms
}

// Terms returns the distinct index terms of a text, in first-seen order.
func Terms(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, tok := range Tokens(text) {
		for _, f := range Forms(tok) {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// Query is an analyzed search: every group must match, and a group matches
// when the document holds any one of its terms.
type Query [][]string

// ParseQuery analyzes what a visitor typed. Stop words are dropped; a query
// of stop words only is empty.
func ParseQuery(q string) Query {
	var out Query
	seen := map[string]bool{}
	for _, tok := range Tokens(q) {
		forms := Forms(tok)
		if len(forms) == 0 {
			continue
		}
		key := strings.Join(forms, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, forms)
	}
	return out
}

// Empty reports whether the query has no terms.
func (q Query) Empty() bool { return len(q) == 0 }

// IsStopWord reports whether a folded word is too common in English or
// Spanish to search for. One-letter words that carry meaning in this field
// ("T visa", "U visa") are not stop words.
func IsStopWord(folded string) bool {
	return stopWords[folded]
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopList) {
		m[Fold(w)] = true
	}
	return m
}()

// stopList is the snowball English and Spanish lists, less the one-letter
// words "t" and "s" (after apostrophes are dropped they only stand alone as
// real letters), and less words that are also meaningful terms here.
const stopList = `
a about above after again against all am an and any are as at be because been
before being below between both but by can did do does doing down during each
few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself nor not now
of off on once only or other our ours ourselves out over own same she should
so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where
which while who whom why will with you your yours yourself yourselves
de la que el en y los del se las por un para con una su al lo como mas pero
sus le ya o este si porque esta entre cuando muy sin sobre tambien me hasta
hay donde quien desde todo nos durante todos uno les ni contra otros ese eso
ante ellos e esto mi antes algunos unos yo otro otras otra tanto esa estos
mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mis
tu te ti tus ellas nosotras os esos esas es son ha han fue ser
`
