package diff

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Write prints r as text: a section per kind of thing that changed, the
// papers to reprint per level, and a summary line at the end.
func Write(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	if len(r.Site) > 0 {
		fmt.Fprintln(b, "site.toml")
		writeChanges(b, r.Site, "  ")
		fmt.Fprintln(b)
	}
	for _, sec := range []struct {
		title string
		items []Item
	}{
		{"Levels", r.Levels}, {"Categories", r.Categories}, {"Bodies", r.Bodies},
		{"Plans", r.Plans}, {"Tasks", r.Tasks}, {"Units", r.Units},
	} {
		if len(sec.items) == 0 {
			continue
		}
		fmt.Fprintln(b, sec.title)
		for _, it := range sec.items {
			fmt.Fprintf(b, "  %-7s %s %s", it.Status, it.Key, strconv.Quote(it.Name))
			if it.Summary != "" {
				fmt.Fprintf(b, " (%s)", it.Summary)
			}
			fmt.Fprintln(b)
			writeChanges(b, it.Changes, "      ")
		}
		fmt.Fprintln(b)
	}
	changed := len(r.Reprint)
	if changed > 0 {
		fmt.Fprintln(b, "Papers to reprint, per level")
		width := 0
		for _, lp := range r.Papers {
			width = max(width, len(lp.ID))
		}
		for _, lp := range r.Papers {
			fmt.Fprintf(b, "  %-*s  %d of %d unit%s", width, lp.ID, lp.Changed, lp.Units, plural(lp.Units))
			var why []string
			for _, k := range []string{ReasonChecklist, ReasonName, ReasonLevel, ReasonParents, ReasonDay, ReasonForm, ReasonAdded, ReasonRemoved} {
				if n := lp.Reasons[k]; n > 0 {
					why = append(why, fmt.Sprintf("%s %d", k, n))
				}
			}
			if len(why) > 0 {
				fmt.Fprintf(b, " (%s)", strings.Join(why, ", "))
			}
			if lp.OldVersion != lp.NewVersion {
				fmt.Fprintf(b, "; level checklist %s → %s", orNone(lp.OldVersion), orNone(lp.NewVersion))
			}
			fmt.Fprintln(b)
		}
		fmt.Fprintln(b)
	}
	if r.Empty() {
		fmt.Fprintln(b, "no changes")
	}
	fmt.Fprintln(b, Summary(r))
	return b.Flush()
}

// Summary is the one-line account of r: "3 tasks changed, 1 added, 1
// removed; papers of 57 of 238 units changed".
func Summary(r *Result) string {
	n := Count(r.Tasks, Changed)
	return fmt.Sprintf("%d task%s changed, %d added, %d removed; papers of %d of %d unit%s changed",
		n, plural(n), Count(r.Tasks, Added), Count(r.Tasks, Removed), len(r.Reprint), r.AllUnits, plural(r.AllUnits))
}

// WriteList writes the reprint list as CSV: a header row, then one row per
// unit whose papers changed, in site order. Values are written as they
// are, quoted where CSV needs it.
func WriteList(w io.Writer, r *Result) error {
	c := csv.NewWriter(w)
	c.Write([]string{"code", "name", "level", "old_version", "new_version"})
	for _, rp := range r.Reprint {
		c.Write([]string{rp.Code, rp.Name, rp.Level, rp.OldVersion, rp.NewVersion})
	}
	c.Flush()
	return c.Error()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func writeChanges(b *bufio.Writer, cs []Change, indent string) {
	for _, c := range cs {
		switch c.Kind {
		case Value:
			fmt.Fprintf(b, "%s%s: %s → %s\n", indent, c.Field, orNone(first(c.Old)), orNone(first(c.New)))
		case Text:
			fmt.Fprintf(b, "%s%s: %s → %s\n", indent, c.Field, quoted(c.Old), quoted(c.New))
		case IDs:
			fmt.Fprintf(b, "%s%s: [%s] → [%s]\n", indent, c.Field, strings.Join(c.Old, ", "), strings.Join(c.New, ", "))
		case List, Lines:
			fmt.Fprintf(b, "%s%s:\n", indent, c.Field)
			for _, e := range edits(c.Old, c.New) {
				s := e.text
				if c.Kind == List {
					s = strconv.Quote(s)
				}
				fmt.Fprintf(b, "%s  %c %s\n", indent, e.op, s)
			}
		}
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func quoted(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	return strconv.Quote(v[0])
}

// edit is one line of a diff: '-' for a removed line, '+' for an added one.
type edit struct {
	op   byte
	text string
}

// edits returns the lines removed from a and added in b, in order, by a
// longest common subsequence; the lines both share are left out.
func edits(a, b []string) []edit {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}
