// Package pdf renders a report.Brief as the leaders' brief (简报.pdf): A4,
// an embedded, subset TrueType font, Chinese wrapped by hand, vector charts.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"planrep/plan"
	"planrep/report"
	"planrep/report/font"
)

// DefaultFont returns the TrueType font embedded for the brief (WenQuanYi Micro Hei).
func DefaultFont() []byte { return font.Default() }

// CheckFont says whether data is a font the brief can use: a single TrueType
// font with glyf outlines. Collections (.ttc) and CFF-flavoured .otf are refused.
func CheckFont(data []byte) error {
	if len(data) < 12 {
		return errors.New("字体文件为空或已损坏：请提供一个 TrueType 字体文件（.ttf）")
	}
	switch string(data[:4]) {
	case "ttcf":
		return errors.New("这是字体集合文件（.ttc），无法直接使用：请先从中提取单个字体另存为 .ttf（例如用 fontTools），或改用 .ttf 字体")
	case "OTTO":
		return errors.New("这是 CFF 轮廓的 OpenType 字体（.otf），无法嵌入 PDF：请改用 TrueType 轮廓的 .ttf 字体（如文泉驿微米黑）")
	case "\x00\x01\x00\x00", "true":
	default:
		return errors.New("不是 TrueType 字体文件：请提供 .ttf 字体（需包含中文、英文字母和数字）")
	}
	tables := map[string][]byte{}
	n := int(u16(data, 4))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(data) {
			break
		}
		off, length := int(u32(data, rec+8)), int(u32(data, rec+12))
		if off < 0 || length < 0 || off+length > len(data) || off+length < off {
			return errors.New("字体文件已损坏（表超出文件长度）：请改用完整的 TrueType 字体（.ttf）")
		}
		tables[string(data[rec:rec+4])] = data[off : off+length]
	}
	for _, tag := range []string{"cmap", "glyf", "loca", "head", "hhea", "hmtx"} {
		if len(tables[tag]) == 0 {
			return fmt.Errorf("字体文件缺少 %s 表，无法使用：请改用完整的 TrueType 字体（.ttf）", tag)
		}
	}
	if os2 := tables["OS/2"]; len(os2) >= 10 && u16(os2, 8)&0x000F == 0x0002 {
		return errors.New("该字体的授权不允许嵌入 PDF：请改用允许嵌入的字体（如文泉驿微米黑）")
	}
	glyph := cmapLookup(tables["cmap"])
	if glyph == nil {
		return errors.New("字体没有 Unicode 字符映射表（cmap 格式 4），无法使用：请改用常见的中文 TrueType 字体")
	}
	for _, set := range []struct{ chars, what string }{
		{"中国计划进度报告", "中文"}, {"ABCabc", "英文字母"}, {"0123456789", "数字"},
	} {
		for _, r := range set.chars {
			if glyph(r) == 0 {
				return fmt.Errorf("字体缺少%s字形（如“%c”），简报中的%s会显示为空白：请改用同时包含中文、英文字母和数字的字体（如文泉驿微米黑）", set.what, r, set.what)
			}
		}
	}
	return nil
}

func u16(b []byte, i int) uint16 {
	if i < 0 || i+2 > len(b) {
		return 0
	}
	return uint16(b[i])<<8 | uint16(b[i+1])
}

func u32(b []byte, i int) uint32 {
	if i < 0 || i+4 > len(b) {
		return 0
	}
	return uint32(u16(b, i))<<16 | uint32(u16(b, i+2))
}

