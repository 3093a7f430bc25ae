// Package xlsx renders a report.Brief as the consolidated progress report
// (进度报告.xlsx): one sheet a table, native charts, RAG colours by rule.
package xlsx

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"planrep/internal/xlsxdim"
	"planrep/plan"
	"planrep/report"
)

// Sheet names of the Excel report, in workbook order.
const (
	SheetOverview   = "总览"
	SheetMainGoals  = "主要指标"
	SheetChapters   = "分领域"
	SheetDepts      = "分部门"
	SheetBehind     = "滞后指标"
	SheetMilestones = "重点任务"
	SheetMissing    = "未报送"
	SheetDetail     = "明细"
	SheetFindings   = "校验问题"
)

// ExcelSheets lists the report's sheets in order.
var ExcelSheets = []string{
	SheetOverview, SheetMainGoals, SheetChapters, SheetDepts, SheetBehind,
	SheetMilestones, SheetMissing, SheetDetail, SheetFindings,
}

// Rows of every table sheet (1-based): a title, a line saying which data it
// is, the column headings, then the data.
const (
	xlTitleRow  = 1
	xlInfoRow   = 2
	xlHeaderRow = 3
	xlFirstRow  = 4
)

// excelFont is the workbook's default font: present on every Chinese
// Windows, and what WPS and Excel users there expect in a government table.
const excelFont = "宋体"

// xlColor holds the colours of one status: a cell's fill and font (used
// by conditional formats) and a chart colour. Chart colours differ in
// lightness as well as hue, so neighbouring bar segments stay apart when the
// report is printed in black and white.
type xlColor struct {
	fill, font, chart, label string
}

var xlStatusColors = map[plan.Status]xlColor{
	plan.Done:          {fill: "#A9D08E", font: "#1E4620", chart: "#1B5E20", label: "#FFFFFF"},
	plan.OnTrack:       {fill: "#DDEBF7", font: "#1F4E79", chart: "#B7E1A1", label: "#000000"},
	plan.Behind:        {fill: "#FFD966", font: "#7F4F00", chart: "#E08E0B", label: "#000000"},
	plan.FarBehind:     {fill: "#FF9F9F", font: "#7F0000", chart: "#D32F2F", label: "#FFFFFF"},
	report.Unconfirmed: {fill: "#F8CBAD", font: "#833C0B", chart: "#F4B183", label: "#000000"},
	report.Blank:       {fill: "#EDEDED", font: "#404040", chart: "#BFBFBF", label: "#000000"},
	plan.Invalid:       {fill: "#E4C1F9", font: "#5B2C83", chart: "#CE93D8", label: "#000000"},
	plan.Missing:       {fill: "#D9D9D9", font: "#404040", chart: "#E0E0E0", label: "#000000"},
}

// Severity colours of the 校验问题 sheet.
var xlSeverityColors = map[string]xlColor{
	plan.Error.Label():   {fill: "#FF9F9F", font: "#7F0000"},
	plan.Warning.Label(): {fill: "#FFD966", font: "#7F4F00"},
	plan.Info.Label():    {fill: "#D9D9D9", font: "#404040"},
}

// Write writes the consolidated progress report (进度报告.xlsx) of brief b.
func Write(w io.Writer, b *report.Brief) error {
	f, err := Build(b)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := xlsxdim.WriteTo(w, f); err != nil {
		return fmt.Errorf("写出进度报告失败：%w", err)
	}
	return nil
}

// Build builds the progress report workbook of brief b in memory.
func Build(b *report.Brief) (*excelize.File, error) {
	if b == nil {
		return nil, fmt.Errorf("没有可写入进度报告的数据")
	}
	f := excelize.NewFile()
	x := &xlBuilder{f: f, b: b, styles: map[string]int{}}
	if err := x.build(); err != nil {
		f.Close()
		return nil, fmt.Errorf("生成进度报告失败：%w", err)
	}
	return f, nil
}

type xlBuilder struct {
	f      *excelize.File
	b      *report.Brief
	styles map[string]int
	err    error // the first error; later calls do nothing

	overviewEnd int // the last row of 总览's print area
}

func (x *xlBuilder) build() error {
	f := x.f
	if err := f.SetDefaultFont(excelFont); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetOverview); err != nil {
		return err
	}
	for _, s := range ExcelSheets[1:] {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	x.docProps()
	x.overview()
	for _, t := range x.tables() {
		x.table(t)
	}
	x.year()
	x.districtSheets()
	f.SetActiveSheet(0)
	// excelize lists the image types a drawing may use in map order: sort
	// them, so that the same brief gives the same bytes.
	if ct := f.ContentTypes; ct != nil {
		sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	}
	return x.err
}

func (x *xlBuilder) fail(err error) {
	if err != nil && x.err == nil {
		x.err = err
	}
}

// docProps sets the document properties from the brief, so that the same
// brief gives the same workbook whenever it is written.
func (x *xlBuilder) docProps() {
	m := x.b.Meta
	stamp := "2000-01-01T00:00:00Z"
	if m.Date != "" {
		stamp = m.Date + "T00:00:00Z"
	}
	x.fail(x.f.SetDocProps(&excelize.DocProperties{
		Title:          x.title(),
		Subject:        m.PeriodLabel,
		Creator:        firstNonEmpty(m.Planner, m.Office),
		LastModifiedBy: firstNonEmpty(m.Planner, m.Office),
		Description:    "数据指纹 " + m.Fingerprint,
		Keywords:       m.PlanID + " " + m.Period,
		Created:        stamp,
		Modified:       stamp,
		Language:       "zh-CN",
	}))
}

// title is the report's heading.
func (x *xlBuilder) title() string {
	m := x.b.Meta
	if m.Title != "" && m.Title != report.DefaultTitle {
		return m.Title
	}
	return firstNonEmpty(m.PlanTitle, "计划") + "执行情况进度报告"
}

