package haven_test

import (
	"math"
	"net/url"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"haven"
	"haven/hsds"
)

// The parser of directory searches must turn any input into either a valid
// filter or an EINVALID error naming the parameter, and never panic.

func invalidParam(t *testing.T, err error) {
	t.Helper()
	pe, ok := err.(*haven.ParamError)
	if !ok || haven.ErrorCode(err) != haven.EINVALID || len(haven.ErrorMessage(err)) < 10 || pe.Param == "" {
		t.Fatalf("want an EINVALID *ParamError with a message, got %#v", err)
	}
}

func TestParseDirectoryQuery(t *testing.T) {
	tests := []struct {
		query  string
		params haven.DirectoryParams
		param  string // the parameter named by the error; "" when none
	}{
		{"q=shelter&state=tx&page=3", haven.DirectoryParams{PerPage: 20}, ""},
		{"near=30.2,-97.7&radius_km=25", haven.DirectoryParams{PerPage: 20}, ""},
		{"postcode=77002&near=junk", haven.DirectoryParams{PerPage: 20}, "near"},
		{"postcode=00000", haven.DirectoryParams{PerPage: 20}, "postcode"},
		{"near=30,-97&postcode=00000", haven.DirectoryParams{PerPage: 20}, ""}, // near wins
		{"radius_km=5", haven.DirectoryParams{PerPage: 20}, "radius_km"},
		{"near=30,-97&radius_km=1001", haven.DirectoryParams{PerPage: 20}, "radius_km"},
		{"state=T", haven.DirectoryParams{PerPage: 20}, "state"},
		{"country=USA", haven.DirectoryParams{PerPage: 20}, "country"},
		{"language=eng", haven.DirectoryParams{PerPage: 20}, "language"},
		{"category=a+b", haven.DirectoryParams{PerPage: 20}, "category"},
		{"status=closed", haven.DirectoryParams{PerPage: 20}, "status"},
		{"state=TX&served=only", haven.DirectoryParams{PerPage: 20}, ""},
		{"postcode=77002&served=none", haven.DirectoryParams{PerPage: 20}, ""},
		{"state=TX&served=all", haven.DirectoryParams{PerPage: 20}, "served"},
		{"per_page=101", haven.DirectoryParams{PerPage: 20}, "per_page"},
		{"page=0", haven.DirectoryParams{PerPage: 20}, "page"},
		{"search=legal&organization_id=0191D6D4-0000-7000-8000-000000000000", haven.DirectoryParams{HSDS: true, PerPage: 50}, ""},
		{"taxonomy_id=x", haven.DirectoryParams{HSDS: true, PerPage: 50}, "taxonomy_id"},
		{"modified_after=2025-13-01", haven.DirectoryParams{HSDS: true, PerPage: 50}, "modified_after"},
		{"postcode=00000&proximity=100", haven.DirectoryParams{HSDS: true, PerPage: 50}, ""}, // no place in this list
		{"postcode=00000&proximity=100", haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: 50}, "postcode"},
		{"latitude=10", haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: 50}, "latitude"},
		{"proximity=100", haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: 50}, "proximity"},
		{"latitude=29.76&longitude=-95.37&proximity=80000", haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: 50}, ""},
		{"capacity=available", haven.DirectoryParams{PerPage: 20}, ""},
		{"capacity=full", haven.DirectoryParams{PerPage: 20}, "capacity"},
		{"capacity=full", haven.DirectoryParams{HSDS: true, PerPage: 50}, ""}, // not an HSDS parameter
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		f, err := haven.ParseDirectoryQuery(q, tt.params)
		if tt.param == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.query, err)
			} else if f.Limit != tt.params.PerPage && q.Get("per_page") == "" {
				t.Errorf("%s: limit %d, want %d", tt.query, f.Limit, tt.params.PerPage)
			}
			continue
		}
		if pe, ok := err.(*haven.ParamError); !ok || pe.Param != tt.param || haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("%s: got %v, want an error naming %s", tt.query, err, tt.param)
		}
	}
	// What is read comes back normalized.
	q, _ := url.ParseQuery("q=+legal+&state=tx&country=us&language=ES&page=3&per_page=10&near=29.76,-95.37&radius_km=25&status=all")
	f, err := haven.ParseDirectoryQuery(q, haven.DirectoryParams{PerPage: 20})
	if err != nil || f.Query != "legal" || f.State != "TX" || f.Country != "US" || f.Language != "es" || f.Offset != 20 || f.Limit != 10 ||
		f.Near == nil || f.Near.Lat != 29.76 || f.RadiusKm != 25 || !f.AllStatuses {
		t.Errorf("got %+v, %v", f, err)
	}
	q, _ = url.ParseQuery("postcode=77002&proximity=80000&organization_id=0191D6D4-0000-7000-8000-000000000000")
	if f, err = haven.ParseDirectoryQuery(q, haven.DirectoryParams{HSDS: true, HSDSPlace: true, PerPage: 50}); err != nil ||
		f.RadiusKm != 80 || f.Near == nil || f.OrganizationID != "0191d6d4-0000-7000-8000-000000000000" {
		t.Errorf("got %+v, %v", f, err)
	}
	// capacity=available believes counts no older than the maximum age,
	// to the millisecond, from the time of the search.
	now := time.Date(2026, 12, 6, 18, 0, 0, 123456789, time.UTC)
	q, _ = url.ParseQuery("capacity=available")
	for _, c := range []struct {
		maxAge time.Duration
		want   time.Time
	}{
		{0, time.Date(2026, 12, 5, 18, 0, 0, 123e6, time.UTC)},
		{6 * time.Hour, time.Date(2026, 12, 6, 12, 0, 0, 123e6, time.UTC)},
	} {
		if f, err = haven.ParseDirectoryQuery(q, haven.DirectoryParams{PerPage: 20, Now: now, CapacityMaxAge: c.maxAge}); err != nil || !f.RoomSince.Equal(c.want) {
			t.Errorf("capacity=available with max age %v: since %v, %v; want %v", c.maxAge, f.RoomSince, err, c.want)
		}
	}
}

