// Package cputime tells how much processor time the process has used, for
// benchmarks on a shared machine: there the processor time says what the
// work costs better than the wall clock.
package cputime

import "time"

// Used returns the processor time, user and system, that every thread of
// the process has used so far; zero where the system cannot tell.
func Used() time.Duration { return used() }
