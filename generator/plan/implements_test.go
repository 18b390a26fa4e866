package plan_test

import (
	"strings"
	"testing"

	"checkgen/generator/plan"
)

// implementsSite: a statutory task (law/committees, E-105) and a
// provincial plan's task carrying it out (qn/ec), bound to P1 only by the
// plan's scope; P2 gets the statutory task alone. D3 has the tag that
// keeps the statutory task off its list, so only the implementing task
// reaches it.
func implementsSite() map[string]string {
	return map[string]string{
		"content/units.toml": `[[unit]]
code  = "P1"
name  = "Tỉnh Một"
level = "province"
place = "Một"

[[unit]]
code   = "D1"
parent = "P1"
name   = "Huyện Đông"
level  = "district"
election_day = 2021-05-22

[[unit]]
code   = "D3"
parent = "P1"
name   = "Quận Ba"
level  = "district"
tags   = ["no-council"]

[[unit]]
code  = "P2"
name  = "Tỉnh Hai"
level = "province"
place = "Hai"
`,
		"content/units.csv": "(none)",
		"content/plans/law.toml": `number = "85/2015/QH13"
date   = 2015-06-25
title  = "Luật"

[[task]]
id          = "committees"
title       = "Thành lập Ủy ban bầu cử"
levels      = ["province", "district"]
responsible = "committee"
due         = "E-105"
unless      = ["no-council"]

[[task]]
id          = "lists"
title       = "Niêm yết danh sách cử tri"
levels      = ["district"]
responsible = "committee"
due         = "E-40"
from        = "site"
`,
		"content/plans/qn.toml": `number = "10-KH/TU"
date   = 2020-10-23
title  = "Kế hoạch"
scope  = ["P1"]

[[task]]
id          = "ec"
title       = "Thành lập Ủy ban bầu cử tỉnh, cấp huyện"
levels      = ["province", "district"]
responsible = "committee"
due         = 2021-02-10
implements  = "law/committees"
`,
	}
}

func TestImplements(t *testing.T) {
	files := implementsSite()
	delete(files, "content/units.csv")
	fsys := formsSite(files)
	delete(fsys, "content/units.csv")
	delete(fsys, "content/plans/p.toml")
	m := openSite(t, fsys)
	keys := func(c *plan.Checklist) []string {
		var ks []string
		for _, e := range c.Entries {
			k := e.Task.Key()
			if e.Also != nil {
				k += "+" + e.Also.Key()
			}
			ks = append(ks, k)
		}
		return ks
	}
	law, qn := m.Tasks[0], m.Tasks[2]
	if law.Key() != "law/committees" || qn.Key() != "qn/ec" || qn.ImplementsTask != law {
		t.Fatalf("tasks %s %s, implements %v", law.Key(), qn.Key(), qn.ImplementsTask)
	}
	// E = 2021-05-23; E-105 = 2021-02-07, earlier than qn/ec's due.
	statutory := plan.Date{Year: 2021, Month: 2, Day: 7}
	for _, tt := range []struct {
		code  string
		want  []string
		limit plan.Date // of the qn/ec entry, when listed
	}{
		{"P1", []string{"qn/ec+law/committees"}, statutory},
		// D1 votes a day early: the statutory due moves with it.
		{"D1", []string{"qn/ec+law/committees", "law/lists"}, statutory.AddDays(-1)},
		// Only the implementing task reaches D3: listed without Also and
		// without a limit of its own.
		{"D3", []string{"qn/ec", "law/lists"}, plan.Date{}},
		// Only the statutory task reaches P2.
		{"P2", []string{"law/committees"}, plan.Date{}},
	} {
		c := m.Unit(tt.code).Checklist
		if got := keys(c); !equalStrings(got, tt.want) {
			t.Errorf("%s entries = %v, want %v", tt.code, got, tt.want)
			continue
		}
		e := c.Entries[0]
		switch {
		case tt.limit.IsZero() && e.Limit != nil:
			t.Errorf("%s: %s has limit %s, want none", tt.code, e.Task.Key(), e.Limit)
		case !tt.limit.IsZero() && (e.Limit == nil || e.Limit.Date != tt.limit):
			t.Errorf("%s: %s limit = %v, want %s", tt.code, e.Task.Key(), e.Limit, tt.limit)
		}
	}
	if got := keys(m.Level("province").Checklist); !equalStrings(got, []string{"qn/ec+law/committees"}) {
		t.Errorf("province level entries = %v", got)
	}
	// The Căn cứ list: both plans, oldest first, also where the
	// statutory task is only cited.
	var ids []string
	for _, p := range m.Unit("P1").Checklist.Plans() {
		ids = append(ids, p.ID)
	}
	if !equalStrings(ids, []string{"law", "qn"}) {
		t.Errorf("P1 plans = %v, want [law qn]", ids)
	}
	// The timeline lists every task.
	if len(m.Timeline) != 3 {
		t.Errorf("timeline holds %d entries, want 3", len(m.Timeline))
	}
	// from = "site": D1 votes on 22/5 but the list's E-40 counts from the
	// site's 23/5: 2021-04-13.
	for _, e := range m.Unit("D1").Checklist.Entries {
		if e.Task.ID == "lists" && e.Due.Date != (plan.Date{Year: 2021, Month: 4, Day: 13}) {
			t.Errorf("D1 lists due = %s, want 2021-04-13 (from the site's election day)", e.Due)
		}
	}
	// Both reach: the version differs from a checklist listing qn/ec alone.
	if m.Unit("P1").Checklist.Version == m.Unit("D3").Checklist.Version {
		t.Error("P1 and D3 share a version")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBodyNames: a body is named per level where [body.names] says so,
// and a checklist's version follows the names of its own level only.
func TestBodyNames(t *testing.T) {
	bodies := `[[body]]
id   = "committee"
name = "Ủy ban"

[[body]]
id     = "police"
name   = "Công an"
levels = ["province", "district", "commune", "polling"]
[body.names]
province = "Công an cấp tỉnh"
polling  = "Công an cấp xã"
`
	plan1 := `number = "1/KH"
title  = "Kế hoạch"

[[task]]
id          = "a"
title       = "Việc"
levels      = ["province", "district", "polling"]
responsible = "police"
`
	m := openSite(t, formsSite(map[string]string{"content/bodies.toml": bodies, "content/plans/p.toml": plan1}))
	police := m.Body("police")
	for level, want := range map[string]string{"province": "Công an cấp tỉnh", "district": "Công an", "polling": "Công an cấp xã"} {
		if got := police.NameAt(level); got != want {
			t.Errorf("NameAt(%q) = %q, want %q", level, got, want)
		}
		if c := m.Level(level).Checklist; c.Level != m.Level(level) {
			t.Errorf("level %s checklist's Level = %v", level, c.Level)
		}
	}
	renamed := strings.Replace(bodies, `polling  = "Công an cấp xã"`, `polling  = "Công an xã"`, 1)
	m2 := openSite(t, formsSite(map[string]string{"content/bodies.toml": renamed, "content/plans/p.toml": plan1}))
	for _, l := range []string{"province", "district", "polling"} {
		changed := m.Level(l).Checklist.Version != m2.Level(l).Checklist.Version
		if changed != (l == "polling") {
			t.Errorf("renaming the polling name: level %s version changed = %v", l, changed)
		}
	}
}
