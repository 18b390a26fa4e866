package pdf

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"checkgen/generator/plan"
)

// provincesFS is a Vietnamese site of three provinces, each issuing its own
// papers: Bắc Kạn under the site's [form], with a blank date line; Hà Nội
// with its own [unit.form] (number, issue date), inherited by its ward
// and polling area; Quảng Ninh's party committee (rule = "star"). A
// plan's task carries out a statutory one; the police are named per level.
func provincesFS() fstest.MapFS {
	return fstest.MapFS{
		"content/site.toml": {Data: []byte(`title = "Bầu cử thử"
language = "vi"
election_day = 2021-05-23
organisation = "Ủy ban bầu cử"

[[level]]
id = "province"
name = "Cấp tỉnh"
sign = ["CHỦ TỊCH"]

[[level]]
id = "commune"
name = "Cấp xã"

[[level]]
id = "polling"
name = "Khu vực bỏ phiếu"
sign = [{ for = "TM. TỔ BẦU CỬ", title = "TỔ TRƯỞNG", note = "(Ký, ghi rõ họ tên, đóng dấu)" }, "THƯ KÝ"]

[form]
left = ["ỦY BAN BẦU CỬ", "{NAME:province}"]
right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
place = "{place}"
subject = "Công tác chuẩn bị bầu cử"
`)},
		"content/bodies.toml": {Data: []byte(`[[body]]
id = "team"
name = "Tổ bầu cử"

[[body]]
id = "committee"
name = "Ủy ban bầu cử"

[[body]]
id = "police"
name = "Công an"
[body.names]
province = "Công an tỉnh"
polling = "Công an xã"
`)},
		"content/units.toml": {Data: []byte(`[[unit]]
code = "BK"
name = "Tỉnh Bắc Kạn"
level = "province"
place = "Bắc Kạn"

[[unit]]
code = "BK-1"
parent = "BK"
name = "Xã Một"
level = "commune"

[[unit]]
code = "BK-1-1"
parent = "BK-1"
name = "Khu vực bỏ phiếu số 1 xã Một"
level = "polling"

[[unit]]
code = "HN"
name = "Thành phố Hà Nội"
level = "province"
place = "Hà Nội"
[unit.form]
left = ["ỦY BAN BẦU CỬ", "THÀNH PHỐ HÀ NỘI"]
issued = 2021-03-10
number = "12/KH-UBBC"

[[unit]]
code = "HN-1"
parent = "HN"
name = "Phường Lê Đại Hành"
level = "commune"

[[unit]]
code = "HN-1-1"
parent = "HN-1"
name = "Khu vực bỏ phiếu số 1 phường Lê Đại Hành"
level = "polling"

[[unit]]
code = "QN"
name = "Tỉnh Quảng Ninh"
level = "province"
place = "Quảng Ninh"
[unit.form]
left = ["TỈNH ỦY QUẢNG NINH"]
right = ["ĐẢNG CỘNG SẢN VIỆT NAM"]
rule = "star"
number = "10-KH/TU"
`)},
		"content/plans/luat.toml": {Data: []byte(`number = "85/2015/QH13"
date = 2015-06-25
issuer = "Quốc hội"
title = "Luật Bầu cử"

[[task]]
id = "committees"
title = "Thành lập Ủy ban bầu cử theo luật"
levels = ["province"]
responsible = "committee"
due = "E-105"
basis = ["Điều 22"]
`)},
		"content/plans/kh.toml": {Data: []byte(`number = "23/KH-UBBC"
date = 2021-03-04
issuer = "Ủy ban bầu cử tỉnh"
title = "Kế hoạch triển khai công tác bầu cử"

[[task]]
id = "ubbc"
title = "Thành lập Ủy ban bầu cử tỉnh"
levels = ["province"]
responsible = "committee"
due = "E-100"
implements = "luat/committees"

[[task]]
id = "security"
title = "Bảo vệ an ninh khu vực bỏ phiếu"
levels = ["province", "polling"]
responsible = "police"
due = "E-1"
basis = ["Điều 25"]
items = ["Tuần tra", "Phòng cháy"]
`)},
	}
}

