package http

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"haven"
	"haven/geo"
	"haven/hsds"
	"haven/i18n"
)

// picks is a referral sheet in the making, as the pages that list services
// show it. The services picked so far travel in the address (the sheet
// parameter, on every link and in the search form), never in a cookie or
// the browser's storage: nothing of the visit stays on the device.
type picks struct {
	IDs     []string
	Param   string // "a,b,c": the value of the sheet parameter
	Sheet   string // the referral sheet of these picks
	Compare string // their side-by-side comparison, when two or three are picked
}

// maxCompare is how many services fit side by side.
const maxCompare = 3

func newPicks(ids []string) picks {
	p := picks{IDs: ids, Param: strings.Join(ids, ",")}
	if len(ids) > 0 {
		p.Sheet = "/referral?sheet=" + url.QueryEscape(p.Param)
	}
	if len(ids) >= 2 && len(ids) <= maxCompare {
		p.Compare = "/referral/compare?ids=" + url.QueryEscape(p.Param)
	}
	return p
}

// withPlace adds the place of a search to a comparison's address, so that
// it can say how far each service is.
func (p picks) withPlace(place string) picks {
	if p.Compare != "" && place != "" {
		p.Compare += "&place=" + url.QueryEscape(place)
	}
	return p
}

// withSheet is the address u with the sheet's list set to ids, on the same
// page of results.
func withSheet(u *url.URL, ids []string) string { return newSheetLinker(u).link(ids) }

// sheetLinker makes the links of one page to itself with other picks: the
// page's query is read once, not once a card, and each link is the query
// as url.Values.Encode would write it (keys sorted) with sheet set.
type sheetLinker struct {
	path, before, after string // the query's parts sorting before and after "sheet"
}

func newSheetLinker(u *url.URL) sheetLinker {
	q := u.Query()
	q.Del("id")
	q.Del("ids")
	q.Del("sheet")
	lo, hi := url.Values{}, url.Values{}
	for k, v := range q {
		if k < "sheet" {
			lo[k] = v
		} else {
			hi[k] = v
		}
	}
	return sheetLinker{path: u.Path, before: lo.Encode(), after: hi.Encode()}
}

func (l sheetLinker) link(ids []string) string {
	parts := make([]string, 0, 3)
	if l.before != "" {
		parts = append(parts, l.before)
	}
	if len(ids) > 0 {
		parts = append(parts, "sheet="+url.QueryEscape(strings.Join(ids, ",")))
	}
	if l.after != "" {
		parts = append(parts, l.after)
	}
	if len(parts) == 0 {
		return l.path
	}
	return l.path + "?" + strings.Join(parts, "&")
}

// pickFrom sets the card's links for a results page at u whose sheet holds
// sheet: its page carries the picks, and its pick link adds it to them or
// takes it off, coming back to the same card.
func (c *serviceCard) pickFrom(links sheetLinker, sheet []string) {
	c.Picked = slices.Contains(sheet, c.ID)
	if len(sheet) > 0 {
		c.Link = "/services/" + c.ID + "?sheet=" + url.QueryEscape(strings.Join(sheet, ","))
	}
	next := slices.DeleteFunc(slices.Clone(sheet), func(id string) bool { return id == c.ID })
	if !c.Picked {
		if len(sheet) >= maxSheet {
			return // the sheet is full: no link to add more
		}
		next = append(next, c.ID)
	}
	c.Pick = links.link(next) + "#svc-" + c.ID
}

// servicePicks is what the service page offers for the sheet in the
// making: add this service to it (or see it, when it is on already).
type servicePicks struct {
	picks
	Add       string // the sheet with this service added
	On        bool   // the service is on the sheet already
	Directory string // back to the directory, keeping the picks
}

func newServicePicks(sheet []string, id string) servicePicks {
	sp := servicePicks{picks: newPicks(sheet), On: slices.Contains(sheet, id), Directory: "/directory"}
	if len(sheet) > 0 {
		sp.Directory = "/directory?sheet=" + url.QueryEscape(sp.Param)
	}
	ids := sheet
	if !sp.On && len(sheet) < maxSheet {
		ids = append(slices.Clone(sheet), id)
	}
	sp.Add = "/referral?sheet=" + url.QueryEscape(strings.Join(ids, ","))
	return sp
}

// compareEntry is one service of a comparison.
type compareEntry struct {
	ID, Name, Organization string
	Sample                 bool
	Hours, Languages       []string
	Eligibility, Fees      string
	Distance               string
}

type compareData struct {
	Entries   []compareEntry
	Place     string // the place distances are from, if one was given
	Few       bool   // fewer than two services, or more than three
	Sheet     string // back to the referral sheet
	Directory string
}

// handleCompare shows two or three services side by side: hours,
// languages, eligibility, fees and, when a place is given, distance.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := sheetIDs(q)
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("compare.title")
	pk := newPicks(ids)
	d := compareData{Sheet: pk.Sheet, Directory: "/directory"}
	if pk.Param != "" {
		d.Directory = "/directory?sheet=" + url.QueryEscape(pk.Param)
	}
	if len(ids) < 2 || len(ids) > maxCompare {
		d.Few = true
		p.Data = d
		s.render(w, r, http.StatusOK, "compare", p)
		return
	}
	var from *geo.Point
	place := strings.TrimSpace(q.Get("place"))
	units := haven.DistanceUnits(haven.DirectoryFilter{}, p.Lang)
	if place != "" {
		// A place Haven cannot read leaves the distance out, no more.
		if pl, err := geo.Resolve(place); err == nil && pl.HasPoint && pl.Kind != geo.KindState {
			from, d.Place = &pl.Point, place
			units = haven.DistanceUnits(haven.DirectoryFilter{Place: &pl, Units: q.Get("units")}, p.Lang)
		}
	}
	// Like the referral sheet, a comparison may be handed to the person
	// referred: it shows confidential locations as the public sees them,
	// whoever opens it (no distance is measured to a secret site).
	svcs, err := s.Directory.FindServicesByID(haven.WithoutStaffView(r.Context()), ids)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, sv := range svcs {
		d.Entries = append(d.Entries, s.compareEntry(p.L, sv, from, units))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "compare", p)
}

func (s *Server) compareEntry(l *i18n.Localizer, sv *hsds.Service, from *geo.Point, units string) compareEntry {
	v := s.serviceView(l, sv, false)
	e := compareEntry{ID: sv.ID, Name: sv.Name, Organization: v.Card.OrgName, Sample: v.Card.Sample,
		Hours: v.Hours, Languages: v.Languages, Eligibility: sv.EligibilityDescription}
	switch {
	case sv.FeesDescription != "":
		e.Fees = sv.FeesDescription
	case sv.Fees != "":
		e.Fees = sv.Fees
	case len(v.Costs) > 0:
		e.Fees = strings.Join(v.Costs, "; ")
	}
	if from != nil {
		best := math.Inf(1)
		for _, sal := range sv.ServiceAtLocations {
			if loc := sal.Location; loc != nil && loc.Latitude != nil && loc.Longitude != nil {
				best = min(best, geo.DistanceKm(*from, geo.Point{Lat: *loc.Latitude, Lon: *loc.Longitude}))
			}
		}
		if !math.IsInf(best, 1) {
			e.Distance = unitDistance(l, best, units)
		}
	}
	return e
}
