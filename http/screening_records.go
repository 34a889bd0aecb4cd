package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"haven"
	"haven/screening"
	"haven/vault"
)

// Saved screening records. Only screeners (and admins) reach these routes;
// a record opens only for its author and admins; every save, view and
// export is written to the audit trail. The content is sealed by package
// vault before it reaches the store, under the server's secret key.

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
	Records []*haven.ScreeningRecord
	All     bool // an admin's view of everyone's records
	NoKey   bool
}

func (s *Server) handleScreeningRecords(w http.ResponseWriter, r *http.Request) {
	if s.Records == nil {
		s.renderError(w, r, errNoKey)
		return
	}
	u := currentUser(r)
	author := u.ID
	if u.Role == haven.RoleAdmin {
		author = ""
	}
	recs, err := s.Records.ListScreenings(r.Context(), author, 500)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "screening", recordsData{Records: recs, All: author == "", NoKey: s.Vault == nil})
	p.Title = p.L.T("records.title")
	s.render(w, r, http.StatusOK, "screening_records", p)
}

// recordVersion is one version as a record page lists it.
type recordVersion struct {
	Number  int
	Hash    string
	Reason  string
	SavedAt time.Time
}

type recordData struct {
	Rec      *haven.ScreeningRecord
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
	if !rec.MayOpen(u) {
		return nil, haven.Errorf(haven.EFORBIDDEN, "Only the interviewer who saved this record, and administrators, may open it.")
	}
	if len(versions) == 0 {
		return nil, haven.Errorf(haven.EINTERNAL, "screening record %s has no versions", id)
	}
	// Audit before showing anything: a read that cannot be recorded does
	// not happen.
	if err := s.Records.LogScreeningAccess(r.Context(), u.Email, action, id, field); err != nil {
		return nil, err
	}
	d := &recordData{Rec: rec, Bank: s.Screening, MayAmend: rec.MayAmend(u), Intact: true, chain: versions}
	if breaks := vault.VerifyChain(versions); len(breaks) > 0 {
		d.Intact, d.Problem = false, breaks[0].Reason
	}
	head := versions[len(versions)-1]
	if head.Number != rec.Versions || head.Hash != rec.HeadHash {
		d.Intact, d.Problem = false, "the record row does not name the last version"
	}
	content, err := screening.Open(s.Vault, head)
	if err != nil {
		if errors.Is(err, vault.ErrUnknownKey) {
			return nil, haven.Errorf(haven.EUNAVAILABLE, "This record was sealed with a key this server does not hold. Add the old key below the current one in the key file.")
		}
		return nil, haven.Errorf(haven.EINTERNAL, "screening record %s: %v", id, err)
	}
	d.Content = content
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
		d.Versions = append(d.Versions, recordVersion{Number: v.Number, Hash: v.Hash, Reason: screening.VersionReason(v), SavedAt: savedAt[v.Number]})
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
	p := s.newPage(r, "", "screening", d)
	p.Title = p.L.T("records.record")
	s.render(w, r, http.StatusOK, "screening_record", p)
}

// recordExport is the JSON export. Its hash is the head version's: anyone
// can later ask Haven (haven screening verify, or an admin opening the
// record) whether the record still has that head.
type recordExport struct {
	RecordID   string          `json:"record_id"`
	Version    int             `json:"version"`
	Hash       string          `json:"hash"`
	HashAlg    string          `json:"hash_algorithm"`
	Exported   time.Time       `json:"exported"`
	ExportedBy string          `json:"exported_by"`
	Versions   []exportVersion `json:"versions"`
	Record     exportContent   `json:"record"`
	Result     exportResult    `json:"result"`
	Disclaimer string          `json:"disclaimer"`
	// Interview is a format-2 record's full content as saved.
	Interview *screening.Interview `json:"interview,omitempty"`
}

type exportVersion struct {
	Number   int       `json:"number"`
	Hash     string    `json:"hash"`
	PrevHash string    `json:"prev_hash,omitempty"`
	Reason   string    `json:"reason"`
	SavedAt  time.Time `json:"saved_at"`
}

type exportContent struct {
	Interviewer    string         `json:"interviewer"`
	Started        time.Time      `json:"started"`
	Saved          time.Time      `json:"saved"`
	Language       string         `json:"language"`
	Interpreter    bool           `json:"interpreter"`
	PersonLanguage string         `json:"person_language,omitempty"`
	Place          string         `json:"place,omitempty"`
	Reference      string         `json:"reference,omitempty"`
	Answers        []exportAnswer `json:"answers"`
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

func (s *Server) handleScreeningExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.openRecord(r, "export", "json")
	if err != nil {
		writeJSONError(w, r, s.Logger, err)
		return
	}
	lang := d.Content.Language
	c := d.Content
	out := recordExport{
		RecordID: d.Rec.ID, Version: d.Rec.Versions, Hash: d.Rec.HeadHash, HashAlg: "SHA-256 (haven/vault/version/v1)",
		Exported: time.Now().UTC().Truncate(time.Second), ExportedBy: currentUser(r).Email,
		Record: exportContent{Interviewer: c.Interviewer, Started: c.Started, Saved: c.Saved, Language: c.Language,
			Interpreter: c.Interpreter, PersonLanguage: c.PersonLanguage, Place: c.Place, Reference: c.Reference},
		Result:     exportResult{Level: string(d.Result.Level), Summary: d.Result.Summary(lang), Labor: d.Result.Labor, Sex: d.Result.Sex, Urgent: d.Result.Urgent, Minor: d.Result.Minor},
		Disclaimer: s.Screening.Disclaimer.In(lang),
	}
	for i, v := range d.chain {
		out.Versions = append(out.Versions, exportVersion{Number: v.Number, Hash: v.Hash, PrevHash: v.PrevHash, Reason: screening.VersionReason(v), SavedAt: d.Versions[i].SavedAt})
	}
	if iv := c.Interview; iv != nil {
		out.Interview = iv
		out.Result = exportResult{Level: string(iv.Result.Level), Summary: iv.Shown.Summary, Labor: iv.Result.Labor, Sex: iv.Result.Sex, Minor: iv.Result.Child}
		out.Disclaimer = iv.Shown.Disclaimer
		for _, it := range iv.Items {
			if it.Answer == "" && it.Note == "" {
				continue
			}
			out.Record.Answers = append(out.Record.Answers, exportAnswer{Section: it.Section, Question: it.ID, Text: it.Text, Answer: string(it.Answer), Note: it.Note})
		}
	}
	for _, sec := range d.Sections {
		for _, it := range sec.Items {
			if it.Answer == "" && it.Note == "" {
				continue
			}
			out.Record.Answers = append(out.Record.Answers, exportAnswer{Section: sec.Section.ID, Question: it.Q.ID, Text: it.Q.Text.In(lang), Answer: it.Answer, Note: it.Note})
		}
	}
	w.Header().Set("Content-Disposition", `attachment; filename="screening-`+d.Rec.ID+`.json"`)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(out)
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
