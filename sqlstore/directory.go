package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"haven"
	"haven/analyze"
	"haven/geo"
	"haven/hsds"
)

// The directory keeps each service as its HSDS document, less the parts it
// shares with other services — its organization, program, locations and
// taxonomy terms — which are stored once in their own tables and joined back
// on reading. Every object is also written to the table of its kind, with
// its references as foreign keys, so that SQL can filter on any of them.
// All of it is rewritten in the transaction that writes the service.

// stmt returns a statement prepared once per transaction; imports run the
// same few statements hundreds of thousands of times.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	s, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %.60s: %w", query, err)
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s, nil
}

// exec runs a statement prepared once per transaction; in bulk mode an
// INSERT is buffered instead (see bulk.go).
func (tx *Tx) exec(ctx context.Context, query string, args ...any) error {
	if done, err := tx.buffer(ctx, query, args); done {
		return err
	}
	if err := tx.barrier(ctx); err != nil {
		return err
	}
	return tx.execNow(ctx, query, args...)
}

// execNow runs a prepared statement with no regard to bulk mode.
func (tx *Tx) execNow(ctx context.Context, query string, args ...any) error {
	s, err := tx.stmt(ctx, query)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(ctx, args...)
	return err
}

// storedValue returns the one text value query finds, nil when it finds
// no row.
func (tx *Tx) storedValue(ctx context.Context, query string, args ...any) (*string, error) {
	if err := tx.barrier(ctx); err != nil {
		return nil, err
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	var v string
	if err := st.QueryRowContext(ctx, args...).Scan(&v); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &v, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the hsds types always marshal
	}
	return string(b)
}

// null turns "" into SQL NULL, for optional references.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b *bool) int {
	if b != nil && *b {
		return 1
	}
	return 0
}

