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
	var d digester
	level := ""
	if c.Level != nil {
		level = c.Level.ID
	}
	d.field("checklist", c.Version)
	d.date(c.Day)
	d.str(level)
	d.end()
	for _, e := range c.Entries {
		for _, t := range []*Task{e.Task, e.Also} {
			if t == nil {
				continue
			}
			p := t.Plan
			d.field("plan", p.ID, p.Number, p.Title, p.Issuer)
			if p.Date != nil {
				d.date(*p.Date)
			} else {
				d.str("")
			}
			d.str(p.Source)
			d.end()
			d.field("ids", t.Plan.ID+"/"+t.ID, t.Category, t.Responsible)
			d.end()
			d.field("support", t.Support...)
			d.end()
		}
		late := "false"
		if e.Late() {
			late = "true"
		}
		d.field("late", late)
		d.end()
	}
	return d.sum()
}

// Digest is a hash of what a unit's own papers show of it besides its
// checklist: its code, name, level, tags, election day, place and form
// head, and the code, name, level and election day of each of its
// ancestors and children. See Checklist.Digest.
func (u *Unit) Digest() string {
	var d digester
	d.field("unit", u.Code, u.Name, u.Level)
	d.date(u.Day)
	d.str(u.PlaceOf())
	d.end()
	d.field("tags", u.Tags...)
	d.end()
	if hd := u.Head; hd != nil {
		d.field("head", hd.Rule, hd.Place)
		if hd.Issued != nil {
			d.date(*hd.Issued)
		} else {
			d.str("")
		}
		d.str(hd.Number)
		d.str(hd.Subject)
		d.end()
		d.field("left", hd.Left...)
		d.end()
		d.field("right", hd.Right...)
		d.end()
	}
	brief := func(what string, x *Unit) {
		d.field(what, x.Code, x.Name, x.Level)
		d.date(x.Day)
		d.end()
	}
	var up [8]*Unit // the ancestors, nearest first
	ancestors := up[:0]
	for p := u.ParentUnit; p != nil; p = p.ParentUnit {
		ancestors = append(ancestors, p)
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		brief("ancestor", ancestors[i])
	}
	for _, c := range u.Children {
		brief("child", c)
	}
	return d.sum()
}

// digester collects what a Digest hashes, as resolve.go's field writes it
// into a hash: each string as its length (8 bytes, big-endian) and its
// bytes, each field ended by eight 0xff bytes; here into one buffer,
// hashed at once. The bytes, and so the digests, are field's.
type digester struct{ b []byte }

// field writes name and values; the caller may add more values, and ends
// the field with end.
func (d *digester) field(name string, values ...string) {
	if d.b == nil {
		d.b = make([]byte, 0, 1024)
	}
	d.str(name)
	for _, v := range values {
		d.str(v)
	}
}

func (d *digester) str(s string) {
	d.b = binary.BigEndian.AppendUint64(d.b, uint64(len(s)))
	d.b = append(d.b, s...)
}

// date writes day as Date.String formats it.
func (d *digester) date(day Date) {
	d.b = binary.BigEndian.AppendUint64(d.b, 0) // the length, set below
	at := len(d.b)
	d.b = day.appendTo(d.b)
	binary.BigEndian.PutUint64(d.b[at-8:], uint64(len(d.b)-at))
}

func (d *digester) end() { d.b = binary.BigEndian.AppendUint64(d.b, ^uint64(0)) }

func (d *digester) sum() string {
	s := sha256.Sum256(d.b)
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
