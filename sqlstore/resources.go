package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"haven"
	"haven/analyze"
)

// ResourceService implements haven.ResourceService on a DB.
type ResourceService struct {
	db *DB
}

// NewResourceService returns the library service of db.
func NewResourceService(db *DB) *ResourceService { return &ResourceService{db: db} }

var _ haven.ResourceService = (*ResourceService)(nil)

const resourceColumns = `r.id, r.section, r.kind, r.title, r.region, r.publisher, r.year, r.url,
	r.description_en, r.description_es, r.hotline, r.position, r.created_at, r.updated_at, r.last_verified, r.retired_at,
	r.url_kind, r.note_en, r.note_es, r.find_en, r.find_es`

// sectionOrder sorts sections as the seed page lists them.
const sectionOrder = `CASE r.section WHEN 'documents' THEN 1 WHEN 'organizations' THEN 2
	WHEN 'websites' THEN 3 ELSE 4 END`

// FindResourceByID returns one entry, or ENOTFOUND.
func (s *ResourceService) FindResourceByID(ctx context.Context, id string) (*haven.Resource, error) {
	tx, err := s.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rs, err := queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources r WHERE r.id = $1`, id)
	if err != nil {
		return nil, err
	} else if len(rs) == 0 {
		return nil, haven.Errorf(haven.ENOTFOUND, "No resource has the id %q.", id)
	}
	return rs[0], nil
}

// CountResources returns the number of entries the public sees.
func (s *ResourceService) CountResources(ctx context.Context) (int, error) {
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM resources WHERE retired_at = ''`).Scan(&n)
	return n, err
}

