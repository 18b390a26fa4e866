package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is the release; builds from a checkout add the commit.
const version = "0.1.0"

var cmdVersion = &command{
	Name:      "version",
	UsageLine: "checkgen version",
	Short:     "print the version",
	Long:      `Version prints checkgen's version, the commit it was built from when known, and the Go version.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			v := version
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						v += " (" + s.Value[:12] + ")"
					}
				}
			}
			fmt.Fprintf(e.stdout, "checkgen %s %s\n", v, runtime.Version())
			return nil
		}
	},
}
