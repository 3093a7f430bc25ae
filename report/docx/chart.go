package docx

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"planrep/report"
	"planrep/report/font"
)

// Charts go into the Word document as PNG pictures drawn here from the
// Brief's series, in the embedded 黑体 face: Word has no vector format both
// it and LibreOffice draw the same way, and the office edits text, not charts.

// dpi is the pictures' resolution: sharp on paper, a few tens of KB each.
const dpi = 254.0

// px converts millimetres to pixels at dpi.
func px(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }

var (
	sfntOnce sync.Once
	sfntFont *opentype.Font
	sfntErr  error
)

func hei() (*opentype.Font, error) {
	sfntOnce.Do(func() { sfntFont, sfntErr = opentype.Parse(font.Hei()) })
	return sfntFont, sfntErr
}

// canvas is a white picture with text in one face at a few sizes.
type canvas struct {
	img   *image.RGBA
	f     *opentype.Font
	faces map[float64]xfont.Face
}

func newCanvas(wmm, hmm float64) (*canvas, error) {
	f, err := hei()
	if err != nil {
		return nil, fmt.Errorf("无法读取内置字体：%w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, px(wmm), px(hmm)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	return &canvas{img: img, f: f, faces: map[float64]xfont.Face{}}, nil
}

func (c *canvas) face(pt float64) xfont.Face {
	if f, ok := c.faces[pt]; ok {
		return f
	}
	f, err := opentype.NewFace(c.f, &opentype.FaceOptions{Size: pt, DPI: dpi, Hinting: xfont.HintingNone})
	if err != nil {
		f = nil
	}
	c.faces[pt] = f
	return f
}

func (c *canvas) close() {
	for _, f := range c.faces {
		if f != nil {
			f.Close()
		}
	}
}

// width is s's advance in millimetres at pt points.
func (c *canvas) width(s string, pt float64) float64 {
	f := c.face(pt)
	if f == nil {
		return 0
	}
	return float64(xfont.MeasureString(f, s)) / 64 / dpi * 25.4
}

// text draws s with its box's top at y (mm), aligned in [x, x+w].
func (c *canvas) text(x, y, w float64, s string, pt float64, col color.Color, align string) {
	f := c.face(pt)
	if f == nil {
		return
	}
	s = strings.ReplaceAll(s, "\u00a0", " ")
	tw := c.width(s, pt)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	m := f.Metrics()
	d := &xfont.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f,
		Dot: fixed.Point26_6{X: fixed.I(px(x)), Y: fixed.I(px(y)) + m.Ascent}}
	d.DrawString(s)
}

// lineH is the height of a line of pt-point text, in millimetres.
func lineH(pt float64) float64 { return pt / 72 * 25.4 * 1.3 }

// wrap cuts s into lines no wider than w millimetres, character by character.
func (c *canvas) wrap(s string, w, pt float64) []string {
	var lines []string
	var cur []rune
	for _, r := range s {
		if len(cur) > 0 && c.width(string(append(cur, r)), pt) > w {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, r)
	}
	return append(lines, string(cur))
}

func (c *canvas) rect(x, y, w, h float64, col color.Color) {
	r := image.Rect(px(x), px(y), px(x+w), px(y+h))
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *canvas) png() ([]byte, error) {
	var buf bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, c.img)
	return buf.Bytes(), err
}

// statusColors follow report.Statuses.
var statusColors = []color.RGBA{
	{56, 118, 29, 255},   // 已完成
	{183, 225, 161, 255}, // 序时推进
	{224, 142, 11, 255},  // 滞后
	{211, 47, 47, 255},   // 严重滞后
	{244, 177, 131, 255}, // 待核实
	{191, 191, 191, 255}, // 未填报
	{206, 147, 216, 255}, // 数据有误
	{230, 230, 230, 255}, // 未报送
}

func statusColor(i int) color.RGBA {
	if i < len(statusColors) {
		return statusColors[i]
	}
	return statusColors[len(statusColors)-1]
}

// light says whether white text would be hard to read on col.
func light(col color.RGBA) bool {
	return 0.299*float64(col.R)+0.587*float64(col.G)+0.114*float64(col.B) > 140
}

var (
	black = color.RGBA{0, 0, 0, 255}
	grey  = color.RGBA{90, 90, 90, 255}
	rule  = color.RGBA{180, 180, 180, 255}
)

