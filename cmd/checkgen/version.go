package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release. `make dist` stamps it with
// -ldflags "-X main.version=..."; builds from a checkout add the commit.
var version = "0.1.0"

// commit is the commit a release was built from, stamped by `make dist`
// (-X main.commit=...; a "+modified" suffix for uncommitted changes) where
// the Go toolchain's own record (-buildvcs) is off.
var commit = ""

var cmdVersion = &command{
	Name:      "version",
	UsageLine: "checkgen version",
	Short:     "print the version",
	Long: `Version prints checkgen's version, the commit it was built from and whether
the checkout had uncommitted changes (when the Go toolchain recorded them),
the Go version, and the operating system and architecture. Also: checkgen
--version, checkgen -v.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			info, _ := debug.ReadBuildInfo()
			fmt.Fprintln(e.stdout, versionLine(version, info, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH))
			return nil
		}
	},
}

// versionLine is "checkgen 0.1.0 (commit 0123456789ab, modified) go1.26.8
// linux/amd64"; the part in brackets is left out when the build recorded
// no commit (go run, go test, a build outside a checkout).
func versionLine(v string, info *debug.BuildInfo, goVersion, platform string) string {
	rev, modified := strings.CutSuffix(commit, "+modified")
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	line := "checkgen " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " (commit " + rev
		if modified {
			line += ", modified"
		}
		line += ")"
	}
	return line + " " + goVersion + " " + platform
}
