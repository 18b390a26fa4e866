package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"checkgen/generator/plan"
)

// Problem is one error of a failed rebuild, ready to show.
type Problem struct {
	Pos    string // "content/plans/a.toml:12:5"; empty when the error has no place
	Msg    string
	Line   int    // 1-based; 0 when unknown
	Col    int    // 1-based, in characters; 0 when unknown
	Source string // the text of line Line, when known
}

// Problems turns the error of a failed build into the list to show. A
// plan.ErrorList gives one problem per error, each with its source line
// read from the site directory; any other error is one problem without a
// place.
//
// Source lines come only from regular files inside site: an error placed
// in a file that is a symbolic link leading out of the site (a plan linked
// to /etc/passwd), a named pipe, a device or a file of more than
// maxSource bytes shows no line.
func Problems(err error, site string) []Problem {
	if err == nil {
		return nil
	}
	var list plan.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return []Problem{{Msg: err.Error()}}
	}
	root, rerr := os.OpenRoot(site)
	if rerr == nil {
		defer root.Close()
	}
	files := map[string][]string{}
	out := make([]Problem, 0, len(list))
	for _, e := range list {
		p := Problem{Msg: e.Msg, Line: e.Pos.Line, Col: e.Pos.Col}
		if e.Pos.File != "" {
			p.Pos = e.Pos.String()
		}
		if e.Pos.File != "" && e.Pos.Line > 0 && root != nil {
			lines, ok := files[e.Pos.File]
			if !ok {
				lines = sourceLines(root, e.Pos.File)
				files[e.Pos.File] = lines
			}
			if e.Pos.Line <= len(lines) {
				p.Source = lines[e.Pos.Line-1]
			}
		}
		out = append(out, p)
	}
	return out
}

// maxSource is the largest file whose lines are shown.
const maxSource = 16 << 20

// sourceLines reads a content file as the loader does (no byte-order
// mark, NFC), so that columns, which count characters, line up. It reads
// only a regular file inside root (os.Root resolves symbolic links and
// refuses those that leave it), checking that the file opened is the one
// looked at, so that a named pipe put there meanwhile is not opened.
func sourceLines(root *os.Root, name string) []string {
	name = filepath.FromSlash(name)
	st, err := root.Stat(name)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSource {
		return nil
	}
	f, err := root.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSource+1))
	if err != nil || len(b) > maxSource {
		return nil
	}
	lines := strings.Split(plan.SourceText(b), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// String prints the problem as the command-line tools do:
// file:line:col: message.
func (p Problem) String() string {
	if p.Pos == "" {
		return p.Msg
	}
	return p.Pos + ": " + p.Msg
}

// Excerpt shows the offending line with its number and, when the column is
// known, a caret under it:
//
//	12 | title = "Kiểm tra
//	   |         ^
//
// It is empty when the source line is unknown.
func (p Problem) Excerpt() string {
	if p.Line == 0 || p.Source == "" {
		return ""
	}
	num := strconv.Itoa(p.Line)
	gutter := strings.Repeat(" ", len(num))
	var b strings.Builder
	fmt.Fprintf(&b, "%s | %s", num, p.Source)
	if p.Col > 0 {
		// Keep the source's tabs, so the caret lines up however tabs show.
		var pad strings.Builder
		n := 0 // characters before the caret
		for _, r := range p.Source {
			if n == p.Col-1 {
				break
			}
			if r == '\t' {
				pad.WriteByte('\t')
			} else {
				pad.WriteByte(' ')
			}
			n++
		}
		for ; n < p.Col-1; n++ { // a column past the end of the line
			pad.WriteByte(' ')
		}
		fmt.Fprintf(&b, "\n%s | %s^", gutter, pad.String())
	}
	return b.String()
}

// Inject adds the reload script for generation gen, and the overlay of
// problems when there are any, before the page's last </body> (or at its
// end when it has none).
func Inject(page []byte, gen uint64, problems []Problem) []byte {
	var snippet bytes.Buffer
	err := injected.Execute(&snippet, struct {
		Gen      string
		Events   string
		Problems []Problem
	}{strconv.FormatUint(gen, 10), EventsPath, problems})
	if err != nil {
		panic(err) // the template and its data are ours
	}
	at := lastBodyEnd(page)
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+snippet.Len())
	out = append(out, page[:at]...)
	out = append(out, snippet.Bytes()...)
	return append(out, page[at:]...)
}

// lastBodyEnd returns the offset in page of its last end tag of the body
// ("</body>", "</BODY >"), or -1. It folds the case of ASCII letters only,
// byte by byte, so that the offset is one in page: lowering the whole page
// would change the length of text such as "İzmir" or "Ⱥ" before the tag.
func lastBodyEnd(page []byte) int {
	const tag = "</body"
	for i := len(page) - len(tag); i >= 0; i-- {
		if page[i] != '<' || !asciiFoldEqual(page[i:i+len(tag)], tag) {
			continue
		}
		j := i + len(tag)
		for j < len(page) && strings.IndexByte(" \t\n\r\f", page[j]) >= 0 {
			j++
		}
		if j < len(page) && page[j] == '>' {
			return i
		}
	}
	return -1
}

// asciiFoldEqual reports whether b equals the lower-case ASCII text s,
// ignoring the case of ASCII letters in b.
func asciiFoldEqual(b []byte, s string) bool {
	for i := range len(s) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// injected is what serving adds to a page. Everything is inline: the
// served site makes no request beyond its own origin.
var injected = template.Must(template.New("injected").Parse(`
{{- if .Problems}}
<style>@media print{#checkgen-errors{display:none}}</style>
<div id="checkgen-errors" role="alert" style="position:fixed;top:0;left:0;right:0;max-height:75vh;overflow:auto;z-index:2147483647;box-sizing:border-box;margin:0;padding:12px 16px;background:#fff4f4;color:#111;border-bottom:4px solid #c0392b;box-shadow:0 4px 16px rgba(0,0,0,.25);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:left">
<button type="button" aria-label="Hide" onclick="this.parentNode.style.display='none'" style="float:right;margin:0 0 0 8px;border:0;background:none;font-size:22px;line-height:1;cursor:pointer;color:#600">&times;</button>
<p style="margin:0 0 8px"><strong>The last rebuild failed: {{len .Problems}} error{{if ne (len .Problems) 1}}s{{end}}.</strong> The page below is from the last good build; it reloads when you save a fix.</p>
<ol style="margin:0;padding:0 0 0 1.6em">
{{- range .Problems}}
<li style="margin:0 0 10px">{{with .Pos}}<code style="font-weight:bold">{{.}}</code>: {{end}}{{.Msg}}
{{- with .Excerpt}}<pre style="margin:4px 0 0;padding:6px 8px;background:#fff;border:1px solid #e8c6c6;overflow:auto;white-space:pre;tab-size:4;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace">{{.}}</pre>{{end}}</li>
{{- end}}
</ol>
</div>
{{- end}}
<script>
(function () {
  var gen = {{.Gen}}, key = "checkgen-scroll:" + location.pathname + location.search;
  try {
    var y = sessionStorage.getItem(key);
    if (y !== null) {
      sessionStorage.removeItem(key);
      scrollTo(0, +y);
      addEventListener("load", function () { scrollTo(0, +y); });
    }
  } catch (e) {}
  if (!window.EventSource) return;
  var es = new EventSource({{.Events}});
  es.addEventListener("reload", function (e) {
    if (e.data === gen) return;
    es.close();
    try { sessionStorage.setItem(key, String(scrollY)); } catch (e) {}
    location.reload();
  });
})();
</script>
`))
