package screening

import (
	_ "embed"
	"fmt"
	"slices"

	"haven"
)

//go:embed bank2.json
var bank2JSON []byte

// BankVersion is the version of the question bank new interviews use.
// Bank version 1 (bank.json, type Bank) is frozen: format-1 records were
// written against it and still open with it.
const BankVersion = 2

// Question kinds in bank version 2.
const (
	// KindNeed is an urgent need (danger, medical care, a bed tonight,
	// someone waiting): met at once, never counted as an indicator.
	KindNeed = "need"
	// KindAge is the question establishing that the person is under 18.
	KindAge = "age"
	// KindIndicator is a possible sign of trafficking.
	KindIndicator = "indicator"
	// KindContext decides which later questions apply, or which next steps
	// fit, without being an indicator.
	KindContext = "context"
)

// Urgent needs.
const (
	NeedDanger  = "danger"
	NeedMedical = "medical"
	NeedShelter = "shelter"
	NeedWaiting = "waiting"
)

// Needs are the urgent needs, in the order a result shows them.
var Needs = []string{NeedDanger, NeedMedical, NeedShelter, NeedWaiting}

// Section paths: which people a section is asked of.
const (
	PathAll   = "all"
	PathAdult = "adult"
	PathChild = "child"
)

// Bank2 is question bank version 2. In it, yes is always the worrying
// answer: every question is phrased so, past or present ("did you…"), and
// about one thing; adult questions are anchored to "that job or
// situation". See the package documentation for how it is scored.
type Bank2 struct {
	Version          int             `json:"version"`
	Disclaimer       haven.Localized `json:"disclaimer"`
	ScoringNote      haven.Localized `json:"scoring_note"`
	MinorRule        haven.Localized `json:"minor_rule"`
	CompanionWarning haven.Localized `json:"companion_warning"`
	// Script is what the screener says, in their own words, before any
	// question.
	Script    []ScriptPoint `json:"script"`
	Sections  []Section2    `json:"sections"`
	Questions []Question2   `json:"questions"`

	byID map[string]int
}

// ScriptPoint is one point of the opening script.
type ScriptPoint struct {
	ID   string          `json:"id"`
	Text haven.Localized `json:"text"`
}

// Section2 is one section of bank version 2.
type Section2 struct {
	ID    string          `json:"id"`
	Path  string          `json:"path"` // PathAll, PathAdult or PathChild
	Title haven.Localized `json:"title"`
	Intro haven.Localized `json:"intro"`
}

// Question2 is one question of bank version 2; yes is its worrying answer.
type Question2 struct {
	ID      string          `json:"id"`
	Section string          `json:"section"`
	Kind    string          `json:"kind"`
	Text    haven.Localized `json:"text"`
	Note    haven.Localized `json:"note"`
	// Indicators and Weight are set on indicators only. A question bears
	// on both labor and sex only where it truly does.
	Indicators []string `json:"indicators,omitempty"`
	Weight     string   `json:"weight,omitempty"`
	// Need is set on needs only; UnsureIsNeed makes "unsure" count too
	// (danger: when in doubt, act on safety).
	Need         string `json:"need,omitempty"`
	UnsureIsNeed bool   `json:"unsure_is_need,omitempty"`
	// AskIf, when set, asks the question only when one of these earlier
	// questions was answered yes or unsure.
	AskIf []string `json:"ask_if,omitempty"`
	// CommercialSex marks a question on commercial sex; StartedUnder18
	// and AgeCoaching mark signs that it began before 18. Together they
	// apply the minor rule.
	CommercialSex  bool `json:"commercial_sex,omitempty"`
	StartedUnder18 bool `json:"started_under_18,omitempty"`
	AgeCoaching    bool `json:"age_coaching,omitempty"`
	// PastArrests points to vacatur and record relief; ChildrenPresent to
	// child-protection duties.
	PastArrests     bool `json:"past_arrests,omitempty"`
	ChildrenPresent bool `json:"children_present,omitempty"`
}

// Bears reports whether q bears on the indicator type typ.
func (q Question2) Bears(typ string) bool { return slices.Contains(q.Indicators, typ) }

// Kind of trafficking a question's indicator belongs to in a result: each
// question is listed once, under Labor, Sex or Both.
func (q Question2) listKind() string {
	switch l, s := q.Bears(Labor), q.Bears(Sex); {
	case l && s:
		return "both"
	case l:
		return Labor
	case s:
		return Sex
	}
	return ""
}

// Load2 decodes and validates bank version 2. Each call returns a fresh
// Bank2, safe for concurrent reads.
func Load2() (*Bank2, error) { return parse2(bank2JSON) }

