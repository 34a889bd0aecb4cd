package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/hsds"
	"haven/i18n"
)

// Capacity (issue 21): what pages say of a service's free beds or places,
// and the page where those who keep the counts change them, built for a
// phone: one form per capacity with − and + buttons and a number box,
// plain POSTs answered by a redirect, so that it works without script.

// cardClock is the time cards are made at and how old a capacity's count may
// be before it is shown as unknown.
type cardClock struct {
	now    time.Time
	maxAge time.Duration
}

// cardClock returns the time now, with the server's capacity maximum age.
func (s *Server) cardClock() cardClock { return cardClock{now: time.Now(), maxAge: s.capacityMaxAge()} }

func (s *Server) capacityMaxAge() time.Duration {
	if s.CapacityMaxAge > 0 {
		return s.CapacityMaxAge
	}
	return haven.DefaultCapacityMaxAge
}

// capacityLine is one capacity as a card shows it.
type capacityLine struct {
	Text  string
	Known bool
	Room  bool // known, and above zero
}

// capacityLines says, for each capacity, "Bed: 3 of 12 available, updated
// 2 hours ago", or that its count is unknown when older than the maximum
// age: a stale number would send a person to a shelter that is full.
func capacityLines(l *i18n.Localizer, cs []hsds.ServiceCapacity, at cardClock) []capacityLine {
	var out []capacityLine
	for _, c := range cs {
		st := haven.CapacityStateOf(c, at.now, at.maxAge)
		unit := st.Unit
		if unit == "" {
			unit = l.T("capacity.unit.none")
		}
		if !st.Known {
			out = append(out, capacityLine{Text: l.T("capacity.unknown", unit, durationText(l, at.maxAge))})
			continue
		}
		ago := agoText(l, at.now.Sub(st.Updated))
		var text string
		if st.Maximum != nil {
			text = l.T("capacity.of", unit, countText(st.Available), countText(*st.Maximum), ago)
		} else {
			text = l.T("capacity.count", unit, countText(st.Available), ago)
		}
		out = append(out, capacityLine{Text: text, Known: true, Room: st.Available > 0})
	}
	return out
}

func countText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// agoText says how long ago something happened, in whole minutes, hours or
// days; a time a little in the future (clocks differ) is "just now".
func agoText(l *i18n.Localizer, d time.Duration) string {
	switch {
	case d < time.Minute:
		return l.T("ago.now")
	case d < time.Hour:
		return l.N("ago.minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return l.N("ago.hours", int(d/time.Hour))
	}
	return l.N("ago.days", int(d/(24*time.Hour)))
}

// durationText names a maximum age: "24 hours", "2 days", "90 minutes".
func durationText(l *i18n.Localizer, d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0 && d >= 48*time.Hour:
		return l.N("duration.days", int(d/(24*time.Hour)))
	case d%time.Hour == 0:
		return l.N("duration.hours", int(d/time.Hour))
	}
	return l.N("duration.minutes", int(d/time.Minute))
}

// canUpdateCapacity says whether u may change the counts of organization
// orgID's capacities: curators and admins any organization's, a provider
// those of the organizations it speaks for. A provider's counts always go
// live, whatever the organization's choice for their other edits: a bed
// count waiting for a curator would be stale before it was read.
func (s *Server) canUpdateCapacity(ctx context.Context, u *haven.User, orgID string) bool {
	switch {
	case u == nil || u.Disabled:
		return false
	case u.Can(haven.RoleCurator):
		return true
	case u.Role == haven.RoleProvider && s.Providers != nil:
		return s.Providers.ProviderMayEdit(ctx, u.ID, "organization", orgID) == nil
	}
	return false
}

// capacityPath is the capacity page of an organization as u reaches it:
// staff under /admin, providers under /provider (they see no admin page).
func capacityPath(u *haven.User, orgID string) string {
	if u != nil && u.Role == haven.RoleProvider {
		return "/provider/capacity/" + orgID
	}
	return "/admin/capacity/" + orgID
}

// capacityPage is the data of /admin/capacity/{org}.
type capacityPage struct {
	OrgID, OrgName string
	Path           string // where its forms post: capacityPath
	Provider       bool
	Services       []capacityService
	Saved          string // the capacity just saved, to say so beside it
	Error          string
	ErrorOf        string // the capacity the error is about
	MaxAge         string
}

type capacityService struct {
	ID, Name   string
	Capacities []capacityRow
}

type capacityRow struct {
	ID, Unit    string
	Available   int
	Maximum     string // "" without one
	MaxAttr     string // the number box's max, "" without one
	Line        capacityLine
	History     []capacityHistoryLine
	Minus, Plus int
	CanMinus    bool
	CanPlus     bool
	Description string
}

type capacityHistoryLine struct {
	At, Actor, Change string
}

// capacityHistoryLen is how many changes the page lists per capacity.
const capacityHistoryLen = 5

func (s *Server) handleCapacity(w http.ResponseWriter, r *http.Request) {
	s.showCapacity(w, r, http.StatusOK, "", "")
}

