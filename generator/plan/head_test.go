package plan_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/plan"
)

// formsSite is a site whose heads come from every kind of form: the
// site's [form], a level's [level.form] and a unit's [unit.form].
func formsSite(extra map[string]string) fstest.MapFS {
	files := map[string]string{
		"content/site.toml": `title        = "Bầu cử thử"
election_day = 2021-05-23

[[level]]
id   = "province"
name = "Cấp tỉnh"
sign = ["NGƯỜI KIỂM TRA", { for = "TM. ỦY BAN BẦU CỬ", title = "CHỦ TỊCH" }]

[[level]]
id   = "district"
name = "Cấp huyện"
[level.form]
left   = ["ỦY BAN BẦU CỬ", "{NAME}"]
number = "    /DMKT-UBBC"

[[level]]
id   = "commune"
name = "Cấp xã"

[[level]]
id   = "polling"
name = "Khu vực bỏ phiếu"
sign = [{ for = "TM. TỔ BẦU CỬ", title = "TỔ TRƯỞNG", note = "(Ký, ghi rõ họ tên, đóng dấu)" }, "THƯ KÝ"]
[level.form]
left  = ["UBND {NAME:commune}", "TỔ BẦU CỬ {NAME}"]
place = "{name:district}"

[form]
left    = ["HỘI ĐỒNG"]
right   = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
place   = "{place}"
subject = "Kiểm tra tại {name} ({code})"
`,
		"content/bodies.toml": `[[body]]
id   = "committee"
name = "Ủy ban"
`,
		"content/units.toml": `[[unit]]
code  = "P1"
name  = "Tỉnh Một"
level = "province"
place = "Một"
[unit.form]
left   = ["ỦY BAN BẦU CỬ", "{NAME}"]
issued = 2021-03-10
rule   = "star"

[[unit]]
code   = "D1"
parent = "P1"
name   = "Huyện Đông"
level  = "district"

[[unit]]
code  = "P2"
name  = "Tỉnh Hai"
level = "province"
place = "Hai"

[[unit]]
code   = "D2"
parent = "P2"
name   = "Huyện đảo Đá"
level  = "district"

[[unit]]
code   = "C2"
parent = "D2"
name   = "Xã Đồng Đăng"
level  = "commune"
place  = "Đồng Đăng"
[unit.form]
number = "    /DMKT-UBND"
`,
		"content/units.csv": `code,parent,level,name,tags,election_day
C2-1,C2,polling,Khu vực số 1,,
`,
		"content/plans/p.toml": `number = "1/KH"
title  = "Kế hoạch"

[[task]]
id          = "a"
title       = "Việc"
levels      = ["province"]
responsible = "committee"
`,
	}
	for k, v := range extra {
		files[k] = v
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fsys
}

func openSite(t *testing.T, fsys fstest.MapFS) *plan.Model {
	t.Helper()
	m, err := plan.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var motto = []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}

// TestHeadKeyByKey resolves each key of a unit's head from the nearest
// form that writes it: the unit's own [unit.form] (P1, C2), an ancestor's
// (D1 from P1), its level's [level.form] (D2), the site's [form] (P2),
// with the placeholders filled for the unit at every level.
func TestHeadKeyByKey(t *testing.T) {
	m := openSite(t, formsSite(nil))
	issued := &plan.Date{Year: 2021, Month: 3, Day: 10}
	tests := []struct {
		code string
		want plan.Head
	}{
		// Its own [unit.form]: left, issued, rule; place and subject from [form].
		{"P1", plan.Head{Left: []string{"ỦY BAN BẦU CỬ", "TỈNH MỘT"}, Right: motto, Rule: "star", Place: "Một", Issued: issued, Subject: "Kiểm tra tại Tỉnh Một (P1)"}},
		// Its province's [unit.form] wins over its level's left, filled for
		// D1 itself; number from [level.form]; place inherited from P1.
		{"D1", plan.Head{Left: []string{"ỦY BAN BẦU CỬ", "HUYỆN ĐÔNG"}, Right: motto, Rule: "star", Place: "Một", Issued: issued, Number: "    /DMKT-UBBC", Subject: "Kiểm tra tại Huyện Đông (D1)"}},
		// No [unit.form] above: the site's [form], its level having none.
		{"P2", plan.Head{Left: []string{"HỘI ĐỒNG"}, Right: motto, Rule: "line", Place: "Hai", Subject: "Kiểm tra tại Tỉnh Hai (P2)"}},
		// Its level's [level.form]; Đ and đ in capitals.
		{"D2", plan.Head{Left: []string{"ỦY BAN BẦU CỬ", "HUYỆN ĐẢO ĐÁ"}, Right: motto, Rule: "line", Place: "Hai", Number: "    /DMKT-UBBC", Subject: "Kiểm tra tại Huyện đảo Đá (D2)"}},
		// Its own [unit.form] sets only number; its own place.
		{"C2", plan.Head{Left: []string{"HỘI ĐỒNG"}, Right: motto, Rule: "line", Place: "Đồng Đăng", Number: "    /DMKT-UBND", Subject: "Kiểm tra tại Xã Đồng Đăng (C2)"}},
		// A CSV unit: number from C2's [unit.form], left and place from
		// its level's form naming its commune and district.
		{"C2-1", plan.Head{Left: []string{"UBND XÃ ĐỒNG ĐĂNG", "TỔ BẦU CỬ KHU VỰC SỐ 1"}, Right: motto, Rule: "line", Place: "Huyện đảo Đá", Number: "    /DMKT-UBND", Subject: "Kiểm tra tại Khu vực số 1 (C2-1)"}},
	}
	for _, tt := range tests {
		u := m.Unit(tt.code)
		if u == nil || u.Head == nil {
			t.Fatalf("unit %s: no head", tt.code)
		}
		if !reflect.DeepEqual(*u.Head, tt.want) {
			t.Errorf("unit %s head =\n%#v\nwant\n%#v", tt.code, *u.Head, tt.want)
		}
	}
	if got := m.Unit("C2-1").PlaceOf(); got != "Đồng Đăng" {
		t.Errorf("C2-1 PlaceOf() = %q, want its commune's place", got)
	}
}

// TestLevelHead: a level's papers take its [level.form], else the site's
// [form], with every placeholder left blank to fill in by hand.
func TestLevelHead(t *testing.T) {
	m := openSite(t, formsSite(nil))
	b := plan.Blank
	tests := []struct {
		level string
		want  plan.Head
	}{
		{"province", plan.Head{Left: []string{"HỘI ĐỒNG"}, Right: motto, Rule: "line", Place: b, Subject: "Kiểm tra tại " + b + " (" + b + ")"}},
		{"district", plan.Head{Left: []string{"ỦY BAN BẦU CỬ", b}, Right: motto, Rule: "line", Place: b, Number: "    /DMKT-UBBC", Subject: "Kiểm tra tại " + b + " (" + b + ")"}},
		{"polling", plan.Head{Left: []string{"UBND " + b, "TỔ BẦU CỬ " + b}, Right: motto, Rule: "line", Place: b, Subject: "Kiểm tra tại " + b + " (" + b + ")"}},
	}
	for _, tt := range tests {
		if got := m.Level(tt.level).Head; got == nil || !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("level %s head = %#v, want %#v", tt.level, got, tt.want)
		}
	}
}

