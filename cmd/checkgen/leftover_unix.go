//go:build unix

package main

import "syscall"

// detachedProcess is how a remover starts: in a session of its own, so
// that a Ctrl-C in the terminal of the build does not stop it.
func detachedProcess() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
