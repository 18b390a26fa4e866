package site

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"checkgen/generator/plan"
	"checkgen/generator/starter"
)

// unfold checks RFC 5545 line discipline (CRLF, at most 75 octets, folds
// only between characters) and returns the unfolded content lines.
func unfold(t *testing.T, name string, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s: does not end in CRLF", name)
	}
	var lines []string
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("%s:%d: bare CR or LF", name, i+1)
		}
		if len(l) > 75 {
			t.Errorf("%s:%d: %d octets, more than 75", name, i+1, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("%s:%d: folded inside a UTF-8 character", name, i+1)
		}
		if strings.HasPrefix(l, " ") && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

type event map[string]string

func events(t *testing.T, name string, b []byte) []event {
	t.Helper()
	lines := unfold(t, name, b)
	if len(lines) < 2 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("%s: not a VCALENDAR", name)
	}
	var evs []event
	var cur event
	for _, l := range lines {
		switch {
		case l == "BEGIN:VEVENT":
			cur = event{}
		case l == "END:VEVENT":
			for _, p := range []string{"UID", "DTSTAMP", "DTSTART", "SUMMARY"} {
				if cur[p] == "" {
					t.Errorf("%s: event without %s: %v", name, p, cur)
				}
			}
			evs = append(evs, cur)
			cur = nil
		case cur != nil:
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				t.Errorf("%s: line %q has no value", name, l)
			}
			prop, _, _ := strings.Cut(k, ";")
			cur[prop] = v
			if prop == "DTSTART" {
				cur["DTSTART-PARAMS"] = k
			}
		}
	}
	return evs
}

func TestCalendars(t *testing.T) {
	m := open(t, starter.FS())
	files := tree(t, render(t, m, "", Options{}))
	site := events(t, "calendar.ics", files["calendar.ics"])
	dated := 0
	for _, e := range m.Timeline {
		if e.Due != nil {
			dated++
		}
	}
	if len(site) != dated {
		t.Errorf("calendar.ics has %d events, want one per dated task: %d", len(site), dated)
	}
	uids := map[string]bool{}
	for _, e := range site {
		if uids[e["UID"]] {
			t.Errorf("calendar.ics: UID %s twice", e["UID"])
		}
		uids[e["UID"]] = true
		if e["DTSTAMP"] != "20270301T000000Z" {
			t.Errorf("DTSTAMP %s, want the build date", e["DTSTAMP"])
		}
	}
	byUID := func(evs []event) map[string]event {
		out := map[string]event{}
		for _, e := range evs {
			out[e["UID"]] = e
		}
		return out
	}
	// The island station votes a day early: every date a day earlier.
	main := byUID(events(t, "RV-N-01", files[unitCalendar(t, files, "RV-N-01")]))
	island := byUID(events(t, "RV-N-02", files[unitCalendar(t, files, "RV-N-02")]))
	for _, tc := range []struct{ uid, params, start string }{
		{"preparation.check-materials.day-20270606@checkgen", "DTSTART", "20270605T170000"},
		{"preparation.open-station.day-20270606@checkgen", "DTSTART", "20270606T070000"},
		{"preparation.check-materials.day-20270605@checkgen", "DTSTART", "20270604T170000"},
		{"preparation.open-station.day-20270605@checkgen", "DTSTART", "20270605T070000"},
		{"preparation.boat.day-20270605@checkgen", "DTSTART;VALUE=DATE", "20270602"},
	} {
		e, ok := main[tc.uid]
		if !ok {
			e, ok = island[tc.uid]
		}
		if !ok {
			t.Errorf("no event %s", tc.uid)
			continue
		}
		if e["DTSTART"] != tc.start || e["DTSTART-PARAMS"] != tc.params {
			t.Errorf("%s: %s:%s, want %s:%s", tc.uid, e["DTSTART-PARAMS"], e["DTSTART"], tc.params, tc.start)
		}
	}
	if _, ok := main["preparation.boat.day-20270606@checkgen"]; ok {
		t.Error("the boat task is only for island stations, but RV-N-01 has it")
	}
	if e := island["preparation.boat.day-20270605@checkgen"]; e["DTEND"] != "20270603" {
		t.Errorf("all-day event ends %q, want the next day 20270603", e["DTEND"])
	}
}

