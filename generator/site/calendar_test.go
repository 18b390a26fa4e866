package site

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

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
	main := byUID(events(t, "RV-N-01", files["units/RV-N-01/calendar.ics"]))
	island := byUID(events(t, "RV-N-02", files["units/RV-N-02/calendar.ics"]))
	for _, tc := range []struct{ uid, params, start string }{
		{"preparation.check-materials.unit-RV-N-01@checkgen", "DTSTART", "20270605T170000"},
		{"preparation.open-station.unit-RV-N-01@checkgen", "DTSTART", "20270606T070000"},
		{"preparation.check-materials.unit-RV-N-02@checkgen", "DTSTART", "20270604T170000"},
		{"preparation.open-station.unit-RV-N-02@checkgen", "DTSTART", "20270605T070000"},
		{"preparation.boat.unit-RV-N-02@checkgen", "DTSTART;VALUE=DATE", "20270602"},
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
	if _, ok := main["preparation.boat.unit-RV-N-01@checkgen"]; ok {
		t.Error("the boat task is only for island stations, but RV-N-01 has it")
	}
	if e := island["preparation.boat.unit-RV-N-02@checkgen"]; e["DTEND"] != "20270603" {
		t.Errorf("all-day event ends %q, want the next day 20270603", e["DTEND"])
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
