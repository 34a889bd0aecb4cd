package http_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	havenphone "haven/phone"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"haven"
	"haven/geo"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/listing"
	"haven/sample"
	"haven/searchindex"
	"haven/sqlstore"
)

// A shelter for survivors keeps its street address secret. These tests
// place two confidential shelters in the directory — one in the U.S., whose
// public point is its ZIP code's centroid, and one in Mexico, whose public
// point is a grid cell's centre — and attack them as an anonymous visitor
// would: they scan every route for what must stay secret, and try to find
// the site by trilateration from distance_km and by bisecting radius_km.

var (
	yes = true

	// shelterUS is in Austin, about 2 km from its ZIP code's centroid.
	shelterUS = shelterSite{svc: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e01", org: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e02",
		loc: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e03", sal: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e04",
		lat: 30.28173, lon: -97.72161, street: "4821 Quarry Ridge Lane", city: "Austin", state: "TX", postal: "78705", country: "US"}
	// shelterMX is in Guadalajara; its postal code is no U.S. ZIP code.
	shelterMX = shelterSite{svc: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e11", org: shelterUS.org,
		loc: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e13", sal: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e14",
		lat: 20.67361, lon: -103.34412, street: "Calle Escondida 77", city: "Guadalajara", state: "JAL", postal: "44100", country: "MX"}
)

type shelterSite struct {
	svc, org, loc, sal          string
	lat, lon                    float64
	street, city, state, postal string
	country                     string
}

func (s shelterSite) site() geo.Point { return geo.Point{Lat: s.lat, Lon: s.lon} }

// public is the point Haven must measure from instead of the site.
func (s shelterSite) public(t testing.TB) geo.Point {
	p, ok := geo.PublicPoint(&geo.Point{Lat: s.lat, Lon: s.lon}, s.postal, s.country)
	if !ok {
		t.Fatal("no public point")
	}
	return p
}

// secrets are what of the shelter must never reach the public, in the
// forms they could take.
func (s shelterSite) secrets() []string {
	out := []string{s.street, "Rear cottage " + s.loc[len(s.loc)-2:], "Lumen House " + s.city,
		"Blue door behind the chapel", "Route 7 bus to the quarry", "Ramp by the garden gate", "Night entrance at the back"}
	for _, v := range []float64{s.lat, s.lon} {
		out = append(out, strconv.FormatFloat(v, 'f', -1, 64), strconv.FormatFloat(v, 'f', 4, 64),
			strconv.FormatFloat(v, 'f', 3, 64), fmt.Sprint(v))
	}
	return out
}

func (s shelterSite) service(locPhone string) *hsds.Service {
	lat, lon := s.lat, s.lon
	return &hsds.Service{ID: s.svc, OrganizationID: s.org, Name: "Lumen Refuge " + s.city, Status: "active",
		Description: "Emergency shelter for survivors of trafficking.",
		Phones:      []hsds.Phone{{ID: s.svc[:35] + "a", Number: "512-555-0100", Description: "Intake, day and night"}},
		Attributes: []hsds.Attribute{{ID: s.svc[:35] + "b", TaxonomyTermID: sample.TermID("shelter"), LinkType: "service",
			LinkEntity: "service", LinkID: s.svc}},
		Organization: &hsds.Organization{ID: s.org, Name: "Lumen Alliance", Description: "Shelter and support for survivors."},
		ServiceAtLocations: []hsds.ServiceAtLocation{{ID: s.sal, ServiceID: s.svc, LocationID: s.loc,
			Description: "Night entrance at the back",
			Location: &hsds.Location{ID: s.loc, LocationType: "physical", OrganizationID: s.org, Name: "Lumen House " + s.city,
				Description: "Blue door behind the chapel", Transportation: "Route 7 bus to the quarry",
				Latitude: &lat, Longitude: &lon, XConfidential: &yes,
				Addresses: []hsds.Address{{ID: s.loc[:35] + "c", LocationID: s.loc, Address1: s.street,
					Address2: "Rear cottage " + s.loc[len(s.loc)-2:], City: s.city, StateProvince: s.state,
					PostalCode: s.postal, Country: s.country, AddressType: "physical"}},
				Accessibility: []hsds.Accessibility{{ID: s.loc[:35] + "d", LocationID: s.loc, Description: "Ramp by the garden gate"}},
				Phones:        []hsds.Phone{{ID: s.loc[:35] + "e", LocationID: s.loc, Number: locPhone}},
			}}},
	}
}

