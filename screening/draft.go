package screening

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
)

// Note kinds: a note is either the person's own words or the screener's
// summary, and a record says which.
const (
	NoteSummary = "summary"
	NoteQuote   = "quote"
)

// Note is the screener's note on one question.
type Note struct {
	Text string `json:"text"`
	Kind string `json:"kind"` // NoteSummary or NoteQuote
}

// Interpreter modes. InterpreterNone ("") is the zero value.
const (
	InterpreterNone     = ""
	InterpreterInPerson = "in-person"
	InterpreterPhone    = "phone"
	InterpreterVideo    = "video"
)

// InterpreterModes are the modes an interpreter may work in.
var InterpreterModes = []string{InterpreterInPerson, InterpreterPhone, InterpreterVideo}

// Interpreter tells who interpreted, and how.
type Interpreter struct {
	Mode string `json:"mode,omitempty"`
	// Name is the interpreter's name or agency.
	Name string `json:"name,omitempty"`
}

// Consents are the person's answers on consent, each "yes", "no" or ""
// (not asked). Consent to be screened comes first; saving and sharing are
// asked separately.
type Consents struct {
	Screen string `json:"screen"`
	Save   string `json:"save"`
	Share  string `json:"share"`
}

// Interviewer is who asked the questions, as they describe themselves.
type Interviewer struct {
	Name   string `json:"name,omitempty"`
	Agency string `json:"agency,omitempty"`
	Role   string `json:"role,omitempty"`
}

// Draft is an interview in progress: everything entered so far. Between
// steps it is kept sealed, on the server for a signed-in screener and in
// the page for anyone else.
type Draft struct {
	Bank     int       `json:"bank"`
	Language string    `json:"language"` // the language the questions are asked in
	Started  time.Time `json:"started"`  // server time
	// Ended is the server's time the result was last reached.
	Ended       time.Time `json:"ended,omitzero"`
	SafeToTalk  string    `json:"safe_to_talk,omitempty"`
	SafeContact string    `json:"safe_contact,omitempty"`
	// Interpreter and Consent as recorded before any question.
	Interpreter Interpreter     `json:"interpreter"`
	Consent     Consents        `json:"consent"`
	Interviewer Interviewer     `json:"interviewer"`
	Appears     Appearance      `json:"appears,omitempty"`
	Answers     Answers         `json:"answers,omitempty"`
	Notes       map[string]Note `json:"notes,omitempty"`
	// Place and PersonLanguage (ISO 639-1) pick providers; ForeignBorn is
	// the interviewer's own note, never a question to the person.
	Place          string `json:"place,omitempty"`
	PersonLanguage string `json:"person_language,omitempty"`
	ForeignBorn    bool   `json:"foreign_born,omitempty"`
	Reference      string `json:"reference,omitempty"`
	// Record is the saved record being amended, if any.
	Record string `json:"record,omitempty"`
}

// Limits on the short fields of a draft.
const (
	MaxShort = 200 // bytes in a name, agency, role or contact note
)

// NewDraft starts an interview in language lang at now.
func NewDraft(lang string, now time.Time) Draft {
	if lang != "es" {
		lang = "en"
	}
	return Draft{Bank: BankVersion, Language: lang, Started: now.UTC().Truncate(time.Second), Answers: Answers{}, Notes: map[string]Note{}}
}

// yesNo reports whether s is "yes", "no" or "".
func yesNo(s string) bool { return s == "" || s == "yes" || s == "no" }

