package http_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestSearchAPIPlaces: GET /api/v1/search reads places by name, says
// which it read and in what units, offers choices for an ambiguous name,
// and answers an empty search with the nearest services beyond the radius
// and what each filter's removal finds (issue 19).
func TestSearchAPIPlaces(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	tests := []struct {
		url    string
		status int
		check  func(t *testing.T, body map[string]any)
	}{
		{"/api/v1/search?place=Houston&radius_mi=50", 200, func(t *testing.T, b map[string]any) {
			p := b["place"].(map[string]any)
			if p["label"] != "Houston, TX" || p["kind"] != "city" || b["units"] != "mi" || b["sort"] != "distance" {
				t.Errorf("place %v, units %v, sort %v", p, b["units"], b["sort"])
			}
			items := b["items"].([]any)
			if len(items) == 0 {
				t.Fatal("no services within 50 miles of Houston")
			}
			for _, it := range items {
				it := it.(map[string]any)
				mi, km := it["distance_mi"].(float64), it["distance_km"].(float64)
				if mi > 50.05 || math.Abs(km-mi*1.609344) > 0.2 { // each rounded to 0.1
					t.Errorf("%v: %v mi, %v km", it["name"], mi, km)
				}
			}
		}},
		{"/api/v1/search?place=Guadalajara&q=legal", 200, func(t *testing.T, b map[string]any) {
			if b["units"] != "km" || b["sort"] != "best" || b["place"].(map[string]any)["country"] != "MX" {
				t.Errorf("units %v, sort %v, place %v", b["units"], b["sort"], b["place"])
			}
		}},
		{"/api/v1/search?place=Texas", 200, func(t *testing.T, b map[string]any) {
			for _, it := range b["items"].([]any) {
				if loc := it.(map[string]any)["location"].(map[string]any); loc["state"] != "TX" {
					t.Errorf("place=Texas let through %v", loc)
				}
			}
		}},
		{"/api/v1/search?place=Springfield", 400, func(t *testing.T, b map[string]any) {
			choices, _ := b["choices"].([]any)
			if b["param"] != "place" || len(choices) < 3 || !strings.Contains(b["error"].(string), "Springfield, IL") {
				t.Errorf("ambiguous place: %v", b)
			}
		}},
		{"/api/v1/search?place=Qwxyzville", 400, func(t *testing.T, b map[string]any) {
			if !strings.Contains(b["error"].(string), "Houston, TX") {
				t.Errorf("unknown place gives no example: %v", b["error"])
			}
		}},
		{"/api/v1/search?place=44.5,-100.5&radius_km=5", 200, func(t *testing.T, b map[string]any) {
			near, _ := b["nearest_beyond_radius"].([]any)
			if b["total"].(float64) != 0 || len(near) == 0 {
				t.Fatalf("total %v, nearest %v", b["total"], near)
			}
			if d := near[0].(map[string]any)["distance_km"].(float64); d <= 5 {
				t.Errorf("nearest beyond 5 km is %v km away", d)
			}
		}},
		{"/api/v1/search?state=TX&country=MX", 200, func(t *testing.T, b map[string]any) {
			without, _ := b["without"].([]any)
			params := map[string]bool{}
			for _, w := range without {
				w := w.(map[string]any)
				if w["total"].(float64) < 1 {
					t.Errorf("without %v finds nothing", w)
				}
				params[w["param"].(string)] = true
			}
			if !params["state"] || !params["country"] {
				t.Errorf("without: %v", without)
			}
		}},
		{"/api/v1/search?state=BC&country=CA", 200, nil},
		{"/api/v1/search?state=CA-BC", 200, nil},
		{"/api/v1/search?language=Spanish", 200, nil},
		{"/api/v1/search?language=espa%C3%B1ol", 200, nil},
		{"/api/v1/search?place=Houston&radius_km=10&radius_mi=10", 400, nil},
		{"/api/v1/search?place=Houston&radius_mi=700", 400, nil},
		{"/api/v1/search?place=Houston&units=furlongs", 400, nil},
		{"/api/v1/search?place=Houston&sort=random", 400, nil},
	}
	// The OpenAPI document describes every field of every answer.
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(do(s, "GET", "/api/openapi.json", nil).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	described := func(t *testing.T, schema string, obj map[string]any) {
		for k := range obj {
			if _, ok := doc.Components.Schemas[schema].Properties[k]; !ok {
				t.Errorf("field %q is not in the OpenAPI schema %s", k, schema)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			w := do(s, "GET", tt.url, nil)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != 200 {
				described(t, "Error", body)
			} else {
				described(t, "SearchResultList", body)
				items, _ := body["items"].([]any)
				near, _ := body["nearest_beyond_radius"].([]any)
				for _, it := range append(items, near...) {
					described(t, "SearchResult", it.(map[string]any))
				}
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
}

// TestSearchAPILanguageNames: a language by name finds what its code does.
func TestSearchAPILanguageNames(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	total := func(url string) float64 {
		var b map[string]any
		if err := json.Unmarshal(do(s, "GET", url, nil).Body.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		return b["total"].(float64)
	}
	want := total("/api/v1/search?language=es")
	if want == 0 {
		t.Fatal("no Spanish-speaking services in the sample")
	}
	for _, v := range []string{"Spanish", "espa%C3%B1ol", "Espanol", "ES"} {
		if got := total("/api/v1/search?language=" + v); got != want {
			t.Errorf("language=%s: %v services, want %v", v, got, want)
		}
	}
	if total("/api/v1/search?state=Texas") != total("/api/v1/search?state=TX") {
		t.Error("state=Texas and state=TX disagree")
	}
}
