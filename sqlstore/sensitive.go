package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"haven"
)

// Curators are shown the services that look like shelters or other places
// whose address may need to stay secret, and whose location is not marked
// confidential: Haven never guesses (an import is taken as it says), so a
// person reviews each one.

// SensitiveCategories are the taxonomy codes whose services are reviewed.
var SensitiveCategories = []string{"shelter", "housing"}

// sensitiveWords, found in a service's name, also call for a review.
var sensitiveWords = []string{"shelter", "safe house", "safehouse", "refugio", "albergue", "casa de acogida", "casa refugio"}

// exposedWhere selects (s, l) pairs of sensitive services at public,
// physical locations.
func exposedWhere() (string, []any) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var cats, names []string
	for _, c := range SensitiveCategories {
		cats = append(cats, arg(c))
	}
	for _, w := range sensitiveWords {
		names = append(names, `lower(s.name) LIKE `+arg("%"+w+"%"))
	}
	return `services s JOIN service_at_locations sal ON sal.service_id = s.id
		JOIN locations l ON l.id = sal.location_id AND l.confidential = 0 AND l.withdrawn = 0
		WHERE s.withdrawn = 0 AND (EXISTS (SELECT 1 FROM search_categories c WHERE c.service_id = s.id AND c.code IN (` +
		strings.Join(cats, ", ") + `)) OR ` + strings.Join(names, " OR ") + `)`, args
}

// ExposedServices returns up to limit sensitive services whose location is
// not confidential, by name, and how many there are in all.
func (cs *CurationService) ExposedServices(ctx context.Context, limit int) ([]haven.ExposedService, int, error) {
	where, args := exposedWhere()
	var total int
	if err := cs.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := cs.db.read.QueryContext(ctx, `SELECT s.id, s.name, l.id, l.name FROM `+where+` ORDER BY s.name, s.id, l.id LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []haven.ExposedService
	for rows.Next() {
		var e haven.ExposedService
		if err := rows.Scan(&e.ID, &e.Name, &e.LocationID, &e.LocationName); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
