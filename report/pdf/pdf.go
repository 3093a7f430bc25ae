// Package pdf renders a report.Brief as the leaders' brief (简报.pdf) in the
// form of a government 简报 after GB/T 9704: A4, a red masthead with the 期号,
// the issuing office and date, a title in 宋体, 一、 headings in 黑体, （一）
// headings in 楷体, body text at 3号 (16 pt), "— 1 —" page numbers, the
// attachments each on a new page and the 版记 (报送, 抄送, 印发) at the end.
// The faces are embedded TrueType fonts, subset; Chinese is wrapped by hand;
// charts are vectors.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"planrep/plan"
	"planrep/report"
	"planrep/report/font"
)

// DefaultFont returns the 黑体-style TrueType font embedded for the brief
// (WenQuanYi Micro Hei): the one to check a --font against.
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

// Page geometry after GB/T 9704, in millimetres (A4 portrait): a type area
// of 156 × 225 mm, 37 mm from the top and 28 mm from the left edge.
const (
	pageW      = 210.0
	pageH      = 297.0
	marginL    = 28.0
	marginR    = 26.0
	marginTop  = 37.0
	contentW   = pageW - marginL - marginR
	bottomEdge = marginTop + 225.0 // the type area ends here; the page number lives below
)

// Type sizes (points) and line heights (mm). 3号 is 16 pt, 4号 14 pt,
// 五号 10.5 pt; the body sets 22 lines to the type area, as GB/T 9704 asks.
const (
	sizeBody    = 16.0
	lineBody    = 225.0 / 22
	sizeTitle   = 22.0
	lineTitle   = 12.5
	sizeTable   = 10.5
	lineTable   = 5.0
	sizeFolio   = 14.0
	sizeNote    = 10.5
	padX        = 1.3
	padY        = 1.2
	mastheadPt  = 40.0
	sizeRecords = 14.0
)

var (
	pdfRed    = [3]int{210, 0, 0}
	pdfBlack  = [3]int{0, 0, 0}
	pdfGrey   = [3]int{90, 90, 90}
	pdfRule   = [3]int{120, 120, 120}
	pdfHeader = [3]int{232, 232, 232}
	pdfShade  = [3]int{244, 244, 244}
	pdfWhite  = [3]int{255, 255, 255}
)

// face is one of the brief's type faces.
type face int

const (
	song face = iota // 宋体: title, body, tables
	hei              // 黑体: 一、 headings, figures, table headers
	kai              // 楷体: （一） headings
)

var familyOf = []string{"song", "hei", "kai"}

// Write renders the brief as an A4 PDF. fontData nil uses the embedded
// faces (宋, 黑, 楷); a font given replaces all three. The same brief and
// font give the same bytes.
func Write(w io.Writer, b *report.Brief, fontData []byte) (err error) {
	faces := [][]byte{font.Song(), font.Hei(), font.Kai()}
	if fontData != nil {
		faces = [][]byte{fontData, fontData, fontData}
	}
	for _, f := range faces {
		if err := CheckFont(f); err != nil {
			return err
		}
	}
	defer func() {
		// gofpdf panics on some malformed fonts and texts; report, never crash.
		if r := recover(); r != nil {
			err = errors.New("生成 PDF 简报失败：字体文件无法解析或内容异常。请检查字体文件，或不用 --font 而使用内置字体")
		}
	}()
	d := newDoc(b, faces)
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
	face   face
	size   float64 // current font size, points
	widths [3]map[rune]int
	has    [3]func(rune) bool // which characters each face can draw
	// onNewPage redraws a table's header after a page break inside it.
	onNewPage func()
	// numbered is false on pages that carry no page number (none so far).
	bodyEnd int // the last page of the body, before the attachments
}

func newDoc(b *report.Brief, faces [][]byte) *doc {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	d := &doc{pdf: pdf, b: b}
	for i, data := range faces {
		pdf.AddUTF8FontFromBytes(familyOf[i], "", data)
		d.widths[i] = map[rune]int{}
		d.has[i] = coverage(data)
	}
	d.setFont(song, sizeBody)
	if pdf.Err() {
		return d
	}
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
	pdf.SetFooterFunc(d.footer)
	pdf.SetDisplayMode("fullwidth", "continuous")
	return d
}

