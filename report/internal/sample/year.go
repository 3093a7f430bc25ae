package sample

import (
	"testing"

	"planrep/plan"
	"planrep/report"
)

// YearBrief is the sample brief of 2025Q3 with 一季度 and 上半年 behind it:
// the sample rounds of those periods as the store would give them, one
// target brought back on schedule in 上半年 (so that it is only yellow
// now), and one department's correction this period.
func YearBrief(t testing.TB) (*report.Brief, *report.History, string) {
	t.Helper()
	p := TestPlan(t)
	h := &report.History{}
	for _, code := range []string{"2025Q1", "2025H1"} {
		rd := Round(p, code)
		ph := report.PeriodHistory{Period: rd.Period, Values: map[string]report.PastValue{}}
		for _, d := range rd.Departments {
			ph.Expected++
			if d.Submitted {
				ph.Submitted++
			}
			if d.OnTime != nil && *d.OnTime {
				ph.OnTime++
			}
		}
		for _, tr := range rd.Targets {
			ph.Values[tr.ID] = report.PastValue{Value: tr.Value, Progress: tr.Progress, Status: tr.Status}
		}
		h.Periods = append(h.Periods, ph)
	}
	q3 := Round(p, Period)
	yellow := ""
	for _, tr := range q3.Targets {
		if tr.Status == plan.Behind && tr.Value != nil {
			yellow = tr.ID
			v := h.Periods[1].Values[tr.ID]
			v.Status = plan.OnTrack
			h.Periods[1].Values[tr.ID] = v
			break
		}
	}
	dept := q3.Departments[0].Code
	h.Periods = append(h.Periods, report.PeriodHistory{Period: q3.Period,
		Corrections: []report.Correction{{Dept: dept, Date: "2025-10-12", Changes: 2}}})
	opt := Options()
	opt.History = h
	return report.Compute(p, q3, opt), h, yellow
}

// YearBriefMoved is YearBrief with the first main goal's value in 2025H1
// put 0.4 below its value now, so that its 环比 is +0.4 (个百分点 for a
// rate). It returns the brief and that goal's id.
func YearBriefMoved(t testing.TB) (*report.Brief, string) {
	t.Helper()
	b, h, _ := YearBrief(t)
	if len(b.MainGoals) == 0 {
		t.Fatal("the test plan has no main goal")
	}
	id := b.MainGoals[0].ID
	v := h.Periods[1].Values[id]
	if v.Value == nil {
		t.Fatalf("%s has no value in %s", id, h.Periods[1].Period)
	}
	moved := *v.Value - 0.4
	v.Value = &moved
	h.Periods[1].Values[id] = v
	p := TestPlan(t)
	opt := Options()
	opt.History = h
	return report.Compute(p, Round(p, Period), opt), id
}
