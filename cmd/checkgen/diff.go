package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"checkgen/generator/diff"
	"checkgen/generator/plan"
)

var cmdDiff = &command{
	Name:      "diff",
	UsageLine: "checkgen diff [-s SITE] [--list FILE] OLD_SITE",
	Short:     "what changed since another version of the site; which papers to reprint",
	Long: `Diff compares the site (-s, the new version) with OLD_SITE, another folder
holding content/ (for example a git worktree of the version last issued:
git worktree add ../issued v1). It lists what changed in site.toml, the
levels, categories, bodies and plans, the tasks added, removed and changed
(field by field, old → new), and the units added, removed and changed
(renamed, moved, level, tags, election day).

Then, per level, how many units' papers changed: a unit's papers changed
when its checklist version changed, or when its name, its level, the names
of the units above it, its election day or the form head changed. It ends
with one summary line. --list writes those units as CSV (code, name, level,
old_version, new_version; a removed unit has no new version, a new one no
old version), the list of papers to reprint and hand out again.

Exit status: 0 whether or not anything changed; 1 when either site does not
load (its errors listed, one per line as file:line:col: message, under the
site they belong to) or the list cannot be written; 2 for usage errors.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		list := fs.String("list", "", "write the units whose papers changed to this CSV `file`")
		return func(e *env, args []string) error {
			switch len(args) {
			case 0:
				return usagef("no OLD_SITE: give the folder of the version to compare with")
			case 1:
			default:
				return usagef("unexpected argument %q", args[1])
			}
			return runDiff(e, args[0], *site, *list)
		}
	},
}

// runDiff compares the sites in oldDir and newDir and prints the result.
func runDiff(e *env, oldDir, newDir, list string) error {
	// The two sites load at once: on a national site each takes seconds.
	var old *plan.Model
	var oldErr error
	var wg sync.WaitGroup
	wg.Go(func() { old, oldErr = plan.Open(os.DirFS(oldDir)) })
	cur, newErr := plan.Open(os.DirFS(newDir))
	wg.Wait()
	failed := false
	for _, s := range []struct {
		which, dir string
		err        error
	}{{"old", oldDir, oldErr}, {"new", newDir, newErr}} {
		if s.err != nil {
			printSiteErrors(e, s.which, s.dir, s.err)
			failed = true
		}
	}
	if failed {
		return errReported
	}
	r := diff.Compare(old, cur)
	if err := diff.Write(e.stdout, r); err != nil {
		return err
	}
	if list == "" {
		return nil
	}
	var b bytes.Buffer
	if err := diff.WriteList(&b, r); err != nil {
		return err
	}
	if err := os.WriteFile(list, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the reprint list: %w", err)
	}
	return nil
}

// printSiteErrors prints the errors of a site that did not load, each
// place given from the current directory, so that it names the site.
func printSiteErrors(e *env, which, dir string, err error) {
	fmt.Fprintf(e.stderr, "checkgen diff: the %s site %s does not load:\n", which, dir)
	var list plan.ErrorList
	if !errors.As(err, &list) {
		fmt.Fprintln(e.stderr, err)
		return
	}
	for _, x := range list {
		pos := x.Pos
		if pos.File != "" {
			pos.File = filepath.Join(dir, filepath.FromSlash(pos.File))
		}
		fmt.Fprintf(e.stderr, "%s: %s\n", pos, x.Msg)
	}
	fmt.Fprintf(e.stderr, "%d error%s in the %s site\n", len(list), plural(len(list)), which)
}
