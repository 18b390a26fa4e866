package output

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// manifestHeader starts a manifest file; a file without it is not one.
// Version 2 hashes with XXH3-128 (see Sum). A version 1 manifest, whose
// hashes are SHA-256, still tells which files a build wrote: its records
// are read without their hashes, so the next build writes every file
// once and then keeps a version 2 manifest.
const (
	manifestHeader   = "checkgen-manifest/2"
	manifestHeaderV1 = "checkgen-manifest/1"
)

// writeManifest writes the records of m and of also (a path in both has
// m's record) to file atomically: one line per output,
// "<key> <sum> <size> <mtime> <path>", sorted by path.
func writeManifest(file string, m, also Manifest) error {
	rels := make([]string, 0, len(m)+len(also))
	for rel := range m {
		rels = append(rels, rel)
	}
	for rel := range also {
		if _, ok := m[rel]; !ok {
			rels = append(rels, rel)
		}
	}
	slices.Sort(rels)
	var buf bytes.Buffer
	buf.Grow(len(rels) * 128)
	buf.WriteString(manifestHeader + "\n")
	var line []byte
	for _, rel := range rels {
		r, ok := m[rel]
		if !ok {
			r = also[rel]
		}
		line = hex.AppendEncode(line[:0], r.Key[:])
		line = append(line, ' ')
		line = hex.AppendEncode(line, r.Sum[:])
		line = append(line, ' ')
		line = strconv.AppendInt(line, r.Size, 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, r.Mod, 10)
		line = append(line, ' ')
		line = append(line, rel...)
		line = append(line, '\n')
		buf.Write(line)
	}
	return writeManifestBytes(file, buf.Bytes())
}

// writeManifestBytes replaces file with data atomically: a reader, or the
// next build after a crash, finds the old file or the new one whole.
func writeManifestBytes(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".tmp-")
	if err != nil {
		return fmt.Errorf("writing the build manifest: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the build manifest: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the build manifest: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// readManifest reads a manifest written by writeManifest. Any damage makes
// it an error: the caller then rebuilds everything, which is always safe.
func readManifest(file string) (Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parseManifest(file, data)
}

// parseManifest parses the bytes of a manifest read from file.
func parseManifest(file string, data []byte) (Manifest, error) {
	head, rest, ok := bytes.Cut(data, []byte("\n"))
	v1 := string(head) == manifestHeaderV1
	if !ok || string(head) != manifestHeader && !v1 {
		return nil, fmt.Errorf("%s: not a checkgen manifest", file)
	}
	m := make(Manifest, bytes.Count(rest, []byte("\n")))
	sc := bufio.NewScanner(bytes.NewReader(rest))
	sc.Buffer(nil, 1<<20)
	n := 1
	for sc.Scan() {
		n++
		f := bytes.SplitN(sc.Bytes(), []byte(" "), 5)
		var r Record
		var err1, err2, err3, err4 error
		if len(f) == 5 {
			_, err1 = hex.Decode(r.Key[:], f[0])
			_, err2 = hex.Decode(r.Sum[:], f[1])
			r.Size, err3 = strconv.ParseInt(string(f[2]), 10, 64)
			r.Mod, err4 = strconv.ParseInt(string(f[3]), 10, 64)
		}
		if len(f) != 5 || len(f[0]) != 32 || len(f[1]) != 32 || err1 != nil || err2 != nil || err3 != nil || err4 != nil || Check(string(f[4])) != nil {
			return nil, fmt.Errorf("%s:%d: damaged line", file, n)
		}
		if v1 {
			r.Key, r.Sum = Sum{}, Sum{} // hashed otherwise: match nothing
		}
		m[string(f[4])] = r
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
