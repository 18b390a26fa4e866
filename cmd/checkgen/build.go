package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"checkgen/generator"
)

var cmdBuild = &command{
	Name:      "build",
	UsageLine: "checkgen build [-s SITE] [-d DEST] [--only CODE,...] [--formats html,pdf,xlsx]",
	Short:     "build the site: HTML, PDF, XLSX and data/ JSON",
	Long: `Build loads and checks the content, then writes into DEST (default SITE/public):
the HTML site, pdf/ checklists, xlsx/ sign-off workbooks and data/ (the
resolved model as JSON). It writes into a new directory beside DEST and
swaps it in only when everything succeeded: a failed build leaves DEST as it
was. DEST/report/ (written by checkgen report) is kept.

--only builds only the given units and the units below them. Set
SOURCE_DATE_EPOCH to fix the date printed on forms; by default it is the
latest plan date, so the same content always gives the same bytes.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		dest := destFlag(fs)
		only := fs.String("only", "", "comma-separated unit `codes` to build, with the units below them")
		formats := fs.String("formats", strings.Join(generator.Formats, ","), "comma-separated `formats` to build")
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			for _, f := range splitList(*formats) {
				if !slices.Contains(generator.Formats, f) {
					return usagef("unknown format %q (formats: %s)", f, strings.Join(generator.Formats, ", "))
				}
			}
			opts := generator.Options{
				Site: *site, Dest: *dest, Formats: splitList(*formats), Only: splitList(*only),
				SourceDateEpoch: e.getenv("SOURCE_DATE_EPOCH"),
			}
			if isTerminal(e.stderr) {
				opts.Progress = progressPrinter(e)
			}
			if e.getenv("GOGC") == "" {
				// Rendering PDFs allocates ~17 MB per document of short-lived
				// garbage; collecting less often is ~35% faster on 2 cores.
				defer debug.SetGCPercent(debug.SetGCPercent(400))
			}
			start := time.Now()
			res, err := generator.Build(opts)
			if opts.Progress != nil {
				fmt.Fprint(e.stderr, "\r\033[K")
			}
			if err != nil {
				return err
			}
			printWarnings(e, res.Model)
			fmt.Fprintf(e.stdout, "%s\nbuilt %d files into %s in %s\n", summary(res.Model), res.Files, res.Dest, time.Since(start).Round(time.Millisecond))
			return nil
		}
	},
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter rewrites one status line, at most ten times a second.
func progressPrinter(e *env) func(stage string, done, total int) {
	var last time.Time
	return func(stage string, done, total int) {
		if done != total && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.stderr, "\r\033[K%s %d/%d", stage, done, total)
	}
}