// info is the line under every sheet's title: which period and which data.
func (x *xlBuilder) info() string {
	m := x.b.Meta
	var parts []string
	p := "报告期：" + firstNonEmpty(m.PeriodLabel, m.Period)
	if m.Covers != "" {
		p += "（" + m.Covers + "）"
	}
	parts = append(parts, p)
	if m.Office != "" {
		parts = append(parts, "编制单位："+m.Office)
	}
	if m.DateText != "" {
		parts = append(parts, "报告日期："+m.DateText)
	}
	parts = append(parts, "数据指纹："+m.Fingerprint)
	if m.SourceDir != "" {
		parts = append(parts, "文件路径相对于："+m.SourceDir)
	}
	return strings.Join(parts, "　　")
}

// ---- styles

// style returns a cell style, built once per key.
func (x *xlBuilder) style(key string) int {
	if id, ok := x.styles[key]; ok {
		return id
	}
	border := []excelize.Border{
		{Type: "left", Color: "#A6A6A6", Style: 1}, {Type: "right", Color: "#A6A6A6", Style: 1},
		{Type: "top", Color: "#A6A6A6", Style: 1}, {Type: "bottom", Color: "#A6A6A6", Style: 1},
	}
	s := &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}
	switch key {
	case "title":
		s = &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}
	case "info":
		s = &excelize.Style{Font: &excelize.Font{Size: 10, Color: "#404040"},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}
	case "warn":
		s = &excelize.Style{Font: &excelize.Font{Size: 11, Bold: true, Color: "#C00000"},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}}
	case "para":
		s = &excelize.Style{Font: &excelize.Font{Size: 11},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}
	case "section":
		s = &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}
	case "header":
		s.Font = &excelize.Font{Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#D9E1F2"}}
		s.Alignment = &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	case "text":
		s.Alignment.WrapText = true
	case "center":
		s.Alignment.Horizontal = "center"
		s.Alignment.WrapText = true
	case "num":
		s.NumFmt = 0 // General: 430, 5.5, 0.25 as they are
		s.Alignment.Horizontal = "right"
	case "int":
		s.NumFmt = 1 // 0
		s.Alignment.Horizontal = "right"
	case "seq":
		s.NumFmt = 1
		s.Alignment.Horizontal = "center"
	case "pct":
		fmtCode := "0.0%"
		s.CustomNumFmt = &fmtCode
		s.Alignment.Horizontal = "right"
	case "label":
		s.Font = &excelize.Font{Bold: true}
	case "total":
		s.Font = &excelize.Font{Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#F2F2F2"}}
	case "total-int":
		s.Font = &excelize.Font{Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#F2F2F2"}}
		s.NumFmt = 1
		s.Alignment.Horizontal = "right"
	case "total-pct":
		fmtCode := "0.0%"
		s.Font = &excelize.Font{Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#F2F2F2"}}
		s.CustomNumFmt = &fmtCode
		s.Alignment.Horizontal = "right"
	case "chartdata":
		s = &excelize.Style{Font: &excelize.Font{Size: 9, Color: "#595959"}}
	case "chartdata-pct":
		fmtCode := "0.0%"
		s = &excelize.Style{Font: &excelize.Font{Size: 9, Color: "#595959"}, CustomNumFmt: &fmtCode}
	}
	id, err := x.f.NewStyle(s)
	x.fail(err)
	x.styles[key] = id
	return id
}

// condStyle returns a conditional format style: fill and font colour.
func (x *xlBuilder) condStyle(c xlColor) *int {
	key := "cf" + c.fill + c.font
	if id, ok := x.styles[key]; ok {
		return &id
	}
	id, err := x.f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: c.font, Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}},
	})
	x.fail(err)
	x.styles[key] = id
	return &id
}

// statusRules colour a cell by the status written in it.
func (x *xlBuilder) statusRules() []excelize.ConditionalFormatOptions {
	var out []excelize.ConditionalFormatOptions
	for _, s := range report.Statuses {
		out = append(out, excelize.ConditionalFormatOptions{
			Type: "cell", Criteria: "==", Value: xlQuoteFormula(string(s)), Format: x.condStyle(xlStatusColors[s]),
		})
	}
	return out
}

// quoteFormula makes a string literal for a conditional format's formula.
func xlQuoteFormula(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ---- cells

func xlCellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

func xlColName(col int) string {
	n, _ := excelize.ColumnNumberToName(col)
	return n
}

// cleanText drops control characters a spreadsheet cannot hold; line breaks and tabs stay.
func xlCleanText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return -1
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// set writes one value. Strings are always stored as text, never as a
// formula: a department's "=1+1" stays the four characters it typed.
func (x *xlBuilder) set(sheet string, col, row int, v any) {
	c := xlCellName(col, row)
	switch v := v.(type) {
	case nil:
	case string:
		if v != "" {
			x.fail(x.f.SetCellStr(sheet, c, xlCleanText(v)))
		}
	case int:
		x.fail(x.f.SetCellInt(sheet, c, int64(v)))
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			x.fail(x.f.SetCellFloat(sheet, c, v, -1, 64))
		}
	case *float64:
		if v != nil {
			x.set(sheet, col, row, *v)
		}
	case *int:
		if v != nil {
			x.set(sheet, col, row, *v)
		}
	default:
		x.fail(fmt.Errorf("unsupported cell value %T", v))
	}
}

// textWidth is the width of s in character units: CJK and full-width
// characters count double, as they take two columns in Excel and WPS.
func xlTextWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 2
		default:
			if unicode.Is(unicode.Han, r) {
				w += 2
			} else {
				w++
			}
		}
	}
	return w
}

// lineWidths returns the width of each line of s.
func xlLineWidths(s string) []float64 {
	var out []float64
	for _, l := range strings.Split(s, "\n") {
		out = append(out, xlTextWidth(l))
	}
	return out
}

