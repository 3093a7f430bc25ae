package serve

import (
	"strconv"

	"planrep/plan"
)

// change is one entry a unit changed between two of its submissions.
type change struct {
	Target, Indicator, Field, Old, New string
}

// diff lists what changed from one accepted submission to the next, target
// by target in registry order: the value (or milestone status) and the three
// narratives.
func diff(p *plan.Plan, old, cur []plan.TargetResult) []change {
	before := map[string]plan.TargetResult{}
	for _, t := range old {
		before[t.ID] = t
	}
	now := map[string]plan.TargetResult{}
	for _, t := range cur {
		now[t.ID] = t
	}
	var out []change
	for _, def := range p.Targets {
		a, inA := before[def.ID]
		b, inB := now[def.ID]
		if !inA && !inB {
			continue
		}
		add := func(field, x, y string) {
			if x != y {
				out = append(out, change{Target: def.ID, Indicator: def.Indicator, Field: field, Old: orDash(x), New: orDash(y)})
			}
		}
		if def.Kind.Quantitative() {
			add("本期完成值", shown(a), shown(b))
		} else {
			add("进展状态", a.Milestone, b.Milestone)
		}
		add("进展情况", a.Note, b.Note)
		add("存在问题", a.Problems, b.Problems)
		add("下步措施", a.NextSteps, b.NextSteps)
	}
	return out
}

// shown is a reported value as the unit typed it, or as read.
func shown(t plan.TargetResult) string {
	if t.Raw != "" {
		return t.Raw
	}
	if t.Value != nil {
		return strconv.FormatFloat(*t.Value, 'f', -1, 64)
	}
	return t.Milestone
}

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
