package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/unicode/norm"
)

// Set is a site as read from its files: every value as written, each with
// its place, before references are checked and deadlines resolved.
type Set struct {
	Site    *Site
	Bodies  []*Body
	Units   []*Unit
	Plans   []*Plan
	Sources map[string]string // the NFC text of every file read, by path

	errs   ErrorList
	broken map[string]bool // "site", "bodies", "units", "plans": a file of that kind could not be read

	memo    *Loader           // when set, each file's result is taken from it (loader.go)
	changed Changes           // with memo: the files that may have changed
	tried   map[string]bool   // with memo: the files this load looked for
	from    map[string]*Set   // with memo: the part each file gave (loader.go)
	digests map[string]string // a hash of each TOML file's values, by path (loader.go)
}

// Paths of a site's content, relative to the site root.
const (
	ContentDir = "content"
	SiteFile   = "content/site.toml"
	BodiesFile = "content/bodies.toml"
	UnitsFile  = "content/units.toml"
	UnitsCSV   = "content/units.csv"
	PlansDir   = "content/plans"
)

// UnitsCSVHeader is the required header row of units.csv.
const UnitsCSVHeader = "code,parent,level,name,tags,election_day"

// csvFields are the keys of units.csv's columns, in order.
var csvFields = strings.Split(UnitsCSVHeader, ",")

var (
	idRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	relRE  = regexp.MustCompile(`^E(?:([+-])([0-9]{1,4}))?(?: +([0-9]{1,2}):([0-9]{2}))?$`)
)

// Load reads the site rooted at fsys: content/site.toml, bodies.toml,
// units.toml and/or units.csv, and plans/*.toml. It returns the set and
// every error found, sorted by place. The set is nil only when there is no
// content directory at all.
func Load(fsys fs.FS) (*Set, error) {
	return load(fsys, nil, nil)
}

// newSet returns an empty set.
func newSet() *Set {
	return &Set{Sources: map[string]string{}, broken: map[string]bool{}, digests: map[string]string{}}
}

// load reads the site, each file through memo when it is not nil,
// reading only the files that may have changed.
func load(fsys fs.FS, memo *Loader, changed Changes) (*Set, error) {
	s := newSet()
	s.memo, s.changed, s.tried, s.from = memo, changed, map[string]bool{}, map[string]*Set{}
	if st, err := fs.Stat(fsys, ContentDir); err != nil || !st.IsDir() {
		s.errs.Add(Pos{File: ContentDir}, "no content directory: a site needs content/site.toml, content/bodies.toml, content/units.toml or units.csv, and content/plans/*.toml; run `checkgen init DIR` to write a starter site")
		return nil, s.errs.Err()
	}
	s.part(fsys, SiteFile, (*Set).loadSite)
	s.part(fsys, BodiesFile, (*Set).loadBodies)
	s.part(fsys, UnitsFile, (*Set).loadUnitsTOML)
	s.part(fsys, UnitsCSV, (*Set).loadUnitsCSV)
	s.loadPlans(fsys)
	s.misnamedFiles(fsys) // misnamed.go
	return s, s.errs.Err()
}

// Err returns the errors found while loading, sorted, or nil.
func (s *Set) Err() error { return s.errs.Err() }

// read returns the NFC text of a file, without a byte-order mark, or
// records why it cannot be used. Missing optional files return ok=false
// without an error.
func (s *Set) read(fsys fs.FS, name string, required bool) (string, bool) {
	st, err := fs.Stat(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		if required {
			s.errs.Add(Pos{File: name}, "missing file: create %s (run `checkgen init DIR` for an example)", name)
		}
		return "", false
	}
	if err == nil && st.IsDir() {
		s.errs.Add(Pos{File: name}, "is a directory, but must be a file: remove or rename the directory")
		return "", false
	}
	b, msg := readRegular(fsys, name, maxSize(name))
	if msg != "" {
		s.errs.Add(Pos{File: name}, "%s", msg)
		return "", false
	}
	if !utf8.Valid(b) {
		s.errs.Add(invalidUTF8(name, b), "not valid UTF-8: save the file with UTF-8 encoding")
		return "", false
	}
	src := SourceText(b)
	if strings.TrimSpace(src) == "" {
		s.errs.Add(Pos{File: name, Line: 1, Col: 1}, "empty file: %s", emptyHint(name))
		return "", false
	}
	s.Sources[name] = src
	return src, true
}