// lines says how many lines s takes in a wrapped cell of width w.
func xlLines(s string, w float64) int {
	usable := math.Max(w-1.5, 1)
	n := 0
	for _, lw := range xlLineWidths(s) {
		n += int(math.Max(1, math.Ceil(lw/usable)))
	}
	return n
}

// ---- print setup

func (x *xlBuilder) print(sheet string, titleRows string) {
	f := x.f
	size, orient := 9, "landscape" // A4
	one, zero := 1, 0
	x.fail(f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero,
	}))
	fit := true
	x.fail(f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	m := 0.4
	top := 0.6
	x.fail(f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &m, Right: &m, Top: &top, Bottom: &top, Header: &m, Footer: &m,
	}))
	// Excel allows 255 characters per header or footer: long titles are cut.
	hfEscape := func(s string) string {
		if rs := []rune(s); len(rs) > 60 {
			s = string(rs[:59]) + "…"
		}
		return strings.ReplaceAll(s, "&", "&&")
	}
	x.fail(f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + hfEscape(x.title()) + "&R" + hfEscape(sheet),
		OddFooter: "&L" + hfEscape(firstNonEmpty(x.b.Meta.PeriodLabel, x.b.Meta.Period)) +
			"&C第 &P 页 共 &N 页&R数据指纹 " + hfEscape(x.b.Meta.Fingerprint),
	}))
	if titleRows != "" {
		x.fail(f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!" + titleRows, Scope: sheet,
		}))
	}
}

// ---- table sheets

// xlKind says how a column's values are stored and shown.
type xlKind int

const (
	xlText   xlKind = iota // wrapped text
	xlCenter               // short text, centred
	xlNum                  // a number as it is
	xlInt                  // a count
	xlPct                  // a share shown as a percentage
	xlSeq                  // a row number, centred
)

type xlColumn struct {
	head  string
	kind  xlKind
	max   float64 // widest the column grows; longer text wraps
	min   float64
	state bool        // holds a status: coloured by conditional formats
	count plan.Status // holds a count of targets with this status: coloured when > 0
	level bool        // holds a finding's severity
}

type xlTable struct {
	sheet      string
	cols       []xlColumn
	rows       [][]any
	total      []any  // an optional bold total row after the data
	empty      string // what row 4 says when there are no rows
	freezeCols int    // columns kept in view when scrolling right
	note       string // an optional line under the table
	minHeight  float64
}

func (x *xlBuilder) table(t xlTable) {
	f, s := x.f, t.sheet
	nc := len(t.cols)
	last := xlColName(nc)

	x.set(s, 1, xlTitleRow, x.title()+" · "+s)
	x.fail(f.MergeCell(s, "A1", xlCellName(nc, xlTitleRow)))
	x.fail(f.SetCellStyle(s, "A1", "A1", x.style("title")))
	x.fail(f.SetRowHeight(s, xlTitleRow, 26))
	x.set(s, 1, xlInfoRow, x.info())
	x.fail(f.MergeCell(s, "A2", xlCellName(nc, xlInfoRow)))
	x.fail(f.SetCellStyle(s, "A2", "A2", x.style("info")))
	x.fail(f.SetRowHeight(s, xlInfoRow, 18))

	widths := make([]float64, nc)
	for i, c := range t.cols {
		x.set(s, i+1, xlHeaderRow, c.head)
		widths[i] = math.Max(c.min, xlTextWidth(c.head)+2)
	}
	x.fail(f.SetCellStyle(s, "A3", xlCellName(nc, xlHeaderRow), x.style("header")))

	rows := t.rows
	if len(rows) == 0 {
		x.set(s, 1, xlFirstRow, firstNonEmpty(t.empty, "（无）"))
		x.fail(f.SetCellStyle(s, xlCellName(1, xlFirstRow), xlCellName(nc, xlFirstRow), x.style("text")))
	}
	for r, row := range rows {
		for i, v := range row {
			x.set(s, i+1, xlFirstRow+r, v)
			widths[i] = math.Max(widths[i], xlValueWidth(v, t.cols[i].kind)+2)
		}
	}
	lastRow := xlFirstRow + max(len(rows), 1) - 1
	for i, c := range t.cols {
		key := map[xlKind]string{xlText: "text", xlCenter: "center", xlNum: "num", xlInt: "int", xlPct: "pct", xlSeq: "seq"}[c.kind]
		x.fail(f.SetCellStyle(s, xlCellName(i+1, xlFirstRow), xlCellName(i+1, lastRow), x.style(key)))
		if c.max > 0 && widths[i] > c.max {
			widths[i] = c.max
		}
		x.fail(f.SetColWidth(s, xlColName(i+1), xlColName(i+1), widths[i]))
	}
	if t.total != nil {
		tr := lastRow + 1
		for i, v := range t.total {
			x.set(s, i+1, tr, v)
			key := "total"
			switch t.cols[i].kind {
			case xlInt:
				key = "total-int"
			case xlPct:
				key = "total-pct"
			}
			x.fail(f.SetCellStyle(s, xlCellName(i+1, tr), xlCellName(i+1, tr), x.style(key)))
		}
	}
	if t.note != "" {
		nr := lastRow + 2
		if t.total != nil {
			nr++
		}
		x.set(s, 1, nr, t.note)
		x.fail(f.MergeCell(s, xlCellName(1, nr), xlCellName(nc, nr)))
		x.fail(f.SetCellStyle(s, xlCellName(1, nr), xlCellName(1, nr), x.style("info")))
	}

	// Row heights: wrapped text gets the lines it needs.
	x.fail(f.SetRowHeight(s, xlHeaderRow, float64(xlRowLines(t.cols, widths, xlHeadRow(t.cols)))*14.5+6))
	for r, row := range rows {
		h := math.Max(t.minHeight, float64(xlRowLines(t.cols, widths, row))*14.5+6)
		x.fail(f.SetRowHeight(s, xlFirstRow+r, h))
	}

	// Conditional formats.
	for i, c := range t.cols {
		ref := xlColName(i+1) + fmt.Sprint(xlFirstRow) + ":" + xlColName(i+1) + fmt.Sprint(lastRow)
		switch {
		case c.state:
			x.fail(f.SetConditionalFormat(s, ref, x.statusRules()))
		case c.count != "":
			x.fail(f.SetConditionalFormat(s, ref, []excelize.ConditionalFormatOptions{{
				Type: "cell", Criteria: ">", Value: "0", Format: x.condStyle(xlStatusColors[c.count]),
			}}))
		case c.level:
			var rules []excelize.ConditionalFormatOptions
			for _, sev := range []plan.Severity{plan.Error, plan.Warning, plan.Info} {
				rules = append(rules, excelize.ConditionalFormatOptions{
					Type: "cell", Criteria: "==", Value: xlQuoteFormula(sev.Label()),
					Format: x.condStyle(xlSeverityColors[sev.Label()]),
				})
			}
			x.fail(f.SetConditionalFormat(s, ref, rules))
		}
	}

	// Frozen headings, a filter on them, and print setup.
	x.fail(f.SetPanes(s, &excelize.Panes{
		Freeze: true, XSplit: t.freezeCols, YSplit: xlHeaderRow,
		TopLeftCell: xlCellName(t.freezeCols+1, xlFirstRow), ActivePane: xlActivePane(t.freezeCols),
	}))
	x.fail(f.AutoFilter(s, "A3:"+last+fmt.Sprint(lastRow), nil))
	x.print(s, "$3:$3")
}

