package haven

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones come with the binary, whatever the host has

	"haven/hsds"
)

// Open now, and open at a chosen time, from HSDS schedules.
//
// HSDS 3.0 gives a schedule's times without a time zone (its timezone
// field, where given, is a bare UTC offset, blind to daylight saving), so
// Haven reads each schedule in the zone of the place it is kept at:
//
//   - a U.S. state, Canadian province, Mexican or Australian state: the
//     zone most of its people live in (Texas is America/Chicago though El
//     Paso keeps Mountain time; Florida America/New_York; Indiana
//     America/New_York);
//   - else the country's main zone (zoneByCountry), the capital's where a
//     country has several;
//   - else a place with coordinates only: the nautical zone of its
//     longitude (UTC−5 for 75°W), without daylight saving;
//   - a service with no place at all: the schedule's own UTC offset, when
//     it gives a whole number of hours.
//
// Only weekly hours are read: freq WEEKLY (or none) with byday days, or
// DAILY; opens_at and closes_at as HH:MM. Hours past midnight (22:00–06:00)
// run into the next day; 00:00–00:00, 00:00–23:59 and 00:00–24:00 are the
// whole day, and a service open every day all day is open at any time
// (24/7). valid_from and valid_to are not read. A service's own schedules
// (and those of its service-at-locations) are its hours; when it has none,
// its locations' schedules are.
//
// A service whose hours Haven cannot read this way has unknown hours: it is
// not "closed", but no "open" search finds it, and pages say so.

// OpenAt asks for services open at a moment.
type OpenAt struct {
	// Instant, unless Wall: a moment, read in each service's zone (open
	// now).
	Instant time.Time
	// Wall: a day and time on the clocks where each service is (open on
	// Monday at 18:00). Minute -1 asks for open at any time that day.
	Wall   bool
	Day    time.Weekday
	Minute int
	// Now says the instant is the time of the search, for pages to say
	// "open now" rather than a date.
	Now bool
}

// WeeklyHours is a time a service is open every week: from Opens to Closes
// (minutes after local midnight, Closes up to 1440) on Day, on the clocks
// of Zone (an IANA zone name).
type WeeklyHours struct {
	Zone          string
	Day           time.Weekday
	Opens, Closes int
}

// Local returns the day and minute of o where the clocks keep zone.
func (o OpenAt) Local(zone string) (time.Weekday, int) {
	if o.Wall {
		return o.Day, o.Minute
	}
	t := o.Instant.In(zoneLocation(zone))
	return t.Weekday(), t.Hour()*60 + t.Minute()
}

// HoursOpen reports whether hours include o.
func HoursOpen(hours []WeeklyHours, o OpenAt) bool {
	for _, h := range hours {
		day, minute := o.Local(h.Zone)
		if h.Day == day && (minute < 0 && h.Closes > h.Opens || h.Opens <= minute && minute < h.Closes) {
			return true
		}
	}
	return false
}

// AlwaysOpen reports whether hours cover the whole week (24/7) in one zone.
func AlwaysOpen(hours []WeeklyHours) bool {
	var whole [7]bool
	for _, h := range hours {
		if h.Opens == 0 && h.Closes == 1440 {
			whole[h.Day] = true
		}
	}
	return !slices.Contains(whole[:], false)
}

var zoneCache sync.Map // name → *time.Location

// zoneLocation loads a zone by name, UTC for one that does not load (not
// one Haven assigns).
func zoneLocation(name string) *time.Location {
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	zoneCache.Store(name, l)
	return l
}

// PlaceZone returns the zone Haven reads a place's hours in (see the top of
// this file), "" when it knows none.
func PlaceZone(state, country string, lat, lon *float64) string {
	if z, ok := zoneByState[state]; ok {
		if country == "" || country == "US" || strings.HasPrefix(state, country+"-") {
			return z
		}
	}
	if z, ok := zoneByCountry[country]; ok {
		return z
	}
	if lon != nil && lat != nil && !math.IsNaN(*lon) && *lon >= -180 && *lon <= 180 {
		return offsetZone(int(math.Round(*lon / 15)))
	}
	return ""
}

// offsetZone returns the zone of a fixed offset of whole hours east of UTC
// (the tz database's Etc zones count the other way).
func offsetZone(h int) string {
	switch {
	case h == 0:
		return "Etc/GMT"
	case h > 0:
		return "Etc/GMT-" + strconv.Itoa(min(h, 14))
	default:
		return "Etc/GMT+" + strconv.Itoa(min(-h, 12))
	}
}