// FindResources searches the library; see haven.ResourceService.
func (s *ResourceService) FindResources(ctx context.Context, f haven.ResourceFilter) (*haven.ResourceResult, error) {
	if err := validateResourceFilter(f); err != nil {
		return nil, err
	}
	res := &haven.ResourceResult{Items: []*haven.Resource{}, Facets: map[string][]haven.FacetCount{}}
	q := analyze.ParseQuery(f.Query)
	if strings.TrimSpace(f.Query) != "" && q.Empty() {
		// Only stop words: nothing to look for.
		for _, facet := range haven.Facets {
			res.Facets[facet] = []haven.FacetCount{}
		}
		return res, nil
	}
	tx, err := s.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	where, args := resourceWhere(s.db.dialect, f, q, "")
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM resources r WHERE `+where, args...).Scan(&res.Total); err != nil {
		return nil, err
	}
	order := sectionOrder + `, r.position`
	if !q.Empty() {
		order = textRank("r", q, &args) + `, ` + order
	}
	query := `SELECT ` + resourceColumns + ` FROM resources r WHERE ` + where + ` ORDER BY ` + order
	if f.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, f.Offset)
	}
	if res.Items, err = queryResources(ctx, tx, query, args...); err != nil {
		return nil, err
	}
	for _, facet := range haven.Facets {
		if res.Facets[facet], err = resourceFacet(ctx, tx, f, q, facet); err != nil {
			return nil, fmt.Errorf("facet %s: %w", facet, err)
		}
	}
	return res, nil
}

func validateResourceFilter(f haven.ResourceFilter) error {
	for facet, v := range map[string]string{
		"section": f.Section, "kind": f.Kind, "audience": f.Audience, "topic": f.Topic, "region": f.Region,
	} {
		if v != "" && !haven.ValidValue(facet, v) {
			return haven.Errorf(haven.EINVALID, "Unknown %s %q. Use one of: %s.", facet, v, strings.Join(haven.FacetValues(facet), ", "))
		}
	}
	if f.Offset < 0 || f.Limit < 0 {
		return haven.Errorf(haven.EINVALID, "Offset and limit must not be negative.")
	}
	return nil
}

// resourceWhere builds the WHERE clause of a filter, leaving out the facet
// named by except. When q is not empty its match expression is always $1.
func resourceWhere(dl *dialect, f haven.ResourceFilter, q analyze.Query, except string) (string, []any) {
	conds := []string{"r.retired_at = ''"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !q.Empty() {
		conds = append(conds, dl.textMatch("resources", "r", arg(dl.matchQuery(q))))
	}
	if f.Section != "" && except != "section" {
		conds = append(conds, `r.section = `+arg(f.Section))
	}
	if f.Kind != "" && except != "kind" {
		conds = append(conds, `r.kind = `+arg(f.Kind))
	}
	if f.Region != "" && except != "region" {
		conds = append(conds, `r.region = `+arg(f.Region))
	}
	if f.Audience != "" && except != "audience" {
		conds = append(conds, `EXISTS (SELECT 1 FROM resource_audiences x WHERE x.resource_id = r.id AND x.audience = `+arg(f.Audience)+`)`)
	}
	if f.Topic != "" && except != "topic" {
		conds = append(conds, `EXISTS (SELECT 1 FROM resource_topics x WHERE x.resource_id = r.id AND x.topic = `+arg(f.Topic)+`)`)
	}
	return strings.Join(conds, " AND "), args
}

// resourceFacet counts each value of one facet under every filter but its own.
func resourceFacet(ctx context.Context, tx *Tx, f haven.ResourceFilter, q analyze.Query, facet string) ([]haven.FacetCount, error) {
	where, args := resourceWhere(tx.db.dialect, f, q, facet)
	var query string
	switch facet {
	case "section", "kind", "region":
		query = `SELECT r.` + facet + `, COUNT(*) FROM resources r WHERE ` + where + ` GROUP BY r.` + facet
	case "audience":
		query = `SELECT x.audience, COUNT(*) FROM resource_audiences x JOIN resources r ON r.id = x.resource_id WHERE ` + where + ` GROUP BY x.audience`
	case "topic":
		query = `SELECT x.topic, COUNT(*) FROM resource_topics x JOIN resources r ON r.id = x.resource_id WHERE ` + where + ` GROUP BY x.topic`
	default:
		return nil, fmt.Errorf("unknown facet %q", facet)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		counts[v] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Vocabulary order, so the list does not reshuffle as counts change.
	out := []haven.FacetCount{}
	for _, v := range haven.FacetValues(facet) {
		if n := counts[v]; n > 0 {
			out = append(out, haven.FacetCount{Value: v, Count: n})
		}
	}
	return out, nil
}

func queryResources(ctx context.Context, tx *Tx, query string, args ...any) ([]*haven.Resource, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.Resource
	byID := map[string]*haven.Resource{}
	for rows.Next() {
		r := &haven.Resource{Desc: haven.Localized{}, Audiences: []string{}, Topics: []string{}, Languages: []string{}}
		var en, es, hotline, created, updated, retired string
		var noteEN, noteES, findEN, findES string
		if err := rows.Scan(&r.ID, &r.Section, &r.Kind, &r.Title, &r.Region, &r.Publisher, &r.Year, &r.URL,
			&en, &es, &hotline, &r.Position, &created, &updated, &r.LastVerified, &retired,
			&r.URLKind, &noteEN, &noteES, &findEN, &findES); err != nil {
			return nil, err
		}
		r.Note, r.HowToFind = localizedOrNil(noteEN, noteES), localizedOrNil(findEN, findES)
		r.Retired = retired != ""
		r.Desc["en"], r.Desc["es"] = en, es
		r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
		if hotline != "" {
			r.Hotline = &haven.Hotline{}
			if err := json.Unmarshal([]byte(hotline), r.Hotline); err != nil {
				return nil, fmt.Errorf("resource %s: hotline: %w", r.ID, err)
			}
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, 0, len(out))
	for _, r := range out {
		ids = append(ids, r.ID)
	}
	for _, side := range []struct {
		table, column string
		add           func(r *haven.Resource, v string)
		order         []string
	}{
		{"resource_audiences", "audience", func(r *haven.Resource, v string) { r.Audiences = append(r.Audiences, v) }, haven.Audiences},
		{"resource_topics", "topic", func(r *haven.Resource, v string) { r.Topics = append(r.Topics, v) }, haven.Topics},
		{"resource_languages", "language", func(r *haven.Resource, v string) { r.Languages = append(r.Languages, v) }, haven.Languages},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT resource_id, `+side.column+` FROM `+side.table+
			` WHERE resource_id IN (`+placeholders(1, len(ids))+`)`, ids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, err
			}
			side.add(byID[id], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, r := range out {
		sortByVocab(r.Audiences, haven.Audiences)
		sortByVocab(r.Topics, haven.Topics)
		sortByVocab(r.Languages, haven.Languages)
	}
	return out, nil
}

