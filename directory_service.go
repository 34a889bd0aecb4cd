package haven

import (
	"context"

	"haven/hsds"
)

// TermFilter selects taxonomy terms.
type TermFilter struct {
	Search     string
	TaxonomyID string
	ParentID   string
	TopOnly    bool
	Offset     int
	Limit      int
}

// OrganizationFilter selects organizations for the HSDS /organizations
// list: by name, and (HSDS 3.1) by a taxonomy term or any term of a
// taxonomy, which the organization or one of its services carries.
type OrganizationFilter struct {
	Search         string
	TaxonomyTermID string
	TaxonomyID     string
	Offset         int
	Limit          int
}

// ProviderDraft is what a curator gives to add a service: the service's
// fields as text (see package listing), its place, and either an existing
// organization or a new one.
type ProviderDraft struct {
	OrganizationID string
	NewOrgName     string
	NewOrgDesc     string
	Service        map[string]string
	Location       map[string]string
}

// DirectoryService reads the provider directory: searches, HSDS objects
// and counts.
type DirectoryService interface {
	DirectorySearcher
	// Engine names what answers the store's own searches ("sqlite",
	// "postgres"), as DirectoryResult.Engine does, for the HSDS lists
	// that return ids rather than a DirectoryResult.
	Engine() string
	// FindServiceByID returns a service, or ENOTFOUND.
	FindServiceByID(ctx context.Context, id string) (*hsds.Service, error)
	// FindServicesByID returns the services of those ids that exist, in the
	// order asked.
	FindServicesByID(ctx context.Context, ids []string) ([]*hsds.Service, error)
	// FindOrganizationByID returns an organization and its services' ids,
	// or ENOTFOUND.
	FindOrganizationByID(ctx context.Context, id string) (*hsds.Organization, []string, error)
	// ListOrganizations returns a page of organizations matching the
	// filter, and how many match.
	ListOrganizations(ctx context.Context, f OrganizationFilter) ([]*hsds.Organization, int, error)
	// ListTaxonomies returns a page of taxonomies, and how many match.
	ListTaxonomies(ctx context.Context, search string, offset, limit int) ([]*hsds.Taxonomy, int, error)
	// FindTaxonomyByID returns a taxonomy, or ENOTFOUND.
	FindTaxonomyByID(ctx context.Context, id string) (*hsds.Taxonomy, error)
	// ListTaxonomyTerms returns a page of taxonomy terms by code, and how
	// many match.
	ListTaxonomyTerms(ctx context.Context, f TermFilter) ([]*hsds.TaxonomyTerm, int, error)
	// FindTaxonomyTermByID returns a taxonomy term, or ENOTFOUND.
	FindTaxonomyTermByID(ctx context.Context, id string) (*hsds.TaxonomyTerm, error)
	// ListServiceAtLocations returns the ids of a page of service-at-
	// locations of the services the filter selects, and how many there are;
	// EINVALID for a malformed filter.
	ListServiceAtLocations(ctx context.Context, f DirectoryFilter) ([]string, int, error)
	// FindServiceAtLocations returns service-at-locations by id.
	FindServiceAtLocations(ctx context.Context, ids []string) ([]*hsds.ServiceAtLocation, error)
	// CountServices returns how many services there are, and how many of
	// them are sample data.
	CountServices(ctx context.Context) (total, sample int, err error)
	// HasServices reports whether the directory holds any service.
	HasServices(ctx context.Context) (bool, error)
	// EachService calls fn with every service, in id order, until it
	// returns an error.
	EachService(ctx context.Context, fn func(*hsds.Service) error) error
}

// DirectoryEditor saves curators' edits of the directory. Each edit checks
// the result as an import would (EINVALID, naming the field, when it does
// not validate), is audited field by field in the transaction that makes
// it, and rewrites the search documents of the services it touches.
type DirectoryEditor interface {
	// UpdateService applies changes, in the text forms of package listing,
	// to a service's fields. EINVALID for an unknown field or a bad value;
	// ENOTFOUND for an unknown service.
	UpdateService(ctx context.Context, actor, id string, changes map[string]string) error
	// VerifyService records that a curator confirmed a service today;
	// ENOTFOUND for an unknown service.
	VerifyService(ctx context.Context, actor, id string) error
	// UndoChange sets the field one audit line changed (of a service,
	// organization, location, or an entry's web address) back to its value
	// before, audited as an undo of that line. ENOTFOUND for an unknown
	// line; EINVALID for a line that is not one such field's change;
	// ECONFLICT when the field has changed again since.
	UndoChange(ctx context.Context, actor string, entryID int64) error
	// UpdateOrganization applies changes to an organization's fields (see
	// package listing). EINVALID for an unknown field or a bad value;
	// ENOTFOUND for an unknown organization.
	UpdateOrganization(ctx context.Context, actor, id string, changes map[string]string) error
	// VerifyOrganization records that a curator confirmed an organization
	// today; ENOTFOUND for an unknown organization.
	VerifyOrganization(ctx context.Context, actor, id string) error
	// RetireOrganization marks every service of an organization defunct;
	// ENOTFOUND for an unknown organization.
	RetireOrganization(ctx context.Context, actor, id string) error
	// FindLocation returns a location, or ENOTFOUND.
	FindLocation(ctx context.Context, id string) (*hsds.Location, error)
	// UpdateLocation saves a location's fields given as text (see package
	// listing). EINVALID for a bad value; ENOTFOUND for an unknown location.
	UpdateLocation(ctx context.Context, actor, id string, values map[string]string) error
	// CreateService adds a service, its location and, when asked, a new
	// organization, and returns the new service's id. EINVALID for a bad
	// value or an unknown organization.
	CreateService(ctx context.Context, actor string, p ProviderDraft) (string, error)
	// CreateTerm adds a term to Haven's category taxonomy. EINVALID for a
	// bad code or a missing name or description; ECONFLICT when the code
	// exists.
	CreateTerm(ctx context.Context, actor, code, name, description string) error
	// UpdateTerm renames or re-describes a taxonomy term. EINVALID for a
	// missing name or description; ENOTFOUND for an unknown term.
	UpdateTerm(ctx context.Context, actor, id, name, description string) error
}

// CountryService keeps the country summaries.
type CountryService interface {
	// FindCountrySummary returns a country's summary, or nil when it has
	// none.
	FindCountrySummary(ctx context.Context, country string) (*CountrySummary, error)
	// SaveCountrySummary stores a country's summary; with an actor (a
	// curator's edit) each changed field is audited. EINVALID for a bad
	// country code or a summary in one language only; a summary empty in
	// both means none has been written.
	SaveCountrySummary(ctx context.Context, actor string, c *CountrySummary) error
}
