package main

import (
	"os"
	"os/exec"
	"path/filepath"

	"checkgen/generator/output"
)

// removerArg is the first argument of the process a build starts to remove
// the files its update replaced: checkgen __remove-staging DIR, with DIR's
// lock as its file 3 (see output.RemoveLeftover). It is not a command
// anyone types, and is not listed.
const removerArg = "__remove-staging"

// detachAtLeast is how many replaced files a build leaves to a process of
// their own to remove; fewer it removes before it returns. Starting the
// process takes a few milliseconds; on a disk mounted with discard,
// removing 1,000 files takes about 40.
var detachAtLeast = 1000

// detachRemoval starts a process that removes the leftover l of a build
// and reports true, so that the build returns once DEST and its manifest
// are in place, as git gc --auto goes to the background; it reports false
// when l is small or no process could start, and the build removes l
// itself. The process holds l's lock until it is done: no other build
// touches l meanwhile, and if it is killed the next build removes l.
func detachRemoval(l output.Leftover) bool {
	if l.Files < detachAtLeast {
		return false
	}
	attr := detachedProcess()
	if attr == nil {
		return false
	}
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	cmd := exec.Command(exe, removerArg, l.Dir)
	cmd.Dir = filepath.Dir(l.Dir)
	cmd.ExtraFiles = []*os.File{l.Lock} // file 3; standard files: the null device
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		return false
	}
	l.Lock.Close() // the process holds the lock now
	go func() {
		cmd.Wait() // reaps it, should this process outlive it
		if removerEnded != nil {
			removerEnded(cmd)
		}
	}()
	return true
}

// removerEnded, when set (by tests), is told of each remover that ended.
var removerEnded func(*exec.Cmd)

// remover runs the process detachRemoval starts, when args say so, and
// returns its exit status.
func remover(args []string) (code int, ok bool) {
	if len(args) != 2 || args[0] != removerArg {
		return 0, false
	}
	if err := output.RemoveLeftover(args[1], os.NewFile(3, "lock")); err != nil {
		return exitContent, true
	}
	return exitOK, true
}
