package docx

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The package's parts other than the document. Word refuses a package whose
// content types, relationships or styles disagree (LibreOffice forgives), so
// the tests check each reference against the parts.

const (
	nsW     = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsR     = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	nsRel   = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

func (d *doc) contentTypes() string {
	var s strings.Builder
	s.WriteString(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`)
	if len(d.media) > 0 {
		s.WriteString(`<Default Extension="png" ContentType="image/png"/>`)
	}
	for _, o := range [][2]string{
		{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
		{"/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"},
		{"/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"},
		{"/word/fontTable.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"},
		{"/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"},
		{"/word/footer2.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"},
		{"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
		{"/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
	} {
		s.WriteString(`<Override PartName="` + o[0] + `" ContentType="` + o[1] + `"/>`)
	}
	s.WriteString(`</Types>`)
	return s.String()
}

var rootRels = xml.Header + `<Relationships ` + nsRel + `>` +
	`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relBase + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

func (d *doc) documentRels() string {
	var s strings.Builder
	s.WriteString(xml.Header + `<Relationships ` + nsRel + `>` +
		`<Relationship Id="rIdStyles" Type="` + relBase + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="` + relBase + `settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdFonts" Type="` + relBase + `fontTable" Target="fontTable.xml"/>` +
		`<Relationship Id="rIdFooterOdd" Type="` + relBase + `footer" Target="footer1.xml"/>` +
		`<Relationship Id="rIdFooterEven" Type="` + relBase + `footer" Target="footer2.xml"/>`)
	for _, m := range d.media {
		s.WriteString(`<Relationship Id="` + m.rel + `" Type="` + relBase + `image" Target="media/` + m.name + `"/>`)
	}
	s.WriteString(`</Relationships>`)
	return s.String()
}

func (d *doc) core() string {
	m := d.b.Meta
	date := ""
	if m.Date != "" {
		date = `<dcterms:created xsi:type="dcterms:W3CDTF">` + m.Date + `T00:00:00Z</dcterms:created>` +
			`<dcterms:modified xsi:type="dcterms:W3CDTF">` + m.Date + `T00:00:00Z</dcterms:modified>`
	}
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(m.Title+" "+m.PeriodLabel) + `</dc:title>` +
		`<dc:subject>` + esc(m.PlanTitle) + `</dc:subject>` +
		`<dc:creator>` + esc(m.Office) + `</dc:creator>` +
		`<dc:language>zh-CN</dc:language>` + date + `</cp:coreProperties>`
}

var appXML = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>planrep</Application></Properties>`

// Faces the office's Windows machines have; fontTable.xml names a
// substitute for each (altName), so another machine picks a like face.
const (
	faceFang  = "仿宋_GB2312"
	faceHei   = "黑体"
	faceKai   = "楷体_GB2312"
	faceTitle = "方正小标宋简体"
	faceSong  = "宋体"
	faceLatin = "Times New Roman"
)

func rFonts(eastAsia string) string {
	return `<w:rFonts w:ascii="` + faceLatin + `" w:hAnsi="` + faceLatin + `" w:eastAsia="` + eastAsia + `" w:cs="` + faceLatin + `"/>`
}

// pStyle writes one paragraph style.
func pStyle(id, name, basedOn, next, ppr, rpr string, extra string) string {
	s := `<w:style w:type="paragraph" w:styleId="` + id + `"`
	if id == "Normal" {
		s += ` w:default="1"`
	}
	s += `><w:name w:val="` + name + `"/>`
	if basedOn != "" {
		s += `<w:basedOn w:val="` + basedOn + `"/>`
	}
	if next != "" {
		s += `<w:next w:val="` + next + `"/>`
	}
	s += extra + `<w:qFormat/><w:pPr>` + ppr + `</w:pPr><w:rPr>` + rpr + `</w:rPr></w:style>`
	return s
}

const noIndent = `<w:ind w:firstLine="0" w:firstLineChars="0"/>`
const single = `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`

var stylesXML = xml.Header + `<w:styles ` + nsW + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(faceFang) + `<w:sz w:val="32"/><w:szCs w:val="32"/>` +
	`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	// 正文: 仿宋 3号, 28.95 pt exact line pitch (22 lines to the type area), two-character indent.
	pStyle("Normal", "Normal", "", "", `<w:spacing w:line="579" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/>`,
		rFonts(faceFang)+`<w:sz w:val="32"/><w:szCs w:val="32"/>`, "") +
	// 标题: 2号 小标宋, centred.
	pStyle("Title", "Title", "Normal", "Normal", `<w:keepNext/><w:spacing w:before="0" w:after="579" w:line="700" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0" w:left="284" w:right="284"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>`,
		rFonts(faceTitle)+`<w:sz w:val="44"/><w:szCs w:val="44"/>`, "") +
	// 一级标题: 黑体 3号.
	pStyle("Heading1", "heading 1", "Normal", "Normal", `<w:keepNext/><w:keepLines/><w:outlineLvl w:val="0"/>`,
		rFonts(faceHei)+`<w:sz w:val="32"/><w:szCs w:val="32"/>`, "") +
	// 二级标题: 楷体 3号.
	pStyle("Heading2", "heading 2", "Normal", "Normal", `<w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/>`,
		rFonts(faceKai)+`<w:sz w:val="32"/><w:szCs w:val="32"/>`, "") +
	pStyle("Masthead", "简报名称", "Normal", "IssueNo", `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>`+noIndent+`<w:jc w:val="center"/>`,
		rFonts(faceTitle)+`<w:color w:val="E00000"/><w:sz w:val="80"/><w:szCs w:val="80"/>`, "") +
	pStyle("IssueNo", "期号", "Normal", "IssuedBy", noIndent+`<w:jc w:val="center"/>`, "", "") +
	pStyle("IssuedBy", "编发单位和日期", "Normal", "Title",
		`<w:pBdr><w:bottom w:val="single" w:sz="16" w:space="4" w:color="E00000"/></w:pBdr>`+
			fmt.Sprintf(`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs>`, contentW)+
			`<w:spacing w:after="579" w:line="579" w:lineRule="exact"/>`+noIndent, "", "") +
	pStyle("Caption", "caption", "Normal", "Picture", `<w:snapToGrid w:val="0"/><w:keepNext/><w:spacing w:before="120" w:after="60" w:line="240" w:lineRule="auto"/>`+noIndent+`<w:jc w:val="center"/>`,
		rFonts(faceHei)+`<w:sz w:val="21"/><w:szCs w:val="21"/>`, "") +
	pStyle("Picture", "图片", "Normal", "Normal", single+noIndent+`<w:jc w:val="center"/>`, "", "") +
	pStyle("TableText", "表格文字", "Normal", "", single+noIndent, rFonts(faceSong)+`<w:sz w:val="21"/><w:szCs w:val="21"/>`, "") +
	pStyle("TableHead", "表头", "TableText", "", `<w:keepNext/><w:jc w:val="center"/>`, rFonts(faceHei), "") +
	pStyle("TableAfter", "表后空行", "Normal", "Normal", `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`+noIndent, `<w:sz w:val="16"/><w:szCs w:val="16"/>`, "") +
	pStyle("Figure", "指标数字", "Normal", "", `<w:snapToGrid w:val="0"/><w:spacing w:before="60" w:after="0" w:line="240" w:lineRule="auto"/>`+noIndent+`<w:jc w:val="center"/>`,
		rFonts(faceHei)+`<w:sz w:val="34"/><w:szCs w:val="34"/>`, "") +
	pStyle("FigureLabel", "指标名称", "Normal", "", `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="60" w:line="240" w:lineRule="auto"/>`+noIndent+`<w:jc w:val="center"/>`,
		rFonts(faceSong)+`<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>`, "") +
	pStyle("AttachmentList", "附件说明", "Normal", "", "", "", "") +
	pStyle("AttachmentNo", "附件标识", "Normal", "AttachmentTitle", `<w:keepNext/>`+noIndent, rFonts(faceHei), "") +
	pStyle("AttachmentTitle", "附件标题", "Title", "Normal", `<w:spacing w:before="289" w:after="289"/>`, "", "") +
	pStyle("Note", "注", "Normal", "Normal", single+noIndent, rFonts(faceSong)+`<w:color w:val="595959"/><w:sz w:val="21"/><w:szCs w:val="21"/>`, "") +
	pStyle("Fingerprint", "数据说明", "Note", "Normal", `<w:spacing w:before="579" w:after="120"/>`, "", "") +
	pStyle("Records", "版记", "Normal", "",
		single+`<w:ind w:left="280" w:right="280" w:firstLine="0" w:firstLineChars="0"/>`+
			fmt.Sprintf(`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs>`, contentW-2*280-200)+`<w:spacing w:before="60" w:after="60"/>`,
		`<w:sz w:val="28"/><w:szCs w:val="28"/>`, "") +
	pStyle("Footer", "footer", "Normal", "", single+noIndent, rFonts(faceSong)+`<w:sz w:val="28"/><w:szCs w:val="28"/>`, "") +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
	`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="BriefTable"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:color="808080"/><w:left w:val="single" w:sz="4" w:color="808080"/>` +
	`<w:bottom w:val="single" w:sz="4" w:color="808080"/><w:right w:val="single" w:sz="4" w:color="808080"/>` +
	`<w:insideH w:val="single" w:sz="4" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:color="808080"/></w:tblBorders>` +
	`<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="70" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

var settingsXML = xml.Header + `<w:settings ` + nsW + `><w:zoom w:percent="100"/><w:evenAndOddHeaders/>` +
	`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>`

var fontTableXML = xml.Header + `<w:fonts ` + nsW + `>` +
	fontEntry(faceFang, "仿宋", "roman", "86") + fontEntry(faceKai, "楷体", "script", "86") +
	fontEntry(faceHei, "SimHei", "modern", "86") + fontEntry(faceTitle, "宋体", "roman", "86") +
	fontEntry(faceSong, "SimSun", "auto", "86") + fontEntry(faceLatin, "", "roman", "00") + `</w:fonts>`

func fontEntry(name, alt, family, charset string) string {
	s := `<w:font w:name="` + name + `">`
	if alt != "" {
		s += `<w:altName w:val="` + alt + `"/>`
	}
	return s + `<w:charset w:val="` + charset + `"/><w:family w:val="` + family + `"/><w:pitch w:val="variable"/></w:font>`
}

// footerXML is a footer with the page number as GB/T 9704 sets it: "— 1 —",
// one character in from the outer edge (right on odd pages, left on even).
func footerXML(side string) string {
	ind := `<w:ind w:right="280"/>`
	if side == "left" {
		ind = `<w:ind w:left="280"/>`
	}
	return xml.Header + `<w:ftr ` + nsW + ` ` + nsR + `><w:p><w:pPr><w:pStyle w:val="Footer"/>` + ind + `<w:jc w:val="` + side + `"/></w:pPr>` +
		`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`
}
