// Package report computes the Brief: everything the reports say about a round,
// as plain data — headline figures, tables, chart series.
//
// Compute builds it once; the renderers report/xlsx (进度报告.xlsx) and
// report/pdf (简报.pdf) only lay it out, so the numbers in every document
// agree by construction. A renderer never adds up.
package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"planrep/plan"
)

// Options set what the round does not say: the title, issuing office, 期号,
// date, the submission deadline and whom the brief goes to.
type Options struct {
	Title    string    // the brief's title; default 计划执行情况简报
	Office   string    // the issuing office; default the planner's full name from the registry
	Date     time.Time // the brief's date; zero leaves it blank
	Deadline string    // YYYY-MM-DD; default the round's deadline
	// Issue is the 期号 (第 N 期); 0 prints none. The command takes it from
	// --issue; a store that keeps the year may count it instead.
	Issue  int
	SendTo []string // 报送: default the plan's office (e.g. 淄博市人民政府)
	CopyTo []string // 抄送: default 市直有关部门
	// History is the year from the store; nil makes a brief of the round alone.
	History *History
}

// Statuses of the brief. The brief refines the plan's judgement in two ways:
// a value the check itself questions is 待核实, never 已完成 as if confirmed;
// a target whose department sent nothing is 未报送, while a cell left blank in
// a return that was sent is 未填报.
const (
	Unconfirmed plan.Status = "待核实"
	Blank       plan.Status = "未填报"
)

// Statuses lists the brief's statuses in the order every report shows them.
var Statuses = []plan.Status{plan.Done, plan.OnTrack, plan.Behind, plan.FarBehind,
	Unconfirmed, Blank, plan.Invalid, plan.Missing}

// Doubting holds the codes of findings that question a value: a target with
// an open finding of one of these codes is 待核实 (V07 more than 3× the
// target, V08 and V17 a cumulative value that fell, V18 a level far from the
// last period's).
var Doubting = map[string]bool{plan.ValueImplausible: true, plan.ValueBelowPrev: true,
	plan.ValueFell: true, plan.ValueJump: true}

// DefaultTitle is the brief's title when Options.Title is empty.
const DefaultTitle = "计划执行情况简报"

// Brief is everything the reports show, computed once from a plan and a round.
// Every list has a fixed order, so the same round gives the same brief.
type Brief struct {
	Meta     Meta     `json:"meta"`
	Headline Headline `json:"headline"`
	// Body is the brief's text in sections, addressed to the leaders;
	// Attachments follow it, each on a new page; Closing names the data.
	Body        []Section        `json:"body"`
	Attachments []Attachment     `json:"attachments"`
	Closing     string           `json:"closing"`
	MainGoals   []TargetRow      `json:"main_goals"`  // targets of part 二 (主要目标), registry order
	Chapters    []ChapterRow     `json:"chapters"`    // by chapter, in registry order
	Depts       []DeptRow        `json:"departments"` // by department, roster order
	Behind      []TargetRow      `json:"behind"`      // 滞后 and 严重滞后, most behind first
	Doubtful    []TargetRow      `json:"doubtful"`    // 待核实, registry order
	Milestones  []MilestoneGroup `json:"milestones"`  // milestones by status, plan.Statuses order
	Missing     []MissingDept    `json:"missing"`     // departments that sent nothing (催报清单)
	Findings    []DeptFindings   `json:"findings"`    // findings grouped by department
	Rows        []TargetRow      `json:"rows"`        // every target (明细), registry order
	// ChapterTotal adds up Chapters (the 合计 row).
	ChapterTotal ChapterRow `json:"chapter_total"`
	Charts       Charts     `json:"charts"`
	// Year is the year so far, from the store (see year.go); nil without one.
	Year *Year `json:"year,omitempty"`
	// Districts is the 区县 section, when the round holds 区县.
	Districts *Districts `json:"districts,omitempty"`
}

// Section is one numbered part of the brief's body: its heading, its
// paragraphs, then the figures and tables (blocks) drawn after them.
type Section struct {
	Heading    string   `json:"heading"` // 一、总体情况
	Paragraphs []string `json:"paragraphs"`
	Blocks     []string `json:"blocks,omitempty"` // Block… names, in order
}

// Attachment is one 附件: its title and the block that fills it.
type Attachment struct {
	Title string `json:"title"`
	Block string `json:"block"`
}

// Blocks: the figures and tables a renderer knows how to draw from the
// Brief. A section or attachment names them; a renderer draws each from its
// own table of blocks, so a new part of the brief adds a block and its
// drawing without touching the others.
const (
	BlockBoxes      = "boxes"          // Headline.Boxes
	BlockChapters   = "chart_chapters" // Charts.StatusByChapter
	BlockDeptChart  = "chart_depts"    // Charts.CompletionByDept
	BlockMainGoals  = "main_goals"     // MainGoals
	BlockDoubtful   = "doubtful"       // Doubtful
	BlockBehind     = "behind"         // Behind
	BlockMilestones = "milestones"     // Milestones
	BlockDepts      = "depts"          // Depts with their rows
)