func emptyHint(name string) string {
	switch {
	case name == SiteFile:
		return "it needs title, election_day and at least one [[level]]"
	case name == BodiesFile:
		return "it needs at least one [[body]] with id and name"
	case name == UnitsFile:
		return "add [[unit]] tables or delete the file"
	case name == UnitsCSV:
		return "it needs the header " + UnitsCSVHeader
	}
	return "a plan needs number, title and [[task]] tables"
}

// SourceText is the text of a content file as the loader reads it: without
// a byte-order mark, invalid bytes replaced by U+FFFD (the loader rejects
// them first), normalised to NFC. Columns in error positions count the
// characters of this text.
func SourceText(b []byte) string {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return norm.NFC.String(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// invalidUTF8 finds the place of the first byte that is not UTF-8.
func invalidUTF8(name string, b []byte) Pos {
	line, col := 1, 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		b = b[size:]
	}
	return Pos{File: name, Line: line, Col: col}
}

// decode parses TOML source into a generic map and indexes its positions.
func (s *Set) decode(name, src string) (map[string]any, fileIndex, bool) {
	if off, msg := tooDeep(src); off >= 0 {
		s.errs.Add(bytePos(name, src, off, 0), "%s", msg)
		return nil, nil, false
	}
	var m map[string]any
	if _, err := toml.Decode(src, &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			pos := parseErrorPos(name, src, pe)
			if at, msg := dayFirstDate(name, src, pos); msg != "" {
				s.errs.Add(at, "%s", msg)
				return nil, nil, false
			}
			s.errs.Add(pos, "syntax error: %s", pe.Message)
		} else {
			s.errs.Add(Pos{File: name, Line: 1, Col: 1}, "syntax error: %v", err)
		}
		return nil, nil, false
	}
	s.digests[name] = digest(m) // loader.go
	return m, scan(name, src), true
}

// parseErrorPos is the place of a TOML syntax error. The decoder gives
// the offset of the byte before a control character, or -1 for one at the
// start of the file, so those are found here; an offset out of range falls
// back to the start of the line it names.
func parseErrorPos(name, src string, pe toml.ParseError) Pos {
	off := pe.Position.Start
	if strings.Contains(pe.Message, "control character") {
		if i := strings.IndexFunc(src, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
		}); i >= 0 {
			off = i
		}
	}
	if off < 0 || off > len(src) {
		line := min(max(pe.Position.Line, 1), strings.Count(src, "\n")+1)
		return Pos{File: name, Line: line, Col: 1}
	}
	return bytePos(name, src, off, pe.Position.Line)
}

// bytePos turns a byte offset into a position whose column counts characters.
func bytePos(name, src string, off, line int) Pos {
	if off < 0 || off > len(src) {
		return Pos{File: name, Line: line}
	}
	for off > 0 && off < len(src) && !utf8.RuneStart(src[off]) {
		off-- // the decoder may point inside a character
	}
	for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
		off++ // point at the offending token, not the space before it
	}
	start := strings.LastIndexByte(src[:off], '\n') + 1
	ln := strings.Count(src[:off], "\n") + 1
	return Pos{File: name, Line: ln, Col: utf8.RuneCountInString(src[start:off]) + 1}
}

// rec walks one decoded table with the positions of its keys.
type rec struct {
	what string // "site", "[[task]]": for messages
	m    map[string]any
	tp   *tablePos
	errs *ErrorList
	seen map[string]bool
	sub  fileIndex // for a file's root table: the places of its [tables]
}

