// Package planxlsx turns a plan's registry into 任务分工表, the workbook the
// planning office edits (who leads what, targets, quotes), and reads it back.
//
// The workbook has three sheets: 指标 (one row a target, every field of
// plan.Target as a column), 部门 (the roster) and 计划 (metadata and
// thresholds as key/value rows), plus a hidden sheet of drop-down lists.
// Columns are found by their headings when reading, so the office may add
// columns of its own or reorder them.
package planxlsx

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/internal/xlsxdim"
	"planrep/plan"
)

// Sheet names.
const (
	SheetTargets = "指标"
	SheetDepts   = "部门"
	SheetPlan    = "计划"
	SheetLists   = "_lists" // hidden: the drop-down lists
)

// ExtraRows is how many empty rows below the last target carry the
// drop-downs, so that the office can add targets.
const ExtraRows = 500

// Column keys of SheetTargets.
const (
	ColID         = "id"
	ColChapter    = "chapter"
	ColSection    = "section"
	ColTask       = "task"
	ColIndicator  = "indicator"
	ColKind       = "kind"
	ColValue      = "value"
	ColUnit       = "unit"
	ColComparator = "comparator"
	ColQualifiers = "qualifiers"
	ColNature     = "nature"
	ColBase       = "base"
	ColBaseYear   = "base_year"
	ColSchedule   = "schedule"
	ColDue        = "due"
	ColLead       = "lead"
	ColSupport    = "support"
	ColQuote      = "quote"
)

// Column is one column of a sheet.
type Column struct {
	Key    string
	Header string
	Width  float64
	Text   bool // formatted as text, so Excel does not turn 1-03 into a date
	Wrap   bool
}

// TargetColumns is the layout of SheetTargets, from column A.
var TargetColumns = []Column{
	{Key: ColID, Header: "编号", Width: 8, Text: true},
	{Key: ColChapter, Header: "所属章节", Width: 18, Text: true, Wrap: true},
	{Key: ColSection, Header: "所属小节", Width: 16, Text: true, Wrap: true},
	{Key: ColTask, Header: "任务", Width: 16, Text: true, Wrap: true},
	{Key: ColIndicator, Header: "指标名称", Width: 24, Text: true, Wrap: true},
	{Key: ColKind, Header: "指标类型", Width: 10},
	{Key: ColValue, Header: "目标值", Width: 9},
	{Key: ColUnit, Header: "单位", Width: 8, Text: true},
	{Key: ColComparator, Header: "比较方式", Width: 14},
	{Key: ColQualifiers, Header: "限定词", Width: 12, Text: true},
	{Key: ColNature, Header: "约束性/预期性", Width: 9},
	{Key: ColBase, Header: "基数", Width: 9},
	{Key: ColBaseYear, Header: "基数年份", Width: 9},
	{Key: ColSchedule, Header: "进度安排", Width: 16, Text: true},
	{Key: ColDue, Header: "计划完成时间", Width: 11, Text: true},
	{Key: ColLead, Header: "牵头部门", Width: 18},
	{Key: ColSupport, Header: "配合部门", Width: 22, Text: true, Wrap: true},
	{Key: ColQuote, Header: "计划原文", Width: 60, Text: true, Wrap: true},
}

// DeptColumns is the layout of SheetDepts, from column A.
var DeptColumns = []Column{
	{Key: "code", Header: "代码", Width: 10, Text: true},
	{Key: "name", Header: "全称", Width: 34, Text: true},
	{Key: "short", Header: "简称", Width: 22, Text: true},
	{Key: "contact", Header: "联系人", Width: 12, Text: true},
	{Key: "phone", Header: "联系电话", Width: 16, Text: true},
}

