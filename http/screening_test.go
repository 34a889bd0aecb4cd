package http_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/hsds"
	"haven/internal/dbtest"
	"haven/sample"
	"haven/screening"
	"haven/sqlstore"
)

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	radioName   = regexp.MustCompile(`name="(a_[a-z0-9-]+)" value="yes"`)
	stepPath    = regexp.MustCompile(`^/screening/interview/([a-z0-9-]+)\?`)
	cardID      = regexp.MustCompile(`id="svc-([0-9a-f-]{36})"`)
	cardKm      = regexp.MustCompile(`<strong>[^<0-9]*([0-9.]+) (?:km|mi)`) // a ZIP code gives miles
)

// walkInterview walks the interview as a browser would: POST a step, follow
// the 303 to the next step's GET. It starts a new interview, or opens
// start. fill sets the fields of each step, after defaults that consent
// and make it safe to talk. It returns the result page and the steps seen.
// Every POST must answer 303, and no answer may set a cookie for an
// anonymous visitor.
func walkInterview(t *testing.T, s http.Handler, c *http.Cookie, lang, start string, fill func(step, body string, form url.Values)) (string, []string) {
	t.Helper()
	noCookie := func(w interface{ Result() *http.Response }, what string) {
		if c == nil && len(w.Result().Cookies()) > 0 {
			t.Fatalf("%s set a cookie for an anonymous visitor", what)
		}
	}
	loc := start
	if loc == "" {
		w := post(s, "/screening/start?lang="+lang, url.Values{"qlang": {lang}}, c)
		noCookie(w, "start")
		if w.Code != http.StatusSeeOther {
			t.Fatalf("start: %d %s", w.Code, w.Body.String())
		}
		loc = w.Header().Get("Location")
	}
	var seen []string
	for range 40 {
		w := get(s, loc+"&lang="+lang, c)
		noCookie(w, loc)
		if w.Code == http.StatusSeeOther {
			loc = w.Header().Get("Location")
			continue
		}
		m := stepPath.FindStringSubmatch(loc)
		if w.Code != 200 || m == nil {
			t.Fatalf("GET %s: %d %s", loc, w.Code, w.Body.String())
		}
		step, body := m[1], w.Body.String()
		seen = append(seen, step)
		if step == "result" {
			return body, seen
		}
		form := formValues(body)
		if step == "intro" {
			for k, v := range map[string]string{"qlang": lang, "safe_to_talk": "yes", "consent_screen": "yes", "consent_save": "yes",
				"consent_share": "yes", "interp_mode": "phone", "interp_name": "Lingua Test Agency", "iv_name": "Ana Test",
				"iv_agency": "Test Clinic", "iv_role": "Nurse"} {
				form.Set(k, v)
			}
		}
		if fill != nil {
			fill(step, body, form)
		}
		form.Set("go", "next")
		w = post(s, "/screening/interview/"+step+"?lang="+lang, form, c)
		noCookie(w, "POST "+step)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d %s", step, w.Code, w.Body.String())
		}
		loc = w.Header().Get("Location")
	}
	t.Fatal("the interview never reached a result")
	return "", nil
}

// persona answers every question on a page: its own answer where it has
// one, otherwise def (empty: leave unanswered).
type persona struct {
	name        string
	answers     map[string]string
	def         string
	appears     string
	place       string
	foreignBorn bool
	language    string // the person's language, for providers
	// want and wantNot are checked on the result page, in each language.
	want, wantNot map[string][]string
	// steps the interview must and must not go through
	through, skips []string
}

func (p persona) fill(step, body string, form url.Values) {
	for _, m := range radioName.FindAllStringSubmatch(body, -1) {
		id := strings.TrimPrefix(m[1], "a_")
		if a, ok := p.answers[id]; ok {
			form.Set(m[1], a)
		} else if p.def != "" {
			form.Set(m[1], p.def)
		}
	}
	if step == "age" && p.appears != "" {
		form.Set("appears", p.appears)
	}
	if step == "person" {
		form.Set("place", p.place)
		if p.foreignBorn {
			form.Set("foreign_born", "yes")
		}
		form.Set("plang", p.language)
	}
}