// locPhones are the shelters' own lines, which must stay secret too.
var locPhones = map[string]string{shelterUS.loc: "512-555-0177", shelterMX.loc: "33-5550-0188"}

// confidentialServer is a server on dsn whose directory holds sample
// services and the two shelters, searched by SQL or by an index.
func confidentialServer(t *testing.T, dsn string, index bool) (*havenhttp.Server, *sqlstore.DB, *syncBuffer, *searchindex.Index) {
	t.Helper()
	s, db := MustCurationServerOn(t, dsn)
	logs := &syncBuffer{}
	s.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s.Limits.APIRate = 0
	MustImportSample(t, db, 30)
	dir := sqlstore.NewDirectoryService(db)
	svcs := []*hsds.Service{shelterUS.service(locPhones[shelterUS.loc]), shelterMX.service(locPhones[shelterMX.loc])}
	mustImportServices(t, dir, "shelters", svcs...)
	var ix *searchindex.Index
	if index {
		ix = searchindex.New(dir, nil)
		if err := ix.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.Search = ix
	}
	return s, db, logs, ix
}

// eachConfidential runs fn on SQLite and PostgreSQL, each searched by SQL
// and by the in-memory index.
func eachConfidential(t *testing.T, fn func(t *testing.T, s *havenhttp.Server, db *sqlstore.DB, logs *syncBuffer, ix *searchindex.Index)) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		for _, mode := range []string{"sql", "index"} {
			t.Run(mode, func(t *testing.T) {
				s, db, logs, ix := confidentialServer(t, e.Fresh(t), mode == "index")
				fn(t, s, db, logs, ix)
			})
		}
	})
}

type apiHit struct {
	ID       string `json:"id"`
	Location struct {
		City      string   `json:"city"`
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
	} `json:"location"`
	DistanceKm *float64 `json:"distance_km"`
}

// searchFor returns the shelter's hit in /api/v1/search with the given
// parameters, or nil.
func searchFor(t *testing.T, s *havenhttp.Server, id string, params url.Values) *apiHit {
	t.Helper()
	params.Set("per_page", "100")
	w := get(s, "/api/v1/search?"+params.Encode(), nil)
	if w.Code != 200 {
		t.Fatalf("search %s: %d %s", params.Encode(), w.Code, w.Body.String())
	}
	var res struct{ Items []apiHit }
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	for _, it := range res.Items {
		if it.ID == id {
			return &it
		}
	}
	return nil
}

// probes are points 15–40 km around a site, in every direction.
func probes(site geo.Point) []geo.Point {
	var out []geo.Point
	for i, km := range []float64{15, 40, 22, 33, 18, 27} {
		a := float64(i) * math.Pi / 3
		out = append(out, geo.Point{Lat: site.Lat + km*math.Cos(a)/111.2,
			Lon: site.Lon + km*math.Sin(a)/(111.2*math.Cos(site.Lat*math.Pi/180))})
	}
	return out
}

// trilaterate finds by least squares (Gauss-Newton) the point whose
// distances to the probes best match the measured ones: what an attacker
// would compute.
func trilaterate(ps []geo.Point, ds []float64) geo.Point {
	x := geo.Point{}
	for _, p := range ps {
		x.Lat += p.Lat / float64(len(ps))
		x.Lon += p.Lon / float64(len(ps))
	}
	const h = 1e-6
	for range 100 {
		// Normal equations of the 2×2 linearized problem.
		var a11, a12, a22, b1, b2 float64
		for i, p := range ps {
			r := geo.DistanceKm(x, p) - ds[i]
			j1 := (geo.DistanceKm(geo.Point{Lat: x.Lat + h, Lon: x.Lon}, p) - geo.DistanceKm(x, p)) / h
			j2 := (geo.DistanceKm(geo.Point{Lat: x.Lat, Lon: x.Lon + h}, p) - geo.DistanceKm(x, p)) / h
			a11, a12, a22 = a11+j1*j1, a12+j1*j2, a22+j2*j2
			b1, b2 = b1+j1*r, b2+j2*r
		}
		det := a11*a22 - a12*a12
		if det == 0 {
			break
		}
		x.Lat -= (a22*b1 - a12*b2) / det
		x.Lon -= (a11*b2 - a12*b1) / det
	}
	return x
}

