//go:build unix

package plan_test

import (
	"syscall"
	"time"
)

// processCPU returns the processor time the process has used so far
// (user and system), or 0 where the system does not tell it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
