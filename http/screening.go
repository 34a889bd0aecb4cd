package http

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/i18n"
	"haven/screening"
	"haven/vault"
)

// The screening interview is a series of pages, one step each, after a
// POST-redirect-GET: Back, Forward and reload never resend a form. Between
// steps the interview is kept sealed: on the server, under the secret key,
// for a signed-in screener (so that it can be saved), and otherwise in the
// page itself, as an opaque token sealed under a key that lives only in
// this process (so that the server keeps nothing of an anonymous
// interview). Signing in mid-way moves the interview to the server without
// asking anything again. Answers never appear in a log line or a cookie.

// Steps other than the bank's sections.
const (
	stepIntro  = "intro"
	stepPerson = "person"
	stepResult = "result"
)

const (
	pageDraftTTL = 4 * time.Hour // how long an anonymous interview's token opens
	maxForm      = 256 << 10
)

// interviewRef names where an interview is kept: a server draft's id or a
// page token. Exactly one is set.
type interviewRef struct{ Draft, Token string }

// query is the reference as URL query parameters.
func (ref interviewRef) query() string {
	if ref.Draft != "" {
		return "draft=" + ref.Draft
	}
	return "d=" + ref.Token
}

// StepURL is the address of a step of the interview ref names.
func (ref interviewRef) StepURL(step string) string {
	return "/screening/interview/" + step + "?" + ref.query()
}

// keepsDrafts reports whether u's interviews are kept on the server.
func (s *Server) keepsDrafts(u *haven.User) bool {
	return u.Can(haven.RoleScreener) && s.Vault != nil && s.Drafts != nil
}

func validDraftID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}

func draftAD(authorID, id string) []byte {
	return []byte("haven/screening/draft|" + authorID + "|" + id)
}

var errNoInterview = haven.Errorf(haven.ENOTFOUND, "There is no interview in progress here. Start one from the screening page.")

// loadDraft reads the interview a request names in q. A page token met by
// a screener who can keep drafts is moved to the server.
func (s *Server) loadDraft(r *http.Request, q url.Values) (screening.Draft, interviewRef, error) {
	u := currentUser(r)
	if id := q.Get("draft"); id != "" {
		if !validDraftID(id) || !s.keepsDrafts(u) {
			return screening.Draft{}, interviewRef{}, errNoInterview
		}
		text, err := s.Drafts.FindScreeningDraft(r.Context(), u.ID, id)
		if err != nil {
			return screening.Draft{}, interviewRef{}, err
		}
		sealed, err := vault.DecodeSealed(text)
		if err != nil {
			return screening.Draft{}, interviewRef{}, haven.Errorf(haven.EINTERNAL, "screening draft %s: %v", id, err)
		}
		pt, err := s.Vault.Open(sealed, draftAD(u.ID, id))
		if err != nil {
			return screening.Draft{}, interviewRef{}, errNoInterview
		}
		defer clear(pt)
		d, err := screening.DecodeDraft(pt)
		if err != nil {
			return screening.Draft{}, interviewRef{}, haven.Errorf(haven.EINTERNAL, "screening draft %s: %v", id, err)
		}
		return d, interviewRef{Draft: id}, nil
	}
	tok := q.Get("d")
	if tok == "" {
		return screening.Draft{}, interviewRef{}, errNoInterview
	}
	d, err := screening.OpenPageDraft(s.draftAEAD, tok, time.Now())
	if err != nil {
		return screening.Draft{}, interviewRef{}, err
	}
	if err := s.Screening2.CheckDraft(d); err != nil {
		return screening.Draft{}, interviewRef{}, err
	}
	if s.keepsDrafts(u) {
		ref, err := s.storeDraft(r.Context(), u, d, interviewRef{})
		return d, ref, err
	}
	return d, interviewRef{Token: tok}, nil
}

