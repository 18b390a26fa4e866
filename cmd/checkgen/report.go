package main

import (
	"errors"
	"flag"
)

var cmdReport = &command{
	Name:      "report",
	UsageLine: "checkgen report [-s SITE] [-d DEST] [--as-of DATE] FILE|DIR...",
	Short:     "read filled sign-off workbooks into a completion report",
	Long:      `Report reads filled .xlsx workbooks and writes DEST/report/.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			return errors.New("report is not built yet (issue 5)")
		}
	},
}