func xlActivePane(freezeCols int) string {
	if freezeCols > 0 {
		return "bottomRight"
	}
	return "bottomLeft"
}

func xlHeadRow(cols []xlColumn) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.head
	}
	return out
}

// rowLines is the number of lines the row's tallest wrapped cell takes.
func xlRowLines(cols []xlColumn, widths []float64, row []any) int {
	n := 1
	for i, v := range row {
		s, ok := v.(string)
		if !ok || i >= len(cols) {
			continue
		}
		n = max(n, xlLines(s, widths[i]))
	}
	return min(n, 27) // Excel's rows are at most 409 points high
}

// valueWidth is how wide a value shows, for sizing its column.
func xlValueWidth(v any, k xlKind) float64 {
	switch v := v.(type) {
	case string:
		w := 0.0
		for _, lw := range xlLineWidths(v) {
			w = math.Max(w, lw)
		}
		return w
	case int:
		return float64(len(fmt.Sprint(v)))
	case float64:
		if k == xlPct {
			return float64(len(fmt.Sprintf("%.1f%%", v*100)))
		}
		return float64(len(plan.FormatNumber(v)))
	case *float64:
		if v != nil {
			return xlValueWidth(*v, k)
		}
	case *int:
		if v != nil {
			return xlValueWidth(*v, k)
		}
	}
	return 0
}

// ---- the sheets' content

// shareKinds are the kinds whose progress is judged against the elapsed share of the year.
func xlShareKind(kind string) bool {
	switch plan.Kind(kind) {
	case plan.Cumulative, plan.Level, plan.Reduction:
		return true
	}
	return false
}

// actual is the reported value as a number, or what the department wrote when it is not one.
func xlActual(r report.TargetRow) any {
	if r.Reported != nil && r.Kind != string(plan.Milestone) {
		return *r.Reported
	}
	return r.Actual
}

// progress and expected are shown only where progress is measured against the year.
func xlProgress(r report.TargetRow) any {
	if xlShareKind(r.Kind) && r.Progress != nil {
		return *r.Progress
	}
	return nil
}

func xlExpected(r report.TargetRow) any {
	if xlShareKind(r.Kind) {
		return r.Expected
	}
	return nil
}

// xlRaw is what the department typed, shown only where it differs from the value read.
func xlRaw(r report.TargetRow) string {
	if r.Reported != nil && strings.TrimSpace(r.Raw) == plan.FormatNumber(*r.Reported) {
		return ""
	}
	return r.Raw
}

func xlGap(r report.TargetRow) any {
	if r.Gap != nil {
		return *r.Gap
	}
	return nil
}

