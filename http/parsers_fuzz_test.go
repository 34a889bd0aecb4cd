package http

import (
	"net/url"
	"strings"
	"testing"

	"haven"
	"haven/hsds"
)

// The parsers of query parameters must turn any input into either a valid
// value or an EINVALID error with a message, and never panic. Each fuzzer
// below checks one; FuzzGET and FuzzPOST check the handlers around them.

func invalidOnly(t *testing.T, err error) {
	t.Helper()
	if haven.ErrorCode(err) != haven.EINVALID || len(haven.ErrorMessage(err)) < 10 {
		t.Fatalf("want an EINVALID error with a message, got %v", err)
	}
}

func FuzzSheetIDs(f *testing.F) {
	f.Add("sheet=0191d6d4-0000-7000-8000-000000000000,x&id=0191D6D4-0000-7000-8000-000000000001")
	f.Add("sheet=" + strings.Repeat("0191d6d4-0000-7000-8000-000000000000,", 100))
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		ids := sheetIDs(q)
		if len(ids) > maxSheet {
			t.Fatalf("%d ids, more than %d", len(ids), maxSheet)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if !hsds.ValidUUID(id) || id != strings.ToLower(id) || seen[id] {
				t.Fatalf("id %q let through, or twice", id)
			}
			seen[id] = true
		}
	})
}

// FuzzLocalPath checks that the "next" of a redirect never leaves the site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/resources?q=visa", "//evil.example", "/\\evil.example", "https://evil.example", "/a\r\nLocation: x", "", "/%2f%2fevil", "/\t/evil.example", "\\/evil.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		p := localPath(next)
		if p == "/" {
			return
		}
		u, err := url.Parse(p)
		if err != nil {
			// net/http sends a Location it cannot parse as it is.
			t.Fatalf("localPath(%q) = %q does not parse: %v", next, p, err)
		}
		// Browsers drop tabs and newlines and read "\" as "/" before they
		// look for "//".
		if u.Scheme != "" || u.Host != "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
			strings.ContainsAny(p, "\t\r\n\\") {
			t.Fatalf("localPath(%q) = %q leaves the site", next, p)
		}
	})
}

func FuzzIntParam(f *testing.F) {
	for _, s := range []string{"1", "-1", "0", "99999999999999999999", "+5", " 5", "0x10", "1e3", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, err := haven.IntParam(url.Values{"page": {v}}, "page", 1, 1, 1_000_000)
		if err != nil {
			invalidOnly(t, err)
			return
		}
		if n < 1 || n > 1_000_000 {
			t.Fatalf("haven.IntParam(%q) = %d, out of range", v, n)
		}
	})
}
