//go:build e2e

package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"checkgen/generator/plan"
)

// poppler runs a poppler-utils tool and returns its standard output. The
// e2e tests need poppler: without it they fail, they do not skip.
func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found: install poppler-utils to run the e2e tests (%v)", tool, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// TestExamplePoppler renders the example site's PDFs and reads them back
// with poppler: every unit's PDF holds each task title and item of its
// checklist exactly (in NFC), its name and version; every page is A4;
// every font is embedded; a second build gives the same bytes. It renders
// page 1 of a polling area's PDF into e2e-artifacts/ for a person to look
// at.
func TestExamplePoppler(t *testing.T) {
	root := filepath.Join("..", "..")
	m, err := plan.Open(os.DirFS(root))
	if err != nil {
		t.Fatalf("the example site does not load: %v", err)
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	a := render(t, m, Options{Units: m.Units, Date: date})
	b := render(t, m, Options{Units: m.Units, Date: date})
	if warnings, err := Check(m, m.Units); err != nil || len(warnings) > 0 {
		t.Errorf("the example prints characters the font lacks (%v):\n%v", err, warnings)
	}

	var polling *plan.Unit
	for _, u := range m.Units {
		if polling == nil && u.LevelRef != nil && u.LevelRef.Index == len(m.Levels)-1 && len(u.Checklist.Entries) > 0 {
			polling = u
		}
		rel := filepath.Join("pdf", "units", u.Code+".pdf")
		file := filepath.Join(a, rel)
		if !bytes.Equal(readFile(t, file), readFile(t, filepath.Join(b, rel))) {
			t.Errorf("%s: two builds differ", rel)
		}
		text := poppler(t, "pdftotext", "-raw", "-enc", "UTF-8", file, "-")
		if !norm.NFC.IsNormalString(text) {
			t.Errorf("%s: the extracted text is not NFC", rel)
		}
		flat := squeeze(text)
		wants := []string{u.Name, u.Checklist.Version}
		for _, e := range u.Checklist.Entries {
			wants = append(wants, e.Task.Title)
			wants = append(wants, e.Task.Items...)
		}
		for _, want := range wants {
			if !strings.Contains(flat, squeeze(want)) {
				t.Errorf("%s: pdftotext lacks %q", rel, want)
			}
		}
		checkInfo(t, rel, poppler(t, "pdfinfo", "-f", "1", "-l", "1000", file))
		checkFonts(t, rel, poppler(t, "pdffonts", file))
	}
	for _, l := range m.Levels {
		rel := filepath.Join("pdf", "levels", l.ID+".pdf")
		if !bytes.Equal(readFile(t, filepath.Join(a, rel)), readFile(t, filepath.Join(b, rel))) {
			t.Errorf("%s: two builds differ", rel)
		}
		checkInfo(t, rel, poppler(t, "pdfinfo", "-f", "1", "-l", "1000", filepath.Join(a, rel)))
	}

	if polling == nil {
		t.Fatal("the example has no polling area with tasks")
	}
	artifacts := filepath.Join(root, "e2e-artifacts")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(artifacts, "pdf-"+polling.Code)
	poppler(t, "pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-singlefile", "-png",
		filepath.Join(a, "pdf", "units", polling.Code+".pdf"), prefix)
	if st, err := os.Stat(prefix + ".png"); err != nil || st.Size() < 10000 {
		t.Errorf("pdftoppm wrote no page image: %v", err)
	}
	t.Logf("page 1 of %s's PDF: %s.png", polling.Code, prefix)
}

// checkInfo checks that pdfinfo reports every page as A4.
func checkInfo(t *testing.T, rel, info string) {
	t.Helper()
	pages := 0
	for _, line := range strings.Split(info, "\n") {
		if strings.HasPrefix(line, "Page ") && strings.Contains(line, " size:") {
			pages++
			if !strings.HasSuffix(strings.TrimSpace(line), "(A4)") {
				t.Errorf("%s: %s", rel, line)
			}
		}
	}
	if pages == 0 {
		t.Errorf("%s: pdfinfo lists no page sizes:\n%s", rel, info)
	}
}

// checkFonts checks that pdffonts lists fonts, each embedded.
func checkFonts(t *testing.T, rel, list string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) < 3 {
		t.Errorf("%s: pdffonts lists no fonts:\n%s", rel, list)
		return
	}
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		// name, type (maybe two words), encoding, emb, sub, uni, object, id
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("%s: a font is not embedded: %s", rel, line)
		}
	}
}
