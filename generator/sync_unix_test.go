//go:build unix

package generator

import "syscall"

// syncDisks writes every dirty buffer out (sync(2)).
func syncDisks() { syscall.Sync() }
