package haven

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/geo"
	"haven/hsds"
)

// DirectoryParams says which parameters a directory search reads: Haven's
// own (/directory, /api/v1/search) or the HSDS API's, and how many results
// a page holds unless per_page says otherwise.
type DirectoryParams struct {
	// HSDS reads the HSDS API's names: search, organization_id,
	// taxonomy_id, taxonomy_term_id and modified_after. Otherwise q, state,
	// country, category, language, status, near, postcode and radius_km.
	HSDS bool
	// HSDSPlace, with HSDS, also reads a place: postcode, or latitude and
	// longitude, and a proximity in metres.
	HSDSPlace bool
	PerPage   int
	// Now is the time open=now means; zero is the time of the call.
	// Tests set it, so that "open now" answers alike on every run.
	Now time.Time
	// CapacityMaxAge is how old a capacity's count may be for
	// capacity=available to believe it; zero is DefaultCapacityMaxAge.
	CapacityMaxAge time.Duration
}

// The page sizes and query length every directory search shares.
const (
	MaxPerPage  = 100
	MaxQueryLen = 200
	maxPage     = 1_000_000
)

// ParamError is an EINVALID error about one query parameter, which it
// names, so that a page can tell a bad place from a bad filter.
type ParamError struct {
	Param string
	Err   *Error
	// Choices, for an ambiguous place, name the places it could be
	// ("Springfield, IL"), each read alone by place=.
	Choices []string
}

func (e *ParamError) Error() string { return e.Err.Error() }
func (e *ParamError) Unwrap() error { return e.Err }

func paramErrorf(param, format string, args ...any) error {
	return &ParamError{Param: param, Err: Errorf(EINVALID, format, args...)}
}

// ParseDirectoryQuery reads a directory search from URL parameters into a
// filter, and validates it: a filter it returns is valid (see Validate).
// Paging comes back as Offset and Limit: the page is Offset/Limit + 1.
// Errors are EINVALID *ParamErrors naming the parameter.
func ParseDirectoryQuery(q url.Values, p DirectoryParams) (DirectoryFilter, error) {
	var f DirectoryFilter
	var err error
	if p.HSDS {
		err = parseHSDSParams(q, p, &f)
	} else {
		err = parseHavenParams(q, &f)
		if err == nil {
			err = parseWhoParams(q, p.Now, &f)
		}
		if err == nil {
			err = parseCapacityParam(q, p, &f)
		}
	}
	if err != nil {
		return f, err
	}
	page, err := IntParam(q, "page", 1, 1, maxPage)
	if err != nil {
		return f, err
	}
	perPage, err := IntParam(q, "per_page", p.PerPage, 1, MaxPerPage)
	if err != nil {
		return f, err
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	if param, err := f.validate(); err != nil {
		// Validate speaks of the filter; here the message names the
		// parameter the visitor or program gave.
		switch {
		case param == "radius_km" && f.Near == nil:
			err = Errorf(EINVALID, "radius_km needs a place: give place, near=lat,lon or postcode.")
		case param == "radius_km":
			err = Errorf(EINVALID, "radius_km must be from 0 to %d.", MaxRadiusKm)
		case param == "near":
			err = Errorf(EINVALID, "near is not a valid latitude and longitude.")
		}
		return f, &ParamError{Param: param, Err: err}
	}
	return f, nil
}

func parseHavenParams(q url.Values, f *DirectoryFilter) error {
	f.Query = strings.TrimSpace(q.Get("q"))
	if !utf8.ValidString(f.Query) {
		return paramErrorf("q", "Parameter q is not valid UTF-8.")
	}
	if utf8.RuneCountInString(f.Query) > MaxQueryLen {
		return paramErrorf("q", "Parameter q is longer than %d characters.", MaxQueryLen)
	}
	f.State = strings.TrimSpace(q.Get("state"))
	f.Country = strings.ToUpper(strings.TrimSpace(q.Get("country")))
	f.Category = strings.TrimSpace(q.Get("category"))
	f.Language = strings.TrimSpace(q.Get("language"))
	f.Served = q.Get("served") // checked by validate
	switch q.Get("status") {
	case "":
	case "all":
		f.AllStatuses = true
	default:
		return paramErrorf("status", "Parameter status may only be \"all\".")
	}
	if err := parsePlaceParams(q, f); err != nil { // directory_place.go
		return err
	}
	normalizeFilterValues(f)
	return nil
}

func parseHSDSParams(q url.Values, p DirectoryParams, f *DirectoryFilter) error {
	f.Query = strings.TrimSpace(q.Get("search"))
	if !utf8.ValidString(f.Query) || utf8.RuneCountInString(f.Query) > MaxQueryLen {
		return paramErrorf("search", "Parameter search must be valid UTF-8 of at most %d characters.", MaxQueryLen)
	}
	var err error
	if f.TaxonomyTermID, err = UUIDParam(q, "taxonomy_term_id"); err != nil {
		return err
	}
	if f.TaxonomyID, err = UUIDParam(q, "taxonomy_id"); err != nil {
		return err
	}
	if f.OrganizationID, err = UUIDParam(q, "organization_id"); err != nil {
		return err
	}
	if s := q.Get("modified_after"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			if t, err = time.Parse("2006-01-02", s); err != nil {
				return paramErrorf("modified_after", "Parameter modified_after must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z.")
			}
		}
		// HSDS says "on or after"; stored times have whole seconds.
		f.ModifiedAfter = t.Add(-time.Second)
	}
	if !p.HSDSPlace {
		return nil
	}
	// postcode + proximity (metres) is HSDS; latitude + longitude + proximity
	// is the extension Open Referral asks for in specification issue 480.
	var near string
	if lat, lon := q.Get("latitude"), q.Get("longitude"); lat != "" || lon != "" {
		if lat == "" || lon == "" {
			return paramErrorf("latitude", "Give latitude and longitude together.")
		}
		near = lat + "," + lon
	}
	if f.Near, err = ParsePlace(near, q.Get("postcode")); err != nil {
		return err
	}
	if s := q.Get("proximity"); s != "" {
		m, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(m) || m <= 0 || m > MaxRadiusKm*1000 {
			return paramErrorf("proximity", "Parameter proximity must be a distance in metres above 0 and at most %d.", MaxRadiusKm*1000)
		}
		if f.Near == nil {
			return paramErrorf("proximity", "Parameter proximity needs postcode, or latitude and longitude.")
		}
		f.RadiusKm = m / 1000
	}
	return nil
}

