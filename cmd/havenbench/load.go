package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"haven/internal/probe"
)

// tally gathers what the requests of one row saw.
type tally struct {
	ok       []time.Duration // latencies of 200 answers
	answered int
	errors   int
	statuses map[int]int
	sample   string
}

// recorder keeps one tally per class and endpoint.
type recorder struct {
	mu    sync.Mutex
	rows  map[[2]string]*tally
	order [][2]string
}

func newRecorder() *recorder { return &recorder{rows: map[[2]string]*tally{}} }

func (r *recorder) add(class, endpoint string, status int, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := [2]string{class, endpoint}
	t := r.rows[k]
	if t == nil {
		t = &tally{statuses: map[int]int{}}
		r.rows[k] = t
		r.order = append(r.order, k)
	}
	switch {
	case err != nil:
		t.errors++
		if t.sample == "" {
			t.sample = truncate(err.Error(), 160)
		}
	case status != http.StatusOK:
		t.answered++
		t.statuses[status]++
	default:
		t.answered++
		t.ok = append(t.ok, d)
	}
}

// summary turns the tallies into rows in mix order, then "search" per
// endpoint and "all".
func (r *recorder) summary(elapsed time.Duration) []Row {
	r.mu.Lock()
	defer r.mu.Unlock()
	order := slices.Clone(r.order)
	rank := func(k [2]string) int {
		for i, c := range classes {
			if c.ID == k[0] && k[1] == endpointAPI {
				return 2 * i
			} else if c.ID == k[0] {
				return 2*i + 1
			}
		}
		return 2 * len(classes)
	}
	slices.SortStableFunc(order, func(a, b [2]string) int { return rank(a) - rank(b) })
	var rows []Row
	merged := map[string]*tally{}
	all := &tally{statuses: map[int]int{}}
	for _, k := range order {
		t := r.rows[k]
		rows = append(rows, t.row(k[0], k[1], elapsed))
		if k[0] != classService {
			m := merged[k[1]]
			if m == nil {
				m = &tally{statuses: map[int]int{}}
				merged[k[1]] = m
			}
			m.merge(t)
		}
		all.merge(t)
	}
	for _, e := range []string{endpointAPI, endpointDirectory} {
		if m := merged[e]; m != nil {
			rows = append(rows, m.row("search", e, elapsed))
		}
	}
	return append(rows, all.row("all", "all", elapsed))
}

func (t *tally) merge(o *tally) {
	t.ok = append(t.ok, o.ok...)
	t.answered += o.answered
	t.errors += o.errors
	for s, n := range o.statuses {
		t.statuses[s] += n
	}
	if t.sample == "" {
		t.sample = o.sample
	}
}

func (t *tally) row(class, endpoint string, elapsed time.Duration) Row {
	r := Row{Class: class, Endpoint: endpoint, N: t.answered, Errors: t.errors, Sample: t.sample}
	if elapsed > 0 {
		r.PerSec = round(float64(t.answered) / elapsed.Seconds())
	}
	for s, n := range t.statuses {
		if r.Statuses == nil {
			r.Statuses = map[string]int{}
		}
		r.Statuses[strconv.Itoa(s)] = n
		r.Non200 += n
	}
	if len(t.ok) > 0 {
		ds := slices.Clone(t.ok)
		slices.Sort(ds)
		var sum time.Duration
		for _, d := range ds {
			sum += d
		}
		r.P50, r.P95, r.P99 = ms(quantile(ds, .50)), ms(quantile(ds, .95)), ms(quantile(ds, .99))
		r.Max, r.Mean = ms(ds[len(ds)-1]), ms(sum/time.Duration(len(ds)))
	}
	return r
}

// quantile is the nearest-rank quantile of sorted durations: the
// smallest value at least a fraction q of them do not exceed.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// client makes an HTTP client with conns kept-alive connections.
func newClient(conns int, timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute,
	}}
}

// get sends one request and reads the whole answer, as a browser would.
func get(ctx context.Context, c *http.Client, u string, body io.Writer) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if body == nil {
		body = io.Discard
	}
	if _, err := io.Copy(body, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// discoverServices collects the ids of services the mix's searches find,
// so that service pages are ones a visitor would open.
func discoverServices(ctx context.Context, c *http.Client, base string, want int) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	for _, r := range searches() {
		u := strings.Replace(r.Path, "per_page="+strconv.Itoa(perPage), "per_page=50", 1)
		var body strings.Builder
		status, err := get(ctx, c, base+u, &body)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("%s: status %d: %s (is the API rate limit off? run haven serve --api-rate 0)", u, status, truncate(body.String(), 200))
		}
		var res struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body.String()), &res); err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		for _, it := range res.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
		if len(ids) >= want {
			break
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("the mix's searches found no service: is the directory empty?")
	}
	return ids, nil
}

// loadConfig is one run of the mix.
type loadConfig struct {
	base             string
	conns            int
	duration, warmup time.Duration
	pid              int
	timeout          time.Duration
	progress         io.Writer
	only             string // one endpoint of the mix, or all of it
}

