// Package starter holds the small site that `checkgen init` writes: a
// working example of every content file, meant to be edited.
package starter

import (
	"embed"
	"io/fs"
)

//go:embed site
var files embed.FS

// FS returns the starter site, rooted at the site directory.
func FS() fs.FS {
	sub, err := fs.Sub(files, "site")
	if err != nil {
		panic(err) // the embedded tree always has "site"
	}
	return sub
}