// storeDraft keeps d where u's interviews are kept and returns its
// reference; ref is where it was before.
func (s *Server) storeDraft(ctx context.Context, u *haven.User, d screening.Draft, ref interviewRef) (interviewRef, error) {
	if !s.keepsDrafts(u) {
		tok, err := screening.SealPageDraft(s.draftAEAD, d, time.Now(), pageDraftTTL)
		return interviewRef{Token: tok}, err
	}
	id := ref.Draft
	if id == "" {
		var b [16]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	pt, err := encodeDraft(d)
	if err != nil {
		return interviewRef{}, err
	}
	defer clear(pt)
	sealed, err := s.Vault.Seal(pt, draftAD(u.ID, id))
	if err != nil {
		return interviewRef{}, err
	}
	if err := s.Drafts.PutScreeningDraft(ctx, u.ID, id, sealed.Encode()); err != nil {
		return interviewRef{}, err
	}
	return interviewRef{Draft: id}, nil
}

// stepRank orders every possible step: intro, the sections in bank order,
// the person's details, the result.
func (s *Server) stepRank(step string) (int, bool) {
	switch step {
	case stepIntro:
		return 0, true
	case stepPerson:
		return 1000, true
	case stepResult:
		return 1001, true
	}
	for i, sec := range s.Screening2.Sections {
		if sec.ID == step {
			return i + 1, true
		}
	}
	return 0, false
}

// screened reports whether the questions may be asked: the person agreed
// and it is safe to talk.
func screened(d screening.Draft) bool { return d.Consent.Screen == "yes" && d.SafeToTalk != "no" }

// interviewSteps lists the steps d goes through, result excluded: the
// sections that apply to it hold at least one question that applies.
func (s *Server) interviewSteps(d screening.Draft) []string {
	steps := []string{stepIntro}
	if screened(d) {
		b := s.Screening2
		child := b.ChildPath(d.Answers, d.Appears)
		for _, sec := range b.Steps(child) {
			for _, q := range b.SectionQuestions(sec.ID) {
				if b.Asked(q, d.Answers, child) {
					steps = append(steps, sec.ID)
					break
				}
			}
		}
	}
	return append(steps, stepPerson)
}

// neighbour returns the step after (dir 1) or before (dir -1) step, or ""
// before the first.
func (s *Server) neighbour(d screening.Draft, step string, dir int) string {
	rank, _ := s.stepRank(step)
	steps := append(s.interviewSteps(d), stepResult)
	if dir > 0 {
		for _, st := range steps {
			if r, _ := s.stepRank(st); r > rank {
				return st
			}
		}
		return stepResult
	}
	prev := ""
	for _, st := range steps {
		if r, _ := s.stepRank(st); r < rank {
			prev = st
		}
	}
	return prev
}

type interviewItem struct {
	Q      screening.Question2
	Text   string // in the language asked
	Answer string
	Note   string
	Kind   string
}

type nextStep struct {
	Key  string // i18n key: Key+".h" the heading, Key the body
	Link string // a learning page or tool, or ""
}

type interviewData struct {
	Bank    *screening.Bank2
	D       screening.Draft
	Ref     interviewRef
	Step    string
	Number  int
	Steps   int
	Section *screening.Section2
	Items   []interviewItem
	Needs   []string // urgent needs found so far
	Appears string
	Modes   []string
	Langs   []langOption
	// SignIn is the sign-in link that comes back to this page, for
	// someone not signed in.
	SignIn  string
	CanKeep bool
	// MissingConsent asks for the consent to screen, yes or no.
	MissingConsent bool

	Result    *screening.Result2
	Labor     []interviewItem
	Sex       []interviewItem
	Both      []interviewItem
	Unsure    []interviewItem
	NextSteps []nextStep
	Cards     []serviceCard
	NoPlace   bool
	PlaceErr  string
	Sheet     string
	CanSave   bool
	NoKey     bool
}

type langOption struct{ Code, Name string }

// personLanguages are the languages offered for the person, with English
// and Spanish first.
var personLanguages = []string{"en", "es", "ar", "bn", "fr", "ht", "hi", "ko", "pl", "pt", "ru", "so", "sw", "tl", "uk", "vi", "zh"}

func (s *Server) handleScreeningGuide(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "screening", interviewData{Bank: s.Screening2, CanSave: currentUser(r).Can(haven.RoleScreener), NoKey: s.Vault == nil})
	p.Title = p.L.T("screening.title")
	s.render(w, r, http.StatusOK, "screening_guide", p)
}