// TestHeads renders the three provinces' PDFs and reads what each paper
// says: its own issuer, place, number, date line and subject; Căn cứ; body
// names at its level; signers; one row for a task that carries out a
// statutory one.
func TestHeads(t *testing.T) {
	m := open(t, provincesFS())
	dest := render(t, m, Options{Units: m.Units})
	text := func(rel string) string {
		t.Helper()
		return squeeze(strings.Join(pageTexts(t, readFile(t, filepath.Join(dest, "pdf", rel))), "\n"))
	}
	for _, tc := range []struct {
		rel          string
		want, unwant []string
	}{
		{"units/HN-1-1.pdf", []string{
			"ỦY BAN BẦU CỬ", "THÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"Số: 12/KH-UBBC", "Hà Nội, ngày 10 tháng 3 năm 2021", "DANH MỤC KIỂM TRA", "Công tác chuẩn bị bầu cử",
			"Căn cứ:", "- 23/KH-UBBC, 04/03/2021, Ủy ban bầu cử tỉnh: Kế hoạch triển khai công tác bầu cử",
			"Bảo vệ an ninh khu vực bỏ phiếu (23/KH-UBBC)", "Căn cứ: Điều 25", "Công an xã",
			"TM. TỔ BẦU CỬ", "TỔ TRƯỞNG", "(Ký, ghi rõ họ tên, đóng dấu)", "THƯ KÝ", "(Ký, ghi rõ họ tên)",
			"Đã xong", "Chưa xong", "Không áp dụng",
		}, []string{"Bắc Kạn", "BẮC KẠN", "Công an tỉnh", "85/2015/QH13", "Trang"}},
		{"units/BK-1-1.pdf", []string{
			"ỦY BAN BẦU CỬ", "TỈNH BẮC KẠN", "Bắc Kạn, ngày ... tháng ... năm 2021", "Công tác chuẩn bị bầu cử", "Công an xã",
		}, []string{"Hà Nội", "HÀ NỘI", "Số:"}},
		{"units/HN.pdf", []string{
			"THÀNH PHỐ HÀ NỘI", "Hà Nội, ngày 10 tháng 3 năm 2021", "Số: 12/KH-UBBC",
			"- 85/2015/QH13, 25/06/2015, Quốc hội: Luật Bầu cử - 23/KH-UBBC, 04/03/2021", "STT",
			"Thành lập Ủy ban bầu cử tỉnh (23/KH-UBBC; 85/2015/QH13)", "Căn cứ: Điều 22", "Công an tỉnh", "CHỦ TỊCH",
		}, []string{"Thành lập Ủy ban bầu cử theo luật", "Công an xã"}},
		{"units/QN.pdf", []string{
			"TỈNH ỦY QUẢNG NINH", "*", "Số 10-KH/TU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Quảng Ninh, ngày ... tháng ... năm 2021",
		}, []string{"CỘNG HÒA", "Độc lập", "Số:"}},
		{"levels/polling.pdf", []string{
			"ỦY BAN BẦU CỬ", "..........", "ngày ... tháng ... năm 2021", "Công an xã", "TM. TỔ BẦU CỬ",
		}, []string{"Bắc Kạn", "Hà Nội"}},
	} {
		got := text(tc.rel)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", tc.rel, w, got)
			}
		}
		for _, w := range tc.unwant {
			if strings.Contains(got, w) {
				t.Errorf("%s says %q:\n%s", tc.rel, w, got)
			}
		}
	}
	// The implementing task is one row: its province's checklist has the
	// two plan tasks, not three.
	hn := m.Unit("HN").Checklist
	if len(hn.Entries) != 2 {
		t.Fatalf("HN's checklist has %d entries, want 2", len(hn.Entries))
	}
	tb := newForm(m, mustFonts(t), m.Site.ElectionDay.Time()).table(hn, false)
	if len(tb.rows) != 2 {
		t.Errorf("HN's table has %d rows, want 2", len(tb.rows))
	}
}

// TestVersionIgnoresHead: re-issuing a paper (a new issue date, number,
// issuer or subject) keeps its checklist version, so that sheets returned
// against the old paper still count; a task's new title changes it.
func TestVersionIgnoresHead(t *testing.T) {
	base := provincesFS()
	versions := func(fsys fstest.MapFS) map[string]string {
		t.Helper()
		m := open(t, fsys)
		v := map[string]string{}
		for _, u := range m.Units {
			v[u.Code] = u.Checklist.Version
		}
		for _, l := range m.Levels {
			v["level:"+l.ID] = l.Checklist.Version
		}
		return v
	}
	edit := func(name, old, new string) fstest.MapFS {
		t.Helper()
		fsys := fstest.MapFS{}
		for k, f := range base {
			fsys[k] = f
		}
		s := string(base[name].Data)
		if !strings.Contains(s, old) {
			t.Fatalf("%s has no %q", name, old)
		}
		fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		return fsys
	}
	v0 := versions(base)
	for _, tc := range []struct {
		name, file, old, new string
	}{
		{"issue date", "content/units.toml", "issued = 2021-03-10", "issued = 2021-04-01"},
		{"number", "content/units.toml", `number = "12/KH-UBBC"`, `number = "15/KH-UBBC"`},
		{"issuer", "content/units.toml", `"THÀNH PHỐ HÀ NỘI"]`, `"QUẬN HAI BÀ TRƯNG"]`},
		{"site subject", "content/site.toml", `subject = "Công tác chuẩn bị bầu cử"`, `subject = "Kiểm tra"`},
	} {
		if v := versions(edit(tc.file, tc.old, tc.new)); !reflect.DeepEqual(v, v0) {
			t.Errorf("a new %s changed checklist versions:\n%v\nwas\n%v", tc.name, v, v0)
		}
	}
	v := versions(edit("content/plans/kh.toml", `title = "Bảo vệ an ninh khu vực bỏ phiếu"`, `title = "Bảo vệ an ninh"`))
	for _, code := range []string{"HN", "HN-1-1", "BK-1-1", "level:polling"} {
		if v[code] == v0[code] {
			t.Errorf("a task's new title kept the version of %s (%s)", code, v[code])
		}
	}
	// The PDF prints the same version under the new date.
	m := open(t, edit("content/units.toml", "issued = 2021-03-10", "issued = 2021-04-01"))
	dest := render(t, m, Options{Units: []*plan.Unit{m.Unit("HN-1-1")}})
	text := squeeze(strings.Join(pageTexts(t, readFile(t, filepath.Join(dest, "pdf", "units", "HN-1-1.pdf"))), "\n"))
	for _, want := range []string{"Hà Nội, ngày 01 tháng 4 năm 2021", "Phiên bản danh mục: " + v0["HN-1-1"]} {
		if !strings.Contains(text, want) {
			t.Errorf("the re-issued PDF lacks %q", want)
		}
	}
}
