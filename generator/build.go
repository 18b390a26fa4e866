// Package generator builds a site: it loads and resolves the content, then
// hands the model to one renderer per format, writing everything into a
// staging directory that replaces the destination only when all succeeded.
package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"checkgen/generator/export"
	"checkgen/generator/output"
	"checkgen/generator/pdf"
	"checkgen/generator/plan"
	"checkgen/generator/site"
	"checkgen/generator/xlsx"
)

// Formats lists the output formats a build can write, besides data/.
var Formats = []string{"html", "pdf", "xlsx"}

// Options says what to build.
type Options struct {
	// Context, when set, cancels the build: Build returns its error soon
	// after it is done, leaving Dest as it was and no staging folder behind.
	Context context.Context
	Site    string   // the site directory, holding content/ and maybe layouts/
	Dest    string   // the output directory; SITE/public when empty
	Only    []string // unit codes: build only these units and the units below them
	Formats []string // a subset of Formats; all when empty
	// SourceDateEpoch, when set, fixes the build date (seconds since 1970,
	// as the SOURCE_DATE_EPOCH convention); otherwise it comes from content.
	SourceDateEpoch string
	// Workers is how many units render at once; all processors when 0.
	Workers int
	// Progress, when set, is told how far each stage has come: units
	// done of total, per format, in the order of Formats.
	Progress func(stage string, done, total int)
}

// Result describes a finished build.
type Result struct {
	Model *plan.Model
	Dest  string
	Units int // the units built
	Files int // the files of the build
	// Written counts the files written; the others were already in Dest
	// with the same bytes and were kept as they were.
	Written int
	// Updated is true when Dest was updated in place (the manifest beside
	// it was valid), false when it was replaced whole.
	Updated bool
	// Warnings are the build's warnings, sorted by place: the content's
	// (Model.Warnings) and the renderers' (see Check).
	Warnings plan.ErrorList
}

// Build loads, resolves and renders the site. Content errors come back as a
// plan.ErrorList; on any error the destination is left as it was.
func Build(opts Options) (*Result, error) {
	formats, err := parseFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	m, err := plan.Open(os.DirFS(opts.Site))
	if err != nil {
		return nil, err
	}
	units, err := selectUnits(m, opts.Only)
	if err != nil {
		return nil, err
	}
	date, err := buildDate(m, opts.SourceDateEpoch)
	if err != nil {
		return nil, err
	}
	dest := opts.Dest
	if dest == "" {
		dest = filepath.Join(opts.Site, "public")
	}
	// The manifest beside dest says which outputs are already up to date.
	out, err := output.Open(dest)
	if err != nil {
		return nil, err
	}
	defer out.Abort()
	progress := func(stage string) func(int, int) {
		if opts.Progress == nil {
			return nil
		}
		return func(done, total int) { opts.Progress(stage, done, total) }
	}

	global := globalKey(opts.Site, m, formats, date)
	data, err := export.Prepare(m, units, global)
	if err != nil {
		return nil, fmt.Errorf("preparing data: %w", err)
	}
	key := data.Key
	// data/ is written beside the renderers: its files all go into one
	// folder, whose entries the file system creates one at a time, so it
	// gains nothing from more than one writer and the renderers lose
	// nothing by sharing the processors with it.
	dataDone := make(chan error, 1)
	go func() { dataDone <- data.Write(out, 1) }()
	err = func() error {
		if formats["html"] {
			err := site.Render(m, out, site.Options{
				Units: units, Workers: opts.Workers, Layouts: layouts(opts.Site), Formats: formats, Date: date, Progress: progress("html"), Key: key,
			})
			if err != nil {
				return err
			}
		}
		if formats["pdf"] {
			if err := pdf.Render(m, out, pdf.Options{Units: units, Workers: opts.Workers, Date: date, Progress: progress("pdf"), Key: key}); err != nil {
				return err
			}
		}
		if formats["xlsx"] {
			if err := xlsx.Render(m, out, xlsx.Options{Units: units, Workers: opts.Workers, Date: date, Progress: progress("xlsx"), Key: key, Password: m.Site.Workbook.Password}); err != nil {
				return err
			}
		}
		return nil
	}()
	if derr := <-dataDone; err == nil && derr != nil {
		err = fmt.Errorf("writing data: %w", derr)
	}
	if err != nil {
		return nil, err
	}
	warnings, err := Check(m, units, opts.Formats)
	if err != nil {
		return nil, err
	}
	files := len(out.Files())
	if err := out.Commit(); err != nil {
		return nil, err
	}
	written, _ := out.Counts()
	return &Result{Model: m, Dest: dest, Units: len(units), Files: files, Written: written, Updated: out.Updating(), Warnings: warnings}, nil
}

