package screening

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"haven"
)

func mustLoad2(t testing.TB) *Bank2 {
	t.Helper()
	b, err := Load2()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBank1Frozen: bank 1 is what format-1 records were written against;
// changing it would change what old records say. New questions go in a
// new bank version.
func TestBank1Frozen(t *testing.T) {
	sum := sha256.Sum256(bankJSON)
	if got := hex.EncodeToString(sum[:]); got != "7539294e19647f5555fd9d6e98291243287f8aa3afa0b7ed9c69eda611604a31" {
		t.Errorf("bank.json changed (sha256 %s): bank 1 is frozen; put changes in a new bank version", got)
	}
}

// TestBank2 checks what the issue asks of the question bank beyond what
// Load validates.
func TestBank2(t *testing.T) {
	b := mustLoad2(t)
	indicators, both := 0, 0
	for _, q := range b.Questions {
		en, es := q.Text.In("en"), q.Text.In("es")
		if !strings.HasSuffix(en, "?") || !strings.Contains(es, "¿") || !strings.HasSuffix(es, "?") {
			t.Errorf("%s: not a question in both languages: %q / %q", q.ID, en, es)
		}
		if strings.Count(en, "?") != 1 {
			t.Errorf("%s: asks more than one thing: %q", q.ID, en)
		}
		if q.Kind == KindIndicator {
			indicators++
			if q.Bears(Labor) && q.Bears(Sex) {
				both++
			}
		}
	}
	// Issue 20: 37 of 43 questions were tagged both, so results repeated
	// the same list twice. Both only where it truly is: never on the
	// questions about one kind of work.
	for _, q := range b.Questions {
		if (q.Section == "work" || q.Section == "sex") && q.Bears(Labor) && q.Bears(Sex) {
			t.Errorf("%s: tagged both in the %s section", q.ID, q.Section)
		}
	}
	if both == 0 || both == indicators {
		t.Errorf("%d of %d indicators bear on both kinds", both, indicators)
	}
	// The topics the issue found missing.
	for _, id := range []string{"work-crime", "ctrl-address", "ctrl-phone", "rec-online", "sex-images", "child-online", "rec-family",
		"others-same", "others-children", "others-arrested", "rec-family-fee", "harm-witnessed"} {
		if _, ok := b.Question(id); !ok {
			t.Errorf("no question %s", id)
		}
	}
	// Needs are never indicators, and age comes before any indicator.
	for _, q := range b.Questions {
		if q.Kind == KindNeed && len(q.Indicators) > 0 {
			t.Errorf("%s: a need carries indicators", q.ID)
		}
	}
	ageAt := slices.IndexFunc(b.Questions, func(q Question2) bool { return q.Kind == KindAge })
	firstIndicator := slices.IndexFunc(b.Questions, func(q Question2) bool { return q.Kind == KindIndicator })
	if ageAt > firstIndicator {
		t.Error("an indicator is asked before the age")
	}
	// Adult questions are anchored: each adult section's first question
	// names "that job or situation".
	for _, s := range b.Sections {
		if s.Path != PathAdult {
			continue
		}
		qs := b.SectionQuestions(s.ID)
		anchored := slices.ContainsFunc(qs, func(q Question2) bool {
			return strings.Contains(q.Text.In("en"), "that job") || strings.Contains(q.Text.In("en"), "that situation") ||
				strings.Contains(q.Text.In("en"), "In that")
		})
		if !anchored && s.ID != "sex" && s.ID != "control" && s.ID != "others" {
			t.Errorf("section %s: no question anchored to that job or situation", s.ID)
		}
	}
}

func TestValidate2(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		edit       func(m map[string]any)
	}{
		{"version", "version", func(m map[string]any) { m["version"] = 3 }},
		{"unknown kind", "unknown kind", func(m map[string]any) { q(m, "sit-work")["kind"] = "maybe" }},
		{"need on an indicator", "need", func(m map[string]any) { q(m, "work-pay")["need"] = "danger" }},
		{"forward ask_if", "ask_if", func(m map[string]any) { q(m, "sit-work")["ask_if"] = []string{"work-pay"} }},
		{"duplicate id", "duplicate", func(m map[string]any) { q(m, "work-hours")["id"] = "work-pay" }},
		{"missing Spanish", "missing es", func(m map[string]any) { q(m, "work-pay")["text"] = map[string]string{"en": "Paid?"} }},
		{"indicator without weight", "weight", func(m map[string]any) { delete(q(m, "work-pay"), "weight") }},
		{"two ages", "age questions", func(m map[string]any) {
			q(m, "need-danger")["kind"] = "age"
			delete(q(m, "need-danger"), "need")
			delete(q(m, "need-danger"), "unsure_is_need")
		}},
		{"unknown field", "unknown field", func(m map[string]any) { q(m, "work-pay")["polarity"] = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(bank2JSON, &m); err != nil {
				t.Fatal(err)
			}
			tc.edit(m)
			data, _ := json.Marshal(m)
			_, err := parse2(data)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bank2.json") {
				t.Errorf("got %v, want an error naming bank2.json and %q", err, tc.want)
			}
		})
	}
}

