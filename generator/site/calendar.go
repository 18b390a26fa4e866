package site

import (
	"bufio"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"checkgen/generator/output"
	"checkgen/generator/plan"
)

// Calendars (RFC 5545) let a committee subscribe to its deadlines:
// calendar.ics holds every dated task of the site, levels/<id>/calendar.ics
// a level's checklist, and calendars/<version>-<yyyymmdd>.ics the
// checklist of version <version> with dates from election day <yyyymmdd>,
// once for every unit with that checklist and day: a unit page links to
// its own. Each deadline is one event on its day (at its time when it has
// one). Its UID is "<plan>.<task>.<scope>@checkgen", where the scope is
// "level-<id>" in a level's calendar, "day-<yyyymmdd>" (the calendar's
// election day) in a unit's, and absent in calendar.ics: the same task on
// the same day is the same event in every unit calendar, and keeps its
// UID when the checklist's version changes, so that a calendar imported
// again updates events instead of adding them. DTSTAMP is the build date:
// no clock, same input, same bytes.

func (r *renderer) siteCalendar(out output.Sink) error {
	return out.Render("calendar.ics", func(w io.Writer) error {
		return r.writeCalendar(w, r.m.Site.Title, "", r.m.Timeline)
	})
}

// calendarPath returns the path of u's calendar inside the destination,
// "calendars/<version>-<yyyymmdd>.ics", or "" when u has no checklist.
func calendarPath(u *plan.Unit) string {
	c := u.Checklist
	if c == nil {
		return ""
	}
	return "calendars/" + c.Version + "-" + dayStamp(c.Day) + ".ics"
}

func dayStamp(d plan.Date) string { return d.Time().Format("20060102") }

// linkCalendar points a unit page's calendar link at the unit's calendar,
// or drops it when the unit has none.
func linkCalendar(p *Page, u *plan.Unit) {
	for i, l := range p.Downloads {
		if l.Href == "calendar.ics" {
			if path := calendarPath(u); path != "" {
				p.Downloads[i].Href = unitRoot + path
			} else {
				p.Downloads = append(p.Downloads[:i], p.Downloads[i+1:]...)
			}
			return
		}
	}
}

