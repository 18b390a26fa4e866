package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

// outputsEqualBuild renders every output Outputs lists for the site and
// compares them with what Build wrote into dest: the same paths, the
// same bytes.
func outputsEqualBuild(t *testing.T, site, dest string, opts Options) {
	t.Helper()
	res, err := Build(Options{Site: site, Dest: dest, SourceDateEpoch: opts.SourceDateEpoch})
	if err != nil {
		t.Fatal(err)
	}
	built := tree(t, dest)
	m, err := Open(site)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Outputs(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != res.Files {
		t.Errorf("Outputs lists %d outputs, the build wrote %d files", len(outs), res.Files)
	}
	kinds := map[string]int{}
	for i, o := range outs {
		want, ok := built[o.Path]
		if !ok {
			t.Errorf("%s: listed, not built", o.Path)
			continue
		}
		delete(built, o.Path)
		if !fixture.SampledFile(i, len(outs), o.Path) {
			continue
		}
		var buf bytes.Buffer
		if err := o.Render(&buf); err != nil {
			t.Errorf("%s: %v", o.Path, err)
			continue
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: %d bytes rendered, %d built, not the same", o.Path, buf.Len(), len(want))
		}
		kinds[kindOf(o.Path)]++
	}
	for p := range built {
		t.Errorf("%s: built, not listed", p)
	}
	for _, k := range []string{".html", ".ics", ".pdf", ".xlsx", ".json", ".js", ".css", ".toml"} {
		if kinds[k] == 0 {
			t.Errorf("no output of kind %s compared (kinds: %v)", k, kinds)
		}
	}
}

func kindOf(p string) string { return filepath.Ext(p) }

// TestOutputsEqualBuild: every output of the example, rendered on its own
// from Outputs, has the bytes Build writes; again after a task's title
// is edited (an incremental build beside a fresh listing).
func TestOutputsEqualBuild(t *testing.T) {
	site := copyExample(t)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Site: site, SourceDateEpoch: "1620000000"}
	outputsEqualBuild(t, site, dest, opts)

	file := filepath.Join(site, "content", "plans", "luat-bau-cu-2015.toml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const title = `= "Thành lập Ủy ban bầu cử"`
	if !bytes.Contains(b, []byte(title)) {
		t.Fatalf("no %s in the plan", title)
	}
	edited := bytes.Replace(b, []byte(title), []byte(`= "Thành lập Ủy ban bầu cử (đã sửa)"`), 1)
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	outputsEqualBuild(t, site, dest, opts)
}

// TestOutputsKeys: a unit's outputs carry a key, which changes when the
// content they show changes and stays when it does not.
func TestOutputsKeys(t *testing.T) {
	site := copyExample(t)
	keys := func() map[string]string {
		m, err := Open(site)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := Outputs(m, Options{Site: site})
		if err != nil {
			t.Fatal(err)
		}
		k := map[string]string{}
		for _, o := range outs {
			k[o.Path] = o.Key
		}
		return k
	}
	before := keys()
	unit := ""
	for p, k := range before {
		if strings.HasPrefix(p, "pdf/units/") {
			if k == "" {
				t.Errorf("%s has no key", p)
			}
			unit = p
		}
	}
	if unit == "" {
		t.Fatal("no unit PDF listed")
	}
	if again := keys(); again[unit] != before[unit] {
		t.Errorf("%s: key changed with nothing edited", unit)
	}
	file := filepath.Join(site, "content", "site.toml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(b, "\n# a comment\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if after := keys(); after[unit] == before[unit] {
		t.Errorf("%s: key kept after site.toml changed", unit)
	}
}

// TestCache: the cache keeps what it rendered within its bound, drops the
// least recently used first, renders a key asked for twice at once only
// once, and keeps no error.
func TestCache(t *testing.T) {
	var renders atomic.Int32
	render := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { renders.Add(1); _, err := io.WriteString(w, s); return err }
	}
	c := NewCache(10)
	get := func(key, s string) string {
		t.Helper()
		b, err := c.Get(key, render(s))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := get("a", "aaaa"); got != "aaaa" {
		t.Errorf("a: %q", got)
	}
	get("b", "bbbb")
	get("a", "xxxx") // cached: not rendered, a is now the most recent
	if got := get("a", "xxxx"); got != "aaaa" || renders.Load() != 2 {
		t.Errorf("a again: %q after %d renders, want aaaa after 2", got, renders.Load())
	}
	get("c", "cccc") // 12 bytes > 10: b, the least recent, goes
	if c.Size() != 8 {
		t.Errorf("size %d, want 8", c.Size())
	}
	n := renders.Load()
	get("b", "bbbb")
	if renders.Load() != n+1 {
		t.Errorf("b was kept beyond the bound")
	}
	get("big", "0123456789ab") // larger than the cache: not kept
	if c.Size() > 10 {
		t.Errorf("size %d over the bound 10", c.Size())
	}

	fail := errors.New("bad layout")
	if _, err := c.Get("e", func(io.Writer) error { return fail }); err != fail {
		t.Errorf("error %v, want %v", err, fail)
	}
	if got := get("e", "ok"); got != "ok" {
		t.Errorf("after an error: %q, want a new render", got)
	}

	// Many at once on one key: one render.
	release := make(chan struct{})
	var once atomic.Int32
	started := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := c.Get("same", func(w io.Writer) error {
				once.Add(1)
				started <- struct{}{}
				<-release
				_, err := fmt.Fprint(w, "s")
				return err
			})
			if err != nil || string(b) != "s" {
				t.Errorf("goroutine %d: %q, %v", i, b, err)
			}
		}()
	}
	<-started
	close(release)
	wg.Wait()
	if once.Load() != 1 {
		t.Errorf("%d renders of one key asked for at once, want 1", once.Load())
	}
}

