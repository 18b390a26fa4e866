package plan

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file reads the keys of official papers: the forms ([form],
// [level.form], [unit.form]), signature entries and [body.names].

// subTable finds the positions of the sub-table name ("level.form") that
// belongs to instance i of its array of tables (ix[array]): the first one
// whose header lies after that instance's header and before the next
// one's. When there is none (an inline table, a dotted key), it returns a
// table whose header is at.
func (ix fileIndex) subTable(name, array string, i int, at Pos) *tablePos {
	elems := ix[array]
	if i < len(elems) {
		start := elems[i].header
		for _, t := range ix[name] {
			if !start.before(t.header) {
				continue
			}
			if i+1 < len(elems) && !t.header.before(elems[i+1].header) {
				continue
			}
			return t
		}
	}
	return &tablePos{header: at}
}

// form reads a [form], [level.form] or [unit.form] table. tp holds its
// positions; the record's own key "form" is where it starts when the table
// was written inline.
func (r *rec) form(tp *tablePos, what string) *Form {
	fm, ok := r.table("form")
	if !ok {
		return nil
	}
	if tp == nil || tp.header.Line == 0 {
		tp = &tablePos{header: r.at("form")}
	}
	fr := newRec(what, fm, tp, r.errs)
	f := &Form{Pos: tp.header, set: map[string]bool{}, places: placesOf(tp)}
	for _, k := range FormKeys {
		if _, ok := fm[k]; ok {
			f.set[k] = true
		}
	}
	f.Left = fr.strs("left", false)
	f.Right = fr.strs("right", false)
	f.Place = fr.str("place", false)
	f.Issued = fr.date("issued", false)
	f.Number = fr.str("number", false)
	f.Subject = fr.str("subject", false)
	f.Rule = fr.str("rule", false)
	fr.done(FormKeys...)
	return f
}

// signKeys are the keys of a table in a level's sign.
var signKeys = []string{"for", "title", "note"}

// signers reads a level's sign: each entry a role ("CHỦ TỊCH") or a table
// {for, title, note}. It returns the signers and each one's title, the
// roles of Level.Sign.
func (r *rec) signers(src string) ([]Signer, []string) {
	v, ok := r.get("sign", false)
	if !ok {
		return nil, nil
	}
	list, isList := v.([]any)
	if !isList {
		r.errs.Add(r.at("sign"), "sign must be an array of roles (\"CHỦ TỊCH\") or tables {for = \"TM. ỦY BAN BẦU CỬ\", title = \"CHỦ TỊCH\", note = \"(Ký, ghi rõ họ tên)\"}, not %s", typeName(v))
		return nil, nil
	}
	var signers []Signer
	var roles []string
	for i, e := range list {
		pos := r.elemAt("sign", i)
		switch e := e.(type) {
		case string:
			signers = append(signers, Signer{Title: e})
			roles = append(roles, e)
		case map[string]any:
			sg := Signer{}
			keys := make([]string, 0, len(e))
			for k := range e {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				val := e[k]
				kpos := keyInText(src, pos, k)
				s, isStr := val.(string)
				switch {
				case !slices.Contains(signKeys, k):
					r.errs.Add(kpos, "unknown key %q in sign[%d] (known keys: %s)%s", k, i, strings.Join(signKeys, ", "), didYouMean(k, signKeys))
					continue
				case !isStr:
					r.errs.Add(kpos, "sign[%d].%s must be a string, not %s", i, k, typeName(val))
					continue
				}
				switch k {
				case "for":
					sg.For = s
				case "title":
					sg.Title = s
				case "note":
					sg.Note = s
				}
			}
			if strings.TrimSpace(sg.Title) == "" {
				if _, has := e["title"]; !has {
					r.errs.Add(pos, "sign[%d] is missing required key \"title\": the role that signs, like title = \"CHỦ TỊCH\"", i)
				}
			}
			signers = append(signers, sg)
			roles = append(roles, sg.Title)
		default:
			r.errs.Add(pos, "sign[%d] must be a role (a string) or a table {for, title, note}, not %s", i, typeName(e))
		}
	}
	return signers, roles
}

// names reads a body's [body.names]: level id -> the body's name there.
// Levels are checked by Resolve, at the places returned.
func (r *rec) names(tp *tablePos) (map[string]string, map[string]Pos) {
	nm, ok := r.table("names")
	if !ok {
		return nil, nil
	}
	if tp == nil || tp.header.Line == 0 {
		tp = &tablePos{header: r.at("names")}
	}
	names := make(map[string]string, len(nm))
	at := make(map[string]Pos, len(nm))
	keys := make([]string, 0, len(nm))
	for k := range nm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kpos, ok := tp.keyAt[k]
		if !ok {
			kpos = tp.header
		}
		vpos, ok := tp.keys[k]
		if !ok {
			vpos = kpos
		}
		s, isStr := nm[k].(string)
		switch {
		case !isStr:
			r.errs.Add(vpos, "names.%s must be a string, not %s", k, typeName(nm[k]))
			continue
		case strings.TrimSpace(s) == "":
			r.errs.Add(vpos, "names.%s must not be empty: remove it to use the body's name", k)
			continue
		}
		names[k] = s
		at[k] = kpos
	}
	return names, at
}

// keyInText is where key is written in an inline table starting at pos:
// the first occurrence of the key followed by '=' on the lines from pos,
// else pos.
func keyInText(src string, pos Pos, key string) Pos {
	if pos.Line < 1 || pos.Col < 1 {
		return pos
	}
	lines := strings.SplitAfterN(src, "\n", pos.Line+50)
	for ln := pos.Line; ln <= len(lines) && ln < pos.Line+50; ln++ {
		line := lines[ln-1]
		start := 0
		if ln == pos.Line {
			for c := 1; c < pos.Col && start < len(line); c++ {
				_, size := utf8.DecodeRuneInString(line[start:])
				start += size
			}
		}
		for at := start; at < len(line); {
			j := strings.Index(line[at:], key)
			if j < 0 {
				break
			}
			k := at + j
			rest := strings.TrimLeft(line[k+len(key):], " \t\"'")
			before := byte(' ')
			if k > 0 {
				before = line[k-1]
			}
			if strings.HasPrefix(rest, "=") && (before == ' ' || before == '{' || before == ',' || before == '\t' || before == '"' || before == '\'') {
				if before == '"' || before == '\'' {
					k--
				}
				return Pos{File: pos.File, Line: ln, Col: utf8.RuneCountInString(line[:k]) + 1}
			}
			at = k + len(key)
		}
		if strings.Contains(line[start:], "}") {
			break
		}
	}
	return pos
}
