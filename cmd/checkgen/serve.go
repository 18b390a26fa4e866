package main

import (
	"errors"
	"flag"
)

var cmdServe = &command{
	Name:      "serve",
	UsageLine: "checkgen serve [-s SITE] [-d DEST] [--bind 127.0.0.1] [--port 1313] [--poll DURATION]",
	Short:     "build, serve, watch and reload on every edit",
	Long:      `Serve builds the site, serves it over HTTP, watches content/ and layouts/, rebuilds what changed and reloads the browser.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			return errors.New("serve is not built yet (issue 6)")
		}
	},
}
