package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeRun is a run with the rows the report and the plot read. A zero
// latency leaves that part out.
func fakeRun(engine string, services int, indexP99, sqlP99 float64) Run {
	r := Run{Engine: engine, Services: services, Date: "2026-11-25T00:00:00Z", Commit: "abc1234",
		Import:     &Import{Exec: Exec{Seconds: float64(services) / 800, MaxRSSMiB: 210}, PerSecond: 800, DBBytes: int64(services) * 12_700},
		IndexStart: &Start{Search: "index", FirstServedSeconds: 0.12, ReadySeconds: float64(services) / 40_000, IndexBuildSeconds: float64(services) / 42_000, RSSReadyMiB: 60, PeakRSSReadyMiB: 80, HeapReadyMiB: 41},
	}
	var sweepRows, sqlRows []Row
	var queries []QueryTimes
	for _, c := range classes {
		sweepRows = append(sweepRows, Row{Class: c.ID, Endpoint: endpointAPI, N: 20, P50: indexP99 / 3, P99: indexP99})
		sqlRows = append(sqlRows, Row{Class: c.ID, Endpoint: endpointAPI, N: 20, P50: sqlP99 / 2, P99: sqlP99})
		queries = append(queries, QueryTimes{Class: c.ID, Path: "/api/v1/search?q=" + c.ID, Total: services / 10, N: 5})
	}
	sweepRows = append(sweepRows, Row{Class: "search", Endpoint: endpointAPI, N: 120, P50: indexP99 / 3, P99: indexP99})
	sqlRows = append(sqlRows, Row{Class: "search", Endpoint: endpointAPI, N: 120, P50: sqlP99 / 2, P99: sqlP99})
	if indexP99 > 0 {
		for _, conns := range []int{1, 32} {
			r.Loads = append(r.Loads, &Load{Conns: conns, Seconds: 60, WarmupSeconds: 5, RSSMaxMiB: 90, Rows: []Row{
				{Class: "broad", Endpoint: endpointAPI, N: 100, PerSec: 10, P50: 1, P95: 2, P99: 3, Max: 4},
				{Class: classService, Endpoint: endpointService, N: 100, PerSec: 10, P50: 1, P95: 2, P99: 3, Max: 4},
				{Class: "search", Endpoint: endpointAPI, N: 600, PerSec: 60, P50: indexP99 / 3, P99: indexP99, Max: indexP99 * 2},
				{Class: "search", Endpoint: endpointDirectory, N: 600, PerSec: 60, P50: 6, P99: 13, Max: 20, Non200: 2, Statuses: map[string]int{"503": 2}},
				{Class: "all", Endpoint: "all", N: 1300, PerSec: 130, P50: 2, P99: 12, Max: 20, Non200: 2, Statuses: map[string]int{"503": 2}},
			}})
		}
		r.IndexSweep = &Sweep{Count: 5, Rows: sweepRows, Queries: queries}
	}
	if sqlP99 > 0 {
		r.SQLSweep = &Sweep{Count: 5, Rows: sqlRows, Queries: queries}
	}
	return r
}

// wellFormed parses an SVG as XML to its end, returning its root element's
// name.
func wellFormed(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
}

func TestPlot(t *testing.T) {
	three := func(engine string, sql bool) []Run {
		var rs []Run
		for i, n := range []int{10_000, 100_000, 1_000_000} {
			s := 0.0
			if sql {
				s = 30 * float64(i+1) * float64(i+1)
			}
			rs = append(rs, fakeRun(engine, n, 1.5*float64(i+1), s))
		}
		return rs
	}
	tests := []struct {
		name       string
		runs       []Run
		series     int
		points     int // in every series
		contains   []string
		notContain []string
	}{
		{"two engines, three sizes", append(three("sqlite", true), three("postgres", true)...), 4, 3,
			[]string{"SQLite, index", "SQLite, SQL", "PostgreSQL, index", "PostgreSQL, SQL", ">10k<", ">100k<", ">1M<", "p99 latency (log scale)", `stroke-dasharray`}, nil},
		{"index only", three("sqlite", false), 1, 3, []string{"SQLite, index"}, []string{"SQLite, SQL"}},
		{"one size", []Run{fakeRun("postgres", 10_000, 2, 40)}, 2, 1, []string{"PostgreSQL, SQL", ">10k<"}, nil},
		{"no runs", nil, 0, 0, []string{"no results yet", ">1M<"}, nil},
		{"text is escaped", []Run{fakeRun(`<b>"x" & y</b>`, 10_000, 2, 40)}, 2, 1,
			[]string{"&lt;b&gt;&#34;x&#34; &amp; y&lt;/b&gt;, index"}, []string{"<b>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := writePlot(&b, tt.runs); err != nil {
				t.Fatal(err)
			}
			svg := b.Bytes()
			if root := wellFormed(t, svg); root != "svg" {
				t.Errorf("root element %q, want svg", root)
			}
			if n := bytes.Count(svg, []byte(`<g class="series"`)); n != tt.series {
				t.Errorf("%d series, want %d", n, tt.series)
			}
			if n := bytes.Count(svg, []byte("<polyline ")); n != tt.series {
				t.Errorf("%d lines, want %d", n, tt.series)
			}
			for _, line := range strings.Split(string(svg), "\n") {
				if strings.HasPrefix(line, "<polyline ") {
					pts := strings.Fields(strings.SplitN(strings.SplitN(line, `points="`, 2)[1], `"`, 2)[0])
					if len(pts) != tt.points {
						t.Errorf("a line of %d points, want %d: %s", len(pts), tt.points, line)
					}
				}
			}
			for _, s := range tt.contains {
				if !bytes.Contains(svg, []byte(s)) {
					t.Errorf("the SVG lacks %q", s)
				}
			}
			for _, s := range tt.notContain {
				if bytes.Contains(svg, []byte(s)) {
					t.Errorf("the SVG holds %q", s)
				}
			}
		})
	}
}

