package http

import (
	"net/http"
	"net/url"
	"strings"

	"haven"
	"haven/auth"
	"haven/i18n"
)

// Invitations: a curator invites a person by e-mail to keep an
// organization's listings; the link, kept only hashed, works once and for
// haven.InvitationTTL, and lets the person set a password. The token
// travels in the query, which the request log leaves out, not in the path.

// publicBase is the site's address for links given to people: PublicURL,
// or the address this request came to.
func (s *Server) publicBase(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimSuffix(s.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.Sessions.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// invitationMail is an invitation's message, in the invitee's language.
func invitationMail(to, locale, orgName, link string) haven.Mail {
	l := i18n.New(locale)
	return haven.Mail{To: to, Subject: l.T("mail.invite.subject", orgName),
		Body: l.T("mail.invite.body", orgName, link, int(haven.InvitationTTL.Hours()/24))}
}

func (s *Server) handleInviteProvider(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	l := s.newPage(r, "", "", nil).L
	d := providersData{Email: strings.TrimSpace(r.PostForm.Get("email")), Locale: r.PostForm.Get("locale"), Errors: map[string]string{}}
	if !haven.ValidLocale(d.Locale) {
		d.Errors["locale"] = l.T("invite.locale.required")
	}
	email, err := haven.NormalizeEmail(d.Email)
	if err != nil {
		d.Errors["email"] = l.T("form.email")
	}
	if len(d.Errors) > 0 {
		s.renderProviders(w, r, http.StatusBadRequest, d)
		return
	}
	orgID := strings.ToLower(r.PathValue("id"))
	o, _, err := s.Directory.FindOrganizationByID(r.Context(), orgID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	token, hash := auth.NewToken()
	inv := &haven.Invitation{Email: email, OrganizationID: o.ID, Locale: d.Locale}
	if err := s.Invitations.CreateInvitation(r.Context(), currentUser(r).Email, inv, hash); haven.ErrorCode(err) == haven.ECONFLICT {
		d.Errors["email"] = haven.ErrorMessage(err)
		s.renderProviders(w, r, http.StatusConflict, d)
		return
	} else if err != nil {
		s.renderError(w, r, err)
		return
	}
	link := s.publicBase(r) + "/invitation?t=" + url.QueryEscape(token)
	d = providersData{InviteEmail: email, Locale: d.Locale}
	if s.Mailer != nil {
		if err := s.Mailer.SendMail(r.Context(), invitationMail(email, inv.Locale, o.Name, link)); err != nil {
			// The invitation stands: the curator can pass the link on.
			s.log(r.Context()).Error("invitation mail", "err", err)
			d.Errors = map[string]string{"mail": l.T("invite.mail.failed")}
			d.InviteLink = link
		} else {
			d.Mailed = true
		}
	} else {
		d.InviteLink = link
	}
	// The link is shown this once, on this page: it is kept only hashed.
	w.Header().Set("Cache-Control", "no-store")
	s.renderProviders(w, r, http.StatusOK, d)
}

type invitationData struct {
	Inv    *haven.Invitation
	Token  string
	Errors map[string]string
}

func (s *Server) handleInvitation(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	inv, err := s.Invitations.FindInvitation(r.Context(), auth.HashToken(token))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "", "", invitationData{Inv: inv, Token: token})
	p.Title = p.L.T("invite.title")
	s.render(w, r, http.StatusOK, "invitation", p)
}

func (s *Server) handleAcceptInvitation(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	token := r.PostForm.Get("t")
	hash := auth.HashToken(token)
	inv, err := s.Invitations.FindInvitation(r.Context(), hash)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "", nil)
	p.Title = p.L.T("invite.title")
	d := invitationData{Inv: inv, Token: token, Errors: map[string]string{}}
	pw := r.PostForm.Get("password")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		d.Errors["password"] = err.Error()
	} else if pw != r.PostForm.Get("password2") {
		d.Errors["password2"] = p.L.T("invite.password.differ")
	}
	if len(d.Errors) > 0 {
		p.Data = d
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, http.StatusBadRequest, "invitation", p)
		return
	}
	select {
	case s.hashSlots <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	h, err := auth.HashPassword(pw, s.PasswordParams)
	<-s.hashSlots
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := s.Invitations.AcceptInvitation(r.Context(), hash, h); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/signin?next=%2Fprovider&invited=1", http.StatusSeeOther)
}
