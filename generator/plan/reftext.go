package plan

import (
	"fmt"
	"strings"
)

// This file writes the content reference as text, from Reference and the
// prose below: `checkgen help content` prints it and docs/content.md holds
// it (a test keeps the two the same). It is Markdown that reads as plain
// text in a terminal.

// Topic is one section of the reference, printed by `checkgen help NAME`.
type Topic struct {
	Name  string
	Short string
	text  func(files map[string]*File) string
}

// Topics returns the sections of the reference in order. "content" is
// all of them.
func Topics() []Topic {
	return []Topic{
		{"files", "the content files, encoding, ids", func(map[string]*File) string { return filesText }},
		{"site", "site.toml: title, election day, levels, categories, labels", func(f map[string]*File) string { return fileText(f["site"], "") }},
		{"bodies", "bodies.toml: who is responsible", func(f map[string]*File) string { return fileText(f["bodies"], "") }},
		{"units", "units.toml and units.csv", func(f map[string]*File) string { return fileText(f["units"], unitsText) }},
		{"plans", "plans/<id>.toml: plans and their tasks", func(f map[string]*File) string { return fileText(f["plan"], plansText) }},
		{"deadlines", "due, start, limit, return_by: E-N, dates, times", func(map[string]*File) string { return deadlinesText }},
		{"forms", "official papers: heads, placeholders, signers", func(f map[string]*File) string { return formsText(f) }},
		{"report", "returning filled sheets: return_by, report, report.json", func(map[string]*File) string { return reportText }},
		{"errors", "how errors are reported; limits", func(map[string]*File) string { return errorsText }},
	}
}

// ReferenceText returns the reference of a topic, or of all of them for
// "content"; false for an unknown topic.
func ReferenceText(topic string) (string, bool) {
	files := map[string]*File{}
	for _, f := range Reference() {
		files[f.Kind] = f
	}
	var b strings.Builder
	if topic == "content" {
		b.WriteString("# checkgen content reference\n\n")
		b.WriteString("<!-- Generated from generator/plan/reference.go and reftext.go by `go test ./generator/plan -run Docs -update`; do not edit. -->\n\n")
		b.WriteString("The format of a checkgen site's content files, key by key. `checkgen help content` prints this text; `checkgen help TOPIC` prints one section (")
		var names []string
		for _, t := range Topics() {
			names = append(names, t.Name)
		}
		b.WriteString(strings.Join(names, ", ") + "). `checkgen schema` writes the same keys as JSON Schemas for editors.\n")
		for _, t := range Topics() {
			b.WriteString("\n" + strings.TrimSpace(t.text(files)) + "\n")
		}
		return b.String(), true
	}
	for _, t := range Topics() {
		if t.Name == topic {
			return strings.TrimSpace(t.text(files)) + "\n", true
		}
	}
	return "", false
}

// fileText is a file's section: its description, an example, its keys
// table by table, then more.
func fileText(f *File, more string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n%s\n_%s_\n", f.Title, f.Doc, f.DocVI)
	writeTable(&b, f.Root, f.Title)
	if more != "" {
		b.WriteString("\n" + strings.TrimSpace(more) + "\n")
	}
	return b.String()
}

// writeTable writes the keys of a table, then each of its tables.
func writeTable(b *strings.Builder, t *Table, where string) {
	if t.Header != "" {
		fmt.Fprintf(b, "\n### %s\n\n", t.Header)
		if t.Doc != "" {
			fmt.Fprintf(b, "%s\n_%s_\n\n", t.Doc, t.DocVI)
		}
	} else {
		b.WriteString("\n")
	}
	if t.Topic != "" {
		fmt.Fprintf(b, "Keys: %s; see `checkgen help %s`.\n", strings.Join(t.Names(), ", "), t.Topic)
		return
	}
	if len(t.Keys) > 0 && t.Keys[0].Kind == KindString && t.Header == "[labels]" {
		b.WriteString("| key | en | vi |\n| --- | --- | --- |\n")
		for _, k := range t.Keys {
			fmt.Fprintf(b, "| `%s` | %s | %s |\n", k.Name, builtinLabels["en"][k.Name], builtinLabels["vi"][k.Name])
		}
		return
	}
	var sub []Key
	for _, k := range t.Keys {
		if k.Table != nil && k.Kind != KindSigners {
			fmt.Fprintf(b, "- `%s`: %s%s, see %s.\n", k.Name, k.Kind, requiredText(k), k.Table.Header)
			sub = append(sub, k)
			continue
		}
		fmt.Fprintf(b, "- `%s = %s`: %s%s%s\n", k.Name, k.Example, k.Kind, requiredText(k), constraintText(k))
		en, vi := k.Docs()
		fmt.Fprintf(b, "  %s\n  _%s_\n", en, vi)
		if k.Kind == KindSigners {
			fmt.Fprintf(b, "  A table entry has the keys %s (title required).\n", strings.Join(k.Table.Names(), ", "))
		}
	}
	for _, k := range sub {
		writeTable(b, k.Table, where)
	}
}

