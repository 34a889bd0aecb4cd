package intake

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"haven/hsds"
)

// weekDays are the iCal day codes, Monday first.
var weekDays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// dayWords are the ways people write a day or a set of days, in English and
// Spanish, accents removed, each giving indexes into weekDays.
var dayWords = func() map[string][]int {
	m := map[string][]int{}
	for i, names := range [][]string{
		{"mon", "monday", "mo", "m", "lun", "lunes", "lu"},
		{"tue", "tues", "tuesday", "tu", "mar", "martes", "ma"},
		{"wed", "weds", "wednesday", "we", "w", "mie", "mier", "miercoles", "mi", "x"},
		{"thu", "thur", "thurs", "thursday", "th", "r", "jue", "jueves", "ju", "j"},
		{"fri", "friday", "fr", "f", "vie", "viernes", "vi", "v"},
		{"sat", "saturday", "sa", "sab", "sabado", "sabados"},
		{"sun", "sunday", "su", "dom", "domingo", "domingos", "do"},
	} {
		for _, n := range names {
			m[n] = []int{i}
		}
	}
	for _, n := range []string{"weekdays", "weekday", "entre semana", "dias habiles", "dias de semana"} {
		m[n] = []int{0, 1, 2, 3, 4}
	}
	for _, n := range []string{"weekends", "weekend", "fines de semana", "fin de semana"} {
		m[n] = []int{5, 6}
	}
	for _, n := range []string{"daily", "every day", "everyday", "todos los dias", "diario", "diariamente", "7 days", "7 dias"} {
		m[n] = []int{0, 1, 2, 3, 4, 5, 6}
	}
	for _, n := range []string{"mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
		"lunes", "martes", "miercoles", "jueves", "viernes"} {
		if _, ok := m[n]; !ok {
			m[n] = m[strings.TrimSuffix(n, "s")]
		}
	}
	return m
}()

// alwaysOpen are the ways of writing "open all the time".
var alwaysOpen = []string{"24/7", "24 / 7", "24x7", "24 7", "24 hours", "24 hrs", "24hrs", "open 24 hours", "24 horas",
	"abierto 24 horas", "24 hours a day", "24 hours 7 days", "24 horas al dia", "24 hours a day 7 days a week",
	"24 horas los 7 dias", "always open", "siempre abierto"}

// accentFold removes accents: "miércoles" reads as "miercoles".
var accentFold = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// ParseHours reads opening hours as people write them ("Mon-Fri 9am-5pm",
// "Tue & Thu 10:00-16:00; Sat 10-2", "24/7", "Lunes a viernes 9-17") into
// weekly HSDS schedules, one for each time range with the days it applies
// to. ok is false when any part of the text does not read: the caller then
// keeps the text whole, never a part of it. The schedules have no ids.
func ParseHours(text string) (out []hsds.Schedule, ok bool) {
	s, _, err := transform.String(accentFold, strings.ToLower(Clean(text)))
	if err != nil || s == "" || len(s) > 500 {
		return nil, false
	}
	s = strings.Join(strings.Fields(strings.NewReplacer("–", "-", "—", "-", "‑", "-", "−", "-").Replace(s)), " ")
	if slices.Contains(alwaysOpen, strings.Trim(s, ". ")) {
		return []hsds.Schedule{{Freq: "WEEKLY", ByDay: strings.Join(weekDays, ","), OpensAt: "00:00", ClosesAt: "23:59"}}, true
	}
	toks := tokenizeHours(s)
	p := hoursParser{toks: toks}
	return p.parse()
}

// hourTok is one token of an hours text: a word, a number (with its
// minutes), or one punctuation mark.
type hourTok struct {
	kind  byte // 'w' word, 'n' number, 'p' punctuation
	text  string
	h, m  int  // for numbers
	colon bool // the number had minutes ("9:30"), so is a time
}

