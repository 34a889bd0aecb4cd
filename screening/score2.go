package screening

import (
	"slices"

	"haven"
)

// Result2 is what a bank-2 interview's answers show. It never says whether
// someone is a victim: it lists the urgent needs, the signs seen by kind,
// whether the U.S. minor rule applies, and how complete the answers are.
type Result2 struct {
	Level Level `json:"level"`
	// Needs are the urgent needs found, in Needs order. They are never
	// indicators of trafficking.
	Needs []string `json:"needs"`
	// Child is true when the interview followed the child pathway.
	Child bool `json:"child"`
	// MinorRule is true when commercial sex before 18 was found: no force,
	// fraud or coercion needs to be shown.
	MinorRule bool `json:"minor_rule"`
	// Labor, Sex and Both list the indicating questions, each once, by the
	// kind of trafficking it bears on, in bank order.
	Labor []string `json:"labor"`
	Sex   []string `json:"sex"`
	Both  []string `json:"both"`
	// Strong lists the core indicators seen: force, fraud or coercion, or
	// commercial sex of a child.
	Strong []string `json:"strong"`
	// PastArrests points to vacatur and record relief; ChildrenPresent to
	// child protection for others.
	PastArrests     bool `json:"past_arrests"`
	ChildrenPresent bool `json:"children_present"`
	// Core is the number of core questions that applied; Declined, Unsure
	// and NotAsked count those of them without a yes or no. Incomplete is
	// true when any of them is above zero.
	Core       int  `json:"core"`
	Declined   int  `json:"declined"`
	Unsure     int  `json:"unsure"`
	NotAsked   int  `json:"not_asked"`
	Incomplete bool `json:"incomplete"`
}

var level2Labels = map[Level]haven.Localized{
	LevelNone:    {"en": "No signs of trafficking seen in the answers given", "es": "No se vieron señales de trata en las respuestas dadas"},
	LevelPresent: {"en": "Some signs of trafficking seen: refer for a fuller assessment", "es": "Se vieron algunas señales de trata: derive para una evaluación más completa"},
	LevelStrong:  {"en": "Strong signs of trafficking seen: act on the next steps now", "es": "Se vieron señales fuertes de trata: siga ahora los próximos pasos"},
}

// Summary returns the headline of r in lang ("en" or "es"; others fall
// back to English).
func (r Result2) Summary(lang string) string { return level2Labels[r.Level].In(lang) }

// IsNeed reports whether answer a to need q means the need is present.
func (q Question2) IsNeed(a Answer) bool {
	return q.Kind == KindNeed && (a == Yes || (a == Unsure && q.UnsureIsNeed))
}

// Score2 scores the answers of a bank-2 interview. appears is the
// screener's observation of age. The rules, and only these:
//
//  1. A need is present when its question is answered yes, or unsure
//     where unsure counts (danger, someone waiting).
//  2. Only questions that applied count (Asked): answers left from a branch
//     later closed are ignored.
//  3. An indicator is an indicator question answered yes; it is listed
//     once, under Labor, Sex or Both.
//  4. The minor rule applies when a commercial-sex question is answered yes
//     and the person is on the child pathway, or said it started before
//     18, or was told to lie about their age.
//  5. Strong when the minor rule applies or at least two core indicators
//     were seen; otherwise present when one core or two supporting
//     indicators were seen; otherwise none.
//  6. Incomplete when any core question that applied was declined,
//     answered unsure or not asked; the counts say which.
//
// It returns an error of code haven.EINVALID for an unknown question or
// answer.
func (b *Bank2) Score2(a Answers, appears Appearance) (Result2, error) {
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, ok := b.byID[id]; !ok {
			return Result2{}, haven.Errorf(haven.EINVALID, "unknown screening question %q", id)
		}
		if v := a[id]; !v.Valid() {
			return Result2{}, haven.Errorf(haven.EINVALID, "question %q: unknown answer %q", id, string(v))
		}
	}
	r := Result2{Needs: []string{}, Labor: []string{}, Sex: []string{}, Both: []string{}, Strong: []string{}}
	r.Child = b.ChildPath(a, appears)
	needs := map[string]bool{}
	var commercial, under18Sign bool
	core, supporting := 0, 0
	for _, q := range b.Questions {
		if !b.Asked(q, a, r.Child) {
			continue
		}
		ans := a[q.ID]
		if q.IsNeed(ans) {
			needs[q.Need] = true
		}
		if q.Weight == Core {
			r.Core++
			switch ans {
			case Declined:
				r.Declined++
			case Unsure:
				r.Unsure++
			case NotAsked:
				r.NotAsked++
			}
		}
		if ans != Yes {
			continue
		}
		r.PastArrests = r.PastArrests || q.PastArrests
		r.ChildrenPresent = r.ChildrenPresent || q.ChildrenPresent
		commercial = commercial || q.CommercialSex
		under18Sign = under18Sign || q.StartedUnder18 || q.AgeCoaching
		switch q.listKind() {
		case Labor:
			r.Labor = append(r.Labor, q.ID)
		case Sex:
			r.Sex = append(r.Sex, q.ID)
		case "both":
			r.Both = append(r.Both, q.ID)
		default:
			continue
		}
		if q.Weight == Core {
			core++
			r.Strong = append(r.Strong, q.ID)
		} else {
			supporting++
		}
	}
	for _, n := range Needs {
		if needs[n] {
			r.Needs = append(r.Needs, n)
		}
	}
	r.MinorRule = commercial && (r.Child || under18Sign)
	r.Incomplete = r.Declined+r.Unsure+r.NotAsked > 0
	switch {
	case r.MinorRule, core >= 2:
		r.Level = LevelStrong
	case core >= 1, supporting >= 2:
		r.Level = LevelPresent
	default:
		r.Level = LevelNone
	}
	return r, nil
}
