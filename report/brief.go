// Package report computes the Brief: everything the reports say about a round,
// as plain data — headline figures, tables, chart series.
//
// Compute builds it once; the renderers report/xlsx (进度报告.xlsx) and
// report/pdf (简报.pdf) only lay it out, so the numbers in every document
// agree by construction. A renderer never adds up.
package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"planrep/plan"
)

// Options set what the round does not say: the cover's title, issuing office
// and date, and the submission deadline.
type Options struct {
	Title    string    // the brief's title; default 计划执行情况简报
	Office   string    // the issuing office; default the plan's office
	Date     time.Time // the brief's date; zero leaves it blank
	Deadline string    // YYYY-MM-DD; default the round's deadline
}

// DefaultTitle is the brief's title when Options.Title is empty.
const DefaultTitle = "计划执行情况简报"

// Brief is everything the reports show, computed once from a plan and a round.
// Every list has a fixed order, so the same round gives the same brief.
type Brief struct {
	Meta       Meta             `json:"meta"`
	Headline   Headline         `json:"headline"`
	MainGoals  []TargetRow      `json:"main_goals"`  // targets of part 二 (主要目标), registry order
	Chapters   []ChapterRow     `json:"chapters"`    // by chapter, in registry order
	Depts      []DeptRow        `json:"departments"` // by department, roster order
	Behind     []TargetRow      `json:"behind"`      // 滞后 and 严重滞后, most behind first
	Milestones []MilestoneGroup `json:"milestones"`  // milestones by status, plan.Statuses order
	Missing    []MissingDept    `json:"missing"`     // departments that sent nothing (催报清单)
	Findings   []DeptFindings   `json:"findings"`    // findings grouped by department
	Rows       []TargetRow      `json:"rows"`        // every target (明细), registry order
	Charts     Charts           `json:"charts"`
}

// Meta identifies the brief and the data it was made from.
type Meta struct {
	Title       string `json:"title"`
	Period      string `json:"period"`       // canonical code, e.g. 2025Q3
	PeriodLabel string `json:"period_label"` // 2025年前三季度
	Covers      string `json:"covers"`       // 2025年1月1日至9月30日
	Office      string `json:"office"`       // issuing office
	Date        string `json:"date"`         // YYYY-MM-DD, "" when not set
	DateText    string `json:"date_text"`    // 2025年10月15日
	Deadline    string `json:"deadline,omitempty"`
	PlanID      string `json:"plan_id"`
	PlanTitle   string `json:"plan_title"`
	Planner     string `json:"planner,omitempty"` // the office that runs the reporting
	Fingerprint string `json:"fingerprint"`       // the round's fingerprint: which data this is
	// PlanMismatch is set when the round was collected against another
	// version of the plan than the one the brief is computed with.
	PlanMismatch bool `json:"plan_mismatch,omitempty"`
}

// StatusCount is how many targets have one status.
type StatusCount struct {
	Status plan.Status `json:"status"`
	Count  int         `json:"count"`
}

