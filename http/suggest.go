package http

import (
	"net/http"
	"strconv"
	"strings"

	"haven"
	"haven/auth"
)

type suggestData struct {
	S      haven.Suggestion
	Title  string // what the suggestion is about
	Errors map[string]string
	Kinds  []string
}

// suggestTarget names the listing a suggestion is about, or "" for a new
// listing; it fails for an unknown listing.
func (s *Server) suggestTarget(r *http.Request, typ, id string) (string, error) {
	switch typ {
	case "":
		return "", nil
	case "service":
		sv, err := s.Directory.FindServiceByID(r.Context(), strings.ToLower(id))
		if err != nil {
			return "", err
		}
		return sv.Name, nil
	case "organization":
		o, _, err := s.Directory.FindOrganizationByID(r.Context(), strings.ToLower(id))
		if err != nil {
			return "", err
		}
		return o.Name, nil
	case "resource":
		res, err := s.Resources.FindResourceByID(r.Context(), id)
		if err != nil {
			return "", err
		}
		return res.Title, nil
	}
	return "", haven.Errorf(haven.EINVALID, "Unknown type %q.", typ)
}

func (s *Server) handleSuggestForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := suggestData{S: haven.Suggestion{RecordType: q.Get("type"), RecordID: q.Get("id"), Kind: "other"}, Kinds: haven.SuggestionKinds}
	title, err := s.suggestTarget(r, d.S.RecordType, d.S.RecordID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.S.RecordType == "" {
		d.S.Kind = "new"
	}
	d.Title = title
	p := s.newPage(r, "", "", d)
	p.Title = p.L.T("suggest.title")
	s.render(w, r, http.StatusOK, "suggest", p)
}

// honeypot is a field people never see or fill in; a form that comes back
// with it filled was filled by a program.
const honeypot = "company_website"

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 32<<10) {
		return
	}
	f := r.PostForm
	p := s.newPage(r, "", "", nil)
	p.Title = p.L.T("suggest.title")
	if f.Get(honeypot) != "" {
		// Answer as if it worked, so the program learns nothing.
		s.render(w, r, http.StatusOK, "suggest_thanks", p)
		return
	}
	if ok, wait := s.suggestLimiter.Allow(s.clientKey(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.renderError(w, r, haven.Errorf(haven.ETOOMANYREQUEST, "%s", p.L.T("suggest.toomany")))
		return
	}
	d := suggestData{S: haven.Suggestion{RecordType: f.Get("type"), RecordID: f.Get("id"), Kind: f.Get("kind"),
		Body: strings.TrimSpace(f.Get("body")), NewValue: strings.TrimSpace(f.Get("new_value")), Contact: strings.TrimSpace(f.Get("contact"))},
		Kinds: haven.SuggestionKinds, Errors: map[string]string{}}
	title, err := s.suggestTarget(r, d.S.RecordType, d.S.RecordID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Title = title
	if d.S.Body == "" && d.S.NewValue == "" {
		d.Errors["body"] = p.L.T("suggest.required")
	}
	if d.S.Kind == "website" && d.S.NewValue != "" {
		if _, err := haven.CheckWebURL("new_value", d.S.NewValue); err != nil {
			d.Errors["new_value"] = p.L.T("form.url")
		}
	}
	if len(d.Errors) == 0 {
		err := s.Suggestions.CreateSuggestion(r.Context(), &d.S)
		if haven.ErrorCode(err) == haven.EINVALID {
			d.Errors["body"] = haven.ErrorMessage(err)
		} else if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if len(d.Errors) > 0 {
		p.Data = d
		s.render(w, r, http.StatusBadRequest, "suggest", p)
		return
	}
	s.render(w, r, http.StatusOK, "suggest_thanks", p)
}

type queueItem struct {
	S     *haven.Suggestion
	Title string
	Edit  string // where a curator edits the listing by hand
	// Current is the field as it is now and Proposed what accepting
	// stores, when Haven can apply the suggestion (Applies).
	Current, Proposed string
	Applies           bool
}

func (s *Server) handleSuggestionQueue(w http.ResponseWriter, r *http.Request) {
	list, err := s.Suggestions.ListSuggestions(r.Context(), "pending")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var items []queueItem
	for _, sg := range list {
		it := queueItem{S: sg}
		it.Title = s.recordName(r, sg.RecordType, sg.RecordID) // staff only: locations too
		var region string
		it.Current, region, it.Applies = s.currentValue(r, sg)
		it.Proposed = proposedValue(sg, region)
		switch sg.RecordType {
		case "service":
			it.Edit = "/admin/services/" + sg.RecordID + "/edit"
		case "resource":
			it.Edit = "/admin/resources/" + sg.RecordID + "/edit"
		case "organization":
			it.Edit = "/organizations/" + sg.RecordID
		case "location":
			it.Edit = "/admin/locations/" + sg.RecordID + "/edit"
			it.Title = s.recordName(r, "location", sg.RecordID)
		}
		items = append(items, it)
	}
	p := s.newPage(r, "", "admin", items)
	p.Title = p.L.T("queue.title")
	s.render(w, r, http.StatusOK, "queue", p)
}

func (s *Server) handleResolveSuggestion(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, 16<<10) {
			return
		}
		if err := s.Suggestions.ResolveSuggestion(r.Context(), currentUser(r).Email, r.PathValue("id"), accept, r.PostForm.Get("value")); err != nil {
			s.renderError(w, r, err)
			return
		}
		if accept {
			// The suggestion's page says what changed.
			http.Redirect(w, r, "/admin/suggestions/"+r.PathValue("id")+"?done=accepted", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/admin/suggestions", http.StatusSeeOther)
	}
}

// newSuggestLimiter allows a client five suggestions, then one every ten
// minutes.
func newSuggestLimiter() *auth.Limiter { return auth.NewLimiter(1.0/600, 5, 100_000) }
