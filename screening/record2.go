package screening

import (
	"fmt"
	"time"
	"unicode/utf8"

	"haven"
)

// RecordFormat2 is the record layout of bank-2 interviews. A format-2
// record is self-contained: it keeps the bank version, each question's
// text as it was asked, the answers, the notes marked quotation or
// summary, and the result as it was shown, so it opens unchanged whatever
// the question bank becomes. Format-1 records (RecordFormat) keep opening
// with the frozen bank 1.
const RecordFormat2 = 2

// Interview is what format 2 adds to a Record.
type Interview struct {
	BankVersion int `json:"bank_version"`
	// Ended is the server's time when the result was reached; Record.Started
	// is the server's time the interview began.
	Ended       time.Time   `json:"ended"`
	Interviewer Interviewer `json:"interviewer"`
	Interpreter Interpreter `json:"interpreter"`
	Consent     Consents    `json:"consent"`
	SafeToTalk  string      `json:"safe_to_talk,omitempty"`
	SafeContact string      `json:"safe_contact,omitempty"`
	Appears     Appearance  `json:"appears,omitempty"`
	ForeignBorn bool        `json:"foreign_born,omitempty"`
	// Items are the questions that applied, in the order asked, in the
	// record's language.
	Items  []AskedItem `json:"items"`
	Result Result2     `json:"result"`
	Shown  Shown       `json:"shown"`
}

// AskedItem is one question as it was asked, and its answer ("" when it
// applied but was not asked).
type AskedItem struct {
	ID           string `json:"id"`
	Section      string `json:"section"`
	SectionTitle string `json:"section_title"`
	Text         string `json:"text"`
	Answer       Answer `json:"answer"`
	Note         string `json:"note,omitempty"`
	NoteKind     string `json:"note_kind,omitempty"`
}

// Shown is the result's text as the screener saw it.
type Shown struct {
	Summary     string   `json:"summary"`
	Disclaimer  string   `json:"disclaimer"`
	ScoringNote string   `json:"scoring_note"`
	MinorRule   string   `json:"minor_rule,omitempty"`
	NextSteps   []string `json:"next_steps,omitempty"`
}

// Items returns the questions of d that applied, as asked in d.Language.
func (b *Bank2) Items(d Draft) []AskedItem {
	child := b.ChildPath(d.Answers, d.Appears)
	var out []AskedItem
	for _, q := range b.Questions {
		if !b.Asked(q, d.Answers, child) {
			continue
		}
		sec, _ := b.Section(q.Section)
		it := AskedItem{ID: q.ID, Section: q.Section, SectionTitle: sec.Title.In(d.Language), Text: q.Text.In(d.Language), Answer: d.Answers[q.ID]}
		if n, ok := d.Notes[q.ID]; ok && n.Text != "" {
			it.Note, it.NoteKind = n.Text, n.Kind
		}
		out = append(out, it)
	}
	return out
}

// RecordOf makes the format-2 record of draft d, saved by the account
// (email, id) at saved; nextSteps are the headings of the next steps shown.
func (b *Bank2) RecordOf(d Draft, email, id string, ended, saved time.Time, nextSteps []string) (Record, error) {
	if err := b.CheckDraft(d); err != nil {
		return Record{}, err
	}
	res, err := b.Score2(d.Answers, d.Appears)
	if err != nil {
		return Record{}, err
	}
	items := b.Items(d)
	answers := Answers{}
	for _, it := range items {
		if it.Answer != NotAsked {
			answers[it.ID] = it.Answer
		}
	}
	shown := Shown{Summary: res.Summary(d.Language), Disclaimer: b.Disclaimer.In(d.Language), ScoringNote: b.ScoringNote.In(d.Language), NextSteps: nextSteps}
	if res.MinorRule {
		shown.MinorRule = b.MinorRule.In(d.Language)
	}
	return Record{
		Format: RecordFormat2, Interviewer: email, InterviewerID: id,
		Started: d.Started.UTC(), Saved: saved.UTC().Truncate(time.Second), Language: d.Language,
		Interpreter: d.Interpreter.Mode != InterpreterNone, PersonLanguage: d.PersonLanguage, Place: d.Place, Reference: d.Reference,
		Answers: answers,
		Interview: &Interview{
			BankVersion: d.Bank, Ended: ended.UTC().Truncate(time.Second), Interviewer: d.Interviewer, Interpreter: d.Interpreter,
			Consent: d.Consent, SafeToTalk: d.SafeToTalk, SafeContact: d.SafeContact, Appears: d.Appears, ForeignBorn: d.ForeignBorn,
			Items: items, Result: res, Shown: shown,
		},
	}, nil
}

// DraftOf reopens a format-2 record as a draft, for its author to amend.
func DraftOf(r Record) (Draft, error) {
	if r.Format != RecordFormat2 || r.Interview == nil {
		return Draft{}, haven.Errorf(haven.EINVALID, "This record was made with question bank 1 and can be read but not amended. Start a new interview instead.")
	}
	iv := r.Interview
	d := Draft{Bank: iv.BankVersion, Language: r.Language, Started: r.Started, Ended: iv.Ended, SafeToTalk: iv.SafeToTalk, SafeContact: iv.SafeContact,
		Interpreter: iv.Interpreter, Consent: iv.Consent, Interviewer: iv.Interviewer, Appears: iv.Appears, Answers: Answers{}, Notes: map[string]Note{},
		Place: r.Place, PersonLanguage: r.PersonLanguage, ForeignBorn: iv.ForeignBorn, Reference: r.Reference}
	for id, a := range r.Answers {
		d.Answers[id] = a
	}
	for _, it := range iv.Items {
		if it.Note != "" {
			d.Notes[it.ID] = Note{Text: it.Note, Kind: it.NoteKind}
		}
	}
	if d.Bank != BankVersion {
		return Draft{}, haven.Errorf(haven.EINVALID, "This record was made with question bank %d and can be read but not amended. Start a new interview instead.", d.Bank)
	}
	return d, nil
}

// CheckRecord reports the first problem with a format-2 record r as an
// error of code haven.EINVALID naming the field, or nil. It checks the
// record against itself, not against today's bank, beyond the answers'
// values.
func CheckRecord(r Record) error {
	bad := func(field, format string, args ...any) error {
		return haven.Errorf(haven.EINVALID, "screening record, field %s: %s", field, fmt.Sprintf(format, args...))
	}
	if r.Format != RecordFormat2 || r.Interview == nil {
		return bad("format", "not a format-%d record", RecordFormat2)
	}
	if r.InterviewerID == "" || r.Interviewer == "" {
		return bad("interviewer", "missing")
	}
	if r.Saved.IsZero() || r.Started.IsZero() || r.Interview.Ended.IsZero() {
		return bad("saved", "a time is missing")
	}
	if r.Language != "en" && r.Language != "es" {
		return bad("language", "%q is not en or es", r.Language)
	}
	for i, it := range r.Interview.Items {
		if it.ID == "" || it.Text == "" || !it.Answer.Valid() {
			return bad("interview.items", "item %d is incomplete or has an unknown answer", i)
		}
		if len(it.Note) > MaxNote || !utf8.ValidString(it.Note) {
			return bad("interview.items", "the note on %q is longer than %d bytes or not UTF-8", it.ID, MaxNote)
		}
		if it.Note != "" && it.NoteKind != NoteSummary && it.NoteKind != NoteQuote {
			return bad("interview.items", "the note on %q is not marked summary or quote", it.ID)
		}
	}
	return nil
}
