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
		if tr.ChangeText != "—" {
			label += "（环比" + tr.ChangeText + "）"
		}
		want = append(want, tr.ID, squeeze(label))
	}
	for _, w := range want {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
}
