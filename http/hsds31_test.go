package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"haven"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/sample"
	"haven/sqlstore"
)

// mustServer31 returns a server whose directory holds 60 sample services,
// every fourth with the objects HSDS 3.1 added.
func mustServer31(tb testing.TB) (*havenhttp.Server, []*hsds.Service) {
	tb.Helper()
	s, logs, db := MustServer(tb)
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Log(logs.String())
		}
	})
	var svcs []*hsds.Service
	if err := sample.Services(60, 1, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
		tb.Fatal(err)
	}
	ns := uuid.MustParse("4d1f7a9e-2c0b-4e55-8f3a-6b7c8d9e0f12")
	id := func(f string, a ...any) string { return uuid.NewSHA1(ns, fmt.Appendf(nil, f, a...)).String() }
	bed := &hsds.Unit{ID: id("bed"), Name: "Bed (sample)", Scheme: "Haven", Identifier: "bed"}
	for i, sv := range svcs {
		// Every copy of an organization must be the same: all get it.
		sv.Organization.AdditionalWebsites = []hsds.URL{{ID: id("org url %s", sv.OrganizationID), Label: "Volunteer", URL: "https://haven.example/volunteer"}}
		if i%4 != 0 {
			continue
		}
		avail := float64(i % 5)
		sv.Capacities = []hsds.ServiceCapacity{{ID: id("cap %d", i), ServiceID: sv.ID, Unit: bed, Available: &avail,
			Description: "Beds free tonight (sample)", Updated: "2025-05-01T22:15:00.25-04:00"}}
		sv.AdditionalURLs = []hsds.URL{{ID: id("url %d", i), Label: "Referral form", URL: "https://haven.example/referral"}}
		sv.Attributes[0].Label = "Main category"
		sv.ServiceAtLocations[0].ServiceAreas = []hsds.ServiceArea{{ID: id("area %d", i), Name: "Downtown", ExtentType: "text"}}
	}
	i := 0
	dir := sqlstore.NewDirectoryService(db)
	s.Directory, s.Countries = dir, sqlstore.NewCountryService(db)
	if _, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		tb.Fatal(err)
	}
	return s, svcs
}

// The API speaks HSDS 3.1: its documents carry the 3.1 objects and
// validate against the 3.1 schemas (and 3.0's, see mustValidate); list
// forms leave the nested arrays out as 3.0's do.
func TestHSDS31API(t *testing.T) {
	s, svcs := mustServer31(t)
	var root map[string]string
	json.Unmarshal(do(s, "GET", "/api/hsds/", nil).Body.Bytes(), &root)
	if root["version"] != "3.1" {
		t.Errorf("root says version %q", root["version"])
	}
	sv := svcs[0]
	w := do(s, "GET", "/api/hsds/services/"+sv.ID, nil)
	if w.Code != 200 {
		t.Fatalf("service: %d", w.Code)
	}
	mustValidate(t, "service", w.Body.Bytes(), "service with 3.1 objects")
	var got hsds.Service
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Capacities) != 1 || got.Capacities[0].Unit == nil || got.Capacities[0].Unit.Name != "Bed (sample)" ||
		got.Capacities[0].Updated != "2025-05-01T22:15:00.25-04:00" || len(got.AdditionalURLs) != 1 ||
		got.Attributes[0].Label != "Main category" || len(got.ServiceAtLocations[0].ServiceAreas) != 1 ||
		got.Organization == nil || len(got.Organization.AdditionalWebsites) != 1 {
		t.Errorf("service lacks its 3.1 objects: %s", w.Body.String())
	}
	p := getPage(t, s, "/api/hsds/services?per_page=20", "service_list")
	for _, c := range p.Contents {
		if strings.Contains(string(c), `"capacities"`) || strings.Contains(string(c), `"additional_urls"`) {
			t.Errorf("list item carries nested arrays: %s", c)
			break
		}
	}
	getPage(t, s, "/api/hsds/services?per_page=20&full=true", "service")
	w = do(s, "GET", "/api/hsds/service_at_locations/"+sv.ServiceAtLocations[0].ID, nil)
	mustValidate(t, "service_at_location", w.Body.Bytes(), "service at location")
	if !strings.Contains(w.Body.String(), `"service_areas":[{`) {
		t.Errorf("service at location without its service areas: %s", w.Body.String())
	}
	// The list of service-at-locations shows their areas only when full.
	for _, q := range []string{"", "&full=true"} {
		p := getPage(t, s, "/api/hsds/service_at_locations?per_page=100"+q, "service_at_location_list")
		var all strings.Builder
		for _, c := range p.Contents {
			all.Write(c)
		}
		if got := strings.Contains(all.String(), `"service_areas":[{"id"`); got != (q != "") {
			t.Errorf("service_at_locations?%s: service areas shown: %v", q, got)
		}
	}
	w = do(s, "GET", "/api/hsds/organizations/"+sv.OrganizationID+"?full_service=true", nil)
	mustValidate(t, "organization", w.Body.Bytes(), "organization with services")
	if !strings.Contains(w.Body.String(), `"additional_websites":[{`) {
		t.Errorf("organization without its additional websites: %s", w.Body.String())
	}
}

