// Package benchtree writes the same synthetic election tree twice: as a
// Hugo site and as a checkgen site, so that a benchmark can build both on
// one machine in one run and compare them. It is the Go form of
// ../shared/bench/gen_hugo_site.py and gen_ours.py, with the same page
// shape (every polling area a checklist of Tasks tasks: title,
// responsible, deadline, a checkbox) and the same names, so that the
// figures stay comparable with those scripts'. Its output is a function
// of its inputs only.
package benchtree

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Shape is the tree: Provinces × Districts × Communes × Polling polling
// areas, each with a checklist of Tasks tasks (40 when 0).
type Shape struct {
	Provinces, Districts, Communes, Polling int
	Tasks                                   int
}

// Leaves is the number of polling areas.
func (s Shape) Leaves() int { return s.Provinces * s.Districts * s.Communes * s.Polling }

// Sections is the number of units above the polling areas.
func (s Shape) Sections() int {
	return s.Provinces + s.Provinces*s.Districts + s.Provinces*s.Districts*s.Communes
}

func (s Shape) tasks() int {
	if s.Tasks <= 0 {
		return 40
	}
	return s.Tasks
}

var taskTitles = []string{
	"Kiểm tra danh sách cử tri và niêm yết công khai",
	"Nhận phiếu bầu, hòm phiếu và con dấu của tổ bầu cử",
	"Bố trí phòng bỏ phiếu, buồng viết phiếu kín",
	"Treo ảnh, tiểu sử tóm tắt của người ứng cử",
	"Phân công thành viên tổ bầu cử trực tại khu vực bỏ phiếu",
	"Kiểm tra hòm phiếu phụ cho cử tri ốm đau, già yếu",
	"Lập biên bản mở hòm phiếu trước sự chứng kiến của cử tri",
	"Hướng dẫn cử tri thể lệ bầu cử và cách thức bỏ phiếu",
	"Đảm bảo an ninh trật tự tại khu vực bỏ phiếu",
	"Kiểm phiếu và lập biên bản kết quả kiểm phiếu",
}

var roles = []string{"Tổ trưởng", "Thư ký", "Tổ viên", "Công an xã", "UBND xã", "Ủy ban MTTQ"}

func taskTitle(t int) string {
	return fmt.Sprintf("%s (bước %d)", taskTitles[t%len(taskTitles)], t+1)
}

func deadline(t int) string { return fmt.Sprintf("2021-05-%02d", t%23+1) }

// WriteHugo writes the tree as a Hugo site in dir, which must not exist
// yet: a section page per province, district and commune and a leaf page
// per polling area whose front matter holds its tasks.
func WriteHugo(dir string, s Shape) error {
	w := newWriter(dir)
	w.file("hugo.toml", `baseURL = "https://example.org/"
title = "Checklist bầu cử"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
[markup.goldmark.renderer]
unsafe = false
`)
	w.file("layouts/baseof.html", `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<style>body{font-family:"DejaVu Sans",sans-serif;font-size:11pt;margin:1.5cm}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#eee}.cb{width:1.2em;height:1.2em;border:1px solid #000;display:inline-block}
@page{size:A4;margin:1.5cm}</style></head>
<body><nav>{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> / {{ end }}</nav>
{{ block "main" . }}{{ end }}</body></html>
`)
	w.file("layouts/single.html", `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<table><thead><tr><th>#</th><th>Nhiệm vụ</th><th>Người phụ trách</th><th>Hạn chót</th><th>Xong</th></tr></thead><tbody>
{{ range $i, $t := .Params.tasks }}<tr><td>{{ add $i 1 }}</td><td>{{ $t.task }}</td><td>{{ $t.responsible }}</td><td>{{ $t.deadline }}</td><td><input type="checkbox" aria-label="xong"></td></tr>
{{ end }}</tbody></table>
<p>Ký xác nhận: ____________________ Ngày: __________</p>{{ end }}
`)
	w.file("layouts/list.html", `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`)
	w.file("content/_index.md", "+++\ntitle = \"Toàn quốc\"\n+++\n")
	var b strings.Builder
	for p := 1; p <= s.Provinces; p++ {
		pd := fmt.Sprintf("content/tinh-%02d", p)
		w.file(pd+"/_index.md", fmt.Sprintf("+++\ntitle = \"Tỉnh %02d\"\n+++\n", p))
		for d := 1; d <= s.Districts; d++ {
			dd := fmt.Sprintf("%s/huyen-%02d", pd, d)
			w.file(dd+"/_index.md", fmt.Sprintf("+++\ntitle = \"Huyện %02d.%02d\"\n+++\n", p, d))
			for c := 1; c <= s.Communes; c++ {
				cd := fmt.Sprintf("%s/xa-%02d", dd, c)
				w.file(cd+"/_index.md", fmt.Sprintf("+++\ntitle = \"Xã %02d.%02d.%02d\"\n+++\n", p, d, c))
				for k := 1; k <= s.Polling; k++ {
					b.Reset()
					fmt.Fprintf(&b, "+++\ntitle = \"Khu vực bỏ phiếu số %d — Xã %02d.%02d.%02d\"\n\n", k, p, d, c)
					for t := range s.tasks() {
						fmt.Fprintf(&b, "[[tasks]]\ntask = \"%s\"\nresponsible = \"%s\"\ndeadline = \"%s\"\n\n", taskTitle(t), roles[(t+k)%len(roles)], deadline(t))
					}
					fmt.Fprintf(&b, "+++\n\nDanh sách công việc của **tổ bầu cử khu vực %d**. Đánh dấu khi hoàn thành.\n", k)
					w.file(fmt.Sprintf("%s/kv-%03d.md", cd, k), b.String())
				}
			}
		}
	}
	return w.err
}