func TestConfidentialTrilateration(t *testing.T) {
	eachConfidential(t, func(t *testing.T, s *havenhttp.Server, _ *sqlstore.DB, _ *syncBuffer, _ *searchindex.Index) {
		for _, sh := range []shelterSite{shelterUS, shelterMX} {
			pub := sh.public(t)
			off := geo.DistanceKm(pub, sh.site())
			if off < 1 {
				t.Fatalf("fixture: the public point is %.2f km from the site; the attack would prove nothing", off)
			}
			var ps []geo.Point
			var ds []float64
			for _, p := range probes(sh.site()) {
				hit := searchFor(t, s, sh.svc, url.Values{"near": {p.String()}})
				if hit == nil || hit.DistanceKm == nil {
					t.Fatalf("%s: not found from %v", sh.city, p)
				}
				// The place shown is the public point, not the site.
				if hit.Location.Latitude == nil || geo.DistanceKm(geo.Point{Lat: *hit.Location.Latitude, Lon: *hit.Location.Longitude}, pub) > 1e-6 {
					t.Fatalf("%s: hit shows %v, %v; want the public point %v", sh.city, hit.Location.Latitude, hit.Location.Longitude, pub)
				}
				ps, ds = append(ps, p), append(ds, *hit.DistanceKm)
			}
			est := trilaterate(ps, ds)
			t.Logf("%s: estimate %.3f km from the public point, %.3f km from the site (public point %.3f km from it)",
				sh.city, geo.DistanceKm(est, pub), geo.DistanceKm(est, sh.site()), off)
			if d := geo.DistanceKm(est, pub); d > 0.25 {
				t.Errorf("%s: trilateration lands %.3f km from the public point", sh.city, d)
			}
			if d := geo.DistanceKm(est, sh.site()); d < off-0.25 {
				t.Errorf("%s: trilateration lands %.3f km from the site, closer than the public point (%.3f km)", sh.city, d, off)
			}
		}
	})
}

// bisectionRoutes are the radius filters an attacker can bisect: Haven's
// API (by the index or SQL), and the HSDS service_at_locations list, which
// has SQL of its own.
var bisectionRoutes = []struct {
	name  string
	found func(t *testing.T, s *havenhttp.Server, sh shelterSite, p geo.Point, km float64) bool
}{
	{"api/v1 radius_km", func(t *testing.T, s *havenhttp.Server, sh shelterSite, p geo.Point, km float64) bool {
		return searchFor(t, s, sh.svc, url.Values{"near": {p.String()}, "radius_km": {strconv.FormatFloat(km, 'f', -1, 64)}, "q": {"lumen"}}) != nil
	}},
	{"hsds proximity", func(t *testing.T, s *havenhttp.Server, sh shelterSite, p geo.Point, km float64) bool {
		q := url.Values{"latitude": {strconv.FormatFloat(p.Lat, 'f', -1, 64)}, "longitude": {strconv.FormatFloat(p.Lon, 'f', -1, 64)},
			"proximity": {strconv.FormatFloat(km*1000, 'f', -1, 64)}, "per_page": {"100"}, "search": {"lumen"}}
		w := get(s, "/api/hsds/service_at_locations?"+q.Encode(), nil)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", q.Encode(), w.Code, w.Body.String())
		}
		return strings.Contains(w.Body.String(), sh.sal)
	}},
}

func TestConfidentialRadiusBisection(t *testing.T) {
	eachConfidential(t, func(t *testing.T, s *havenhttp.Server, _ *sqlstore.DB, _ *syncBuffer, _ *searchindex.Index) {
		for _, route := range bisectionRoutes {
			for _, sh := range []shelterSite{shelterUS, shelterMX} {
				pub, off := sh.public(t), geo.DistanceKm(sh.public(t), sh.site())
				var ps []geo.Point
				var ds []float64
				requests := 0
				for _, p := range probes(sh.site())[:4] {
					// The least radius that still finds the shelter is its
					// distance from p, to the precision of the bisection.
					lo, hi := 0.0, 100.0
					for range 30 {
						mid := (lo + hi) / 2
						requests++
						if route.found(t, s, sh, p, mid) {
							hi = mid
						} else {
							lo = mid
						}
					}
					ps, ds = append(ps, p), append(ds, hi)
				}
				est := trilaterate(ps, ds)
				t.Logf("%s, %s: %d requests; estimate %.4f km from the public point, %.3f km from the site (public point %.3f km from it)",
					route.name, sh.city, requests, geo.DistanceKm(est, pub), geo.DistanceKm(est, sh.site()), off)
				if d := geo.DistanceKm(est, pub); d > 0.01 {
					t.Errorf("%s, %s: bisection lands %.4f km from the public point", route.name, sh.city, d)
				}
				if d := geo.DistanceKm(est, sh.site()); d < off-0.01 {
					t.Errorf("%s, %s: bisection lands %.3f km from the site, closer than the public point (%.3f km)", route.name, sh.city, d, off)
				}
			}
		}
	})
}

