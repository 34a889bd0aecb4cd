package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"

	"haven"
	"haven/listing"
	"haven/sqlstore"
)

func matchesCommand() *command {
	return &command{
		name:    "matches",
		summary: "list services that are likely the same service from two sources",
		usage:   `[--min-score S] [--limit N] [--json]`,
		help: `Lists pairs of services that may be one real service described twice:
the same external identifier, the same phone number or web address, or a
similar name near the same place. Each pair has its reasons and a score
from 0 to 1, best first. Pairs a curator marked "not the same" are left
out; merged-away and withdrawn services too. Merge a pair with
"haven merge", or on the curators' page /admin/matches.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			asJSON := fs.Bool("json", false, "print JSON")
			minScore := fs.Float64("min-score", 0.5, "leave out pairs scoring below this, from 0 to 1")
			limit := fs.Int("limit", 0, "print at most this many pairs (0: all)")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) > 0 {
					return fmt.Errorf("matches takes no arguments, got %q", args)
				}
				if *minScore < 0 || *minScore > 1 || math.IsNaN(*minScore) {
					return fmt.Errorf("--min-score %v: give a score from 0 to 1, such as 0.5", *minScore)
				}
				if *limit < 0 {
					return fmt.Errorf("--limit %d: give 0 (all) or more", *limit)
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				pairs, err := sqlstore.NewDirectoryService(store).ListMatches(ctx, *minScore)
				if err != nil {
					return err
				}
				total := len(pairs)
				if *limit > 0 && len(pairs) > *limit {
					pairs = pairs[:*limit]
				}
				if *asJSON {
					return writeMatchesJSON(m, pairs, total)
				}
				for _, p := range pairs {
					fmt.Fprintf(m.Stdout, "%.2f  %s\n      %s\n", p.Score, sideText(p.A), sideText(p.B))
					var rs []string
					for _, r := range p.Reasons {
						rs = append(rs, r.Code+": "+r.Detail)
					}
					fmt.Fprintf(m.Stdout, "      because %s\n", strings.Join(rs, "; "))
				}
				fmt.Fprintf(m.Stdout, "%d pairs scoring %.2f or more", total, *minScore)
				if len(pairs) < total {
					fmt.Fprintf(m.Stdout, " (%d shown)", len(pairs))
				}
				fmt.Fprintln(m.Stdout)
				return nil
			}
		},
	}
}

func sideText(s haven.MatchSide) string {
	t := s.Name
	if s.OrgName != "" {
		t += " — " + s.OrgName
	}
	if s.City != "" {
		t += ", " + s.City
	}
	return t + "  [" + s.ID + "]"
}

// matchJSON is one pair as `haven matches --json` prints it.
type matchJSON struct {
	A       sideJSON     `json:"a"`
	B       sideJSON     `json:"b"`
	Score   float64      `json:"score"`
	Reasons []reasonJSON `json:"reasons"`
}

type sideJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	City         string `json:"city"`
}

type reasonJSON struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// writeMatchesJSON writes {"total": N, "pairs": […]} a pair at a time:
// a large directory can have hundreds of thousands of pairs, and the whole
// document need not sit in memory.
func writeMatchesJSON(m *Main, pairs []haven.MatchPair, total int) error {
	w := bufio.NewWriter(m.Stdout)
	fmt.Fprintf(w, "{\n  \"total\": %d,\n  \"pairs\": [", total)
	for i, p := range pairs {
		j := matchJSON{A: sideJSON{p.A.ID, p.A.Name, p.A.OrgName, p.A.City}, B: sideJSON{p.B.ID, p.B.Name, p.B.OrgName, p.B.City},
			Score: p.Score, Reasons: []reasonJSON{}}
		for _, r := range p.Reasons {
			j.Reasons = append(j.Reasons, reasonJSON{r.Code, r.Detail})
		}
		b, err := json.MarshalIndent(j, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n    ")
		w.Write(b)
	}
	if len(pairs) > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("]\n}\n")
	return w.Flush()
}

func mergeCommand() *command {
	return &command{
		name:    "merge",
		summary: "merge a service into another that describes the same service",
		usage:   `SURVIVOR-ID ABSORBED-ID [--take FIELD,FIELD…]`,
		help: `Folds the second service into the first: the first keeps its values
except the fields named by --take, which it takes from the second
(` + strings.Join(listing.ServiceFields, ", ") + `).
The first service keeps both services' provenance (metadata and the
organization's identifiers); the second leaves public view, and its id
leads to the first. Audited under "cli"; "haven unmerge MERGE-ID" undoes it.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			take := fs.String("take", "", "comma-separated fields to take from the absorbed service")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 2 {
					return fmt.Errorf("merge takes two service ids, the one to keep first, for example: haven merge ID-KEPT ID-MERGED")
				}
				var fields []string
				for _, f := range strings.Split(*take, ",") {
					if f = strings.TrimSpace(f); f != "" {
						fields = append(fields, f)
					}
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				mg, err := sqlstore.NewDirectoryService(store).MergeServices(ctx, "cli", args[0], args[1], fields)
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "merged %s into %s (merge %s)\n", args[1], args[0], mg.ID)
				for _, f := range mg.Fields {
					fmt.Fprintf(m.Stdout, "  %s: %q → %q\n", f.Field, f.Before, f.After)
				}
				return nil
			}
		},
	}
}

func unmergeCommand() *command {
	return &command{
		name:    "unmerge",
		summary: "undo a merge of two services",
		usage:   `MERGE-ID`,
		help: `Brings back the service a merge folded away, sets the fields the other
took back to their values before (unless changed since), and removes what
it gained. Audited under "cli".`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("unmerge takes one merge id, as haven merge printed it")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				if err := sqlstore.NewDirectoryService(store).UndoMerge(ctx, "cli", args[0]); err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "undid merge %s\n", args[0])
				return nil
			}
		},
	}
}
