package report

import (
	"fmt"
	"sort"
	"strings"

	"planrep/plan"
)

// Blocks of the 区县 section.
const (
	BlockDistrictRanking     = "district_ranking"     // Districts.Ranking
	BlockDistrictConsistency = "district_consistency" // Districts.Consistency
	BlockDistrictGrid        = "district_grid"        // Districts.Grid
)

// Districts is the brief's 区县 section: how the 区县 stand on their quotas,
// the split targets × 区县 table, the 区县 that have not reported and where
// their sum and the city figure disagree. It is set when the round holds 区县.
type Districts struct {
	// Example says the quotas are an example split, not quotas the city
	// issued: every renderer labels them 示例, and Rule says how they were made.
	Example   bool   `json:"example"`
	Rule      string `json:"rule,omitempty"`
	Label     string `json:"label"` // 示例 or ""
	Expected  int    `json:"expected"`
	Submitted int    `json:"submitted"`
	// Ranking orders the 区县 by the share of their quotas and own targets
	// on schedule (已完成 or 序时推进), best first; those that sent nothing last.
	Ranking []DistrictRank `json:"ranking"`
	// Grid is the split targets × 区县 table: Columns are the 区县 (roster
	// order), each row a split target with one cell a 区县.
	Columns []string      `json:"columns"`
	Grid    []DistrictRow `json:"grid"`
	// Missing are the 区县 that sent nothing.
	Missing []MissingDept `json:"missing"`
	// Consistency is each split target's sum of the 区县 next to the city
	// figure; Inconsistent counts those that disagree.
	Consistency  []RollupRow  `json:"consistency"`
	Inconsistent int          `json:"inconsistent"`
	Findings     []FindingRow `json:"findings"` // the 口径不一致 findings
}

// DistrictRank is one 区县's standing.
type DistrictRank struct {
	Rank      int         `json:"rank"` // 0 when it sent nothing
	Code      string      `json:"code"`
	Short     string      `json:"short"`
	Submitted bool        `json:"submitted"`
	OnTime    *bool       `json:"on_time,omitempty"`
	Filled    string      `json:"filled,omitempty"`
	Targets   int         `json:"targets"`
	Counts    []int       `json:"counts"`            // Statuses order
	Rate      *float64    `json:"rate"`              // share on schedule; nil when it sent nothing
	Standing  string      `json:"standing"`          // in words
	Lagging   []string    `json:"lagging,omitempty"` // indicators behind schedule
	Status    plan.Status `json:"status,omitempty"`  // 未报送 when it sent nothing
}

// DistrictRow is one split target across the 区县.
type DistrictRow struct {
	ID        string         `json:"id"`
	Indicator string         `json:"indicator"`
	Unit      string         `json:"unit"`
	Cells     []DistrictCell `json:"cells"` // Columns order
}

// DistrictCell is one 区县's figure on one split target.
type DistrictCell struct {
	Status   plan.Status `json:"status"`
	Quota    float64     `json:"quota"`
	Value    *float64    `json:"value,omitempty"`
	Progress *float64    `json:"progress,omitempty"`
	Text     string      `json:"text"` // what the cell shows: 74%, 未报
}

// RollupRow is a split target's 区县 sum next to the city figure.
type RollupRow struct {
	ID         string   `json:"id"`
	Indicator  string   `json:"indicator"`
	Unit       string   `json:"unit"`
	Lead       string   `json:"lead"` // short name of the lead department
	CityTarget string   `json:"city_target"`
	City       *float64 `json:"city,omitempty"`
	Sum        *float64 `json:"sum,omitempty"`
	In         int      `json:"in"`
	Of         int      `json:"of"`
	Missing    string   `json:"missing,omitempty"` // 区县 left out of the sum, by name
	Diff       *float64 `json:"diff,omitempty"`
	Verdict    string   `json:"verdict"` // 一致, 口径不一致, 区县未报齐, 全市数未报
}

