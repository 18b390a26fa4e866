package site

import (
	"bytes"
	"html/template"
	"strings"

	"checkgen/generator/plan"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	gmrenderer "github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders the Markdown of content (plan summaries, task details)
// to safe HTML: GitHub-flavoured, raw HTML dropped, script links emptied
// (goldmark's defaults, never WithUnsafe), images turned into plain links
// so that no page loads anything from outside, and heading ids readable
// for Vietnamese ("Bảo đảm an ninh" -> "bao-dam-an-ninh").
type markdown struct {
	md goldmark.Markdown
}

func newMarkdown() *markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(contentTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(
			gmrenderer.WithNodeRenderers(util.Prioritized(taskBoxRenderer{}, 100)),
		),
	)
	return &markdown{md: md}
}

// render converts src; prefix keeps the heading ids of different texts on
// one page apart.
func (m *markdown) render(src, prefix string) (template.HTML, error) {
	if strings.TrimSpace(src) == "" {
		return "", nil
	}
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(newIDs(prefix)))
	if err := m.md.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return "", err
	}
	// goldmark escapes all text and drops raw HTML: the result is safe.
	return template.HTML(buf.String()), nil
}

// ids makes heading ids from text: letters lose their diacritics (đ -> d),
// anything else becomes a hyphen, duplicates get -1, -2.
type ids struct {
	prefix string
	used   map[string]bool
}

func newIDs(prefix string) *ids { return &ids{prefix: prefix, used: map[string]bool{}} }

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := s.prefix + slug(string(value))
	if base == s.prefix {
		base = s.prefix + "heading"
	}
	id := base
	for n := 1; s.used[id]; n++ {
		id = base + "-" + itoa(n)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// slug makes an id of text: its words as the unit search folds them
// (fold: "Bảo đảm" -> "bao", "dam"; "Москва" stays), joined by hyphens.
func slug(s string) string {
	return strings.Join(searchWords(s), "-")
}

// headingShift moves the headings of content below the page's own: a
// "# Heading" in a task's details becomes an h4, so that a page keeps its
// one h1 and its outline.
const headingShift = 3

// contentTransformer fits content into a page: headings move down by
// headingShift, and every image becomes a link to it with its alt text,
// since an image from elsewhere would make the page send a request out.
type contentTransformer struct{}

func (contentTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			images = append(images, n)
		case *ast.Heading:
			n.Level = min(n.Level+headingShift, 6)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// taskBoxRenderer draws GFM task-list boxes ("- [x] done") as a glyph
// rather than an unlabelled, disabled form control.
type taskBoxRenderer struct{}

func (taskBoxRenderer) RegisterFuncs(reg gmrenderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindTaskCheckBox, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if n.(*extast.TaskCheckBox).IsChecked {
				w.WriteString(`<span class="tick" aria-hidden="true">&#x2611;</span> `)
			} else {
				w.WriteString(`<span class="tick" aria-hidden="true">&#x2610;</span> `)
			}
		}
		return ast.WalkContinue, nil
	})
}

// Check returns a warning for each Markdown text of m (a plan's summary, a
// task's details) that holds raw HTML, which the pages drop: the author
// sees it at the key that holds it, at check and at build alike, instead
// of finding the text missing from the page.
func Check(m *plan.Model) plan.ErrorList {
	md := newMarkdown().md
	var list plan.ErrorList
	check := func(src string, pos plan.Pos, key string) {
		if !strings.Contains(src, "<") {
			return
		}
		b := []byte(src)
		doc := md.Parser().Parse(text.NewReader(b))
		var raw []string
		ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.HTMLBlock:
				if n.Lines().Len() > 0 {
					seg := n.Lines().At(0)
					raw = append(raw, string(seg.Value(b)))
				}
			case *ast.RawHTML:
				if n.Segments.Len() > 0 {
					seg := n.Segments.At(0)
					raw = append(raw, string(seg.Value(b)))
				}
			}
			return ast.WalkContinue, nil
		})
		if len(raw) == 0 {
			return
		}
		first := strings.TrimSpace(raw[0])
		if r := []rune(first); len(r) > 40 {
			first = string(r[:40]) + "…"
		}
		list.Add(pos, "warning: %s holds raw HTML (%s), which the pages drop: write it in Markdown (**bold**, - lists, [text](link))", key, first)
	}
	for _, p := range m.Plans {
		check(p.Summary, p.KeyPos("summary"), "summary")
		for _, t := range p.Tasks {
			check(t.Details, t.KeyPos("details"), "details")
		}
	}
	return list
}
