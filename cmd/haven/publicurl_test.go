package main

import (
	"net/url"
	"strings"
	"testing"
)

func TestParsePublicURL(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"", "", ""},
		{"https://haven.example.org", "https://haven.example.org", ""},
		{"https://haven.example.org/", "https://haven.example.org", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"haven.example.org", "", "--public-url"},
		{"ftp://haven.example.org", "", "--public-url"},
		{"https://haven.example.org/haven", "", "nothing after it"},
		{"https://haven.example.org/?x=1", "", "--public-url"},
		{"https://", "", "--public-url"},
	} {
		got, err := parsePublicURL(c.in)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("parsePublicURL(%q) = %q, %v; want %q, %q", c.in, got, err, c.want, c.err)
		}
	}
}

// FuzzParsePublicURL: an accepted address is an http(s) origin that parses
// back to itself; anything else is refused naming the flag.
func FuzzParsePublicURL(f *testing.F) {
	for _, s := range []string{"https://h", "http://h:1/", "https://h/p", "https://h?q", "//h", "https://[::1]:8080"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := parsePublicURL(raw)
		if err != nil {
			if !strings.Contains(err.Error(), "--public-url") {
				t.Fatalf("%q: %v does not name the flag", raw, err)
			}
			return
		}
		if raw == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" || strings.HasSuffix(got, "/") {
			t.Fatalf("%q gave %q, not an origin", raw, got)
		}
	})
}
