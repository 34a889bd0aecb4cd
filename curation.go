package haven

import (
	"context"
	"time"
)

// StaleListing is a listing not verified since the cut-off.
type StaleListing struct {
	Type, ID, Name, LastVerified string
}

// BrokenLink is a checked URL that failed or moved.
type BrokenLink struct {
	URL, FinalURL, Error string
	Status               int
	CheckedAt            time.Time
}

// Dashboard is what curators see first.
type Dashboard struct {
	Resources, Services, Organizations, SampleServices int
	PendingSuggestions                                 int
	Stale                                              []StaleListing
	StaleCount                                         int
	Broken                                             []BrokenLink
	Recent                                             []AuditEntry
	// Exposed are shelters and other sensitive services whose location is
	// not confidential, for review, and ExposedCount how many there are;
	// Withdrawn the listings taken down from public view.
	Exposed      []ExposedService
	ExposedCount int
	Withdrawn    []WithdrawnListing
	// AreaProblems are service areas Haven could not resolve (see
	// servicearea.go), AreaProblemCount how many there are.
	AreaProblems     []AreaProblem
	AreaProblemCount int
	// Feeds are the publishers Haven syncs from, with each one's last
	// sync, counts and error.
	Feeds []*Feed
}

// CurationService tells curators what needs their attention.
type CurationService interface {
	// Dashboard counts and lists listings not verified since staleBefore,
	// broken and redirected links, pending suggestions, the latest
	// changes, sensitive services at locations not marked confidential,
	// and withdrawn listings.
	Dashboard(ctx context.Context, staleBefore time.Time) (*Dashboard, error)
}

// LinkService keeps what the link checker found of every web address.
type LinkService interface {
	// LinkURLs returns every web address in the library and the directory.
	LinkURLs(ctx context.Context) ([]string, error)
	// SaveLinkCheck stores the latest result for a URL.
	SaveLinkCheck(ctx context.Context, url string, status int, finalURL, errText string, at time.Time) error
	// BrokenLinks returns checked links that failed or redirect, newest
	// first.
	BrokenLinks(ctx context.Context, limit int) ([]BrokenLink, error)
}

// SuggestionService is the moderation queue of what visitors send.
type SuggestionService interface {
	// CreateSuggestion queues what a visitor sent; EINVALID for an unknown
	// kind or record, or a text too long.
	CreateSuggestion(ctx context.Context, s *Suggestion) error
	// ListSuggestions returns suggestions with the given status, oldest
	// first.
	ListSuggestions(ctx context.Context, status string) ([]*Suggestion, error)
	// FindSuggestion returns one suggestion, whatever its status;
	// ENOTFOUND for an unknown id.
	FindSuggestion(ctx context.Context, id string) (*Suggestion, error)
	// ResolveSuggestion accepts or rejects a pending suggestion, applying,
	// audited, a value Haven can apply; value, when given, is the curator's
	// corrected version. ENOTFOUND for an unknown suggestion; ECONFLICT for
	// one already resolved.
	ResolveSuggestion(ctx context.Context, actor, id string, accept bool, value string) error
}

// ResourceEditor saves curators' edits of library entries, each audited in
// the transaction that makes it.
type ResourceEditor interface {
	// CreateResourceAs adds an entry; EINVALID for an entry that does not
	// validate, ECONFLICT when the id exists.
	CreateResourceAs(ctx context.Context, actor string, r *Resource) error
	// UpdateResource saves an edited entry; EINVALID for an entry that does
	// not validate, ENOTFOUND for an unknown id.
	UpdateResource(ctx context.Context, actor string, r *Resource) error
	// VerifyResource records that a curator confirmed an entry today;
	// ENOTFOUND for an unknown id.
	VerifyResource(ctx context.Context, actor, id string) error
	// RetireResource takes an entry out of the public library; ENOTFOUND for
	// an unknown id.
	RetireResource(ctx context.Context, actor, id string) error
}