// HourZones returns every zone PlaceZone and ServiceHours may assign,
// sorted: SQL search reads the clock of each.
func HourZones() []string {
	set := map[string]bool{}
	for _, z := range zoneByState {
		set[z] = true
	}
	for _, z := range zoneByCountry {
		set[z] = true
	}
	for h := -12; h <= 14; h++ {
		set[offsetZone(h)] = true
	}
	out := make([]string, 0, len(set))
	for z := range set {
		out = append(out, z)
	}
	slices.Sort(out)
	return out
}

// ServiceHours returns a service's weekly hours, each in the zone of its
// place, sorted and once; places are the service's search places. Nil
// means the hours are unknown.
func ServiceHours(s *hsds.Service, places []DirectoryPlace) []WeeklyHours {
	zoneOf := map[string]string{}
	var zones []string
	for _, p := range places {
		z := PlaceZone(p.State, p.Country, p.Lat, p.Lon)
		zoneOf[p.LocationID] = z
		if z != "" && !slices.Contains(zones, z) {
			zones = append(zones, z)
		}
	}
	var out []WeeklyHours
	add := func(sc *hsds.Schedule, locationID string) {
		var in []string
		switch {
		case locationID != "":
			if z := zoneOf[locationID]; z != "" {
				in = []string{z}
			}
		case len(zones) > 0:
			in = zones
		case sc.Timezone != nil && *sc.Timezone == math.Trunc(*sc.Timezone) && *sc.Timezone >= -12 && *sc.Timezone <= 14:
			in = []string{offsetZone(int(*sc.Timezone))}
		}
		for _, z := range in {
			out = appendSchedule(out, sc, z)
		}
	}
	for i := range s.Schedules {
		add(&s.Schedules[i], s.Schedules[i].LocationID)
	}
	for _, sal := range s.ServiceAtLocations {
		for i := range sal.Schedules {
			add(&sal.Schedules[i], sal.LocationID)
		}
	}
	return CanonicalHours(out)
}

// CanonicalHours sorts hours and drops repeats, so that a document's hours
// encode alike however they were found.
func CanonicalHours(hs []WeeklyHours) []WeeklyHours {
	slices.SortFunc(hs, func(a, b WeeklyHours) int {
		if c := strings.Compare(a.Zone, b.Zone); c != 0 {
			return c
		}
		if a.Day != b.Day {
			return int(a.Day) - int(b.Day)
		}
		if a.Opens != b.Opens {
			return a.Opens - b.Opens
		}
		return a.Closes - b.Closes
	})
	return slices.Compact(hs)
}

var icalDays = map[string]time.Weekday{"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}

// appendSchedule appends the weekly hours of one schedule in zone, none
// when it is not a weekly schedule with times Haven reads.
func appendSchedule(out []WeeklyHours, sc *hsds.Schedule, zone string) []WeeklyHours {
	if sc.Interval != nil && *sc.Interval != 1 {
		return out
	}
	opens, ok1 := clockMinutes(sc.OpensAt)
	closes, ok2 := clockMinutes(sc.ClosesAt)
	if !ok1 || !ok2 {
		return out
	}
	var days []time.Weekday
	switch freq := strings.ToUpper(strings.TrimSpace(sc.Freq)); {
	case freq == "DAILY" && strings.TrimSpace(sc.ByDay) == "":
		days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	case freq == "WEEKLY" || freq == "" || freq == "DAILY":
		for _, d := range strings.Split(sc.ByDay, ",") {
			if wd, ok := icalDays[strings.ToUpper(strings.TrimSpace(d))]; ok && !slices.Contains(days, wd) {
				days = append(days, wd)
			}
		}
	}
	if closes == 1439 { // 23:59 means to the end of the day
		closes = 1440
	}
	for _, d := range days {
		switch {
		case closes == 0 || closes == 1440: // to midnight; 00:00–00:00 is the whole day
			out = append(out, WeeklyHours{zone, d, opens, 1440})
		case closes > opens:
			out = append(out, WeeklyHours{zone, d, opens, closes})
		case closes < opens: // past midnight, into the next day
			out = append(out, WeeklyHours{zone, d, opens, 1440}, WeeklyHours{zone, (d + 1) % 7, 0, closes})
		}
	}
	return out
}

// clockMinutes reads HH:MM or HH:MM:SS (a zone suffix is ignored: HSDS
// times are local) as minutes after midnight, 24:00 as 1440.
func clockMinutes(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, false
	}
	return h*60 + m, true
}

