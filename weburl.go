package haven

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxURLLength bounds a stored address; longer ones are not real links.
const MaxURLLength = 2048

// CheckWebURL returns raw without surrounding spaces when it is a web
// address Haven may show as a link and its link checker may visit: http or
// https, with a host, and no user name, password, space, control character
// or backslash. Otherwise it returns an EINVALID error naming field.
//
// Every place a web address comes in (curator forms, accepted suggestions,
// resources, HSDS import) checks it here, so that a javascript: or data:
// address never reaches a page, and "https://bank.example@evil.example" or
// "https:\\evil.example" never reach a visitor.
func CheckWebURL(field, raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if p := webURLProblem(s); p != "" {
		return "", Errorf(EINVALID, "%s: %s", field, p)
	}
	return s, nil
}

// webURLProblem says why s is not a web address CheckWebURL accepts, or "".
func webURLProblem(s string) string {
	if p := urlProblem(s); p != "" {
		return p
	}
	u, _ := url.Parse(s) // urlProblem parsed it
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		if u.Scheme == "" {
			return quoteURL(s) + " is not a full web address; give one starting with https://"
		}
		return u.Scheme + ": addresses are not allowed; give a web address starting with https://"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return quoteURL(s) + " has no host; give a web address such as https://example.org/"
	case u.User != nil:
		// "https://bank.example@evil.example" reads as the bank's address
		// and leads to evil.example.
		return quoteURL(s) + " carries a user name; give the address without one"
	}
	return ""
}

// CheckURI returns raw without surrounding spaces when it is an absolute URI
// fit for an identifier (HSDS's uri and term_uri): any scheme (https:,
// urn:, mailto:, tel:) except those that run code or carry a document of
// their own (javascript:, vbscript:, data:, file:, blob:, filesystem:).
// Otherwise it returns an EINVALID error naming field.
func CheckURI(field, raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if p := urlProblem(s); p != "" {
		return "", Errorf(EINVALID, "%s: %s", field, p)
	}
	u, _ := url.Parse(s)
	switch u.Scheme {
	case "":
		return "", Errorf(EINVALID, "%s: %s is not an absolute URI (such as https://example.org/)", field, quoteURL(s))
	case "javascript", "vbscript", "data", "file", "blob", "filesystem":
		return "", Errorf(EINVALID, "%s: %s addresses are not allowed", field, u.Scheme+":")
	case "http", "https":
		return CheckWebURL(field, s)
	}
	return s, nil
}

// urlProblem says what makes s unusable as any address, or "".
func urlProblem(s string) string {
	if s == "" {
		return "an address is required"
	}
	if len(s) > MaxURLLength {
		return fmt.Sprintf("an address of %d bytes is longer than the limit of %d", len(s), MaxURLLength)
	}
	for _, r := range s {
		// Browsers drop tabs and newlines and read "\" as "/": what they
		// would follow is not what a curator sees.
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\\' {
			return fmt.Sprintf("%s contains a space, a control character or a backslash", quoteURL(s))
		}
	}
	if _, err := url.Parse(s); err != nil {
		return fmt.Sprintf("%s is not a valid address", quoteURL(s))
	}
	return ""
}

// quoteURL quotes an address for a message, shortened when long.
func quoteURL(s string) string {
	if len(s) > 80 {
		i := 80
		for i > 0 && s[i]&0xC0 == 0x80 {
			i--
		}
		s = s[:i] + "…"
	}
	return fmt.Sprintf("%q", s)
}