// inflatePDF returns a PDF with its compressed streams inflated, so that
// its text can be searched.
func inflatePDF(b []byte) []byte {
	out := bytes.Clone(b)
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	for _, m := range re.FindAllSubmatch(b, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			if plain, err := io.ReadAll(r); err == nil {
				out = append(out, plain...)
			}
		}
	}
	return out
}

// publicURLs are every GET route an anonymous visitor can reach that may
// show the shelters.
func publicURLs(s *havenhttp.Server) []string {
	both := "id=" + shelterUS.svc + "&id=" + shelterMX.svc
	urls := []string{"/", "/directory", "/directory?q=lumen", "/directory?category=shelter",
		"/directory?postcode=78705", "/directory?near=30.3,-97.7&radius_km=50", "/directory?state=TX", "/directory?country=MX",
		"/directory/states", "/directory/states/TX", "/directory/countries", "/directory/countries/US", "/directory/countries/MX",
		"/services/" + shelterUS.svc, "/services/" + shelterMX.svc, "/organizations/" + shelterUS.org,
		"/referral?" + both, "/referral.pdf?" + both, "/suggest?type=service&id=" + shelterUS.svc,
		"/suggest?type=organization&id=" + shelterUS.org,
		"/api/v1/search?q=lumen", "/api/v1/search?near=30.3,-97.7", "/api/v1/search?postcode=78705&radius_km=20",
		"/api/hsds/services", "/api/hsds/services?full=true", "/api/hsds/services?full=true&format=ndjson",
		"/api/hsds/services?search=lumen&full=true", "/api/hsds/services?postcode=78705&proximity=20000&full=true",
		"/api/hsds/services/" + shelterUS.svc, "/api/hsds/services/" + shelterMX.svc,
		"/api/hsds/organizations", "/api/hsds/organizations?full=true", "/api/hsds/organizations?full_service=true",
		"/api/hsds/organizations/" + shelterUS.org, "/api/hsds/organizations/" + shelterUS.org + "?full_service=true",
		"/api/hsds/service_at_locations", "/api/hsds/service_at_locations?full=true",
		"/api/hsds/service_at_locations/" + shelterUS.sal, "/api/hsds/service_at_locations/" + shelterMX.sal,
		"/api/hsds/service_at_locations?postcode=78705&proximity=20000",
	}
	for _, lang := range []string{"es"} {
		urls = append(urls, "/services/"+shelterUS.svc+"?lang="+lang, "/referral.pdf?"+both+"&lang="+lang)
	}
	return urls
}

// phoneForms are the ways a number typed as given may show: as given,
// stored in E.164 (read as of the United States or Mexico), and as pages
// show it.
func phoneForms(typed string) []string {
	out := []string{typed}
	for _, region := range []string{"US", "MX"} {
		if n, ok := havenphone.Normalize(typed, region); ok {
			out = append(out, n, havenphone.Display(n, "US"))
		}
	}
	return out
}

// shownPhone is a U.S. number as pages show it.
func shownPhone(typed string) string {
	n, _ := havenphone.Normalize(typed, "US")
	return havenphone.Display(n, "US")
}

// leaks returns the secrets body holds.
func leaks(body []byte) []string {
	var out []string
	for _, sh := range []shelterSite{shelterUS, shelterMX} {
		for _, secret := range append(sh.secrets(), phoneForms(locPhones[sh.loc])...) {
			if bytes.Contains(body, []byte(secret)) {
				out = append(out, secret)
			}
		}
	}
	return out
}

