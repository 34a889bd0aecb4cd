package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"haven/internal/probe"
)

// waitConfig is a server just launched, to watch until it is ready.
type waitConfig struct {
	base, metrics string
	started       time.Time // when the script launched it
	pid           int
	logPath       string
	search        string // index or sql
	timeout       time.Duration
}

// runWait times a server's start: the first request it answers (/healthz,
// polled every millisecond), then /readyz answering 200, which in index
// mode means the index is built. It reads the index's build time from the
// server's log, and its memory from /proc and /metrics.
func runWait(ctx context.Context, cfg waitConfig) (*Start, error) {
	// A new connection for each try: a refused one fails at once.
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	res := &Start{Search: cfg.search}
	deadline := cfg.started.Add(cfg.timeout)
	poll := func(path string, every time.Duration) (time.Duration, error) {
		for {
			status, err := get(ctx, c, cfg.base+path, nil)
			if err == nil && status == http.StatusOK {
				return time.Since(cfg.started), nil
			}
			if !alive(cfg.pid) {
				return 0, fmt.Errorf("the server (pid %d) exited before %s answered 200:\n%s", cfg.pid, path, logTail(cfg.logPath, 20))
			}
			if time.Now().After(deadline) {
				return 0, fmt.Errorf("%s did not answer 200 within %v of the start (last: %d %v)", path, cfg.timeout, status, err)
			}
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			time.Sleep(every)
		}
	}
	first, err := poll("/healthz", time.Millisecond)
	if err != nil {
		return nil, err
	}
	res.FirstServedSeconds = seconds(first)
	res.RSSFirstMiB = round(float64(probe.ProcStatusKB(cfg.pid, "VmRSS")) / 1024)
	ready, err := poll("/readyz", 10*time.Millisecond)
	if err != nil {
		return nil, err
	}
	res.ReadySeconds = seconds(ready)
	res.RSSReadyMiB = round(float64(probe.ProcStatusKB(cfg.pid, "VmRSS")) / 1024)
	res.PeakRSSReadyMiB = round(float64(probe.ProcStatusKB(cfg.pid, "VmHWM")) / 1024)
	if cfg.metrics != "" {
		if v, found, err := probe.MetricValue(c, cfg.metrics, "go_memstats_heap_inuse_bytes"); err == nil && found {
			res.HeapReadyMiB = round(v / (1 << 20))
		}
	}
	if cfg.search == "index" {
		// The index logs its build just after it starts answering.
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if b, ok := indexBuilt(cfg.logPath); ok {
				res.IndexBuildSeconds, res.IndexServices, res.IndexTerms = seconds(b.Took), b.Services, b.Terms
				break
			}
		}
	}
	return res, nil
}

func seconds(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// indexBuilt finds the index's "search index built" line in the server's
// JSON log.
func indexBuilt(path string) (built struct {
	Msg      string        `json:"msg"`
	Services int           `json:"services"`
	Terms    int           `json:"terms"`
	Took     time.Duration `json:"took"`
}, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return built, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !strings.Contains(string(line), `"search index built"`) {
			continue
		}
		if json.Unmarshal(line, &built) == nil && built.Msg == "search index built" {
			return built, true
		}
	}
	return built, false
}

// alive reports whether a process runs: a zombie, exited but not yet
// waited for by the script, does not.
func alive(pid int) bool {
	if pid <= 0 {
		return true // not watched
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// runExec runs a command to its end, passing its output through, and
// measures its time and peak memory as GNU time does: from the rusage
// wait4 returns.
func runExec(ctx context.Context, args []string) (*Exec, error) {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Stop the child kindly when this is interrupted, so that it can
	// write its profile.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	start := time.Now()
	err := cmd.Run()
	res := &Exec{Args: args, Date: start.UTC().Format(time.RFC3339), Seconds: round3(time.Since(start).Seconds())}
	if st := cmd.ProcessState; st != nil {
		res.ExitCode = st.ExitCode()
		res.UserSeconds, res.SysSeconds = round3(st.UserTime().Seconds()), round3(st.SystemTime().Seconds())
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSSMiB = round(float64(ru.Maxrss) / 1024) // kB on Linux
		}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return res, fmt.Errorf("%s exited with status %d", args[0], res.ExitCode)
	}
	return res, err
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }
