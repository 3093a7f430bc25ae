package pdf

import (
	"fmt"
	"math"

	"planrep/plan"
	"planrep/report"
)

func init() {
	blocks[report.BlockDistrictRanking] = (*doc).districtRanking
	blocks[report.BlockDistrictConsistency] = (*doc).districtConsistency
	blocks[report.BlockDistrictGrid] = (*doc).districtGrid
}

// districtRanking is the 区县 ranked by the share of their quotas on schedule.
func (d *doc) districtRanking() {
	ds := d.b.Districts
	if ds == nil {
		return
	}
	rows := make([][]string, len(ds.Ranking))
	for i, r := range ds.Ranking {
		rank, rate, sent := "—", "—", "未报送"
		if r.Rate != nil {
			rank, rate = fmt.Sprint(r.Rank), report.Pct(*r.Rate)
			sent = "已报送"
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
	d.y += 1
	cols := []pdfColumn{{"名次", 8, "C"}, {"区县", 20, "L"}, {"报送", 15, "C"}, {"承担", 10, "C"},
		{"已完成和序时推进", 18, "C"}, {"占比", 12, "C"}, {"滞后", 10, "C"}}
	d.ensure(8 + d.startHeight(cols, rows))
	d.caption(districtLabel("表　区县分解任务完成情况排名", ds))
	d.table(cols, rows, func(i int) bool { return ds.Ranking[i].Rate == nil })
}

// districtConsistency lists the split targets whose 区县 sum and city figure disagree.
func (d *doc) districtConsistency() {
	ds := d.b.Districts
	if ds == nil {
		return
	}
	var rows [][]string
	for _, r := range ds.Consistency {
		if r.Verdict != "口径不一致" {
			continue
		}
		sum := "—"
		if r.Sum != nil {
			sum = plan.FormatNumber(*r.Sum) + r.Unit + fmt.Sprintf("（%d/%d\u00a0个区县）", r.In, r.Of)
		}
		city, diff := "—", "—"
		if r.City != nil {
			city = plan.FormatNumber(*r.City) + r.Unit + "（" + r.Lead + "）"
		}
		if r.Diff != nil {
			diff = fmt.Sprintf("%+g%s", *r.Diff, r.Unit)
		}
		rows = append(rows, []string{fmt.Sprint(len(rows) + 1), r.Indicator, city, sum, diff})
	}
	if len(rows) == 0 {
		return
	}
	cols := []pdfColumn{{"序号", 8, "C"}, {"指标", 34, "L"}, {"全市数（牵头部门）", 30, "L"}, {"区县合计", 30, "L"}, {"差额", 16, "C"}}
	d.ensure(8 + d.startHeight(cols, rows))
	d.caption("表　区县合计与全市数口径不一致的指标")
	d.table(cols, rows, nil)
}

// gridColumns is how many 区县 columns one part of the grid holds: the
// table splits into parts of at most this many, each with the indicator.
const gridColumns = 6

// districtGrid draws the split targets × 区县 table, each cell tinted by
// its status. Eleven 区县 do not fit the portrait type area legibly, so the
// table splits into parts of at most six 区县, each repeating the indicator.
func (d *doc) districtGrid() {
	ds := d.b.Districts
	if ds == nil || len(ds.Grid) == 0 {
		return
	}
	if ds.Example {
		d.small("【示例】表中分解任务为示例，不是正式下达的任务："+ds.Rule, "L", pdfGrey)
	}
	used := make([]bool, len(report.Statuses))
	for _, r := range ds.Grid {
		for _, c := range r.Cells {
			if i := statusAt(c.Status); i >= 0 {
				used[i] = true
			}
		}
	}
	parts := int(math.Ceil(float64(len(ds.Columns)) / gridColumns))
	per := int(math.Ceil(float64(len(ds.Columns)) / float64(parts)))
	for part := 0; part < parts; part++ {
		lo, hi := part*per, min((part+1)*per, len(ds.Columns))
		d.gridPart(ds, lo, hi, part+1, parts, used)
	}
}

func (d *doc) gridPart(ds *report.Districts, lo, hi, part, parts int, used []bool) {
	const idW, nameW, lh = 11.0, 44.0, 4.6
	cw := (contentW - idW - nameW) / gridColumns
	width := idW + nameW + cw*float64(hi-lo)
	x0 := marginL + (contentW-width)/2
	title := fmt.Sprintf("（%s）%s至%s", report.Numeral(part), ds.Columns[lo], ds.Columns[hi-1])
	header := func() {
		d.setFont(hei, 9)
		d.draw(pdfRule)
		d.pdf.SetLineWidth(0.2)
		d.fill(pdfHeader)
		x := x0
		for i, h := range append([]string{"编号", "指标"}, ds.Columns[lo:hi]...) {
			w := cw
			switch i {
			case 0:
				w = idW
			case 1:
				w = nameW
			}
			d.pdf.Rect(x, d.y, w, 2*lh, "FD")
			d.color(pdfBlack)
			lines := d.wrap(h, w-1)
			top := d.y + (2*lh-float64(len(lines))*lh)/2
			for k, l := range lines {
				d.text(x+0.5, top+float64(k)*lh, w-1, lh, l, "C")
			}
			x += w
		}
		d.y += 2 * lh
	}
	d.ensure(2*lh + 3*lh + 14)
	if parts > 1 {
		d.subheading(title, 2*lh+3*lh)
	}
	d.legend(used)
	d.y += 1
	header()
	d.onNewPage = header
	for _, r := range ds.Grid {
		d.setFont(song, 8.5)
		name := d.wrap(r.Indicator, nameW-2)
		h := math.Max(1, float64(len(name))) * lh
		if d.y+h > bottomEdge {
			d.newPage()
			d.setFont(song, 8.5)
		}
		d.draw(pdfRule)
		d.pdf.SetLineWidth(0.2)
		d.fill(pdfWhite)
		d.pdf.Rect(x0, d.y, idW, h, "FD")
		d.pdf.Rect(x0+idW, d.y, nameW, h, "FD")
		d.color(pdfBlack)
		d.text(x0+0.5, d.y+(h-lh)/2, idW-1, lh, r.ID, "C")
		for k, l := range name {
			d.text(x0+idW+1, d.y+float64(k)*lh, nameW-2, lh, l, "L")
		}
		x := x0 + idW + nameW
		for _, c := range r.Cells[lo:hi] {
			fill, ink := gridTint(c.Status)
			d.fill(fill)
			d.pdf.Rect(x, d.y, cw, h, "FD")
			d.color(ink)
			d.text(x, d.y+(h-lh)/2, cw, lh, c.Text, "C")
			x += cw
		}
		d.y += h
	}
	d.onNewPage = nil
	d.color(pdfBlack)
	d.y += 2
	d.setFont(song, sizeBody)
}

// statusAt is the index of s in report.Statuses, -1 when absent.
func statusAt(s plan.Status) int {
	for i, x := range report.Statuses {
		if x == s {
			return i
		}
	}
	return -1
}

// gridTint is a cell's fill and ink: the status's swatch colour, so the
// legend above the table reads for it; text stays legible on each.
func gridTint(s plan.Status) (fill, ink [3]int) {
	i := statusAt(s)
	if i < 0 {
		return pdfWhite, pdfGrey
	}
	sw := swatchOf(i)
	ink = pdfBlack
	if sw.text == [3]int{255, 255, 255} || s == plan.FarBehind {
		ink = pdfWhite
	}
	return sw.fill, ink
}

// districtLabel labels a caption 示例 when the split is one.
func districtLabel(s string, ds *report.Districts) string {
	if ds.Example {
		return s + "（" + plan.ExampleLabel + "）"
	}
	return s
}
