package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"haven"
	"haven/i18n"
	"haven/screening"
	"haven/vault"
)

// Saved screening records. Only screeners, records supervisors and admins
// reach these routes; a record opens only for its author and records
// supervisors (admins too with Server.AdminsReadScreenings); every save,
// view and export is written to the audit trail, and shown to the author.
// The content is sealed by package vault before it reaches the store, under
// the server's secret key; exports are signed with a key derived from it.

// errNoKey is what a screener sees when the server has no secret key.
var errNoKey = haven.Errorf(haven.EUNAVAILABLE, "Saving and opening screening records is turned off: this server has no secret key. "+
	"An administrator can make one with \"haven keys generate\" and start Haven with HAVEN_SECRET_KEY set to it, or with --secret-key-file.")

// validRecordID accepts the UUIDs records are given, and nothing else.
func validRecordID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, c := range id {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f'):
			return false
		}
	}
	return true
}

// handleScreeningSave is in screening.go, with the interview it saves.

type recordsData struct {
	Records []recordRow
	All     bool // a records supervisor's view of everyone's records
	NoKey   bool
	Deleted bool // a record was just deleted
	Zone    *time.Location
}

// recordRow is one record in the list, with what finds the right one
// without opening others: the case reference and the result, read from
// the head version (the list itself is not an opening: it shows neither
// answers nor notes).
type recordRow struct {
	*haven.ScreeningRecord
	Reference string
	Level     screening.Level
	Summary   string
	Unread    bool // the head did not open (a missing key, or tampering)
}

// zone is where record dates are shown.
func (s *Server) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.Local
}

func (s *Server) handleScreeningRecords(w http.ResponseWriter, r *http.Request) {
	if s.Records == nil {
		s.renderError(w, r, errNoKey)
		return
	}
	u := currentUser(r)
	author := u.ID
	if haven.MaySupervise(u, s.AdminsReadScreenings) {
		author = ""
	}
	recs, err := s.Records.ListScreenings(r.Context(), author, 500)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := recordsData{All: author == "", NoKey: s.Vault == nil, Deleted: r.URL.Query().Get("deleted") == "1", Zone: s.zone()}
	for _, rec := range recs {
		d.Records = append(d.Records, s.recordRow(r, rec))
	}
	p := s.newPage(r, "", "screening", d)
	p.Title = p.L.T("records.title")
	s.render(w, r, http.StatusOK, "screening_records", p)
}

// recordRow opens rec's head for the list.
func (s *Server) recordRow(r *http.Request, rec *haven.ScreeningRecord) recordRow {
	row := recordRow{ScreeningRecord: rec, Unread: true}
	if s.Vault == nil {
		return row
	}
	_, versions, err := s.Records.FindScreening(r.Context(), rec.ID)
	if err != nil || len(versions) == 0 {
		return row
	}
	c, err := screening.Open(s.Vault, versions[len(versions)-1])
	if err != nil {
		return row
	}
	if iv := c.Interview; iv != nil {
		// A format-2 record: its result as scored when it was saved, in
		// the reader's language.
		row.Unread, row.Reference, row.Level, row.Summary = false, c.Reference, iv.Result.Level, iv.Result.Summary(i18n.FromRequest(r))
		return row
	}
	res, err := s.Screening.Score(c.Answers)
	if err != nil {
		return row
	}
	row.Unread, row.Reference, row.Level, row.Summary = false, c.Reference, res.Level, res.Summary(i18n.FromRequest(r))
	return row
}

// recordVersion is one version as a record page lists it.
type recordVersion struct {
	Number      int
	Hash        string
	Reason      string
	SavedAt     time.Time
	NotesErased bool // its note text was erased by a later amendment
}

type recordData struct {
	Rec *haven.ScreeningRecord
	// Supervise shows the legal hold and deletion forms; Access lists who
	// opened the record, for its author and supervisors.
	Supervise bool
	Access    []*haven.AuditEntry
	Zone      *time.Location
	// MinimalNotes: amending erases earlier note text (the setting).
	MinimalNotes bool
	// Signed is the signed export a printout carries.
	Signed *screening.SignedExport
	// raw is the head version's plaintext, for the signed export.
	raw      []byte
	Content  screening.Record
	Result   screening.Result
	Sections []recordSection
	Versions []recordVersion
	Intact   bool   // the chain verified and the head opened
	Problem  string // why not
	MayAmend bool
	Saved    bool
	Print    bool
	Bank     *screening.Bank
	chain    []vault.Version
	// All carries the answers to the amend form.
	All []hiddenField
	// Asked are a format-2 record's questions as asked, by section.
	Asked []askedSection
}

type recordSection struct {
	Section screening.Section
	Items   []screeningQuestion
}

