package plan_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"checkgen/generator/plan"
)

// exampleRoot is the repository root, which is the example site.
const exampleRoot = "../.."

func openExample(t testing.TB) *plan.Model {
	t.Helper()
	m, err := plan.Open(os.DirFS(exampleRoot))
	if err != nil {
		t.Fatalf("the example site has errors:\n%v", err)
	}
	return m
}

func TestExampleLoadsClean(t *testing.T) {
	m := openExample(t)
	if len(m.Warnings) > 0 {
		t.Errorf("the example site has warnings:\n%v", m.Warnings)
	}
	if n := len(m.Units); n < 150 || n > 400 {
		t.Errorf("%d units, want 150 to 400", n)
	}
	if got := m.Site.ElectionDay.String(); got != "2021-05-23" {
		t.Errorf("election day = %s", got)
	}
	var levels []string
	for _, l := range m.Levels {
		levels = append(levels, l.ID)
	}
	if got := strings.Join(levels, ","); got != "province,district,commune,polling" {
		t.Errorf("levels = %s", got)
	}
}

// TestExampleSeeds checks that each seed text's plan file holds the duties
// the text names, with the dates and lists it gives.
func TestExampleSeeds(t *testing.T) {
	m := openExample(t)
	plans := map[string]*plan.Plan{}
	for _, p := range m.Plans {
		plans[p.ID] = p
	}
	type want struct {
		source string
		tasks  []string          // task ids the text names
		due    map[string]string // task id -> due as written
		limit  map[string]string
		items  map[string][]string // task id -> items that must be listed
	}
	seeds := map[string]want{
		"bac-kan-23-kh-ubbc": {
			source: "000_2471c25a145f5ae2.txt",
			tasks:  []string{"complaints-candidates", "complaints-citizens", "security-situation", "security-internal", "security-plans", "security-prevent", "security-vetting", "security-residence-fire-traffic", "security-duty", "polling-security-fire", "health-directives", "health-plans", "health-approve", "polling-health", "inspection"},
			// "đặc biệt là các điểm bầu cử, nơi niêm yết danh sách người ứng cử
			// đại biểu, danh sách cử tri, hòm phiếu"
			items: map[string][]string{"polling-security-fire": {"Nơi niêm yết danh sách người ứng cử, danh sách cử tri", "Hòm phiếu"}},
		},
		// The text names no province (item 1 of issue 13): the plan id names none.
		"ubnd-tinh-1519-ubnd-ncpc": {
			source: "001_b169a2aeab3e614e.txt",
			tasks:  []string{"health-covid", "communications", "combat-readiness", "support-districts", "disaster", "home-affairs-guidance", "home-affairs-duty", "local-review", "voting-drill", "polling-drill", "youth-volunteers", "candidate-discussions", "duty-roster"},
			// "duy trì ... trực ... từ nay đến ngày bầu cử"; the drill is
			// "trước", to avoid trouble "trong ngày bầu cử".
			due: map[string]string{"duty-roster": "E", "combat-readiness": "E", "voting-drill": "E-1", "polling-drill": "E-1"},
		},
		"hai-ba-trung-19-5-2021": {
			source: "002_992e020d94a7af40.txt",
			tasks:  []string{"district-review", "ward-review", "polling-materials", "decoration", "count-training", "count-drill", "biographies", "voter-movements", "covid-voting-approval", "covid-voting-plans", "polling-covid-drill", "complaints", "security", "incidents", "polling-incidents", "urban-order", "front-mobilise", "supervision"},
			items:  map[string][]string{"polling-materials": {"Hòm phiếu", "Quốc huy", "Phiếu bầu", "Băng niêm phong hòm phiếu", "Nội quy khu vực bỏ phiếu", "Hướng dẫn bỏ phiếu"}},
		},
		"quang-ninh-10-kh-tu": {
			source: "003_fe1a33737eabd617.txt",
			tasks:  []string{"steering-committees", "steering-committees-commune", "election-committees", "na-boards", "council-boards", "election-teams", "dissemination", "implementation-plans", "covid-scenarios", "polling-covid", "candidate-personnel", "security"},
			due: map[string]string{
				"steering-committees": "2021-01-20", "steering-committees-commune": "2021-01-25",
				"election-committees": "2021-02-07", "na-boards": "2021-03-14", "council-boards": "2021-03-14", "election-teams": "2021-04-03",
			},
			limit: map[string]string{"election-committees": "E-105", "na-boards": "E-70", "council-boards": "E-70", "election-teams": "E-50"},
		},
		"bo-cong-an-antt": {
			source: "004_ddb1837a86647691.txt",
			tasks:  []string{"mps-inspection", "follow-directives", "review-plans", "situation-advice", "island-plans", "island-polling-security", "covid-area-control"},
		},
		"luat-bau-cu-2015": {
			tasks: []string{"committees", "consultation-1", "constituencies", "na-boards", "council-boards", "candidate-files", "consultation-2", "election-teams", "election-teams-ward", "voter-lists-posted", "voter-list-updates", "vote-elsewhere", "consultation-3", "official-lists", "lists-posted-polling", "candidate-complaints-close", "inform-voters", "campaign-end", "polling-room", "voter-cards", "voting", "polling-day-report", "counting", "count-minutes", "council-results", "na-results"},
			due: map[string]string{
				"committees": "E-105", "constituencies": "E-80", "na-boards": "E-70", "candidate-files": "E-70 17:00",
				"election-teams": "E-50", "voter-lists-posted": "E-40", "consultation-3": "E-35", "lists-posted-polling": "E-20",
				"candidate-complaints-close": "E-10", "campaign-end": "E-1 07:00", "count-minutes": "E+3", "council-results": "E+10", "na-results": "E+20",
				// Art. 30: until 24 hours before voting; Art. 34: "cho đến ngày bầu cử".
				"voter-list-updates": "E-1 07:00", "vote-elsewhere": "E", "polling-day-report": "E",
			},
		},
	}
	for id, w := range seeds {
		p := plans[id]
		if p == nil {
			t.Errorf("no plan %s", id)
			continue
		}
		if w.source != "" && p.Source != w.source {
			t.Errorf("%s: source = %q, want %q", id, p.Source, w.source)
		}
		tasks := map[string]*plan.Task{}
		for _, task := range p.Tasks {
			tasks[task.ID] = task
			if task.ResponsibleBody == nil || len(task.Levels) == 0 {
				t.Errorf("%s: %s has no responsible body or levels", id, task.Key())
			}
		}
		for _, tid := range w.tasks {
			if tasks[tid] == nil {
				t.Errorf("%s: missing task %s", id, tid)
			}
		}
		for tid, due := range w.due {
			if task := tasks[tid]; task != nil && (task.Due == nil || task.Due.Text != due) {
				t.Errorf("%s/%s: due = %v, want %s", id, tid, task.Due, due)
			}
		}
		for tid, limit := range w.limit {
			if task := tasks[tid]; task != nil && (task.Limit == nil || task.Limit.Text != limit) {
				t.Errorf("%s/%s: limit = %v, want %s", id, tid, task.Limit, limit)
			}
		}
		for tid, items := range w.items {
			task := tasks[tid]
			if task == nil {
				continue
			}
			for _, item := range items {
				if !slices.Contains(task.Items, item) {
					t.Errorf("%s/%s: items %q lack %q", id, tid, task.Items, item)
				}
			}
		}
	}
}