// BenchmarkOutputs measures what serve does after a save, stage by stage:
// load and resolve, list the outputs, check. On the example, or on the
// site in CHECKGEN_BENCH_SITE:
//
//	go run ./generator/national/mknational -s . -o /tmp/nat10k -polling 10000
//	CHECKGEN_BENCH_SITE=/tmp/nat10k go test -run '^$' -bench Outputs -benchtime 10x ./generator/
func BenchmarkOutputs(b *testing.B) {
	site := os.Getenv("CHECKGEN_BENCH_SITE")
	if site == "" {
		site = ".."
	}
	var open, list, check time.Duration
	for range b.N {
		t0 := time.Now()
		m, err := Open(site)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Outputs(m, Options{Site: site}); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := Check(m, nil, nil); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		open, list, check = open+t1.Sub(t0), list+t2.Sub(t1), check+t3.Sub(t2)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(open), "open-ms")
	b.ReportMetric(ms(list), "outputs-ms")
	b.ReportMetric(ms(check), "check-ms")
}

// TestOutputSet: each output an OutputSet gives for a path, listed on
// its own as a server asks for it, has the key and bytes of the output
// of that path in the whole listing; Dir lists every path; a path of no
// output is not found.
func TestOutputSet(t *testing.T) {
	site := copyExample(t)
	m, err := Open(site)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Site: site, SourceDateEpoch: "1620000000"}
	all, err := Outputs(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewOutputSet(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for i, o := range all {
		if !fixture.SampledFile(i, len(all), o.Path) {
			continue
		}
		got, ok, err := set.Output(o.Path)
		if err != nil || !ok {
			t.Errorf("Output(%q) = %v, %v; want it listed", o.Path, ok, err)
			continue
		}
		if got.Key != o.Key {
			t.Errorf("Output(%q).Key = %q, want %q", o.Path, got.Key, o.Key)
		}
		var a, b bytes.Buffer
		if err := o.Render(&a); err != nil {
			t.Fatal(err)
		}
		if err := got.Render(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("Output(%q): %d bytes, the whole listing's %d, not the same", o.Path, b.Len(), a.Len())
		}
		dir, base := filepath.Split(o.Path)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		entries, ok, err := set.Dir(dir)
		if err != nil || !ok || !slicesContains(entries, base) {
			t.Errorf("Dir(%q) = %q, %v, %v; want %q in it", dir, entries, ok, err, base)
		}
		listed[o.Path] = true
	}
	for _, p := range []string{"units/nope/index.html", "pdf/units/nope.pdf", "nope.html", "units/" + m.Units[0].Code + "/nope.html"} {
		if _, ok, err := set.Output(p); ok || err != nil {
			t.Errorf("Output(%q) = %v, %v; want not found", p, ok, err)
		}
	}
}

func slicesContains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// BenchmarkOutputSetUnit measures what serve does for the first request
// of a unit's page and of its PDF after a reload: list and render each
// from a new OutputSet. On the example, or on CHECKGEN_BENCH_SITE:
//
//	CHECKGEN_BENCH_SITE=/tmp/national go test -run '^$' -bench OutputSetUnit -benchtime 10x ./generator/
func BenchmarkOutputSetUnit(b *testing.B) {
	site := os.Getenv("CHECKGEN_BENCH_SITE")
	if site == "" {
		site = ".."
	}
	m, err := Open(site)
	if err != nil {
		b.Fatal(err)
	}
	u := m.Units[len(m.Units)-1]
	for _, path := range []string{"units/" + u.Code + "/index.html", "pdf/units/" + u.Code + ".pdf"} {
		b.Run(filepath.Ext(path)[1:], func(b *testing.B) {
			for b.Loop() {
				set, err := NewOutputSet(m, Options{Site: site})
				if err != nil {
					b.Fatal(err)
				}
				o, ok, err := set.Output(path)
				if err != nil || !ok {
					b.Fatalf("Output(%q) = %v, %v", path, ok, err)
				}
				if err := o.Render(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestUnitKeys: the key of a unit's outputs changes with what they show
// of it, and only then: a task of the province level only changes the
// province's PDF key and no polling area's; renaming a polling area
// changes its keys and its commune's workbook key (a sheet per child),
// not a sibling's.
func TestUnitKeys(t *testing.T) {
	site := copyExample(t)
	keys := func() map[string]string {
		t.Helper()
		m, err := Open(site)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := Outputs(m, Options{Site: site, SourceDateEpoch: "1620000000"})
		if err != nil {
			t.Fatal(err)
		}
		k := map[string]string{}
		for _, o := range outs {
			k[o.Path] = o.Key
		}
		return k
	}
	edit := func(file, old, new string) {
		t.Helper()
		p := filepath.Join(site, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s: no %q", file, old)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := Open(site)
	if err != nil {
		t.Fatal(err)
	}
	var province, commune, polling, sibling string
	for _, u := range m.Units {
		switch {
		case u.Level == "province" && province == "":
			province = u.Code
		case u.Level == "polling" && polling == "" && u.ParentUnit != nil && len(u.ParentUnit.Children) > 1:
			polling, commune, sibling = u.Code, u.ParentUnit.Code, u.ParentUnit.Children[1].Code
		}
	}
	if province == "" || polling == "" || sibling == polling {
		t.Fatalf("no province, or no polling area with a sibling: %q %q %q", province, polling, sibling)
	}
	changed := func(what string, before, after map[string]string, want map[string]bool) {
		t.Helper()
		for p, w := range want {
			if got := before[p] != after[p]; got != w {
				t.Errorf("%s: key of %s changed = %v, want %v", what, p, got, w)
			}
		}
	}
	before := keys()
	var task *plan.Task
	for _, x := range m.Tasks {
		if len(x.Levels) == 1 && x.Levels[0] == "province" && strings.Count(m.Sources[x.Pos.File], `"`+x.Title+`"`) == 1 {
			task = x
			break
		}
	}
	if task == nil {
		t.Fatal("no task of the province level only")
	}
	edit(task.Pos.File, `"`+task.Title+`"`, `"`+task.Title+` (edited)"`)
	after := keys()
	changed("a province task", before, after, map[string]bool{
		"pdf/units/" + province + ".pdf": true, "units/" + province + "/index.html": true,
		"pdf/units/" + polling + ".pdf": false, "units/" + polling + "/index.html": false, "xlsx/units/" + commune + ".xlsx": false,
	})
	before = after
	name := m.Unit(polling).Name
	edit(plan.UnitsCSV, polling+","+commune+",polling,"+name+",", polling+","+commune+",polling,"+name+" (renamed),")
	after = keys()
	changed("a polling area renamed", before, after, map[string]bool{
		"pdf/units/" + polling + ".pdf": true, "xlsx/units/" + commune + ".xlsx": true, "units/" + commune + "/index.html": true,
		"pdf/units/" + sibling + ".pdf": false, "units/" + sibling + "/index.html": false,
	})
}