// chapterChart draws report.Charts.StatusByChapter: one stacked bar per chapter.
func chapterChart(st report.Stacked, wmm float64) ([]byte, float64, error) {
	const labelW, pitch, barH, pt = 52.0, 7.0, 5.0, 8.5
	probe, err := newCanvas(1, 1)
	if err != nil {
		return nil, 0, err
	}
	defer probe.close()
	used := make([]bool, len(st.Series))
	totals := make([]float64, len(st.Categories))
	for si, s := range st.Series {
		for ci, v := range s.Values {
			if v > 0 {
				used[si] = true
			}
			if ci < len(totals) {
				totals[ci] += v
			}
		}
	}
	// Legend rows.
	type item struct {
		i int
		w float64
	}
	var rows [][]item
	var row []item
	rowW := 0.0
	for i, s := range st.Series {
		if !used[i] {
			continue
		}
		w := 6 + probe.width(s.Name, pt) + 4
		if rowW+w > wmm && len(row) > 0 {
			rows, row, rowW = append(rows, row), nil, 0
		}
		row = append(row, item{i, w})
		rowW += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	labels := make([][]string, len(st.Categories))
	h := 2 + float64(len(rows))*6 + 2
	for i, cat := range st.Categories {
		labels[i] = probe.wrap(cat, labelW-2, pt)
		h += math.Max(pitch, float64(len(labels[i]))*lineH(pt)+1)
	}
	h += 2
	c, err := newCanvas(wmm, h)
	if err != nil {
		return nil, 0, err
	}
	defer c.close()
	y := 2.0
	for _, r := range rows {
		w := 0.0
		for _, it := range r {
			w += it.w
		}
		x := (wmm - w) / 2
		for _, it := range r {
			c.rect(x, y+0.8, 5, 3.4, statusColor(it.i))
			c.text(x+6, y, 40, st.Series[it.i].Name, pt, black, "L")
			x += it.w
		}
		y += 6
	}
	y += 2
	max := 0.0
	for _, t := range totals {
		max = math.Max(max, t)
	}
	x0 := labelW + 1
	barW := wmm - x0 - 10
	for ci := range st.Categories {
		ph := math.Max(pitch, float64(len(labels[ci]))*lineH(pt)+1)
		ly := y + (ph-float64(len(labels[ci]))*lineH(pt))/2
		for _, l := range labels[ci] {
			c.text(0, ly, labelW-2, l, pt, black, "R")
			ly += lineH(pt)
		}
		x := x0
		by := y + (ph-barH)/2
		for si, s := range st.Series {
			if ci >= len(s.Values) || s.Values[ci] <= 0 || max == 0 {
				continue
			}
			w := barW * s.Values[ci] / max
			col := statusColor(si)
			c.rect(x, by, w, barH, col)
			n := fmt.Sprint(s.Values[ci])
			if c.width(n, 7.5)+1 < w {
				tc := color.RGBA{255, 255, 255, 255}
				if light(col) {
					tc = black
				}
				c.text(x, by+(barH-lineH(7.5))/2+0.3, w, n, 7.5, tc, "C")
			}
			x += w
		}
		c.text(x+1.5, by+(barH-lineH(pt))/2+0.3, 9, fmt.Sprint(totals[ci]), pt, black, "L")
		c.rect(x0-0.2, y, 0.3, ph, black)
		y += ph
	}
	data, err := c.png()
	return data, h, err
}

// deptChart draws report.Charts.CompletionByDept: one bar per department,
// none for a department that sent nothing (its label says so).
func deptChart(b report.Bars, wmm float64) ([]byte, float64, error) {
	const labelW, pitch, barH, pt = 44.0, 6.2, 4.2, 8.5
	probe, err := newCanvas(1, 1)
	if err != nil {
		return nil, 0, err
	}
	defer probe.close()
	// Labels wrap, never cut: a long name with （未报送） takes two lines.
	labels := make([][]string, len(b.Categories))
	heights := make([]float64, len(b.Categories))
	h := 6.0 + 2
	for i, cat := range b.Categories {
		labels[i] = probe.wrap(cat, labelW-2, pt)
		heights[i] = math.Max(pitch, float64(len(labels[i]))*lineH(pt)+1)
		h += heights[i]
	}
	c, err := newCanvas(wmm, h)
	if err != nil {
		return nil, 0, err
	}
	defer c.close()
	x0 := labelW + 1
	barW := wmm - x0 - 40
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.text(x0+barW*p-6, 0.5, 12, report.Pct(p), 7.5, grey, "C")
		if p > 0 {
			c.rect(x0+barW*p, 6, 0.2, h-8, rule)
		}
	}
	y := 6.0
	for i := range b.Categories {
		ph := heights[i]
		ly := y + (ph-float64(len(labels[i]))*lineH(pt))/2 + 0.3
		for _, l := range labels[i] {
			c.text(0, ly, labelW-2, l, pt, black, "R")
			ly += lineH(pt)
		}
		w := 0.0
		if i < len(b.Absent) && !b.Absent[i] && i < len(b.Values) {
			w = barW * math.Max(0, math.Min(b.Values[i], 1))
			c.rect(x0, y+(ph-barH)/2, w, barH, color.RGBA{70, 100, 140, 255})
		}
		if i < len(b.Labels) {
			c.text(x0+w+1.5, y+(ph-lineH(8))/2+0.3, 40, b.Labels[i], 8, black, "L")
		}
		y += ph
	}
	c.rect(x0-0.2, 6, 0.3, h-8, black)
	data, err := c.png()
	return data, h, err
}
