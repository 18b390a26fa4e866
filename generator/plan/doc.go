// Package plan is checkgen's content model: it loads a site's TOML and CSV
// files (Load), checks them and computes the checklist of every level and
// unit (Resolve). This comment is the reference of the content format.
//
// # Files
//
// A site is a directory holding content/ (and, optionally, layouts/):
//
//	content/site.toml        the site: title, language, election day, levels, categories, form head, labels
//	content/bodies.toml      the bodies that can own tasks
//	content/units.toml       units as [[unit]] tables, and/or
//	content/units.csv        units as rows: code,parent,level,name,tags,election_day
//	content/plans/<id>.toml  one file per plan document; the file name is the plan id
//
// All files are UTF-8 (a byte-order mark is accepted) and every string is
// normalised to NFC on load, so text pasted in decomposed form prints and
// matches like any other. Unknown keys are errors. Ids (levels, categories,
// bodies, tasks, plan file names) match ^[a-z0-9][a-z0-9-]*$; unit codes
// match ^[A-Za-z0-9][A-Za-z0-9._-]*$, and two codes may not differ only in
// case: both become folder names. For the same reason ids and codes may not
// be a device name of Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, in
// any case, with or without an extension: "nul.1" too), and a code may not
// end with '.' (Windows drops it, so "A." would share the folder of "A").
//
// # site.toml
//
//	title        = "Bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp"   # required
//	language     = "vi"           # "vi" (default) or "en": labels and date format
//	election_day = 2021-05-23     # required: the day E that relative deadlines count from
//	organisation = "Ủy ban bầu cử tỉnh Bắc Kạn"
//
//	[[level]]                     # at least one, top level first
//	id   = "province"
//	name = "Cấp tỉnh"
//	sign = ["NGƯỜI KIỂM TRA", "CHỦ TỊCH"]   # signature roles on this level's forms
//	return_by = "E+3"             # optional: when its units' filled sheets are due back (checkgen report)
//	[level.form]                  # optional: the head of this level's forms (see Official papers)
//	left = ["ỦY BAN BẦU CỬ", "{NAME}"]
//
//	[[category]]                  # optional groups of tasks
//	id   = "security"
//	name = "An ninh, trật tự"
//
//	[form]                        # optional: the default head of printed forms (see Official papers)
//	left    = ["ỦY BAN BẦU CỬ", "TỈNH BẮC KẠN"]
//	right   = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
//	place   = "Bắc Kạn"
//	issued  = 2021-03-10          # the issue date; absent: a blank date line
//	number  = "    /DMKT-UBBC"    # the "Số: ..." line
//	subject = "Công tác chuẩn bị bầu cử tại {name}"
//	rule    = "line"              # "line" (default) or "star"
//
//	[workbook]                    # optional: sign-off workbook options
//	password = "..."              # needed to unprotect the sheets (default: none)
//
//	[labels]                      # optional: override built-in labels by key
//	due = "Thời hạn hoàn thành"
//
// LabelKeys lists the label keys; an unknown key is an error.
//
// # bodies.toml
//
//	[[body]]
//	id     = "election-committee"
//	name   = "Ủy ban bầu cử"
//	levels = ["province", "district", "commune"]   # where such a body exists; absent: every level
//	[body.names]                  # optional: the body's name at some of its levels
//	province = "Công an cấp tỉnh"
//	commune  = "Công an cấp xã"
//
// A checklist names a body as its level does (Body.NameAt; Checklist.Level):
// a commune's form says "Công an cấp xã", a level without a name of its own
// uses name. A name for an unknown level, or for a level where the body does
// not exist, is an error.
//
// # units.toml and units.csv
//
//	[[unit]]
//	code   = "01834-KV03"          # required, unique
//	parent = "01834"               # required below the top level: a unit exactly one level up
//	level  = "polling"             # required
//	name   = "Khu vực bỏ phiếu số 3"   # required
//	tags   = ["island"]            # free labels that tasks select on (when/unless)
//	election_day = 2021-05-22      # optional; else the parent's, else the site's
//	place  = "Nguyễn Du"           # optional: the place of the date line; else the parent's
//	[unit.form]                    # optional: the head of this unit's and its subtree's forms
//	number = "    /DMKT-UBND"
//
// units.csv has the header code,parent,level,name,tags,election_day; tags
// are separated by ';', the date is written 2021-05-22, and a field holding
// a comma or a quote is quoted with quotes doubled ("Khu ""A"", số 1").
// Both files may be used; units.toml is read first. units.csv has no place
// or form columns: a unit written there takes its place and [unit.form]
// keys from its ancestors.
//
// # plans/<id>.toml
//
//	number  = "23/KH-UBBC"         # required: the document's number and symbol
//	date    = 2021-03-04
//	issuer  = "Ủy ban bầu cử tỉnh Bắc Kạn"
//	title   = "Kế hoạch giải quyết khiếu nại, tố cáo ..."   # required
//	source  = "000_2471c25a145f5ae2.txt"   # file name or URL of the source text
//	scope   = ["06"]               # optional: unit codes whose subtrees the plan binds
//	summary = """Markdown."""
//
//	[[task]]
//	id          = "complaints-verify"   # required, unique within the plan
//	title       = "Kiểm tra, xác minh, giải quyết khiếu nại, tố cáo"   # required
//	levels      = ["province", "district", "commune"]   # required
//	responsible = "election-committee"  # required: a body that exists at every one of the levels
//	support     = ["police"]            # supporting bodies
//	category    = "complaints"
//	due         = "E-10"                # see Deadlines; absent: a standing duty
//	start       = "E-30"                # a window start..due
//	limit       = "E-10"                # statutory ceiling: a later due is a warning
//	when        = ["island"]            # only units carrying one of these tags
//	unless      = ["no-council"]        # not units carrying one of these tags
//	items       = ["Hòm phiếu", "Quốc huy"]   # sub-checkboxes
//	evidence    = ["Sổ theo dõi đơn thư"]     # what to keep as proof
//	basis       = ["Luật Khiếu nại 2011"]     # legal basis
//	details     = """Markdown."""
//	implements  = "luat-bau-cu-2015/committees"   # the statutory task this one carries out
//	from        = "site"                # relative deadlines count from the site's election day
//
// A task's id across the site is "<plan id>/<task id>" (Task.Key).
//
// implements names a task of the site (of another plan, usually the law's)
// that this task carries out. Wherever both reach the same checklist, only
// this task is listed, with Entry.Also set to the other one so that forms
// cite both sources, and with the other task's due as its limit when that
// is earlier than its own limit (or it has none); a due later than it is
// a warning. Where only one of the two reaches a checklist it is listed as
// usual. The named task must exist, must not be the task itself and must
// not implement a task in turn (name the statutory task directly); sharing
// no level with it is a warning, since the two then never meet.
//
// from = "site" counts the task's relative deadlines from the site's
// election day instead of the unit's own: statutory pre-election deadlines
// do not move when a polling area votes early. The default is "unit".
//
// # Deadlines
//
// A due, start or limit is one of:
//
//	"E"            the unit's election day
//	"E-70"         70 days before it; "E+3": 3 days after
//	"E-70 17:00"   with a time of day, HH:MM from 00:00 to 23:59
//	2021-04-03     a TOML date (no quotes): the same day for every unit
//	2021-03-14T17:00:00   a TOML date-time
//
// Days and times are decimal: "E-08 09:05" is 8 days before at 9:05. N
// has at most 4 digits. Relative deadlines are resolved from each unit's own election day, so a
// polling area voting a day early gets every relative date a day earlier;
// a level's checklist uses the site's election day. A start later than its
// due is an error; a due later than its limit is a warning.
//
// # Official papers
//
// Each printed form (a unit's or a level's PDF, its workbook's title rows
// and the HTML print head) carries a head as Decree 30/2020/ND-CP lays it
// out: the issuing body top left, the national title and motto top right
// (or "ĐẢNG CỘNG SẢN VIỆT NAM" for a party body, Hướng dẫn 36-HD/VPTW), a
// line or a star under the left block, the number, the place-and-date line
// and the subject under the title. The head is resolved per unit into
// Unit.Head, key by key for left, right, place, issued, number, subject
// and rule: from the nearest [unit.form] on the unit or an ancestor that
// writes the key, else the unit's level's [level.form], else the site's
// [form]. A [unit.form] thus rules its whole subtree; put what differs by
// level (who issues) in [level.form] with placeholders, and keep in a
// [unit.form] what is common to a unit's subtree:
//
//	[[level]]                              # site.toml
//	id   = "polling"
//	name = "Khu vực bỏ phiếu"
//	sign = [{ for = "TM. TỔ BẦU CỬ", title = "TỔ TRƯỞNG", note = "(Ký, ghi rõ họ tên, đóng dấu)" }, "THƯ KÝ"]
//	[level.form]
//	left   = ["UBND {NAME:commune}", "TỔ BẦU CỬ {NAME}"]
//	number = "    /DMKT-TBC"
//
//	[form]
//	right   = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
//	place   = "{place}"
//	subject = "Công tác chuẩn bị bầu cử tại {name}"
//
//	[[unit]]                               # units.toml
//	code  = "007"
//	name  = "Quận Hai Bà Trưng"
//	...
//	[unit.form]
//	subject = "Rà soát công tác chuẩn bị bầu cử tại {name}"
//
// The strings of left, right, place, number and subject may hold
// placeholders, filled for each unit whose form uses them:
//
//	{name}, {NAME}            the unit's name; in capitals (Vietnamese letters too: Đ)
//	{code}                    the unit's code
//	{place}                   the unit's place (its own, else the nearest ancestor's; "" if none)
//	{name:LEVEL}, {NAME:LEVEL}  the name of the unit's ancestor at LEVEL (or its own)
//
// An unknown placeholder, an unknown level, a '{' without its '}', or a
// LEVEL below the unit the form is filled for is an error at the
// placeholder's line and column, naming the unit's code; in a
// [level.form], a LEVEL below that level is one whatever the units.
//
// A level's own papers (Level.Head) are the blank form of all its units:
// its [level.form], else the site's [form], with every placeholder
// printed as Blank ("..........") to fill in by hand; [unit.form]s do not
// apply. Without issued, the date line is left to fill in at signing:
// "Hà Nội, ngày ... tháng ... năm 2021" (Site.HeadDateLine), never a
// date made up from the plans. rule is "line" or "star"; anything else is
// an error. Without subject, renderers use the site's title.
//
// A sign entry is a role ("THƯ KÝ") or a table {for, title, note},
// printed as up to three lines above the space for the signature
// (Level.Signers); title is required in a table and other keys are errors.
//
// # Resolution
//
// The checklist of a level holds every task whose levels include it, from
// every plan, ordered by due (a day with a time before the same day
// without; standing duties last), then by plan id, then by file order. A
// unit's checklist is its level's, keeping the tasks whose plan scope holds
// the unit or an ancestor, whose when tags (if any) the unit carries one
// of, and none of whose unless tags it carries. Tags are the unit's own:
// they are not inherited.
//
// Where a task that implements another and that other task both reach a
// checklist, the implementing task is listed once, in the other's place
// (see implements). The site's timeline lists every task.
//
// Every checklist has a Version: 12 hex digits of a SHA-256 over exactly
// what a filled answer depends on, entry by entry in order: the task key,
// plan number, title, the key, plan number and title of the task it
// implements when both reached the checklist (Entry.Also), category name,
// responsible and supporting body names as the checklist's level names
// them, the resolved due, start and limit, items, evidence, basis and
// details. Same content, same version; a change to any of these changes
// it. Unit names, labels, the site title and the whole head of the papers
// (issuer, number, subject, place, issue date) are not covered: they do
// not change what a filled sheet answers, so re-issuing a paper with a new
// number or date keeps the sheets already returned valid. Units whose
// checklists are identical share one.
//
// # Limits
//
// Content that no real site needs, and that would hang a build or fail
// deep in a renderer, is refused at load with its place:
//
//   - Content files are regular files (a pipe, device or socket, also
//     behind a symbolic link, is refused before it is opened) of at most
//     1 MiB for a TOML file (about 8,000 units in units.toml: put more in
//     units.csv) and 128 MiB for units.csv.
//   - Arrays and inline tables nest at most 32 deep, and a TOML file holds
//     at most 100,000 of them counted by their depth (an array of depth 1,
//     like every list of strings, is not counted; a sign table counts 2).
//   - Ids, unit codes and plan file names have at most 64 characters.
//   - Dates, written or resolved from an election day, lie between
//     1900-03-01 and 9999-12-31: the days a spreadsheet can hold.
//   - A label in [labels] is one line of at most 60 characters: it heads a
//     table column or a button, or ends up in a footer. "page" and "of",
//     which share the workbook's page footer with the code and the
//     checklist version, have at most 30; the labels that print as a
//     sentence of their own (no_tasks, no_deadlines, search_hint,
//     search_none, skip, replaced_character, sign_hint) at most 120.
//
// # Errors
//
// Every problem is reported at once, sorted by place, one per line as
// file:line:col: message; the column counts characters. Load and Resolve
// collect them in an ErrorList.
package plan
