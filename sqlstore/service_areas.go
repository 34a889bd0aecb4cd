package sqlstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"haven"
	"haven/analyze"
	"haven/hsds"
)

// Service areas in search (see haven's servicearea.go for what they
// mean). Each service's areas are resolved when its search rows are
// written, into search_areas (migration 0021) and its search document;
// a directory search with a place also finds the services that serve it
// without being there, and merges them into its page with
// haven.PageServed.

// servedAreas resolves a service's HSDS service areas, by area id, and
// reports whether it has a virtual location. locations are those its
// search document has (withdrawn ones left out); places their places.
func servedAreas(s *hsds.Service, locations []*hsds.Location, places []haven.DirectoryPlace) ([]haven.ServedArea, bool) {
	var home haven.AreaHome
	for i, p := range places {
		if i == 0 {
			home = haven.AreaHome{Country: p.Country, State: p.State}
			continue
		}
		if p.Country != home.Country {
			home.Country = ""
		}
		if p.State != home.State {
			home.State = ""
		}
	}
	var out []haven.ServedArea
	seen := map[string]bool{}
	for _, a := range s.ServiceAreas {
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		out = append(out, haven.ResolveServiceArea(a, home))
	}
	slices.SortFunc(out, func(a, b haven.ServedArea) int { return strings.Compare(a.AreaID, b.AreaID) })
	remote := false
	for _, l := range locations {
		remote = remote || strings.EqualFold(l.LocationType, "virtual")
	}
	return out, remote
}