// openRecord loads record id for the signed-in user, checks they may open
// it, verifies its chain, opens its head and writes the audit line.
func (s *Server) openRecord(r *http.Request, action, field string) (*recordData, error) {
	if s.Vault == nil || s.Records == nil {
		return nil, errNoKey
	}
	id := r.PathValue("id")
	if !validRecordID(id) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No screening record %s.", id)
	}
	u := currentUser(r)
	rec, versions, err := s.Records.FindScreening(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !rec.MayOpen(u, s.AdminsReadScreenings) {
		return nil, haven.Errorf(haven.EFORBIDDEN, "Only the interviewer who saved this record, and records supervisors, may open it.")
	}
	if len(versions) == 0 {
		return nil, haven.Errorf(haven.EINTERNAL, "screening record %s has no versions", id)
	}
	// Audit before showing anything: a read that cannot be recorded does
	// not happen.
	if err := s.Records.LogScreeningAccess(r.Context(), u.Email, action, id, field); err != nil {
		return nil, err
	}
	d := &recordData{Rec: rec, Bank: s.Screening, MayAmend: rec.MayAmend(u), Intact: true, chain: versions,
		Supervise: haven.MaySupervise(u, s.AdminsReadScreenings), Zone: s.zone(), MinimalNotes: s.ScreeningMinimalNotes}
	if breaks := vault.VerifyChain(versions); len(breaks) > 0 {
		d.Intact, d.Problem = false, breaks[0].Reason
	}
	head := versions[len(versions)-1]
	if head.Number != rec.Versions || head.Hash != rec.HeadHash {
		d.Intact, d.Problem = false, "the record row does not name the last version"
	}
	pt, err := screening.OpenPlaintext(s.Vault, head)
	if err != nil {
		if errors.Is(err, vault.ErrUnknownKey) {
			return nil, haven.Errorf(haven.EUNAVAILABLE, "This record was sealed with a key this server does not hold. Add the old key below the current one in the key file.")
		}
		return nil, haven.Errorf(haven.EINTERNAL, "screening record %s: %v", id, err)
	}
	content, err := screening.DecodeRecord(pt)
	if err != nil {
		return nil, haven.Errorf(haven.EINTERNAL, "screening record %s: %v", id, err)
	}
	d.Content, d.raw = content, pt
	if content.Format == screening.RecordFormat2 && content.Interview != nil {
		// A format-2 record carries its questions as asked and its result
		// as shown: today's bank plays no part in reading it.
		d.Asked = askedSections(content.Interview.Items)
	} else {
		d.MayAmend = false // bank 1 is frozen: its records are read, not amended
		if d.Result, err = s.Screening.Score(content.Answers); err != nil {
			return nil, haven.Errorf(haven.EINTERNAL, "screening record %s: %v", id, err)
		}
	}
	savedAt, err := s.Records.ScreeningSavedAt(r.Context(), id)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		d.Versions = append(d.Versions, recordVersion{Number: v.Number, Hash: v.Hash, Reason: screening.VersionReason(v), SavedAt: savedAt[v.Number], NotesErased: screening.NotesErased(v)})
	}
	for _, sec := range s.Screening.Sections {
		if d.Asked != nil {
			break
		}
		rs := recordSection{Section: sec}
		for _, q := range s.Screening.SectionQuestions(sec.ID) {
			rs.Items = append(rs.Items, screeningQuestion{Q: q, Answer: string(content.Answers[q.ID]), Note: content.Notes[q.ID]})
		}
		d.Sections = append(d.Sections, rs)
	}
	d.All = s.allAnswers(content.Answers, content.Notes)
	if u.ID == rec.AuthorID || d.Supervise {
		if d.Access, err = s.Records.ScreeningAccessLog(r.Context(), id); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) handleScreeningRecord(w http.ResponseWriter, r *http.Request) {
	d, err := s.openRecord(r, "view", "page")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Saved = r.URL.Query().Get("saved") == "1"
	p := s.newPage(r, "", "screening", d)
	p.Title = p.L.T("records.record")
	s.render(w, r, http.StatusOK, "screening_record", p)
}

func (s *Server) handleScreeningPrint(w http.ResponseWriter, r *http.Request) {
	d, err := s.openRecord(r, "export", "print")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Print = true
	if d.Signed, err = s.signRecord(r, d); err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "screening", d)
	p.Title = p.L.T("records.record")
	s.render(w, r, http.StatusOK, "screening_record", p)
}

// exportView is what Haven showed for a record, carried in the signed
// export beside the record itself: the questions as worded in the bank
// that opened it, the result and the disclaimer.
type exportView struct {
	Answers    []exportAnswer `json:"answers"`
	Result     exportResult   `json:"result"`
	Disclaimer string         `json:"disclaimer"`
}

type exportAnswer struct {
	Section  string `json:"section"`
	Question string `json:"question"`
	Text     string `json:"text"`
	Answer   string `json:"answer"`
	Note     string `json:"note,omitempty"`
}

type exportResult struct {
	Level   string   `json:"level"`
	Summary string   `json:"summary"`
	Labor   []string `json:"labor_indicators"`
	Sex     []string `json:"sex_indicators"`
	Urgent  []string `json:"urgent"`
	Minor   bool     `json:"minor"`
}

