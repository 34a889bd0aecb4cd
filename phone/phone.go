// Package phone reads the phone numbers people type and writes them the
// way Haven stores and shows them: stored in E.164 with the extension apart
// (HSDS phone's number and extension), shown in the national format of the
// reader's country, dialed through a tel: URI of the E.164 number. It is
// the one package that uses github.com/nyaruka/phonenumbers.
package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the country assumed for a number written without its
// country code when the record names none.
const DefaultRegion = "US"

// Parse reads a number as typed ("979-555-0101 x12", "+52 55 5555 1234")
// with region the country assumed when it has no country code. ok is false
// for text that is not a possible number of that plan.
func Parse(text, region string) (number, ext string, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", "", false
	}
	if region == "" {
		region = DefaultRegion
	}
	n, err := phonenumbers.Parse(text, strings.ToUpper(region))
	// A number dialable only locally (seven U.S. digits) has no E.164 form.
	if err != nil || phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE {
		return "", "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), n.GetExtension(), true
}

// Text is the one-line form of a stored number and extension, as forms and
// the audit trail show it: "+19795550101 ext. 12".
func Text(number, ext string) string {
	if ext == "" {
		return number
	}
	return number + " ext. " + ext
}

// Normalize reads typed text (see Parse) and returns its Text form.
func Normalize(text, region string) (string, bool) {
	n, ext, ok := Parse(text, region)
	return Text(n, ext), ok
}

// Split is the inverse of Text: it separates a trailing " ext. N".
func Split(text string) (number, ext string) {
	if i := strings.LastIndex(text, " ext. "); i >= 0 {
		return text[:i], text[i+len(" ext. "):]
	}
	return text, ""
}

// Display writes a number for a reader in country from (an ISO 3166
// code): in national format when the number shares that country's calling
// code — "(979) 555-0101 ext. 12" — and in international format otherwise. Text
// it cannot read (numbers imported as given) comes back as it is.
func Display(text, from string) string {
	number, ext := Split(text)
	// One parse, the same test as Parse's: pages show many numbers.
	n, err := phonenumbers.Parse(strings.TrimSpace(number), DefaultRegion)
	if strings.TrimSpace(number) == "" || err != nil || phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE {
		return text // as the source gave it: shown so, saved back unchanged
	}
	if ext != "" {
		n.Extension = &ext
	}
	// Numbers of the same calling code (the North American plan's +1 for
	// the U.S., Canada, Puerto Rico…) are dialed as national ones.
	if int(n.GetCountryCode()) == phonenumbers.GetCountryCodeForRegion(strings.ToUpper(from)) {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// Dial returns the digits a tel: URI dials for a number: the E.164 number
// of one written with its country code, else the digits of the text (a
// hotline's national number, which no region is known for), with a leading
// +; the extension is left out, for phones that cannot dial it.
func Dial(text string) string {
	number, _ := Split(text)
	if strings.HasPrefix(strings.TrimSpace(number), "+") {
		if n, _, ok := Parse(number, DefaultRegion); ok {
			return n
		}
	}
	var b strings.Builder
	for i, r := range strings.TrimSpace(number) {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