// Headline holds the figures of 总体情况.
type Headline struct {
	Targets      int           `json:"targets"`      // targets in all
	Quantitative int           `json:"quantitative"` // of which with a number
	Milestones   int           `json:"milestones"`   // of which deliverables (重点任务)
	ByStatus     []StatusCount `json:"by_status"`    // plan.Statuses order, zeros included
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

	// Summary is the headline in words, one paragraph, as both reports print it.
	Summary string `json:"summary"`
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
	Target    string   `json:"target"`     // as the plan states it: 5%以上
	Value     *float64 `json:"value,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Due       string   `json:"due,omitempty"` // a milestone's planned period, labelled
	DeptCode  string   `json:"dept_code"`
	Dept      string   `json:"dept"` // short name of the lead department

	Actual      string      `json:"actual"`             // the reported value with unit, or the milestone status
	Reported    *float64    `json:"reported,omitempty"` // the parsed value
	Raw         string      `json:"raw,omitempty"`
	Status      plan.Status `json:"status"`
	Progress    *float64    `json:"progress,omitempty"` // share achieved
	Expected    float64     `json:"expected"`           // share expected by the period's end
	Gap         *float64    `json:"gap,omitempty"`      // Expected − Progress, when both are known and positive
	Explanation string      `json:"explanation"`
	Note        string      `json:"note,omitempty"`       // 进展情况
	Problems    string      `json:"problems,omitempty"`   // 存在问题
	NextSteps   string      `json:"next_steps,omitempty"` // 下步措施
	File        string      `json:"file,omitempty"`
	Sheet       string      `json:"sheet,omitempty"`
	Cell        string      `json:"cell,omitempty"`
}

// ChapterRow counts one chapter's targets by status.
type ChapterRow struct {
	Chapter string `json:"chapter"`
	Label   string `json:"label"` // short form for charts
	Total   int    `json:"total"`
	Counts  []int  `json:"counts"` // plan.Statuses order
}

// DeptRow is one department's standing.
type DeptRow struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Short   string `json:"short"`
	Targets int    `json:"targets"`
	Counts  []int  `json:"counts"` // plan.Statuses order
	// Completion is the share of its targets 已完成 or 序时推进.
	Completion float64     `json:"completion"`
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

// Bars is a simple bar chart.
type Bars struct {
	Categories []string  `json:"categories"`
	Values     []float64 `json:"values"`
}

// UnknownDept names findings no department could be named for.
const UnknownDept = "未识别单位"

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
	for _, d := range r.Departments {
		if _, ok := deptShort[d.Code]; !ok || deptShort[d.Code] == "" {
			deptShort[d.Code] = firstNonEmpty(d.Short, d.Name, d.Code)
		}
	}
	period := r.Period

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
		b.Rows = append(b.Rows, targetRow(t, res, deptShort))
	}
	for _, res := range r.Targets {
		if seen[res.ID] {
			continue
		}
		seen[res.ID] = true
		t := plan.Target{ID: res.ID, Indicator: res.ID, Kind: res.Kind, Lead: res.Lead, Chapter: "其他"}
		b.Rows = append(b.Rows, targetRow(t, res, deptShort))
	}

	b.Headline = headline(b.Rows, r, b.Meta.Deadline)
	for _, row := range b.Rows {
		if strings.HasPrefix(row.Chapter, "二") {
			b.MainGoals = append(b.MainGoals, row)
		}
	}
	b.Chapters = chapters(b.Rows)
	b.Depts = depts(p, r, b.Rows, b.Meta.Deadline)
	b.Behind = behind(b.Rows)
	b.Milestones = milestones(b.Rows)
	b.Missing = missing(p, b.Depts)
	b.Findings = findings(p, r, deptShort)
	b.Charts = charts(b.Chapters, b.Depts)
	b.Headline.Summary = summary(b)
	return b
}

func meta(p *plan.Plan, r *plan.Round, opt Options) Meta {
	m := Meta{
		Title:       firstNonEmpty(opt.Title, DefaultTitle),
		Office:      firstNonEmpty(opt.Office, p.Office, p.Planner),
		Deadline:    firstNonEmpty(opt.Deadline, r.Deadline),
		PlanID:      firstNonEmpty(p.ID, r.PlanID),
		PlanTitle:   firstNonEmpty(p.Title, r.PlanTitle),
		Planner:     p.Planner,
		Fingerprint: r.Fingerprint(),
	}
	if per := r.Period; !per.IsZero() {
		m.Period = per.String()
		m.PeriodLabel = per.Label()
		m.Covers = per.Covers()
	}
	if !opt.Date.IsZero() {
		m.Date = opt.Date.Format("2006-01-02")
		m.DateText = fmt.Sprintf("%d年%d月%d日", opt.Date.Year(), int(opt.Date.Month()), opt.Date.Day())
	}
	if r.PlanFingerprint != "" && r.PlanFingerprint != p.Fingerprint() {
		m.PlanMismatch = true
	}
	return m
}

func targetRow(t plan.Target, res plan.TargetResult, deptShort map[string]string) TargetRow {
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
		DeptCode: lead, Dept: firstNonEmpty(deptShort[lead], lead),
		Reported: res.Value, Raw: res.Raw, Status: res.Status,
		Progress: res.Progress, Expected: res.Expected, Explanation: res.Explanation,
		Note: res.Note, Problems: res.Problems, NextSteps: res.NextSteps,
		File: res.File, Sheet: res.Sheet, Cell: res.Cell,
	}
	if row.Status == "" {
		row.Status = plan.Missing
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
		row.Actual = plan.FormatNumber(*res.Value) + t.Unit
	}
	if row.Actual == "" && res.Raw != "" {
		row.Actual = res.Raw
	}
	if res.Progress != nil && kind != plan.Growth && kind != plan.Ceiling {
		if g := res.Expected - *res.Progress; g > 0 {
			row.Gap = &g
		}
	}
	return row
}

func statusIndex(s plan.Status) int {
	for i, x := range plan.Statuses {
		if x == s {
			return i
		}
	}
	return len(plan.Statuses) - 1 // an unknown status reads as 数据有误
}

func countStatuses(rows []TargetRow) []int {
	c := make([]int, len(plan.Statuses))
	for _, r := range rows {
		c[statusIndex(r.Status)]++
	}
	return c
}

func headline(rows []TargetRow, r *plan.Round, deadline string) Headline {
	h := Headline{Targets: len(rows)}
	counts := countStatuses(rows)
	for i, s := range plan.Statuses {
		h.ByStatus = append(h.ByStatus, StatusCount{s, counts[i]})
	}
	for _, row := range rows {
		if row.Kind == string(plan.Milestone) {
			h.Milestones++
		} else {
			h.Quantitative++
		}
	}
	h.OnSchedule = h.Count(plan.Done) + h.Count(plan.OnTrack)
	h.Lagging = h.Count(plan.Behind) + h.Count(plan.FarBehind)
	h.OnScheduleRate = Share(h.OnSchedule, h.Targets)
	h.DeptsExpected = len(r.Departments)
	known := true
	onTime := 0
	for _, d := range r.Departments {
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

func chapters(rows []TargetRow) []ChapterRow {
	var out []ChapterRow
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
	}
	return out
}

// chapterLabel shortens a chapter heading for a chart axis:
// （一）坚持扩内需稳外贸 → （一）扩内需稳外贸; 二、主要预期目标 → 主要预期目标.
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
	if rs := []rune(s); len(rs) > 8 {
		s = string(rs[:8]) + "…"
	}
	if s == "" {
		return firstNonEmpty(c, "其他")
	}
	return head + s
}

func depts(p *plan.Plan, r *plan.Round, rows []TargetRow, deadline string) []DeptRow {
	var out []DeptRow
	for _, d := range r.Departments {
		row := DeptRow{
			Code: d.Code, Name: d.Name, Short: firstNonEmpty(d.Short, d.Name, d.Code),
			Submitted: d.Submitted, Filled: d.Filled, Filler: d.Filler, Phone: d.Phone,
			File: d.File, Errors: d.Errors, Warnings: d.Warnings,
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
		row.Completion = Share(row.Counts[0]+row.Counts[1], row.Targets)
		out = append(out, row)
	}
	return out
}

func behind(rows []TargetRow) []TargetRow {
	var out []TargetRow
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
	for _, s := range plan.Statuses {
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
	var out []MissingDept
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
	for i, s := range plan.Statuses {
		ser := Series{Name: string(s), Values: []float64{}}
		for _, ch := range cs {
			ser.Values = append(ser.Values, float64(ch.Counts[i]))
		}
		c.StatusByChapter.Series = append(c.StatusByChapter.Series, ser)
	}
	c.CompletionByDept.Categories = []string{}
	c.CompletionByDept.Values = []float64{}
	for _, d := range ds {
		if d.Targets == 0 {
			continue
		}
		c.CompletionByDept.Categories = append(c.CompletionByDept.Categories, d.Short)
		c.CompletionByDept.Values = append(c.CompletionByDept.Values, d.Completion)
	}
	return c
}

// summary writes the headline in words.
func summary(b *Brief) string {
	h := b.Headline
	var s strings.Builder
	fmt.Fprintf(&s, "%s，纳入跟踪的目标任务共 %d 项（量化指标 %d 项、重点任务 %d 项）。",
		firstNonEmpty(b.Meta.PeriodLabel, "本期"), h.Targets, h.Quantitative, h.Milestones)
	var parts []string
	for _, c := range h.ByStatus {
		if c.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 项", c.Status, c.Count))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&s, "其中%s；", strings.Join(parts, "、"))
		fmt.Fprintf(&s, "已完成和序时推进的占 %s。", Percent(h.OnScheduleRate))
	}
	fmt.Fprintf(&s, "应报送单位 %d 个，已报送 %d 个，报送率 %s", h.DeptsExpected, h.DeptsIn, Percent(h.SubmitRate))
	if h.OnTimeRate != nil {
		fmt.Fprintf(&s, "，按时报送率 %s", Percent(*h.OnTimeRate))
	}
	s.WriteString("。")
	if n := len(b.Missing); n > 0 {
		fmt.Fprintf(&s, "尚有 %d 个单位未报送。", n)
	}
	if h.Errors > 0 {
		fmt.Fprintf(&s, "数据校验发现错误 %d 处、警告 %d 处。", h.Errors, h.Warnings)
	}
	return s.String()
}

// Percent prints a share as a percentage with one decimal: 0.744 → 74.4%.
func Percent(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
