package http_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"haven"
	"haven/geo"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/hsdsschema"
	"haven/internal/testenv"
	"haven/sample"
	"haven/sqlstore"
)

// MustDirectoryServer returns a server whose directory holds the 200
// services of "serve --sample" and the sample country summaries.
func MustDirectoryServer(tb testing.TB) (*havenhttp.Server, []*hsds.Service) {
	tb.Helper()
	s, _, db := MustServer(tb)
	var svcs []*hsds.Service
	if err := sample.Services(200, 1, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
		tb.Fatal(err)
	}
	i := 0
	dir := sqlstore.NewDirectoryService(db)
	if _, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		tb.Fatal(err)
	}
	for _, c := range sample.CountrySummaries() {
		if err := sqlstore.NewCountryService(db).PutCountrySummary(context.Background(), &c); err != nil {
			tb.Fatal(err)
		}
	}
	s.Directory, s.Countries = dir, sqlstore.NewCountryService(db)
	return s, svcs
}

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// MustSchema returns a compiled HSDS 3.0 schema from the official
// specification in shared/ beside the repository, skipping the test loudly
// when a bare clone has none (failing where shared/ is required).
func MustSchema(tb testing.TB, name string) *jsonschema.Schema {
	tb.Helper()
	dir := testenv.Shared(tb, "hsds/v3.0/schema/compiled")
	schemaOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		for _, n := range []string{"service", "service_list", "organization", "organization_list", "service_at_location", "service_at_location_list"} {
			sch, err := c.Compile(filepath.Join(dir, n+".json"))
			if err != nil {
				schemaErr = err
				return
			}
			schemas[n] = sch
		}
	})
	if schemaErr != nil {
		tb.Fatalf("compile the HSDS schemas in %s: %v", dir, schemaErr)
	}
	return schemas[name]
}

var (
	schema31Once sync.Once
	schemas31    map[string]*jsonschema.Schema
	schema31Err  error
)

// MustSchema31 returns an HSDS 3.1 API schema (see package hsdsschema),
// from the v3.1-dev specification in shared/, as MustSchema does for 3.0.
func MustSchema31(tb testing.TB, name string) *jsonschema.Schema {
	tb.Helper()
	dir := testenv.Shared(tb, "hsds/v3.1-dev/schema")
	schema31Once.Do(func() { schemas31, schema31Err = hsdsschema.Compile31(dir) })
	if schema31Err != nil {
		tb.Fatalf("compile the HSDS 3.1 schemas in %s: %v", dir, schema31Err)
	}
	return schemas31[name]
}

// noSchemaLogged holds the tests that have said once that they validate
// without the official schemas.
var noSchemaLogged sync.Map

