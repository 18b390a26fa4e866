// Command mknational writes a synthetic national site: the example site's
// plans with a unit tree shaped like Vietnam's 2021 election (63
// provinces, 705 districts, 10,600 communes, 84,767 polling areas), for
// benchmarks and the national-scale build. See package national.
//
// Usage:
//
//	mknational [-s SITE] -o DIR [-polling N]
//
// Exit status: 0 success, 1 errors, 2 usage errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"checkgen/generator/national"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is an error in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usageLine = "usage: mknational [-s SITE] -o DIR [-polling N]"

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mknational", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	site := fs.String("s", ".", "the example site `directory`, holding content/")
	out := fs.String("o", "", "the `directory` to write the national site into (required)")
	polling := fs.Int("polling", national.Vietnam2021.Polling, "the number of polling areas; the other levels scale with it")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, usageLine)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return 0
	case err != nil:
	case fs.NArg() > 0:
		err = usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *out == "":
		err = usageError{"-o DIR is required"}
	case *polling < 1:
		err = usageError{fmt.Sprintf("-polling %d: need at least 1 polling area", *polling)}
	}
	if err != nil {
		fmt.Fprintf(stderr, "mknational: %v\n", err)
		usage(stderr)
		return 2
	}
	got, err := national.Write(*out, *site, national.Scale(*polling))
	if err != nil {
		fmt.Fprintf(stderr, "mknational: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: %d provinces, %d districts, %d communes, %d polling areas (%d units)\n",
		*out, got.Provinces, got.Districts, got.Communes, got.Polling, got.Total())
	return 0
}
