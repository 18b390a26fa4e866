package plan

import (
	"fmt"
	"time"
)

// Date is a calendar day, without a time zone: deadlines are wall-clock
// dates of the place the plan is for.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t, read in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the day n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Sub returns the number of days from e to d.
func (d Date) Sub(e Date) int { return int(d.Time().Sub(e.Time()).Hours() / 24) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// String formats the date as ISO 8601, 2021-05-23.
func (d Date) String() string { return string(d.appendTo(make([]byte, 0, 10))) }

// DateSpec is a due, start or limit as written in a task: relative to the
// election day ("E-70 17:00") or absolute (a TOML date or date-time).
type DateSpec struct {
	Relative bool
	Offset   int  // days from E, when Relative
	Date     Date // when not Relative
	HasTime  bool
	Hour     int
	Minute   int
	Text     string // as written, for messages
	Pos      Pos
}

// On resolves the spec against an election day.
func (s *DateSpec) On(e Date) *Moment {
	if s == nil {
		return nil
	}
	m := &Moment{HasTime: s.HasTime, Hour: s.Hour, Minute: s.Minute}
	if s.Relative {
		m.Date = e.AddDays(s.Offset)
		m.Offset = s.Offset
	} else {
		m.Date = s.Date
		m.Offset = s.Date.Sub(e)
	}
	return m
}

// Moment is a resolved deadline: a day, maybe a time, and its distance in
// days from the election day it was resolved against.
type Moment struct {
	Date    Date
	HasTime bool
	Hour    int
	Minute  int
	Offset  int // days from the election day: -70 for E-70
}

// Time returns the moment as a UTC wall-clock time (midnight without a time).
func (m *Moment) Time() time.Time {
	return time.Date(m.Date.Year, m.Date.Month, m.Date.Day, m.Hour, m.Minute, 0, 0, time.UTC)
}

// minutes orders moments: a day without a time counts as its end.
func (m *Moment) minutes() int64 {
	t := m.Date.Time().Unix() / 60
	if m.HasTime {
		return t + int64(m.Hour*60+m.Minute)
	}
	return t + 24*60
}

// After reports whether m is later than n.
func (m *Moment) After(n *Moment) bool { return m.minutes() > n.minutes() }

// Relative formats the offset from the election day: "E", "E-70", "E+3".
func (m *Moment) Relative() string { return RelativeDay(m.Offset) }

// RelativeDay formats a day offset from the election day: "E", "E-70", "E+3".
func RelativeDay(n int) string {
	switch {
	case n == 0:
		return "E"
	case n < 0:
		return fmt.Sprintf("E%d", n)
	}
	return fmt.Sprintf("E+%d", n)
}

// Clock formats the time of day, "17:00", or "" when there is none.
func (m *Moment) Clock() string {
	if !m.HasTime {
		return ""
	}
	return fmt.Sprintf("%02d:%02d", m.Hour, m.Minute)
}

// String formats the moment as ISO 8601, with the time when there is one.
func (m *Moment) String() string {
	if m.HasTime {
		return m.Date.String() + "T" + m.Clock()
	}
	return m.Date.String()
}
