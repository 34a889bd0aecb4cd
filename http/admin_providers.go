package http

import (
	"net/http"
	"strings"

	"haven"
	"haven/hsds"
)

// The curators' page of an organization's providers: whether their edits
// go live at once, who they are, invitations and partners' API tokens.

type providersData struct {
	O         *hsds.Organization
	EditsLive bool
	Providers []haven.ProviderLink
	// Invited are the invitations not used yet.
	Invited []haven.Invitation
	Email   string
	Locale  string
	Errors  map[string]string
	Done    string
	// InviteLink is an invitation's link, shown to the curator to pass on
	// when no mail server is set up or the mail did not go.
	InviteLink string
	// Mailed says the invitation went by e-mail to InviteEmail.
	Mailed      bool
	InviteEmail string
	// Tokens are the organization's partner API tokens (HasTokens: the
	// server keeps them); NewToken one just made, shown this once.
	Tokens                 []haven.APIToken
	HasTokens              bool
	TokenName              string
	NewToken, NewTokenName string
}

func (s *Server) renderProviders(w http.ResponseWriter, r *http.Request, status int, d providersData) {
	id := strings.ToLower(r.PathValue("id"))
	o, _, err := s.Directory.FindOrganizationByID(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.O = o
	if d.EditsLive, err = s.Providers.ProviderEditsLive(r.Context(), o.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Providers, err = s.Providers.OrganizationProviders(r.Context(), o.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Invited, err = s.Invitations.OpenInvitations(r.Context(), o.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if s.APITokens != nil {
		d.HasTokens = true
		if d.Tokens, err = s.APITokens.ListAPITokens(r.Context(), o.ID); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if d.Locale == "" {
		d.Locale = "en"
	}
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("providers.of", o.Name)
	s.render(w, r, status, "providers", p)
}

func (s *Server) handleProviders(w http.ResponseWriter, r *http.Request) {
	s.renderProviders(w, r, http.StatusOK, providersData{Done: r.URL.Query().Get("done")})
}

func (s *Server) providersPath(r *http.Request) string {
	return "/admin/organizations/" + strings.ToLower(r.PathValue("id")) + "/providers"
}

func (s *Server) handleProviderSettings(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	if err := s.Providers.SetProviderEditsLive(r.Context(), currentUser(r).Email, strings.ToLower(r.PathValue("id")),
		r.PostForm.Get("edits_live") == "1"); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, s.providersPath(r)+"?done=saved", http.StatusSeeOther)
}

// handleLinkProvider ties an existing provider account, named by e-mail,
// to the organization.
func (s *Server) handleLinkProvider(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	l := s.newPage(r, "", "", nil).L
	d := providersData{Email: strings.TrimSpace(r.PostForm.Get("email")), Errors: map[string]string{}}
	email, err := haven.NormalizeEmail(d.Email)
	if err != nil {
		d.Errors["email"] = l.T("form.email")
		s.renderProviders(w, r, http.StatusBadRequest, d)
		return
	}
	u, err := s.Accounts.FindUserByEmail(r.Context(), email)
	if haven.ErrorCode(err) == haven.ENOTFOUND || (err == nil && u.Role != haven.RoleProvider) {
		d.Errors["email"] = l.T("providers.link.none")
		s.renderProviders(w, r, http.StatusBadRequest, d)
		return
	} else if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.Providers.LinkProvider(r.Context(), currentUser(r).Email, u.ID, strings.ToLower(r.PathValue("id"))); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, s.providersPath(r)+"?done=linked", http.StatusSeeOther)
}

func (s *Server) handleUnlinkProvider(w http.ResponseWriter, r *http.Request) {
	if err := s.Providers.UnlinkProvider(r.Context(), currentUser(r).Email, r.PathValue("user"), strings.ToLower(r.PathValue("id"))); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, s.providersPath(r)+"?done=unlinked", http.StatusSeeOther)
}
