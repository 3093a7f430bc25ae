package planxlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// Sheets of the 区县 roster and the split (分解表). Both are optional when
// reading: a 任务分工表 exported before 区县 existed has neither.
const (
	SheetDistricts = "区县"
	SheetSplit     = "分解"
)

// Plan metadata keys of the split, on SheetPlan.
const (
	KeySplitNature = "分解表性质"
	KeySplitRule   = "分解说明"
)

// Split natures of KeySplitNature.
const (
	natureExample  = plan.ExampleLabel // quotas made by a rule for illustration
	natureOfficial = "正式"
)

// How a row of SheetSplit gives its 区县 figures.
const (
	MethodQuota = "分解任务" // quotas of an additive target, adding up to the city target
	MethodOwn   = "区县目标" // targets of their own, judged alone, not added up
)

// Rows of SheetSplit: a title, the headings, then one row a quantitative target.
const (
	splitTitleRow  = 1
	splitHeaderRow = 2
	splitFirstRow  = 3
)

// SplitColumns are the fixed columns of SheetSplit, from column A; one
// column a 区县 follows, headed by its short name, then the total and the
// shortfall (formulas).
var SplitColumns = []Column{
	{Key: ColID, Header: "编号", Width: 8, Text: true},
	{Key: ColIndicator, Header: "指标名称", Width: 24, Text: true, Wrap: true},
	{Key: ColKind, Header: "指标类型", Width: 9},
	{Key: ColValue, Header: "全市目标", Width: 9},
	{Key: ColUnit, Header: "单位", Width: 7, Text: true},
	{Key: "method", Header: "分解方式", Width: 10},
}

// Headings of the formula columns after the 区县.
const (
	headSum       = "区县合计"
	headShortfall = "差额"
)

func writeDistricts(f *excelize.File, p *plan.Plan, st styles) error {
	sh := SheetDistricts
	if err := writeHeader(f, sh, DeptColumns, st); err != nil {
		return err
	}
	for i, d := range p.Districts {
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
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

// splitTitle heads SheetSplit; an example split says so in its first words.
func splitTitle(p *plan.Plan) string {
	s := "区县任务分解表：累计量指标填分解任务（各区县合计不少于全市目标）；其他量化指标可填区县目标（各区县单独评价，不相加）"
	if p.Split != nil && p.Split.Example {
		s = "【示例】" + s
		if p.Split.Rule != "" {
			s += "。" + p.Split.Rule
		}
	}
	return s
}

func writeSplit(f *excelize.File, p *plan.Plan, st styles, lists map[string]string) error {
	sh := SheetSplit
	nd := len(p.Districts)
	cols := append([]Column(nil), SplitColumns...)
	for _, d := range p.Districts {
		cols = append(cols, Column{Key: "d:" + d.Code, Header: d.Short, Width: max(7, float64(len([]rune(d.Short)))*2+1)})
	}
	cols = append(cols, Column{Header: headSum, Width: 10}, Column{Header: headShortfall, Width: 9})
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, c.Width); err != nil {
			return err
		}
		style := st.number
		switch {
		case c.Wrap:
			style = st.wrap
		case c.Text:
			style = st.text
		}
		if err := f.SetColStyle(sh, name, style); err != nil {
			return err
		}
		if err := f.SetCellStr(sh, cell2(i+1, splitHeaderRow), c.Header); err != nil {
			return err
		}
	}
	last := len(cols)
	if err := f.SetCellStyle(sh, cell2(1, splitHeaderRow), cell2(last, splitHeaderRow), st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, splitHeaderRow, 30); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, cell2(1, splitTitleRow), splitTitle(p)); err != nil {
		return err
	}
	if err := f.MergeCell(sh, cell2(1, splitTitleRow), cell2(last, splitTitleRow)); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cell2(1, splitTitleRow), cell2(1, splitTitleRow), st.wrap); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, splitTitleRow, 44); err != nil {
		return err
	}
	firstD, lastD := len(SplitColumns)+1, len(SplitColumns)+nd
	row := splitFirstRow
	for _, t := range p.Targets {
		if !t.Kind.Quantitative() {
			continue
		}
		method, m := MethodOwn, t.Own
		if t.Kind.Additive() || len(t.Quotas) > 0 {
			method, m = MethodQuota, t.Quotas
		}
		vals := []any{t.ID, t.Indicator, t.Kind.Label(), nil, t.Unit, method}
		if t.Value != nil {
			vals[3] = *t.Value
		}
		for i, v := range vals {
			ref := cell2(i+1, row)
			var err error
			switch v := v.(type) {
			case string:
				err = f.SetCellStr(sh, ref, v)
			case float64:
				err = f.SetCellFloat(sh, ref, v, -1, 64)
			}
			if err != nil {
				return err
			}
		}
		for j, d := range p.Districts {
			if v, ok := m[d.Code]; ok {
				if err := f.SetCellFloat(sh, cell2(firstD+j, row), v, -1, 64); err != nil {
					return err
				}
			}
		}
		if nd > 0 {
			rng := cell2(firstD, row) + ":" + cell2(lastD, row)
			method := cell2(6, row)
			if err := f.SetCellFormula(sh, cell2(lastD+1, row),
				fmt.Sprintf(`IF(AND(%s="%s",COUNT(%s)>0),SUM(%s),"")`, method, MethodQuota, rng, rng)); err != nil {
				return err
			}
			if err := f.SetCellFormula(sh, cell2(lastD+2, row),
				fmt.Sprintf(`IF(%s="","",%s-%s)`, cell2(lastD+1, row), cell2(lastD+1, row), cell2(4, row))); err != nil {
				return err
			}
		}
		if lines := wrappedLines(t.Indicator, cols, ColIndicator); lines > 1 {
			if err := f.SetRowHeight(sh, row, float64(lines)*lineHeight+4); err != nil {
				return err
			}
		}
		row++
	}
	end := max(row-1, splitFirstRow)
	// A shortfall shows red: the quotas do not reach the city target.
	red, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006", Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	if err != nil {
		return err
	}
	if nd > 0 {
		short := fmt.Sprintf("%s:%s", cell2(lastD+2, splitFirstRow), cell2(lastD+2, end))
		if err := f.SetConditionalFormat(sh, short, []excelize.ConditionalFormatOptions{
			{Type: "cell", Criteria: "<", Format: &red, Value: "0"},
		}); err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s:%s", cell2(firstD, splitFirstRow), cell2(lastD, end+ExtraRows)))
		dv.SetInput("区县分解", "填写该区县的分解任务或区县目标（只填数字，单位同“单位”列）；不分解到该区县的留空。")
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	if ref, ok := lists["method"]; ok {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("F%d:F%d", splitFirstRow, end+ExtraRows))
		dv.SetSqrefDropList(ref)
		dv.SetInput("分解方式", "累计量指标选“分解任务”：各区县合计应不少于全市目标；增长率、水平值等不能相加的指标选“区县目标”：各区县单独评价。")
		dv.SetError(excelize.DataValidationErrorStyleStop, "分解方式", "请从下拉列表中选择：分解任务或区县目标。")
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: splitHeaderRow, TopLeftCell: cell2(3, splitFirstRow),
		ActivePane: "bottomRight", Selection: []excelize.Selection{{SQRef: cell2(firstD, splitFirstRow), ActiveCell: cell2(firstD, splitFirstRow), Pane: "bottomRight"}}})
}

