//go:build !unix

package pdf

import "time"

// cpuTime returns zero: the benchmarks report no CPU time here.
func cpuTime() time.Duration { return 0 }
