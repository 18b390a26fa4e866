package output

import (
	"os"
	"syscall"
)

// writeFile writes data to a new file and returns its size and
// modification time (Unix nanoseconds), as the manifest records them. It
// calls the system directly: os.OpenFile adds five calls per file (the
// poller's and fcntl's) that cost seconds over the ~500,000 files of a
// national build.
func writeFile(name string, data []byte) (size, mod int64, err error) {
	fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return 0, 0, &os.PathError{Op: "open", Path: name, Err: err}
	}
	for b := data; len(b) > 0 && err == nil; {
		var n int
		n, err = syscall.Write(fd, b)
		if err == syscall.EINTR {
			err = nil
			continue
		}
		if err == nil && n == 0 {
			err = syscall.EIO
		}
		b = b[max(n, 0):]
	}
	var st syscall.Stat_t
	if err == nil {
		err = syscall.Fstat(fd, &st)
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, &os.PathError{Op: "write", Path: name, Err: err}
	}
	return st.Size, st.Mtim.Nano(), nil
}

// statFile returns the size and modification time (Unix nanoseconds) of
// the entry at name, not following a link, and whether it is a regular
// file, without the FileInfo os.Lstat allocates (a rebuild asks this of
// every file it keeps).
func statFile(name string) (size, mod int64, regular bool, err error) {
	var st syscall.Stat_t
	for {
		err = syscall.Lstat(name, &st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return 0, 0, false, &os.PathError{Op: "lstat", Path: name, Err: err}
	}
	return st.Size, st.Mtim.Nano(), st.Mode&syscall.S_IFMT == syscall.S_IFREG, nil
}