// writeAreas writes a service's rows of search_areas (the old ones are
// deleted with its other search rows).
func writeAreas(ctx context.Context, tx *Tx, id string, doc *haven.DirectoryDoc) error {
	for _, a := range doc.Areas {
		var box [4]any
		if a.Kind == haven.AreaPolygon {
			box = [4]any{a.MinLat, a.MinLon, a.MaxLat, a.MaxLon}
		}
		if err := tx.exec(ctx, `INSERT INTO search_areas (service_id, area_id, kind, country, state, county, min_lat, min_lon, max_lat, max_lon, geometry, label, problem)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			id, a.AreaID, a.Kind, a.Country, a.State, a.County, box[0], box[1], box[2], box[3], a.Geometry, a.Label, a.Problem); err != nil {
			return fmt.Errorf("service area %s: %w", a.AreaID, err)
		}
	}
	if doc.Remote {
		// The row's area id is the service's own: one row however many
		// virtual locations it has.
		return tx.exec(ctx, `INSERT INTO search_areas (service_id, area_id, kind) VALUES ($1, $2, 'virtual')`, id, "virtual:"+id)
	}
	return nil
}

// readAreas fills the areas of docs (by service id) from search_areas,
// for directoryDocs.
func readAreas(ctx context.Context, tx *Tx, in string, ids []any, byID map[string]*haven.DirectoryDoc) error {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, area_id, kind, country, state, county, min_lat, min_lon, max_lat, max_lon, geometry, label, problem
		FROM search_areas WHERE `+in+` ORDER BY service_id, area_id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var a haven.ServedArea
		var box [4]*float64
		if err := rows.Scan(&sid, &a.AreaID, &a.Kind, &a.Country, &a.State, &a.County, &box[0], &box[1], &box[2], &box[3], &a.Geometry, &a.Label, &a.Problem); err != nil {
			return err
		}
		d := byID[sid]
		if a.Kind == "virtual" {
			d.Remote = true
			continue
		}
		if box[0] != nil {
			a.MinLat, a.MinLon, a.MaxLat, a.MaxLon = *box[0], *box[1], *box[2], *box[3]
		}
		d.Areas = append(d.Areas, a)
	}
	return rows.Err()
}

// appendAreas encodes a document's areas (searchdoc.go).
func appendAreas(b []byte, d *haven.DirectoryDoc) []byte {
	remote := byte(0)
	if d.Remote {
		remote = 1
	}
	b = append(b, remote)
	b = binary.AppendUvarint(b, uint64(len(d.Areas)))
	for _, a := range d.Areas {
		for _, s := range []string{a.AreaID, a.Kind, a.Country, a.State, a.County, a.Geometry, a.Label, a.Problem} {
			b = appendString(b, s)
		}
		if a.Kind == haven.AreaPolygon {
			for _, f := range []float64{a.MinLat, a.MinLon, a.MaxLat, a.MaxLon} {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
			}
		}
	}
	return b
}

// areas decodes what appendAreas wrote.
func (r *docReader) areas(d *haven.DirectoryDoc) {
	switch r.byte() {
	case 0:
	case 1:
		d.Remote = true
	default:
		r.fail()
	}
	n := r.count()
	if n == 0 {
		return
	}
	d.Areas = make([]haven.ServedArea, n)
	for i := range d.Areas {
		a := &d.Areas[i]
		a.AreaID, a.Kind, a.Country, a.State, a.County = r.str(false), r.str(true), r.str(true), r.str(true), r.str(false)
		a.Geometry, a.Label, a.Problem = r.str(false), r.str(false), r.str(false)
		if a.Kind == haven.AreaPolygon {
			for _, f := range []*float64{&a.MinLat, &a.MinLon, &a.MaxLat, &a.MaxLon} {
				if v := r.float(); v != nil {
					*f = *v
				}
			}
		}
		if r.err == nil && !haven.ValidArea(*a) {
			r.fail()
		}
	}
}

// servedQuery is the part of a search with a place that finds the
// services serving it without being there.
type servedQuery struct {
	where string
	args  []any
	n     int
}

// dollarArg matches a numbered placeholder.
var dollarArg = regexp.MustCompile(`\$(\d+)`)

// shiftArgs renumbers the placeholders of a condition by n, so that it can
// follow another's arguments.
func shiftArgs(cond string, n int) string {
	if n == 0 {
		return cond
	}
	return dollarArg.ReplaceAllStringFunc(cond, func(m string) string {
		k, _ := strconv.Atoi(m[1:])
		return "$" + strconv.Itoa(k+n)
	})
}

// prepareServed counts the services a search with a place finds because
// they serve it (see haven's servicearea.go), and returns nil when it has
// no place or none serves it. A served service is one that matches every
// filter but the place ones, matches each place filter by a place of its
// own or by an area, matches the point (when there is one) by an area,
// and is not found by its own places already. Without a radius every
// service is found by its places, nearest first; then a service is
// served when it has no coordinates, and where (the local search) is
// narrowed to leave the served ones out.
func prepareServed(ctx context.Context, tx *Tx, f haven.DirectoryFilter, q analyze.Query, where *string, args *[]any) (*servedQuery, error) {
	if !f.HasPlace() || f.Served == haven.ServedNone {
		return nil, nil
	}
	dl := tx.db.dialect
	np := f
	np.State, np.Country, np.Near, np.RadiusKm = "", "", nil, 0
	w, a := directoryWhere(dl, np, q, "")
	arg := func(v any) string {
		a = append(a, v)
		return fmt.Sprintf("$%d", len(a))
	}
	var anyArea []string // the areas that could make a service served
	var conds []string
	if f.Near != nil {
		var near []string
		at := haven.LocatePoint(*f.Near)
		if at.Country != "" {
			near = append(near, `a.kind = 'country' AND a.country = `+arg(at.Country))
		}
		if at.State != "" {
			near = append(near, `a.kind = 'state' AND a.state = `+arg(at.State))
		}
		if at.County != "" {
			near = append(near, `a.kind = 'county' AND a.state = `+arg(at.State)+` AND a.county = `+arg(at.County))
		}
		polys, err := polygonsHolding(ctx, tx, *f.Near)
		if err != nil {
			return nil, err
		}
		if len(polys) > 0 {
			ph := make([]string, len(polys))
			for i, id := range polys {
				ph[i] = arg(id)
			}
			near = append(near, `a.kind = 'polygon' AND a.service_id IN (`+strings.Join(ph, ", ")+`)`)
		}
		if len(near) == 0 {
			return nil, nil
		}
		c := `s.id IN (SELECT a.service_id FROM search_areas a WHERE (` + strings.Join(near, `) OR (`) + `))`
		conds, anyArea = append(conds, c), append(anyArea, near...)
	}
	if f.State != "" {
		st := `(a.kind IN ('state', 'county') AND a.state = ` + arg(f.State) + `)`
		if c := haven.CountryOfState(f.State); c != "" {
			st += ` OR (a.kind = 'country' AND a.country = ` + arg(c) + `)`
		}
		conds = append(conds, `(EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id AND p.state = `+arg(f.State)+`)
			OR s.id IN (SELECT a.service_id FROM search_areas a WHERE `+st+`))`)
		anyArea = append(anyArea, st)
	}
	if f.Country != "" {
		ct := `a.kind IN ('country', 'state', 'county') AND a.country = ` + arg(f.Country)
		conds = append(conds, `(EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id AND p.country = `+arg(f.Country)+`)
			OR s.id IN (SELECT a.service_id FROM search_areas a WHERE `+ct+`))`)
		anyArea = append(anyArea, ct)
	}
	// Every served service has an area matching one of the place filters
	// (by its places alone it would be local): the index on search_areas
	// finds those few first.
	lead := `s.id IN (SELECT a.service_id FROM search_areas a WHERE (` + strings.Join(anyArea, `) OR (`) + `))`
	local := shiftArgs(*where, len(a))
	a = append(a, *args...)
	if f.Near != nil && f.RadiusKm == 0 {
		local += ` AND EXISTS (SELECT 1 FROM search_places p WHERE p.service_id = s.id AND p.latitude IS NOT NULL AND p.longitude IS NOT NULL)`
	}
	sv := &servedQuery{where: lead + ` AND ` + w + ` AND ` + strings.Join(conds, ` AND `) + ` AND NOT (` + local + `)`, args: a}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM services s WHERE `+sv.where, sv.args...).Scan(&sv.n); err != nil {
		return nil, err
	}
	if sv.n == 0 {
		return nil, nil
	}
	if f.Near != nil && f.RadiusKm == 0 {
		*where += ` AND NOT (` + shiftArgs(sv.where, len(*args)) + `)`
		*args = append(*args, sv.args...)
	}
	return sv, nil
}