// districts computes the 区县 section, or nil when the round has no 区县.
func districts(p *plan.Plan, r *plan.Round, rel func(string) string) *Districts {
	if len(r.Districts) == 0 {
		return nil
	}
	ds := &Districts{Ranking: []DistrictRank{}, Columns: []string{}, Grid: []DistrictRow{}, Missing: []MissingDept{},
		Consistency: []RollupRow{}, Findings: []FindingRow{}}
	if p.Split != nil && p.Split.Example {
		ds.Example, ds.Rule, ds.Label = true, p.Split.Rule, plan.ExampleLabel
	}
	short := map[string]string{}
	for _, d := range p.Depts {
		short[d.Code] = d.Short
	}
	byUnit := map[string][]plan.TargetResult{}
	cell := map[[2]string]plan.TargetResult{}
	for _, t := range r.DistrictTargets {
		byUnit[t.District] = append(byUnit[t.District], t)
		cell[[2]string{t.ID, t.District}] = t
	}
	ds.Expected = len(r.Districts)
	for _, d := range r.Districts {
		name := firstNonEmpty(d.Short, d.Name, d.Code)
		if pd, ok := p.District(d.Code); ok {
			name = firstNonEmpty(pd.Short, name)
		}
		short[d.Code] = name
		ds.Columns = append(ds.Columns, name)
		rk := DistrictRank{Code: d.Code, Short: name, Submitted: d.Submitted, Filled: d.Filled, OnTime: d.OnTime}
		rows := byUnit[d.Code]
		rk.Targets = len(rows)
		rk.Counts = make([]int, len(Statuses))
		for _, t := range rows {
			rk.Counts[statusIndex(t.Status)]++
			if t.Status.Lagging() {
				if def, ok := p.Target(t.ID); ok {
					rk.Lagging = append(rk.Lagging, def.Indicator)
				}
			}
		}
		if d.Submitted {
			ds.Submitted++
			rate := Share(rk.Counts[0]+rk.Counts[1], rk.Targets)
			rk.Rate = &rate
			rk.Standing = fmt.Sprintf("承担 %d\u00a0项，已完成和序时推进 %d\u00a0项，占 %s", rk.Targets, rk.Counts[0]+rk.Counts[1], Pct(rate))
			if d.OnTime != nil && !*d.OnTime {
				rk.Standing += "（逾期报送）"
			}
		} else {
			rk.Status = plan.Missing
			rk.Standing = fmt.Sprintf("未报送，承担的 %d\u00a0项本期暂无数据", rk.Targets)
			m := MissingDept{Code: d.Code, Name: d.Name, Short: name, Targets: rk.Targets}
			if pd, ok := p.District(d.Code); ok {
				m.Name, m.Contact, m.Phone = firstNonEmpty(pd.Name, m.Name), pd.Contact, pd.Phone
			}
			ds.Missing = append(ds.Missing, m)
		}
		ds.Ranking = append(ds.Ranking, rk)
	}
	// Best first; ties by roster order; those that sent nothing last.
	sort.SliceStable(ds.Ranking, func(i, j int) bool {
		a, b := ds.Ranking[i], ds.Ranking[j]
		if (a.Rate == nil) != (b.Rate == nil) {
			return a.Rate != nil
		}
		return a.Rate != nil && *a.Rate > *b.Rate
	})
	n := 0
	for i := range ds.Ranking {
		if ds.Ranking[i].Rate != nil {
			n++
			if i > 0 && ds.Ranking[i-1].Rate != nil && *ds.Ranking[i-1].Rate == *ds.Ranking[i].Rate {
				ds.Ranking[i].Rank = ds.Ranking[i-1].Rank
			} else {
				ds.Ranking[i].Rank = n
			}
		}
	}
	// The grid: every split target, the 区县 in roster order.
	for _, t := range p.Targets {
		if !t.Split() {
			continue
		}
		row := DistrictRow{ID: t.ID, Indicator: t.Indicator, Unit: t.Unit}
		for _, d := range r.Districts {
			c := DistrictCell{Status: plan.Missing, Quota: t.Quotas[d.Code], Text: "未报"}
			if _, ok := t.Quotas[d.Code]; !ok {
				c = DistrictCell{Text: "—"}
			} else if res, ok := cell[[2]string{t.ID, d.Code}]; ok {
				c.Status, c.Value, c.Progress = res.Status, res.Value, res.Progress
				switch {
				case res.Progress != nil:
					c.Text = Pct0(*res.Progress)
				case res.Status == plan.Invalid:
					c.Text = "有误"
				case res.Status == plan.Missing && d.Submitted:
					c.Status, c.Text = Blank, "未填"
				}
			}
			row.Cells = append(row.Cells, c)
		}
		ds.Grid = append(ds.Grid, row)
	}
	// Consistency.
	for _, ru := range r.Rollups {
		def, _ := p.Target(ru.Target)
		rr := RollupRow{ID: ru.Target, Indicator: def.Indicator, Unit: def.Unit, Lead: firstNonEmpty(short[ru.Lead], ru.Lead),
			CityTarget: targetText(def), City: ru.City, Sum: ru.Sum, In: ru.In, Of: ru.Of, Diff: ru.Diff}
		var miss []string
		for _, c := range ru.Missing {
			miss = append(miss, firstNonEmpty(short[c], c))
		}
		rr.Missing = strings.Join(miss, "、")
		switch {
		case ru.Consistent != nil && *ru.Consistent:
			rr.Verdict = "一致"
		case ru.Consistent != nil:
			rr.Verdict = "口径不一致"
			ds.Inconsistent++
		case ru.City == nil:
			rr.Verdict = "全市数未报"
		default:
			rr.Verdict = "区县未报齐"
		}
		ds.Consistency = append(ds.Consistency, rr)
	}
	for _, f := range r.Findings {
		if f.Code != plan.ConsistencyDiffers {
			continue
		}
		fr := FindingRow{Code: f.Code, Severity: f.Severity, Level: f.Severity.Label(), DeptCode: f.Dept,
			Dept: firstNonEmpty(short[f.Dept], f.Dept), File: rel(f.File), Target: f.Target, Message: f.Message}
		if def, ok := plan.Def(f.Code); ok {
			fr.Title = def.Title
		}
		ds.Findings = append(ds.Findings, fr)
	}
	return ds
}

