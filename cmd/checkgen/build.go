package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"checkgen/generator"
	"checkgen/generator/output"
)

var cmdBuild = &command{
	Name:      "build",
	UsageLine: "checkgen build [-s SITE] [-d DEST] [--only CODE,...] [--formats html,pdf,xlsx] [--workers N] [--into-existing]",
	Short:     "build the site: HTML, PDF, XLSX and data/ JSON",
	Long: `Build loads and checks the content, then writes into DEST (default SITE/public):
the HTML site, pdf/ checklists, xlsx/ sign-off workbooks and data/ (the
resolved model as JSON). It writes into a staging folder beside DEST and
moves the files in only when everything succeeded: a failed or interrupted
build (Ctrl-C or SIGTERM, exit status 130) leaves DEST as it was and no
staging folder behind; one left by a killed build is removed by the next.
An update that replaced 1,000 files or more returns once DEST and its
manifest are in place and leaves the replaced files to a process in the
background, which removes them with the staging folder (one left by a
killed remover is removed by the next build too).

A manifest beside DEST (.public.manifest for public/) lists the files the
build wrote and what each was made from. The next build renders only
outputs whose inputs changed, writes only files whose bytes changed, and
removes only files the manifest lists that it no longer makes: files
checkgen did not write (robots.txt, .htaccess, DEST/report/ from checkgen
report) stay. Nothing is written or removed through a symbolic link
inside DEST.

DEST must be a folder of its own: /, your home folder, the site folder, a
folder holding content/, and folders inside content/ or layouts/ are
refused. So is a DEST that holds files but no manifest (a folder checkgen
did not write, or whose manifest was deleted): --into-existing builds
into it, writing the build's files (replacing files at the same paths)
and leaving every other file as it is.

--formats builds some formats only: the files of the others that an
earlier build left in DEST stay as they were (the summary line counts
them), and pages link to a format they do not build only when its file
for every level and unit is in DEST.

--only builds only the given units and the units below them, with the
pages, level forms and data every part shares: parts built separately,
even on different machines, copied into one folder give the same files
as one whole build (use the same --formats and SOURCE_DATE_EPOCH for all).
--workers sets how many units render at once (default: every core).

On a terminal, a progress line shows units done of total, the rate and
the time left; otherwise only the final summary line is printed. Set
SOURCE_DATE_EPOCH to fix the date printed on forms; by default it is the
latest plan date, so the same content always gives the same bytes.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		site := siteFlag(fs)
		dest := destFlag(fs)
		only := fs.String("only", "", "comma-separated unit `codes` to build, with the units below them")
		formats := fs.String("formats", strings.Join(generator.Formats, ","), "comma-separated `formats` to build")
		workers := fs.Int("workers", 0, fmt.Sprintf("units rendered at once; 0 for one per core (%d here)", runtime.NumCPU()))
		intoExisting := fs.Bool("into-existing", false, "build into a DEST that holds files but no manifest of a checkgen build; its files stay")
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if *workers < 0 {
				return usagef("--workers %d: give a number of units to render at once, or 0 for one per core", *workers)
			}
			for _, f := range splitList(*formats) {
				if !slices.Contains(generator.Formats, f) {
					return usagef("unknown format %q (formats: %s)", f, strings.Join(generator.Formats, ", "))
				}
			}
			ctx, stop := interruptible(e.interrupt)
			defer stop()
			opts := generator.Options{
				Context: ctx, Site: *site, Dest: *dest, Formats: splitList(*formats), Only: splitList(*only),
				Workers: *workers, SourceDateEpoch: e.getenv("SOURCE_DATE_EPOCH"), Force: *intoExisting,
				Leftover: detachRemoval,
			}
			if isTerminal(e.stderr) {
				opts.Progress = newProgress(e.stderr, time.Now).update
			}
			if e.getenv("GOGC") == "" {
				// Rendering PDFs allocates ~17 MB per document of short-lived
				// garbage; collecting less often is ~35% faster on 2 cores.
				defer debug.SetGCPercent(debug.SetGCPercent(400))
			}
			if e.getenv("GOMEMLIMIT") == "" {
				// ... but not at any size: near 768 MiB the collector works
				// harder instead (a national build's live heap is ~400 MB),
				// which keeps a national build's peak RSS under 1 GiB.
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 28))
			}
			start := time.Now()
			res, err := generator.Build(opts)
			if opts.Progress != nil {
				fmt.Fprint(e.stderr, "\r\033[K")
			}
			var foreign *output.ForeignError
			switch {
			case err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil:
				return interrupted{"interrupted; DEST left as it was"}
			case errors.As(err, &foreign):
				return fmt.Errorf("%w, or pass --into-existing to build into it (its files stay as they are)", err)
			case err != nil:
				return err
			}
			printWarnings(e, res.Warnings)
			fmt.Fprintln(e.stdout, built(res, time.Since(start)))
			return nil
		}
	},
}

// exitInterrupted is the exit status of a command stopped by SIGINT or
// SIGTERM: 128+2, as a shell reports a command killed by SIGINT.
const exitInterrupted = 130

// interrupted is the error of a command stopped by a signal after it
// cleaned up: run prints its message and exits with exitInterrupted.
type interrupted struct{ msg string }

func (e interrupted) Error() string { return e.msg }

// interruptible returns a context cancelled by the first value on
// signals, or, when signals is nil, by the first SIGINT or SIGTERM (a
// second one then ends the process the usual way). stop releases it.
func interruptible(signals <-chan os.Signal) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	release := func() {}
	if signals == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		release = func() { signal.Stop(ch) }
		signals = ch
	}
	select {
	case <-signals: // already sent: stop before starting
		cancel()
		return ctx, release
	default:
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-signals:
			release()
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		cancel()
		<-done
		release()
	}
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

// built is the line that ends a build: "built 238 of 238 units into
// public in 1.6s: 1251 files, 11 written; 6 plans, 84 tasks, 0 warnings".
// Files of formats not built that stay in DEST are counted after the
// written ones: "…, 11 written, 476 pdf and xlsx files of an earlier
// build kept; …".
func built(res *generator.Result, took time.Duration) string {
	m := res.Model
	kept := ""
	if res.Kept > 0 {
		kept = fmt.Sprintf(", %d %s file%s of an earlier build kept", res.Kept, strings.Join(res.KeptFormats, " and "), plural(res.Kept))
	}
	return fmt.Sprintf("built %d of %d unit%s into %s in %s: %d file%s, %d written%s; %d plan%s, %d task%s, %d warning%s",
		res.Units, len(m.Units), plural(len(m.Units)), res.Dest, took.Round(time.Millisecond),
		res.Files, plural(res.Files), res.Written, kept,
		len(m.Plans), plural(len(m.Plans)), len(m.Tasks), plural(len(m.Tasks)), len(res.Warnings), plural(len(res.Warnings)))
}

// progress rewrites one status line on a terminal, at most ten times a
// second: "pdf: 12000 of 96135 units, 251/s, 5m12s left".
type progress struct {
	w     io.Writer
	now   func() time.Time
	stage string
	start time.Time // when the stage began
	last  time.Time // when the line was last written
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	return &progress{w: w, now: now}
}

func (p *progress) update(stage string, done, total int) {
	t := p.now()
	if stage != p.stage {
		p.stage, p.start, p.last = stage, t, time.Time{}
	}
	if done != total && t.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = t
	line := fmt.Sprintf("%s: %d of %d units", stage, done, total)
	if el := t.Sub(p.start); done > 0 && el > 0 {
		rate := float64(done) / el.Seconds()
		line += fmt.Sprintf(", %.0f/s", rate)
		if done < total {
			left := time.Duration(float64(total-done) / rate * float64(time.Second))
			line += fmt.Sprintf(", %s left", left.Round(time.Second))
		}
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}
