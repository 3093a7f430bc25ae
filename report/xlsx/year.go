package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"planrep/report"
)

// Sheets of the year, after the others, when the brief has a year.
const (
	SheetRates  = "报送率"
	SheetAlerts = "滞后预警"
	SheetTrend  = "趋势"
)

// yearTrendCharts is how many targets get a line chart on 趋势: the
// escalated ones first, then registry order.
const yearTrendCharts = 12

// year adds 报送率, 滞后预警 and 趋势 from Brief.Year: the rates of each
// period, the escalation list, and each quantitative target's value by
// period with 环比 and, below, native line charts of value against schedule.
func (x *xlBuilder) year() {
	y := x.b.Year
	if y == nil || x.err != nil {
		return
	}
	for _, s := range []string{SheetRates, SheetAlerts, SheetTrend} {
		if _, err := x.f.NewSheet(s); err != nil {
			x.fail(err)
			return
		}
	}
	// 报送率.
	var rows [][]any
	for _, p := range y.Periods {
		rows = append(rows, []any{p.Label, p.Expected, p.Submitted, p.SubmitRate, p.OnTime, p.OnTimeRate})
	}
	note := ""
	for _, c := range y.Corrections {
		if note == "" {
			note = "本期更正："
		} else {
			note += "；"
		}
		note += c.Dept + c.Text
	}
	x.table(xlTable{sheet: SheetRates, rows: rows, note: note, cols: []xlColumn{
		{head: "报告期", kind: xlText, min: 16}, {head: "应报送单位", kind: xlInt, min: 10}, {head: "已报送", kind: xlInt, min: 8},
		{head: "报送率", kind: xlPct, min: 9}, {head: "按时报送", kind: xlInt, min: 9}, {head: "按时报送率", kind: xlPct, min: 11},
	}})

	// 滞后预警.
	rows = nil
	for _, e := range y.Escalated {
		rows = append(rows, []any{e.ID, e.Indicator, e.Dept, e.Label, e.Reason, e.Since})
	}
	x.table(xlTable{sheet: SheetAlerts, rows: rows, empty: "本期没有滞后的指标",
		note: fmt.Sprintf("红色预警：连续两期及以上滞后或本期严重滞后；黄色预警：本期滞后。连续滞后 %d 项。", len(y.Running)),
		cols: []xlColumn{
			{head: "编号", kind: xlCenter, min: 8}, {head: "指标名称", kind: xlText, min: 24, max: 40}, {head: "牵头部门", kind: xlText, min: 14},
			{head: "预警", kind: xlCenter, min: 10}, {head: "原因", kind: xlText, min: 30, max: 50}, {head: "起始期", kind: xlText, min: 14},
		}})
	if len(rows) > 0 {
		ref := fmt.Sprintf("D%d:D%d", xlFirstRow, xlFirstRow+len(rows)-1)
		x.fail(x.f.SetConditionalFormat(SheetAlerts, ref, []excelize.ConditionalFormatOptions{
			{Type: "cell", Criteria: "==", Value: xlQuoteFormula("红色预警"), Format: x.condStyle(xlColor{fill: "#FFC7CE", font: "#9C0006"})},
			{Type: "cell", Criteria: "==", Value: xlQuoteFormula("黄色预警"), Format: x.condStyle(xlColor{fill: "#FFEB9C", font: "#9C5700"})},
		}))
	}

	// 趋势: values by period, 环比, the alert; the schedule's values to the right.
	np := len(y.Periods)
	cols := []xlColumn{{head: "编号", kind: xlCenter, min: 8}, {head: "指标名称", kind: xlText, min: 22, max: 34},
		{head: "牵头部门", kind: xlText, min: 12}, {head: "单位", kind: xlCenter, min: 6}}
	for _, p := range y.Periods {
		cols = append(cols, xlColumn{head: p.Label, kind: xlNum, min: 10})
	}
	cols = append(cols, xlColumn{head: "环比", kind: xlCenter, min: 13}, xlColumn{head: "预警", kind: xlCenter, min: 9})
	for _, p := range y.Periods {
		cols = append(cols, xlColumn{head: "序时·" + p.Label, kind: xlNum, min: 12})
	}
	rows = nil
	label := map[string]string{report.Red: "红色预警", report.Yellow: "黄色预警"}
	for _, t := range y.Trends {
		row := []any{t.ID, t.Indicator, t.Dept, t.Unit}
		for _, pt := range t.Points {
			row = append(row, numOrDash(pt.Value))
		}
		row = append(row, t.ChangeWords, label[t.Level])
		for _, pt := range t.Points {
			row = append(row, numOrDash(pt.Schedule))
		}
		rows = append(rows, row)
	}
	x.table(xlTable{sheet: SheetTrend, rows: rows, cols: cols, freezeCols: 2, empty: "没有定量指标的数据",
		note: "各期数值为当期采用的累计值或水平值；环比为本期较上一期的变化；右侧为序时目标值（按年度目标和进度安排推算），供图表引用。"})
	if len(rows) == 0 {
		return
	}
	// Charts below the table: escalated targets first.
	order := make([]int, 0, len(y.Trends))
	for i, t := range y.Trends {
		if t.Level != "" {
			order = append(order, i)
		}
	}
	for i, t := range y.Trends {
		if t.Level == "" {
			order = append(order, i)
		}
	}
	if len(order) > yearTrendCharts {
		order = order[:yearTrendCharts]
	}
	s := SheetTrend
	ref := func(c1, r1, c2, r2 int) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", s, xlColName(c1), r1, xlColName(c2), r2)
	}
	top := xlFirstRow + len(rows) + 3
	// The legend's names, beside the title rows.
	nameCol := len(cols) + 2
	x.set(s, nameCol, 1, "完成值")
	x.set(s, nameCol, 2, "序时目标")
	for k, i := range order {
		t := y.Trends[i]
		r := xlFirstRow + i
		cats := ref(5, xlHeaderRow, 4+np, xlHeaderRow)
		schedCol := 4 + np + 3
		title := fmt.Sprintf("%s %s（%s）", t.ID, t.Indicator, t.Unit)
		x.fail(x.f.AddChart(s, xlCellName(1+(k%2)*6, top+(k/2)*16), &excelize.Chart{
			Type: excelize.Line,
			Series: []excelize.ChartSeries{
				{Name: fmt.Sprintf("'%s'!$%s$1", s, xlColName(nameCol)), Categories: cats, Values: ref(5, r, 4+np, r),
					Line: excelize.LineOptions{Width: 2.25}, Marker: excelize.ChartMarker{Symbol: "circle", Size: 6}},
				{Name: fmt.Sprintf("'%s'!$%s$2", s, xlColName(nameCol)), Categories: cats,
					Values: ref(schedCol, r, schedCol+np-1, r), Line: excelize.LineOptions{Width: 1.25, Dash: excelize.LineDashDash}},
			},
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title,
				Font: &excelize.Font{Bold: true, Size: 10, Color: "#000000"}}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 460, Height: 300},
		}))
	}
}

func numOrDash(v *float64) any {
	if v == nil {
		return "—"
	}
	return *v
}