// coverage says which characters a font has a glyph for.
func coverage(data []byte) func(rune) bool {
	glyph := cmapLookup(fontTables(data)["cmap"])
	if glyph == nil {
		return func(rune) bool { return true }
	}
	cache := map[rune]bool{}
	return func(r rune) bool {
		ok, seen := cache[r]
		if !seen {
			ok = glyph(r) != 0
			cache[r] = ok
		}
		return ok
	}
}

// --- primitives ---

func (d *doc) setFont(f face, size float64) {
	d.face, d.size = f, size
	d.pdf.SetFont(familyOf[f], "", size)
}

func (d *doc) font(size float64) { d.setFont(d.face, size) }

func (d *doc) color(c [3]int) { d.pdf.SetTextColor(c[0], c[1], c[2]) }
func (d *doc) fill(c [3]int)  { d.pdf.SetFillColor(c[0], c[1], c[2]) }
func (d *doc) draw(c [3]int)  { d.pdf.SetDrawColor(c[0], c[1], c[2]) }

// faceFor is the face that draws r: the current one, or 黑体 for a
// character the GB2312-era 宋体 and 楷体 lack.
func (d *doc) faceFor(r rune) face {
	if r == nbsp || r == ' ' || d.has[d.face](r) {
		return d.face
	}
	if d.has[hei](r) {
		return hei
	}
	return d.face
}

// runeWidth is r's advance in font units (1/1000 em) in face f.
func (d *doc) runeWidth(f face, r rune) int {
	if r == nbsp {
		r = ' '
	}
	w, ok := d.widths[f][r]
	if !ok {
		cur := d.face
		if cur != f {
			d.pdf.SetFont(familyOf[f], "", d.size)
		}
		w = d.pdf.GetStringSymbolWidth(string(r))
		if cur != f {
			d.pdf.SetFont(familyOf[cur], "", d.size)
		}
		d.widths[f][r] = w
	}
	return w
}

// width measures s at the current face and size.
func (d *doc) width(s string) float64 {
	total := 0
	for _, r := range s {
		total += d.runeWidth(d.faceFor(r), r)
	}
	return float64(total) * d.size / 72 * 25.4 / 1000
}

func (d *doc) wrap(s string, w float64) []string {
	return wrapText(clean(s), w, d.width)
}