// Col returns the column letter of key in cols ("" if absent).
func Col(cols []Column, key string) string {
	for i, c := range cols {
		if c.Key == key {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	return ""
}

// Plan metadata keys of SheetPlan: column A holds the label, B the value.
const (
	KeyID          = "计划编号"
	KeyTitle       = "计划名称"
	KeyYear        = "计划年度"
	KeyOffice      = "发布机关"
	KeyPlanner     = "组织填报单位"
	KeySource      = "计划原文文件"
	KeyTolerance   = "序时容差"
	KeySerious     = "严重滞后阈值"
	KeyApprox      = "“左右”允许偏差"
	KeyConsistency = "区县合计容差"
)

type planRow struct {
	key, note string
	value     func(p *plan.Plan) any // string, int or float64
	percent   bool
}

var planRows = []planRow{
	{KeyID, "计划的唯一编号，各部门模板据此识别计划，请勿随意修改", func(p *plan.Plan) any { return p.ID }, false},
	{KeyTitle, "计划全称", func(p *plan.Plan) any { return p.Title }, false},
	{KeyYear, "四位年份", func(p *plan.Plan) any { return p.Year }, false},
	{KeyOffice, "计划的发布机关", func(p *plan.Plan) any { return p.Office }, false},
	{KeyPlanner, "组织各部门填报进度的单位", func(p *plan.Plan) any { return p.Planner }, false},
	{KeySource, "计划原文的文件名（与 plan.yaml 放在同一文件夹），每条指标的“计划原文”须能在其中逐字找到", func(p *plan.Plan) any { return p.Source }, false},
	{KeyTolerance, "完成进度落后序时进度不超过此幅度，仍算“序时推进”（如 5% 表示 5 个百分点）", func(p *plan.Plan) any { return p.Thresholds.Tolerance }, true},
	{KeySerious, "完成进度落后序时进度超过此幅度，算“严重滞后”", func(p *plan.Plan) any { return p.Thresholds.Serious }, true},
	{KeyApprox, "目标为“左右”时允许的相对偏差（如 2% 表示目标值的 2%）", func(p *plan.Plan) any { return p.Thresholds.Approx }, true},
	{KeyConsistency, "各区县合计与牵头部门报送的全市数相差不超过全市数的此比例，视为口径一致（留空为 2%）", func(p *plan.Plan) any {
		if p.Thresholds.Consistency == 0 {
			return ""
		}
		return p.Thresholds.Consistency
	}, true},
	{KeySplitNature, "“分解”工作表中的区县分解数是“示例”（按分解说明的规则生成、仅供演示）还是“正式”下达的任务", splitNature, false},
	{KeySplitRule, "分解数是怎样得出的；为示例时，各处显示均标注“示例”", func(p *plan.Plan) any {
		if p.Split == nil {
			return ""
		}
		return p.Split.Rule
	}, false},
}

func splitNature(p *plan.Plan) any {
	switch {
	case p.Split != nil && p.Split.Example:
		return natureExample
	case len(p.Districts) > 0:
		return natureOfficial
	}
	return ""
}

// Comparator choices of the drop-down, with a Chinese gloss.
var comparatorChoices = []struct {
	c     plan.Comparator
	label string
}{
	{plan.AtLeast, ">=（达到或超过）"},
	{plan.AtMost, "<=（不超过）"},
	{plan.About, "~（左右）"},
}

func comparatorLabel(c plan.Comparator) string {
	for _, x := range comparatorChoices {
		if x.c == c {
			return x.label
		}
	}
	return string(c)
}

// Nature choices of the drop-down.
const (
	natureBinding  = "约束性"
	natureExpected = "预期性"
)

// Separators: lists inside one cell.
const (
	listSep     = "、"
	scheduleSep = ";"
)

// Write writes the registry as 任务分工表 to w.
func Write(w io.Writer, p *plan.Plan) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := build(f, p); err != nil {
		return fmt.Errorf("生成任务分工表失败：%w", err)
	}
	if err := xlsxdim.WriteTo(w, f); err != nil {
		return fmt.Errorf("写入任务分工表失败：%w", err)
	}
	return nil
}

type styles struct {
	header, text, wrap, number, year, percent int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	defs := []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
		}},
		{&s.text, &excelize.Style{NumFmt: 49, Alignment: top}},
		{&s.wrap, &excelize.Style{NumFmt: 49, Alignment: wrapTop}},
		{&s.number, &excelize.Style{NumFmt: 0, Alignment: top}},
		{&s.year, &excelize.Style{NumFmt: 1, Alignment: top}},
		{&s.percent, &excelize.Style{NumFmt: 10, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

func build(f *excelize.File, p *plan.Plan) error {
	if err := f.SetSheetName("Sheet1", SheetTargets); err != nil {
		return err
	}
	for _, name := range []string{SheetDepts, SheetDistricts, SheetSplit, SheetPlan, SheetLists} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	lists, err := writeLists(f, p)
	if err != nil {
		return err
	}
	if err := writeTargets(f, p, st, lists); err != nil {
		return err
	}
	if err := writeDepts(f, p, st); err != nil {
		return err
	}
	if err := writeDistricts(f, p, st); err != nil {
		return err
	}
	if err := writeSplit(f, p, st, lists); err != nil {
		return err
	}
	if err := writePlan(f, p, st); err != nil {
		return err
	}
	if err := f.SetSheetVisible(SheetLists, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// writeLists puts every drop-down's choices in a column of the hidden
// sheet and returns each list's range, keyed by column key. Lists typed
// into the validation itself fail beyond 255 characters.
func writeLists(f *excelize.File, p *plan.Plan) (map[string]string, error) {
	var kinds, comps, shorts []string
	for _, k := range plan.Kinds {
		kinds = append(kinds, k.Label())
	}
	for _, c := range comparatorChoices {
		comps = append(comps, c.label)
	}
	for _, d := range p.Depts {
		if d.Short != "" {
			shorts = append(shorts, d.Short)
		}
	}
	cols := []struct {
		key   string
		items []string
	}{
		{ColKind, kinds},
		{ColComparator, comps},
		{ColNature, []string{natureBinding, natureExpected}},
		{ColLead, shorts},
		{ColUnit, plan.KnownUnits},
		{"method", []string{MethodQuota, MethodOwn}},
	}
	out := map[string]string{}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		for j, item := range c.items {
			if err := f.SetCellStr(SheetLists, fmt.Sprintf("%s%d", col, j+1), item); err != nil {
				return nil, err
			}
		}
		if len(c.items) > 0 {
			out[c.key] = fmt.Sprintf("%s!$%s$1:$%s$%d", SheetLists, col, col, len(c.items))
		}
	}
	return out, nil
}

func writeHeader(f *excelize.File, sheet string, cols []Column, st styles) error {
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, c.Width); err != nil {
			return err
		}
		style := st.number
		switch {
		case c.Wrap:
			style = st.wrap
		case c.Text:
			style = st.text
		}
		if err := f.SetColStyle(sheet, name, style); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, name+"1", c.Header); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetCellStyle(sheet, "A1", last+"1", st.header); err != nil {
		return err
	}
	return f.SetRowHeight(sheet, 1, 30)
}

func writeTargets(f *excelize.File, p *plan.Plan, st styles, lists map[string]string) error {
	sh := SheetTargets
	if err := writeHeader(f, sh, TargetColumns, st); err != nil {
		return err
	}
	if err := f.SetColStyle(sh, Col(TargetColumns, ColBaseYear), st.year); err != nil {
		return err
	}
	short := map[string]string{}
	for _, d := range p.Depts {
		short[d.Code] = d.Short
	}
	dept := func(code string) string {
		if s, ok := short[code]; ok && s != "" {
			return s
		}
		return code
	}
	for i, t := range p.Targets {
		row := i + 2
		set := func(key string, v any) error {
			cell := fmt.Sprintf("%s%d", Col(TargetColumns, key), row)
			switch v := v.(type) {
			case string:
				if v == "" {
					return nil
				}
				return f.SetCellStr(sh, cell, v)
			case float64:
				return f.SetCellFloat(sh, cell, v, -1, 64)
			case int:
				return f.SetCellInt(sh, cell, int64(v))
			}
			return nil
		}
		var support []string
		for _, s := range t.Support {
			support = append(support, dept(s))
		}
		nature := natureExpected
		if t.Binding {
			nature = natureBinding
		}
		kind := t.Kind.Label()
		cells := []struct {
			key string
			v   any
		}{
			{ColID, t.ID}, {ColChapter, t.Chapter}, {ColSection, t.Section}, {ColTask, t.Task},
			{ColIndicator, t.Indicator}, {ColKind, kind}, {ColUnit, t.Unit},
			{ColComparator, comparatorLabel(t.Comparator)},
			{ColQualifiers, strings.Join(t.Qualifiers, listSep)}, {ColNature, nature},
			{ColSchedule, FormatSchedule(t.Schedule)}, {ColDue, t.Due}, {ColLead, dept(t.Lead)},
			{ColSupport, strings.Join(support, listSep)}, {ColQuote, t.Quote},
		}
		if t.Value != nil {
			cells = append(cells, struct {
				key string
				v   any
			}{ColValue, *t.Value})
		}
		if t.Baseline != nil {
			cells = append(cells, struct {
				key string
				v   any
			}{ColBase, t.Baseline.Value}, struct {
				key string
				v   any
			}{ColBaseYear, t.Baseline.Year})
		}
		lines := 1
		for _, c := range cells {
			if err := set(c.key, c.v); err != nil {
				return err
			}
			if text, ok := c.v.(string); ok {
				lines = max(lines, wrappedLines(text, TargetColumns, c.key))
			}
		}
		// Spreadsheet programs do not grow rows to fit wrapped text on
		// opening: set the height the longest cell needs.
		if lines > 1 {
			if err := f.SetRowHeight(sh, row, min(float64(lines)*lineHeight+4, 409)); err != nil {
				return err
			}
		}
	}
	last := len(p.Targets) + 1
	lastCol, _ := excelize.ColumnNumberToName(len(TargetColumns))
	if err := f.AutoFilter(sh, fmt.Sprintf("A1:%s%d", lastCol, max(last, 2)), nil); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}}); err != nil {
		return err
	}
	return addValidations(f, lists, last+ExtraRows)
}

