package http_test

import (
	"context"
	"encoding/json"
	"html"
	"strings"
	"testing"

	"haven"
	"haven/sqlstore"
)

// TestDirectoryWhoFilters checks the filters of who can be helped and when
// on /directory and /api/v1/search: the form keeps what was chosen, each
// filter shows as a chip, the population facet counts and names its
// values in the visitor's language, and a bad value is refused naming it.
func TestDirectoryWhoFilters(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	dir := s.Directory.(*sqlstore.DirectoryService)
	sv := svcs[3]
	if err := dir.UpdateService(context.Background(), "test", sv.ID, map[string]string{
		"populations": "minors, LGBTQ", "trafficking": "labor", "minimum_age": "12", "maximum_age": "17"}); err != nil {
		t.Fatal(err)
	}
	if err := dir.UpdateService(context.Background(), "test", sv.ID, map[string]string{"populations": "children"}); err == nil ||
		!strings.Contains(err.Error(), "minors, women") {
		t.Errorf("an unknown group: %v", err)
	}
	got, _ := dir.FindServiceByID(context.Background(), sv.ID)
	if got == nil || got.MinimumAge == nil || *got.MinimumAge != 12 {
		t.Fatalf("the minimum age was not kept: %+v", got)
	}
	tests := []struct {
		url      string
		status   int
		contains []string
		lacks    []string
	}{
		{"/directory?population=minors", 200, []string{sv.Name, "1 service found", "Who is served: Minors (under 18)",
			`<option value="minors" selected>Minors (under 18) (1)</option>`}, nil},
		{"/directory?population=minors&age=18", 200, []string{"Age 18", "No services match"}, []string{sv.Name}},
		{"/directory?population=minors&age=16&lang=es", 200, []string{sv.Name, "Edad: 16", "A quién atiende: Menores de edad", `value="16"`}, nil},
		{"/directory?trafficking=labor", 200, []string{sv.Name, "Kind of trafficking: Labor trafficking"}, nil},
		{"/directory?open_day=sat&open_time=02:00", 200, []string{"Open Saturday at 02:00", `value="02:00"`, `<option value="sat" selected>`,
			"hours Haven does not know are not shown"}, nil},
		{"/directory?open_day=sun&lang=es", 200, []string{"Abierto el domingo"}, nil},
		{"/directory?open=now", 200, []string{"Open now", `<option value="now" selected>`}, nil},
		{"/directory", 200, []string{`id="f-age"`, `name="open_day"`, `type="time"`}, []string{"hours Haven does not know"}},
		{"/directory?age=old", 400, []string{"age"}, nil},
		{"/directory?open_time=18:00", 400, []string{"Choose a day"}, nil},
	}
	for _, tt := range tests {
		w := do(s, "GET", tt.url, nil)
		body := html.UnescapeString(w.Body.String())
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.url, w.Code, tt.status)
			continue
		}
		for _, c := range tt.contains {
			if !strings.Contains(body, c) {
				t.Errorf("%s lacks %q", tt.url, c)
			}
		}
		for _, c := range tt.lacks {
			if strings.Contains(body, c) {
				t.Errorf("%s has %q", tt.url, c)
			}
		}
	}

	var res struct {
		Total  int `json:"total"`
		Facets map[string][]struct {
			Value, Label string
			Count        int
		} `json:"facets"`
	}
	w := do(s, "GET", "/api/v1/search?population=minors&age=16&trafficking=labor&lang=es", nil)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	json.Unmarshal(w.Body.Bytes(), &res)
	if res.Total != 1 || len(res.Facets["population"]) != 2 || res.Facets["population"][0].Label == "" {
		t.Errorf("API: total %d, population facet %+v", res.Total, res.Facets["population"])
	}
	// The HSDS API has no such parameters, but its taxonomy filters reach
	// the same terms.
	w = do(s, "GET", "/api/hsds/services?taxonomy_term_id="+haven.WhoTermID("population", "minors"), nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), sv.ID) || !strings.Contains(w.Body.String(), `"total_items":1`) {
		t.Errorf("HSDS API by who term: %d %.300s", w.Code, w.Body.String())
	}
	for _, bad := range []string{"population=kids", "trafficking=organs", "age=200", "open=soon", "open_at=monday"} {
		w := do(s, "GET", "/api/v1/search?"+bad, nil)
		name, _, _ := strings.Cut(bad, "=")
		if w.Code != 400 || !strings.Contains(w.Body.String(), name) {
			t.Errorf("%s: %d %s", bad, w.Code, w.Body.String())
		}
	}
}

// TestOpenAPIWhoParameters checks that the OpenAPI document describes
// each parameter of who can be helped and when, and the facets they count.
func TestOpenAPIWhoParameters(t *testing.T) {
	s, _, _ := MustServer(t)
	w := do(s, "GET", "/api/openapi.json", nil)
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Required []string `json:"required"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var get struct {
		Parameters []struct {
			Name string `json:"name"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(doc.Paths["/api/v1/search"]["get"], &get); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range get.Parameters {
		have[p.Name] = true
	}
	for _, name := range []string{"age", "population", "trafficking", "open", "open_at", "open_day", "open_time"} {
		if !have[name] {
			t.Errorf("/api/v1/search does not describe %s", name)
		}
	}
	facets := strings.Join(doc.Components.Schemas["SearchResultList"].Properties["facets"].Required, ",")
	if !strings.Contains(facets, "population") || !strings.Contains(facets, "trafficking") {
		t.Errorf("facets: %s", facets)
	}
}
