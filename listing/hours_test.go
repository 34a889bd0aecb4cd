package listing_test

import (
	"testing"

	"haven"
	"haven/listing"
)

func TestHoursDays(t *testing.T) {
	for _, c := range []struct {
		text, want string
		ok         bool
	}{
		{"MO,TU,WE,TH,FR 09:00-17:00", "MO,TU,WE,TH,FR 09:00-17:00", true},
		{"SA 10:00-14:00\nMO,WE 08:00-12:00", "MO,WE 08:00-12:00\nSA 10:00-14:00", true},
		{"", "", true},
		{"MO 09:00-12:00\nMO 13:00-17:00", "", false},
		{"weekdays", "", false},
	} {
		days, ok := listing.HoursDays(c.text)
		if ok != c.ok {
			t.Errorf("HoursDays(%q) ok = %v", c.text, ok)
			continue
		}
		if !ok {
			continue
		}
		if got, err := listing.DaysHours(days); err != nil || got != c.want {
			t.Errorf("DaysHours(HoursDays(%q)) = %q, %v; want %q", c.text, got, err, c.want)
		}
	}
	for _, bad := range []listing.Day{{Code: "TU", Open: true}, {Code: "TU", Open: true, Opens: "17:00", Closes: "09:00"}, {Code: "TU", Open: true, Opens: "25:00", Closes: "26:00"}} {
		if _, err := listing.DaysHours([]listing.Day{bad}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("DaysHours(%+v): %v, want EINVALID", bad, err)
		}
	}
	// A closed day is left out whatever its times.
	if got, _ := listing.DaysHours([]listing.Day{{Code: "SU", Opens: "x"}}); got != "" {
		t.Errorf("closed day: %q", got)
	}
}
