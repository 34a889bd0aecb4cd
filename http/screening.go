package http

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/screening"
)

// The screening interview runs anonymously and keeps nothing: the answers
// travel in the form itself, posted from step to step, so they are never in
// a URL, a log line, a cookie or the database.

// screeningNeeds are the directory categories that fit each kind of
// indicator, for the result's referrals.
var screeningNeeds = map[string][]string{
	screening.Labor: {"labor-rights", "legal-services", "case-management"},
	screening.Sex:   {"shelter", "mental-health", "medical-care"},
	"minor":         {"youth-services"},
	"none":          {"case-management"},
}

type screeningQuestion struct {
	Q      screening.Question
	Answer string
	Note   string
}

type screeningData struct {
	Bank     *screening.Bank
	Step     int // 1..len(sections) for sections, len+1 for the person's details
	Steps    int
	Section  *screening.Section
	Items    []screeningQuestion
	Hidden   []hiddenField // answers and notes of the other steps
	Place    string
	Language string
	Result   *screening.Result
	Labor    []screeningQuestion
	Sex      []screeningQuestion
	Urgent   []screeningQuestion
	Unsure   []screeningQuestion
	Referral []serviceCard
	Sheet    string
	Error    string
	// Carried from step to step: when the interview began, whether an
	// interpreter took part, and, when amending a saved record, its ID and
	// the screener's case reference.
	Started     string
	Interpreter bool
	Record      string
	Reference   string
	// All holds every answer and note, for the result page's forms.
	All []hiddenField
	// CanSave is true for screeners; NoKey when the server cannot seal.
	CanSave bool
	NoKey   bool
}

type hiddenField struct{ Name, Value string }

func (s *Server) handleScreeningGuide(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "screening", screeningData{Bank: s.Screening, Steps: len(s.Screening.Sections) + 1,
		CanSave: currentUser(r).Can(haven.RoleScreener), NoKey: s.Vault == nil})
	p.Title = p.L.T("screening.title")
	s.render(w, r, http.StatusOK, "screening_guide", p)
}

// readAnswers takes the answers and notes out of a posted form; a bad value
// is an error, never a guess.
func (s *Server) readAnswers(r *http.Request) (screening.Answers, map[string]string, error) {
	answers, notes := screening.Answers{}, map[string]string{}
	for _, q := range s.Screening.Questions {
		a, err := screening.ParseAnswer(r.PostForm.Get("a_" + q.ID))
		if err != nil {
			return nil, nil, haven.Errorf(haven.EINVALID, "An answer could not be read.")
		}
		if a != screening.NotAsked {
			answers[q.ID] = a
		}
		if n := strings.TrimSpace(r.PostForm.Get("n_" + q.ID)); n != "" {
			notes[q.ID] = cutBytes(strings.ToValidUTF8(n, ""), screening.MaxNote)
		}
	}
	return answers, notes, nil
}

func (s *Server) handleScreeningStep(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 256<<10) {
		return
	}
	answers, notes, err := s.readAnswers(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	steps := len(s.Screening.Sections) + 1
	step, err := strconv.Atoi(r.PostForm.Get("step"))
	if err != nil || step < 1 {
		step = 1
	}
	switch r.PostForm.Get("go") {
	case "back":
		step--
	case "next":
		step++
	}
	step = max(1, step)
	p := s.newPage(r, "", "screening", nil)
	p.Title = p.L.T("screening.title")
	d := screeningData{Bank: s.Screening, Step: step, Steps: steps, Place: strings.TrimSpace(r.PostForm.Get("place")),
		Language: strings.ToLower(strings.TrimSpace(r.PostForm.Get("language")))}
	s.readCarried(r, &d)
	if step > steps {
		s.screeningResult(w, r, p, &d, answers, notes)
		return
	}
	s.fillStep(&d, answers, notes)
	p.Data = d
	s.render(w, r, http.StatusOK, "screening_step", p)
}

// fillStep puts the questions of step d.Step (none on the last, the
// person's details) on the page with their answers, and every other answer
// and note in hidden fields.
func (s *Server) fillStep(d *screeningData, answers screening.Answers, notes map[string]string) {
	var here map[string]bool
	if d.Step <= len(s.Screening.Sections) {
		sec := s.Screening.Sections[d.Step-1]
		d.Section = &sec
		here = map[string]bool{}
		for _, q := range s.Screening.SectionQuestions(sec.ID) {
			here[q.ID] = true
			d.Items = append(d.Items, screeningQuestion{Q: q, Answer: string(answers[q.ID]), Note: notes[q.ID]})
		}
	}
	for _, f := range s.allAnswers(answers, notes) {
		if !here[f.Name[2:]] {
			d.Hidden = append(d.Hidden, f)
		}
	}
}