// TestScreeningPersonas walks the interview for the people the issue
// names, in English and Spanish, and checks each result and next steps.
func TestScreeningPersonas(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	categories := map[string][]string{}
	for _, sv := range svcs {
		for _, a := range sv.Attributes {
			for _, c := range haven.Categories {
				if a.TaxonomyTermID == sample.TermID(c) {
					categories[sv.ID] = append(categories[sv.ID], c)
				}
			}
		}
	}
	personas := []persona{{
		name: "adult with labor indicators",
		answers: map[string]string{"age-under-18": "no", "sit-work": "yes", "rec-deceived": "yes", "work-pay": "yes", "work-forced": "yes",
			"money-kept": "yes", "ctrl-documents": "yes", "others-arrested": "yes"},
		def: "no", place: "77002", foreignBorn: true,
		want: map[string][]string{
			"en": {"Strong signs of trafficking seen", "Signs of labor trafficking", "Signs that bear on labor and sex trafficking alike", "T visa", "Continued Presence", "HHS certification", "Vacatur and record relief", "Law enforcement, if the person chooses", "tel:+18883737888", "/learn/services-and-immigration-relief", "not a validated instrument"},
			"es": {"Se vieron señales fuertes de trata", "Señales de trata laboral", "Visa T", "Presencia Continuada", "Anulación de condenas", "tel:+18883737888", "instrumento validado"},
		},
		wantNot: map[string][]string{"en": {"Signs of sex trafficking", "Incomplete.", "The minor rule applies", "Urgent needs"}, "es": {"Señales de trata sexual", "Incompleta."}},
		through: []string{"intro", "needs", "age", "situation", "work", "money", "control", "harm", "others", "person"},
		skips:   []string{"child", "sex"},
	}, {
		name:    "minor in commercial sex",
		answers: map[string]string{"age-under-18": "yes", "child-sex-exchange": "yes", "child-age-lie": "yes"},
		def:     "no", place: "77002", foreignBorn: true, language: "es",
		want: map[string][]string{
			"en": {"Strong signs of trafficking seen", "The minor rule applies", "No force, fraud or coercion needs to be shown", "Protect the child", "mandated reporter", "1-800-843-5678", "Request for Assistance for Child Victims"},
			"es": {"Se vieron señales fuertes de trata", "Se aplica la regla para menores", "Proteja al menor", "1-800-843-5678", "Solicitud de Asistencia para Menores"},
		},
		wantNot: map[string][]string{"en": {"T visa", "Continued Presence"}, "es": {"Visa T"}},
		through: []string{"needs", "age", "child", "person"},
		skips:   []string{"situation", "work", "sex", "money", "control"},
	}, {
		name:    "unsure whether in danger",
		answers: map[string]string{"need-danger": "unsure", "age-under-18": "no"},
		def:     "no", place: "",
		want: map[string][]string{
			"en": {"Urgent needs: act on these first", "In danger now, or unsure:", "call 911", "No signs of trafficking seen in the answers given", "Meet the urgent needs", "No place was given"},
			"es": {"Necesidades urgentes: atiéndalas primero", "llame al 911", "No se vieron señales de trata", "No se indicó un lugar"},
		},
		wantNot: map[string][]string{"en": {"Strong signs", "Signs of labor trafficking", "Signs of sex trafficking", `class="cards-list"`}, "es": {"señales fuertes"}},
	}, {
		name:    "only no bed tonight",
		answers: map[string]string{"need-shelter": "yes", "age-under-18": "no"},
		def:     "no", place: "77002",
		want: map[string][]string{
			"en": {"No safe place tonight:", "No signs of trafficking seen in the answers given", `class="cards-list"`},
			"es": {"Sin un lugar seguro esta noche:", "No se vieron señales de trata"},
		},
		wantNot: map[string][]string{"en": {"Strong signs", "Some signs", "Signs of labor trafficking", "Signs of sex trafficking"}, "es": {"señales fuertes"}},
	}, {
		name: "declines most questions", def: "declined", appears: "adult", place: "",
		answers: map[string]string{"need-danger": "no"},
		want: map[string][]string{
			"en": {"Incomplete.", "core questions that applied have no yes or no", "No signs of trafficking seen in the answers given", "do not rule trafficking out"},
			"es": {"Incompleta.", "preguntas principales", "No se vieron señales de trata"},
		},
		wantNot: map[string][]string{"en": {"Strong signs", "Some signs"}, "es": {"señales fuertes"}},
		skips:   []string{"child"},
	}}
	for _, p := range personas {
		for _, lang := range []string{"en", "es"} {
			t.Run(p.name+"/"+lang, func(t *testing.T) {
				body, seen := walkInterview(t, s, nil, lang, "", p.fill)
				body = html.UnescapeString(body)
				for _, want := range p.want[lang] {
					if !strings.Contains(body, want) {
						t.Errorf("the result lacks %q", want)
					}
				}
				for _, not := range p.wantNot[lang] {
					if strings.Contains(body, not) {
						t.Errorf("the result shows %q", not)
					}
				}
				for _, st := range p.through {
					if !slices.Contains(seen, st) {
						t.Errorf("the interview skipped step %s: %v", st, seen)
					}
				}
				for _, st := range p.skips {
					if slices.Contains(seen, st) {
						t.Errorf("the interview asked step %s: %v", st, seen)
					}
				}
				if !strings.Contains(body, "1-888-373-7888") && !strings.Contains(body, "tel:+18883737888") {
					t.Error("no hotline")
				}
				if p.place == "" {
					return
				}
				// Providers: matched by need, nearest first, never abroad.
				ids := cardID.FindAllStringSubmatch(body, -1)
				if len(ids) == 0 {
					t.Fatal("no providers near 77002")
				}
				var km []float64
				for _, m := range cardKm.FindAllStringSubmatch(body, -1) {
					f, _ := strconv.ParseFloat(m[1], 64)
					km = append(km, f)
				}
				if len(km) != len(ids) || !slices.IsSorted(km) {
					t.Errorf("providers not nearest first: %v", km)
				}
				if p.name == "only no bed tonight" {
					for _, m := range ids {
						if !slices.ContainsFunc(categories[m[1]], func(c string) bool { return c == "shelter" || c == "housing" || c == "crisis-hotline" }) {
							t.Errorf("service %s (%v) does not meet the need for a bed", m[1], categories[m[1]])
						}
					}
				}
				if p.language != "" {
					for _, m := range ids {
						sv := svcs[slices.IndexFunc(svcs, func(sv *hsds.Service) bool { return sv.ID == m[1] })]
						if !slices.ContainsFunc(sv.Languages, func(l hsds.Language) bool { return l.Code == p.language }) {
							t.Errorf("service %s does not speak %s", sv.ID, p.language)
						}
					}
				}
				for _, sv := range svcs {
					if slices.ContainsFunc(ids, func(m []string) bool { return m[1] == sv.ID }) && countryOf(sv) != "US" {
						t.Errorf("service %s is in %s", sv.ID, countryOf(sv))
					}
				}
			})
		}
	}
}

