package plan

import (
	"crypto/sha256"
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
	h := sha256.New()
	level := ""
	if c.Level != nil {
		level = c.Level.ID
	}
	field(h, "checklist", c.Version, c.Day.String(), level)
	for _, e := range c.Entries {
		for _, t := range []*Task{e.Task, e.Also} {
			if t == nil {
				continue
			}
			p := t.Plan
			date := ""
			if p.Date != nil {
				date = p.Date.String()
			}
			field(h, "plan", p.ID, p.Number, p.Title, p.Issuer, date, p.Source)
			field(h, "ids", t.Key(), t.Category, t.Responsible)
			field(h, "support", t.Support...)
		}
		field(h, "late", fmt.Sprint(e.Late()))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// Digest is a hash of what a unit's own papers show of it besides its
// checklist: its code, name, level, tags, election day, place and form
// head, and the code, name, level and election day of each of its
// ancestors and children. See Checklist.Digest.
func (u *Unit) Digest() string {
	h := sha256.New()
	field(h, "unit", u.Code, u.Name, u.Level, u.Day.String(), u.PlaceOf())
	field(h, "tags", u.Tags...)
	if hd := u.Head; hd != nil {
		issued := ""
		if hd.Issued != nil {
			issued = hd.Issued.String()
		}
		field(h, "head", hd.Rule, hd.Place, issued, hd.Number, hd.Subject)
		field(h, "left", hd.Left...)
		field(h, "right", hd.Right...)
	}
	brief := func(what string, x *Unit) { field(h, what, x.Code, x.Name, x.Level, x.Day.String()) }
	for _, a := range u.Ancestors() {
		brief("ancestor", a)
	}
	for _, c := range u.Children {
		brief("child", c)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
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
