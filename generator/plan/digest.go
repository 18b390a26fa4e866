package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
)

// Digest is a hash of everything the checklist's entries show, for the
// keys of the outputs that print them: its Version, and what that leaves
// out: the day and the level, and per entry the ids of its task's plan,
// category and bodies (pages link to them), its plan's number, title,
// issuer, date and source, and whether its due is late. Renderers that
// cache their outputs mix it into their keys (see site.Key).
func (c *Checklist) Digest() string {
	var buf [1024]byte
	d := buf[:0]
	level := ""
	if c.Level != nil {
		level = c.Level.ID
	}
	d = appendField(d, "checklist", c.Version)
	d = appendDate(d, c.Day)
	d = appendStr(d, level)
	d = appendEnd(d)
	for _, e := range c.Entries {
		for _, t := range []*Task{e.Task, e.Also} {
			if t == nil {
				continue
			}
			p := t.Plan
			d = appendField(d, "plan", p.ID, p.Number, p.Title, p.Issuer)
			if p.Date != nil {
				d = appendDate(d, *p.Date)
			} else {
				d = appendStr(d, "")
			}
			d = appendStr(d, p.Source)
			d = appendEnd(d)
			d = appendField(d, "ids", t.Plan.ID+"/"+t.ID, t.Category, t.Responsible)
			d = appendEnd(d)
			d = appendField(d, "support", t.Support...)
			d = appendEnd(d)
		}
		late := "false"
		if e.Late() {
			late = "true"
		}
		d = appendField(d, "late", late)
		d = appendEnd(d)
	}
	return digestOf(d)
}

// Digest is a hash of what a unit's own papers show of it besides its
// checklist: its code, name, level, tags, election day, place and form
// head, and the code, name, level and election day of each of its
// ancestors and children. See Checklist.Digest.
func (u *Unit) Digest() string {
	var buf [1024]byte
	d := buf[:0]
	d = appendField(d, "unit", u.Code, u.Name, u.Level)
	d = appendDate(d, u.Day)
	d = appendStr(d, u.PlaceOf())
	d = appendEnd(d)
	d = appendField(d, "tags", u.Tags...)
	d = appendEnd(d)
	if hd := u.Head; hd != nil {
		d = appendField(d, "head", hd.Rule, hd.Place)
		if hd.Issued != nil {
			d = appendDate(d, *hd.Issued)
		} else {
			d = appendStr(d, "")
		}
		d = appendStr(d, hd.Number)
		d = appendStr(d, hd.Subject)
		d = appendEnd(d)
		d = appendField(d, "left", hd.Left...)
		d = appendEnd(d)
		d = appendField(d, "right", hd.Right...)
		d = appendEnd(d)
	}
	var up [8]*Unit // the ancestors, nearest first
	ancestors := up[:0]
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		ancestors = append(ancestors, p)
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		d = appendBrief(d, "ancestor", ancestors[i])
	}
	for _, c := range u.Children {
		d = appendBrief(d, "child", c)
	}
	return digestOf(d)
}

// A Digest collects what it hashes in a buffer, as resolve.go's field
// writes it into a hash: each string as its length (8 bytes, big-endian)
// and its bytes, each field ended by eight 0xff bytes; the buffer is
// hashed at once. The bytes, and so the digests, are field's.

// appendField appends name and values; the caller may append more values, and
// ends the field with appendEnd.
func appendField(b []byte, name string, values ...string) []byte {
	b = appendStr(b, name)
	for _, v := range values {
		b = appendStr(b, v)
	}
	return b
}

// appendBrief appends the field what of unit x: its code, name, level
// and day.
func appendBrief(b []byte, what string, x *Unit) []byte {
	b = appendField(b, what, x.Code, x.Name, x.Level)
	b = appendDate(b, x.Day)
	return appendEnd(b)
}

func appendStr(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// appendDate appends day as Date.String formats it.
func appendDate(b []byte, day Date) []byte {
	b = binary.BigEndian.AppendUint64(b, 0) // the length, set below
	at := len(b)
	b = day.appendTo(b)
	binary.BigEndian.PutUint64(b[at-8:], uint64(len(b)-at))
	return b
}

func appendEnd(b []byte) []byte { return binary.BigEndian.AppendUint64(b, ^uint64(0)) }

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:12])
}

// Digests computes each unit's and each checklist's Digest once: a
// build's renderers each key every unit's outputs, and a workbook's key
// also covers every child's. It is safe for concurrent use.
type Digests struct {
	mu         sync.Mutex
	units      map[*Unit]string
	checklists map[*Checklist]string
}

// NewDigests returns an empty Digests.
func NewDigests() *Digests {
	return &Digests{units: map[*Unit]string{}, checklists: map[*Checklist]string{}}
}

// Unit returns u.Digest().
func (d *Digests) Unit(u *Unit) string { return memo(d, d.units, u, u.Digest) }

// Checklist returns c.Digest().
func (d *Digests) Checklist(c *Checklist) string { return memo(d, d.checklists, c, c.Digest) }

func memo[K comparable](d *Digests, m map[K]string, k K, compute func() string) string {
	d.mu.Lock()
	v, ok := m[k]
	d.mu.Unlock()
	if !ok {
		v = compute()
		d.mu.Lock()
		m[k] = v
		d.mu.Unlock()
	}
	return v
}

// appendTo appends the date as String formats it.
func (d Date) appendTo(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	y, m := d.Year, int(d.Month)
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}
