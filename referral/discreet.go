package referral

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// revealing matches, in text folded to lower case without accents, the
// words a discreet sheet must not carry: trafficking and hotlines, in
// English and Spanish. Stems match inside words ("antitrafficking",
// "traficantes", "hotlines"); "trata" only as a word, since it also begins
// "tratamiento" (treatment).
var revealing = regexp.MustCompile(`traffick|trafic|\btratas?\b|hot ?lines?|helplines?|linea(s)? (directa|de ayuda|de emergencia)`)

// Revealing reports whether text names trafficking or a hotline, in English
// or Spanish: a discreet sheet, for a person who may be searched, leaves
// such text out.
func Revealing(text string) bool {
	return revealing.MatchString(fold(text))
}

// fold lowers text and strips its accents ("Línea" → "linea").
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}