func requiredText(k Key) string {
	if k.Required {
		return ", required"
	}
	return ""
}

func constraintText(k Key) string {
	var parts []string
	if k.Pattern != "" {
		parts = append(parts, "matching "+k.Pattern)
	}
	if k.Refers != "" {
		parts = append(parts, "a "+k.Refers+" "+map[string]string{"unit": "code", "task": "key"}[k.Refers])
	}
	if len(k.Enum) > 0 {
		parts = append(parts, "one of "+strings.Join(quoteAll(k.Enum), ", "))
	}
	if k.Default != "" {
		parts = append(parts, "default "+k.Default)
	}
	if len(parts) == 0 {
		return "."
	}
	return "; " + strings.Join(parts, "; ") + "."
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = `"` + v + `"`
	}
	return out
}

func formsText(files map[string]*File) string {
	form, _ := files["site"].Root.Lookup("form")
	var b strings.Builder
	b.WriteString(strings.TrimSpace(formsIntro) + "\n")
	b.WriteString("\nThe keys of [form], [level.form] and [unit.form]:\n")
	t := *form.Table
	t.Header, t.Topic = "", ""
	writeTable(&b, &t, "[form]")
	b.WriteString("\n" + strings.TrimSpace(formsMore) + "\n")
	return b.String()
}

const filesText = `
## Files

A site is a directory holding content/ (and, optionally, layouts/ and the
editors' schema/):

    content/site.toml        the site: title, language, election day, levels, categories, form head, labels
    content/bodies.toml      the bodies that can own tasks
    content/units.toml       units as [[unit]] tables, and/or
    content/units.csv        units as rows: code,parent,level,name,tags,election_day
    content/plans/<id>.toml  one file per plan document; the file name is the plan id
    schema/*.schema.json     JSON Schemas for editors (checkgen schema -o schema)

All files are UTF-8 (a byte-order mark is accepted) and every string is
normalised to NFC on load. Unknown keys are errors. Ids (levels, categories,
bodies, tasks, plan file names) match ^[a-z0-9][a-z0-9-]*$; unit codes match
^[A-Za-z0-9][A-Za-z0-9._-]*$, and two codes may not differ only in case:
both become folder names. Ids and codes have at most 64 characters and may
not be a device name of Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9).
Plan files end in .toml, in lower case: a plans/x.toml.txt or plans/X.TOML
(as Notepad saves them) is an error, not a file silently skipped.

Dates are TOML dates, written without quotes, year first: 2021-05-23.

A content file may start with a line naming its JSON Schema, for editors:

    #:schema ../schema/site.schema.json           (in content/site.toml)
    #:schema ../../schema/plan.schema.json        (in content/plans/<id>.toml)

checkgen reads it as a comment.
`

const unitsText = `
### units.csv

units.csv has the header code,parent,level,name,tags,election_day; tags are
separated by ';', the date is written 2021-05-22, and a field holding a
comma or a quote is quoted with quotes doubled ("Khu ""A"", số 1"). Both
files may be used; units.toml is read first. units.csv has no place or form
columns: a unit written there takes its place and [unit.form] keys from its
ancestors.

Each unit below the top level names a parent exactly one level up. A
unit's tags are its own: they are not inherited.
`

const plansText = `
A task's id across the site is "<plan id>/<task id>".

implements names a task of the site (of another plan, usually the law's)
that this task carries out. Wherever both reach the same checklist, only
this task is listed, citing both, with the other task's due as its limit
when that is earlier. The named task must exist, must not be the task itself
and must not implement a task in turn.

from = "site" counts the task's relative deadlines from the site's election
day instead of the unit's own: statutory pre-election deadlines do not move
when a polling area votes early.

The checklist of a level holds every task whose levels include it, from
every plan, ordered by due (a day with a time before the same day without;
standing duties last), then by plan id, then by file order. A unit's
checklist is its level's, keeping the tasks whose plan scope holds the unit
or an ancestor, whose when tags (if any) the unit carries one of, and none
of whose unless tags it carries.
`

