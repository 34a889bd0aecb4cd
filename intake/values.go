package intake

import (
	"strings"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"haven/geo"
	"haven/hsds"
	"haven/phone"
	"haven/weburl"
)

// namespace roots the stable ids intake makes: UUIDv5 under a namespace of
// its own, so that they never collide with ids made for other purposes.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://haven.invalid/intake"))

// StableID returns id itself when it is a UUID, and otherwise the UUIDv5 of
// the source, the table and the original id: the same row of the same
// source gets the same id on every import, so importing again updates
// rather than duplicates, and two sources numbering rows from 1 do not
// collide. Callers keep the original id as an identifier.
func StableID(source, table, id string) string {
	return StableIDs(source)(table, id)
}

// StableIDs returns StableID for one source, with the source's namespace
// worked out once: a reader makes an id for every row.
func StableIDs(source string) func(table, id string) string {
	ns := uuid.NewSHA1(namespace, []byte(strings.ToLower(Clean(source))))
	return func(table, id string) string {
		id = Clean(id)
		if hsds.ValidUUID(id) {
			return strings.ToLower(id)
		}
		return uuid.NewSHA1(ns, []byte(table+"\x00"+id)).String()
	}
}

// Clean trims spaces, including the no-break spaces spreadsheets keep, and
// a byte order mark, from both ends of a value.
func Clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}

// languages maps names, lower case, to ISO 639 codes: the English, Spanish
// and own names of the languages below, as golang.org/x/text knows them,
// and the codes themselves. A name two codes share maps to "".
var languages = func() map[string]string {
	// The languages of the people Haven's directories serve, by ISO 639-1
	// code where there is one; x/text names each in English, Spanish and
	// itself.
	codes := []string{
		"af", "am", "ar", "az", "be", "bg", "bn", "bo", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "es",
		"et", "eu", "fa", "ff", "fi", "fr", "ga", "gl", "gu", "ha", "he", "hi", "hmn", "hr", "ht", "hu", "hy",
		"id", "ig", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "ku", "ky", "lo", "lt", "lv", "mg", "mk",
		"ml", "mn", "mr", "ms", "my", "ne", "nl", "no", "ny", "om", "pa", "pl", "ps", "pt", "qu", "ro", "ru",
		"rw", "sd", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "sv", "sw", "ta", "te", "tg", "th", "ti",
		"tl", "tr", "uk", "ur", "uz", "vi", "wo", "xh", "yi", "yo", "yue", "zh", "zu",
		"ase",                             // American Sign Language
		"mam", "quc", "kek", "tzj", "ixl", // Mayan languages spoken by many newcomers
	}
	m := map[string]string{}
	put := func(name, code string) {
		name = strings.ToLower(Clean(name))
		if name == "" {
			return
		}
		if old, ok := m[name]; ok && old != code {
			m[name] = "" // ambiguous
			return
		}
		m[name] = code
	}
	for _, c := range codes {
		t := language.Make(c)
		put(c, c)
		put(display.English.Languages().Name(t), c)
		put(display.Spanish.Languages().Name(t), c)
		put(display.Self.Name(t), c)
		if b, _ := t.Base(); b.ISO3() != "" {
			put(b.ISO3(), c)
		}
	}
	// Names as they appear in U.S. directories that the tables above
	// spell otherwise.
	for name, code := range map[string]string{
		"haitian": "ht", "kreyol": "ht", "kreyòl": "ht", "kreyol ayisyen": "ht", "creole (haitian)": "ht",
		"farsi": "fa", "mandarin": "zh", "chinese (mandarin)": "zh", "cantonese": "yue", "chinese (cantonese)": "yue",
		"tagalog": "tl", "asl": "ase", "sign language": "ase", "american sign language (asl)": "ase",
		"castellano": "es", "k'iche'": "quc", "kiche": "quc", "q'eqchi'": "kek", "mam": "mam",
	} {
		m[name] = code
	}
	// "Creole" alone names several languages; "Chinese" spoken or written
	// is too vague for a referral only when the source says no more, but
	// zh is the code HSDS data uses for it, so it stays.
	m["creole"] = ""
	m["criollo"] = ""
	return m
}()

// LanguageCode reads a language as people write it ("Spanish", "español",
// "es", "spa", "Haitian Creole") and returns its ISO 639 code. ok is false
// for a name it does not know or that is ambiguous ("Creole"): the caller
// keeps the name as written.
func LanguageCode(name string) (code string, ok bool) {
	key := strings.ToLower(Clean(name))
	key = strings.Join(strings.Fields(key), " ")
	c := languages[key]
	if c == "" {
		// "pt-BR", "zh-Hant": a BCP 47 tag whose primary subtag we know.
		if primary, _, found := strings.Cut(key, "-"); found {
			if c = languages[primary]; c != "" && len(primary) <= 3 {
				return c + key[len(primary):], true
			}
		}
		return "", false
	}
	return c, true
}

// Phone reads a phone number as written ("(979) 555-0101 ext. 12") with
// region the country assumed without a country code, and returns it in
// E.164 with its extension apart. ok is false when it does not read as a
// number; callers keep the text as given.
func Phone(text, region string) (number, ext string, ok bool) {
	return phone.Parse(text, region)
}

// WebURL reads a web address as people write it: "www.example.org" and
// "example.org/help" become https:// addresses. ok is false for text that
// is not a web address even so.
func WebURL(s string) (string, bool) {
	s = Clean(s)
	if s == "" || strings.ContainsAny(s, " \t\n") {
		return "", false
	}
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(s, "@") || !strings.Contains(s, ".") {
			return "", false
		}
		s = "https://" + s
	}
	if weburl.WebProblem(s) != "" {
		return "", false
	}
	return s, true
}

// USState reads a U.S. state as people write it ("FL ", "Florida",
// "florida") and returns its USPS code.
func USState(s string) (code string, ok bool) {
	s = Clean(s)
	if st, ok := geo.StateByCode(s); ok {
		return st.Code, true
	}
	for _, st := range geo.States {
		if strings.EqualFold(st.Name, s) || strings.EqualFold(st.NameES, s) {
			return st.Code, true
		}
	}
	return "", false
}
