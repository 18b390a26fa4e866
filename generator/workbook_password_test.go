package generator

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"io/fs"

	"checkgen/generator/starter"
)

// TestWorkbookPassword checks that site.toml [workbook] password reaches
// the protection of every sheet, and that without it sheets are protected
// with no password.
func TestWorkbookPassword(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"none", "", false},
		{"set", "\n[workbook]\npassword = \"bầu cử\"\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := copyStarter(t)
			f, err := os.OpenFile(filepath.Join(site, "content/site.toml"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString(tt.extra)
			f.Close()
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := Build(Options{Site: site, Dest: dest, Formats: []string{"xlsx"}}); err != nil {
				t.Fatal(err)
			}
			zr, err := zip.OpenReader(filepath.Join(dest, "xlsx/units/RV-N.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			sheets := 0
			for _, zf := range zr.File {
				if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
					continue
				}
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				x := string(b)
				if !strings.Contains(x, "<sheetProtection") {
					t.Errorf("%s is not protected", zf.Name)
				}
				if got := strings.Contains(x, `password="`); got != tt.want {
					t.Errorf("%s: has a password = %v, want %v", zf.Name, got, tt.want)
				}
				sheets++
			}
			if sheets < 2 {
				t.Errorf("%d sheets", sheets)
			}
		})
	}
}

// copyStarter writes the starter site into a temp dir.
func copyStarter(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := starter.FS()
	for _, name := range []string{"content/site.toml", "content/bodies.toml", "content/units.toml", "content/plans/preparation.toml"} {
		b, err := fs.ReadFile(src, name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