// mustValidate checks a JSON value with Haven's own HSDS rules (the hsds
// reader, strict about unknown fields, and Validate) and, when shared/ is
// beside the repository, against the official schemas too: 3.0's compiled
// one, which still holds since 3.1 only adds, and 3.1's. A bare clone logs
// once per test that the official half was left out.
func mustValidate(tb testing.TB, schema string, doc []byte, what string) {
	tb.Helper()
	var err error
	switch strings.TrimSuffix(schema, "_list") {
	case "service":
		_, err = hsds.NewReader[hsds.Service](bytes.NewReader(doc), what).Next()
	case "organization":
		_, err = hsds.NewReader[hsds.Organization](bytes.NewReader(doc), what).Next()
	case "service_at_location":
		_, err = hsds.NewReader[hsds.ServiceAtLocation](bytes.NewReader(doc), what).Next()
	default:
		tb.Fatalf("mustValidate: no rules for schema %q", schema)
	}
	if err != nil {
		tb.Errorf("%s does not pass Haven's HSDS rules for %s: %v", what, schema, err)
	}
	if _, ok := testenv.LookShared("hsds/v3.0/schema/compiled"); !ok && !testenv.Required(testenv.RequireSharedEnv) {
		if _, logged := noSchemaLogged.LoadOrStore(tb.Name(), true); !logged {
			testenv.MaybeShared(tb, "hsds/v3.0/schema/compiled")
		}
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	if err := MustSchema(tb, schema).Validate(v); err != nil {
		tb.Errorf("%s does not validate against %s.json: %v", what, schema, err)
	}
	if err := MustSchema31(tb, schema).Validate(v); err != nil {
		tb.Errorf("%s does not validate against HSDS 3.1's %s: %v", what, schema, err)
	}
}

type page struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

// getPage fetches an HSDS list, checks its envelope and validates each item.
func getPage(t *testing.T, s http.Handler, url, schema string) page {
	t.Helper()
	w := do(s, "GET", url, nil)
	if w.Code != 200 {
		t.Fatalf("%s: status %d: %s", url, w.Code, w.Body.String())
	}
	var p page
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if p.Size != len(p.Contents) || p.Empty != (p.TotalItems == 0) || p.FirstPage != (p.PageNumber == 1) ||
		p.LastPage != (p.PageNumber >= p.TotalPages) {
		t.Errorf("%s: inconsistent envelope %+v (contents %d)", url, p, len(p.Contents))
	}
	for i, c := range p.Contents {
		if schema != "" {
			mustValidate(t, schema, c, url+" item "+string(rune('0'+i%10)))
		}
	}
	return p
}

func TestHSDSAPI(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	var root map[string]string
	json.Unmarshal(do(s, "GET", "/api/hsds/", nil).Body.Bytes(), &root)
	if root["version"] != "3.1" || root["openapi_url"] != "/api/openapi.json" || root["profile"] == "" {
		t.Errorf("root = %v", root)
	}
	if w := do(s, "GET", "/api/openapi.json", nil); w.Code != 200 || !json.Valid(w.Body.Bytes()) {
		t.Errorf("openapi.json: %d", w.Code)
	}

	active := 0
	var inactive *hsds.Service
	for _, sv := range svcs {
		if sv.Status == "active" || sv.Status == "temporarily closed" {
			active++
		} else if inactive == nil {
			inactive = sv
		}
	}
	p := getPage(t, s, "/api/hsds/services?per_page=7&page=2", "service_list")
	if p.TotalItems != active || p.Size != 7 || p.PageNumber != 2 || p.TotalPages != (active+6)/7 {
		t.Errorf("services page: %+v, want %d active services", p, active)
	}
	getPage(t, s, "/api/hsds/services?per_page=5&full=true", "service")
	min := getPage(t, s, "/api/hsds/services?per_page=5&minimal=true", "service_list")
	var m map[string]any
	json.Unmarshal(min.Contents[0], &m)
	if _, ok := m["description"]; ok || m["id"] == nil {
		t.Errorf("minimal item %v", m)
	}

	// One service, fully nested, whatever its status.
	w := do(s, "GET", "/api/hsds/services/"+inactive.ID, nil)
	if w.Code != 200 {
		t.Fatalf("inactive service by id: %d", w.Code)
	}
	mustValidate(t, "service", w.Body.Bytes(), "service by id")
	var got hsds.Service
	json.Unmarshal(w.Body.Bytes(), &got)
	want, _ := json.Marshal(inactive)
	if again, _ := json.Marshal(got); string(again) != string(want) {
		t.Errorf("service by id differs from what was imported")
	}
	if w := do(s, "GET", "/api/hsds/services/00000000-0000-4000-8000-000000000000", nil); w.Code != 404 {
		t.Errorf("unknown service: %d", w.Code)
	}

	// Parameters combine with AND.
	org := svcs[0].OrganizationID
	term := sample.TermID("legal-services")
	both := getPage(t, s, "/api/hsds/services?per_page=100&organization_id="+org+"&taxonomy_term_id="+term, "service_list")
	n := 0
	for _, sv := range svcs {
		if sv.OrganizationID != org || (sv.Status != "active" && sv.Status != "temporarily closed") {
			continue
		}
		for _, a := range sv.Attributes {
			if a.TaxonomyTermID == term {
				n++
				break
			}
		}
	}
	if both.TotalItems != n {
		t.Errorf("organization_id AND taxonomy_term_id: %d, want %d", both.TotalItems, n)
	}
	tax := getPage(t, s, "/api/hsds/services?per_page=1&taxonomy_id="+haven.CategoryTaxonomyID, "")
	if tax.TotalItems == 0 {
		t.Error("taxonomy_id found nothing")
	}
	if later := getPage(t, s, "/api/hsds/services?modified_after=2100-01-01T00:00:00Z", ""); later.TotalItems != 0 {
		t.Errorf("modified_after in the future: %d", later.TotalItems)
	}
	if all := getPage(t, s, "/api/hsds/services?modified_after=2000-01-01", ""); all.TotalItems != active {
		t.Errorf("modified_after in the past: %d, want %d", all.TotalItems, active)
	}

	// NDJSON streams every service, unpaged.
	w = do(s, "GET", "/api/hsds/services?format=ndjson&per_page=3", nil)
	if ct := w.Header().Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("ndjson content type %q", ct)
	}
	lines := 0
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines++
		if lines <= 3 {
			mustValidate(t, "service_list", sc.Bytes(), "ndjson line")
		}
	}
	if lines != active {
		t.Errorf("ndjson: %d lines, want %d", lines, active)
	}

	// Organizations.
	orgs := getPage(t, s, "/api/hsds/organizations?per_page=3", "organization_list")
	if orgs.TotalItems == 0 {
		t.Fatal("no organizations")
	}
	w = do(s, "GET", "/api/hsds/organizations/"+org+"?full_service=true", nil)
	mustValidate(t, "organization", w.Body.Bytes(), "organization with services")
	var o hsds.Organization
	json.Unmarshal(w.Body.Bytes(), &o)
	if len(o.Services) == 0 {
		t.Error("full_service nested no services")
	}
	getPage(t, s, "/api/hsds/organizations?per_page=2&full_service=true", "organization")

	// Taxonomies and terms: the categories, and who is served.
	if p := getPage(t, s, "/api/hsds/taxonomies", ""); p.TotalItems != 2 {
		t.Errorf("taxonomies: %d", p.TotalItems)
	}
	whoTerms := len(haven.Populations) + len(haven.TraffickingKinds)
	if p := getPage(t, s, "/api/hsds/taxonomy_terms?top_only=true&per_page=100", ""); p.TotalItems != 16+whoTerms {
		t.Errorf("top-level terms: %d, want %d", p.TotalItems, 16+whoTerms)
	}
	if w := do(s, "GET", "/api/hsds/taxonomy_terms/"+term, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `"code":"legal-services"`) {
		t.Errorf("term by id: %d %s", w.Code, w.Body.String())
	}
	if w := do(s, "GET", "/api/hsds/taxonomies/"+haven.CategoryTaxonomyID, nil); w.Code != 200 {
		t.Errorf("taxonomy by id: %d", w.Code)
	}
}

