package plan

// This file is the one source of the content-format reference: every key
// of every content file, with its type, pattern, allowed values and a
// description in English and Vietnamese. `checkgen help content`,
// docs/content.md and the JSON Schemas of `checkgen schema` are all made
// from it, and reference_test.go checks that it lists exactly the keys the
// loader reads.

// Kind is the type of a key's value as written in TOML.
type Kind string

// The kinds of values.
const (
	KindString   Kind = "string"
	KindStrings  Kind = "array of strings"
	KindDate     Kind = "date"     // a TOML local date, without quotes: 2021-05-23
	KindDeadline Kind = "deadline" // "E", "E-N", "E+N" (" HH:MM"), a TOML date or local date-time
	KindTable    Kind = "table"
	KindTables   Kind = "array of tables"
	KindSigners  Kind = "array of signers" // each a role (string) or a table {for, title, note}
	KindNames    Kind = "table of names"   // level id -> string
	KindLabels   Kind = "table of labels"  // label key -> string
)

// Patterns of the values that become paths or name other things.
const (
	IDPattern       = `^[a-z0-9][a-z0-9-]*$`
	CodePattern     = `^[A-Za-z0-9][A-Za-z0-9._-]*$`
	RelativePattern = `^E([+-][0-9]{1,4})?( +[0-9]{1,2}:[0-9]{2})?$`
	TaskKeyPattern  = `^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$`
)

// Key is one key of a content table.
type Key struct {
	Name     string
	Kind     Kind
	Required bool
	Pattern  string   // a string's (or each element's) pattern, or ""
	Enum     []string // the only values allowed, or nil
	Default  string   // the value when absent, as written in TOML, or ""
	Refers   string   // what the value names: "level", "body", "category", "unit", "task"
	Example  string   // a value as written in TOML
	Doc      string   // English
	DocVI    string   // Vietnamese
	Table    *Table   // the keys of a table or array of tables
}

// Table is a TOML table (a file's root, [form]) or array of tables
// ([[task]]) and its keys.
type Table struct {
	Header string // "[[task]]", "[form]"; "" for a file's root
	Doc    string
	DocVI  string
	Keys   []Key
	// Init are the keys an editor writes into a new table of this kind.
	Init []string
	// Topic names the reference topic that describes the keys, when
	// another section than the table's own does ("forms").
	Topic string
}

// File is one kind of content file.
type File struct {
	Kind  string // "site", "bodies", "units", "plan": the schema's name
	Path  string // as shown to users: "content/site.toml", "content/plans/<id>.toml"
	Title string
	Doc   string
	DocVI string
	Root  *Table
}

// Lookup returns the key name of t, or false.
func (t *Table) Lookup(name string) (Key, bool) {
	for _, k := range t.Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Docs returns the key's description in English and Vietnamese: its own,
// else its table's.
func (k Key) Docs() (en, vi string) {
	if k.Doc == "" && k.Table != nil {
		return k.Table.Doc, k.Table.DocVI
	}
	return k.Doc, k.DocVI
}

// Names returns the names of t's keys, in reference order.
func (t *Table) Names() []string {
	names := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		names[i] = k.Name
	}
	return names
}

