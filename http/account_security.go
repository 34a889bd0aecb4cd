package http

import (
	"context"
	"errors"
	"image/png"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/auth"
	"haven/i18n"
	"haven/vault"
)

// challengeCookie holds the token of a sign-in whose password was right,
// while it waits for the second factor. It is no session: it opens only
// the code form, for a few minutes.
const challengeCookie = "haven_signin"

const (
	challengeAge      = 5 * time.Minute
	challengeFailures = 5 // wrong codes before the password must be typed again
	totpIssuer        = "Haven"
)

// signinClient identifies a client for the sign-in throttle, as clientKey
// does, but takes an IPv6 client by its /64: one home or phone is usually
// given a whole /64, and could otherwise try again from each of its 2^64
// addresses.
func (s *Server) signinClient(r *http.Request) string {
	addr := s.clientAddr(r)
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		if p, err := a.Prefix(64); err == nil {
			addr = p.String()
		}
	}
	return auth.KeyedHash(s.keySecret, "client:"+addr)
}

// accountKey identifies an account for the throttle without keeping its
// e-mail in memory.
func (s *Server) accountKey(email string) string {
	return auth.KeyedHash(s.keySecret, "account:"+email)
}

// tooMany says how long to wait, in the Retry-After header and in words.
func tooMany(w http.ResponseWriter, l *i18n.Localizer, wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	if secs < 60 {
		return l.T("signin.toomany.seconds", secs)
	}
	return l.T("signin.toomany.minutes", (secs+59)/60)
}

// totpAD binds a sealed TOTP secret to its account, so a database writer
// cannot move one account's secret to another.
func totpAD(userID string) []byte { return []byte("haven/totp/v1\x00" + userID) }

func (s *Server) sealTOTP(userID, secret string) (string, error) {
	sealed, err := s.Vault.Seal([]byte(secret), totpAD(userID))
	if err != nil {
		return "", err
	}
	return sealed.Encode(), nil
}

func (s *Server) openTOTP(userID, text string) (string, error) {
	if s.Vault == nil {
		return "", vault.ErrUnknownKey
	}
	sealed, err := vault.DecodeSealed(text)
	if err != nil {
		return "", err
	}
	b, err := s.Vault.Open(sealed, totpAD(userID))
	return string(b), err
}

// startChallenge sends a user whose password was right to the code form,
// without a session yet.
func (s *Server) startChallenge(w http.ResponseWriter, r *http.Request, u *haven.User, next string) {
	token, hash := auth.NewToken()
	if err := s.Security.CreateSigninChallenge(r.Context(), hash, u.ID, next); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: token, Path: "/signin", MaxAge: int(challengeAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookie(r)})
	http.Redirect(w, r, "/signin/code", http.StatusSeeOther)
}

func (s *Server) challengeHash(r *http.Request) string {
	c, err := r.Cookie(challengeCookie)
	if err != nil {
		return ""
	}
	return auth.HashToken(c.Value)
}

func (s *Server) clearChallenge(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: "", Path: "/signin", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookie(r)})
}

type signinCodeData struct {
	Error string
}

func (s *Server) renderSigninCode(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := s.newPage(r, "", "", signinCodeData{Error: msg})
	p.Title = p.L.T("signin.code.title")
	s.render(w, r, status, "signin_code", p)
}

func (s *Server) handleSigninCodeForm(w http.ResponseWriter, r *http.Request) {
	if h := s.challengeHash(r); h == "" || s.Security == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	s.renderSigninCode(w, r, http.StatusOK, "")
}

