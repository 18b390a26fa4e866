//go:build linux || darwin

package plan

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// writeSite writes the base site to a temporary directory.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range siteFS(t, nil) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFIFO: a named pipe as a content file used to hang the load for
// ever; nobody writes to this one, so reading it would block.
func TestFIFO(t *testing.T) {
	dir := writeSite(t)
	p := filepath.Join(dir, "content", "plans", "fifo.toml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	wantLoadError(t, os.DirFS(dir), "content/plans/fifo.toml: is a named pipe (FIFO), not a regular file")
}

// TestDevZero: a link to /dev/zero used to grow memory at 100 MB/s.
func TestDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	dir := writeSite(t)
	p := filepath.Join(dir, filepath.FromSlash(UnitsCSV))
	os.Remove(p)
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Skipf("symlink: %v", err)
	}
	wantLoadError(t, os.DirFS(dir), UnitsCSV+": is a device, not a regular file")
}
