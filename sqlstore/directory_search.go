package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"haven"
	"haven/analyze"
	"haven/geo"
)

var _ haven.DirectorySearcher = (*DirectoryService)(nil)

// directoryWhere builds the WHERE clause over services s for a filter,
// leaving out the facet named by except. When q is not empty its match
// expression is the first argument.
func directoryWhere(dl *dialect, f haven.DirectoryFilter, q analyze.Query, except string) (string, []any) {
	conds := []string{"s.withdrawn = 0"} // withdrawn services are never found (withdraw.go)
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !q.Empty() {
		conds = append(conds, dl.textMatch("services", "s", arg(dl.matchQuery(q))))
	}
	if !f.AllStatuses {
		conds = append(conds, `s.status IN ('active', 'temporarily closed')`)
	}
	if f.State != "" && except != "state" {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id AND p.state = `+arg(f.State)+`)`)
	}
	if f.Country != "" && except != "country" {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id AND p.country = `+arg(f.Country)+`)`)
	}
	if f.Category != "" && except != "category" {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_categories c WHERE c.service_id = s.id AND c.code = `+arg(f.Category)+`)`)
	}
	if f.Language != "" && except != "language" {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_languages l WHERE l.service_id = s.id AND l.code = `+arg(f.Language)+`)`)
	}
	conds = append(conds, whoConds(f, except, arg)...)
	if f.OrganizationID != "" {
		conds = append(conds, `s.organization_id = `+arg(f.OrganizationID))
	}
	if f.TaxonomyTermID != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM attributes a WHERE a.link_id = s.id AND a.taxonomy_term_id = `+arg(f.TaxonomyTermID)+`)`)
	}
	if f.TaxonomyID != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM attributes a JOIN taxonomy_terms t ON t.id = a.taxonomy_term_id
			WHERE a.link_id = s.id AND t.taxonomy_id = `+arg(f.TaxonomyID)+`)`)
	}
	if !f.ModifiedAfter.IsZero() {
		conds = append(conds, `s.last_modified > `+arg(f.ModifiedAfter.UTC().Format(time.RFC3339)))
	}
	if f.Near != nil && f.RadiusKm > 0 {
		minLat, minLon, maxLat, maxLon := geo.BoundingBox(*f.Near, f.RadiusKm)
		// The box uses the coordinate index; the exact distance trims its corners.
		conds = append(conds, `EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id
			AND p.latitude BETWEEN `+arg(minLat)+` AND `+arg(maxLat)+`
			AND p.longitude BETWEEN `+arg(minLon)+` AND `+arg(maxLon)+`
			AND `+distanceSQL(arg(f.Near.Lat), arg(f.Near.Lon))+` <= `+arg(f.RadiusKm)+`)`)
	}
	return strings.Join(conds, " AND "), args
}

// distanceSQL is the haversine distance in km from (lat, lon) to place p, in
// SQL that SQLite (with its math functions) and PostgreSQL both run.
func distanceSQL(lat, lon string) string {
	return `(2 * 6371.0088 * asin(sqrt(
		power(sin(radians(p.latitude - ` + lat + `) / 2), 2) +
		cos(radians(` + lat + `)) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - ` + lon + `) / 2), 2))))`
}