// cmapLookup returns the glyph lookup of the font's Unicode BMP cmap
// (format 4, the one gofpdf reads), or nil when there is none.
func cmapLookup(cmap []byte) func(rune) int {
	n := int(u16(cmap, 2))
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		platform, encoding := u16(cmap, rec), u16(cmap, rec+2)
		if !(platform == 3 && encoding == 1 || platform == 0) {
			continue
		}
		sub := int(u32(cmap, rec+4))
		if sub <= 0 || sub >= len(cmap) || u16(cmap, sub) != 4 {
			continue
		}
		t := cmap[sub:]
		segs := int(u16(t, 6)) / 2
		ends, starts := 14, 14+2*segs+2
		deltas, ranges := starts+2*segs, starts+4*segs
		return func(r rune) int {
			c := int(r)
			for s := 0; s < segs; s++ {
				if int(u16(t, ends+2*s)) < c {
					continue
				}
				start := int(u16(t, starts+2*s))
				if start > c {
					return 0
				}
				delta := int(u16(t, deltas+2*s))
				ro := int(u16(t, ranges+2*s))
				if ro == 0 {
					return (c + delta) & 0xFFFF
				}
				g := int(u16(t, ranges+2*s+ro+2*(c-start)))
				if g == 0 {
					return 0
				}
				return (g + delta) & 0xFFFF
			}
			return 0
		}
	}
	return nil
}

// Page geometry, in millimetres (A4 portrait).
const (
	pageW      = 210.0
	pageH      = 297.0
	marginL    = 20.0
	marginR    = 18.0
	marginTop  = 22.0
	contentW   = pageW - marginL - marginR
	bottomEdge = pageH - 18.0 // content stops here; the footer lives below
)

// Type sizes (points) and line heights (mm).
const (
	sizeBody    = 11.5
	lineBody    = 6.6
	sizeTable   = 8.5
	lineTable   = 4.1
	sizeHeading = 14.0
	padX        = 1.3
	padY        = 1.3
)

var (
	pdfRed    = [3]int{192, 0, 0}
	pdfBlack  = [3]int{0, 0, 0}
	pdfGrey   = [3]int{90, 90, 90}
	pdfRule   = [3]int{120, 120, 120}
	pdfHeader = [3]int{232, 232, 232}
	pdfShade  = [3]int{244, 244, 244}
)

const pdfFamily = "brief"

// Write renders the brief as an A4 PDF with the given TrueType font
// (nil means DefaultFont). The same brief and font give the same bytes.
func Write(w io.Writer, b *report.Brief, fontData []byte) (err error) {
	if fontData == nil {
		fontData = DefaultFont()
	}
	if err := CheckFont(fontData); err != nil {
		return err
	}
	defer func() {
		// gofpdf panics on some malformed fonts and texts; report, never crash.
		if r := recover(); r != nil {
			err = errors.New("生成 PDF 简报失败：字体文件无法解析或内容异常。请检查字体文件，或不用 --font 而使用内置字体")
			_ = r
		}
	}()
	d := newDoc(b, fontData)
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("无法加载字体：%w。请改用包含中文的 TrueType 字体（.ttf）", err)
	}
	d.render()
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("生成 PDF 简报失败：%w", err)
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("生成 PDF 简报失败：%w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// doc is one brief being laid out. It breaks pages itself: gofpdf's
// automatic break knows nothing of table headers or wrapped cells.
type doc struct {
	pdf    *gofpdf.Fpdf
	b      *report.Brief
	y      float64
	size   float64 // current font size, points
	widths map[rune]int
	// onNewPage redraws a table's header after a page break inside it.
	onNewPage func()
}

func newDoc(b *report.Brief, fontData []byte) *doc {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	// Before the font: the alias changes how gofpdf prepares the subset.
	pdf.AliasNbPages("{nb}")
	pdf.AddUTF8FontFromBytes(pdfFamily, "", fontData)
	d := &doc{pdf: pdf, b: b, widths: map[rune]int{}}
	pdf.SetFont(pdfFamily, "", sizeBody)
	if pdf.Err() {
		return d
	}
	d.size = sizeBody
	when := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if t, err := time.Parse("2006-01-02", b.Meta.Date); err == nil {
		when = t
	}
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(clean(b.Meta.Title+" "+b.Meta.PeriodLabel), true)
	pdf.SetAuthor(clean(b.Meta.Office), true)
	pdf.SetSubject(clean(b.Meta.PlanTitle), true)
	pdf.SetCreator("planrep", false)
	pdf.SetProducer("planrep", false)
	pdf.SetMargins(marginL, marginTop, marginR)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.SetHeaderFuncMode(d.header, false)
	pdf.SetFooterFunc(d.footer)
	pdf.SetDisplayMode("fullwidth", "continuous")
	return d
}

// --- primitives ---

func (d *doc) font(size float64) {
	d.size = size
	d.pdf.SetFont(pdfFamily, "", size)
}

func (d *doc) color(c [3]int) { d.pdf.SetTextColor(c[0], c[1], c[2]) }
func (d *doc) fill(c [3]int)  { d.pdf.SetFillColor(c[0], c[1], c[2]) }
func (d *doc) draw(c [3]int)  { d.pdf.SetDrawColor(c[0], c[1], c[2]) }

// width measures s at the current size, caching glyph widths (font units).
func (d *doc) width(s string) float64 {
	total := 0
	for _, r := range s {
		w, ok := d.widths[r]
		if !ok {
			w = d.pdf.GetStringSymbolWidth(string(r))
			d.widths[r] = w
		}
		total += w
	}
	return float64(total) * d.size / 72 * 25.4 / 1000
}

func (d *doc) wrap(s string, w float64) []string {
	return wrapText(clean(s), w, d.width)
}

// text writes one line at (x, y) (top of the line box of height h).
func (d *doc) text(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, clean(s), "", 0, align+"M", false, 0, "")
}