// readCarried reads the fields every step carries. A missing or bad start
// time starts the clock now: it only ever describes this interview.
func (s *Server) readCarried(r *http.Request, d *screeningData) {
	f := r.PostForm
	if t, err := time.Parse(time.RFC3339, f.Get("started")); err == nil && !t.After(time.Now().Add(time.Minute)) {
		d.Started = t.UTC().Format(time.RFC3339)
	} else {
		d.Started = time.Now().UTC().Format(time.RFC3339)
	}
	d.Interpreter = f.Get("interpreter") == "yes"
	if id := f.Get("record"); validRecordID(id) {
		d.Record = id
	}
	d.Reference = cutBytes(strings.ToValidUTF8(strings.TrimSpace(f.Get("reference")), ""), screening.MaxReference)
	d.Place = cutBytes(strings.ToValidUTF8(d.Place, ""), screening.MaxPlace)
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

// allAnswers lists every answer and note as hidden form fields.
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

func (s *Server) screeningResult(w http.ResponseWriter, r *http.Request, p *page, d *screeningData, answers screening.Answers, notes map[string]string) {
	res, err := s.Screening.Score(answers)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Result = &res
	d.Step = d.Steps + 1
	d.All = s.allAnswers(answers, notes)
	d.CanSave = currentUser(r).Can(haven.RoleScreener)
	d.NoKey = s.Vault == nil
	item := func(id string) screeningQuestion {
		q, _ := s.Screening.Question(id)
		return screeningQuestion{Q: q, Answer: string(answers[id]), Note: notes[id]}
	}
	for _, id := range res.Labor {
		d.Labor = append(d.Labor, item(id))
	}
	for _, id := range res.Sex {
		d.Sex = append(d.Sex, item(id))
	}
	for _, id := range res.Urgent {
		d.Urgent = append(d.Urgent, item(id))
	}
	for _, id := range res.Unsure {
		d.Unsure = append(d.Unsure, item(id))
	}
	// Providers that fit the person's place, language and needs.
	var needs []string
	if res.Minor {
		needs = append(needs, screeningNeeds["minor"]...)
	}
	if len(res.Labor) > 0 {
		needs = append(needs, screeningNeeds[screening.Labor]...)
	}
	if len(res.Sex) > 0 {
		needs = append(needs, screeningNeeds[screening.Sex]...)
	}
	if len(needs) == 0 {
		needs = screeningNeeds["none"]
	}
	near, err := haven.ParsePlace(placeNear(d.Place), placePostcode(d.Place))
	if err != nil {
		d.Error = haven.ErrorMessage(err)
	}
	if d.Language != "" && !(len(d.Language) == 2 && strings.Trim(d.Language, "abcdefghijklmnopqrstuvwxyz") == "") {
		d.Language = ""
	}
	if s.Directory != nil {
		seen := map[string]bool{}
		var ids []string
		for _, need := range needs {
			f := haven.DirectoryFilter{Category: need, Language: d.Language, Near: near, Limit: 2}
			if near != nil {
				f.RadiusKm = 150
			}
			hits, err := s.searchDirectory(r.Context(), f)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			for _, h := range hits.Hits {
				if !seen[h.ServiceID] && len(ids) < 6 {
					seen[h.ServiceID] = true
					ids = append(ids, h.ServiceID)
					d.Referral = append(d.Referral, serviceCard{ID: h.ServiceID, Name: h.Name, OrgID: h.OrgID, OrgName: h.OrgName,
						City: h.City, State: h.State, Country: h.Country, Distance: distanceText(p, h)})
				}
			}
		}
		if len(ids) > 0 {
			d.Sheet = "/referral?" + sheetQuery(ids)
		}
	}
	p.Data = *d
	s.render(w, r, http.StatusOK, "screening_result", p)
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

func distanceText(p *page, h haven.DirectoryHit) string {
	if h.DistanceKm == nil {
		return servedBadge(p.L, &h) // "Serves your area", or nothing
	}
	return p.L.T("directory.distance", float64(int(*h.DistanceKm*10))/10)
}
