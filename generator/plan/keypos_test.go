package plan

import (
	"testing"
	"testing/fstest"
)

// keyPosSite is base.txt with a site, a unit and a task that use most
// kinds of key: the expected places below are counted by hand in it.
func keyPosSite(t *testing.T) *Model {
	t.Helper()
	fsys := siteFS(t, nil)
	fsys[SiteFile] = &fstest.MapFile{Data: []byte(`title        = "Test site"
language     = "en"
election_day = 2021-05-23
organisation = "Org"

[form]
left  = ["A", "B"]
place = "P"

[labels]
page = "Pg"

[[level]]
id   = "province"
name = "Province"
sign = ["X", "Y"]

[[level]]
id   = "district"
name = "District"

[[level]]
id   = "polling"
name = "Polling area"

[[category]]
id   = "security"
name = "Security"
`)}
	fsys[UnitsFile] = &fstest.MapFile{Data: []byte(`[[unit]]
code  = "01"
name  = "Province One"
level = "province"
tags  = ["a", "b"]

[[unit]]
code   = "01-A"
parent = "01"
name   = "District A"
level  = "district"
`)}
	fsys["content/plans/p.toml"] = &fstest.MapFile{Data: []byte(`number = "1/KH"
title  = "Plan one"
summary = """
Some *text*."""

[[task]]
id          = "a"
title       = "Task A"
levels      = ["province", "district"]
responsible = "committee"
items       = [
  "one",
    "two",
]
details     = "x"
`)}
	m, err := Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestKeyPos(t *testing.T) {
	m := keyPosSite(t)
	site := func(l, c int) Pos { return Pos{File: SiteFile, Line: l, Col: c} }
	plan := func(l, c int) Pos { return Pos{File: "content/plans/p.toml", Line: l, Col: c} }
	units := func(l, c int) Pos { return Pos{File: UnitsFile, Line: l, Col: c} }
	csv := func(l, c int) Pos { return Pos{File: UnitsCSV, Line: l, Col: c} }
	p := m.Plans[0]
	task := p.Tasks[0]
	u01, u01A1, u01A2 := m.Unit("01"), m.Unit("01-A-1"), m.Unit("01-A-2")
	lvl := m.Level("province")
	body := m.Body("committee")
	for _, c := range []struct {
		name string
		got  Pos
		want Pos
	}{
		{"site title", m.Site.KeyPos("title"), site(1, 16)},
		{"site organisation", m.Site.KeyPos("organisation"), site(4, 16)},
		{"site form.left[1]", m.Site.ElemPos("form.left", 1), site(7, 15)},
		{"site form.place", m.Site.KeyPos("form.place"), site(8, 9)},
		{"site form.right: the [form] header", m.Site.KeyPos("form.right"), site(6, 1)},
		{"site form.right[0]: the [form] header", m.Site.ElemPos("form.right", 0), site(6, 1)},
		{"site labels.page", m.Site.KeyPos("labels.page"), site(11, 8)},
		{"site labels.due (built in): the [labels] header", m.Site.KeyPos("labels.due"), site(10, 1)},
		{"site workbook.password: no [workbook], the file", m.Site.KeyPos("workbook.password"), site(1, 1)},
		{"level name", lvl.KeyPos("name"), site(15, 8)},
		{"level sign[1]", lvl.ElemPos("sign", 1), site(16, 14)},
		{"level sign[2]: the key", lvl.ElemPos("sign", 2), site(16, 8)},
		{"category name", m.Category("security").KeyPos("name"), site(28, 8)},
		{"body name", body.KeyPos("name"), Pos{File: BodiesFile, Line: 3, Col: 10}},
		{"body levels[1]", body.ElemPos("levels", 1), Pos{File: BodiesFile, Line: 4, Col: 23}},
		{"plan title", p.KeyPos("title"), plan(2, 10)},
		{"plan summary", p.KeyPos("summary"), plan(3, 11)},
		{"plan source: the file", p.KeyPos("source"), plan(1, 1)},
		{"task title", task.KeyPos("title"), plan(8, 15)},
		{"task details", task.KeyPos("details"), plan(15, 15)},
		{"task items[0]", task.ElemPos("items", 0), plan(12, 3)},
		{"task items[1]", task.ElemPos("items", 1), plan(13, 5)},
		{"task items[-1]: the key", task.ElemPos("items", -1), plan(11, 15)},
		{"task evidence: the header", task.KeyPos("evidence"), plan(6, 1)},
		{"task basis[0]: the header", task.ElemPos("basis", 0), plan(6, 1)},
		{"unit name (toml)", u01.KeyPos("name"), units(3, 9)},
		{"unit tags[1] (toml)", u01.ElemPos("tags", 1), units(5, 15)},
		{"unit parent (toml), absent: the header", u01.KeyPos("parent"), units(1, 1)},
		{"unit name (csv)", u01A1.KeyPos("name"), csv(2, 21)},
		{"unit name (csv, quoted)", u01A2.KeyPos("name"), csv(3, 21)},
		{"unit tags[0] (csv): the field", u01A2.ElemPos("tags", 0), csv(3, 46)},
		{"unit election_day (csv)", u01A2.KeyPos("election_day"), csv(3, 53)},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got, c.want)
		}
	}
}
