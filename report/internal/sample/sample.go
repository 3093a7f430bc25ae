// Package sample builds the rounds the report's tests draw: by hand, through
// plan.Evaluate, so those tests depend on neither the template writer nor collect.
package sample

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"planrep/plan"
	"planrep/report"
	"planrep/seeds"
)

//go:embed plan.yaml
var planYAML []byte

// Period and Date fix the round and the cover of the fixtures.
const Period = "2025Q3"

var Date = time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC)

// Options are the options the fixtures' briefs are computed with.
func Options() report.Options {
	return report.Options{Date: Date, Issue: 2}
}

// TestPlan loads the fixed registry of plan.yaml (embedded).
func TestPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := plan.Load(fstest.MapFS{"plan.yaml": {Data: bytes.Clone(planYAML)}}, "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// DefaultPlan loads the embedded default plan.
func DefaultPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Brief is the brief of the fixed registry's sample round.
func Brief(t testing.TB) *report.Brief {
	t.Helper()
	p := TestPlan(t)
	return report.Compute(p, Round(p, Period), Options())
}

// LongProblem is a department's long paragraph: wrapping must keep every character.
const LongProblem = "受国际市场需求收缩、部分重点企业订单下滑以及原材料价格波动等因素影响，" +
	"本季度项目签约落地进度慢于预期，其中3个总投资超过10亿元的项目因用地指标、环评审批等前置手续尚未办结，" +
	"暂未开工建设；另有部分项目融资到位率偏低（约62.5%），资金缺口较大。" +
	"下一阶段将会同自然资源、生态环境等部门建立“一项目一专班”机制，逐项明确责任人和时间表，" +
	"力争四季度实现全部开工，确保全年目标任务如期完成。"

// Round builds a round for plan p in which targets cycle through every
// status, one department in five sends nothing, and findings of each
// severity appear. It is deterministic.
func Round(p *plan.Plan, period string) *plan.Round {
	per := plan.MustPeriod(period)
	r := &plan.Round{
		Schema: plan.RoundSchema, PlanID: p.ID, PlanTitle: p.Title,
		PlanFingerprint: p.Fingerprint(), Period: per, Deadline: "2025-10-10",
		Findings: []plan.Finding{}, Files: []plan.InputFile{},
	}
	submitted := map[string]bool{}
	files := map[string]string{}
	for i, d := range p.LeadDepts() {
		dr := plan.DeptResult{Code: d.Code, Name: d.Name, Short: d.Short, Targets: len(p.Led(d.Code))}
		if i%5 != 4 {
			dr.Submitted = true
			dr.File = fmt.Sprintf("%s_%s_%s.xlsx", per, d.Short, d.Code)
			dr.Filler = "填报人" + d.Code
			dr.Phone = fmt.Sprintf("0533-31%05d", 100+i)
			dr.Filled = "2025-10-08"
			if i%3 == 2 {
				dr.Filled = "2025-10-12"
			}
			ok := dr.Filled <= r.Deadline
			dr.OnTime = &ok
			submitted[d.Code] = true
			files[d.Code] = dr.File
			r.Files = append(r.Files, plan.InputFile{Path: "returns/" + dr.File,
				SHA256: fmt.Sprintf("%064x", i+1), Size: int64(20000 + i), Dept: d.Code,
				Period: per, Verdict: plan.Accepted})
		} else {
			r.Findings = append(r.Findings, plan.Finding{Code: plan.MissingDept, Severity: plan.Error, Dept: d.Code,
				Message: "未收到" + d.Short + "的报表：请联系该单位尽快报送"})
		}
		r.Departments = append(r.Departments, dr)
	}
	row := map[string]int{}
	outlier, blank := false, false
	for j, t := range p.Targets {
		res := plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind}
		var rep plan.Report
		scenario := j % 6
		if submitted[t.Lead] {
			res.File = files[t.Lead]
			res.Sheet = "指标进度"
			if t.Kind == plan.Milestone {
				res.Sheet = "重点任务"
			}
			row[t.Lead+res.Sheet]++
			res.Cell = fmt.Sprintf("H%d", 5+row[t.Lead+res.Sheet])
			rep = value(t, per, scenario)
			res.Note = "已按计划推进各项工作"
			if rep.Invalid != "" {
				res.Raw = "约5"
				r.Findings = append(r.Findings, plan.Finding{Code: plan.ValueNotNumber, Severity: plan.Error,
					File: res.File, Dept: t.Lead, Sheet: res.Sheet, Cell: res.Cell, Target: t.ID,
					Message: "完成值“约5”不是数字：请填写一个数"})
			} else if rep.Value != nil {
				res.Raw = plan.FormatNumber(*rep.Value)
			}
			if scenario == 5 {
				r.Findings = append(r.Findings, plan.Finding{Code: plan.ValueLenient, Severity: plan.Warning,
					File: res.File, Dept: t.Lead, Sheet: res.Sheet, Cell: res.Cell, Target: t.ID,
					Message: "完成值按宽松规则读取（全角数字）：请核实"})
			}
		}
		// One outlier the check questions (V07) and one blank cell, each in a return that was sent.
		if submitted[t.Lead] && t.Kind == plan.Cumulative && t.Value != nil && *t.Value > 0 && rep.Value != nil {
			switch {
			case !outlier:
				outlier = true
				v := math.Round(*t.Value*4.227*100) / 100
				rep.Value = &v
				res.Raw = plan.FormatNumber(v)
				res.Note = "含跨年度结转项目"
				r.Findings = append(r.Findings, plan.Finding{Code: plan.ValueImplausible, Severity: plan.Warning,
					File: res.File, Dept: t.Lead, Sheet: res.Sheet, Cell: res.Cell, Target: t.ID,
					Message: fmt.Sprintf("完成值 %s 超过年度目标 %s 的 3 倍", plan.FormatNumber(v), t.TargetText())})
			case !blank && scenario == 1:
				blank = true
				rep.Value, res.Raw = nil, ""
				r.Findings = append(r.Findings, plan.Finding{Code: plan.ValueMissing, Severity: plan.Error,
					File: res.File, Dept: t.Lead, Sheet: res.Sheet, Cell: res.Cell, Target: t.ID,
					Message: "指标 " + t.ID + " 未填写完成值"})
			}
		}
		ev := plan.Evaluate(t, per, rep, p.Thresholds)
		res.Value, res.Milestone = rep.Value, rep.Milestone
		res.Status, res.Progress, res.Expected, res.Explanation = ev.Status, ev.Progress, ev.Expected, ev.Explanation
		if ev.Status.Lagging() {
			res.Problems = "部分项目前期手续办理滞后，资金到位不及预期"
			res.NextSteps = "加强调度，逐项督办，力争四季度追上序时进度"
			if j%4 == 2 {
				res.Problems = LongProblem
			}
			if j%4 == 3 {
				// A character outside the Basic Multilingual Plane, as a department may type.
				res.Problems = "𠮷家庄片区征迁进度慢"
			}
		}
		r.Targets = append(r.Targets, res)
	}
	r.Files = append(r.Files, plan.InputFile{Path: "returns/说明.docx", SHA256: fmt.Sprintf("%064x", 999),
		Size: 1000, Verdict: plan.Rejected, Reason: "不是 Excel 工作簿"})
	r.Findings = append(r.Findings, plan.Finding{Code: plan.FileNotWorkbook, Severity: plan.Error, File: "returns/说明.docx",
		Message: "该文件不是 Excel 工作簿（.xlsx），已跳过：请用模板填报后再报送"})
	plan.SortFindings(r.Findings)
	for i, d := range r.Departments {
		for _, f := range r.Findings {
			if f.Dept != d.Code || !d.Submitted {
				continue
			}
			switch f.Severity {
			case plan.Error:
				r.Departments[i].Errors++
			case plan.Warning:
				r.Departments[i].Warnings++
			}
		}
	}
	return r
}

