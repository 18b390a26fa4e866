package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
)

// A Loader loads one site again and again, as a server does after every
// save, reading and parsing again only the files that changed: each
// file's result (its values, errors and text) is kept, by the hash of
// its bytes, for the next load. A Loader is safe for concurrent use, but
// its loads are meant to run one after another.
type Loader struct {
	// Parsed, when set, is told the name of each file parsed (not taken
	// from an earlier load). For tests.
	Parsed func(name string)

	mu    sync.Mutex
	parts map[string]*part // by file name

	csv     *csvMemo   // units.csv as last read (csvmemo.go)
	last    *Model     // the last model resolved without errors (tree.go)
	lastSrc treeSource // the parts it was resolved from
	lastSet *Set       // and the set
}

// part is what loading one file added to a set.
type part struct {
	hash string // of the file's bytes, or of why it could not be read
	set  *Set   // holding only what the file gave
}

// Changes lists what may have changed since a loader's last load:
// nil for everything (the bytes of every file are then read and
// compared), else slash-separated paths relative to the site root, of
// files or of folders (everything under them may have changed).
type Changes []string

// has reports whether the file name may have changed.
func (c Changes) has(name string) bool {
	if c == nil {
		return true
	}
	for _, p := range c {
		if p == name || p == "." || strings.HasPrefix(name, p+"/") {
			return true
		}
	}
	return false
}

// Load loads the site rooted at fsys as Load does, reading only the files
// that changed may name; the others are the loader's from the last load
// that read them. The set returned is the loader's: a set Load would
// return, whose values (shared with earlier sets of the same loader)
// must not be changed.
func (l *Loader) Load(fsys fs.FS, changed Changes) (*Set, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.parts == nil {
		l.parts = map[string]*part{}
	}
	s, err := load(fsys, l, changed)
	if s != nil {
		for name := range l.parts {
			if !s.tried[name] {
				delete(l.parts, name) // a plan file removed
			}
		}
	}
	return s, err
}

// part loads the file name with load, or takes its result from the
// loader's last load when it did not change.
func (s *Set) part(fsys fs.FS, name string, load func(*Set, fs.FS)) {
	l := s.memo
	if l == nil {
		load(s, fsys)
		return
	}
	s.tried[name] = true
	p := l.parts[name]
	defer func() { s.from[name] = p.set }()
	if p == nil || s.changed.has(name) {
		raw, msg := readRegular(fsys, name, maxSize(name))
		h := "error: " + msg
		if msg == "" {
			sum := sha256.Sum256(raw)
			h = hex.EncodeToString(sum[:])
		}
		if p == nil || p.hash != h {
			sub := newSet()
			if name == UnitsCSV {
				l.loadUnitsCSV(sub, fsys, raw, msg == "") // csvmemo.go
			} else {
				load(sub, fsys)
			}
			if src, ok := sub.Sources[name]; ok && sub.digests[name] == "" && msg == "" && src == string(raw) {
				sub.digests[name] = h // textDigest of a text that is the file's bytes
			}
			textDigests(sub)
			p = &part{hash: h, set: sub}
			l.parts[name] = p
			if l.Parsed != nil {
				l.Parsed(name)
			}
		}
	}
	s.add(p.set)
}

// add adds what one file gave to the set.
func (s *Set) add(p *Set) {
	if p.Site != nil {
		s.Site = p.Site
	}
	s.Bodies = append(s.Bodies, p.Bodies...)
	s.Units = append(s.Units, p.Units...)
	s.Plans = append(s.Plans, p.Plans...)
	maps.Copy(s.Sources, p.Sources)
	maps.Copy(s.digests, p.digests)
	maps.Copy(s.broken, p.broken)
	s.errs = append(s.errs, p.errs...)
}

// Digest is a hash of what the set's files say: the values of its TOML
// files, not how they are written (spaces, comments, the order of keys,
// the lines values are on), and the text of its other files. Two sets with
// one digest resolve to models that show the same; only the places in
// their messages may differ.
func (s *Set) Digest() string {
	h := sha256.New()
	names := make([]string, 0, len(s.Sources))
	for name := range s.Sources {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		d, ok := s.digests[name]
		if !ok {
			d = textDigest(s.Sources[name])
		}
		fmt.Fprintf(h, "%s\x00%s\x00", name, d)
	}
	fmt.Fprintf(h, "%d\x00", len(s.errs)) // a set with errors is never equal to one without
	return hex.EncodeToString(h.Sum(nil))
}

// textDigests gives the files of the set that have no digest of their
// values (units.csv) the digest of their text, computed once.
func textDigests(s *Set) {
	for name, src := range s.Sources {
		if _, ok := s.digests[name]; !ok {
			s.digests[name] = textDigest(src)
		}
	}
}

func textDigest(src string) string {
	sum := sha256.Sum256([]byte(src))
	return hex.EncodeToString(sum[:])
}

// digest hashes a decoded TOML table: %#v writes every value with its
// type, and the keys of maps sorted.
func digest(m map[string]any) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%#v", m))
	return hex.EncodeToString(sum[:])
}

// Resolve resolves a set the loader returned, as Resolve does. When the
// set's site.toml and units files are those of the last model it
// resolved without errors, the units' links and heads are taken from
// that model rather than computed again.
func (l *Loader) Resolve(s *Set) (*Model, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, ok := s.treeSource()
	var prev *Model
	var renamed []bool
	switch {
	case !ok || l.last == nil:
	case src == l.lastSrc:
		prev = l.last
	case src.site == l.lastSrc.site && src.unitsTOML == l.lastSrc.unitsTOML:
		// units.csv changed: if only names and places did, the units
		// link as before.
		if r, same := sameShape(l.lastSet.Units, s.Units); same {
			prev, renamed = l.last, r
		}
	}
	m, err := resolve(s, prev, renamed)
	if err == nil && ok {
		l.last, l.lastSrc, l.lastSet = m, src, s
	}
	return m, err
}