func TestConfidentialNothingLeaks(t *testing.T) {
	eachConfidential(t, func(t *testing.T, s *havenhttp.Server, db *sqlstore.DB, logs *syncBuffer, _ *searchindex.Index) {
		for _, u := range publicURLs(s) {
			w := get(s, u, nil)
			if w.Code != 200 {
				t.Errorf("GET %s: %d %s", u, w.Code, truncateForLog(w.Body.String()))
				continue
			}
			body := w.Body.Bytes()
			if strings.HasPrefix(u, "/referral.pdf") {
				body = inflatePDF(body)
			}
			if l := leaks(body); len(l) > 0 {
				t.Errorf("GET %s shows %q", u, l)
			}
		}
		// What may be shown is shown: the area, and how to get the address.
		page := get(s, "/services/"+shelterUS.svc, nil).Body.String()
		for _, want := range []string{"Austin, TX 78705", "Address given on contact", shownPhone("512-555-0100")} {
			if !strings.Contains(page, want) {
				t.Errorf("the service page lacks %q", want)
			}
		}
		if es := get(s, "/services/"+shelterUS.svc+"?lang=es", nil).Body.String(); !strings.Contains(es, "Dirección a pedido") {
			t.Error("the Spanish service page does not say the address is given on contact")
		}
		if pdf := inflatePDF(get(s, "/referral.pdf?id="+shelterUS.svc, nil).Body.Bytes()); !bytes.Contains(pdf, []byte("Address given on contact")) {
			t.Error("the referral PDF does not say the address is given on contact")
		}
		var loc struct {
			Location struct {
				XConfidential bool `json:"x_confidential"`
				Addresses     []struct {
					City string `json:"city"`
				} `json:"addresses"`
			} `json:"location"`
		}
		json.Unmarshal(get(s, "/api/hsds/service_at_locations/"+shelterUS.sal, nil).Body.Bytes(), &loc)
		if !loc.Location.XConfidential || len(loc.Location.Addresses) != 1 || loc.Location.Addresses[0].City != "Austin" {
			t.Errorf("the HSDS location is not the marked public view: %+v", loc.Location)
		}
		// The redacted records are still HSDS 3.0.
		for u, schema := range map[string]string{"/api/hsds/services/" + shelterUS.svc: "service",
			"/api/hsds/services/" + shelterMX.svc: "service", "/api/hsds/organizations/" + shelterUS.org: "organization",
			"/api/hsds/service_at_locations/" + shelterUS.sal: "service_at_location"} {
			mustValidate(t, schema, get(s, u, nil).Body.Bytes(), u)
		}
		getPage(t, s, "/api/hsds/services?full=true&search=lumen", "service")
		// The logs of all of it hold nothing either.
		if l := leaks([]byte(logs.take())); len(l) > 0 {
			t.Errorf("the log holds %q", l)
		}
		// Staff see everything.
		curator := signIn(t, s, "curator@example.org")
		staff := get(s, "/services/"+shelterUS.svc, curator).Body.String()
		for _, want := range []string{shelterUS.street, "Lumen House Austin", shownPhone(locPhones[shelterUS.loc])} {
			if !strings.Contains(staff, want) {
				t.Errorf("a curator's service page lacks %q", want)
			}
		}
		full := get(s, "/api/hsds/services/"+shelterUS.svc, curator).Body.Bytes()
		if !bytes.Contains(full, []byte(shelterUS.street)) {
			t.Error("a curator's HSDS record lacks the street")
		}
	})
}

