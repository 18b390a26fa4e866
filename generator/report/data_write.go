package report

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode/utf8"
)

// writeDataLean writes d as encoding/json's Encoder with SetIndent("",
// " ") and SetEscapeHTML(false) writes it, byte for byte, without its
// reflection and its second pass to indent: at national scale (96,135
// units, 215 MB) that was a fifth of writing the report. Texts that
// need escaping are escaped by encoding/json itself.
func writeDataLean(w io.Writer, d *Data) error {
	j := &jsonWriter{}
	j.b.WriteString("{\n")
	j.field(1, "format", d.Format, false)
	j.key(1, "site")
	j.b.WriteString("{\n")
	j.field(2, "title", d.Site.Title, false)
	j.field(2, "organisation", d.Site.Organisation, false)
	j.field(2, "election_day", d.Site.ElectionDay, true)
	j.indent(1)
	j.b.WriteString("},\n")
	j.field(1, "scope", d.Scope, false)
	j.field(1, "as_of", d.AsOf, false)
	j.key(1, "units")
	switch {
	case d.Units == nil:
		j.b.WriteString("null\n")
	case len(d.Units) == 0:
		j.b.WriteString("[]\n")
	default:
		j.b.WriteString("[\n")
		for i := range d.Units {
			j.unit(&d.Units[i], i == len(d.Units)-1)
		}
		j.indent(1)
		j.b.WriteString("]\n")
	}
	j.b.WriteString("}\n")
	if j.err != nil {
		return j.err
	}
	_, err := w.Write(j.b.Bytes())
	return err
}

type jsonWriter struct {
	b   bytes.Buffer
	err error
}

func (j *jsonWriter) indent(depth int) {
	for range depth {
		j.b.WriteByte(' ')
	}
}

func (j *jsonWriter) key(depth int, k string) {
	j.indent(depth)
	j.b.WriteByte('"')
	j.b.WriteString(k)
	j.b.WriteString(`": `)
}

func (j *jsonWriter) end(last bool) {
	if !last {
		j.b.WriteByte(',')
	}
	j.b.WriteByte('\n')
}

// field writes "k": "v", with a comma unless last.
func (j *jsonWriter) field(depth int, k, v string, last bool) {
	j.key(depth, k)
	j.str(v)
	j.end(last)
}

// fields writes the fields given, skipping those omitted (omitempty).
type jsonField struct {
	k, v    string
	boolean bool // v is "true"
	omit    bool
}

func (j *jsonWriter) fields(depth int, fs []jsonField, more bool) {
	last := len(fs) - 1
	for last >= 0 && fs[last].omit {
		last--
	}
	for i, f := range fs {
		if f.omit {
			continue
		}
		j.key(depth, f.k)
		if f.boolean {
			j.b.WriteString("true")
		} else {
			j.str(f.v)
		}
		j.end(i == last && !more)
	}
}

func (j *jsonWriter) unit(u *DataUnit, last bool) {
	j.indent(2)
	j.b.WriteString("{\n")
	more := len(u.Sources) > 0 || len(u.Tasks) > 0
	j.fields(3, []jsonField{
		{k: "code", v: u.Code},
		{k: "level", v: u.Level},
		{k: "name", v: u.Name},
		{k: "state", v: u.State},
		{k: "version", v: u.Version, omit: u.Version == ""},
		{k: "return_by", v: u.ReturnBy, omit: u.ReturnBy == ""},
		{k: "returned_on", v: u.ReturnedOn, omit: u.ReturnedOn == ""},
		{k: "on_time", boolean: true, omit: !u.OnTime},
	}, more)
	if len(u.Sources) > 0 {
		j.key(3, "sources")
		j.b.WriteString("[\n")
		for i, s := range u.Sources {
			j.indent(4)
			j.str(s)
			j.end(i == len(u.Sources)-1)
		}
		j.indent(3)
		j.b.WriteString("]")
		j.end(len(u.Tasks) == 0)
	}
	if len(u.Tasks) > 0 {
		j.key(3, "tasks")
		j.b.WriteString("[\n")
		for i := range u.Tasks {
			t := &u.Tasks[i]
			j.indent(4)
			j.b.WriteString("{\n")
			j.fields(5, []jsonField{
				{k: "key", v: t.Key},
				{k: "hash", v: t.Hash},
				{k: "status", v: t.Status},
				{k: "date", v: t.Date, omit: t.Date == ""},
				{k: "confirmer", v: t.Confirmer, omit: t.Confirmer == ""},
				{k: "notes", v: t.Notes, omit: t.Notes == ""},
				{k: "on_time", boolean: true, omit: !t.OnTime},
			}, false)
			j.indent(4)
			j.b.WriteString("}")
			j.end(i == len(u.Tasks)-1)
		}
		j.indent(3)
		j.b.WriteString("]\n")
	}
	j.indent(2)
	j.b.WriteString("}")
	j.end(last)
}

// str writes a JSON string: as it is when encoding/json would not escape
// any of it, else as encoding/json escapes it.
func (j *jsonWriter) str(s string) {
	if plainJSON(s) {
		j.b.WriteByte('"')
		j.b.WriteString(s)
		j.b.WriteByte('"')
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil && j.err == nil {
		j.err = err
	}
	j.b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// plainJSON reports whether encoding/json writes s unchanged between
// quotes (with SetEscapeHTML(false)): valid UTF-8 without control
// characters, quotes, backslashes, U+2028 or U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c == '"' || c == '\\':
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				return false
			}
			i += size - 1
		}
	}
	return true
}
