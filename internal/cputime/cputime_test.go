package cputime

import (
	"runtime"
	"testing"
)

func TestUsedGrows(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no getrusage here: Used returns zero")
	}
	before := Used()
	x := 0
	for i := range 50_000_000 {
		x += i % 7
	}
	if after := Used(); after <= before || x == 0 {
		t.Errorf("processor time %v after a busy loop, %v before", after, before)
	}
}
