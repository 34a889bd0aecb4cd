package haven

import "time"

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
