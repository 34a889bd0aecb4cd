package http

import (
	"haven/hsds"
	"haven/i18n"
)

// A service's texts are written in English and, where curators gave them,
// in other languages too (Haven's x_translations extension). Pages, cards
// and referral sheets show the visitor's language where it exists, and say
// so where it does not.

// localized returns sv as a visitor reading l's language sees it: a copy
// with its name, description, eligibility, application process and fees
// in that language where a translation gives them, and the key of the note
// to show: "" when everything shown is in the visitor's language,
// "translation.none" when nothing is translated, "translation.partial"
// when some texts are.
func localized(l *i18n.Localizer, sv *hsds.Service) (*hsds.Service, string) {
	if l.Lang == i18n.Default {
		return sv, ""
	}
	tr, _ := sv.XTranslations.Get(l.Lang)
	cp := *sv
	texts, done := 0, 0
	for _, f := range hsds.TranslatedFields {
		own := serviceText(&cp, f)
		if *own == "" {
			continue
		}
		texts++
		if t := *tr.Field(f); t != "" {
			*own = t
			done++
		}
	}
	switch {
	case texts == done:
		return &cp, ""
	case done == 0:
		return &cp, "translation.none"
	}
	return &cp, "translation.partial"
}

// serviceText is the service field a translation may replace.
func serviceText(sv *hsds.Service, field string) *string {
	switch field {
	case "name":
		return &sv.Name
	case "description":
		return &sv.Description
	case "eligibility_description":
		return &sv.EligibilityDescription
	case "application_process":
		return &sv.ApplicationProcess
	case "fees_description":
		return &sv.FeesDescription
	}
	panic("no service text " + field)
}

// langNoteText is a note's text, "" for none.
func langNoteText(l *i18n.Localizer, key string) string {
	if key == "" {
		return ""
	}
	return l.T(key)
}
