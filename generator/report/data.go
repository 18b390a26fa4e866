package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"checkgen/generator/plan"
	"checkgen/generator/xlsx"
)

// JSONFormat names the layout of report.json (see the package doc); a
// reader refuses files of another format.
const JSONFormat = "checkgen-report-json/1"

// MaxDataSize bounds a report.json read: a national report of 100,000
// units with every task answered is about 200 MB.
const MaxDataSize = 1 << 30

// Data is a report.json file.
type Data struct {
	Format string     `json:"format"`
	Site   DataSite   `json:"site"`
	Scope  string     `json:"scope"`
	AsOf   string     `json:"as_of"`
	Units  []DataUnit `json:"units"`

	file string // the name it was read as
}

// DataSite identifies the site a report.json belongs to.
type DataSite struct {
	Title        string `json:"title"`
	Organisation string `json:"organisation"`
	ElectionDay  string `json:"election_day"`
}

// DataUnit is one unit of a report.json.
type DataUnit struct {
	Code       string     `json:"code"`
	Level      string     `json:"level"`
	Name       string     `json:"name"`
	State      string     `json:"state"`
	Version    string     `json:"version,omitempty"`
	ReturnBy   string     `json:"return_by,omitempty"`
	ReturnedOn string     `json:"returned_on,omitempty"`
	OnTime     bool       `json:"on_time,omitempty"`
	Sources    []string   `json:"sources,omitempty"`
	Tasks      []DataTask `json:"tasks,omitempty"`
}

// DataTask is one answered task of a returned unit.
type DataTask struct {
	Key       string `json:"key"`
	Hash      string `json:"hash"`
	Status    string `json:"status"`
	Date      string `json:"date,omitempty"`
	Confirmer string `json:"confirmer,omitempty"`
	Notes     string `json:"notes,omitempty"`
	OnTime    bool   `json:"on_time,omitempty"`
}

// File returns the name the data was read as.
func (d *Data) File() string { return d.file }

// NewData returns the report as report.json holds it.
func NewData(r *Report) *Data {
	m := r.Model
	d := &Data{
		Format: JSONFormat,
		Site:   DataSite{Title: m.Site.Title, Organisation: m.Site.Organisation, ElectionDay: m.Site.ElectionDay.String()},
		AsOf:   r.AsOf.String(),
		Units:  make([]DataUnit, 0, len(r.Units)),
	}
	if r.Scope != nil {
		d.Scope = r.Scope.Code
	}
	hb := &builder{}
	for _, u := range r.Units {
		du := DataUnit{Code: u.Unit.Code, Level: u.Unit.Level, Name: u.Unit.Name, State: u.State.Key(), Version: u.Version, OnTime: u.OnTime()}
		if u.ReturnBy != nil {
			du.ReturnBy = u.ReturnBy.Date.String()
		}
		if u.ReturnedOn != nil {
			du.ReturnedOn = u.ReturnedOn.String()
		}
		for _, s := range u.Sources {
			du.Sources = append(du.Sources, s.String())
		}
		if u.State == Returned {
			hashes := hb.hashes(u.Unit.Checklist)
			for _, a := range u.Answers {
				t := DataTask{Key: a.Entry.Task.Key(), Hash: hashes[a.Entry.Task.Key()]}
				row := a.Row
				switch {
				case a.Stale:
					// The answer as given, against the hash it was given
					// against: stale again wherever the task changed.
					row = a.stale
					t.Hash = row.Hash
					t.Status = row.Status.String()
				case a.Rejected:
					t.Status = "rejected"
				case a.Status == xlsx.Blank && (row == nil || (row.Date == nil && row.Confirmer == "" && row.Notes == "")):
					continue
				default:
					t.Status = a.Status.String()
					t.OnTime = a.OnTime()
				}
				if row != nil {
					if row.Date != nil {
						t.Date = row.Date.String()
					}
					t.Confirmer, t.Notes = row.Confirmer, row.Notes
				}
				du.Tasks = append(du.Tasks, t)
			}
		}
		d.Units = append(d.Units, du)
	}
	return d
}

// WriteData writes report.json: indented, so that a person can read it
// and two reports compare line by line.
func WriteData(w io.Writer, r *Report) error {
	return writeDataLean(w, NewData(r))
}

// IsData reports whether a file's first bytes look like a report.json
// (a JSON object), rather than a workbook.
func IsData(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return len(head) > 0 && head[0] == '{'
}

