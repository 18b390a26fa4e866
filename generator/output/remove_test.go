package output

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveTree: every file and folder under the root goes, with the
// root; a link goes, not what it points to; a missing root is no error.
func TestRemoveTree(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "tree")
	for i := range 300 {
		p := filepath.Join(root, fmt.Sprintf("d%d/e%d/f%d", i%7, i%3, i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	os.MkdirAll(filepath.Join(root, "empty/deeper"), 0o755)
	outside := filepath.Join(tmp, "outside")
	os.MkdirAll(outside, 0o755)
	theirs := map[string]string{"a.txt": "a", "b.txt": "b"}
	for rel, s := range theirs {
		os.WriteFile(filepath.Join(outside, rel), []byte(s), 0o644)
	}
	if err := os.Symlink(outside, filepath.Join(root, "d1/link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Join(outside, "a.txt"), filepath.Join(root, "filelink"))

	if err := RemoveTree(root); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(root); !os.IsNotExist(err) {
		t.Errorf("the root is still there: %v", err)
	}
	if got := readTree(t, outside); !maps.Equal(got, theirs) {
		t.Errorf("a link's target changed: %v, want %v", got, theirs)
	}
	if err := RemoveTree(root); err != nil {
		t.Errorf("RemoveTree(a missing folder) = %v", err)
	}
}
