package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"

	"haven"
	havenhttp "haven/http"
	"haven/sqlstore"
)

func resourcesCommand() *command {
	return &command{
		name:    "resources",
		summary: "list or show entries of the resource library",
		usage:   "list [--section S] [--json] | show ID [--json]",
		help: `"resources list" prints the library in the seed page's order; --section
keeps one section (documents, organizations, websites, hotlines).
"resources show ID" prints one entry in full.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			section := fs.String("section", "", "list only this section: documents, organizations, websites or hotlines")
			asJSON := fs.Bool("json", false, "print JSON, as the API does")
			lang := fs.String("lang", "en", "language of descriptions: en or es")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) == 0 {
					return fmt.Errorf(`resources needs a subcommand: "list" or "show ID"`)
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				svc := sqlstore.NewResourceService(store)
				switch args[0] {
				case "list":
					if len(args) > 1 {
						return fmt.Errorf("resources list takes no arguments, got %q", args[1:])
					}
					return m.searchResources(ctx, svc, []string{"section=" + *section, fmt.Sprintf("per_page=%d", maxPerPage)}, *asJSON, *lang)
				case "show":
					if len(args) != 2 {
						return fmt.Errorf("usage: haven resources show ID")
					}
					r, err := svc.FindResourceByID(ctx, args[1])
					if err != nil {
						return err
					}
					if *asJSON {
						return printJSON(m.Stdout, havenhttp.APIResource(r, *lang))
					}
					printResource(m.Stdout, r, *lang)
					return nil
				}
				return fmt.Errorf("unknown subcommand %q: use list or show", args[0])
			}
		},
	}
}

func searchCommand() *command {
	return &command{
		name:    "search",
		summary: "search the resource library from the terminal",
		usage:   `"QUERY" [--section S] [--kind K] [--audience A] [--topic T] [--region R] [--json]`,
		help: `Searches the library exactly as GET /api/v1/resources?q=QUERY does, with
the same stemming and accent folding, and prints a table or, with --json,
the API's JSON.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			asJSON := fs.Bool("json", false, "print the API's JSON response")
			lang := fs.String("lang", "en", "language of descriptions and labels: en or es")
			filters := map[string]*string{}
			for _, f := range haven.Facets {
				filters[f] = fs.String(f, "", "filter by "+f)
			}
			perPage := fs.Int("per-page", maxPerPage, "results to print, at most 100")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf(`search takes one quoted query, for example: haven search "T visa"`)
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				params := []string{"q=" + args[0], fmt.Sprintf("per_page=%d", *perPage)}
				for name, v := range filters {
					params = append(params, name+"="+*v)
				}
				return m.searchResources(ctx, sqlstore.NewResourceService(store), params, *asJSON, *lang)
			}
		},
	}
}

// searchResources runs the API's own search code on the given parameters,
// so the command line and the API cannot drift apart.
func (m *Main) searchResources(ctx context.Context, svc haven.ResourceService, params []string, asJSON bool, lang string) error {
	q := url.Values{}
	for _, p := range params {
		if k, v, _ := strings.Cut(p, "="); v != "" {
			q.Set(k, v)
		}
	}
	body, err := havenhttp.SearchResources(ctx, svc, q, lang)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(m.Stdout, body)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSECTION\tKIND\tTITLE")
	for _, it := range body.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.ID, it.Section, it.Kind, truncate(it.Title, 70))
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "%d of %d entries\n", len(body.Items), body.Total)
	return nil
}

func printResource(w io.Writer, r *haven.Resource, lang string) {
	fmt.Fprintf(w, "%s\n%s\n\n%s\n\n", r.Title, strings.Repeat("=", min(len([]rune(r.Title)), 78)), r.Desc.In(lang))
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-11s %s\n", k+":", v)
		}
	}
	row("id", r.ID)
	row("section", r.Section)
	row("kind", r.Kind)
	row("region", r.Region)
	row("publisher", r.Publisher)
	if r.Year != 0 {
		row("year", fmt.Sprint(r.Year))
	}
	row("audiences", strings.Join(r.Audiences, ", "))
	row("topics", strings.Join(r.Topics, ", "))
	row("languages", strings.Join(r.Languages, ", "))
	row("url", r.URL)
	if h := r.Hotline; h != nil {
		row("phone", h.Phone)
		row("text", h.Text)
		row("hours", h.Hours)
		row("counselors", strings.Join(h.CounselorLanguages, ", "))
		row("e-mail in", strings.Join(h.EmailLanguages, ", "))
	}
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		summary: "create or upgrade the database schema, then exit",
		usage:   "[--db DSN]",
		help: `Applies pending migrations and loads the seed library into an empty
database. Every command does this on start; "migrate" does only that, for
deployments that upgrade the schema before starting servers.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				applied, _, err := store.MigrationVersion(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "database %s is at schema version %d\n", db.display(), applied)
				return nil
			}
		},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the version",
		help:    "Prints Haven's version.",
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			return func(ctx context.Context, m *Main, args []string) error {
				fmt.Fprintln(m.Stdout, "haven", version)
				return nil
			}
		},
	}
}

// maxPerPage is the API's largest page, which holds the whole seed library.
const maxPerPage = 100
