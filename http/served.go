package http

import (
	"net/http"
	"net/url"

	"haven"
	"haven/i18n"
)

// Services that serve a place without being there (haven's
// servicearea.go): searches mark them, and state and country pages list
// them in a section of their own, apart from the services located there.

// servedCards is how many services serving a state or country its page
// lists; a link leads to them all.
const servedCards = 10

// servedBadge is the mark a hit's card shows in place of a distance, ""
// for a service found by a place of its own.
func servedBadge(l *i18n.Localizer, h *haven.DirectoryHit) string {
	switch {
	case h == nil || h.Served == "":
		return ""
	case h.Served == "remote":
		return l.T("directory.served.remote")
	}
	return l.T("directory.served.area")
}

// servedSection is the section of a state's or country's page that lists
// the services serving it from elsewhere.
type servedSection struct {
	Heading, Intro string
	Cards          []serviceCard
	Total          int
	More           string // the directory's list of them all
}

// findServed fills the section of the services serving the place of f
// (a state or a country), beside the located ones f finds.
func (s *Server) findServed(r *http.Request, l *i18n.Localizer, f haven.DirectoryFilter, name string) (*servedSection, error) {
	f.Served, f.Offset, f.Limit, f.Facets = haven.ServedOnly, 0, servedCards, nil
	res, err := s.searchDirectory(r.Context(), f)
	if err != nil || res.Total == 0 {
		return nil, err
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), hitIDs(res.Hits))
	if err != nil {
		return nil, err
	}
	q := url.Values{"served": {haven.ServedOnly}}
	if f.State != "" {
		q.Set("state", f.State)
	}
	if f.Country != "" {
		q.Set("country", f.Country)
	}
	return &servedSection{Heading: l.T("directory.served.heading", name), Intro: l.T("directory.served.intro", name),
		Cards: hitCards(l, res.Hits, svcs, s.cardClock()), Total: res.Total, More: "/directory?" + q.Encode()}, nil
}
