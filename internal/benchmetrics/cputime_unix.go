//go:build unix

package benchmetrics

import (
	"syscall"
	"time"
)

// ProcessCPUTime is the CPU time (user + system) of the whole test process
// so far: under a shared machine's changing load it measures work where
// wall time measures waiting too. It includes every goroutine, the
// in-process emulator's among them.
func ProcessCPUTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