// openDays are the values of the open_day parameter, Sunday first.
var openDays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// OpenDayCode returns the open_day code of a weekday ("mon").
func OpenDayCode(d time.Weekday) string { return openDays[d] }

// ParseOpenAt reads when a search asks services to be open: open=now (at
// now), open_at=2026-12-07T18:00 (that day and time on each service's
// clocks) or an RFC 3339 time with a zone (that instant), or
// open_day=mon with an optional open_time=18:00. Nil when none is given.
// Errors are EINVALID *ParamErrors naming the parameter.
func ParseOpenAt(open, openAt, day, clock string, now time.Time) (*OpenAt, error) {
	open, openAt, day, clock = strings.TrimSpace(open), strings.TrimSpace(openAt), strings.ToLower(strings.TrimSpace(day)), strings.TrimSpace(clock)
	switch open {
	case "":
	case "now":
		return &OpenAt{Instant: now, Now: true}, nil
	default:
		return nil, paramErrorf("open", "Parameter open may only be \"now\".")
	}
	if openAt != "" {
		if t, err := time.Parse(time.RFC3339, openAt); err == nil {
			return &OpenAt{Instant: t}, nil
		}
		for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, openAt); err == nil {
				return &OpenAt{Wall: true, Day: t.Weekday(), Minute: t.Hour()*60 + t.Minute()}, nil
			}
		}
		return nil, paramErrorf("open_at", "Parameter open_at must be a date and time such as 2026-12-07T18:00 (on the clocks where each service is).")
	}
	if day == "" {
		if clock != "" {
			return nil, paramErrorf("open_day", "Choose a day for the time %s.", truncate(clock, 10))
		}
		return nil, nil
	}
	d := slices.Index(openDays, day)
	if d < 0 {
		if n, err := strconv.Atoi(day); err == nil && n >= 0 && n <= 6 {
			d = n
		} else {
			return nil, paramErrorf("open_day", "Parameter open_day must be a day: mon, tue, wed, thu, fri, sat or sun.")
		}
	}
	o := &OpenAt{Wall: true, Day: time.Weekday(d), Minute: -1}
	if clock != "" {
		m, ok := clockMinutes(clock)
		if !ok || m >= 1440 || len(clock) > 8 {
			return nil, paramErrorf("open_time", "Parameter open_time must be a time such as 18:00.")
		}
		o.Minute = m
	}
	return o, nil
}

// String is the moment in the parameters' words, for logs and tests.
func (o OpenAt) String() string {
	switch {
	case !o.Wall:
		return o.Instant.Format(time.RFC3339)
	case o.Minute < 0:
		return openDays[o.Day]
	}
	return fmt.Sprintf("%s %02d:%02d", openDays[o.Day], o.Minute/60, o.Minute%60)
}

