package haven

import (
	"context"
	"math"
	"time"

	"haven/geo"
)

// DirectoryFilter selects providers in the directory. Empty fields do not
// filter.
type DirectoryFilter struct {
	Query    string // keywords over names, descriptions and eligibility
	State    string // USPS code in the U.S. (TX, PR), ISO 3166-2 elsewhere (MX-CMX)
	Country  string // ISO 3166-1 alpha-2, upper case
	Category string // taxonomy term code
	Language string // ISO 639-1

	// Near, when set, limits results to RadiusKm around it (when RadiusKm
	// is above zero) and sorts them by distance.
	Near     *LatLon
	RadiusKm float64

	// Issue 19: how results are ordered and distances shown. Sort is
	// SortBest, SortDistance or "" (see EffectiveSort); Place is the place
	// the visitor typed, as read (nil for near= and postcode=); Units is
	// "mi", "km" or "" (see DistanceUnits) and filters nothing.
	Sort  string
	Place *geo.Place
	Units string
	// Served says what a search with a place does with the services that
	// serve it without being there (servicearea.go): "" merges them into
	// the results, ServedNone leaves them out, ServedOnly lists them alone.
	Served string

	// AllStatuses includes inactive and defunct services.
	AllStatuses bool

	// Age, when set, keeps services whose age bounds admit it; Population
	// and Trafficking are codes of Haven's who-is-served taxonomy
	// (eligibility.go); Open keeps services open at a moment
	// (schedule_open.go), carrying the instant so that searches are
	// repeatable.
	Age         *int
	Population  string
	Trafficking string
	Open        *OpenAt
	// RoomSince, when set, keeps services with a capacity above zero
	// updated at or after it (capacity=available: the time of the search
	// less the capacity maximum age, see RoomSince). It carries the
	// instant, as Open does, so that every answerer agrees.
	RoomSince time.Time

	// Facets names the facets to count (see DirectoryFacets); the result
	// holds those and no others. Counting is most of a search's work on a
	// large directory, so only callers that show counts ask for them.
	Facets []string

	// OrganizationID, TaxonomyTermID, TaxonomyID and ModifiedAfter serve the
	// HSDS API's filters.
	OrganizationID string
	TaxonomyTermID string
	TaxonomyID     string
	ModifiedAfter  time.Time

	Offset int
	Limit  int
}

// LatLon is a point on Earth in degrees: geo's Point, so that a filter's
// place goes to distance functions as it is.
type LatLon = geo.Point

// DirectoryHit is one service in search results, at the place that matched
// (the nearest one when the search has a place).
type DirectoryHit struct {
	ServiceID  string
	Name       string
	OrgID      string
	OrgName    string
	LocationID string
	City       string
	State      string
	Country    string
	Lat, Lon   *float64
	DistanceKm *float64
	// Served is "area" for a service found because it serves the searched
	// place (see servicearea.go), "remote" for one that does so by phone
	// or online; "" for one found by a place of its own.
	Served string
}

// DirectoryResult is one page of a directory search.
type DirectoryResult struct {
	Total  int
	Hits   []DirectoryHit
	Facets map[string][]FacetCount // those the filter asked for
	// Engine names what answered: "index", "sqlite" or "postgres".
	Engine string
}

// DirectoryFacets are the facets of a directory search.
var DirectoryFacets = []string{"category", "state", "country", "language", "population", "trafficking"}

// FacetIndex returns the position of a facet in DirectoryFacets, -1 for
// none.
func FacetIndex(name string) int {
	switch name {
	case "category":
		return 0
	case "state":
		return 1
	case "country":
		return 2
	case "language":
		return 3
	case "population":
		return 4
	case "trafficking":
		return 5
	}
	return -1
}

// DirectorySearcher finds services. The SQL store implements it as the
// reference; faster implementations sit beside it and must agree with it.
type DirectorySearcher interface {
	// SearchDirectory returns EINVALID for a malformed filter.
	SearchDirectory(ctx context.Context, f DirectoryFilter) (*DirectoryResult, error)
}

// MaxRadiusKm bounds a distance search; a wider one is no longer "near".
const MaxRadiusKm = 1000

// Validate checks a filter's values, naming the first bad one. Every
// DirectorySearcher validates alike, so that all refuse the same filters.
// It is cheap (no regular expressions), since a searcher validates again a
// filter ParseDirectoryQuery has checked.
func (f DirectoryFilter) Validate() error {
	if _, err := f.validate(); err != nil {
		return err
	}
	return nil
}