func tokenizeHours(s string) []hourTok {
	var toks []hourTok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			t := hourTok{kind: 'n', text: string(rs[i:j])}
			t.h, _ = strconv.Atoi(t.text)
			if j+1 < len(rs) && (rs[j] == ':' || rs[j] == '.') && unicode.IsDigit(rs[j+1]) {
				k := j + 1
				for k < len(rs) && unicode.IsDigit(rs[k]) {
					k++
				}
				if k-j-1 == 2 {
					t.m, _ = strconv.Atoi(string(rs[j+1 : k]))
					t.colon = true
					t.text = string(rs[i:k])
					j = k
				}
			}
			toks = append(toks, t)
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || (rs[j] == '.' && j+1 < len(rs) && unicode.IsLetter(rs[j+1]))) {
				j++
			}
			w := strings.TrimSuffix(string(rs[i:j]), ".")
			if j < len(rs) && rs[j] == '.' {
				j++ // "a.m." and "Mon." end with a dot
			}
			toks = append(toks, hourTok{kind: 'w', text: w})
			i = j
		default:
			toks = append(toks, hourTok{kind: 'p', text: string(r)})
			i++
		}
	}
	return toks
}

type hoursParser struct {
	toks []hourTok
	i    int
}

func (p *hoursParser) peek() *hourTok {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// word reports whether the next token is one of the words, and takes it.
func (p *hoursParser) word(ws ...string) bool {
	if t := p.peek(); t != nil && (t.kind == 'w' || t.kind == 'p') && slices.Contains(ws, t.text) {
		p.i++
		return true
	}
	return false
}

// rangeWords join the ends of a range of days or times.
var rangeWords = []string{"-", "to", "a", "through", "thru", "till", "til", "until", "hasta", "al"}

// listWords join days in a list.
var listWords = []string{",", "&", "and", "y", "/", "+", "e"}

// parse reads groups of days and times: "DAYS TIMES", "TIMES DAYS", and a
// time after a comma that reuses the days before it ("Mon-Fri 9-12, 1-5").
func (p *hoursParser) parse() ([]hsds.Schedule, bool) {
	type group struct {
		days  []int
		times [][2]int // minutes from midnight
	}
	var groups []group
	var pending []int // days read, waiting for their times
	for p.i < len(p.toks) {
		if p.word(";", ",", "|", "and", "y", "&", "/") {
			continue
		}
		p.word("from", "de", "desde", "open", "abierto", "hours", "horario")
		if days, ok := p.days(); ok {
			if len(groups) > 0 && len(groups[len(groups)-1].days) == 0 {
				groups[len(groups)-1].days = days // "9-5 Mon-Fri"
				continue
			}
			if pending != nil {
				return nil, false
			}
			pending = days
			p.word(":")
			if p.word("closed", "cerrado") {
				pending = nil
			}
			continue
		}
		p.word("from", "de", "desde")
		tr, ok := p.timeRange()
		if !ok {
			return nil, false
		}
		switch {
		case pending != nil:
			groups = append(groups, group{days: pending, times: [][2]int{tr}})
			pending = nil
		case len(groups) > 0:
			g := &groups[len(groups)-1]
			g.times = append(g.times, tr) // a second range of the same days
		default:
			groups = append(groups, group{times: [][2]int{tr}})
		}
	}
	if pending != nil || len(groups) == 0 {
		return nil, false
	}
	var out []hsds.Schedule
	for _, g := range groups {
		if len(g.days) == 0 {
			return nil, false
		}
		var codes []string
		for _, d := range g.days {
			codes = append(codes, weekDays[d])
		}
		for _, t := range g.times {
			out = append(out, hsds.Schedule{Freq: "WEEKLY", ByDay: strings.Join(codes, ","),
				OpensAt: clock(t[0]), ClosesAt: clock(t[1])})
		}
	}
	return out, true
}

func clock(min int) string {
	if min >= 24*60 {
		min = 24*60 - 1 // midnight closing: 23:59, as HSDS times end the day
	}
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

// days reads one day, a range ("Mon-Fri", "lunes a viernes") or a list
// ("Tue & Thu", "Mon, Wed, Fri"), in week order.
func (p *hoursParser) days() ([]int, bool) {
	start := p.i
	var set []int
	for {
		d, ok := p.day()
		if !ok {
			break
		}
		save := p.i
		if p.word(rangeWords...) {
			if e, ok := p.day(); ok && len(d) == 1 && len(e) == 1 {
				for i := d[0]; ; i = (i + 1) % 7 {
					set = append(set, i)
					if i == e[0] {
						break
					}
				}
			} else {
				p.i = save
				set = append(set, d...)
			}
		} else {
			set = append(set, d...)
		}
		save = p.i
		if !p.word(listWords...) {
			break
		}
		if t := p.peek(); t == nil || t.kind == 'n' {
			p.i = save // "Mon-Fri 9-5, 6-8": the comma leads to a time
			break
		}
		if _, ok := p.dayAhead(); !ok {
			p.i = save
			break
		}
	}
	if len(set) == 0 {
		p.i = start
		return nil, false
	}
	slices.Sort(set)
	return slices.Compact(set), true
}

// dayAhead reports whether a day comes next, without taking it.
func (p *hoursParser) dayAhead() ([]int, bool) {
	save := p.i
	d, ok := p.day()
	p.i = save
	return d, ok
}

// day reads one day word, or a two-word set ("every day", "fines de
// semana", "todos los dias").
func (p *hoursParser) day() ([]int, bool) {
	for n := 4; n >= 1; n-- {
		if p.i+n > len(p.toks) {
			continue
		}
		var ws []string
		for _, t := range p.toks[p.i : p.i+n] {
			if t.kind == 'p' {
				break
			}
			ws = append(ws, t.text)
		}
		if len(ws) != n {
			continue
		}
		if d, ok := dayWords[strings.Join(ws, " ")]; ok {
			// A lone "a", "x", "v", "j", "do", "ma", "mi": only before or
			// after another day; they are words of their own otherwise.
			p.i += n
			return d, true
		}
	}
	return nil, false
}

// timeRange reads "9am-5pm", "10:00-16:00", "9 a 17", "9-5", "noon to 8".
func (p *hoursParser) timeRange() ([2]int, bool) {
	a, aMer, ok := p.time()
	if !ok || !p.word(rangeWords...) {
		return [2]int{}, false
	}
	b, bMer, ok := p.time()
	if !ok {
		return [2]int{}, false
	}
	// "9-5", "9am-5", "9-5pm": a missing am/pm is read from the other end
	// and from what working hours look like.
	if aMer == 0 && bMer == 0 && b <= a && b < 12*60 {
		b += 12 * 60
	} else if aMer == 0 && bMer == 0 && a >= 60 && a < 6*60 && b <= 12*60 {
		a, b = a+12*60, b+12*60 // "1-5" after a morning range is the afternoon
	} else if aMer == 0 && bMer == 'p' && a+12*60 < b && a < 12*60 {
		// "9-5pm": 9 stays morning
	} else if aMer == 'a' && bMer == 0 && b <= a && b < 12*60 {
		b += 12 * 60
	}
	if b <= a || a < 0 || b > 24*60 {
		return [2]int{}, false
	}
	return [2]int{a, b}, true
}

// time reads one time of day; mer is 'a' or 'p' when am/pm was written.
func (p *hoursParser) time() (min int, mer byte, ok bool) {
	t := p.peek()
	if t == nil {
		return 0, 0, false
	}
	if t.kind == 'w' {
		switch t.text {
		case "noon", "mediodia":
			p.i++
			return 12 * 60, 'p', true
		case "midnight", "medianoche":
			p.i++
			return 24 * 60, 'p', true
		}
		return 0, 0, false
	}
	if t.kind != 'n' || len(t.text) > 5 {
		return 0, 0, false
	}
	h, m := t.h, t.m
	if !t.colon && len(strings.TrimLeft(t.text, "0")) >= 3 && h < 2400 {
		h, m = h/100, h%100 // "0900", "1730"
	}
	if h > 24 || m > 59 || (h == 24 && m > 0) {
		return 0, 0, false
	}
	p.i++
	if n := p.peek(); n != nil && n.kind == 'w' {
		switch n.text {
		case "am", "a.m", "a", "hrs", "h":
			if n.text == "a" {
				// "9 a 17" is a range; "9a-5p" is a time.
				if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == 'n' {
					break
				}
			}
			p.i++
			if n.text == "hrs" || n.text == "h" {
				return h*60 + m, 0, true
			}
			if h > 12 || h == 0 {
				return 0, 0, false
			}
			return (h%12)*60 + m, 'a', true
		case "pm", "p.m", "p":
			p.i++
			if h > 12 || h == 0 {
				return 0, 0, false
			}
			return (h%12+12)*60 + m, 'p', true
		}
	}
	return h*60 + m, 0, true
}