// text writes one line at (x, y) (top of the line box of height h), each
// character in the current face or, where that lacks it, in 黑体.
func (d *doc) text(x, y, w, h float64, s, align string) {
	s = strings.ReplaceAll(clean(s), string(nbsp), " ")
	tw := d.width(s)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	base := d.face
	var run []rune
	cur := base
	flush := func() {
		if len(run) == 0 {
			return
		}
		d.pdf.SetFont(familyOf[cur], "", d.size)
		str := string(run)
		rw := 0
		for _, r := range run {
			rw += d.runeWidth(cur, r)
		}
		cw := float64(rw) * d.size / 72 * 25.4 / 1000
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(cw+0.01, h, str, "", 0, "LM", false, 0, "")
		x += cw
		run = run[:0]
	}
	for _, r := range s {
		f := d.faceFor(r)
		if f != cur {
			flush()
			cur = f
		}
		run = append(run, r)
	}
	flush()
	d.pdf.SetFont(familyOf[base], "", d.size)
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

// footer prints the page number as GB/T 9704 sets it: 4号, "— 1 —", one
// character in from the outer edge (right on odd pages, left on even).
func (d *doc) footer() {
	f, size := d.face, d.size
	d.setFont(song, sizeFolio)
	d.color(pdfBlack)
	n := d.pdf.PageNo()
	folio := fmt.Sprintf("— %d —", n)
	inset := sizeFolio / 72 * 25.4
	y := bottomEdge + 7
	if n%2 == 1 {
		d.text(marginL, y, contentW-inset, 6, folio, "R")
	} else {
		d.text(marginL+inset, y, contentW, 6, folio, "L")
	}
	d.setFont(f, size)
}

// paragraph writes body text with a two-character first-line indent, every
// line but the last set flush to both margins (两端对齐), as 公文 are.
func (d *doc) paragraph(s string) {
	d.setFont(song, sizeBody)
	d.color(pdfBlack)
	lines := d.wrap("　　"+s, contentW)
	for i, l := range lines {
		d.ensure(lineBody)
		if i < len(lines)-1 {
			d.justify(marginL, d.y, contentW, lineBody, l)
		} else {
			d.text(marginL, d.y, contentW, lineBody, l, "L")
		}
		d.y += lineBody
	}
}

// justify draws a line stretched to width w: the slack goes into the gaps
// beside Chinese characters and punctuation, never inside a number or a
// Latin word. A line with too much slack to spread (a forced break) is set
// flush left instead.
func (d *doc) justify(x, y, w, h float64, s string) {
	s = strings.ReplaceAll(clean(s), string(nbsp), " ")
	rs := []rune(s)
	slack := w - d.width(s)
	gaps := 0
	for i := 1; i < len(rs); i++ {
		if !(isWordRune(rs[i-1]) && isWordRune(rs[i])) {
			gaps++
		}
	}
	if gaps == 0 || slack <= 0 || slack > 3*d.width("中") {
		d.text(x, y, w, h, s, "L")
		return
	}
	gap := slack / float64(gaps)
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i]) {
			continue
		}
		piece := string(rs[start:i])
		d.text(x, y, d.width(piece)+1, h, piece, "L")
		x += d.width(piece) + gap
		start = i
	}
}

// heading writes a 一、 heading in 黑体, keeping room after it.
func (d *doc) heading(s string, keep float64) {
	d.setFont(hei, sizeBody)
	lines := d.wrap("　　"+s, contentW)
	d.ensure(float64(len(lines))*lineBody + keep)
	d.color(pdfBlack)
	d.pdf.Bookmark(clean(s), 0, d.y)
	for _, l := range lines {
		d.text(marginL, d.y, contentW, lineBody, l, "L")
		d.y += lineBody
	}
	d.setFont(song, sizeBody)
}

// subheading writes a （一） heading in 楷体.
func (d *doc) subheading(s string, keep float64) {
	d.setFont(kai, sizeBody)
	lines := d.wrap("　　"+s, contentW)
	d.ensure(float64(len(lines))*lineBody + keep)
	d.color(pdfBlack)
	d.pdf.Bookmark(clean(s), 1, d.y)
	for _, l := range lines {
		d.text(marginL, d.y, contentW, lineBody, l, "L")
		d.y += lineBody
	}
	d.setFont(song, sizeBody)
}

// small writes a line of small print (a caption, the fingerprint), wrapped.
func (d *doc) small(s, align string, c [3]int) {
	d.setFont(song, sizeNote)
	d.color(c)
	for _, l := range d.wrap(s, contentW) {
		d.ensure(lineTable)
		d.text(marginL, d.y, contentW, lineTable+0.5, l, align)
		d.y += lineTable + 0.5
	}
	d.color(pdfBlack)
	d.setFont(song, sizeBody)
}

// --- tables ---

type pdfColumn struct {
	title string
	w     float64 // share of the content width; scaled to fill it
	align string  // L, C, R
}

// table draws rows under a header that repeats on every page the table
// reaches. Cells wrap; a row taller than a page continues on the next one.
// shaded says which rows get a grey background (e.g. lagging targets).
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
		bg := pdfWhite
		if shaded != nil && shaded(i) {
			bg = pdfShade
		}
		d.row(ws, cols, r, bg, false)
	}
	d.onNewPage = nil
	d.y += 3
	d.setFont(song, sizeBody)
}