func newRec(what string, m map[string]any, tp *tablePos, errs *ErrorList) *rec {
	return &rec{what: what, m: m, tp: tp, errs: errs, seen: map[string]bool{}}
}

func (r *rec) at(key string) Pos {
	if p, ok := r.tp.keys[key]; ok {
		return p
	}
	return r.tp.header
}

func (r *rec) elemAt(key string, i int) Pos {
	if e := r.tp.elems[key]; i < len(e) {
		return e[i]
	}
	return r.at(key)
}

func (r *rec) get(key string, required bool) (any, bool) {
	r.seen[key] = true
	v, ok := r.m[key]
	if !ok && required {
		r.errs.Add(r.tp.header, "%s is missing required key %q", r.what, key)
	}
	return v, ok
}

func (r *rec) str(key string, required bool) string {
	v, ok := r.get(key, required)
	if !ok {
		return ""
	}
	sv, isStr := v.(string)
	if !isStr {
		r.errs.Add(r.at(key), "%s must be a string, not %s", key, typeName(v))
		return ""
	}
	if required && strings.TrimSpace(sv) == "" {
		r.errs.Add(r.at(key), "%s must not be empty", key)
	}
	return sv
}

func (r *rec) id(key string, required bool, pattern *regexp.Regexp, kind string) string {
	v := r.str(key, required)
	if v != "" && !pattern.MatchString(v) {
		r.errs.Add(r.at(key), "malformed %s %q: %s", kind, v, patternHint(pattern))
	} else if msg := checkName(v, kind); v != "" && msg != "" {
		r.errs.Add(r.at(key), "%s", msg)
	}
	return v
}

func patternHint(p *regexp.Regexp) string {
	if p == codeRE {
		return "use letters, digits, '.', '_' and '-', starting with a letter or digit"
	}
	return "use lowercase letters, digits and '-', starting with a letter or digit"
}

func (r *rec) strs(key string, required bool) []string {
	v, ok := r.get(key, required)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		r.errs.Add(r.at(key), "%s must be an array of strings, not %s", key, typeName(v))
		return nil
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		sv, isStr := e.(string)
		if !isStr {
			r.errs.Add(r.elemAt(key, i), "%s[%d] must be a string, not %s", key, i, typeName(e))
			continue
		}
		out = append(out, sv)
	}
	if required && len(list) == 0 {
		r.errs.Add(r.at(key), "%s must not be empty", key)
	}
	return out
}

func (r *rec) date(key string, required bool) *Date {
	v, ok := r.get(key, required)
	if !ok {
		return nil
	}
	t, isTime := v.(time.Time)
	if !isTime || t.Location().String() != "date-local" {
		if sv, ok := v.(string); ok {
			if iso := isoOfDayFirst(sv); iso != "" {
				r.errs.Add(r.at(key), "%s must be a date written year first, without quotes: if %q is day/month/year, write %s = %s", key, sv, key, iso)
				return nil
			}
		}
		r.errs.Add(r.at(key), "%s must be a date like 2021-05-23 (without quotes), not %s", key, typeName(v))
		return nil
	}
	d := DateOf(t)
	if !inRange(d) {
		r.errs.Add(r.at(key), "%s %s is out of range: %s", key, d, rangeHint)
		return nil
	}
	return &d
}

// spec reads a due, start or limit.
func (r *rec) spec(key string) *DateSpec {
	v, ok := r.get(key, false)
	if !ok {
		return nil
	}
	pos := r.at(key)
	switch v := v.(type) {
	case string:
		sp, err := parseRelative(v)
		if err != "" {
			r.errs.Add(pos, "%s %q: %s", key, v, err)
			return nil
		}
		sp.Pos = pos
		return sp
	case time.Time:
		sp := &DateSpec{Date: DateOf(v), Pos: pos}
		switch v.Location().String() {
		case "date-local":
			sp.Text = sp.Date.String()
		case "time-local":
			r.errs.Add(pos, "%s has a time but no day: write a date-time like 2021-03-14T17:00:00, or \"E-70 17:00\"", key)
			return nil
		default:
			sp.HasTime, sp.Hour, sp.Minute = true, v.Hour(), v.Minute()
			sp.Text = v.Format("2006-01-02T15:04")
		}
		if !inRange(sp.Date) {
			r.errs.Add(pos, "%s %s is out of range: %s", key, sp.Text, rangeHint)
			return nil
		}
		return sp
	}
	r.errs.Add(pos, "%s must be \"E\", \"E-N\" or \"E+N\" (optionally with \" HH:MM\"), or a date like 2021-04-03, not %s", key, typeName(v))
	return nil
}