func sortByVocab(vs, vocab []string) {
	slices.SortFunc(vs, func(a, b string) int { return slices.Index(vocab, a) - slices.Index(vocab, b) })
}

// CreateResource adds an entry; ECONFLICT when its id is taken.
func (s *ResourceService) CreateResource(ctx context.Context, r *haven.Resource) error {
	return s.CreateResourceAs(ctx, "cli", r)
}

// CreateResourceAs adds an entry on behalf of actor, audited.
func (s *ResourceService) CreateResourceAs(ctx context.Context, actor string, r *haven.Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var last int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM resources WHERE section = $1`, r.Section).Scan(&last); err != nil {
		return err
	}
	r.Position = last + 1 // new entries go to the end of their section
	if err := createResource(ctx, tx, r); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "create", "resource", r.ID, "title", "", r.Title); err != nil {
		return err
	}
	return tx.Commit()
}

func createResource(ctx context.Context, tx *Tx, r *haven.Resource) error {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM resources WHERE id = $1`, r.ID).Scan(&exists); err != nil {
		return err
	} else if exists > 0 {
		return haven.Errorf(haven.ECONFLICT, "A resource with the id %q already exists.", r.ID)
	}
	hotline := ""
	if r.Hotline != nil {
		b, err := json.Marshal(r.Hotline)
		if err != nil {
			return err
		}
		hotline = string(b)
	}
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO resources (id, section, kind, title, region, publisher, year, url,
		description_en, description_es, hotline, position, created_at, updated_at,
		url_kind, note_en, note_es, find_en, find_es)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		r.ID, r.Section, r.Kind, r.Title, r.Region, r.Publisher, r.Year, r.URL,
		r.Desc["en"], r.Desc["es"], hotline, r.Position, formatTime(tx.now), formatTime(tx.now),
		r.URLKind, r.Note["en"], r.Note["es"], r.HowToFind["en"], r.HowToFind["es"]); err != nil {
		return err
	}
	for table, vs := range map[string][]string{
		"resource_audiences": r.Audiences, "resource_topics": r.Topics, "resource_languages": r.Languages,
	} {
		col := map[string]string{"resource_audiences": "audience", "resource_topics": "topic", "resource_languages": "language"}[table]
		for _, v := range vs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (resource_id, `+col+`) VALUES ($1, $2) ON CONFLICT DO NOTHING`, r.ID, v); err != nil {
				return err
			}
		}
	}
	return indexResource(ctx, tx, r)
}

// indexResource writes the entry's search terms. Labels of its kind,
// audiences and topics are indexed too, so "pocket card" or "health care"
// find entries whose own text does not say so.
func indexResource(ctx context.Context, tx *Tx, r *haven.Resource) error {
	body := []string{r.Desc["en"], r.Desc["es"], r.Publisher, strings.ReplaceAll(r.Kind, "-", " ")}
	for _, v := range append(slices.Clone(r.Audiences), r.Topics...) {
		body = append(body, strings.ReplaceAll(v, "-", " "))
	}
	return writeTerms(ctx, tx, "resources", r.ID, analyze.Terms(r.Title), analyze.Terms(strings.Join(body, " ")))
}

// SeedResources loads the given entries into an empty library, once in the
// life of the database: a library a curator later empties stays empty. It
// reports how many entries it added.
func (s *ResourceService) SeedResources(ctx context.Context, entries []*haven.Resource) (int, error) {
	tx, err := s.db.BeginTx(ctx, false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Claim the seeding first: of several servers starting at once on one
	// PostgreSQL database, the others wait here and then find it done.
	res, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('library_seeded_at', $1) ON CONFLICT (key) DO NOTHING`,
		formatTime(tx.now))
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM resources`).Scan(&n); err != nil {
		return 0, err
	}
	added := 0
	if n == 0 {
		for _, r := range entries {
			if err := createResource(ctx, tx, r); err != nil {
				return 0, fmt.Errorf("seed %s: %w", r.ID, err)
			}
			added++
		}
	}
	return added, tx.Commit()
}

// UpdateResource saves a curator's edit of an entry. Each changed field is
// written to the audit trail, with its old and new value, in the same
// transaction as the change.
func (s *ResourceService) UpdateResource(ctx context.Context, actor string, r *haven.Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	olds, err := queryResources(ctx, tx, `SELECT `+resourceColumns+` FROM resources r WHERE r.id = $1`, r.ID)
	if err != nil {
		return err
	} else if len(olds) == 0 {
		return haven.Errorf(haven.ENOTFOUND, "No resource has the id %q.", r.ID)
	}
	old := olds[0]
	changed := 0
	for _, f := range resourceFields(old, r) {
		if f.before != f.after {
			changed++
			if err := audit(ctx, tx, actor, "update", "resource", r.ID, f.name, f.before, f.after); err != nil {
				return err
			}
		}
	}
	if changed == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE resources SET section = $2, kind = $3, title = $4, region = $5, publisher = $6, year = $7,
		url = $8, description_en = $9, description_es = $10, updated_at = $11,
		url_kind = $12, note_en = $13, note_es = $14, find_en = $15, find_es = $16 WHERE id = $1`,
		r.ID, r.Section, r.Kind, r.Title, r.Region, r.Publisher, r.Year, r.URL, r.Desc["en"], r.Desc["es"], formatTime(tx.now),
		r.URLKind, r.Note["en"], r.Note["es"], r.HowToFind["en"], r.HowToFind["es"]); err != nil {
		return err
	}
	for table, vs := range map[string][]string{"resource_audiences": r.Audiences, "resource_topics": r.Topics, "resource_languages": r.Languages} {
		col := map[string]string{"resource_audiences": "audience", "resource_topics": "topic", "resource_languages": "language"}[table]
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE resource_id = $1`, r.ID); err != nil {
			return err
		}
		for _, v := range vs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (resource_id, `+col+`) VALUES ($1, $2) ON CONFLICT DO NOTHING`, r.ID, v); err != nil {
				return err
			}
		}
	}
	if err := indexResource(ctx, tx, r); err != nil {
		return err
	}
	return tx.Commit()
}

