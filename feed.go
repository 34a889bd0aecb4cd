package haven

import (
	"context"
	"regexp"
	"strings"
	"time"

	"haven/hsds"
)

// Kinds of feed: what a publisher's URL serves.
const (
	// FeedHSDS is an HSDS 3.0 or 3.1 API: its /services pages of full
	// records, followed to the last page.
	FeedHSDS = "hsds"
	// FeedUK is an Open Referral UK API, whose pages say "content",
	// "totalPages", "number" and "last".
	FeedUK = "uk"
	// FeedPackage is a data package on the web: a .zip of an HSDS 3.0, 2.0
	// or 1.1 tabular package, or an HSDS 3.0 JSON or NDJSON file.
	FeedPackage = "package"
)

// FeedKinds are the kinds a feed can be.
var FeedKinds = []string{FeedHSDS, FeedUK, FeedPackage}

// DefaultFeedEvery is how often a feed is synced unless told otherwise.
const DefaultFeedEvery = 24 * time.Hour

// MinFeedEvery keeps a schedule polite to the publisher.
const MinFeedEvery = 15 * time.Minute

// Feed is a publisher Haven keeps its directory current from.
type Feed struct {
	// Name is how commands and pages call it: lower-case letters, digits
	// and hyphens. It is also the namespace of the stable ids made for the
	// publisher's ids that are not UUIDs, so it never changes.
	Name string
	URL  string
	Kind string // FeedHSDS, FeedUK or FeedPackage
	// Every is how often "haven serve" syncs it.
	Every time.Duration
	// DefaultCountry is the country of addresses that give none.
	DefaultCountry string
	CreatedAt      time.Time
	CreatedBy      string

	// LastSync is the last attempt, zero when never; LastError why it
	// failed, "" when it did not. LastOK is the last complete sync, whose
	// counts follow.
	LastSync                                     time.Time
	LastError                                    string
	LastOK                                       time.Time
	Added, Updated, Unchanged, Withdrawn, Queued int

	// ETag and Modified are the publisher's validators of the last
	// complete answer, for a conditional request.
	ETag, Modified string
}

var feedName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// Validate checks a feed before it is stored; EINVALID names the problem.
func (f *Feed) Validate() error {
	switch {
	case !feedName.MatchString(f.Name):
		return Errorf(EINVALID, "feed name %q: use 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit", f.Name)
	case f.Every < MinFeedEvery:
		return Errorf(EINVALID, "feed %s: --every %s is too often; sync at most every %s", f.Name, f.Every, MinFeedEvery)
	case f.DefaultCountry != "" && (len(f.DefaultCountry) != 2 || strings.ToUpper(f.DefaultCountry) != f.DefaultCountry):
		return Errorf(EINVALID, "feed %s: default country %q: give a two-letter ISO 3166-1 code such as US", f.Name, f.DefaultCountry)
	}
	ok := false
	for _, k := range FeedKinds {
		ok = ok || f.Kind == k
	}
	if !ok {
		return Errorf(EINVALID, "feed %s: unknown kind %q (hsds, uk or package)", f.Name, f.Kind)
	}
	u, err := CheckWebURL("url", f.URL)
	if err != nil {
		return Errorf(EINVALID, "feed %s: %s", f.Name, ErrorMessage(err))
	}
	f.URL = u
	return nil
}

// FeedFetch is a complete answer from a publisher: every service it lists,
// or, for a conditional request, word that nothing changed.
type FeedFetch struct {
	// Services are every service the publisher lists, converted to HSDS
	// 3.0, with Haven's ids.
	Services []*hsds.Service
	// PublisherIDs maps a service's Haven id to the publisher's own, where
	// they differ.
	PublisherIDs map[string]string
	FetchedAt    time.Time
	// NotModified: the publisher answered a conditional request with 304.
	NotModified    bool
	ETag, Modified string
	Requests       int
}

// ServiceRef names a service in a report.
type ServiceRef struct{ ID, Name string }

// FeedConflict is an upstream change to a field a curator had changed:
// Haven keeps the curator's value and queues the publisher's.
type FeedConflict struct {
	// RecordType is "service" or "organization"; RecordID its id.
	RecordType, RecordID         string
	Name, Field, Local, Upstream string
}

// FeedSyncReport says what a sync did.
type FeedSyncReport struct {
	Feed        string
	At          time.Time
	NotModified bool
	Added       int
	Updated     int
	Unchanged   int
	// Withdrawn are services the publisher no longer lists, marked
	// inactive; Restored those it lists again.
	Withdrawn []ServiceRef
	Restored  []ServiceRef
	// Queued are upstream changes to fields curators changed: Haven kept
	// the curators' values and sent these to the queue for a decision.
	Queued []FeedConflict
	// Refused are services another source already provides, left alone.
	Refused []string
}

// ServiceSource says where a service came from.
type ServiceSource struct {
	ServiceID string
	Kind      string // "feed" or "file"
	Source    string // the feed's name, or the file's
	URL       string // the feed's URL
	// PublisherID is the id the publisher gives the service.
	PublisherID string
	FetchedAt   time.Time
	// Withdrawn is when the feed stopped listing it; zero while it does.
	Withdrawn time.Time
}

// FeedService keeps the registry of feeds and applies what they bring.
type FeedService interface {
	// AddFeed registers a publisher; EINVALID for a feed that does not
	// validate, ECONFLICT when the name is taken.
	AddFeed(ctx context.Context, actor string, f *Feed) error
	// Feeds returns every feed, by name.
	Feeds(ctx context.Context) ([]*Feed, error)
	// FindFeed returns one feed; ENOTFOUND for an unknown name.
	FindFeed(ctx context.Context, name string) (*Feed, error)
	// RemoveFeed forgets a feed. Its services stay, with their source.
	// ENOTFOUND for an unknown name.
	RemoveFeed(ctx context.Context, actor, name string) error
	// ApplyFeed writes a complete fetch in one transaction: new services
	// added, changed ones updated, those no longer listed withdrawn, and
	// upstream changes to fields curators changed queued. Any invalid
	// record refuses the whole sync (EINVALID) and nothing changes.
	ApplyFeed(ctx context.Context, actor, name string, f *FeedFetch) (*FeedSyncReport, error)
	// FeedFailed records why a sync did not happen; the directory is
	// untouched.
	FeedFailed(ctx context.Context, name string, at time.Time, reason string) error
	// ServiceSource returns where a service came from, nil when Haven
	// does not know.
	ServiceSource(ctx context.Context, serviceID string) (*ServiceSource, error)
}
