package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"haven"
)

// listingEditor is the edit form of one kind of directory listing
// (services, organizations, locations). All three load, show, read, check,
// save and show again alike, in editListing and saveListing; what differs
// is here.
type listingEditor struct {
	path     string // the listing's form is at path+id+"/edit"
	template string
	title    string // message key of the page's title; "" shows the listing's name
	fields   []string
	maxBody  int64
	// load finds the listing by id.
	load func(r *http.Request, id string) (*listingEdit, error)
	// read, when set, reads what the fields alone do not say (the service
	// form's hours controls) into values, before check.
	read func(p *page, form url.Values, values, errs map[string]string)
	// check adds a message per bad field to errs.
	check func(p *page, values, errs map[string]string)
	// update saves the values; EINVALID shows the form again with the
	// message.
	update func(ctx context.Context, actor, id string, values map[string]string) error
	// saved, when set, is the query the form is shown again with after
	// an update (default "saved=1").
	saved func() string
}

// listingEdit is one listing being edited.
type listingEdit struct {
	id, name string
	values   map[string]string // the fields as stored, as text
	// form makes the template's data.
	form func(values, errs map[string]string, saved bool) any
}

func (s *Server) editListing(w http.ResponseWriter, r *http.Request, e *listingEditor) {
	l, err := e.load(r, strings.ToLower(r.PathValue("id")))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, l.name, "admin", l.form(l.values, nil, r.URL.Query().Get("saved") == "1"))
	if e.title != "" {
		p.Title = p.L.T(e.title)
	}
	s.render(w, r, http.StatusOK, e.template, p)
}

// saveListing checks each field; any error shows the form again with the
// errors beside their fields and saves nothing.
func (s *Server) saveListing(w http.ResponseWriter, r *http.Request, e *listingEditor) {
	l, err := e.load(r, strings.ToLower(r.PathValue("id")))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !s.parseForm(w, r, e.maxBody) {
		return
	}
	p := s.newPage(r, l.name, "admin", nil)
	if e.title != "" {
		p.Title = p.L.T(e.title)
	}
	values, errs := map[string]string{}, map[string]string{}
	for _, f := range e.fields {
		values[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	if e.read != nil {
		e.read(p, r.PostForm, values, errs)
	}
	e.check(p, values, errs)
	if len(errs) == 0 {
		err := e.update(r.Context(), currentUser(r).Email, l.id, values)
		if haven.ErrorCode(err) == haven.EINVALID {
			errs["form"] = haven.ErrorMessage(err)
		} else if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		p.Data = l.form(values, errs, false)
		s.render(w, r, http.StatusBadRequest, e.template, p)
		return
	}
	q := "saved=1"
	if e.saved != nil {
		q = e.saved()
	}
	http.Redirect(w, r, e.path+l.id+"/edit?"+q, http.StatusSeeOther)
}