// Meta identifies the brief and the data it was made from.
type Meta struct {
	Title       string   `json:"title"`
	Period      string   `json:"period"`       // canonical code, e.g. 2025Q3
	PeriodLabel string   `json:"period_label"` // 2025年前三季度
	Covers      string   `json:"covers"`       // 2025年1月1日至9月30日
	Office      string   `json:"office"`       // issuing office (发文机关): the planner
	Issue       int      `json:"issue,omitempty"`
	IssueText   string   `json:"issue_text,omitempty"` // 第 3 期
	SendTo      []string `json:"send_to"`              // 报送
	CopyTo      []string `json:"copy_to"`              // 抄送
	Printed     string   `json:"printed,omitempty"`    // 印发 line: 淄博市发展和改革委员会 2025年10月15日印发
	Date        string   `json:"date"`                 // YYYY-MM-DD, "" when not set
	DateText    string   `json:"date_text"`            // 2025年10月15日
	Deadline    string   `json:"deadline,omitempty"`
	PlanID      string   `json:"plan_id"`
	PlanTitle   string   `json:"plan_title"`
	Planner     string   `json:"planner,omitempty"` // the office that runs the reporting
	Fingerprint string   `json:"fingerprint"`       // the round's fingerprint: which data this is
	// SourceDir is the folder the returns were collected from (the deepest
	// folder holding them all); every file the brief names is relative to it.
	SourceDir string `json:"source_dir,omitempty"`
	// PlanMismatch is set when the round was collected against another
	// version of the plan than the one the brief is computed with.
	PlanMismatch bool `json:"plan_mismatch,omitempty"`
}

// StatusCount is how many targets have one status.
type StatusCount struct {
	Status plan.Status `json:"status"`
	Count  int         `json:"count"`
	Share  float64     `json:"share"` // of all targets
}

// Figure is one headline box: a label and the figure the text also states.
type Figure struct {
	Label string `json:"label"` // 已完成
	Value string `json:"value"` // 14
	Unit  string `json:"unit"`  // 项, or "" for a rate
	Alert bool   `json:"alert,omitempty"`
}

// Headline holds the figures of 总体情况.
type Headline struct {
	Targets      int           `json:"targets"`      // targets in all
	Quantitative int           `json:"quantitative"` // of which with a number
	Milestones   int           `json:"milestones"`   // of which deliverables (重点任务)
	QuantShare   float64       `json:"quantitative_share"`
	MilesShare   float64       `json:"milestones_share"`
	ByStatus     []StatusCount `json:"by_status"` // Statuses order, zeros included
	// OnSchedule counts 已完成 plus 序时推进; OnScheduleRate is its share of all targets.
	OnSchedule     int     `json:"on_schedule"`
	OnScheduleRate float64 `json:"on_schedule_rate"`
	Lagging        int     `json:"lagging"` // 滞后 plus 严重滞后

	DeptsExpected int     `json:"depts_expected"`
	DeptsIn       int     `json:"depts_in"`
	SubmitRate    float64 `json:"submit_rate"` // 报送率: DeptsIn / DeptsExpected
	// OnTime counts departments that sent their return by the deadline;
	// OnTimeRate is its share of the departments expected. Both are nil when
	// the deadline or the returns' dates are not known.
	OnTime     *int     `json:"on_time,omitempty"`
	OnTimeRate *float64 `json:"on_time_rate,omitempty"`

	Errors   int `json:"errors"`   // error findings
	Warnings int `json:"warnings"` // warning findings

	// Summary is the headline in words, one paragraph, as every report prints it.
	Summary string `json:"summary"`
	// Boxes are the headline figures; each says what Summary says.
	Boxes []Figure `json:"boxes"`
}

// Count returns the number of targets with status s.
func (h Headline) Count(s plan.Status) int {
	for _, c := range h.ByStatus {
		if c.Status == s {
			return c.Count
		}
	}
	return 0
}

