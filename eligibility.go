package haven

import (
	"slices"

	"haven/hsds"
)

// Who a service helps: the age bounds of HSDS (a service's minimum_age and
// maximum_age) and Haven's own small taxonomy of the groups a service
// says it serves ("population") and the kinds of trafficking it works on
// ("trafficking"). Services carry its terms as HSDS attributes, as they
// carry categories; search reads them into DirectoryDoc.Populations and
// DirectoryDoc.Trafficking instead of the categories.

// WhoTaxonomyID is the id of Haven's taxonomy of who a service helps.
const WhoTaxonomyID = "0efe9fab-cd65-4523-9420-4a15e42b222a"

// WhoTaxonomyURI names the taxonomy for programs reading an export.
const WhoTaxonomyURI = "https://haven.invalid/taxonomies/who-is-served"

// Populations are the codes of the groups a service may say it serves, in
// display order; their labels come from the catalog ("population.<code>").
var Populations = []string{"minors", "women", "men", "lgbtq", "foreign-nationals", "us-citizens"}

// TraffickingKinds are the kinds of trafficking a service may say it works
// on ("trafficking.<code>" in the catalog).
var TraffickingKinds = []string{"labor", "sex"}

// MaxAge bounds the age a search asks for.
const MaxAge = 120

// whoTerm is one term of the taxonomy, with fixed id and names.
type whoTerm struct {
	id, facet, code, en, es string
}

// whoTerms are the taxonomy's terms. Their ids are fixed, so that every
// database and export agrees on them; code is unique within a facet, and
// the term's code in HSDS is "<facet>:<code>" (population:minors), unique
// within the taxonomy.
var whoTerms = []whoTerm{
	{"0c88cd42-67b4-424f-b8e9-e627218ca8c9", "population", "minors", "Minors (under 18)", "Menores de edad (menos de 18)"},
	{"4d8d2797-720b-4fff-b964-113945d3b724", "population", "women", "Women", "Mujeres"},
	{"9137d53f-bd37-4852-95f4-e35b71aca1dd", "population", "men", "Men", "Hombres"},
	{"6dff2bdd-e945-40ba-9f4c-1821d8b36aed", "population", "lgbtq", "LGBTQ+ people", "Personas LGBTQ+"},
	{"360342d0-9749-449f-870d-43cb932fd6f4", "population", "foreign-nationals", "Foreign nationals", "Personas extranjeras"},
	{"17d685d1-cf19-40a6-80a1-624c98961625", "population", "us-citizens", "U.S. citizens", "Ciudadanos de EE. UU."},
	{"934ce359-ce4e-4146-9d7d-3ce78d2af3b6", "trafficking", "labor", "Labor trafficking", "Trata laboral"},
	{"a4586f29-f6be-40f2-bbc9-dfe0bc5d0f9c", "trafficking", "sex", "Sex trafficking", "Trata sexual"},
}

// WhoTermID returns the id of the term of a facet ("population" or
// "trafficking") and code, "" for none.
func WhoTermID(facet, code string) string {
	for _, t := range whoTerms {
		if t.facet == facet && t.code == code {
			return t.id
		}
	}
	return ""
}

// WhoTermOf returns the facet and code of a term of the taxonomy by its id,
// ok false for a term of another taxonomy.
func WhoTermOf(termID string) (facet, code string, ok bool) {
	for _, t := range whoTerms {
		if t.id == termID {
			return t.facet, t.code, true
		}
	}
	return "", "", false
}

// WhoCodes returns the codes of a facet of the taxonomy, nil for another
// name.
func WhoCodes(facet string) []string {
	switch facet {
	case "population":
		return Populations
	case "trafficking":
		return TraffickingKinds
	}
	return nil
}

// WhoTaxonomy returns the taxonomy and its terms, English names in Name
// and Spanish ones as HSDS has no room for them: in the description.
func WhoTaxonomy() (hsds.Taxonomy, []hsds.TaxonomyTerm) {
	tax := hsds.Taxonomy{
		ID: WhoTaxonomyID, Name: "Haven: who is served",
		Description: "The groups a service says it serves, and the kinds of human trafficking it works on.",
		URI:         WhoTaxonomyURI, Version: "1",
	}
	terms := make([]hsds.TaxonomyTerm, 0, len(whoTerms))
	for _, t := range whoTerms {
		terms = append(terms, hsds.TaxonomyTerm{
			ID: t.id, Code: t.facet + ":" + t.code, Name: t.en,
			Description: t.en + " (" + t.facet + "). Español: " + t.es + ".",
			Taxonomy:    tax.Name, TaxonomyID: WhoTaxonomyID, Language: "en",
		})
	}
	return tax, terms
}

// WhoOf returns the populations and kinds of trafficking a service's
// attributes name, each sorted and once.
func WhoOf(s *hsds.Service) (populations, trafficking []string) {
	for _, a := range s.Attributes {
		facet, code, ok := WhoTermOf(a.TaxonomyTermID)
		if !ok && a.TaxonomyTerm != nil {
			facet, code, ok = WhoTermOf(a.TaxonomyTerm.ID)
		}
		switch {
		case !ok:
		case facet == "population" && !slices.Contains(populations, code):
			populations = append(populations, code)
		case facet == "trafficking" && !slices.Contains(trafficking, code):
			trafficking = append(trafficking, code)
		}
	}
	slices.Sort(populations)
	slices.Sort(trafficking)
	return populations, trafficking
}

// AgeAdmits reports whether bounds admit an age; a missing bound is open.
func AgeAdmits(minAge, maxAge *float64, age int) bool {
	a := float64(age)
	return (minAge == nil || *minAge <= a) && (maxAge == nil || a <= *maxAge)
}
