//go:build e2e

package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"checkgen/generator/fixture"
	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// poppler runs a poppler-utils tool and returns its standard output. The
// e2e tests need poppler: without it they fail, they do not skip.
func poppler(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := runTool(tool, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runTool runs a tool and returns its standard output; safe to call from
// any goroutine.
func runTool(tool string, args ...string) (string, error) {
	path, err := exec.LookPath(tool)
	if err != nil {
		return "", fmt.Errorf("%s not found: install poppler-utils and qpdf to run the e2e tests (%v)", tool, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// TestExamplePoppler renders the example site's PDFs and reads them back
// with poppler: every unit's PDF holds each task title and item of its
// checklist exactly (in NFC), its name and version; every page is A4;
// every font is embedded; qpdf --check passes on every PDF; a second
// build gives the same bytes. It renders page 1 of a polling area's PDF
// into e2e-artifacts/ for a person to look at.
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
		checkQpdf(t, rel, file)
	}
	for _, l := range m.Levels {
		rel := filepath.Join("pdf", "levels", l.ID+".pdf")
		if !bytes.Equal(readFile(t, filepath.Join(a, rel)), readFile(t, filepath.Join(b, rel))) {
			t.Errorf("%s: two builds differ", rel)
		}
		checkInfo(t, rel, poppler(t, "pdfinfo", "-f", "1", "-l", "1000", filepath.Join(a, rel)))
		checkFonts(t, rel, poppler(t, "pdffonts", filepath.Join(a, rel)))
		checkQpdf(t, rel, filepath.Join(a, rel))
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

// checkQpdf checks that qpdf --check finds the PDF's structure sound: its
// cross-reference table, objects and streams.
func checkQpdf(t *testing.T, rel, file string) {
	t.Helper()
	path, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf not found: install qpdf to run the e2e tests (%v)", err)
	}
	out, err := exec.Command(path, "--check", file).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors found")) {
		t.Errorf("%s: qpdf --check: %v\n%s", rel, err, out)
	}
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

// TestAssembledPoppler renders the units of the example site and of a
// site grown to 2,000 units both ways, assembled and typeset whole, and
// reads them with poppler: for every unit, pdftotext -raw gives the same
// text both ways, and pdffonts lists every font of the assembled PDF as
// embedded; for the example's units pdfinfo says the same both ways but
// for the file's size. It renders page 1 and the last page of a polling
// area's assembled PDF into e2e-artifacts/ beside the typeset ones.
func TestAssembledPoppler(t *testing.T) {
	example, err := plan.Open(fixture.Example(t))
	if err != nil {
		t.Fatal(err)
	}
	grown, err := plan.Open(fixture.Grow(t, fixture.Example(t), 2000))
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, site := range []struct {
		name string
		m    *plan.Model
	}{{"example", example}, {"grown", grown}} {
		t.Run(site.name, func(t *testing.T) {
			m := site.m
			a := renderHow(t, m, Options{Units: m.Units, Date: date}, assembled)
			w := renderHow(t, m, Options{Units: m.Units, Date: date}, typeset)
			var mu sync.Mutex
			checked := 0
			err := output.Parallel(len(m.Units), 0, func(i int) error {
				rel := filepath.Join("pdf", "units", m.Units[i].Code+".pdf")
				got, want := filepath.Join(a, rel), filepath.Join(w, rel)
				run := func(tool string, args ...string) string {
					out, err := runTool(tool, args...)
					if err != nil {
						t.Error(err)
					}
					return out
				}
				text := run("pdftotext", "-raw", "-enc", "UTF-8", got, "-")
				if text != run("pdftotext", "-raw", "-enc", "UTF-8", want, "-") {
					t.Errorf("%s: pdftotext -raw gives other text assembled than typeset", rel)
				}
				if !strings.Contains(text, m.Units[i].Name) {
					t.Errorf("%s: pdftotext lacks the unit's name %q", rel, m.Units[i].Name)
				}
				checkFonts(t, rel, run("pdffonts", got))
				if site.name == "example" {
					if gi, wi := infoBut(run("pdfinfo", got)), infoBut(run("pdfinfo", want)); gi != wi {
						t.Errorf("%s: pdfinfo says\n%s\nassembled, and typeset\n%s", rel, gi, wi)
					}
				}
				mu.Lock()
				checked++
				mu.Unlock()
				return nil
			}, nil)
			if err != nil || checked != len(m.Units) {
				t.Fatalf("checked %d of %d units: %v", checked, len(m.Units), err)
			}
			if site.name != "example" {
				return
			}
			var polling *plan.Unit
			for _, u := range m.Units {
				if polling == nil && u.LevelRef != nil && u.LevelRef.Index == len(m.Levels)-1 && len(u.Checklist.Entries) > 0 {
					polling = u
				}
			}
			artifacts := filepath.Join("..", "..", "e2e-artifacts")
			if err := os.MkdirAll(artifacts, 0o755); err != nil {
				t.Fatal(err)
			}
			for how, dir := range map[string]string{"assembled": a, "typeset": w} {
				prefix := filepath.Join(artifacts, "pdf-"+how+"-"+polling.Code)
				poppler(t, "pdftoppm", "-r", "60", "-png", filepath.Join(dir, "pdf", "units", polling.Code+".pdf"), prefix)
				t.Logf("the pages of %s's %s PDF: %s-*.png", polling.Code, how, prefix)
			}
		})
	}
}

// infoBut returns pdfinfo's lines but the file's size.
func infoBut(info string) string {
	var keep []string
	for _, l := range strings.Split(info, "\n") {
		if !strings.HasPrefix(l, "File size:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