// TestPlotScale checks that a slower series is drawn higher, and a larger
// directory further right: the axes run the right way.
func TestPlotScale(t *testing.T) {
	xa := newLogAxis(1e4, 1e6, left, right)
	ya := newLogAxis(0.5, 2000, bottom, top)
	if !(xa.at(1e4) < xa.at(1e5) && xa.at(1e5) < xa.at(1e6)) {
		t.Errorf("x does not grow with size: %v %v %v", xa.at(1e4), xa.at(1e5), xa.at(1e6))
	}
	if d1, d2 := xa.at(1e5)-xa.at(1e4), xa.at(1e6)-xa.at(1e5); d1-d2 > 0.01 || d2-d1 > 0.01 {
		t.Errorf("decades are not the same width: %v and %v", d1, d2)
	}
	if !(ya.at(1) > ya.at(1000)) {
		t.Errorf("a slower search is not higher: y(1 ms)=%v, y(1 s)=%v", ya.at(1), ya.at(1000))
	}
	for _, v := range []float64{1e4, 1e6} {
		if x := xa.at(v); x < left || x > right {
			t.Errorf("x(%v) = %v, outside the frame", v, x)
		}
	}
}

func TestReport(t *testing.T) {
	mismatch := fakeRun("sqlite", 10_000, 2, 40)
	mismatch.SQLSweep = &Sweep{Rows: mismatch.SQLSweep.Rows, Queries: append([]QueryTimes{}, mismatch.SQLSweep.Queries...)}
	mismatch.SQLSweep.Queries[0].Total++
	sqlFailed := fakeRun("postgres", 1_000_000, 3, 60)
	sqlFailed.SQLSweep.Rows[0].Errors, sqlFailed.SQLSweep.Rows[0].Non200, sqlFailed.SQLSweep.Rows[0].Statuses = 1, 2, map[string]int{"500": 2}
	withPipe := fakeRun("sq|lite", 100_000, 2, 40)
	withPipe.Profiles = []ProfileHead{{Name: "serve-cpu", Top: "flat  flat%\n1s 50% main.f"}}
	tests := []struct {
		name     string
		runs     []Run
		contains []string
	}{
		{"no runs", nil, []string{"No runs"}},
		{"full", []Run{fakeRun("sqlite", 1_000_000, 3, 1500), fakeRun("postgres", 1_000_000, 3, 60)}, []string{
			"### Import and start", "| SQLite | 1,000,000 | 1250 s | 800 | 210 MiB | 11.83 GiB | 0.12 s | 25 s | 24 s | 60 MiB | 80 MiB | 41 MiB |",
			"| SQLite | 1,000,000 | 0.12 s ✓ | 25 s ✓ | 90 MiB ✓ |",
			"| SQLite | 1,000,000 | 1 | 130 | 1.00 | 3.00 | 6.00 | 13.0 | 1.00 | 3.00 | 0 | 2 | 90 MiB |",
			"| SQLite | 1,000,000 | one common word | 100,000 | 1.00 | 3.00 | 750 | 1500 | 750× | 20 | 0 |",
			"| PostgreSQL | 1,000,000 | one common word | 100,000 | 1.00 | 3.00 | 30.0 | 60.0 | 30× | 20 |", "| 3.00 ✓ (32 connections: 3.00) | 30× ✗ |",
			"| PostgreSQL | 1,000,000 | **all searches** |",
			"3.00 ✓ (32 connections: 3.00)",
			"| **all searches** | `/directory` | 60.0 | 6.00 | – | 13.0 | 20.0 | 0 | 2 (503: 2) |",
			"#### PostgreSQL, 1,000,000 services, 32 connections",
		}},
		{"index only", []Run{fakeRun("sqlite", 10_000, 3, 0)}, []string{"| SQLite | 10,000 | one common word | 1,000 | 1.00 | 3.00 | – | – | – | – | – |"}},
		{"SQL failures", []Run{sqlFailed}, []string{"| 60.0 | 30× | 20 | 3 (500: 2) |"}},
		{"totals differ", []Run{mismatch}, []string{"matched 1000 in the index and 1001 in SQL"}},
		{"pipes are escaped", []Run{withPipe}, []string{`| sq\|lite | 100,000 | one common word |`, "```\nflat  flat%\n1s 50% main.f\n```"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeReport(&b, tt.runs); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("the report lacks %q:\n%s", s, out)
				}
			}
			// Every row of a table has as many cells as its header.
			cols := -1
			for _, line := range strings.Split(out, "\n") {
				if !strings.HasPrefix(line, "|") {
					cols = -1
					continue
				}
				n := strings.Count(line, "|") - strings.Count(line, `\|`)
				if cols == -1 {
					cols = n
				} else if n != cols {
					t.Errorf("a row of %d cells under a header of %d: %s", n-1, cols-1, line)
				}
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	ds := func(ms ...int) []time.Duration {
		var out []time.Duration
		for _, m := range ms {
			out = append(out, time.Duration(m)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{"empty", nil, .5, 0},
		{"one", ds(7), .99, 7 * time.Millisecond},
		{"median of four is the second", ds(1, 2, 3, 4), .5, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ds(hundred...), .99, 99 * time.Millisecond},
		{"p95 of 100 is the 95th", ds(hundred...), .95, 95 * time.Millisecond},
		{"max", ds(hundred...), 1, 100 * time.Millisecond},
		{"p99 of 20 is the largest", ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), .99, 20 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := quantile(tt.in, tt.q); got != tt.want {
			t.Errorf("%s: quantile(%v) = %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
}

func TestLatest(t *testing.T) {
	old, newer := fakeRun("sqlite", 10_000, 5, 50), fakeRun("sqlite", 10_000, 2, 40)
	newer.Commit = "newer"
	got := latest([]Run{fakeRun("postgres", 10_000, 2, 40), old, fakeRun("sqlite", 1_000_000, 2, 40), newer})
	var keys []string
	for _, r := range got {
		keys = append(keys, r.Engine+" "+count(r.Services)+" "+r.Commit)
	}
	want := "sqlite 10,000 newer|sqlite 1,000,000 abc1234|postgres 10,000 abc1234"
	if strings.Join(keys, "|") != want {
		t.Errorf("latest = %q, want %q", strings.Join(keys, "|"), want)
	}
}

func TestMix(t *testing.T) {
	m := mix()
	perRow := map[[2]string]int{}
	for _, r := range m {
		perRow[[2]string{r.Class, r.Endpoint}]++
		if r.Endpoint == endpointService {
			continue
		}
		u, err := url.Parse(r.Path)
		if err != nil || u.Query().Get("q") == "" {
			t.Errorf("%s: not a search with words (%v)", r.Path, err)
		}
	}
	for _, c := range classes {
		if len(c.Queries) == 0 {
			t.Errorf("class %s has no queries", c.ID)
		}
		for _, e := range []string{endpointAPI, endpointDirectory} {
			if got := perRow[[2]string{c.ID, e}]; got != len(c.Queries) {
				t.Errorf("class %s through %s: %d requests in the mix, want %d", c.ID, e, got, len(c.Queries))
			}
		}
	}
	// The service pages have one class's share, spread out.
	if got, want := perRow[[2]string{classService, endpointService}], 2*len(classes[0].Queries); got != want {
		t.Errorf("%d service pages in the mix, want %d", got, want)
	}
	if m[len(m)-1].Endpoint == endpointService && m[len(m)-2].Endpoint == endpointService {
		t.Error("the service pages are bunched at the end of the mix")
	}
}

func TestReadParts(t *testing.T) {
	dir := t.TempDir()
	r := fakeRun("sqlite", 10_000, 2, 40)
	for name, v := range map[string]any{"import.json": &r.Import.Exec, "index-start.json": r.IndexStart, "load-32.json": r.Loads[1],
		"load-1.json": r.Loads[0], "sql-sweep.json": r.SQLSweep} {
		if err := writeJSON(filepath.Join(dir, name), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pprof-serve-cpu.txt"), []byte("profile: /tmp/x.cpu\nflat flat%\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got Run
	got.Services = 10_000
	if err := readParts(&got, dir); err != nil {
		t.Fatal(err)
	}
	switch {
	case got.Import == nil || got.Import.PerSecond != 800:
		t.Errorf("import = %+v, want 800 services/s", got.Import)
	case got.IndexStart == nil || got.IndexSweep != nil || got.SQLStart != nil || got.SQLSweep == nil:
		t.Errorf("parts read: start %v, index sweep %v, sql start %v, sql sweep %v", got.IndexStart != nil, got.IndexSweep != nil, got.SQLStart != nil, got.SQLSweep != nil)
	case len(got.Loads) != 2 || got.Loads[0].Conns != 1 || got.Loads[1].Conns != 32:
		t.Errorf("loads not in order of connections: %+v", got.Loads)
	case len(got.Profiles) != 1 || got.Profiles[0].Path != "/tmp/x.cpu" || got.Profiles[0].Name != "serve-cpu":
		t.Errorf("profiles = %+v", got.Profiles)
	}
}
