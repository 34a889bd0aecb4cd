package http

import (
	"context"
	"net/http"
	"strings"
	"time"

	"haven"
	"haven/auth"
)

// sessionCookie holds a session's token; the database keeps only its hash.
const sessionCookie = "haven_session"

// SessionConfig sets how sessions behave.
type SessionConfig struct {
	Idle     time.Duration // a session unused this long ends (default 2h)
	Absolute time.Duration // a session ends this long after sign-in (default 12h)
	// SecureCookies marks cookies Secure even when Haven sees plain HTTP,
	// as it does behind a TLS-terminating proxy.
	SecureCookies bool
}

type userKey struct{}

// currentUser returns the signed-in user, or nil.
func currentUser(r *http.Request) *haven.User {
	u, _ := r.Context().Value(userKey{}).(*haven.User)
	return u
}

type sessionKey struct{}

func currentSession(r *http.Request) *haven.Session {
	s, _ := r.Context().Value(sessionKey{}).(*haven.Session)
	return s
}

// withUser finds the signed-in user from the session cookie. Anonymous
// visitors carry no cookie, so for them this costs nothing.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || s.Accounts == nil || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		sess, u, err := s.Accounts.SessionUser(r.Context(), auth.HashToken(c.Value), s.Sessions.Idle, s.Sessions.Absolute)
		if err != nil {
			if haven.ErrorCode(err) != haven.ENOTFOUND {
				s.log(r.Context()).Error("session lookup", "err", err)
			}
			s.clearSessionCookie(w, r) // expired or unknown: drop it
			next.ServeHTTP(w, r)
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), userKey{}, u), sessionKey{}, sess)
		if u.Can(haven.RoleCurator) {
			// Curators and admins see confidential locations whole; no
			// one else does (see haven.WithStaffView).
			ctx = haven.WithStaffView(ctx)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) secureCookie(r *http.Request) bool { return s.Sessions.SecureCookies || r.TLS != nil }

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(r)})
}

// anyRole, given to requireRole, admits every signed-in user.
const anyRole = ""

// requireRole lets through only signed-in users holding role (any signed-in
// user for anyRole); others go to the sign-in page (pages) or get 401/403
// (anything else).
func (s *Server) requireRole(role string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		case u == nil:
			s.renderError(w, r, haven.Errorf(haven.EUNAUTHORIZED, "Please sign in."))
		case u.Disabled || (role != anyRole && !u.Can(role)):
			s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "Your account may not do this."))
		case !enrolPath(r.URL.Path) && s.mustEnrol(r, u):
			// The site requires a second factor of this user: nothing
			// else until it is set up.
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
			} else {
				s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "Please set up a second factor first, at /account/2fa."))
			}
		default:
			h(w, r)
		}
	}
}

type signinData struct {
	Email string
	Next  string
	Error string
	// Invited: the person just set their password through an invitation.
	Invited bool
}

func (s *Server) handleSigninForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "", signinData{Next: localPath(r.URL.Query().Get("next")), Invited: r.URL.Query().Get("invited") == "1"})
	p.Title = p.L.T("signin.title")
	s.render(w, r, http.StatusOK, "signin", p)
}

// clientKey identifies a client for rate limiting without keeping its
// address: an HMAC under a key that lives only in this process's memory.
func (s *Server) clientKey(r *http.Request) string {
	return auth.KeyedHash(s.keySecret, s.clientAddr(r))
}

