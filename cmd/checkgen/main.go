// Command checkgen turns the tasks of official plans, written as TOML, into
// checklists for every level and unit of an organisation, and publishes
// them as a static HTML site, printable PDFs and Excel sign-off sheets.
//
// Usage:
//
//	checkgen build  [-s SITE] [-d DEST] [--only CODE,...] [--formats html,pdf,xlsx]
//	checkgen check  [-s SITE]
//	checkgen serve  [-s SITE] [-d DEST] [--bind 127.0.0.1] [--port 1313] [--poll DURATION]
//	checkgen report [-s SITE] [-d DEST] [--as-of DATE] FILE|DIR...
//	checkgen init   DIR
//	checkgen version
//
// Exit status: 0 success, 1 content or input errors, 2 usage errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"checkgen/generator/plan"
)

// Exit statuses.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// command is one subcommand, after cmd/go/internal/base.Command.
type command struct {
	Name      string
	UsageLine string
	Short     string
	Long      string
	// Flags defines the command's flags on fs and returns the function that
	// runs it once they are parsed.
	Flags func(fs *flag.FlagSet) func(env *env, args []string) error
}

// env is what a command may touch: its output streams and the process
// environment, passed in so that tests can run commands in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	interrupt      <-chan os.Signal // nil: commands install their own handler
}

func commands() []*command {
	return []*command{cmdBuild, cmdCheck, cmdServe, cmdReport, cmdInit, cmdVersion}
}

func main() {
	os.Exit(run(os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// usageError is an error in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// contentError wraps errors that were already printed in full.
var errReported = errors.New("errors reported")

func run(args []string, e *env) int {
	if len(args) == 0 {
		printUsage(e.stderr)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		if len(args) > 1 && name == "help" {
			name, args = args[1], []string{args[1], "-h"}
		} else {
			printUsage(e.stdout)
			return exitOK
		}
	}
	var cmd *command
	for _, c := range commands() {
		if c.Name == name {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "checkgen: unknown command %q\n", name)
		printUsage(e.stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("checkgen "+cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runFn := cmd.Flags(fs)
	fs.Usage = func() {}
	positional, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(e.stdout, cmd, fs)
			return exitOK
		}
		fmt.Fprintf(e.stderr, "checkgen %s: %v\n", cmd.Name, err)
		printCommandUsage(e.stderr, cmd, fs)
		return exitUsage
	}
	err = runFn(e, positional)
	var ue usageError
	var list plan.ErrorList
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "checkgen %s: %s\n", cmd.Name, ue.msg)
		printCommandUsage(e.stderr, cmd, fs)
		return exitUsage
	case errors.Is(err, errReported):
		return exitContent
	case errors.As(err, &list):
		printErrors(e.stderr, list)
		return exitContent
	}
	fmt.Fprintf(e.stderr, "checkgen %s: %v\n", cmd.Name, err)
	return exitContent
}

// parseInterspersed parses flags wherever they stand among the arguments,
// so that "report x.xlsx --as-of 2026-10-01" honours --as-of instead of
// reading it as a file name. The standard flag package stops at the first
// argument that is not a flag; this parses again after each one. "--" ends
// the flags: what follows is positional even if it starts with "-".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// flag.Parse consumed a "--" if the arguments before rest end with it.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func printErrors(w io.Writer, list plan.ErrorList) {
	for _, err := range list {
		fmt.Fprintln(w, err)
	}
	n := len(list)
	fmt.Fprintf(w, "%d error%s\n", n, plural(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "checkgen turns the tasks of plans written as TOML into checklists for every level and unit,")
	fmt.Fprintln(w, "published as a static HTML site, printable PDFs and Excel sign-off sheets.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  checkgen %-56s %s\n", strings.TrimPrefix(c.UsageLine, "checkgen "), c.Short)
	}
	fmt.Fprintln(w, "\nRun 'checkgen COMMAND -h' for a command's flags. Exit status: 0 ok, 1 content or input errors, 2 usage errors.")
}

func printCommandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// siteFlag defines -s and --source.
func siteFlag(fs *flag.FlagSet) *string {
	s := new(string)
	fs.StringVar(s, "s", ".", "the site `directory`, holding content/ and maybe layouts/")
	fs.StringVar(s, "source", ".", "same as -s")
	return s
}

// destFlag defines -d and --destination.
func destFlag(fs *flag.FlagSet) *string {
	d := new(string)
	fs.StringVar(d, "d", "", "the output `directory` (default SITE/public)")
	fs.StringVar(d, "destination", "", "same as -d")
	return d
}

func noArgs(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}
