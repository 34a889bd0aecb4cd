package http

import (
	"testing"
	"time"

	"haven/hsds"
	"haven/i18n"
)

func TestClockAndDate(t *testing.T) {
	for _, tt := range []struct{ lang, in, want string }{
		{"en", "09:00", "9:00 AM"},
		{"en", "17:30", "5:30 PM"},
		{"en", "00:00", "12:00 AM"},
		{"en", "12:00", "12:00 PM"},
		{"en", "24:00", "12:00 AM"},
		{"en", "9am", "9am"}, // unreadable: as it is
		{"es", "17:30", "17:30"},
		{"es", "09:00", "09:00"},
	} {
		if got := clock(tt.lang, tt.in); got != tt.want {
			t.Errorf("clock(%q, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	d := time.Date(2026, time.March, 3, 12, 0, 0, 0, time.UTC)
	if got := formatDate(d, "en"); got != "March 3, 2026" {
		t.Errorf("English date %q", got)
	}
	if got := formatDate(d, "es"); got != "3 de marzo de 2026" {
		t.Errorf("Spanish date %q", got)
	}
	sched := []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU", OpensAt: "09:00", ClosesAt: "17:00"}}
	if got := scheduleLines(i18n.New("en"), sched); len(got) != 1 || got[0] != "Mon, Tue 9:00 AM–5:00 PM" {
		t.Errorf("English hours %q", got)
	}
	if got := scheduleLines(i18n.New("es"), sched); len(got) != 1 || got[0] != "lun, mar 09:00–17:00" {
		t.Errorf("Spanish hours %q", got)
	}
	monday := time.Date(2026, time.March, 2, 12, 0, 0, 0, time.UTC)
	if got := todaysHours(i18n.New("en"), sched, monday); got != "Open today 9:00 AM–5:00 PM" {
		t.Errorf("English today %q", got)
	}
}
