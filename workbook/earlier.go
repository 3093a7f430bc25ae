package workbook

import (
	"fmt"
	"math"
	"sync"

	"planrep/plan"
)

// Prior is a target's accepted value in an earlier period of the year.
type Prior struct {
	Period plan.Period
	Value  float64
}

// JumpShare is how far (as a share of the earlier value) a level may move
// from one period to the next before V18 asks the department to check it.
const JumpShare = 0.5

// earlierCache asks for each period's earlier values once.
func earlierCache(f func(plan.Period) map[string]Prior) func(plan.Period) map[string]Prior {
	if f == nil {
		return func(plan.Period) map[string]Prior { return nil }
	}
	var mu sync.Mutex
	seen := map[plan.Period]map[string]Prior{}
	return func(per plan.Period) map[string]Prior {
		mu.Lock()
		defer mu.Unlock()
		m, ok := seen[per]
		if !ok {
			m = f(per)
			seen[per] = m
		}
		return m
	}
}

// overPeriods compares a value with the target's accepted value of an
// earlier period: a cumulative value that fell is an error (the target is
// 数据有误), one that stayed the same is worth a word; a level, ceiling or
// reduction that moved by more than JumpShare of itself is a warning.
func (v *validator) overPeriods(t plan.Target, sheet, ref string, val float64, pr Prior, bad *[]string) {
	if pr.Period.EndMonth() >= v.period.EndMonth() || pr.Period.Year != v.period.Year {
		return
	}
	was := plan.FormatNumber(pr.Value)
	switch t.Kind {
	case plan.Cumulative:
		switch {
		case val < pr.Value:
			msg := fmt.Sprintf("累计完成值 %s 比%s已采用的 %s 减少", plan.FormatNumber(val), pr.Period.Label(), was)
			v.add(plan.ValueFell, sheet, ref, t.ID, msg)
			*bad = append(*bad, msg)
		case val == pr.Value && val != 0:
			v.add(plan.ValueUnchanged, sheet, ref, t.ID, fmt.Sprintf("累计完成值 %s 与%s相同", was, pr.Period.Label()))
		}
	case plan.Level, plan.Ceiling, plan.Reduction:
		base := math.Abs(pr.Value)
		if base == 0 && t.Value != nil {
			base = math.Abs(*t.Value)
		}
		if base > 0 && math.Abs(val-pr.Value) > JumpShare*base {
			v.add(plan.ValueJump, sheet, ref, t.ID, fmt.Sprintf("本期 %s%s，%s为 %s%s，变动超过一半", plan.FormatNumber(val), t.Unit, pr.Period.Label(), was, t.Unit))
		}
	}
}
