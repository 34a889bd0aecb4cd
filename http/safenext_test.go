package http_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/auth"
	"haven/internal/testpg"
	"haven/sqlstore"
	"haven/vault"
)

// hostileNext are return addresses as they appear in a query string. Each
// leads off the site in some browser if passed through: tabs and newlines
// are dropped, "\" is read as "/", and a scheme or "//" names another site.
var hostileNext = []string{
	"/%09/evil.example",
	"/%0a/evil.example",
	"/%0d/evil.example",
	"/%0d%0a/evil.example",
	"%09//evil.example",
	"//evil.example",
	"//evil.example/",
	"///evil.example",
	"/\\evil.example",
	"/%5Cevil.example",
	"/%5C%5Cevil.example",
	"\\/evil.example",
	"%5C/evil.example",
	"%5C%5Cevil.example",
	"%2F%2Fevil.example",
	"%2F%09%2Fevil.example",
	"/%2F/evil.example",
	"https://evil.example",
	"https:evil.example",
	"https:/evil.example",
	"HTTPS://evil.example",
	"%68ttps://evil.example",
	"//user@evil.example",
	"javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	"java%09script:alert(1)",
	"javascript%3Aalert(1)",
	"data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
	"%20//evil.example",
	"/%7F/evil.example",
	"evil.example",
}

// browserTarget resolves a Location header the way a browser's URL parser
// does (WHATWG: surrounding spaces and controls trimmed, tabs and newlines
// removed, "\" read as "/" in special URLs), against the page it came from.
func browserTarget(t *testing.T, base *url.URL, loc string) *url.URL {
	t.Helper()
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= 0x20 })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	loc = strings.ReplaceAll(loc, "\\", "/")
	// Other controls are percent-encoded, as a browser does.
	var b strings.Builder
	for _, r := range loc {
		if r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, "%%%02X", r)
		} else {
			b.WriteRune(r)
		}
	}
	loc = b.String()
	u, err := base.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	return u
}

// TestReturnAddressesStayOnSite sends every hostile return address to every
// handler that takes one, on both engines, and checks that the visitor ends
// on this site, at the handler's default.
func TestReturnAddressesStayOnSite(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { returnAddresses(t, e.Fresh(t)) })
}

func returnAddresses(t *testing.T, dsn string) {
	s, db := MustCurationServerOn(t, dsn)
	svc := MustImportSample(t, db, 1)[0]
	curator := signIn(t, s, "curator@example.org")
	base, _ := url.Parse("http://example.com/")
	signins := 0
	hidden := regexp.MustCompile(`name="next" value="([^"]*)"`)

	// An admin with a second factor, and a recovery code for each sign-in
	// through the code step.
	key, _ := vault.NewKey()
	s.Vault = vault.NewKeyring(key)
	enrol(t, s, db, "admin@example.org", signIn(t, s, "admin@example.org"))
	var recovery, hashes []string
	for len(recovery) <= len(hostileNext) {
		for _, c := range auth.NewRecoveryCodes() {
			recovery, hashes = append(recovery, c), append(hashes, auth.RecoveryCodeHash(c))
		}
	}
	accounts, adminID := sqlstore.NewAccountService(db), mustUserID(t, db, "admin@example.org")
	f, err := accounts.SecondFactor(context.Background(), adminID)
	if err != nil {
		t.Fatal(err)
	}
	if err := accounts.SetPendingSecondFactor(context.Background(), adminID, f.Secret); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnableSecondFactor(context.Background(), "test", adminID, f.Secret, f.LastStep, hashes); err != nil {
		t.Fatal(err)
	}

	// Each handler, with what it does with a next it refuses.
	handlers := []struct {
		name     string
		fallback string
		send     func(raw string) *http.Response
	}{
		{"language", "/", func(raw string) *http.Response {
			return do(s, "GET", "/language/es?next="+raw, nil).Result()
		}},
		{"sign-in form", "/", func(raw string) *http.Response {
			// The form carries next to the sign-in POST: it must already be safe.
			w := do(s, "GET", "/signin?next="+raw, nil)
			m := hidden.FindStringSubmatch(w.Body.String())
			if m == nil {
				t.Fatalf("sign-in form without next: %s", w.Body.String())
			}
			return &http.Response{StatusCode: http.StatusSeeOther, Header: http.Header{"Location": {html.UnescapeString(m[1])}}}
		}},
		// A screener falls back to their records (an admin to /admin, below).
		{"sign-in", "/screening/records", func(raw string) *http.Response {
			next, err := url.QueryUnescape(raw)
			if err != nil {
				t.Fatal(err)
			}
			// Each from its own address, so that the sign-in limits do not
			// answer instead.
			form := url.Values{"email": {"screener@example.org"}, "password": {testPassword}, "next": {next}}
			r := httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			signins++
			r.RemoteAddr = fmt.Sprintf("198.51.100.%d:1234", signins%250)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			return w.Result()
		}},
		{"sign-in code", "/admin", func(raw string) *http.Response {
			next, err := url.QueryUnescape(raw)
			if err != nil {
				t.Fatal(err)
			}
			// The password step keeps next while the code is awaited; the
			// code step then sends the visitor there.
			signins++
			addr := fmt.Sprintf("203.0.113.%d:1234", signins%250)
			form := url.Values{"email": {"admin@example.org"}, "password": {testPassword}, "next": {next}}
			w := from(s, addr, "POST", "/signin", form)
			if w.Header().Get("Location") != "/signin/code" {
				t.Fatalf("password step: %d %q", w.Code, w.Header().Get("Location"))
			}
			code := recovery[0]
			recovery = recovery[1:]
			return from(s, addr, "POST", "/signin/code", url.Values{"code": {code}}, cookieOf(w, "haven_signin")).Result()
		}},
		{"verify service", "/admin/services/" + svc.ID + "/edit?saved=1", func(raw string) *http.Response {
			next, err := url.QueryUnescape(raw)
			if err != nil {
				t.Fatal(err)
			}
			return post(s, "/admin/services/"+svc.ID+"/verify", url.Values{"next": {next}}, curator).Result()
		}},
	}
	for _, h := range handlers {
		t.Run(h.name, func(t *testing.T) {
			// A path on the site is kept, query and all.
			if loc := h.send("/resources%3Fq%3Dvisa").Header.Get("Location"); loc != "/resources?q=visa" {
				t.Errorf("next=/resources?q=visa went to %q", loc)
			}
			for _, raw := range hostileNext {
				resp := h.send(raw)
				loc := resp.Header.Get("Location")
				if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("next=%s: status %d", raw, resp.StatusCode)
					continue
				}
				if u := browserTarget(t, base, loc); u.Host != base.Host || u.Scheme != base.Scheme {
					t.Errorf("next=%s: a browser goes to %s (Location %q)", raw, u, loc)
				}
				if loc != h.fallback {
					t.Errorf("next=%s: Location %q, want %q", raw, loc, h.fallback)
				}
			}
		})
	}
}