func FuzzParseDirectoryQuery(f *testing.F) {
	for _, s := range []string{"q=shelter&state=tx", "near=30.2,-97.7&radius_km=25", "postcode=78701&radius_km=1e999",
		"radius_km=5", "page=0", "per_page=101", "status=closed", "q=%ff", "near=NaN,0", "near=1,2,3", "category=legal-services&page=999999",
		"search=legal&page=2&per_page=5", "taxonomy_id=not-a-uuid", "modified_after=2025-01-31",
		"modified_after=2025-01-31T00:00:00Z", "modified_after=9999-99-99", "organization_id=0191D6D4-0000-7000-8000-000000000000", "per_page=-5",
		"latitude=91&longitude=0&proximity=5", "postcode=77002&proximity=1e308",
		// Issue 19: places by name, miles, units, orders, values as typed.
		"place=Houston&radius_mi=25", "place=Springfield", "place=Texas&state=CA", "place=91,0", "place=Mexico&units=km",
		"q=T+visa&place=77002&sort=best", "sort=distance", "radius_km=5&radius_mi=5", "state=BC&country=CA", "state=Jalisco",
		"language=Spanish", "language=espa%C3%B1ol", "category=0191D6D4-0000-7000-8000-000000000000",
		"age=16&population=minors&open=now", "open_at=2026-12-07T18:00&trafficking=sex", "open_day=sat&open_time=9:00", "age=1e3",
		"capacity=available", "capacity=AVAILABLE", "capacity=available&capacity=none"} {
		f.Add(s, false, false)
		f.Add(s, true, true)
	}
	f.Fuzz(func(t *testing.T, raw string, hsdsNames, place bool) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := haven.ParseDirectoryQuery(q, haven.DirectoryParams{HSDS: hsdsNames, HSDSPlace: place, PerPage: 20})
		if err != nil {
			invalidParam(t, err)
			return
		}
		if err := flt.Validate(); err != nil {
			t.Fatalf("parsed filter does not validate: %v", err)
		}
		if flt.Limit < 1 || flt.Limit > haven.MaxPerPage || flt.Offset < 0 || flt.Offset%flt.Limit != 0 {
			t.Fatalf("bad paging: offset %d limit %d", flt.Offset, flt.Limit)
		}
		if !utf8.ValidString(flt.Query) || utf8.RuneCountInString(flt.Query) > haven.MaxQueryLen {
			t.Fatalf("query let through: %q", flt.Query)
		}
		if flt.RadiusKm != 0 && (flt.Near == nil || math.IsNaN(flt.RadiusKm) || flt.RadiusKm <= 0 || flt.RadiusKm > haven.MaxRadiusKm) {
			t.Fatalf("radius %v let through (near %v)", flt.RadiusKm, flt.Near)
		}
		if n := flt.Near; n != nil && (math.IsNaN(n.Lat) || math.IsNaN(n.Lon) || math.Abs(n.Lat) > 90 || math.Abs(n.Lon) > 180) {
			t.Fatalf("place %v let through", *n)
		}
		for _, id := range []string{flt.TaxonomyID, flt.TaxonomyTermID, flt.OrganizationID} {
			if id != "" && !hsds.ValidUUID(id) {
				t.Fatalf("id %q let through", id)
			}
		}
	})
}

// FuzzValidateCodes checks Validate's hand-written code checks against the
// regular expressions they replace.
func FuzzValidateCodes(f *testing.F) {
	for _, s := range []string{"TX", "MX-CMX", "MX-", "US-1234", "tx", "en", "es1", "legal-services", "a b", "", "É"} {
		f.Add(s)
	}
	stateRE := regexp.MustCompile(`^([A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3})$`)
	countryRE := regexp.MustCompile(`^[A-Z]{2}$`)
	languageRE := regexp.MustCompile(`^[a-z]{2}$`)
	codeRE := regexp.MustCompile(`^[A-Za-z0-9._:-]{1,100}$`)
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return // empty does not filter
		}
		for _, c := range []struct {
			re *regexp.Regexp
			f  haven.DirectoryFilter
		}{{stateRE, haven.DirectoryFilter{State: s}}, {countryRE, haven.DirectoryFilter{Country: s}},
			{languageRE, haven.DirectoryFilter{Language: s}}, {codeRE, haven.DirectoryFilter{Category: s}}} {
			if got, want := c.f.Validate() == nil, c.re.MatchString(s); got != want {
				t.Fatalf("%q: valid %v, the expression says %v (%+v)", s, got, want, c.f)
			}
		}
	})
}
