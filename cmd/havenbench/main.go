// Command havenbench measures Haven at scale and reports what it found.
// bench/scale.sh runs it; it is the script's tools, one subcommand each:
//
//	havenbench exec -json F -- CMD ARGS...     run CMD, record its time and peak memory (the importer)
//	havenbench wait -url U -start-ns T -pid P  time a server's start: first request served, /readyz 200
//	havenbench load -url U -conns N -duration D -pid P -json F
//	                                           the fixed mix of searches and service pages
//	havenbench sweep -url U -count N -budget D -json F
//	                                           each search of the mix N times, one at a time
//	havenbench add -results R -engine E -services N DIR
//	                                           append one engine and size's parts to the results file
//	havenbench report [-all] RESULTS.json      markdown tables for BENCHMARKS.md
//	havenbench plot RESULTS.json -o p99.svg    search p99 against directory size, as SVG
//
// The mix is fixed (see mix.go): six classes of search, each through
// /api/v1/search and /directory, and service pages whose ids come from
// those searches. It sends requests only to loopback addresses, for a
// bounded time, and stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "havenbench:", err)
		os.Exit(1)
	}
}

const usage = `usage: havenbench exec|wait|load|sweep|add|report|plot [flags]; see "havenbench CMD -h"`

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("havenbench "+cmd, flag.ContinueOnError)
	jsonOut := fs.String("json", "", "write the result to this file")
	switch cmd {
	case "exec":
		pos, err := parseFlags(fs, args, true)
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return fmt.Errorf("exec needs a command: havenbench exec -json F -- CMD ARGS")
		}
		res, err := runExec(ctx, pos)
		if res != nil && *jsonOut != "" {
			if werr := writeJSON(*jsonOut, res); werr != nil {
				return werr
			}
		}
		return err

	case "wait":
		base := fs.String("url", "http://127.0.0.1:8080", "the server's address")
		startNS := fs.Int64("start-ns", 0, "when the server was launched, in nanoseconds since 1970 (date +%s%N)")
		pid := fs.Int("pid", 0, "the server's process id, for its memory and to notice it exiting")
		logPath := fs.String("log", "", "the server's log, for the index's build time")
		metrics := fs.String("metrics", "", "the server's /metrics, for its heap")
		search := fs.String("search", "index", "the server's --search: index or sql")
		timeout := fs.Duration("timeout", 30*time.Minute, "give up when not ready this long after the start")
		if _, err := parseFlags(fs, args, false); err != nil {
			return err
		}
		if err := checkLoopback(*base); err != nil {
			return err
		}
		started := time.Unix(0, *startNS)
		if *startNS == 0 {
			started = time.Now()
		}
		res, err := runWait(ctx, waitConfig{base: *base, metrics: *metrics, started: started, pid: *pid, logPath: *logPath, search: *search, timeout: *timeout})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "first request served %.3fs after the start, ready (/readyz 200) after %.3fs; RSS %.0f MiB, peak %.0f MiB",
			res.FirstServedSeconds, res.ReadySeconds, res.RSSReadyMiB, res.PeakRSSReadyMiB)
		if res.IndexBuildSeconds > 0 {
			fmt.Fprintf(stdout, "; index of %d services built in %.3fs", res.IndexServices, res.IndexBuildSeconds)
		}
		fmt.Fprintln(stdout)
		return writeIf(*jsonOut, res)

	case "load":
		base := fs.String("url", "http://127.0.0.1:8080", "Haven's address (loopback only)")
		conns := fs.Int("conns", 1, "connections, each sending one request after another")
		duration := fs.Duration("duration", time.Minute, "how long to measure")
		warmup := fs.Duration("warmup", 5*time.Second, "how long to send the mix before measuring")
		pid := fs.Int("pid", 0, "the server's process id, to sample its RSS from /proc")
		timeout := fs.Duration("timeout", time.Minute, "longest wait for one answer")
		only := fs.String("only", "", `send only this endpoint's share of the mix: "api" measures search throughput`)
		if _, err := parseFlags(fs, args, false); err != nil {
			return err
		}
		if err := checkLoopback(*base); err != nil {
			return err
		}
		if *conns < 1 || *duration <= 0 {
			return fmt.Errorf("-conns must be 1 or more and -duration above 0")
		}
		res, err := runLoad(ctx, loadConfig{base: *base, conns: *conns, duration: *duration, warmup: *warmup, pid: *pid, timeout: *timeout, progress: stdout, only: *only})
		if err != nil {
			return err
		}
		printRows(stdout, fmt.Sprintf("%d connections%s, %.0fs", res.Conns, onlyLabel(res.Only), res.Seconds), res.Rows, true)
		fmt.Fprintf(stdout, "server RSS: max %.0f MiB, at the end %.0f MiB; load average %.1f → %.1f\n", res.RSSMaxMiB, res.RSSEndMiB, res.LoadAvgStart, res.LoadAvgEnd)
		return writeIf(*jsonOut, res)

	case "sweep":
		base := fs.String("url", "http://127.0.0.1:8080", "Haven's address (loopback only)")
		count := fs.Int("count", 5, "times to send each search")
		budget := fs.Duration("budget", time.Minute, "time after which a class stops at the end of its round")
		timeout := fs.Duration("timeout", 5*time.Minute, "longest wait for one answer")
		if _, err := parseFlags(fs, args, false); err != nil {
			return err
		}
		if err := checkLoopback(*base); err != nil {
			return err
		}
		if *count < 1 {
			return fmt.Errorf("-count must be 1 or more")
		}
		res, err := runSweep(ctx, sweepConfig{base: *base, count: *count, budget: *budget, timeout: *timeout, progress: stdout})
		if err != nil {
			return err
		}
		printRows(stdout, fmt.Sprintf("sweep, 1 connection, %.0fs", res.Seconds), res.Rows, false)
		return writeIf(*jsonOut, res)

	case "add":
		results := fs.String("results", "", "the results file to append to (created if missing)")
		r := Run{GoVersion: runtime.Version(), CPUs: runtime.NumCPU()}
		fs.StringVar(&r.Engine, "engine", "", "sqlite or postgres")
		fs.IntVar(&r.Services, "services", 0, "how many services the database holds")
		fs.StringVar(&r.Commit, "commit", "", "Haven's commit")
		dbBytes := fs.Int64("db-bytes", 0, "the database's size on disk")
		reused := fs.Bool("reused-import", false, "the database was imported by an earlier run")
		pos, err := parseFlags(fs, args, false)
		if err != nil {
			return err
		}
		if *results == "" || r.Engine == "" || r.Services == 0 || len(pos) != 1 {
			return fmt.Errorf("add needs -results, -engine, -services and the folder of parts")
		}
		if err := readParts(&r, pos[0]); err != nil {
			return err
		}
		if r.Import != nil {
			r.Import.DBBytes, r.Import.Reused = *dbBytes, *reused
		}
		r.Date = time.Now().UTC().Format(time.RFC3339)
		all, err := readResults(*results)
		if err != nil {
			return err
		}
		all.Runs = append(all.Runs, r)
		if err := writeJSON(*results, all); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s at %d services to %s (%d runs)\n", r.Engine, r.Services, *results, len(all.Runs))
		return nil

	case "report":
		every := fs.Bool("all", false, "every run, not only the last of each engine and size")
		pos, err := parseFlags(fs, args, false)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return fmt.Errorf("report needs the results file")
		}
		res, err := readResults(pos[0])
		if err != nil {
			return err
		}
		runs := res.Runs
		if !*every {
			runs = latest(runs)
		}
		return writeReport(stdout, runs)

	case "plot":
		out := fs.String("o", "p99.svg", "the SVG file to write")
		pos, err := parseFlags(fs, args, false)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return fmt.Errorf("plot needs the results file")
		}
		res, err := readResults(pos[0])
		if err != nil {
			return err
		}
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		if err := writePlot(f, latest(res.Runs)); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "wrote", *out)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// parseFlags reads flags wherever they stand among the arguments, so that
// "plot RESULTS.json -o p99.svg" works. With rest, the first argument that
// is not a flag ends them (a command to run follows).
func parseFlags(fs *flag.FlagSet, args []string, rest bool) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if rest {
			return append(pos, args...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func writeIf(path string, v any) error {
	if path == "" {
		return nil
	}
	return writeJSON(path, v)
}

// readParts reads the parts one engine and size's steps wrote into dir:
// import.json, index-start.json, load-N.json, index-sweep.json,
// sql-start.json, sql-sweep.json and pprof-*.txt. Missing parts are steps
// the run skipped.
func readParts(r *Run, dir string) error {
	var (
		imp                                     Exec
		idxStart, sqlStart                      Start
		idxSweep, sqlSweep                      Sweep
		haveImp, haveIS, haveSS, haveIW, haveSW bool
	)
	for _, p := range []struct {
		name string
		v    any
		ok   *bool
	}{
		{"import.json", &imp, &haveImp}, {"index-start.json", &idxStart, &haveIS}, {"sql-start.json", &sqlStart, &haveSS},
		{"index-sweep.json", &idxSweep, &haveIW}, {"sql-sweep.json", &sqlSweep, &haveSW},
	} {
		err := readJSON(filepath.Join(dir, p.name), p.v)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		*p.ok = true
	}
	if haveImp {
		r.Import = &Import{Exec: imp}
		if imp.Seconds > 0 {
			r.Import.PerSecond = round(float64(r.Services) / imp.Seconds)
		}
	}
	if haveIS {
		r.IndexStart = &idxStart
	}
	if haveSS {
		r.SQLStart = &sqlStart
	}
	if haveIW {
		r.IndexSweep = &idxSweep
	}
	if haveSW {
		r.SQLSweep = &sqlSweep
	}
	loads, _ := filepath.Glob(filepath.Join(dir, "load-*.json"))
	for _, path := range loads {
		var l Load
		if err := readJSON(path, &l); err != nil {
			return err
		}
		r.Loads = append(r.Loads, &l)
	}
	slices.SortFunc(r.Loads, func(a, b *Load) int {
		if a.Conns != b.Conns {
			return a.Conns - b.Conns
		}
		return strings.Compare(a.Only, b.Only)
	})
	profiles, _ := filepath.Glob(filepath.Join(dir, "pprof-*.txt"))
	for _, path := range profiles {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "pprof-"), ".txt")
		first, rest, _ := strings.Cut(string(b), "\n")
		r.Profiles = append(r.Profiles, ProfileHead{Name: name, Path: strings.TrimPrefix(first, "profile: "), Top: rest})
	}
	return nil
}

// onlyLabel names a load run that sent one endpoint of the mix.
func onlyLabel(only string) string {
	if only == "" {
		return ""
	}
	return " (" + only + " only)"
}
