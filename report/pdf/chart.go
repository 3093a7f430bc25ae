package pdf

import (
	"fmt"
	"math"

	"planrep/report"
)

// Charts are drawn as vectors. Each status has a fill and a pattern, and
// segments carry their counts, so a black-and-white print stays readable.

type pdfPattern int

const (
	patSolid pdfPattern = iota
	patDiagonal
	patCross
	patHorizontal
	patVertical
)

type swatch struct {
	fill, ink [3]int // background, and pattern lines
	pattern   pdfPattern
	text      [3]int // a count written on it
}

// swatches follow report.Statuses.
var swatches = []swatch{
	{fill: [3]int{56, 118, 29}, pattern: patSolid, text: [3]int{255, 255, 255}},                       // 已完成
	{fill: [3]int{190, 222, 176}, pattern: patSolid, text: pdfBlack},                                  // 序时推进
	{fill: [3]int{255, 217, 102}, ink: [3]int{90, 70, 0}, pattern: patDiagonal, text: pdfBlack},       // 滞后
	{fill: [3]int{204, 0, 0}, ink: [3]int{255, 255, 255}, pattern: patCross, text: pdfBlack},          // 严重滞后
	{fill: [3]int{255, 160, 60}, ink: [3]int{120, 50, 0}, pattern: patVertical, text: pdfBlack},       // 待核实
	{fill: [3]int{235, 235, 235}, ink: [3]int{90, 90, 90}, pattern: patDiagonal, text: pdfBlack},      // 未填报
	{fill: [3]int{150, 110, 200}, ink: [3]int{255, 255, 255}, pattern: patVertical, text: pdfBlack},   // 数据有误
	{fill: [3]int{255, 255, 255}, ink: [3]int{110, 110, 110}, pattern: patHorizontal, text: pdfBlack}, // 未报送
}

func swatchOf(i int) swatch {
	if i < len(swatches) {
		return swatches[i]
	}
	return swatches[len(swatches)-1]
}

// patch fills a rectangle with a status's swatch.
func (d *doc) patch(x, y, w, h float64, s swatch) {
	if w <= 0 || h <= 0 {
		return
	}
	d.fill(s.fill)
	d.draw(pdfRule)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(x, y, w, h, "F")
	if s.pattern != patSolid {
		d.pdf.ClipRect(x, y, w, h, false)
		d.draw(s.ink)
		d.pdf.SetLineWidth(0.3)
		step := 1.6
		switch s.pattern {
		case patDiagonal, patCross:
			for t := -h; t < w+h; t += step {
				d.pdf.Line(x+t, y+h, x+t+h, y)
				if s.pattern == patCross {
					d.pdf.Line(x+t, y, x+t+h, y+h)
				}
			}
		case patHorizontal:
			for t := y + step/2; t < y+h; t += step {
				d.pdf.Line(x, t, x+w, t)
			}
		case patVertical:
			for t := x + step/2; t < x+w; t += step {
				d.pdf.Line(t, y, t, y+h)
			}
		}
		d.pdf.ClipEnd()
	}
	d.draw(pdfRule)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(x, y, w, h, "D")
	d.pdf.SetLineWidth(0.2)
}

// label writes a count centred on a segment, on a white tag where the
// segment is patterned; a segment too narrow for it gets none (the table
// and the total beside the bar carry every count).
func (d *doc) label(x, y, w, h float64, s string, sw swatch) {
	d.setFont(hei, 8)
	tw := d.width(s) + 1.2
	if tw > w-0.6 {
		return
	}
	if sw.pattern != patSolid {
		d.fill(pdfWhite)
		d.pdf.Rect(x+(w-tw)/2, y+(h-3.6)/2, tw, 3.6, "F")
	}
	d.color(sw.text)
	if sw.pattern != patSolid {
		d.color(pdfBlack)
	}
	d.text(x, y, w, h, s, "C")
	d.color(pdfBlack)
}

func (d *doc) caption(s string) {
	d.setFont(hei, sizeTable+0.5)
	d.color(pdfBlack)
	for _, l := range d.wrap(s, contentW) {
		d.text(marginL, d.y, contentW, 6, l, "C")
		d.y += 6
	}
	d.y += 1
}

// legend draws the statuses that occur, each with its swatch, wrapping as needed.
func (d *doc) legend(used []bool) {
	d.setFont(song, 8.5)
	type item struct {
		i int
		w float64
	}
	var items []item
	for i, s := range report.Statuses {
		if i < len(used) && used[i] {
			items = append(items, item{i, 6 + d.width(string(s)) + 3})
		}
	}
	for len(items) > 0 {
		w, n := 0.0, 0
		for n < len(items) && w+items[n].w <= contentW {
			w += items[n].w
			n++
		}
		if n == 0 {
			n = 1
		}
		x := marginL + (contentW-w)/2
		for _, it := range items[:n] {
			s := string(report.Statuses[it.i])
			d.patch(x, d.y+0.8, 5, 3.4, swatchOf(it.i))
			d.setFont(song, 8.5)
			d.text(x+6, d.y, d.width(s)+1, 5, s, "L")
			x += it.w
		}
		items = items[n:]
		d.y += 5.5
	}
	d.y += 1.5
}

