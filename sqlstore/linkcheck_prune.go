package sqlstore

import (
	"context"
)

// ForgetLinkChecks deletes the stored results of addresses no longer in
// use, so that once a curator fixes a broken address in the form, the old
// one leaves the dashboard at the next check instead of staying there
// forever. inUse is what LinkURLs returned for that check. It reports how
// many results it deleted.
func (c *CurationService) ForgetLinkChecks(ctx context.Context, inUse []string) (int, error) {
	keep := make(map[string]bool, len(inUse))
	for _, u := range inUse {
		keep[u] = true
	}
	rows, err := c.db.read.QueryContext(ctx, `SELECT url FROM link_checks`)
	if err != nil {
		return 0, err
	}
	var stale []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return 0, err
		}
		if !keep[u] {
			stale = append(stale, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, u := range stale {
		if _, err := c.db.write.ExecContext(ctx, `DELETE FROM link_checks WHERE url = $1`, u); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
