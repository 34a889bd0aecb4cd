// Package weburl says whether a string is an address Haven may store and
// show: a web address (http or https) or an identifier URI. It is a leaf
// package, so that the HSDS reader and the domain share one rule.
package weburl

import (
	"fmt"
	"net/url"
)

// MaxLength bounds a stored address; longer ones are not real links.
const MaxLength = 2048

// WebProblem says why s is not a web address Haven may show as a link and
// its link checker may visit (http or https, with a host, and no user name,
// password, space, control character or backslash), or "" when it is.
func WebProblem(s string) string {
	if p := problem(s); p != "" {
		return p
	}
	u, _ := url.Parse(s) // problem parsed it
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		if u.Scheme == "" {
			return Quote(s) + " is not a full web address; give one starting with https://"
		}
		return u.Scheme + ": addresses are not allowed; give a web address starting with https://"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return Quote(s) + " has no host; give a web address such as https://example.org/"
	case u.User != nil:
		// "https://bank.example@evil.example" reads as the bank's address
		// and leads to evil.example.
		return Quote(s) + " carries a user name; give the address without one"
	}
	return ""
}

// URIProblem says why s is not an absolute URI fit for an identifier (any
// scheme except those that run code or carry a document of their own), or
// "" when it is. An http or https URI must also pass WebProblem.
func URIProblem(s string) string {
	if p := problem(s); p != "" {
		return p
	}
	u, _ := url.Parse(s)
	switch u.Scheme {
	case "":
		return fmt.Sprintf("%s is not an absolute URI (such as https://example.org/)", Quote(s))
	case "javascript", "vbscript", "data", "file", "blob", "filesystem":
		return u.Scheme + ": addresses are not allowed"
	case "http", "https":
		return WebProblem(s)
	}
	return ""
}

// problem says what makes s unusable as any address, or "".
func problem(s string) string {
	if s == "" {
		return "an address is required"
	}
	if len(s) > MaxLength {
		return fmt.Sprintf("an address of %d bytes is longer than the limit of %d", len(s), MaxLength)
	}
	for _, r := range s {
		// Browsers drop tabs and newlines and read "\" as "/": what they
		// would follow is not what a curator sees.
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\\' {
			return fmt.Sprintf("%s contains a space, a control character or a backslash", Quote(s))
		}
	}
	if _, err := url.Parse(s); err != nil {
		return fmt.Sprintf("%s is not a valid address", Quote(s))
	}
	return ""
}

// Quote quotes an address for a message, shortened when long.
func Quote(s string) string {
	if len(s) > 80 {
		i := 80
		for i > 0 && s[i]&0xC0 == 0x80 {
			i--
		}
		s = s[:i] + "…"
	}
	return fmt.Sprintf("%q", s)
}
