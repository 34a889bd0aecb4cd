package http_test

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/sample"
	"haven/sqlstore"
)

// MustServedServer returns a server whose directory holds sample services
// and three that serve areas without a place there: a nationwide one with
// no location, one reached online serving Texas, and one whose area Haven
// cannot read. Each stays sample data, as its organization says.
func MustServedServer(tb testing.TB, dsn string) (*havenhttp.Server, map[string]*hsds.Service) {
	tb.Helper()
	s, _, db := MustServerOn(tb, dsn)
	var svcs []*hsds.Service
	if err := sample.Services(80, 3, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
		tb.Fatal(err)
	}
	role := map[string]*hsds.Service{}
	var active []*hsds.Service
	for _, sv := range svcs {
		if sv.Status == "active" && len(sv.ServiceAtLocations) > 0 {
			active = append(active, sv)
		}
	}
	nat, online, bad := active[0], active[1], active[2]
	nat.ServiceAtLocations = nil
	nat.ServiceAreas = []hsds.ServiceArea{{ID: "00000000-0000-4000-8000-0000000a0001", ServiceID: nat.ID, Name: "Nationwide, United States"}}
	virt := &hsds.Location{ID: "00000000-0000-4000-8000-0000000a0002", LocationType: "virtual", Name: "Online chat (sample)",
		URL: "https://example.org/chat", OrganizationID: online.OrganizationID}
	online.ServiceAtLocations = []hsds.ServiceAtLocation{{ID: "00000000-0000-4000-8000-0000000a0003", ServiceID: online.ID, LocationID: virt.ID, Location: virt}}
	online.ServiceAreas = []hsds.ServiceArea{{ID: "00000000-0000-4000-8000-0000000a0004", ServiceID: online.ID, Name: "Texas (statewide)"}}
	online.ServiceAreas = append(online.ServiceAreas, hsds.ServiceArea{ID: "00000000-0000-4000-8000-0000000a0006", ServiceID: online.ID,
		Name: "Central Houston", Description: "Sample polygon", ExtentType: "geojson", Extent: houstonBox})
	bad.ServiceAtLocations = nil
	bad.ServiceAreas = []hsds.ServiceArea{{ID: "00000000-0000-4000-8000-0000000a0005", ServiceID: bad.ID, Name: "Everywhere our volunteers reach"}}
	role["nationwide"], role["online"], role["unresolved"] = nat, online, bad
	dir := sqlstore.NewDirectoryService(db)
	i := 0
	if _, err := dir.Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		tb.Fatal(err)
	}
	s.Directory, s.Countries = dir, sqlstore.NewCountryService(db)
	return s, role
}