// chartChapters draws status by chapter as stacked horizontal bars.
func (d *doc) chartChapters() {
	ch := d.b.Charts.StatusByChapter
	if len(ch.Categories) == 0 {
		return
	}
	const labelW, barH, lh = 52.0, 4.8, 3.6
	d.setFont(song, 8.5)
	labels := make([][]string, len(ch.Categories))
	height := 7.0 + 12
	for i, c := range ch.Categories {
		labels[i] = d.wrap(c, labelW)
		height += math.Max(6.4, float64(len(labels[i]))*lh+1.2)
	}
	d.ensure(math.Min(height, bottomEdge-marginTop))
	d.y += 2
	d.caption("图1　各领域目标任务进展情况（项）")
	used := make([]bool, len(ch.Series))
	totals := make([]float64, len(ch.Categories))
	for si, s := range ch.Series {
		for ci, v := range s.Values {
			if v > 0 {
				used[si] = true
			}
			if ci < len(totals) {
				totals[ci] += v
			}
		}
	}
	d.legend(used)
	max := 0.0
	for _, t := range totals {
		max = math.Max(max, t)
	}
	x0 := marginL + labelW + 2
	barW := contentW - labelW - 2 - 9
	for ci := range ch.Categories {
		pitch := math.Max(6.4, float64(len(labels[ci]))*lh+1.2)
		d.ensure(pitch)
		d.setFont(song, 8.5)
		ly := d.y + (pitch-float64(len(labels[ci]))*lh)/2
		for _, l := range labels[ci] {
			d.text(marginL, ly, labelW, lh, l, "R")
			ly += lh
		}
		x := x0
		by := d.y + (pitch-barH)/2
		for si, s := range ch.Series {
			if ci >= len(s.Values) || s.Values[ci] <= 0 || max == 0 {
				continue
			}
			w := barW * s.Values[ci] / max
			d.patch(x, by, w, barH, swatchOf(si))
			d.label(x, by, w, barH, fmt.Sprint(s.Values[ci]), swatchOf(si))
			x += w
		}
		d.setFont(hei, 8.5)
		d.text(x+1.5, d.y, 9, pitch, fmt.Sprint(totals[ci]), "L")
		d.draw(pdfBlack)
		d.pdf.SetLineWidth(0.3)
		d.pdf.Line(x0, d.y, x0, d.y+pitch)
		d.pdf.SetLineWidth(0.2)
		d.y += pitch
	}
	d.y += 5
	d.setFont(song, sizeBody)
}

// chartDepts draws each department's share of targets on schedule as bars;
// a department that sent nothing gets no bar, and its label says so.
func (d *doc) chartDepts() {
	bars := d.b.Charts.CompletionByDept
	if len(bars.Categories) == 0 {
		return
	}
	const labelW, pitch, barH = 44.0, 6.4, 4.2
	d.ensure(math.Min(7+6+float64(len(bars.Categories))*pitch+6, bottomEdge-marginTop))
	d.caption("图2　各单位已完成和序时推进的目标任务占比")
	x0 := marginL + labelW + 2
	barW := contentW - labelW - 2 - 38
	drawScale := func() {
		d.setFont(song, 8)
		d.color(pdfGrey)
		for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
			d.text(x0+barW*p-6, d.y, 12, 4, report.Pct(p), "C")
		}
		d.color(pdfBlack)
		d.y += 5
	}
	drawScale()
	top := d.y
	grid := func(from, to float64) {
		d.draw([3]int{180, 180, 180})
		d.pdf.SetLineWidth(0.15)
		d.pdf.SetDashPattern([]float64{0.8, 0.8}, 0)
		for _, p := range []float64{0.25, 0.5, 0.75, 1} {
			d.pdf.Line(x0+barW*p, from, x0+barW*p, to)
		}
		d.pdf.SetDashPattern([]float64{}, 0)
		d.draw(pdfBlack)
		d.pdf.SetLineWidth(0.3)
		d.pdf.Line(x0, from, x0, to)
		d.pdf.SetLineWidth(0.2)
	}
	for i, c := range bars.Categories {
		d.setFont(song, 9)
		lines := d.wrap(c, labelW)
		h := math.Max(pitch, float64(len(lines))*4+1)
		if d.y+h > bottomEdge {
			grid(top, d.y)
			d.newPage()
			drawScale()
			top = d.y
		}
		ly := d.y + (h-float64(len(lines))*4)/2
		for _, l := range lines {
			d.text(marginL, ly, labelW, 4, l, "R")
			ly += 4
		}
		w := 0.0
		if !bars.Absent[i] {
			w = barW * math.Max(0, math.Min(bars.Values[i], 1))
			d.patch(x0, d.y+(h-barH)/2, w, barH, swatch{fill: [3]int{70, 100, 140}, pattern: patSolid})
		}
		d.setFont(song, 8.5)
		d.text(x0+w+1.5, d.y, contentW-labelW-w, h, bars.Labels[i], "L")
		d.y += h
	}
	grid(top, d.y)
	d.y += 6
	d.setFont(song, sizeBody)
}
