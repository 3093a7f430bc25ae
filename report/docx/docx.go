// Package docx renders a report.Brief as an editable Word 通报 (.docx) in the
// same 公文 layout as the PDF brief: built-in Word styles (标题, 正文, 标题 1,
// 标题 2) set in the office's faces (方正小标宋简体, 仿宋_GB2312, 黑体,
// 楷体_GB2312), real Word tables with repeating header rows, "— 1 —" page
// numbers in the footers, charts as pictures, and the 版记 at the end.
//
// The package is written with the standard library (encoding/xml for
// escaping, archive/zip): a small, fixed set of parts, each tested, rather
// than a third-party library, since the Go libraries that write .docx are
// either unmaintained, AGPL-licensed or commercial.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"planrep/plan"
	"planrep/report"
)

// Page geometry in twentieths of a point (twips), as GB/T 9704 sets it:
// A4, a type area of 156 × 225 mm, 37 mm from the top, 28 mm from the left.
const (
	pageW     = 11906
	pageH     = 16838
	marginL   = 1587 // 28 mm
	marginR   = 1474 // 26 mm
	marginT   = 2098 // 37 mm
	marginB   = 1984 // 35 mm
	contentW  = pageW - marginL - marginR
	footerAt  = 1304 // 23 mm from the bottom edge: the number sits 7 mm under the type area
	emuPerMM  = 36000
	contentMM = 156.0
)

// Write writes the Word 通报 of brief b.
func Write(w io.Writer, b *report.Brief) error {
	data, err := Build(b)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Build returns the .docx file of brief b.
func Build(b *report.Brief) ([]byte, error) {
	d := &doc{b: b}
	body, err := d.document()
	if err != nil {
		return nil, err
	}
	parts := []part{
		{"[Content_Types].xml", d.contentTypes()},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", appXML},
		{"word/document.xml", body},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/fontTable.xml", fontTableXML},
		{"word/footer1.xml", footerXML("right")},
		{"word/footer2.xml", footerXML("left")},
		{"word/_rels/document.xml.rels", d.documentRels()},
	}
	for _, m := range d.media {
		parts = append(parts, part{"word/media/" + m.name, string(m.data)})
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	when := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if t, err := time.Parse("2006-01-02", b.Meta.Date); err == nil {
		when = t
	}
	for _, p := range parts {
		method := zip.Deflate
		if strings.HasSuffix(p.name, ".png") {
			method = zip.Store
		}
		fw, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: method, Modified: when})
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(fw, p.data); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type part struct{ name, data string }

type media struct {
	name, rel string
	data      []byte
}

// doc is one document being written.
type doc struct {
	b     *report.Brief
	x     strings.Builder
	media []media
	pics  int
}

// esc makes s safe as XML character data: characters XML 1.0 forbids are
// dropped, the rest escaped.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r < 0xE000:
			return -1
		}
		return r
	}, s)
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s))
	return buf.String()
}

// joinUnits keeps a number with the unit written right after it (5.5万人):
// a word joiner (U+2060) between a digit and a Chinese character forbids
// Word and LibreOffice to break the line there.
func joinUnits(s string) string {
	var out strings.Builder
	prev := rune(0)
	for _, r := range s {
		if (unicode.IsDigit(prev) || prev == '%' || prev == '\u00a0') && unicode.Is(unicode.Han, r) && prev != 0 {
			if prev != '\u00a0' {
				out.WriteRune('\u2060')
			}
		}
		out.WriteRune(r)
		prev = r
	}
	return out.String()
}

// run is one run of text, with optional run properties.
func run(s, rpr string) string {
	if rpr != "" {
		rpr = "<w:rPr>" + rpr + "</w:rPr>"
	}
	return `<w:r>` + rpr + `<w:t xml:space="preserve">` + esc(joinUnits(s)) + `</w:t></w:r>`
}

// para writes a paragraph of style style (a styleId); ppr adds paragraph properties.
func (d *doc) para(style, ppr, text, rpr string) {
	d.x.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + ppr + `</w:pPr>`)
	if text != "" {
		d.x.WriteString(run(text, rpr))
	}
	d.x.WriteString(`</w:p>`)
}

