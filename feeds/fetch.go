package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"haven"
	"haven/hsds"
	"haven/intake"
)

// Fetch reads everything a feed's publisher lists. It returns the whole
// list or an error saying why not, never part of it.
func (c *Client) Fetch(ctx context.Context, feed *haven.Feed) (*haven.FeedFetch, error) {
	c.init()
	f := &haven.FeedFetch{PublisherIDs: map[string]string{}, FetchedAt: c.Now().UTC()}
	var err error
	if feed.Kind == haven.FeedPackage {
		err = c.fetchPackage(ctx, feed, f)
	} else {
		err = c.fetchAPI(ctx, feed, f)
	}
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", feed.Name, err)
	}
	return f, nil
}

// fetchAPI follows an API's pages of services to the last.
func (c *Client) fetchAPI(ctx context.Context, feed *haven.Feed, f *haven.FeedFetch) error {
	uk := feed.Kind == haven.FeedUK
	seen := map[string]int{}
	total := -1
	var first *answer
	for page := 1; ; page++ {
		if page > c.MaxPages {
			return fmt.Errorf("more than %d pages: Haven stops there rather than read without end", c.MaxPages)
		}
		u, err := servicesURL(feed.URL, uk, page, c.PerPage)
		if err != nil {
			return err
		}
		var cond validators
		if page == 1 {
			cond = validators{feed.ETag, feed.Modified}
		}
		a, err := c.get(ctx, u, cond)
		f.Requests++
		if err != nil {
			if page > 1 {
				return fmt.Errorf("page %d: %w", page, err)
			}
			return err
		}
		if a.notModified {
			f.NotModified, f.ETag, f.Modified = true, feed.ETag, feed.Modified
			return nil
		}
		if page == 1 {
			first = a
		}
		p, err := ParsePage(a.body)
		if err != nil {
			return fmt.Errorf("%s: %v", u, err)
		}
		uk = uk || p.UK
		// Open Referral UK numbers pages from 0 or 1, as its servers do.
		if p.Number >= 0 && p.Number != page && !(p.UK && p.Number == page-1) {
			return fmt.Errorf("%s: asked for page %d and got page %d", u, page, p.Number)
		}
		if page == 1 {
			total = p.TotalItems
		} else if p.TotalItems >= 0 && p.TotalItems != total {
			return fmt.Errorf("%s: the publisher's count of services changed from %d to %d while Haven read its pages; the next run tries again", u, total, p.TotalItems)
		}
		var svcs []*hsds.Service
		if p.UK {
			svcs, err = decodeUK(p.Contents, u, feed, f.PublisherIDs)
		} else {
			svcs, err = decodeHSDS(p.Contents, u)
		}
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if prev, dup := seen[s.ID]; dup {
				return fmt.Errorf("%s: service %s is on page %d too: the list changed while Haven read its pages; the next run tries again", u, s.ID, prev)
			}
			seen[s.ID] = page
			f.Services = append(f.Services, s)
		}
		if (p.LastSaid && p.Last) || (p.TotalPages >= 0 && page >= p.TotalPages) || p.Count == 0 {
			break
		}
	}
	if total >= 0 && len(f.Services) != total {
		return fmt.Errorf("the publisher counts %d services and its pages hold %d: an incomplete list is not taken", total, len(f.Services))
	}
	if f.Requests == 1 && first != nil {
		// A conditional request is only worth it when one answer is the
		// whole list.
		f.ETag, f.Modified = first.etag, first.modified
	}
	return nil
}

// fetchPackage downloads a data package, or an HSDS 3.0 JSON file, and
// reads it as "haven import" would.
func (c *Client) fetchPackage(ctx context.Context, feed *haven.Feed, f *haven.FeedFetch) error {
	a, err := c.get(ctx, feed.URL, validators{feed.ETag, feed.Modified})
	f.Requests++
	if err != nil {
		return err
	}
	if a.notModified {
		f.NotModified, f.ETag, f.Modified = true, feed.ETag, feed.Modified
		return nil
	}
	f.ETag, f.Modified = a.etag, a.modified
	tmp, err := os.MkdirTemp("", "haven-feed-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, packageName(feed.URL, a.body))
	if err := os.WriteFile(file, a.body, 0o600); err != nil {
		return err
	}
	d, err := intake.Detect(file)
	if err != nil {
		return err
	}
	switch d.Kind {
	case intake.KindJSON:
		f.Services, err = decodeHSDS(a.body, feed.URL)
		return err
	case intake.KindZip30:
		dir, err := intake.UnzipPackage(file, filepath.Join(tmp, "package"), unzipFactor*c.MaxBytes)
		if err != nil {
			return fmt.Errorf("%s: %w", feed.URL, err)
		}
		f.Services, err = hsds.ReadPackage(dir)
		return err
	case intake.KindPackageOld:
		p, err := intake.OpenPackage(file, d, intake.Options{Source: feed.Name, DefaultCountry: feed.DefaultCountry})
		if err != nil {
			return fmt.Errorf("%s: %w", feed.URL, err)
		}
		defer p.Close()
		for {
			s, err := p.Next()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", feed.URL, err)
			}
			if id := originalID(s); id != s.ID {
				f.PublisherIDs[s.ID] = id
			}
			f.Services = append(f.Services, s)
		}
	}
	return fmt.Errorf("%s: not a data package Haven can read (a .zip of an HSDS 3.0, 2.0 or 1.1 package, or HSDS 3.0 JSON)", feed.URL)
}

// unzipFactor bounds what a zipped package may unpack to, as a multiple of
// the largest answer taken: CSV compresses about ten times.
const unzipFactor = 20

// packageName names the downloaded file so that intake.Detect knows it:
// the URL's own name when it has a known extension, otherwise by its
// first bytes.
func packageName(raw string, body []byte) string {
	if u, err := url.Parse(raw); err == nil {
		base := path.Base(u.Path)
		switch strings.ToLower(path.Ext(base)) {
		case ".zip", ".json", ".ndjson":
			return strings.Map(func(r rune) rune {
				if r == '/' || r == '\\' || r == 0 {
					return '_'
				}
				return r
			}, base)
		}
	}
	if bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return "package.zip"
	}
	return "services.json"
}

// originalID is the id a 2.0 or 1.1 package gave a service, kept by the
// reader in a metadata record of the id's change.
func originalID(s *hsds.Service) string {
	for _, m := range s.Metadata {
		if m.FieldName == "id" && m.ReplacementValue == s.ID && m.PreviousValue != "" {
			return m.PreviousValue
		}
	}
	return s.ID
}
