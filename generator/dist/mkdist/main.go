// Command mkdist cross-compiles checkgen and writes one release archive
// per platform, with the version stamped in, and a SHA256SUMS file:
//
//	checkgen_VERSION_linux_amd64.tar.gz   checkgen, README.md, LICENSE
//	checkgen_VERSION_windows_amd64.zip    checkgen.exe, README.md, LICENSE
//	SHA256SUMS                            as sha256sum -c reads it
//
// Usage:
//
//	mkdist [-version V] [-o DIR] [-platforms linux/amd64,...]
//
// The archives are reproducible: the binaries are built with -trimpath
// and without a build id, and every archive entry carries the same time
// (SOURCE_DATE_EPOCH when set, else 2021-05-23) and fixed permissions.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Platforms are the release targets.
var Platforms = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64"}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkdist", flag.ContinueOnError)
	version := fs.String("version", "dev", "the version to stamp into the binaries and archive names")
	out := fs.String("o", "dist", "the output `directory`")
	platforms := fs.String("platforms", strings.Join(Platforms, ","), "comma-separated GOOS/GOARCH `targets`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	mtime := time.Date(2021, 5, 23, 0, 0, 0, 0, time.UTC)
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		mtime = time.Unix(n, 0).UTC()
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	docs := map[string][]byte{}
	for _, name := range []string{"README.md", "LICENSE"} {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("%v (run mkdist from the repository's root)", err)
		}
		docs[name] = b
	}
	rev := gitCommit()
	var sums bytes.Buffer
	for _, p := range strings.Split(*platforms, ",") {
		goos, goarch, ok := strings.Cut(strings.TrimSpace(p), "/")
		if !ok {
			return fmt.Errorf("platform %q: want GOOS/GOARCH", p)
		}
		exe := "checkgen"
		if goos == "windows" {
			exe += ".exe"
		}
		bin, err := build(goos, goarch, *version, rev)
		if err != nil {
			return err
		}
		files := []entry{{exe, bin, 0o755}, {"README.md", docs["README.md"], 0o644}, {"LICENSE", docs["LICENSE"], 0o644}}
		name := fmt.Sprintf("checkgen_%s_%s_%s", *version, goos, goarch)
		var archive []byte
		if goos == "windows" {
			name += ".zip"
			archive, err = zipArchive(files, mtime)
		} else {
			name += ".tar.gz"
			archive, err = tarArchive(name[:len(name)-len(".tar.gz")], files, mtime)
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, name), archive, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(archive), name)
		fmt.Printf("%s (%d bytes)\n", filepath.Join(*out, name), len(archive))
	}
	return os.WriteFile(filepath.Join(*out, "SHA256SUMS"), sums.Bytes(), 0o644)
}

// build cross-compiles ./cmd/checkgen for one platform and returns the binary.
func build(goos, goarch, version, commit string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "mkdist-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "checkgen")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -buildid= -X main.version="+version+" -X main.commit="+commit, "-o", bin, "./cmd/checkgen")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("building for %s/%s: %w", goos, goarch, err)
	}
	return os.ReadFile(bin)
}

// gitCommit is the checkout's commit, with "+modified" when it has
// uncommitted changes, or "" outside a git checkout.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		rev += "+modified"
	}
	return rev
}

type entry struct {
	name string
	data []byte
	mode int64
}

// tarArchive writes the files into a gzipped tar under one folder.
func tarArchive(folder string, files []entry, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: folder + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
		return nil, err
	}
	for _, f := range files {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: folder + "/" + f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// zipArchive writes the files into a zip at its root, as Windows users
// expect to unpack it into a folder of their choice.
func zipArchive(files []entry, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(os.FileMode(f.mode))
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, bytes.NewReader(f.data)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
