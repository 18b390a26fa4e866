// Package generator builds a site: it loads and resolves the content, then
// hands the model to one renderer per format, writing everything into a
// staging directory whose files go into the destination only when all
// succeeded (see package output: a build never removes a file it did not
// write, and never writes through a link inside the destination).
package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	"checkgen/generator/plan"
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
	// Force builds into a Dest that holds files but no manifest of an
	// earlier build, which is otherwise refused with an
	// *output.ForeignError: the build's files join the others, which
	// stay as they are (see output.Options.Force).
	Force bool
	// SourceDateEpoch, when set, fixes the build date (seconds since 1970,
	// as the SOURCE_DATE_EPOCH convention); otherwise it comes from content.
	SourceDateEpoch string
	// Workers is how many units render at once; all processors when 0.
	Workers int
	// Progress, when set, is told how far each stage has come: units
	// done of total, per format, in the order of Formats.
	Progress func(stage string, done, total int)
	// Leftover, when set, is offered the files an update of Dest replaced
	// or removed, once Dest and its manifest are in place, to remove them
	// after Build returns (see output.Options.Leftover).
	Leftover func(output.Leftover) bool
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
	// Updated is true when Dest existed and was updated in place, false
	// when the build created it.
	Updated bool
	// Kept counts the files of the formats this build did not make
	// (KeptFormats) that an earlier build left in Dest: they stay as they
	// were, and in the manifest.
	Kept        int
	KeptFormats []string
	// Warnings are the build's warnings, sorted by place: the content's
	// (Model.Warnings) and the renderers' (see Check).
	Warnings plan.ErrorList
}

