package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"haven"
)

var _ haven.CountryTierService = (*CountryService)(nil)

// ListCountryTiers returns every country's tier, by country code.
func (cs *CountryService) ListCountryTiers(ctx context.Context) ([]haven.CountryTier, error) {
	rows, err := cs.db.read.QueryContext(ctx, `SELECT country, tier, report_year, source FROM country_tiers ORDER BY country`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.CountryTier
	for rows.Next() {
		var t haven.CountryTier
		if err := rows.Scan(&t.Country, &t.Tier, &t.Year, &t.Source); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindCountryTier returns a country's tier, or nil when it has none.
func (cs *CountryService) FindCountryTier(ctx context.Context, country string) (*haven.CountryTier, error) {
	t := haven.CountryTier{Country: country}
	err := cs.db.read.QueryRowContext(ctx, `SELECT tier, report_year, source FROM country_tiers WHERE country = $1`, country).
		Scan(&t.Tier, &t.Year, &t.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// tierText is how a tier shows in the audit trail: "2WL (2025)".
func tierText(t haven.CountryTier) string { return fmt.Sprintf("%s (%d)", t.Tier, t.Year) }

// ReplaceCountryTiers replaces the table of tiers in one transaction,
// writing an "import" line to the audit trail for each country whose tier
// or year changed, appeared or went.
func (cs *CountryService) ReplaceCountryTiers(ctx context.Context, actor string, tiers []haven.CountryTier) (int, error) {
	if len(tiers) == 0 {
		return 0, haven.Errorf(haven.EINVALID, "the new table of tiers is empty: nothing was changed")
	}
	seen := map[string]bool{}
	for i, t := range tiers {
		switch {
		case !haven.IsCountryCode(t.Country):
			return 0, haven.Errorf(haven.EINVALID, "row %d: country %q is not an ISO 3166-1 alpha-2 code", i+1, t.Country)
		case seen[t.Country]:
			return 0, haven.Errorf(haven.EINVALID, "row %d: country %s is listed twice", i+1, t.Country)
		case !slices.Contains(haven.Tiers, t.Tier):
			return 0, haven.Errorf(haven.EINVALID, "row %d: %q is not a tier", i+1, t.Tier)
		case t.Source == "" || t.Year <= 0:
			return 0, haven.Errorf(haven.EINVALID, "row %d: a tier needs its report year and source", i+1)
		}
		seen[t.Country] = true
	}
	before, err := cs.ListCountryTiers(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := cs.db.BeginTx(ctx, false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	old := map[string]haven.CountryTier{}
	for _, t := range before {
		old[t.Country] = t
	}
	changed := 0
	for _, t := range tiers {
		o, had := old[t.Country]
		delete(old, t.Country)
		if had && o.Tier == t.Tier && o.Year == t.Year {
			continue
		}
		changed++
		b := ""
		if had {
			b = tierText(o)
		}
		if err := audit(ctx, tx, actor, "import", "country", t.Country, "tier", b, tierText(t)); err != nil {
			return 0, err
		}
	}
	for _, o := range old {
		changed++
		if err := audit(ctx, tx, actor, "import", "country", o.Country, "tier", tierText(o), ""); err != nil {
			return 0, err
		}
	}
	if err := putTiers(ctx, tx, tiers); err != nil {
		return 0, err
	}
	return changed, tx.Commit()
}

func putTiers(ctx context.Context, tx *Tx, tiers []haven.CountryTier) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM country_tiers`); err != nil {
		return err
	}
	for _, t := range tiers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO country_tiers (country, tier, report_year, source) VALUES ($1, $2, $3, $4)`,
			t.Country, t.Tier, t.Year, t.Source); err != nil {
			return err
		}
	}
	return nil
}

// SeedCountries loads the tiers and hotlines shipped with Haven, once in a
// database's life: later starts keep what curators and imports made of
// them. A country that already has hotlines keeps them. It reports whether
// it loaded anything.
func (cs *CountryService) SeedCountries(ctx context.Context, tiers []haven.CountryTier, hotlines map[string][]haven.CountryHotline) (bool, error) {
	tx, err := cs.db.BeginTx(ctx, false)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('countries_seeded_at', $1) ON CONFLICT (key) DO NOTHING`, formatTime(tx.now))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := putTiers(ctx, tx, tiers); err != nil {
		return false, err
	}
	codes := make([]string, 0, len(hotlines))
	for c := range hotlines {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		b, err := json.Marshal(hotlines[c])
		if err != nil {
			return false, err
		}
		// No summary yet: the page says so, rather than show invented text.
		if _, err := tx.ExecContext(ctx, `INSERT INTO country_summaries (country, summary_en, summary_es, hotlines, sample, updated_at)
			VALUES ($1, '', '', $2, 0, $3)
			ON CONFLICT (country) DO UPDATE SET hotlines = excluded.hotlines WHERE country_summaries.hotlines = '[]'`,
			c, string(b), formatTime(tx.now)); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}