// handleSigninCode takes the second step of a sign-in: a code from the
// authenticator app, or a recovery code. Only then is a session made.
func (s *Server) handleSigninCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	l := s.newPage(r, "", "", nil).L
	hash := s.challengeHash(r)
	if hash == "" || s.Security == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	u, next, err := s.Security.SigninChallenge(ctx, hash, challengeAge, challengeFailures)
	if err != nil {
		if haven.ErrorCode(err) != haven.ENOTFOUND {
			s.log(ctx).Error("sign-in challenge", "err", err)
		}
		s.clearChallenge(w, r)
		p := s.newPage(r, "", "", signinData{Error: l.T("signin.code.expired")})
		p.Title = p.L.T("signin.title")
		s.render(w, r, http.StatusUnauthorized, "signin", p)
		return
	}
	client, account := s.signinClient(r), s.accountKey(u.Email)
	if wait := s.signinThrottle.Wait(client, account); wait > 0 {
		s.renderSigninCode(w, r, http.StatusTooManyRequests, tooMany(w, l, wait))
		return
	}
	ok, err := s.checkSecondFactor(ctx, u, r.PostForm.Get("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !ok {
		s.signinThrottle.Fail(client, account)
		if err := s.Security.FailSigninChallenge(ctx, hash); err != nil {
			s.log(ctx).Error("sign-in challenge", "err", err)
		}
		s.renderSigninCode(w, r, http.StatusUnauthorized, l.T("signin.code.wrong"))
		return
	}
	s.signinThrottle.Succeed(client, account)
	s.Security.DeleteSigninChallenge(ctx, hash)
	s.clearChallenge(w, r)
	token, th := auth.NewToken()
	if err := s.Accounts.CreateSession(ctx, &haven.Session{TokenHash: th, UserID: u.ID, UserAgent: r.UserAgent()}); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(s.Sessions.Absolute.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(r)})
	// The same destination as a sign-in without a second factor (see
	// handleSignin).
	next = localPath(next)
	if next == "/" {
		next = u.Landing()
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkSecondFactor reports whether code is the account's current TOTP
// code, not used before, or one of its unused recovery codes.
func (s *Server) checkSecondFactor(ctx context.Context, u *haven.User, code string) (bool, error) {
	if h := auth.RecoveryCodeHash(code); h != "" {
		return s.Security.UseRecoveryCode(ctx, u.Email, u.ID, h)
	}
	f, err := s.Security.SecondFactor(ctx, u.ID)
	if err != nil || !f.Enabled() {
		return false, err
	}
	secret, err := s.openTOTP(u.ID, f.Secret)
	if err != nil {
		// Without the key that sealed it no code can be checked; recovery
		// codes still work.
		s.log(ctx).Error("second factor: the secret cannot be opened", "err", err)
		return false, nil
	}
	step, ok := auth.VerifyTOTP(secret, code, time.Now(), f.LastStep)
	if !ok {
		return false, nil
	}
	if ok, err := s.Security.UseTOTPStep(ctx, u.ID, step); !ok || err != nil {
		return false, err
	}
	// Sealed under an older key (before a rotation): seal it again under
	// the current one, so the old key can one day go.
	if sealed, err := vault.DecodeSealed(f.Secret); err == nil && sealed.KeyID != s.Vault.CurrentID() {
		if again, err := s.sealTOTP(u.ID, secret); err == nil {
			if err := s.Security.ResealSecondFactor(ctx, u.ID, f.Secret, again); err != nil {
				s.log(ctx).Error("second factor: reseal", "err", err)
			}
		}
	}
	return true, nil
}

// mustEnrol reports whether u must set up a second factor before anything
// else: the site requires one of their role and they have none. With no
// secret key nobody can enrol, so nothing is required (the users page
// says so) rather than locking every admin out.
func (s *Server) mustEnrol(r *http.Request, u *haven.User) bool {
	if s.Security == nil || s.Vault == nil || !haven.SecondFactorRequiredFor(u.Role) {
		return false
	}
	on, err := s.Security.SecondFactorRequired(r.Context())
	if err != nil {
		s.log(r.Context()).Error("second factor setting", "err", err)
		return true // fail closed: the enrolment page still works
	}
	if !on {
		return false
	}
	f, err := s.Security.SecondFactor(r.Context(), u.ID)
	return err != nil || !f.Enabled()
}

// enrolPaths are what a user who must enrol may still reach.
func enrolPath(p string) bool { return p == "/account/2fa" || p == "/account/2fa/qr.png" }

// passwordError is the message for a password policy error, in the page's
// language.
func passwordError(l *i18n.Localizer, err error) string {
	for e, key := range map[error]string{
		auth.ErrPolicyEmpty: "password.empty", auth.ErrPolicyEncoding: "password.encoding", auth.ErrPolicyTooLong: "password.toolong",
		auth.ErrPolicyTooShort: "password.tooshort", auth.ErrPolicyOneChar: "password.onechar",
		auth.ErrPolicyRepetitive: "password.repetitive", auth.ErrPolicyCommon: "password.common",
	} {
		if errors.Is(err, e) {
			return l.T(key)
		}
	}
	return err.Error()
}

// verifyOwnPassword checks a signed-in user's password, as changing the
// password or turning the second factor off asks for it. Wrong guesses
// count in the sign-in throttle, so a session left open is no way round it.
func (s *Server) verifyOwnPassword(w http.ResponseWriter, r *http.Request, u *haven.User, password string) (msg string, ok bool) {
	l := s.newPage(r, "", "", nil).L
	client, account := s.signinClient(r), s.accountKey(u.Email)
	if wait := s.signinThrottle.Wait(client, account); wait > 0 {
		return tooMany(w, l, wait), false
	}
	select {
	case s.hashSlots <- struct{}{}:
		defer func() { <-s.hashSlots }()
	case <-r.Context().Done():
		return l.T("account.password.wrong"), false
	}
	if ok, _, err := auth.VerifyPassword(password, u.PasswordHash, s.PasswordParams); err != nil || !ok {
		s.signinThrottle.Fail(client, account)
		return l.T("account.password.wrong"), false
	}
	return "", true
}

// handleChangePassword sets a new password for the signed-in user, and
// ends their other sessions.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	u := currentUser(r)
	l := s.newPage(r, "", "", nil).L
	errs := map[string]string{}
	status := http.StatusBadRequest
	pw, pw2 := r.PostForm.Get("new"), r.PostForm.Get("new2")
	if msg, ok := s.verifyOwnPassword(w, r, u, r.PostForm.Get("current")); !ok {
		errs["current"] = msg
		if w.Header().Get("Retry-After") != "" {
			status = http.StatusTooManyRequests
		}
	} else if err := auth.CheckPasswordPolicy(pw); err != nil {
		errs["new"] = passwordError(l, err)
	} else if pw != pw2 {
		errs["new2"] = l.T("account.password.differ")
	}
	if len(errs) > 0 {
		s.renderAccount(w, r, status, accountForm{Errors: errs})
		return
	}
	hash, err := auth.HashPassword(pw, s.PasswordParams)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	keep := ""
	if sess := currentSession(r); sess != nil {
		keep = sess.TokenHash
	}
	if err := s.Security.ChangePassword(r.Context(), u.Email, u.ID, hash, keep); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}

