package screening

import (
	"slices"
	"strings"

	"haven"
)

// Answer is the answer given to one question.
type Answer string

// The answers a question may receive. NotAsked ("") is the zero value.
const (
	NotAsked Answer = ""
	Yes      Answer = "yes"
	No       Answer = "no"
	Unsure   Answer = "unsure"
	Declined Answer = "declined"
)

// Valid reports whether a is one of the known answers, NotAsked included.
func (a Answer) Valid() bool {
	switch a {
	case NotAsked, Yes, No, Unsure, Declined:
		return true
	}
	return false
}

// ParseAnswer parses a form value into an Answer. It ignores case and
// surrounding space; an empty value is NotAsked. Other values give an error
// of code haven.EINVALID.
func ParseAnswer(s string) (Answer, error) {
	a := Answer(strings.ToLower(strings.TrimSpace(s)))
	if !a.Valid() {
		return NotAsked, haven.Errorf(haven.EINVALID, "unknown answer %q: want yes, no, unsure or declined", s)
	}
	return a, nil
}

// Answers maps question ids to answers. A missing entry, like NotAsked,
// means the question was not asked.
type Answers map[string]Answer

// Level is the overall result of a screening.
type Level string

// The levels, from least to most concerning.
const (
	LevelNone    Level = "none"
	LevelPresent Level = "present"
	LevelStrong  Level = "strong"
)

var levelLabels = map[Level]haven.Localized{
	LevelNone:    {"en": "No indicators noted", "es": "No se observaron indicadores"},
	LevelPresent: {"en": "Indicators present – refer", "es": "Hay indicadores: derive el caso"},
	LevelStrong:  {"en": "Strong indicators – act now", "es": "Indicadores fuertes: actúe ahora"},
}

// Label returns the plain label of l in lang ("en" or "es"; others fall
// back to English), or "" for an unknown level.
func (l Level) Label(lang string) string { return levelLabels[l].In(lang) }

// Result is the outcome of scoring one set of answers. See the package
// documentation for the rules that produce it.
type Result struct {
	Level Level `json:"level"`
	// Labor and Sex are the ids of the questions whose answers indicate,
	// by indicator type, in bank order.
	Labor []string `json:"labor"`
	Sex   []string `json:"sex"`
	// Urgent are the urgent safety questions answered as concerning.
	Urgent []string `json:"urgent"`
	// Minor is true when the person says they are under 18.
	Minor bool `json:"minor"`
	// MinorInCommercialSex is true when a minor answered the commercial-sex
	// question as concerning: the minor rule applies.
	MinorInCommercialSex bool `json:"minor_in_commercial_sex"`
	// Unsure are the core questions answered "unsure", worth revisiting.
	Unsure []string `json:"unsure"`
	// Declined counts the questions the person declined to answer.
	Declined int `json:"declined"`
}

// Summary returns the plain summary of r's level in lang ("en" or "es";
// others fall back to English). Show it with Bank.Disclaimer.
func (r Result) Summary(lang string) string { return r.Level.Label(lang) }

// Indicates reports whether answer a to q is a concerning answer: yes when
// q.YesIsIndicator, no when not. Unsure, declined and not asked never
// indicate.
func (q Question) Indicates(a Answer) bool {
	return (a == Yes && q.YesIsIndicator) || (a == No && !q.YesIsIndicator)
}

// Score applies the package's scoring rules to a. It returns an error of
// code haven.EINVALID, and no result, when a holds a question id the bank
// does not know or an answer value that is not valid; when several are
// wrong, the error names the first id in sorted order.
func (b *Bank) Score(a Answers) (Result, error) {
	idx := b.index()
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, ok := idx[id]; !ok {
			return Result{}, haven.Errorf(haven.EINVALID, "unknown screening question %q", id)
		}
		if v := a[id]; !v.Valid() {
			return Result{}, haven.Errorf(haven.EINVALID, "question %q: unknown answer %q", id, string(v))
		}
	}

	r := Result{Labor: []string{}, Sex: []string{}, Urgent: []string{}, Unsure: []string{}}
	var coreLabor, coreSex, core, supporting int
	commercialSex := false
	for _, q := range b.Questions {
		ans := a[q.ID]
		switch ans {
		case Declined:
			r.Declined++
		case Unsure:
			if q.Weight == Core {
				r.Unsure = append(r.Unsure, q.ID)
			}
		}
		if !q.Indicates(ans) {
			continue
		}
		if q.MinorQuestion {
			r.Minor = true
		}
		if q.CommercialSex {
			commercialSex = true
		}
		if q.Urgent {
			r.Urgent = append(r.Urgent, q.ID)
		}
		labor, sex := q.Bears(Labor), q.Bears(Sex)
		if labor {
			r.Labor = append(r.Labor, q.ID)
		}
		if sex {
			r.Sex = append(r.Sex, q.ID)
		}
		if !labor && !sex {
			continue // no indicator type: never counted as an indicator
		}
		if q.Weight == Core {
			core++
			if labor {
				coreLabor++
			}
			if sex {
				coreSex++
			}
		} else {
			supporting++
		}
	}
	r.MinorInCommercialSex = r.Minor && commercialSex

	switch {
	case r.MinorInCommercialSex, len(r.Urgent) > 0, coreLabor >= 2, coreSex >= 2:
		r.Level = LevelStrong
	case core >= 1, supporting >= 2:
		r.Level = LevelPresent
	default:
		r.Level = LevelNone
	}
	return r, nil
}