// addValidations puts the drop-downs and input prompts on SheetTargets, from
// row 2 to row end.
func addValidations(f *excelize.File, lists map[string]string, end int) error {
	var kinds []string
	for _, k := range plan.Kinds {
		kinds = append(kinds, k.Label())
	}
	vs := []struct {
		key, title, prompt string
		stop               bool
		warning            string // the message when the entry is not in the list and not stop
	}{
		{ColKind, "指标类型", "请从下拉列表中选择：" + strings.Join(kinds, "、") + "。" +
			"累计量按年初以来累计完成值判断，增长率、下降率按百分比判断，重点任务按进展状态判断。", true, ""},
		{ColComparator, "比较方式", "请从下拉列表中选择：>= 表示达到或超过目标，<= 表示不超过目标（控制上限），~ 表示目标值左右。重点任务留空。", true, ""},
		{ColNature, "约束性/预期性", "请选择约束性或预期性。", true, ""},
		{ColLead, "牵头部门", "请从下拉列表中选择部门简称；新部门请先在“部门”工作表中添加，再在此直接输入其简称。", false,
			"该部门不在导出时的部门名单中。如是新部门，请确认已在“部门”工作表中添加，导入时将逐一核对。"},
		{ColUnit, "单位", "请从下拉列表中选择计量单位；重点任务留空。", false,
			"该单位不在常用单位表中。常用单位前加“万”“亿”“千”（如 万家、亿千瓦时）也可以，其他单位登记表检查将不能通过。"},
	}
	for _, v := range vs {
		ref, ok := lists[v.key]
		if !ok {
			continue
		}
		dv := excelize.NewDataValidation(true)
		col := Col(TargetColumns, v.key)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, end))
		dv.SetSqrefDropList(ref)
		dv.SetInput(v.title, v.prompt)
		if v.stop {
			dv.SetError(excelize.DataValidationErrorStyleStop, v.title, "输入的内容不在下拉列表中，请从列表中选择。")
		} else {
			dv.SetError(excelize.DataValidationErrorStyleWarning, v.title, v.warning)
		}
		if err := f.AddDataValidation(SheetTargets, dv); err != nil {
			return err
		}
	}
	prompts := []struct{ key, title, prompt string }{
		{ColID, "编号", "每个指标唯一的编号，如 1-03；已下发模板的指标请勿改编号。"},
		{ColQualifiers, "限定词", "计划原文中的限定词，多个用顿号“、”分隔，如：力争、以上。"},
		{ColSchedule, "进度安排", "可不填（按时间均匀推进）。如需自定义，写成 Q1:0.1;H1:0.3;Q3:0.6，表示一季度末应完成 10%、上半年末 30%、前三季度末 60%。"},
		{ColDue, "计划完成时间", "重点任务的计划完成时间，如 2025Q4（四季度末）、2025H1（上半年）、2025M06（6月底）。"},
		{ColSupport, "配合部门", "填写部门简称，多个用顿号“、”分隔。"},
		{ColQuote, "计划原文", "从计划原文中逐字复制的句段，登记表检查会逐字核对。"},
	}
	for _, v := range prompts {
		dv := excelize.NewDataValidation(true)
		col := Col(TargetColumns, v.key)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, end))
		dv.SetInput(v.title, v.prompt)
		if err := f.AddDataValidation(SheetTargets, dv); err != nil {
			return err
		}
	}
	return nil
}

