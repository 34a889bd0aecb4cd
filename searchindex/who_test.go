package searchindex_test

import (
	"math/rand/v2"
	"time"

	"haven"
	"haven/hsds"
)

// roughUpWho gives random services the who-is-served terms, age bounds and
// hours the sample leaves out: no bounds, one bound, overnight and 24/7
// hours, DAILY schedules, hours in a service-at-location, unknown hours.
func roughUpWho(r *rand.Rand, svcs []*hsds.Service) {
	tax, terms := haven.WhoTaxonomy()
	for _, s := range svcs {
		for _, t := range terms {
			if r.IntN(4) == 0 {
				term := t
				term.TaxonomyDetail = &tax
				s.Attributes = append(s.Attributes, hsds.Attribute{ID: newUUID(r), LinkID: s.ID, LinkEntity: "service",
					TaxonomyTermID: t.ID, TaxonomyTerm: &term})
			}
		}
		switch r.IntN(6) {
		case 0:
			s.MinimumAge, s.MaximumAge = nil, nil
		case 1:
			v := float64(r.IntN(25))
			s.MinimumAge, s.MaximumAge = &v, nil
		case 2:
			v := float64(12 + r.IntN(10))
			s.MinimumAge, s.MaximumAge = nil, &v
		}
		switch r.IntN(8) {
		case 0:
			s.Schedules = nil // hours unknown
		case 1:
			s.Schedules = []hsds.Schedule{{ID: newUUID(r), ServiceID: s.ID, Freq: "WEEKLY", ByDay: "FR,SA", OpensAt: "22:00", ClosesAt: "04:00"}}
		case 2:
			s.Schedules = []hsds.Schedule{{ID: newUUID(r), ServiceID: s.ID, Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR,SA,SU", OpensAt: "00:00", ClosesAt: "00:00"}}
		case 3:
			if len(s.ServiceAtLocations) > 0 {
				sal := &s.ServiceAtLocations[0]
				sal.Schedules = []hsds.Schedule{{ID: newUUID(r), ServiceAtLocationID: sal.ID, Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "18:00:00", ClosesAt: "21:30:00"}}
			}
		}
	}
}

func newUUID(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	b := []byte("xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx")
	for i, c := range b {
		if c == 'x' {
			b[i] = hex[r.IntN(16)]
		}
	}
	return string(b)
}

// randomWho adds who and open filters to a random question.
func randomWho(r *rand.Rand, f *haven.DirectoryFilter) {
	if r.IntN(5) == 0 {
		a := pick(r, []int{0, 5, 12, 16, 17, 18, 21, 30, 70})
		f.Age = &a
	}
	if r.IntN(6) == 0 {
		f.Population = pick(r, append([]string{"nobody"}, haven.Populations...))
	}
	if r.IntN(6) == 0 {
		f.Trafficking = pick(r, haven.TraffickingKinds)
	}
	switch r.IntN(8) {
	case 0:
		// Instants across a week, both sides of a change of daylight
		// saving time, read on each service's clocks.
		base := pick(r, []time.Time{time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)})
		f.Open = &haven.OpenAt{Instant: base.Add(time.Duration(r.IntN(7*24*4)) * 15 * time.Minute)}
	case 1:
		f.Open = &haven.OpenAt{Wall: true, Day: time.Weekday(r.IntN(7)), Minute: pick(r, []int{-1, 0, 240, 540, 1079, 1080, 1300, 1439})}
	}
}

// whoFilters are fixed questions about who is served and when.
var whoFilters = []haven.DirectoryFilter{
	{Age: ptr(16)},
	{Age: ptr(16), Population: "minors"},
	{Trafficking: "labor", Query: "legal"},
	{Population: "foreign-nationals", Country: "US"},
	{Open: &haven.OpenAt{Instant: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}},
	{Open: &haven.OpenAt{Wall: true, Day: time.Saturday, Minute: -1}},
	{Open: &haven.OpenAt{Wall: true, Day: time.Monday, Minute: 18 * 60}, Age: ptr(70)},
}

func ptr[T any](v T) *T { return &v }