// WriteOurs writes the tree as a checkgen site in dir, which must not
// exist yet: one plan whose tasks every polling area carries, a summary
// task for the levels above, and the units in content/units.csv.
func WriteOurs(dir string, s Shape) error {
	w := newWriter(dir)
	w.file("content/site.toml", `title        = "Checklist bầu cử"
language     = "vi"
election_day = 2021-05-23
organisation = "Hội đồng bầu cử quốc gia"
[[level]]
id = "province"
name = "Cấp tỉnh"
[[level]]
id = "district"
name = "Cấp huyện"
[[level]]
id = "commune"
name = "Cấp xã"
[[level]]
id = "polling"
name = "Khu vực bỏ phiếu"
`)
	w.file("content/bodies.toml", `[[body]]
id = "to-bau-cu"
name = "Tổ bầu cử"
levels = ["polling"]
[[body]]
id = "ubnd"
name = "Ủy ban nhân dân"
levels = ["province", "district", "commune"]
`)
	var b strings.Builder
	b.WriteString("number = \"1/KH-BENCH\"\ntitle  = \"Kế hoạch thử tải\"\n\n")
	for t := range s.tasks() {
		fmt.Fprintf(&b, "[[task]]\nid          = \"t%03d\"\ntitle       = %s\nlevels      = [\"polling\"]\nresponsible = \"to-bau-cu\"\ndue         = %s\n\n",
			t+1, strconv.Quote(taskTitle(t)), deadline(t))
	}
	b.WriteString("[[task]]\nid          = \"tong-hop\"\ntitle       = \"Tổng hợp báo cáo\"\nlevels      = [\"province\", \"district\", \"commune\"]\nresponsible = \"ubnd\"\ndue = \"E+3\"\n")
	w.file("content/plans/bench.toml", b.String())

	b.Reset()
	b.WriteString("code,parent,level,name,tags,election_day\n")
	for p := 1; p <= s.Provinces; p++ {
		pc := fmt.Sprintf("T%02d", p)
		fmt.Fprintf(&b, "%s,,province,Tỉnh %02d,,\n", pc, p)
		for d := 1; d <= s.Districts; d++ {
			dc := fmt.Sprintf("%s-H%02d", pc, d)
			fmt.Fprintf(&b, "%s,%s,district,Huyện %02d.%02d,,\n", dc, pc, p, d)
			for c := 1; c <= s.Communes; c++ {
				cc := fmt.Sprintf("%s-X%02d", dc, c)
				fmt.Fprintf(&b, "%s,%s,commune,Xã %02d.%02d.%02d,,\n", cc, dc, p, d, c)
				for k := 1; k <= s.Polling; k++ {
					fmt.Fprintf(&b, "%s-KV%03d,%s,polling,Khu vực bỏ phiếu số %d — Xã %02d.%02d.%02d,,\n", cc, k, cc, k, p, d, c)
				}
			}
		}
	}
	w.file("content/units.csv", b.String())
	return w.err
}

// writer writes files under a new root, keeping the first error.
type writer struct {
	root string
	err  error
}

func newWriter(root string) *writer {
	w := &writer{root: root}
	if _, err := os.Lstat(root); err == nil {
		w.err = fmt.Errorf("%s already exists: benchtree writes a new folder", root)
	}
	return w
}

func (w *writer) file(rel, text string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.root, filepath.FromSlash(rel))
	if w.err = os.MkdirAll(filepath.Dir(p), 0o755); w.err != nil {
		return
	}
	f, err := os.Create(p)
	if err != nil {
		w.err = err
		return
	}
	bw := bufio.NewWriter(f)
	bw.WriteString(text)
	if err := bw.Flush(); err != nil {
		w.err = err
	}
	if err := f.Close(); err != nil && w.err == nil {
		w.err = err
	}
}