func parse2(data []byte) (*Bank2, error) {
	var b Bank2
	if err := decodeStrict(data, &b); err != nil {
		return nil, fmt.Errorf("screening: decode bank2.json: %w", err)
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

func (b *Bank2) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("screening: bank2.json: "+format, args...)
	}
	if b.Version != BankVersion {
		return bad("version %d, want %d", b.Version, BankVersion)
	}
	for name, l := range map[string]haven.Localized{"disclaimer": b.Disclaimer, "scoring_note": b.ScoringNote,
		"minor_rule": b.MinorRule, "companion_warning": b.CompanionWarning} {
		if p := bilingual(l); p != "" {
			return bad("%s: %s", name, p)
		}
	}
	if len(b.Script) == 0 {
		return bad("script: no points")
	}
	for i, s := range b.Script {
		if !slugRE.MatchString(s.ID) {
			return bad("script point %d: id %q is not a slug", i, s.ID)
		}
		if p := bilingual(s.Text); p != "" {
			return bad("script point %q: %s", s.ID, p)
		}
	}
	order := map[string]int{}
	for i, s := range b.Sections {
		if !slugRE.MatchString(s.ID) {
			return bad("section %d: id %q is not a slug", i, s.ID)
		}
		if _, dup := order[s.ID]; dup {
			return bad("section %q: duplicate id", s.ID)
		}
		order[s.ID] = i
		if s.Path != PathAll && s.Path != PathAdult && s.Path != PathChild {
			return bad("section %q: unknown path %q", s.ID, s.Path)
		}
		if p := bilingual(s.Title); p != "" {
			return bad("section %q: title: %s", s.ID, p)
		}
		if p := bilingual(s.Intro); p != "" {
			return bad("section %q: intro: %s", s.ID, p)
		}
	}
	b.byID = make(map[string]int, len(b.Questions))
	perSection := map[string]int{}
	ages, last := 0, 0
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
		for _, id := range q.AskIf {
			if _, ok := b.byID[id]; !ok {
				return qbad("ask_if %q is not an earlier question", id)
			}
		}
		b.byID[q.ID] = i
		isIndicator := q.Kind == KindIndicator
		if isIndicator != (len(q.Indicators) > 0) || isIndicator != (q.Weight != "") {
			return qbad("indicators and weight are set on indicators, and only on them")
		}
		seen := map[string]bool{}
		for _, ind := range q.Indicators {
			if (ind != Labor && ind != Sex) || seen[ind] {
				return qbad("indicator %q unknown or repeated", ind)
			}
			seen[ind] = true
		}
		if isIndicator && q.Weight != Core && q.Weight != Supporting {
			return qbad("unknown weight %q", q.Weight)
		}
		if (q.Kind == KindNeed) != (q.Need != "") || (q.Need != "" && !slices.Contains(Needs, q.Need)) {
			return qbad("need %q: set on needs, and only on them, from %v", q.Need, Needs)
		}
		if q.UnsureIsNeed && q.Kind != KindNeed {
			return qbad("unsure_is_need on a question that is not a need")
		}
		switch q.Kind {
		case KindNeed, KindIndicator, KindContext:
		case KindAge:
			ages++
		default:
			return qbad("unknown kind %q", q.Kind)
		}
		sec := b.Sections[pos]
		if (q.Kind == KindNeed || q.Kind == KindAge) && sec.Path != PathAll {
			return qbad("needs and age are asked of everyone")
		}
		if (q.StartedUnder18 || q.AgeCoaching) && !q.Bears(Sex) {
			return qbad("a sign of commercial sex before 18 must bear on sex")
		}
		if q.CommercialSex && !q.Bears(Sex) && q.Kind != KindContext {
			return qbad("a commercial-sex question bears on sex, or is context (an adult's)")
		}
	}
	for _, s := range b.Sections {
		if perSection[s.ID] == 0 {
			return bad("section %q: no questions", s.ID)
		}
	}
	if ages != 1 {
		return bad("%d age questions, want exactly 1", ages)
	}
	return nil
}

// Question returns the question with the given id.
func (b *Bank2) Question(id string) (Question2, bool) {
	i, ok := b.byID[id]
	if !ok {
		return Question2{}, false
	}
	return b.Questions[i], true
}

// Section returns the section with the given id.
func (b *Bank2) Section(id string) (Section2, bool) {
	for _, s := range b.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section2{}, false
}

// SectionQuestions returns the questions of section id, in bank order.
func (b *Bank2) SectionQuestions(id string) []Question2 {
	var qs []Question2
	for _, q := range b.Questions {
		if q.Section == id {
			qs = append(qs, q)
		}
	}
	return qs
}

// AgeQuestion returns the question establishing that the person is under
// 18.
func (b *Bank2) AgeQuestion() Question2 {
	for _, q := range b.Questions {
		if q.Kind == KindAge {
			return q
		}
	}
	panic("screening: bank without an age question") // validate forbids it
}

// ChildPath reports whether the interview follows the child pathway: the
// person says they are under 18 or is unsure, the screener notes that they
// appear under 18, or the age is not known and the screener has not noted
// that they appear to be an adult. When in doubt, the child pathway: it is
// short and its next steps protect.
func (b *Bank2) ChildPath(a Answers, appears Appearance) bool {
	switch a[b.AgeQuestion().ID] {
	case Yes, Unsure:
		return true
	case No:
		return appears == AppearsMinor
	}
	return appears != AppearsAdult
}

// Appearance is the screener's own observation of the person's age.
type Appearance string

// The screener's observations. AppearsUnknown ("") is the zero value.
const (
	AppearsUnknown Appearance = ""
	AppearsMinor   Appearance = "minor"
	AppearsAdult   Appearance = "adult"
)

// Asked reports whether q applies to the person: its section's path fits
// and, if it has AskIf, one of those questions was answered yes or unsure.
func (b *Bank2) Asked(q Question2, a Answers, child bool) bool {
	s, _ := b.Section(q.Section)
	switch s.Path {
	case PathAdult:
		if child {
			return false
		}
	case PathChild:
		if !child {
			return false
		}
	}
	if len(q.AskIf) == 0 {
		return true
	}
	for _, id := range q.AskIf {
		if v := a[id]; v == Yes || v == Unsure {
			return true
		}
	}
	return false
}

// Steps returns the sections asked, in order, for the child or the adult
// pathway.
func (b *Bank2) Steps(child bool) []Section2 {
	var out []Section2
	for _, s := range b.Sections {
		if s.Path == PathAll || (s.Path == PathChild) == child {
			out = append(out, s)
		}
	}
	return out
}
