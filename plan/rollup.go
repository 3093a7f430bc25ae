package plan

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// DefaultConsistency is the relative difference between the sum of the 区县
// and the city figure that still counts as the same figure, where a plan
// gives none: 2% of the city figure.
const DefaultConsistency = 0.02

// ConsistencyTolerance is th.Consistency, or DefaultConsistency when unset.
func (th Thresholds) ConsistencyTolerance() float64 {
	if th.Consistency > 0 {
		return th.Consistency
	}
	return DefaultConsistency
}

// Rollup is a split target's 区县 figures added up next to the city figure
// its lead department reported.
type Rollup struct {
	Target string   `json:"target"`
	Lead   string   `json:"lead"`           // the department that reports the city figure
	City   *float64 `json:"city,omitempty"` // the lead department's figure, when it is in and valid
	Sum    *float64 `json:"sum,omitempty"`  // the sum of the 区县 figures in, when any is
	In     int      `json:"in"`             // 区县 whose figure is in and valid
	Of     int      `json:"of"`             // 区县 that carry a quota
	// Missing lists the 区县 (codes, roster order) that carry a quota and
	// whose figure is not in or not valid: the sum leaves them out.
	Missing []string `json:"missing,omitempty"`
	// Diff is Sum − City and Consistent its verdict, when the two were
	// compared: every 区县 in, or a partial sum already above the city figure.
	Diff       *float64 `json:"diff,omitempty"`
	Consistent *bool    `json:"consistent,omitempty"`
}

// Complete reports whether every 区县 with a quota is in.
func (r Rollup) Complete() bool { return r.In == r.Of }

// RollUp adds up the 区县 figures of each split target of p in round r and
// sets them next to the city figure. It returns the roll-ups, in registry
// order, and a finding (口径不一致) for each target whose sum and city figure
// differ beyond the plan's consistency tolerance, naming both figures and
// who reported them.
func RollUp(p *Plan, r *Round) ([]Rollup, []Finding) {
	city := map[string]TargetResult{}
	for _, t := range r.Targets {
		city[t.ID] = t
	}
	byTarget := map[string]map[string]TargetResult{}
	for _, t := range r.DistrictTargets {
		if byTarget[t.ID] == nil {
			byTarget[t.ID] = map[string]TargetResult{}
		}
		byTarget[t.ID][t.District] = t
	}
	names := map[string]string{}
	for _, d := range p.Depts {
		names[d.Code] = d.Short
	}
	for _, d := range p.Districts {
		names[d.Code] = d.Short
	}
	tol := p.Thresholds.ConsistencyTolerance()
	// A target's 区县 in roster order, from its own quotas: a scan of the
	// roster for every split target would be quadratic in a scale run.
	pos := make(map[string]int, len(p.Districts))
	for i, d := range p.Districts {
		if _, dup := pos[d.Code]; !dup {
			pos[d.Code] = i
		}
	}
	var out []Rollup
	var findings []Finding
	for _, t := range p.Targets {
		if !t.Split() {
			continue
		}
		ru := Rollup{Target: t.ID, Lead: t.Lead}
		var in []districtFigure
		codes := make([]string, 0, len(t.Quotas))
		for c := range t.Quotas {
			if _, known := pos[c]; known {
				codes = append(codes, c)
			}
		}
		sort.Slice(codes, func(i, j int) bool { return pos[codes[i]] < pos[codes[j]] })
		for _, c := range codes {
			ru.Of++
			dr, ok := byTarget[t.ID][c]
			if !ok || dr.Value == nil || dr.Status == Invalid {
				ru.Missing = append(ru.Missing, c)
				continue
			}
			in = append(in, districtFigure{c, *dr.Value})
		}
		ru.In = len(in)
		if ru.In > 0 {
			sum := 0.0
			for _, f := range in {
				sum += f.value
			}
			sum = round6(sum)
			ru.Sum = &sum
		}
		c, ok := city[t.ID]
		if ok && c.Value != nil && c.Status != Invalid {
			v := *c.Value
			ru.City = &v
		}
		if ru.City != nil && ru.Sum != nil {
			diff := round6(*ru.Sum - *ru.City)
			beyond := math.Abs(diff) > tol*math.Max(math.Abs(*ru.City), 1e-9)
			// A partial sum can only grow as 区县 come in: compare it only
			// once it already exceeds the city figure.
			if ru.Complete() || (beyond && diff > 0) {
				ru.Diff = &diff
				ok := !beyond
				ru.Consistent = &ok
				if beyond {
					findings = append(findings, inconsistency(t, ru, names, in, c.File, tol))
				}
			}
		}
		out = append(out, ru)
	}
	return out, findings
}

// districtFigure is one 区县's valid figure for a split target.
type districtFigure struct {
	code  string
	value float64
}

// inconsistency is the 口径不一致 finding of a split target: the lead
// department's city figure, the sum of the 区县 and each 区县's figure.
func inconsistency(t Target, ru Rollup, names map[string]string, in []districtFigure, file string, tol float64) Finding {
	parts := make([]string, len(in))
	for i, f := range in {
		parts[i] = names[f.code] + " " + FormatNumber(f.value)
	}
	lead := names[t.Lead]
	if lead == "" {
		lead = t.Lead
	}
	who := fmt.Sprintf("%d 个区县合计", ru.In)
	if !ru.Complete() {
		who = fmt.Sprintf("已报送的 %d 个区县（共 %d 个）合计", ru.In, ru.Of)
	}
	msg := fmt.Sprintf("指标 %s（%s）口径不一致：%s报全市 %s，%s %s（%s），相差 %s（%s），超过 %s 的容差",
		t.ID, t.Indicator, lead, num(*ru.City, t.Unit), who, num(*ru.Sum, t.Unit), strings.Join(parts, "、"),
		num(math.Abs(*ru.Diff), t.Unit), pct(math.Abs(*ru.Diff)/math.Max(math.Abs(*ru.City), 1e-9)), pct(tol))
	if d, ok := Def(ConsistencyDiffers); ok {
		msg += "。" + d.Advice
	}
	return Finding{Code: ConsistencyDiffers, Severity: Warning, File: file, Dept: t.Lead, Unit: UnitDept, Target: t.ID, Message: msg}
}