// A curator marks an imported location confidential through the form, and
// unmarks it: every public view follows at once, search moves the place to
// the public point and back (SQL and the index alike), and the change is
// audited. The organization's record still holds an older, unmarked copy
// of the location, which must be redacted too.
func TestConfidentialCuratorMarks(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		s.Limits.APIRate = 0
		ctx := context.Background()
		sh := shelterUS
		svc := sh.service(locPhones[sh.loc])
		l := svc.ServiceAtLocations[0].Location
		l.XConfidential = nil
		svc.Organization.Locations = []hsds.Location{*l}
		dir := sqlstore.NewDirectoryService(db)
		mustImportServices(t, dir, "shelter", svc)
		ix := searchindex.New(dir, nil)
		if err := ix.Build(ctx); err != nil {
			t.Fatal(err)
		}
		s.Search = ix
		if !strings.Contains(get(s, "/services/"+sh.svc, nil).Body.String(), sh.street) {
			t.Fatal("an unmarked location's street is not shown")
		}
		distance := func() (sqlKm, indexKm float64) {
			f := haven.DirectoryFilter{Near: &haven.LatLon{Lat: sh.lat, Lon: sh.lon}, Limit: 10}
			a, err := dir.SearchDirectory(ctx, f)
			if err != nil || len(a.Hits) == 0 {
				t.Fatal(err)
			}
			if err := ix.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := ix.SearchDirectory(ctx, f)
			if err != nil || len(b.Hits) == 0 {
				t.Fatal(err)
			}
			return *a.Hits[0].DistanceKm, *b.Hits[0].DistanceKm
		}
		if a, b := distance(); a > 0.001 || b > 0.001 {
			t.Fatalf("before marking: %.3f, %.3f km from the site", a, b)
		}
		curator := signIn(t, s, "curator@example.org")
		if form := get(s, "/admin/locations/"+sh.loc+"/edit", curator).Body.String(); !strings.Contains(form, `name="x_confidential"`) {
			t.Fatal("the location form has no confidential checkbox")
		}
		values := url.Values{}
		for k, v := range listing.LocationText(l) {
			values.Set(k, v)
		}
		save := func(confidential bool) {
			t.Helper()
			values.Del("x_confidential")
			if confidential {
				values.Set("x_confidential", "true")
			}
			if w := post(s, "/admin/locations/"+sh.loc, values, curator); w.Code != 303 {
				t.Fatalf("save: %d %s", w.Code, w.Body.String())
			}
		}
		save(true)
		for _, u := range []string{"/services/" + sh.svc, "/api/hsds/services/" + sh.svc, "/api/hsds/organizations/" + sh.org,
			"/api/hsds/organizations?full=true", "/api/hsds/services?full=true", "/api/hsds/service_at_locations/" + sh.sal} {
			if l := leaks(get(s, u, nil).Body.Bytes()); len(l) > 0 {
				t.Errorf("after marking, GET %s shows %q", u, l)
			}
		}
		pub := geo.DistanceKm(sh.public(t), sh.site())
		if a, b := distance(); math.Abs(a-pub) > 1e-6 || math.Abs(b-pub) > 1e-6 {
			t.Errorf("after marking: %.3f (SQL), %.3f (index) km from the site; the public point is %.3f", a, b, pub)
		}
		if h := get(s, "/admin/history/location/"+sh.loc, curator).Body.String(); !strings.Contains(h, "x_confidential") {
			t.Error("marking is not in the location's history")
		}
		save(false)
		if !strings.Contains(get(s, "/services/"+sh.svc, nil).Body.String(), sh.street) {
			t.Error("unmarked again, the street is not shown")
		}
		if a, b := distance(); a > 0.001 || b > 0.001 {
			t.Errorf("unmarked again: %.3f, %.3f km from the site", a, b)
		}
	})
}

