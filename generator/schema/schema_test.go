package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"checkgen/generator/starter"
)

var update = flag.Bool("update", false, "rewrite the repository's schema/ folder")

// repoSchemaDir is the schema folder of the repository, named by the
// example content's "#:schema" lines.
const repoSchemaDir = "../../schema"

// TestRepoSchemasUpToDate checks that schema/ holds what All returns;
// -update rewrites it.
func TestRepoSchemasUpToDate(t *testing.T) {
	for _, f := range All() {
		path := filepath.Join(repoSchemaDir, f.Name)
		if *update {
			if err := os.MkdirAll(repoSchemaDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./generator/schema -update)", err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from `checkgen schema`: run go test ./generator/schema -update", path)
		}
	}
}

// schemas returns the schemas by kind, parsed back from their JSON.
func schemas(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, f := range All() {
		var m map[string]any
		if err := json.Unmarshal(f.Data, &m); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if m["$schema"] != Draft {
			t.Errorf("%s: $schema = %v, want %s", f.Name, m["$schema"], Draft)
		}
		out[f.Kind] = m
	}
	return out
}

// kindOf is the schema that a content file's path takes.
func kindOf(path string) string {
	switch filepath.Base(path) {
	case "site.toml":
		return "site"
	case "bodies.toml":
		return "bodies"
	case "units.toml":
		return "units"
	}
	return "plan"
}

// TestExamplesValid validates every TOML file of the example site and of
// the starter site against its schema, and checks its "#:schema" line.
func TestExamplesValid(t *testing.T) {
	all := schemas(t)
	check := func(name string, src []byte, depth int) {
		t.Helper()
		kind := kindOf(name)
		want := "#:schema " + strings.Repeat("../", depth) + "schema/" + FileName(kind)
		if first, _, _ := strings.Cut(string(src), "\n"); strings.TrimSpace(first) != want {
			t.Errorf("%s: first line %q, want %q", name, first, want)
		}
		if errs := validateTOML(all[kind], src); len(errs) > 0 {
			t.Errorf("%s does not validate against %s:\n%s", name, FileName(kind), strings.Join(errs, "\n"))
		}
	}
	n := 0
	for _, root := range []fs.FS{os.DirFS("../.."), starter.FS()} {
		err := fs.WalkDir(root, "content", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".toml") {
				return err
			}
			src, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			check(p, src, strings.Count(p, "/"))
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 8 {
		t.Errorf("validated %d files, want the example's and the starter's (at least 8)", n)
	}
}

// TestBadFilesRejected checks that the schemas refuse what checkgen
// refuses: each file is valid but for one mistake.
func TestBadFilesRejected(t *testing.T) {
	all := schemas(t)
	const site = "title = \"T\"\nelection_day = 2021-05-23\n[[level]]\nid = \"province\"\nname = \"P\"\n"
	const task = "number = \"1\"\ntitle = \"P\"\n[[task]]\nid = \"a\"\ntitle = \"A\"\nlevels = [\"province\"]\nresponsible = \"committee\"\n"
	// The valid bases validate.
	for kind, src := range map[string]string{"site": site, "plan": task} {
		if errs := validateTOML(all[kind], []byte(src)); len(errs) > 0 {
			t.Fatalf("base %s file does not validate: %v", kind, errs)
		}
	}
	for _, tc := range []struct {
		name, kind, src, want string
	}{
		{"unknown key", "site", site + "bulding = \"x\"\n", "unknown key"},
		{"unknown key in [[task]]", "plan", task + "respnsible = \"x\"\n", "unknown key"},
		{"unknown key in [form]", "site", site + "[form]\nlft = [\"A\"]\n", "unknown key"},
		{"unknown key in sign", "site", site + "sign = [{ title = \"A\", fr = \"B\" }]\n", "no alternative"},
		{"unknown label", "site", site + "[labels]\nnot_a_label = \"x\"\n", "unknown key"},
		{"wrong type: string for array", "plan", task + "items = \"Hòm phiếu\"\n", "want array"},
		{"wrong type: number for string", "site", strings.Replace(site, `title = "T"`, `title = 1`, 1), "want string"},
		{"wrong type: [task] for [[task]]", "plan", "number = \"1\"\ntitle = \"P\"\n[task]\nid = \"a\"\n", "want array"},
		{"bad id pattern", "site", strings.Replace(site, `"province"`, `"Province"`, 1), "does not match"},
		{"bad unit code", "units", "[[unit]]\ncode = \"-06\"\nname = \"U\"\nlevel = \"province\"\n", "does not match"},
		{"bad level reference", "plan", strings.Replace(task, `["province"]`, `["Tỉnh"]`, 1), "does not match"},
		{"bad implements", "plan", task + "implements = \"committees\"\n", "does not match"},
		{"quoted date", "site", strings.Replace(site, "2021-05-23", `"2021-05-23"`, 1), "want a TOML date"},
		{"date as dd/mm/yyyy", "site", strings.Replace(site, "2021-05-23", `"23/05/2021"`, 1), "want a TOML date"},
		{"quoted date as due", "plan", task + "due = \"2021-04-03\"\n", "no alternative"},
		{"bad relative due", "plan", task + "due = \"E-1d\"\n", "no alternative"},
		{"unknown language", "site", "language = \"fr\"\n" + site, "not one of"},
		{"unknown from", "plan", task + "from = \"province\"\n", "not one of"},
		{"missing required key", "plan", strings.Replace(task, "responsible = \"committee\"\n", "", 1), "missing required key \"responsible\""},
		{"no level", "site", "title = \"T\"\nelection_day = 2021-05-23\n", "missing required key \"level\""},
		{"empty levels", "plan", strings.Replace(task, `["province"]`, `[]`, 1), "fewer than"},
		{"bad body names level", "bodies", "[[body]]\nid = \"p\"\nname = \"P\"\n[body.names]\n\"Tỉnh\" = \"x\"\n", "does not match"},
	} {
		errs := validateTOML(all[tc.kind], []byte(tc.src))
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
			t.Errorf("%s: validate = %q, want an error containing %q", tc.name, errs, tc.want)
		}
	}
}

