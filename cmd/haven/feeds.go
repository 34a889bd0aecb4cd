package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"path"
	"strings"
	"text/tabwriter"
	"time"

	"haven"
	"haven/feeds"
	"haven/sqlstore"
)

func feedsCommand() *command {
	return &command{
		name:    "feeds",
		summary: "keep the directory current from HSDS publishers (add, list, sync, remove)",
		usage:   "add NAME URL [--every 24h] [--default-country CC] [--kind hsds|uk|package] | list | sync [NAME] | remove NAME",
		help: `Feeds are publishers Haven keeps its provider directory current from:
  - an HSDS 3.0 or 3.1 API: URL is its base (or its /services); Haven reads
    /services?full=true page by page to the last page;
  - an Open Referral UK API (--kind uk, or found from its pages' shape);
  - a data package on the web (a URL ending in .zip, .json or .ndjson, or
    --kind package): a .zip of an HSDS 3.0, 2.0 or 1.1 package, or HSDS 3.0
    JSON, as "haven import" reads them.

"feeds add" registers one; "haven serve" syncs each every --every (24h by
default), once across all servers of one database. "feeds sync" syncs
them all now, or the one named. "feeds list" shows each feed's last sync,
counts and error. "feeds remove" forgets a feed; its services stay.

A sync reads the whole list first. If the publisher is down, answers an
error part-way, or sends something that does not read, nothing changes and
the feed records why. Otherwise, in one transaction, new services are
added, changed ones updated, and those the publisher no longer lists are
withdrawn (marked inactive, not deleted, and named in the report). A field
a curator changed is kept; when the publisher later changes it too, its
value goes to the moderation queue for a decision.

Requests are polite: a User-Agent naming Haven, --feed-interval between
requests, retries with back-off on 429 and 5xx (honouring Retry-After),
a timeout and --feed-max-bytes per answer, and conditional requests where
the publisher gives an ETag or Last-Modified. Loopback and private
addresses are refused unless --feeds-allow-private.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			every := fs.Duration("every", haven.DefaultFeedEvery, "add: how often haven serve syncs the feed")
			country := fs.String("default-country", "", "add: ISO 3166-1 alpha-2 country of addresses that give none")
			kind := fs.String("kind", "", "add: hsds, uk or package (default: package for a URL ending in .zip, .json or .ndjson, else hsds)")
			fc := feedClientFlags(fs)
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) == 0 {
					return errors.New("feeds needs a subcommand: add, list, sync or remove (see haven feeds --help)")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				svc := sqlstore.NewFeedService(store)
				switch sub, rest := args[0], args[1:]; {
				case sub == "add" && len(rest) == 2:
					f := &haven.Feed{Name: rest[0], URL: rest[1], Every: *every, DefaultCountry: strings.ToUpper(*country), Kind: *kind}
					if f.Kind == "" {
						f.Kind = guessKind(f.URL)
					}
					if err := svc.AddFeed(ctx, "cli", f); err != nil {
						return err
					}
					fmt.Fprintf(m.Stdout, "added feed %s (%s, every %s): %s\nsync it now with: haven feeds sync %s\n", f.Name, f.Kind, f.Every, f.URL, f.Name)
					return nil
				case sub == "list" && len(rest) == 0:
					list, err := svc.Feeds(ctx)
					if err != nil {
						return err
					}
					writeFeeds(m, list)
					return nil
				case sub == "remove" && len(rest) == 1:
					if err := svc.RemoveFeed(ctx, "cli", rest[0]); err != nil {
						return err
					}
					fmt.Fprintf(m.Stdout, "removed feed %s; its services stay in the directory\n", rest[0])
					return nil
				case sub == "sync" && len(rest) <= 1:
					var list []*haven.Feed
					if len(rest) == 1 {
						f, err := svc.FindFeed(ctx, rest[0])
						if err != nil {
							return err
						}
						list = []*haven.Feed{f}
					} else if list, err = svc.Feeds(ctx); err != nil {
						return err
					}
					if len(list) == 0 {
						fmt.Fprintln(m.Stdout, "no feeds: add one with haven feeds add NAME URL")
						return nil
					}
					c := fc.client()
					var failed []string
					for _, f := range list {
						rep, err := c.Sync(ctx, svc, "cli", f)
						if err != nil {
							fmt.Fprintf(m.Stdout, "%v\n", err)
							failed = append(failed, f.Name)
							continue
						}
						writeSyncReport(m, rep)
					}
					if len(failed) > 0 {
						return fmt.Errorf("%d of %d feeds did not sync: %s", len(failed), len(list), strings.Join(failed, ", "))
					}
					return nil
				}
				return fmt.Errorf("usage: haven feeds %s", "add NAME URL | list | sync [NAME] | remove NAME")
			}
		},
	}
}

// feedFlags are the politeness settings of feed syncs, shared by
// "feeds sync" and "serve".
type feedFlags struct {
	interval     time.Duration
	maxBytes     int64
	retries      int
	allowPrivate bool
}

func feedClientFlags(fs *flag.FlagSet) *feedFlags {
	f := &feedFlags{}
	fs.DurationVar(&f.interval, "feed-interval", feeds.DefaultInterval, "least time between two requests to a feed's publisher")
	fs.Int64Var(&f.maxBytes, "feed-max-bytes", feeds.DefaultMaxBytes, "largest answer taken from a feed's publisher, in bytes")
	fs.IntVar(&f.retries, "feed-retries", feeds.DefaultRetries, "how many times a request a publisher answers 429 or 5xx, or does not answer, is tried again (with back-off)")
	fs.BoolVar(&f.allowPrivate, "feeds-allow-private", false, "let feeds reach loopback and private addresses (a publisher on the intranet)")
	return f
}

func (f *feedFlags) client() *feeds.Client {
	retries := f.retries
	if retries == 0 {
		retries = -1 // none; the Client's zero means its default
	}
	return &feeds.Client{Interval: f.interval, MaxBytes: f.maxBytes, Retries: retries, AllowPrivate: f.allowPrivate}
}

// guessKind is a feed's kind from its URL: a file is a data package, the
// rest an HSDS API (whose pages tell an Open Referral UK one apart).
func guessKind(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		switch strings.ToLower(path.Ext(u.Path)) {
		case ".zip", ".json", ".ndjson":
			return haven.FeedPackage
		}
	}
	return haven.FeedHSDS
}

func writeFeeds(m *Main, list []*haven.Feed) {
	if len(list) == 0 {
		fmt.Fprintln(m.Stdout, "no feeds: add one with haven feeds add NAME URL")
		return
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tKIND\tEVERY\tLAST SYNC\tADDED\tUPDATED\tUNCHANGED\tWITHDRAWN\tQUEUED\tURL")
	for _, f := range list {
		last := "never"
		if !f.LastOK.IsZero() {
			last = f.LastOK.Format("2006-01-02 15:04Z")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", f.Name, f.Kind, f.Every, last, f.Added, f.Updated, f.Unchanged, f.Withdrawn, f.Queued, f.URL)
	}
	w.Flush()
	for _, f := range list {
		if f.LastError != "" {
			fmt.Fprintf(m.Stdout, "%s: last attempt %s failed: %s\n", f.Name, f.LastSync.Format("2006-01-02 15:04Z"), f.LastError)
		}
	}
}

func writeSyncReport(m *Main, r *haven.FeedSyncReport) {
	if r.NotModified {
		fmt.Fprintf(m.Stdout, "feed %s: not modified since the last sync (%d services)\n", r.Feed, r.Unchanged)
		return
	}
	fmt.Fprintf(m.Stdout, "feed %s: %d added, %d updated, %d unchanged, %d withdrawn, %d restored, %d queued for curators\n",
		r.Feed, r.Added, r.Updated, r.Unchanged, len(r.Withdrawn), len(r.Restored), len(r.Queued))
	for _, s := range r.Withdrawn {
		fmt.Fprintf(m.Stdout, "  withdrawn (no longer listed; marked inactive): %s (%s)\n", s.Name, s.ID)
	}
	for _, s := range r.Restored {
		fmt.Fprintf(m.Stdout, "  listed again: %s (%s)\n", s.Name, s.ID)
	}
	for _, q := range r.Queued {
		fmt.Fprintf(m.Stdout, "  kept a curator's %s of %s; the publisher's new value is in the queue\n", q.Field, q.Name)
	}
	for _, s := range r.Refused {
		fmt.Fprintf(m.Stdout, "  left alone: %s\n", s)
	}
}

// feedJobEvery is how often serve looks for feeds due a sync; each feed
// is then claimed on its own schedule, once across all servers.
const feedJobEvery = time.Minute

// feedRetry is how soon a feed whose last sync failed is tried again (or
// its period, when shorter).
const feedRetry = time.Hour

// feedDue reports whether a feed is due a sync at now: never synced, its
// period gone by since its last complete sync (within a minute, the time
// a sync takes to start), or its last attempt failed.
func feedDue(f *haven.Feed, now time.Time) bool {
	return f.LastOK.IsZero() || now.Add(time.Minute).Sub(f.LastOK) >= f.Every || f.LastSync.After(f.LastOK)
}

// feedJob syncs the feeds that are due. Each feed is a job of its own
// ("feed:NAME"), claimed every min(Every, feedRetry) so that one server at
// a time looks at it, and synced when feedDue: on its schedule, and within
// the hour after a failure rather than a whole period later.
func feedJob(db *sqlstore.DB, m *Main, runner string) haven.Job {
	return haven.Job{Name: "feeds", Every: feedJobEvery, Run: func(ctx context.Context) error {
		store, jobs := sqlstore.NewFeedService(db), sqlstore.NewJobService(db)
		list, err := store.Feeds(ctx)
		if err != nil {
			return err
		}
		fc := m.feeds
		if fc == nil {
			fc = &feedFlags{interval: feeds.DefaultInterval, retries: feeds.DefaultRetries}
		}
		c := fc.client()
		var errs []error
		for _, f := range list {
			// Due first: a claim takes a write transaction, every minute
			// for every feed otherwise.
			if !feedDue(f, db.Now()) {
				continue
			}
			claimed, err := jobs.ClaimJob(ctx, "feed:"+f.Name, runner, min(f.Every, feedRetry))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !claimed {
				continue
			}
			rep, err := c.Sync(ctx, store, "system", f)
			if err != nil {
				m.Logger.Warn("feed sync failed; nothing was changed", "feed", f.Name, "err", err)
				errs = append(errs, err)
				continue
			}
			m.Logger.Info("feed synced", "feed", f.Name, "added", rep.Added, "updated", rep.Updated, "unchanged", rep.Unchanged,
				"withdrawn", len(rep.Withdrawn), "queued", len(rep.Queued), "not_modified", rep.NotModified)
		}
		return errors.Join(errs...)
	}}
}
