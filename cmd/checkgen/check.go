package main

import (
	"flag"
	"fmt"
	"os"

	"checkgen/generator"
	"checkgen/generator/plan"
)

var cmdCheck = &command{
	Name:      "check",
	UsageLine: "checkgen check [-s SITE]",
	Short:     "validate the content; list every error",
	Long: `Check loads and resolves the site's content and prints every error, one per
line as file:line:col: message, sorted by place, then exits 1. Warnings do
not fail the check: the content's own (a due later than its statutory limit,
a tag no unit carries) and those of the renderers' checks, which read the
content without writing anything (text the PDF font cannot print). They are
the warnings build prints for the whole site, in the same words and order.
On success it prints one line of counts.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			m, err := plan.Open(os.DirFS(*site))
			if err != nil {
				return err
			}
			warnings, err := generator.Check(m, m.Units, nil)
			if err != nil {
				return err
			}
			printWarnings(e, warnings)
			fmt.Fprintln(e.stdout, summary(m, len(warnings)))
			return nil
		}
	},
}

// printWarnings prints warnings to stderr, one a line: check, build and
// serve print the list generator.Check returns.
func printWarnings(e *env, warnings plan.ErrorList) {
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, w)
	}
}

// summary is the one-line account of a site: plans, tasks, levels, units, warnings.
func summary(m *plan.Model, warnings int) string {
	return fmt.Sprintf("ok: %d plan%s, %d task%s, %d level%s, %d unit%s, %d warning%s",
		len(m.Plans), plural(len(m.Plans)), len(m.Tasks), plural(len(m.Tasks)),
		len(m.Levels), plural(len(m.Levels)), len(m.Units), plural(len(m.Units)),
		warnings, plural(warnings))
}