// parseRelative parses "E", "E-70", "E+3", "E-70 17:00". It returns a
// message saying what is wrong, or "".
func parseRelative(v string) (*DateSpec, string) {
	t := strings.TrimSpace(v)
	if _, err := time.Parse("2006-01-02", t); err == nil {
		return nil, "write the date without quotes (due = " + t + "), or a day relative to the election day like \"E-10\""
	}
	m := relRE.FindStringSubmatch(t)
	if m == nil {
		return nil, "not a deadline: use \"E\", \"E-N\" or \"E+N\" days from the election day, optionally with a time \"E-70 17:00\", or a date like 2021-04-03"
	}
	sp := &DateSpec{Relative: true, Text: t}
	if m[2] != "" {
		// Decimal, whatever leading zeros: E-08 is 8 days, E-010 is 10.
		n, err := strconv.Atoi(m[2])
		if err != nil {
			return nil, "the number of days must be decimal digits, like E-70"
		}
		if m[1] == "-" {
			n = -n
		}
		sp.Offset = n
	}
	if m[3] != "" {
		h, errH := strconv.Atoi(m[3])
		mi, errM := strconv.Atoi(m[4])
		if errH != nil || errM != nil || h > 23 || mi > 59 {
			return nil, "the time must be HH:MM between 00:00 and 23:59"
		}
		sp.Hour, sp.Minute, sp.HasTime = h, mi, true
	}
	return sp, ""
}

// table returns the sub-table key of the record as a map.
func (r *rec) table(key string) (map[string]any, bool) {
	v, ok := r.get(key, false)
	if !ok {
		return nil, false
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		r.errs.Add(r.at(key), "%s must be a table [%s], not %s", key, key, typeName(v))
		return nil, false
	}
	return m, true
}

// tables returns the array of tables key of the record.
func (r *rec) tables(key string) []map[string]any {
	v, ok := r.get(key, false)
	if !ok {
		return nil
	}
	switch list := v.(type) {
	case []map[string]any:
		return list
	case []any:
		if len(list) == 0 {
			return nil
		}
	}
	if _, isTable := v.(map[string]any); isTable {
		r.errs.Add(r.keyPlace(key), "[%s] must be written [[%s]], with two brackets: each %s is one [[%s]] table, even the first", key, key, key, key)
		return nil
	}
	r.errs.Add(r.keyPlace(key), "%s must be written as [[%s]] tables, not %s", key, key, typeName(v))
	return nil
}

// done reports every key of the table that no reader asked for.
func (r *rec) done(known ...string) {
	var unknown []string
	for k := range r.m {
		if !r.seen[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		r.errs.Add(r.keyPlace(k), "unknown key %q in %s (known keys: %s)%s", k, r.what, strings.Join(known, ", "), didYouMean(k, known))
	}
}

// keyPlace finds where a key of the table was written: as a key, as the
// first part of a dotted key (k.x = 1), or as a [k] or [k.x] table of its
// own (for a file's root table); else the table's header.
func (r *rec) keyPlace(k string) Pos {
	if p, ok := r.tp.keyAt[k]; ok {
		return p
	}
	var best Pos
	found := false
	better := func(p Pos) {
		if !found || p.before(best) {
			best, found = p, true
		}
	}
	first := func(name string) string { // "t . x" -> "t"
		head, _, _ := strings.Cut(name, ".")
		return strings.TrimSpace(head)
	}
	for name, p := range r.tp.keyAt {
		if strings.Contains(name, ".") && first(name) == k {
			better(p)
		}
	}
	for name, t := range r.sub {
		if first(name) == k && len(t) > 0 {
			better(t[0].header)
		}
	}
	if found {
		return best
	}
	return r.tp.header
}

func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return "a date"
		case "time-local":
			return "a time"
		}
		return "a date-time"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

