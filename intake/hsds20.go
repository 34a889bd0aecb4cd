package intake

import (
	"fmt"
	"strings"

	"haven/hsds"
)

// What HSDS 2.0 has that 1.1 has not: taxonomy_term (with descriptions,
// taxonomies and languages), service_attribute joining terms to services,
// other_attribute joining them to any other row by link_type and link_id
// (eligibility rows carry their criteria this way), and schedule in the
// iCal form HSDS 3.0 kept, which package.go reads.

// attributes20 gives a service its terms as HSDS 3.0 attributes.
func (b *builder) attributes20(s *hsds.Service, orig string) {
	seen := map[string]bool{}
	b.termLinks(s, orig, "service_attribute", "taxonomy_term_id", "taxonomy_term", "", b.term20, seen)
	for _, a := range b.otherAttributes("service", orig, s.ID) {
		if !seen[a.TaxonomyTerm.Code] {
			seen[a.TaxonomyTerm.Code] = true
			s.Attributes = append(s.Attributes, a)
		}
	}
}

// otherAttributes returns the attributes other_attribute links to a row of
// kind ("organization", "location", "service").
func (b *builder) otherAttributes(kind, orig, newID string) []hsds.Attribute {
	t := b.p.tables["other_attribute"]
	if t == nil {
		return nil
	}
	var out []hsds.Attribute
	for _, i := range b.children("other_attribute", "link_id", orig) {
		if canonicalTable(strings.ToLower(t.get(i, "link_type"))) != kind {
			continue
		}
		term := b.term20(t.get(i, "taxonomy_term_id"))
		if term == nil {
			b.rowProblem(t, i, "taxonomy_term_id", fmt.Sprintf("taxonomy_term %q is not in the package", t.get(i, "taxonomy_term_id")))
			continue
		}
		out = append(out, hsds.Attribute{ID: b.id("other_attribute", t.get(i, "id")), LinkID: newID, LinkEntity: kind,
			TaxonomyTermID: term.ID, TaxonomyTerm: term})
		b.use(t, i)
	}
	return out
}

// termNamesFor returns the names of the terms other_attribute links to a
// row of kind, such as an eligibility row's criteria.
func (b *builder) termNamesFor(kind, orig string) []string {
	t := b.p.tables["other_attribute"]
	if t == nil {
		return nil
	}
	var out []string
	for _, i := range b.children("other_attribute", "link_id", orig) {
		if canonicalTable(strings.ToLower(t.get(i, "link_type"))) != kind {
			continue
		}
		if term := b.term20(t.get(i, "taxonomy_term_id")); term != nil {
			out = append(out, term.Name)
			b.use(t, i)
		}
	}
	return out
}

// term20 makes the HSDS 3.0 term of a 2.0 taxonomy_term row.
func (b *builder) term20(id string) *hsds.TaxonomyTerm {
	t := b.p.tables["taxonomy_term"]
	i, ok := t.row(id)
	if !ok || t.bad[i] {
		return nil
	}
	term := &hsds.TaxonomyTerm{ID: b.id("taxonomy_term", id), Code: id, Name: firstOf(t.get(i, "term"), t.get(i, "name")),
		Description: t.get(i, "description"), Taxonomy: t.get(i, "taxonomy")}
	if term.Name == "" {
		b.invalid(t, i, "term", "required field is missing")
		return nil
	}
	if term.Description == "" {
		term.Description = term.Name
		t.fix(i, "description empty: HSDS 3.0 requires one, so it repeats the term", t.where(i))
	}
	if lang := t.get(i, "language"); lang != "" {
		if code, ok := LanguageCode(lang); ok {
			term.Language = code
		} else {
			t.fix(i, "language left out: no single ISO 639 code for it", fmt.Sprintf("%s %q", t.where(i), lang))
		}
	}
	if t.get(i, "parent_id") != "" {
		t.fix(i, "parent_id left out: Haven keeps only the terms services use", t.where(i))
	}
	b.use(t, i)
	return term
}