func cell2(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// readDistricts reads SheetDistricts when the workbook has it.
func (b *Book) readDistricts(f *excelize.File) error {
	if idx, err := f.GetSheetIndex(SheetDistricts); err != nil || idx < 0 {
		return nil
	}
	rs, err := rows(f, SheetDistricts)
	if err != nil {
		return err
	}
	col, err := header(SheetDistricts, rs, DeptColumns)
	if err != nil {
		return err
	}
	shortRow := map[string]int{}
	for i := 1; i < len(rs); i++ {
		r := rs[i]
		if blank(r) {
			continue
		}
		d := plan.District{
			Code: cell(r, col["code"]), Name: cell(r, col["name"]), Short: cell(r, col["short"]),
			Contact: cell(r, col["contact"]), Phone: cell(r, col["phone"]),
		}
		if d.Code == "" {
			b.add(SheetDistricts, i+1, "", "区县“%s”缺少代码：请填写由大写字母、数字组成的代码（如 ZHANGDIAN）", firstNonEmpty(d.Short, d.Name))
		}
		if prev, dup := shortRow[d.Short]; dup && d.Short != "" {
			b.add(SheetDistricts, i+1, "", "简称“%s”与第 %d 行重复：各区县简称须不同，“分解”工作表按简称识别区县", d.Short, prev)
			b.suppressPlan = append(b.suppressPlan, "区县简称 "+d.Short+" 重复")
		} else {
			shortRow[d.Short] = i + 1
		}
		b.Plan.Districts = append(b.Plan.Districts, d)
		b.districtRows = append(b.districtRows, i+1)
	}
	return nil
}

// district finds a 区县 by short name, full name or code.
func (b *Book) district(s string) (string, bool) {
	for _, match := range []func(d plan.District) bool{
		func(d plan.District) bool { return d.Short == s },
		func(d plan.District) bool { return d.Name == s },
		func(d plan.District) bool { return d.Code == s },
		func(d plan.District) bool { return strings.EqualFold(d.Code, s) },
	} {
		for _, d := range b.Plan.Districts {
			if d.Code != "" && match(d) {
				return d.Code, true
			}
		}
	}
	return "", false
}

// readSplit reads SheetSplit, when the workbook has it, into the quotas and
// own targets of the targets already read. Which of the two a row holds is
// its 分解方式; plan.Check then refuses quotas on a kind that does not add
// up, as it does in plan.yaml.
func (b *Book) readSplit(f *excelize.File) error {
	if idx, err := f.GetSheetIndex(SheetSplit); err != nil || idx < 0 {
		return nil
	}
	rs, err := rows(f, SheetSplit)
	if err != nil {
		return err
	}
	head := -1
	for i := 0; i < min(len(rs), 10) && head < 0; i++ {
		if len(rs[i]) > 0 && clean(rs[i][0]) == "编号" {
			head = i
		}
	}
	if head < 0 {
		return fmt.Errorf("工作表“%s”找不到表头（A 列为“编号”的一行）：请勿删除或改名表头", SheetSplit)
	}
	col, err := header(SheetSplit, rs[head:], []Column{SplitColumns[0], SplitColumns[5]})
	if err != nil {
		return err
	}
	var dcols []splitCol
	seenCode := map[string]bool{}
	for i, h := range rs[head] {
		h = clean(h)
		if h == "" || i <= col["method"] {
			continue
		}
		code, ok := b.district(h)
		switch {
		case ok && seenCode[code]:
			b.add(SheetSplit, head+1, "", "区县“%s”有两列：请删除重复的一列", h)
		case ok:
			seenCode[code] = true
			dcols = append(dcols, splitCol{i, code})
		case h != headSum && h != headShortfall:
			b.add(SheetSplit, head+1, "", "列标题“%s”不是“区县”工作表中的区县：新区县请先在“区县”工作表中添加，列标题写其简称", h)
		}
	}
	at := map[string]int{}
	for i, t := range b.Plan.Targets {
		if _, dup := at[t.ID]; !dup {
			at[t.ID] = i
		}
	}
	seen := map[string]int{}
	for i := head + 1; i < len(rs); i++ {
		r := rs[i]
		row := i + 1
		id := cell(r, col[ColID])
		if id == "" {
			if !blank(r[:min(len(r), col["method"]+1)]) || anyFilled(r, dcols) {
				b.add(SheetSplit, row, "", "编号为空：请填写“指标”工作表中的指标编号")
			}
			continue
		}
		if prev, dup := seen[id]; dup {
			b.add(SheetSplit, row, id, "编号与第 %d 行重复：每个指标在分解表中只能有一行", prev)
			continue
		}
		seen[id] = row
		k, ok := at[id]
		if !ok {
			b.add(SheetSplit, row, id, "编号在“指标”工作表中找不到：请先在“指标”工作表中登记该指标")
			continue
		}
		t := &b.Plan.Targets[k]
		var m map[string]float64
		for _, dc := range dcols {
			s := cell(r, dc.idx)
			if s == "" {
				continue
			}
			v, err := parseNumber(s)
			if err != nil {
				d, _ := b.Plan.District(dc.code)
				b.add(SheetSplit, row, id, "%s的分解数“%s”不是数字：请只填写数字，单位同“单位”列", d.Short, s)
				continue
			}
			name, _ := excelize.ColumnNumberToName(dc.idx + 1)
			if b.percentCell(f, SheetSplit, fmt.Sprintf("%s%d", name, row)) {
				v = scale(v, 100)
			}
			if m == nil {
				m = map[string]float64{}
			}
			m[dc.code] = v
		}
		if m == nil {
			continue
		}
		method := cell(r, col["method"])
		if method == "" {
			method = MethodOwn
			if t.Kind.Additive() {
				method = MethodQuota
			}
		}
		switch method {
		case MethodQuota:
			t.Quotas = m
		case MethodOwn:
			t.Own = m
		default:
			b.add(SheetSplit, row, id, "分解方式“%s”无法识别：请从下拉列表中选择“%s”或“%s”", method, MethodQuota, MethodOwn)
		}
		b.splitRows[id] = row
	}
	return nil
}

// splitCol is a 区县 column of SheetSplit: its index and the 区县's code.
type splitCol struct {
	idx  int
	code string
}

func anyFilled(r []string, cols []splitCol) bool {
	for _, c := range cols {
		if cell(r, c.idx) != "" {
			return true
		}
	}
	return false
}

// readSplitNote reads the split's nature and rule from SheetPlan's values.
func (b *Book) readSplitNote(vals map[string]string) {
	nature, rule := vals[KeySplitNature], vals[KeySplitRule]
	switch nature {
	case "", natureOfficial:
		if rule != "" {
			b.Plan.Split = &plan.SplitNote{Rule: rule}
		}
	case natureExample:
		b.Plan.Split = &plan.SplitNote{Example: true, Rule: rule}
	default:
		b.add(SheetPlan, b.planRows[KeySplitNature], "", "%s“%s”无法识别：请填写“%s”或“%s”", KeySplitNature, nature, natureExample, natureOfficial)
	}
}