// handleScreeningStart begins an interview and sends the browser to its
// first step.
func (s *Server) handleScreeningStart(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 16<<10) {
		return
	}
	lang := r.PostForm.Get("qlang")
	if lang == "" {
		lang = i18n.FromRequest(r)
	}
	if lang != "en" && lang != "es" {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "Choose English or Spanish for the questions."))
		return
	}
	d := screening.NewDraft(lang, time.Now())
	ref, err := s.storeDraft(r.Context(), currentUser(r), d, interviewRef{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, ref.StepURL(stepIntro), http.StatusSeeOther)
}

// handleInterviewPage shows one step of the interview, or its result.
func (s *Server) handleInterviewPage(w http.ResponseWriter, r *http.Request) {
	step := r.PathValue("step")
	if _, ok := s.stepRank(step); !ok {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No such step of the interview."))
		return
	}
	d, ref, err := s.loadDraft(r, r.URL.Query())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if r.URL.Query().Get("d") != "" && ref.Draft != "" {
		// Signed in mid-way: the interview now lives on the server.
		http.Redirect(w, r, ref.StepURL(step), http.StatusSeeOther)
		return
	}
	u := currentUser(r)
	p := s.newPage(r, "", "screening", nil)
	p.Title = p.L.T("screening.title")
	data := interviewData{Bank: s.Screening2, D: d, Ref: ref, Step: step, CanKeep: s.keepsDrafts(u),
		Modes: screening.InterpreterModes, Appears: string(d.Appears)}
	if u == nil {
		data.SignIn = "/signin?next=" + url.QueryEscape(ref.StepURL(step))
	}
	if res, err := s.Screening2.Score2(d.Answers, d.Appears); err == nil {
		data.Needs = res.Needs
	}
	if step == stepResult {
		s.interviewResult(w, r, p, &data)
		return
	}
	steps := s.interviewSteps(d)
	i := slices.Index(steps, step)
	if i < 0 {
		// The answers changed the path: go to the step that now follows.
		http.Redirect(w, r, ref.StepURL(s.neighbour(d, step, 1)), http.StatusSeeOther)
		return
	}
	data.Number, data.Steps = i+1, len(steps)
	data.MissingConsent = step == stepIntro && r.URL.Query().Get("missing") == "consent"
	if d.Consent.Screen == "" && d.SafeToTalk != "no" {
		// Before consent is given, count the steps it would open.
		would := d
		would.Consent.Screen = "yes"
		data.Steps = len(s.interviewSteps(would))
	}
	for _, code := range personLanguages {
		data.Langs = append(data.Langs, langOption{code, languageName(code, p.Lang)})
	}
	if sec, ok := s.Screening2.Section(step); ok {
		data.Section = &sec
		child := s.Screening2.ChildPath(d.Answers, d.Appears)
		for _, q := range s.Screening2.SectionQuestions(step) {
			if !s.Screening2.Asked(q, d.Answers, child) {
				continue
			}
			n := d.Notes[q.ID]
			kind := n.Kind
			if kind == "" {
				kind = screening.NoteSummary
			}
			data.Items = append(data.Items, interviewItem{Q: q, Text: q.Text.In(d.Language), Answer: string(d.Answers[q.ID]), Note: n.Text, Kind: kind})
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "screening_step", p)
}

// formText reads a short text field: trimmed, valid UTF-8, at most max
// bytes.
func formText(f url.Values, name string, max int) string {
	return cutBytes(strings.ToValidUTF8(strings.TrimSpace(f.Get(name)), ""), max)
}

// oneOf reads a field that must be one of allowed ("" included when
// allowed holds it); anything else is an error naming the field.
func oneOf(f url.Values, name string, allowed ...string) (string, error) {
	v := f.Get(name)
	if !slices.Contains(allowed, v) {
		return "", haven.Errorf(haven.EINVALID, "The field %s has a value the form does not offer.", name)
	}
	return v, nil
}

// applyStep copies the posted fields of step into d.
func (s *Server) applyStep(d *screening.Draft, step string, f url.Values) error {
	var err error
	pick := func(dst *string, name string, allowed ...string) {
		if err == nil {
			*dst, err = oneOf(f, name, allowed...)
		}
	}
	switch step {
	case stepIntro:
		if f.Get("qlang") != "" {
			pick(&d.Language, "qlang", "en", "es")
		}
		pick(&d.SafeToTalk, "safe_to_talk", "", "yes", "no")
		pick(&d.Interpreter.Mode, "interp_mode", append([]string{""}, screening.InterpreterModes...)...)
		pick(&d.Consent.Screen, "consent_screen", "", "yes", "no")
		pick(&d.Consent.Save, "consent_save", "", "yes", "no")
		pick(&d.Consent.Share, "consent_share", "", "yes", "no")
		d.SafeContact = formText(f, "safe_contact", screening.MaxShort)
		d.Interpreter.Name = formText(f, "interp_name", screening.MaxShort)
		if d.Interpreter.Mode == "" {
			d.Interpreter.Name = ""
		}
		d.Interviewer = screening.Interviewer{Name: formText(f, "iv_name", screening.MaxShort),
			Agency: formText(f, "iv_agency", screening.MaxShort), Role: formText(f, "iv_role", screening.MaxShort)}
	case stepPerson:
		d.Place = formText(f, "place", screening.MaxPlace)
		pick(&d.PersonLanguage, "plang", append([]string{""}, personLanguages...)...)
		d.ForeignBorn = f.Get("foreign_born") == "yes"
		d.Reference = formText(f, "reference", screening.MaxReference)
	default:
		if _, ok := s.Screening2.Section(step); !ok {
			return haven.Errorf(haven.ENOTFOUND, "No such step of the interview.")
		}
		for _, q := range s.Screening2.SectionQuestions(step) {
			if _, posted := f["a_"+q.ID]; !posted && f.Get("n_"+q.ID) == "" {
				continue // not on the page: a branch closed it
			}
			a, perr := screening.ParseAnswer(f.Get("a_" + q.ID))
			if perr != nil {
				return haven.Errorf(haven.EINVALID, "An answer could not be read.")
			}
			if a == screening.NotAsked {
				delete(d.Answers, q.ID)
			} else {
				d.Answers[q.ID] = a
			}
			kind := f.Get("k_" + q.ID)
			if kind != screening.NoteQuote {
				kind = screening.NoteSummary
			}
			if n := strings.TrimSpace(strings.ToValidUTF8(f.Get("n_"+q.ID), "")); n != "" {
				d.Notes[q.ID] = screening.Note{Text: cutBytes(n, screening.MaxNote), Kind: kind}
			} else {
				delete(d.Notes, q.ID)
			}
		}
		if step == s.Screening2.AgeQuestion().Section {
			var ap string
			pick(&ap, "appears", "", string(screening.AppearsMinor), string(screening.AppearsAdult))
			d.Appears = screening.Appearance(ap)
		}
	}
	return err
}

// handleInterviewPost takes the answers of one step, keeps them, and
// redirects to the step asked for.
func (s *Server) handleInterviewPost(w http.ResponseWriter, r *http.Request) {
	step := r.PathValue("step")
	if _, ok := s.stepRank(step); !ok || step == stepResult {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "No such step of the interview."))
		return
	}
	if !s.parseForm(w, r, maxForm) {
		return
	}
	d, ref, err := s.loadDraft(r, r.PostForm)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.applyStep(&d, step, r.PostForm); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.Screening2.CheckDraft(d); err != nil {
		s.renderError(w, r, err)
		return
	}
	next := ""
	switch r.PostForm.Get("go") {
	case "back":
		next = s.neighbour(d, step, -1)
	case "pause":
		next = stepResult
	default:
		next = s.neighbour(d, step, 1)
	}
	// Consent to screen must be recorded, yes or no, before going on;
	// the first step comes back with everything else kept.
	missing := step == stepIntro && next != "" && next != stepResult && d.Consent.Screen == "" && d.SafeToTalk != "no"
	if missing {
		next = stepIntro
	}
	if next == stepResult {
		d.Ended = time.Now().UTC().Truncate(time.Second)
	}
	ref, err = s.storeDraft(r.Context(), currentUser(r), d, ref)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if next == "" {
		http.Redirect(w, r, "/screening", http.StatusSeeOther)
		return
	}
	if missing {
		http.Redirect(w, r, ref.StepURL(next)+"&missing=consent", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, ref.StepURL(next), http.StatusSeeOther)
}