// TestSigners reads sign entries as roles and {for, title, note} tables.
func TestSigners(t *testing.T) {
	m := openSite(t, formsSite(nil))
	want := []plan.Signer{{For: "TM. TỔ BẦU CỬ", Title: "TỔ TRƯỞNG", Note: "(Ký, ghi rõ họ tên, đóng dấu)"}, {Title: "THƯ KÝ"}}
	if got := m.Level("polling").Signers; !reflect.DeepEqual(got, want) {
		t.Errorf("polling signers = %#v, want %#v", got, want)
	}
	if got := m.Level("polling").Sign; !reflect.DeepEqual(got, []string{"TỔ TRƯỞNG", "THƯ KÝ"}) {
		t.Errorf("polling sign = %q, want the titles", got)
	}
	want = []plan.Signer{{Title: "NGƯỜI KIỂM TRA"}, {For: "TM. ỦY BAN BẦU CỬ", Title: "CHỦ TỊCH"}}
	if got := m.Level("province").Signers; !reflect.DeepEqual(got, want) {
		t.Errorf("province signers = %#v, want %#v", got, want)
	}
}

// TestHeadDateLine: the issue date when the head has one, else a blank
// line with the election year; the place first.
func TestHeadDateLine(t *testing.T) {
	m := openSite(t, formsSite(nil))
	for code, want := range map[string]string{
		"P1": "Một, ngày 10 tháng 3 năm 2021",
		"P2": "Hai, ngày ... tháng ... năm 2021",
	} {
		if got := m.Site.HeadDateLine(m.Unit(code).Head); got != want {
			t.Errorf("HeadDateLine(%s) = %q, want %q", code, got, want)
		}
	}
	if got := m.Site.HeadDateLine(&plan.Head{Issued: &plan.Date{Year: 2021, Month: 2, Day: 7}}); got != "Ngày 07 tháng 02 năm 2021" {
		t.Errorf("HeadDateLine without a place = %q", got)
	}
}

// TestVersionIgnoresHead: re-issuing papers with another head, number,
// subject or issue date keeps every checklist's version.
func TestVersionIgnoresHead(t *testing.T) {
	m1 := openSite(t, formsSite(nil))
	site := string(formsSite(nil)["content/site.toml"].Data)
	site = strings.Replace(site, `left    = ["HỘI ĐỒNG"]`, `left    = ["KHÁC"]
number  = "12/DMKT"
issued  = 2021-04-01`, 1)
	site = strings.Replace(site, "Kiểm tra tại", "Rà soát tại", 1)
	m2 := openSite(t, formsSite(map[string]string{"content/site.toml": site}))
	if reflect.DeepEqual(m1.Unit("P2").Head, m2.Unit("P2").Head) {
		t.Fatal("the edit did not change P2's head")
	}
	for _, u := range m1.Units {
		if v1, v2 := u.Checklist.Version, m2.Unit(u.Code).Checklist.Version; v1 != v2 {
			t.Errorf("unit %s: version %s became %s when only the head changed", u.Code, v1, v2)
		}
	}
}

// TestHeadsShared: units whose heads come out equal share one.
func TestHeadsShared(t *testing.T) {
	units := `[[unit]]
code  = "P"
name  = "Tỉnh"
level = "province"
[[unit]]
code   = "D"
parent = "P"
name   = "Huyện"
level  = "district"
[[unit]]
code   = "C"
parent = "D"
name   = "Xã"
level  = "commune"
`
	csv := "code,parent,level,name,tags,election_day\nC-1,C,polling,Khu vực,,\nC-2,C,polling,Khu vực,,\n"
	site := strings.Replace(string(formsSite(nil)["content/site.toml"].Data), `place   = "{place}"`, "", 1)
	site = strings.Replace(site, `subject = "Kiểm tra tại {name} ({code})"`, "", 1)
	m := openSite(t, formsSite(map[string]string{"content/site.toml": site, "content/units.toml": units, "content/units.csv": csv}))
	if a, b := m.Unit("C-1").Head, m.Unit("C-2").Head; a != b {
		t.Errorf("two polling areas with equal heads hold %p and %p", a, b)
	}
}