// A curator takes listings down: a withdrawn service, organization or
// location vanishes from every public page, API and search (SQL and the
// index), and comes back when restored; a deletion needs its confirmation.
// Each step is audited.
func TestTakedown(t *testing.T) {
	eachConfidential(t, func(t *testing.T, s *havenhttp.Server, db *sqlstore.DB, _ *syncBuffer, ix *searchindex.Index) {
		ctx := context.Background()
		curator := signIn(t, s, "curator@example.org")
		sync := func() {
			if ix != nil {
				if err := ix.Sync(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		act := func(kind, id string, form url.Values) *httptest.ResponseRecorder {
			t.Helper()
			return post(s, "/admin/takedown/"+kind+"/"+id, form, curator)
		}
		// visible reports whether the public finds the service anywhere.
		visible := func(sh shelterSite) map[string]bool {
			t.Helper()
			sync()
			seen := map[string]bool{}
			seen["page"] = get(s, "/services/"+sh.svc, nil).Code == 200
			seen["hsds"] = get(s, "/api/hsds/services/"+sh.svc, nil).Code == 200
			seen["sal"] = get(s, "/api/hsds/service_at_locations/"+sh.sal, nil).Code == 200
			seen["search"] = searchFor(t, s, sh.svc, url.Values{"q": {"lumen"}}) != nil
			seen["near"] = searchFor(t, s, sh.svc, url.Values{"near": {sh.site().String()}, "radius_km": {"50"}}) != nil
			seen["list"] = strings.Contains(get(s, "/api/hsds/services?full=true&per_page=100", nil).Body.String(), sh.svc)
			seen["org"] = strings.Contains(get(s, "/organizations/"+sh.org, nil).Body.String(), sh.svc)
			seen["referral"] = strings.Contains(get(s, "/referral?id="+sh.svc, nil).Body.String(), "Lumen Refuge "+sh.city)
			return seen
		}
		all := func(m map[string]bool, want bool) {
			t.Helper()
			for k, v := range m {
				if v != want {
					t.Errorf("%s: visible %v, want %v", k, v, want)
				}
			}
		}
		all(visible(shelterUS), true)
		if page := get(s, "/admin/takedown/service/"+shelterUS.svc, curator); page.Code != 200 || !strings.Contains(page.Body.String(), `value="withdraw"`) {
			t.Fatalf("take-down page: %d", page.Code)
		}
		if w := act("service", shelterUS.svc, url.Values{"action": {"withdraw"}}); w.Code != 303 {
			t.Fatalf("withdraw: %d %s", w.Code, w.Body.String())
		}
		all(visible(shelterUS), false)
		if get(s, "/services/"+shelterUS.svc, curator).Code != 200 {
			t.Error("a curator lost the withdrawn service")
		}
		var n int
		sqlstore.NewDirectoryService(db).EachService(ctx, func(sv *hsds.Service) error {
			if sv.ID == shelterUS.svc {
				n++
			}
			return nil
		})
		if n != 0 {
			t.Error("the default export holds the withdrawn service")
		}
		act("service", shelterUS.svc, url.Values{"action": {"restore"}})
		all(visible(shelterUS), true)

		// An organization takes its services down with it, and back.
		act("organization", shelterUS.org, url.Values{"action": {"withdraw"}})
		all(visible(shelterMX), false)
		if get(s, "/organizations/"+shelterUS.org, nil).Code != 404 || get(s, "/api/hsds/organizations/"+shelterUS.org, nil).Code != 404 ||
			strings.Contains(get(s, "/api/hsds/organizations?per_page=100", nil).Body.String(), shelterUS.org) {
			t.Error("the withdrawn organization is still public")
		}
		act("organization", shelterUS.org, url.Values{"action": {"restore"}})
		all(visible(shelterMX), true)

		// A withdrawn location leaves its services' places and records.
		act("location", shelterMX.loc, url.Values{"action": {"withdraw"}})
		sync()
		if searchFor(t, s, shelterMX.svc, url.Values{"country": {"MX"}, "q": {"lumen"}}) != nil ||
			searchFor(t, s, shelterMX.svc, url.Values{"near": {shelterMX.site().String()}, "radius_km": {"50"}}) != nil {
			t.Error("search still places the service at the withdrawn location")
		}
		if strings.Contains(get(s, "/api/hsds/services/"+shelterMX.svc, nil).Body.String(), shelterMX.loc) ||
			get(s, "/api/hsds/service_at_locations/"+shelterMX.sal, nil).Code != 404 {
			t.Error("the withdrawn location is still in the public record")
		}
		act("location", shelterMX.loc, url.Values{"action": {"restore"}})
		sync()
		if searchFor(t, s, shelterMX.svc, url.Values{"country": {"MX"}, "q": {"lumen"}}) == nil {
			t.Error("the restored location is not found")
		}

		// A deleted location leaves its service, which stays.
		if w := act("location", shelterMX.loc, url.Values{"action": {"delete"}, "confirm": {"yes"}}); w.Code != 303 {
			t.Fatalf("delete the location: %d %s", w.Code, w.Body.String())
		}
		sync()
		if staff := get(s, "/api/hsds/services/"+shelterMX.svc, curator); staff.Code != 200 || strings.Contains(staff.Body.String(), shelterMX.loc) {
			t.Errorf("after deleting its location the service is %d, or still names it", staff.Code)
		}
		if get(s, "/admin/takedown/location/"+shelterMX.loc, curator).Code != 404 {
			t.Error("the deleted location is still there")
		}
		if searchFor(t, s, shelterMX.svc, url.Values{"q": {"lumen"}}) == nil ||
			searchFor(t, s, shelterMX.svc, url.Values{"near": {shelterMX.site().String()}, "radius_km": {"50"}}) != nil {
			t.Error("search does not follow the deleted location")
		}

		// Deleting asks for confirmation, then deletes.
		if w := act("service", shelterUS.svc, url.Values{"action": {"delete"}}); w.Code != 400 {
			t.Errorf("delete without confirmation: %d", w.Code)
		}
		if get(s, "/services/"+shelterUS.svc, nil).Code != 200 {
			t.Fatal("an unconfirmed deletion deleted")
		}
		if w := act("service", shelterUS.svc, url.Values{"action": {"delete"}, "confirm": {"yes"}}); w.Code != 303 {
			t.Fatalf("delete: %d %s", w.Code, w.Body.String())
		}
		all(visible(shelterUS), false)
		if get(s, "/services/"+shelterUS.svc, curator).Code != 404 {
			t.Error("the deleted service is still there for curators")
		}
		trail, err := sqlstore.NewAuditService(db).AuditTrail(ctx, "service", shelterUS.svc, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); !strings.Contains(got, "withdraw,restore") || !strings.HasSuffix(got, "delete") {
			t.Errorf("audit of the service: %s", got)
		}
		if trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "location", shelterMX.loc, 0); len(trail) != 3 || trail[2].Action != "delete" {
			t.Errorf("audit of the location: %+v", trail)
		}
	})
}

// The dashboard lists shelters whose location is not confidential, and
// not those that are.
func TestDashboardListsExposedShelters(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db, _, _ := confidentialServer(t, e.Fresh(t), false)
		exposed, total, err := sqlstore.NewCurationService(db).ExposedServices(context.Background(), 500)
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 || len(exposed) != total {
			t.Fatalf("%d of %d exposed services listed", len(exposed), total)
		}
		for _, x := range exposed {
			if x.ID == shelterUS.svc || x.ID == shelterMX.svc {
				t.Errorf("a confidential shelter is listed: %+v", x)
			}
		}
		page := get(s, "/admin", signIn(t, s, "curator@example.org")).Body.String()
		if !strings.Contains(page, "Shelters whose address is public") || !strings.Contains(page, "/admin/locations/"+exposed[0].LocationID+"/edit") {
			t.Error("the dashboard does not list them")
		}
	})
}