func (d *doc) newPage() {
	d.pdf.AddPage()
	d.y = marginTop
	if d.onNewPage != nil {
		d.onNewPage()
	}
}

// ensure starts a new page unless h millimetres are left on this one.
func (d *doc) ensure(h float64) {
	if d.y+h > bottomEdge {
		d.newPage()
	}
}

func (d *doc) header() {
	if d.pdf.PageNo() <= 1 {
		return
	}
	size := d.size
	d.font(8.5)
	d.color(pdfGrey)
	pw := d.width(d.b.Meta.PeriodLabel) + 1
	d.text(marginL+contentW-pw, 9, pw, 5, d.b.Meta.PeriodLabel, "R")
	d.text(marginL, 9, contentW-pw-5, 5, d.fit(d.b.Meta.Title, contentW-pw-5), "L")
	d.draw(pdfRed)
	d.pdf.SetLineWidth(0.4)
	d.pdf.Line(marginL, 14.5, pageW-marginR, 14.5)
	d.pdf.SetLineWidth(0.2)
	d.font(size)
	d.color(pdfBlack)
}

func (d *doc) footer() {
	size := d.size
	d.font(8.5)
	d.color(pdfGrey)
	d.text(marginL, pageH-13, contentW, 5, fmt.Sprintf("第 %d 页 共 {nb} 页", d.pdf.PageNo()), "C")
	d.font(7)
	d.text(marginL, pageH-13, contentW, 5, "数据指纹 "+d.b.Meta.Fingerprint, "R")
	d.font(size)
	d.color(pdfBlack)
}

