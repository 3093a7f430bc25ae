package pdf

import (
	"fmt"
	"math"
	"strings"

	"planrep/plan"
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

// swatches follow plan.Statuses.
var swatches = []swatch{
	{fill: [3]int{56, 118, 29}, pattern: patSolid, text: [3]int{255, 255, 255}},                       // 已完成
	{fill: [3]int{190, 222, 176}, pattern: patSolid, text: pdfBlack},                                  // 序时推进
	{fill: [3]int{255, 217, 102}, ink: [3]int{90, 70, 0}, pattern: patDiagonal, text: pdfBlack},       // 滞后
	{fill: [3]int{204, 0, 0}, ink: [3]int{255, 255, 255}, pattern: patCross, text: pdfBlack},          // 严重滞后
	{fill: [3]int{255, 255, 255}, ink: [3]int{110, 110, 110}, pattern: patHorizontal, text: pdfBlack}, // 未报送
	{fill: [3]int{150, 110, 200}, ink: [3]int{255, 255, 255}, pattern: patVertical, text: pdfBlack},   // 数据有误
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
// segment is patterned.
func (d *doc) label(x, y, w, h float64, s string, sw swatch) {
	d.font(7.5)
	tw := d.width(s) + 1.2
	if tw > w-0.6 {
		return
	}
	if sw.pattern != patSolid {
		d.fill([3]int{255, 255, 255})
		d.pdf.Rect(x+(w-tw)/2, y+(h-3.4)/2, tw, 3.4, "F")
	}
	d.color(sw.text)
	if sw.pattern != patSolid {
		d.color(pdfBlack)
	}
	d.text(x, y, w, h, s, "C")
	d.color(pdfBlack)
}

func (d *doc) caption(s string) {
	d.font(10)
	d.color(pdfBlack)
	d.text(marginL, d.y, contentW, 6, s, "C")
	d.y += 7
}

// chartChapters draws status by chapter as stacked patHorizontal bars.
func (d *doc) chartChapters() {
	cs := d.b.Chapters
	if len(cs) == 0 {
		return
	}
	const labelW, pitch, barH = 46.0, 8.0, 5.6
	height := 7 + 8 + float64(len(cs))*pitch + 8
	d.ensure(math.Min(height, bottomEdge-marginTop))
	d.caption("图1　各领域目标任务进展情况（项）")
	// Legend.
	d.font(8)
	x := marginL
	legendW := 0.0
	for _, s := range plan.Statuses {
		legendW += 6 + d.width(string(s)) + 5
	}
	x = marginL + (contentW-legendW)/2
	for i, s := range plan.Statuses {
		d.patch(x, d.y+0.8, 5, 3.4, swatches[i])
		d.font(8)
		d.text(x+6, d.y, d.width(string(s))+1, 5, string(s), "L")
		x += 6 + d.width(string(s)) + 5
	}
	d.y += 8
	max := 0
	for _, c := range cs {
		if c.Total > max {
			max = c.Total
		}
	}
	x0 := marginL + labelW + 2
	barW := contentW - labelW - 2 - 10
	for _, c := range cs {
		d.ensure(pitch)
		d.font(8)
		lines := d.wrap(c.Label, labelW)
		if len(lines) > 2 {
			lines = []string{lines[0], d.fit(strings.Join(lines[1:], ""), labelW)}
		}
		ly := d.y + (pitch-float64(len(lines))*3.6)/2
		for _, l := range lines {
			d.text(marginL, ly, labelW, 3.6, l, "R")
			ly += 3.6
		}
		x := x0
		for i, n := range c.Counts {
			if n == 0 || max == 0 {
				continue
			}
			w := barW * float64(n) / float64(max)
			d.patch(x, d.y+(pitch-barH)/2, w, barH, swatches[i])
			d.label(x, d.y+(pitch-barH)/2, w, barH, fmt.Sprint(n), swatches[i])
			x += w
		}
		d.font(8)
		d.text(x+1.5, d.y, 10, pitch, fmt.Sprint(c.Total), "L")
		d.draw(pdfBlack)
		d.pdf.SetLineWidth(0.3)
		d.pdf.Line(x0, d.y, x0, d.y+pitch)
		d.pdf.SetLineWidth(0.2)
		d.y += pitch
	}
	d.y += 6
}

// chartDepts draws each department's share of targets on schedule as bars.
func (d *doc) chartDepts() {
	var ds []report.DeptRow
	for _, dep := range d.b.Depts {
		if dep.Targets > 0 {
			ds = append(ds, dep)
		}
	}
	if len(ds) == 0 {
		return
	}
	const labelW, pitch, barH = 46.0, 6.6, 4.4
	d.ensure(math.Min(7+6+float64(len(ds))*pitch+6, bottomEdge-marginTop))
	d.caption("图2　各单位达到序时进度的目标任务占比")
	x0 := marginL + labelW + 2
	barW := contentW - labelW - 2 - 30
	drawScale := func() {
		d.font(7)
		d.color(pdfGrey)
		for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
			d.text(x0+barW*p-6, d.y, 12, 4, fmt.Sprintf("%.0f%%", p*100), "C")
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
	for _, dep := range ds {
		if d.y+pitch > bottomEdge {
			grid(top, d.y)
			d.newPage()
			drawScale()
			top = d.y
		}
		d.font(8)
		d.text(marginL, d.y, labelW, pitch, d.fit(dep.Short, labelW), "R")
		by := d.y + (pitch-barH)/2
		w := barW * dep.Completion
		if w > 0 {
			d.patch(x0, by, w, barH, swatch{fill: [3]int{70, 100, 140}, pattern: patSolid})
		}
		text := fmt.Sprintf("%s（%d/%d）", report.Percent(dep.Completion), dep.Counts[0]+dep.Counts[1], dep.Targets)
		if !dep.Submitted {
			text = "未报送"
		}
		d.font(7.5)
		d.text(x0+w+1.5, d.y, 30, pitch, text, "L")
		d.y += pitch
	}
	grid(top, d.y)
	d.y += 6
}