// putService writes one service and everything nested in it.
func putService(ctx context.Context, tx *Tx, s *hsds.Service) error {
	if s.Organization != nil {
		if err := putOrganization(ctx, tx, s.Organization); err != nil {
			return err
		}
	}
	if s.Program != nil {
		if err := putProgram(ctx, tx, s.Program, s.OrganizationID); err != nil {
			return err
		}
	}
	for i := range s.ServiceAtLocations {
		if l := s.ServiceAtLocations[i].Location; l != nil {
			if err := putLocation(ctx, tx, l); err != nil {
				return err
			}
		}
	}
	if err := putAttributeTerms(ctx, tx, s.Attributes); err != nil {
		return err
	}

	// The stored document leaves out what is stored elsewhere: capacities
	// live in service_capacities alone (capacities.go).
	doc := *s
	doc.Organization, doc.Program, doc.Capacities = nil, nil, nil
	doc.ServiceAtLocations = make([]hsds.ServiceAtLocation, len(s.ServiceAtLocations))
	for i, sal := range s.ServiceAtLocations {
		sal.Location = nil
		sal.Service = nil
		doc.ServiceAtLocations[i] = sal
	}
	doc.Attributes = stripTerms(s.Attributes)
	sdoc, body, err := searchInputs(ctx, tx, s)
	if err != nil {
		return err
	}
	// A new service in a bulk import has nothing to replace, and its search
	// terms go in with it instead of in an UPDATE after it.
	fresh := tx.isNew(true)
	if fresh {
		if err := insertNewService(ctx, tx, s, mustJSON(doc), sdoc.HeadTerms, body); err != nil {
			return err
		}
	} else if err := tx.exec(ctx, `INSERT INTO services (id, organization_id, program_id, name, status, data, sample, last_verified, last_modified, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, program_id = excluded.program_id,
			name = excluded.name, status = excluded.status, data = excluded.data, sample = excluded.sample,
			last_verified = excluded.last_verified, last_modified = excluded.last_modified, updated_at = excluded.updated_at`,
		s.ID, s.OrganizationID, null(s.ProgramID), s.Name, s.Status, mustJSON(doc), boolInt(s.XSample),
		s.XLastVerified, normalTime(s.LastModified), formatTime(tx.now)); err != nil {
		return fmt.Errorf("service %s: %w", s.ID, err)
	}

	// Replace the rows this service owns. Deleting its service_at_locations
	// cascades to their phones, schedules and contacts.
	if !fresh {
		if err := clearChildren(ctx, tx, s.ID, "service_id", "service_at_locations", "phones", "schedules", "languages", "contacts",
			"service_areas", "cost_options", "required_documents", "funding", "urls", "service_capacities"); err != nil {
			return err
		}
		if err := tx.exec(ctx, `DELETE FROM metadata WHERE resource_id = $1`, s.ID); err != nil {
			return err
		}
	}
	// An area listed by the service and by one of its service_at_locations
	// (as a tabular package nests it) is one row with both owners.
	areaSAL := map[string]string{}
	for _, sal := range s.ServiceAtLocations {
		for _, a := range sal.ServiceAreas {
			areaSAL[a.ID] = sal.ID
		}
	}
	ownArea := map[string]bool{}
	for _, a := range s.ServiceAreas {
		ownArea[a.ID] = true
	}
	for _, sal := range s.ServiceAtLocations {
		if err := tx.exec(ctx, `INSERT INTO service_at_locations (id, service_id, location_id, data) VALUES ($1, $2, $3, $4)`,
			sal.ID, s.ID, sal.LocationID, mustJSON(sal)); err != nil {
			return fmt.Errorf("service_at_location %s: %w", sal.ID, err)
		}
		for _, a := range sal.ServiceAreas {
			if ownArea[a.ID] {
				continue
			}
			if err := putServiceArea(ctx, tx, &a, a.ServiceID, sal.ID); err != nil {
				return err
			}
		}
		for _, p := range sal.Phones {
			if err := putPhone(ctx, tx, &p, phoneOwner{salID: sal.ID}); err != nil {
				return err
			}
		}
		for _, sc := range sal.Schedules {
			if err := putRow(ctx, tx, "schedules", "service_at_location_id", sal.ID, sc.ID, sc); err != nil {
				return err
			}
		}
		for _, c := range sal.Contacts {
			if err := putContact(ctx, tx, &c, "service_at_location_id", sal.ID); err != nil {
				return err
			}
		}
	}
	for _, p := range s.Phones {
		if err := putPhone(ctx, tx, &p, phoneOwner{serviceID: s.ID}); err != nil {
			return err
		}
	}
	for _, c := range s.Contacts {
		if err := putContact(ctx, tx, &c, "service_id", s.ID); err != nil {
			return err
		}
	}
	for _, l := range s.Languages {
		if err := tx.exec(ctx, `INSERT INTO languages (id, service_id, code, data) VALUES ($1, $2, $3, $4)`, l.ID, s.ID, l.Code, mustJSON(l)); err != nil {
			return fmt.Errorf("language %s: %w", l.ID, err)
		}
	}
	rows := []struct {
		table string
		items []identified
	}{
		{"schedules", ids(s.Schedules)}, {"cost_options", ids(s.CostOptions)},
		{"required_documents", ids(s.RequiredDocuments)}, {"funding", ids(s.Funding)}, {"urls", ids(s.AdditionalURLs)},
	}
	for _, a := range s.ServiceAreas {
		if err := putServiceArea(ctx, tx, &a, s.ID, areaSAL[a.ID]); err != nil {
			return err
		}
	}
	for _, r := range rows {
		for _, it := range r.items {
			if err := putRow(ctx, tx, r.table, "service_id", s.ID, it.id, it.v); err != nil {
				return err
			}
		}
	}
	if err := putCapacities(ctx, tx, s.ID, s.Capacities); err != nil {
		return err
	}
	if err := putAttributes(ctx, tx, "service", s.ID, s.Attributes); err != nil {
		return err
	}
	if err := putMetadata(ctx, tx, "service", s.ID, s.Metadata); err != nil {
		return err
	}
	return writeSearch(ctx, tx, s.ID, sdoc, body, fresh)
}

// clearChildren deletes an owner's rows from each table, by the owner
// column, and its attributes.
func clearChildren(ctx context.Context, tx *Tx, id, ownerCol string, tables ...string) error {
	if err := tx.restoreIndexes(ctx); err != nil {
		return err
	}
	for _, table := range tables {
		if err := tx.exec(ctx, `DELETE FROM `+table+` WHERE `+ownerCol+` = $1`, id); err != nil {
			return err
		}
	}
	return tx.exec(ctx, `DELETE FROM attributes WHERE link_id = $1`, id)
}

