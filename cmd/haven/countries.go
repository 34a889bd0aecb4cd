package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"haven"
	"haven/countries"
	"haven/sqlstore"
)

func countriesCommand() *command {
	return &command{
		name:    "countries",
		summary: "replace the table of Trafficking in Persons Report tiers",
		usage:   "import [--db DSN] FILE",
		help: `"countries import FILE" replaces the tier of every country, shown on the
country pages and the world map, with the table in FILE: tab-separated text
whose header names the columns iso2, tier (1, 2, 2WL, 3 or "special case"),
report_year and source, one row per country, like the table Haven ships
(countries/tiers-2025.tsv, from the U.S. Department of State's 2025
Trafficking in Persons Report). Other columns are ignored.

A bad row stops the import with an error naming the file, the row and the
field, and nothing is changed. Each country whose tier changes is written to
the audit trail as an import.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 2 || args[0] != "import" {
					return fmt.Errorf("usage: haven countries import FILE")
				}
				tiers, err := readTierFile(args[1])
				if err != nil {
					return err
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				n, err := sqlstore.NewCountryService(store).ReplaceCountryTiers(ctx, "cli", tiers)
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "imported the tiers of %d countries from %s: %d changed\n", len(tiers), args[1], n)
				return nil
			}
		},
	}
}

// maxTierFile bounds the file read: the report's table is about 60 kB.
const maxTierFile = 4 << 20

func readTierFile(path string) ([]haven.CountryTier, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, haven.Errorf(haven.EINVALID, "%s: cannot open: %v", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTierFile+1))
	if err != nil {
		return nil, haven.Errorf(haven.EINVALID, "%s: cannot read: %v", path, err)
	}
	if len(b) > maxTierFile {
		return nil, haven.Errorf(haven.EINVALID, "%s: larger than %d MB: is it the tier table?", path, maxTierFile>>20)
	}
	return countries.ParseTiers(path, bytes.NewReader(b))
}

// seedCountries loads the shipped tiers and hotlines on a database's first
// start.
func seedCountries(ctx context.Context, db *sqlstore.DB) (bool, error) {
	hot := map[string][]haven.CountryHotline{}
	for _, h := range countries.Hotlines() {
		hot[h.Country] = append(hot[h.Country], h.CountryHotline)
	}
	return sqlstore.NewCountryService(db).SeedCountries(ctx, countries.Tiers(), hot)
}
