package plan

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestReferenceKeys checks that the reference lists exactly the keys the
// loader reads, table by table.
func TestReferenceKeys(t *testing.T) {
	files := map[string]*File{}
	for _, f := range Reference() {
		files[f.Kind] = f
	}
	sub := func(f, key string) *Table {
		t.Helper()
		k, ok := files[f].Root.Lookup(key)
		if !ok || k.Table == nil {
			t.Fatalf("reference of %s has no table %q", f, key)
		}
		return k.Table
	}
	subsub := func(tab *Table, key string) *Table {
		t.Helper()
		k, ok := tab.Lookup(key)
		if !ok || k.Table == nil {
			t.Fatalf("reference table %s has no table %q", tab.Header, key)
		}
		return k.Table
	}
	level := sub("site", "level")
	for _, tc := range []struct {
		what   string
		table  *Table
		loader []string
	}{
		{"site.toml", files["site"].Root, siteKeys},
		{"[[level]]", level, levelKeys},
		{"sign", subsub(level, "sign"), signKeys},
		{"[level.form]", subsub(level, "form"), FormKeys},
		{"[[category]]", sub("site", "category"), categoryKeys},
		{"[form]", sub("site", "form"), FormKeys},
		{"[workbook]", sub("site", "workbook"), workbookKeys},
		{"[labels]", sub("site", "labels"), LabelKeys()},
		{"bodies.toml", files["bodies"].Root, []string{"body"}},
		{"[[body]]", sub("bodies", "body"), bodyKeys},
		{"units.toml", files["units"].Root, []string{"unit"}},
		{"[[unit]]", sub("units", "unit"), unitKeys},
		{"[unit.form]", subsub(sub("units", "unit"), "form"), FormKeys},
		{"plan", files["plan"].Root, planKeys},
		{"[[task]]", sub("plan", "task"), taskKeys},
	} {
		got := slices.Sorted(slices.Values(tc.table.Names()))
		want := slices.Sorted(slices.Values(tc.loader))
		if !slices.Equal(got, want) {
			t.Errorf("%s: reference has keys %v, the loader reads %v", tc.what, got, want)
		}
	}
}

// TestReferenceExamples writes every key of the reference with its example
// value and loads the result: each example must be a value the loader
// accepts, of the kind the reference says.
func TestReferenceExamples(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range Reference() {
		name := f.Path
		if f.Kind == "plan" {
			name = PlansDir + "/example.toml"
		}
		fsys[name] = &fstest.MapFile{Data: []byte(exampleTOML(f))}
	}
	if _, err := Load(fsys); err != nil {
		for name, f := range fsys {
			t.Logf("%s:\n%s", name, f.Data)
		}
		t.Fatalf("Load(examples of the reference): %v", err)
	}
}

// exampleTOML writes a file holding every key of the reference once.
func exampleTOML(f *File) string {
	var b strings.Builder
	var tables []Key
	for _, k := range f.Root.Keys {
		switch k.Kind {
		case KindTable, KindTables, KindLabels:
			tables = append(tables, k)
		default:
			b.WriteString(k.Name + " = " + k.Example + "\n")
		}
	}
	for _, k := range tables {
		if k.Kind == KindTables {
			b.WriteString("\n[[" + k.Name + "]]\n")
		} else {
			b.WriteString("\n[" + k.Name + "]\n")
		}
		for _, sk := range k.Table.Keys {
			b.WriteString(sk.Name + " = " + exampleValue(sk) + "\n")
		}
	}
	return b.String()
}

func exampleValue(k Key) string {
	if k.Kind != KindTable {
		return k.Example
	}
	var parts []string
	for _, sk := range k.Table.Keys {
		parts = append(parts, sk.Name+" = "+exampleValue(sk))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// TestReferenceDescribed checks that every key has a description in both
// languages and an example.
func TestReferenceDescribed(t *testing.T) {
	var walk func(where string, tab *Table)
	walk = func(where string, tab *Table) {
		for _, k := range tab.Keys {
			en, vi := k.Docs()
			if en == "" || vi == "" || k.Example == "" && k.Table == nil {
				t.Errorf("%s %s: Doc %q, DocVI %q, Example %q: want all three", where, k.Name, en, vi, k.Example)
			}
			if k.Table != nil {
				walk(where+" "+k.Name, k.Table)
			}
		}
	}
	for _, f := range Reference() {
		walk(f.Path, f.Root)
	}
}