// insertNewService writes a service a bulk import knows to be new, with its
// search terms: on SQLite under a rowid chosen here, which its full-text
// row then reuses; on PostgreSQL with its tsvector.
func insertNewService(ctx context.Context, tx *Tx, s *hsds.Service, data string, head, body []string) error {
	args := []any{s.ID, s.OrganizationID, null(s.ProgramID), s.Name, s.Status, data, boolInt(s.XSample),
		s.XLastVerified, normalTime(s.LastModified), formatTime(tx.now), " " + strings.Join(head, " ") + " "}
	var err error
	if !tx.db.dialect.fts {
		err = tx.exec(ctx, `INSERT INTO services (id, organization_id, program_id, name, status, data, sample, last_verified, last_modified, updated_at, head_terms, search)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
				setweight(array_to_tsvector(string_to_array($12, ' ')), 'A') || setweight(array_to_tsvector(string_to_array($13, ' ')), 'B'))`,
			append(args, strings.Join(head, " "), strings.Join(body, " "))...)
	} else {
		rowid := tx.bulk.nextRowid
		tx.bulk.nextRowid++
		err = tx.exec(ctx, `INSERT INTO services (id, organization_id, program_id, name, status, data, sample, last_verified, last_modified, updated_at, head_terms, rowid)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, append(args, rowid)...)
		if err == nil {
			err = tx.exec(ctx, `INSERT INTO services_fts (rowid, name_terms, body_terms) VALUES ($1, $2, $3)`,
				rowid, strings.Join(head, " "), strings.Join(body, " "))
		}
	}
	if err != nil {
		return fmt.Errorf("service %s: %w", s.ID, err)
	}
	return nil
}

type identified struct {
	id string
	v  any
}

// ids pairs each element with its id, for the generic row writer.
func ids[T any](xs []T) []identified {
	out := make([]identified, len(xs))
	for i := range xs {
		out[i] = identified{idOf(&xs[i]), xs[i]}
	}
	return out
}

func idOf(v any) string {
	switch x := v.(type) {
	case *hsds.Schedule:
		return x.ID
	case *hsds.ServiceArea:
		return x.ID
	case *hsds.CostOption:
		return x.ID
	case *hsds.RequiredDocument:
		return x.ID
	case *hsds.Funding:
		return x.ID
	case *hsds.Accessibility:
		return x.ID
	case *hsds.OrganizationIdentifier:
		return x.ID
	case *hsds.URL:
		return x.ID
	}
	panic(fmt.Sprintf("idOf: %T", v))
}

// putServiceArea writes a service area of a service, of a
// service_at_location, or of both.
func putServiceArea(ctx context.Context, tx *Tx, a *hsds.ServiceArea, serviceID, salID string) error {
	if err := tx.exec(ctx, `INSERT INTO service_areas (id, service_id, service_at_location_id, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id,
			service_at_location_id = excluded.service_at_location_id, data = excluded.data`,
		a.ID, null(serviceID), null(salID), mustJSON(a)); err != nil {
		return fmt.Errorf("service_area %s: %w", a.ID, err)
	}
	return nil
}

// putRow writes a child row whose only reference is one owner column.
func putRow(ctx context.Context, tx *Tx, table, ownerCol, ownerID, id string, v any) error {
	err := tx.exec(ctx, `INSERT INTO `+table+` (id, `+ownerCol+`, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET `+ownerCol+` = excluded.`+ownerCol+`, data = excluded.data`, id, ownerID, mustJSON(v))
	if err != nil {
		return fmt.Errorf("%s %s: %w", strings.TrimSuffix(table, "s"), id, err)
	}
	return nil
}

type phoneOwner struct{ serviceID, locationID, orgID, contactID, salID string }

func putPhone(ctx context.Context, tx *Tx, p *hsds.Phone, o phoneOwner) error {
	if err := tx.exec(ctx, `INSERT INTO phones (id, organization_id, service_id, location_id, contact_id, service_at_location_id, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, service_id = excluded.service_id,
			location_id = excluded.location_id, contact_id = excluded.contact_id,
			service_at_location_id = excluded.service_at_location_id, data = excluded.data`,
		p.ID, null(o.orgID), null(o.serviceID), null(o.locationID), null(o.contactID), null(o.salID), mustJSON(p)); err != nil {
		return fmt.Errorf("phone %s: %w", p.ID, err)
	}
	for _, l := range p.Languages {
		if err := tx.exec(ctx, `INSERT INTO languages (id, phone_id, code, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET phone_id = excluded.phone_id, code = excluded.code, data = excluded.data`,
			l.ID, p.ID, l.Code, mustJSON(l)); err != nil {
			return fmt.Errorf("language %s: %w", l.ID, err)
		}
	}
	return nil
}

func putContact(ctx context.Context, tx *Tx, c *hsds.Contact, ownerCol, ownerID string) error {
	if err := tx.exec(ctx, `INSERT INTO contacts (id, `+ownerCol+`, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET `+ownerCol+` = excluded.`+ownerCol+`, data = excluded.data`, c.ID, ownerID, mustJSON(c)); err != nil {
		return fmt.Errorf("contact %s: %w", c.ID, err)
	}
	for _, p := range c.Phones {
		if err := putPhone(ctx, tx, &p, phoneOwner{contactID: c.ID}); err != nil {
			return err
		}
	}
	return nil
}

func putOrganization(ctx context.Context, tx *Tx, o *hsds.Organization) error {
	doc := *o
	doc.Services = nil
	data := mustJSON(doc)
	same, first := tx.unchanged("organizations", o.ID, data)
	if same {
		return nil
	}
	fresh := tx.isNew(first)
	// Search results show an organization's name beside each of its
	// services: a new name is a change to all of them.
	if fresh {
		// nothing stored to compare with
	} else if before, err := tx.storedValue(ctx, `SELECT name FROM organizations WHERE id = $1`, o.ID); err != nil {
		return err
	} else if before != nil && *before != o.Name {
		addID(&tx.changes.orgs, o.ID)
	}
	if err := tx.exec(ctx, `INSERT INTO organizations (id, name, data, sample, last_verified, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data, sample = excluded.sample,
			last_verified = excluded.last_verified, updated_at = excluded.updated_at`,
		o.ID, o.Name, data, boolInt(o.XSample), o.XLastVerified, formatTime(tx.now)); err != nil {
		return fmt.Errorf("organization %s: %w", o.ID, err)
	}
	if !fresh {
		if err := clearChildren(ctx, tx, o.ID, "organization_id", "organization_identifiers", "phones", "contacts", "funding", "urls"); err != nil {
			return err
		}
	}
	for _, p := range o.Phones {
		if err := putPhone(ctx, tx, &p, phoneOwner{orgID: o.ID}); err != nil {
			return err
		}
	}
	for _, c := range o.Contacts {
		if err := putContact(ctx, tx, &c, "organization_id", o.ID); err != nil {
			return err
		}
	}
	for _, it := range ids(o.Funding) {
		if err := putRow(ctx, tx, "funding", "organization_id", o.ID, it.id, it.v); err != nil {
			return err
		}
	}
	for _, it := range ids(o.OrganizationIdentifiers) {
		if err := putRow(ctx, tx, "organization_identifiers", "organization_id", o.ID, it.id, it.v); err != nil {
			return err
		}
	}
	for _, it := range ids(o.AdditionalWebsites) {
		if err := putRow(ctx, tx, "urls", "organization_id", o.ID, it.id, it.v); err != nil {
			return err
		}
	}
	for i := range o.Programs {
		if err := putProgram(ctx, tx, &o.Programs[i], o.ID); err != nil {
			return err
		}
	}
	for i := range o.Locations {
		if err := putLocation(ctx, tx, &o.Locations[i]); err != nil {
			return err
		}
	}
	if err := putAttributeTerms(ctx, tx, o.Attributes); err != nil {
		return err
	}
	if err := putAttributes(ctx, tx, "organization", o.ID, o.Attributes); err != nil {
		return err
	}
	return putMetadata(ctx, tx, "organization", o.ID, o.Metadata)
}

func putProgram(ctx context.Context, tx *Tx, p *hsds.Program, orgID string) error {
	if p.OrganizationID != "" {
		orgID = p.OrganizationID
	}
	return putRow(ctx, tx, "programs", "organization_id", orgID, p.ID, p)
}

func putLocation(ctx context.Context, tx *Tx, l *hsds.Location) error {
	doc := *l
	doc.Attributes = stripTerms(l.Attributes)
	data := mustJSON(doc)
	same, first := tx.unchanged("locations", l.ID, data)
	if same {
		return nil
	}
	fresh := tx.isNew(first)
	// Search results show a location's city beside each service offered
	// there: a changed location is a change to all of them.
	if fresh {
		// nothing stored to compare with
	} else if before, err := tx.storedValue(ctx, `SELECT data FROM locations WHERE id = $1`, l.ID); err != nil {
		return err
	} else if before != nil && *before != data {
		addID(&tx.changes.locations, l.ID)
		if placeChanged(*before, l) {
			addID(&tx.changes.placed, l.ID)
		}
	}
	if err := tx.exec(ctx, `INSERT INTO locations (id, organization_id, name, latitude, longitude, data, confidential)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, name = excluded.name,
			latitude = excluded.latitude, longitude = excluded.longitude, data = excluded.data, confidential = excluded.confidential`,
		l.ID, null(l.OrganizationID), l.Name, l.Latitude, l.Longitude, data, boolInt(l.XConfidential)); err != nil {
		return fmt.Errorf("location %s: %w", l.ID, err)
	}
	if !fresh {
		if err := clearChildren(ctx, tx, l.ID, "location_id", "addresses", "phones", "languages", "accessibility", "schedules", "contacts"); err != nil {
			return err
		}
	}
	for _, a := range l.Addresses {
		if err := tx.exec(ctx, `INSERT INTO addresses (id, location_id, city, state_province, postal_code, country, address_type, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, city = excluded.city,
				state_province = excluded.state_province, postal_code = excluded.postal_code,
				country = excluded.country, address_type = excluded.address_type, data = excluded.data`,
			a.ID, l.ID, a.City, a.StateProvince, a.PostalCode, strings.ToUpper(a.Country), a.AddressType, mustJSON(a)); err != nil {
			return fmt.Errorf("address %s: %w", a.ID, err)
		}
	}
	for _, p := range l.Phones {
		if err := putPhone(ctx, tx, &p, phoneOwner{locationID: l.ID}); err != nil {
			return err
		}
	}
	for _, lang := range l.Languages {
		if err := tx.exec(ctx, `INSERT INTO languages (id, location_id, code, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, code = excluded.code, data = excluded.data`,
			lang.ID, l.ID, lang.Code, mustJSON(lang)); err != nil {
			return fmt.Errorf("language %s: %w", lang.ID, err)
		}
	}
	for _, it := range ids(l.Accessibility) {
		if err := putRow(ctx, tx, "accessibility", "location_id", l.ID, it.id, it.v); err != nil {
			return err
		}
	}
	for _, it := range ids(l.Schedules) {
		if err := putRow(ctx, tx, "schedules", "location_id", l.ID, it.id, it.v); err != nil {
			return err
		}
	}
	for _, c := range l.Contacts {
		if err := putContact(ctx, tx, &c, "location_id", l.ID); err != nil {
			return err
		}
	}
	if err := putAttributeTerms(ctx, tx, l.Attributes); err != nil {
		return err
	}
	if err := putAttributes(ctx, tx, "location", l.ID, l.Attributes); err != nil {
		return err
	}
	return putMetadata(ctx, tx, "location", l.ID, l.Metadata)
}

// stripTerms returns attributes without their nested taxonomy terms, which
// are stored once in taxonomy_terms.
func stripTerms(as []hsds.Attribute) []hsds.Attribute {
	if as == nil {
		return nil
	}
	out := make([]hsds.Attribute, len(as))
	for i, a := range as {
		a.TaxonomyTerm = nil
		out[i] = a
	}
	return out
}

// putAttributeTerms stores the taxonomy terms nested in attributes. Terms are
// matched by code within their taxonomy: a term that arrives under a new id
// with a code Haven already holds is the same term, and the attribute is
// pointed at the id Haven has.
func putAttributeTerms(ctx context.Context, tx *Tx, as []hsds.Attribute) error {
	for i := range as {
		t := as[i].TaxonomyTerm
		if t == nil {
			continue
		}
		if tx.wrote("taxonomy_terms", t.ID, mustJSON(t)) {
			as[i].TaxonomyTermID = t.ID // written by this transaction, code already checked
			continue
		}
		if t.Code != "" {
			var existing string
			err := tx.QueryRowContext(ctx, `SELECT id FROM taxonomy_terms WHERE code = $1 AND COALESCE(taxonomy_id, '') = $2 AND id <> $3`,
				t.Code, termTaxonomyID(t), t.ID).Scan(&existing)
			if err == nil {
				as[i].TaxonomyTermID = existing
				continue
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if err := putTerm(ctx, tx, t); err != nil {
			return err
		}
		as[i].TaxonomyTermID = t.ID
	}
	return nil
}

func termTaxonomyID(t *hsds.TaxonomyTerm) string {
	if t.TaxonomyID != "" {
		return t.TaxonomyID
	}
	if t.TaxonomyDetail != nil {
		return t.TaxonomyDetail.ID
	}
	return ""
}

func putTerm(ctx context.Context, tx *Tx, t *hsds.TaxonomyTerm) error {
	data := mustJSON(t)
	if same, _ := tx.unchanged("taxonomy_terms", t.ID, data); same {
		return nil
	}
	taxID := termTaxonomyID(t)
	if t.TaxonomyDetail != nil {
		if err := putTaxonomy(ctx, tx, t.TaxonomyDetail); err != nil {
			return err
		}
	}
	if err := tx.exec(ctx, `INSERT INTO taxonomy_terms (id, code, name, parent_id, taxonomy_id, data) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, parent_id = excluded.parent_id,
			taxonomy_id = excluded.taxonomy_id, data = excluded.data`,
		t.ID, t.Code, t.Name, null(t.ParentID), null(taxID), data); err != nil {
		return fmt.Errorf("taxonomy_term %s: %w", t.ID, err)
	}
	return nil
}

func putTaxonomy(ctx context.Context, tx *Tx, t *hsds.Taxonomy) error {
	if err := tx.exec(ctx, `INSERT INTO taxonomies (id, name, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data`, t.ID, t.Name, mustJSON(t)); err != nil {
		return fmt.Errorf("taxonomy %s: %w", t.ID, err)
	}
	return nil
}

func putAttributes(ctx context.Context, tx *Tx, entity, linkID string, as []hsds.Attribute) error {
	for _, a := range as {
		le := a.LinkEntity
		if le == "" {
			le = entity
		}
		a.TaxonomyTerm = nil
		if err := tx.exec(ctx, `INSERT INTO attributes (id, link_id, link_type, link_entity, taxonomy_term_id, data)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET link_id = excluded.link_id, link_type = excluded.link_type,
				link_entity = excluded.link_entity, taxonomy_term_id = excluded.taxonomy_term_id, data = excluded.data`,
			a.ID, linkID, a.LinkType, le, a.TaxonomyTermID, mustJSON(a)); err != nil {
			return fmt.Errorf("attribute %s: %w", a.ID, err)
		}
	}
	return nil
}

func putMetadata(ctx context.Context, tx *Tx, resourceType, resourceID string, ms []hsds.Metadata) error {
	for _, m := range ms {
		rt := m.ResourceType
		if rt == "" {
			rt = resourceType
		}
		if err := tx.exec(ctx, `INSERT INTO metadata (id, resource_id, resource_type, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET resource_id = excluded.resource_id, resource_type = excluded.resource_type, data = excluded.data`,
			m.ID, resourceID, rt, mustJSON(m)); err != nil {
			return fmt.Errorf("metadata %s: %w", m.ID, err)
		}
	}
	return nil
}

// indexService rewrites the service's search document: its places, its
// categories, its languages and its terms. What it writes is the
// haven.DirectoryDoc that DirectoryDocOf makes, once the service's
// references are resolved from the database.
func indexService(ctx context.Context, tx *Tx, s *hsds.Service) error {
	doc, body, err := searchInputs(ctx, tx, s)
	if err != nil {
		return err
	}
	return writeSearch(ctx, tx, s.ID, doc, body, false)
}

// searchInputs makes a service's search document, resolving from the
// database what the service refers to without nesting it.
func searchInputs(ctx context.Context, tx *Tx, s *hsds.Service) (haven.DirectoryDoc, []string, error) {
	var in docInputs
	for _, sal := range s.ServiceAtLocations {
		l := sal.Location
		if l == nil {
			var err error
			if l, err = findLocation(ctx, tx, sal.LocationID); err != nil {
				return haven.DirectoryDoc{}, nil, err
			}
		}
		in.locations = append(in.locations, l)
	}
	for _, a := range s.Attributes {
		var t termRef
		if tt := a.TaxonomyTerm; tt != nil {
			t = termRef{tt.Code, tt.Name}
		}
		if t.code == "" {
			err := tx.QueryRowContext(ctx, `SELECT code, name FROM taxonomy_terms WHERE id = $1`, a.TaxonomyTermID).Scan(&t.code, &t.name)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return haven.DirectoryDoc{}, nil, err
			}
		}
		in.terms = append(in.terms, t)
	}
	if err := dropWithdrawnLocations(ctx, tx, &in); err != nil {
		return haven.DirectoryDoc{}, nil, err
	}
	if o := s.Organization; o != nil {
		in.orgName, in.orgAlt = o.Name, o.AlternateName
	} else if err := tx.QueryRowContext(ctx, `SELECT name FROM organizations WHERE id = $1`, s.OrganizationID).Scan(&in.orgName); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return haven.DirectoryDoc{}, nil, err
	}
	doc, body := searchDoc(s, in)
	return doc, body, nil
}

// writeSearch writes a service's search rows. For a new service of a bulk
// import there is nothing to delete, and its terms went in with it.
func writeSearch(ctx context.Context, tx *Tx, id string, doc haven.DirectoryDoc, body []string, fresh bool) error {
	if !fresh {
		if err := tx.restoreIndexes(ctx); err != nil {
			return err
		}
		for _, table := range []string{"search_places", "search_categories", "search_languages", "search_areas"} {
			if err := tx.exec(ctx, `DELETE FROM `+table+` WHERE service_id = $1`, id); err != nil {
				return err
			}
		}
	}
	for _, p := range doc.Places {
		if err := tx.exec(ctx, `INSERT INTO search_places (service_id, location_id, state, country, latitude, longitude)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, p.LocationID, p.State, p.Country, p.Lat, p.Lon); err != nil {
			return err
		}
	}
	for _, code := range doc.Categories {
		if err := tx.exec(ctx, `INSERT INTO search_categories (service_id, code) VALUES ($1, $2)`, id, code); err != nil {
			return err
		}
	}
	for _, code := range doc.Languages {
		if err := tx.exec(ctx, `INSERT INTO search_languages (service_id, code) VALUES ($1, $2)`, id, code); err != nil {
			return err
		}
	}
	if err := writeWho(ctx, tx, id, &doc, fresh); err != nil {
		return err
	}
	if err := writeAreas(ctx, tx, id, &doc); err != nil {
		return err
	}
	if err := putSearchDoc(ctx, tx, id, &doc, fresh); err != nil {
		return err
	}
	tx.changes.addService(id)
	if fresh {
		return nil
	}
	return writeTerms(ctx, tx, "services", id, doc.HeadTerms, body)
}

// putSearchDoc stores a service's encoded search document (searchdoc.go).
func putSearchDoc(ctx context.Context, tx *Tx, id string, doc *haven.DirectoryDoc, fresh bool) error {
	enc := encodeSearchDoc(doc)
	if !fresh {
		// A withdrawn service has no document: indexes drop it.
		if out, err := serviceWithdrawn(ctx, tx, id); err != nil {
			return err
		} else if out {
			return tx.exec(ctx, `DELETE FROM search_docs WHERE service_id = $1`, id)
		}
	}
	if fresh {
		return tx.exec(ctx, `INSERT INTO search_docs (service_id, doc) VALUES ($1, $2)`, id, enc)
	}
	return tx.exec(ctx, `INSERT INTO search_docs (service_id, doc) VALUES ($1, $2)
		ON CONFLICT (service_id) DO UPDATE SET doc = excluded.doc`, id, enc)
}

// docInputs are what a search document draws from beyond the service
// itself, resolved: its locations (one per service_at_location), its
// attributes' taxonomy terms and its organization's names.
type docInputs struct {
	locations       []*hsds.Location
	terms           []termRef
	orgName, orgAlt string
}

type termRef struct{ code, name string }

// DirectoryDocOf returns the search document of a service whose
// organization, locations and taxonomy terms are nested in it, as
// sample.Services makes them: the document the store would index for it.
// It lets an index be built without a database.
func DirectoryDocOf(s *hsds.Service) haven.DirectoryDoc {
	var in docInputs
	for _, sal := range s.ServiceAtLocations {
		if sal.Location != nil {
			in.locations = append(in.locations, sal.Location)
		}
	}
	for _, a := range s.Attributes {
		var t termRef
		if tt := a.TaxonomyTerm; tt != nil {
			t = termRef{tt.Code, tt.Name}
		}
		in.terms = append(in.terms, t)
	}
	if o := s.Organization; o != nil {
		in.orgName, in.orgAlt = o.Name, o.AlternateName
	}
	doc, _ := searchDoc(s, in)
	return doc
}

// searchDoc makes a service's search document, and returns apart the terms
// of its body (description, eligibility, category names), which the store
// writes beside the head terms.
func searchDoc(s *hsds.Service, in docInputs) (doc haven.DirectoryDoc, body []string) {
	doc = haven.DirectoryDoc{ServiceID: s.ID, Name: s.Name, Status: s.Status, OrgID: s.OrganizationID, OrgName: in.orgName}
	seen := map[string]bool{}
	for _, l := range in.locations {
		if seen[l.ID] {
			continue
		}
		seen[l.ID] = true
		state, country := placeOf(l)
		lat, lon := searchPoint(l)
		doc.Places = append(doc.Places, haven.DirectoryPlace{LocationID: l.ID, State: state, Country: country,
			City: cityOf(l), Lat: lat, Lon: lon})
	}
	slices.SortFunc(doc.Places, func(a, b haven.DirectoryPlace) int { return strings.Compare(a.LocationID, b.LocationID) })
	doc.Areas, doc.Remote = servedAreas(s, in.locations, doc.Places)
	termNames := make([]string, 0, len(in.terms))
	for _, t := range in.terms {
		termNames = append(termNames, t.name)
		if t.code != "" && !slices.Contains(doc.Categories, t.code) {
			doc.Categories = append(doc.Categories, t.code)
		}
	}
	slices.Sort(doc.Categories)
	for _, l := range s.Languages {
		if code := strings.ToLower(l.Code); code != "" && !slices.Contains(doc.Languages, code) {
			doc.Languages = append(doc.Languages, code)
		}
	}
	slices.Sort(doc.Languages)
	trNames, trBody := translatedTexts(s)
	doc.HeadTerms = analyze.Terms(s.Name + " " + s.AlternateName + " " + in.orgName + " " + in.orgAlt + trNames)
	body = analyze.Terms(s.Description + " " + s.EligibilityDescription + " " + strings.Join(termNames, " ") + trBody)
	doc.Terms = make([]string, 0, len(doc.HeadTerms)+len(body))
	doc.Terms = append(append(doc.Terms, doc.HeadTerms...), body...)
	whoDoc(&doc, s)
	doc.RoomUpdated = haven.RoomUpdated(s.Capacities)
	return doc, body
}

// cityOf returns the city search results show for a location, that of its
// main address (see hsds.Location.MainAddress).
func cityOf(l *hsds.Location) string {
	if a := l.MainAddress(); a != nil {
		return a.City
	}
	return ""
}

// placeOf returns the state and country a location is in, from its main
// address.
func placeOf(l *hsds.Location) (state, country string) {
	a := l.MainAddress()
	if a == nil {
		return "", ""
	}
	country = strings.ToUpper(strings.TrimSpace(a.Country))
	state = strings.ToUpper(strings.TrimSpace(a.StateProvince))
	if country == "US" {
		if st, ok := geo.StateByCode(state); ok {
			state = st.Code
		}
	} else if state != "" && country != "" && !strings.Contains(state, "-") {
		state = country + "-" + state // ISO 3166-2 form
	}
	return state, country
}

func findLocation(ctx context.Context, tx *Tx, id string) (*hsds.Location, error) {
	var data string
	if err := tx.QueryRowContext(ctx, `SELECT data FROM locations WHERE id = $1`, id).Scan(&data); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, haven.Errorf(haven.EINVALID, "location %s does not exist", id)
		}
		return nil, err
	}
	l := &hsds.Location{}
	return l, json.Unmarshal([]byte(data), l)
}
