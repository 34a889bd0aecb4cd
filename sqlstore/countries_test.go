package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"haven"
	"haven/countries"
	"haven/sqlstore"
)

func seedHotlines() map[string][]haven.CountryHotline {
	m := map[string][]haven.CountryHotline{}
	for _, h := range countries.Hotlines() {
		m[h.Country] = append(m[h.Country], h.CountryHotline)
	}
	return m
}

func TestCountryTiers(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		cs := sqlstore.NewCountryService(db)
		// A curator's hotline, written before the first seed, is kept.
		mine := []haven.CountryHotline{{Name: "Curator line", Phone: "+52 55 0000 0000", Checked: "2026-12-01"}}
		if err := cs.SaveCountrySummary(ctx, "c@example.org", &haven.CountrySummary{Country: "MX", Summary: haven.Localized{"en": "E", "es": "S"}, Hotlines: mine}); err != nil {
			t.Fatal(err)
		}
		ok, err := cs.SeedCountries(ctx, countries.Tiers(), seedHotlines())
		if err != nil || !ok {
			t.Fatalf("seed = %v, %v", ok, err)
		}
		if ok, err := cs.SeedCountries(ctx, countries.Tiers(), seedHotlines()); err != nil || ok {
			t.Fatalf("second seed = %v, %v: want nothing done", ok, err)
		}
		all, err := cs.ListCountryTiers(ctx)
		if err != nil || len(all) != 188 {
			t.Fatalf("%d tiers, %v", len(all), err)
		}
		us, err := cs.FindCountryTier(ctx, "US")
		if err != nil || us == nil || us.Tier != haven.Tier1 || us.Year != 2025 {
			t.Fatalf("US tier = %+v, %v", us, err)
		}
		if none, err := cs.FindCountryTier(ctx, "AQ"); none != nil || err != nil {
			t.Fatalf("AQ tier = %+v, %v", none, err)
		}
		// Seeded hotlines come with an empty summary: none was written.
		ie, err := cs.FindCountrySummary(ctx, "IE")
		if err != nil || ie == nil || len(ie.Hotlines) != 2 || ie.Summary["en"] != "" || ie.Hotlines[0].Checked != "2026-12-06" || ie.Hotlines[0].NoteES == "" {
			t.Fatalf("IE = %+v, %v", ie, err)
		}
		mx, _ := cs.FindCountrySummary(ctx, "MX")
		if fmt.Sprint(mx.Hotlines) != fmt.Sprint(mine) || mx.Summary["en"] != "E" {
			t.Fatalf("MX = %+v: the curator's hotline was replaced", mx)
		}

		// A new table: only the countries that change are audited.
		next := []haven.CountryTier{
			{Country: "US", Tier: haven.Tier1, Year: 2025, Source: "s"},
			{Country: "FR", Tier: haven.Tier2, Year: 2026, Source: "s"},
			{Country: "XK", Tier: haven.Tier3, Year: 2025, Source: "s"},
		}
		n, err := cs.ReplaceCountryTiers(ctx, "cli", next)
		if err != nil {
			t.Fatal(err)
		}
		if n != 188-3+2 { // 185 gone, FR and XK changed, US the same
			t.Errorf("changed = %d", n)
		}
		all, _ = cs.ListCountryTiers(ctx)
		if fmt.Sprint(all) != fmt.Sprint([]haven.CountryTier{next[1], next[0], next[2]}) {
			t.Errorf("tiers = %v", all)
		}
		audit := sqlstore.NewAuditService(db)
		fr, err := audit.AuditTrail(ctx, "country", "FR", 0)
		if err != nil || len(fr) != 1 || fr[0].Action != "import" || fr[0].Actor != "cli" || fr[0].Before != "1 (2025)" || fr[0].After != "2 (2026)" {
			t.Errorf("FR trail = %+v, %v", fr, err)
		}
		if usTrail, _ := audit.AuditTrail(ctx, "country", "US", 0); len(usTrail) != 0 {
			t.Errorf("US unchanged, but audited: %+v", usTrail)
		}

		// A bad table changes nothing.
		for _, bad := range [][]haven.CountryTier{
			nil,
			{{Country: "FR", Tier: "4", Year: 2026, Source: "s"}},
			{{Country: "FR", Tier: "1", Year: 2026, Source: "s"}, {Country: "FR", Tier: "2", Year: 2026, Source: "s"}},
			{{Country: "fr", Tier: "1", Year: 2026, Source: "s"}},
			{{Country: "FR", Tier: "1", Year: 2026}},
		} {
			if _, err := cs.ReplaceCountryTiers(ctx, "cli", bad); haven.ErrorCode(err) != haven.EINVALID {
				t.Errorf("replace with %v: err = %v, want EINVALID", bad, err)
			}
		}
		if after, _ := cs.ListCountryTiers(ctx); fmt.Sprint(after) != fmt.Sprint(all) {
			t.Errorf("a refused table changed the tiers: %v", after)
		}
	})
}

func TestCountrySummaryBothOrNeither(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		cs := sqlstore.NewCountryService(MustOpenDB(t, e))
		if err := cs.SaveCountrySummary(ctx, "c", &haven.CountrySummary{Country: "FR", Summary: haven.Localized{"en": "only English"}}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("one language: err = %v", err)
		}
		if err := cs.SaveCountrySummary(ctx, "c", &haven.CountrySummary{Country: "FR", Summary: haven.Localized{},
			Hotlines: []haven.CountryHotline{{Name: "L", Phone: "1", Note: "n", NoteES: "n", Checked: "2026-12-06"}}}); err != nil {
			t.Errorf("no summary, one hotline: %v", err)
		}
		fr, err := cs.FindCountrySummary(ctx, "FR")
		if err != nil || fr.Summary["en"] != "" || fr.Hotlines[0].Checked != "2026-12-06" {
			t.Errorf("FR = %+v, %v", fr, err)
		}
	})
}
