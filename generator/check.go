package generator

import (
	"checkgen/generator/pdf"
	"checkgen/generator/plan"
	"checkgen/generator/site"
)

// Check returns every warning a build of units in formats (all when
// empty) prints, sorted by place: the content's own (m.Warnings) and those
// of the renderers' checks, run without rendering (text the PDF font
// cannot print, raw HTML in Markdown that pages drop). The check command
// and Build both call it, so they print the same list. It reads m and
// changes nothing: a model is read-only once resolved.
func Check(m *plan.Model, units []*plan.Unit, formats []string) (plan.ErrorList, error) {
	set, err := parseFormats(formats)
	if err != nil {
		return nil, err
	}
	list := append(plan.ErrorList(nil), m.Warnings...)
	if set["html"] {
		list = append(list, site.Check(m)...) // raw HTML that pages drop
	}
	if set["pdf"] {
		w, err := pdf.Check(m, units)
		if err != nil {
			return nil, err
		}
		list = append(list, w...)
	}
	list.Sort()
	return list, nil
}