// Pct0 writes a share as a whole percentage: 0.745 → 75%.
func Pct0(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

// districtText is the paragraph of the 区县 section.
func districtText(ds *Districts, gridAtt string) []string {
	var paras []string
	s := ""
	if ds.Example {
		s = "【示例】本节所用区县分解任务为示例，不是正式下达的任务（" + strings.TrimRight(ds.Rule, "。") + "）。"
	}
	s += fmt.Sprintf("应报送的 %d\u00a0个区县（功能区）中，已报送 %d\u00a0个", ds.Expected, ds.Submitted)
	if len(ds.Missing) > 0 {
		names := make([]string, len(ds.Missing))
		for i, m := range ds.Missing {
			names[i] = m.Short
		}
		s += "，" + strings.Join(names, "、") + "未报送"
	}
	var late []string
	for _, r := range ds.Ranking {
		if r.OnTime != nil && !*r.OnTime {
			late = append(late, r.Short)
		}
	}
	if len(late) > 0 {
		s += "，" + strings.Join(late, "、") + "逾期报送"
	}
	s += "。"
	var ranked []DistrictRank
	for _, r := range ds.Ranking {
		if r.Rate != nil {
			ranked = append(ranked, r)
		}
	}
	if len(ranked) > 0 {
		best, worst := ranked[0], ranked[len(ranked)-1]
		s += fmt.Sprintf("按分解任务已完成和序时推进的比例排序，%s最好（%s）", best.Short, Pct(*best.Rate))
		if len(ranked) > 1 {
			s += fmt.Sprintf("，%s最低（%s）", worst.Short, Pct(*worst.Rate))
			if len(worst.Lagging) > 0 {
				list := worst.Lagging
				if len(list) > 3 {
					list = list[:3]
				}
				s += "，滞后的主要是" + strings.Join(list, "、") + "等"
			}
		}
		s += "。"
	}
	if gridAtt != "" {
		s += "各区县分解任务完成情况见" + gridAtt + "。"
	}
	paras = append(paras, s)
	c := fmt.Sprintf("分解到区县的 %d\u00a0项指标中，区县合计与牵头部门报送的全市数", len(ds.Consistency))
	same, waiting := 0, 0
	for _, r := range ds.Consistency {
		switch r.Verdict {
		case "一致":
			same++
		case "口径不一致":
		default:
			waiting++
		}
	}
	c += fmt.Sprintf("一致的 %d\u00a0项，口径不一致的 %d\u00a0项", same, ds.Inconsistent)
	if waiting > 0 {
		c += fmt.Sprintf("，%d\u00a0项因区县未报齐或全市数未报暂无法核对", waiting)
	}
	c += "。"
	if ds.Inconsistent > 0 {
		var names []string
		for _, r := range ds.Consistency {
			if r.Verdict == "口径不一致" {
				names = append(names, r.Indicator)
			}
		}
		c += strings.Join(names, "、") + "的区县合计与全市数相差超过容差，需由牵头部门会同有关区县核实统计口径。"
	}
	paras = append(paras, c)
	return paras
}
