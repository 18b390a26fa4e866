package plan

import "slices"

// Renderers that find something to warn about in a value (a character the
// PDF font lacks, Markdown that does not parse) point at the key that holds
// it with KeyPos, or at one element of an array with ElemPos. Both fall
// back to the start of the key's value, then to the table's header, so they
// always return a place in the right file.

// places is where the keys of one table were written.
type places struct {
	at    map[string]Pos   // key -> start of its value
	elems map[string][]Pos // key -> start of each element of an array value
}

func (p places) key(key string, header Pos) Pos {
	if q, ok := p.at[key]; ok {
		return q
	}
	return header
}

func (p places) elem(key string, i int, header Pos) Pos {
	if e := p.elems[key]; i >= 0 && i < len(e) {
		return e[i]
	}
	return p.key(key, header)
}

func placesOf(tp *tablePos) places { return places{at: tp.keys, elems: tp.elems} }

// KeyPos returns where the value of key ("title", "details", "due", ...)
// starts in the task's [[task]] table, or the table's header.
func (t *Task) KeyPos(key string) Pos { return t.places.key(key, t.Pos) }

// ElemPos returns where element i of the array key ("items", "evidence",
// "basis", ...) starts, or KeyPos(key).
func (t *Task) ElemPos(key string, i int) Pos { return t.places.elem(key, i, t.Pos) }

// KeyPos returns where the value of key ("title", "summary", ...) starts in
// the plan file, or the start of the file.
func (p *Plan) KeyPos(key string) Pos { return p.places.key(key, p.Pos) }

// ElemPos returns where element i of the array key ("scope") starts, or
// KeyPos(key).
func (p *Plan) ElemPos(key string, i int) Pos { return p.places.elem(key, i, p.Pos) }

// KeyPos returns where the value of key ("code", "name", ...) was written:
// in units.toml, the start of the value; in units.csv, the start of the
// field. Else the unit's header or row.
func (u *Unit) KeyPos(key string) Pos {
	if q, ok := u.places.at[key]; ok {
		return q
	}
	if u.fields != nil {
		if i := slices.Index(csvFields, key); i >= 0 {
			return Pos{File: u.Pos.File, Line: int(u.fields[i][0]), Col: int(u.fields[i][1])}
		}
	}
	return u.Pos
}

// ElemPos returns where element i of the array key ("tags") starts in
// units.toml, or KeyPos(key) (in units.csv, the tags field).
func (u *Unit) ElemPos(key string, i int) Pos {
	if e := u.places.elems[key]; i >= 0 && i < len(e) {
		return e[i]
	}
	return u.KeyPos(key)
}

// KeyPos returns where the value of key ("name", "sign") starts in the
// level's [[level]] table, or the table's header.
func (l *Level) KeyPos(key string) Pos { return l.places.key(key, l.Pos) }

// ElemPos returns where element i of the array key ("sign") starts, or
// KeyPos(key).
func (l *Level) ElemPos(key string, i int) Pos { return l.places.elem(key, i, l.Pos) }

// KeyPos returns where the value of key ("name") starts in the category's
// [[category]] table, or the table's header.
func (c *Category) KeyPos(key string) Pos { return c.places.key(key, c.Pos) }

// ElemPos returns where element i of the array key starts, or KeyPos(key).
func (c *Category) ElemPos(key string, i int) Pos { return c.places.elem(key, i, c.Pos) }

// KeyPos returns where the value of key ("name", "levels") starts in the
// body's [[body]] table, or the table's header.
func (b *Body) KeyPos(key string) Pos { return b.places.key(key, b.Pos) }

// ElemPos returns where element i of the array key ("levels") starts, or
// KeyPos(key).
func (b *Body) ElemPos(key string, i int) Pos { return b.places.elem(key, i, b.Pos) }

// KeyPos returns where the value of key starts in site.toml. Keys of the
// sub-tables are dotted: "title", "organisation", "form.place",
// "labels.page", "workbook.password". A key that was not written (a
// built-in label) falls back to its table's header ([labels], [form]), then
// to the start of the file.
func (s *Site) KeyPos(key string) Pos {
	if q, ok := s.places.at[key]; ok {
		return q
	}
	return s.tablePos(key)
}

// ElemPos returns where element i of the array key ("form.left",
// "form.right") starts, or KeyPos(key).
func (s *Site) ElemPos(key string, i int) Pos {
	if e := s.places.elems[key]; i >= 0 && i < len(e) {
		return e[i]
	}
	return s.KeyPos(key)
}

// tablePos is the header of the sub-table a dotted key belongs to, or the
// start of the file.
func (s *Site) tablePos(key string) Pos {
	for i := 0; i < len(key); i++ {
		if key[i] == '.' {
			if q, ok := s.tables[key[:i]]; ok {
				return q
			}
			if q, ok := s.places.at[key[:i]]; ok {
				return q // an inline table: form = {place = "..."}
			}
			break
		}
	}
	if s.Pos.Line == 0 {
		return Pos{File: s.Pos.File, Line: 1, Col: 1}
	}
	return s.Pos
}
