package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"
)

// Results is the raw results file: every run, appended one engine and
// size at a time.
type Results struct {
	Runs []Run `json:"runs"`
}

// Run is everything measured for one engine at one size.
type Run struct {
	Engine    string `json:"engine"` // sqlite or postgres
	Services  int    `json:"services"`
	Date      string `json:"date"` // RFC 3339, when the run was recorded
	Commit    string `json:"commit,omitempty"`
	GoVersion string `json:"go_version,omitempty"`
	CPUs      int    `json:"cpus,omitempty"`

	Import     *Import       `json:"import,omitempty"`
	IndexStart *Start        `json:"index_start,omitempty"` // haven serve --search index
	Loads      []*Load       `json:"loads,omitempty"`       // the fixed mix, one per connection count
	IndexSweep *Sweep        `json:"index_sweep,omitempty"` // each search, a few times, at 1 connection, from the index
	SQLStart   *Start        `json:"sql_start,omitempty"`   // haven serve --search sql
	SQLSweep   *Sweep        `json:"sql_sweep,omitempty"`   // the same searches from SQL
	Profiles   []ProfileHead `json:"profiles,omitempty"`
}

// Import is how the database was filled.
type Import struct {
	Exec
	PerSecond float64 `json:"per_second"`
	DBBytes   int64   `json:"db_bytes"`
	// Reused is set when the database was imported by an earlier run and
	// kept: the figures are that run's.
	Reused bool `json:"reused,omitempty"`
}

// Exec is one command run to its end.
type Exec struct {
	Args        []string `json:"args"`
	Date        string   `json:"date"`
	Seconds     float64  `json:"seconds"`
	UserSeconds float64  `json:"user_seconds"`
	SysSeconds  float64  `json:"sys_seconds"`
	MaxRSSMiB   float64  `json:"max_rss_mib"` // peak resident memory, from wait4's rusage (as GNU time's %M)
	ExitCode    int      `json:"exit_code"`
}

// Start is what a server's start took, from the moment the script
// launched it.
type Start struct {
	Search             string  `json:"search"` // index or sql
	FirstServedSeconds float64 `json:"first_served_seconds"`
	ReadySeconds       float64 `json:"ready_seconds"` // /readyz 200: in index mode, the index is built
	IndexBuildSeconds  float64 `json:"index_build_seconds,omitempty"`
	IndexServices      int     `json:"index_services,omitempty"`
	IndexTerms         int     `json:"index_terms,omitempty"`
	RSSFirstMiB        float64 `json:"rss_first_served_mib"`
	RSSReadyMiB        float64 `json:"rss_ready_mib"`
	PeakRSSReadyMiB    float64 `json:"peak_rss_ready_mib"` // VmHWM: the most the process held until ready
	HeapReadyMiB       float64 `json:"heap_ready_mib,omitempty"`
}

// Load is one run of the fixed mix.
type Load struct {
	Conns int `json:"conns"`
	// Only, when set, names the one endpoint the run sent ("api"): the
	// search throughput, without the HTML pages' share of the mix.
	Only          string    `json:"only,omitempty"`
	Seconds       float64   `json:"seconds"`
	WarmupSeconds float64   `json:"warmup_seconds"`
	ServiceIDs    int       `json:"service_ids"` // service pages to pick from, found by searching
	Rows          []Row     `json:"rows"`
	RSSMiB        []float64 `json:"rss_mib"` // the server's, every second
	RSSMaxMiB     float64   `json:"rss_max_mib"`
	RSSEndMiB     float64   `json:"rss_end_mib"`
	LoadAvgStart  float64   `json:"loadavg_start"` // the machine's 1-minute load average
	LoadAvgEnd    float64   `json:"loadavg_end"`
}

// Sweep is each search of the mix sent a bounded number of times, one at
// a time.
type Sweep struct {
	Count         int          `json:"count"`
	BudgetSeconds float64      `json:"budget_seconds"` // per class
	Seconds       float64      `json:"seconds"`
	Queries       []QueryTimes `json:"queries"`
	Rows          []Row        `json:"rows"` // per class, then "search"
}

// QueryTimes is one query of a sweep.
type QueryTimes struct {
	Class string  `json:"class"`
	Path  string  `json:"path"`
	Total int     `json:"total"` // services it matched, from the answer
	N     int     `json:"n"`
	P50   float64 `json:"p50_ms"`
	Max   float64 `json:"max_ms"`
	Bad   int     `json:"bad"` // errors and non-200 answers
}

// Row is one class through one endpoint (or "search" for every search,
// "all" for everything) and what its requests saw.
type Row struct {
	Class    string         `json:"class"`
	Endpoint string         `json:"endpoint"`
	N        int            `json:"n"` // answered requests, any status
	PerSec   float64        `json:"per_second"`
	P50      float64        `json:"p50_ms"` // latencies of 200 answers
	P95      float64        `json:"p95_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Mean     float64        `json:"mean_ms"`
	Errors   int            `json:"errors"`             // transport errors: no answer
	Non200   int            `json:"non_200"`            // answers other than 200
	Statuses map[string]int `json:"statuses,omitempty"` // the non-200 ones
	Sample   string         `json:"error_sample,omitempty"`
}

// ProfileHead is the head of "go tool pprof -top" for a profile the run
// kept.
type ProfileHead struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Top  string `json:"top"`
}

// row finds a row by class and endpoint.
func row(rows []Row, class, endpoint string) *Row {
	for i := range rows {
		if rows[i].Class == class && rows[i].Endpoint == endpoint {
			return &rows[i]
		}
	}
	return nil
}

// load returns the run's load at conns connections, or nil.
func (r *Run) load(conns int) *Load {
	for _, l := range r.Loads {
		if l.Conns == conns && l.Only == "" {
			return l
		}
	}
	return nil
}

// readResults reads a results file; a missing one is empty.
func readResults(path string) (*Results, error) {
	var res Results
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &res, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &res, nil
}

// writeJSON writes v to path through a temporary file, so that an
// interrupted run never leaves half a results file.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// latest keeps the last run of each engine and size, ordered by engine
// (SQLite first, as the default) and size.
func latest(runs []Run) []Run {
	last := map[string]int{}
	for i, r := range runs {
		last[r.Engine+"/"+strconv.Itoa(r.Services)] = i
	}
	var out []Run
	for i, r := range runs {
		if last[r.Engine+"/"+strconv.Itoa(r.Services)] == i {
			out = append(out, r)
		}
	}
	sortRuns(out)
	return out
}

func sortRuns(runs []Run) {
	slices.SortStableFunc(runs, func(a, b Run) int {
		return cmp.Or(cmp.Compare(engineOrder(a.Engine), engineOrder(b.Engine)), cmp.Compare(a.Engine, b.Engine), cmp.Compare(a.Services, b.Services))
	})
}

func engineOrder(e string) int {
	switch e {
	case "sqlite":
		return 0
	case "postgres":
		return 1
	}
	return 2
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
