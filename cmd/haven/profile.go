package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes pprof profiles of any command when asked through the
// environment: HAVEN_CPUPROFILE names a file for a CPU profile of the whole
// run, HAVEN_MEMPROFILE one for an allocation profile taken at the end. The
// benchmark (bench/scale.sh) uses them to explain where time goes. It
// returns the function that finishes the profiles.
func startProfiles(log *slog.Logger) func() {
	var stops []func()
	if path := os.Getenv("HAVEN_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			log.Error("HAVEN_CPUPROFILE: cannot profile", "file", path, "err", err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("HAVEN_MEMPROFILE"); path != "" {
		runtime.MemProfileRate = 64 << 10
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				log.Error("HAVEN_MEMPROFILE: cannot write the profile", "file", path, "err", err)
			}
		})
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}
