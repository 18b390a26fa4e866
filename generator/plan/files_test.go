package plan

import (
	"bytes"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// wantLoadError opens fsys and checks that the errors hold want.
func wantLoadError(t *testing.T, fsys fs.FS, want string) {
	t.Helper()
	_, err := Open(fsys)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Open: %v\nwant an error holding %q", err, want)
	}
}

// TestNotRegular: pipes, devices and sockets are refused with their name,
// before they are opened (D6/D7).
func TestNotRegular(t *testing.T) {
	for _, c := range []struct {
		mode fs.FileMode
		what string
	}{
		{fs.ModeNamedPipe, "a named pipe (FIFO)"},
		{fs.ModeDevice | fs.ModeCharDevice, "a device"},
		{fs.ModeSocket, "a socket"},
	} {
		fsys := siteFS(t, nil)
		fsys[UnitsCSV] = &fstest.MapFile{Mode: c.mode}
		wantLoadError(t, fsys, UnitsCSV+": is "+c.what+", not a regular file")
	}
}

// TestTooLarge: a file larger than its limit is refused by its size,
// without being decoded.
func TestTooLarge(t *testing.T) {
	fsys := siteFS(t, nil)
	fsys[UnitsFile] = &fstest.MapFile{Data: bytes.Repeat([]byte("# \n"), MaxTOMLSize/3+1)}
	wantLoadError(t, fsys, UnitsFile+": is 1.0 MiB, larger than the limit of 1.0 MiB")
}

// lyingFS claims that units.csv is a small regular file but serves
// endless bytes, like a device behind a link whose target changed.
type lyingFS struct{ fstest.MapFS }

func (l lyingFS) Open(name string) (fs.File, error) {
	if name == UnitsCSV {
		return &endless{}, nil
	}
	return l.MapFS.Open(name)
}

func (l lyingFS) Stat(name string) (fs.FileInfo, error) {
	if name == UnitsCSV {
		return (&endless{}).Stat()
	}
	return fs.Stat(l.MapFS, name)
}

type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}
func (e *endless) Close() error               { return nil }
func (e *endless) Stat() (fs.FileInfo, error) { return smallInfo{}, nil }

type smallInfo struct{}

func (smallInfo) Name() string       { return "units.csv" }
func (smallInfo) Size() int64        { return 10 }
func (smallInfo) Mode() fs.FileMode  { return 0o644 }
func (smallInfo) ModTime() time.Time { return time.Time{} }
func (smallInfo) IsDir() bool        { return false }
func (smallInfo) Sys() any           { return nil }

// TestLyingSize: however small a file says it is, no more than the limit
// is read.
func TestLyingSize(t *testing.T) {
	wantLoadError(t, lyingFS{siteFS(t, nil)}, UnitsCSV+": is larger than the limit of 128.0 MiB")
}

// TestNestingBomb: the 40 KB plan of nested inline tables that took the
// TOML decoder 41 s and 4.2 GB is refused at the 33rd brace.
func TestNestingBomb(t *testing.T) {
	fsys := siteFS(t, nil)
	bomb := "number = \"1\"\ntitle = \"t\"\nx = " + strings.Repeat("{a=", 13000) + strings.Repeat("}", 13000) + "\n"
	fsys["content/plans/p.toml"] = &fstest.MapFile{Data: []byte(bomb)}
	wantLoadError(t, fsys, "content/plans/p.toml:3:101: arrays and inline tables nest more than 32 deep")
	arrays := "number = \"1\"\ntitle = \"t\"\nx = " + strings.Repeat("[", 40000) + "\n"
	fsys["content/plans/p.toml"] = &fstest.MapFile{Data: []byte(arrays)}
	wantLoadError(t, fsys, "content/plans/p.toml:3:37: arrays and inline tables nest more than 32 deep")
}

func TestTooDeepStrings(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1)
	for _, c := range []struct {
		src  string
		want int
	}{
		{"a = \"" + deep + "\"", -1},
		{"a = '" + deep + "'", -1},
		{"a = \"\"\"\n" + deep + "\n\"\"\"", -1},
		{"a = '''\n" + deep + "\n'''", -1},
		{"a = \"x\\\"" + deep + "\"", -1}, // an escaped quote does not end it
		{"a = \"\"\"x\\\"\"\"" + deep + "\"\"\"", -1},
		{"a = 'x\\'" + deep, 8 + MaxDepth}, // no escapes in literal strings: ends at the second '
		{"# " + deep + "\n" + "x = " + deep, 2 + MaxDepth + 1 + 1 + 4 + MaxDepth},
		{"a = \"x\nb = " + deep, 7 + 4 + MaxDepth},      // an unterminated string ends at its line
		{"a = \"\"\"x\"\"\"\"\"" + deep, 13 + MaxDepth}, // x"" then """ closes: two quotes may stand before the closing ones
		{"x = " + strings.Repeat("[]", 100) + deep, 4 + 200 + MaxDepth},
		{" " + deep + "]]\n", -1}, // a table header, however odd
	} {
		if got, _ := tooDeep(c.src); got != c.want {
			t.Errorf("tooDeep(%q) = %d, want %d", c.src, got, c.want)
		}
	}
}

// TestNestingWeight: many shallow inline tables or nested arrays are
// refused where their weight passes MaxNesting; table headers and arrays
// of strings weigh nothing.
func TestNestingWeight(t *testing.T) {
	line := "k = {a=1}\n" // weighs 1
	src := strings.Repeat(line, MaxNesting) + line
	if off, msg := tooDeep(src); off != len(line)*MaxNesting+4 || !strings.Contains(msg, "too many nested") {
		t.Errorf("%d inline tables: tooDeep = %d, %q; want %d", MaxNesting+1, off, msg, len(line)*MaxNesting+4)
	}
	line = "k = [[1], [2]]\n" // weighs 2 + 2
	src = strings.Repeat(line, MaxNesting/4) + line
	if off, _ := tooDeep(src); off != len(line)*MaxNesting/4+5 {
		t.Errorf("nested arrays: tooDeep = %d, want %d", off, len(line)*MaxNesting/4+5)
	}
	for _, ok := range []string{
		strings.Repeat("[[unit]]\ntags = [\"a\", \"b\"]\n", MaxNesting+1),
		strings.Repeat("  [ table . \"x]\" ] # [[[\nlevels = [\n  \"a\",\n]\n", MaxNesting+1),
	} {
		if off, msg := tooDeep(ok); off >= 0 {
			t.Errorf("tooDeep(%.40q...) = %d, %q; want -1", ok, off, msg)
		}
	}
}

var _ io.Reader = (*endless)(nil)
