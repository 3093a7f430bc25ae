package pdf

import (
	"fmt"
	"math"

	"planrep/plan"
	"planrep/report"
)

func init() {
	blocks[report.BlockYearRates] = (*doc).yearRates
	blocks[report.BlockYearTrends] = (*doc).yearTrends
}

// yearTrendMax is how many targets get a small chart in the brief: the
// escalated first, then registry order; the Excel report has them all.
const yearTrendMax = 24

var (
	pdfAlertRed    = [3]int{192, 0, 0}
	pdfAlertYellow = [3]int{191, 128, 0}
	pdfSchedule    = [3]int{140, 140, 140}
	pdfValueLine   = [3]int{31, 78, 121}
)

// yearRates draws the reporting of each period, then the escalation list
// and this period's corrections.
func (d *doc) yearRates() {
	y := d.b.Year
	rows := make([][]string, len(y.Periods))
	for i, p := range y.Periods {
		rows[i] = []string{p.Label, fmt.Sprint(p.Expected), fmt.Sprint(p.Submitted), report.Percent(p.SubmitRate),
			fmt.Sprint(p.OnTime), report.Percent(p.OnTimeRate)}
	}
	d.subheading("（一）各期报送情况", lineBody*3)
	d.table([]pdfColumn{{"报告期", 30, "L"}, {"应报送", 14, "C"}, {"已报送", 14, "C"}, {"报送率", 14, "C"},
		{"按时报送", 14, "C"}, {"按时报送率", 16, "C"}}, rows, nil)

	d.subheading(fmt.Sprintf("（二）滞后预警（红色 %d 项，其中连续滞后 %d 项；黄色 %d 项）",
		countLevel(y.Escalated, report.Red), len(y.Running), countLevel(y.Escalated, report.Yellow)), lineBody*3)
	if len(y.Escalated) == 0 {
		d.paragraph("本期没有滞后的指标。")
	} else {
		rows = make([][]string, len(y.Escalated))
		for i, e := range y.Escalated {
			rows[i] = []string{fmt.Sprint(i + 1), e.Indicator, e.Dept, e.Label, e.Reason}
		}
		d.table([]pdfColumn{{"序号", 7, "C"}, {"指标或任务", 30, "L"}, {"牵头单位", 18, "L"}, {"预警", 12, "C"}, {"原因", 33, "L"}},
			rows, func(i int) bool { return y.Escalated[i].Level == report.Red })
		d.small("红色预警：连续两期及以上滞后，或本期严重滞后；黄色预警：本期滞后。灰底为红色预警。", "L", pdfBlack)
	}
	if len(y.Corrections) > 0 {
		d.subheading("（三）本期更正", lineBody*2)
		for _, c := range y.Corrections {
			d.paragraph(c.Dept + "：" + c.Text + "。")
		}
	}
}

func countLevel(es []report.Escalation, level string) int {
	n := 0
	for _, e := range es {
		if e.Level == level {
			n++
		}
	}
	return n
}

// yearTrends draws small multiples: for each target, its value by period
// (solid, with points) against where the schedule puts it (dashed).
func (d *doc) yearTrends() {
	y := d.b.Year
	var order []report.Trend
	for _, t := range y.Trends {
		if t.Level != "" {
			order = append(order, t)
		}
	}
	for _, t := range y.Trends {
		if t.Level == "" {
			order = append(order, t)
		}
	}
	more := 0
	if len(order) > yearTrendMax {
		more = len(order) - yearTrendMax
		order = order[:yearTrendMax]
	}
	d.small("实线为各期完成值，虚线为按年度目标和进度安排推算的序时目标值；标题前的色块为预警（红、黄）。", "L", pdfBlack)
	d.y += 2
	const cols = 3
	gap := 5.0
	w := (contentW - gap*(cols-1)) / cols
	h := 42.0
	for i, t := range order {
		if i%cols == 0 {
			d.ensure(h + 3)
		}
		x := marginL + float64(i%cols)*(w+gap)
		d.sparkChart(x, d.y, w, h, t, y.Periods)
		if i%cols == cols-1 || i == len(order)-1 {
			d.y += h + 3
		}
	}
	if more > 0 {
		d.small(fmt.Sprintf("另有 %d 项定量指标的走势见进度报告（Excel）“趋势”表。", more), "L", pdfBlack)
	}
	d.setFont(song, sizeBody)
}