type secondFactorData struct {
	Enabled      bool
	RecoveryLeft int
	NoKey        bool
	Required     bool // the site requires a second factor of this user
	Secret       string
	URI          string
	Recovery     []string // shown once, right after enrolment
	Error        string
	Done         string
}

func (s *Server) renderSecondFactor(w http.ResponseWriter, r *http.Request, status int, d secondFactorData) {
	u := currentUser(r)
	if s.Security == nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
		return
	}
	f, err := s.Security.SecondFactor(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Enabled, d.RecoveryLeft, d.NoKey = f.Enabled(), f.RecoveryLeft, s.Vault == nil
	if on, err := s.Security.SecondFactorRequired(r.Context()); err == nil && on {
		d.Required = haven.SecondFactorRequiredFor(u.Role)
	}
	if !d.Enabled && !d.NoKey && d.Recovery == nil {
		// A secret waits for its first code; a new one is made when there
		// is none yet, or the old one can no longer be opened.
		secret, err := s.openTOTP(u.ID, f.Pending)
		if f.Pending == "" || err != nil {
			if secret, _, err = auth.NewTOTPKey(totpIssuer, u.Email); err != nil {
				s.renderError(w, r, err)
				return
			}
			sealed, err := s.sealTOTP(u.ID, secret)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			if err := s.Security.SetPendingSecondFactor(r.Context(), u.ID, sealed); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		d.URI = auth.TOTPURI(totpIssuer, u.Email, secret)
		// In groups of four, as most apps show it, to be typed by hand.
		for i := 0; i < len(secret); i += 4 {
			d.Secret += secret[i:min(i+4, len(secret))] + " "
		}
		d.Secret = strings.TrimSpace(d.Secret)
	}
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("twofa.title")
	s.render(w, r, status, "account_2fa", p)
}

func (s *Server) handleSecondFactor(w http.ResponseWriter, r *http.Request) {
	s.renderSecondFactor(w, r, http.StatusOK, secondFactorData{Done: r.URL.Query().Get("done")})
}

// handleSecondFactorQR draws the waiting secret as a QR code, here on the
// server: the secret goes to no other site.
func (s *Server) handleSecondFactorQR(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if s.Security == nil || s.Vault == nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
		return
	}
	f, err := s.Security.SecondFactor(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	secret, err := s.openTOTP(u.ID, f.Pending)
	if f.Enabled() || f.Pending == "" || err != nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "not found"))
		return
	}
	img, err := auth.TOTPImage(auth.TOTPURI(totpIssuer, u.Email, secret), 240)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	png.Encode(w, img)
}

