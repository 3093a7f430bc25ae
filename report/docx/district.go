package docx

import (
	"fmt"
	"strings"

	"planrep/plan"
	"planrep/report"
)

func init() {
	blocks[report.BlockDistrictRanking] = (*doc).districtRanking
	blocks[report.BlockDistrictConsistency] = (*doc).districtConsistency
	blocks[report.BlockDistrictGrid] = (*doc).districtGrid
}

func (d *doc) districtRanking() error {
	ds := d.b.Districts
	if ds == nil {
		return nil
	}
	rows := make([][]string, len(ds.Ranking))
	for i, r := range ds.Ranking {
		rank, rate, sent := "—", "—", "未报送"
		if r.Rate != nil {
			rank, rate, sent = fmt.Sprint(r.Rank), report.Pct(*r.Rate), "已报送"
			if r.OnTime != nil && !*r.OnTime {
				sent = "逾期报送"
			}
		}
		lagging := "—"
		if len(r.Lagging) > 0 {
			lagging = fmt.Sprintf("%d\u00a0项", len(r.Lagging))
		}
		rows[i] = []string{rank, r.Short, sent, fmt.Sprint(r.Targets), fmt.Sprint(r.Counts[0] + r.Counts[1]), rate, lagging}
	}
	caption := "表　区县分解任务完成情况排名"
	if ds.Example {
		caption += "（" + plan.ExampleLabel + "）"
	}
	d.para("Caption", `<w:keepNext/>`, caption, "")
	d.table([]column{{"名次", 8, "center"}, {"区县", 20, "left"}, {"报送", 15, "center"}, {"承担", 10, "center"},
		{"已完成和序时推进", 18, "center"}, {"占比", 12, "center"}, {"滞后", 10, "center"}}, rows,
		func(i int) bool { return ds.Ranking[i].Rate == nil })
	return nil
}

func (d *doc) districtConsistency() error {
	ds := d.b.Districts
	if ds == nil {
		return nil
	}
	var rows [][]string
	for _, r := range ds.Consistency {
		if r.Verdict != "口径不一致" {
			continue
		}
		city, sum, diff := "—", "—", "—"
		if r.City != nil {
			city = plan.FormatNumber(*r.City) + r.Unit + "（" + r.Lead + "）"
		}
		if r.Sum != nil {
			sum = plan.FormatNumber(*r.Sum) + r.Unit + fmt.Sprintf("（%d/%d\u00a0个区县）", r.In, r.Of)
		}
		if r.Diff != nil {
			diff = fmt.Sprintf("%+g%s", *r.Diff, r.Unit)
		}
		rows = append(rows, []string{fmt.Sprint(len(rows) + 1), r.Indicator, city, sum, diff})
	}
	if len(rows) == 0 {
		return nil
	}
	d.para("Caption", `<w:keepNext/>`, "表　区县合计与全市数口径不一致的指标", "")
	d.table([]column{{"序号", 8, "center"}, {"指标", 34, "left"}, {"全市数（牵头部门）", 30, "left"},
		{"区县合计", 30, "left"}, {"差额", 16, "center"}}, rows, nil)
	return nil
}

// gridColumns is how many 区县 one part of the grid holds, as in the PDF.
const gridColumns = 6

// cellFills are the status colours of the grid's cells, as in the Excel report.
var cellFills = map[plan.Status]string{
	plan.Done: "A9D08E", plan.OnTrack: "DDEBF7", plan.Behind: "FFD966", plan.FarBehind: "FF9F9F",
	report.Unconfirmed: "F8CBAD", report.Blank: "EDEDED", plan.Invalid: "E4C1F9", plan.Missing: "D9D9D9",
}

// districtGrid writes the split targets × 区县 table in parts of at most
// six 区县, each cell shaded by its status, with a legend.
func (d *doc) districtGrid() error {
	ds := d.b.Districts
	if ds == nil || len(ds.Grid) == 0 {
		return nil
	}
	if ds.Example {
		d.para("TableAfter", "", "【示例】表中分解任务为示例，不是正式下达的任务："+ds.Rule, "")
	}
	var legend []string
	for _, s := range []plan.Status{plan.Done, plan.OnTrack, plan.Behind, plan.FarBehind, plan.Invalid, plan.Missing} {
		legend = append(legend, string(s))
	}
	d.para("TableAfter", "", "单元格为完成进度（完成值÷分解任务），底色表示状态："+strings.Join(legend, "、")+"（颜色同进度报告）。", "")
	n := len(ds.Columns)
	parts := (n + gridColumns - 1) / gridColumns
	per := (n + parts - 1) / parts
	for part := 0; part < parts; part++ {
		lo, hi := part*per, min((part+1)*per, n)
		if parts > 1 {
			d.para("Caption", `<w:keepNext/>`, fmt.Sprintf("（%s）%s至%s", report.Numeral(part+1), ds.Columns[lo], ds.Columns[hi-1]), "")
		}
		cols := []column{{"编号", 10, "center"}, {"指标", 34, "left"}}
		for _, c := range ds.Columns[lo:hi] {
			cols = append(cols, column{c, 14, "center"})
		}
		rows := make([][]string, len(ds.Grid))
		fills := make([][]string, len(ds.Grid))
		for k, r := range ds.Grid {
			rows[k] = []string{r.ID, r.Indicator}
			fills[k] = []string{"", ""}
			for _, c := range r.Cells[lo:hi] {
				rows[k] = append(rows[k], c.Text)
				fills[k] = append(fills[k], cellFills[c.Status])
			}
		}
		d.fillTable(cols, rows, fills)
	}
	return nil
}

// fillTable writes a Word table whose header row repeats on every page,
// with a fill for each cell ("" for none).
func (d *doc) fillTable(cols []column, rows [][]string, fills [][]string) {
	total := 0.0
	for _, c := range cols {
		total += c.w
	}
	ws := make([]int, len(cols))
	for i, c := range cols {
		ws[i] = int(c.w / total * contentW)
	}
	d.x.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="BriefTable"/><w:tblW w:w="` + fmt.Sprint(contentW) +
		`" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range ws {
		d.x.WriteString(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, w))
	}
	d.x.WriteString(`</w:tblGrid>`)
	cell := func(i int, text, style, fill string) {
		d.x.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, ws[i]))
		if fill != "" {
			d.x.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="` + fill + `"/>`)
		}
		d.x.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
		align := cols[i].align
		if style == "TableHead" {
			align = "center"
		}
		d.para(style, `<w:jc w:val="`+align+`"/>`, text, "")
		d.x.WriteString(`</w:tc>`)
	}
	d.x.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for i, c := range cols {
		cell(i, c.title, "TableHead", "E8E8E8")
	}
	d.x.WriteString(`</w:tr>`)
	for k, r := range rows {
		d.x.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i := range cols {
			text, fill := "", ""
			if i < len(r) {
				text = r[i]
			}
			if k < len(fills) && i < len(fills[k]) {
				fill = fills[k][i]
			}
			cell(i, text, "TableText", fill)
		}
		d.x.WriteString(`</w:tr>`)
	}
	d.x.WriteString(`</w:tbl>`)
	d.para("TableAfter", "", "", "")
}
