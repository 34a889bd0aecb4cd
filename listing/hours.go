package listing

import (
	"regexp"
	"slices"
	"strings"

	"haven"
)

// Day is one day's opening as the day-by-day hours form shows it.
type Day struct {
	Code          string // MO … SU
	Open          bool
	Opens, Closes string // HH:MM
}

// Days are the codes of the week's days, Monday first.
var Days = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// HoursDays reads the "hours" text into one row a day. ok is false when
// the text gives a day more than one opening (a split shift), which only
// the text form can show.
func HoursDays(text string) (days []Day, ok bool) {
	byCode := map[string]*Day{}
	for _, c := range Days {
		days = append(days, Day{Code: c})
	}
	for i := range days {
		byCode[days[i].Code] = &days[i]
	}
	for _, line := range strings.Split(text, "\n") {
		m := hoursLine.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(line)))
		if m == nil {
			if strings.TrimSpace(line) != "" {
				return days, false
			}
			continue
		}
		for _, c := range strings.Split(m[1], ",") {
			d := byCode[c]
			if d.Open {
				return days, false
			}
			d.Open, d.Opens, d.Closes = true, m[2], m[3]
		}
	}
	return days, true
}

var hhmmTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$`)

// DaysHours writes day rows as "hours" text, one line for each set of days
// with the same times, in the week's order: "MO,TU,WE,TH,FR 09:00-17:00".
// EINVALID names the first open day without a time or with closing before
// opening.
func DaysHours(days []Day) (string, error) {
	var lines []string
	var times []string // "09:00-17:00", by line
	for _, c := range Days {
		i := slices.IndexFunc(days, func(d Day) bool { return d.Code == c })
		if i < 0 || !days[i].Open {
			continue
		}
		d := days[i]
		if !hhmmTime.MatchString(d.Opens) || !hhmmTime.MatchString(d.Closes) || d.Closes <= d.Opens {
			return "", haven.Errorf(haven.EINVALID, "%s: give an opening and a later closing time.", c)
		}
		t := d.Opens + "-" + d.Closes
		if j := slices.Index(times, t); j >= 0 {
			lines[j] = strings.Replace(lines[j], " ", ","+c+" ", 1)
			continue
		}
		times, lines = append(times, t), append(lines, c+" "+t)
	}
	return strings.Join(lines, "\n"), nil
}
