// Command havenload puts a running Haven under steady load and reports
// what it saw: requests, errors, status codes, latencies by kind of page,
// and the server's memory (RSS) sampled at a fixed interval, so that a run
// shows whether memory stays flat after warm-up.
//
// It sends only to the address it is given, from a fixed number of
// connections, for a fixed time, and stops by itself. bench/load.sh builds
// a database of sample services, starts Haven and runs it.
//
//	havenload -url http://127.0.0.1:8080 -conns 32 -duration 10m -pid 1234
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"haven/internal/probe"
)

// queries are words and places the sample data holds, so that searches
// find something, and some that find nothing.
var (
	words  = []string{"legal", "shelter", "housing", "food", "counseling", "medical", "interpret", "immigration", "visa", "case management", "employment", "youth", "crisis", "mental health", "education", "transport", "refugio", "asesoría legal", "zzzz-nothing"}
	states = []string{"TX", "CA", "NY", "FL", "IL", "WA", "GA", "PR", "DC", ""}
	places = []string{"78701", "10001", "94103", "33101", "60601", "30.27,-97.74", "40.71,-74.0", ""}
)

type kind struct {
	name string
	url  func(r *rand.Rand) string
}

type stats struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration
	status    map[int]int
	errors    map[string]int
}

func (s *stats) add(k string, status int, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		msg := err.Error()
		if len(msg) > 120 {
			msg = msg[:120]
		}
		s.errors[msg]++
		return
	}
	s.status[status]++
	s.latencies[k] = append(s.latencies[k], d)
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "Haven's address (loopback only: this is a load generator)")
	conns := flag.Int("conns", 32, "connections, each sending one request after another")
	duration := flag.Duration("duration", 10*time.Minute, "how long to send requests")
	warmup := flag.Duration("warmup", time.Minute, "time after which memory must stay flat")
	pid := flag.Int("pid", 0, "the server's process id, to sample its RSS from /proc")
	metricsURL := flag.String("metrics", "", "the server's /metrics, to read its RSS and 5xx count when -pid is not given")
	every := flag.Duration("sample", 10*time.Second, "how often to sample the server's RSS")
	maxGrowth := flag.Float64("max-growth", 0.15, "largest allowed rise of RSS after warm-up, as a fraction")
	seed := flag.Uint64("seed", 1, "seed of the request mix")
	jsonOut := flag.String("json", "", "also write the summary as JSON to this file")
	flag.Parse()

	u, err := url.Parse(*base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		fatal("-url must be a loopback address such as http://127.0.0.1:8080")
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, IdleConnTimeout: time.Minute,
	}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	services, orgs := discover(ctx, client, *base)
	fmt.Printf("havenload: %s, %d connections for %v; %d service and %d organization pages to pick from\n",
		*base, *conns, *duration, len(services), len(orgs))
	kinds := []kind{
		{"directory", func(r *rand.Rand) string {
			q := url.Values{"q": {pick(r, words)}}
			if st := pick(r, states); st != "" {
				q.Set("state", st)
			}
			if r.IntN(3) == 0 {
				q.Set("page", strconv.Itoa(1+r.IntN(5)))
			}
			return "/directory?" + q.Encode()
		}},
		{"api_search", func(r *rand.Rand) string {
			q := url.Values{"q": {pick(r, words)}, "per_page": {strconv.Itoa(10 + r.IntN(41))}}
			if p := pick(r, places); p != "" {
				if strings.Contains(p, ",") {
					q.Set("near", p)
				} else {
					q.Set("postcode", p)
				}
				q.Set("radius_km", pick(r, []string{"25", "50", "100"}))
			}
			return "/api/v1/search?" + q.Encode()
		}},
		{"service", func(r *rand.Rand) string { return "/services/" + pick(r, services) }},
		{"organization", func(r *rand.Rand) string { return "/organizations/" + pick(r, orgs) }},
	}

	st := &stats{latencies: map[string][]time.Duration{}, status: map[int]int{}, errors: map[string]int{}}
	var sent atomic.Int64
	runCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(*seed, uint64(c)))
			for runCtx.Err() == nil {
				k := kinds[r.IntN(len(kinds))]
				t0 := time.Now()
				status, err := get(runCtx, client, *base+k.url(r))
				if runCtx.Err() != nil {
					return // cut off by the end of the run, not by the server
				}
				st.add(k.name, status, time.Since(t0), err)
				sent.Add(1)
			}
		}()
	}

	// Sample the server's memory while the load runs.
	var rss []sample
	ticker := time.NewTicker(*every)
	rss = append(rss, sample{0, readRSS(*pid, client, *metricsURL)})
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
loop:
	for {
		select {
		case <-done:
			break loop
		case <-ticker.C:
			s := sample{time.Since(start), readRSS(*pid, client, *metricsURL)}
			rss = append(rss, s)
			fmt.Printf("  %6.0fs  %8d requests  RSS %6.1f MiB\n", s.at.Seconds(), sent.Load(), float64(s.rss)/(1<<20))
		}
	}
	ticker.Stop()
	elapsed := time.Since(start)
	rss = append(rss, sample{elapsed, readRSS(*pid, client, *metricsURL)})

	sum := summarize(st, elapsed, rss, *warmup, *maxGrowth)
	if *metricsURL != "" {
		sum.Server5xx = server5xx(client, *metricsURL)
	}
	sum.print(os.Stdout)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(sum, "", "  ")
		os.WriteFile(*jsonOut, b, 0o644)
	}
	if !sum.OK {
		os.Exit(1)
	}
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func fatal(msg string) {
	fmt.Fprintln(os.Stderr, "havenload:", msg)
	os.Exit(2)
}