// TargetRow is one target with its result, as every table shows it.
type TargetRow struct {
	ID        string   `json:"id"`
	Chapter   string   `json:"chapter"`
	Section   string   `json:"section,omitempty"`
	Task      string   `json:"task,omitempty"`
	Indicator string   `json:"indicator"`
	Kind      string   `json:"kind"`       // plan.Kind
	KindLabel string   `json:"kind_label"` // 累计量, 增长率 …
	Nature    string   `json:"nature"`     // 约束性 / 预期性
	Target    string   `json:"target"`     // short: 5%以上
	Statement string   `json:"statement"`  // the target as the plan states it: 城镇新增就业5.5万人以上
	Value     *float64 `json:"value,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Due       string   `json:"due,omitempty"` // a milestone's planned period, labelled
	DeptCode  string   `json:"dept_code"`
	Dept      string   `json:"dept"` // short name of the lead department

	Actual   string      `json:"actual"`             // the reported value with unit, or the milestone status
	Reported *float64    `json:"reported,omitempty"` // the parsed value
	Raw      string      `json:"raw,omitempty"`
	Status   plan.Status `json:"status"` // one of Statuses
	// Assessed is the plan's judgement of the value as reported, when Status
	// differs from it (a 待核实 value that would read 已完成).
	Assessed plan.Status `json:"assessed,omitempty"`
	// Account says in plain words what was reported against what was planned.
	Account     string   `json:"account"`
	Doubt       string   `json:"doubt,omitempty"` // the finding that questions the value
	DoubtCode   string   `json:"doubt_code,omitempty"`
	Progress    *float64 `json:"progress,omitempty"` // share achieved
	Expected    float64  `json:"expected"`           // share expected by the period's end
	Gap         *float64 `json:"gap,omitempty"`      // Expected − Progress, when both are known and positive
	Explanation string   `json:"explanation"`
	Note        string   `json:"note,omitempty"`       // 进展情况
	Problems    string   `json:"problems,omitempty"`   // 存在问题
	NextSteps   string   `json:"next_steps,omitempty"` // 下步措施
	File        string   `json:"file,omitempty"`
	Sheet       string   `json:"sheet,omitempty"`
	Cell        string   `json:"cell,omitempty"`
}

// ChapterRow counts one chapter's targets by status.
type ChapterRow struct {
	Chapter string `json:"chapter"`
	Label   string `json:"label"` // short form for charts
	Total   int    `json:"total"`
	Counts  []int  `json:"counts"` // Statuses order
	// OnSchedule counts 已完成 and 序时推进; OnScheduleRate is its share of Total.
	OnSchedule     int     `json:"on_schedule"`
	OnScheduleRate float64 `json:"on_schedule_rate"`
}

// DeptRow is one department's standing.
type DeptRow struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Short   string `json:"short"`
	Targets int    `json:"targets"`
	Counts  []int  `json:"counts"` // Statuses order
	// Completion is the share of its targets 已完成 or 序时推进; nil when
	// the department sent nothing (未报送, never 0%).
	Completion *float64    `json:"completion"`
	Standing   string      `json:"standing"` // 已报送（10月8日）/ 未报送, with the completion in words
	Submitted  bool        `json:"submitted"`
	OnTime     *bool       `json:"on_time,omitempty"`
	Filled     string      `json:"filled,omitempty"`
	Filler     string      `json:"filler,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	File       string      `json:"file,omitempty"`
	Errors     int         `json:"errors"`
	Warnings   int         `json:"warnings"`
	Rows       []TargetRow `json:"rows"` // its targets, registry order (附件)
}

// MilestoneGroup lists the milestones with one status.
type MilestoneGroup struct {
	Status plan.Status `json:"status"`
	Items  []TargetRow `json:"items"`
}

