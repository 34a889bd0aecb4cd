package screening

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/vault"
)

// RecordFormat is the first version of Record's JSON layout, whose answers
// are scored by the frozen bank 1. A saved record keeps the format it was
// written in, so a later layout must still read it; new interviews are
// saved in RecordFormat2.
const RecordFormat = 1

// Limits on what a record holds, so that a form cannot grow a record
// without bound.
const (
	MaxNote      = 4000 // bytes in one note
	MaxReference = 200  // bytes in the screener's case reference
	MaxPlace     = 200  // bytes in the place
)

// Record is the content of one saved interview: everything the screener
// saw and wrote. It is the plaintext that package vault seals; none of it
// is stored in the clear.
type Record struct {
	Format int `json:"format"`
	// Interviewer is the screener's e-mail when the version was saved, and
	// InterviewerID their account.
	Interviewer   string    `json:"interviewer"`
	InterviewerID string    `json:"interviewer_id"`
	Started       time.Time `json:"started"` // when the interview began
	Saved         time.Time `json:"saved"`   // when this version was saved
	// Language is the language the tool was used in: "en" or "es".
	Language string `json:"language"`
	// Interpreter tells whether a qualified interpreter took part.
	Interpreter bool `json:"interpreter"`
	// PersonLanguage is the person's preferred language (ISO 639-1), if
	// they gave one; Place is where they are, as entered.
	PersonLanguage string `json:"person_language,omitempty"`
	Place          string `json:"place,omitempty"`
	// Reference is the screener's own case reference, never a name.
	Reference string            `json:"reference,omitempty"`
	Answers   Answers           `json:"answers"`
	Notes     map[string]string `json:"notes,omitempty"`
	// Interview holds what format 2 (RecordFormat2) adds; nil in format 1,
	// whose JSON is unchanged.
	Interview *Interview `json:"interview,omitempty"`
}

// Check reports the first problem with r against bank b as an error of
// code haven.EINVALID naming the field, or nil.
func (b *Bank) Check(r Record) error {
	bad := func(field, format string, args ...any) error {
		return haven.Errorf(haven.EINVALID, "screening record, field %s: %s", field, fmt.Sprintf(format, args...))
	}
	if r.Format != RecordFormat {
		return bad("format", "unknown format %d (this Haven reads %d)", r.Format, RecordFormat)
	}
	if r.InterviewerID == "" || r.Interviewer == "" {
		return bad("interviewer", "missing")
	}
	if r.Saved.IsZero() {
		return bad("saved", "missing")
	}
	if r.Language != "en" && r.Language != "es" {
		return bad("language", "%q is not en or es", r.Language)
	}
	if l := r.PersonLanguage; l != "" && (len(l) != 2 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "") {
		return bad("person_language", "%q is not a two-letter language code", l)
	}
	for field, v := range map[string]struct {
		s   string
		max int
	}{"place": {r.Place, MaxPlace}, "reference": {r.Reference, MaxReference}} {
		if len(v.s) > v.max || !utf8.ValidString(v.s) {
			return bad(field, "longer than %d bytes or not UTF-8", v.max)
		}
	}
	if _, err := b.Score(r.Answers); err != nil {
		return bad("answers", "%s", haven.ErrorMessage(err))
	}
	ids := make([]string, 0, len(r.Notes))
	for id := range r.Notes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, ok := b.Question(id); !ok {
			return bad("notes", "unknown question %q", id)
		}
		if n := r.Notes[id]; len(n) > MaxNote || !utf8.ValidString(n) {
			return bad("notes", "the note on %q is longer than %d bytes or not UTF-8", id, MaxNote)
		}
	}
	return nil
}

// Encode returns r as JSON, the plaintext to seal.
func (r Record) Encode() ([]byte, error) {
	if r.Format == RecordFormat2 && r.Interview != nil {
		r = r.notesApart()
	}
	return json.Marshal(r)
}

// notesApart moves a format-2 record's note text from its items to the
// top-level notes, where SealSplit seals it apart so that the minimal-notes
// setting can erase it from earlier versions (see notes.go). Each item
// keeps its note's kind; DecodeRecord puts the text back.
func (r Record) notesApart() Record {
	iv := *r.Interview
	iv.Items = slices.Clone(iv.Items)
	notes := map[string]string{}
	for i := range iv.Items {
		if iv.Items[i].Note != "" {
			notes[iv.Items[i].ID] = iv.Items[i].Note
			iv.Items[i].Note = ""
		}
	}
	r.Interview, r.Notes = &iv, nil
	if len(notes) > 0 {
		r.Notes = notes
	}
	return r
}

// DecodeRecord reads a record's plaintext strictly: an unknown field or
// trailing data is an error, since the plaintext only ever comes from
// Encode.
func DecodeRecord(data []byte) (Record, error) {
	var r Record
	if err := decodeStrict(data, &r); err != nil {
		return Record{}, fmt.Errorf("screening record: %w", err)
	}
	if r.Format == RecordFormat2 && r.Interview != nil && r.Notes != nil {
		for i, it := range r.Interview.Items {
			if n, ok := r.Notes[it.ID]; ok && it.Note == "" {
				r.Interview.Items[i].Note = n
				delete(r.Notes, it.ID)
			}
		}
		if len(r.Notes) > 0 {
			return Record{}, fmt.Errorf("screening record: a note on a question the record did not ask")
		}
		r.Notes = nil
	}
	return r, nil
}

// Reasons a version was saved, kept in its clear metadata.
const (
	ReasonSave     = "save"         // the first version
	ReasonAmend    = "amend"        // the interviewer changed the record
	ReasonRotation = "key-rotation" // the same content, sealed under a new key
)

// Seal returns the function that seals r as the version after prev of
// record id, for sqlstore.SaveScreening. The version's clear metadata holds
// only the reason and the time: nothing from the interview.
func Seal(keys *vault.Keyring, r Record, reason string) func(prev *vault.Version, id string) (vault.Version, error) {
	return func(prev *vault.Version, id string) (vault.Version, error) {
		if prev == nil && reason != ReasonSave {
			reason = ReasonSave
		}
		pt, err := r.Encode()
		if err != nil {
			return vault.Version{}, err
		}
		defer clear(pt)
		meta := vault.CanonicalMeta(map[string]string{"reason": reason, "at": r.Saved.UTC().Format(time.RFC3339)})
		return keys.SealVersion(prev, id, pt, meta)
	}
}

// Open opens version v and reads the record in it.
func Open(keys *vault.Keyring, v vault.Version) (Record, error) {
	// With the note text sealed apart where it was (see SealSplit).
	pt, err := OpenPlaintext(keys, v)
	if err != nil {
		return Record{}, err
	}
	defer clear(pt)
	return DecodeRecord(pt)
}

// VersionReason returns the reason recorded in v's metadata, or "".
func VersionReason(v vault.Version) string {
	m, err := vault.ParseMeta(v.Meta)
	if err != nil {
		return ""
	}
	return m["reason"]
}
