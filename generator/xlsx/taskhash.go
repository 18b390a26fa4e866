package xlsx

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"checkgen/generator/plan"
)

// colHash is the hidden column beside the task keys: on every task row it
// holds TaskHash of the task as printed on that sheet, so that a sheet
// filled against an older checklist version still counts for the tasks
// that did not change. Workbooks written before it existed have it empty.
const colHash = "K"

// TaskHash is a short hash of what one entry of checklist c says: the
// part of Checklist.Version that belongs to the task (key, plan number,
// title, the Also task, category, responsible and supporting body names at
// the checklist's level, resolved due, start and limit, items, evidence,
// basis and details). Same wording and dates, same hash; the task's
// position in the list is not covered.
func TaskHash(c *plan.Checklist, e *plan.Entry) string {
	h := sha256.New()
	var n [8]byte
	field := func(name string, values ...string) {
		for _, s := range append([]string{name}, values...) {
			binary.BigEndian.PutUint64(n[:], uint64(len(s)))
			h.Write(n[:])
			h.Write([]byte(s))
		}
		binary.BigEndian.PutUint64(n[:], ^uint64(0))
		h.Write(n[:])
	}
	body := func(b *plan.Body) string {
		if c == nil || c.Level == nil {
			return b.Name
		}
		return b.NameAt(c.Level.ID)
	}
	t := e.Task
	field("task", t.Key(), t.Plan.Number, t.Title)
	if e.Also != nil {
		field("also", e.Also.Key(), e.Also.Plan.Number, e.Also.Title)
	}
	if t.CategoryRef != nil {
		field("category", t.CategoryRef.Name)
	}
	if t.ResponsibleBody != nil {
		field("responsible", body(t.ResponsibleBody))
	}
	for _, b := range t.SupportBodies {
		field("support", body(b))
	}
	for _, mo := range []struct {
		name string
		m    *plan.Moment
	}{{"due", e.Due}, {"start", e.Start}, {"limit", e.Limit}} {
		if mo.m != nil {
			field(mo.name, mo.m.String())
		}
	}
	field("items", t.Items...)
	field("evidence", t.Evidence...)
	field("basis", t.Basis...)
	field("details", t.Details)
	return hex.EncodeToString(h.Sum(nil))[:12]
}
