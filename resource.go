// Package haven holds Haven's domain: the types every other package speaks
// and the service interfaces that the storage packages implement.
package haven

import (
	"context"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"haven/weburl"
)

// Localized is a text in several languages, keyed by ISO 639-1 code.
type Localized map[string]string

// In returns the text in lang, falling back to English.
func (l Localized) In(lang string) string {
	if s := l[lang]; s != "" {
		return s
	}
	return l["en"]
}

// Resource is one entry of the resource library: a document, organization,
// web site or hotline from the seed page, classified for search.
type Resource struct {
	ID        string    `json:"id"`
	Section   string    `json:"section"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Audiences []string  `json:"audiences"`
	Topics    []string  `json:"topics"`
	Region    string    `json:"region"`
	Publisher string    `json:"publisher,omitempty"`
	Year      int       `json:"year,omitempty"`
	Languages []string  `json:"languages"`
	URL       string    `json:"url,omitempty"`
	Desc      Localized `json:"description"`
	Hotline   *Hotline  `json:"hotline,omitempty"`

	// URLKind says what URL leads to (one of URLKinds), "" when unknown.
	URLKind string `json:"url_kind,omitempty"`
	// Note tells what changed since the seed page, such as an
	// organization's new name.
	Note Localized `json:"note,omitempty"`
	// HowToFind tells a reader how to find the item where no address
	// leads to it, or where the address is not the item itself.
	HowToFind Localized `json:"how_to_find,omitempty"`

	// Position orders entries within their section as the seed does.
	Position int `json:"-"`
	// LastVerified is when a curator last confirmed the entry ("" never),
	// as YYYY-MM-DD.
	LastVerified string `json:"-"`
	// Retired entries no longer show to the public; their history stays.
	Retired   bool      `json:"-"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// Hotline carries the contact facts of a hotline entry.
type Hotline struct {
	Phone              string   `json:"phone"`
	Text               string   `json:"text,omitempty"`
	TextKeyword        string   `json:"text_keyword,omitempty"`
	Hours              string   `json:"hours"`
	CounselorLanguages []string `json:"counselor_languages"`
	Interpretation     bool     `json:"interpretation"`
	EmailLanguages     []string `json:"email_languages,omitempty"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports the first problem with r, naming the field. Both UI
// languages must carry a description of one to three sentences.
func (r *Resource) Validate() error {
	bad := func(field, format string, args ...any) error {
		return Errorf(EINVALID, "resource %q: %s: %s", r.ID, field, fmt.Sprintf(format, args...))
	}
	switch {
	case !slugRE.MatchString(r.ID) || len(r.ID) > 100:
		return bad("id", "must be a lower-case slug of letters, digits and hyphens")
	case !ValidValue("section", r.Section):
		return bad("section", "unknown value %q", r.Section)
	case !ValidValue("kind", r.Kind):
		return bad("kind", "unknown value %q", r.Kind)
	case r.Title == "" || !utf8.ValidString(r.Title):
		return bad("title", "is required")
	case !ValidValue("region", r.Region):
		return bad("region", "unknown value %q", r.Region)
	case r.Year != 0 && (r.Year < 1900 || r.Year > 2100):
		return bad("year", "%d is out of range", r.Year)
	}
	for _, a := range r.Audiences {
		if !ValidValue("audience", a) {
			return bad("audiences", "unknown value %q", a)
		}
	}
	for _, t := range r.Topics {
		if !ValidValue("topic", t) {
			return bad("topics", "unknown value %q", t)
		}
	}
	for _, l := range r.Languages {
		if !ValidValue("language", l) {
			return bad("languages", "unknown value %q", l)
		}
	}
	if len(r.Audiences) == 0 {
		return bad("audiences", "at least one is required")
	}
	if len(r.Topics) == 0 {
		return bad("topics", "at least one is required")
	}
	for _, lang := range []string{"en", "es"} {
		if r.Desc[lang] == "" {
			return bad("description."+lang, "is required")
		}
	}
	if r.Kind == "hotline" && (r.Hotline == nil || r.Hotline.Phone == "") {
		return bad("hotline.phone", "a hotline needs its phone number")
	}
	if r.URL != "" {
		if p := weburl.WebProblem(r.URL); p != "" {
			return bad("url", "%s", p)
		}
	}
	return r.validLinkFields()
}

// ResourceFilter selects library entries. Empty fields do not filter.
type ResourceFilter struct {
	Query    string // keywords, any language
	Section  string
	Kind     string
	Audience string
	Topic    string
	Region   string

	Offset int
	Limit  int // 0 means no limit
}

// FacetCount is how many entries a facet value would select.
type FacetCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// ResourceResult is one page of a library search.
type ResourceResult struct {
	Total int
	Items []*Resource
	// Facets maps a facet name to its counts. Each facet is counted with
	// every other filter applied but its own, so the counts tell what
	// choosing that value instead would give.
	Facets map[string][]FacetCount
}

// ResourceService reads and searches the library.
type ResourceService interface {
	// FindResourceByID returns ENOTFOUND when no entry has that id.
	FindResourceByID(ctx context.Context, id string) (*Resource, error)
	// FindResources returns entries in seed order (section, then position)
	// when there is no query, and by relevance when there is one.
	// EINVALID for an unknown filter value.
	FindResources(ctx context.Context, f ResourceFilter) (*ResourceResult, error)
	// CountResources returns how many entries the library holds.
	CountResources(ctx context.Context) (int, error)
	// CreateResource adds an entry; ECONFLICT when the id exists.
	CreateResource(ctx context.Context, r *Resource) error
}