// q finds question id in a decoded bank.
func q(m map[string]any, id string) map[string]any {
	for _, x := range m["questions"].([]any) {
		if qm := x.(map[string]any); qm["id"] == id {
			return qm
		}
	}
	panic("no question " + id)
}

func TestChildPath(t *testing.T) {
	b := mustLoad2(t)
	for _, tc := range []struct {
		age     Answer
		appears Appearance
		want    bool
	}{
		{Yes, "", true}, {Unsure, AppearsAdult, true}, {No, "", false}, {No, AppearsMinor, true},
		{Declined, "", true}, {Declined, AppearsAdult, false}, {NotAsked, "", true}, {NotAsked, AppearsAdult, false},
	} {
		if got := b.ChildPath(Answers{"age-under-18": tc.age}, tc.appears); got != tc.want {
			t.Errorf("age %q, appears %q: child %v", tc.age, tc.appears, got)
		}
	}
}

// TestScore2 applies the scoring rules to the personas and to the
// failures the issue found.
func TestScore2(t *testing.T) {
	b := mustLoad2(t)
	adult := Answers{"age-under-18": No}
	with := func(base Answers, more Answers) Answers {
		a := Answers{}
		for k, v := range base {
			a[k] = v
		}
		for k, v := range more {
			a[k] = v
		}
		return a
	}
	for _, tc := range []struct {
		name                  string
		a                     Answers
		appears               Appearance
		level                 Level
		needs                 []string
		minorRule, incomplete bool
		labor, sex, both      int
	}{
		{"danger unsure is a need, not nothing", with(adult, Answers{"need-danger": Unsure}), "", LevelNone, []string{NeedDanger}, false, true, 0, 0, 0},
		{"no bed tonight alone is a need, not strong", with(adult, Answers{"need-shelter": Yes}), "", LevelNone, []string{NeedShelter}, false, true, 0, 0, 0},
		{"medical unsure is not a need", with(adult, Answers{"need-medical": Unsure}), "", LevelNone, []string{}, false, true, 0, 0, 0},
		{"adult labor", with(adult, Answers{"sit-work": Yes, "work-forced": Yes, "ctrl-documents": Yes}), "", LevelStrong, []string{}, false, true, 1, 0, 1},
		{"one supporting sign", with(adult, Answers{"sit-work": Yes, "work-hours": Yes}), "", LevelNone, []string{}, false, true, 1, 0, 0},
		{"one core sign", with(adult, Answers{"ctrl-leave": Yes}), "", LevelPresent, []string{}, false, true, 0, 0, 1},
		{"adult commercial sex alone is no sign", with(adult, Answers{"sit-sex": Yes}), "", LevelNone, []string{}, false, true, 0, 0, 0},
		{"commercial sex begun before 18", with(adult, Answers{"sit-sex": Yes, "sex-under-18": Yes}), "", LevelStrong, []string{}, true, true, 0, 1, 0},
		{"coached about age", with(adult, Answers{"sit-sex": Yes, "sex-age-lie": Yes}), "", LevelStrong, []string{}, true, true, 0, 1, 0},
		{"minor in commercial sex", Answers{"age-under-18": Yes, "child-sex-exchange": Yes}, "", LevelStrong, []string{}, true, true, 0, 1, 0},
		{"unsure age, commercial sex", Answers{"age-under-18": Unsure, "child-sex-exchange": Yes}, "", LevelStrong, []string{}, true, true, 0, 1, 0},
		{"answers off the path are ignored", with(adult, Answers{"child-sex-exchange": Yes, "work-pay": Yes}), "", LevelNone, []string{}, false, true, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := b.Score2(tc.a, tc.appears)
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != tc.level || !slices.Equal(r.Needs, tc.needs) || r.MinorRule != tc.minorRule || r.Incomplete != tc.incomplete ||
				len(r.Labor) != tc.labor || len(r.Sex) != tc.sex || len(r.Both) != tc.both {
				t.Errorf("got %+v", r)
			}
		})
	}
	// Declining everything: incomplete, with every core question counted.
	all := Answers{}
	for _, q := range b.Questions {
		all[q.ID] = Declined
	}
	r, _ := b.Score2(all, AppearsAdult)
	if !r.Incomplete || r.Declined != r.Core || r.Core == 0 || r.Level != LevelNone || r.Child {
		t.Errorf("all declined: %+v", r)
	}
	// Each question is listed once, whatever it bears on.
	yes := Answers{"age-under-18": No, "sit-work": Yes, "sit-sex": Yes}
	for _, q := range b.Questions {
		if q.Kind == KindIndicator && q.Section != "child" {
			yes[q.ID] = Yes
		}
	}
	r, _ = b.Score2(yes, "")
	listed := slices.Concat(r.Labor, r.Sex, r.Both)
	sorted := slices.Clone(listed)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(listed) {
		t.Error("a question is listed twice")
	}
	if _, err := b.Score2(Answers{"nope": Yes}, ""); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("unknown question: %v", err)
	}
	if _, err := b.Score2(Answers{"sit-work": "maybe"}, ""); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("unknown answer: %v", err)
	}
}

