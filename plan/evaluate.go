package plan

import (
	"fmt"
	"math"
	"strconv"
)

// Status is the verdict on one target for one period.
type Status string

const (
	Done      Status = "已完成"
	OnTrack   Status = "序时推进"
	Behind    Status = "滞后"
	FarBehind Status = "严重滞后"
	Missing   Status = "未报送"
	Invalid   Status = "数据有误"
)

// Statuses lists every status in the order reports show them.
var Statuses = []Status{Done, OnTrack, Behind, FarBehind, Missing, Invalid}

// Lagging reports whether the status is 滞后 or 严重滞后.
func (s Status) Lagging() bool { return s == Behind || s == FarBehind }

// Milestone statuses a department picks from the template's drop-down.
const (
	MilestoneDone     = "已完成"
	MilestoneOnPlan   = "按计划推进"
	MilestoneBehind   = "滞后"
	MilestoneNotBegun = "未启动"
)

// MilestoneChoices is the drop-down list of the template, in order.
var MilestoneChoices = []string{MilestoneDone, MilestoneOnPlan, MilestoneBehind, MilestoneNotBegun}

// Report is what a department reported for a target.
type Report struct {
	Value     *float64 // the actual value, for a quantitative target
	Milestone string   // the chosen status, for a milestone
	Invalid   string   // why the entry could not be used, when it could not
}

// Evaluation is the judgement of one report.
type Evaluation struct {
	Status      Status   `json:"status"`
	Progress    *float64 `json:"progress,omitempty"` // share of the target achieved (1 = 100%)
	Expected    float64  `json:"expected"`           // share expected by the period's end
	Explanation string   `json:"explanation"`        // one line, with the figures
}

// Evaluate judges a report on target t at the end of period p.
func Evaluate(t Target, p Period, r Report, th Thresholds) Evaluation {
	e := Evaluation{Expected: t.Expected(p)}
	if r.Invalid != "" {
		e.Status = Invalid
		e.Explanation = r.Invalid
		return e
	}
	if t.Kind == Milestone {
		return evalMilestone(t, p, r, e)
	}
	if r.Value == nil {
		e.Status = Missing
		e.Explanation = "未填报完成值"
		return e
	}
	if t.Value == nil {
		e.Status = Invalid
		e.Explanation = "登记表中该指标缺少目标值"
		return e
	}
	v, goal := *r.Value, *t.Value
	final := p.EndMonth() == 12
	switch t.Kind {
	case Growth:
		return evalRate(t, v, goal, final, th, e, "增长")
	case Ceiling:
		slack := 0.0
		if t.Has("左右") || t.Comparator == About {
			slack = math.Abs(goal) * th.Approx
		}
		if v <= goal+slack {
			e.Status = metStatus(final)
			e.Explanation = fmt.Sprintf("当前 %s，控制目标 %s，符合要求", num(v, t.Unit), t.TargetText())
		} else {
			e.Status = Behind
			if v > goal*(1+th.Serious) {
				e.Status = FarBehind
			}
			e.Explanation = fmt.Sprintf("当前 %s，超出控制目标 %s", num(v, t.Unit), t.TargetText())
		}
		return e
	}
	// Cumulative, Level, Reduction: progress against the elapsed share.
	if t.Kind == Reduction {
		return evalShare(t, v, goal, nil, th, e, "已下降")
	}
	var base *float64
	if t.Kind == Level && t.Baseline != nil {
		base = &t.Baseline.Value
	}
	verb := "完成"
	if t.Kind == Level {
		verb = "当前"
	}
	return evalShare(t, v, goal, base, th, e, verb)
}