const deadlinesText = `
## Deadlines

A task's due, start and limit, and a level's return_by, are one of:

    "E"                   the unit's election day
    "E-70"                70 days before it; "E+3": 3 days after
    "E-70 17:00"          with a time of day, HH:MM from 00:00 to 23:59
    2021-04-03            a TOML date (no quotes): the same day for every unit
    2021-03-14T17:00:00   a TOML date-time

Days and times are decimal: "E-08 09:05" is 8 days before at 9:05. N has at
most 4 digits. A date in quotes ("2021-04-03") or written day first
(10/05/2026) is an error that says what to write. Relative deadlines are
resolved from each unit's own election day, so a polling area voting a day
early gets every relative date a day earlier (unless the task has
from = "site"); a level's checklist uses the site's election day. A start
later than its due is an error; a due later than its limit is a warning.
Dates lie between 1900-03-01 and 9999-12-31.
`

const formsIntro = `
## Official papers (forms)

Each printed form (a unit's or a level's PDF, its workbook's title rows and
the HTML print head) carries a head as Decree 30/2020/ND-CP lays it out: the
issuing body top left, the national title and motto top right (or "ĐẢNG
CỘNG SẢN VIỆT NAM" for a party body), a line or a star under the left
block, the number, the place-and-date line and the subject under the title.

The head is resolved per unit, key by key: from the nearest [unit.form] on
the unit or an ancestor that writes the key, else the unit's level's
[level.form], else the site's [form]. Put what differs by level (who
issues) in [level.form] with placeholders, and keep in a [unit.form] what is
common to a unit's subtree.
`

const formsMore = `
The strings of left, right, place, number and subject may hold
placeholders, filled for each unit whose form uses them:

    {name}, {NAME}              the unit's name; in capitals
    {code}                      the unit's code
    {place}                     the unit's place (its own, else the nearest ancestor's)
    {name:LEVEL}, {NAME:LEVEL}  the name of the unit's ancestor at LEVEL (or its own)

An unknown placeholder, an unknown level, a '{' without its '}', or a LEVEL
below the unit the form is filled for is an error at the placeholder. A
level's own papers are the blank form of all its units: placeholders print
as ".........." to fill in by hand. Without issued, the date line is left
to fill in at signing.

A level's sign lists the signature columns: each a role ("THƯ KÝ") or a
table {for, title, note}, printed as up to three lines above the space for
the signature:

    sign = [{ for = "TM. TỔ BẦU CỬ", title = "TỔ TRƯỞNG", note = "(Ký, ghi rõ họ tên, đóng dấu)" }, "THƯ KÝ"]

A body may be named per level in [body.names], so that a polling area's
form says "Công an xã", not the body's general name.
`

const reportText = `
## Returning filled sheets (report)

checkgen build writes a sign-off workbook per unit (xlsx/units/<code>.xlsx:
its own sheet and one per direct child). Units fill status, date done,
confirmer and notes, and hand the workbooks back; checkgen report reads
them, and lower levels' report.json files, into DEST/report/.

A level's return_by in site.toml (a deadline, see deadlines; "E+3") is when
its units' sheets are due back: the report counts returned and returned on
time per level. Every row carries its task's key and a hash of its content:
a sheet filled against an older version of the plans counts for every task
that did not change, and answers to a changed task are listed to
re-confirm. A district sends its report/report.json up; the province's
report over those equals one over every workbook.

    checkgen report --scope 058 -d district-058 --as-of 2021-05-20 communes/*/report/report.json
`

const errorsText = `
## Errors and limits

Every problem is reported at once, sorted by place, one per line as
file:line:col: message (the column counts characters), so that an editor
or a terminal can jump to it. Unknown keys, levels, bodies, categories and
units come with the nearest known name ("did you mean ...?").

Content that no real site needs is refused with its place: a TOML file
larger than 1 MiB (put many units in units.csv, up to 128 MiB), arrays and
inline tables nested more than 32 deep, ids longer than 64 characters,
labels longer than a line.
`
