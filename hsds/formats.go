package hsds

import (
	"fmt"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits applied to every input.
const (
	// MaxTextBytes is the longest text value accepted in any field (64 KiB).
	MaxTextBytes = 64 << 10
	// MaxDepth is the deepest nesting of JSON arrays and objects accepted,
	// counted from the top of the document.
	MaxDepth = 64
)

// parseUUID accepts only the canonical 36-character hyphenated form
// (either case). uuid.Parse alone also takes braces, "urn:uuid:" prefixes
// and 32 bare hex digits, which would let two spellings of one id through.
func parseUUID(s string) (uuid.UUID, bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return uuid.UUID{}, false
	}
	u, err := uuid.Parse(s)
	return u, err == nil
}

// ValidUUID reports whether s is a UUID written as 36 hyphenated hex digits.
func ValidUUID(s string) bool {
	_, ok := parseUUID(s)
	return ok
}

// sameID compares two ids as UUIDs when both are ones (so case does not
// matter), else as text.
func sameID(a, b string) bool {
	if a == b {
		return true
	}
	ua, ok1 := parseUUID(a)
	ub, ok2 := parseUUID(b)
	return ok1 && ok2 && ua == ub
}

// idKey is the form of an id used as a map key: lower case, so that two
// spellings of one UUID meet.
func idKey(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func validDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func validDateTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// validTime accepts HH:MM, HH:MM:SS and HH:MM:SS.fff, each optionally
// followed by Z or an offset ±HH:MM. The schema asks for a time zone but its
// own example ("10:00:00") has none, so none is required.
func validTime(s string) bool {
	clock, zone := s, ""
	if i := strings.IndexAny(s, "Zz+-"); i >= 0 {
		clock, zone = s[:i], s[i:]
	}
	if zone != "" && zone != "Z" && zone != "z" {
		if len(zone) != 6 || zone[3] != ':' || !twoDigits(zone[1:3], 23) || !twoDigits(zone[4:6], 59) {
			return false
		}
	}
	frac := ""
	if i := strings.IndexByte(clock, '.'); i >= 0 {
		clock, frac = clock[:i], clock[i+1:]
		if frac == "" || len(clock) != 8 || !allDigits(frac) {
			return false
		}
	}
	switch len(clock) {
	case 5:
		return clock[2] == ':' && twoDigits(clock[:2], 23) && twoDigits(clock[3:], 59)
	case 8:
		// 60 allows a leap second.
		return clock[2] == ':' && clock[5] == ':' && twoDigits(clock[:2], 23) &&
			twoDigits(clock[3:5], 59) && twoDigits(clock[6:], 60)
	}
	return false
}

func twoDigits(s string, max int) bool {
	if len(s) != 2 || !allDigits(s) {
		return false
	}
	return int(s[0]-'0')*10+int(s[1]-'0') <= max
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validEmail accepts a bare RFC 5322 address (no display name, no angle
// brackets) whose domain has a dot-free-or-dotted label form.
func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return domain != "" && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.Contains(domain, "..")
}

// validLanguageCode accepts an ISO 639-1/2/3 code (2 or 3 letters), optionally
// followed by BCP 47 subtags ("en", "eng", "pt-BR", "zh-Hant"): the schema asks
// for ISO 639 but real data often carries a region, which does no harm.
func validLanguageCode(s string) bool {
	primary, rest, _ := strings.Cut(s, "-")
	if len(primary) < 2 || len(primary) > 3 || !allLetters(primary) {
		return false
	}
	if rest == "" {
		return !strings.HasSuffix(s, "-")
	}
	for sub := range strings.SplitSeq(rest, "-") {
		if len(sub) < 1 || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			c := sub[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func upperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

var weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// checkByDay checks an RFC 5545 BYDAY list: "MO,TU" or, with an ordinal,
// "2MO,-1FR".
func checkByDay(s string) string {
	for part := range strings.SplitSeq(s, ",") {
		if len(part) < 2 {
			return fmt.Sprintf("%s is not a day such as MO or -1FR", quote(part))
		}
		day, ord := part[len(part)-2:], part[:len(part)-2]
		if !oneOf(day, weekdays) {
			return fmt.Sprintf("%s is not a day such as MO or -1FR", quote(part))
		}
		if ord != "" {
			n, err := strconv.Atoi(ord)
			if err != nil || n == 0 || n < -53 || n > 53 || strings.HasPrefix(ord, "+-") {
				return fmt.Sprintf("%s has a bad ordinal (want ±1..53)", quote(part))
			}
		}
	}
	return ""
}

// checkIntList checks an RFC 5545 list of non-zero integers within ±max
// (BYMONTHDAY, BYYEARDAY, BYWEEKNO).
func checkIntList(s string, max int) string {
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(part)
		if err != nil || n == 0 || n < -max || n > max {
			return fmt.Sprintf("%s is not a whole number in ±1..%d", quote(part), max)
		}
	}
	return ""
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// parseNumber reads a tabular number cell: decimal notation only, as JSON
// writes numbers (so no NaN, Inf, hex or digit separators).
func parseNumber(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// formatNumber writes a number the way encoding/json does, so the tabular
// and JSON forms agree.
func formatNumber(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// parseBool reads a tabular boolean cell with the Frictionless default
// true and false values.
func parseBool(s string) (bool, bool) {
	switch s {
	case "true", "True", "TRUE", "1":
		return true, true
	case "false", "False", "FALSE", "0":
		return false, true
	}
	return false, false
}

// quote shows a value in a message, shortened so that a 1 MB field does not
// make a 1 MB error.
func quote(s string) string {
	const max = 60
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
