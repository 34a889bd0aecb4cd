package screening_test

import (
	"strings"
	"testing"
	"time"

	"haven"
	"haven/screening"
	"haven/vault"
)

func goodRecord() screening.Record {
	return screening.Record{Format: screening.RecordFormat, Interviewer: "s@example.org", InterviewerID: "u1",
		Saved: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), Language: "es",
		Answers: screening.Answers{"doc-taken": screening.Yes}, Notes: map[string]string{"doc-taken": "kept by the employer"}}
}

func TestCheckRecord(t *testing.T) {
	b, err := screening.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(goodRecord()); err != nil {
		t.Fatalf("a good record: %v", err)
	}
	for _, tc := range []struct {
		field string
		edit  func(r *screening.Record)
	}{
		{"format", func(r *screening.Record) { r.Format = 9 }},
		{"interviewer", func(r *screening.Record) { r.InterviewerID = "" }},
		{"saved", func(r *screening.Record) { r.Saved = time.Time{} }},
		{"language", func(r *screening.Record) { r.Language = "fr" }},
		{"person_language", func(r *screening.Record) { r.PersonLanguage = "Spanish" }},
		{"place", func(r *screening.Record) { r.Place = strings.Repeat("x", screening.MaxPlace+1) }},
		{"reference", func(r *screening.Record) { r.Reference = "\xff" }},
		{"answers", func(r *screening.Record) { r.Answers["no-such-question"] = screening.Yes }},
		{"answers", func(r *screening.Record) { r.Answers["doc-taken"] = "maybe" }},
		{"notes", func(r *screening.Record) { r.Notes["no-such-question"] = "x" }},
		{"notes", func(r *screening.Record) { r.Notes["doc-taken"] = strings.Repeat("é", screening.MaxNote) }},
	} {
		r := goodRecord()
		tc.edit(&r)
		err := b.Check(r)
		if haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(haven.ErrorMessage(err), "field "+tc.field) {
			t.Errorf("%s: %v", tc.field, err)
		}
	}
}

func TestSealOpen(t *testing.T) {
	key, _ := vault.NewKey()
	keys := vault.NewKeyring(key)
	v, err := screening.Seal(keys, goodRecord(), screening.ReasonAmend)(nil, "rec-1")
	if err != nil {
		t.Fatal(err)
	}
	// A first version is a save, whatever the caller said.
	if screening.VersionReason(v) != screening.ReasonSave || strings.Contains(v.Meta+v.Sealed, "employer") {
		t.Errorf("version 1: meta %q", v.Meta)
	}
	got, err := screening.Open(keys, v)
	if err != nil || got.Notes["doc-taken"] != "kept by the employer" || !got.Saved.Equal(goodRecord().Saved) {
		t.Fatalf("open: %+v %v", got, err)
	}
	other, _ := vault.NewKey()
	if _, err := screening.Open(vault.NewKeyring(other), v); err == nil {
		t.Error("opened with the wrong key")
	}
}

func TestDecodeRecordStrict(t *testing.T) {
	for _, in := range []string{`{"format":1,"secret":"x"}`, `{"format":1}{}`, `[]`, ``, `{"format":"1"}`} {
		if _, err := screening.DecodeRecord([]byte(in)); err == nil {
			t.Errorf("%q decoded", in)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	pt, _ := goodRecord().Encode()
	f.Add(pt)
	f.Add([]byte(`{"format":1,"answers":{"x":"yes"}}`))
	b, _ := screening.Load()
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := screening.DecodeRecord(data)
		if err != nil {
			return
		}
		_ = b.Check(r) // must not panic
		again, err := r.Encode()
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		if _, err := screening.DecodeRecord(again); err != nil {
			t.Fatalf("a record does not survive a round trip: %v", err)
		}
	})
}
