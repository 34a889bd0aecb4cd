package intake

import (
	"fmt"

	"haven/hsds"
)

// What HSDS 1.1 has that 2.0 has not: a taxonomy table of terms, joined
// to services by service_taxonomy rows or by the services table's own
// taxonomy_ids column (comma-separated), and regular_schedule and
// holiday_schedule, which package.go reads with 2.0's schedule.

// taxonomy11 gives a service its terms as HSDS 3.0 attributes.
func (b *builder) taxonomy11(s *hsds.Service, orig, taxonomyIDs string) {
	seen := map[string]bool{}
	b.termLinks(s, orig, "service_taxonomy", "taxonomy_id", "taxonomy", "taxonomy_detail", b.term11, seen)
	for _, tid := range splitList(taxonomyIDs) {
		if seen[tid] {
			continue
		}
		seen[tid] = true
		term := b.term11(tid)
		if term == nil {
			b.invalid(nil, 0, "taxonomy_ids", fmt.Sprintf("taxonomy %q is not in the package", tid))
			continue
		}
		s.Attributes = append(s.Attributes, hsds.Attribute{ID: b.id("service_taxonomy", "taxonomy_ids/"+orig+"/"+tid), LinkID: s.ID, LinkEntity: "service",
			TaxonomyTermID: term.ID, TaxonomyTerm: term})
	}
}

// term11 makes the HSDS 3.0 term of a 1.1 taxonomy row: its id is its code
// (1.1 packages use the taxonomy's own codes as ids, such as AIRS codes).
func (b *builder) term11(id string) *hsds.TaxonomyTerm {
	t := b.p.tables["taxonomy"]
	i, ok := t.row(id)
	if !ok || t.bad[i] {
		return nil
	}
	term := &hsds.TaxonomyTerm{ID: b.id("taxonomy_term", id), Code: id, Name: t.get(i, "name"), Taxonomy: t.get(i, "vocabulary")}
	if term.Name == "" {
		b.invalid(t, i, "name", "required field is missing")
		return nil
	}
	term.Description = term.Name
	if t.get(i, "parent_id") != "" {
		// Haven keeps the terms its services use; a parent no service uses
		// would be a reference to nothing.
		t.fix(i, "parent_id and parent_name left out: Haven keeps only the terms services use", t.where(i))
	}
	b.use(t, i)
	return term
}

// termLinks gives s an attribute for each row of table (1.1's
// service_taxonomy, 2.0's service_attribute) that links it to a term: the
// term is lookup of the row's col, noun names it in the problem when it is
// missing, and valueCol holds the attribute's value ("" for none). seen
// keeps each term once.
func (b *builder) termLinks(s *hsds.Service, orig, table, col, noun, valueCol string, lookup func(string) *hsds.TaxonomyTerm, seen map[string]bool) {
	t := b.p.tables[table]
	if t == nil {
		return
	}
	for _, i := range b.children(table, "service_id", orig) {
		tid := t.get(i, col)
		term := lookup(tid)
		if term == nil {
			b.rowProblem(t, i, col, fmt.Sprintf("%s %q is not in the package", noun, tid))
			continue
		}
		b.use(t, i)
		if seen[tid] {
			continue
		}
		seen[tid] = true
		s.Attributes = append(s.Attributes, hsds.Attribute{ID: b.id(table, t.get(i, "id")), LinkID: s.ID, LinkEntity: "service",
			TaxonomyTermID: term.ID, TaxonomyTerm: term, Value: t.get(i, valueCol)})
	}
}