// needCategories are the directory categories that meet each need or path,
// in the order they are searched.
var needCategories = map[string][]string{
	screening.NeedDanger:  {"crisis-hotline"},
	screening.NeedMedical: {"medical-care"},
	screening.NeedShelter: {"shelter", "housing", "crisis-hotline"},
	screening.NeedWaiting: {"case-management"},
	"child":               {"youth-services"},
	"foreign-born":        {"immigration-legal"},
	"arrests":             {"legal-services"},
	screening.Labor:       {"labor-rights", "legal-services", "case-management"},
	screening.Sex:         {"case-management", "mental-health", "legal-services"},
	"both":                {"case-management", "legal-services"},
	"none":                {"case-management"},
}

// nextSteps lists the next steps that fit the result, in order.
func nextSteps(d screening.Draft, res screening.Result2) []nextStep {
	var out []nextStep
	if res.Child {
		out = append(out, nextStep{Key: "screening.step.child", Link: "/learn/confidentiality-consent-task-forces"},
			nextStep{Key: "screening.step.ncmec"})
		if d.ForeignBorn {
			out = append(out, nextStep{Key: "screening.step.rfa", Link: "/learn/services-and-immigration-relief"})
		}
	} else if d.ForeignBorn {
		out = append(out, nextStep{Key: "screening.step.tvisa", Link: "/learn/services-and-immigration-relief"},
			nextStep{Key: "screening.step.cp", Link: "/learn/services-and-immigration-relief"},
			nextStep{Key: "screening.step.hhs", Link: "/learn/services-and-immigration-relief"},
			nextStep{Key: "screening.step.immlegal", Link: "/learn/services-and-immigration-relief"})
	}
	if res.ChildrenPresent && !res.Child {
		out = append(out, nextStep{Key: "screening.step.others", Link: "/learn/confidentiality-consent-task-forces"})
	}
	if res.PastArrests {
		out = append(out, nextStep{Key: "screening.step.vacatur", Link: "/learn/services-and-immigration-relief"})
	}
	if len(res.Needs) > 0 {
		out = append(out, nextStep{Key: "screening.step.needs", Link: "/learn/immediate-needs"})
	}
	out = append(out, nextStep{Key: "screening.step.police", Link: "/learn/confidentiality-consent-task-forces"},
		nextStep{Key: "screening.step.learn", Link: "/learn/force-fraud-coercion"})
	return out
}

