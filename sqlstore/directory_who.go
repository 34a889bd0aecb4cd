package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"haven"
	"haven/hsds"
)

// Who a service helps and when it is open, in search: the rows of
// search_ages, search_groups and search_hours (migration 0022), the fields
// of the search document they come from, and the SQL of the age,
// population, trafficking and open filters.

// whoDoc fills in a service's age bounds, groups and hours in its search
// document, whose places are set. Terms of the who-is-served taxonomy are
// groups, not categories.
func whoDoc(doc *haven.DirectoryDoc, s *hsds.Service) {
	doc.MinAge, doc.MaxAge = s.MinimumAge, s.MaximumAge
	doc.Populations, doc.Trafficking = haven.WhoOf(s)
	for _, g := range []struct {
		facet string
		codes []string
	}{{"population", doc.Populations}, {"trafficking", doc.Trafficking}} {
		for _, c := range g.codes {
			doc.Categories = slices.DeleteFunc(doc.Categories, func(x string) bool { return x == g.facet+":"+c })
		}
	}
	if len(doc.Categories) == 0 {
		doc.Categories = nil
	}
	doc.Hours = haven.ServiceHours(s, doc.Places)
}

// writeWho writes a service's who and hours rows; for a new service of a
// bulk import there is nothing to delete.
func writeWho(ctx context.Context, tx *Tx, id string, doc *haven.DirectoryDoc, fresh bool) error {
	if !fresh {
		for _, table := range []string{"search_ages", "search_groups", "search_hours"} {
			if err := tx.exec(ctx, `DELETE FROM `+table+` WHERE service_id = $1`, id); err != nil {
				return err
			}
		}
	}
	if doc.MinAge != nil || doc.MaxAge != nil {
		if err := tx.exec(ctx, `INSERT INTO search_ages (service_id, min_age, max_age) VALUES ($1, $2, $3)`, id, doc.MinAge, doc.MaxAge); err != nil {
			return err
		}
	}
	for _, g := range []struct {
		facet string
		codes []string
	}{{"population", doc.Populations}, {"trafficking", doc.Trafficking}} {
		for _, c := range g.codes {
			if err := tx.exec(ctx, `INSERT INTO search_groups (service_id, facet, code) VALUES ($1, $2, $3)`, id, g.facet, c); err != nil {
				return err
			}
		}
	}
	for _, h := range doc.Hours {
		if err := tx.exec(ctx, `INSERT INTO search_hours (service_id, zone, day, opens, closes) VALUES ($1, $2, $3, $4, $5)`,
			id, h.Zone, int(h.Day), h.Opens, h.Closes); err != nil {
			return err
		}
	}
	return nil
}