// validate is Validate, also naming the query parameter at fault.
func (f DirectoryFilter) validate() (string, *Error) {
	switch {
	case f.State != "" && !isStateCode(f.State):
		return "state", Errorf(EINVALID, "state %q is not a U.S. state code (TX) or an ISO 3166-2 code (MX-CMX).", f.State)
	case f.Country != "" && !IsCountryCode(f.Country):
		return "country", Errorf(EINVALID, "country %q is not an ISO 3166-1 alpha-2 code such as US or MX.", f.Country)
	case f.Language != "" && !(len(f.Language) == 2 && isLower(f.Language[0]) && isLower(f.Language[1])):
		return "language", Errorf(EINVALID, "language %q is not an ISO 639-1 code such as en or es.", f.Language)
	case f.Category != "" && !isCode(f.Category):
		return "category", Errorf(EINVALID, "category %q is not a taxonomy code.", f.Category)
	case f.RadiusKm < 0 || f.RadiusKm > MaxRadiusKm || math.IsNaN(f.RadiusKm):
		return "radius_km", Errorf(EINVALID, "The radius must be from 0 to %d km.", MaxRadiusKm)
	case f.RadiusKm > 0 && f.Near == nil:
		return "radius_km", Errorf(EINVALID, "A radius needs a place to measure from.")
	case f.Near != nil && !f.Near.Valid():
		return "near", Errorf(EINVALID, "The place is not a valid latitude and longitude.")
	case f.Sort != "" && f.Sort != SortBest && f.Sort != SortDistance:
		return "sort", Errorf(EINVALID, "sort %q is not best or distance.", f.Sort)
	case f.Units != "" && f.Units != "mi" && f.Units != "km":
		return "units", Errorf(EINVALID, "units %q is not mi or km.", f.Units)
	case f.Population != "" && !isCode(f.Population):
		return "population", Errorf(EINVALID, "population %q is not a code such as minors or women.", f.Population)
	case f.Trafficking != "" && !isCode(f.Trafficking):
		return "trafficking", Errorf(EINVALID, "trafficking %q is not a code such as labor or sex.", f.Trafficking)
	case f.Age != nil && (*f.Age < 0 || *f.Age > MaxAge):
		return "age", Errorf(EINVALID, "age must be a whole number from 0 to %d.", MaxAge)
	case f.Open != nil && f.Open.Wall && (f.Open.Day < 0 || f.Open.Day > 6 || f.Open.Minute < -1 || f.Open.Minute >= 1440):
		return "open_at", Errorf(EINVALID, "the day or time to be open at is out of range.")
	case f.Served != "" && f.Served != ServedNone && f.Served != ServedOnly:
		return "served", Errorf(EINVALID, "served %q is not one of none and only.", truncate(f.Served, 20))
	case f.Offset < 0 || f.Limit < 0:
		return "page", Errorf(EINVALID, "offset and limit must not be negative.")
	}
	for _, name := range f.Facets {
		if FacetIndex(name) < 0 {
			return "facets", Errorf(EINVALID, "there is no facet %q: the facets are category, state, country, language, population and trafficking.", name)
		}
	}
	return "", nil
}

// IsCountryCode reports whether s has the form of an ISO 3166-1 alpha-2
// code: two upper-case letters.
func IsCountryCode(s string) bool { return len(s) == 2 && isUpper(s[0]) && isUpper(s[1]) }

// isStateCode reports whether s is two upper-case letters (TX), or an
// ISO 3166-2 code: those, a hyphen and one to three upper-case letters or
// digits (MX-CMX).
func isStateCode(s string) bool {
	if len(s) < 2 || !isUpper(s[0]) || !isUpper(s[1]) {
		return false
	}
	if len(s) == 2 {
		return true
	}
	if len(s) < 4 || len(s) > 6 || s[2] != '-' {
		return false
	}
	for i := 3; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isCode reports whether s is a taxonomy code: 1 to 100 letters, digits
// and . _ : -.
func isCode(s string) bool {
	if len(s) < 1 || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isUpper(c) && !isLower(c) && !isDigit(c) && c != '.' && c != '_' && c != ':' && c != '-' {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// DirectoryDoc is what directory search knows of one service. The SQL store
// writes it beside the service in the transaction that writes the service,
// and an in-memory index reads it back, so that both search the same data.
type DirectoryDoc struct {
	ServiceID string
	Name      string
	Status    string
	OrgID     string
	OrgName   string
	// Places holds one place per location, in location id order.
	Places []DirectoryPlace
	// Categories are taxonomy term codes; Languages ISO 639-1 codes.
	Categories []string
	Languages  []string
	// HeadTerms are the analyzed terms of the service's and organization's
	// names (see package analyze), which rank results; Terms are all the
	// terms a query matches, the head terms among them.
	HeadTerms []string
	Terms     []string
	// MinAge and MaxAge are the service's age bounds, nil when open;
	// Populations and Trafficking the codes of Haven's who-is-served
	// taxonomy it carries; Hours its weekly hours, nil when unknown.
	MinAge, MaxAge *float64
	Populations    []string
	Trafficking    []string
	Hours          []WeeklyHours
	// Areas are the service's areas, resolved or not, by area id;
	// Remote is whether it has a virtual location (servicearea.go).
	Areas  []ServedArea
	Remote bool
	// RoomUpdated is the latest update time (UTC, milliseconds) of the
	// service's capacities above zero, nil for none (see RoomUpdated).
	RoomUpdated *time.Time
}

// DirectoryPlace is where a service is offered.
type DirectoryPlace struct {
	LocationID string
	State      string // as in DirectoryFilter.State; "" when unknown
	Country    string
	City       string
	Lat, Lon   *float64
}

// DirectoryChange records that a service's search document may have
// changed. Seq numbers changes in the order they were committed; an empty
// ServiceID means any service may have changed.
type DirectoryChange struct {
	Seq       int64
	ServiceID string
}

// CountrySummary is a short account of the trafficking situation in a
// country, with its hotlines. Sample summaries are marked so.
type CountrySummary struct {
	Country  string           `json:"country"`
	Summary  Localized        `json:"summary"`
	Hotlines []CountryHotline `json:"hotlines"`
	Sample   bool             `json:"sample"`
}

// CountryHotline is a hotline serving one country.
type CountryHotline struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Note  string `json:"note,omitempty"` // in English
	// NoteES is the note in Spanish; Checked is the date (YYYY-MM-DD) the
	// number was last checked against a source, "" when never.
	NoteES  string `json:"note_es,omitempty"`
	Checked string `json:"checked,omitempty"`
}