func parseFormats(list []string) (map[string]bool, error) {
	set := map[string]bool{}
	if len(list) == 0 {
		list = Formats
	}
	for _, f := range list {
		f = strings.TrimSpace(strings.ToLower(f))
		known := false
		for _, k := range Formats {
			known = known || k == f
		}
		if !known {
			return nil, fmt.Errorf("unknown format %q (formats: %s)", f, strings.Join(Formats, ", "))
		}
		set[f] = true
	}
	return set, nil
}

// selectUnits returns every unit, or with only set, those units and their
// descendants, in site order.
func selectUnits(m *plan.Model, only []string) ([]*plan.Unit, error) {
	if len(only) == 0 {
		return m.Units, nil
	}
	picked := map[*plan.Unit]bool{}
	var missing []string
	var mark func(u *plan.Unit)
	mark = func(u *plan.Unit) {
		picked[u] = true
		for _, c := range u.Children {
			mark(c)
		}
	}
	for _, code := range only {
		u := m.Unit(strings.TrimSpace(code))
		if u == nil {
			missing = append(missing, code)
			continue
		}
		mark(u)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("--only: unknown unit code %s", strings.Join(missing, ", "))
	}
	var units []*plan.Unit
	for _, u := range m.Units {
		if picked[u] {
			units = append(units, u)
		}
	}
	return units, nil
}

// buildDate is the date printed on forms and stamped into files:
// SOURCE_DATE_EPOCH when given, else the latest plan date, else the
// election day. It never depends on the clock, so builds are reproducible.
func buildDate(m *plan.Model, epoch string) (time.Time, error) {
	if epoch != "" {
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", epoch)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	var latest plan.Date
	for _, p := range m.Plans {
		if p.Date != nil && latest.Before(*p.Date) {
			latest = *p.Date
		}
	}
	if latest.IsZero() {
		latest = m.Site.ElectionDay
	}
	return latest.Time(), nil
}

// layouts returns the site's own layouts directory, or nil.
func layouts(siteDir string) fs.FS {
	dir := filepath.Join(siteDir, "layouts")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return os.DirFS(dir)
	}
	return nil
}

// globalKey hashes the inputs every output may depend on besides its unit:
// site.toml, the site's layouts, the formats (which decide what pages link
// to), the build date and the program's version. A change to any of them
// renders everything again. (--only is not one: a unit's outputs are the
// same whatever else is built.)
func globalKey(siteDir string, m *plan.Model, formats map[string]bool, date time.Time) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%v\x00", buildID(), m.Sources[plan.SiteFile], date.Unix())
	for _, f := range Formats {
		fmt.Fprintf(h, "%s=%v\x00", f, formats[f])
	}
	if lfs := layouts(siteDir); lfs != nil {
		fs.WalkDir(lfs, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(lfs, p)
				fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
				h.Write(b)
			}
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// buildID identifies the running binary, so that a new checkgen never
// reuses files an older one wrote.
func buildID() string {
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			return fmt.Sprintf("%s %d %d", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	return "unknown"
}
