//go:build browser && !linux

package browsertest

import "os/exec"

func dieWithTest(cmd *exec.Cmd) {}