func TestHSDSProximity(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	zip, _ := geo.LookupZIP("77002")
	byZip := getPage(t, s, "/api/hsds/service_at_locations?postcode=77002&proximity=80000&per_page=100", "service_at_location_list")
	if byZip.TotalItems == 0 {
		t.Fatal("nothing within 80 km of 77002")
	}
	for _, c := range byZip.Contents {
		var sal hsds.ServiceAtLocation
		json.Unmarshal(c, &sal)
		if sal.Location == nil || sal.Location.Latitude == nil {
			t.Fatalf("no location nested: %s", c)
		}
		if d := geo.DistanceKm(zip, geo.Point{Lat: *sal.Location.Latitude, Lon: *sal.Location.Longitude}); d > 80.01 {
			t.Errorf("%s is %.1f km away, beyond 80 km", sal.ID, d)
		}
	}
	byPoint := getPage(t, s, "/api/hsds/service_at_locations?per_page=100&proximity=80000&latitude="+
		jsonNum(zip.Lat)+"&longitude="+jsonNum(zip.Lon), "service_at_location_list")
	if byPoint.TotalItems != byZip.TotalItems {
		t.Errorf("latitude/longitude found %d, postcode %d", byPoint.TotalItems, byZip.TotalItems)
	}
	getPage(t, s, "/api/hsds/service_at_locations?per_page=3&full=true", "service_at_location")
	for _, url := range []string{
		"/api/hsds/service_at_locations?postcode=00000&proximity=100",
		"/api/hsds/service_at_locations?proximity=100",
		"/api/hsds/service_at_locations?latitude=10",
		"/api/hsds/service_at_locations?postcode=77002&proximity=-5",
		"/api/hsds/services?organization_id=nope",
		"/api/hsds/services?modified_after=yesterday",
		"/api/hsds/services?full=maybe",
		"/api/hsds/services?format=xml",
		"/api/hsds/services?per_page=0",
		"/api/hsds/taxonomy_terms?parent_id=x",
	} {
		if w := do(s, "GET", url, nil); w.Code != 400 || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: %d %s, want 400 with an error", url, w.Code, w.Body.String())
		}
	}
}

