//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock (flock) on the open file or folder
// f, waiting for it when wait is set. It reports false when another holder
// has it (and wait is not set); the lock ends when f is closed, or when
// the process ends, however it ends.
func lock(f *os.File, wait bool) (bool, error) {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		}
		return false, err
	}
}

// sameDevice reports whether a and b are on one file system, where a
// rename can move a file from one to the other.
func sameDevice(a, b os.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return !ok1 || !ok2 || sa.Dev == sb.Dev
}

// isReadOnly reports whether err says the file system is read-only.
func isReadOnly(err error) bool { return errors.Is(err, syscall.EROFS) }

// crossDevice adds what to do to an error of a rename across file systems.
func crossDevice(err error) error {
	if errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("%w (the destination is on another file system than the folder that holds it: choose a folder inside it)", err)
	}
	return err
}
