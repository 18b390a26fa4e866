package plan

import (
	"errors"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds any bytes to the loader as one of the content files: it
// must not panic, and every error must name its file.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"number = \"1\"\ntitle = \"t\"\n[[task]]\nid = \"a\"\n",
		"[[unit]]\ncode = \"x\"\n",
		"title = \"\"\"\n[[task]]\n\"\"\"\n",
		"code,parent,level,name,tags,election_day\na,,province,\"x, y\",,\n",
		"a = [1, [2, {b = 3}], \"\"\"x\"\"\"]\n[[level]]\nid=\"q\"\n",
		"\xef\xbb\xbf[[body]]\nid = 'x'\nname = '''y'''\n",
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
			if e.Pos.File == "" || e.Msg == "" {
				t.Errorf("error without a place or message: %q", e.Error())
			}
		}
	})
}
