package sqlstore

import (
	"fmt"
	"strconv"
	"strings"

	"haven"
	"haven/analyze"
	"haven/geo"
)

// bestOrder is the ORDER BY of best match with a place (issue 19):
// haven.BestScore of how many query words the name holds and how near the
// service is, highest first; then nearest first (services without
// coordinates last), name and id — as the index's pageBest.
func bestOrder(q analyze.Query, near geo.Point, args *[]any) string {
	var hits []string
	for _, g := range q {
		var any []string
		for _, t := range g {
			*args = append(*args, "% "+t+" %")
			any = append(any, fmt.Sprintf("s.head_terms LIKE $%d", len(*args)))
		}
		hits = append(hits, "(CASE WHEN "+strings.Join(any, " OR ")+" THEN 1 ELSE 0 END)")
	}
	*args = append(*args, near.Lat, near.Lon)
	n := len(*args)
	dist := `(SELECT MIN(` + distanceSQL(fmt.Sprintf("$%d", n-1), fmt.Sprintf("$%d", n)) + `) FROM search_places p
		WHERE p.service_id = s.id AND p.latitude IS NOT NULL)`
	step := `(CASE WHEN ` + dist + ` IS NULL THEN 2 WHEN ` + dist + ` <= ` + strconv.Itoa(haven.BestNearKm) +
		` THEN 0 WHEN ` + dist + ` <= ` + strconv.Itoa(haven.BestFarKm) + ` THEN 1 ELSE 2 END)`
	return `(` + strings.Join(hits, " + ") + ` - ` + step + `) DESC, ` + dist + ` IS NULL, ` + dist + `, s.name, s.id`
}
