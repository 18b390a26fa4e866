package plan

import (
	"sort"
	"strings"
)

// builtinLabels are the words the outputs print, by language. A site
// overrides any of them in site.toml [labels]; an unknown key is an error.
var builtinLabels = map[string]map[string]string{
	"vi": {
		"home":               "Trang chủ",
		"plans":              "Kế hoạch",
		"plan":               "Kế hoạch",
		"levels":             "Cấp",
		"level":              "Cấp",
		"units":              "Đơn vị",
		"unit":               "Đơn vị",
		"children":           "Đơn vị trực thuộc",
		"parent":             "Đơn vị cấp trên",
		"bodies":             "Cơ quan, tổ chức",
		"body":               "Cơ quan, tổ chức",
		"timeline":           "Lịch thời hạn",
		"calendar":           "Lịch (iCalendar)",
		"search":             "Tìm đơn vị",
		"search_hint":        "Nhập tên hoặc mã đơn vị",
		"search_none":        "Không tìm thấy đơn vị nào",
		"tasks":              "Nhiệm vụ",
		"task":               "Nội dung công việc",
		"no":                 "STT",
		"due":                "Thời hạn",
		"start":              "Bắt đầu",
		"limit":              "Hạn luật định",
		"standing":           "Thường xuyên",
		"responsible":        "Chủ trì",
		"support":            "Phối hợp",
		"category":           "Nhóm công việc",
		"uncategorised":      "Công việc khác",
		"items":              "Nội dung kiểm tra",
		"evidence":           "Hồ sơ lưu",
		"basis":              "Căn cứ",
		"details":            "Chi tiết",
		"source":             "Nguồn",
		"number":             "Số",
		"issuer":             "Cơ quan ban hành",
		"date":               "Ngày",
		"scope":              "Phạm vi",
		"when":               "Chỉ áp dụng cho",
		"unless":             "Không áp dụng cho",
		"result":             "Kết quả",
		"status":             "Tình trạng",
		"done":               "Đã xong",
		"not_done":           "Chưa xong",
		"not_applicable":     "Không áp dụng",
		"date_done":          "Ngày hoàn thành",
		"confirmed_by":       "Người xác nhận",
		"notes":              "Ghi chú",
		"version":            "Phiên bản danh mục",
		"code":               "Mã",
		"name":               "Tên",
		"election_day":       "Ngày bầu cử",
		"own_election_day":   "Ngày bỏ phiếu riêng",
		"next_deadlines":     "Thời hạn sắp tới",
		"counts":             "Số liệu",
		"checklist":          "Danh mục kiểm tra",
		"checklist_title":    "DANH MỤC KIỂM TRA",
		"no_tasks":           "Không có nhiệm vụ nào cho đơn vị này.",
		"sign_hint":          "(Ký, ghi rõ họ tên)",
		"page":               "Trang",
		"of":                 "/",
		"pdf":                "Bản in (PDF)",
		"xlsx":               "Phiếu xác nhận (Excel)",
		"summary":            "Tổng hợp",
		"completion":         "Tỷ lệ hoàn thành",
		"overdue":            "Quá hạn",
		"report":             "Báo cáo tiến độ",
		"returned_nothing":   "Chưa nộp",
		"outdated":           "Điền theo danh mục cũ",
		"problems":           "Vấn đề",
		"total":              "Tổng số",
		"blank":              "Chưa điền",
		"organisation":       "Cơ quan",
		"print_date":         "Ngày in",
		"warning":            "Cảnh báo",
		"replaced_character": "ký tự không in được đã được thay",
		"as_of":              "Tính đến ngày",
		"returned":           "Đã nộp",
		"expected":           "Phải nộp",
		"conflict":           "Trùng lặp",
		"rejected":           "Không hợp lệ",
		"file":               "Tệp",
		"skip":               "Bỏ qua, đến nội dung chính",
		"navigation":         "Điều hướng",
		"breadcrumb":         "Vị trí trang",
		"no_deadlines":       "Không còn thời hạn nào sau ngày này.",
		"on_time":            "Nộp đúng hạn",
		"return_by":          "Hạn nộp",
		"returned_on":        "Ngày nộp",
		"reconfirm":          "Cần xác nhận lại",
	},
	"en": {
		"home":               "Home",
		"plans":              "Plans",
		"plan":               "Plan",
		"levels":             "Levels",
		"level":              "Level",
		"units":              "Units",
		"unit":               "Unit",
		"children":           "Units below",
		"parent":             "Parent unit",
		"bodies":             "Bodies",
		"body":               "Body",
		"timeline":           "Timeline",
		"calendar":           "Calendar (iCalendar)",
		"search":             "Find a unit",
		"search_hint":        "Type a unit's name or code",
		"search_none":        "No unit found",
		"tasks":              "Tasks",
		"task":               "Task",
		"no":                 "No.",
		"due":                "Deadline",
		"start":              "Starts",
		"limit":              "Statutory limit",
		"standing":           "Standing duty",
		"responsible":        "Responsible",
		"support":            "Supporting",
		"category":           "Category",
		"uncategorised":      "Other tasks",
		"items":              "Items to check",
		"evidence":           "Evidence to keep",
		"basis":              "Legal basis",
		"details":            "Details",
		"source":             "Source",
		"number":             "Number",
		"issuer":             "Issued by",
		"date":               "Date",
		"scope":              "Scope",
		"when":               "Only for",
		"unless":             "Not for",
		"result":             "Result",
		"status":             "Status",
		"done":               "Done",
		"not_done":           "Not done",
		"not_applicable":     "Not applicable",
		"date_done":          "Date done",
		"confirmed_by":       "Confirmed by",
		"notes":              "Notes",
		"version":            "Checklist version",
		"code":               "Code",
		"name":               "Name",
		"election_day":       "Election day",
		"own_election_day":   "Own voting day",
		"next_deadlines":     "Next deadlines",
		"counts":             "Counts",
		"checklist":          "Checklist",
		"checklist_title":    "CHECKLIST",
		"no_tasks":           "No tasks for this unit.",
		"sign_hint":          "(Signature and full name)",
		"page":               "Page",
		"of":                 "of",
		"pdf":                "Printable (PDF)",
		"xlsx":               "Sign-off sheet (Excel)",
		"summary":            "Summary",
		"completion":         "Completion",
		"overdue":            "Overdue",
		"report":             "Completion report",
		"returned_nothing":   "Returned nothing",
		"outdated":           "Filled against an outdated checklist",
		"problems":           "Problems",
		"total":              "Total",
		"blank":              "Blank",
		"organisation":       "Organisation",
		"print_date":         "Printed",
		"warning":            "Warning",
		"replaced_character": "unprintable characters were replaced",
		"as_of":              "As of",
		"returned":           "Returned",
		"expected":           "Expected",
		"conflict":           "Conflict",
		"rejected":           "Rejected",
		"file":               "File",
		"skip":               "Skip to the content",
		"navigation":         "Navigation",
		"breadcrumb":         "Breadcrumb",
		"no_deadlines":       "No deadlines after this day.",
		"on_time":            "Returned on time",
		"return_by":          "Return by",
		"returned_on":        "Returned on",
		"reconfirm":          "Re-confirm",
	},
}

// Languages lists the languages with built-in labels.
func Languages() []string { return []string{"en", "vi"} }

// LabelKeys lists every label key, sorted.
func LabelKeys() []string {
	keys := make([]string, 0, len(builtinLabels["en"]))
	for k := range builtinLabels["en"] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// labelsFor returns the built-in labels of lang with the site's overrides
// applied. Unknown languages fall back to English.
func labelsFor(lang string, overrides map[string]string) map[string]string {
	base, ok := builtinLabels[lang]
	if !ok {
		base = builtinLabels["en"]
	}
	out := make(map[string]string, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overrides {
		if _, ok := out[k]; ok {
			out[k] = v
		}
	}
	return out
}

func knownLabelList() string { return strings.Join(LabelKeys(), ", ") }