// /organizations filters by taxonomy_term_id and taxonomy_id (HSDS 3.1):
// an organization matches when it or one of its services carries the term.
func TestHSDSOrganizationsByTerm(t *testing.T) {
	s, svcs := mustServer31(t)
	orgsWith := func(match func(a hsds.Attribute) bool) []string {
		var out []string
		for _, sv := range svcs {
			for _, a := range append(slices.Clone(sv.Attributes), sv.Organization.Attributes...) {
				if match(a) && !slices.Contains(out, sv.OrganizationID) {
					out = append(out, sv.OrganizationID)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	ids := func(p page) []string {
		var out []string
		for _, c := range p.Contents {
			var o hsds.Organization
			json.Unmarshal(c, &o)
			out = append(out, o.ID)
		}
		slices.Sort(out)
		return out
	}
	term := sample.TermID("legal-services")
	nobody := "00000000-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"taxonomy_term_id=" + term, orgsWith(func(a hsds.Attribute) bool { return a.TaxonomyTermID == term })},
		{"taxonomy_term_id=" + strings.ToUpper(term), orgsWith(func(a hsds.Attribute) bool { return a.TaxonomyTermID == term })},
		{"taxonomy_id=" + haven.CategoryTaxonomyID, orgsWith(func(a hsds.Attribute) bool {
			return a.TaxonomyTerm != nil && a.TaxonomyTerm.TaxonomyID == haven.CategoryTaxonomyID
		})},
		{"taxonomy_term_id=" + nobody, nil},
		{"taxonomy_id=" + nobody, nil},
	} {
		p := getPage(t, s, "/api/hsds/organizations?per_page=100&"+tc.query, "organization_list")
		if got := ids(p); !slices.Equal(got, tc.want) || p.TotalItems != len(tc.want) || p.Empty != (len(tc.want) == 0) {
			t.Errorf("%s: %d organizations %v, want %d %v", tc.query, p.TotalItems, got, len(tc.want), tc.want)
		}
	}
	all := getPage(t, s, "/api/hsds/organizations?per_page=1", "")
	if one := getPage(t, s, "/api/hsds/organizations?per_page=100&taxonomy_term_id="+term, ""); one.TotalItems == 0 || one.TotalItems >= all.TotalItems {
		t.Errorf("the term filter selects %d of %d organizations: not a filter", one.TotalItems, all.TotalItems)
	}
	if w := do(s, "GET", "/api/hsds/organizations?taxonomy_term_id=legal", nil); w.Code != 400 {
		t.Errorf("taxonomy_term_id that is not a UUID: %d", w.Code)
	}
}