// polygonsHolding returns the ids of the services with a polygon area
// holding p: SQL narrows them by bounding box, Go tests the polygons
// (PostgreSQL here has no PostGIS).
func polygonsHolding(ctx context.Context, tx *Tx, p haven.LatLon) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, geometry FROM search_areas
		WHERE kind = 'polygon' AND min_lat <= $1 AND max_lat >= $1 AND min_lon <= $2 AND max_lon >= $2
		ORDER BY service_id, area_id`, p.Lat, p.Lon)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id, geometry string
		if err := rows.Scan(&id, &geometry); err != nil {
			return nil, err
		}
		if (len(ids) == 0 || ids[len(ids)-1] != id) && haven.PolygonContains(geometry, p) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// page reads the served services of a page (from offset, n of them): best
// match first when there are query words, then by name.
func (sv *servedQuery) page(ctx context.Context, tx *Tx, f haven.DirectoryFilter, q analyze.Query, offset, n int) ([]haven.DirectoryHit, error) {
	if n <= 0 {
		return nil, nil
	}
	args := slices.Clone(sv.args)
	order := `s.name, s.id`
	if !q.Empty() {
		order = textRank("s", q, &args) + `, ` + order
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.organization_id, COALESCE(o.name, '') FROM services s
		LEFT JOIN organizations o ON o.id = s.organization_id WHERE `+sv.where+` ORDER BY `+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, n, offset), args...)
	if err != nil {
		return nil, err
	}
	var hits []haven.DirectoryHit
	for rows.Next() {
		var h haven.DirectoryHit
		if err := rows.Scan(&h.ServiceID, &h.Name, &h.OrgID, &h.OrgName); err != nil {
			rows.Close()
			return nil, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return hits, placeHits(ctx, tx, f, hits)
}

// remoteServices returns which of the hits' services have a virtual
// location.
func remoteServices(ctx context.Context, tx *Tx, hits []haven.DirectoryHit) (map[string]bool, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ServiceID
	}
	out := map[string]bool{}
	err := eachIDBatch(ids, func(in string, args []any) error {
		found, err := queryStrings(ctx, tx, `SELECT service_id FROM search_areas WHERE kind = 'virtual' AND service_id IN (`+in+`)`, args...)
		for _, id := range found {
			out[id] = true
		}
		return err
	})
	return out, err
}

// ListAreaProblems returns the service areas Haven could not resolve, by
// service name, at most limit of them, and how many there are.
func (d *DirectoryService) ListAreaProblems(ctx context.Context, limit int) ([]haven.AreaProblem, int, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_areas WHERE kind = ''`).Scan(&n); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.service_id, s.name, a.area_id, a.label, a.problem FROM search_areas a
		JOIN services s ON s.id = a.service_id WHERE a.kind = '' ORDER BY s.name, a.service_id, a.area_id LIMIT $1`, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []haven.AreaProblem
	for rows.Next() {
		var p haven.AreaProblem
		if err := rows.Scan(&p.ServiceID, &p.ServiceName, &p.AreaID, &p.Label, &p.Problem); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, n, rows.Err()
}