// signRecord makes the signed export of the record d holds: the head's
// plaintext as sealed, the version chain, and the view.
func (s *Server) signRecord(r *http.Request, d *recordData) (*screening.SignedExport, error) {
	lang := d.Content.Language
	view := exportView{
		Result:     exportResult{Level: string(d.Result.Level), Summary: d.Result.Summary(lang), Labor: d.Result.Labor, Sex: d.Result.Sex, Urgent: d.Result.Urgent, Minor: d.Result.Minor},
		Disclaimer: s.Screening.Disclaimer.In(lang),
	}
	if iv := d.Content.Interview; iv != nil {
		// A format-2 record: the result and questions as shown then.
		view.Result = exportResult{Level: string(iv.Result.Level), Summary: iv.Shown.Summary, Labor: iv.Result.Labor, Sex: iv.Result.Sex, Minor: iv.Result.Child}
		view.Disclaimer = iv.Shown.Disclaimer
		for _, it := range iv.Items {
			if it.Answer == "" && it.Note == "" {
				continue
			}
			view.Answers = append(view.Answers, exportAnswer{Section: it.Section, Question: it.ID, Text: it.Text, Answer: string(it.Answer), Note: it.Note})
		}
	}
	for _, sec := range d.Sections {
		for _, it := range sec.Items {
			if it.Answer == "" && it.Note == "" {
				continue
			}
			view.Answers = append(view.Answers, exportAnswer{Section: sec.Section.ID, Question: it.Q.ID, Text: it.Q.Text.In(lang), Answer: it.Answer, Note: it.Note})
		}
	}
	viewJSON, err := json.Marshal(view)
	if err != nil {
		return nil, err
	}
	p := screening.ExportPayload{
		RecordID: d.Rec.ID, Version: d.Rec.Versions, HeadHash: d.Rec.HeadHash,
		ExportedAt: time.Now().UTC().Truncate(time.Second), ExportedBy: currentUser(r).Email,
		Record: d.raw, View: viewJSON,
	}
	for i, v := range d.chain {
		p.Versions = append(p.Versions, screening.ExportVersion{Number: v.Number, Hash: v.Hash, PrevHash: v.PrevHash, Reason: screening.VersionReason(v),
			SavedAt: d.Versions[i].SavedAt.UTC(), NotesErased: d.Versions[i].NotesErased})
	}
	return screening.SignExport(s.Vault, p)
}

// handleScreeningExport sends the signed JSON export (screening.SignedExport.JSON).
func (s *Server) handleScreeningExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.openRecord(r, "export", "json")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	signed, err := s.signRecord(r, d)
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="screening-`+d.Rec.ID+`.json"`)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(signed.JSON())
}

// handleScreeningKeys publishes the public keys that sign exports, the
// current one first, so a copy can be checked without the server: one
// "ed25519:<base64>" line each. Not found when the server has no key.
func (s *Server) handleScreeningKeys(w http.ResponseWriter, r *http.Request) {
	if s.Vault == nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "This server signs no screening exports."))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, k := range s.Vault.SigningPublicKeys() {
		fmt.Fprintln(w, vault.PublicKeyText(k))
	}
}

// handleScreeningHold places or releases a legal hold.
func (s *Server) handleScreeningHold(w http.ResponseWriter, r *http.Request) {
	id, ok := s.superviseRecord(w, r)
	if !ok {
		return
	}
	hold := r.PostForm.Get("hold") != "release"
	if err := s.Records.HoldScreening(r.Context(), currentUser(r).Email, id, hold, r.PostForm.Get("reason")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/screening/records/"+id, http.StatusSeeOther)
}

// handleScreeningDelete deletes a record, with the reason.
func (s *Server) handleScreeningDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.superviseRecord(w, r)
	if !ok {
		return
	}
	if r.PostForm.Get("confirm") != "1" {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Tick the box to confirm that the record is to be deleted for good."))
		return
	}
	if err := s.Records.DeleteScreening(r.Context(), currentUser(r).Email, id, r.PostForm.Get("reason")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/screening/records?deleted=1", http.StatusSeeOther)
}

// superviseRecord checks that the signed-in user supervises records and
// reads the form; it answers the request itself when not.
func (s *Server) superviseRecord(w http.ResponseWriter, r *http.Request) (string, bool) {
	if !haven.MaySupervise(currentUser(r), s.AdminsReadScreenings) {
		s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "Only records supervisors may place legal holds or delete records."))
		return "", false
	}
	if s.Records == nil {
		s.renderError(w, r, errNoKey)
		return "", false
	}
	id := r.PathValue("id")
	if !validRecordID(id) {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No screening record %s.", id))
		return "", false
	}
	if !s.parseForm(w, r, 16<<10) {
		return "", false
	}
	return id, true
}

// handleScreeningAmend reopens a saved format-2 record in the interview,
// so its author can correct or complete it; saving makes a new version.
func (s *Server) handleScreeningAmend(w http.ResponseWriter, r *http.Request) {
	d, err := s.openRecord(r, "view", "amend")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	draft, err := screening.DraftOf(d.Content)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !d.MayAmend {
		s.renderError(w, r, haven.Errorf(haven.EFORBIDDEN, "Only the interviewer who saved this record may amend it."))
		return
	}
	draft.Record = d.Rec.ID
	ref, err := s.storeDraft(r.Context(), currentUser(r), draft, interviewRef{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, ref.StepURL(stepIntro), http.StatusSeeOther)
}
