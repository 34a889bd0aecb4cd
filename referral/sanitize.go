package referral

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cp1252Extra lists the runes above U+00FF that Windows-1252 (the encoding
// of the PDF core fonts as used here) can represent, in bytes 0x80–0x9F.
var cp1252Extra = map[rune]bool{
	'€': true, '‚': true, 'ƒ': true, '„': true, '…': true, '†': true,
	'‡': true, 'ˆ': true, '‰': true, 'Š': true, '‹': true, 'Œ': true,
	'Ž': true, '‘': true, '’': true, '“': true, '”': true, '•': true,
	'–': true, '—': true, '˜': true, '™': true, 'š': true, '›': true,
	'œ': true, 'ž': true, 'Ÿ': true,
}

// inCP1252 reports whether r is a printable character of Windows-1252.
func inCP1252(r rune) bool {
	switch {
	case r >= 0x20 && r < 0x7F:
		return true
	case r >= 0xA0 && r <= 0xFF:
		return r != 0xAD // soft hyphen: viewers disagree on drawing it
	default:
		return cp1252Extra[r]
	}
}

// cp1252Safe returns s as UTF-8 text that contains only printable
// Windows-1252 characters, so that fpdf's cp1252 translator maps every rune
// to the right byte. Text is first put in NFC, so that a decomposed "n" plus
// combining tilde becomes "ñ". Unicode spaces become a plain space and
// hyphen variants a hyphen-minus; zero-width and other invisible format
// characters, leftover combining marks and control characters are dropped;
// any other character, including invalid UTF-8, becomes "?".
//
// With multiline, line breaks ("\n", "\r\n", "\r", U+2028, U+2029) are kept
// as "\n", trailing spaces are removed from each line and leading and
// trailing blank lines are removed. Without it, line breaks become spaces.
// The result never starts or ends with white space.
func cp1252Safe(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // "\r\n": the "\n" follows
			}
			b.WriteByte(lineBreak(multiline))
		case r == '\n' || r == '\u2028' || r == '\u2029':
			b.WriteByte(lineBreak(multiline))
		case r == '\t':
			b.WriteByte(' ')
		case inCP1252(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2212':
			b.WriteByte('-')
		case r == '\u2015':
			b.WriteRune('—')
		case r == '\u2032':
			b.WriteByte('\'')
		case r == '\u2033':
			b.WriteByte('"')
		case r == 0xAD, unicode.IsControl(r), unicode.Is(unicode.Cf, r),
			unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r),
			unicode.Is(unicode.Variation_Selector, r):
			// invisible: drop
		default:
			b.WriteByte('?')
		}
	}
	out := b.String()
	if !multiline {
		return strings.TrimSpace(out)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \u00a0")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n \u00a0")
}

func lineBreak(multiline bool) byte {
	if multiline {
		return '\n'
	}
	return ' '
}