// SearchDirectory is the SQL reference search; see haven.DirectorySearcher.
func (d *DirectoryService) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	res := &haven.DirectoryResult{Hits: []haven.DirectoryHit{}, Engine: d.db.dialect.name}
	if len(f.Facets) > 0 {
		res.Facets = make(map[string][]haven.FacetCount, len(f.Facets))
		for _, facet := range f.Facets {
			res.Facets[facet] = []haven.FacetCount{}
		}
	}
	q := analyze.ParseQuery(f.Query)
	if strings.TrimSpace(f.Query) != "" && q.Empty() {
		return res, nil
	}
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	where, args := directoryWhere(d.db.dialect, f, q, "")
	sv, err := prepareServed(ctx, tx, f, q, &where, &args) // services serving the place (service_areas.go)
	if err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM services s WHERE `+where, args...).Scan(&res.Total); err != nil {
		return nil, err
	}
	limit, offset := f.Limit, f.Offset
	var servedOff, servedN int
	var isServed []bool
	if f.Served == haven.ServedOnly {
		res.Total, offset, limit = 0, 0, 0 // the services found by their places are left out
	}
	if sv != nil {
		offset, limit, servedOff, servedN, isServed = haven.PageServed(res.Total, sv.n, f.Offset, f.Limit)
		res.Total += sv.n
	}
	var order string
	switch {
	case f.Near != nil && !q.Empty() && f.EffectiveSort() == haven.SortBest:
		order = bestOrder(q, *f.Near, &args) // directory_best.go
	case f.Near != nil:
		n := len(args)
		args = append(args, f.Near.Lat, f.Near.Lon)
		order = `(SELECT MIN(` + distanceSQL(fmt.Sprintf("$%d", n+1), fmt.Sprintf("$%d", n+2)) + `) FROM search_places p
			WHERE p.service_id = s.id AND p.latitude IS NOT NULL) IS NULL,
			(SELECT MIN(` + distanceSQL(fmt.Sprintf("$%d", n+1), fmt.Sprintf("$%d", n+2)) + `) FROM search_places p
			WHERE p.service_id = s.id AND p.latitude IS NOT NULL), s.name, s.id`
	case !q.Empty():
		order = textRank("s", q, &args) + `, s.name, s.id`
	default:
		order = `s.name, s.id`
	}
	query := `SELECT s.id, s.name, s.organization_id, COALESCE(o.name, '') FROM services s
		LEFT JOIN organizations o ON o.id = s.organization_id WHERE ` + where + ` ORDER BY ` + order
	if f.Limit > 0 || sv != nil || f.Served == haven.ServedOnly {
		query += fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, offset)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var h haven.DirectoryHit
		if err := rows.Scan(&h.ServiceID, &h.Name, &h.OrgID, &h.OrgName); err != nil {
			rows.Close()
			return nil, err
		}
		res.Hits = append(res.Hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := placeHits(ctx, tx, f, res.Hits); err != nil {
		return nil, err
	}
	if sv != nil {
		served, err := sv.page(ctx, tx, f, q, servedOff, servedN)
		if err != nil {
			return nil, err
		}
		remote, err := remoteServices(ctx, tx, served)
		if err != nil {
			return nil, err
		}
		res.Hits = haven.MergeServed(res.Hits, served, isServed, func(id string) bool { return remote[id] })
	}
	for _, facet := range f.Facets {
		if res.Facets[facet], err = directoryFacet(ctx, tx, f, q, facet); err != nil {
			return nil, fmt.Errorf("facet %s: %w", facet, err)
		}
	}
	return res, nil
}

// placeHits gives each hit the place to show: the nearest one when the
// search has a place, else the first one in the chosen state or country.
func placeHits(ctx context.Context, tx *Tx, f haven.DirectoryFilter, hits []haven.DirectoryHit) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	index := make(map[string]int, len(hits))
	for i, h := range hits {
		ids[i], index[h.ServiceID] = h.ServiceID, i
	}
	better := func(h *haven.DirectoryHit, state, country string, dist *float64) bool {
		if h.LocationID == "" {
			return true
		}
		if dist != nil {
			return h.DistanceKm == nil || *dist < *h.DistanceKm
		}
		matches := func(st, c string) bool {
			return (f.State == "" || st == f.State) && (f.Country == "" || c == f.Country)
		}
		return !matches(h.State, h.Country) && matches(state, country)
	}
	return eachIDBatch(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT p.service_id, p.location_id, p.state, p.country, p.latitude, p.longitude, `+mainCitySQL+`
			FROM search_places p WHERE p.service_id IN (`+in+`) ORDER BY p.location_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sid, lid, state, country, city string
			var lat, lon *float64
			if err := rows.Scan(&sid, &lid, &state, &country, &lat, &lon, &city); err != nil {
				return err
			}
			var dist *float64
			if f.Near != nil && lat != nil && lon != nil {
				d := geo.DistanceKm(*f.Near, geo.Point{Lat: *lat, Lon: *lon})
				dist = &d
			}
			h := &hits[index[sid]]
			if better(h, state, country, dist) {
				h.LocationID, h.State, h.Country, h.City, h.Lat, h.Lon, h.DistanceKm = lid, state, country, city, lat, lon, dist
			}
		}
		return rows.Err()
	})
}

// mainCitySQL selects the city of place p's location's main address, by
// the rule of hsds.Location.MainAddress.
const mainCitySQL = `COALESCE((SELECT a.city FROM addresses a WHERE a.location_id = p.location_id
	ORDER BY a.address_type = 'physical' DESC, a.id LIMIT 1), '')`

// directoryFacet counts the services of each value of one facet, under every
// filter but its own; values come most frequent first.
func directoryFacet(ctx context.Context, tx *Tx, f haven.DirectoryFilter, q analyze.Query, facet string) ([]haven.FacetCount, error) {
	where, args := directoryWhere(tx.db.dialect, f, q, facet)
	var query string
	switch facet {
	case "category":
		query = `SELECT x.code, COUNT(DISTINCT x.service_id) FROM search_categories x JOIN services s ON s.id = x.service_id WHERE ` + where + ` GROUP BY x.code`
	case "language":
		query = `SELECT x.code, COUNT(DISTINCT x.service_id) FROM search_languages x JOIN services s ON s.id = x.service_id WHERE ` + where + ` GROUP BY x.code`
	case "state", "country":
		query = `SELECT x.` + facet + `, COUNT(DISTINCT x.service_id) FROM search_places x JOIN services s ON s.id = x.service_id
			WHERE x.` + facet + ` <> '' AND ` + where + ` GROUP BY x.` + facet
	case "population", "trafficking":
		query = groupFacetSQL(facet, where, &args)
	default:
		return nil, fmt.Errorf("unknown facet %q", facet)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []haven.FacetCount{}
	for rows.Next() {
		var c haven.FacetCount
		if err := rows.Scan(&c.Value, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out, rows.Err()
}
