package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"checkgen/generator/output"
	"checkgen/generator/plan"
	"checkgen/generator/report"
	"checkgen/generator/xlsx"
)

var cmdReport = &command{
	Name:      "report",
	UsageLine: "checkgen report [-s SITE] [-d DEST] [--as-of DATE] [--scope CODE] FILE|DIR...",
	Short:     "read filled sign-off workbooks and lower levels' report.json into a completion report",
	Long: `Report reads filled .xlsx sign-off workbooks and the report.json files of
lower levels (the files given, and every .xlsx and .json under the
directories given), matches each sheet to its unit by the unit code and
task ids kept in the workbook, checks it against the current checklist,
and writes DEST/report/ (default SITE/public/report/): index.html, a page
per level, report.xlsx, and report.json for the level above, which merges
it as an input like a workbook.

The report covers the whole site, or with --scope CODE that unit and
everything below it; units in scope that returned nothing are listed
under their parent. A level's return_by (site.toml) says when its sheets
are due back: units returned on time are counted.

A sheet filled against an older checklist counts for every task that did
not change; answers to tasks that changed are listed to re-confirm, not
counted. Workbooks written before task hashes existed are checked as a
whole: against an older checklist they are listed, never counted. Two
inputs with different answers for one unit are a conflict and neither
counts. Tasks due before --as-of (default today) and not done are overdue.

It prints a summary, and one line per problem as file:Sheet!F7: message.
Inputs are only read. Exit status: 0 when every file was read cleanly, 1
when a file or cell was rejected (the report is still written for the
rest), 2 for usage errors.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		dest := destFlag(fs)
		asOf := fs.String("as-of", "", "the report's `date`, YYYY-MM-DD (default today)")
		scope := fs.String("scope", "", "report on the unit `CODE` and everything below it (default the whole site)")
		return func(e *env, args []string) error {
			if len(args) == 0 {
				return usagef("no files: give the filled workbooks and report.json files, or directories holding them")
			}
			day := plan.DateOf(time.Now())
			if *asOf != "" {
				t, err := time.Parse("2006-01-02", *asOf)
				if err != nil {
					return usagef("--as-of %q: want a date as YYYY-MM-DD", *asOf)
				}
				day = plan.DateOf(t)
			}
			return runReport(e, *site, *dest, day, *scope, args)
		}
	},
}

// runReport reads the workbooks and report.json files in paths and writes
// DEST/report/.
func runReport(e *env, site, dest string, asOf plan.Date, scope string, paths []string) error {
	m, err := plan.Open(os.DirFS(site))
	if err != nil {
		return err
	}
	opts := report.Options{AsOf: asOf}
	if scope != "" {
		opts.Scope = m.Unit(scope)
		if opts.Scope == nil {
			return usagef("--scope %q: no such unit in %s", scope, site)
		}
	}
	if dest == "" {
		dest = filepath.Join(site, "public")
	}
	files, problems := report.Files(paths)
	labels := map[string]string{}
	for _, k := range []string{"done", "not_done", "not_applicable"} {
		labels[k] = m.Label(k)
	}
	in := report.ReadInputs(files, m, xlsx.ReadOptions{Labels: labels})
	in.Problems = append(problems, in.Problems...)
	r := report.Merge(m, in, opts)
	r.Files = len(files)

	out, err := output.Stage(filepath.Join(dest, "report"))
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := report.Render(r, out); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}

	printReport(e, r, out.Dest())
	if n := r.Errors(); n > 0 {
		return errReported
	}
	return nil
}

// printReport prints the summary on stdout and the problems on stderr.
func printReport(e *env, r *report.Report, dir string) {
	m := r.Model
	c, expected, returned := r.Totals()
	fmt.Fprintf(e.stdout, "as of %s: %d file%s, %d sheet%s read\n", r.AsOf, r.Files, plural(r.Files), r.Sheets, plural(r.Sheets))
	if r.Scope != nil {
		fmt.Fprintf(e.stdout, "scope: %s %s and the units below it\n", r.Scope.Code, r.Scope.Name)
	} else {
		fmt.Fprintln(e.stdout, "scope: the whole site")
	}
	for _, l := range r.Levels {
		var extra []string
		if l.Outdated > 0 {
			extra = append(extra, fmt.Sprintf("%d outdated", l.Outdated))
		}
		if l.Conflicts > 0 {
			extra = append(extra, fmt.Sprintf("%d in conflict", l.Conflicts))
		}
		line := fmt.Sprintf("  %-24s %d of %d returned", l.Level.Name+":", l.Returned, l.Expected)
		if l.HasReturnBy() {
			line += fmt.Sprintf(" (%d on time)", l.OnTime)
		}
		if len(extra) > 0 {
			line += " (" + strings.Join(extra, ", ") + ")"
		}
		if l.Returned > 0 {
			line += fmt.Sprintf(", completion %s, %d overdue", l.Counts.Percent(), l.Counts.Overdue)
		}
		fmt.Fprintln(e.stdout, line)
	}
	if c.Stale > 0 {
		fmt.Fprintf(e.stdout, "%d answer%s given against an older wording: re-confirm (listed in the report)\n", c.Stale, plural(c.Stale))
	}
	if r.Legacy > 0 {
		fmt.Fprintf(e.stdout, "%d sheet%s written before task hashes: checked as whole sheets against the current checklist version\n", r.Legacy, plural(r.Legacy))
	}
	fmt.Fprintf(e.stdout, "total: %d of %d units returned, completion %s, %d task%s overdue\n", returned, expected, c.Percent(), c.Overdue, plural(c.Overdue))
	fmt.Fprintf(e.stdout, "wrote %s (%s) and %s\n", filepath.Join(dir, "index.html"), m.Label("report"), filepath.Join(dir, "report.json"))

	errs, warns := 0, 0
	for _, p := range r.Problems {
		fmt.Fprintln(e.stderr, p)
		if p.Warning {
			warns++
		} else {
			errs++
		}
	}
	if errs+warns > 0 {
		fmt.Fprintf(e.stderr, "%d problem%s, %d warning%s\n", errs, plural(errs), warns, plural(warns))
	}
}
