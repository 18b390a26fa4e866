//go:build unix

package pdf

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system,
// on all its threads; zero where it cannot tell.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
