//go:build unix

package match

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system time so far: on a machine
// other work shares, it says what the benchmark cost better than the wall
// clock.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
