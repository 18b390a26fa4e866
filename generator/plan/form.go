package plan

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file resolves the head of printed forms: for every unit and level,
// each key of its Head from the nearest form that writes it, with the
// placeholders of its strings filled in.

// FormKeys are the keys of [form], [level.form] and [unit.form], in the
// order they are resolved.
var FormKeys = []string{"left", "right", "place", "issued", "number", "subject", "rule"}

// Blank stands for a placeholder on a level's papers: a level's form is
// the blank form of all its units, so "PHƯỜNG {NAME:commune}" prints as
// "PHƯỜNG ..........", to be filled in by hand.
const Blank = ".........."

// Rules under the left block of a head.
const (
	RuleLine = "line" // a short solid line (Decree 30/2020)
	RuleStar = "star" // a "*" (party documents, Hướng dẫn 36-HD/VPTW)
)

// placeholderList is the list printed with an unknown placeholder.
const placeholderList = "{name}, {NAME}, {code}, {place}, {name:LEVEL}, {NAME:LEVEL}"

// A formSource is a form and what it belongs to, for messages.
type formSource struct {
	form *Form
	what string // "[form]", "[level.form] of level \"polling\"", ...
}

// heads fills Unit.Head and Level.Head. It reports placeholders that name
// no known placeholder or level, or a level below the unit they are filled
// for, once per placeholder.
func (r *resolver) heads() { r.headsOf(nil) }

// headsOf is heads, for the units whose redo is set (all when redo is
// nil; redo holds each unit's index in Model.Units): the others keep
// their heads.
func (r *resolver) headsOf(redo []bool) {
	m := r.m
	h := &headResolver{r: r, reported: map[Pos]bool{}, interned: map[string]*Head{}}
	site := &formSource{form: &m.Site.Form, what: "[form]"}
	levelForms := map[*Level]*formSource{}
	for _, l := range m.Levels {
		if l.Form != nil {
			levelForms[l] = &formSource{form: l.Form, what: "[level.form] of level " + quote(l.ID)}
			h.check(levelForms[l], l)
		}
	}
	h.check(site, nil)
	for _, l := range m.Levels {
		chain := []*formSource{}
		if fs := levelForms[l]; fs != nil {
			chain = append(chain, fs)
		}
		l.Head = h.resolve(append(chain, site), nil)
	}
	unitForms := map[*Unit]*formSource{}
	for _, u := range m.Units {
		if u.Form != nil {
			unitForms[u] = &formSource{form: u.Form, what: "[unit.form] of unit " + u.Code}
			h.check(unitForms[u], nil)
		}
	}
	var chain []*formSource
	for i, u := range m.Units {
		if redo != nil && !redo[i] || m.Unit(u.Code) != u || u.LevelRef == nil {
			continue
		}
		chain = chain[:0]
		for x := u; x != nil; x = x.ParentUnit {
			if fs := unitForms[x]; fs != nil {
				chain = append(chain, fs)
			}
		}
		if fs := levelForms[u.LevelRef]; fs != nil {
			chain = append(chain, fs)
		}
		u.Head = h.resolve(append(chain, site), u)
	}
}

type headResolver struct {
	r        *resolver
	reported map[Pos]bool
	interned map[string]*Head
}

func (h *headResolver) errorf(pos Pos, format string, args ...any) {
	if h.reported[pos] {
		return
	}
	h.reported[pos] = true
	h.r.errs.Add(pos, format, args...)
}

// check reports what is wrong in a form whatever unit uses it: a rule
// other than line or star, an unknown placeholder or level, and, in a
// level's form (level is not nil), a level below that level.
func (h *headResolver) check(fs *formSource, level *Level) {
	f := fs.form
	if f.Rule != "" && f.Rule != RuleLine && f.Rule != RuleStar {
		h.errorf(f.keyPos("rule"), "unknown rule %q in %s: use %q (a line, Decree 30/2020) or %q (a star, party documents)", f.Rule, fs.what, RuleLine, RuleStar)
	}
	f.eachString(func(key string, i int, s string) {
		for _, p := range placeholders(s) {
			pos := f.placeholderPos(h.r.set.Sources, key, i, s, p)
			if msg := p.problem(h.r.m, level); msg != "" {
				h.errorf(pos, "%s in %s", msg, fs.what)
			}
		}
	})
}