// showCapacity renders an organization's capacities, with an error about
// one of them when a change was refused.
func (s *Server) showCapacity(w http.ResponseWriter, r *http.Request, status int, errText, errOf string) {
	orgID, u, ok := s.capacityOrg(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	o, _, err := s.Directory.FindOrganizationByID(ctx, orgID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	list, err := s.Capacities.OrganizationCapacities(ctx, orgID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", nil)
	p.Title = p.L.T("capacity.page.title", o.Name)
	at := s.cardClock()
	d := capacityPage{OrgID: o.ID, OrgName: o.Name, Path: capacityPath(u, o.ID), Provider: u.Role == haven.RoleProvider, Saved: r.URL.Query().Get("saved"), Error: errText, ErrorOf: errOf,
		MaxAge: durationText(p.L, at.maxAge)}
	for _, sc := range list {
		cs := capacityService{ID: sc.ServiceID, Name: sc.ServiceName}
		lines := capacityLines(p.L, sc.Capacities, at)
		for i, c := range sc.Capacities {
			row := capacityRow{ID: c.ID, Line: lines[i], Description: c.Description}
			if c.Unit != nil {
				row.Unit = c.Unit.Name
			}
			if c.Available != nil {
				row.Available = int(*c.Available)
			}
			row.Minus, row.Plus = row.Available-1, row.Available+1
			row.CanMinus, row.CanPlus = row.Available > 0, true
			if c.Maximum != nil {
				row.Maximum = countText(*c.Maximum)
				row.MaxAttr = strconv.Itoa(int(*c.Maximum))
				row.CanPlus = float64(row.Plus) <= *c.Maximum
			}
			hist, err := s.Capacities.CapacityHistory(ctx, c.ID, capacityHistoryLen)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			for _, h := range hist {
				row.History = append(row.History, capacityHistoryLine{At: formatDate(h.At, p.Lang) + " " + h.At.In(s.zone()).Format("15:04"),
					Actor: h.Actor, Change: countText(h.Before) + " → " + countText(h.After)})
			}
			cs.Capacities = append(cs.Capacities, row)
		}
		d.Services = append(d.Services, cs)
	}
	p.Data = d
	s.render(w, r, status, "capacity", p)
}

// handleUpdateCapacity sets one count: to "set" as typed, or to the value
// of the − or + button pressed (each carries the count it leads to, so a
// double press of + on a stale page sets the same number twice rather than
// adding two). It answers with a redirect to the page at that capacity.
func (s *Server) handleUpdateCapacity(w http.ResponseWriter, r *http.Request) {
	orgID, u, ok := s.capacityOrg(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	f := r.PostForm
	serviceID, capID := strings.ToLower(f.Get("service")), strings.ToLower(f.Get("capacity"))
	l := i18n.New(i18n.FromRequest(r))
	value := f.Get("to")
	if value == "" {
		value = strings.TrimSpace(f.Get("available"))
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		s.showCapacity(w, r, http.StatusUnprocessableEntity, l.T("capacity.error.number"), capID)
		return
	}
	// The capacity must be one of this organization's: the check above
	// is about the organization in the address.
	list, err := s.Capacities.OrganizationCapacities(r.Context(), orgID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !orgHasCapacity(list, serviceID, capID) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "This organization has no such capacity."))
		return
	}
	actor := u.Email
	if u.Role == haven.RoleProvider {
		actor = haven.ProviderActor(u.Email) // as their other edits are named
	}
	if err := s.Capacities.UpdateCapacity(r.Context(), actor, serviceID, capID, n); err != nil {
		if haven.ErrorCode(err) == haven.EINVALID {
			s.showCapacity(w, r, http.StatusUnprocessableEntity, l.T("capacity.error.range"), capID)
			return
		}
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, capacityPath(u, orgID)+"?saved="+capID+"#cap-"+capID, http.StatusSeeOther)
}

// capacityOrg is the organization of a capacity page's address and the
// user, when that user may change its counts; otherwise it has answered.
func (s *Server) capacityOrg(w http.ResponseWriter, r *http.Request) (string, *haven.User, bool) {
	orgID := strings.ToLower(r.PathValue("org"))
	u := currentUser(r)
	if !s.canUpdateCapacity(r.Context(), u, orgID) {
		s.refuseCapacity(w, r, u)
		return "", nil, false
	}
	if s.Capacities == nil {
		http.NotFound(w, r)
		return "", nil, false
	}
	return orgID, u, true
}

// refuseCapacity answers a user who may not change an organization's
// counts: a provider learns nothing of another organization (404, as for
// one that does not exist), staff are told they lack the role.
func (s *Server) refuseCapacity(w http.ResponseWriter, r *http.Request, u *haven.User) {
	if u != nil && u.Role == haven.RoleProvider {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No such organization."))
		return
	}
	s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "Your account may not change this organization's capacities."))
}

func orgHasCapacity(list []haven.ServiceCapacities, serviceID, capID string) bool {
	for _, sc := range list {
		if sc.ServiceID != serviceID {
			continue
		}
		for _, c := range sc.Capacities {
			if c.ID == capID {
				return true
			}
		}
	}
	return false
}

// handleCapacityReport shows the funders' figures (as haven capacity
// report prints them): totals per unit and updates per month over the
// last year, or since ?since=YYYY-MM-DD. No service or person is named.
func (s *Server) handleCapacityReport(w http.ResponseWriter, r *http.Request) {
	if s.Capacities == nil {
		http.NotFound(w, r)
		return
	}
	since := time.Now().AddDate(-1, 0, 0).UTC().Truncate(24 * time.Hour)
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			s.renderError(w, r, &haven.ParamError{Param: "since", Err: haven.Errorf(haven.EINVALID, "Parameter since must be a date such as 2026-01-31.")})
			return
		}
		since = t
	}
	rep, err := s.Capacities.CapacityReport(r.Context(), since, s.capacityMaxAge())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "admin", nil)
	p.Title = p.L.T("capacity.report.title")
	p.Data = struct {
		R      *haven.CapacityReport
		Since  string
		MaxAge string
	}{rep, formatDate(rep.Since, p.Lang), durationText(p.L, s.capacityMaxAge())}
	s.render(w, r, http.StatusOK, "capacity_report", p)
}
