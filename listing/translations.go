package listing

import (
	"strings"

	"haven/hsds"
)

// TranslationLangs are the languages curators give a service's texts in
// beside English: the UI's other language.
var TranslationLangs = []string{"es"}

// The service form's fields of a service's texts in Spanish, stored in
// Haven's x_translations extension: "name_es", "description_es",
// "eligibility_description_es", "application_process_es" and
// "fees_description_es". Each is audited like any other field.
func init() {
	for _, lang := range TranslationLangs {
		for _, field := range hsds.TranslatedFields {
			name := field + "_" + lang
			ServiceFields = append(ServiceFields, name)
			serviceTextFields[name] = translationField(lang, field)
		}
	}
}

// IsTranslationField reports whether a service form field is a
// translation, and of which field into which language.
func IsTranslationField(name string) (field, lang string, ok bool) {
	for _, l := range TranslationLangs {
		if f, found := strings.CutSuffix(name, "_"+l); found {
			for _, tf := range hsds.TranslatedFields {
				if tf == f {
					return f, l, true
				}
			}
		}
	}
	return "", "", false
}

func translationField(lang, field string) textField {
	return textField{
		get: func(s *hsds.Service) string {
			tr, _ := s.XTranslations.Get(lang)
			return *tr.Field(field)
		},
		set: func(s *hsds.Service, v string, _ CategoryLookup) error {
			m, err := hsds.ParseTranslations(string(s.XTranslations))
			if err != nil {
				m = nil // unreadable text is replaced: validation refused it on import
			}
			if m == nil {
				m = map[string]hsds.Translation{}
			}
			tr := m[lang]
			*tr.Field(field) = strings.TrimSpace(v)
			m[lang] = tr
			s.XTranslations = hsds.MakeTranslations(m)
			return nil
		},
	}
}
