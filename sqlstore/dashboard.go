package sqlstore

import (
	"context"
	"time"

	"haven"
	"haven/hsds"
)

// Dashboard counts and lists what needs a curator's attention: listings not
// verified since staleBefore, broken and redirected links, pending
// suggestions and the latest changes.
func (cs *CurationService) Dashboard(ctx context.Context, staleBefore time.Time) (*haven.Dashboard, error) {
	d := &haven.Dashboard{}
	cut := staleBefore.Format("2006-01-02")
	for _, c := range []struct {
		dst   *int
		query string
	}{
		{&d.Resources, `SELECT COUNT(*) FROM resources WHERE retired_at = ''`},
		{&d.Services, `SELECT COUNT(*) FROM services`},
		{&d.Organizations, `SELECT COUNT(*) FROM organizations`},
		{&d.SampleServices, `SELECT COUNT(*) FROM services WHERE sample = 1`},
		{&d.PendingSuggestions, `SELECT COUNT(*) FROM suggestions WHERE status = 'pending'`},
	} {
		if err := cs.db.read.QueryRowContext(ctx, c.query).Scan(c.dst); err != nil {
			return nil, err
		}
	}
	staleWhere := `(SELECT 'resource' AS type, id, title AS name, last_verified FROM resources WHERE retired_at = '' AND last_verified < $1
		UNION ALL SELECT 'service', id, name, last_verified FROM services WHERE status = 'active' AND last_verified < $1) AS x`
	if err := cs.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+staleWhere, cut).Scan(&d.StaleCount); err != nil {
		return nil, err
	}
	rows, err := cs.db.read.QueryContext(ctx, `SELECT type, id, name, last_verified FROM `+staleWhere+` ORDER BY last_verified, name LIMIT 50`, cut)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s haven.StaleListing
		if err := rows.Scan(&s.Type, &s.ID, &s.Name, &s.LastVerified); err != nil {
			rows.Close()
			return nil, err
		}
		d.Stale = append(d.Stale, s)
	}
	rows.Close()
	if d.Broken, err = cs.BrokenLinks(ctx, 50); err != nil {
		return nil, err
	}
	if d.Recent, err = NewAuditService(cs.db).AuditTrail(ctx, "", "", 20); err != nil {
		return nil, err
	}
	if d.Exposed, d.ExposedCount, err = cs.ExposedServices(ctx, 50); err != nil {
		return nil, err
	}
	if d.Withdrawn, err = NewDirectoryService(cs.db).ListWithdrawn(ctx); err != nil {
		return nil, err
	}
	if d.Feeds, err = NewFeedService(cs.db).Feeds(ctx); err != nil {
		return nil, err
	}
	if d.AreaProblems, d.AreaProblemCount, err = NewDirectoryService(cs.db).ListAreaProblems(ctx, 50); err != nil {
		return nil, err
	}
	return d, nil
}

// BrokenLinks returns checked links that failed or redirect, newest first.
func (c *CurationService) BrokenLinks(ctx context.Context, limit int) ([]haven.BrokenLink, error) {
	rows, err := c.db.read.QueryContext(ctx, `SELECT url, status, final_url, error, checked_at FROM link_checks
		WHERE error <> '' OR status >= 400 OR final_url <> '' ORDER BY checked_at DESC, url LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.BrokenLink
	for rows.Next() {
		var b haven.BrokenLink
		var at string
		if err := rows.Scan(&b.URL, &b.Status, &b.FinalURL, &b.Error, &at); err != nil {
			return nil, err
		}
		b.CheckedAt = parseTime(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

// LinkURLs returns every web address in the library and the directory:
// entries, services, organizations and locations.
func (c *CurationService) LinkURLs(ctx context.Context) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	urls, err := queryStrings(ctx, c.db.read, `SELECT url FROM resources WHERE url <> '' AND retired_at = '' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for _, u := range urls {
		add(u)
	}
	dir := NewDirectoryService(c.db)
	// Link checks are staff work: they see confidential locations whole.
	err = dir.EachService(haven.WithStaffView(ctx), func(s *hsds.Service) error {
		add(s.URL)
		for _, u := range s.AdditionalURLs {
			add(u.URL)
		}
		if s.Organization != nil {
			add(s.Organization.Website)
			for _, u := range s.Organization.AdditionalWebsites {
				add(u.URL)
			}
		}
		for _, sal := range s.ServiceAtLocations {
			if sal.Location != nil {
				add(sal.Location.URL)
			}
		}
		return nil
	})
	return out, err
}

// SaveLinkCheck stores the latest result for a URL.
func (c *CurationService) SaveLinkCheck(ctx context.Context, url string, status int, finalURL, errText string, at time.Time) error {
	_, err := c.db.write.ExecContext(ctx, `INSERT INTO link_checks (url, status, final_url, error, checked_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (url) DO UPDATE SET status = excluded.status, final_url = excluded.final_url, error = excluded.error, checked_at = excluded.checked_at`,
		url, status, finalURL, errText, formatTime(at))
	return err
}
