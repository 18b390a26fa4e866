//go:build !linux

package output

import "os"

// writeFile writes data to a new file and returns its size and
// modification time (Unix nanoseconds), as the manifest records them.
func writeFile(name string, data []byte) (size, mod int64, err error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, 0, err
	}
	_, err = f.Write(data)
	var st os.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	return st.Size(), st.ModTime().UnixNano(), nil
}

// statFile returns the size and modification time (Unix nanoseconds) of
// the entry at name, not following a link, and whether it is a regular
// file.
func statFile(name string) (size, mod int64, regular bool, err error) {
	st, err := os.Lstat(name)
	if err != nil {
		return 0, 0, false, err
	}
	return st.Size(), st.ModTime().UnixNano(), st.Mode().IsRegular(), nil
}