// calendarLink matches the calendar link of a unit page.
var calendarLink = regexp.MustCompile(`href="\.\./\.\./(calendars/[^"]+\.ics)"`)

// unitCalendar returns the path of the calendar a unit page links to.
func unitCalendar(t *testing.T, files map[string][]byte, code string) string {
	t.Helper()
	page := files["units/"+code+"/index.html"]
	links := calendarLink.FindAllSubmatch(page, -1)
	if len(links) != 1 {
		t.Fatalf("units/%s/index.html has %d calendar links, want 1", code, len(links))
	}
	rel := string(links[0][1])
	if _, ok := files[rel]; !ok {
		t.Fatalf("units/%s/index.html links to %s, which was not written", code, rel)
	}
	return rel
}

// wantUID is a calendar event's UID by the rule of calendar.go's doc:
// "<plan>.<task>.<scope>@checkgen", the scope absent in calendar.ics.
func wantUID(t *plan.Task, scope string) string {
	if scope == "" {
		return t.Plan.ID + "." + t.ID + "@checkgen"
	}
	return t.Plan.ID + "." + t.ID + "." + scope + "@checkgen"
}

// wantStart is DTSTART of a deadline, with its parameters.
func wantStart(m *plan.Moment) (params, value string) {
	d := fmt.Sprintf("%04d%02d%02d", m.Date.Year, m.Date.Month, m.Date.Day)
	if m.HasTime {
		return "DTSTART", fmt.Sprintf("%sT%02d%02d00", d, m.Hour, m.Minute)
	}
	return "DTSTART;VALUE=DATE", d
}

// TestUnitCalendars: on the example and the starter, calendars/ holds one
// calendar per distinct (checklist version, election day) of the units,
// every unit page links to one of them, and its events are exactly the
// unit's dated deadlines, resolved by the model, with UIDs by the rule.
// A build of some units writes the same bytes for their calendars.
func TestUnitCalendars(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"example": exampleFS(t), "starter": starter.FS()} {
		t.Run(name, func(t *testing.T) {
			m := open(t, fsys)
			files := tree(t, render(t, m, "", Options{}))
			want := map[string]bool{}
			for _, u := range m.Units {
				c := u.Checklist
				want[fmt.Sprintf("calendars/%s-%04d%02d%02d.ics", c.Version, c.Day.Year, c.Day.Month, c.Day.Day)] = true
			}
			got := 0
			for rel := range files {
				if strings.HasPrefix(rel, "calendars/") {
					got++
					if !want[rel] {
						t.Errorf("%s: no unit has that version and day", rel)
					}
				}
				if strings.HasPrefix(rel, "units/") && strings.HasSuffix(rel, ".ics") {
					t.Errorf("%s: a unit's own calendar", rel)
				}
			}
			if got != len(want) {
				t.Errorf("%d calendars, want one per version and day: %d", got, len(want))
			}
			for _, u := range m.Units {
				rel := unitCalendar(t, files, u.Code)
				evs := map[string]event{}
				for _, e := range events(t, rel, files[rel]) {
					evs[e["UID"]] = e
				}
				scope := fmt.Sprintf("day-%04d%02d%02d", u.Day.Year, u.Day.Month, u.Day.Day)
				dated := 0
				for _, e := range u.Checklist.Entries {
					if e.Due == nil {
						continue
					}
					dated++
					ev, ok := evs[wantUID(e.Task, scope)]
					if !ok {
						t.Errorf("%s (of %s): no event %s", rel, u.Code, wantUID(e.Task, scope))
						continue
					}
					params, start := wantStart(e.Due)
					if ev["DTSTART-PARAMS"] != params || ev["DTSTART"] != start {
						t.Errorf("%s (of %s): %s starts %s:%s, want %s:%s", rel, u.Code, e.Task.Key(), ev["DTSTART-PARAMS"], ev["DTSTART"], params, start)
					}
					if ev["SUMMARY"] != icsText(e.Task.Title) {
						t.Errorf("%s (of %s): %s is %q", rel, u.Code, e.Task.Key(), ev["SUMMARY"])
					}
				}
				if len(evs) != dated {
					t.Errorf("%s (of %s): %d events, want its %d dated deadlines", rel, u.Code, len(evs), dated)
				}
			}
			// The last unit alone: its calendar has the same bytes.
			last := m.Units[len(m.Units)-1]
			only := tree(t, render(t, m, "", Options{Units: []*plan.Unit{last}}))
			rel := unitCalendar(t, only, last.Code)
			if !bytes.Equal(only[rel], files[rel]) {
				t.Errorf("%s differs in a build of %s alone", rel, last.Code)
			}
		})
	}
}

