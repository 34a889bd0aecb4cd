package http

import (
	"net/http"
	"slices"
	"strings"

	"haven"
)

// The take-down page of a listing, /admin/takedown/{kind}/{id}: curators
// withdraw it from public view, restore it, or delete it after a
// confirmation (see haven.TakedownService).

type takedownData struct {
	Kind, ID, Name string
	Withdrawn      bool
	Deletable      bool
	Done           string // "withdraw", "restore" after an action
	Error          string
}

func (s *Server) handleTakedown(w http.ResponseWriter, r *http.Request) {
	s.renderTakedown(w, r, http.StatusOK, r.URL.Query().Get("done"), "")
}

func (s *Server) renderTakedown(w http.ResponseWriter, r *http.Request, status int, done, problem string) {
	td := s.Takedowns
	kind, id := r.PathValue("kind"), strings.ToLower(r.PathValue("id"))
	if td == nil || !slices.Contains(haven.TakedownKinds, kind) {
		http.NotFound(w, r)
		return
	}
	name, withdrawn, err := td.TakedownStatus(r.Context(), kind, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if done != "withdraw" && done != "restore" {
		done = ""
	}
	p := s.newPage(r, "", "admin", takedownData{Kind: kind, ID: id, Name: name, Withdrawn: withdrawn,
		Deletable: true, Done: done, Error: problem})
	p.Title = p.L.T("takedown.title")
	s.render(w, r, status, "takedown", p)
}

func (s *Server) handleTakedownAction(w http.ResponseWriter, r *http.Request) {
	td := s.Takedowns
	kind, id := r.PathValue("kind"), strings.ToLower(r.PathValue("id"))
	if td == nil || !slices.Contains(haven.TakedownKinds, kind) {
		http.NotFound(w, r)
		return
	}
	if !s.parseForm(w, r, 4<<10) {
		return
	}
	actor := currentUser(r).Email
	switch action := r.PostForm.Get("action"); action {
	case "withdraw", "restore":
		if err := td.SetWithdrawn(r.Context(), actor, kind, id, action == "withdraw"); err != nil {
			s.renderError(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/takedown/"+kind+"/"+id+"?done="+action, http.StatusSeeOther)
	case "delete":
		// The page is the confirmation step: deleting needs its box ticked.
		if r.PostForm.Get("confirm") != "yes" {
			p := s.newPage(r, "", "admin", nil)
			s.renderTakedown(w, r, http.StatusBadRequest, "", p.L.T("takedown.confirm.missing"))
			return
		}
		if err := td.DeleteListing(r.Context(), actor, kind, id); err != nil {
			s.renderError(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin?deleted="+kind, http.StatusSeeOther)
	default:
		p := s.newPage(r, "", "admin", nil)
		s.renderTakedown(w, r, http.StatusBadRequest, "", p.L.T("takedown.action.unknown"))
	}
}
