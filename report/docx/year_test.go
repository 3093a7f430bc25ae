package docx

import (
	"strings"
	"testing"

	"planrep/plan"
	"planrep/report/internal/sample"
)

// TestDocxYear: the Word 通报 of a brief with a year has both of the year's
// attachments filled: each period's rates, the escalation list with its
// reasons, the correction, and each target's value by period with 环比.
func TestDocxYear(t *testing.T) {
	t.Parallel()
	b, _, _ := sample.YearBrief(t)
	text, _ := docText(t, build(t, b))
	y := b.Year
	want := []string{"全年各期报送情况和滞后预警", "主要指标全年走势", "（一）各期报送情况",
		y.Corrections[0].Dept + "：" + y.Corrections[0].Text}
	for _, p := range y.Periods {
		want = append(want, p.Label)
	}
	for _, e := range y.Escalated {
		want = append(want, e.Indicator, e.Label, e.Reason)
	}
	for _, tr := range y.Trends {
		want = append(want, tr.ID+tr.Indicator)
		if last := tr.Points[len(tr.Points)-1].Value; last != nil {
			want = append(want, plan.FormatNumber(*last)+tr.Unit)
		}
	}
	for _, w := range want {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("the 通报 lacks %q", w)
		}
	}
}
