// Package metrics counts what Haven does and serves the counts in the
// Prometheus text format, through the Prometheus Go client.
//
// Every method works on a nil *Metrics and does nothing, so code that
// counts need not check whether metrics are on.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds Haven's metrics and the registry that serves them.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
	rejected *prometheus.CounterVec
	searches *prometheus.CounterVec
}

// New returns Haven's metrics, with the Go runtime's and the process's
// (memory, CPU, open files) beside them.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "haven_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "haven_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "haven_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "haven_http_rejected_total",
			Help: "Requests refused to protect the server, by reason: rate_limited, busy, too_large, query_too_long.",
		}, []string{"reason"}),
		searches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "haven_searches_total",
			Help: "Directory searches run, by search engine.",
		}, []string{"engine"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.rejected, m.searches,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request counts one answered request. route is the pattern that matched
// ("GET /services/{id}"), never the path, so that the number of series
// stays bounded.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Begin counts a request under way; call the function it returns when the
// request ends.
func (m *Metrics) Begin() func() {
	if m == nil {
		return func() {}
	}
	m.inFlight.Inc()
	return m.inFlight.Dec
}

// Rejected counts a request refused to protect the server.
func (m *Metrics) Rejected(reason string) {
	if m == nil {
		return
	}
	m.rejected.WithLabelValues(reason).Inc()
}

// Search counts one directory search by the engine that ran it.
func (m *Metrics) Search(engine string) {
	if m == nil {
		return
	}
	m.searches.WithLabelValues(engine).Inc()
}

// DB is what the metrics read from the database at each scrape. Counts
// come from the data rather than from this process, so that they cover
// every process sharing the database: imports run by "haven import", link
// checks run by any server.
type DB interface {
	PoolStats() map[string]sql.DBStats
	MetricCounts(ctx context.Context) (imports int, links map[string]int, err error)
}

// WatchDB reports the database's connection pools and counts at each
// scrape.
func (m *Metrics) WatchDB(db DB) {
	if m == nil {
		return
	}
	m.reg.MustRegister(&dbCollector{db: db})
}

var (
	poolOpen    = prometheus.NewDesc("haven_db_pool_open_connections", "Connections open in the pool, in use or idle.", []string{"pool"}, nil)
	poolInUse   = prometheus.NewDesc("haven_db_pool_in_use_connections", "Connections in use.", []string{"pool"}, nil)
	poolIdle    = prometheus.NewDesc("haven_db_pool_idle_connections", "Idle connections.", []string{"pool"}, nil)
	poolMax     = prometheus.NewDesc("haven_db_pool_max_open_connections", "Most connections the pool opens.", []string{"pool"}, nil)
	poolWaits   = prometheus.NewDesc("haven_db_pool_waits_total", "Times a query waited for a free connection.", []string{"pool"}, nil)
	poolWaited  = prometheus.NewDesc("haven_db_pool_wait_seconds_total", "Time queries spent waiting for a free connection.", []string{"pool"}, nil)
	importsDesc = prometheus.NewDesc("haven_imports_total", "Imports committed to the directory, from the audit trail.", nil, nil)
	linksDesc   = prometheus.NewDesc("haven_links", "Web addresses by their last check's result.", []string{"result"}, nil)
	upDesc      = prometheus.NewDesc("haven_db_up", "1 when the database answered this scrape's queries, 0 otherwise.", nil, nil)
)

// dbCollector reads the database at scrape time.
type dbCollector struct{ db DB }

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolMax, poolWaits, poolWaited, importsDesc, linksDesc, upDesc} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, s := range c.db.PoolStats() {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.OpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse), pool)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle), pool)
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(poolWaited, prometheus.CounterValue, s.WaitDuration.Seconds(), pool)
	}
	// A scrape must not hang on a database that is away.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	imports, links, err := c.db.MetricCounts(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(importsDesc, prometheus.CounterValue, float64(imports))
	for _, result := range []string{"ok", "broken", "redirected", "not_checked"} {
		ch <- prometheus.MustNewConstMetric(linksDesc, prometheus.GaugeValue, float64(links[result]), result)
	}
}
