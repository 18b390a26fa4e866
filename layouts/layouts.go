// Package layouts holds checkgen's default HTML layouts, its style sheet and
// its unit-search script, embedded into the binary so that checkgen alone
// can build any site.
//
// A site overrides any of these files by putting a file of the same name in
// its own layouts/ directory. The page layouts are Go html/template files;
// each defines "main" and calls {{template "base" .}} from base.html, and
// partials.html holds the pieces pages share (the checklist table, a
// deadline, breadcrumbs). style.css, search.js, checklist.js and
// favicon.svg are copied to public/assets/ as they are.
//
// A page must render within 10 seconds and 16 MB: past either, the build
// stops with an error at the {{range}} (or template) that was running,
// as layouts/unit.html:12:9, rather than run on or fill the memory.
//
// Under 600 CSS pixels (a phone) style.css stacks the rows of tables: each
// cell goes on its own line after its column's name, which the layouts
// give as the cell's data-label attribute. Paper is not affected.
package layouts

import "embed"

// FS holds the default layouts, each at its file name.
//
//go:embed *.html *.css *.js *.svg
var FS embed.FS