func get(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// discover collects service and organization ids through the API.
func discover(ctx context.Context, c *http.Client, base string) (services, orgs []string) {
	seen := map[string]bool{}
	for page := 1; page <= 20; page++ {
		req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/search?per_page=100&page=%d", base, page*7), nil)
		resp, err := c.Do(req)
		if err != nil {
			fatal("cannot reach Haven: " + err.Error())
		}
		var body struct {
			Items []struct {
				ID           string `json:"id"`
				Organization struct {
					ID string `json:"id"`
				} `json:"organization"`
			} `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			fatal(fmt.Sprintf("discovery: status %d: %v (is the API rate limit off? run haven serve --api-rate 0)", resp.StatusCode, err))
		}
		for _, it := range body.Items {
			services = append(services, it.ID)
			if !seen[it.Organization.ID] {
				seen[it.Organization.ID] = true
				orgs = append(orgs, it.Organization.ID)
			}
		}
		if len(body.Items) < 100 {
			break
		}
	}
	if len(services) == 0 {
		fatal("the directory is empty: import sample services first (bench/load.sh does)")
	}
	return services, orgs
}

type sample struct {
	at  time.Duration
	rss int64
}

// readRSS reads the server's resident memory: from /proc when its pid is
// known, else from process_resident_memory_bytes on /metrics.
func readRSS(pid int, c *http.Client, metricsURL string) int64 {
	if pid > 0 {
		return probe.ProcStatusKB(pid, "VmRSS") << 10
	}
	if metricsURL == "" {
		return 0
	}
	v, _, _ := probe.MetricValue(c, metricsURL, "process_resident_memory_bytes")
	return int64(v)
}

// server5xx counts the 5xx answers the server itself reports.
func server5xx(c *http.Client, metricsURL string) int {
	n := 0
	for _, code := range []string{"500", "501", "502", "503", "504"} {
		v, _, err := probe.MetricValue(c, metricsURL, "haven_http_requests_total", `status="`+code+`"`)
		if err == nil {
			n += int(v)
		}
	}
	return n
}

// Summary is what a run found.
type Summary struct {
	Seconds      float64            `json:"seconds"`
	Requests     int                `json:"requests"`
	PerSecond    float64            `json:"per_second"`
	Errors       int                `json:"errors"`
	ErrorSamples map[string]int     `json:"error_samples,omitempty"`
	Status       map[int]int        `json:"status"`
	Status5xx    int                `json:"status_5xx"`
	Server5xx    int                `json:"server_5xx"`
	Latency      map[string]Latency `json:"latency_ms"`
	RSSMiB       []float64          `json:"rss_mib"`
	RSSAt        []float64          `json:"rss_at_seconds"`
	RSSGrowth    float64            `json:"rss_growth_after_warmup"`
	MemoryFlat   bool               `json:"memory_flat"`
	OK           bool               `json:"ok"`
}

// Latency are percentiles in milliseconds.
type Latency struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func summarize(st *stats, elapsed time.Duration, rss []sample, warmup time.Duration, maxGrowth float64) *Summary {
	s := &Summary{Seconds: elapsed.Seconds(), Status: st.status, Latency: map[string]Latency{}, ErrorSamples: st.errors}
	for code, n := range st.status {
		s.Requests += n
		if code >= 500 {
			s.Status5xx += n
		}
	}
	for _, n := range st.errors {
		s.Errors += n
	}
	s.Requests += s.Errors
	s.PerSecond = float64(s.Requests) / elapsed.Seconds()
	for k, ds := range st.latencies {
		slices.Sort(ds)
		q := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
		s.Latency[k] = Latency{N: len(ds), P50: q(.5), P95: q(.95), P99: q(.99), Max: q(1)}
	}
	// Memory is flat when no sample after warm-up rises more than
	// maxGrowth above the first sample after it.
	var base, peak int64
	for _, r := range rss {
		s.RSSMiB = append(s.RSSMiB, float64(r.rss*10/(1<<20))/10)
		s.RSSAt = append(s.RSSAt, float64(r.at.Round(time.Second)/time.Second))
		if r.at >= warmup && r.rss > 0 {
			if base == 0 {
				base = r.rss
			}
			peak = max(peak, r.rss)
		}
	}
	if base > 0 {
		s.RSSGrowth = float64(peak-base) / float64(base)
		s.MemoryFlat = s.RSSGrowth <= maxGrowth
	}
	s.OK = s.Errors == 0 && s.Status5xx == 0 && s.Server5xx == 0 && onlyOK(st.status) && (base == 0 || s.MemoryFlat)
	return s
}

// onlyOK reports whether every answer was a 200 (or a 404 for a service
// retired meanwhile): a 429 means the rate limit was left on.
func onlyOK(status map[int]int) bool {
	for code := range status {
		if code != 200 && code != 404 {
			return false
		}
	}
	return true
}

func (s *Summary) print(w io.Writer) {
	fmt.Fprintf(w, "\n%d requests in %.0fs (%.0f/s); %d errors; %d 5xx seen, %d 5xx counted by the server\n",
		s.Requests, s.Seconds, s.PerSecond, s.Errors, s.Status5xx, s.Server5xx)
	var codes []int
	for c := range s.Status {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  status %d: %d\n", c, s.Status[c])
	}
	for msg, n := range s.ErrorSamples {
		fmt.Fprintf(w, "  error ×%d: %s\n", n, msg)
	}
	fmt.Fprintf(w, "%-14s %8s %8s %8s %8s %8s\n", "latency (ms)", "n", "p50", "p95", "p99", "max")
	var ks []string
	for k := range s.Latency {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	for _, k := range ks {
		l := s.Latency[k]
		fmt.Fprintf(w, "%-14s %8d %8.1f %8.1f %8.1f %8.1f\n", k, l.N, l.P50, l.P95, l.P99, l.Max)
	}
	if len(s.RSSMiB) > 0 && s.RSSMiB[0] > 0 {
		fmt.Fprintf(w, "RSS (MiB) every sample: %v\n", s.RSSMiB)
		fmt.Fprintf(w, "RSS growth after warm-up: %.1f%% (flat: %v)\n", s.RSSGrowth*100, s.MemoryFlat)
	}
	verdict := "PASS"
	if !s.OK {
		verdict = "FAIL"
	}
	fmt.Fprintln(w, verdict)
}
