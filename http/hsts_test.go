package http_test

import (
	"net/http/httptest"
	"testing"

	"haven/internal/testpg"
)

// TestHSTS checks that Strict-Transport-Security is sent over TLS and with
// secure cookies set (TLS at a proxy), and never over plain HTTP otherwise,
// where it would be ignored at best.
func TestHSTS(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { hsts(t, e.Fresh(t)) })
}

func hsts(t *testing.T, dsn string) {
	const want = "max-age=63072000; includeSubDomains"
	s, _, _ := MustServerOn(t, dsn)
	get := func(srv *httptest.Server, path string) string {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Strict-Transport-Security")
	}
	tlsSrv := httptest.NewTLSServer(s)
	defer tlsSrv.Close()
	plain := httptest.NewServer(s)
	defer plain.Close()
	for _, path := range []string{"/", "/resources", "/static/style.css", "/no-such-page"} {
		if got := get(tlsSrv, path); got != want {
			t.Errorf("TLS %s: Strict-Transport-Security %q, want %q", path, got, want)
		}
		if got := get(plain, path); got != "" {
			t.Errorf("plain HTTP %s: Strict-Transport-Security %q, want none", path, got)
		}
	}
	s.Sessions.SecureCookies = true
	if got := get(plain, "/"); got != want {
		t.Errorf("plain HTTP with secure cookies: Strict-Transport-Security %q, want %q", got, want)
	}
}