// zoneByState is the zone of each U.S. state and territory (USPS codes)
// and of the states of Canada, Mexico and Australia (ISO 3166-2): where a
// state spans two zones, the one most of its people live in.
var zoneByState = map[string]string{
	"CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York", "FL": "America/New_York",
	"GA": "America/New_York", "IN": "America/Indiana/Indianapolis", "KY": "America/New_York", "ME": "America/New_York",
	"MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "NH": "America/New_York",
	"NJ": "America/New_York", "NY": "America/New_York", "NC": "America/New_York", "OH": "America/New_York",
	"PA": "America/New_York", "RI": "America/New_York", "SC": "America/New_York", "VT": "America/New_York",
	"VA": "America/New_York", "WV": "America/New_York",
	"AL": "America/Chicago", "AR": "America/Chicago", "IL": "America/Chicago", "IA": "America/Chicago",
	"KS": "America/Chicago", "LA": "America/Chicago", "MN": "America/Chicago", "MS": "America/Chicago",
	"MO": "America/Chicago", "NE": "America/Chicago", "ND": "America/Chicago", "OK": "America/Chicago",
	"SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago", "WI": "America/Chicago",
	"CO": "America/Denver", "MT": "America/Denver", "NM": "America/Denver", "UT": "America/Denver",
	"WY": "America/Denver", "ID": "America/Boise", "AZ": "America/Phoenix",
	"CA": "America/Los_Angeles", "NV": "America/Los_Angeles", "OR": "America/Los_Angeles", "WA": "America/Los_Angeles",
	"AK": "America/Anchorage", "HI": "Pacific/Honolulu", "PR": "America/Puerto_Rico", "VI": "America/St_Thomas",
	"GU": "Pacific/Guam", "AS": "Pacific/Pago_Pago", "MP": "Pacific/Saipan",

	"CA-BC": "America/Vancouver", "CA-AB": "America/Edmonton", "CA-SK": "America/Regina", "CA-MB": "America/Winnipeg",
	"CA-ON": "America/Toronto", "CA-QC": "America/Toronto", "CA-NB": "America/Moncton", "CA-NS": "America/Halifax",
	"CA-PE": "America/Halifax", "CA-NL": "America/St_Johns", "CA-YT": "America/Whitehorse", "CA-NT": "America/Yellowknife",
	"CA-NU": "America/Iqaluit",

	"MX-BCN": "America/Tijuana", "MX-BCS": "America/Mazatlan", "MX-SON": "America/Hermosillo", "MX-SIN": "America/Mazatlan",
	"MX-NAY": "America/Mazatlan", "MX-CHH": "America/Chihuahua", "MX-ROO": "America/Cancun",

	"AU-NSW": "Australia/Sydney", "AU-ACT": "Australia/Sydney", "AU-VIC": "Australia/Melbourne", "AU-QLD": "Australia/Brisbane",
	"AU-SA": "Australia/Adelaide", "AU-WA": "Australia/Perth", "AU-TAS": "Australia/Hobart", "AU-NT": "Australia/Darwin",
}

// zoneByCountry is the main zone of each country Haven knows one for.
var zoneByCountry = map[string]string{
	"US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City", "AU": "Australia/Sydney",
	"BR": "America/Sao_Paulo", "RU": "Europe/Moscow", "GB": "Europe/London", "IE": "Europe/Dublin",
	"FR": "Europe/Paris", "DE": "Europe/Berlin", "ES": "Europe/Madrid", "IT": "Europe/Rome", "NL": "Europe/Amsterdam",
	"BE": "Europe/Brussels", "PT": "Europe/Lisbon", "PL": "Europe/Warsaw", "RO": "Europe/Bucharest", "GR": "Europe/Athens",
	"UA": "Europe/Kyiv", "TR": "Europe/Istanbul", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DK": "Europe/Copenhagen",
	"FI": "Europe/Helsinki", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "CZ": "Europe/Prague", "HU": "Europe/Budapest",
	"BG": "Europe/Sofia", "RS": "Europe/Belgrade", "MD": "Europe/Chisinau", "AL": "Europe/Tirane",
	"GT": "America/Guatemala", "SV": "America/El_Salvador", "HN": "America/Tegucigalpa", "NI": "America/Managua",
	"CR": "America/Costa_Rica", "PA": "America/Panama", "BZ": "America/Belize", "CO": "America/Bogota",
	"VE": "America/Caracas", "PE": "America/Lima", "EC": "America/Guayaquil", "BO": "America/La_Paz",
	"CL": "America/Santiago", "AR": "America/Argentina/Buenos_Aires", "UY": "America/Montevideo", "PY": "America/Asuncion",
	"CU": "America/Havana", "DO": "America/Santo_Domingo", "HT": "America/Port-au-Prince", "JM": "America/Jamaica",
	"IN": "Asia/Kolkata", "PH": "Asia/Manila", "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "CN": "Asia/Shanghai",
	"JP": "Asia/Tokyo", "KR": "Asia/Seoul", "ID": "Asia/Jakarta", "MY": "Asia/Kuala_Lumpur", "SG": "Asia/Singapore",
	"KH": "Asia/Phnom_Penh", "MM": "Asia/Yangon", "LA": "Asia/Vientiane", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka",
	"PK": "Asia/Karachi", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IL": "Asia/Jerusalem", "NZ": "Pacific/Auckland",
	"NG": "Africa/Lagos", "KE": "Africa/Nairobi", "ZA": "Africa/Johannesburg", "GH": "Africa/Accra", "EG": "Africa/Cairo",
	"ET": "Africa/Addis_Ababa", "UG": "Africa/Kampala",
	// U.S. territories, where addresses give them as countries.
	"PR": "America/Puerto_Rico", "VI": "America/St_Thomas", "GU": "Pacific/Guam", "AS": "Pacific/Pago_Pago", "MP": "Pacific/Saipan",
}