var (
	siteKeys     = []string{"title", "language", "election_day", "organisation", "level", "category", "form", "workbook", "labels"}
	levelKeys    = []string{"id", "name", "sign", "return_by", "form"}
	categoryKeys = []string{"id", "name"}
	bodyKeys     = []string{"id", "name", "levels", "names"}
	unitKeys     = []string{"code", "parent", "level", "name", "tags", "election_day", "place", "form"}
	planKeys     = []string{"number", "date", "issuer", "title", "source", "scope", "summary", "task"}
	taskKeys     = []string{"id", "title", "levels", "responsible", "support", "category", "due", "start", "limit", "when", "unless", "items", "evidence", "basis", "details", "implements", "from"}
	workbookKeys = []string{"password"}
)

func (s *Set) loadSite(fsys fs.FS) {
	s.Site = &Site{Pos: Pos{File: SiteFile}, Labels: map[string]string{}}
	src, ok := s.read(fsys, SiteFile, true)
	if !ok {
		s.broken["site"] = true
		return
	}
	m, ix, ok := s.decode(SiteFile, src)
	if !ok {
		s.broken["site"] = true
		return
	}
	r := newRec("site.toml", m, ix.table("", 0), &s.errs)
	r.sub = ix
	site := s.Site
	site.places = places{at: map[string]Pos{}, elems: map[string][]Pos{}}
	site.tables = map[string]Pos{}
	addPlaces := func(prefix string, tp *tablePos) {
		for k, q := range tp.keys {
			site.places.at[prefix+k] = q
		}
		for k, q := range tp.elems {
			site.places.elems[prefix+k] = q
		}
	}
	addPlaces("", r.tp)
	for _, name := range []string{"form", "labels", "workbook"} {
		if t := ix[name]; len(t) > 0 {
			site.tables[name] = t[0].header
			addPlaces(name+".", t[0])
		}
	}
	site.Title = r.str("title", true)
	site.Language = r.str("language", false)
	if site.Language == "" {
		site.Language = "vi"
	} else if _, ok := builtinLabels[site.Language]; !ok {
		s.errs.Add(r.at("language"), "unknown language %q (languages: %s)", site.Language, strings.Join(Languages(), ", "))
	}
	if d := r.date("election_day", true); d != nil {
		site.ElectionDay = *d
	}
	site.Organisation = r.str("organisation", false)
	for i, lm := range r.tables("level") {
		lr := newRec("[[level]]", lm, ix.table("level", i), &s.errs)
		l := &Level{Index: len(site.Levels), Pos: lr.tp.header}
		l.ID = lr.id("id", true, idRE, "level id")
		l.Name = lr.str("name", true)
		l.Signers, l.Sign = lr.signers(src)
		l.Form = lr.form(ix.subTable("level.form", "level", i, lr.at("form")), "[level.form]")
		l.ReturnBy = lr.spec("return_by") // returnby.go
		l.places = placesOf(lr.tp)
		lr.done(levelKeys...)
		site.Levels = append(site.Levels, l)
	}
	if _, ok := m["level"]; !ok {
		s.errs.Add(Pos{File: SiteFile, Line: 1, Col: 1}, "site.toml needs at least one [[level]] with id and name, top level first")
		s.broken["site"] = true // do not report every use of a level as unknown
	}
	for i, cm := range r.tables("category") {
		cr := newRec("[[category]]", cm, ix.table("category", i), &s.errs)
		c := &Category{Pos: cr.tp.header}
		c.ID = cr.id("id", true, idRE, "category id")
		c.Name = cr.str("name", true)
		c.places = placesOf(cr.tp)
		cr.done(categoryKeys...)
		site.Categories = append(site.Categories, c)
	}
	if f := r.form(ix.table("form", 0), "[form]"); f != nil {
		site.Form = *f
	}
	if wm, ok := r.table("workbook"); ok {
		wr := newRec("[workbook]", wm, ix.table("workbook", 0), &s.errs)
		site.Workbook.Password = wr.str("password", false)
		wr.done(workbookKeys...)
	}
	if lm, ok := r.table("labels"); ok {
		lr := newRec("[labels]", lm, ix.table("labels", 0), &s.errs)
		keys := make([]string, 0, len(lm))
		for k := range lm {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, known := builtinLabels["en"][k]; !known {
				s.errs.Add(lr.keyPlace(k), "unknown label %q (labels: %s)%s", k, knownLabelList(), didYouMean(k, LabelKeys()))
				lr.seen[k] = true
				continue
			}
			site.Labels[k] = lr.str(k, false)
			if msg := checkLabel(k, site.Labels[k]); msg != "" {
				s.errs.Add(lr.at(k), "%s", msg)
			}
		}
	}
	r.done(siteKeys...)
}

