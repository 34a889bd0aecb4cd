package http

import (
	"net/http"
	"strings"

	"haven"
	"haven/auth"
	"haven/i18n"
)

// Yearly re-verification: the link in the request's e-mail opens a page
// listing the organization's services, where the provider answers "still
// correct" or says what has changed. Like invitations, the token travels
// in the query, which the request log leaves out.

// ReverifyMail is a re-verification request's message, or its reminder's,
// in the provider's language, with the link to answer.
func ReverifyMail(q haven.ReverifyRequest, link string, reminder bool) haven.Mail {
	l := i18n.New(q.Locale) // English for a locale it lacks
	key := "mail.reverify"
	if reminder {
		key = "mail.reverify.reminder"
	}
	return haven.Mail{To: q.Email, Subject: l.T(key+".subject", q.OrganizationName), Body: l.T(key+".body", q.OrganizationName, link)}
}

type reverifyData struct {
	Q       *haven.ReverifyRequest
	Token   string
	Changes string
	Error   string
	Done    string
}

func (s *Server) handleReverify(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	q, err := s.Reverify.FindReverify(r.Context(), auth.HashToken(token))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "", "", reverifyData{Q: q, Token: token, Done: r.URL.Query().Get("done")})
	p.Title = p.L.T("reverify.title", q.OrganizationName)
	s.render(w, r, http.StatusOK, "reverify", p)
}

func (s *Server) handleAnswerReverify(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 64<<10) {
		return
	}
	token := r.PostForm.Get("t")
	answer, changes := r.PostForm.Get("answer"), strings.TrimSpace(r.PostForm.Get("changes"))
	err := s.Reverify.AnswerReverify(r.Context(), auth.HashToken(token), answer, changes)
	if haven.ErrorCode(err) == haven.EINVALID {
		q, ferr := s.Reverify.FindReverify(r.Context(), auth.HashToken(token))
		if ferr != nil {
			s.renderError(w, r, ferr)
			return
		}
		p := s.newPage(r, "", "", nil)
		p.Title = p.L.T("reverify.title", q.OrganizationName)
		msg := p.L.T("reverify.changes.required")
		if changes != "" {
			msg = haven.ErrorMessage(err)
		}
		p.Data = reverifyData{Q: q, Token: token, Changes: changes, Error: msg}
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, http.StatusBadRequest, "reverify", p)
		return
	} else if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/reverify?t="+urlQueryEscape(token)+"&done="+answer, http.StatusSeeOther)
}
