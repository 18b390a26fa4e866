//go:build !unix

package output

import (
	"errors"
	"os"
)

// lock is not available here: builds take no locks, and staging folders
// left by interrupted builds are not recognised (nor removed).
func lock(f *os.File, wait bool) (bool, error) { return false, errors.ErrUnsupported }

// sameDevice cannot tell here; a rename across file systems fails with
// its own error instead.
func sameDevice(a, b os.FileInfo) bool { return true }

func isReadOnly(err error) bool { return false }

func crossDevice(err error) error { return err }