func (x *xlBuilder) tables() []xlTable {
	b := x.b
	var out []xlTable

	// 主要指标
	main := xlTable{sheet: SheetMainGoals, freezeCols: 2, empty: "（本计划没有登记主要目标）", cols: []xlColumn{
		{head: "编号", kind: xlCenter, max: 10},
		{head: "指标", kind: xlText, max: 30, min: 16},
		{head: "目标（计划原文）", kind: xlText, max: 30, min: 16},
		{head: "完成值", kind: xlNum, max: 14, min: 9},
		{head: "单位", kind: xlCenter, max: 10},
		{head: "进度", kind: xlPct, min: 8},
		{head: "序时进度", kind: xlPct, min: 8},
		{head: "状态", kind: xlCenter, min: 10, state: true},
		{head: "情况说明", kind: xlText, max: 40, min: 20},
		{head: "责任单位", kind: xlText, max: 24},
	}}
	for _, r := range b.MainGoals {
		main.rows = append(main.rows, []any{r.ID, r.Indicator, r.Statement, xlActual(r), r.Unit,
			xlProgress(r), xlExpected(r), string(r.Status), r.Account, r.Dept})
	}
	main.note = "说明：进度和序时进度只对累计量、水平值和下降率类指标计算；增长率和控制上限类指标看完成值与目标的比较。"
	out = append(out, main)

	// 分领域
	ch := xlTable{sheet: SheetChapters, freezeCols: 1, cols: []xlColumn{
		{head: "领域", kind: xlText, max: 34, min: 16},
		{head: "简称", kind: xlText, max: 20},
		{head: "指标数", kind: xlInt},
	}}
	for _, s := range report.Statuses {
		ch.cols = append(ch.cols, xlColumn{head: string(s), kind: xlInt, min: 8, count: s})
	}
	ch.cols = append(ch.cols, xlColumn{head: "已完成和序时推进占比", kind: xlPct, min: 12})
	for _, c := range b.Chapters {
		row := []any{c.Chapter, c.Label, c.Total}
		for i := range report.Statuses {
			row = append(row, xlAt(c.Counts, i))
		}
		ch.rows = append(ch.rows, append(row, c.OnScheduleRate))
	}
	ct := b.ChapterTotal
	tot := []any{ct.Chapter, "", ct.Total}
	for i := range report.Statuses {
		tot = append(tot, xlAt(ct.Counts, i))
	}
	tot = append(tot, ct.OnScheduleRate)
	ch.total = tot
	out = append(out, ch)

	// 分部门
	dp := xlTable{sheet: SheetDepts, freezeCols: 1, cols: []xlColumn{
		{head: "责任单位", kind: xlText, max: 24, min: 14},
		{head: "指标数", kind: xlInt},
	}}
	for _, s := range report.Statuses {
		dp.cols = append(dp.cols, xlColumn{head: string(s), kind: xlInt, min: 8, count: s})
	}
	dp.cols = append(dp.cols,
		xlColumn{head: "已完成和序时推进占比", kind: xlPct, min: 12},
		xlColumn{head: "报送情况", kind: xlCenter, min: 10, state: true},
		xlColumn{head: "按时报送", kind: xlCenter, min: 8},
		xlColumn{head: "填报日期", kind: xlCenter, min: 11},
		xlColumn{head: "填报人", kind: xlText, max: 12},
		xlColumn{head: "联系电话", kind: xlText, max: 16},
		xlColumn{head: "错误", kind: xlInt},
		xlColumn{head: "警告", kind: xlInt},
		xlColumn{head: "报送文件", kind: xlText, max: 36},
	)
	for _, d := range b.Depts {
		row := []any{d.Short, d.Targets}
		for i := range report.Statuses {
			row = append(row, xlAt(d.Counts, i))
		}
		sub, onTime := string(plan.Missing), "—"
		if d.Submitted {
			sub = "已报送"
			if d.OnTime != nil {
				onTime = map[bool]string{true: "是", false: "否"}[*d.OnTime]
			}
		}
		var completion any = string(plan.Missing)
		if d.Completion != nil {
			completion = *d.Completion
		}
		row = append(row, completion, sub, onTime, d.Filled, d.Filler, d.Phone, d.Errors, d.Warnings, d.File)
		dp.rows = append(dp.rows, row)
	}
	out = append(out, dp)

	// 滞后指标
	bh := xlTable{sheet: SheetBehind, freezeCols: 0, empty: "本期没有滞后指标。", cols: []xlColumn{
		{head: "序号", kind: xlSeq},
		{head: "责任单位", kind: xlText, max: 24, min: 12},
		{head: "编号", kind: xlCenter, max: 10},
		{head: "指标", kind: xlText, max: 24, min: 14},
		{head: "目标", kind: xlCenter, max: 16},
		{head: "完成值", kind: xlNum, max: 12, min: 8},
		{head: "单位", kind: xlCenter, max: 8},
		{head: "进度", kind: xlPct, min: 8},
		{head: "序时进度", kind: xlPct, min: 8},
		{head: "落后序时", kind: xlPct, min: 8},
		{head: "状态", kind: xlCenter, min: 10, state: true},
		{head: "情况说明", kind: xlText, max: 36, min: 16},
		{head: "存在问题", kind: xlText, max: 36, min: 20},
		{head: "下步措施", kind: xlText, max: 36, min: 20},
	}}
	for i, r := range b.Behind {
		bh.rows = append(bh.rows, []any{i + 1, r.Dept, r.ID, r.Indicator, r.Target, xlActual(r), r.Unit,
			xlProgress(r), xlExpected(r), xlGap(r), string(r.Status), r.Account, r.Problems, r.NextSteps})
	}
	out = append(out, bh)

	// 重点任务
	ms := xlTable{sheet: SheetMilestones, empty: "本计划没有登记重点任务。", cols: []xlColumn{
		{head: "状态", kind: xlCenter, min: 10, state: true},
		{head: "编号", kind: xlCenter, max: 10},
		{head: "领域", kind: xlText, max: 20},
		{head: "重点任务", kind: xlText, max: 30, min: 16},
		{head: "计划完成", kind: xlCenter, max: 12},
		{head: "责任单位", kind: xlText, max: 24},
		{head: "单位填报", kind: xlCenter, max: 12},
		{head: "情况说明", kind: xlText, max: 28, min: 14},
		{head: "进展情况", kind: xlText, max: 36, min: 16},
		{head: "存在问题", kind: xlText, max: 30, min: 12},
		{head: "下步措施", kind: xlText, max: 30, min: 12},
	}}
	for _, g := range b.Milestones {
		for _, r := range g.Items {
			ms.rows = append(ms.rows, []any{string(r.Status), r.ID, r.Chapter, r.Indicator, r.Due, r.Dept,
				r.Actual, r.Account, r.Note, r.Problems, r.NextSteps})
		}
	}
	out = append(out, ms)

	// 未报送
	// Rows tall enough to note each call by hand on a printed copy.
	mi := xlTable{sheet: SheetMissing, empty: "各单位均已报送。", minHeight: 30, cols: []xlColumn{
		{head: "序号", kind: xlSeq},
		{head: "单位", kind: xlText, max: 30, min: 18},
		{head: "简称", kind: xlText, max: 20},
		{head: "联系人", kind: xlText, max: 12, min: 8},
		{head: "联系电话", kind: xlText, max: 18, min: 14},
		{head: "牵头指标数", kind: xlInt},
		{head: "催报记录", kind: xlText, min: 30},
	}}
	for i, m := range b.Missing {
		mi.rows = append(mi.rows, []any{i + 1, m.Name, m.Short, m.Contact, m.Phone, m.Targets, ""})
	}
	if len(b.Missing) > 0 {
		mi.note = "催报清单：以上单位本期尚未报送，请电话催报并在“催报记录”栏登记。"
		if b.Meta.Deadline != "" {
			mi.note = "催报清单：以上单位截至报送截止日期（" + b.Meta.Deadline + "）尚未报送，请电话催报并在“催报记录”栏登记。"
		}
	}
	out = append(out, mi)

	// 明细
	dt := xlTable{sheet: SheetDetail, freezeCols: 2, cols: []xlColumn{
		{head: "编号", kind: xlCenter, max: 10},
		{head: "指标", kind: xlText, max: 22, min: 14},
		{head: "领域", kind: xlText, max: 16},
		{head: "分项", kind: xlText, max: 12},
		{head: "任务", kind: xlText, max: 14},
		{head: "类型", kind: xlCenter},
		{head: "性质", kind: xlCenter},
		{head: "目标", kind: xlCenter, max: 12},
		{head: "目标值", kind: xlNum, max: 10},
		{head: "单位", kind: xlCenter, max: 8},
		{head: "计划完成", kind: xlCenter, max: 10},
		{head: "责任单位", kind: xlText, max: 16},
		{head: "完成值", kind: xlNum, max: 12, min: 8},
		{head: "原始填报", kind: xlText, max: 10},
		{head: "进度", kind: xlPct, min: 8},
		{head: "序时进度", kind: xlPct, min: 8},
		{head: "状态", kind: xlCenter, min: 10, state: true},
		{head: "情况说明", kind: xlText, max: 24, min: 14},
		{head: "进展情况", kind: xlText, max: 20, min: 10},
		{head: "存在问题", kind: xlText, max: 24, min: 10},
		{head: "下步措施", kind: xlText, max: 24, min: 10},
		{head: "来源文件", kind: xlText, max: 22},
		{head: "工作表", kind: xlCenter, max: 10},
		{head: "单元格", kind: xlCenter, max: 8},
	}}
	for _, r := range b.Rows {
		dt.rows = append(dt.rows, []any{r.ID, r.Indicator, r.Chapter, r.Section, r.Task, r.KindLabel, r.Nature,
			r.Target, r.Value, r.Unit, r.Due, r.Dept, xlActual(r), xlRaw(r), xlProgress(r), xlExpected(r),
			string(r.Status), r.Account, r.Note, r.Problems, r.NextSteps, r.File, r.Sheet, r.Cell})
	}
	out = append(out, dt)

	// 校验问题
	fd := xlTable{sheet: SheetFindings, empty: "未发现问题。", cols: []xlColumn{
		{head: "单位", kind: xlText, max: 24, min: 10},
		{head: "级别", kind: xlCenter, min: 6, level: true},
		{head: "代码", kind: xlCenter},
		{head: "问题类型", kind: xlText, max: 24},
		{head: "文件", kind: xlText, max: 40},
		{head: "工作表", kind: xlCenter, max: 10},
		{head: "单元格", kind: xlCenter, max: 8},
		{head: "指标编号", kind: xlCenter, max: 10},
		{head: "说明", kind: xlText, max: 50, min: 30},
	}}
	for _, g := range b.Findings {
		for _, it := range g.Items {
			fd.rows = append(fd.rows, []any{it.Dept, it.Level, it.Code, it.Title, it.File, it.Sheet, it.Cell,
				it.Target, it.Message})
		}
	}
	out = append(out, fd)
	return out
}

