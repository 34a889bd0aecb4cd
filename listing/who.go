package listing

import (
	"slices"
	"strconv"
	"strings"

	"haven"
	"haven/hsds"
)

// The service form's fields of who a service helps: its age bounds
// (HSDS minimum_age and maximum_age, as numbers of years) and the codes of
// Haven's who-is-served taxonomy it carries, comma-separated, one field for
// the groups served ("populations") and one for the kinds of trafficking.
func init() {
	ServiceFields = append(ServiceFields, "minimum_age", "maximum_age", "populations", "trafficking")
	serviceTextFields["minimum_age"] = ageField(func(s *hsds.Service) **float64 { return &s.MinimumAge })
	serviceTextFields["maximum_age"] = ageField(func(s *hsds.Service) **float64 { return &s.MaximumAge })
	serviceTextFields["populations"] = whoField("population")
	serviceTextFields["trafficking"] = whoField("trafficking")
}

func ageField(f func(s *hsds.Service) **float64) textField {
	return textField{
		get: func(s *hsds.Service) string {
			if p := *f(s); p != nil {
				return strconv.FormatFloat(*p, 'f', -1, 64)
			}
			return ""
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			v = strings.TrimSpace(v)
			if v == "" {
				*f(s) = nil
				return nil
			}
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 || n > haven.MaxAge || n != n {
				return haven.Errorf(haven.EINVALID, "%q is not an age: write a number of years from 0 to %d, or leave it empty for no limit.", v, haven.MaxAge)
			}
			*f(s) = &n
			return nil
		},
	}
}

// whoField reads and writes the terms of one facet of the who-is-served
// taxonomy among a service's attributes, leaving the others as they are.
func whoField(facet string) textField {
	return textField{
		get: func(s *hsds.Service) string {
			var codes []string
			for _, a := range s.Attributes {
				if f, code, ok := haven.WhoTermOf(a.TaxonomyTermID); ok && f == facet && !slices.Contains(codes, code) {
					codes = append(codes, code)
				}
			}
			return strings.Join(codes, ", ")
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			have := map[string]hsds.Attribute{}
			var out []hsds.Attribute
			for _, a := range s.Attributes {
				if f, code, ok := haven.WhoTermOf(a.TaxonomyTermID); ok && f == facet {
					have[code] = a
				} else {
					out = append(out, a)
				}
			}
			for _, code := range splitList(strings.ToLower(v)) {
				if a, ok := have[code]; ok {
					out = append(out, a)
					continue
				}
				id := haven.WhoTermID(facet, code)
				if id == "" {
					return haven.Errorf(haven.EINVALID, "%q is not one of the codes %s.", code, strings.Join(haven.WhoCodes(facet), ", "))
				}
				out = append(out, hsds.Attribute{ID: newID(), LinkID: s.ID, LinkEntity: "service", TaxonomyTermID: id})
			}
			s.Attributes = out
			return nil
		},
	}
}