func (s *Set) loadBodies(fsys fs.FS) {
	src, ok := s.read(fsys, BodiesFile, true)
	if !ok {
		s.broken["bodies"] = true
		return
	}
	m, ix, ok := s.decode(BodiesFile, src)
	if !ok {
		s.broken["bodies"] = true
		return
	}
	r := newRec("bodies.toml", m, ix.table("", 0), &s.errs)
	r.sub = ix
	for i, bm := range r.tables("body") {
		br := newRec("[[body]]", bm, ix.table("body", i), &s.errs)
		b := &Body{Pos: br.tp.header}
		b.ID = br.id("id", true, idRE, "body id")
		b.Name = br.str("name", true)
		b.Levels = br.strs("levels", false)
		b.Names, b.names = br.names(ix.subTable("body.names", "body", i, br.at("names")))
		b.places = placesOf(br.tp)
		br.done(bodyKeys...)
		s.Bodies = append(s.Bodies, b)
	}
	r.done("body")
}

// loadUnitsTOML reads units.toml, which a site may lack.
func (s *Set) loadUnitsTOML(fsys fs.FS) {
	_, errTOML := fs.Stat(fsys, UnitsFile)
	if errTOML != nil {
		return // a site may have units.csv only, or levels only
	}
	if src, ok := s.read(fsys, UnitsFile, false); ok {
		if m, ix, ok := s.decode(UnitsFile, src); ok {
			r := newRec("units.toml", m, ix.table("", 0), &s.errs)
			r.sub = ix
			for i, um := range r.tables("unit") {
				ur := newRec("[[unit]]", um, ix.table("unit", i), &s.errs)
				u := &Unit{Pos: ur.tp.header}
				u.Code = ur.id("code", true, codeRE, "unit code")
				u.Parent = ur.str("parent", false)
				u.Level = ur.str("level", true)
				u.Name = ur.str("name", true)
				u.Tags = ur.strs("tags", false)
				u.ElectionDay = ur.date("election_day", false)
				u.Place = ur.str("place", false)
				u.Form = ur.form(ix.subTable("unit.form", "unit", i, ur.at("form")), "[unit.form]")
				u.places = placesOf(ur.tp)
				ur.done(unitKeys...)
				s.Units = append(s.Units, u)
			}
			r.done("unit")
		} else {
			s.broken["units"] = true
		}
	} else {
		s.broken["units"] = true
	}
}

// loadUnitsCSV reads units.csv, which a site may lack.
func (s *Set) loadUnitsCSV(fsys fs.FS) {
	_, errCSV := fs.Stat(fsys, UnitsCSV)
	if errCSV != nil {
		return // a site may have units.toml only, or levels only
	}
	if src, ok := s.read(fsys, UnitsCSV, false); ok {
		units, ok := readUnitsCSV(UnitsCSV, src, &s.errs)
		if !ok {
			s.broken["units"] = true
		}
		s.Units = append(s.Units, units...)
	} else {
		s.broken["units"] = true
	}
}