// readWho reads back the who and hours rows of the documents in byID,
// whose ids are args and in placeholders.
func readWho(ctx context.Context, tx *Tx, in string, ids []any, byID map[string]*haven.DirectoryDoc) error {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, min_age, max_age FROM search_ages WHERE service_id IN (`+in+`)`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid string
		var lo, hi *float64
		if err := rows.Scan(&sid, &lo, &hi); err != nil {
			rows.Close()
			return err
		}
		byID[sid].MinAge, byID[sid].MaxAge = lo, hi
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT service_id, facet, code FROM search_groups WHERE service_id IN (`+in+`) ORDER BY service_id, facet, code`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid, facet, code string
		if err := rows.Scan(&sid, &facet, &code); err != nil {
			rows.Close()
			return err
		}
		switch d := byID[sid]; facet {
		case "population":
			d.Populations = append(d.Populations, code)
		case "trafficking":
			d.Trafficking = append(d.Trafficking, code)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT service_id, zone, day, opens, closes FROM search_hours WHERE service_id IN (`+in+`)
		ORDER BY service_id, zone, day, opens, closes`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var h haven.WeeklyHours
		var day int
		if err := rows.Scan(&sid, &h.Zone, &day, &h.Opens, &h.Closes); err != nil {
			return err
		}
		h.Day = time.Weekday(day)
		byID[sid].Hours = append(byID[sid].Hours, h)
	}
	// Sorted as whoDoc sorts, whatever the engine's collation.
	for _, d := range byID {
		d.Hours = haven.CanonicalHours(d.Hours)
		slices.Sort(d.Populations)
		slices.Sort(d.Trafficking)
	}
	return rows.Err()
}

// whoConds returns the conditions over services s of a filter's age,
// population, trafficking and open filters, but the facet named except.
func whoConds(f haven.DirectoryFilter, except string, arg func(any) string) []string {
	var conds []string
	if f.Age != nil {
		a := arg(float64(*f.Age))
		conds = append(conds, `NOT EXISTS (SELECT 1 FROM search_ages e WHERE e.service_id = s.id AND (e.min_age > `+a+` OR e.max_age < `+a+`))`)
	}
	for _, g := range []struct{ facet, code string }{{"population", f.Population}, {"trafficking", f.Trafficking}} {
		if g.code != "" && except != g.facet {
			conds = append(conds, `EXISTS (SELECT 1 FROM search_groups g WHERE g.service_id = s.id AND g.facet = `+arg(g.facet)+` AND g.code = `+arg(g.code)+`)`)
		}
	}
	if o := f.Open; o != nil {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_hours h WHERE h.service_id = s.id AND (`+openSQL(*o, arg)+`))`)
	}
	if !f.RoomSince.IsZero() {
		conds = append(conds, roomCond(f.RoomSince, arg))
	}
	return conds
}

// openSQL is the condition on hours h of being open at o. A wall-clock
// time is the same in every zone; an instant is read on the clocks of every
// zone hours may be kept in, zones showing the same day and minute sharing
// one clause.
func openSQL(o haven.OpenAt, arg func(any) string) string {
	at := func(day time.Weekday, minute int) string {
		if minute < 0 {
			return `h.day = ` + arg(int(day))
		}
		m := arg(minute)
		return `h.day = ` + arg(int(day)) + ` AND h.opens <= ` + m + ` AND h.closes > ` + m
	}
	if o.Wall {
		return at(o.Day, o.Minute)
	}
	type clock struct {
		day    time.Weekday
		minute int
	}
	var order []clock
	zones := map[clock][]string{}
	for _, z := range haven.HourZones() {
		d, m := o.Local(z)
		c := clock{d, m}
		if zones[c] == nil {
			order = append(order, c)
		}
		zones[c] = append(zones[c], z)
	}
	var ors []string
	for _, c := range order {
		in := make([]string, len(zones[c]))
		for i, z := range zones[c] {
			in[i] = arg(z)
		}
		ors = append(ors, fmt.Sprintf(`(h.zone IN (%s) AND %s)`, strings.Join(in, ", "), at(c.day, c.minute)))
	}
	return strings.Join(ors, " OR ")
}

// groupFacetSQL counts the services of each code of a who facet.
func groupFacetSQL(facet, where string, args *[]any) string {
	*args = append(*args, facet)
	return `SELECT x.code, COUNT(DISTINCT x.service_id) FROM search_groups x JOIN services s ON s.id = x.service_id
		WHERE x.facet = $` + fmt.Sprint(len(*args)) + ` AND ` + where + ` GROUP BY x.code`
}

// translatedTexts returns the names, and the descriptions and eligibility,
// of a service's translations (x_translations), each after a space: a
// search in Spanish finds a service by its Spanish name as by its English
// one, and ranks it alike.
func translatedTexts(s *hsds.Service) (names, body string) {
	m, _ := hsds.ParseTranslations(string(s.XTranslations))
	langs := make([]string, 0, len(m))
	for lang := range m {
		langs = append(langs, lang)
	}
	slices.Sort(langs) // terms come out in one order, whatever the map's
	for _, lang := range langs {
		tr := m[lang]
		names += " " + tr.Name
		body += " " + tr.Description + " " + tr.EligibilityDescription
	}
	return names, body
}