// runLoad sends the fixed mix from conns connections, each one request
// after another, for warmup plus duration, and records what came back
// after the warm-up. Requests still under way at the end are cut off and
// not counted.
func runLoad(ctx context.Context, cfg loadConfig) (*Load, error) {
	c := newClient(cfg.conns, cfg.timeout)
	defer c.CloseIdleConnections()
	ids, err := discoverServices(ctx, c, cfg.base, 200)
	if err != nil {
		return nil, err
	}
	m := mix()
	if cfg.only != "" {
		m = slices.DeleteFunc(m, func(r request) bool { return r.Endpoint != cfg.only })
		if len(m) == 0 {
			return nil, fmt.Errorf("-only %q: the mix has no such endpoint", cfg.only)
		}
	}
	rec := newRecorder()
	res := &Load{Conns: cfg.conns, Only: cfg.only, WarmupSeconds: cfg.warmup.Seconds(), ServiceIDs: len(ids), LoadAvgStart: loadAvg()}
	start := time.Now()
	measureFrom := start.Add(cfg.warmup)
	runCtx, cancel := context.WithDeadline(ctx, measureFrom.Add(cfg.duration))
	defer cancel()
	var wg sync.WaitGroup
	for conn := range cfg.conns {
		wg.Go(func() {
			// Each connection starts at its own place in the mix, and
			// opens its own run of service pages.
			pos := conn * len(m) / cfg.conns
			page := conn * 7919
			for runCtx.Err() == nil {
				r := m[pos%len(m)]
				pos++
				path := r.Path
				if r.Endpoint == endpointService {
					path = "/services/" + ids[page%len(ids)]
					page++
				}
				t0 := time.Now()
				status, err := get(runCtx, c, cfg.base+path, nil)
				d := time.Since(t0)
				if runCtx.Err() != nil {
					return // cut off by the end of the run, not by the server
				}
				if t0.After(measureFrom) {
					rec.add(r.Class, r.Endpoint, status, d, err)
				}
			}
		})
	}
	// The server's memory, every second, while the load runs.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-tick.C:
			if time.Now().Before(measureFrom) {
				continue
			}
			rss := float64(probe.ProcStatusKB(cfg.pid, "VmRSS")) / 1024
			res.RSSMiB = append(res.RSSMiB, round(rss))
			if cfg.progress != nil && len(res.RSSMiB)%10 == 0 {
				fmt.Fprintf(cfg.progress, "  %4ds  RSS %.0f MiB\n", len(res.RSSMiB), rss)
			}
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // interrupted: a shorter run is not the one asked for
	}
	elapsed := time.Since(measureFrom)
	res.Seconds = round(elapsed.Seconds())
	res.Rows = rec.summary(elapsed)
	res.RSSEndMiB = round(float64(probe.ProcStatusKB(cfg.pid, "VmRSS")) / 1024)
	res.RSSMaxMiB = res.RSSEndMiB
	for _, v := range res.RSSMiB {
		res.RSSMaxMiB = max(res.RSSMaxMiB, v)
	}
	res.LoadAvgEnd = loadAvg()
	return res, nil
}

// sweepConfig is one sweep.
type sweepConfig struct {
	base     string
	count    int
	budget   time.Duration
	timeout  time.Duration
	progress io.Writer
}

// runSweep sends each search of the mix count times, one request at a
// time, class by class. A class stops after the round in which its time
// passes budget, so a slow engine costs at most about budget per class
// plus one round, while every query is timed at least once.
func runSweep(ctx context.Context, cfg sweepConfig) (*Sweep, error) {
	c := newClient(1, cfg.timeout)
	defer c.CloseIdleConnections()
	res := &Sweep{Count: cfg.count, BudgetSeconds: cfg.budget.Seconds()}
	rec := newRecorder()
	all := searches()
	start := time.Now()
	for _, cl := range classes {
		var qs []request
		for _, r := range all {
			if r.Class == cl.ID {
				qs = append(qs, r)
			}
		}
		times := make([][]time.Duration, len(qs))
		qt := make([]QueryTimes, len(qs))
		classStart := time.Now()
		for round := 0; round < cfg.count; round++ {
			if round > 0 && time.Since(classStart) > cfg.budget {
				break
			}
			for i, r := range qs {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				qt[i].Class, qt[i].Path = r.Class, r.Path
				var body strings.Builder
				t0 := time.Now()
				status, err := get(ctx, c, cfg.base+r.Path, &body)
				d := time.Since(t0)
				rec.add(r.Class, r.Endpoint, status, d, err)
				qt[i].N++
				if err != nil || status != http.StatusOK {
					qt[i].Bad++
					continue
				}
				times[i] = append(times[i], d)
				var ans struct {
					Total int `json:"total"`
				}
				if json.Unmarshal([]byte(body.String()), &ans) == nil {
					qt[i].Total = ans.Total
				}
			}
		}
		for i := range qt {
			ds := times[i]
			slices.Sort(ds)
			if len(ds) > 0 {
				qt[i].P50, qt[i].Max = ms(quantile(ds, .5)), ms(ds[len(ds)-1])
			}
		}
		res.Queries = append(res.Queries, qt...)
		if cfg.progress != nil {
			fmt.Fprintf(cfg.progress, "  %-8s %d queries × %d in %.1fs\n", cl.ID, len(qs), qt[0].N, time.Since(classStart).Seconds())
		}
	}
	elapsed := time.Since(start)
	res.Seconds = round(elapsed.Seconds())
	// Rates mean nothing in a sweep: one request at a time, on purpose.
	for _, r := range rec.summary(0) {
		if r.Class != "all" && (r.Class != "search" || r.Endpoint == endpointAPI) {
			res.Rows = append(res.Rows, r)
		}
	}
	return res, nil
}

// loadAvg is the machine's 1-minute load average: the machine is shared,
// so each result says how busy it was.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// checkLoopback refuses any address but this machine's: this is a load
// generator.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return fmt.Errorf("-url must be a loopback address such as http://127.0.0.1:8080, not %q", base)
	}
	return nil
}
