// Package probe reads what the load tools (cmd/havenload, cmd/havenbench)
// watch on a running Haven: a field of its /proc status and a metric on
// its Prometheus /metrics.
package probe

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// ProcStatusKB reads one field of /proc/PID/status (VmRSS, VmHWM) in kB,
// 0 when it is not known.
func ProcStatusKB(pid int, field string) int64 {
	if pid <= 0 {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// MetricValue sums the samples of one metric whose labels contain every
// match; found says whether there was any.
func MetricValue(c *http.Client, metricsURL, name string, match ...string) (total float64, found bool, err error) {
	resp, err := c.Get(metricsURL)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+" ") && !strings.HasPrefix(line, name+"{") {
			continue
		}
		ok := true
		for _, m := range match {
			ok = ok && strings.Contains(line, m)
		}
		if i := strings.LastIndexByte(line, ' '); ok && i > 0 {
			if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
				total, found = total+v, true
			}
		}
	}
	return total, found, sc.Err()
}
