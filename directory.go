package haven

import (
	"context"
	"time"
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
	Note  string `json:"note,omitempty"`
}
