package haven

import (
	"strings"

	"haven/weburl"
)

// MaxURLLength bounds a stored address; longer ones are not real links.
const MaxURLLength = weburl.MaxLength

// CheckWebURL returns raw without surrounding spaces when it is a web
// address Haven may show as a link and its link checker may visit: http or
// https, with a host, and no user name, password, space, control character
// or backslash. Otherwise it returns an EINVALID error naming field.
//
// Every place a web address comes in (curator forms, accepted suggestions,
// resources, HSDS import) checks it with package weburl, so that a
// javascript: or data: address never reaches a page, and
// "https://bank.example@evil.example" or "https:\\evil.example" never reach
// a visitor.
func CheckWebURL(field, raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if p := weburl.WebProblem(s); p != "" {
		return "", Errorf(EINVALID, "%s: %s", field, p)
	}
	return s, nil
}

// CheckURI returns raw without surrounding spaces when it is an absolute URI
// fit for an identifier (HSDS's uri and term_uri): any scheme (https:,
// urn:, mailto:, tel:) except those that run code or carry a document of
// their own (javascript:, vbscript:, data:, file:, blob:, filesystem:).
// Otherwise it returns an EINVALID error naming field.
func CheckURI(field, raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if p := weburl.URIProblem(s); p != "" {
		return "", Errorf(EINVALID, "%s: %s", field, p)
	}
	return s, nil
}
