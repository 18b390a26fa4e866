package site

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gmrenderer "github.com/yuin/goldmark/renderer"

	"checkgen/generator/plan"
)

func TestMarkdown(t *testing.T) {
	md := newMarkdown()
	for _, tc := range []struct {
		name, src    string
		want, reject []string
	}{
		{"emphasis", "**đậm** và *nghiêng*", []string{"<strong>đậm</strong>", "<em>nghiêng</em>"}, nil},
		{"raw html block", "<script>alert(1)</script>", []string{"<!-- raw HTML omitted -->"}, []string{"<script"}},
		{"raw html inline", "a <img src=x onerror=alert(1)> b", []string{"a <!-- raw HTML omitted --> b"}, []string{"<img", "onerror"}},
		{"javascript link", "[x](javascript:alert(1))", []string{`<a href="">x</a>`}, []string{"javascript:"}},
		{"mixed case", "[x](JavaScript:alert(1))", []string{`<a href="">x</a>`}, []string{"avascript:"}},
		{"entity", "[x](&#x6A;avascript:alert(1))", []string{`<a href="">x</a>`}, []string{"avascript:"}},
		{"vbscript", "[x](vbscript:msgbox)", []string{`<a href="">x</a>`}, []string{"vbscript"}},
		{"autolink", "<javascript:alert(1)>", []string{`href=""`}, []string{`href="javascript`}},
		{"web link kept", "[luật](https://example.org/a?b=1&c=2)", []string{`<a href="https://example.org/a?b=1&amp;c=2">luật</a>`}, nil},
		{"image becomes link", "![ảnh](http://evil.example/x.png)", []string{`<a href="http://evil.example/x.png">ảnh</a>`}, []string{"<img"}},
		{"heading shifted, Vietnamese id", "# Bảo đảm an ninh, trật tự\n\n## Đội 2", []string{`<h4 id="p.t.bao-dam-an-ninh-trat-tu">`, `<h5 id="p.t.doi-2">`}, []string{"<h1", "<h2"}},
		{"duplicate ids", "# A\n\n# A", []string{`id="p.t.a"`, `id="p.t.a-1"`}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<th>a</th>", "<td>2</td>"}, nil},
		{"task list", "- [x] xong\n- [ ] chưa", []string{"&#x2611;", "&#x2610;"}, []string{"<input"}},
		{"strikethrough", "~~bỏ~~", []string{"<del>bỏ</del>"}, nil},
		{"empty", "  \n", nil, []string{"<"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := md.render(tc.src, "p.t.")
			if err != nil {
				t.Fatal(err)
			}
			got := string(h)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("render(%q) = %q, want it to contain %q", tc.src, got, w)
				}
			}
			for _, r := range tc.reject {
				if strings.Contains(got, r) {
					t.Errorf("render(%q) = %q, contains %q", tc.src, got, r)
				}
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Khu vực bỏ phiếu số 3", "khu-vuc-bo-phieu-so-3"},
		{"Đảm bảo AN NINH – trật tự!", "dam-bao-an-ninh-trat-tu"},
		{"  Ủy ban bầu cử  ", "uy-ban-bau-cu"},
		{"Điều 61", "dieu-61"},
		{"日本", "日本"},
		{"Москва, Площадь", "москва-площадь"},
		{"Ærø Straße", "aero-strasse"},
	} {
		if got := slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// failingRenderer stands for a Markdown renderer that fails, which
// goldmark's own does not do on any text.
type failingRenderer struct{}

func (failingRenderer) Render(io.Writer, []byte, ast.Node) error { return errors.New("cannot render") }
func (failingRenderer) AddOptions(...gmrenderer.Option)          {}

// TestMarkdownErrorPlace checks that a Markdown failure points at the key
// that holds the text: the line of "details =" in the task, the line of
// "summary =" in the plan, not the [[task]] header or line 1.
func TestMarkdownErrorPlace(t *testing.T) {
	fsys := starterFS(t)
	const file = "content/plans/preparation.toml"
	src := string(fsys[file].Data)
	lineOf := func(prefix string) int {
		for i, l := range strings.Split(src, "\n") {
			if strings.HasPrefix(l, prefix) {
				return i + 1
			}
		}
		t.Fatalf("%s has no line starting %q", file, prefix)
		return 0
	}
	m := open(t, fsys)
	r := &renderer{m: m, md: &markdown{md: goldmark.New(goldmark.WithRenderer(failingRenderer{}))},
		details: map[*plan.Task]template.HTML{}, summary: map[*plan.Plan]template.HTML{}}
	err := r.renderContent()
	var list plan.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("renderContent() = %v, want a plan.ErrorList", err)
	}
	want := map[string]bool{
		fmt.Sprintf("%s:%d:", file, lineOf("summary ")): false,
		fmt.Sprintf("%s:%d:", file, lineOf("details ")): false,
	}
	for _, e := range list {
		for w := range want {
			if strings.HasPrefix(e.Error(), w) {
				want[w] = true
			}
		}
	}
	for w, ok := range want {
		if !ok {
			t.Errorf("no error at %s in:\n%v", w, err)
		}
	}
}