// sparkChart draws one target's small chart in the box x, y, w, h.
func (d *doc) sparkChart(x, y, w, h float64, t report.Trend, periods []report.YearPeriod) {
	d.draw(pdfRule)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(x, y, w, h, "D")
	// Title: the alert's swatch, then id and indicator (two lines at most).
	tx := x + 1.5
	switch t.Level {
	case report.Red:
		d.fill(pdfAlertRed)
		d.pdf.Rect(tx, y+1.6, 2.4, 2.4, "F")
		tx += 3.4
	case report.Yellow:
		d.fill(pdfAlertYellow)
		d.pdf.Rect(tx, y+1.6, 2.4, 2.4, "F")
		tx += 3.4
	}
	d.setFont(hei, 7.5)
	d.color(pdfBlack)
	title := t.ID + " " + t.Indicator
	lines := d.wrap(title, x+w-tx-1.5)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	for k, l := range lines {
		d.text(tx, y+0.8+float64(k)*3.2, x+w-tx-1.5, 3.2, l, "L")
	}
	// Plot area.
	px, py := x+9, y+9
	pw, ph := w-12, h-17
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range t.Points {
		for _, v := range []*float64{p.Value, p.Schedule} {
			if v != nil {
				lo, hi = math.Min(lo, *v), math.Max(hi, *v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		return
	}
	if lo > 0 && lo < hi/2 {
		lo = 0 // cumulative paths start from zero
	}
	if hi == lo {
		hi, lo = hi+math.Max(1, math.Abs(hi)*0.1), lo-math.Max(1, math.Abs(lo)*0.1)
	}
	pad := (hi - lo) * 0.08
	if lo >= 0 {
		lo = math.Max(0, lo-pad) // no negative axis for values that cannot be
	} else {
		lo -= pad
	}
	hi += pad
	n := len(t.Points)
	xOf := func(i int) float64 {
		if n == 1 {
			return px + pw/2
		}
		return px + pw*float64(i)/float64(n-1)
	}
	yOf := func(v float64) float64 { return py + ph - ph*(v-lo)/(hi-lo) }
	// Axis: the bottom line and the range labels.
	d.draw(pdfRule)
	d.pdf.Line(px, py+ph, px+pw, py+ph)
	d.setFont(song, 6)
	d.color(pdfSchedule)
	d.text(x+0.5, py-1.5, 8, 3, short(hi), "R")
	d.text(x+0.5, py+ph-1.5, 8, 3, short(lo), "R")
	for i, p := range periods {
		if i >= n {
			break
		}
		d.text(xOf(i)-8, py+ph+0.6, 16, 3, shortPeriod(p.Period), "C")
	}
	// The schedule, dashed.
	d.draw(pdfSchedule)
	d.pdf.SetLineWidth(0.3)
	d.pdf.SetDashPattern([]float64{1, 0.8}, 0)
	for i := 1; i < n; i++ {
		a, b := t.Points[i-1].Schedule, t.Points[i].Schedule
		if a != nil && b != nil {
			d.pdf.Line(xOf(i-1), yOf(*a), xOf(i), yOf(*b))
		}
	}
	d.pdf.SetDashPattern(nil, 0)
	// The values, solid, with points; the last labelled.
	d.draw(pdfValueLine)
	d.fill(pdfValueLine)
	d.pdf.SetLineWidth(0.5)
	last := -1
	for i, p := range t.Points {
		if p.Value == nil {
			continue
		}
		if last >= 0 {
			d.pdf.Line(xOf(last), yOf(*t.Points[last].Value), xOf(i), yOf(*p.Value))
		}
		last = i
	}
	for i, p := range t.Points {
		if p.Value != nil {
			c := pdfValueLine
			if p.Status.Lagging() {
				c = pdfAlertRed
				if p.Status == plan.Behind {
					c = pdfAlertYellow
				}
			}
			d.fill(c)
			d.pdf.Circle(xOf(i), yOf(*p.Value), 0.8, "F")
		}
	}
	if last >= 0 {
		d.setFont(hei, 6.5)
		d.color(pdfBlack)
		label := plan.FormatNumber(*t.Points[last].Value) + t.Unit
		if t.ChangeWords != "—" {
			label += "（环比 " + t.ChangeWords + "）"
		}
		d.text(x+1.5, y+h-4.2, w-3, 3.4, label, "R")
	}
	d.pdf.SetLineWidth(0.2)
	d.draw(pdfRule)
	d.color(pdfBlack)
}

func short(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return plan.FormatNumber(math.Round(v/1e6)/100) + "亿"
	case a >= 1e4:
		return plan.FormatNumber(math.Round(v/100)/100) + "万"
	case a >= 100:
		return plan.FormatNumber(math.Round(v))
	}
	return plan.FormatNumber(math.Round(v*10) / 10)
}

// shortPeriod names a period briefly under a chart: 一季度, 上半年, 1-9月.
func shortPeriod(code string) string {
	p, err := plan.ParsePeriod(code)
	if err != nil {
		return code
	}
	l := p.Label()
	return l[len(fmt.Sprintf("%d年", p.Year)):]
}