// formTable is [form], [level.form] and [unit.form].
func formTable(header, doc, docVI string) *Table {
	return &Table{Header: header, Doc: doc, DocVI: docVI, Topic: "forms", Keys: []Key{
		{Name: "left", Kind: KindStrings, Example: `["ỦY BAN BẦU CỬ", "{NAME}"]`,
			Doc:   "The lines of the issuing body, top left of the form. May hold placeholders ({name}, {NAME}, {code}, {place}, {name:LEVEL}, {NAME:LEVEL}).",
			DocVI: "Các dòng tên cơ quan ban hành, góc trên bên trái biểu mẫu. Được dùng chỗ điền ({name}, {NAME}, {code}, {place}, {name:LEVEL}, {NAME:LEVEL})."},
		{Name: "right", Kind: KindStrings, Example: `["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]`,
			Doc:   "The lines top right: the national title and motto, or \"ĐẢNG CỘNG SẢN VIỆT NAM\" for a party body.",
			DocVI: "Các dòng góc trên bên phải: quốc hiệu và tiêu ngữ, hoặc \"ĐẢNG CỘNG SẢN VIỆT NAM\" với cơ quan của Đảng."},
		{Name: "place", Kind: KindString, Example: `"Bắc Kạn"`,
			Doc:   "The place in the date line (\"Bắc Kạn, ngày ... tháng ... năm 2021\"); \"{place}\" is the unit's place.",
			DocVI: "Địa danh ở dòng ngày tháng (\"Bắc Kạn, ngày ... tháng ... năm 2021\"); \"{place}\" là địa danh của đơn vị."},
		{Name: "issued", Kind: KindDate, Example: `2021-03-10`,
			Doc:   "The issue date printed in the date line; absent: a blank date line to fill in at signing.",
			DocVI: "Ngày ban hành in ở dòng ngày tháng; không ghi: để trống để điền khi ký."},
		{Name: "number", Kind: KindString, Example: `"    /DMKT-UBBC"`,
			Doc:   "The \"Số: ...\" line under the left block.",
			DocVI: "Dòng \"Số: ...\" dưới khối bên trái."},
		{Name: "subject", Kind: KindString, Example: `"Công tác chuẩn bị bầu cử tại {name}"`,
			Doc:   "The subject line under the title; absent: the site's title.",
			DocVI: "Dòng trích yếu dưới tên loại văn bản; không ghi: dùng tiêu đề của trang."},
		{Name: "rule", Kind: KindString, Enum: []string{RuleLine, RuleStar}, Default: `"line"`, Example: `"line"`,
			Doc:   "What is printed under the left block: \"line\" (Decree 30/2020) or \"star\" (party documents).",
			DocVI: "Ký hiệu dưới khối bên trái: \"line\" (gạch ngang, Nghị định 30/2020) hoặc \"star\" (dấu sao, văn bản của Đảng)."},
	}}
}

// signKeys are the keys of a table in a level's sign.
var signTable = &Table{Header: "sign entry", Keys: []Key{
	{Name: "for", Kind: KindString, Example: `"TM. ỦY BAN BẦU CỬ"`,
		Doc: "The line above the title: on whose behalf (\"TM. ...\").", DocVI: "Dòng trên chức vụ: thay mặt cơ quan nào (\"TM. ...\")."},
	{Name: "title", Kind: KindString, Required: true, Example: `"CHỦ TỊCH"`,
		Doc: "The role that signs.", DocVI: "Chức vụ người ký."},
	{Name: "note", Kind: KindString, Example: `"(Ký, ghi rõ họ tên, đóng dấu)"`,
		Doc: "A line under the title.", DocVI: "Dòng ghi chú dưới chức vụ."},
}}

// deadlineDoc is the shared part of the description of due, start, limit
// and return_by.
const (
	deadlineDoc   = ` Write "E" (the election day), "E-N" or "E+N" (N days before or after), optionally with a time ("E-70 17:00"), or a date without quotes (2021-04-03) or a date-time (2021-03-14T17:00:00).`
	deadlineDocVI = ` Ghi "E" (ngày bầu cử), "E-N" hoặc "E+N" (N ngày trước hoặc sau), có thể kèm giờ ("E-70 17:00"), hoặc một ngày không có dấu nháy (2021-04-03) hay ngày giờ (2021-03-14T17:00:00).`
)

