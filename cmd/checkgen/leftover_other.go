//go:build !unix

package main

import "syscall"

// detachedProcess is nil where builds take no locks (see output.lock):
// a build removes what it replaced before it returns.
func detachedProcess() *syscall.SysProcAttr { return nil }
