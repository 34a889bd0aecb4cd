package http

import (
	"net/http"
	"strings"

	"haven"
	"haven/auth"
)

type usersData struct {
	Users  []*haven.User
	Email  string
	Role   string
	Errors map[string]string
	Done   string
	// SecondFactorRequired is the site setting; NoKey says it cannot be
	// turned on, for want of a secret key.
	SecondFactorRequired, NoKey bool
	SecondFactor                map[string]bool // by user id: has one on
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) {
	users, err := s.Accounts.ListUsers(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Users = users
	if s.Security != nil {
		if d.SecondFactorRequired, err = s.Security.SecondFactorRequired(r.Context()); err != nil {
			s.renderError(w, r, err)
			return
		}
		if d.SecondFactor, err = s.Security.SecondFactorUsers(r.Context()); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	d.NoKey = s.Vault == nil
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("users.title")
	s.render(w, r, status, "users", p)
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersData{Role: haven.RoleCurator, Done: r.URL.Query().Get("done")})
}

// handleCreateUser makes an account with a password the admin passes on
// to its owner.
func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	l := s.newPage(r, "", "", nil).L
	d := usersData{Email: strings.TrimSpace(r.PostForm.Get("email")), Role: r.PostForm.Get("role"), Errors: map[string]string{}}
	email, err := haven.NormalizeEmail(d.Email)
	if err != nil {
		d.Errors["email"] = l.T("form.email")
	}
	if !haven.ValidRole(d.Role) {
		d.Errors["role"] = l.T("users.role.required")
	}
	pw := r.PostForm.Get("password")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		d.Errors["password"] = err.Error()
	}
	if len(d.Errors) == 0 {
		hash, err := auth.HashPassword(pw, s.PasswordParams)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		err = s.Accounts.CreateUser(r.Context(), currentUser(r).Email, &haven.User{Email: email, Role: d.Role, PasswordHash: hash})
		if haven.ErrorCode(err) == haven.ECONFLICT {
			d.Errors["email"] = haven.ErrorMessage(err)
		} else if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if len(d.Errors) > 0 {
		s.renderUsers(w, r, http.StatusBadRequest, d)
		return
	}
	http.Redirect(w, r, "/admin/users?done=created", http.StatusSeeOther)
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	id := r.PathValue("id")
	if id == currentUser(r).ID && (r.PostForm.Get("disabled") == "1" || r.PostForm.Get("role") != haven.RoleAdmin) {
		// An admin cannot lock themselves out; another admin can.
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "You cannot disable your own account or give up your own admin role."))
		return
	}
	if err := s.Accounts.UpdateUser(r.Context(), currentUser(r).Email, id, r.PostForm.Get("role"), r.PostForm.Get("disabled") == "1"); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=updated", http.StatusSeeOther)
}
