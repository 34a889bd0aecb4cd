package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/metrics"
)

// TestNilMetrics checks that code may count without checking whether
// metrics are on.
func TestNilMetrics(t *testing.T) {
	var m *metrics.Metrics
	m.Request("GET /", 200, time.Millisecond)
	m.Search("sqlite")
	m.Rejected("busy")
	m.Begin()()
	m.WatchDB(nil)
}

func TestExposition(t *testing.T) {
	m := metrics.New()
	end := m.Begin()
	m.Request("GET /services/{id}", 404, 30*time.Millisecond)
	m.Search("postgres")
	m.Rejected("rate_limited")
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	end()
	body := w.Body.String()
	for _, want := range []string{
		"# TYPE haven_http_requests_total counter",
		`haven_http_requests_total{route="GET /services/{id}",status="404"} 1`,
		"# TYPE haven_http_request_duration_seconds histogram",
		`haven_http_request_duration_seconds_bucket{route="GET /services/{id}",le="0.05"} 1`,
		`haven_http_request_duration_seconds_bucket{route="GET /services/{id}",le="0.025"} 0`,
		"haven_http_requests_in_flight 1",
		`haven_searches_total{engine="postgres"} 1`,
		`haven_http_rejected_total{reason="rate_limited"} 1`,
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}