// fit shortens s with … until it is no wider than w at the current size.
// Only for labels whose full text is printed elsewhere (running header,
// chart axes); body text and table cells wrap instead.
func (d *doc) fit(s string, w float64) string {
	s = clean(s)
	if d.width(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && d.width(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// paragraph writes body text with a two-character first-line indent.
func (d *doc) paragraph(s string) {
	d.font(sizeBody)
	d.color(pdfBlack)
	lines := d.wrap("　　"+s, contentW)
	for _, l := range lines {
		d.ensure(lineBody)
		d.text(marginL, d.y, contentW, lineBody, l, "L")
		d.y += lineBody
	}
	d.y += 1.5
}

// heading writes a section heading (一、总体情况), keeping room after it.
func (d *doc) heading(s string, keep float64) {
	d.font(sizeHeading)
	lines := d.wrap(s, contentW)
	d.ensure(float64(len(lines))*8 + 3.5 + keep)
	d.y += 2
	d.color(pdfBlack)
	d.pdf.Bookmark(clean(s), 0, d.y)
	for _, l := range lines {
		d.text(marginL, d.y, contentW, 8, l, "L")
		d.y += 8
	}
	d.y += 1.5
	d.font(sizeBody)
}

// subheading writes a smaller heading: （一）… or a department's name.
func (d *doc) subheading(s string, keep float64) {
	d.font(12)
	lines := d.wrap(s, contentW)
	d.ensure(float64(len(lines))*6.5 + 2.5 + keep)
	d.y += 1
	d.color(pdfBlack)
	d.pdf.Bookmark(clean(s), 1, d.y)
	for _, l := range lines {
		d.text(marginL, d.y, contentW, 6.5, l, "L")
		d.y += 6.5
	}
	d.y += 1.5
	d.font(sizeBody)
}

func (d *doc) note(s string) {
	d.font(9)
	d.color(pdfGrey)
	for _, l := range d.wrap(s, contentW) {
		d.ensure(5)
		d.text(marginL, d.y, contentW, 5, l, "L")
		d.y += 5
	}
	d.color(pdfBlack)
	d.font(sizeBody)
	d.y += 1
}

// --- tables ---

type pdfColumn struct {
	title string
	w     float64 // share of the content width; scaled to fill it
	align string  // L, C, R
}

// table draws rows under a header that repeats on every page the table
// reaches. Cells wrap; a row taller than a page continues on the next one.
// shaded says which rows get a pdfGrey background (e.g. lagging targets).
func (d *doc) table(cols []pdfColumn, rows [][]string, shaded func(i int) bool) {
	ws := scaleColumns(cols)
	titles := titleCells(cols)
	drawHeader := func() {
		d.row(ws, cols, titles, pdfHeader, true)
	}
	d.ensure(d.startHeight(cols, rows))
	drawHeader()
	d.onNewPage = drawHeader
	for i, r := range rows {
		bg := [3]int{255, 255, 255}
		if shaded != nil && shaded(i) {
			bg = pdfShade
		}
		d.row(ws, cols, r, bg, false)
	}
	d.onNewPage = nil
	d.y += 3
	d.font(sizeBody)
}

// startHeight is the room a table needs on a page to begin: its header and
// its first row (or as much of it as a page holds).
func (d *doc) startHeight(cols []pdfColumn, rows [][]string) float64 {
	ws := scaleColumns(cols)
	h := d.rowHeight(ws, titleCells(cols))
	if len(rows) > 0 {
		h += math.Min(d.rowHeight(ws, rows[0]), 6*lineTable)
	}
	return h + 1
}

func scaleColumns(cols []pdfColumn) []float64 {
	total := 0.0
	for _, c := range cols {
		total += c.w
	}
	ws := make([]float64, len(cols))
	for i, c := range cols {
		ws[i] = c.w / total * contentW
	}
	return ws
}

func titleCells(cols []pdfColumn) []string {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	return titles
}

func (d *doc) cellLines(ws []float64, cells []string) ([][]string, int) {
	d.font(sizeTable)
	lines := make([][]string, len(ws))
	n := 1
	for i := range ws {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		lines[i] = d.wrap(s, ws[i]-2*padX)
		if len(lines[i]) > n {
			n = len(lines[i])
		}
	}
	return lines, n
}

func (d *doc) rowHeight(ws []float64, cells []string) float64 {
	_, n := d.cellLines(ws, cells)
	return float64(n)*lineTable + 2*padY
}

// row draws one table row, continuing it on new pages when it does not fit.
func (d *doc) row(ws []float64, cols []pdfColumn, cells []string, bg [3]int, isHeader bool) {
	lines, n := d.cellLines(ws, cells)
	full := float64(n)*lineTable + 2*padY
	room := bottomEdge - marginTop - 2*(lineTable+2*padY) - 4
	if !isHeader && d.y+full > bottomEdge && full <= room {
		d.newPage()
	}
	for start := 0; start < n; {
		fit := int(math.Floor((bottomEdge - d.y - 2*padY) / lineTable))
		if fit < 1 {
			d.newPage()
			continue
		}
		take := n - start
		if take > fit {
			take = fit
		}
		h := float64(take)*lineTable + 2*padY
		x := marginL
		d.draw(pdfRule)
		d.pdf.SetLineWidth(0.2)
		d.fill(bg)
		for i, w := range ws {
			d.pdf.Rect(x, d.y, w, h, "FD")
			align := cols[i].align
			if isHeader {
				align = "C"
			}
			d.color(pdfBlack)
			for k := start; k < start+take && k < len(lines[i]); k++ {
				d.text(x+padX, d.y+padY+float64(k-start)*lineTable, w-2*padX, lineTable, lines[i][k], align)
			}
			x += w
		}
		d.y += h
		start += take
		if start < n {
			d.newPage()
		}
	}
}

// --- the brief ---

func (d *doc) render() {
	d.pdf.AddPage()
	d.y = marginTop
	d.masthead()
	d.overview()
	d.mainGoals()
	d.behindSection()
	d.milestoneSection()
	d.missingSection()
	d.appendix()
}

// masthead is the pdfRed head of a government brief: title, period, issuing
// office and date above a pdfRed pdfRule, then the report's own title.
func (d *doc) masthead() {
	m := d.b.Meta
	d.color(pdfRed)
	size := 30.0
	d.font(size)
	for d.width(m.Title) > contentW && size > 18 {
		size -= 2
		d.font(size)
	}
	lines := d.wrap(m.Title, contentW)
	if len(lines) > 2 {
		lines = append(lines[:1], d.fit(strings.Join(lines[1:], ""), contentW))
	}
	lh := size * 25.4 / 72 * 1.35
	y := 40 - lh*float64(len(lines))/2
	for _, l := range lines {
		d.text(marginL, y, contentW, lh, l, "C")
		y += lh
	}
	d.font(13)
	d.text(marginL, y+1, contentW, 7, "（"+m.PeriodLabel+"）", "C")
	d.color(pdfBlack)
	d.font(12)
	oy := math.Max(56, y+11)
	dateW := d.width(m.DateText) + 2
	d.text(marginL+contentW-dateW, oy, dateW, 7, m.DateText, "R")
	d.text(marginL, oy, contentW-dateW-4, 7, d.fit(m.Office, contentW-dateW-4), "L")
	d.draw(pdfRed)
	d.pdf.SetLineWidth(0.8)
	d.pdf.Line(marginL, oy+8.5, pageW-marginR, oy+8.5)
	d.pdf.SetLineWidth(0.2)
	d.y = oy + 16

	d.font(16)
	title := fmt.Sprintf("%s%s执行情况", m.PlanTitle, strings.TrimPrefix(m.PeriodLabel, yearPrefix(m)))
	for _, l := range d.wrap(title, contentW-20) {
		d.text(marginL, d.y, contentW, 9, l, "C")
		d.y += 9
	}
	d.y += 2
	if m.Covers != "" {
		d.font(10)
		d.color(pdfGrey)
		text := "数据期间：" + m.Covers
		if m.Deadline != "" {
			text += "　报送截止：" + dateText(m.Deadline)
		}
		d.text(marginL, d.y, contentW, 6, text, "C")
		d.color(pdfBlack)
		d.y += 9
	}
	if m.PlanMismatch {
		d.note("注意：本期数据是按另一版本的计划登记表收集的，部分指标可能与现行登记表不一致。")
	}
}

// yearPrefix is "2025年" when the plan title already names the year.
func yearPrefix(m report.Meta) string {
	if len(m.Period) >= 4 && strings.Contains(m.PlanTitle, m.Period[:4]+"年") {
		return m.Period[:4] + "年"
	}
	return ""
}

func dateText(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (d *doc) overview() {
	h := d.b.Headline
	d.heading("一、总体情况", 40)
	d.paragraph(h.Summary)
	type box struct{ value, label string }
	onTime := "—"
	if h.OnTimeRate != nil {
		onTime = report.Percent(*h.OnTimeRate)
	}
	boxes := []box{
		{fmt.Sprint(h.Targets), "目标任务（项）"},
		{fmt.Sprint(h.Count(plan.Done)), "已完成（项）"},
		{fmt.Sprint(h.Count(plan.OnTrack)), "序时推进（项）"},
		{fmt.Sprint(h.Lagging), "滞后（项）"},
		{report.Percent(h.SubmitRate), "报送率"},
		{onTime, "按时报送率"},
	}
	gap := 2.5
	bw := (contentW - gap*float64(len(boxes)-1)) / float64(len(boxes))
	bh := 21.0
	d.ensure(bh + 4)
	d.y += 1
	for i, bx := range boxes {
		x := marginL + float64(i)*(bw+gap)
		d.draw(pdfRule)
		d.pdf.SetLineWidth(0.3)
		d.fill([3]int{255, 255, 255})
		d.pdf.Rect(x, d.y, bw, bh, "D")
		d.fill(pdfRed)
		d.pdf.Rect(x, d.y, bw, 1.2, "F")
		d.font(18)
		d.color(pdfBlack)
		if i == 3 && h.Lagging > 0 {
			d.color(pdfRed)
		}
		d.text(x, d.y+3, bw, 10, bx.value, "C")
		d.font(8.5)
		d.color(pdfGrey)
		d.text(x, d.y+13.5, bw, 5, bx.label, "C")
	}
	d.color(pdfBlack)
	d.y += bh + 5
	d.chartChapters()
	d.chartDepts()
}

func (d *doc) mainGoals() {
	d.heading("二、主要指标完成情况", 25)
	if len(d.b.MainGoals) == 0 {
		d.paragraph("本计划未设主要指标。")
		return
	}
	d.paragraph(fmt.Sprintf("计划确定的主要指标共 %d 项，完成情况如下表。", len(d.b.MainGoals)))
	rows := make([][]string, len(d.b.MainGoals))
	for i, t := range d.b.MainGoals {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Target, orDash(t.Actual), string(t.Status), t.Explanation, t.Dept}
	}
	d.table([]pdfColumn{
		{"序号", 9, "C"}, {"指标", 30, "L"}, {"目标", 15, "C"}, {"完成", 15.5, "C"},
		{"状态", 14.5, "C"}, {"说明", 41, "L"}, {"牵头单位", 20, "L"},
	}, rows, func(i int) bool { return d.b.MainGoals[i].Status.Lagging() })
}

func (d *doc) behindSection() {
	d.heading("三、滞后指标及原因", 25)
	if len(d.b.Behind) == 0 {
		d.paragraph("本期没有滞后的目标任务。")
		return
	}
	far := 0
	for _, t := range d.b.Behind {
		if t.Status == plan.FarBehind {
			far++
		}
	}
	d.paragraph(fmt.Sprintf("本期滞后的目标任务共 %d 项，其中严重滞后 %d 项，按滞后程度由重到轻排列如下，原因和措施为牵头单位填报内容。", len(d.b.Behind), far))
	rows := make([][]string, len(d.b.Behind))
	for i, t := range d.b.Behind {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, string(t.Status), t.Explanation,
			orText(t.Problems, "（未填报）"), orText(t.NextSteps, "（未填报）")}
	}
	d.table([]pdfColumn{
		{"序号", 9, "C"}, {"指标", 24, "L"}, {"牵头单位", 17, "L"}, {"状态", 14.5, "C"},
		{"进展", 30, "L"}, {"存在问题", 33, "L"}, {"下步措施", 30, "L"},
	}, rows, func(i int) bool { return d.b.Behind[i].Status == plan.FarBehind })
}

func (d *doc) milestoneSection() {
	d.heading("四、重点任务进展", 25)
	total := 0
	var parts []string
	for _, g := range d.b.Milestones {
		total += len(g.Items)
		if len(g.Items) > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 项", g.Status, len(g.Items)))
		}
	}
	if total == 0 {
		d.paragraph("本计划未列重点任务。")
		return
	}
	d.paragraph(fmt.Sprintf("纳入跟踪的重点任务共 %d 项，其中%s。", total, strings.Join(parts, "、")))
	n := 0
	for _, g := range d.b.Milestones {
		if len(g.Items) == 0 {
			continue
		}
		n++
		rows := make([][]string, len(g.Items))
		for i, t := range g.Items {
			progress := sentences(t.Explanation, t.Note)
			if t.Problems != "" && t.Status.Lagging() {
				progress = sentences(progress, "存在问题："+t.Problems)
			}
			rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, orDash(t.Due), progress}
		}
		cols := []pdfColumn{
			{"序号", 9, "C"}, {"任务", 42, "L"}, {"牵头单位", 20, "L"}, {"计划完成", 15, "C"}, {"进展情况", 58, "L"},
		}
		d.subheading(fmt.Sprintf("（%s）%s（%d 项）", chineseNumber(n), g.Status, len(g.Items)), d.startHeight(cols, rows))
		d.table(cols, rows, nil)
	}
}