// ParsePlace reads near=lat,lon or a U.S. ZIP code; near wins when both are
// given, and neither gives nil. Errors name the parameter.
func ParsePlace(near, postcode string) (*LatLon, error) {
	if near = strings.TrimSpace(near); near != "" {
		p, err := geo.ParseLatLon(near)
		if err != nil {
			return nil, paramErrorf("near", "Parameter %s.", err.Error())
		}
		return &p, nil
	}
	if postcode = strings.TrimSpace(postcode); postcode != "" {
		p, ok := geo.LookupZIP(postcode)
		if !ok {
			return nil, paramErrorf("postcode", "Postcode %q is not a U.S. ZIP code Haven knows.", truncate(postcode, 20))
		}
		return &p, nil
	}
	return nil, nil
}

// UUIDParam reads an optional UUID parameter, lower-cased; an EINVALID
// *ParamError names it when it is not a UUID.
func UUIDParam(q url.Values, name string) (string, error) {
	v := q.Get(name)
	if v != "" && !hsds.ValidUUID(v) {
		return "", paramErrorf(name, "Parameter %s must be a UUID.", name)
	}
	return strings.ToLower(v), nil
}

// IntParam reads a whole number parameter from min to max, def when
// absent; an EINVALID *ParamError names it otherwise.
func IntParam(q url.Values, name string, def, min, max int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, paramErrorf(name, "Parameter %s must be a whole number from %d to %d.", name, min, max)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// parseCapacityParam reads capacity=available: services with room now.
func parseCapacityParam(q url.Values, p DirectoryParams, f *DirectoryFilter) error {
	switch q.Get("capacity") {
	case "":
		return nil
	case "available":
		now, maxAge := p.Now, p.CapacityMaxAge
		if now.IsZero() {
			now = time.Now()
		}
		if maxAge <= 0 {
			maxAge = DefaultCapacityMaxAge
		}
		f.RoomSince = RoomSince(now, maxAge)
		return nil
	}
	return paramErrorf("capacity", "Parameter capacity may only be \"available\".")
}