func xlAt(xs []int, i int) int {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// ---- 总览

// Columns of 总览: the headline table on the left, charts to its right,
// and the charts' data far right, outside the print area.
const (
	xlChartDataCol = 16 // P: where the charts' data begins
)

func (x *xlBuilder) overview() {
	f, s, b := x.f, SheetOverview, x.b
	h := b.Headline
	x.fail(f.SetSheetView(s, 0, &excelize.ViewOptions{ShowGridLines: xlBoolPtr(false)}))
	for _, c := range []struct {
		from, to string
		w        float64
	}{{"A", "A", 22}, {"B", "B", 12}, {"C", "C", 14}, {"D", "D", 3}, {"E", "N", 9.5}} {
		x.fail(f.SetColWidth(s, c.from, c.to, c.w))
	}

	x.set(s, 1, 1, x.title())
	x.fail(f.MergeCell(s, "A1", "N1"))
	x.fail(f.SetCellStyle(s, "A1", "A1", x.style("title")))
	x.fail(f.SetRowHeight(s, 1, 28))
	x.set(s, 1, 2, x.info())
	x.fail(f.MergeCell(s, "A2", "N2"))
	x.fail(f.SetCellStyle(s, "A2", "A2", x.style("info")))
	row := 3
	if b.Meta.PlanMismatch {
		x.set(s, 1, row, "注意：汇总数据是按另一版本的计划登记表收集的，部分指标可能对不上，请用同一版本的登记表重新汇总。")
		x.fail(f.MergeCell(s, "A3", "N3"))
		x.fail(f.SetCellStyle(s, "A3", "A3", x.style("warn")))
		x.fail(f.SetRowHeight(s, row, 20))
		row++
	}
	x.set(s, 1, row, h.Summary)
	x.fail(f.MergeCell(s, xlCellName(1, row), xlCellName(14, row)))
	x.fail(f.SetCellStyle(s, xlCellName(1, row), xlCellName(1, row), x.style("para")))
	x.fail(f.SetRowHeight(s, row, float64(xlLines(h.Summary, 22+12+14+3+10*9.5))*15+6))
	row += 2

	// The headline table.
	x.set(s, 1, row, "主要数据")
	x.fail(f.SetCellStyle(s, xlCellName(1, row), xlCellName(1, row), x.style("section")))
	row++
	head := row
	for i, v := range []string{"项目", "数值", "占全部指标"} {
		x.set(s, i+1, row, v)
	}
	x.fail(f.SetCellStyle(s, xlCellName(1, row), xlCellName(3, row), x.style("header")))
	row++
	type line struct {
		label string
		v     any
		pct   bool // v is a share
		share any  // the third column: a share, or a word
	}
	ls := []line{
		{label: "指标总数", v: h.Targets},
		{label: "　其中：量化指标", v: h.Quantitative, share: h.QuantShare},
		{label: "　　　　重点任务", v: h.Milestones, share: h.MilesShare},
	}
	statusFirst := row + len(ls)
	for _, c := range h.ByStatus {
		ls = append(ls, line{label: string(c.Status), v: c.Count, share: c.Share})
	}
	ls = append(ls,
		line{label: "已完成和序时推进", v: h.OnSchedule, share: h.OnScheduleRate},
		line{label: "应报送单位", v: h.DeptsExpected},
		line{label: "已报送单位", v: h.DeptsIn},
		line{label: "报送率", v: h.SubmitRate, pct: true},
	)
	if h.OnTimeRate != nil && h.OnTime != nil {
		ls = append(ls, line{label: "按时报送单位", v: *h.OnTime}, line{label: "按时报送率", v: *h.OnTimeRate, pct: true})
	} else {
		ls = append(ls, line{label: "按时报送率", v: "—", share: "截止日期不详"})
	}
	ls = append(ls, line{label: "校验错误", v: h.Errors}, line{label: "校验警告", v: h.Warnings})
	for _, l := range ls {
		x.set(s, 1, row, l.label)
		x.set(s, 2, row, l.v)
		x.set(s, 3, row, l.share)
		x.fail(f.SetCellStyle(s, xlCellName(1, row), xlCellName(1, row), x.style("label")))
		switch {
		case l.pct:
			x.fail(f.SetCellStyle(s, xlCellName(2, row), xlCellName(2, row), x.style("pct")))
		case xlIsText(l.v):
			x.fail(f.SetCellStyle(s, xlCellName(2, row), xlCellName(2, row), x.style("center")))
		default:
			x.fail(f.SetCellStyle(s, xlCellName(2, row), xlCellName(2, row), x.style("int")))
		}
		if xlIsText(l.share) {
			x.fail(f.SetCellStyle(s, xlCellName(3, row), xlCellName(3, row), x.style("center")))
		} else {
			x.fail(f.SetCellStyle(s, xlCellName(3, row), xlCellName(3, row), x.style("pct")))
		}
		x.fail(f.SetRowHeight(s, row, 18))
		row++
	}
	if n := len(h.ByStatus); n > 0 {
		x.fail(f.SetConditionalFormat(s, fmt.Sprintf("A%d:A%d", statusFirst, statusFirst+n-1), x.statusRules()))
	}
	row++

	x.charts(head, row+1)
	x.print(s, "")
	x.fail(f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Area", RefersTo: "'" + s + "'!$A$1:$N$" + fmt.Sprint(x.overviewEnd), Scope: s,
	}))
}

