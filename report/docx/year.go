package docx

import (
	"fmt"

	"planrep/plan"
	"planrep/report"
)

// The year's attachments (report.Year, from the store): each period's
// reporting, the escalation list, the corrections, and each target's path
// as a table (the PDF draws small charts; the office edits tables).

func init() {
	blocks[report.BlockYearRates] = (*doc).yearRates
	blocks[report.BlockYearTrends] = (*doc).yearTrends
}

func (d *doc) yearRates() error {
	y := d.b.Year
	if y == nil {
		return nil
	}
	rows := make([][]string, len(y.Periods))
	for i, p := range y.Periods {
		rows[i] = []string{p.Label, fmt.Sprint(p.Expected), fmt.Sprint(p.Submitted), report.Percent(p.SubmitRate),
			fmt.Sprint(p.OnTime), report.Percent(p.OnTimeRate)}
	}
	d.para("Heading2", "", "（一）各期报送情况", "")
	d.table([]column{{"报告期", 30, "left"}, {"应报送", 14, "center"}, {"已报送", 14, "center"}, {"报送率", 14, "center"},
		{"按时报送", 14, "center"}, {"按时报送率", 16, "center"}}, rows, nil)

	red, yellow := 0, 0
	for _, e := range y.Escalated {
		switch e.Level {
		case report.Red:
			red++
		case report.Yellow:
			yellow++
		}
	}
	d.para("Heading2", "", fmt.Sprintf("（二）滞后预警（红色 %d 项，其中连续滞后 %d 项；黄色 %d 项）", red, len(y.Running), yellow), "")
	if len(y.Escalated) == 0 {
		d.para("Normal", "", "本期没有滞后的指标。", "")
	} else {
		rows = make([][]string, len(y.Escalated))
		for i, e := range y.Escalated {
			rows[i] = []string{fmt.Sprint(i + 1), e.Indicator, e.Dept, e.Label, e.Reason}
		}
		d.table([]column{{"序号", 7, "center"}, {"指标或任务", 30, "left"}, {"牵头单位", 18, "left"}, {"预警", 12, "center"},
			{"原因", 33, "left"}}, rows, func(i int) bool { return y.Escalated[i].Level == report.Red })
		d.para("Note", "", "红色预警：连续两期及以上滞后，或本期严重滞后；黄色预警：本期滞后。灰底为红色预警。", "")
	}
	if len(y.Corrections) > 0 {
		d.para("Heading2", "", "（三）本期更正", "")
		for _, c := range y.Corrections {
			d.para("Normal", "", c.Dept+"："+c.Text+"。", "")
		}
	}
	return nil
}

func (d *doc) yearTrends() error {
	y := d.b.Year
	if y == nil {
		return nil
	}
	cols := []column{{"编号", 9, "center"}, {"指标", 26, "left"}, {"牵头单位", 16, "left"}}
	for _, p := range y.Periods {
		cols = append(cols, column{p.Label, 14, "center"})
	}
	cols = append(cols, column{"环比", 14, "center"}, column{"预警", 9, "center"})
	rows := make([][]string, len(y.Trends))
	for i, t := range y.Trends {
		row := []string{t.ID, t.Indicator, t.Dept}
		for k := range y.Periods {
			cell := "—"
			if k < len(t.Points) && t.Points[k].Value != nil {
				cell = plan.FormatNumber(*t.Points[k].Value) + t.Unit
			}
			row = append(row, cell)
		}
		level := ""
		switch t.Level {
		case report.Red:
			level = "红色"
		case report.Yellow:
			level = "黄色"
		}
		rows[i] = append(row, t.ChangeWords, level)
	}
	d.para("Note", "", "各期完成值；环比为本期较上期的变化。", "")
	d.table(cols, rows, func(i int) bool { return y.Trends[i].Level == report.Red })
	return nil
}