func (s *Set) loadPlans(fsys fs.FS) {
	entries, err := fs.ReadDir(fsys, PlansDir)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		if st, serr := fs.Stat(fsys, PlansDir); serr == nil && !st.IsDir() {
			s.errs.Add(Pos{File: PlansDir}, "is a file, but must be a directory of plan files (plans/<id>.toml)")
		} else {
			s.errs.Add(Pos{File: PlansDir}, "cannot read: %v", err)
		}
		s.broken["plans"] = true
		return
	}
	plans, misnamed := 0, 0
	defer func() {
		if plans == 0 && misnamed == 0 {
			s.errs.Add(Pos{File: PlansDir}, "no plan files: add one content/plans/<id>.toml per plan (checkgen init DIR writes an example)")
		}
	}()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".toml") {
			if msg := misnamedPlan(name); msg != "" && !e.IsDir() {
				s.errs.Add(Pos{File: path.Join(PlansDir, name)}, "%s", msg)
				misnamed++
			}
			continue
		}
		plans++
		file := path.Join(PlansDir, name)
		id := strings.TrimSuffix(name, ".toml")
		if !idRE.MatchString(id) {
			s.errs.Add(Pos{File: file}, "malformed plan id %q: rename the file using lowercase letters, digits and '-' (the file name is the plan id)", id)
			continue
		}
		if msg := checkName(id, "plan id"); msg != "" {
			s.errs.Add(Pos{File: file}, "%s (the file name is the plan id)", msg)
			continue
		}
		s.part(fsys, file, func(s *Set, fsys fs.FS) { s.loadPlan(fsys, id, file) })
	}
}

// loadPlan reads the plan file of the plan id.
func (s *Set) loadPlan(fsys fs.FS, id, file string) {
	src, ok := s.read(fsys, file, true)
	if !ok {
		s.broken["plans"] = true
		return
	}
	m, ix, ok := s.decode(file, src)
	if !ok {
		s.broken["plans"] = true
		return
	}
	s.Plans = append(s.Plans, s.decodePlan(id, file, m, ix))
}

func (s *Set) decodePlan(id, file string, m map[string]any, ix fileIndex) *Plan {
	r := newRec("plan", m, ix.table("", 0), &s.errs)
	r.sub = ix
	p := &Plan{ID: id, File: file, Pos: Pos{File: file, Line: 1, Col: 1}, places: placesOf(r.tp)}
	p.Number = r.str("number", true)
	p.Date = r.date("date", false)
	p.Issuer = r.str("issuer", false)
	p.Title = r.str("title", true)
	p.Source = r.str("source", false)
	p.Scope = r.strs("scope", false)
	p.Summary = r.str("summary", false)
	for i, tm := range r.tables("task") {
		tr := newRec("[[task]]", tm, ix.table("task", i), &s.errs)
		t := &Task{Plan: p, Index: i, Pos: tr.tp.header}
		t.ID = tr.id("id", true, idRE, "task id")
		t.Title = tr.str("title", true)
		t.Levels = tr.strs("levels", true)
		t.Responsible = tr.str("responsible", true)
		t.Support = tr.strs("support", false)
		t.Category = tr.str("category", false)
		t.Due = tr.spec("due")
		t.Start = tr.spec("start")
		t.Limit = tr.spec("limit")
		t.When = tr.strs("when", false)
		t.Unless = tr.strs("unless", false)
		t.Items = tr.strs("items", false)
		t.Evidence = tr.strs("evidence", false)
		t.Basis = tr.strs("basis", false)
		t.Details = tr.str("details", false)
		t.Implements = tr.str("implements", false)
		t.From = tr.str("from", false)
		t.places = placesOf(tr.tp)
		tr.done(taskKeys...)
		p.Tasks = append(p.Tasks, t)
	}
	r.done(planKeys...)
	return p
}
