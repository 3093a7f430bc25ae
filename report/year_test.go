package report_test

import (
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

func TestYear(t *testing.T) {
	t.Parallel()
	b, _, yellow := sample.YearBrief(t)
	y := b.Year
	if y == nil {
		t.Fatal("no year in a brief computed with a history")
	}
	if len(y.Periods) != 3 || y.Periods[0].Label != "2025年一季度" || y.Periods[2].Period != sample.Period {
		t.Fatalf("periods = %+v", y.Periods)
	}
	if p := y.Periods[2]; p.SubmitRate != float64(p.Submitted)/float64(p.Expected) || p.Expected == 0 {
		t.Errorf("rate of %s: %+v", p.Label, p)
	}
	// Each trend has one point a period; 环比 is this period's value less the last.
	if len(y.Trends) == 0 {
		t.Fatal("no trends")
	}
	checked := 0
	for _, tr := range y.Trends {
		if len(tr.Points) != 3 {
			t.Fatalf("%s has %d points", tr.ID, len(tr.Points))
		}
		a, c := tr.Points[1].Value, tr.Points[2].Value
		if a != nil && c != nil {
			if tr.Change == nil || *tr.Change != *c-*a {
				t.Errorf("%s: 环比 %v; want %v", tr.ID, tr.Change, *c-*a)
			}
			unit := tr.Unit
			if unit == "%" {
				unit = "个百分点"
			}
			want := tr.ChangeText + unit
			if tr.ChangeText == "0" {
				want = "持平"
			}
			if tr.ChangeWords != want || y.ChangeOf(tr.ID) != want {
				t.Errorf("%s: 环比 worded %q (ChangeOf %q); want %q", tr.ID, tr.ChangeWords, y.ChangeOf(tr.ID), want)
			}
			checked++
		}
		if tr.Points[2].Schedule == nil {
			t.Errorf("%s has no schedule at %s", tr.ID, sample.Period)
		}
	}
	if checked == 0 {
		t.Error("no trend had two values to compare")
	}
	if y.ChangeOf("no such target") != "—" {
		t.Errorf("ChangeOf an unknown target = %q; want —", y.ChangeOf("no such target"))
	}
	// Escalation: lagging three periods running is red, named in 连续滞后;
	// lagging only now is yellow.
	var red, yel bool
	for _, e := range y.Escalated {
		if e.ID == yellow {
			yel = e.Level == report.Yellow && e.Reason == "本期滞后"
		}
		if e.Level == report.Red && e.Periods == 3 && strings.Contains(e.Reason, "连续 3 期滞后（2025年一季度、2025年上半年、2025年前三季度）") {
			red = true
		}
	}
	if !red || !yel {
		t.Errorf("escalation: a red run of 3 %v, %s yellow %v\n%+v", red, yellow, yel, y.Escalated)
	}
	for _, e := range y.Running {
		if e.Periods < 2 || e.Level != report.Red {
			t.Errorf("连续滞后 lists %+v", e)
		}
	}
	if len(y.Corrections) != 1 || y.Corrections[0].Text != "10月12日更正 2 项" {
		t.Errorf("corrections = %+v", y.Corrections)
	}
	if d := b.Depts[0]; !strings.Contains(d.Standing, "，10月12日更正 2 项") {
		t.Errorf("the department appendix does not tell of the correction: %q", d.Standing)
	}
	// The brief lists the year's two attachments.
	var titles []string
	for _, a := range b.Attachments {
		titles = append(titles, a.Title)
	}
	if !strings.Contains(strings.Join(titles, "|"), "全年各期报送情况和滞后预警|主要指标全年走势") {
		t.Errorf("attachments = %v", titles)
	}
}

func TestNoYearWithoutHistory(t *testing.T) {
	t.Parallel()
	if b := sample.Brief(t); b.Year != nil {
		t.Error("a brief of a round alone has a year")
	}
}

func TestIssueOf(t *testing.T) {
	per := func(s string) plan.Period {
		p, err := plan.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	q1, h1, q3 := per("2025Q1"), per("2025H1"), per("2025Q3")
	var none *report.History
	if got := none.IssueOf(q3); got != 0 {
		t.Errorf("no history: issue %d; want 0", got)
	}
	earlier := &report.History{Periods: []report.PeriodHistory{{Period: q1}, {Period: h1}}}
	if got := earlier.IssueOf(q3); got != 3 {
		t.Errorf("Q1 and H1 before Q3: issue %d; want 3", got)
	}
	with := &report.History{Periods: []report.PeriodHistory{{Period: q1}, {Period: h1}, {Period: q3}}}
	if got := with.IssueOf(q3); got != 3 {
		t.Errorf("Q1, H1 and Q3 itself: issue %d; want 3", got)
	}
	if got := with.IssueOf(h1); got != 2 {
		t.Errorf("a brief of H1 after Q3 was collected: issue %d; want 2", got)
	}
}
