package intake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestLanguageCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"Spanish", "es", true},
		{" español ", "es", true},
		{"ES", "es", true},
		{"spa", "es", true},
		{"Haitian Creole", "ht", true},
		{"Kreyol", "ht", true},
		{"Vietnamese", "vi", true},
		{"Tiếng Việt", "vi", true},
		{"Farsi", "fa", true},
		{"ASL", "ase", true},
		{"pt-BR", "pt-br", true},
		{"Creole", "", false},
		{"Klingon", "", false},
		{"", "", false},
	} {
		got, ok := LanguageCode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LanguageCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStableID(t *testing.T) {
	a := StableID("county211", "service", "17")
	if a != StableID(" County211 ", "service", " 17 ") {
		t.Errorf("the same source, table and id gave two ids")
	}
	for _, other := range []string{StableID("county211", "organization", "17"), StableID("other", "service", "17"), StableID("county211", "service", "18")} {
		if other == a {
			t.Errorf("%s: different rows share an id", other)
		}
	}
	if StableIDs("county211")("service", "17") != a {
		t.Error("StableIDs and StableID differ")
	}
	const u = "0A6F3B8E-6E36-4E2B-9D6B-5A4C1E2F3A4B"
	if got := StableID("x", "service", u); got != strings.ToLower(u) {
		t.Errorf("a UUID id changed: %s", got)
	}
}

func TestWebURLAndState(t *testing.T) {
	for in, want := range map[string]string{
		"www.example.org":        "https://www.example.org",
		" http://example.org/a ": "http://example.org/a",
		"example.org/help":       "https://example.org/help",
		"info@example.org":       "",
		"see our facebook":       "",
		"javascript:alert(1)":    "",
	} {
		got, ok := WebURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("WebURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]string{"FL ": "FL", "florida": "FL", "Nuevo México": "NM", "Ontario": ""} {
		if got, _ := USState(in); got != want {
			t.Errorf("USState(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestReport(t *testing.T) {
	var r Report
	r.Source, r.Format = "pkg", FormatHSDS11
	tb := r.Table("services")
	tb.Read = 5
	for i := range 5 {
		tb.Skip("organization_id names no organization", "row "+string(rune('2'+i)))
	}
	tb.NoHome("fax")
	tb.NoHome("fax")
	if r.Table("services") != tb || r.SkippedRows() != 5 || len(tb.SkipReasons[0].Examples) != MaxExamples || len(tb.Unmapped) != 1 {
		t.Fatalf("report = %+v", tb)
	}
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil || !strings.Contains(text.String(), "skipped 5: organization_id names no organization (e.g. row 2; row 3; row 4)") || !strings.Contains(text.String(), "fax") {
		t.Errorf("text report:\n%s", text.String())
	}
	var back Report
	if err := r.WriteJSON(&js); err != nil || json.Unmarshal(js.Bytes(), &back) != nil || back.Tables[0].SkipReasons[0].Count != 5 {
		t.Errorf("JSON report does not read back: %s", js.String())
	}
}