func writeDepts(f *excelize.File, p *plan.Plan, st styles) error {
	sh := SheetDepts
	if err := writeHeader(f, sh, DeptColumns, st); err != nil {
		return err
	}
	for i, d := range p.Depts {
		for j, v := range []string{d.Code, d.Name, d.Short, d.Contact, d.Phone} {
			if v == "" {
				continue
			}
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStr(sh, fmt.Sprintf("%s%d", col, i+2), v); err != nil {
				return err
			}
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(DeptColumns))
	if err := f.AutoFilter(sh, fmt.Sprintf("A1:%s%d", lastCol, max(len(p.Depts)+1, 2)), nil); err != nil {
		return err
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

func writePlan(f *excelize.File, p *plan.Plan, st styles) error {
	sh := SheetPlan
	cols := []Column{{Header: "项目", Width: 16}, {Header: "内容", Width: 44, Wrap: true}, {Header: "说明", Width: 70, Wrap: true}}
	if err := writeHeader(f, sh, cols, st); err != nil {
		return err
	}
	for i, r := range planRows {
		row := i + 2
		if err := f.SetCellStr(sh, fmt.Sprintf("A%d", row), r.key); err != nil {
			return err
		}
		cell := fmt.Sprintf("B%d", row)
		var err error
		switch v := r.value(p).(type) {
		case string:
			err = f.SetCellStr(sh, cell, v)
		case int:
			err = f.SetCellInt(sh, cell, int64(v))
		case float64:
			err = f.SetCellFloat(sh, cell, v, -1, 64)
			if err == nil && r.percent {
				err = f.SetCellStyle(sh, cell, cell, st.percent)
			}
		}
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sh, fmt.Sprintf("C%d", row), r.note); err != nil {
			return err
		}
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomLeft"}}})
}

// FormatSchedule writes a schedule as one cell: Q1:0.1;H1:0.3;Q3:0.6, in
// the order of the periods' ends.
func FormatSchedule(s map[string]float64) string {
	if len(s) == 0 {
		return ""
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	end := func(k string) int {
		if p, err := plan.ParsePeriod("2000" + strings.ToUpper(k)); err == nil {
			return p.EndMonth()
		}
		return 99
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := end(keys[i]), end(keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + strconv.FormatFloat(s[k], 'f', -1, 64)
	}
	return strings.Join(parts, scheduleSep)
}

// lineHeight is the height in points of one line of 11-point text.
const lineHeight = 14.5

// wrappedLines estimates how many lines text takes in the column of key:
// a Chinese character is two units of column width, a Latin one one unit.
func wrappedLines(text string, cols []Column, key string) int {
	var col Column
	for _, c := range cols {
		if c.Key == key {
			col = c
		}
	}
	if !col.Wrap || col.Width <= 2 {
		return 1
	}
	per := col.Width - 1
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		units := 0.0
		for _, r := range para {
			if r >= 0x2E80 {
				units += 2
			} else {
				units++
			}
		}
		lines += max(1, int(math.Ceil(units/per)))
	}
	return lines
}
