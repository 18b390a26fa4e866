package plan

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// TestParseRelativeDecimal: digits with a leading zero are decimal (they
// were read as octal: E 08:00 gave 00:00, E-010 gave E-8).
func TestParseRelativeDecimal(t *testing.T) {
	for _, c := range []struct {
		in           string
		offset       int
		hasTime      bool
		hour, minute int
	}{
		{"E 08:00", 0, true, 8, 0},
		{"E 09:00", 0, true, 9, 0},
		{"E 19:09", 0, true, 19, 9},
		{"E 00:08", 0, true, 0, 8},
		{"E 8:05", 0, true, 8, 5},
		{"E-08", -8, false, 0, 0},
		{"E-09", -9, false, 0, 0},
		{"E-010", -10, false, 0, 0},
		{"E+0019", 19, false, 0, 0},
		{"E-0 23:59", 0, true, 23, 59},
		{"E-080 08:09", -80, true, 8, 9},
	} {
		sp, msg := parseRelative(c.in)
		if msg != "" {
			t.Errorf("parseRelative(%q): %s", c.in, msg)
			continue
		}
		if sp.Offset != c.offset || sp.HasTime != c.hasTime || sp.Hour != c.hour || sp.Minute != c.minute {
			t.Errorf("parseRelative(%q) = offset %d, time %v %02d:%02d; want offset %d, time %v %02d:%02d",
				c.in, sp.Offset, sp.HasTime, sp.Hour, sp.Minute, c.offset, c.hasTime, c.hour, c.minute)
		}
	}
}

func TestParseRelativeRejects(t *testing.T) {
	for _, in := range []string{"E 25:00", "E 24:00", "E 12:60", "E 12:99", "E-3 99:00", "E-", "E-x", "E--3", "E 8", "E 08:0", "E 123:00", "E-12345", "E+-3", "e-3"} {
		if sp, msg := parseRelative(in); msg == "" {
			t.Errorf("parseRelative(%q) = %+v, want an error", in, sp)
		}
	}
}

// TestParseRelativeRoundTrip: every E±N HH:MM for N in 0..400 and every
// minute of the day reads back as the offset and time it was written from.
func TestParseRelativeRoundTrip(t *testing.T) {
	for n := 0; n <= 400; n++ {
		for _, sign := range []int{-1, 1} {
			day := RelativeDay(sign * n) // "E", "E-70", "E+3"
			if sp, msg := parseRelative(day); msg != "" || sp.Offset != sign*n || sp.HasTime {
				t.Fatalf("parseRelative(%q) = %+v, %q; want offset %d without a time", day, sp, msg, sign*n)
			}
			for m := 0; m < 24*60; m++ {
				in := fmt.Sprintf("%s %02d:%02d", day, m/60, m%60)
				sp, msg := parseRelative(in)
				if msg != "" || sp.Offset != sign*n || !sp.HasTime || sp.Hour*60+sp.Minute != m {
					t.Fatalf("parseRelative(%q) = %+v, %q; want offset %d at minute %d", in, sp, msg, sign*n, m)
				}
			}
		}
	}
}

// TestDeadlinesDecimal loads due, start and limit with leading zeros and
// checks the resolved moments.
func TestDeadlinesDecimal(t *testing.T) {
	fsys := siteFS(t, nil)
	fsys["content/plans/p.toml"] = &fstest.MapFile{Data: []byte(`number = "1/KH"
title  = "Plan one"

[[task]]
id          = "a"
title       = "Task A"
levels      = ["province"]
responsible = "committee"
due         = "E-08 09:09"
start       = "E-010 08:00"
limit       = "E-08 19:09"
`)}
	m, err := Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	e := m.Timeline[0] // election day 2021-05-23
	for _, c := range []struct {
		name string
		got  *Moment
		want string
	}{
		{"due", e.Due, "2021-05-15T09:09"},
		{"start", e.Start, "2021-05-13T08:00"},
		{"limit", e.Limit, "2021-05-15T19:09"},
	} {
		if c.got.String() != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
}

// TestDeadlineErrorsPlace: a bad time or offset in due, start or limit is
// an error at its value.
func TestDeadlineErrorsPlace(t *testing.T) {
	fsys := siteFS(t, nil)
	fsys["content/plans/p.toml"] = &fstest.MapFile{Data: []byte(`number = "1/KH"
title  = "Plan one"

[[task]]
id          = "a"
title       = "Task A"
levels      = ["province"]
responsible = "committee"
due   = "E 12:60"
start = "E-1 25:00"
limit = "E-08:00"
`)}
	_, err := Open(fsys)
	want := `content/plans/p.toml:9:9: due "E 12:60": the time must be HH:MM between 00:00 and 23:59
content/plans/p.toml:10:9: start "E-1 25:00": the time must be HH:MM between 00:00 and 23:59
content/plans/p.toml:11:9: limit "E-08:00": not a deadline`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Open = %v\nwant it to start with\n%s", err, want)
	}
}