// resolve builds the head of unit u (nil for a level's papers) from the
// chain of forms, nearest first.
func (h *headResolver) resolve(chain []*formSource, u *Unit) *Head {
	from := func(key string) *formSource {
		for _, fs := range chain {
			if fs.form.Has(key) {
				return fs
			}
		}
		return nil
	}
	fill := func(fs *formSource, key string, i int, s string) string {
		return h.fill(fs, key, i, s, u)
	}
	head := &Head{Rule: RuleLine}
	if fs := from("left"); fs != nil {
		head.Left = make([]string, len(fs.form.Left))
		for i, s := range fs.form.Left {
			head.Left[i] = fill(fs, "left", i, s)
		}
	}
	if fs := from("right"); fs != nil {
		head.Right = make([]string, len(fs.form.Right))
		for i, s := range fs.form.Right {
			head.Right[i] = fill(fs, "right", i, s)
		}
	}
	if fs := from("place"); fs != nil {
		head.Place = fill(fs, "place", -1, fs.form.Place)
	}
	if fs := from("issued"); fs != nil {
		head.Issued = fs.form.Issued
	}
	if fs := from("number"); fs != nil {
		head.Number = fill(fs, "number", -1, fs.form.Number)
	}
	if fs := from("subject"); fs != nil {
		head.Subject = fill(fs, "subject", -1, fs.form.Subject)
	}
	if fs := from("rule"); fs != nil && fs.form.Rule != "" {
		head.Rule = fs.form.Rule
	}
	return h.intern(head)
}

// intern returns an equal head already made, or head: units with the
// same head share one.
func (h *headResolver) intern(head *Head) *Head {
	var k strings.Builder
	for _, s := range head.Left {
		k.WriteString(s)
		k.WriteByte(0)
	}
	k.WriteByte(1)
	for _, s := range head.Right {
		k.WriteString(s)
		k.WriteByte(0)
	}
	for _, s := range []string{head.Rule, head.Place, head.Number, head.Subject} {
		k.WriteByte(1)
		k.WriteString(s)
	}
	if head.Issued != nil {
		k.WriteByte(1)
		k.WriteString(head.Issued.String())
	}
	if prev, ok := h.interned[k.String()]; ok {
		return prev
	}
	h.interned[k.String()] = head
	return head
}

// fill replaces the placeholders of s for unit u, or by Blank when u is
// nil. A placeholder that cannot be filled for u is reported at its place.
func (h *headResolver) fill(fs *formSource, key string, i int, s string, u *Unit) string {
	ps := placeholders(s)
	if len(ps) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, p := range ps {
		b.WriteString(s[last:p.start])
		last = p.end
		if u == nil {
			b.WriteString(Blank)
			continue
		}
		v, msg := p.value(h.r.m, u)
		if msg != "" {
			h.errorf(fs.form.placeholderPos(h.r.set.Sources, key, i, s, p), "%s in %s", msg, fs.what)
		}
		b.WriteString(v)
	}
	b.WriteString(s[last:])
	return b.String()
}

// eachString calls fn for every string of the form that may hold
// placeholders, with its key and, for left and right, its index (else -1).
func (f *Form) eachString(fn func(key string, i int, s string)) {
	for i, s := range f.Left {
		fn("left", i, s)
	}
	for i, s := range f.Right {
		fn("right", i, s)
	}
	for _, k := range []struct {
		key string
		s   string
	}{{"place", f.Place}, {"number", f.Number}, {"subject", f.Subject}} {
		if f.Has(k.key) {
			fn(k.key, -1, k.s)
		}
	}
}

func (f *Form) keyPos(key string) Pos { return f.places.key(key, f.Pos) }