// ReadData reads a report.json written by a lower level. name is how
// problems name the file. It checks the format and that the report
// belongs to site m; a file that cannot be used gives a nil Data and one
// problem naming it.
func ReadData(name string, r io.Reader, m *plan.Model) (*Data, *xlsx.Problem) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDataSize+1))
	if err != nil {
		return nil, xlsx.FileProblem(name, false, "cannot be read: %v", err)
	}
	if len(data) > MaxDataSize {
		return nil, xlsx.FileProblem(name, false, "is larger than %d MiB: not a report.json", MaxDataSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// One decoding of the whole file (decodeLean, else encoding/json);
	// only when that fails is the format looked at alone, so that a newer
	// format is named as such.
	d := &Data{file: name}
	if !decodeLean(data, d) {
		if p := decodeJSON(name, data, d); p != nil {
			return nil, p
		}
	}
	if p := formatNamed(name, d.Format); p != nil {
		return nil, p
	}
	site := m.Site
	if d.Site.Title != site.Title || d.Site.Organisation != site.Organisation {
		return nil, xlsx.FileProblem(name, false, "is a report of another site (%q, %q), not of this one (%q, %q): skipped",
			d.Site.Title, d.Site.Organisation, site.Title, site.Organisation)
	}
	return d, nil
}

// decodeJSON decodes a report.json with encoding/json, into d reset.
func decodeJSON(name string, data []byte, d *Data) *xlsx.Problem {
	*d = Data{file: d.file}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(d); err != nil {
		if p := formatProblem(name, data); p != nil {
			return p
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			line, col := lineCol(data, te.Offset)
			return xlsx.FileProblem(name, false, "%d:%d: %s must be a %s, not %s", line, col, te.Field, te.Type, te.Value)
		}
		return xlsx.FileProblem(name, false, "is damaged: %v", err)
	}
	return nil
}

// formatProblem reads only the format of a report.json that did not
// decode: a syntax error, a truncated file, or another format is named
// as such.
func formatProblem(name string, data []byte) *xlsx.Problem {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return xlsx.FileProblem(name, false, "is truncated: the JSON ends early; copy the whole report.json again")
		case errors.As(err, &se):
			line, col := lineCol(data, se.Offset)
			return xlsx.FileProblem(name, false, "%d:%d: not valid JSON (%v): is it a report.json written by checkgen report?", line, col, err)
		}
		return xlsx.FileProblem(name, false, "not a report.json (%v)", err)
	}
	return formatNamed(name, head.Format)
}

// formatNamed checks the format a report.json names.
func formatNamed(name, format string) *xlsx.Problem {
	switch {
	case format == "":
		return xlsx.FileProblem(name, false, "names no format: not a report.json written by checkgen report")
	case format != JSONFormat:
		return xlsx.FileProblem(name, false, "was written in format %q, which this checkgen cannot read (it reads %s): use the report.json of the same checkgen version, or update checkgen", format, JSONFormat)
	}
	return nil
}

// lineCol turns a byte offset into a line and column (in characters).
func lineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	last := bytes.LastIndexByte(before, '\n')
	col = len([]rune(string(before[last+1:]))) + 1
	return line, col
}

// parseDay parses YYYY-MM-DD.
func parseDay(s string) (plan.Date, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return plan.Date{}, false
	}
	return plan.DateOf(t), true
}

// statusOf reads a task status of report.json.
func statusOf(s string) (st xlsx.Status, rejected, ok bool) {
	switch s {
	case "done":
		return xlsx.Done, false, true
	case "not_done":
		return xlsx.NotDone, false, true
	case "not_applicable":
		return xlsx.NotApplicable, false, true
	case "blank":
		return xlsx.Blank, false, true
	case "rejected":
		return xlsx.Blank, true, true
	}
	return xlsx.Blank, false, false
}

// lower turns the units of a lower report into inputs, as sheets.
func (b *builder) lower(d *Data) {
	for i := range d.Units {
		du := &d.Units[i]
		s := &xlsx.Sheet{File: d.file, Name: du.Code, Index: i, Unit: du.Code, Version: du.Version, Hashed: true}
		bad := func(format string, args ...any) {
			b.problem(xlsx.SheetProblem(s, "", false, format, args...))
		}
		st, ok := stateOf(du.State)
		if !ok {
			bad("unknown state %q (want returned, returned_nothing, outdated or conflict): skipped", du.State)
			continue
		}
		b.r.Sheets++
		u := b.m.Unit(du.Code)
		if u == nil {
			if st != Missing {
				bad("unit %q does not exist in this site: skipped", du.Code)
			}
			continue
		}
		if st == Missing {
			continue
		}
		r := &ret{sheet: s, state: st}
		if du.ReturnedOn != "" {
			if day, ok := parseDay(du.ReturnedOn); ok {
				r.returned = &day
			} else {
				bad("returned_on %q is not a date YYYY-MM-DD: the unit counts as returned on an unknown day", du.ReturnedOn)
			}
		}
		seen := map[string]bool{}
		for j, t := range du.Tasks {
			status, rejected, ok := statusOf(t.Status)
			if _, _, keyOK := xlsx.SplitKey(t.Key); !keyOK || !ok || seen[t.Key] {
				bad("task %d (%q): bad key or status %q, or listed twice: the unit is skipped", j+1, t.Key, t.Status)
				r = nil
				break
			}
			seen[t.Key] = true
			row := &xlsx.Row{Key: t.Key, Task: t.Key, Status: status, Rejected: rejected, Confirmer: t.Confirmer, Notes: t.Notes, Hash: t.Hash, StatusText: t.Status}
			if t.Date != "" {
				day, ok := parseDay(t.Date)
				if !ok {
					bad("task %s: date %q is not a date YYYY-MM-DD: the unit is skipped", t.Key, t.Date)
					r = nil
					break
				}
				row.Date, row.DateText = &day, t.Date
			}
			s.Rows = append(s.Rows, row)
		}
		if r == nil {
			continue
		}
		s.Answered = len(s.Rows) > 0
		b.rets[u] = append(b.rets[u], r)
	}
}

// ReadDataFile reads a report.json from disk.
func ReadDataFile(name string, m *plan.Model) (*Data, *xlsx.Problem) {
	f, err := os.Open(name)
	if err != nil {
		return nil, xlsx.FileProblem(name, false, "%s", describeErr(err))
	}
	defer f.Close()
	return ReadData(name, f, m)
}
