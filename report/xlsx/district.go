package xlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/report"
)

// Sheets of the 区县 section, after the others, when the brief has 区县.
const (
	SheetDistrictRanking = "区县排名"
	SheetDistrictGrid    = "区县分解"
	SheetDistrictCheck   = "区县核对"
)

// DistrictSheets are the 区县 section's sheet names for brief b, labelled
// 示例 when the split is one; nil when b has no 区县.
func DistrictSheets(b *report.Brief) []string {
	ds := b.Districts
	if ds == nil {
		return nil
	}
	out := []string{SheetDistrictRanking, SheetDistrictGrid, SheetDistrictCheck}
	if ds.Example {
		for i := range out {
			out[i] += "（" + plan.ExampleLabel + "）"
		}
	}
	return out
}

// districtSheets writes the 区县 section: the ranking, the split targets ×
// 区县 table tinted by status, and the sum of the 区县 next to the city figure.
func (x *xlBuilder) districtSheets() {
	ds := x.b.Districts
	names := DistrictSheets(x.b)
	if ds == nil || x.err != nil {
		return
	}
	for _, n := range names {
		if _, err := x.f.NewSheet(n); err != nil {
			x.fail(err)
			return
		}
	}
	note := ""
	if ds.Example {
		note = "【示例】分解任务为示例，不是正式下达的任务：" + ds.Rule
	}

	rank := xlTable{sheet: names[0], freezeCols: 2, note: note, cols: []xlColumn{
		{head: "名次", kind: xlCenter, min: 6},
		{head: "区县", kind: xlText, max: 16, min: 10},
		{head: "报送", kind: xlCenter, min: 10},
		{head: "填报日期", kind: xlCenter, min: 11},
		{head: "承担指标", kind: xlInt, min: 8},
	}}
	for _, s := range report.Statuses {
		rank.cols = append(rank.cols, xlColumn{head: string(s), kind: xlInt, min: 8, count: s})
	}
	rank.cols = append(rank.cols, xlColumn{head: "已完成和序时推进占比", kind: xlPct, min: 12},
		xlColumn{head: "滞后的指标", kind: xlText, max: 50, min: 20})
	for _, r := range ds.Ranking {
		place, sent := any("—"), "未报送"
		if r.Rate != nil {
			place, sent = r.Rank, "已报送"
			if r.OnTime != nil && !*r.OnTime {
				sent = "逾期报送"
			}
		}
		row := []any{place, r.Short, sent, r.Filled, r.Targets}
		for i := range report.Statuses {
			row = append(row, r.Counts[i])
		}
		row = append(row, r.Rate, strings.Join(r.Lagging, "、"))
		rank.rows = append(rank.rows, row)
	}
	x.table(rank)

	grid := xlTable{sheet: names[1], freezeCols: 2, note: strings.TrimSpace(note + " 单元格为完成进度（完成值÷分解任务），底色为状态：" + statusLegend() + "。"),
		cols: []xlColumn{{head: "编号", kind: xlCenter, min: 7}, {head: "指标", kind: xlText, max: 28, min: 18}}}
	for _, c := range ds.Columns {
		grid.cols = append(grid.cols, xlColumn{head: c, kind: xlCenter, min: 9})
	}
	for _, r := range ds.Grid {
		row := []any{r.ID, r.Indicator}
		for _, c := range r.Cells {
			row = append(row, c.Text)
		}
		grid.rows = append(grid.rows, row)
	}
	x.table(grid)
	for k, r := range ds.Grid {
		for i, c := range r.Cells {
			if c.Status == "" {
				continue
			}
			ref := xlCellName(3+i, xlFirstRow+k)
			x.fail(x.f.SetCellStyle(grid.sheet, ref, ref, x.statusFill(c.Status)))
		}
	}

	check := xlTable{sheet: names[2], freezeCols: 2, cols: []xlColumn{
		{head: "编号", kind: xlCenter, min: 7},
		{head: "指标", kind: xlText, max: 28, min: 18},
		{head: "单位", kind: xlCenter, min: 6},
		{head: "全市目标", kind: xlText, max: 14, min: 10},
		{head: "牵头部门", kind: xlText, max: 18, min: 10},
		{head: "全市数（牵头部门报）", kind: xlNum, min: 12},
		{head: "区县合计", kind: xlNum, min: 10},
		{head: "已报区县", kind: xlCenter, min: 9},
		{head: "未计入的区县", kind: xlText, max: 24, min: 12},
		{head: "差额（区县−全市）", kind: xlNum, min: 12},
		{head: "核对结果", kind: xlCenter, min: 11},
	}, note: "区县合计与全市数相差超过容差的为“口径不一致”；区县未报齐时，只有已报区县之和超过全市数才判为不一致。"}
	for _, r := range ds.Consistency {
		check.rows = append(check.rows, []any{r.ID, r.Indicator, r.Unit, r.CityTarget, r.Lead, r.City, r.Sum,
			fmt.Sprintf("%d/%d", r.In, r.Of), r.Missing, r.Diff, r.Verdict})
	}
	x.table(check)
	for k, r := range ds.Consistency {
		if r.Verdict == "口径不一致" {
			ref := xlCellName(11, xlFirstRow+k)
			x.fail(x.f.SetCellStyle(check.sheet, ref, ref, x.statusFill(plan.FarBehind)))
		}
	}
}

// statusFill is a centred, bordered cell in a status's colours.
func (x *xlBuilder) statusFill(s plan.Status) int {
	key := "status-fill:" + string(s)
	if id, ok := x.styles[key]; ok {
		return id
	}
	c := xlStatusColors[s]
	border := []excelize.Border{
		{Type: "left", Color: "#A6A6A6", Style: 1}, {Type: "right", Color: "#A6A6A6", Style: 1},
		{Type: "top", Color: "#A6A6A6", Style: 1}, {Type: "bottom", Color: "#A6A6A6", Style: 1},
	}
	id, err := x.f.NewStyle(&excelize.Style{Border: border, Font: &excelize.Font{Color: c.font},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	x.fail(err)
	x.styles[key] = id
	return id
}

func statusLegend() string {
	var parts []string
	for _, s := range []plan.Status{plan.Done, plan.OnTrack, plan.Behind, plan.FarBehind, plan.Invalid, plan.Missing} {
		parts = append(parts, string(s))
	}
	return strings.Join(parts, "、")
}
