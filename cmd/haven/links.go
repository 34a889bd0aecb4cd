package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"haven"
	"haven/linkcheck"
	"haven/sqlstore"
)

func linksCommand() *command {
	return &command{
		name:    "links",
		summary: "check every web address in the library and the directory",
		usage:   "check [--db DSN] [--concurrency N] [--host-delay D] [--timeout D] [--allow-private]",
		help: `"links check" visits every web address the library and the directory hold:
HEAD first, GET where a server refuses HEAD, following and recording
redirects, a few at a time and politely per host. Each result (status, final
address, error, time) is stored, and the curation dashboard lists the broken
and redirected ones. "haven serve --check-links-every 24h" runs the same
check on a schedule, once across all servers sharing a database.

The addresses come from visitors' suggestions and imported directories, so
the check never connects to loopback, private, link-local or other special
addresses, whatever a name resolves to or a redirect says: such a link is
listed as "not checked: private address". --allow-private (for serve,
--links-allow-private) checks them too, for a directory of intranet links.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			c := linkcheck.New()
			fs.IntVar(&c.Concurrency, "concurrency", c.Concurrency, "requests in flight at once")
			fs.DurationVar(&c.HostDelay, "host-delay", c.HostDelay, "least time between two requests to one host")
			fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "longest wait for one answer")
			fs.BoolVar(&c.AllowPrivate, "allow-private", false, "also visit loopback, private and link-local addresses (refused by default)")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 1 || args[0] != "check" {
					return fmt.Errorf("usage: haven links check")
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				n, err := checkLinks(ctx, store, c, m.newProgressFunc("checking links"))
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "checked %d links: %d broken or redirected\n", n.total, n.broken)
				if n.notChecked > 0 {
					fmt.Fprintf(m.Stdout, "%d not checked: they lead to private addresses (--allow-private checks them)\n", n.notChecked)
				}
				return nil
			}
		},
	}
}

// linkCounts sums up a link check.
type linkCounts struct {
	total, broken, notChecked int // broken counts redirected links too
}

// checkLinks checks every address and stores each result; it reports how
// many were broken or redirected, and how many were not checked because
// of their address.
func checkLinks(ctx context.Context, db *sqlstore.DB, c *linkcheck.Checker, progress func(done, total int)) (linkCounts, error) {
	var n linkCounts
	links := sqlstore.NewCurationService(db)
	urls, err := links.LinkURLs(ctx)
	if err != nil {
		return n, err
	}
	// Results of addresses no one uses any more (a curator fixed them)
	// leave the dashboard.
	if _, err := links.ForgetLinkChecks(ctx, urls); err != nil {
		return n, err
	}
	results, err := c.Check(ctx, urls, progress)
	n.total = len(results)
	for _, r := range results {
		if serr := links.SaveLinkCheck(context.WithoutCancel(ctx), r.URL, r.Status, r.FinalURL, r.Error, r.CheckedAt); serr != nil {
			return n, serr
		}
		switch {
		case r.NotChecked():
			n.notChecked++
		case r.Broken() || r.Redirected():
			n.broken++
		}
	}
	return n, err
}

// newProgressFunc adapts the progress display to a done/total callback.
func (m *Main) newProgressFunc(label string) func(done, total int) {
	var p *progress
	return func(done, total int) {
		if p == nil {
			p = m.newProgress(int64(total), false, label)
		}
		p.update(int64(done), done)
		if done == total {
			p.done()
		}
	}
}

// linkJob is the scheduled link check.
func linkJob(db *sqlstore.DB, every time.Duration, m *Main) haven.Job {
	return haven.Job{Name: "link-check", Every: every, Run: func(ctx context.Context) error {
		c := linkcheck.New()
		c.AllowPrivate = m.linksAllowPrivate
		n, err := checkLinks(ctx, db, c, nil)
		if err == nil {
			m.Logger.Info("links checked", "links", n.total, "broken_or_redirected", n.broken, "not_checked_private", n.notChecked)
		}
		return err
	}}
}