// value makes the value of one scenario: 0 done, 1 and 5 on schedule,
// 2 behind, 3 far behind, 4 not a number.
func value(t plan.Target, per plan.Period, scenario int) plan.Report {
	if scenario == 4 {
		return plan.Report{Invalid: "完成值“约5”不是数字"}
	}
	if t.Kind == plan.Milestone {
		return plan.Report{Milestone: []string{plan.MilestoneDone, plan.MilestoneOnPlan,
			plan.MilestoneBehind, plan.MilestoneNotBegun, "", plan.MilestoneOnPlan}[scenario]}
	}
	if t.Value == nil {
		return plan.Report{}
	}
	goal := *t.Value
	var v float64
	switch t.Kind {
	case plan.Growth:
		v = goal + []float64{0.4, 0, -0.5, -3, 0, 0.1}[scenario]
	case plan.Ceiling:
		v = goal * []float64{0.95, 1, 1.08, 1.3, 0, 0.98}[scenario]
	default:
		e := t.Expected(per)
		f := []float64{1.02, e, e - 0.1, math.Max(e-0.35, 0.05), 0, e + 0.01}[scenario]
		base := 0.0
		if t.Kind == plan.Level && t.Baseline != nil {
			base = t.Baseline.Value
		}
		v = base + (goal-base)*f
	}
	v = math.Round(v*100) / 100
	return plan.Report{Value: &v}
}

