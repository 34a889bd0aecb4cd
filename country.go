package haven

import "context"

// Tiers of the U.S. Department of State's Trafficking in Persons Report, in
// the order the report lists them.
const (
	Tier1         = "1"
	Tier2         = "2"
	Tier2Watch    = "2WL"
	Tier3         = "3"
	TierSpecial   = "special"
	TierReportURL = "https://www.state.gov/reports/2025-trafficking-in-persons-report/"
)

// Tiers lists the tiers, best first.
var Tiers = []string{Tier1, Tier2, Tier2Watch, Tier3, TierSpecial}

// CountryTier is a country's placement in a Trafficking in Persons Report.
type CountryTier struct {
	Country string `json:"country"` // ISO 3166-1 alpha-2 (XK for Kosovo)
	Tier    string `json:"tier"`    // one of Tiers
	Year    int    `json:"report_year"`
	// Source names where the placement was read (the report's address).
	Source string `json:"source"`
}

// CountryTierService keeps the table of tiers.
type CountryTierService interface {
	// ListCountryTiers returns every country's tier, by country code.
	ListCountryTiers(ctx context.Context) ([]CountryTier, error)
	// FindCountryTier returns a country's tier, or nil when the table has
	// none for it.
	FindCountryTier(ctx context.Context, country string) (*CountryTier, error)
	// ReplaceCountryTiers replaces the whole table, in one transaction,
	// auditing each country whose tier changes as an import by actor.
	// EINVALID for an empty table or a bad row; nothing changes then.
	ReplaceCountryTiers(ctx context.Context, actor string, tiers []CountryTier) (changed int, err error)
}