func jsonNum(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestSearchAPI(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	var res struct {
		Total  int              `json:"total"`
		Items  []map[string]any `json:"items"`
		Facets map[string][]struct {
			Value, Label string
			Count        int
		} `json:"facets"`
	}
	w := do(s, "GET", "/api/v1/search?postcode=10001&per_page=5&lang=es", nil)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	json.Unmarshal(w.Body.Bytes(), &res)
	if res.Total == 0 || len(res.Items) != 5 {
		t.Fatalf("total %d items %d", res.Total, len(res.Items))
	}
	last := -1.0
	for _, it := range res.Items {
		d, ok := it["distance_km"].(float64)
		if !ok || d < last {
			t.Errorf("distance_km missing or out of order: %v", it)
		}
		last = d
		for _, k := range []string{"id", "name", "organization", "location"} {
			if it[k] == nil {
				t.Errorf("item lacks %s", k)
			}
		}
	}
	for _, f := range []string{"category", "state", "country", "language"} {
		if len(res.Facets[f]) == 0 {
			t.Errorf("facet %s empty", f)
		}
	}
	for _, c := range res.Facets["country"] {
		if c.Value == "MX" && c.Label != "México" {
			t.Errorf("MX label in Spanish = %q", c.Label)
		}
	}
	w = do(s, "GET", "/api/v1/search?q=legal&state=TX", nil)
	res.Items = nil // fresh maps: Unmarshal would keep the old keys
	json.Unmarshal(w.Body.Bytes(), &res)
	if len(res.Items) == 0 {
		t.Error("no legal services in Texas")
	}
	for _, it := range res.Items {
		if _, ok := it["distance_km"]; ok {
			t.Error("distance_km without a place")
		}
		if loc := it["location"].(map[string]any); loc["state"] != "TX" {
			t.Errorf("state filter let through %v", loc)
		}
	}
	for _, url := range []string{
		"/api/v1/search?postcode=99999", "/api/v1/search?radius_km=10", "/api/v1/search?near=91,0",
		"/api/v1/search?near=abc", "/api/v1/search?state=Narnia", "/api/v1/search?country=USA",
		"/api/v1/search?language=klingonish", "/api/v1/search?status=open", "/api/v1/search?page=-1",
		"/api/v1/search?near=30,-97&radius_km=5000",
	} {
		if w := do(s, "GET", url, nil); w.Code != 400 || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: %d, want 400", url, w.Code)
		}
	}
}