// Check reports the first problem with d against the bank as an error of
// code haven.EINVALID naming the field, or nil.
func (b *Bank2) CheckDraft(d Draft) error {
	bad := func(field, format string, args ...any) error {
		return haven.Errorf(haven.EINVALID, "screening interview, field %s: %s", field, fmt.Sprintf(format, args...))
	}
	if d.Bank != BankVersion {
		return bad("bank", "question bank %d, this Haven asks bank %d", d.Bank, BankVersion)
	}
	if d.Language != "en" && d.Language != "es" {
		return bad("language", "%q is not en or es", d.Language)
	}
	for field, v := range map[string]string{"safe_to_talk": d.SafeToTalk, "consent.screen": d.Consent.Screen,
		"consent.save": d.Consent.Save, "consent.share": d.Consent.Share} {
		if !yesNo(v) {
			return bad(field, "%q is not yes or no", v)
		}
	}
	if d.Interpreter.Mode != InterpreterNone && !slices.Contains(InterpreterModes, d.Interpreter.Mode) {
		return bad("interpreter.mode", "%q is not one of %v", d.Interpreter.Mode, InterpreterModes)
	}
	switch d.Appears {
	case AppearsUnknown, AppearsMinor, AppearsAdult:
	default:
		return bad("appears", "%q is not minor or adult", d.Appears)
	}
	if l := d.PersonLanguage; l != "" && (len(l) != 2 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "") {
		return bad("person_language", "%q is not a two-letter language code", l)
	}
	for field, v := range map[string]struct {
		s   string
		max int
	}{"safe_contact": {d.SafeContact, MaxShort}, "interpreter.name": {d.Interpreter.Name, MaxShort},
		"interviewer.name": {d.Interviewer.Name, MaxShort}, "interviewer.agency": {d.Interviewer.Agency, MaxShort},
		"interviewer.role": {d.Interviewer.Role, MaxShort}, "place": {d.Place, MaxPlace}, "reference": {d.Reference, MaxReference}} {
		if len(v.s) > v.max || !utf8.ValidString(v.s) {
			return bad(field, "longer than %d bytes or not UTF-8", v.max)
		}
	}
	if _, err := b.Score2(d.Answers, d.Appears); err != nil {
		return bad("answers", "%s", haven.ErrorMessage(err))
	}
	ids := make([]string, 0, len(d.Notes))
	for id := range d.Notes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		n := d.Notes[id]
		if _, ok := b.Question(id); !ok {
			return bad("notes", "unknown question %q", id)
		}
		if len(n.Text) > MaxNote || !utf8.ValidString(n.Text) {
			return bad("notes", "the note on %q is longer than %d bytes or not UTF-8", id, MaxNote)
		}
		if n.Kind != NoteSummary && n.Kind != NoteQuote {
			return bad("notes", "the note on %q is marked %q, not summary or quote", id, n.Kind)
		}
	}
	return nil
}

// DecodeDraft reads a draft's JSON strictly.
func DecodeDraft(data []byte) (Draft, error) {
	var d Draft
	if err := decodeStrict(data, &d); err != nil {
		return Draft{}, fmt.Errorf("screening interview: %w", err)
	}
	if d.Answers == nil {
		d.Answers = Answers{}
	}
	if d.Notes == nil {
		d.Notes = map[string]Note{}
	}
	return d, nil
}

// MaxToken bounds a sealed draft carried in a page.
const MaxToken = 96 << 10

// pageToken is the plaintext of a draft carried in a page: the draft and
// when the token stops opening.
type pageToken struct {
	Expires int64 `json:"exp"`
	Draft   Draft `json:"d"`
}

// ErrDraftExpired is returned by OpenPageDraft for a token past its time,
// or sealed under a key this server no longer has.
var ErrDraftExpired = haven.Errorf(haven.EINVALID, "This interview has expired or was started before the server restarted. Start it again.")

// SealPageDraft seals d for carrying in a page, with aead (a key that
// lives only in the server's memory), valid for ttl from now. The token
// is opaque: the page holds the interview without being able to read it,
// and after a restart nothing can.
func SealPageDraft(aead cipher.AEAD, d Draft, now time.Time, ttl time.Duration) (string, error) {
	pt, err := json.Marshal(pageToken{Expires: now.Add(ttl).Unix(), Draft: d})
	if err != nil {
		return "", err
	}
	defer clear(pt)
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(pt)+aead.Overhead())
	rand.Read(nonce)
	out := aead.Seal(nonce, nonce, pt, []byte("haven/screening/draft/v1"))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// OpenPageDraft opens a token made by SealPageDraft. A malformed token is
// an error of code haven.EINVALID; an expired or foreign one is
// ErrDraftExpired.
func OpenPageDraft(aead cipher.AEAD, token string, now time.Time) (Draft, error) {
	if len(token) > MaxToken {
		return Draft{}, haven.Errorf(haven.EINVALID, "The interview in this page is too large to carry (over %d bytes).", MaxToken)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return Draft{}, haven.Errorf(haven.EINVALID, "The interview in this page could not be read.")
	}
	pt, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte("haven/screening/draft/v1"))
	if err != nil {
		return Draft{}, ErrDraftExpired
	}
	defer clear(pt)
	var t pageToken
	if err := decodeStrict(pt, &t); err != nil {
		return Draft{}, haven.Errorf(haven.EINVALID, "The interview in this page could not be read.")
	}
	if now.Unix() > t.Expires {
		return Draft{}, ErrDraftExpired
	}
	if t.Draft.Answers == nil {
		t.Draft.Answers = Answers{}
	}
	if t.Draft.Notes == nil {
		t.Draft.Notes = map[string]Note{}
	}
	return t.Draft, nil
}
