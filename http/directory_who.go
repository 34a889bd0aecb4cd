package http

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"haven"
	"haven/i18n"
)

// whoForm is what /directory shows of the filters of who can be helped
// and when: an age box, and "open" as now or a day and time on the
// service's own clocks. Plain form controls, so that the page needs no
// script.
type whoForm struct {
	Age      string
	OpenNow  bool
	OpenDay  string // mon … sun, "" for any
	OpenTime string // HH:MM, "" for any time of the day
	Days     []dayOption
	// OpenNote says, when an open filter is on, that services whose
	// hours Haven does not know are left out rather than called closed.
	OpenNote string
	// Room is the "Has room now" box (capacity=available); RoomNote says
	// what it leaves out.
	Room     bool
	RoomHint string
	RoomNote string
}

type dayOption struct {
	Value, Label string
	Selected     bool
}

// icalOf is the catalog's day keys ("day.MO"), by weekday.
var icalOf = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// whoFormOf fills the form from a parsed filter, and returns the chips of
// its filters, each with a link that drops it.
func whoFormOf(l *i18n.Localizer, u *url.URL, f haven.DirectoryFilter) (whoForm, []chip) {
	var w whoForm
	var chips []chip
	if f.Age != nil {
		w.Age = strconv.Itoa(*f.Age)
		chips = append(chips, chip{l.T("who.age.chip", *f.Age), withParam(u, "age", "")})
	}
	if o := f.Open; o != nil {
		drop := *u
		q := drop.Query()
		for _, p := range []string{"open", "open_at", "open_day", "open_time"} {
			q.Del(p)
		}
		drop.RawQuery = q.Encode()
		clear := withParam(&drop, "page", "")
		switch {
		case o.Now:
			w.OpenNow = true
			chips = append(chips, chip{l.T("who.open.now"), clear})
		case o.Wall && o.Minute < 0:
			w.OpenDay = haven.OpenDayCode(o.Day)
			chips = append(chips, chip{l.T("who.open.day", l.T("day."+icalOf[o.Day])), clear})
		case o.Wall:
			w.OpenDay, w.OpenTime = haven.OpenDayCode(o.Day), fmt.Sprintf("%02d:%02d", o.Minute/60, o.Minute%60)
			chips = append(chips, chip{l.T("who.open.at", l.T("day."+icalOf[o.Day]), w.OpenTime), clear})
		default: // an instant, from the API's open_at with a zone
			chips = append(chips, chip{l.T("who.open.instant", o.Instant.UTC().Format("2006-01-02 15:04")+" UTC"), clear})
		}
		w.OpenNote = l.T("who.open.note")
	}
	if !f.RoomSince.IsZero() {
		w.Room = true
		chips = append(chips, chip{l.T("capacity.filter"), withParam(u, "capacity", "")})
		w.RoomNote = l.T("capacity.filter.note")
	}
	// Monday first, as people plan a week.
	for _, d := range []time.Weekday{1, 2, 3, 4, 5, 6, 0} {
		code := haven.OpenDayCode(d)
		w.Days = append(w.Days, dayOption{code, l.T("day." + icalOf[d]), code == w.OpenDay})
	}
	return w, chips
}