// resultCategories lists the directory categories to search for res,
// needs first.
func resultCategories(d screening.Draft, res screening.Result2) []string {
	var keys []string
	keys = append(keys, res.Needs...)
	if res.Child {
		keys = append(keys, "child")
	}
	if d.ForeignBorn {
		keys = append(keys, "foreign-born")
	}
	if res.PastArrests {
		keys = append(keys, "arrests")
	}
	if len(res.Labor) > 0 {
		keys = append(keys, screening.Labor)
	}
	if len(res.Sex) > 0 {
		keys = append(keys, screening.Sex)
	}
	if len(res.Both) > 0 {
		keys = append(keys, "both")
	}
	if len(keys) == 0 {
		keys = append(keys, "none")
	}
	var cats []string
	for _, k := range keys {
		for _, c := range needCategories[k] {
			if !slices.Contains(cats, c) {
				cats = append(cats, c)
			}
		}
	}
	return cats
}

// providers finds services near d's place that meet the result's needs,
// in the person's language where any do, nearest first. Without a place
// it finds none: a worldwide list helps no one.
func (s *Server) providers(r *http.Request, p *page, d screening.Draft, res screening.Result2, data *interviewData) error {
	if strings.TrimSpace(d.Place) == "" {
		data.NoPlace = true
		return nil
	}
	near, err := haven.ParsePlace(placeNear(d.Place), placePostcode(d.Place))
	if err != nil || near == nil {
		data.PlaceErr = haven.ErrorMessage(err)
		data.NoPlace = true
		return nil
	}
	if s.Directory == nil {
		return nil
	}
	country := ""
	if placeNear(d.Place) == "" {
		country = "US" // a ZIP code: never suggest a service across a border
	}
	seen := map[string]bool{}
	var hits []haven.DirectoryHit
	for _, cat := range resultCategories(d, res) {
		for _, lang := range []string{d.PersonLanguage, ""} {
			f := haven.DirectoryFilter{Category: cat, Language: lang, Country: country, Near: near, RadiusKm: 150, Limit: 3}
			got, err := s.searchDirectory(r.Context(), f)
			if err != nil {
				return err
			}
			n := 0
			for _, h := range got.Hits {
				if !seen[h.ServiceID] && (country == "" || h.Country == "" || h.Country == country) {
					seen[h.ServiceID] = true
					hits = append(hits, h)
					n++
				}
			}
			if n > 0 || lang == "" {
				break
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i].DistanceKm, hits[j].DistanceKm
		return a != nil && (b == nil || *a < *b)
	})
	if len(hits) > 8 {
		hits = hits[:8]
	}
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ServiceID
	}
	svcs, err := s.Directory.FindServicesByID(r.Context(), ids)
	if err != nil {
		return err
	}
	data.Cards = hitCards(p.L, hits, svcs, s.cardClock())
	// Miles for a U.S. ZIP code, as on the directory; a point goes by the
	// page's language.
	units := haven.DistanceUnits(haven.DirectoryFilter{}, p.Lang)
	if country == "US" {
		units = "mi"
	}
	setDistances(p.L, data.Cards, hits, units)
	data.Sheet = "/referral?" + sheetQuery(ids)
	return nil
}