func testAEAD(t testing.TB) cipher.AEAD {
	block, _ := aes.NewCipher(make([]byte, 32))
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead
}

func sampleDraft() Draft {
	d := NewDraft("es", time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC))
	d.Consent = Consents{Screen: "yes", Save: "yes", Share: "no"}
	d.Interpreter = Interpreter{Mode: InterpreterPhone, Name: "Línea de intérpretes"}
	d.Interviewer = Interviewer{Name: "Ana", Agency: "Clínica", Role: "Enfermera"}
	d.Answers = Answers{"need-shelter": Yes, "age-under-18": No, "sit-work": Yes, "work-forced": Yes}
	d.Notes = map[string]Note{"work-forced": {Text: "«me obligaban»", Kind: NoteQuote}}
	d.Place, d.PersonLanguage, d.ForeignBorn = "77002", "es", true
	return d
}

func TestPageDraft(t *testing.T) {
	aead, now := testAEAD(t), time.Now()
	d := sampleDraft()
	tok, err := SealPageDraft(aead, d, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok, "obligaban") || strings.Contains(tok, "work-forced") {
		t.Error("the token is readable")
	}
	got, err := OpenPageDraft(aead, tok, now)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, got, d)
	}
	if _, err := OpenPageDraft(aead, tok, now.Add(2*time.Hour)); err != ErrDraftExpired {
		t.Errorf("expired: %v", err)
	}
	block, _ := aes.NewCipher([]byte(strings.Repeat("k", 32)))
	other, _ := cipher.NewGCM(block)
	if _, err := OpenPageDraft(other, tok, now); err != ErrDraftExpired {
		t.Errorf("another key (a restart): %v", err)
	}
	raw := []byte(tok)
	raw[len(raw)/2] ^= 1
	for _, bad := range []string{string(raw), "", "!!", strings.Repeat("A", MaxToken+1)} {
		if _, err := OpenPageDraft(aead, bad, now); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("%.20q: %v", bad, err)
		}
	}
}

func FuzzOpenPageDraft(f *testing.F) {
	aead := testAEAD(f)
	tok, _ := SealPageDraft(aead, sampleDraft(), time.Now(), time.Hour)
	f.Add(tok)
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := OpenPageDraft(aead, s, time.Now())
		if err == nil && d.Answers == nil {
			t.Error("an opened draft without an answers map")
		}
	})
}

func FuzzDecodeDraft(f *testing.F) {
	data, _ := json.Marshal(sampleDraft())
	f.Add(data)
	f.Add([]byte(`{"bank":2}`))
	f.Add([]byte(`{"bank":2,"extra":1}`))
	b := mustLoad2(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeDraft(data)
		if err != nil {
			return
		}
		// Whatever decodes either checks or is refused with a clear code.
		if err := b.CheckDraft(d); err != nil && haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("check: %v", err)
		}
	})
}