// OddBriefs are briefs of rounds collect would never write but a hand-edited
// round.json might hold: unknown statuses, huge and negative values, bad
// dates, duplicate departments, emoji, formula-like text, empty rounds.
func OddBriefs(t testing.TB) []*report.Brief {
	t.Helper()
	p := TestPlan(t)
	huge, neg := 1e300, -5.0
	r := &plan.Round{
		Period: plan.Period{Year: 2025, Span: plan.Month, N: 13}, Deadline: "not a date",
		Departments: []plan.DeptResult{
			{Code: "ZZZ", Name: "\x00\x01坏\xff名", Submitted: true, Filled: "2025-13-45"},
			{Code: "FGW", Submitted: false},
			{Code: "FGW", Submitted: true}, // twice
		},
		Targets: []plan.TargetResult{
			{ID: "Z-01", Lead: "NOPE", Status: "不存在的状态", Value: &huge, Progress: &huge},
			{ID: "X-99", Lead: "ZZZ", Kind: "weird", Status: plan.Behind, Progress: &neg, Problems: strings.Repeat("😀", 3000)},
			{ID: "1-02", Kind: plan.Milestone, Status: plan.FarBehind, Milestone: "=HYPERLINK(\"x\")"},
		},
		Findings: []plan.Finding{{Code: "??", Severity: "bogus", Dept: "QQQ"}, {Severity: plan.Error}},
	}
	return []*report.Brief{report.Compute(p, r, report.Options{}), report.Compute(nil, nil, report.Options{}), report.Compute(&plan.Plan{}, &plan.Round{}, report.Options{})}
}

// WithDistricts adds the 区县 of plan p to round r, as collect would: each
// 区县 judged on its quotas, the first 区县 ahead of schedule and the others
// progressively behind, the second filled after the deadline, the last one
// silent, and the first 区县's figure of the first split target far above
// its share, so that the sum disagrees with the city figure (口径不一致).
func WithDistricts(p *plan.Plan, r *plan.Round) *plan.Round {
	per := r.Period
	ds := p.ReportingDistricts()
	late, on := false, true
	firstSplit := ""
	for _, t := range p.Targets {
		if t.Split() {
			firstSplit = t.ID
			break
		}
	}
	for i, d := range ds {
		dr := plan.DeptResult{Unit: plan.UnitDistrict, Code: d.Code, Name: d.Name, Short: d.Short}
		ts := p.DistrictTargets(d.Code)
		dr.Targets = len(ts)
		silent := i == len(ds)-1
		if !silent {
			dr.Submitted, dr.File, dr.Filled, dr.OnTime = true, fmt.Sprintf("收件箱/%s_%s_%s.xlsx", per, d.Short, d.Code), "2025-10-09", &on
			if i == 1 {
				dr.Filled, dr.OnTime = "2025-10-14", &late
			}
		}
		r.Districts = append(r.Districts, dr)
		for k, t := range ts {
			res := plan.TargetResult{ID: t.ID, District: d.Code, Lead: t.Lead, Kind: t.Kind}
			if silent {
				ev := plan.Evaluate(t, per, plan.Report{}, p.Thresholds)
				res.Status, res.Expected, res.Explanation = ev.Status, ev.Expected, "区县未报送"
				r.DistrictTargets = append(r.DistrictTargets, res)
				continue
			}
			// 区县 i keeps pace with the year less and less, some targets more than others.
			f := t.Expected(per) * (1.1 - 0.06*float64(i) - 0.04*float64(k%3))
			v := math.Round(*t.Value*f*100) / 100
			if i == 0 && t.ID == firstSplit {
				v = math.Round(*t.Value*3*100) / 100
			}
			ev := plan.Evaluate(t, per, plan.Report{Value: &v}, p.Thresholds)
			res.Value, res.Raw = &v, plan.FormatNumber(v)
			res.Status, res.Progress, res.Expected, res.Explanation = ev.Status, ev.Progress, ev.Expected, ev.Explanation
			res.File, res.Sheet, res.Cell = dr.File, "指标进度", fmt.Sprintf("I%d", 5+k)
			r.DistrictTargets = append(r.DistrictTargets, res)
		}
		if silent {
			r.Findings = append(r.Findings, plan.Finding{Code: plan.MissingDistrict, Severity: plan.Error, Dept: d.Code, Unit: plan.UnitDistrict,
				Message: fmt.Sprintf("%s（%s）未报送%s的区县填报表", d.Short, d.Code, per.Label())})
		}
	}
	rollups, fs := plan.RollUp(p, r)
	r.Rollups = rollups
	r.Findings = append(r.Findings, fs...)
	plan.SortFindings(r.Findings)
	return r
}

// DistrictBrief is the brief of the embedded plan's sample round with its 区县.
func DistrictBrief(t testing.TB) *report.Brief {
	t.Helper()
	p := DefaultPlan(t)
	return report.Compute(p, WithDistricts(p, Round(p, Period)), Options())
}
