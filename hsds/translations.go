package hsds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Translations is Haven's x_translations extension of a service: its
// name, description, eligibility, application process and fees in other
// languages than the listing's own (English), which HSDS 3.0 has no field
// for. In JSON it is an object keyed by ISO 639-1 code:
//
//	"x_translations": {"es": {"name": "…", "description": "…"}}
//
// and in the tabular form the same object as JSON text in the
// x_translations column of services.csv. The Go value holds that JSON
// text, compact and, once read well, in canonical form (keys sorted, empty
// texts left out), so that it is a plain scalar to the tables' machinery.
// What it says is checked with the rest of a service (the rule
// "service.x_translations").
type Translations string

// Translation is one language's version of a service's texts.
type Translation struct {
	Name                   string `json:"name,omitzero"`
	Description            string `json:"description,omitzero"`
	EligibilityDescription string `json:"eligibility_description,omitzero"`
	ApplicationProcess     string `json:"application_process,omitzero"`
	FeesDescription        string `json:"fees_description,omitzero"`
}

// TranslatedFields are the service fields a translation may give, by
// their HSDS names.
var TranslatedFields = []string{"name", "description", "eligibility_description", "application_process", "fees_description"}

// Field returns a translated field by its HSDS name ("" for another name).
func (t *Translation) Field(name string) *string {
	switch name {
	case "name":
		return &t.Name
	case "description":
		return &t.Description
	case "eligibility_description":
		return &t.EligibilityDescription
	case "application_process":
		return &t.ApplicationProcess
	case "fees_description":
		return &t.FeesDescription
	}
	return nil
}

// ParseTranslations reads the extension's JSON text; "" is none. Errors
// say what is wrong in words for a curator or an importer.
func ParseTranslations(s string) (map[string]Translation, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("text is not valid UTF-8")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil || raw == nil {
		return nil, fmt.Errorf(`%s is not a JSON object of languages, such as {"es": {"name": "…"}}`, quote(truncateText(s, 60)))
	}
	out := make(map[string]Translation, len(raw))
	for lang, v := range raw {
		if len(lang) != 2 || !lowerLetters(lang) {
			return nil, fmt.Errorf("%s is not an ISO 639-1 language code (two lower-case letters such as es)", quote(truncateText(lang, 20)))
		}
		if lang == "en" {
			return nil, fmt.Errorf(`"en" is the listing's own language: write English in the service's fields, not as a translation`)
		}
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.DisallowUnknownFields()
		var tr Translation
		if err := dec.Decode(&tr); err != nil || dec.More() {
			return nil, fmt.Errorf("the %s translation must be an object of texts, with only the fields %s", lang, strings.Join(TranslatedFields, ", "))
		}
		for _, f := range TranslatedFields {
			text := *tr.Field(f)
			if len(text) > MaxTextBytes {
				return nil, fmt.Errorf("the %s %s has %d bytes, more than the limit of %d", lang, f, len(text), MaxTextBytes)
			}
			*tr.Field(f) = strings.TrimSpace(text)
		}
		if tr != (Translation{}) {
			out[lang] = tr
		}
	}
	return out, nil
}

// MakeTranslations returns the canonical text of translations ("" when
// none has a text).
func MakeTranslations(m map[string]Translation) Translations {
	keep := map[string]Translation{}
	for lang, tr := range m {
		if tr != (Translation{}) {
			keep[lang] = tr
		}
	}
	if len(keep) == 0 {
		return ""
	}
	b, _ := json.Marshal(keep) // map keys come sorted
	return Translations(b)
}

// Get returns the translation into lang, ok false when there is none (or
// the text is not one ParseTranslations reads).
func (t Translations) Get(lang string) (Translation, bool) {
	m, err := ParseTranslations(string(t))
	if err != nil {
		return Translation{}, false
	}
	tr, ok := m[lang]
	return tr, ok
}

// Languages returns the languages t has a translation into, sorted.
func (t Translations) Languages() []string {
	m, _ := ParseTranslations(string(t))
	var out []string
	for lang := range m {
		out = append(out, lang)
	}
	slices.Sort(out)
	return out
}

// MarshalJSON writes the object, canonical; text ParseTranslations cannot
// read is an error (validation reports it before any writer sees it).
func (t Translations) MarshalJSON() ([]byte, error) {
	m, err := ParseTranslations(string(t))
	if err != nil {
		return nil, fmt.Errorf("x_translations: %v", err)
	}
	if len(m) == 0 {
		return []byte("{}"), nil
	}
	return []byte(MakeTranslations(m)), nil
}

// UnmarshalJSON keeps the JSON text: canonical when ParseTranslations reads
// it, else as given (compacted), for validation to say what is wrong.
func (t *Translations) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = ""
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	if m, err := ParseTranslations(buf.String()); err == nil {
		*t = MakeTranslations(m)
		return nil
	}
	*t = Translations(buf.String())
	return nil
}

// checkTranslations is the validation rule of service.x_translations.
func checkTranslations(s string) string {
	if _, err := ParseTranslations(s); err != nil {
		return err.Error()
	}
	return ""
}

func lowerLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func truncateText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