func (d *doc) document() (string, error) {
	b := d.b
	m := b.Meta
	d.x.WriteString(xml.Header + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
		`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
		`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)

	// 版头: the brief's name in red, the 期号, the office and date over a red rule.
	d.para("Masthead", "", m.Title, "")
	if m.IssueText != "" {
		d.para("IssueNo", "", m.IssueText, "")
	}
	d.x.WriteString(`<w:p><w:pPr><w:pStyle w:val="IssuedBy"/></w:pPr>` + run(m.Office, "") +
		`<w:r><w:tab/></w:r>` + run(m.DateText, "") + `</w:p>`)
	d.para("Title", "", fmt.Sprintf("%s%s执行情况", m.PlanTitle, strings.TrimPrefix(m.PeriodLabel, yearPrefix(m))), "")
	if m.PlanMismatch {
		d.para("Note", "", "注意：本期数据是按另一版本的计划登记表收集的，部分指标可能与现行登记表不一致。", "")
	}

	for _, s := range b.Body {
		d.para("Heading1", "", s.Heading, "")
		for _, p := range s.Paragraphs {
			d.para("Normal", "", p, "")
		}
		for _, bl := range s.Blocks {
			if err := d.block(bl); err != nil {
				return "", err
			}
		}
	}
	if len(b.Attachments) > 0 {
		d.para("Normal", "", "", "")
		for i, a := range b.Attachments {
			lead := "附件："
			if i > 0 {
				lead = "　　　"
			}
			item := fmt.Sprintf("%d.%s", i+1, a.Title)
			if len(b.Attachments) == 1 {
				item = a.Title
			}
			d.para("AttachmentList", "", lead+item, "")
		}
	}
	for i, a := range b.Attachments {
		d.para("AttachmentNo", `<w:pageBreakBefore/>`, fmt.Sprintf("附件%d", i+1), "")
		d.para("AttachmentTitle", "", a.Title, "")
		if err := d.block(a.Block); err != nil {
			return "", err
		}
	}
	d.records()
	d.x.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>` +
		`<w:footerReference w:type="even" r:id="rIdFooterEven"/>` +
		fmt.Sprintf(`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`,
			pageW, pageH, marginT, marginR, marginB, marginL, footerAt) +
		`<w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr></w:body></w:document>`)
	return d.x.String(), nil
}

// yearPrefix is "2025年" when the plan title already names the year.
func yearPrefix(m report.Meta) string {
	if len(m.Period) >= 4 && strings.Contains(m.PlanTitle, m.Period[:4]+"年") {
		return m.Period[:4] + "年"
	}
	return ""
}

// blocks draw the figures and tables a section or attachment names
// (report.Block…). A new part of the brief adds its block here, in its own file.
var blocks = map[string]func(*doc) error{
	report.BlockBoxes:      (*doc).boxes,
	report.BlockChapters:   (*doc).chartChapters,
	report.BlockDeptChart:  (*doc).chartDepts,
	report.BlockMainGoals:  (*doc).mainGoals,
	report.BlockDoubtful:   (*doc).doubtful,
	report.BlockBehind:     (*doc).behind,
	report.BlockMilestones: (*doc).milestones,
	report.BlockDepts:      (*doc).depts,
}

func (d *doc) block(name string) error {
	if f, ok := blocks[name]; ok {
		return f(d)
	}
	return nil
}

// column is one column of a Word table: heading, width share, alignment.
type column struct {
	title string
	w     float64
	align string // left, center
}

// table writes a Word table whose header row repeats on every page; the
// rows for which shaded says so are tinted grey.
func (d *doc) table(cols []column, rows [][]string, shaded func(int) bool) {
	var fills [][]string
	if shaded != nil {
		fills = make([][]string, len(rows))
		for k := range rows {
			if shaded(k) {
				fills[k] = make([]string, len(cols))
				for i := range fills[k] {
					fills[k][i] = "F2F2F2"
				}
			}
		}
	}
	d.fillTable(cols, rows, fills)
}

// boxes writes the headline figures as a table: figures over their labels.
func (d *doc) boxes() error {
	bs := d.b.Headline.Boxes
	for start := 0; start < len(bs); start += 6 {
		end := min(start+6, len(bs))
		row := bs[start:end]
		n := len(row)
		w := contentW / 6
		d.x.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="BriefTable"/><w:tblW w:w="` + fmt.Sprint(w*n) +
			`" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
		for range row {
			d.x.WriteString(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, w))
		}
		d.x.WriteString(`</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for _, f := range row {
			color := "000000"
			if f.Alert {
				color = "C00000"
			}
			label := f.Label
			if f.Unit != "" {
				label += "（" + f.Unit + "）"
			}
			d.x.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:tcBorders><w:top w:val="single" w:sz="12" w:color="C00000"/></w:tcBorders></w:tcPr>`, w))
			d.para("Figure", "", f.Value, `<w:color w:val="`+color+`"/>`)
			d.para("FigureLabel", "", label, "")
			d.x.WriteString(`</w:tc>`)
		}
		d.x.WriteString(`</w:tr></w:tbl>`)
	}
	d.para("TableAfter", "", "", "")
	return nil
}

// picture places a PNG of hmm millimetres' height across the type area.
func (d *doc) picture(data []byte, hmm float64, caption string) {
	d.pics++
	name := fmt.Sprintf("chart%d.png", d.pics)
	rel := fmt.Sprintf("rIdImage%d", d.pics)
	d.media = append(d.media, media{name: name, rel: rel, data: data})
	cx, cy := int(contentMM*emuPerMM), int(hmm*emuPerMM)
	d.para("Caption", `<w:keepNext/>`, caption, "")
	d.x.WriteString(fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="Picture"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="%s" descr="%s"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">`+
		`<pic:pic><pic:nvPicPr><pic:cNvPr id="%d" name="%s"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, d.pics, name, esc(caption), d.pics, name, rel, cx, cy))
}

func (d *doc) chartChapters() error {
	st := d.b.Charts.StatusByChapter
	if len(st.Categories) == 0 {
		return nil
	}
	data, h, err := chapterChart(st, contentMM)
	if err != nil {
		return err
	}
	d.picture(data, h, "图1　各领域目标任务进展情况（项）")
	return nil
}

func (d *doc) chartDepts() error {
	bars := d.b.Charts.CompletionByDept
	if len(bars.Categories) == 0 {
		return nil
	}
	data, h, err := deptChart(bars, contentMM)
	if err != nil {
		return err
	}
	d.picture(data, h, "图2　各单位已完成和序时推进的目标任务占比")
	return nil
}

func (d *doc) mainGoals() error {
	cols := []column{{"序号", 8, "center"}, {"目标（计划原文）", 38, "left"}, {"完成情况", 47, "left"},
		{"状态", 16, "center"}, {"牵头单位", 20, "left"}}
	if d.b.Year != nil {
		// 环比, from the store's earlier periods, before 状态 (as in the PDF),
		// wide enough for +0.4个百分点 on one line; the text columns give up
		// the room.
		cols = []column{{"序号", 8, "center"}, {"目标（计划原文）", 34, "left"}, {"完成情况", 40, "left"},
			{"环比", 26, "center"}, {"状态", 18, "center"}, {"牵头单位", 20, "left"}}
	}
	rows := make([][]string, len(d.b.MainGoals))
	for i, t := range d.b.MainGoals {
		rows[i] = []string{fmt.Sprint(i + 1), t.Statement, t.Account}
		if d.b.Year != nil {
			rows[i] = append(rows[i], d.b.Year.ChangeOf(t.ID))
		}
		rows[i] = append(rows[i], string(t.Status), t.Dept)
	}
	d.table(cols, rows, func(i int) bool { return d.b.MainGoals[i].Status.Lagging() })
	return nil
}

func (d *doc) doubtful() error {
	rows := make([][]string, len(d.b.Doubtful))
	for i, t := range d.b.Doubtful {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, t.Account, orText(t.Note, "（未说明）")}
	}
	d.table([]column{{"序号", 8, "center"}, {"指标", 28, "left"}, {"牵头单位", 20, "left"},
		{"所报情况", 46, "left"}, {"单位说明", 30, "left"}}, rows, nil)
	return nil
}

func (d *doc) behind() error {
	rows := make([][]string, len(d.b.Behind))
	for i, t := range d.b.Behind {
		rows[i] = []string{fmt.Sprint(i + 1), t.Indicator, t.Dept, string(t.Status), t.Account,
			orText(t.Problems, "（未填报）"), orText(t.NextSteps, "（未填报）")}
	}
	d.table([]column{{"序号", 7, "center"}, {"指标或任务", 20, "left"}, {"牵头单位", 15, "left"},
		{"状态", 10, "center"}, {"进展", 26, "left"}, {"存在问题", 26, "left"}, {"下步措施", 26, "left"}}, rows,
		func(i int) bool { return d.b.Behind[i].Status == plan.FarBehind })
	return nil
}

func (d *doc) milestones() error {
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
			rows[i] = []string{fmt.Sprint(i + 1), t.Statement, t.Dept, orText(t.Due, "—"), progress}
		}
		d.para("Heading2", "", fmt.Sprintf("（%s）%s（%d\u00a0项）", report.Numeral(n), g.Status, len(g.Items)), "")
		d.table([]column{{"序号", 8, "center"}, {"任务（计划原文）", 42, "left"}, {"牵头单位", 20, "left"},
			{"计划完成", 15, "center"}, {"进展情况", 55, "left"}}, rows, nil)
	}
	return nil
}

func (d *doc) depts() error {
	if err := d.chartDepts(); err != nil {
		return err
	}
	for i, dep := range d.b.Depts {
		d.para("Heading2", "", fmt.Sprintf("（%s）%s：%s", report.Numeral(i+1), dep.Short, dep.Standing), "")
		if len(dep.Rows) == 0 {
			d.para("Note", "", "该单位本期没有牵头的目标任务。", "")
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
		d.table([]column{{"序号", 8, "center"}, {"目标任务（计划原文）", 48, "left"}, {"完成情况", 48, "left"},
			{"状态", 14, "center"}}, rows, func(k int) bool { return dep.Rows[k].Status.Lagging() })
	}
	return nil
}

// records is the 版记: the fingerprint, then 报送, 抄送 and the 印发 line
// between rules, as a borderless table whose rows are ruled.
func (d *doc) records() {
	m := d.b.Meta
	d.para("Fingerprint", `<w:keepNext/>`, d.b.Closing, "")
	type line struct{ left, right string }
	var ls []line
	if len(m.SendTo) > 0 {
		ls = append(ls, line{"报送：" + strings.Join(m.SendTo, "，") + "。", ""})
	}
	if len(m.CopyTo) > 0 {
		ls = append(ls, line{"抄送：" + strings.Join(m.CopyTo, "，") + "。", ""})
	}
	ls = append(ls, line{m.Office, m.Printed})
	d.x.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + fmt.Sprint(contentW) + `" w:type="dxa"/><w:tblLayout w:type="fixed"/>` +
		`<w:tblBorders><w:top w:val="single" w:sz="8" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:color="000000"/>` +
		`<w:insideH w:val="single" w:sz="4" w:color="000000"/></w:tblBorders>` +
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
		`<w:tblGrid><w:gridCol w:w="` + fmt.Sprint(contentW) + `"/></w:tblGrid>`)
	for _, l := range ls {
		d.x.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="` + fmt.Sprint(contentW) + `" w:type="dxa"/></w:tcPr>`)
		d.x.WriteString(`<w:p><w:pPr><w:pStyle w:val="Records"/><w:keepNext/></w:pPr>` + run(l.left, ""))
		if l.right != "" {
			d.x.WriteString(`<w:r><w:tab/></w:r>` + run(l.right, ""))
		}
		d.x.WriteString(`</w:p></w:tc></w:tr>`)
	}
	// Word wants a paragraph, not a table, before the section's properties.
	d.x.WriteString(`</w:tbl>`)
	d.para("TableAfter", "", "", "")
}

func sentences(parts ...string) string {
	var out string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if out != "" && !strings.ContainsAny(out[len(out)-1:], ".;!?") && !strings.HasSuffix(out, "。") &&
			!strings.HasSuffix(out, "；") && !strings.HasSuffix(out, "！") && !strings.HasSuffix(out, "？") {
			out += "。"
		}
		out += p
	}
	return out
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}