func (s *Server) interviewResult(w http.ResponseWriter, r *http.Request, p *page, data *interviewData) {
	d := data.D
	res, err := s.Screening2.Score2(d.Answers, d.Appears)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	data.Result = &res
	item := func(id string) interviewItem {
		q, _ := s.Screening2.Question(id)
		n := d.Notes[id]
		return interviewItem{Q: q, Text: q.Text.In(p.Lang), Answer: string(d.Answers[id]), Note: n.Text, Kind: n.Kind}
	}
	for _, id := range res.Labor {
		data.Labor = append(data.Labor, item(id))
	}
	for _, id := range res.Sex {
		data.Sex = append(data.Sex, item(id))
	}
	for _, id := range res.Both {
		data.Both = append(data.Both, item(id))
	}
	child := res.Child
	for _, q := range s.Screening2.Questions {
		if q.Weight == screening.Core && s.Screening2.Asked(q, d.Answers, child) && d.Answers[q.ID] == screening.Unsure {
			data.Unsure = append(data.Unsure, item(q.ID))
		}
	}
	data.NextSteps = nextSteps(d, res)
	if err := s.providers(r, p, d, res, data); err != nil {
		s.renderError(w, r, err)
		return
	}
	u := currentUser(r)
	data.CanSave = u.Can(haven.RoleScreener)
	data.NoKey = s.Vault == nil || s.Records == nil
	p.Data = *data
	s.render(w, r, http.StatusOK, "screening_result", p)
}