// MissingDept is a department that sent nothing, with whom to call.
type MissingDept struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Short   string `json:"short"`
	Contact string `json:"contact,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Targets int    `json:"targets"` // targets it leads, all 未报送
}

// DeptFindings are one department's findings.
type DeptFindings struct {
	Code     string       `json:"code"` // "" for files no department could be named for
	Short    string       `json:"short"`
	Errors   int          `json:"errors"`
	Warnings int          `json:"warnings"`
	Infos    int          `json:"infos"`
	Items    []FindingRow `json:"items"`
}

// FindingRow is one finding, ready to print.
type FindingRow struct {
	Code     string        `json:"code"`
	Title    string        `json:"title,omitempty"` // from plan.Catalogue
	Severity plan.Severity `json:"severity"`
	Level    string        `json:"level"` // 错误 / 警告 / 提示
	DeptCode string        `json:"dept_code,omitempty"`
	Dept     string        `json:"dept"`
	File     string        `json:"file,omitempty"`
	Sheet    string        `json:"sheet,omitempty"`
	Cell     string        `json:"cell,omitempty"`
	Target   string        `json:"target,omitempty"`
	Message  string        `json:"message"`
}

// Charts holds the series both reports draw.
type Charts struct {
	StatusByChapter  Stacked `json:"status_by_chapter"`
	CompletionByDept Bars    `json:"completion_by_dept"`
}

// Stacked is a stacked bar chart: one series per status, one value per category.
type Stacked struct {
	Categories []string `json:"categories"`
	Series     []Series `json:"series"`
}

// Series is one named row of values.
type Series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Bars is a simple bar chart. Absent marks a category with no value (a
// department that sent nothing): it gets no bar, never a bar of 0.
type Bars struct {
	Categories []string  `json:"categories"`
	Values     []float64 `json:"values"`
	Absent     []bool    `json:"absent"`
	Labels     []string  `json:"labels"` // the label beside each bar
}

// UnknownDept names findings no department could be named for.
const UnknownDept = "未识别单位"

// nbsp joins a number to its unit: no renderer may break a line between them.
const nbsp = "\u00a0"

// Compute builds the brief of round r under plan p.
func Compute(p *plan.Plan, r *plan.Round, opt Options) *Brief {
	if p == nil {
		p = &plan.Plan{}
	}
	if r == nil {
		r = &plan.Round{}
	}
	b := &Brief{}
	b.Meta = meta(p, r, opt)
	deptShort := map[string]string{}
	for _, d := range p.Depts {
		deptShort[d.Code] = d.Short
	}
	for _, d := range p.Districts {
		deptShort[d.Code] = d.Short // findings of a 区县 are grouped under its name
	}
	sent := map[string]bool{}
	for _, d := range r.Departments {
		if _, ok := deptShort[d.Code]; !ok || deptShort[d.Code] == "" {
			deptShort[d.Code] = firstNonEmpty(d.Short, d.Name, d.Code)
		}
		if d.Submitted {
			sent[d.Code] = true
		}
	}
	doubts := map[string]plan.Finding{}
	for _, f := range r.Findings {
		if Doubting[f.Code] && f.Target != "" && doubts[f.Target].Code == "" {
			doubts[f.Target] = f
		}
	}
	period := r.Period
	b.Meta.SourceDir = r.SourceDir()
	rel := func(p string) string { return plan.RelativePath(b.Meta.SourceDir, p) }
	ctx := rowContext{deptShort: deptShort, sent: sent, doubts: doubts, rel: rel}

	// Every target, registry order; results the plan does not know come last.
	seen := map[string]bool{}
	for _, t := range p.Targets {
		res, ok := r.Result(t.ID)
		if !ok {
			res = plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind, Status: plan.Missing,
				Explanation: "汇总数据中没有该指标"}
			if !period.IsZero() {
				res.Expected = t.Expected(period)
			}
		}
		seen[t.ID] = true
		b.Rows = append(b.Rows, ctx.targetRow(t, res))
	}
	for _, res := range r.Targets {
		if seen[res.ID] {
			continue
		}
		seen[res.ID] = true
		t := plan.Target{ID: res.ID, Indicator: res.ID, Kind: res.Kind, Lead: res.Lead, Chapter: "其他"}
		b.Rows = append(b.Rows, ctx.targetRow(t, res))
	}

	b.Headline = headline(b.Rows, r, b.Meta.Deadline)
	b.MainGoals = []TargetRow{}
	for _, row := range b.Rows {
		if strings.HasPrefix(row.Chapter, "二") {
			b.MainGoals = append(b.MainGoals, row)
		}
	}
	b.Chapters, b.ChapterTotal = chapters(b.Rows)
	b.Depts = depts(p, r, b.Rows, b.Meta.Deadline)
	for i := range b.Depts {
		b.Depts[i].File = rel(b.Depts[i].File)
	}
	b.Behind = behind(b.Rows)
	b.Doubtful = []TargetRow{}
	for _, row := range b.Rows {
		if row.Status == Unconfirmed {
			b.Doubtful = append(b.Doubtful, row)
		}
	}
	b.Milestones = milestones(b.Rows)
	b.Missing = missing(p, b.Depts)
	b.Findings = findings(p, r, deptShort)
	for i := range b.Findings {
		for k := range b.Findings[i].Items {
			b.Findings[i].Items[k].File = rel(b.Findings[i].Items[k].File)
		}
	}
	b.Charts = charts(b.Chapters, b.Depts)
	b.Districts = districts(p, r, rel)
	b.Headline.Summary = summary(b)
	b.Headline.Boxes = boxes(b.Headline)
	b.Year = year(p, r, b.Rows, b.Depts, deptShort, opt.History)
	b.Body, b.Attachments, b.Closing = body(b)
	yearParts(b)
	return b
}

func meta(p *plan.Plan, r *plan.Round, opt Options) Meta {
	planner := p.Planner
	for _, d := range p.Depts {
		if d.Short == p.Planner && d.Name != "" {
			planner = d.Name // the full name: 淄博市发展和改革委员会
		}
	}
	m := Meta{
		Title:       firstNonEmpty(opt.Title, DefaultTitle),
		Office:      firstNonEmpty(opt.Office, planner, p.Office),
		Deadline:    firstNonEmpty(opt.Deadline, r.Deadline),
		PlanID:      firstNonEmpty(p.ID, r.PlanID),
		PlanTitle:   firstNonEmpty(p.Title, r.PlanTitle),
		Planner:     p.Planner,
		Fingerprint: r.Fingerprint(),
		SendTo:      nonEmpty(opt.SendTo),
		CopyTo:      nonEmpty(opt.CopyTo),
	}
	if len(m.SendTo) == 0 && p.Office != "" {
		m.SendTo = []string{p.Office}
	}
	if len(m.CopyTo) == 0 {
		m.CopyTo = []string{"市直有关部门"}
	}
	if opt.Issue > 0 {
		m.Issue = opt.Issue
		m.IssueText = fmt.Sprintf("第%d期", opt.Issue)
	}
	if per := r.Period; !per.IsZero() {
		m.Period = per.String()
		m.PeriodLabel = per.Label()
		m.Covers = per.Covers()
	}
	if !opt.Date.IsZero() {
		m.Date = opt.Date.Format("2006-01-02")
		m.DateText = fmt.Sprintf("%d年%d月%d日", opt.Date.Year(), int(opt.Date.Month()), opt.Date.Day())
		m.Printed = m.DateText + "印发"
	}
	if r.PlanFingerprint != "" && r.PlanFingerprint != p.Fingerprint() {
		m.PlanMismatch = true
	}
	return m
}

func nonEmpty(ss []string) []string {
	out := []string{}
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// rowContext is what a target's row needs beyond the target and its result.
type rowContext struct {
	deptShort map[string]string
	sent      map[string]bool         // departments that sent a return
	doubts    map[string]plan.Finding // target id → the finding that questions its value
	rel       func(string) string
}

func (c rowContext) targetRow(t plan.Target, res plan.TargetResult) TargetRow {
	lead := firstNonEmpty(res.Lead, t.Lead)
	kind := t.Kind
	if kind == "" {
		kind = res.Kind
	}
	row := TargetRow{
		ID: t.ID, Chapter: t.Chapter, Section: t.Section, Task: t.Task,
		Indicator: firstNonEmpty(t.Indicator, t.Task, t.ID),
		Kind:      string(kind), KindLabel: kind.Label(), Nature: t.Nature(),
		Target: t.TargetText(), Value: t.Value, Unit: t.Unit,
		Statement: firstNonEmpty(t.Quote, firstNonEmpty(t.Indicator, t.Task)+t.TargetText()),
		DeptCode:  lead, Dept: firstNonEmpty(c.deptShort[lead], lead),
		Reported: res.Value, Raw: res.Raw, Status: res.Status,
		Progress: res.Progress, Expected: res.Expected, Explanation: res.Explanation,
		Note: res.Note, Problems: res.Problems, NextSteps: res.NextSteps,
		File: c.rel(res.File), Sheet: res.Sheet, Cell: res.Cell,
	}
	if row.Status == "" {
		row.Status = plan.Missing
	}
	if !known(row.Status) {
		row.Status = plan.Invalid
	}
	if kind == plan.Milestone {
		row.Target = firstNonEmpty(t.Task, "按期完成")
		if d, err := plan.ParsePeriod(t.Due); err == nil {
			row.Due = d.Label()
			if d.EndMonth() == 12 {
				row.Due = fmt.Sprintf("%d年内", d.Year)
			}
		}
		row.Actual = res.Milestone
	} else if res.Value != nil {
		row.Actual = numUnit(*res.Value, t.Unit)
	}
	if row.Actual == "" && res.Raw != "" {
		row.Actual = res.Raw
	}
	if res.Progress != nil && kind != plan.Growth && kind != plan.Ceiling {
		if g := res.Expected - *res.Progress; g > 0 {
			row.Gap = &g
		}
	}
	switch {
	case row.Status == plan.Missing && !c.sent[lead]:
		// 未报送 means one thing: the department sent nothing.
	case row.Status == plan.Missing:
		row.Status = Blank
	case c.doubts[t.ID].Code != "" && row.Status != plan.Invalid:
		row.Assessed, row.Status = row.Status, Unconfirmed
		row.Doubt, row.DoubtCode = c.doubts[t.ID].Message, c.doubts[t.ID].Code
	}
	row.Account = account(t, row)
	return row
}

func known(s plan.Status) bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// numUnit prints a number and its unit joined by a no-break space (none before %).
func numUnit(v float64, unit string) string {
	n := plan.FormatNumber(v)
	if unit == "" || unit == "%" || unit == "‰" {
		return n + unit
	}
	return n + nbsp + unit
}

// targetText is the target as plan.Target.TargetText says it, its number joined to its unit.
func targetText(t plan.Target) string {
	if t.Value == nil {
		return ""
	}
	num := plan.FormatNumber(*t.Value)
	return strings.Replace(t.TargetText(), num+t.Unit, numUnit(*t.Value, t.Unit), 1)
}

// Pct prints a share as a percentage, one decimal, none when whole: 0.947 → 94.7%, 0.75 → 75%.
func Pct(v float64) string {
	s := fmt.Sprintf("%.1f", v*100)
	return strings.TrimSuffix(s, ".0") + "%"
}

// account says in plain words what was reported against what was planned:
// 完成 5.21 万人，为年度目标（5.5 万人以上）的 94.7%，序时进度 75%.
func account(t plan.Target, row TargetRow) string {
	switch row.Status {
	case plan.Missing:
		return "牵头单位未报送"
	case Blank:
		return "已报送，但未填报完成值"
	case plan.Invalid:
		return firstNonEmpty(row.Explanation, "所填数据无法使用")
	}
	if row.Kind == string(plan.Milestone) || row.Reported == nil || t.Value == nil {
		return row.Explanation
	}
	v, goal := *row.Reported, *t.Value
	var s string
	switch plan.Kind(row.Kind) {
	case plan.Growth:
		s = fmt.Sprintf("增长 %s，目标 %s", numUnit(v, "%"), targetText(t))
		if v < goal && row.Status != Unconfirmed {
			s += fmt.Sprintf("，低于目标 %s\u00a0个百分点", plan.FormatNumber(math.Round((goal-v)*100)/100))
		}
	case plan.Ceiling:
		s = fmt.Sprintf("当前 %s，控制目标 %s", numUnit(v, t.Unit), targetText(t))
		if row.Status.Lagging() {
			s += "，超出控制目标"
		}
	case plan.Reduction:
		s = fmt.Sprintf("已下降 %s，目标下降 %s", numUnit(v, t.Unit), numUnit(goal, t.Unit))
		if row.Progress != nil && row.Status != plan.Done {
			s += fmt.Sprintf("，完成进度 %s，序时进度 %s", Pct(*row.Progress), Pct(row.Expected))
		}
	case plan.Level:
		s = "当前 " + numUnit(v, t.Unit)
		if t.Baseline != nil {
			s += fmt.Sprintf("（年初 %s）", numUnit(t.Baseline.Value, t.Unit))
		}
		s += "，目标 " + targetText(t)
		if row.Progress != nil && row.Status != plan.Done && row.Status != Unconfirmed {
			s += fmt.Sprintf("，完成进度 %s，序时进度 %s", Pct(*row.Progress), Pct(row.Expected))
		}
	default: // cumulative
		s = fmt.Sprintf("完成 %s", numUnit(v, t.Unit))
		if goal != 0 {
			s += fmt.Sprintf("，为年度目标（%s）的 %s", targetText(t), Pct(v/goal))
		}
		if row.Status != plan.Done && row.Status != Unconfirmed {
			s += "，序时进度 " + Pct(row.Expected)
		}
	}
	if row.Status == Unconfirmed {
		if row.DoubtCode == plan.ValueImplausible {
			s += "，数值明显异常，待核实"
		} else {
			s += "，与上期相比存疑，待核实"
		}
	}
	return s
}

func statusIndex(s plan.Status) int {
	for i, x := range Statuses {
		if x == s {
			return i
		}
	}
	return 6 // an unknown status reads as 数据有误
}

func countStatuses(rows []TargetRow) []int {
	c := make([]int, len(Statuses))
	for _, r := range rows {
		c[statusIndex(r.Status)]++
	}
	return c
}

func headline(rows []TargetRow, r *plan.Round, deadline string) Headline {
	h := Headline{Targets: len(rows)}
	counts := countStatuses(rows)
	for i, s := range Statuses {
		h.ByStatus = append(h.ByStatus, StatusCount{s, counts[i], Share(counts[i], len(rows))})
	}
	for _, row := range rows {
		if row.Kind == string(plan.Milestone) {
			h.Milestones++
		} else {
			h.Quantitative++
		}
	}
	h.QuantShare, h.MilesShare = Share(h.Quantitative, h.Targets), Share(h.Milestones, h.Targets)
	h.OnSchedule = h.Count(plan.Done) + h.Count(plan.OnTrack)
	h.Lagging = h.Count(plan.Behind) + h.Count(plan.FarBehind)
	h.OnScheduleRate = Share(h.OnSchedule, h.Targets)
	seen := map[string]bool{}
	known := true
	onTime := 0
	for _, d := range r.Departments {
		if seen[d.Code] {
			continue // a roster that names a department twice counts it once
		}
		seen[d.Code] = true
		h.DeptsExpected++
		if !d.Submitted {
			continue
		}
		h.DeptsIn++
		switch ok := deptOnTime(d, deadline); {
		case ok == nil:
			known = false
		case *ok:
			onTime++
		}
	}
	h.SubmitRate = Share(h.DeptsIn, h.DeptsExpected)
	// Known when every return's timeliness is: from its date against the
	// deadline, or as collect judged it.
	if known && (deadline != "" || h.DeptsIn > 0) {
		rate := Share(onTime, h.DeptsExpected)
		h.OnTime, h.OnTimeRate = &onTime, &rate
	}
	for _, f := range r.Findings {
		switch f.Severity {
		case plan.Error:
			h.Errors++
		case plan.Warning:
			h.Warnings++
		}
	}
	return h
}

// deptOnTime says whether a submitted return was filled by the deadline; nil when unknown.
func deptOnTime(d plan.DeptResult, deadline string) *bool {
	if deadline != "" && d.Filled != "" {
		if _, err := time.Parse("2006-01-02", d.Filled); err == nil {
			ok := d.Filled <= deadline
			return &ok
		}
	}
	return d.OnTime
}

// Share is n as a share of of, 0 when of is 0.
func Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func chapters(rows []TargetRow) ([]ChapterRow, ChapterRow) {
	out := []ChapterRow{}
	idx := map[string]int{}
	byChapter := map[string][]TargetRow{}
	for _, r := range rows {
		if _, ok := idx[r.Chapter]; !ok {
			idx[r.Chapter] = len(out)
			out = append(out, ChapterRow{Chapter: r.Chapter, Label: chapterLabel(r.Chapter)})
		}
		byChapter[r.Chapter] = append(byChapter[r.Chapter], r)
	}
	for i := range out {
		rs := byChapter[out[i].Chapter]
		out[i].Total = len(rs)
		out[i].Counts = countStatuses(rs)
		out[i].OnSchedule = out[i].Counts[0] + out[i].Counts[1]
		out[i].OnScheduleRate = Share(out[i].OnSchedule, out[i].Total)
	}
	total := ChapterRow{Chapter: "合计", Label: "合计", Total: len(rows), Counts: countStatuses(rows)}
	total.OnSchedule = total.Counts[0] + total.Counts[1]
	total.OnScheduleRate = Share(total.OnSchedule, total.Total)
	return out, total
}

// chapterLabel shortens a chapter heading for a chart axis:
// （一）坚持扩内需稳外贸 → （一）扩内需稳外贸; 二、主要预期目标 → 主要预期目标.
// Renderers wrap it; it is never cut.
func chapterLabel(c string) string {
	s := c
	if i := strings.Index(s, "、"); i > 0 && i <= len("十二") {
		s = s[i+len("、"):]
	}
	head := ""
	if strings.HasPrefix(s, "（") {
		if i := strings.Index(s, "）"); i > 0 {
			head, s = s[:i+len("）")], s[i+len("）"):]
		}
	}
	for _, w := range []string{"坚持", "持续", "着力", "加快", "全力"} {
		if strings.HasPrefix(s, w) && len([]rune(s)) > 4 {
			s = strings.TrimPrefix(s, w)
			break
		}
	}
	if s == "" {
		return firstNonEmpty(c, "其他")
	}
	return head + s
}

func depts(p *plan.Plan, r *plan.Round, rows []TargetRow, deadline string) []DeptRow {
	out := []DeptRow{}
	seen := map[string]bool{}
	for _, d := range r.Departments {
		if seen[d.Code] {
			continue
		}
		seen[d.Code] = true
		row := DeptRow{
			Code: d.Code, Name: d.Name, Short: firstNonEmpty(d.Short, d.Name, d.Code),
			Submitted: d.Submitted, Filled: d.Filled, Filler: d.Filler, Phone: d.Phone,
			File: d.File, Errors: d.Errors, Warnings: d.Warnings, Rows: []TargetRow{},
		}
		if pd, ok := p.Dept(d.Code); ok {
			row.Name = firstNonEmpty(pd.Name, row.Name)
			row.Short = firstNonEmpty(pd.Short, row.Short)
		}
		if d.Submitted {
			row.OnTime = deptOnTime(d, deadline)
		}
		for _, t := range rows {
			if t.DeptCode == d.Code {
				row.Rows = append(row.Rows, t)
			}
		}
		row.Targets = len(row.Rows)
		row.Counts = countStatuses(row.Rows)
		row.Standing = "未报送"
		if d.Submitted {
			c := Share(row.Counts[0]+row.Counts[1], row.Targets)
			row.Completion = &c
			row.Standing = "已报送"
			if dt := dateText(d.Filled); dt != "" {
				row.Standing = "已报送（" + dt + "填报）"
			}
			if row.Targets > 0 {
				row.Standing += fmt.Sprintf("，牵头 %d\u00a0项，已完成和序时推进 %d\u00a0项，占 %s", row.Targets, row.Counts[0]+row.Counts[1], Pct(c))
			}
		} else if row.Targets > 0 {
			row.Standing += fmt.Sprintf("，牵头 %d\u00a0项本期暂无数据", row.Targets)
		}
		out = append(out, row)
	}
	return out
}

// dateText writes an ISO date the Chinese way; "" when it is not a date.
func dateText(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func behind(rows []TargetRow) []TargetRow {
	out := []TargetRow{}
	for _, r := range rows {
		if r.Status.Lagging() {
			out = append(out, r)
		}
	}
	gap := func(r TargetRow) float64 {
		switch {
		case r.Gap != nil:
			return *r.Gap
		case r.Progress != nil && r.Kind == string(plan.Growth):
			return 1 - *r.Progress
		}
		return -1 // unknown: after the measured ones
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Status != b.Status {
			return a.Status == plan.FarBehind
		}
		return gap(a) > gap(b)
	})
	return out
}

func milestones(rows []TargetRow) []MilestoneGroup {
	var out []MilestoneGroup
	for _, s := range Statuses {
		g := MilestoneGroup{Status: s, Items: []TargetRow{}}
		for _, r := range rows {
			if r.Kind == string(plan.Milestone) && r.Status == s {
				g.Items = append(g.Items, r)
			}
		}
		out = append(out, g)
	}
	return out
}

func missing(p *plan.Plan, ds []DeptRow) []MissingDept {
	out := []MissingDept{}
	for _, d := range ds {
		if d.Submitted {
			continue
		}
		m := MissingDept{Code: d.Code, Name: d.Name, Short: d.Short, Targets: d.Targets}
		if pd, ok := p.Dept(d.Code); ok {
			m.Contact, m.Phone = pd.Contact, pd.Phone
		}
		out = append(out, m)
	}
	return out
}

func findings(p *plan.Plan, r *plan.Round, deptShort map[string]string) []DeptFindings {
	order := map[string]int{}
	for i, d := range r.Departments {
		order[d.Code] = i
	}
	groups := map[string]*DeptFindings{}
	var codes []string
	for _, f := range r.Findings {
		g, ok := groups[f.Dept]
		if !ok {
			short := deptShort[f.Dept]
			if f.Dept == "" {
				short = UnknownDept
			}
			g = &DeptFindings{Code: f.Dept, Short: firstNonEmpty(short, f.Dept), Items: []FindingRow{}}
			groups[f.Dept] = g
			codes = append(codes, f.Dept)
		}
		switch f.Severity {
		case plan.Error:
			g.Errors++
		case plan.Warning:
			g.Warnings++
		default:
			g.Infos++
		}
		fr := FindingRow{
			Code: f.Code, Severity: f.Severity, Level: f.Severity.Label(),
			DeptCode: f.Dept, Dept: g.Short, File: f.File, Sheet: f.Sheet, Cell: f.Cell,
			Target: f.Target, Message: f.Message,
		}
		if def, ok := plan.Def(f.Code); ok {
			fr.Title = def.Title
		}
		g.Items = append(g.Items, fr)
	}
	// Roster order first, then departments the roster does not know, then unnamed files.
	sort.SliceStable(codes, func(i, j int) bool {
		a, b := codes[i], codes[j]
		oa, aok := order[a]
		ob, bok := order[b]
		switch {
		case a == "" || b == "":
			return b == "" && a != ""
		case aok && bok:
			return oa < ob
		case aok != bok:
			return aok
		}
		return a < b
	})
	// Within a group findings keep the round's order (collect sorts them).
	out := []DeptFindings{}
	for _, c := range codes {
		g := groups[c]
		out = append(out, *g)
	}
	return out
}

func charts(cs []ChapterRow, ds []DeptRow) Charts {
	var c Charts
	c.StatusByChapter.Categories = []string{}
	for _, ch := range cs {
		c.StatusByChapter.Categories = append(c.StatusByChapter.Categories, ch.Label)
	}
	for i, s := range Statuses {
		ser := Series{Name: string(s), Values: []float64{}}
		for _, ch := range cs {
			ser.Values = append(ser.Values, float64(ch.Counts[i]))
		}
		c.StatusByChapter.Series = append(c.StatusByChapter.Series, ser)
	}
	bars := Bars{Categories: []string{}, Values: []float64{}, Absent: []bool{}, Labels: []string{}}
	for _, d := range ds {
		if d.Targets == 0 {
			continue
		}
		if d.Completion == nil {
			bars.Categories = append(bars.Categories, d.Short+"（未报送）")
			bars.Values = append(bars.Values, 0)
			bars.Absent = append(bars.Absent, true)
			bars.Labels = append(bars.Labels, "未报送")
			continue
		}
		bars.Categories = append(bars.Categories, d.Short)
		bars.Values = append(bars.Values, *d.Completion)
		bars.Absent = append(bars.Absent, false)
		bars.Labels = append(bars.Labels, fmt.Sprintf("%s（%d\u00a0项中 %d\u00a0项）", Pct(*d.Completion), d.Targets, d.Counts[0]+d.Counts[1]))
	}
	c.CompletionByDept = bars
	return c
}

// statusPhrase is "已完成 14 项"; the headline boxes show the same words.
func statusPhrase(s plan.Status, n int) string { return fmt.Sprintf("%s %d\u00a0项", s, n) }

// summary writes the headline in words.
func summary(b *Brief) string {
	h := b.Headline
	var s strings.Builder
	fmt.Fprintf(&s, "%s，纳入跟踪的目标任务共 %d\u00a0项（量化指标 %d\u00a0项、重点任务 %d\u00a0项）。",
		firstNonEmpty(b.Meta.PeriodLabel, "本期"), h.Targets, h.Quantitative, h.Milestones)
	var clauses []string
	if n := h.Count(plan.Done) + h.Count(plan.OnTrack); n > 0 {
		clauses = append(clauses, fmt.Sprintf("%s、%s，合计占 %s",
			statusPhrase(plan.Done, h.Count(plan.Done)), statusPhrase(plan.OnTrack, h.Count(plan.OnTrack)), Pct(h.OnScheduleRate)))
	}
	if h.Lagging > 0 {
		clauses = append(clauses, statusPhrase(plan.Behind, h.Count(plan.Behind))+"、"+statusPhrase(plan.FarBehind, h.Count(plan.FarBehind)))
	}
	if n := h.Count(Unconfirmed); n > 0 {
		clauses = append(clauses, statusPhrase(Unconfirmed, n)+"（所报数值经校验存疑，未计入已完成）")
	}
	var gaps []string
	for _, st := range []plan.Status{Blank, plan.Invalid} {
		if n := h.Count(st); n > 0 {
			gaps = append(gaps, statusPhrase(st, n))
		}
	}
	if len(gaps) > 0 {
		clauses = append(clauses, strings.Join(gaps, "、")+"（已报送单位漏填或填写有误）")
	}
	if n := h.Count(plan.Missing); n > 0 {
		clauses = append(clauses, statusPhrase(plan.Missing, n)+"（牵头单位尚未报送）")
	}
	if len(clauses) > 0 {
		s.WriteString("其中" + strings.Join(clauses, "；") + "。")
	}
	fmt.Fprintf(&s, "应报送单位 %d\u00a0个，已报送 %d\u00a0个，报送率 %s", h.DeptsExpected, h.DeptsIn, Pct(h.SubmitRate))
	if h.OnTimeRate != nil {
		fmt.Fprintf(&s, "，按时报送率 %s", Pct(*h.OnTimeRate))
	}
	s.WriteString("。")
	return s.String()
}

// boxes are the headline figures: the number of targets, every status the
// summary names, and the rates it states, in the same words.
func boxes(h Headline) []Figure {
	out := []Figure{{Label: "目标任务", Value: fmt.Sprint(h.Targets), Unit: "项"}}
	for _, c := range h.ByStatus {
		if c.Count == 0 {
			continue
		}
		alert := c.Status == plan.FarBehind || c.Status == plan.Behind || c.Status == Unconfirmed
		out = append(out, Figure{Label: string(c.Status), Value: fmt.Sprint(c.Count), Unit: "项", Alert: alert})
	}
	out = append(out, Figure{Label: "报送率", Value: Pct(h.SubmitRate)})
	if h.OnTimeRate != nil {
		out = append(out, Figure{Label: "按时报送率", Value: Pct(*h.OnTimeRate)})
	}
	return out
}

// Percent prints a share as a percentage: 0.744 → 74.4%, 0.75 → 75%.
func Percent(v float64) string { return Pct(v) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
