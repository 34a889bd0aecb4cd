package haven_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"haven"
	"haven/hsds"
)

func TestServiceHours(t *testing.T) {
	lat, lon := 19.43, -99.13
	farLon := -120.0
	tests := []struct {
		name      string
		schedules []hsds.Schedule
		places    []haven.DirectoryPlace
		want      []haven.WeeklyHours
	}{
		{"weekdays in Texas", []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO,FR", OpensAt: "09:00", ClosesAt: "17:30"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "TX", Country: "US"}},
			[]haven.WeeklyHours{{"America/Chicago", time.Monday, 540, 1050}, {"America/Chicago", time.Friday, 540, 1050}}},
		{"past midnight", []hsds.Schedule{{ByDay: "SA", OpensAt: "22:00:00", ClosesAt: "02:00:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "CA", Country: "US"}},
			[]haven.WeeklyHours{{"America/Los_Angeles", time.Sunday, 0, 120}, {"America/Los_Angeles", time.Saturday, 1320, 1440}}},
		{"whole day", []hsds.Schedule{{Freq: "WEEKLY", ByDay: "su", OpensAt: "00:00", ClosesAt: "00:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "MX-ROO", Country: "MX"}},
			[]haven.WeeklyHours{{"America/Cancun", time.Sunday, 0, 1440}}},
		{"to 23:59 is to midnight", []hsds.Schedule{{ByDay: "TU", OpensAt: "08:00", ClosesAt: "23:59"}},
			[]haven.DirectoryPlace{{LocationID: "l1", Country: "GT"}},
			[]haven.WeeklyHours{{"America/Guatemala", time.Tuesday, 480, 1440}}},
		{"two zones", []hsds.Schedule{{ByDay: "WE", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "NY", Country: "US"}, {LocationID: "l2", State: "CA-BC", Country: "CA"}},
			[]haven.WeeklyHours{{"America/New_York", time.Wednesday, 600, 660}, {"America/Vancouver", time.Wednesday, 600, 660}}},
		{"a schedule of one location", []hsds.Schedule{{LocationID: "l2", ByDay: "WE", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "NY", Country: "US"}, {LocationID: "l2", State: "HI", Country: "US"}},
			[]haven.WeeklyHours{{"Pacific/Honolulu", time.Wednesday, 600, 660}}},
		{"coordinates only", []hsds.Schedule{{ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", Lat: &lat, Lon: &farLon}},
			[]haven.WeeklyHours{{"Etc/GMT+8", time.Monday, 600, 660}}},
		{"a country Haven knows", []hsds.Schedule{{ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", Country: "MX", Lat: &lat, Lon: &lon}},
			[]haven.WeeklyHours{{"America/Mexico_City", time.Monday, 600, 660}}},
		{"no place: the schedule's offset", []hsds.Schedule{{ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00", Timezone: ptr(-5.0)}}, nil,
			[]haven.WeeklyHours{{"Etc/GMT+5", time.Monday, 600, 660}}},
		{"no place, no offset: unknown", []hsds.Schedule{{ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}}, nil, nil},
		{"no times: unknown", []hsds.Schedule{{Freq: "WEEKLY", ByDay: "MO", Description: "By appointment"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "TX"}}, nil},
		{"monthly: not read", []hsds.Schedule{{Freq: "MONTHLY", ByDay: "1MO", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "TX"}}, nil},
		{"every other week: not read", []hsds.Schedule{{Freq: "WEEKLY", Interval: ptr(2.0), ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "TX"}}, nil},
		{"bad times: not read", []hsds.Schedule{{ByDay: "MO", OpensAt: "25:00", ClosesAt: "11:00"}, {ByDay: "MO", OpensAt: "9am", ClosesAt: "5pm"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "TX"}}, nil},
		{"repeats once", []hsds.Schedule{{ByDay: "MO,MO", OpensAt: "10:00", ClosesAt: "11:00"}, {ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:00"}},
			[]haven.DirectoryPlace{{LocationID: "l1", State: "FL"}},
			[]haven.WeeklyHours{{"America/New_York", time.Monday, 600, 660}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := haven.ServiceHours(&hsds.Service{Schedules: tt.schedules}, tt.places)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestHourZones checks that every zone Haven may read hours in loads from
// the embedded database: one that did not would read as UTC.
func TestHourZones(t *testing.T) {
	zones := haven.HourZones()
	if len(zones) < 100 {
		t.Fatalf("only %d zones", len(zones))
	}
	for _, z := range zones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %s: %v", z, err)
		}
	}
}

func TestHoursOpen(t *testing.T) {
	chicago := []haven.WeeklyHours{{"America/Chicago", time.Monday, 540, 1020}}
	always := make([]haven.WeeklyHours, 7)
	for d := range always {
		always[d] = haven.WeeklyHours{"Europe/Madrid", time.Weekday(d), 0, 1440}
	}
	at := func(s string) haven.OpenAt {
		ti, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return haven.OpenAt{Instant: ti}
	}
	tests := []struct {
		name  string
		hours []haven.WeeklyHours
		at    haven.OpenAt
		want  bool
	}{
		{"opening minute", chicago, at("2026-12-07T15:00:00Z"), true},
		{"before", chicago, at("2026-12-07T14:59:00Z"), false},
		{"closing minute is closed", chicago, at("2026-12-07T23:00:00Z"), false},
		{"the same time in summer is an hour later", chicago, at("2026-07-06T14:00:00Z"), true},
		{"another day", chicago, at("2026-12-08T16:00:00Z"), false},
		{"wall clock", chicago, haven.OpenAt{Wall: true, Day: time.Monday, Minute: 600}, true},
		{"any time that day", chicago, haven.OpenAt{Wall: true, Day: time.Monday, Minute: -1}, true},
		{"24/7", always, at("2026-02-28T03:00:00Z"), true},
		{"unknown hours", nil, at("2026-12-07T16:00:00Z"), false},
	}
	for _, tt := range tests {
		if got := haven.HoursOpen(tt.hours, tt.at); got != tt.want {
			t.Errorf("%s: HoursOpen = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !haven.AlwaysOpen(always) || haven.AlwaysOpen(chicago) {
		t.Error("AlwaysOpen is wrong")
	}
}

func TestParseWhoParams(t *testing.T) {
	now := time.Date(2026, 12, 7, 16, 30, 0, 0, time.UTC)
	tests := []struct {
		raw     string
		want    haven.DirectoryFilter
		badName string // the parameter an error names
	}{
		{raw: "age=16", want: haven.DirectoryFilter{Age: ptr(16)}},
		{raw: "age=0&population=Minors&trafficking=labor", want: haven.DirectoryFilter{Age: ptr(0), Population: "minors", Trafficking: "labor"}},
		{raw: "open=now", want: haven.DirectoryFilter{Open: &haven.OpenAt{Instant: now, Now: true}}},
		{raw: "open_at=2026-12-07T18:00", want: haven.DirectoryFilter{Open: &haven.OpenAt{Wall: true, Day: time.Monday, Minute: 1080}}},
		{raw: "open_at=2026-12-07T18:00:00-06:00", want: haven.DirectoryFilter{Open: &haven.OpenAt{Instant: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)}}},
		{raw: "open_day=sat", want: haven.DirectoryFilter{Open: &haven.OpenAt{Wall: true, Day: time.Saturday, Minute: -1}}},
		{raw: "open_day=FRI&open_time=23:15", want: haven.DirectoryFilter{Open: &haven.OpenAt{Wall: true, Day: time.Friday, Minute: 23*60 + 15}}},
		{raw: "age=121", badName: "age"},
		{raw: "age=-1", badName: "age"},
		{raw: "age=sixteen", badName: "age"},
		{raw: "population=children", badName: "population"},
		{raw: "trafficking=organ", badName: "trafficking"},
		{raw: "open=later", badName: "open"},
		{raw: "open_at=tomorrow", badName: "open_at"},
		{raw: "open_at=2026-02-30T10:00", badName: "open_at"},
		{raw: "open_day=someday", badName: "open_day"},
		{raw: "open_time=18:00", badName: "open_day"},
		{raw: "open_day=mon&open_time=24:00", badName: "open_time"},
		{raw: "open_day=mon&open_time=6pm", badName: "open_time"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.raw)
		f, err := haven.ParseDirectoryQuery(q, haven.DirectoryParams{PerPage: 20, Now: now})
		if tt.badName != "" {
			var pe *haven.ParamError
			if !asParamError(err, &pe) || pe.Param != tt.badName {
				t.Errorf("%s: error %v, want one naming %s", tt.raw, err, tt.badName)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.raw, err)
			continue
		}
		tt.want.Limit = 20
		if f.Open != nil && tt.want.Open != nil && !f.Open.Instant.Equal(tt.want.Open.Instant) {
			t.Errorf("%s: instant %v, want %v", tt.raw, f.Open.Instant, tt.want.Open.Instant)
		}
		if f.Open != nil && tt.want.Open != nil {
			f.Open.Instant, tt.want.Open.Instant = time.Time{}, time.Time{}
		}
		if got, want := describe(f), describe(tt.want); got != want {
			t.Errorf("%s: got %s, want %s", tt.raw, got, want)
		}
	}
}

func describe(f haven.DirectoryFilter) string {
	s := ""
	if f.Age != nil {
		s += "age=" + string(rune('0'+*f.Age/100)) + string(rune('0'+*f.Age/10%10)) + string(rune('0'+*f.Age%10)) + " "
	}
	s += "population=" + f.Population + " trafficking=" + f.Trafficking
	if f.Open != nil {
		s += " open=" + f.Open.String()
		if f.Open.Now {
			s += " (now)"
		}
	}
	return s
}

// FuzzParseOpenAt checks that whatever open, open_at, open_day and
// open_time say, the parser answers a valid moment or a named error.
func FuzzParseOpenAt(f *testing.F) {
	for _, s := range [][4]string{{"now", "", "", ""}, {"", "2026-12-07T18:00", "", ""}, {"", "2026-12-07T18:00:00Z", "", ""},
		{"", "", "sat", ""}, {"", "", "mon", "18:00"}, {"", "", "3", "09:30:00"}, {"", "", "", "18:00"}, {"", "2026-13-01T00:00", "", ""},
		{"", "", "mon", "24:00"}, {"", "", "mon", "23:5"}} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, open, openAt, day, clock string) {
		o, err := haven.ParseOpenAt(open, openAt, day, clock, time.Unix(0, 0))
		if err != nil {
			var pe *haven.ParamError
			if !asParamError(err, &pe) {
				t.Fatalf("error %v is not a ParamError", err)
			}
			return
		}
		if o == nil {
			return
		}
		f := haven.DirectoryFilter{Open: o}
		if err := f.Validate(); err != nil {
			t.Fatalf("%v does not validate: %v", *o, err)
		}
		_ = haven.HoursOpen([]haven.WeeklyHours{{"America/Chicago", time.Monday, 0, 1440}}, *o)
	})
}

// FuzzServiceHours checks that any schedule reads as hours within a day.
func FuzzServiceHours(f *testing.F) {
	f.Add("WEEKLY", "MO,TU", "09:00", "17:00", 1.0)
	f.Add("", "SA", "22:00:00", "02:00:00", 0.0)
	f.Add("DAILY", "", "00:00", "24:00", -5.0)
	f.Add("MONTHLY", "1MO", "xx:yy", "12:00", 0.0)
	f.Fuzz(func(t *testing.T, freq, byday, opens, closes string, interval float64) {
		s := &hsds.Service{Schedules: []hsds.Schedule{{Freq: freq, ByDay: byday, OpensAt: opens, ClosesAt: closes, Interval: &interval, Timezone: &interval}}}
		for _, places := range [][]haven.DirectoryPlace{nil, {{LocationID: "l", State: "TX"}}} {
			for _, h := range haven.ServiceHours(s, places) {
				if h.Day < 0 || h.Day > 6 || h.Opens < 0 || h.Closes > 1440 || h.Opens >= h.Closes || h.Zone == "" {
					t.Fatalf("bad hours %+v from %q %q %q-%q", h, freq, byday, opens, closes)
				}
			}
		}
	})
}

func asParamError(err error, pe **haven.ParamError) bool { return errors.As(err, pe) }