// writeUnitCalendars writes the calendar of every (checklist version,
// election day) of the units built, once. All the units of one calendar
// have the same entries on the same days (the version covers them), and
// each event says what only the task and the day decide; the calendar is
// named after the first unit in site order with it, whichever units are
// built, so that a build of some units writes the same bytes.
func (r *renderer) writeUnitCalendars(out output.Sink) error {
	first := firstOfCalendars(r.m)
	var paths []string
	seen := map[string]bool{}
	for _, u := range r.units {
		if path := calendarPath(u); path != "" && !seen[path] {
			seen[path] = true
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	for _, path := range paths {
		u := first[path]
		if u == nil { // a unit outside the model's list
			u = r.unitOf(path)
		}
		err := out.Render(path, func(w io.Writer) error {
			return r.writeCalendar(w, r.unitCalendarName(u), "day-"+dayStamp(u.Checklist.Day), u.Checklist.Entries)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// unitOf returns the first of the units built whose calendar is path.
func (r *renderer) unitOf(path string) *plan.Unit {
	for _, u := range r.units {
		if calendarPath(u) == path {
			return u
		}
	}
	return nil
}

// lastCalendars keeps firstOfCalendars' answer for the last model: serve
// renders one unit's outputs at a time, and walking every unit of a
// national model for each of them cost 35 ms a page.
var lastCalendars struct {
	sync.Mutex
	m     *plan.Model
	first map[string]*plan.Unit
}

// firstOfCalendars returns, for each unit calendar's path, the first unit
// of m in site order with it. A model does not change once resolved, so
// the answer is kept for the last model asked about.
func firstOfCalendars(m *plan.Model) map[string]*plan.Unit {
	lastCalendars.Lock()
	defer lastCalendars.Unlock()
	if lastCalendars.m == m {
		return lastCalendars.first
	}
	first := map[string]*plan.Unit{}
	seen := map[*plan.Checklist]bool{} // a unit's calendar is its checklist's
	var last *plan.Checklist           // units of one parent come together, and often share theirs
	for _, u := range m.Units {
		c := u.Checklist
		if c == nil || c == last {
			continue
		}
		last = c
		if !seen[c] {
			seen[c] = true
			if path := calendarPath(u); first[path] == nil {
				first[path] = u
			}
		}
	}
	lastCalendars.m, lastCalendars.first = m, first
	return first
}

// unitCalendarName names a unit calendar: its level, its election day
// and its version, "Polling station, 5 Jun 2027 (1a2b3c4d5e6f)".
func (r *renderer) unitCalendarName(u *plan.Unit) string {
	c := u.Checklist
	level := u.Level
	if c.Level != nil {
		level = c.Level.Name
	}
	return level + ", " + r.m.Site.FormatDate(c.Day) + " (" + c.Version + ")"
}

// writeCalendar writes one VCALENDAR with an event per dated entry; scope
// ("level-province", "day-20210523") keeps the UIDs of one task in
// different calendars apart.
func (r *renderer) writeCalendar(w io.Writer, name, scope string, entries []*plan.Entry) error {
	b := bufio.NewWriter(w)
	c := &icsWriter{w: b}
	r.calendarHead(c, name)
	for _, e := range entries {
		if e.Due != nil {
			c.line("BEGIN:VEVENT")
			c.line("UID:" + icsText(uid(e.Task, scope)))
			c.w.WriteString(r.eventBody(e))
		}
	}
	c.line("END:VCALENDAR")
	if c.err != nil {
		return c.err
	}
	return b.Flush()
}

func (r *renderer) calendarHead(c *icsWriter, name string) {
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//checkgen//checkgen//" + strings.ToUpper(r.lang))
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.line("X-WR-CALNAME:" + icsText(name))
}

func uid(t *plan.Task, scope string) string {
	id := t.Plan.ID + "." + t.ID
	if scope != "" {
		id += "." + scope
	}
	return id + "@checkgen"
}

// eventBody returns the folded lines of an entry's event after its UID,
// up to END:VEVENT, built once per entry:
// units that share a checklist share its entries.
func (r *renderer) eventBody(e *plan.Entry) string {
	r.mu.Lock()
	body, ok := r.events[e]
	r.mu.Unlock()
	if ok {
		return body
	}
	var sb strings.Builder
	b := bufio.NewWriter(&sb)
	c := &icsWriter{w: b}
	m, t := r.m, e.Task
	c.line("DTSTAMP:" + r.opts.Date.UTC().Format("20060102T150405Z"))
	d := e.Due.Date
	if e.Due.HasTime {
		c.line("DTSTART:" + e.Due.Time().Format("20060102T150405"))
	} else {
		c.line("DTSTART;VALUE=DATE:" + d.Time().Format("20060102"))
		c.line("DTEND;VALUE=DATE:" + d.AddDays(1).Time().Format("20060102"))
	}
	c.line("SUMMARY:" + icsText(t.Title))
	var desc []string
	desc = append(desc, m.Label("due")+": "+r.m.Site.FormatDate(d)+clockSuffix(e.Due)+" ("+e.Due.Relative()+")")
	if e.Start != nil {
		desc = append(desc, m.Label("start")+": "+r.m.Site.FormatDate(e.Start.Date)+clockSuffix(e.Start)+" ("+e.Start.Relative()+")")
	}
	if t.ResponsibleBody != nil {
		desc = append(desc, m.Label("responsible")+": "+t.ResponsibleBody.Name)
	}
	if len(t.SupportBodies) > 0 {
		names := make([]string, len(t.SupportBodies))
		for i, s := range t.SupportBodies {
			names[i] = s.Name
		}
		desc = append(desc, m.Label("support")+": "+strings.Join(names, ", "))
	}
	desc = append(desc, m.Label("plan")+": "+t.Plan.Number+" "+t.Plan.Title)
	for _, it := range t.Items {
		desc = append(desc, "- "+it)
	}
	c.line("DESCRIPTION:" + icsText(strings.Join(desc, "\n")))
	if t.CategoryRef != nil {
		c.line("CATEGORIES:" + icsText(t.CategoryRef.Name))
	}
	c.line("TRANSP:TRANSPARENT")
	c.line("END:VEVENT")
	b.Flush()
	body = sb.String()
	r.mu.Lock()
	r.events[e] = body
	r.mu.Unlock()
	return body
}

func clockSuffix(m *plan.Moment) string {
	if c := m.Clock(); c != "" {
		return " " + c
	}
	return ""
}

// icsText escapes a TEXT value: backslash, semicolon, comma and newline.
func icsText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || r == ';' || r == ',' }) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsWriter writes content lines ending in CRLF, folded at 75 octets
// without splitting a UTF-8 character (RFC 5545 section 3.1).
type icsWriter struct {
	w   *bufio.Writer
	err error
}

func (c *icsWriter) line(s string) {
	if c.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		c.w.WriteString(s[:cut])
		c.w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation line counts
	}
	c.w.WriteString(s)
	_, c.err = c.w.WriteString("\r\n")
}
