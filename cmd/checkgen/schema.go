package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"checkgen/generator/schema"
)

var cmdSchema = &command{
	Name:      "schema",
	UsageLine: "checkgen schema [-o DIR]",
	Short:     "write the JSON Schemas of the content files, for editors",
	Long: `Schema writes one JSON Schema (draft-07) per kind of content file into DIR:
site.schema.json, bodies.schema.json, units.schema.json and plan.schema.json.
Editors that read a "#:schema" first line (VS Code with Even Better TOML,
Taplo, Tombi) then complete keys, show each key's description in English and
Vietnamese, and mark unknown keys and wrong values as you type, offline.
checkgen init writes them into the new site's schema/ folder, and its content
files start with the matching line, e.g. in content/site.toml:

    #:schema ../schema/site.schema.json

The schemas cannot tell a date from the same text in quotes; checkgen check
remains the final word.`,
	Flags: func(fs *flag.FlagSet) func(*env, []string) error {
		out := fs.String("o", "schema", "the output `directory`")
		return func(e *env, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			files, err := writeSchemas(*out)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %d schemas to %s\n", len(files), *out)
			return nil
		}
	},
}

// writeSchemas writes every schema into dir, created if needed, and
// returns the paths written.
func writeSchemas(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range schema.All() {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
