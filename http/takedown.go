package http

import (
	"context"
	"net/http"
	"strings"
)

// Takedowns lets curators take a listing down: withdraw a service, an
// organization or a location from public view entirely, restore it, or
// delete it, each audited. The directory store implements it beside
// DirectoryEditor.
type Takedowns interface {
	TakedownStatus(ctx context.Context, kind, id string) (name string, withdrawn bool, err error)
	SetWithdrawn(ctx context.Context, actor, kind, id string, withdrawn bool) error
	Delete(ctx context.Context, actor, kind, id string) error
}

// takedowns returns the editor's take-down side. It is found on the
// directory editor, so that servers wire nothing more for it.
func (s *Server) takedowns() (Takedowns, bool) {
	t, ok := s.DirEditor.(Takedowns)
	return t, ok
}

type takedownData struct {
	Kind, ID, Name string
	Withdrawn      bool
	Deletable      bool
	Done           string // "withdraw", "restore" after an action
	Error          string
}

var takedownKinds = map[string]bool{"service": true, "organization": true, "location": true}

func (s *Server) handleTakedown(w http.ResponseWriter, r *http.Request) {
	s.renderTakedown(w, r, http.StatusOK, r.URL.Query().Get("done"), "")
}

func (s *Server) renderTakedown(w http.ResponseWriter, r *http.Request, status int, done, problem string) {
	td, ok := s.takedowns()
	kind, id := r.PathValue("kind"), strings.ToLower(r.PathValue("id"))
	if !ok || !takedownKinds[kind] {
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
	td, ok := s.takedowns()
	kind, id := r.PathValue("kind"), strings.ToLower(r.PathValue("id"))
	if !ok || !takedownKinds[kind] {
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
		if err := td.Delete(r.Context(), actor, kind, id); err != nil {
			s.renderError(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin?deleted="+kind, http.StatusSeeOther)
	default:
		p := s.newPage(r, "", "admin", nil)
		s.renderTakedown(w, r, http.StatusBadRequest, "", p.L.T("takedown.action.unknown"))
	}
}