// handleScreeningSave seals the interview in progress as a new record, or
// as a new version of the record it amends, and drops the draft.
func (s *Server) handleScreeningSave(w http.ResponseWriter, r *http.Request) {
	if s.Vault == nil || s.Records == nil {
		s.renderError(w, r, errNoKey)
		return
	}
	if !s.parseForm(w, r, maxForm) {
		return
	}
	d, ref, err := s.loadDraft(r, r.PostForm)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Consent.Save == "no" {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "The person did not agree to saving this interview, so it is not saved. Change the consent on the first step if they agree now."))
		return
	}
	if ref := formText(r.PostForm, "reference", screening.MaxReference); ref != "" && d.Record == "" {
		d.Reference = ref
	}
	u := currentUser(r)
	now := time.Now().UTC()
	if d.Ended.IsZero() {
		d.Ended = now
	}
	res, err := s.Screening2.Score2(d.Answers, d.Appears)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l := i18n.New(d.Language)
	var shown []string
	for _, st := range nextSteps(d, res) {
		shown = append(shown, l.T(st.Key+".h"))
	}
	rec, err := s.Screening2.RecordOf(d, u.Email, u.ID, d.Ended, now, shown)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := screening.CheckRecord(rec); err != nil {
		s.renderError(w, r, err)
		return
	}
	action, reason := "save", screening.ReasonSave
	if d.Record != "" {
		action, reason = "amend", screening.ReasonAmend
	}
	pt, err := rec.Encode()
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	defer clear(pt)
	// The notes are sealed apart, so that with the minimal-notes setting an
	// amendment erases those of earlier versions (see screening.SealSplit).
	seal := screening.SealSplit(s.Vault, pt, reason, rec.Saved, s.ScreeningMinimalNotes && d.Record != "")
	saved, err := s.Records.SaveScreening(r.Context(), u.Email, action, u.ID, d.Record, haven.ScreeningSeal(seal))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if ref.Draft != "" {
		if err := s.Drafts.DeleteScreeningDraft(r.Context(), u.ID, ref.Draft); err != nil {
			s.log(r.Context()).Error("screening: delete draft", "err", err)
		}
	}
	http.Redirect(w, r, "/screening/records/"+saved.ID+"?saved=1", http.StatusSeeOther)
}

// cutBytes cuts s to at most n bytes without splitting a character.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func placeNear(place string) string {
	if strings.Contains(place, ",") {
		return place
	}
	return ""
}

func placePostcode(place string) string {
	if !strings.Contains(place, ",") {
		return place
	}
	return ""
}

// encodeDraft is a draft's plaintext, to seal.
func encodeDraft(d screening.Draft) ([]byte, error) { return json.Marshal(d) }

// screeningQuestion is one bank-1 question of a format-1 record, with its
// answer and note.
type screeningQuestion struct {
	Q      screening.Question
	Answer string
	Note   string
}

type hiddenField struct{ Name, Value string }

// allAnswers lists a format-1 record's answers and notes as form fields.
func (s *Server) allAnswers(answers screening.Answers, notes map[string]string) []hiddenField {
	var out []hiddenField
	for _, q := range s.Screening.Questions {
		if a := answers[q.ID]; a != "" {
			out = append(out, hiddenField{"a_" + q.ID, string(a)})
		}
		if n := notes[q.ID]; n != "" {
			out = append(out, hiddenField{"n_" + q.ID, n})
		}
	}
	return out
}

// newProcessAEAD makes an AES-256-GCM key that lives only in this process.
func newProcessAEAD() cipher.AEAD {
	var key [32]byte
	rand.Read(key[:])
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// askedSection is one section of a format-2 record, as asked.
type askedSection struct {
	Title string
	Items []screening.AskedItem
}

// askedSections groups a record's items by section, in the order asked.
func askedSections(items []screening.AskedItem) []askedSection {
	out := []askedSection{}
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1].Title != it.SectionTitle {
			out = append(out, askedSection{Title: it.SectionTitle})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

// consentOf returns the consent named c ("screen", "save", "share").
func consentOf(d screening.Draft, c string) string {
	switch c {
	case "screen":
		return d.Consent.Screen
	case "save":
		return d.Consent.Save
	case "share":
		return d.Consent.Share
	}
	return ""
}

type itemsData struct {
	P     *page
	Items []interviewItem
}
