package report

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"unicode/utf8"

	"checkgen/generator/plan"
)

// Bar is one bar of a completion chart.
type Bar struct {
	Label    string
	Code     string
	Counts   Counts
	Returned int // units returned (of Expected) behind the bar
	Expected int
}

// maxBars bounds a chart: the worst units are drawn, the table below it
// holds every number.
const maxBars = 60

// chart draws completion per bar as an inline SVG: no script, no external
// resource, text as text (escaped), sorted worst first (units that
// returned nothing first, then by completion), at most maxBars bars. The
// numbers stay in the summary table; the chart is labelled for screen
// readers by its title.
func chart(m *plan.Model, title string, bars []Bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	sorted := distinctLabels(bars)
	share := func(b Bar) float64 {
		if b.Returned == 0 {
			return -1
		}
		s, ok := b.Counts.Completion()
		if !ok {
			return 2 // nothing applies: best
		}
		return s
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		si, sj := share(sorted[i]), share(sorted[j])
		if si != sj {
			return si < sj
		}
		return sorted[i].Code < sorted[j].Code
	})
	more := 0
	if len(sorted) > maxBars {
		more = len(sorted) - maxBars
		sorted = sorted[:maxBars]
	}
	const (
		labelW = 300
		barW   = 420
		textW  = 200
		rowH   = 22
		top    = 8
	)
	width := labelW + barW + textW
	height := top + rowH*len(sorted) + 24
	if more > 0 {
		height += rowH
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`, esc(title), width, height)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	for i, bar := range sorted {
		y := top + i*rowH
		label := bar.Label
		if utf8.RuneCountInString(label) > 40 {
			label = string([]rune(label)[:39]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="l">%s</text>`, labelW-8, y+15, esc(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="bg"/>`, labelW, y+3, barW, rowH-6)
		var text string
		switch s := share(bar); {
		case bar.Returned == 0:
			text = m.Label("returned_nothing")
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="none"/>`, labelW, y+3, barW, rowH-6)
		default:
			w := 0
			if s >= 0 && s <= 1 {
				w = int(s*barW + 0.5)
			}
			class := "ok"
			switch {
			case s < 0.5:
				class = "bad"
			case s < 0.9:
				class = "mid"
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="%s"/>`, labelW, y+3, w, rowH-6, class)
			text = bar.Counts.Percent()
			if bar.Expected > 1 {
				text += fmt.Sprintf(" · %d/%d", bar.Returned, bar.Expected)
			}
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="v">%s</text>`, labelW+barW+8, y+15, esc(text))
	}
	y := top + rowH*len(sorted)
	if more > 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="l">+ %d %s</text>`, labelW, y+15, more, esc(m.Label("units")))
		y += rowH
	}
	// The scale: 0, 50 and 100%.
	for _, p := range []int{0, 50, 100} {
		x := labelW + barW*p/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/><text x="%d" y="%d" text-anchor="middle" class="a">%d%%</text>`, x, top, x, y+2, x, y+16, p)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// childBars are the bars of the index page: each child of the scope (the
// top units for the whole site), with everything below it.
func childBars(r *Report) []Bar {
	var tops []*plan.Unit
	if r.Scope != nil {
		tops = r.Scope.Children
		if len(tops) == 0 {
			tops = []*plan.Unit{r.Scope}
		}
	} else {
		for _, u := range r.Model.Units {
			if u.ParentUnit == nil {
				tops = append(tops, u)
			}
		}
	}
	at := map[*plan.Unit]*Bar{}
	var bars []*Bar
	for _, u := range tops {
		b := &Bar{Label: u.Name, Code: u.Code}
		at[u] = b
		bars = append(bars, b)
	}
	for _, ur := range r.Units {
		var b *Bar
		for x := ur.Unit; x != nil && b == nil; x = x.ParentUnit {
			b = at[x]
		}
		if b == nil {
			continue
		}
		b.Expected++
		if ur.State == Returned {
			b.Returned++
			b.Counts.add(ur.Counts)
		}
	}
	out := make([]Bar, len(bars))
	for i, b := range bars {
		out[i] = *b
	}
	return out
}

// distinctLabels returns a copy of bars in which a label that several
// bars share ("Khu vực bỏ phiếu số 5" in every commune of a level's page)
// names its unit's code too, so that each bar says which unit it is.
func distinctLabels(bars []Bar) []Bar {
	seen := map[string]int{}
	for _, b := range bars {
		seen[b.Label]++
	}
	out := append([]Bar(nil), bars...)
	for i := range out {
		if seen[out[i].Label] > 1 {
			out[i].Label += " (" + out[i].Code + ")"
		}
	}
	return out
}

// levelBars are the bars of a level's page: each of its units.
func levelBars(l *LevelReport) []Bar {
	out := make([]Bar, 0, len(l.Units))
	for _, u := range l.Units {
		b := Bar{Label: u.Unit.Name, Code: u.Unit.Code, Expected: 1}
		if u.State == Returned {
			b.Returned, b.Counts = 1, u.Counts
		}
		out = append(out, b)
	}
	return out
}
