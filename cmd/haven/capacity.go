package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"haven"
	"haven/sqlstore"
)

func capacityCommand() *command {
	return &command{
		name:    "capacity",
		summary: "report capacity figures for funders: totals and updates per unit, no service or person named",
		usage:   "report [--since DATE] [--max-age AGE] [--json] [--db DSN]",
		help: `"capacity report" prints aggregate figures of the services' capacities
(beds, places, appointments), by unit name: how many capacities count it,
how many are available now and the maximum they add up to, how many were
updated within --max-age (24h by default, as "haven serve
--capacity-max-age"), and how many updates were made each month since
--since (a date, YYYY-MM-DD; a year ago by default). It names no service,
organization or person, so the figures can go to a funder as they are.
--json prints them as JSON.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			since := fs.String("since", "", "count updates from this date, YYYY-MM-DD (a year ago by default)")
			maxAge := fs.String("max-age", "24h", "a count updated within this age is fresh, e.g. 24h or 2d")
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 || args[0] != "report" {
					return errors.New("usage: haven capacity report [--since YYYY-MM-DD] [--max-age AGE] [--json]")
				}
				from := time.Now().AddDate(-1, 0, 0).UTC().Truncate(24 * time.Hour)
				if *since != "" {
					t, err := time.Parse("2006-01-02", *since)
					if err != nil {
						return fmt.Errorf("--since %q is not a date such as 2026-01-31", *since)
					}
					from = t
				}
				age, err := parseAge(*maxAge)
				if err != nil {
					return fmt.Errorf("--max-age: %w", err)
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				rep, err := sqlstore.NewDirectoryService(store).CapacityReport(ctx, from, age)
				if err != nil {
					return err
				}
				if *asJSON {
					return printJSON(m.Stdout, rep)
				}
				return printCapacityReport(m, rep)
			}
		},
	}
}

func printCapacityReport(m *Main, rep *haven.CapacityReport) error {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UNIT\tCAPACITIES\tAVAILABLE\tMAXIMUM\tFRESH")
	for _, u := range rep.Units {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\n", u.Unit, u.Capacities, num(u.Available), num(u.Maximum), u.Fresh)
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "\nUpdates since %s\n", rep.Since.Format("2006-01-02"))
	tw = tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MONTH\tUNIT\tUPDATES")
	for _, mo := range rep.Months {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", mo.Month, mo.Unit, mo.Updates)
	}
	return tw.Flush()
}