// startHeight is the room a table needs on a page to begin: its header and
// its first row (or as much of it as a page holds).
func (d *doc) startHeight(cols []pdfColumn, rows [][]string) float64 {
	ws := scaleColumns(cols)
	h := d.rowHeight(ws, titleCells(cols), true)
	if len(rows) > 0 {
		h += math.Min(d.rowHeight(ws, rows[0], false), 6*lineTable)
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

func (d *doc) cellLines(ws []float64, cells []string, isHeader bool) ([][]string, int) {
	if isHeader {
		d.setFont(hei, sizeTable)
	} else {
		d.setFont(song, sizeTable)
	}
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

func (d *doc) rowHeight(ws []float64, cells []string, isHeader bool) float64 {
	_, n := d.cellLines(ws, cells, isHeader)
	return float64(n)*lineTable + 2*padY
}

// row draws one table row, continuing it on new pages when it does not fit.
func (d *doc) row(ws []float64, cols []pdfColumn, cells []string, bg [3]int, isHeader bool) {
	lines, n := d.cellLines(ws, cells, isHeader)
	full := float64(n)*lineTable + 2*padY
	room := bottomEdge - marginTop - 2*(lineTable+2*padY) - 4
	if !isHeader && d.y+full > bottomEdge && full <= room {
		d.newPage()
		lines, n = d.cellLines(ws, cells, isHeader)
	}
	for start := 0; start < n; {
		fit := int(math.Floor((bottomEdge - d.y - 2*padY) / lineTable))
		if fit < 1 {
			d.newPage()
			d.cellLines(ws, cells, isHeader)
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
			d.cellLines(ws, cells, isHeader)
		}
	}
}

// --- the brief ---

// blocks draw the figures and tables a section or attachment names
// (report.Block…). A new part of the brief adds its block here, in its own file.
var blocks = map[string]func(*doc){
	report.BlockBoxes:      (*doc).boxes,
	report.BlockChapters:   (*doc).chartChapters,
	report.BlockDeptChart:  (*doc).chartDepts,
	report.BlockMainGoals:  (*doc).mainGoals,
	report.BlockDoubtful:   (*doc).doubtful,
	report.BlockBehind:     (*doc).behind,
	report.BlockMilestones: (*doc).milestones,
	report.BlockDepts:      (*doc).depts,
}

func (d *doc) block(name string) {
	if f, ok := blocks[name]; ok {
		f(d)
	}
}

func (d *doc) render() {
	d.pdf.AddPage()
	d.y = marginTop
	d.masthead()
	for _, s := range d.b.Body {
		d.heading(s.Heading, 2*lineBody)
		for _, p := range s.Paragraphs {
			d.paragraph(p)
		}
		for _, bl := range s.Blocks {
			d.block(bl)
		}
	}
	d.attachmentNote()
	d.bodyEnd = d.pdf.PageNo()
	for i, a := range d.b.Attachments {
		d.newPage()
		d.setFont(hei, sizeBody)
		label := fmt.Sprintf("附件%d", i+1)
		d.pdf.Bookmark(label+"："+a.Title, 0, d.y)
		d.text(marginL, d.y, contentW, lineBody, label, "L")
		d.y += lineBody * 1.5
		d.setFont(song, sizeTitle)
		for _, l := range d.wrap(a.Title, contentW) {
			d.text(marginL, d.y, contentW, lineTitle, l, "C")
			d.y += lineTitle
		}
		d.y += lineBody / 2
		d.block(a.Block)
	}
	d.records()
}

// masthead is the 版头 of a 简报: its name in large red type, the 期号,
// then the issuing office and date above a red rule; then the title.
func (d *doc) masthead() {
	m := d.b.Meta
	d.color(pdfRed)
	size := mastheadPt
	d.setFont(song, size)
	for d.width(m.Title) > contentW && size > 22 {
		size -= 2
		d.font(size)
	}
	lh := size * 25.4 / 72 * 1.2
	for _, l := range d.wrap(m.Title, contentW) {
		d.text(marginL, d.y, contentW, lh, l, "C")
		d.y += lh
	}
	d.y += 3
	d.setFont(song, sizeBody)
	d.color(pdfBlack)
	if m.IssueText != "" {
		d.text(marginL, d.y, contentW, lineBody, m.IssueText, "C")
		d.y += lineBody
	}
	d.y += 2
	dw := d.width(m.DateText) + 1
	d.text(marginL+contentW-dw, d.y, dw, lineBody, m.DateText, "R")
	for _, l := range d.wrap(m.Office, contentW-dw-4) {
		d.text(marginL, d.y, contentW-dw-4, lineBody, l, "L")
		d.y += lineBody
	}
	d.y += 1
	d.draw(pdfRed)
	d.pdf.SetLineWidth(0.7)
	d.pdf.Line(marginL, d.y, marginL+contentW, d.y)
	d.pdf.SetLineWidth(0.2)
	d.y += lineBody

	d.setFont(song, sizeTitle)
	title := fmt.Sprintf("%s%s执行情况", m.PlanTitle, strings.TrimPrefix(m.PeriodLabel, yearPrefix(m)))
	for _, l := range d.wrap(title, contentW-16) {
		d.text(marginL, d.y, contentW, lineTitle, l, "C")
		d.y += lineTitle
	}
	d.y += lineBody / 2
	if m.PlanMismatch {
		d.small("注意：本期数据是按另一版本的计划登记表收集的，部分指标可能与现行登记表不一致。", "C", pdfRed)
		d.y += 2
	}
	d.setFont(song, sizeBody)
}

// yearPrefix is "2025年" when the plan title already names the year.
func yearPrefix(m report.Meta) string {
	if len(m.Period) >= 4 && strings.Contains(m.PlanTitle, m.Period[:4]+"年") {
		return m.Period[:4] + "年"
	}
	return ""
}

// attachmentNote lists the attachments after the body, as 附件说明.
func (d *doc) attachmentNote() {
	if len(d.b.Attachments) == 0 {
		return
	}
	d.setFont(song, sizeBody)
	d.ensure(lineBody * float64(len(d.b.Attachments)+1))
	d.y += lineBody
	lead := "　　附件："
	lw := d.width(lead)
	for i, a := range d.b.Attachments {
		prefix := lead
		if i > 0 {
			prefix = ""
		}
		item := fmt.Sprintf("%d.%s", i+1, a.Title)
		if len(d.b.Attachments) == 1 {
			item = a.Title
		}
		d.ensure(lineBody)
		if prefix != "" {
			d.text(marginL, d.y, lw, lineBody, prefix, "L")
		}
		d.text(marginL+lw, d.y, contentW-lw, lineBody, item, "L")
		d.y += lineBody
	}
}

// records is the 版记 at the foot of the last page: the data's fingerprint,
// then 报送, 抄送 and the office and date of printing between rules.
func (d *doc) records() {
	m := d.b.Meta
	d.setFont(song, sizeRecords)
	lh := 8.0
	type line struct{ left, right string }
	var ls []line
	if len(m.SendTo) > 0 {
		ls = append(ls, line{"报送：" + strings.Join(m.SendTo, "，") + "。", ""})
	}
	if len(m.CopyTo) > 0 {
		ls = append(ls, line{"抄送：" + strings.Join(m.CopyTo, "，") + "。", ""})
	}
	ls = append(ls, line{m.Office, m.Printed})
	var wrapped [][]string
	h := 0.0
	for _, l := range ls {
		w := d.wrap(l.left, contentW-2*4.9-d.width(l.right)-4)
		wrapped = append(wrapped, w)
		h += float64(len(w)) * lh
	}
	d.setFont(song, sizeNote)
	fp := d.wrap(d.b.Closing, contentW)
	need := h + float64(len(fp))*(lineTable+0.5) + 6
	if d.y+need > bottomEdge {
		d.newPage()
	}
	// The fingerprint once, just above the 版记.
	d.y = bottomEdge - h - float64(len(fp))*(lineTable+0.5) - 4
	d.small(d.b.Closing, "L", pdfGrey)
	d.y = bottomEdge - h
	d.setFont(song, sizeRecords)
	d.draw(pdfBlack)
	d.pdf.SetLineWidth(0.35)
	d.pdf.Line(marginL, d.y, marginL+contentW, d.y)
	inset := sizeRecords / 72 * 25.4
	for i, l := range ls {
		for k, t := range wrapped[i] {
			d.text(marginL+inset, d.y+float64(k)*lh, contentW-2*inset, lh, t, "L")
		}
		if l.right != "" {
			d.text(marginL, d.y, contentW-inset, lh, l.right, "R")
		}
		d.y += float64(len(wrapped[i])) * lh
		d.pdf.SetLineWidth(0.25)
		if i == len(ls)-1 {
			d.pdf.SetLineWidth(0.35)
		}
		d.pdf.Line(marginL, d.y, marginL+contentW, d.y)
	}
	d.pdf.SetLineWidth(0.2)
}

// boxes draws the headline figures: each says what the summary says.
func (d *doc) boxes() {
	bs := d.b.Headline.Boxes
	if len(bs) == 0 {
		return
	}
	perRow := 6
	if len(bs) <= 5 {
		perRow = len(bs)
	}
	gap := 2.0
	bw := (contentW - gap*float64(perRow-1)) / float64(perRow)
	bh := 19.0
	rows := (len(bs) + perRow - 1) / perRow
	d.ensure(float64(rows)*(bh+gap) + 3)
	d.y += 2
	for i, bx := range bs {
		if i > 0 && i%perRow == 0 {
			d.y += bh + gap
		}
		x := marginL + float64(i%perRow)*(bw+gap)
		d.draw(pdfRule)
		d.pdf.SetLineWidth(0.3)
		d.fill(pdfWhite)
		d.pdf.Rect(x, d.y, bw, bh, "D")
		d.fill(pdfRed)
		d.pdf.Rect(x, d.y, bw, 1.0, "F")
		d.setFont(hei, 17)
		d.color(pdfBlack)
		if bx.Alert {
			d.color(pdfRed)
		}
		d.text(x, d.y+2.5, bw, 9, bx.Value, "C")
		d.setFont(song, 9)
		d.color(pdfGrey)
		label := bx.Label
		if bx.Unit != "" {
			label += "（" + bx.Unit + "）"
		}
		d.text(x, d.y+12, bw, 5, label, "C")
	}
	d.color(pdfBlack)
	d.y += bh + 5
	d.setFont(song, sizeBody)
}

func (d *doc) mainGoals() {
	cols := []pdfColumn{
		{"序号", 8, "C"}, {"目标（计划原文）", 38, "L"}, {"完成情况", 47, "L"},
		{"状态", 16, "C"}, {"牵头单位", 20, "L"},
	}
	if d.b.Year != nil {
		// 环比, from the store's earlier periods, before 状态: as wide as its
		// widest cell, so that no change is parted from its unit
		// (+0.4个百分点), the text columns giving up the room.
		cols = []pdfColumn{
			{"序号", 8, "C"}, {"目标（计划原文）", 34, "L"}, {"完成情况", 40, "L"},
			{"状态", 18, "C"}, {"牵头单位", 20, "L"},
		}
		d.setFont(hei, sizeTable)
		need := d.width("环比")
		d.setFont(song, sizeTable)
		for _, t := range d.b.MainGoals {
			need = max(need, d.width(d.b.Year.ChangeOf(t.ID)))
		}
		w := min(max(need+2*padX+2, 14), contentW/4)
		others := 0.0
		for _, c := range cols {
			others += c.w
		}
		// In the others' units: scaleColumns spreads them all over contentW.
		cols = slices.Insert(cols, 3, pdfColumn{"环比", w * others / (contentW - w), "C"})
	}
	rows := make([][]string, len(d.b.MainGoals))
	for i, t := range d.b.MainGoals {
		rows[i] = []string{fmt.Sprint(i + 1), t.Statement, t.Account}
		if d.b.Year != nil {
			rows[i] = append(rows[i], d.b.Year.ChangeOf(t.ID))
		}
		rows[i] = append(rows[i], string(t.Status), t.Dept)
	}
	d.y += 1
	d.table(cols, rows, func(i int) bool { return d.b.MainGoals[i].Status.Lagging() })
}

func (d *doc) doubtful() {
	rows := make([][]string, len(d.b.Doubtful))
	for i, t := range d.b.Doubtful {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, t.Account, orText(t.Note, "（未说明）")}
	}
	d.y += 1
	d.table([]pdfColumn{
		{"序号", 8, "C"}, {"指标", 28, "L"}, {"牵头单位", 20, "L"}, {"所报情况", 46, "L"}, {"单位说明", 30, "L"},
	}, rows, nil)
}

func (d *doc) behind() {
	rows := make([][]string, len(d.b.Behind))
	for i, t := range d.b.Behind {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, string(t.Status), t.Account,
			orText(t.Problems, "（未填报）"), orText(t.NextSteps, "（未填报）")}
	}
	d.table([]pdfColumn{
		{"序号", 7, "C"}, {"指标或任务", 20, "L"}, {"牵头单位", 15, "L"}, {"状态", 10, "C"},
		{"进展", 26, "L"}, {"存在问题", 26, "L"}, {"下步措施", 26, "L"},
	}, rows, func(i int) bool { return d.b.Behind[i].Status == plan.FarBehind })
}

func (d *doc) milestones() {
	n := 0
	for _, g := range d.b.Milestones {
		if len(g.Items) == 0 {
			continue
		}
		n++
		rows := make([][]string, len(g.Items))
		for i, t := range g.Items {
			progress := sentences(t.Account, t.Note)
			if t.Problems != "" && t.Status.Lagging() {
				progress = sentences(progress, "存在问题："+t.Problems)
			}
			rows[i] = []string{fmt.Sprint(i + 1), t.Statement, t.Dept, orDash(t.Due), progress}
		}
		cols := []pdfColumn{
			{"序号", 8, "C"}, {"任务（计划原文）", 42, "L"}, {"牵头单位", 20, "L"}, {"计划完成", 15, "C"}, {"进展情况", 55, "L"},
		}
		d.subheading(fmt.Sprintf("（%s）%s（%d 项）", report.Numeral(n), g.Status, len(g.Items)), d.startHeight(cols, rows))
		d.table(cols, rows, nil)
	}
}

func (d *doc) depts() {
	d.chartDepts()
	for i, dep := range d.b.Depts {
		title := fmt.Sprintf("（%s）%s：%s", report.Numeral(i+1), dep.Short, dep.Standing)
		if len(dep.Rows) == 0 {
			d.subheading(title, lineBody)
			d.small("该单位本期没有牵头的目标任务。", "L", pdfGrey)
			continue
		}
		rows := make([][]string, len(dep.Rows))
		for k, t := range dep.Rows {
			target := t.Statement
			if t.Kind == string(plan.Milestone) && t.Due != "" {
				target += "（计划" + t.Due + "完成）"
			}
			rows[k] = []string{fmt.Sprint(k + 1), target, t.Account, string(t.Status)}
		}
		cols := []pdfColumn{
			{"序号", 8, "C"}, {"目标任务（计划原文）", 48, "L"}, {"完成情况", 48, "L"}, {"状态", 14, "C"},
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

// fontTables maps a TrueType font's table tags to their bytes, skipping
// entries that point outside the data.
func fontTables(data []byte) map[string][]byte {
	tables := map[string][]byte{}
	if len(data) < 12 {
		return tables
	}
	n := int(u16(data, 4))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(data) {
			break
		}
		off, length := int(u32(data, rec+8)), int(u32(data, rec+12))
		if off < 0 || length < 0 || off+length > len(data) || off+length < off {
			continue
		}
		tables[string(data[rec:rec+4])] = data[off : off+length]
	}
	return tables
}
