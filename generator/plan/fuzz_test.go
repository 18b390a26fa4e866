package plan

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzLoad feeds any bytes to the loader as one of the content files: it
// must not panic, and every error must have a place inside its file: a
// line and a column that exist in the text the loader read. Where the
// message names a key, the key is at that place.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"number = \"1\"\ntitle = \"t\"\n[[task]]\nid = \"a\"\n",
		"[[unit]]\ncode = \"x\"\n",
		"title = \"\"\"\n[[task]]\n\"\"\"\n",
		"code,parent,level,name,tags,election_day\na,,province,\"x, y\",,\n",
		"a = [1, [2, {b = 3}], \"\"\"x\"\"\"]\n[[level]]\nid=\"q\"\n",
		"\xef\xbb\xbf[[body]]\nid = 'x'\nname = '''y'''\n",
		"number = \"1\"\ntitle = \"t\"\n[[task]]\nid = \"a\"\ntitle = 3\nlevels = [\n  \"province\",\n  4,\n]\nresponsible = \"committee\"\ndue = \"E-08 25:00\"\nx = 1\n",
		"title = \"T\"\nelection_day = 1899-01-01\n[labels]\npage = \"" + strings.Repeat("p", 40) + "\"\n[[level]]\nid = \"con\"\nname = \"L\"\n",
		"x = " + strings.Repeat("[", 40) + "\n",
	} {
		for target := byte(0); target < 5; target++ {
			f.Add(target, []byte(seed))
		}
	}
	targets := []string{"content/site.toml", "content/bodies.toml", "content/units.toml", "content/units.csv", "content/plans/p.toml"}
	f.Fuzz(func(t *testing.T, target byte, data []byte) {
		fsys := siteFS(t, nil)
		fsys[targets[int(target)%len(targets)]] = &fstest.MapFile{Data: data}
		m, err := Open(fsys)
		if err == nil {
			if m == nil {
				t.Fatal("no model and no error")
			}
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not an ErrorList: %v", err)
		}
		for _, e := range list {
			checkPlace(t, fsys, e)
		}
	})
}

var (
	// keyFirst matches messages about the value of the key they start with.
	keyFirst = regexp.MustCompile(`^([a-z_]+) (must |has a time|without due|"|[0-9E])`)
	// unknownKey matches messages about a key itself.
	unknownKey = regexp.MustCompile(`^unknown (?:key|label) "([^"]*)"`)
	// labelMsg matches messages about a label's value.
	labelMsg = regexp.MustCompile(`^label "([^"]*)"`)
)

// checkPlace checks that an error's place exists in the text of its file
// and, where the message names a key, that the key is there.
func checkPlace(t *testing.T, fsys fstest.MapFS, e *Error) {
	t.Helper()
	f := fsys[e.Pos.File]
	if e.Pos.File == "" || e.Msg == "" || f == nil {
		t.Fatalf("error without a file, a message, or whose file does not exist: %q", e.Error())
	}
	// Errors about a file as a whole (missing, unreadable, misnamed) have
	// no line, but every file here exists and is readable.
	lines := strings.Split(SourceText(f.Data), "\n")
	if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
		t.Fatalf("%q: line %d, but the file has %d lines", e.Error(), e.Pos.Line, len(lines))
	}
	line := []rune(lines[e.Pos.Line-1]) // a CRLF line's '\r' is a character too, at its end
	if e.Pos.Col < 1 || e.Pos.Col > len(line)+1 {
		t.Fatalf("%q: column %d, but line %d has %d characters", e.Error(), e.Pos.Col, e.Pos.Line, len(line))
	}
	if !strings.HasSuffix(e.Pos.File, ".toml") {
		return
	}
	before, at := string(line[:e.Pos.Col-1]), string(line[e.Pos.Col-1:])
	if m := unknownKey.FindStringSubmatch(e.Msg); m != nil {
		// The key itself, maybe quoted, starts here (or a [table] of that name).
		k := m[1]
		if !strings.HasPrefix(at, k) && !strings.HasPrefix(at, `"`+k) && !strings.HasPrefix(at, `'`+k) && !strings.HasPrefix(at, "[") && utf8.ValidString(k) {
			t.Fatalf("%q: the key is not at %d:%d, which reads %q", e.Error(), e.Pos.Line, e.Pos.Col, at)
		}
		return
	}
	k := ""
	if m := labelMsg.FindStringSubmatch(e.Msg); m != nil {
		k = m[1]
	} else if m := keyFirst.FindStringSubmatch(e.Msg); m != nil {
		k = m[1]
	}
	if k != "" && !strings.Contains(before, k) {
		t.Fatalf("%q: the key %s is not before %d:%d on its line, %q", e.Error(), k, e.Pos.Line, e.Pos.Col, string(line))
	}
}