// placeholderPos is where placeholder p of string s (the value of key, or
// its element i) was written: the value's start moved to the placeholder
// when the source line shows it, else the value's start.
func (f *Form) placeholderPos(sources map[string]string, key string, i int, s string, p placeholder) Pos {
	pos := f.keyPos(key)
	if i >= 0 {
		pos = f.places.elem(key, i, f.Pos)
	}
	src, ok := sources[pos.File]
	if !ok || pos.Line < 1 || pos.Col < 1 {
		return pos
	}
	line := ""
	for n, rest := 1, src; ; n++ {
		l, next, more := strings.Cut(rest, "\n")
		if n == pos.Line {
			line = l
			break
		}
		if !more {
			return pos
		}
		rest = next
	}
	// Skip to the value's start, then to this occurrence of the text.
	start := 0
	for c := 1; c < pos.Col && start < len(line); c++ {
		_, size := utf8.DecodeRuneInString(line[start:])
		start += size
	}
	text := s[p.start:p.end]
	before := strings.Count(s[:p.start], text) // earlier occurrences of the same text
	at := start
	for k := 0; k <= before; k++ {
		j := strings.Index(line[at:], text)
		if j < 0 {
			return pos
		}
		if k < before {
			at += j + len(text)
		} else {
			at += j
		}
	}
	pos.Col += utf8.RuneCountInString(line[start:at])
	return pos
}

// placeholder is one {...} of a string: s[start:end] is the text with its
// braces.
type placeholder struct {
	start, end int
	name       string // "name", "NAME", "code", "place", or anything written
	level      string // after ':', or ""
	colon      bool
	unclosed   bool
}

// placeholders finds the {...} of s, in order. A '{' without a closing
// '}' is one too, reported as unclosed.
func placeholders(s string) []placeholder {
	var ps []placeholder
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 {
			break
		}
		start := i + j
		k := strings.IndexByte(s[start:], '}')
		if k < 0 {
			ps = append(ps, placeholder{start: start, end: len(s), unclosed: true})
			break
		}
		end := start + k + 1
		p := placeholder{start: start, end: end}
		p.name, p.level, p.colon = strings.Cut(s[start+1:end-1], ":")
		ps = append(ps, p)
		i = end
	}
	return ps
}

// problem says what is wrong with the placeholder whatever unit it is
// filled for, or "". In a level's form (level not nil) a level below it
// is wrong too.
func (p placeholder) problem(m *Model, level *Level) string {
	if p.unclosed {
		return "unclosed placeholder: end it with '}' (placeholders: " + placeholderList + ")"
	}
	switch {
	case !p.colon && (p.name == "name" || p.name == "NAME" || p.name == "code" || p.name == "place"):
		return ""
	case p.colon && (p.name == "name" || p.name == "NAME"):
		l := m.levels[p.level]
		if l == nil {
			return "unknown level " + quote(p.level) + " in placeholder {" + p.name + ":" + p.level + "} (levels: " + levelIDs(m) + ")"
		}
		if level != nil && l.Index > level.Index {
			return "level " + quote(l.ID) + " in placeholder {" + p.name + ":" + p.level + "} is below level " + quote(level.ID) + ": a unit has a unit of its own level or one above it, not below"
		}
		return ""
	}
	return "unknown placeholder {" + p.name + map[bool]string{true: ":" + p.level}[p.colon] + "} (placeholders: " + placeholderList + ")"
}

// value is the placeholder filled for unit u, or a message saying why it
// cannot be.
func (p placeholder) value(m *Model, u *Unit) (string, string) {
	if msg := p.problem(m, nil); msg != "" {
		return "", msg // reported by check already; keeps the place
	}
	target := u
	if p.colon {
		l := m.levels[p.level]
		if u.LevelRef != nil && l.Index > u.LevelRef.Index {
			return "", "level " + quote(l.ID) + " in placeholder {" + p.name + ":" + p.level + "} is below unit " + u.Code + " (level " + quote(u.Level) + "): name a level at or above it"
		}
		target = nil
		for x := u; x != nil; x = x.ParentUnit {
			if x.LevelRef == l {
				target = x
				break
			}
		}
		if target == nil {
			return "", "unit " + u.Code + " has no unit of level " + quote(l.ID) + " above it for placeholder {" + p.name + ":" + p.level + "}"
		}
	}
	switch p.name {
	case "name":
		return target.Name, ""
	case "NAME":
		return strings.ToUpper(target.Name), ""
	case "code":
		return u.Code, ""
	}
	return u.PlaceOf(), "" // "" without a place: the date line is left to fill in
}

func levelIDs(m *Model) string {
	ids := make([]string, len(m.Levels))
	for i, l := range m.Levels {
		ids[i] = l.ID
	}
	return strings.Join(ids, ", ")
}

func quote(s string) string { return strconv.Quote(s) }
