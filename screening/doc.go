// Package screening is Haven's guided screening interview for professionals
// who may be speaking with a victim of human trafficking. It is modelled on
// validated public tools — the Vera Institute of Justice's Trafficking Victim
// Identification Tool (2014) and the HHS screening guides — but its questions
// are Haven's own, in English and Spanish.
//
// The screening is an aid, never a determination: it helps a professional
// notice signs and decide whether to refer. It does not decide whether
// someone is a victim, and a "no" does not rule trafficking out. The bank
// carries that disclaimer (Bank.Disclaimer) for every page that shows a
// result.
//
// # Bank versions
//
// New interviews ask bank version 2 (bank2.json, Bank2, Load2, Score2): an
// opening script and consents, urgent needs apart from indicators, age
// first and a child pathway, questions that each ask one thing with yes
// always the worrying answer, branching (AskIf), and a result (Result2)
// that lists each sign once by kind and says when it is incomplete. Its
// records are format 2 (RecordFormat2): self-contained, they keep each
// question as asked and the result as shown. Score2's documentation gives
// its rules.
//
// Bank version 1, described below, is frozen: format-1 records were
// written against it and are still read with it.
//
// # The question bank (version 1)
//
// The bank is embedded from bank.json and checked by Load. It holds the
// interviewer's guide, the U.S. minor rule, the disclaimer, ten sections in
// a fixed order (safety first, age last; see SectionIDs) and three to six
// questions per section. Each question has an indicator set (a subset of
// "labor" and "sex": the forms of trafficking it bears on), a weight ("core"
// for an element of force, fraud or coercion, or commercial sex;
// "supporting" otherwise) and a polarity, yes_is_indicator, false for
// questions phrased so that NO is the concerning answer ("Are you able to
// leave your job if you want to?"). Every safety question is urgent. Exactly
// one age question establishes whether the person is under 18 (the minor
// question; it has no indicator set) and exactly one core work question asks
// about commercial sex.
//
// # Scoring rules (version 1)
//
// Score applies these rules, and only these, so the same answers always give
// the same Result:
//
//  1. An answer indicates when it is "yes" to a question with
//     yes_is_indicator, or "no" to a question without it. "unsure",
//     "declined" and "" (not asked) never indicate.
//  2. Result.Labor and Result.Sex list the indicating questions whose
//     indicator set holds "labor" or "sex"; a question bearing on both is
//     listed in both. Result.Urgent lists the indicating urgent (safety)
//     questions. Result.Unsure lists the core questions answered "unsure",
//     worth revisiting. All lists are in bank order. Result.Declined counts
//     the questions answered "declined".
//  3. Result.Minor is true when the minor question indicates (the person
//     says they are under 18). Result.MinorInCommercialSex is true when
//     Minor is true and the commercial-sex question indicates.
//  4. A core indicator of a type is an indicating core question whose
//     indicator set holds that type; a question bearing on both types is one
//     core indicator of each. A question with an empty indicator set (the
//     minor question) is never counted as an indicator.
//  5. The level is LevelStrong ("Strong indicators – act now") when
//     MinorInCommercialSex (the minor rule: no force, fraud or coercion
//     need be shown), or when any urgent question indicates, or when there
//     are at least two core indicators of one type (two labor, or two sex).
//  6. Otherwise the level is LevelPresent ("Indicators present – refer")
//     when at least one core question indicates, or at least two supporting
//     questions indicate (of any types).
//  7. Otherwise the level is LevelNone ("No indicators noted").
//
// Score rejects, with an error of code haven.EINVALID and no result, an
// answer to a question id the bank does not hold or an answer value other
// than "yes", "no", "unsure", "declined" or "".
package screening
