package pdf

import (
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report/internal/sample"
)

// TestPDFYear: the brief with a year prints each period's rates, the
// escalation list with its colours' words and reasons, the correction, and
// a small chart for each trend, titled and labelled with its last value.
func TestPDFYear(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	t.Parallel()
	b, _, _ := sample.YearBrief(t)
	path := writeTemp(t, renderPDF(t, b))
	text, _ := pdfText(t, path)
	y := b.Year
	want := []string{"全年各期报送情况和滞后预警", "主要指标全年走势", "（一）各期报送情况", "连续滞后",
		y.Corrections[0].Dept + "：10月12日更正2项。"}
	for _, p := range y.Periods {
		want = append(want, p.Label)
	}
	for _, e := range y.Escalated {
		want = append(want, squeeze(e.Indicator), e.Label, squeeze(e.Reason))
	}
	for i, tr := range y.Trends {
		if i >= yearTrendMax {
			break
		}
		last := tr.Points[len(tr.Points)-1].Value
		if last == nil {
			continue
		}
		label := plan.FormatNumber(*last) + tr.Unit
		if tr.ChangeWords != "—" {
			label += "（环比" + tr.ChangeWords + "）"
		}
		want = append(want, tr.ID, squeeze(label))
	}
	for _, w := range want {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
}

// TestPDFMainGoalsChange: with a year, the table of the main targets has a
// 环比 column (before 状态) that says each target's change as the brief
// words it (+0.4个百分点); without one, the table has no such column.
func TestPDFMainGoalsChange(t *testing.T) {
	sample.NeedTool(t, "pdftotext")
	t.Parallel()
	b, id := sample.YearBriefMoved(t)
	if got := b.Year.ChangeOf(id); got != "+0.4个百分点" {
		t.Fatalf("the brief words the 环比 of %s %q; want +0.4个百分点", id, got)
	}
	text, _ := pdfText(t, writeTemp(t, renderPDF(t, b)))
	const head = "序号目标（计划原文）完成情况环比状态牵头单位"
	if !strings.Contains(text, head) {
		t.Errorf("the PDF's main targets table lacks the 环比 column: no %q", head)
	}
	for _, g := range b.MainGoals {
		row := squeeze(g.Account + b.Year.ChangeOf(g.ID) + string(g.Status))
		if !strings.Contains(text, row) {
			t.Errorf("the PDF lacks the row of %s with its 环比: %q", g.ID, row)
		}
	}
	plain, _ := pdfText(t, writeTemp(t, renderPDF(t, sample.Brief(t))))
	if !strings.Contains(plain, "序号目标（计划原文）完成情况状态牵头单位") || strings.Contains(plain, "环比") {
		t.Error("a brief without a year has a 环比 column, or lacks its main targets table")
	}
}
