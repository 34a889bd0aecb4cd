package http

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"haven"
	"haven/listing"
	"haven/phone"
)

// The curator queue shows each suggestion's field as it is now next to
// what the visitor proposed; accepting one opens the suggestion's page,
// which says what changed and links to the history; the history links
// each change back to its suggestion, and undoes a field's change.

// suggestionField is the field a kind of suggestion changes, by record
// type: what the queue shows as the current value.
func suggestionField(recordType, kind string) string {
	switch {
	case kind == "phone":
		return "phone"
	case kind == "website" && recordType == "organization":
		return "website"
	case kind == "website":
		return "url"
	case kind == "closed" && recordType == "service":
		return "status"
	}
	return ""
}

// currentValue returns a suggestion's field as it is now, as curators read
// it (a phone in national format), and the country a number written
// without its code is read in; ok is false when Haven cannot apply the
// suggestion itself.
func (s *Server) currentValue(r *http.Request, sg *haven.Suggestion) (value, region string, ok bool) {
	region = phone.DefaultRegion
	field := suggestionField(sg.RecordType, sg.Kind)
	if sg.Kind == "upstream" {
		field = sg.Field // a feed's change names its field
	}
	if field == "" {
		return "", region, false
	}
	switch sg.RecordType {
	case "service":
		sv, err := s.Directory.FindServiceByID(r.Context(), sg.RecordID)
		if err != nil {
			return "", region, false
		}
		value, ok = listing.ServiceField(sv, field)
		region = listing.ServiceRegion(sv)
	case "organization":
		o, _, err := s.Directory.FindOrganizationByID(r.Context(), sg.RecordID)
		if err != nil {
			return "", region, false
		}
		switch {
		case field == "phone":
			value, ok = listing.OrganizationPhone(o), true
		case sg.Kind == "upstream":
			if p := listing.OrganizationField(o, field); p != nil {
				value, ok = *p, true
			}
		default:
			value, ok = o.Website, true
		}
	case "location":
		if s.DirEditor == nil || sg.Kind != "upstream" {
			return "", region, false
		}
		l, err := s.DirEditor.FindLocation(r.Context(), sg.RecordID)
		if err != nil {
			return "", region, false
		}
		value, ok = listing.LocationText(l)[field], true
	case "resource":
		res, err := s.Resources.FindResourceByID(r.Context(), sg.RecordID)
		if err != nil || field != "url" {
			return "", region, false
		}
		value, ok = res.URL, true
	}
	if field == "phone" {
		value = phone.Display(value, visitorRegion)
	}
	return value, region, ok
}

// proposedValue is what accepting a suggestion would store, as curators
// read it: a phone read as of region, then shown in national format.
func proposedValue(sg *haven.Suggestion, region string) string {
	if sg.Kind == "closed" {
		return "inactive"
	}
	if sg.Kind == "phone" {
		if n, ok := phone.Normalize(sg.NewValue, region); ok {
			return phone.Display(n, visitorRegion)
		}
	}
	return sg.NewValue
}

type suggestionPage struct {
	S        *haven.Suggestion
	Title    string
	Edit     string
	History  string // the record's history page
	Changes  []haven.AuditEntry
	Accepted bool // just accepted: say so
}

func editPath(recordType, id string) string {
	switch recordType {
	case "service":
		return "/admin/services/" + id + "/edit"
	case "resource":
		return "/admin/resources/" + id + "/edit"
	case "organization":
		return "/admin/organizations/" + id + "/edit"
	case "location":
		return "/admin/locations/" + id + "/edit"
	}
	return ""
}

// handleSuggestion shows one suggestion, whatever its status, and the
// changes its acceptance made, each linked to its line in the history.
func (s *Server) handleSuggestion(w http.ResponseWriter, r *http.Request) {
	sg, err := s.Suggestions.FindSuggestion(r.Context(), r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := suggestionPage{S: sg, Edit: editPath(sg.RecordType, sg.RecordID), Accepted: r.URL.Query().Get("done") == "accepted"}
	d.Title = s.recordName(r, sg.RecordType, sg.RecordID)
	if sg.RecordType != "" {
		d.History = "/admin/history/" + sg.RecordType + "/" + sg.RecordID
		trail, err := s.Audit.AuditTrail(r.Context(), sg.RecordType, sg.RecordID, 0)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, e := range trail {
			if e.SuggestionID == sg.ID {
				d.Changes = append(d.Changes, e)
			}
		}
	}
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("suggestion.title")
	s.render(w, r, http.StatusOK, "suggestion", p)
}

type historyData struct {
	Type, ID, Name string
	Entries        []haven.AuditEntry
	Undone         int64  // the line just undone
	Error          string // why an undo was refused
}

// recordName names a record of the audit trail for people: a listing's
// name, an entry's title; "" when it has none Haven can find.
func (s *Server) recordName(r *http.Request, typ, id string) string {
	switch typ {
	case "service", "organization", "resource":
		name, _ := s.suggestTarget(r, typ, id)
		return name
	case "location":
		l, err := s.DirEditor.FindLocation(r.Context(), strings.ToLower(id))
		if err != nil {
			return ""
		}
		if l.Name != "" {
			return l.Name
		}
		if v := listing.LocationText(l); v["address_1"] != "" {
			return v["address_1"] + ", " + v["city"]
		}
	}
	return ""
}

// showHistory renders a record's history, headed by the record's name;
// errMsg, when given, says why an undo was refused.
func (s *Server) showHistory(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	if typ == "screening" && !currentUser(r).Can(haven.RoleAdmin) {
		s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "The history of screening records is for administrators."))
		return
	}
	entries, err := s.Audit.AuditTrail(r.Context(), typ, id, 0)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := historyData{Type: typ, ID: id, Name: s.recordName(r, typ, id), Entries: entries, Error: errMsg}
	d.Undone, _ = strconv.ParseInt(r.URL.Query().Get("undone"), 10, 64)
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("history.title")
	if d.Name != "" {
		p.Title = p.L.T("history.of", d.Name)
	}
	s.render(w, r, status, "history", p)
}

// undoable says whether the history offers to undo a line: one field's
// change of a listing (an entry's web address included).
func undoable(e haven.AuditEntry) bool {
	if e.Action != "update" && e.Action != "undo" || e.Field == "" {
		return false
	}
	switch e.RecordType {
	case "service", "organization", "location":
		return true
	case "resource":
		return e.Field == "url"
	}
	return false
}

// handleUndo undoes one line of a record's history and shows the history
// again; a field changed since is refused with the reason, nothing undone.
func (s *Server) handleUndo(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err != nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No such change in the history."))
		return
	}
	// The line must be of the record whose history the form was on.
	trail, err := s.Audit.AuditTrail(r.Context(), r.PathValue("type"), r.PathValue("id"), 0)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !slices.ContainsFunc(trail, func(e haven.AuditEntry) bool { return e.ID == n }) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No such change in this history."))
		return
	}
	err = s.DirEditor.UndoChange(r.Context(), currentUser(r).Email, n)
	if err != nil {
		l := s.newPage(r, "", "admin", nil).L
		switch haven.ErrorCode(err) {
		case haven.ECONFLICT:
			s.showHistory(w, r, http.StatusConflict, l.T("history.undo.changed"))
			return
		case haven.EINVALID:
			s.showHistory(w, r, http.StatusBadRequest, l.T("history.undo.cannot"))
			return
		}
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/history/"+r.PathValue("type")+"/"+r.PathValue("id")+"?undone="+strconv.FormatInt(n, 10), http.StatusSeeOther)
}
