package haven

// The controlled vocabularies of the resource library. Each value is a stable
// slug used in URLs, the API and the catalog file; its label comes from the
// message catalog under "<facet>.<value>" (for example "kind.pocket-card").

// Sections, in the order the seed page lists them.
var Sections = []string{"documents", "organizations", "websites", "hotlines"}

// Kinds of resource.
var Kinds = []string{
	"guide", "handbook", "manual", "toolkit", "pocket-card", "fact-sheet",
	"directory", "report", "website", "organization", "program", "hotline",
}

// Audiences a resource is written for.
var Audiences = []string{
	"law-enforcement", "prosecutors", "health-care", "social-services",
	"legal-immigration", "policymakers", "ngos", "educators", "general-public",
}

// Topics a resource covers.
var Topics = []string{
	"identification", "investigation", "victim-services", "shelter", "health",
	"mental-health", "immigration", "legislation", "human-rights",
	"labor-trafficking", "sex-trafficking", "technology", "culture",
}

// Regions: the United States, the world at large, or one country given by
// its lower-case ISO 3166-1 alpha-2 code.
var Regions = []string{"us", "international", "au"}

// Languages a resource or UI may be in, as ISO 639-1 codes.
var Languages = []string{"en", "es", "zh", "ru", "pl"}

// Facets are the filterable fields of the library, in display order.
var Facets = []string{"section", "kind", "audience", "topic", "region"}

// FacetValues returns the allowed values of a facet, or nil for an unknown facet.
func FacetValues(facet string) []string {
	switch facet {
	case "section":
		return Sections
	case "kind":
		return Kinds
	case "audience":
		return Audiences
	case "topic":
		return Topics
	case "region":
		return Regions
	case "language":
		return Languages
	case "category":
		return Categories
	}
	return nil
}

// ValidValue reports whether value belongs to the facet's vocabulary.
func ValidValue(facet, value string) bool {
	for _, v := range FacetValues(facet) {
		if v == value {
			return true
		}
	}
	return false
}

// Categories are the codes of Haven's service taxonomy ("haven-categories"),
// the category facet of the directory. Imported data may bring terms of other
// taxonomies too; these are the ones Haven labels in every language.
var Categories = []string{
	"legal-services", "immigration-legal", "shelter", "housing", "case-management",
	"medical-care", "mental-health", "substance-use", "crisis-hotline", "food-clothing",
	"employment", "education", "interpretation", "law-enforcement-liaison",
	"youth-services", "labor-rights",
}

// CategoryTaxonomyID is the id of Haven's own taxonomy.
const CategoryTaxonomyID = "6a1c4b5e-0c84-4d7e-9d0a-3f1f4e5b7a01"
