//go:build browser

package browsertest

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes a server end with the test process, even when a
// timeout kills it before its deferred clean-up runs.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