type fieldChange struct{ name, before, after string }

func resourceFields(a, b *haven.Resource) []fieldChange {
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return fmt.Sprint(y)
	}
	return []fieldChange{
		{"title", a.Title, b.Title}, {"section", a.Section, b.Section}, {"kind", a.Kind, b.Kind},
		{"region", a.Region, b.Region}, {"publisher", a.Publisher, b.Publisher}, {"year", year(a.Year), year(b.Year)},
		{"url", a.URL, b.URL}, {"url_kind", a.URLKind, b.URLKind},
		{"note.en", a.Note["en"], b.Note["en"]}, {"note.es", a.Note["es"], b.Note["es"]},
		{"how_to_find.en", a.HowToFind["en"], b.HowToFind["en"]}, {"how_to_find.es", a.HowToFind["es"], b.HowToFind["es"]},
		{"description.en", a.Desc["en"], b.Desc["en"]}, {"description.es", a.Desc["es"], b.Desc["es"]},
		{"audiences", strings.Join(a.Audiences, ","), strings.Join(b.Audiences, ",")},
		{"topics", strings.Join(a.Topics, ","), strings.Join(b.Topics, ",")},
		{"languages", strings.Join(a.Languages, ","), strings.Join(b.Languages, ",")},
	}
}

// VerifyResource records that a curator confirmed an entry today.
func (s *ResourceService) VerifyResource(ctx context.Context, actor, id string) error {
	return s.setResourceColumn(ctx, actor, id, "verify", "last_verified", func(now time.Time) string { return now.Format("2006-01-02") })
}

// RetireResource takes an entry off the public pages, keeping its history.
func (s *ResourceService) RetireResource(ctx context.Context, actor, id string) error {
	return s.setResourceColumn(ctx, actor, id, "retire", "retired_at", formatTime)
}

func (s *ResourceService) setResourceColumn(ctx context.Context, actor, id, action, column string, value func(time.Time) string) error {
	tx, err := s.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var before string
	if err := tx.QueryRowContext(ctx, `SELECT `+column+` FROM resources WHERE id = $1`, id).Scan(&before); errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No resource has the id %q.", id)
	} else if err != nil {
		return err
	}
	after := value(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE resources SET `+column+` = $2 WHERE id = $1`, id, after); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, action, "resource", id, column, before, after); err != nil {
		return err
	}
	return tx.Commit()
}