func xlIsText(v any) bool { _, ok := v.(string); return ok }

func xlBoolPtr(b bool) *bool { return &b }

// charts writes the charts' data beside the overview and draws the three charts.
func (x *xlBuilder) charts(headRow, belowTable int) {
	f, s, b := x.f, SheetOverview, x.b
	dc := xlChartDataCol
	ref := func(c1, r1, c2, r2 int) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", s, xlColName(c1), r1, xlColName(c2), r2)
	}
	one := func(c, r int) string { return fmt.Sprintf("'%s'!$%s$%d", s, xlColName(c), r) }

	// Status by chapter: categories down, one column per status.
	r0 := 1
	x.set(s, dc, r0, "图表数据（供上方图表引用，请勿删除）")
	x.fail(f.SetCellStyle(s, xlCellName(dc, r0), xlCellName(dc, r0), x.style("chartdata")))
	r0 = 3
	sc := b.Charts.StatusByChapter
	x.set(s, dc, r0, "领域")
	for j, ser := range sc.Series {
		x.set(s, dc+1+j, r0, ser.Name)
		for i, v := range ser.Values {
			x.set(s, dc+1+j, r0+1+i, v)
		}
	}
	for i, c := range sc.Categories {
		x.set(s, dc, r0+1+i, c)
	}
	chapterEnd := r0 + max(len(sc.Categories), 1)
	x.fail(f.SetCellStyle(s, xlCellName(dc, r0), xlCellName(dc+len(sc.Series), chapterEnd), x.style("chartdata")))

	// Completion by department.
	d0 := chapterEnd + 2
	cd := b.Charts.CompletionByDept
	x.set(s, dc, d0, "责任单位")
	x.set(s, dc+1, d0, "已完成和序时推进占比")
	for i, c := range cd.Categories {
		x.set(s, dc, d0+1+i, c)
		if i < len(cd.Values) && !(i < len(cd.Absent) && cd.Absent[i]) {
			x.set(s, dc+1, d0+1+i, cd.Values[i]) // a department that sent nothing gets no bar
		}
	}
	deptEnd := d0 + max(len(cd.Categories), 1)
	x.fail(f.SetCellStyle(s, xlCellName(dc, d0), xlCellName(dc, deptEnd), x.style("chartdata")))
	x.fail(f.SetCellStyle(s, xlCellName(dc+1, d0), xlCellName(dc+1, deptEnd), x.style("chartdata-pct")))

	// Status shares for the doughnut: only statuses that occur, so every slice is labelled.
	p0 := deptEnd + 2
	x.set(s, dc, p0, "状态")
	x.set(s, dc+1, p0, "指标数")
	var points []excelize.ChartDataPoint
	n := 0
	for _, c := range b.Headline.ByStatus {
		if c.Count == 0 {
			continue
		}
		x.set(s, dc, p0+1+n, string(c.Status))
		x.set(s, dc+1, p0+1+n, c.Count)
		points = append(points, excelize.ChartDataPoint{Index: n, Fill: xlSolid(xlStatusColors[c.Status].chart)})
		n++
	}
	x.fail(f.SetCellStyle(s, xlCellName(dc, p0), xlCellName(dc+1, p0+max(n, 1)), x.style("chartdata")))

	axisFont := excelize.Font{Color: "#000000", Size: 9}
	titleOf := func(t string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t,
			Font: &excelize.Font{Bold: true, Size: 12, Color: "#000000"}}}}
	}
	noFmt := excelize.ChartNumFmt{CustomNumFmt: "0;;;"} // counts of zero get no label

	// The doughnut beside the headline table.
	if n > 0 {
		x.fail(f.AddChart(s, xlCellName(5, headRow), &excelize.Chart{
			Type: excelize.Doughnut,
			Series: []excelize.ChartSeries{{
				Name: one(dc+1, p0), Categories: ref(dc, p0+1, dc, p0+n), Values: ref(dc+1, p0+1, dc+1, p0+n),
				DataPoint: points,
				// Labels on white, readable on dark and light slices alike, in colour or not.
				DataLabel: excelize.ChartDataLabel{Fill: xlSolid("#FFFFFF"), Font: excelize.Font{Size: 9, Color: "#000000"}},
			}},
			Title:  titleOf("指标状态分布"),
			Legend: excelize.ChartLegend{Position: "right", Font: &excelize.Font{Size: 10, Color: "#000000"}},
			// Values only: the legend names the statuses, and a name on every
			// slice made small neighbours overlap.
			PlotArea: excelize.ChartPlotArea{ShowVal: true, ShowLeaderLines: true,
				NumFmt: noFmt},
			HoleSize:  45,
			Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: 2},
			Dimension: excelize.ChartDimension{Width: 640, Height: 330},
		}))
	}

	// Status by chapter, stacked bars.
	barTop := max(belowTable, headRow+18)
	gap := uint(50)
	overlap := 100
	var series []excelize.ChartSeries
	for j, ser := range sc.Series {
		c := xlStatusColors[plan.Status(ser.Name)]
		series = append(series, excelize.ChartSeries{
			Name:       one(dc+1+j, r0),
			Categories: ref(dc, r0+1, dc, chapterEnd),
			Values:     ref(dc+1+j, r0+1, dc+1+j, chapterEnd),
			Fill:       xlSolid(c.chart),
			DataLabel:  excelize.ChartDataLabel{Font: excelize.Font{Color: c.label, Size: 9, Bold: true}},
		})
	}
	chH := uint(110 + 34*max(len(sc.Categories), 1))
	if len(series) > 0 {
		x.fail(f.InsertPageBreak(s, xlCellName(1, barTop)))
		x.fail(f.AddChart(s, xlCellName(1, barTop), &excelize.Chart{
			Type:      excelize.BarStacked,
			Series:    series,
			Title:     titleOf("分领域指标进展情况（项）"),
			Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 10, Color: "#000000"}},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: noFmt},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont},
			GapWidth:  &gap,
			Overlap:   &overlap,
			Format:    excelize.GraphicOptions{OffsetX: 2, OffsetY: 4},
			Dimension: excelize.ChartDimension{Width: 1000, Height: chH},
		}))
	}

	// Completion by department, bars.
	deptTop := barTop + xlChartRows(chH) + 1
	dH := uint(100 + 18*max(len(cd.Categories), 1))
	if len(cd.Categories) > 0 {
		x.fail(f.InsertPageBreak(s, xlCellName(1, deptTop)))
		lo, hi := 0.0, 1.0
		deptGap := uint(40)
		x.fail(f.AddChart(s, xlCellName(1, deptTop), &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:              one(dc+1, d0),
				Categories:        ref(dc, d0+1, dc, deptEnd),
				Values:            ref(dc+1, d0+1, dc+1, deptEnd),
				Fill:              xlSolid(xlStatusColors[plan.Done].chart),
				DataLabel:         excelize.ChartDataLabel{Font: excelize.Font{Color: "#000000", Size: 9}},
				DataLabelPosition: excelize.ChartDataLabelsPositionOutsideEnd,
			}},
			Title:     titleOf("各单位已完成和序时推进指标占比"),
			GapWidth:  &deptGap,
			Legend:    excelize.ChartLegend{Position: "none"},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Minimum: &lo, Maximum: &hi, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			Format:    excelize.GraphicOptions{OffsetX: 2, OffsetY: 4},
			Dimension: excelize.ChartDimension{Width: 1000, Height: dH},
		}))
	}
	x.overviewEnd = deptTop + xlChartRows(dH)
	// Rows under the charts get an explicit height, so the charts' anchors and
	// the page breaks fall on the same rows in every spreadsheet program.
	for r := barTop; r <= x.overviewEnd; r++ {
		x.fail(f.SetRowHeight(s, r, xlChartRowHeight))
	}
}

// xlChartRowHeight is the height, in points, of the rows a chart sits on.
const xlChartRowHeight = 15

// xlChartRows is how many rows a chart of height h pixels spans, counted as
// excelize anchors it: a row of p points is ceil(p×4/3.4) pixels to it.
func xlChartRows(h uint) int {
	px := math.Ceil(4.0 / 3.4 * xlChartRowHeight)
	return int(math.Ceil((float64(h) + 8) / px))
}

func xlSolid(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