func countryOf(sv *hsds.Service) string {
	for _, sal := range sv.ServiceAtLocations {
		if sal.Location != nil {
			if a := sal.Location.MainAddress(); a != nil {
				return a.Country
			}
		}
	}
	return ""
}

// TestScreeningSteps: each step is a GET-able page; Back keeps the
// answers; urgent needs show a banner at once with a way to pause; bad
// values and bad tokens change nothing.
func TestScreeningSteps(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	if w := do(s, "GET", "/screening", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "does not decide") || !strings.Contains(w.Body.String(), `name="qlang"`) {
		t.Fatalf("guide: %d", w.Code)
	}
	w := post(s, "/screening/start", url.Values{"qlang": {"en"}}, nil)
	intro := w.Header().Get("Location")
	if w.Code != 303 || !strings.HasPrefix(intro, "/screening/interview/intro?d=") {
		t.Fatalf("start: %d %s", w.Code, intro)
	}
	page := get(s, intro, nil).Body.String()
	for _, want := range []string{"Never let a companion", `name="interp_mode"`, `name="consent_screen"`, `name="consent_save"`, `name="consent_share"`, `name="safe_to_talk"`} {
		if !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("intro lacks %q", want)
		}
	}
	// Going on without recording consent brings the first step back,
	// asking for it.
	w = post(s, "/screening/interview/intro", formValues(page), nil)
	if loc := w.Header().Get("Location"); w.Code != 303 || !strings.Contains(loc, "/screening/interview/intro?") ||
		!strings.Contains(get(s, loc, nil).Body.String(), "agrees to answer the screening questions, yes or no") {
		t.Errorf("no consent recorded: %d %s", w.Code, loc)
	}
	form := formValues(page)
	form.Set("consent_screen", "yes")
	form.Set("safe_to_talk", "yes")
	form.Set("qlang", "es") // questions in Spanish, page in English
	w = post(s, "/screening/interview/intro", form, nil)
	needs := w.Header().Get("Location")
	if !strings.HasPrefix(needs, "/screening/interview/needs?") {
		t.Fatalf("after intro: %d %s", w.Code, needs)
	}
	page = get(s, needs, nil).Body.String()
	if !strings.Contains(html.UnescapeString(page), "¿Siente que está en peligro en este momento?") || !strings.Contains(page, `lang="es"`) {
		t.Error("the questions are not asked in the language chosen")
	}
	form = formValues(page)
	form.Set("a_need-danger", "unsure")
	form.Set("n_need-danger", "SECRET-NOTE-7731")
	form.Set("k_need-danger", "quote")
	w = post(s, "/screening/interview/needs", form, nil)
	age := w.Header().Get("Location")
	page = html.UnescapeString(get(s, age, nil).Body.String())
	if !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "call 911") || !strings.Contains(page, `value="pause"`) {
		t.Error("no urgent banner with a way to pause after danger: unsure")
	}
	// Back returns to the needs step with the answer and the note.
	form = formValues(page)
	form.Set("go", "back")
	w = post(s, "/screening/interview/age", form, nil)
	back := w.Header().Get("Location")
	page = get(s, back, nil).Body.String()
	if w.Code != 303 || !strings.HasPrefix(back, "/screening/interview/needs?") || !strings.Contains(page, `name="a_need-danger" value="unsure" checked`) ||
		!strings.Contains(page, "SECRET-NOTE-7731") || !strings.Contains(page, `name="k_need-danger" value="quote" checked`) {
		t.Errorf("Back lost the answer or the note: %d %s", w.Code, back)
	}
	// The earlier page still opens, unchanged (Back in the browser).
	if w := get(s, needs, nil); w.Code != 200 {
		t.Errorf("an earlier step no longer opens: %d", w.Code)
	}
	// Pause goes straight to the next steps.
	form = formValues(page)
	form.Set("go", "pause")
	w = post(s, "/screening/interview/needs", form, nil)
	if !strings.HasPrefix(w.Header().Get("Location"), "/screening/interview/result?") {
		t.Errorf("pause: %s", w.Header().Get("Location"))
	}
	// A forged answer, or a forged or expired token, is refused.
	form = formValues(page)
	form.Set("a_need-danger", "maybe")
	if w := post(s, "/screening/interview/needs", form, nil); w.Code != 400 {
		t.Errorf("bad answer: %d", w.Code)
	}
	for _, q := range []string{"d=AAAA", "d=" + strings.Repeat("A", 200), "draft=0123456789abcdef0123456789abcdef", ""} {
		if w := get(s, "/screening/interview/needs?"+q, nil); w.Code != 400 && w.Code != 404 {
			t.Errorf("%s: %d", q, w.Code)
		}
	}
	// Not consenting skips every question.
	form = formValues(get(s, intro, nil).Body.String())
	form.Set("consent_screen", "no")
	w = post(s, "/screening/interview/intro", form, nil)
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/screening/interview/person?") {
		t.Errorf("without consent: %s", loc)
	}
}

