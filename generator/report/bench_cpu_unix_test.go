//go:build unix

package report

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, in all
// its threads: on a loaded machine it says what a benchmark costs better
// than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
