package screening

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"haven"
)

func mustLoad(t testing.TB) *Bank {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

// benign returns an answer for every question of b that does not indicate:
// "no" where yes is the concerning answer, "yes" where no is.
func benign(b *Bank) Answers {
	a := make(Answers, len(b.Questions))
	for _, q := range b.Questions {
		if q.YesIsIndicator {
			a[q.ID] = No
		} else {
			a[q.ID] = Yes
		}
	}
	return a
}

// with returns a copy of a with the given overrides.
func with(a Answers, overrides Answers) Answers {
	c := make(Answers, len(a)+len(overrides))
	for id, v := range a {
		c[id] = v
	}
	for id, v := range overrides {
		c[id] = v
	}
	return c
}

// every returns an answer set giving v to every question.
func every(b *Bank, v Answer) Answers {
	a := make(Answers, len(b.Questions))
	for _, q := range b.Questions {
		a[q.ID] = v
	}
	return a
}

func TestLoad(t *testing.T) {
	b := mustLoad(t)
	if n := len(b.Questions); n < 35 || n > 50 {
		t.Errorf("%d questions, want about 40", n)
	}
	var got []string
	for _, s := range b.Sections {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, SectionIDs) {
		t.Errorf("sections %v, want %v", got, SectionIDs)
	}
	total := 0
	for _, s := range SectionIDs {
		qs := b.SectionQuestions(s)
		if len(qs) < 3 || len(qs) > 6 {
			t.Errorf("section %s: %d questions, want 3 to 6", s, len(qs))
		}
		for _, q := range qs {
			if q.Section != s {
				t.Errorf("SectionQuestions(%q) returned %s of section %s", s, q.ID, q.Section)
			}
			if q.Urgent != (s == "safety") {
				t.Errorf("%s: urgent = %v in section %s", q.ID, q.Urgent, s)
			}
		}
		total += len(qs)
	}
	if total != len(b.Questions) {
		t.Errorf("sections hold %d questions, bank %d", total, len(b.Questions))
	}
	if qs := b.SectionQuestions("nope"); qs != nil {
		t.Errorf("SectionQuestions(nope) = %v, want nil", qs)
	}
	if b.Questions[0].Section != "safety" {
		t.Errorf("first question %s is not a safety question", b.Questions[0].ID)
	}
	var minor, commercial []string
	for _, q := range b.Questions {
		if q.MinorQuestion {
			minor = append(minor, q.ID)
		}
		if q.CommercialSex {
			commercial = append(commercial, q.ID)
		}
	}
	if !slices.Equal(minor, []string{"age-under-18"}) {
		t.Errorf("minor questions %v", minor)
	}
	if !slices.Equal(commercial, []string{"work-commercial-sex"}) {
		t.Errorf("commercial-sex questions %v", commercial)
	}
	if q, ok := b.Question("ctrl-leave-job"); !ok || q.YesIsIndicator || q.Weight != Core {
		t.Errorf("Question(ctrl-leave-job) = %+v, %v", q, ok)
	}
	if _, ok := b.Question("nope"); ok {
		t.Error("Question(nope) found")
	}
	if s, ok := b.Section("age"); !ok || s.Title.In("es") != "Edad" {
		t.Errorf("Section(age) = %+v, %v", s, ok)
	}
	if len(b.Guide) < 7 {
		t.Errorf("guide has %d points", len(b.Guide))
	}
	if !strings.Contains(b.MinorRule.In("en"), "force, fraud or coercion") {
		t.Errorf("minor rule: %q", b.MinorRule.In("en"))
	}
}

// TestSpanish checks that every text of the bank exists in Spanish and is
// not a copy of the English.
func TestSpanish(t *testing.T) {
	b := mustLoad(t)
	check := func(what string, l haven.Localized) {
		t.Helper()
		en, es := strings.TrimSpace(l["en"]), strings.TrimSpace(l["es"])
		if en == "" || es == "" {
			t.Errorf("%s: missing text (en %q, es %q)", what, en, es)
		} else if en == es {
			t.Errorf("%s: Spanish is a copy of the English: %q", what, es)
		}
	}
	for _, q := range b.Questions {
		check(q.ID+" text", q.Text)
		check(q.ID+" note", q.Note)
		if q.Text.In("es")[0] == '?' || !strings.Contains(q.Text.In("es"), "¿") {
			t.Errorf("%s: Spanish question lacks ¿: %q", q.ID, q.Text.In("es"))
		}
	}
	for _, s := range b.Sections {
		check(s.ID+" title", s.Title)
		check(s.ID+" intro", s.Intro)
	}
	for _, g := range b.Guide {
		check(g.ID+" heading", g.Heading)
		check(g.ID+" body", g.Body)
	}
	check("minor_rule", b.MinorRule)
	check("disclaimer", b.Disclaimer)
}

func TestScore(t *testing.T) {
	b := mustLoad(t)
	base := benign(b)
	// The questions where NO is the concerning answer, in bank order.
	noIsConcerning := []string{
		"safety-safe-place-tonight", "work-can-refuse", "work-rest", "money-paid",
		"ctrl-leave-job", "ctrl-go-out", "ctrl-contact", "doc-get-back", "liv-food-water",
	}
	tests := []struct {
		name         string
		answers      Answers
		level        Level
		labor, sex   []string
		urgent       []string
		minor, minCS bool
		unsure       []string
		declined     int
	}{
		{name: "nothing asked", answers: Answers{}, level: LevelNone},
		{name: "all benign", answers: base, level: LevelNone},
		{
			name: "all literally no", answers: every(b, No), level: LevelStrong,
			labor: noIsConcerning, sex: noIsConcerning, urgent: []string{"safety-safe-place-tonight"},
		},
		{
			name: "one supporting", answers: with(base, Answers{"liv-sleep-at-work": Yes}), level: LevelNone,
			labor: []string{"liv-sleep-at-work"}, sex: []string{"liv-sleep-at-work"},
		},
		{
			name: "one supporting, labor only", answers: with(base, Answers{"money-deductions": Yes}), level: LevelNone,
			labor: []string{"money-deductions"},
		},
		{
			name: "two supporting", answers: with(base, Answers{"money-owes": Yes, "liv-sleep-at-work": Yes}), level: LevelPresent,
			labor: []string{"money-owes", "liv-sleep-at-work"}, sex: []string{"money-owes", "liv-sleep-at-work"},
		},
		{
			name: "two supporting, one by a no", answers: with(base, Answers{"ctrl-go-out": No, "money-deductions": Yes}), level: LevelPresent,
			labor: []string{"money-deductions", "ctrl-go-out"}, sex: []string{"ctrl-go-out"},
		},
		{
			name: "one core bearing on both types", answers: with(base, Answers{"doc-taken": Yes}), level: LevelPresent,
			labor: []string{"doc-taken"}, sex: []string{"doc-taken"},
		},
		{
			name: "one core by a no", answers: with(base, Answers{"ctrl-leave-job": No}), level: LevelPresent,
			labor: []string{"ctrl-leave-job"}, sex: []string{"ctrl-leave-job"},
		},
		{
			name: "two core labor", answers: with(base, Answers{"ctrl-leave-job": No, "doc-taken": Yes}), level: LevelStrong,
			labor: []string{"ctrl-leave-job", "doc-taken"}, sex: []string{"ctrl-leave-job", "doc-taken"},
		},
		{
			name: "adult in commercial sex", answers: with(base, Answers{"work-commercial-sex": Yes}), level: LevelPresent,
			sex: []string{"work-commercial-sex"},
		},
		{
			name: "two core sex", answers: with(base, Answers{"work-commercial-sex": Yes, "work-quota": Yes}), level: LevelStrong,
			labor: []string{"work-quota"}, sex: []string{"work-commercial-sex", "work-quota"},
		},
		{
			name: "minor in commercial sex", answers: with(base, Answers{"age-under-18": Yes, "work-commercial-sex": Yes}), level: LevelStrong,
			sex: []string{"work-commercial-sex"}, minor: true, minCS: true,
		},
		{
			name: "minor in commercial sex, nothing else asked", answers: Answers{"age-under-18": Yes, "work-commercial-sex": Yes}, level: LevelStrong,
			sex: []string{"work-commercial-sex"}, minor: true, minCS: true,
		},
		{
			name: "minor alone is not an indicator", answers: with(base, Answers{"age-under-18": Yes, "liv-sleep-at-work": Yes}), level: LevelNone,
			labor: []string{"liv-sleep-at-work"}, sex: []string{"liv-sleep-at-work"}, minor: true,
		},
		{
			name: "commercial sex, age unsure", answers: with(base, Answers{"age-under-18": Unsure, "work-commercial-sex": Yes}), level: LevelPresent,
			sex: []string{"work-commercial-sex"},
		},
		{
			name: "urgent yes", answers: with(base, Answers{"safety-hurt-or-sick": Yes}), level: LevelStrong,
			labor: []string{"safety-hurt-or-sick"}, sex: []string{"safety-hurt-or-sick"}, urgent: []string{"safety-hurt-or-sick"},
		},
		{
			name: "urgent no safe place", answers: Answers{"safety-safe-place-tonight": No}, level: LevelStrong,
			labor: []string{"safety-safe-place-tonight"}, sex: []string{"safety-safe-place-tonight"}, urgent: []string{"safety-safe-place-tonight"},
		},
		{
			name: "urgent unsure is not urgent", answers: with(base, Answers{"safety-danger-now": Unsure}), level: LevelNone,
		},
		{name: "declined everything", answers: every(b, Declined), level: LevelNone, declined: len(b.Questions)},
		{
			name: "unsure everything", answers: every(b, Unsure), level: LevelNone,
			unsure: coreIDs(b),
		},
		{
			name: "unsure core listed, declined counted",
			answers: with(base, Answers{
				"thr-harmed": Unsure, "doc-taken": Unsure, "liv-sleep-at-work": Unsure,
				"money-owes": Declined, "ctrl-watched": Declined, "work-rest": NotAsked,
			}),
			level: LevelNone, unsure: []string{"doc-taken", "thr-harmed"}, declined: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Score(tt.answers)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if r.Level != tt.level {
				t.Errorf("level %q, want %q (result %+v)", r.Level, tt.level, r)
			}
			eq := func(what string, got, want []string) {
				t.Helper()
				if !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			eq("Labor", r.Labor, tt.labor)
			eq("Sex", r.Sex, tt.sex)
			eq("Urgent", r.Urgent, tt.urgent)
			eq("Unsure", r.Unsure, tt.unsure)
			if r.Minor != tt.minor || r.MinorInCommercialSex != tt.minCS {
				t.Errorf("Minor %v, MinorInCommercialSex %v, want %v, %v", r.Minor, r.MinorInCommercialSex, tt.minor, tt.minCS)
			}
			if r.Declined != tt.declined {
				t.Errorf("Declined %d, want %d", r.Declined, tt.declined)
			}
		})
	}
}

func coreIDs(b *Bank) []string {
	var ids []string
	for _, q := range b.Questions {
		if q.Weight == Core {
			ids = append(ids, q.ID)
		}
	}
	return ids
}

func TestScoreErrors(t *testing.T) {
	b := mustLoad(t)
	tests := []struct {
		name    string
		answers Answers
		want    string
	}{
		{"unknown id", with(benign(b), Answers{"no-such-question": Yes}), "no-such-question"},
		{"empty id", Answers{"": Yes}, `""`},
		{"bad answer", with(benign(b), Answers{"doc-taken": "maybe"}), "maybe"},
		{"uncanonical answer", Answers{"doc-taken": "YES"}, "YES"},
		{"first in sorted order", Answers{"zz-unknown": Yes, "aa-unknown": Yes, "doc-taken": "maybe"}, "aa-unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Score(tt.answers)
			if err == nil {
				t.Fatalf("Score succeeded: %+v", r)
			}
			if haven.ErrorCode(err) != haven.EINVALID {
				t.Errorf("error code %q, want invalid: %v", haven.ErrorCode(err), err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if !reflect.DeepEqual(r, Result{}) {
				t.Errorf("result %+v returned with an error", r)
			}
		})
	}
}

func TestParseAnswer(t *testing.T) {
	for in, want := range map[string]Answer{
		"yes": Yes, "no": No, "unsure": Unsure, "declined": Declined,
		" YES ": Yes, "No": No, "": NotAsked, "  ": NotAsked,
	} {
		got, err := ParseAnswer(in)
		if err != nil || got != want {
			t.Errorf("ParseAnswer(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"y", "maybe", "sí", "true", "1", "yes no"} {
		if got, err := ParseAnswer(in); err == nil || haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("ParseAnswer(%q) = %q, %v; want an invalid error", in, got, err)
		}
	}
}

func TestSummary(t *testing.T) {
	for _, tt := range []struct {
		level  Level
		en, es string
	}{
		{LevelNone, "No indicators noted", "No se observaron indicadores"},
		{LevelPresent, "Indicators present – refer", "Hay indicadores: derive el caso"},
		{LevelStrong, "Strong indicators – act now", "Indicadores fuertes: actúe ahora"},
	} {
		r := Result{Level: tt.level}
		if got := r.Summary("en"); got != tt.en {
			t.Errorf("%s en: %q, want %q", tt.level, got, tt.en)
		}
		if got := r.Summary("es"); got != tt.es {
			t.Errorf("%s es: %q, want %q", tt.level, got, tt.es)
		}
		if got := r.Summary("fr"); got != tt.en {
			t.Errorf("%s fr: %q, want the English %q", tt.level, got, tt.en)
		}
	}
	b := mustLoad(t)
	for _, lang := range []string{"en", "es"} {
		if b.Disclaimer.In(lang) == "" {
			t.Errorf("no %s disclaimer", lang)
		}
	}
}

// TestDeterminism scores the same answers, built in many insertion orders,
// and expects identical results.
func TestDeterminism(t *testing.T) {
	b := mustLoad(t)
	rng := rand.New(rand.NewPCG(1, 2))
	values := []Answer{Yes, No, Unsure, Declined, NotAsked}
	type pair struct {
		id string
		v  Answer
	}
	var pairs []pair
	for _, q := range b.Questions {
		pairs = append(pairs, pair{q.ID, values[rng.IntN(len(values))]})
	}
	build := func() Answers {
		rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
		a := Answers{}
		for _, p := range pairs {
			a[p.id] = p.v
		}
		return a
	}
	want, err := b.Score(build())
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want)
	for i := range 300 {
		got, err := b.Score(build())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: %+v, want %+v", i, got, want)
		}
		if gotJSON, _ := json.Marshal(got); string(gotJSON) != string(wantJSON) {
			t.Fatalf("run %d: JSON %s, want %s", i, gotJSON, wantJSON)
		}
	}

	// Errors are deterministic too.
	bad := Answers{"zz": Yes, "mm": Yes, "doc-taken": "maybe", "aa": "nope"}
	_, first := b.Score(bad)
	for range 100 {
		if _, err := b.Score(with(bad, nil)); err == nil || err.Error() != first.Error() {
			t.Fatalf("error %v, want %v", err, first)
		}
	}
}

// TestValidate feeds Load's parser broken variants of the real bank.
func TestValidate(t *testing.T) {
	type doc = map[string]any
	question := func(d doc, id string) doc {
		for _, q := range d["questions"].([]any) {
			if q.(doc)["id"] == id {
				return q.(doc)
			}
		}
		panic("no question " + id)
	}
	tests := []struct {
		name   string
		mutate func(d doc)
		want   string
	}{
		{"duplicate id", func(d doc) { question(d, "work-rest")["id"] = "work-quota" }, "duplicate id"},
		{"bad slug", func(d doc) { question(d, "work-rest")["id"] = "Work Rest" }, "slug"},
		{"unknown section", func(d doc) { question(d, "work-rest")["section"] = "leisure" }, "unknown section"},
		{"section out of order", func(d doc) { question(d, "liv-food-water")["section"] = "safety" }, "out of order"},
		{"missing es text", func(d doc) { delete(question(d, "work-rest")["text"].(doc), "es") }, "missing es"},
		{"blank en note", func(d doc) { question(d, "work-rest")["note"].(doc)["en"] = "  " }, "missing en"},
		{"bad indicator", func(d doc) { question(d, "work-rest")["indicators"] = []any{"labor", "organ"} }, "organ"},
		{"no indicators", func(d doc) { question(d, "work-rest")["indicators"] = []any{} }, "no indicators"},
		{"repeated indicator", func(d doc) { question(d, "work-rest")["indicators"] = []any{"sex", "sex"} }, "repeated"},
		{"bad weight", func(d doc) { question(d, "work-rest")["weight"] = "heavy" }, "weight"},
		{"missing polarity", func(d doc) { delete(question(d, "work-rest"), "yes_is_indicator") }, "yes_is_indicator"},
		{"urgent outside safety", func(d doc) { question(d, "work-rest")["urgent"] = true }, "urgent"},
		{"safety not urgent", func(d doc) { delete(question(d, "safety-danger-now"), "urgent") }, "urgent"},
		{"two minor questions", func(d doc) { question(d, "age-told-older")["minor_question"] = true }, "minor"},
		{"no minor question", func(d doc) {
			q := question(d, "age-under-18")
			delete(q, "minor_question")
			q["indicators"] = []any{"labor"}
		}, "0 minor questions"},
		{"minor question without flag", func(d doc) { delete(question(d, "age-under-18"), "minor_question") }, "no indicators"},
		{"no commercial-sex question", func(d doc) { delete(question(d, "work-commercial-sex"), "commercial_sex") }, "commercial-sex"},
		{"two commercial-sex questions", func(d doc) { question(d, "work-quota")["commercial_sex"] = true }, "commercial-sex"},
		{"unknown field", func(d doc) { question(d, "work-rest")["weigth"] = "core" }, "weigth"},
		{"missing es disclaimer", func(d doc) { delete(d["disclaimer"].(doc), "es") }, "disclaimer"},
		{"missing minor rule", func(d doc) { delete(d, "minor_rule") }, "minor_rule"},
		{"sections reordered", func(d doc) {
			s := d["sections"].([]any)
			s[0], s[1] = s[1], s[0]
		}, "section 0"},
		{"too few questions", func(d doc) {
			var keep []any
			for _, q := range d["questions"].([]any) {
				if q.(doc)["section"] != "documents" || q.(doc)["id"] == "doc-taken" {
					keep = append(keep, q)
				}
			}
			d["questions"] = keep
		}, `"documents": 1 questions`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			if err := json.Unmarshal(bankJSON, &d); err != nil {
				t.Fatal(err)
			}
			tt.mutate(d)
			data, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parse(data); err == nil {
				t.Fatal("parse accepted a broken bank")
			} else if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
	if _, err := parse(append(append([]byte{}, bankJSON...), "{}"...)); err == nil {
		t.Error("parse accepted trailing data")
	}
}

// FuzzScore scores answer maps built from random bytes: each pair of bytes
// picks a question (or an unknown id) and an answer (or a bad value). Score
// must never panic, must fail exactly when the input is invalid, and must
// otherwise return a result that obeys the rules.
func FuzzScore(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 1, 2, 2})
	f.Add([]byte{255, 5, 3, 6, 40, 0, 41, 0})
	f.Add([]byte("the quick brown fox jumps over the lazy dog"))
	b := mustLoad(f)
	n := len(b.Questions)
	values := []Answer{Yes, No, Unsure, Declined, NotAsked, "maybe", "YES"}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := Answers{}
		for i := 0; i+1 < len(data); i += 2 {
			var id string
			switch k := int(data[i]) % (n + 2); k {
			case n:
				id = "no-such-question"
			case n + 1:
				id = string(data[i:])
			default:
				id = b.Questions[k].ID
			}
			a[id] = values[int(data[i+1])%len(values)]
		}
		valid := true
		for id, v := range a {
			if _, ok := b.Question(id); !ok || !v.Valid() {
				valid = false
			}
		}
		r, err := b.Score(a)
		if (err == nil) != valid {
			t.Fatalf("Score(%v): err %v, valid %v", a, err, valid)
		}
		if err != nil {
			return
		}
		switch r.Level {
		case LevelNone, LevelPresent, LevelStrong:
		default:
			t.Fatalf("level %q", r.Level)
		}
		if len(r.Urgent) > 0 && r.Level != LevelStrong {
			t.Fatalf("urgent %v but level %s", r.Urgent, r.Level)
		}
		if r.MinorInCommercialSex && (!r.Minor || r.Level != LevelStrong) {
			t.Fatalf("minor rule not applied: %+v", r)
		}
		if r.Level == LevelNone && len(r.Labor)+len(r.Sex) > 2 {
			// Two or more indicating questions can never leave the level at none.
			t.Fatalf("level none with %v / %v", r.Labor, r.Sex)
		}
		for _, list := range [][]string{r.Labor, r.Sex, r.Urgent, r.Unsure} {
			last := -1
			for _, id := range list {
				i := slices.IndexFunc(b.Questions, func(q Question) bool { return q.ID == id })
				if i <= last {
					t.Fatalf("list %v not in bank order", list)
				}
				last = i
				if a[id] == NotAsked || a[id] == Declined {
					t.Fatalf("%s listed with answer %q", id, a[id])
				}
			}
		}
		again, _ := b.Score(with(a, nil))
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("not deterministic: %+v vs %+v", r, again)
		}
	})
}
