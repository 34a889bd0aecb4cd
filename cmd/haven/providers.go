package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	havenhttp "haven/http"
	"haven/sqlstore"
)

func providersCommand() *command {
	return &command{
		name:    "providers",
		summary: "search the provider directory from the terminal",
		usage:   `["QUERY"] [--state S] [--country C] [--category CODE] [--language L] [--place PLACE | --near LAT,LON | --postcode ZIP] [--radius-km KM | --radius-mi MI] [--sort best|distance] [--age N] [--population P] [--trafficking K] [--open now | --open-at T | --open-day D [--open-time HH:MM]] [--capacity available] [--all] [--json]`,
		help: `Searches the provider directory exactly as GET /api/v1/search does: the
same parameters, read and checked by the same code, and the same results,
from SQL. It prints a table or, with --json, the API's JSON.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			asJSON := fs.Bool("json", false, "print the API's JSON response")
			lang := fs.String("lang", "en", "language of facet labels: en or es")
			// Each flag is the API parameter of the same name, "-" for "_".
			params := map[string]*string{}
			for _, p := range []struct{ name, usage string }{
				{"state", "filter by state: TX, Texas, or an ISO 3166-2 code such as MX-CMX"},
				{"country", "filter by country, an ISO 3166-1 code such as US"},
				{"category", "filter by category, a taxonomy code such as legal-services or a taxonomy term id"},
				{"language", "filter by language: an ISO 639-1 code such as es, or a name such as Spanish"},
				{"place", `a town, county, state, country, ZIP code or lat,lon, such as "Houston, TX"`},
				{"near", "nearest first from this point, lat,lon"},
				{"postcode", "nearest first from this U.S. ZIP code"},
				{"radius_km", "only within this many kilometres of the place"},
				{"radius_mi", "only within this many miles of the place"},
				{"sort", "best (best match) or distance (nearest first)"},
				{"age", "only services whose age limits admit this age in years"},
				{"population", "only services for this group: minors, women, men, lgbtq, foreign-nationals, us-citizens"},
				{"trafficking", "only services working on this kind of trafficking: labor or sex"},
				{"open", "now: only services open now, by their hours where each is"},
				{"open_at", "only services open at this local time, such as 2026-12-07T18:00"},
				{"open_day", "only services open on this day: mon … sun (with --open-time, at that time)"},
				{"open_time", "with --open-day: the local time, such as 18:00"},
				{"capacity", "available: only services with a bed or place free, updated within 24 hours"},
				{"page", "page of results"},
			} {
				params[p.name] = fs.String(strings.ReplaceAll(p.name, "_", "-"), "", p.usage)
			}
			all := fs.Bool("all", false, "include inactive and defunct services")
			perPage := fs.Int("per-page", 20, "results a page, at most 100")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) > 1 {
					return fmt.Errorf(`providers takes at most one quoted query, for example: haven providers "legal aid" --state TX`)
				}
				q := url.Values{"per_page": {strconv.Itoa(*perPage)}}
				if len(args) == 1 {
					q.Set("q", args[0])
				}
				for name, v := range params {
					if *v != "" {
						q.Set(name, *v)
					}
				}
				if *all {
					q.Set("status", "all")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				body, err := havenhttp.SearchProviders(ctx, sqlstore.NewDirectoryService(store), q, *lang, 0)
				if err != nil {
					return err
				}
				if *asJSON {
					return printJSON(m.Stdout, body)
				}
				tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tORGANIZATION\tPLACE\tKM")
				for _, it := range body.Items {
					place := strings.Trim(strings.Join([]string{it.Location.City, it.Location.State, it.Location.Country}, ", "), ", ")
					km := ""
					if it.DistanceKm != nil {
						km = strconv.FormatFloat(*it.DistanceKm, 'f', 1, 64)
					} else if it.Served != "" {
						km = "serves" // found by its service area: no distance
						if it.Served == "remote" {
							km = "remote"
						}
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.ID, truncate(it.Name, 50), truncate(it.Organization.Name, 40), place, km)
				}
				tw.Flush()
				fmt.Fprintf(m.Stdout, "%d of %d services\n", len(body.Items), body.Total)
				if len(body.Nearest) > 0 {
					fmt.Fprintln(m.Stdout, "None within the radius. The nearest beyond it:")
					for _, it := range body.Nearest {
						fmt.Fprintf(m.Stdout, "  %s  %s  %.1f km\n", it.ID, truncate(it.Name, 50), *it.DistanceKm)
					}
				}
				for _, w := range body.Without {
					flag := map[string]string{"q": "the query", "radius": "the radius"}[w.Param]
					if flag == "" {
						flag = "--" + w.Param
					}
					fmt.Fprintf(m.Stdout, "Without %s: %d services\n", flag, w.Total)
				}
				return nil
			}
		},
	}
}
