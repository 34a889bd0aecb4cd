package haven

import (
	"context"
	"time"
)

// LearningSections are the learning sections, in the navigation's order.
var LearningSections = []string{"understand", "heal", "culture"}

// LearningSection is one of the three learning sections.
type LearningSection struct {
	ID    string    `json:"id"`
	Title Localized `json:"title"`
	Intro Localized `json:"intro"`
}

// LearningPage is a short, practical page of a learning section, written
// in Markdown in each language.
type LearningPage struct {
	Slug     string    `json:"slug"`
	Section  string    `json:"section"`
	Position int       `json:"-"`
	Title    Localized `json:"title"`
	Summary  Localized `json:"summary"`
	Body     Localized `json:"-"`        // Markdown
	Reviewed string    `json:"reviewed"` // YYYY-MM-DD
	Cites    []string  `json:"cites"`    // library entry ids backing it up
	Updated  time.Time `json:"-"`
}

// LearningService keeps the learning pages.
type LearningService interface {
	// ListPages returns the pages of a section (all sections when ""), in
	// order.
	ListPages(ctx context.Context, section string) ([]*LearningPage, error)
	// FindPage returns one page, or ENOTFOUND.
	FindPage(ctx context.Context, slug string) (*LearningPage, error)
	// SearchPages returns the pages matching a query, best first.
	SearchPages(ctx context.Context, q string) ([]*LearningPage, error)
	// UpdatePage saves a curator's edit of a page, audited, and marks it
	// reviewed today. EINVALID when a language is missing; ENOTFOUND for an
	// unknown page.
	UpdatePage(ctx context.Context, actor string, p *LearningPage) error
}
