package http

import (
	"net/url"
	"strings"

	"haven/listing"
)

// readHoursDays reads the day-by-day hours controls of the service form
// into values["hours"]. The text form beside them wins when the curator
// changed it (a bulk edit), and so does a form without the controls (a
// script's); days whose times did not change keep the text as written.
func readHoursDays(p *page, form url.Values, values, errs map[string]string) {
	if _, ok := form["day_MO"]; !ok {
		return
	}
	was := form.Get("hours_was")
	if !sameText(form.Get("hours"), was) {
		return
	}
	var days []listing.Day
	for _, c := range listing.Days {
		d := listing.Day{Code: c, Open: form.Get("day_"+c) == "open", Opens: hhmmOf(form.Get("opens_" + c)), Closes: hhmmOf(form.Get("closes_" + c))}
		if _, err := listing.DaysHours([]listing.Day{d}); err != nil {
			errs["hours"] = p.L.T("hours.bad", p.L.T("day."+c))
			return
		}
		days = append(days, d)
	}
	text, err := listing.DaysHours(days)
	if err != nil {
		errs["hours"] = err.Error()
		return
	}
	if before, ok := listing.HoursDays(was); ok {
		if same, _ := listing.DaysHours(before); same == text {
			return // nothing changed: the text stays as written
		}
	}
	values["hours"] = text
}

// sameText compares two texts as forms send them, whatever their line
// ends.
func sameText(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	return norm(a) == norm(b)
}

// hhmmOf reads a time control's value, which may carry seconds.
func hhmmOf(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 8 && s[5] == ':' {
		return s[:5]
	}
	return s
}

// hoursForm is what the service form shows of the hours: a row a day, when
// the hours fit one opening a day.
type hoursForm struct {
	Days   []listing.Day
	DaysOK bool
}

func hoursFormOf(text string) hoursForm {
	days, ok := listing.HoursDays(text)
	return hoursForm{Days: days, DaysOK: ok}
}

// hoursFieldData is what the "hoursfield" template needs.
type hoursFieldData struct {
	P           *page
	Text, Error string
	Form        hoursForm
}
