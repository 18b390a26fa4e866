package xlsx

import "checkgen/generator/plan"

// colHash is the hidden column beside the task keys: on every task row it
// holds TaskHash of the task as printed on that sheet, so that a sheet
// filled against an older checklist version still counts for the tasks
// that did not change. Workbooks written before it existed have it empty.
const colHash = "K"

// TaskHash is what the task row of entry e keeps in column K:
// plan.Checklist.EntryHash, the entry's part of the checklist version.
func TaskHash(c *plan.Checklist, e *plan.Entry) string { return c.EntryHash(e) }