// TestCalendarUIDsStable: the site's and the levels' calendars keep the
// UIDs they always had, and a unit calendar's UIDs do not change with
// the checklist's version: a task edited, the calendar's path changes
// but its events keep their UIDs, so importing it again updates them.
func TestCalendarUIDsStable(t *testing.T) {
	m := open(t, starter.FS())
	files := tree(t, render(t, m, "", Options{}))
	uids := func(rel string, b []byte) map[string]bool {
		set := map[string]bool{}
		for _, e := range events(t, rel, b) {
			set[e["UID"]] = true
		}
		return set
	}
	site := uids("calendar.ics", files["calendar.ics"])
	for _, e := range m.Timeline {
		if e.Due != nil && !site[wantUID(e.Task, "")] {
			t.Errorf("calendar.ics: no UID %s", wantUID(e.Task, ""))
		}
	}
	for _, l := range m.Levels {
		rel := "levels/" + l.ID + "/calendar.ics"
		got := uids(rel, files[rel])
		for _, e := range l.Checklist.Entries {
			if e.Due != nil && !got[wantUID(e.Task, "level-"+l.ID)] {
				t.Errorf("%s: no UID %s", rel, wantUID(e.Task, "level-"+l.ID))
			}
		}
	}

	edited := fstest.MapFS{}
	err := fs.WalkDir(starter.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(starter.FS(), p)
		if p == "content/plans/preparation.toml" {
			b = bytes.Replace(b, []byte(`"Check the station's materials"`), []byte(`"Check the station's materials again"`), 1)
		}
		edited[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m2 := open(t, edited)
	files2 := tree(t, render(t, m2, "", Options{}))
	for _, code := range []string{"RV-N-01", "RV-N-02"} {
		before, after := unitCalendar(t, files, code), unitCalendar(t, files2, code)
		if before == after {
			t.Errorf("%s: a task's title changed, but not its calendar's path %s", code, before)
		}
		if a, b := uids(before, files[before]), uids(after, files2[after]); !maps.Equal(a, b) {
			t.Errorf("%s: UIDs changed with the version:\n%v\n%v", code, a, b)
		}
	}
}

func TestICSText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a, b; c\\d", `a\, b\; c\\d`},
		{"line 1\nline 2\r\n", `line 1\nline 2\n`},
		{"tab\there\x00", "tabhere"},
		{"Ủy ban bầu cử", "Ủy ban bầu cử"},
	} {
		if got := icsText(tc.in); got != tc.want {
			t.Errorf("icsText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestICSFolding(t *testing.T) {
	for _, s := range []string{
		"SUMMARY:" + strings.Repeat("Khu vực bỏ phiếu số 3 ", 20),
		"DESCRIPTION:" + strings.Repeat("ằ", 200),
		"X:" + strings.Repeat("a", 73),
		"X:" + strings.Repeat("a", 74),
	} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		c := &icsWriter{w: w}
		c.line(s)
		w.Flush()
		lines := unfold(t, "folded", buf.Bytes())
		if len(lines) != 1 || lines[0] != s {
			t.Errorf("unfolding gives %q, want %q", lines, s)
		}
	}
}
