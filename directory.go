package haven

import (
	"context"
	"math"
	"regexp"
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

	// AllStatuses includes inactive and defunct services.
	AllStatuses bool

	// OrganizationID, TaxonomyTermID, TaxonomyID and ModifiedAfter serve the
	// HSDS API's filters.
	OrganizationID string
	TaxonomyTermID string
	TaxonomyID     string
	ModifiedAfter  time.Time

	Offset int
	Limit  int
}

// LatLon is a point on Earth in degrees.
type LatLon struct {
	Lat float64 `json:"latitude"`
	Lon float64 `json:"longitude"`
}

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
}

// DirectoryResult is one page of a directory search.
type DirectoryResult struct {
	Total  int
	Hits   []DirectoryHit
	Facets map[string][]FacetCount // category, state, country, language
}

// DirectoryFacets are the facets of a directory search.
var DirectoryFacets = []string{"category", "state", "country", "language"}

// DirectorySearcher finds services. The SQL store implements it as the
// reference; faster implementations sit beside it and must agree with it.
type DirectorySearcher interface {
	// SearchDirectory returns EINVALID for a malformed filter.
	SearchDirectory(ctx context.Context, f DirectoryFilter) (*DirectoryResult, error)
}

// MaxRadiusKm bounds a distance search; a wider one is no longer "near".
const MaxRadiusKm = 1000

var (
	stateRE    = regexp.MustCompile(`^([A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3})$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	languageRE = regexp.MustCompile(`^[a-z]{2}$`)
	codeRE     = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,100}$`)
)

// Validate checks a filter's values, naming the first bad one. Every
// DirectorySearcher validates alike, so that all refuse the same filters.
func (f DirectoryFilter) Validate() error {
	switch {
	case f.State != "" && !stateRE.MatchString(f.State):
		return Errorf(EINVALID, "state %q is not a U.S. state code (TX) or an ISO 3166-2 code (MX-CMX).", f.State)
	case f.Country != "" && !countryRE.MatchString(f.Country):
		return Errorf(EINVALID, "country %q is not an ISO 3166-1 alpha-2 code such as US or MX.", f.Country)
	case f.Language != "" && !languageRE.MatchString(f.Language):
		return Errorf(EINVALID, "language %q is not an ISO 639-1 code such as en or es.", f.Language)
	case f.Category != "" && !codeRE.MatchString(f.Category):
		return Errorf(EINVALID, "category %q is not a taxonomy code.", f.Category)
	case f.RadiusKm < 0 || f.RadiusKm > MaxRadiusKm || math.IsNaN(f.RadiusKm):
		return Errorf(EINVALID, "The radius must be from 0 to %d km.", MaxRadiusKm)
	case f.RadiusKm > 0 && f.Near == nil:
		return Errorf(EINVALID, "A radius needs a place to measure from.")
	case f.Near != nil && !(geo.Point{Lat: f.Near.Lat, Lon: f.Near.Lon}).Valid():
		return Errorf(EINVALID, "The place is not a valid latitude and longitude.")
	case f.Offset < 0 || f.Limit < 0:
		return Errorf(EINVALID, "offset and limit must not be negative.")
	}
	return nil
}

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
