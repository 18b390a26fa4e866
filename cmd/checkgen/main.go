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
//	checkgen diff   [-s SITE] [--list FILE] OLD_SITE
//	checkgen init   DIR
//	checkgen schema [-o DIR]
//	checkgen help   [COMMAND|TOPIC]
//	checkgen completion bash|zsh|fish|powershell
//	checkgen version
//
// Exit status: 0 success, 1 content or input errors, 2 usage errors, 130
// interrupted (build).
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
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
	return []*command{cmdBuild, cmdCheck, cmdServe, cmdReport, cmdDiff, cmdInit, cmdSchema, cmdVersion, cmdCompletion}
}

func main() {
	if code, ok := remover(os.Args[1:]); ok {
		os.Exit(code)
	}
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
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			if code, done := help(e, args[1]); done { // help.go: topics of the content reference
				return code
			}
			name, args = args[1], []string{args[1], "-h"}
		} else {
			printUsage(e.stdout)
			return exitOK
		}
	case "-v", "-version", "--version":
		name, args = "version", []string{"version"}
	}
	cmd := findCommand(name)
	if cmd == nil {
		msg := fmt.Sprintf("checkgen: unknown command %q", name)
		if s := suggest(name, commandNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintf(e.stderr, "%s\nRun 'checkgen help' for the list of commands.\n", msg)
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
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			var known []string
			fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
			if s := suggest(strings.TrimLeft(name, "-"), known); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", dashes(s))
			}
		}
		printUsageError(e.stderr, cmd, msg)
		return exitUsage
	}
	err = runFn(e, positional)
	var ue usageError
	var list plan.ErrorList
	var intr interrupted
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &intr):
		fmt.Fprintf(e.stderr, "checkgen %s: %s\n", cmd.Name, intr.msg)
		return exitInterrupted
	case errors.As(err, &ue):
		printUsageError(e.stderr, cmd, ue.msg)
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

// printUsageError prints a usage error as one line and where to read more,
// not the whole help, which would push the error off the screen.
func printUsageError(w io.Writer, cmd *command, msg string) {
	fmt.Fprintf(w, "checkgen %s: %s\nRun 'checkgen %s -h' for usage.\n", cmd.Name, msg, cmd.Name)
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.Name)
	}
	return names
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
	fmt.Fprintln(w, "\nUsage: checkgen COMMAND [flags] [arguments]\n\nCommands:")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.Name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Short)
	}
	fmt.Fprintln(w, "\nFlags may stand before or after arguments; -- ends them.")
	fmt.Fprintln(w, "Run 'checkgen COMMAND -h' for a command's usage and flags. Exit status: 0 ok, 1 content or input errors, 2 usage errors.")
	fmt.Fprintln(w, helpTopicsLine())
}

func printCommandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
	// One row per flag, its aliases ("--source: same as -s") beside it:
	// "-s, --source DIRECTORY  the site directory ...".
	type row struct {
		names        []string
		value, usage string
	}
	var rows []*row
	byName := map[string]*row{}
	aliases := map[string]string{} // alias -> flag
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		if other, ok := strings.CutPrefix(usage, "same as -"); ok {
			aliases[f.Name] = other
			return
		}
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		r := &row{names: []string{dashes(f.Name)}, value: strings.ToUpper(name), usage: usage}
		byName[f.Name] = r
		rows = append(rows, r)
	})
	for alias, name := range aliases {
		if r := byName[name]; r != nil {
			r.names = append(r.names, dashes(alias))
			slices.SortFunc(r.names, func(a, b string) int { return cmp.Compare(len(a), len(b)) })
		}
	}
	if len(rows) == 0 {
		return
	}
	left := func(r *row) string { return strings.TrimSpace(strings.Join(r.names, ", ") + " " + r.value) }
	width := 0
	for _, r := range rows {
		width = max(width, len(left(r)))
	}
	fmt.Fprintln(w, "\nFlags:")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, left(r), r.usage)
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
