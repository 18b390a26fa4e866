package site

import (
	"bytes"
	"encoding/json"
	"strings"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// searchData is the unit index that assets/search.js loads on demand. It is
// written as compactly as stays simple: each distinct name once, and a
// unit's code as "~" plus what follows its parent's code when it starts
// with it ("01842-KV03" under "01842" is "~-KV03").
type searchData struct {
	Levels []string `json:"levels"`
	Names  []string `json:"names"`
	Units  []any    `json:"units"` // code, name index, parent index (-1: none), level index
}

func (r *renderer) writeSearchIndex(out *output.Dir) error {
	d := searchData{Units: make([]any, 0, 4*len(r.m.Units))}
	for _, l := range r.m.Levels {
		d.Levels = append(d.Levels, l.Name)
	}
	names := map[string]int{}
	index := make(map[*plan.Unit]int, len(r.m.Units))
	for i, u := range r.m.Units {
		index[u] = i
	}
	for i, u := range r.m.Units {
		n, ok := names[u.Name]
		if !ok {
			n = len(d.Names)
			names[u.Name] = n
			d.Names = append(d.Names, u.Name)
		}
		parent := -1
		code := u.Code
		if pu := u.ParentUnit; pu != nil {
			if pi, ok := index[pu]; ok {
				parent = pi
				// The script decodes in order: only an earlier parent's code is known.
				if pi < i && len(code) > len(pu.Code) && strings.HasPrefix(code, pu.Code) {
					code = "~" + code[len(pu.Code):]
				}
			}
		}
		level := 0
		if u.LevelRef != nil {
			level = u.LevelRef.Index
		}
		d.Units = append(d.Units, code, n, parent, level)
	}
	var buf bytes.Buffer
	buf.WriteString("checkgenUnits(")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // the encoder's newline
	buf.WriteString(");\n")
	return out.WriteFile(searchIndex, buf.Bytes())
}
