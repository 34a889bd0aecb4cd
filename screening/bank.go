package screening

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"haven"
)

//go:embed bank.json
var bankJSON []byte

// SectionIDs are the screening sections, in the order the interview asks
// them: immediate safety first, age last.
var SectionIDs = []string{
	"safety", "background", "recruitment", "work", "money",
	"control", "documents", "threats", "living", "age",
}

// Indicator types: the forms of trafficking a question bears on.
const (
	Labor = "labor"
	Sex   = "sex"
)

// Question weights.
const (
	// Core questions bear on an element of force, fraud or coercion, or on
	// commercial sex.
	Core = "core"
	// Supporting questions bear on circumstances that add to the picture.
	Supporting = "supporting"
)

// Per-section question counts the bank must respect.
const (
	minPerSection = 3
	maxPerSection = 6
)

// Bank is the screening's question bank: the interviewer's guide, the minor
// rule, the disclaimer, the sections and the questions, in interview order.
type Bank struct {
	// Guide is the guide page: practice points for the interviewer.
	Guide []GuidePoint `json:"guide"`
	// MinorRule states the U.S. rule for minors in commercial sex.
	MinorRule haven.Localized `json:"minor_rule"`
	// Disclaimer is shown with every result: the tool does not decide
	// whether someone is a victim, and a "no" does not rule trafficking out.
	Disclaimer haven.Localized `json:"disclaimer"`
	// Sections are in SectionIDs order.
	Sections []Section `json:"sections"`
	// Questions are grouped by section, in section order.
	Questions []Question `json:"questions"`

	byID map[string]int // question id → index in Questions
}

// GuidePoint is one point of the interviewer's guide, with a short heading.
type GuidePoint struct {
	ID      string          `json:"id"`
	Heading haven.Localized `json:"heading"`
	Body    haven.Localized `json:"body"`
}

// Section is one section of the interview.
type Section struct {
	ID    string          `json:"id"`
	Title haven.Localized `json:"title"`
	Intro haven.Localized `json:"intro"`
}

// Question is one yes/no question, asked to the person in plain language,
// with guidance for the interviewer.
type Question struct {
	// ID is a stable slug; answers are keyed by it.
	ID      string `json:"id"`
	Section string `json:"section"`
	// Text is the question as asked to the person.
	Text haven.Localized `json:"text"`
	// Note guides the interviewer: why it matters, how to ask, what to
	// watch for.
	Note haven.Localized `json:"note"`
	// Indicators are the forms of trafficking the question bears on, a
	// subset of Labor and Sex; empty only for the minor question.
	Indicators []string `json:"indicators"`
	// Weight is Core or Supporting.
	Weight string `json:"weight"`
	// YesIsIndicator is false for questions phrased so that NO is the
	// concerning answer.
	YesIsIndicator bool `json:"yes_is_indicator"`
	// Urgent marks the safety questions: a concerning answer means act now.
	Urgent bool `json:"urgent,omitempty"`
	// MinorQuestion marks the question establishing that the person is
	// under 18.
	MinorQuestion bool `json:"minor_question,omitempty"`
	// CommercialSex marks the question asking whether the person was made
	// to do commercial sex.
	CommercialSex bool `json:"commercial_sex,omitempty"`
}

// Bears reports whether q bears on the indicator type typ (Labor or Sex).
func (q Question) Bears(typ string) bool { return slices.Contains(q.Indicators, typ) }

// rawQuestion is Question as decoded, so that Load can insist that the
// polarity is always spelled out.
type rawQuestion struct {
	Question
	YesIsIndicator *bool `json:"yes_is_indicator"`
}

type rawBank struct {
	Guide      []GuidePoint    `json:"guide"`
	MinorRule  haven.Localized `json:"minor_rule"`
	Disclaimer haven.Localized `json:"disclaimer"`
	Sections   []Section       `json:"sections"`
	Questions  []rawQuestion   `json:"questions"`
}

// Load decodes and validates the embedded question bank. Each call returns
// a fresh Bank, which is safe for concurrent reads.
func Load() (*Bank, error) { return parse(bankJSON) }

