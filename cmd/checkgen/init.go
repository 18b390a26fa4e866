package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"checkgen/generator/starter"
)

var cmdInit = &command{
	Name:      "init",
	UsageLine: "checkgen init DIR",
	Short:     "write a starter site into DIR",
	Long: `Init writes a small working site into DIR (created if needed): site.toml,
bodies.toml, units.toml and one plan, each commented, and schema/, the JSON
Schemas that the files' "#:schema" first lines name for editors. It refuses
to write into a directory that already has content/.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		return func(e *env, args []string) error {
			if len(args) != 1 {
				return usagef("init needs exactly one directory")
			}
			dir := args[0]
			if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
				return fmt.Errorf("%s already has a content/ directory: choose a new or empty directory", dir)
			}
			if err := writeStarter(dir); err != nil {
				return err
			}
			if _, err := writeSchemas(filepath.Join(dir, "schema")); err != nil { // schema.go: named by the files' #:schema lines
				return err
			}
			fmt.Fprintf(e.stdout, "wrote a starter site to %s\nnext: checkgen check -s %s && checkgen build -s %s\n", dir, dir, dir)
			return nil
		}
	},
}

func writeStarter(dir string) error {
	src := starter.FS()
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: not overwriting it", target)
		}
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}
