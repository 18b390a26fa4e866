package output

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the entries at a and b in one step: each ends at the
// other's path. It fails with fs.ErrNotExist when either is missing, and
// with errors.ErrUnsupported where the file system cannot (EINVAL).
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch err {
	case nil:
		return nil
	case unix.EINVAL, unix.ENOSYS:
		return errors.ErrUnsupported
	}
	return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
}
