package plan

import (
	"encoding/json"
	"sort"
)

// RoundSchema is the version of round.json's layout.
const RoundSchema = 1

// Round is one merged reporting round: every target of the plan with what
// its lead department reported, every finding and every input file.
// It is what `collect` writes as round.json and what `report` reads.
type Round struct {
	Schema          int            `json:"schema"`
	PlanID          string         `json:"plan_id"`
	PlanTitle       string         `json:"plan_title"`
	PlanFingerprint string         `json:"plan_fingerprint"`
	Period          Period         `json:"period"`             // written as its canonical code, e.g. 2025Q3
	Deadline        string         `json:"deadline,omitempty"` // YYYY-MM-DD, when known
	Departments     []DeptResult   `json:"departments"`        // every department expected to report, roster order
	Targets         []TargetResult `json:"targets"`            // registry order: the city figures, from the lead departments
	// Districts are the 区县 expected to report (those that carry a quota
	// or an own target), roster order; DistrictTargets their figures, 区县 by
	// 区县 in roster order and each 区县's targets in registry order, each
	// judged on its quota or own target; Rollups the sum of the 区县 next to
	// the city figure, a split target at a time in registry order.
	Districts       []DeptResult   `json:"districts,omitempty"`
	DistrictTargets []TargetResult `json:"district_targets,omitempty"`
	Rollups         []Rollup       `json:"rollups,omitempty"`
	Findings        []Finding      `json:"findings"` // sorted, see SortFindings
	Files           []InputFile    `json:"files"`    // sorted by path
}

// DeptResult is one department's standing in the round.
type DeptResult struct {
	Unit      UnitKind `json:"unit"` // dept or district
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Short     string   `json:"short"`
	Submitted bool     `json:"submitted"`
	File      string   `json:"file,omitempty"`    // the accepted return
	Filler    string   `json:"filler,omitempty"`  // 填报人
	Phone     string   `json:"phone,omitempty"`   // 联系电话
	Filled    string   `json:"filled,omitempty"`  // 填报日期, YYYY-MM-DD
	Errors    int      `json:"errors"`            // error findings
	Warnings  int      `json:"warnings"`          // warning findings
	OnTime    *bool    `json:"on_time,omitempty"` // filled by the deadline, when both are known
	Targets   int      `json:"targets"`           // targets it leads, or a 区县's quotas and own targets
}

// TargetResult is one target's reported value and verdict.
type TargetResult struct {
	ID          string   `json:"id"`
	District    string   `json:"district,omitempty"` // the 区县 whose figure this is; "" for the city figure
	Lead        string   `json:"lead"`
	Kind        Kind     `json:"kind"`
	Raw         string   `json:"raw,omitempty"`       // the cell as the department left it
	Value       *float64 `json:"value,omitempty"`     // as parsed
	Milestone   string   `json:"milestone,omitempty"` // the chosen milestone status
	Status      Status   `json:"status"`
	Progress    *float64 `json:"progress,omitempty"`
	Expected    float64  `json:"expected"`
	Explanation string   `json:"explanation"`
	Note        string   `json:"note,omitempty"`       // 进展情况
	Problems    string   `json:"problems,omitempty"`   // 存在问题
	NextSteps   string   `json:"next_steps,omitempty"` // 下步措施
	File        string   `json:"file,omitempty"`
	Sheet       string   `json:"sheet,omitempty"`
	Cell        string   `json:"cell,omitempty"`
}

// Severity of a finding.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Label is the severity's Chinese name.
func (s Severity) Label() string {
	switch s {
	case Error:
		return "错误"
	case Warning:
		return "警告"
	}
	return "提示"
}

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Finding is one problem found in the returns. It is data, not an error.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	File     string   `json:"file,omitempty"`
	Dept     string   `json:"dept,omitempty"` // the reporting unit's code, a department's or a 区县's
	Unit     UnitKind `json:"unit,omitempty"` // the kind of unit Dept names
	Sheet    string   `json:"sheet,omitempty"`
	Cell     string   `json:"cell,omitempty"`
	Target   string   `json:"target,omitempty"`
	Message  string   `json:"message"`
}

// InputFile is one file given to collect, with its verdict.
type InputFile struct {
	Path    string   `json:"path"` // as found: a file path, or zip path + "!" + member name
	SHA256  string   `json:"sha256"`
	Size    int64    `json:"size"`
	Dept    string   `json:"dept,omitempty"` // the unit its stamp names
	Unit    UnitKind `json:"unit,omitempty"` // the kind of that unit, as stamped
	Period  Period   `json:"period,omitzero"`
	Verdict string   `json:"verdict"` // accepted, rejected, superseded, skipped
	Reason  string   `json:"reason,omitempty"`
}

// Verdicts of an input file.
const (
	Accepted   = "accepted"
	Rejected   = "rejected"
	Superseded = "superseded"
	Skipped    = "skipped"
)

// SortFindings orders findings by department, file, severity, sheet, cell, code, target:
// the same inputs give the same order whatever order the files came in.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Dept != b.Dept {
			return a.Dept < b.Dept
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Severity != b.Severity {
			return a.Severity.rank() < b.Severity.rank()
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if a.Cell != b.Cell {
			return cellLess(a.Cell, b.Cell)
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.Message < b.Message
	})
}

// cellLess orders A1 references by row, then column.
func cellLess(a, b string) bool {
	ra, ca := splitCell(a)
	rb, cb := splitCell(b)
	if ra != rb {
		return ra < rb
	}
	if len(ca) != len(cb) {
		return len(ca) < len(cb)
	}
	return ca < cb
}

func splitCell(s string) (row int, col string) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	for _, c := range s[i:] {
		if c < '0' || c > '9' {
			return 0, s
		}
		row = row*10 + int(c-'0')
	}
	return row, s[:i]
}

// Fingerprint hashes the round's content: the same inputs give the same fingerprint.
func (r *Round) Fingerprint() string {
	b, _ := json.Marshal(r)
	return shortHash(b)
}

// Result returns the target's result.
func (r *Round) Result(id string) (TargetResult, bool) {
	for _, t := range r.Targets {
		if t.ID == id {
			return t, true
		}
	}
	return TargetResult{}, false
}
