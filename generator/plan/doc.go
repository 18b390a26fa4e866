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
//
//	[[category]]                  # optional groups of tasks
//	id   = "security"
//	name = "An ninh, trật tự"
//
//	[form]                        # optional head of printed forms
//	left  = ["ỦY BAN BẦU CỬ", "TỈNH BẮC KẠN"]
//	right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
//	place = "Bắc Kạn"
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
//
// units.csv has the header code,parent,level,name,tags,election_day; tags
// are separated by ';', the date is written 2021-05-22, and a field holding
// a comma or a quote is quoted with quotes doubled ("Khu ""A"", số 1").
// Both files may be used; units.toml is read first.
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
//
// A task's id across the site is "<plan id>/<task id>" (Task.Key).
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
// Every checklist has a Version: 12 hex digits of a SHA-256 over exactly
// what it says, entry by entry in order: the task key, plan number, title,
// category name, responsible and supporting body names, the resolved due,
// start and limit, items, evidence, basis and details. Same content, same
// version; a change to any of these changes it. Unit names, labels, the
// form head and the site title are not covered: they do not change what a
// filled sheet answers. Units whose checklists are identical share one.
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
//     at most 100,000 of them counted by their depth (arrays of strings,
//     the only ones the format uses, are not counted).
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
