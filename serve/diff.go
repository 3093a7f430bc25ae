package serve

import (
	"planrep/plan"
)

// change is one entry a unit changed between two of its submissions, with
// the indicator's name for the page.
type change struct {
	plan.Change
	Indicator string
}

// diff lists what changed from one accepted submission to the next with
// the store's own comparison (plan.Diff), in registry order.
func diff(p *plan.Plan, old, cur []plan.TargetResult) []change {
	before := map[string]plan.TargetResult{}
	for _, t := range old {
		before[t.ID] = t
	}
	now := map[string]plan.TargetResult{}
	for _, t := range cur {
		now[t.ID] = t
	}
	var order []string
	names := map[string]string{}
	for _, t := range p.Targets {
		_, a := before[t.ID]
		_, b := now[t.ID]
		if a || b {
			order = append(order, t.ID)
			names[t.ID] = t.Indicator
		}
	}
	var out []change
	for _, c := range plan.Diff(before, now, order) {
		c.Old, c.New = orDash(c.Old), orDash(c.New)
		out = append(out, change{Change: c, Indicator: names[c.Target]})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