func (d *doc) missingSection() {
	d.heading("五、未报送单位", 25)
	if len(d.b.Missing) == 0 {
		d.paragraph(fmt.Sprintf("应报送的 %d 个单位均已报送。", d.b.Headline.DeptsExpected))
		return
	}
	names := make([]string, len(d.b.Missing))
	targets := 0
	for i, m := range d.b.Missing {
		names[i] = m.Short
		targets += m.Targets
	}
	d.paragraph(fmt.Sprintf("截至报告生成时，尚有 %d 个单位未报送：%s，涉及目标任务 %d 项。请以下单位尽快报送。",
		len(d.b.Missing), strings.Join(names, "、"), targets))
	rows := make([][]string, len(d.b.Missing))
	for i, m := range d.b.Missing {
		rows[i] = []string{fmt.Sprint(i + 1), m.Name, fmt.Sprint(m.Targets), orDash(m.Contact), orDash(m.Phone)}
	}
	d.table([]pdfColumn{
		{"序号", 9, "C"}, {"单位", 60, "L"}, {"牵头任务（项）", 20, "C"}, {"联系人", 20, "C"}, {"联系电话", 30, "C"},
	}, rows, nil)
}

func (d *doc) appendix() {
	d.newPage()
	d.font(sizeHeading)
	d.pdf.Bookmark("附件：各单位目标任务进展明细", 0, d.y)
	d.text(marginL, d.y, contentW, 8, "附件", "L")
	d.y += 10
	d.font(15)
	d.text(marginL, d.y, contentW, 8, "各单位目标任务进展明细", "C")
	d.y += 12
	for i, dep := range d.b.Depts {
		state := "已报送"
		if !dep.Submitted {
			state = "未报送"
		} else if dep.Filled != "" {
			state = "已报送，填报日期 " + dateText(dep.Filled)
		}
		title := fmt.Sprintf("%d. %s（%s，牵头 %d 项，达到序时进度 %s）", i+1, dep.Short, state, dep.Targets, report.Percent(dep.Completion))
		if len(dep.Rows) == 0 {
			d.subheading(title, 6)
			d.note("该单位本期没有牵头的目标任务。")
			continue
		}
		rows := make([][]string, len(dep.Rows))
		for k, t := range dep.Rows {
			target := t.Target
			if t.Kind == string(plan.Milestone) && t.Due != "" {
				target = "计划" + t.Due + "完成"
			}
			rows[k] = []string{fmt.Sprint(k + 1), t.Indicator, target, orDash(t.Actual), string(t.Status), t.Explanation}
		}
		cols := []pdfColumn{
			{"序号", 9, "C"}, {"指标或任务", 38, "L"}, {"目标", 20, "C"}, {"完成", 16.5, "C"}, {"状态", 14.5, "C"}, {"说明", 48.5, "L"},
		}
		d.subheading(title, d.startHeight(cols, rows))
		d.table(cols, rows, func(k int) bool { return dep.Rows[k].Status.Lagging() })
	}
}

// sentences joins texts with 。, unless one already ends in punctuation.
func sentences(parts ...string) string {
	var out string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if out != "" && !strings.ContainsAny(lastRune(out), "。；！？.;!?") {
			out += "。"
		}
		out += p
	}
	return out
}

func lastRune(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[len(r)-1])
}

func orDash(s string) string { return orText(s, "—") }

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}