func TestCheckDraft(t *testing.T) {
	b := mustLoad2(t)
	if err := b.CheckDraft(sampleDraft()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field string
		edit  func(d *Draft)
	}{
		{"bank", func(d *Draft) { d.Bank = 1 }},
		{"language", func(d *Draft) { d.Language = "fr" }},
		{"consent.save", func(d *Draft) { d.Consent.Save = "maybe" }},
		{"interpreter.mode", func(d *Draft) { d.Interpreter.Mode = "companion" }},
		{"appears", func(d *Draft) { d.Appears = "old" }},
		{"person_language", func(d *Draft) { d.PersonLanguage = "Spanish" }},
		{"interviewer.name", func(d *Draft) { d.Interviewer.Name = strings.Repeat("x", MaxShort+1) }},
		{"answers", func(d *Draft) { d.Answers["nope"] = Yes }},
		{"notes", func(d *Draft) { d.Notes["work-forced"] = Note{Text: "x", Kind: "gossip"} }},
	} {
		d := sampleDraft()
		tc.edit(&d)
		err := b.CheckDraft(d)
		if haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(haven.ErrorMessage(err), "field "+tc.field) {
			t.Errorf("%s: %v", tc.field, err)
		}
	}
}

// TestRecordFormat2: a record keeps the questions as asked, in the
// language asked, and reads back whole without the bank.
func TestRecordFormat2(t *testing.T) {
	b := mustLoad2(t)
	d := sampleDraft()
	ended, saved := d.Started.Add(20*time.Minute), d.Started.Add(25*time.Minute)
	r, err := b.RecordOf(d, "s@example.org", "u1", ended, saved, []string{"Visa T"})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckRecord(r); err != nil {
		t.Fatal(err)
	}
	data, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeRecord(data)
	if err != nil || !reflect.DeepEqual(back, r) {
		t.Fatalf("round trip: %v", err)
	}
	again, _ := back.Encode()
	if string(again) != string(data) {
		t.Error("encoding is not stable")
	}
	iv := back.Interview
	i := slices.IndexFunc(iv.Items, func(it AskedItem) bool { return it.ID == "work-forced" })
	if i < 0 || iv.Items[i].Text != "En ese trabajo, ¿le obligaron a hacer trabajos que usted no había aceptado?" || iv.Items[i].NoteKind != NoteQuote ||
		iv.Items[i].Answer != Yes || iv.Items[i].SectionTitle != "Trabajo y pago" {
		t.Errorf("work-forced as asked: %+v", iv.Items)
	}
	if slices.ContainsFunc(iv.Items, func(it AskedItem) bool { return it.Section == "child" || it.Section == "sex" && it.ID != "sex-images" }) {
		t.Error("the record lists questions that did not apply")
	}
	if !iv.Ended.Equal(ended) || !back.Started.Equal(d.Started) || iv.BankVersion != 2 || iv.Interpreter.Name != "Línea de intérpretes" ||
		iv.Consent.Share != "no" || iv.Interviewer.Role != "Enfermera" || !strings.Contains(iv.Shown.ScoringNote, "validado") || iv.Shown.NextSteps[0] != "Visa T" {
		t.Errorf("interview: %+v", iv)
	}
	// Reopened for amending, it is the same interview.
	dd, err := DraftOf(back)
	if err != nil {
		t.Fatal(err)
	}
	d.Ended = ended.UTC().Truncate(time.Second)
	if !reflect.DeepEqual(dd, d) {
		t.Errorf("DraftOf:\n got %+v\nwant %+v", dd, d)
	}
	// A format-2 record names what is wrong.
	bad := back
	bad.Interview = nil
	if err := CheckRecord(bad); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("no interview: %v", err)
	}
}

// TestRecordFormat1Unchanged: a format-1 record decodes, checks against
// bank 1 and encodes back to the very same bytes.
func TestRecordFormat1Unchanged(t *testing.T) {
	data, err := os.ReadFile("testdata/record-format1.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	b := mustLoad(t)
	if err := b.Check(r); err != nil {
		t.Fatal(err)
	}
	again, _ := r.Encode()
	if string(again) != string(data) {
		t.Errorf("format 1 re-encodes differently:\n%s\n%s", again, data)
	}
	res, _ := b.Score(r.Answers)
	if res.Level != LevelStrong || !res.MinorInCommercialSex {
		t.Errorf("bank 1 scores the old record differently: %+v", res)
	}
	if _, err := DraftOf(r); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("a format-1 record reopened as a draft: %v", err)
	}
}

// FuzzParse2: whatever bytes it is given, parse2 returns a bank that
// validates or an error naming bank2.json, never a panic.
func FuzzParse2(f *testing.F) {
	f.Add(bank2JSON)
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":2,"questions":[{"id":"a","section":"x","ask_if":["a"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := parse2(data)
		if err != nil {
			if !strings.Contains(err.Error(), "bank2.json") {
				t.Errorf("error without the file's name: %v", err)
			}
			return
		}
		if _, err := b.Score2(Answers{}, ""); err != nil {
			t.Errorf("a valid bank does not score empty answers: %v", err)
		}
	})
}
