package report

import (
	"encoding/json"
	"unicode/utf8"
)

// decodeLean decodes a report.json as WriteData writes it, straight from
// its bytes, into d: several times faster than encoding/json, which was
// most of merging a national tree's province files, and with the texts
// repeated across units (task keys, hashes, statuses, dates, names of
// confirmers) kept once. It reads the JSON checkgen writes: the keys of
// Data spelt as written, each once, strings, booleans, arrays and
// objects where Data has them. Anything else (a number, a null, another
// key, a key twice, invalid UTF-8, malformed JSON) makes it report false
// and ReadData decodes the file with encoding/json, which gives the same
// Data or names what is wrong.
func decodeLean(data []byte, d *Data) bool {
	if !utf8.Valid(data) {
		return false
	}
	p := &leanJSON{data: data, texts: map[string]string{}}
	ok := p.object(func(key string) bool {
		switch key {
		case "format":
			return p.str(&d.Format)
		case "site":
			return p.object(func(key string) bool {
				switch key {
				case "title":
					return p.str(&d.Site.Title)
				case "organisation":
					return p.str(&d.Site.Organisation)
				case "election_day":
					return p.str(&d.Site.ElectionDay)
				}
				return false
			})
		case "scope":
			return p.str(&d.Scope)
		case "as_of":
			return p.str(&d.AsOf)
		case "units":
			d.Units = []DataUnit{}
			return p.array(func() bool {
				d.Units = append(d.Units, DataUnit{})
				return p.unit(&d.Units[len(d.Units)-1])
			})
		}
		return false
	})
	return ok
}

// leanJSON is the state of decodeLean.
type leanJSON struct {
	data  []byte
	pos   int
	texts map[string]string // each text once
}

func (p *leanJSON) unit(u *DataUnit) bool {
	return p.object(func(key string) bool {
		switch key {
		case "code":
			return p.str(&u.Code)
		case "level":
			return p.str(&u.Level)
		case "name":
			return p.str(&u.Name)
		case "state":
			return p.str(&u.State)
		case "version":
			return p.str(&u.Version)
		case "return_by":
			return p.str(&u.ReturnBy)
		case "returned_on":
			return p.str(&u.ReturnedOn)
		case "on_time":
			return p.boolean(&u.OnTime)
		case "sources":
			u.Sources = []string{}
			return p.array(func() bool {
				u.Sources = append(u.Sources, "")
				return p.str(&u.Sources[len(u.Sources)-1])
			})
		case "tasks":
			u.Tasks = []DataTask{}
			return p.array(func() bool {
				u.Tasks = append(u.Tasks, DataTask{})
				return p.task(&u.Tasks[len(u.Tasks)-1])
			})
		}
		return false
	})
}

func (p *leanJSON) task(t *DataTask) bool {
	return p.object(func(key string) bool {
		switch key {
		case "key":
			return p.str(&t.Key)
		case "hash":
			return p.str(&t.Hash)
		case "status":
			return p.str(&t.Status)
		case "date":
			return p.str(&t.Date)
		case "confirmer":
			return p.str(&t.Confirmer)
		case "notes":
			return p.str(&t.Notes)
		case "on_time":
			return p.boolean(&t.OnTime)
		}
		return false
	})
}

func (p *leanJSON) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// next skips white space and reports whether the next byte is c,
// reading it if so.
func (p *leanJSON) next(c byte) bool {
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// object reads {"key": value, ...}, each value by field; a key twice is
// refused.
func (p *leanJSON) object(field func(key string) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	var seen []string
	for {
		var key string
		if !p.str(&key) || !p.next(':') {
			return false
		}
		for _, k := range seen {
			if k == key {
				return false
			}
		}
		seen = append(seen, key)
		if !field(key) {
			return false
		}
		if p.next('}') {
			return true
		}
		if !p.next(',') {
			return false
		}
	}
}

// array reads [value, ...], each value by elem.
func (p *leanJSON) array(elem func() bool) bool {
	if !p.next('[') {
		return false
	}
	if p.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if p.next(']') {
			return true
		}
		if !p.next(',') {
			return false
		}
	}
}

// str reads a string. One holding an escape is decoded by encoding/json.
func (p *leanJSON) str(s *string) bool {
	if !p.next('"') {
		return false
	}
	start, escaped := p.pos, false
	for ; p.pos < len(p.data); p.pos++ {
		switch c := p.data[p.pos]; {
		case c == '"':
			raw := p.data[start:p.pos]
			p.pos++
			if escaped {
				return json.Unmarshal(p.data[start-1:p.pos], s) == nil
			}
			if v, ok := p.texts[string(raw)]; ok {
				*s = v
				return true
			}
			*s = string(raw)
			p.texts[*s] = *s
			return true
		case c == '\\':
			escaped = true
			p.pos++ // the escaped character
		case c < 0x20:
			return false
		}
	}
	return false
}

func (p *leanJSON) boolean(b *bool) bool {
	p.space()
	for _, w := range [...]struct {
		text string
		v    bool
	}{{"true", true}, {"false", false}} {
		if len(p.data)-p.pos >= len(w.text) && string(p.data[p.pos:p.pos+len(w.text)]) == w.text {
			p.pos += len(w.text)
			*b = w.v
			return true
		}
	}
	return false
}