// handleEnableSecondFactor confirms the waiting secret with a code from
// the app, turns it on and shows the recovery codes, once.
func (s *Server) handleEnableSecondFactor(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	u := currentUser(r)
	l := s.newPage(r, "", "", nil).L
	if s.Vault == nil {
		s.renderSecondFactor(w, r, http.StatusBadRequest, secondFactorData{})
		return
	}
	f, err := s.Security.SecondFactor(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if f.Enabled() {
		http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
		return
	}
	client, account := s.signinClient(r), s.accountKey(u.Email)
	// The password too: someone who found a session left open must not
	// be able to tie the account to their own phone.
	if msg, ok := s.verifyOwnPassword(w, r, u, r.PostForm.Get("password")); !ok {
		status := http.StatusBadRequest
		if w.Header().Get("Retry-After") != "" {
			status = http.StatusTooManyRequests
		}
		s.renderSecondFactor(w, r, status, secondFactorData{Error: msg})
		return
	}
	secret, err := s.openTOTP(u.ID, f.Pending)
	step, ok := auth.VerifyTOTP(secret, r.PostForm.Get("code"), time.Now(), 0)
	if f.Pending == "" || err != nil || !ok {
		s.signinThrottle.Fail(client, account)
		s.renderSecondFactor(w, r, http.StatusBadRequest, secondFactorData{Error: l.T("twofa.code.wrong")})
		return
	}
	codes := auth.NewRecoveryCodes()
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.RecoveryCodeHash(c)
	}
	if err := s.Security.EnableSecondFactor(r.Context(), u.Email, u.ID, f.Pending, step, hashes); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderSecondFactor(w, r, http.StatusOK, secondFactorData{Recovery: codes})
}

// handleDisableSecondFactor turns the second factor off, given the
// password; not while the site requires one of this user.
func (s *Server) handleDisableSecondFactor(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	u := currentUser(r)
	l := s.newPage(r, "", "", nil).L
	if on, err := s.Security.SecondFactorRequired(r.Context()); err != nil {
		s.renderError(w, r, err)
		return
	} else if on && haven.SecondFactorRequiredFor(u.Role) {
		s.renderSecondFactor(w, r, http.StatusBadRequest, secondFactorData{Error: l.T("twofa.required.cannotoff")})
		return
	}
	if msg, ok := s.verifyOwnPassword(w, r, u, r.PostForm.Get("password")); !ok {
		status := http.StatusBadRequest
		if w.Header().Get("Retry-After") != "" {
			status = http.StatusTooManyRequests
		}
		s.renderSecondFactor(w, r, status, secondFactorData{Error: msg})
		return
	}
	if err := s.Security.ResetSecondFactor(r.Context(), u.Email, u.ID, false); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/2fa?done=off", http.StatusSeeOther)
}

// handleSecondFactorSetting lets an admin require a second factor of
// admins and screeners.
func (s *Server) handleSecondFactorSetting(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	on := r.PostForm.Get("required") == "1"
	if on && s.Vault == nil {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "A second factor cannot be required: the server has no secret key to keep the secrets with. Start it with --secret-key-file or HAVEN_SECRET_KEY first."))
		return
	}
	if err := s.Security.SetSecondFactorRequired(r.Context(), currentUser(r).Email, on); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=updated", http.StatusSeeOther)
}