func TestServedAreaPages(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, role := MustServedServer(t, e.Fresh(t))
		nat, online, bad := htmlText(role["nationwide"].Name), htmlText(role["online"].Name), htmlText(role["unresolved"].Name)
		tests := []struct {
			url            string
			want, wantNot  []string
			servedAfterAll bool // the served section follows the located list
		}{
			{"/directory?postcode=77002&radius_km=50", []string{`class="badge served">Serves your area<`, nat, `class="badge served">By phone / online<`, online}, []string{bad}, false},
			{"/directory?postcode=77002&radius_km=50&lang=es", []string{`class="badge served">Atiende su zona<`, `class="badge served">Por teléfono / en línea<`}, nil, false},
			{"/directory?postcode=10001&radius_km=50", []string{nat}, []string{online}, false},
			{"/directory/states/TX", []string{`id="served-h">Also serving Texas<`, nat, online}, []string{bad}, true},
			{"/directory/states/TX?lang=es", []string{`id="served-h">También atienden Texas<`}, nil, true},
			{"/directory/states/NY", []string{`id="served-h">Also serving New York<`, nat}, []string{online}, true},
			{"/directory/countries/US", []string{`id="served-h">Also serving United States<`, nat, online}, nil, true},
			{"/countries/US", []string{`id="served-h">Also serving United States<`, nat}, nil, true},
			{"/directory", nil, []string{`badge served`, `id="served-h"`}, false},
		}
		for _, tt := range tests {
			t.Run(tt.url, func(t *testing.T) {
				w := do(s, "GET", tt.url, nil)
				body := w.Body.String()
				if w.Code != 200 {
					t.Fatalf("%d", w.Code)
				}
				for _, want := range tt.want {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks %q", want)
					}
				}
				for _, not := range tt.wantNot {
					if strings.Contains(body, not) {
						t.Errorf("page has %q", not)
					}
				}
				if tt.servedAfterAll {
					// Served services are in their section only.
					main, section, ok := strings.Cut(body, `id="served-h"`)
					if !ok {
						t.Fatal("no section of services serving the place")
					}
					if strings.Contains(main, nat) || !strings.Contains(section, nat) {
						t.Errorf("the nationwide service is not in the section apart only")
					}
				}
			})
		}

		// The HSDS API returns the areas as they were written, valid HSDS.
		w0 := do(s, "GET", "/api/hsds/services/"+role["online"].ID, nil)
		mustValidate(t, "service", w0.Body.Bytes(), "service with areas")
		var got hsds.Service
		if err := json.Unmarshal(w0.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got.ServiceAreas, role["online"].ServiceAreas, func(a, b hsds.ServiceArea) bool {
			return a.ID == b.ID && a.Name == b.Name && a.Extent == b.Extent && a.ExtentType == b.ExtentType && a.Description == b.Description
		}) {
			t.Errorf("service areas come back as %+v", got.ServiceAreas)
		}

		// The API marks served hits and gives them no distance.
		w := do(s, "GET", "/api/v1/search?postcode=77002&radius_km=50&per_page=100", nil)
		var res struct {
			Total int              `json:"total"`
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 {
			t.Fatalf("%d %v", w.Code, err)
		}
		served := map[string]string{}
		for i, it := range res.Items {
			if m, ok := it["served"].(string); ok {
				served[it["id"].(string)] = m
				if _, has := it["distance_km"]; has {
					t.Errorf("served item %v has a distance", it["name"])
				}
				if (i+1)%4 != 0 && slices.ContainsFunc(res.Items[i:], func(it map[string]any) bool { return it["served"] == nil }) {
					t.Errorf("served item at %d, before local ones", i)
				}
			} else if _, has := it["distance_km"]; !has {
				t.Errorf("local item %v has no distance", it["name"])
			}
		}
		if served[role["nationwide"].ID] != "area" || served[role["online"].ID] != "remote" {
			t.Errorf("served %v", served)
		}
		for _, q := range []string{"served=only", "served=none"} {
			w := do(s, "GET", "/api/v1/search?state=TX&per_page=100&"+q, nil)
			body := w.Body.String()
			if w.Code != 200 || strings.Contains(body, role["nationwide"].ID) != (q == "served=only") {
				t.Errorf("%s: %d, nationwide service listed: %v", q, w.Code, strings.Contains(body, role["nationwide"].ID))
			}
		}
		if w := do(s, "GET", "/api/v1/search?state=TX&served=some", nil); w.Code != 400 || !strings.Contains(w.Body.String(), "served") {
			t.Errorf("served=some: %d %s", w.Code, w.Body.String())
		}
	})
}

// houstonBox is a GeoJSON polygon around central Houston.
const houstonBox = `{"type":"Polygon","coordinates":[[[-95.6,29.6],[-95.1,29.6],[-95.1,29.95],[-95.6,29.95],[-95.6,29.6]]]}`

// htmlText is s as html/template writes it in text.
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", "&", "&amp;", `"`, "&#34;").Replace(s)
}

// TestAreaProblemsOnDashboard: curators see the areas Haven could not
// read, with the service and the reason, and the form's help says how to
// write them.
func TestAreaProblemsOnDashboard(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		s, db := MustCurationServerOn(t, e.Fresh(t))
		var svcs []*hsds.Service
		if err := sample.Services(3, 5, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
			t.Fatal(err)
		}
		bad := svcs[0]
		bad.ServiceAreas = []hsds.ServiceArea{{ID: "00000000-0000-4000-8000-0000000b0001", ServiceID: bad.ID, Name: "Wherever our van goes"}}
		i := 0
		if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), func() (*hsds.Service, error) {
			if i == len(svcs) {
				return nil, io.EOF
			}
			i++
			return svcs[i-1], nil
		}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
			t.Fatal(err)
		}
		c := signIn(t, s, "curator@example.org")
		for _, tt := range []struct{ url, lang string }{{"/admin", "en"}, {"/admin?lang=es", "es"}} {
			body := get(s, tt.url, c).Body.String()
			heading := map[string]string{"en": "Service areas Haven could not read", "es": "Zonas de servicio que Haven no pudo leer"}[tt.lang]
			for _, want := range []string{heading, "Wherever our van goes", htmlText(bad.Name), "/admin/services/" + bad.ID + "/edit", "cannot tell which place"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", tt.url, want)
				}
			}
		}
		form := get(s, "/admin/services/"+bad.ID+"/edit", c).Body.String()
		if !strings.Contains(form, `name="service_areas"`) || !strings.Contains(form, "Wherever our van goes") || !strings.Contains(form, "Harris County, TX") {
			t.Error("the service form has no areas field with its help")
		}
	})
}