func (s *Server) handleSignin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	p := s.newPage(r, "", "", nil)
	p.Title = p.L.T("signin.title")
	fail := func(status int, msg string) {
		p.Data = signinData{Email: email, Next: localPath(r.PostForm.Get("next")), Error: msg}
		s.render(w, r, status, "signin", p)
	}
	// The throttle keys on this client and this account: guesses from
	// elsewhere never hold back the owner (see auth.Throttle).
	client, account := s.signinClient(r), s.accountKey(email)
	if wait := s.signinThrottle.Wait(client, account); wait > 0 {
		fail(http.StatusTooManyRequests, tooMany(w, p.L, wait))
		return
	}
	// Each check takes DefaultParams' 64 MiB: a few at a time, so a burst
	// of sign-ins cannot exhaust memory.
	select {
	case s.hashSlots <- struct{}{}:
		defer func() { <-s.hashSlots }()
	case <-r.Context().Done():
		return
	}
	u, err := s.Accounts.FindUserByEmail(r.Context(), email)
	if err != nil {
		// Spend the time a real check takes, so that the answer's timing
		// does not tell which accounts exist.
		auth.DummyVerify(password, s.PasswordParams)
		s.signinThrottle.Fail(client, account)
		if haven.ErrorCode(err) != haven.ENOTFOUND {
			s.log(r.Context()).Error("sign-in lookup", "err", err)
		}
		fail(http.StatusUnauthorized, p.L.T("signin.wrong"))
		return
	}
	ok, rehash, err := auth.VerifyPassword(password, u.PasswordHash, s.PasswordParams)
	if err != nil || !ok || u.Disabled {
		s.signinThrottle.Fail(client, account)
		fail(http.StatusUnauthorized, p.L.T("signin.wrong"))
		return
	}
	if rehash {
		// Parameters were raised since this password was set: upgrade now,
		// while the password is at hand.
		if h, err := auth.HashPassword(password, s.PasswordParams); err == nil {
			s.Accounts.SetPasswordHash(r.Context(), u.ID, h)
		}
	}
	if s.Security != nil {
		// With a second factor, the password opens only the code form.
		f, err := s.Security.SecondFactor(r.Context(), u.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if f.Enabled() {
			s.startChallenge(w, r, u, localPath(r.PostForm.Get("next")))
			return
		}
	}
	s.signinThrottle.Succeed(client, account)
	token, hash := auth.NewToken()
	if err := s.Accounts.CreateSession(r.Context(), &haven.Session{TokenHash: hash, UserID: u.ID, UserAgent: r.UserAgent()}); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(s.Sessions.Absolute.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(r)})
	next := localPath(r.PostForm.Get("next"))
	if next == "/" {
		next = u.Landing()
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) handleSignout(w http.ResponseWriter, r *http.Request) {
	if u, sess := currentUser(r), currentSession(r); u != nil && sess != nil {
		if err := s.Accounts.DeleteSession(r.Context(), u.ID, sess.TokenHash); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type accountData struct {
	User     *haven.User
	Sessions []sessionView
	accountForm
	SecondFactor bool
}

// accountForm is what the password form sends back: its errors, or what
// was done.
type accountForm struct {
	Errors map[string]string
	Done   string
}

type sessionView struct {
	Hash, Agent, Created, Seen string
	Current                    bool
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, accountForm{Done: r.URL.Query().Get("done")})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, form accountForm) {
	u := currentUser(r)
	sessions, err := s.Accounts.ListSessions(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", nil)
	p.Title = p.L.T("account.title")
	d := accountData{User: u, accountForm: form}
	if s.Security != nil {
		f, err := s.Security.SecondFactor(r.Context(), u.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		d.SecondFactor = f.Enabled()
	}
	for _, x := range sessions {
		d.Sessions = append(d.Sessions, sessionView{Hash: x.TokenHash, Agent: x.UserAgent,
			Created: x.CreatedAt.Format("2006-01-02 15:04"), Seen: x.LastSeenAt.Format("2006-01-02 15:04"),
			Current: currentSession(r) != nil && x.TokenHash == currentSession(r).TokenHash})
	}
	p.Data = d
	s.render(w, r, status, "account", p)
}

func (s *Server) handleRevokeSession(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	if err := s.Accounts.DeleteSession(r.Context(), currentUser(r).ID, r.PostForm.Get("session")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