func TestExampleUnits(t *testing.T) {
	m := openExample(t)
	count := map[string]int{}
	for _, u := range m.Units {
		count[u.Level]++
	}
	// Bắc Kạn's eight district-level units; Hai Bà Trưng's 18 wards.
	if got := len(m.Unit("06").Children); got != 8 {
		t.Errorf("Bắc Kạn has %d district-level units, want 8", got)
	}
	if got := len(m.Unit("007").Children); got != 18 {
		t.Errorf("Hai Bà Trưng has %d wards, want 18", got)
	}
	if m.Unit("22") == nil || len(m.Unit("22").Children) == 0 {
		t.Error("Quảng Ninh and its district-level units are missing")
	}
	// An island polling area votes a day early, so each relative date of
	// its checklist is a day earlier than a mainland polling area's.
	var island, mainland *plan.Unit
	for _, u := range m.Level("polling").Units {
		if u.Day.String() == "2021-05-22" && u.HasTag("island") {
			island = u
		}
		if u.Day.String() == "2021-05-23" && mainland == nil {
			mainland = u
		}
	}
	if island == nil {
		t.Fatal("no island polling area voting on 2021-05-22")
	}
	onE := func(u *plan.Unit) string {
		for _, e := range u.Checklist.Entries {
			if e.Task.Key() == "luat-bau-cu-2015/voting" {
				return e.Due.String()
			}
		}
		return ""
	}
	if got := onE(island); got != "2021-05-22T07:00" {
		t.Errorf("island voting task due %s, want 2021-05-22T07:00", got)
	}
	if got := onE(mainland); got != "2021-05-23T07:00" {
		t.Errorf("mainland voting task due %s, want 2021-05-23T07:00", got)
	}
	// Island tasks reach the island area only.
	has := func(u *plan.Unit, key string) bool {
		for _, e := range u.Checklist.Entries {
			if e.Task.Key() == key {
				return true
			}
		}
		return false
	}
	islandOnly := ""
	for _, task := range m.Tasks {
		if slices.Contains(task.When, "island") && task.HasLevel("polling") {
			islandOnly = task.Key()
		}
	}
	if islandOnly == "" || !has(island, islandOnly) || has(mainland, islandOnly) {
		t.Errorf("island task %q: island has it %v, mainland has it %v", islandOnly, has(island, islandOnly), has(mainland, islandOnly))
	}
	// Plans scoped to one province never reach another's units.
	for _, u := range m.Unit("007").Children {
		for _, e := range u.Checklist.Entries {
			if s := e.Task.Plan.Scope; len(s) > 0 && !slices.Contains(s, "007") && !slices.Contains(s, "01") {
				t.Errorf("ward %s holds %s scoped to %v", u.Code, e.Task.Key(), s)
			}
		}
	}
	t.Logf("units per level: %v", fmt.Sprint(count))
}