func TestDirectoryPages(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	sv := svcs[0]
	tests := []struct {
		url      string
		status   int
		contains []string
	}{
		{"/directory", 200, []string{"Find providers", "services found", "Sample data — not a real provider", `Pick<span class="visually-hidden">: `, "Pick services for a referral sheet"}},
		{"/directory?place=77002&radius_km=100", 200, []string{"mi away", "Nearest first.", "Near 77002"}},
		{"/directory?q=legal&lang=es", 200, []string{"Buscar proveedores", "Servicios legales"}},
		// A place Haven cannot read is shown at its field, announced, and the
		// search runs without it.
		{"/directory?place=00000&radius_km=25", 400, []string{`Haven does not know the place “00000”`, `role="alert"`,
			`aria-invalid="true" aria-describedby="place-error"`, `value="00000"`, "services found"}},
		{"/directory?place=91,0&lang=es", 400, []string{`Haven no conoce el lugar “91,0”`, `aria-invalid="true"`}},
		{"/directory/states/TX?place=77002", 200, []string{"mi away", "Near 77002"}},
		{"/directory/states/TX?place=zzz", 400, []string{"“zzz”", `aria-invalid="true"`}},
		// Issue 19: places by name, choices for an ambiguous one, units by
		// the place's country, and never a dead end.
		{"/directory?place=Houston", 200, []string{"Near Houston, TX", "mi away", "Nearest first.", `name="radius_mi"`, "Distances in"}},
		{"/directory?place=San+Antonio+Texas&q=legal", 200, []string{"Near San Antonio, TX", "Best match first", `<option value="best" selected>Best match</option>`}},
		{"/directory?place=Springfield", 400, []string{"Several places are called “Springfield”", `href="/directory?place=Springfield%2C+MO"`, `href="/directory?place=Springfield%2C+IL"`}},
		{"/directory?place=Springfield&lang=es", 400, []string{"Hay varios lugares llamados “Springfield”"}},
		{"/directory?place=Guadalajara&lang=es", 200, []string{"Cerca de Guadalajara, Jalisco, México", " km"}},
		{"/directory?place=Houston&units=km", 200, []string{"km away", `name="radius_km"`}},
		{"/directory?place=Texas", 200, []string{"State: Texas", `href="/directory" aria-label="Remove State: Texas"`}},
		{"/directory?place=44.5,-100.5&radius_mi=5", 200, []string{"None within 5 miles. The nearest are:", "mi away"}},
		{"/directory?state=TX&country=MX", 200, []string{"Nothing matches every filter", "Without the filter “State”", "Without the filter “Country”"}},
		{"/directory?state=Luisiana&lang=es", 200, []string{"Estado: Luisiana"}},
		{"/directory/states", 200, []string{"<svg", `href="/directory/states/TX"`, "Puerto Rico"}},
		{"/directory/states/tx", 200, []string{"Texas", "National Human Trafficking Hotline"}},
		{"/directory/states/ZZ", 404, nil},
		{"/directory/countries", 200, []string{`href="/directory/countries/MX"`, "Mexico"}},
		{"/directory/countries/MX", 200, []string{"Sample text", "The situation"}},
		{"/directory/countries/mx?lang=es", 200, []string{"México", "Texto de muestra"}},
		{"/directory/countries/ZZ", 404, nil},
		{"/services/" + sv.ID, 200, []string{sv.Name, "Last verified", "Report a problem", "Who can get help", `href="` + string(telOf(sv.Phones[0].Number)) + `"`, "Referral sheet for this service"}},
		{"/services/00000000-0000-4000-8000-000000000000", 404, nil},
		{"/organizations/" + sv.OrganizationID, 200, []string{sv.Organization.Name, sv.Name}},
		{"/referral?id=" + sv.ID + "&id=" + svcs[1].ID, 200, []string{sv.Name, svcs[1].Name, "Download PDF", "1-888-373-7888"}},
		{"/referral", 200, []string{"No services are on this sheet yet"}},
		{"/suggest?type=service&id=" + sv.ID, 200, []string{"Report a problem", sv.Name, "Wrong phone number"}},
		{"/suggest", 200, []string{"Suggest a listing"}},
		{"/suggest?type=service&id=00000000-0000-4000-8000-000000000000", 404, nil},
	}
	for _, tt := range tests {
		w := do(s, "GET", tt.url, nil)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.url, w.Code, tt.status)
			continue
		}
		for _, c := range tt.contains {
			if !strings.Contains(html.UnescapeString(w.Body.String()), c) {
				t.Errorf("%s lacks %q", tt.url, c)
			}
		}
		if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s set a cookie: %v", tt.url, c)
		}
		if strings.Contains(w.Body.String(), "ZgotmplZ") {
			t.Errorf("%s has a link the template refused (#ZgotmplZ)", tt.url)
		}
	}
	w := do(s, "GET", "/referral.pdf?id="+sv.ID, nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
		t.Errorf("referral.pdf: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

func TestEmptyDirectory(t *testing.T) {
	s, _, db := MustServer(t)
	s.Directory, s.Countries = sqlstore.NewDirectoryService(db), sqlstore.NewCountryService(db)
	body := do(s, "GET", "/directory", nil).Body.String()
	for _, want := range []string{"The directory is empty", "haven import", "haven serve --sample", "1-888-373-7888"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty directory page lacks %q", want)
		}
	}
}

// telOf is the tel: link Haven should make of a printed number.
func telOf(number string) string {
	var b strings.Builder
	for i, r := range number {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return "tel:" + b.String()
}