// TestScreeningLeavesNoTrace checks that answers and notes never reach the
// access log, and that anonymous interviews leave no cookie.
func TestScreeningLeavesNoTrace(t *testing.T) {
	s, logs, _ := MustServer(t)
	walkInterview(t, s, nil, "en", "", func(step, body string, form url.Values) {
		for _, m := range radioName.FindAllStringSubmatch(body, -1) {
			form.Set(m[1], "yes")
			form.Set("n_"+strings.TrimPrefix(m[1], "a_"), "SECRET-NOTE-7731")
		}
	})
	if strings.Contains(logs.String(), "SECRET-NOTE-7731") || strings.Contains(logs.String(), "need-danger") {
		t.Errorf("the log holds interview content: %s", logs.String())
	}
}

// TestScreeningSignInMidway: an interview begun signed out is saved after
// signing in, with nothing asked again.
func TestScreeningSignInMidway(t *testing.T) {
	s, db, _ := MustScreeningServer(t)
	w := post(s, "/screening/start", url.Values{"qlang": {"en"}}, nil)
	intro := w.Header().Get("Location")
	form := formValues(get(s, intro, nil).Body.String())
	form.Set("consent_screen", "yes")
	form.Set("consent_save", "yes")
	form.Set("iv_name", "Ana Test")
	w = post(s, "/screening/interview/intro", form, nil)
	form = formValues(get(s, w.Header().Get("Location"), nil).Body.String())
	form.Set("a_need-shelter", "yes")
	form.Set("n_need-shelter", "slept in the van")
	w = post(s, "/screening/interview/needs", form, nil)
	agePage := w.Header().Get("Location")
	page := get(s, agePage, nil).Body.String()
	if !strings.Contains(html.UnescapeString(page), "/signin?next=") {
		t.Error("no way to sign in from the interview")
	}
	// Signing in and coming back moves the interview to the server.
	c := signIn(t, s, "screener@example.org")
	w = get(s, agePage, c)
	loc := w.Header().Get("Location")
	if w.Code != 303 || !strings.HasPrefix(loc, "/screening/interview/age?draft=") {
		t.Fatalf("after sign-in: %d %s", w.Code, loc)
	}
	if n, _ := dbtest.CountRows(context.Background(), db, "screening_drafts"); n != 1 {
		t.Errorf("%d drafts on the server", n)
	}
	result, seen := walkInterview(t, s, c, "en", loc, func(step, body string, form url.Values) {
		if step == "age" {
			form.Set("a_age-under-18", "no")
		}
	})
	if slices.Contains(seen, "intro") || slices.Contains(seen, "needs") {
		t.Errorf("steps asked again: %v", seen)
	}
	id := saveFrom(t, s, c, "en", result)
	page = html.UnescapeString(get(s, "/screening/records/"+id, c).Body.String())
	for _, want := range []string{"Are you without a safe place to sleep tonight?", "slept in the van", "My summary", "Ana Test", "The result as shown"} {
		if !strings.Contains(page, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	if n, _ := dbtest.CountRows(context.Background(), db, "screening_drafts"); n != 0 {
		t.Errorf("%d drafts left after saving", n)
	}
}

// TestOldRecordsStillOpen: a format-1 record, written against bank 1,
// opens with bank 1's questions and result, whatever bank 2 says.
func TestOldRecordsStillOpen(t *testing.T) {
	s, db, _ := MustScreeningServer(t)
	c := signIn(t, s, "screener@example.org")
	u, err := sqlstore.NewAccountService(db).FindUserByEmail(context.Background(), "screener@example.org")
	if err != nil {
		t.Fatal(err)
	}
	rec := screening.Record{Format: screening.RecordFormat, Interviewer: u.Email, InterviewerID: u.ID, Saved: time.Now().UTC().Truncate(time.Second),
		Language: "en", Answers: screening.Answers{"age-under-18": screening.Yes, "work-commercial-sex": screening.Yes},
		Notes: map[string]string{"work-commercial-sex": "OLD-NOTE-1"}}
	if err := s.Screening.Check(rec); err != nil {
		t.Fatal(err)
	}
	saved, err := s.Records.SaveScreening(context.Background(), u.Email, "save", u.ID, "", screening.Seal(s.Vault, rec, screening.ReasonSave))
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][]string{"en": {"Strong indicators – act now", "OLD-NOTE-1", "In this work or situation, have you had sex or done sexual acts for money"}, "es": {"Indicadores fuertes: actúe ahora", "OLD-NOTE-1"}} {
		w := get(s, "/screening/records/"+saved.ID+"?lang="+lang, c)
		page := html.UnescapeString(w.Body.String())
		if w.Code != 200 {
			t.Fatalf("%s: %d", lang, w.Code)
		}
		for _, x := range want {
			if !strings.Contains(page, x) {
				t.Errorf("%s: the old record lacks %q", lang, x)
			}
		}
		if strings.Contains(page, "/amend") {
			t.Errorf("%s: a bank-1 record offers to be amended", lang)
		}
	}
	if w := post(s, "/screening/records/"+saved.ID+"/amend", url.Values{}, c); w.Code != 400 {
		t.Errorf("amending a bank-1 record: %d", w.Code)
	}
}