// evalShare judges a value that should grow towards goal in proportion to the year.
func evalShare(t Target, v, goal float64, base *float64, th Thresholds, e Evaluation, verb string) Evaluation {
	met := v >= goal
	if t.Has("左右") || t.Comparator == About {
		met = v >= goal*(1-th.Approx)
	}
	var prog float64
	switch {
	case base != nil && goal != *base:
		prog = (v - *base) / (goal - *base)
	case goal != 0:
		prog = v / goal
	default: // a zero target: anything at or above it meets it
		prog = 1
	}
	if met && prog < 1 {
		prog = 1
	}
	prog = round6(prog)
	e.Progress = &prog
	head := fmt.Sprintf("%s %s/%s", verb, FormatNumber(v), num(goal, t.Unit))
	if base != nil {
		head = fmt.Sprintf("%s %s（基数 %s）/%s", verb, FormatNumber(v), FormatNumber(*base), num(goal, t.Unit))
	}
	switch {
	case met:
		e.Status = Done
		e.Explanation = fmt.Sprintf("%s，已完成目标（%s）", head, pct(prog))
		return e
	case prog >= e.Expected-th.Tolerance:
		e.Status = OnTrack
	case prog >= e.Expected-th.Serious:
		e.Status = Behind
	default:
		e.Status = FarBehind
	}
	e.Explanation = fmt.Sprintf("%s，进度 %s，序时 %s", head, pct(prog), pct(e.Expected))
	return e
}

// evalRate judges a year-to-date rate against the rate the plan asks for.
func evalRate(t Target, v, goal float64, final bool, th Thresholds, e Evaluation, verb string) Evaluation {
	met := v >= goal
	if t.Has("左右") || t.Comparator == About {
		met = v >= goal-math.Abs(goal)*th.Approx
	}
	e.Expected = 1
	if goal != 0 {
		prog := round6(v / goal)
		e.Progress = &prog
	}
	head := fmt.Sprintf("%s %s，目标 %s", verb, num(v, "%"), t.TargetText())
	switch {
	case met:
		e.Status = metStatus(final)
		e.Explanation = head + "，达到目标"
	case v < 0 || goal-v > math.Max(1, math.Abs(goal)*th.Serious*2):
		e.Status = FarBehind
		e.Explanation = fmt.Sprintf("%s，低于目标 %s 个百分点", head, FormatNumber(goal-v))
	default:
		e.Status = Behind
		e.Explanation = fmt.Sprintf("%s，低于目标 %s 个百分点", head, FormatNumber(goal-v))
	}
	return e
}

func evalMilestone(t Target, p Period, r Report, e Evaluation) Evaluation {
	var due *Period
	if d, err := ParsePeriod(t.Due); err == nil {
		due = &d
	}
	overdue := due != nil && (p.Year > due.Year || p.Year == due.Year && p.EndMonth() >= due.EndMonth())
	dueText := ""
	if due != nil {
		switch {
		case due.EndMonth() == 12 && due.Year == p.Year:
			dueText = "，计划年内完成"
		case due.EndMonth() == 12:
			dueText = fmt.Sprintf("，计划%d年底前完成", due.Year)
		case due.Span == Month:
			dueText = fmt.Sprintf("，计划%d年%d月底前完成", due.Year, due.N)
		default:
			dueText = "，计划" + due.Label() + "完成"
		}
	}
	switch r.Milestone {
	case "":
		e.Status = Missing
		e.Explanation = "未填报进展状态"
	case MilestoneDone:
		e.Status = Done
		e.Explanation = "已完成"
	case MilestoneOnPlan:
		e.Status = OnTrack
		e.Explanation = "按计划推进" + dueText
		if overdue {
			e.Status = Behind
			e.Explanation = "计划完成时间已过仍未完成" + dueText
		}
	case MilestoneBehind:
		e.Status = Behind
		e.Explanation = "单位报告滞后" + dueText
		if overdue {
			e.Status = FarBehind
			e.Explanation = "单位报告滞后，计划完成时间已过" + dueText
		}
	case MilestoneNotBegun:
		e.Status = Behind
		e.Explanation = "尚未启动" + dueText
		if overdue {
			e.Status = FarBehind
			e.Explanation = "尚未启动，计划完成时间已过" + dueText
		}
	default:
		e.Status = Invalid
		e.Explanation = fmt.Sprintf("进展状态 %q 不在可选范围内", r.Milestone)
	}
	return e
}

func metStatus(final bool) Status {
	if final {
		return Done
	}
	return OnTrack
}

// FormatNumber prints a number without trailing zeros: 430, 5.5, 0.25, 1181.
func FormatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}

func num(v float64, unit string) string { return FormatNumber(v) + unit }

func pct(share float64) string { return fmt.Sprintf("%.1f%%", share*100) }

// round6 drops the float noise of a division (0.9800000000000001) so that
// round.json and reports carry the share as a person would write it.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
