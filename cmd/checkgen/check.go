package main

import (
	"flag"
	"fmt"
	"os"

	"checkgen/generator/plan"
)

var cmdCheck = &command{
	Name:      "check",
	UsageLine: "checkgen check [-s SITE]",
	Short:     "validate the content; list every error",
	Long: `Check loads and resolves the site's content and prints every error, one per
line as file:line:col: message, sorted by place, then exits 1. Warnings (a
due later than its statutory limit, a tag no unit carries) are printed but do
not fail the check. On success it prints one line of counts.`,
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
			printWarnings(e, m)
			fmt.Fprintln(e.stdout, summary(m))
			return nil
		}
	},
}

func printWarnings(e *env, m *plan.Model) {
	for _, w := range m.Warnings {
		fmt.Fprintln(e.stderr, w)
	}
}

// summary is the one-line account of a site: plans, tasks, levels, units, warnings.
func summary(m *plan.Model) string {
	return fmt.Sprintf("ok: %d plan%s, %d task%s, %d level%s, %d unit%s, %d warning%s",
		len(m.Plans), plural(len(m.Plans)), len(m.Tasks), plural(len(m.Tasks)),
		len(m.Levels), plural(len(m.Levels)), len(m.Units), plural(len(m.Units)),
		len(m.Warnings), plural(len(m.Warnings)))
}
