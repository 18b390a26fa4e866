package plan

import "testing"

// TestReturnBy: a level's return_by resolves per unit against the unit's
// own election day, as a due does; a level without one gives nil.
func TestReturnBy(t *testing.T) {
	m := openCase(t,
		file("content/site.toml", `title        = "Test site"
language     = "en"
election_day = 2021-05-23
[[level]]
id   = "province"
name = "Province"
[[level]]
id        = "district"
name      = "District"
return_by = "E+3 17:00"
[[level]]
id        = "polling"
name      = "Polling area"
return_by = "E+1"
[[category]]
id   = "security"
name = "Security"
`),
		file("content/units.toml", `
[[unit]]
code = "01"
name = "Province"
level = "province"
[[unit]]
code = "01-A"
parent = "01"
name = "District"
level = "district"
`),
		file("content/units.csv", "code,parent,level,name,tags,election_day\n01-A-1,01-A,polling,Area 1,,\n01-A-2,01-A,polling,Area 2,,2021-05-22\n"),
	)
	want := map[string]string{"01": "", "01-A": "2021-05-26 17:00 (E+3)", "01-A-1": "2021-05-24 (E+1)", "01-A-2": "2021-05-23 (E+1)"}
	for code, w := range want {
		got := ""
		if mo := m.Unit(code).ReturnBy(); mo != nil {
			got = mo.Date.String()
			if c := mo.Clock(); c != "" {
				got += " " + c
			}
			got += " (" + mo.Relative() + ")"
		}
		if got != w {
			t.Errorf("unit %s: return by %q, want %q", code, got, w)
		}
	}
}