// Build loads, resolves and renders the site. Content errors come back as a
// plan.ErrorList; on any error the destination is left as it was. Once
// opts.Context is done, Build returns its error within a unit's rendering
// time, leaving Dest as it was and no staging folder behind.
//
// A build of some formats keeps the files of the others that an earlier
// build left in Dest, as they were, and their records in the manifest.
// Pages link to a format they do not build only when every level's and
// built unit's file of it is in Dest.
func Build(opts Options) (*Result, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	formats, err := parseFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	dest := opts.Dest
	if dest == "" {
		dest = filepath.Join(opts.Site, "public")
	}
	if err := checkDest(opts.Site, dest); err != nil {
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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The manifest beside dest says which outputs are already up to date.
	out, err := output.OpenWith(dest, output.Options{Context: ctx, Force: opts.Force, Leftover: opts.Leftover})
	if err != nil {
		return nil, err
	}
	defer out.Abort()
	// The files of the formats not built stay; pages link to them when
	// they are all there.
	out.Carry(func(rel string) bool { f := formatOf(rel); return f != "" && !formats[f] })
	links := linked(out, m, units, formats)
	progress := func(stage string) func(int, int) {
		if opts.Progress == nil {
			return nil
		}
		return func(done, total int) { opts.Progress(stage, done, total) }
	}

	global := globalKey(opts.Site, m, links, date)
	data, err := export.Prepare(m, units, global)
	if err != nil {
		return nil, fmt.Errorf("preparing data: %w", err)
	}
	// data/ is written beside the renderers: its files all go into one
	// folder, whose entries the file system creates one at a time, so it
	// gains nothing from more than one writer and the renderers lose
	// nothing by sharing the processors with it.
	dataDone := make(chan error, 1)
	go func() { dataDone <- data.Write(out, 1) }()
	ro := renderOptions{units: units, workers: opts.Workers, layouts: layouts(opts.Site), links: links, date: date, progress: progress, keys: newUnitKeys(global)}
	err = func() error {
		for _, f := range Formats {
			if err := ctx.Err(); err != nil {
				return err
			}
			if formats[f] {
				if err := renderFormat(f, m, out, ro); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if derr := <-dataDone; err == nil && derr != nil {
		err = fmt.Errorf("writing data: %w", derr)
	}
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr // what failed after it, failed because of it
	}
	if err != nil {
		return nil, err
	}
	warnings, err := Check(m, units, opts.Formats)
	if err != nil {
		return nil, err
	}
	files := out.Len()
	if err := out.Commit(); err != nil {
		if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
			return nil, cerr // and Commit put back what it had moved
		}
		return nil, err
	}
	written, _ := out.Counts()
	res := &Result{Model: m, Dest: dest, Units: len(units), Files: files, Written: written, Updated: out.Updating(), Warnings: warnings}
	seen := map[string]bool{}
	for _, rel := range out.Carried() {
		res.Kept++
		if f := formatOf(rel); !seen[f] {
			seen[f] = true
			res.KeptFormats = append(res.KeptFormats, f)
		}
	}
	sort.Strings(res.KeptFormats)
	return res, nil
}

// formatOf returns the format whose renderer writes the output rel, or ""
// for data/, which every build writes.
func formatOf(rel string) string {
	top, _, _ := strings.Cut(rel, "/")
	switch top {
	case "data":
		return ""
	case "pdf", "xlsx":
		return top
	}
	return "html"
}

// linked returns the formats pages link to: those built, and, when the
// pages are built, each other format whose file for every level and
// every built unit with a checklist an earlier build left in Dest.
func linked(out *output.Dir, m *plan.Model, units []*plan.Unit, formats map[string]bool) map[string]bool {
	links := map[string]bool{}
	for f, ok := range formats {
		links[f] = ok
	}
	if !formats["html"] {
		return links
	}
	for _, f := range Formats {
		if formats[f] || f == "html" {
			continue
		}
		all, some := true, false
		for _, l := range m.Levels {
			if l.Checklist != nil {
				ok := out.Has(f + "/levels/" + l.ID + "." + f)
				all, some = all && ok, some || ok
			}
		}
		for _, u := range units {
			if u.Checklist != nil && all {
				ok := out.Has(f + "/units/" + u.Code + "." + f)
				all, some = all && ok, some || ok
			}
		}
		links[f] = all && some
	}
	return links
}

// checkDest refuses a destination a build must never write into: the
// root folder, the home folder, the site folder itself, a folder holding
// the site or a content/ folder (a site), and folders inside the site's
// content/ or layouts/, which the build reads. (A destination with files
// of someone else's is output.OpenWith's to refuse.)
func checkDest(siteDir, dest string) error {
	d, err := realPath(dest)
	if err != nil {
		return err
	}
	s, err := realPath(siteDir)
	if err != nil {
		return err
	}
	refuse := func(why string) error {
		what := "choose a folder of its own for the build"
		if p, err := realPath(filepath.Join(siteDir, "public")); err == nil && p != d {
			what += ", such as " + filepath.Join(siteDir, "public")
		}
		return fmt.Errorf("the destination %s %s: %s", dest, why, what)
	}
	home, _ := os.UserHomeDir()
	if home != "" {
		home, _ = realPath(home)
	}
	switch {
	case filepath.Dir(d) == d:
		return refuse("is the root folder")
	case d == home:
		return refuse("is your home folder")
	case d == s:
		return refuse("is the site folder itself, beside content/")
	case inside(s, d):
		return refuse("holds the site " + siteDir)
	case d == filepath.Join(s, plan.ContentDir) || inside(d, filepath.Join(s, plan.ContentDir)):
		return refuse("lies inside the site's " + plan.ContentDir + "/ folder, which the build reads")
	case d == filepath.Join(s, "layouts") || inside(d, filepath.Join(s, "layouts")):
		return refuse("lies inside the site's layouts/ folder, which the build reads")
	}
	if st, err := os.Stat(filepath.Join(d, plan.ContentDir)); err == nil && st.IsDir() {
		return refuse("holds a " + plan.ContentDir + "/ folder, as a site does")
	}
	return nil
}

// inside reports whether p lies strictly inside the folder dir.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// realPath returns p absolute, with the links of the part of it that
// exists resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
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