// Reference returns the content files and their keys. Each call returns a
// new value: callers may not share changes through it.
func Reference() []*File {
	labels := &Table{Header: "[labels]",
		Doc:   "Overrides of the built-in labels (\"Deadline\", \"Done\", ...) by key.",
		DocVI: "Thay các nhãn có sẵn (\"Thời hạn\", \"Đã xong\", ...) theo khóa."}
	for _, k := range LabelKeys() {
		labels.Keys = append(labels.Keys, Key{Name: k, Kind: KindString,
			Example: `"` + builtinLabels["vi"][k] + `"`,
			Doc:     "Label; built in: \"" + builtinLabels["en"][k] + "\" (en), \"" + builtinLabels["vi"][k] + "\" (vi).",
			DocVI:   "Nhãn; mặc định: \"" + builtinLabels["vi"][k] + "\" (vi), \"" + builtinLabels["en"][k] + "\" (en)."})
	}
	site := &File{Kind: "site", Path: SiteFile, Title: "site.toml",
		Doc:   "The site: its title, language, election day, levels, categories, the head of its forms and its labels.",
		DocVI: "Thông tin chung: tiêu đề, ngôn ngữ, ngày bầu cử, các cấp, nhóm công việc, phần đầu biểu mẫu và nhãn.",
		Root: &Table{Keys: []Key{
			{Name: "title", Kind: KindString, Required: true, Example: `"Bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp"`,
				Doc: "The site's title, on every page.", DocVI: "Tiêu đề của trang, in trên mọi trang."},
			{Name: "language", Kind: KindString, Enum: Languages(), Default: `"vi"`, Example: `"vi"`,
				Doc:   "The language of labels and dates: \"vi\" (dd/mm/yyyy) or \"en\".",
				DocVI: "Ngôn ngữ của nhãn và ngày tháng: \"vi\" (dd/mm/yyyy) hoặc \"en\"."},
			{Name: "election_day", Kind: KindDate, Required: true, Example: `2021-05-23`,
				Doc:   "The day E that relative deadlines count from. A date without quotes, year first: 2021-05-23.",
				DocVI: "Ngày E, mốc tính các thời hạn tương đối. Ghi ngày không có dấu nháy, năm trước: 2021-05-23."},
			{Name: "organisation", Kind: KindString, Example: `"Ủy ban bầu cử tỉnh Bắc Kạn"`,
				Doc: "The organisation that publishes the site.", DocVI: "Cơ quan phát hành trang."},
			{Name: "level", Kind: KindTables, Required: true, Table: &Table{Header: "[[level]]",
				Doc:   "A level of the organisation, top level first; at least one.",
				DocVI: "Một cấp của tổ chức, cấp trên trước; ít nhất một cấp.",
				Init:  []string{"id", "name"},
				Keys: []Key{
					{Name: "id", Kind: KindString, Required: true, Pattern: IDPattern, Example: `"province"`,
						Doc: "The level's id, used by units, tasks and bodies.", DocVI: "Mã cấp, dùng trong đơn vị, nhiệm vụ và cơ quan."},
					{Name: "name", Kind: KindString, Required: true, Example: `"Cấp tỉnh"`,
						Doc: "The level's name.", DocVI: "Tên cấp."},
					{Name: "sign", Kind: KindSigners, Table: signTable, Example: `["NGƯỜI KIỂM TRA", { for = "TM. ỦY BAN BẦU CỬ", title = "CHỦ TỊCH", note = "(Ký, ghi rõ họ tên, đóng dấu)" }]`,
						Doc:   "The signature columns at the foot of this level's forms: each a role, or a table {for, title, note} printed as three lines.",
						DocVI: "Các cột chữ ký cuối biểu mẫu của cấp: mỗi cột là một chức danh, hoặc bảng {for, title, note} in thành ba dòng."},
					{Name: "return_by", Kind: KindDeadline, Example: `"E+3"`,
						Doc:   "When this level's units hand their filled sheets back, for the report's on-time count." + deadlineDoc,
						DocVI: "Hạn các đơn vị của cấp nộp lại phiếu đã điền, để báo cáo tính nộp đúng hạn." + deadlineDocVI},
					{Name: "form", Kind: KindTable, Table: formTable("[level.form]",
						"The head of this level's forms; same keys as [form].",
						"Phần đầu biểu mẫu của cấp; các khóa như [form].")},
				}}},
			{Name: "category", Kind: KindTables, Table: &Table{Header: "[[category]]",
				Doc: "A group of tasks.", DocVI: "Một nhóm công việc.",
				Init: []string{"id", "name"},
				Keys: []Key{
					{Name: "id", Kind: KindString, Required: true, Pattern: IDPattern, Example: `"security"`,
						Doc: "The category's id, used by tasks.", DocVI: "Mã nhóm, dùng trong nhiệm vụ."},
					{Name: "name", Kind: KindString, Required: true, Example: `"An ninh, trật tự"`,
						Doc: "The category's name.", DocVI: "Tên nhóm."},
				}}},
			{Name: "form", Kind: KindTable, Table: formTable("[form]",
				"The default head of printed forms.",
				"Phần đầu mặc định của biểu mẫu in.")},
			{Name: "workbook", Kind: KindTable, Table: &Table{Header: "[workbook]",
				Doc: "Options of the sign-off workbooks.", DocVI: "Tùy chọn của phiếu xác nhận Excel.",
				Keys: []Key{
					{Name: "password", Kind: KindString, Example: `"..."`,
						Doc:   "The password that unprotects the sheets; absent: none.",
						DocVI: "Mật khẩu bỏ khóa các trang tính; không ghi: không có mật khẩu."},
				}}},
			{Name: "labels", Kind: KindLabels, Table: labels},
		}},
	}
	bodies := &File{Kind: "bodies", Path: BodiesFile, Title: "bodies.toml",
		Doc:   "The bodies (agencies, committees, teams) that can be responsible for tasks.",
		DocVI: "Các cơ quan, tổ chức chủ trì hoặc phối hợp thực hiện nhiệm vụ.",
		Root: &Table{Keys: []Key{
			{Name: "body", Kind: KindTables, Table: &Table{Header: "[[body]]",
				Doc: "A body.", DocVI: "Một cơ quan, tổ chức.",
				Init: []string{"id", "name", "levels"},
				Keys: []Key{
					{Name: "id", Kind: KindString, Required: true, Pattern: IDPattern, Example: `"election-committee"`,
						Doc: "The body's id, used by tasks.", DocVI: "Mã cơ quan, dùng trong nhiệm vụ."},
					{Name: "name", Kind: KindString, Required: true, Example: `"Ủy ban bầu cử"`,
						Doc: "The body's name, where no per-level name is given.", DocVI: "Tên cơ quan, dùng khi không có tên riêng theo cấp."},
					{Name: "levels", Kind: KindStrings, Pattern: IDPattern, Refers: "level", Example: `["province", "district", "commune"]`,
						Doc: "The levels where such a body exists; absent: every level.", DocVI: "Các cấp có cơ quan này; không ghi: mọi cấp."},
					{Name: "names", Kind: KindNames, Example: `{ province = "Công an tỉnh", commune = "Công an xã" }`,
						Doc:   "The body's name at some of its levels ([body.names]: level id = name).",
						DocVI: "Tên cơ quan ở từng cấp ([body.names]: mã cấp = tên)."},
				}}},
		}},
	}
	units := &File{Kind: "units", Path: UnitsFile, Title: "units.toml",
		Doc:   "The units of the organisation, each at a level, below its parent. units.csv holds the same as rows.",
		DocVI: "Các đơn vị của tổ chức, mỗi đơn vị thuộc một cấp, dưới đơn vị cấp trên. units.csv chứa cùng thông tin theo dòng.",
		Root: &Table{Keys: []Key{
			{Name: "unit", Kind: KindTables, Table: &Table{Header: "[[unit]]",
				Doc: "A unit.", DocVI: "Một đơn vị.",
				Init: []string{"code", "parent", "level", "name"},
				Keys: []Key{
					{Name: "code", Kind: KindString, Required: true, Pattern: CodePattern, Example: `"06-058-01842-KV03"`,
						Doc: "The unit's code, unique; official administrative codes fit.", DocVI: "Mã đơn vị, không trùng; có thể dùng mã hành chính."},
					{Name: "parent", Kind: KindString, Pattern: CodePattern, Refers: "unit", Example: `"01842"`,
						Doc: "The code of the unit exactly one level up; required below the top level.", DocVI: "Mã đơn vị cấp trên trực tiếp; bắt buộc trừ cấp cao nhất."},
					{Name: "level", Kind: KindString, Required: true, Pattern: IDPattern, Refers: "level", Example: `"polling"`,
						Doc: "The unit's level id.", DocVI: "Mã cấp của đơn vị."},
					{Name: "name", Kind: KindString, Required: true, Example: `"Khu vực bỏ phiếu số 3"`,
						Doc: "The unit's name.", DocVI: "Tên đơn vị."},
					{Name: "tags", Kind: KindStrings, Example: `["island"]`,
						Doc: "Free labels that tasks select on (when, unless); not inherited.", DocVI: "Nhãn tự do để nhiệm vụ chọn đơn vị (when, unless); không kế thừa."},
					{Name: "election_day", Kind: KindDate, Example: `2021-05-22`,
						Doc:   "The unit's own election day; absent: the parent's, else the site's.",
						DocVI: "Ngày bầu cử riêng của đơn vị; không ghi: theo đơn vị cấp trên, rồi theo trang."},
					{Name: "place", Kind: KindString, Example: `"Nguyễn Du"`,
						Doc: "The place in the date line of the unit's forms; absent: the parent's.", DocVI: "Địa danh ở dòng ngày tháng của biểu mẫu; không ghi: theo đơn vị cấp trên."},
					{Name: "form", Kind: KindTable, Table: formTable("[unit.form]",
						"The head of this unit's and its subtree's forms; same keys as [form].",
						"Phần đầu biểu mẫu của đơn vị và các đơn vị trực thuộc; các khóa như [form].")},
				}}},
		}},
	}
	plan := &File{Kind: "plan", Path: PlansDir + "/<id>.toml", Title: "plans/<id>.toml",
		Doc:   "One plan document and its tasks; the file name (without .toml) is the plan id.",
		DocVI: "Một văn bản kế hoạch và các nhiệm vụ của nó; tên tệp (bỏ .toml) là mã kế hoạch.",
		Root: &Table{Keys: []Key{
			{Name: "number", Kind: KindString, Required: true, Example: `"23/KH-UBBC"`,
				Doc: "The document's number and symbol.", DocVI: "Số, ký hiệu văn bản."},
			{Name: "date", Kind: KindDate, Example: `2021-03-04`,
				Doc: "The document's date, without quotes.", DocVI: "Ngày ban hành văn bản, không có dấu nháy."},
			{Name: "issuer", Kind: KindString, Example: `"Ủy ban bầu cử tỉnh Bắc Kạn"`,
				Doc: "The body that issued the document.", DocVI: "Cơ quan ban hành văn bản."},
			{Name: "title", Kind: KindString, Required: true, Example: `"Kế hoạch giải quyết khiếu nại, tố cáo ..."`,
				Doc: "The document's title.", DocVI: "Trích yếu văn bản."},
			{Name: "source", Kind: KindString, Example: `"000_2471c25a145f5ae2.txt"`,
				Doc: "The file name or URL of the source text.", DocVI: "Tên tệp hoặc địa chỉ của văn bản gốc."},
			{Name: "scope", Kind: KindStrings, Pattern: CodePattern, Refers: "unit", Example: `["06"]`,
				Doc: "Unit codes whose subtrees the plan binds; absent: every unit.", DocVI: "Mã các đơn vị (cùng cấp dưới) mà kế hoạch áp dụng; không ghi: mọi đơn vị."},
			{Name: "summary", Kind: KindString, Example: `"""Markdown."""`,
				Doc: "A summary, in Markdown.", DocVI: "Tóm tắt, viết bằng Markdown."},
			{Name: "task", Kind: KindTables, Table: &Table{Header: "[[task]]",
				Doc: "A task of the plan: one row of the checklists of its levels.", DocVI: "Một nhiệm vụ của kế hoạch: một dòng trong danh mục kiểm tra của các cấp.",
				Init: []string{"id", "title", "levels", "responsible", "due"},
				Keys: []Key{
					{Name: "id", Kind: KindString, Required: true, Pattern: IDPattern, Example: `"complaints-verify"`,
						Doc: "The task's id, unique within the plan.", DocVI: "Mã nhiệm vụ, không trùng trong kế hoạch."},
					{Name: "title", Kind: KindString, Required: true, Example: `"Kiểm tra, xác minh, giải quyết khiếu nại, tố cáo"`,
						Doc: "What is to be done.", DocVI: "Nội dung công việc."},
					{Name: "levels", Kind: KindStrings, Required: true, Pattern: IDPattern, Refers: "level", Example: `["province", "district", "commune"]`,
						Doc: "The levels whose checklists hold the task.", DocVI: "Các cấp có nhiệm vụ trong danh mục kiểm tra."},
					{Name: "responsible", Kind: KindString, Required: true, Pattern: IDPattern, Refers: "body", Example: `"election-committee"`,
						Doc: "The body responsible: it must exist at every one of the levels.", DocVI: "Cơ quan chủ trì: phải có ở mọi cấp của nhiệm vụ."},
					{Name: "support", Kind: KindStrings, Pattern: IDPattern, Refers: "body", Example: `["police"]`,
						Doc: "Supporting bodies.", DocVI: "Các cơ quan phối hợp."},
					{Name: "category", Kind: KindString, Pattern: IDPattern, Refers: "category", Example: `"complaints"`,
						Doc: "The task's category id.", DocVI: "Mã nhóm công việc."},
					{Name: "due", Kind: KindDeadline, Example: `"E-10"`,
						Doc: "The deadline; absent: a standing duty." + deadlineDoc, DocVI: "Thời hạn; không ghi: công việc thường xuyên." + deadlineDocVI},
					{Name: "start", Kind: KindDeadline, Example: `"E-30"`,
						Doc: "The start of a window start..due." + deadlineDoc, DocVI: "Ngày bắt đầu của khoảng thời gian start..due." + deadlineDocVI},
					{Name: "limit", Kind: KindDeadline, Example: `"E-10"`,
						Doc: "The statutory ceiling: a due later than it is a warning." + deadlineDoc, DocVI: "Hạn luật định: thời hạn muộn hơn sẽ bị cảnh báo." + deadlineDocVI},
					{Name: "when", Kind: KindStrings, Example: `["island"]`,
						Doc: "Only units carrying one of these tags.", DocVI: "Chỉ áp dụng cho đơn vị có một trong các nhãn này."},
					{Name: "unless", Kind: KindStrings, Example: `["no-council"]`,
						Doc: "Not units carrying one of these tags.", DocVI: "Không áp dụng cho đơn vị có một trong các nhãn này."},
					{Name: "items", Kind: KindStrings, Example: `["Hòm phiếu", "Quốc huy"]`,
						Doc: "Sub-checkboxes.", DocVI: "Các nội dung kiểm tra con, mỗi nội dung một ô đánh dấu."},
					{Name: "evidence", Kind: KindStrings, Example: `["Sổ theo dõi đơn thư"]`,
						Doc: "What to keep as proof.", DocVI: "Hồ sơ cần lưu làm bằng chứng."},
					{Name: "basis", Kind: KindStrings, Example: `["Luật Khiếu nại 2011"]`,
						Doc: "The legal basis.", DocVI: "Căn cứ pháp lý."},
					{Name: "details", Kind: KindString, Example: `"""Markdown."""`,
						Doc: "Details, in Markdown (raw HTML is dropped, with a warning).", DocVI: "Chi tiết, viết bằng Markdown (HTML bị bỏ, có cảnh báo)."},
					{Name: "implements", Kind: KindString, Pattern: TaskKeyPattern, Refers: "task", Example: `"luat-bau-cu-2015/committees"`,
						Doc:   "The task (\"plan id/task id\") this one carries out: where both reach a checklist, it is listed once, citing both.",
						DocVI: "Nhiệm vụ (\"mã kế hoạch/mã nhiệm vụ\") mà nhiệm vụ này thực hiện: khi cả hai cùng vào một danh mục, chỉ ghi một dòng, dẫn cả hai nguồn."},
					{Name: "from", Kind: KindString, Enum: []string{"unit", "site"}, Default: `"unit"`, Example: `"site"`,
						Doc:   "Which election day relative deadlines count from: the unit's own (\"unit\") or the site's (\"site\", for statutory deadlines).",
						DocVI: "Mốc tính thời hạn tương đối: ngày bầu cử của đơn vị (\"unit\") hay của trang (\"site\", cho thời hạn luật định)."},
				}}},
		}},
	}
	return []*File{site, bodies, units, plan}
}
