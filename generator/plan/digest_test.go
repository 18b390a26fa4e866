package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestDigestStream: Unit.Digest and Checklist.Digest hash the stream that
// field writes into a sha256 hash, field by field as the digests list
// them (written out again below), so that keys stay those of earlier
// builds; for every unit and checklist of the example.
func TestDigestStream(t *testing.T) {
	m, err := Open(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range m.Units {
		if got, want := u.Digest(), unitDigestByField(u); got != want {
			t.Errorf("%s: Digest() = %s, want %s", u.Code, got, want)
		}
		if c := u.Checklist; c != nil {
			if got, want := c.Digest(), checklistDigestByField(c); got != want {
				t.Errorf("%s: checklist Digest() = %s, want %s", u.Code, got, want)
			}
		}
	}
	// A head with an issue date, and no level.
	u := *m.Units[len(m.Units)-1]
	day := Date{2021, 3, 4}
	u.Head = &Head{Rule: "star", Place: "Hà Nội", Issued: &day, Number: "12", Subject: "s", Left: []string{"a", "b"}, Right: []string{"c"}}
	u.Tags = []string{"x", "y"}
	if got, want := u.Digest(), unitDigestByField(&u); got != want {
		t.Errorf("with a head: Digest() = %s, want %s", got, want)
	}
	if u2 := u; true {
		u2.Name += "!"
		if u2.Digest() == u.Digest() {
			t.Errorf("renamed unit: same digest")
		}
	}
}

func unitDigestByField(u *Unit) string {
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

func checklistDigestByField(c *Checklist) string {
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

// TestDateString: as fmt's "%04d-%02d-%02d", for ordinary dates and for
// the values no calendar has.
func TestDateString(t *testing.T) {
	dates := []Date{{2021, 5, 23}, {1, 1, 1}, {999, 12, 31}, {9999, 9, 9}, {10000, 1, 1}, {-5, 1, 1}, {2021, 0, 0}, {2021, 100, 7}, {2021, 1, 123}, {2021, -1, -1}}
	for d := (Date{2020, 1, 1}); d.Year < 2022; d = DateOf(d.Time().Add(24 * time.Hour)) {
		dates = append(dates, d)
	}
	for _, d := range dates {
		if got, want := d.String(), fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day); got != want {
			t.Errorf("Date%v.String() = %q, want %q", [3]int{d.Year, int(d.Month), d.Day}, got, want)
		}
	}
}

// BenchmarkUnitDigest computes the digest of every unit of a 10,000-unit
// tree, as a build's keys do once per unit.
func BenchmarkUnitDigest(b *testing.B) {
	m, err := Open(os.DirFS("../.."))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, u := range m.Units {
			u.Digest()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(m.Units)), "ns/unit")
}