// validateTOML decodes src and checks it against schema s.
func validateTOML(s map[string]any, src []byte) []string {
	var v map[string]any
	if _, err := toml.Decode(string(src), &v); err != nil {
		return []string{"TOML: " + err.Error()}
	}
	var errs []string
	validate(s, v, "", &errs)
	return errs
}

// validate is a small JSON Schema checker of the keywords the schemas
// use, reading TOML values: a "format": "date" value must be a TOML local
// date and a "local-date-time" one a TOML local date-time, where editors
// see both as strings. Any other keyword fails, so that the schemas cannot
// say something this check does not read.
func validate(s map[string]any, v any, at string, errs *[]string) {
	fail := func(format string, args ...any) {
		*errs = append(*errs, fmt.Sprintf("%s: %s", cmp(at), fmt.Sprintf(format, args...)))
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, kw := range keys {
		switch kw {
		case "$schema", "title", "description", "default", "x-taplo", "properties", "additionalProperties",
			"required", "items", "minItems", "anyOf", "pattern", "enum", "minLength", "maxLength", "format",
			"propertyNames", "minProperties", "type":
		default:
			fail("the schema uses %q, which this check does not read", kw)
		}
	}
	if alts, ok := s["anyOf"].([]any); ok {
		for _, alt := range alts {
			var sub []string
			validate(alt.(map[string]any), v, at, &sub)
			if len(sub) == 0 {
				return
			}
		}
		fail("%v matches no alternative", v)
		return
	}
	switch s["type"] {
	case "object":
		m, ok := asTable(v)
		if !ok {
			fail("%s, want table", typeOf(v))
			return
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := m[r]; !ok {
				fail("missing required key %q", r)
			}
		}
		if n, ok := s["minProperties"].(float64); ok && len(m) < int(n) {
			fail("fewer than %v keys", n)
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if pn, ok := s["propertyNames"].(map[string]any); ok {
				validate(pn, k, at+"."+k+" (key)", errs)
			}
			if ps, ok := props[k].(map[string]any); ok {
				validate(ps, m[k], at+"."+k, errs)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("unknown key %q", k)
				}
			case map[string]any:
				validate(ap, m[k], at+"."+k, errs)
			}
		}
	case "array":
		list, ok := asArray(v)
		if !ok {
			fail("%s, want array", typeOf(v))
			return
		}
		if n, ok := s["minItems"].(float64); ok && len(list) < int(n) {
			fail("fewer than %v elements", n)
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, e := range list {
				validate(is, e, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	case "string", nil:
		var text string
		switch s["format"] {
		case "date", "local-date-time":
			tm, ok := v.(time.Time)
			want := map[any]string{"date": "date-local", "local-date-time": "datetime-local"}[s["format"]]
			if !ok || tm.Location().String() != want {
				fail("%s, want a TOML %s (without quotes)", typeOf(v), s["format"])
				return
			}
			text = tm.Format("2006-01-02")
			if want == "datetime-local" {
				text = tm.Format("2006-01-02T15:04:05")
			}
		default:
			str, ok := v.(string)
			if !ok {
				if s["type"] == "string" {
					fail("%s, want string", typeOf(v))
				}
				return
			}
			text = str
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(text) {
			fail("%q does not match %s", text, p)
		}
		if e := asStrings(s["enum"]); e != nil && !slices.Contains(e, text) {
			fail("%q is not one of %v", text, e)
		}
		if n, ok := s["minLength"].(float64); ok && len([]rune(text)) < int(n) {
			fail("shorter than %v", n)
		}
		if n, ok := s["maxLength"].(float64); ok && len([]rune(text)) > int(n) {
			fail("longer than %v", n)
		}
	default:
		fail("the schema has type %v, which this check does not read", s["type"])
	}
}

func cmp(at string) string {
	if at == "" {
		return "(root)"
	}
	return strings.TrimPrefix(at, ".")
}

func asTable(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	return m, ok
}

func asArray(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []map[string]any:
		out := make([]any, len(l))
		for i, m := range l {
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

func asStrings(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func typeOf(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case time.Time:
		return "TOML " + v.Location().String()
	case map[string]any:
		return "table"
	case []any, []map[string]any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