// parse decodes a bank from data and validates it.
func parse(data []byte) (*Bank, error) {
	var raw rawBank
	if err := decodeStrict(data, &raw); err != nil {
		return nil, fmt.Errorf("screening: decode bank: %w", err)
	}
	b := &Bank{
		Guide:      raw.Guide,
		MinorRule:  raw.MinorRule,
		Disclaimer: raw.Disclaimer,
		Sections:   raw.Sections,
		Questions:  make([]Question, len(raw.Questions)),
	}
	for i, rq := range raw.Questions {
		if rq.YesIsIndicator == nil {
			return nil, fmt.Errorf("screening: question %q: yes_is_indicator is required", rq.ID)
		}
		q := rq.Question
		q.YesIsIndicator = *rq.YesIsIndicator
		b.Questions[i] = q
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// bilingual reports a problem with a text that must be given in English and
// Spanish, or "".
func bilingual(l haven.Localized) string {
	for _, lang := range []string{"en", "es"} {
		if strings.TrimSpace(l[lang]) == "" {
			return "missing " + lang + " text"
		}
	}
	return ""
}

// validate checks the bank's invariants and indexes the questions by id.
func (b *Bank) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("screening: bank: "+format, args...)
	}
	if p := bilingual(b.MinorRule); p != "" {
		return bad("minor_rule: %s", p)
	}
	if p := bilingual(b.Disclaimer); p != "" {
		return bad("disclaimer: %s", p)
	}
	if len(b.Guide) == 0 {
		return bad("guide: no points")
	}
	guideIDs := map[string]bool{}
	for i, g := range b.Guide {
		if !slugRE.MatchString(g.ID) || guideIDs[g.ID] {
			return bad("guide point %d: id %q is not a unique slug", i, g.ID)
		}
		guideIDs[g.ID] = true
		if p := bilingual(g.Heading); p != "" {
			return bad("guide point %q: heading: %s", g.ID, p)
		}
		if p := bilingual(g.Body); p != "" {
			return bad("guide point %q: body: %s", g.ID, p)
		}
	}

	if len(b.Sections) != len(SectionIDs) {
		return bad("sections: got %d, want %d", len(b.Sections), len(SectionIDs))
	}
	order := map[string]int{} // section id → position
	for i, s := range b.Sections {
		if s.ID != SectionIDs[i] {
			return bad("section %d: id %q, want %q", i, s.ID, SectionIDs[i])
		}
		order[s.ID] = i
		if p := bilingual(s.Title); p != "" {
			return bad("section %q: title: %s", s.ID, p)
		}
		if p := bilingual(s.Intro); p != "" {
			return bad("section %q: intro: %s", s.ID, p)
		}
	}

	b.byID = make(map[string]int, len(b.Questions))
	perSection := map[string]int{}
	minors, commercial := 0, 0
	last := 0
	for i, q := range b.Questions {
		qbad := func(format string, args ...any) error {
			return bad("question %q: %s", q.ID, fmt.Sprintf(format, args...))
		}
		if !slugRE.MatchString(q.ID) {
			return qbad("id must be a lower-case slug")
		}
		if _, dup := b.byID[q.ID]; dup {
			return qbad("duplicate id")
		}
		b.byID[q.ID] = i
		pos, ok := order[q.Section]
		if !ok {
			return qbad("unknown section %q", q.Section)
		}
		if pos < last {
			return qbad("section %q out of order", q.Section)
		}
		last = pos
		perSection[q.Section]++
		if p := bilingual(q.Text); p != "" {
			return qbad("text: %s", p)
		}
		if p := bilingual(q.Note); p != "" {
			return qbad("note: %s", p)
		}
		seen := map[string]bool{}
		for _, ind := range q.Indicators {
			if ind != Labor && ind != Sex {
				return qbad("unknown indicator %q", ind)
			}
			if seen[ind] {
				return qbad("indicator %q repeated", ind)
			}
			seen[ind] = true
		}
		if len(q.Indicators) == 0 && !q.MinorQuestion {
			return qbad("no indicators")
		}
		if q.Weight != Core && q.Weight != Supporting {
			return qbad("unknown weight %q", q.Weight)
		}
		if q.Urgent != (q.Section == "safety") {
			return qbad("urgent must be set exactly on the safety questions")
		}
		if q.MinorQuestion {
			minors++
			if q.Section != "age" {
				return qbad("the minor question belongs in the age section")
			}
		}
		if q.CommercialSex {
			commercial++
			if q.Section != "work" || q.Weight != Core || !q.Bears(Sex) {
				return qbad("the commercial-sex question must be a core sex question of the work section")
			}
		}
	}
	for _, s := range SectionIDs {
		if n := perSection[s]; n < minPerSection || n > maxPerSection {
			return bad("section %q: %d questions, want %d to %d", s, n, minPerSection, maxPerSection)
		}
	}
	if minors != 1 {
		return bad("%d minor questions, want exactly 1", minors)
	}
	if commercial != 1 {
		return bad("%d commercial-sex questions, want exactly 1", commercial)
	}
	return nil
}

// SectionQuestions returns the questions of section id, in bank order, or
// nil for an unknown section.
func (b *Bank) SectionQuestions(id string) []Question {
	var qs []Question
	for _, q := range b.Questions {
		if q.Section == id {
			qs = append(qs, q)
		}
	}
	return qs
}

// Section returns the section with the given id.
func (b *Bank) Section(id string) (Section, bool) {
	for _, s := range b.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// Question returns the question with the given id.
func (b *Bank) Question(id string) (Question, bool) {
	i, ok := b.index()[id]
	if !ok {
		return Question{}, false
	}
	return b.Questions[i], true
}

// index returns the id index, building it for a Bank not made by Load.
func (b *Bank) index() map[string]int {
	if b.byID != nil {
		return b.byID
	}
	m := make(map[string]int, len(b.Questions))
	for i, q := range b.Questions {
		m[q.ID] = i
	}
	return m
}
