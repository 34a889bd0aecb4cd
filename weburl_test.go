package haven_test

import (
	"strings"
	"testing"

	"haven"
)

func TestCheckWebURL(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"https://example.org/", "https://example.org/"},
		{"  http://example.org/a?b=c#d ", "http://example.org/a?b=c#d"},
		{"HTTPS://Example.org", "HTTPS://Example.org"},
		{"https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x"},
		{"https://ejemplo.es/niños", "https://ejemplo.es/niños"},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{" javascript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"javascript%3Aalert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"vbscript:msgbox(1)", ""},
		{"file:///etc/passwd", ""},
		{"mailto:help@example.org", ""},
		{"tel:+15555550100", ""},
		{"ftp://example.org/", ""},
		{"//example.org/", ""},
		{"/relative", ""},
		{"example.org", ""},
		{"http:example.org", ""},
		{"https://", ""},
		{"https:///path", ""},
		{"https://bank.example@evil.example/", ""},
		{"https://user:pw@example.org/", ""},
		{"https:\\\\evil.example", ""},
		{"https://example.org/\\evil", ""},
		{"https://exa mple.org/", ""},
		{"https://example.org/\n", "https://example.org/"},
		{"https://example.org/a\nb", ""},
		{"https://example.org/\x7f", ""},
		{"https://example.org/" + strings.Repeat("a", haven.MaxURLLength), ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := haven.CheckWebURL("website", tt.in)
		if got != tt.want {
			t.Errorf("CheckWebURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if tt.want == "" {
			if haven.ErrorCode(err) != haven.EINVALID || !strings.HasPrefix(haven.ErrorMessage(err), "website: ") {
				t.Errorf("CheckWebURL(%q): error %v, want EINVALID naming the field", tt.in, err)
			}
		} else if err != nil {
			t.Errorf("CheckWebURL(%q): %v", tt.in, err)
		}
	}
	if _, err := haven.CheckWebURL("url", "javascript:alert(1)"); !strings.Contains(haven.ErrorMessage(err), "javascript:") {
		t.Errorf("the message does not name the scheme: %v", err)
	}
}

func TestCheckURI(t *testing.T) {
	ok := []string{"https://example.org/terms/1", "urn:uuid:3f7b145d-84af-42d7-8fae-eaca714b02b2", "mailto:help@example.org", "tel:+15555550100", "http://purl.org/x"}
	bad := []string{"javascript:alert(1)", "DATA:text/html,x", "vbscript:x", "file:///etc/passwd", "blob:https://example.org/x",
		"relative/path", "https://", "https://a@evil.example", "urn:x y", ""}
	for _, s := range ok {
		if got, err := haven.CheckURI("term_uri", s); err != nil || got != s {
			t.Errorf("CheckURI(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range bad {
		if _, err := haven.CheckURI("term_uri", s); haven.ErrorCode(err) != haven.EINVALID || !strings.HasPrefix(haven.ErrorMessage(err), "term_uri: ") {
			t.Errorf("CheckURI(%q): %v, want EINVALID naming the field", s, err)
		}
	}
}

func FuzzCheckWebURL(f *testing.F) {
	for _, s := range []string{"https://example.org/", "javascript:alert(1)", "https://a@b", "http:\\\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := haven.CheckWebURL("url", s)
		if err != nil {
			return
		}
		l := strings.ToLower(got)
		if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") || strings.ContainsAny(got, "\t\r\n \\") {
			t.Fatalf("CheckWebURL(%q) accepted %q", s, got)
		}
	})
}
