package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"haven"
	"haven/listing"
)

// The curators' page of likely duplicates, /admin/matches (see
// haven.MatchService): pairs with their reasons and score, a field-by-field
// merge form, "not the same", and the merge history with undo. Forms work
// without JavaScript; the cross-origin check guards every POST.

// matchesShown bounds the pairs one page lists: a curator works from the
// top, and each decision takes a pair off.
const matchesShown = 50

type matchesData struct {
	Pairs    []haven.MatchPair
	Total    int
	MinScore string
	Merges   []haven.ServiceMerge
	Done     string // "merged", "distinct", "undone" after an action
}

func (s *Server) handleMatches(w http.ResponseWriter, r *http.Request) {
	if s.Matches == nil {
		http.NotFound(w, r)
		return
	}
	minScore := 0.5
	if v := r.URL.Query().Get("min_score"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			s.renderError(w, r, haven.Errorf(haven.EINVALID, "min_score %q is not a score from 0 to 1.", truncate(v, 20)))
			return
		}
		minScore = f
	}
	pairs, err := s.Matches.ListMatches(r.Context(), minScore)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	merges, err := s.Matches.ListMerges(r.Context(), 20)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := matchesData{Total: len(pairs), MinScore: strconv.FormatFloat(minScore, 'f', -1, 64), Merges: merges}
	if len(pairs) > matchesShown {
		pairs = pairs[:matchesShown]
	}
	d.Pairs = pairs
	switch done := r.URL.Query().Get("done"); done {
	case "merged", "distinct", "undone":
		d.Done = done
	}
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("matches.title")
	s.render(w, r, http.StatusOK, "matches", p)
}

// mergeRow is one field of the merge form.
type mergeRow struct {
	Field, A, B string
	Same        bool
}

type mergeData struct {
	A, B   haven.MatchSide
	Rows   []mergeRow
	Differ int
}

func (s *Server) handleMergeForm(w http.ResponseWriter, r *http.Request) {
	if s.Matches == nil {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	a, b := strings.ToLower(q.Get("a")), strings.ToLower(q.Get("b"))
	if a == "" || b == "" || a == b {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Give two different services to compare (a and b)."))
		return
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), []string{a, b})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if len(svcs) != 2 {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "One of these services does not exist any more."))
		return
	}
	d := mergeData{}
	for i, sv := range svcs {
		side := haven.MatchSide{ID: sv.ID, Name: sv.Name}
		if sv.Organization != nil {
			side.OrgName = sv.Organization.Name
		}
		if i == 0 {
			d.A = side
		} else {
			d.B = side
		}
	}
	ta, tb := listing.ServiceText(svcs[0]), listing.ServiceText(svcs[1])
	for _, f := range listing.ServiceFields {
		row := mergeRow{Field: f, A: ta[f], B: tb[f], Same: ta[f] == tb[f]}
		if !row.Same {
			d.Differ++
		}
		d.Rows = append(d.Rows, row)
	}
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("matches.merge.title")
	s.render(w, r, http.StatusOK, "merge", p)
}

func (s *Server) handleMerge(w http.ResponseWriter, r *http.Request) {
	if s.Matches == nil {
		http.NotFound(w, r)
		return
	}
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	f := r.PostForm
	a, b := strings.ToLower(f.Get("a")), strings.ToLower(f.Get("b"))
	if a == "" || b == "" {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Give the two services to merge (a and b)."))
		return
	}
	// keep names the service that stays; each field's choice names the
	// service whose value it keeps.
	survivor, absorbed, keep := a, b, "a"
	switch f.Get("keep") {
	case "a":
	case "b":
		survivor, absorbed, keep = b, a, "b"
	default:
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Choose which service stays: a or b."))
		return
	}
	var take []string
	for _, field := range listing.ServiceFields {
		switch v := f.Get("f." + field); v {
		case "", keep:
		case "a", "b":
			take = append(take, field)
		default:
			s.renderError(w, r, haven.Errorf(haven.EINVALID, "The choice for %s must be a or b.", field))
			return
		}
	}
	if _, err := s.Matches.MergeServices(r.Context(), currentUser(r).Email, survivor, absorbed, take); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/matches?done=merged", http.StatusSeeOther)
}

func (s *Server) handleMatchDistinct(w http.ResponseWriter, r *http.Request) {
	if s.Matches == nil {
		http.NotFound(w, r)
		return
	}
	if !s.parseForm(w, r, 4<<10) {
		return
	}
	a, b := strings.ToLower(r.PostForm.Get("a")), strings.ToLower(r.PostForm.Get("b"))
	if a == "" || b == "" {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Give the two services that are not the same (a and b)."))
		return
	}
	if err := s.Matches.MarkDistinct(r.Context(), currentUser(r).Email, a, b); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/matches?done=distinct", http.StatusSeeOther)
}

func (s *Server) handleUndoMerge(w http.ResponseWriter, r *http.Request) {
	if s.Matches == nil {
		http.NotFound(w, r)
		return
	}
	if !s.parseForm(w, r, 4<<10) {
		return
	}
	if err := s.Matches.UndoMerge(r.Context(), currentUser(r).Email, r.PathValue("id")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/matches?done=undone", http.StatusSeeOther)
}

// mergedRedirect answers a request for a service merged into another with
// a redirect to the survivor, keeping the query, and reports whether it
// did. Found (302), not permanent: a merge can be undone.
func (s *Server) mergedRedirect(w http.ResponseWriter, r *http.Request, err error, prefix string) bool {
	if s.Matches == nil || haven.ErrorCode(err) != haven.ENOTFOUND {
		return false
	}
	to, lerr := s.Matches.MergedInto(r.Context(), strings.ToLower(r.PathValue("id")))
	if lerr != nil || to == "" {
		return false
	}
	target := prefix + url.PathEscape(to)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusFound)
	return true
}
