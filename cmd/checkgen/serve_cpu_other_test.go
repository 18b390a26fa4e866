//go:build !unix

package main

import "time"

// processCPU returns 0: the processor time a process used is read on
// Unix systems only.
func processCPU() time.Duration { return 0 }
