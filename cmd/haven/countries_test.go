package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven"
	"haven/internal/testpg"
	"haven/sqlstore"
)

func TestCountriesImport(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { countriesImport(t, e.Fresh(t)) })
}

func countriesImport(t *testing.T, dsn string) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	MustRunMain(t, dsn, "migrate") // the first start loads the shipped table
	tiers := func() []haven.CountryTier {
		db, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		all, err := sqlstore.NewCountryService(db).ListCountryTiers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	if n := len(tiers()); n != 188 {
		t.Fatalf("after the first start: %d tiers, want 188", n)
	}

	const head = "country\tiso2\ttier\treport_year\tsource\n"
	bad := write("bad.tsv", head+"France\tFR\t1\t2026\tx\nNowhere\tQQ\t2\t2026\tx\n")
	out, err := runMain(dsn, "countries", "import", bad)
	if err == nil || !strings.Contains(err.Error(), bad+": row 3, field iso2") {
		t.Fatalf("bad file: err = %v\n%s", err, out)
	}
	if n := len(tiers()); n != 188 {
		t.Fatalf("a refused file changed the table: %d tiers", n)
	}

	good := write("tiers-2026.tsv", head+"France\tFR\t2\t2026\thttps://www.state.gov/reports/2026-trafficking-in-persons-report/\nKosovo\tXK\t2WL\t2026\tx\n")
	out = MustRunMain(t, dsn, "countries", "import", good)
	if !strings.Contains(out, "imported the tiers of 2 countries") {
		t.Errorf("output: %s", out)
	}
	got := tiers()
	if len(got) != 2 || got[0].Country != "FR" || got[0].Tier != haven.Tier2 || got[0].Year != 2026 || got[1].Tier != haven.Tier2Watch {
		t.Fatalf("tiers after import: %+v", got)
	}
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	trail, err := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "country", "FR", 0)
	if err != nil || len(trail) != 1 || trail[0].Action != "import" || trail[0].After != "2 (2026)" {
		t.Errorf("FR trail: %+v, %v", trail, err)
	}
	// A later start does not bring the shipped table back.
	MustRunMain(t, dsn, "migrate")
	if n := len(tiers()); n != 2 {
		t.Errorf("a restart reloaded the shipped table: %d tiers", n)
	}
}
