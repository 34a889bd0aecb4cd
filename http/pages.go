package http

import (
	"net/http"
	"net/url"
	"strings"

	"haven"
	"haven/i18n"
)

type homeData struct {
	Count int
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	n, err := s.Resources.CountResources(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "home", homeData{Count: n})
	p.Title = p.L.T("home.title")
	s.render(w, r, http.StatusOK, "home", p)
}

func (s *Server) handleBrowseSafely(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "safety", nil)
	p.Title = p.L.T("safety.title")
	s.render(w, r, http.StatusOK, "safety", p)
}

// handleLanguage records the language a visitor picked in a cookie — the
// only cookie an anonymous visitor ever gets, and only by asking — and sends
// them back where they were. It is a session cookie (no Max-Age or
// Expires), so the browser drops it when it closes instead of keeping for a
// year a sign that someone here chose Spanish.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !i18n.Supported(lang) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "unknown language"))
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: i18n.CookieName, Value: lang, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// localPath returns next when it is a path on this site, and "/" otherwise:
// every handler that sends a visitor to an address they gave (the language
// link, sign-in, verify) passes it through here, so none of them can be used
// to send people elsewhere.
//
// Browsers drop tabs and newlines anywhere in a URL and read "\" as "/",
// so "/\t/evil.example" and "/\evil.example" both mean //evil.example to
// them; net/http also passes a Location it cannot parse through uncleaned.
// Rather than guess what each browser makes of such bytes, any control
// character or backslash sends the visitor home.
func localPath(next string) string {
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