// The location form, like the import, takes an address without a street
// only for a location marked confidential: unmarked, the street is required
// and nothing changes; marked, it saves.
func TestLocationFormStreetOnlyConfidential(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		ctx := context.Background()
		sh := shelterUS
		svc := sh.service(locPhones[sh.loc])
		svc.ServiceAtLocations[0].Location.XConfidential = nil
		dir := sqlstore.NewDirectoryService(db)
		mustImportServices(t, dir, "shelter", svc)
		curator := signIn(t, s, "curator@example.org")
		l, err := dir.FindLocation(ctx, sh.loc)
		if err != nil {
			t.Fatal(err)
		}
		values := url.Values{}
		for k, v := range listing.LocationText(l) {
			values.Set(k, v)
		}
		values.Set("address_1", "")
		values.Set("address_2", "")
		w := post(s, "/admin/locations/"+sh.loc, values, curator)
		if w.Code != 400 || !strings.Contains(w.Body.String(), `href="#f-address_1"`) {
			t.Fatalf("an unmarked location without a street: %d, want 400 naming address_1", w.Code)
		}
		if l, _ := dir.FindLocation(ctx, sh.loc); l.Addresses[0].Address1 != sh.street {
			t.Fatalf("the refused form changed the street to %q", l.Addresses[0].Address1)
		}
		values.Set(listing.ConfidentialField, "true")
		if w := post(s, "/admin/locations/"+sh.loc, values, curator); w.Code != 303 {
			t.Fatalf("a confidential location without a street: %d %s", w.Code, w.Body.String())
		}
		if l, _ := dir.FindLocation(ctx, sh.loc); !l.Confidential() || l.Addresses[0].Address1 != "" || l.Addresses[0].City != sh.city {
			t.Errorf("saved: %+v", l.Addresses[0])
		}
	})
}

// mustImportServices imports svcs through the store's import, as file name.
func mustImportServices(t testing.TB, dir *sqlstore.DirectoryService, name string, svcs ...*hsds.Service) {
	t.Helper()
	i := 0
	if _, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: name}); err != nil {
		t.Fatal(err)
	}
}
