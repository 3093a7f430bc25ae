package templates

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// Messages of the self-check columns. The reader recomputes its own
// verdicts from the inputs; these only guide the department while it types.
const (
	CheckEmpty      = "未填"
	CheckNotNumber  = "请填数字"
	CheckNegative   = "不应为负数请核实"
	CheckImplausib  = "明显超出目标请核实"
	CheckBehind     = "滞后请说明原因"
	CheckBelowRate  = "低于目标请说明原因"
	CheckOverCap    = "超出目标请说明原因"
	CheckNotInList  = "请从下拉列表选择"
	CheckPastDue    = "已过计划完成时间请说明原因"
	NoQuantTargets  = "本单位无量化指标，请填写“重点任务”表"
	NoMilestones    = "本单位无重点任务，请填写“指标进度”表"
	implausibleRate = 3 // a value above this many times the target is flagged

	// MaxNarrative is the length, in characters, a narrative cell's input
	// check allows (进展情况, 存在问题, 下步措施).
	MaxNarrative = 2000
)

// Page setup shared by every printed sheet.
func (b *builder) pageSetup(sh string, landscape bool, titleRows int) error {
	f := b.f
	size, fitW, fitH := 9, 1, 0 // A4, one page wide, as many pages tall as needed
	orient := "portrait"
	if landscape {
		orient = "landscape"
	}
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	yes, no := true, false
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	m := 0.4
	top, foot := 0.55, 0.25
	if err := f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &top, Bottom: &top, Header: &foot, Footer: &foot}); err != nil {
		return err
	}
	// A space after the size code keeps a leading digit from being read as part of it.
	header := fmt.Sprintf("&L&9 %s&R&9 报告期：%s", escapeHF(b.d.Name), escapeHF(b.opt.Period.Label()))
	if err := f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddHeader: header, OddFooter: "&C&9第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	if err := f.SetSheetView(sh, 0, &excelize.ViewOptions{ShowGridLines: &no}); err != nil {
		return err
	}
	if titleRows > 0 {
		return f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", sh, titleRows),
			Scope:    sh,
		})
	}
	return nil
}

// escapeHF keeps & in a name from being read as a header/footer code.
func escapeHF(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// protect protects a sheet against accidents. No password: it keeps nothing
// secret; the fingerprint of the locked cells is what the return check uses.
func (b *builder) protect(sh string) error {
	return b.f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		SelectLockedCells:   true,
		SelectUnlockedCells: true,
		FormatColumns:       true,
		FormatRows:          true,
	})
}

func (b *builder) widths(sh string, cols []Column) error {
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sh, name, name, c.Width); err != nil {
			return err
		}
	}
	return nil
}

// validation adds a data validation with a prompt and a stop alert.
func (b *builder) validation(sh, sqref string, set func(dv *excelize.DataValidation) error, promptTitle, prompt, errTitle, errMsg string) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	if err := set(dv); err != nil {
		return err
	}
	dv.SetInput(clipRunes(promptTitle, 32), clipRunes(prompt, 250))
	dv.SetError(excelize.DataValidationErrorStyleStop, clipRunes(errTitle, 32), clipRunes(errMsg, 250))
	return b.f.AddDataValidation(sh, dv)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (b *builder) title(sh string, cols []Column, text string) error {
	f := b.f
	last := lastCol(cols)
	if err := f.MergeCell(sh, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "A1", text); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", last+"1", b.st.title); err != nil {
		return err
	}
	return f.SetRowHeight(sh, TitleRow, 36)
}

func (b *builder) note(sh string, cols []Column, text string) error {
	f := b.f
	last := lastCol(cols)
	a, z := cell(1, NoteRow), fmt.Sprintf("%s%d", last, NoteRow)
	if err := f.MergeCell(sh, a, z); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, a, text); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, a, z, b.st.note); err != nil {
		return err
	}
	total := 0.0
	for _, c := range cols {
		total += c.Width
	}
	return f.SetRowHeight(sh, NoteRow, heightFor(lines(text, total*0.95))+2)
}

func (b *builder) headings(sh string, cols []Column) error {
	f := b.f
	for i, c := range cols {
		ref := cell(i+1, HeaderRow)
		if err := f.SetCellStr(sh, ref, c.Header); err != nil {
			return err
		}
		st := b.st.headFixed
		switch {
		case c.Input:
			st = b.st.headInput
		case c.Calc:
			st = b.st.headCalc
		}
		if err := f.SetCellStyle(sh, ref, ref, st); err != nil {
			return err
		}
	}
	return f.SetRowHeight(sh, HeaderRow, 30)
}

// emptyRow says, in place of the rows, that the sheet has nothing to fill.
func (b *builder) emptyRow(sh string, cols []Column, text string) error {
	f := b.f
	a, z := cell(1, FirstDataRow), cell(len(cols), FirstDataRow)
	if err := f.MergeCell(sh, a, z); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, a, text); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, a, z, b.st.empty); err != nil {
		return err
	}
	return f.SetRowHeight(sh, FirstDataRow, 40)
}

// flagRows tints the fixed and calculated cells of a row whose 自查 speaks;
// the input cells keep their yellow so they stay findable. A problem turns the
// row rose; a row not filled in yet is pale grey and its 自查 says 未填 in grey
// (a form that arrives all red reads as a list of errors, not as a form).
func (b *builder) flagRows(sh string, cols []Column, n int) error {
	checkCol := Col(cols, ColCheck)
	check := fmt.Sprintf("$%s%d", checkCol, FirstDataRow)
	crit := fmt.Sprintf(`AND(%s<>"",%s<>"%s")`, check, check, CheckEmpty)
	last := FirstDataRow + n - 1
	var ranges []string
	start := 0
	for i := 0; i <= len(cols); i++ {
		in := i < len(cols) && !cols[i].Input
		if in && start == 0 {
			start = i + 1
		}
		if !in && start != 0 {
			ranges = append(ranges, cell(start, FirstDataRow)+":"+cell(i, last))
			start = 0
		}
	}
	// The 自查 cell's own rule comes first: LibreOffice applies only the first
	// rule that matches a cell.
	pending := fmt.Sprintf(`%s="%s"`, check, CheckEmpty)
	col := fmt.Sprintf("%s%d:%s%d", checkCol, FirstDataRow, checkCol, last)
	if err := b.f.SetConditionalFormat(sh, col, []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: pending, Format: &b.st.unfilled}}); err != nil {
		return err
	}
	for _, r := range ranges {
		err := b.f.SetConditionalFormat(sh, r, []excelize.ConditionalFormatOptions{
			{Type: "formula", Criteria: crit, Format: &b.st.flag},
			{Type: "formula", Criteria: pending, Format: &b.st.pending},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) freeze(sh string, cols int) error {
	top := cell(cols+1, FirstDataRow)
	return b.f.SetPanes(sh, &excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: HeaderRow, TopLeftCell: top, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomRight"}},
	})
}

// quantSheet writes SheetQuant: the header block and one row per quantitative target.
func (b *builder) quantSheet() error {
	sh, cols := SheetQuant, QuantColumns
	if err := b.widths(sh, cols); err != nil {
		return err
	}
	title := fmt.Sprintf("%s量化指标进展情况填报表（%s）", b.p.Title, b.opt.Period.Label())
	if b.district() {
		title = fmt.Sprintf("%s区县量化指标进展情况填报表（%s）", b.p.Title, b.opt.Period.Label())
	}
	if err := b.title(sh, cols, title); err != nil {
		return err
	}
	if err := b.headerBlock(); err != nil {
		return err
	}
	note := fmt.Sprintf("填写说明：只填浅黄色单元格。“本期完成值”填%s的累计数或期末当前值，只填数字、不带单位（各类指标的填法见“填报说明”表）；"+
		"完成进度、序时进度和自查自动生成。“自查”列出现提示的，请修改或在“存在问题”中说明原因，全部为空后再报送。", b.opt.Period.Covers())
	if b.district() {
		note = b.districtNote() + note
	}
	if err := b.note(sh, cols, note); err != nil {
		return err
	}
	if err := b.headings(sh, cols); err != nil {
		return err
	}
	if len(b.quant) == 0 {
		if err := b.emptyRow(sh, cols, NoQuantTargets); err != nil {
			return err
		}
	}
	for i, t := range b.quant {
		if err := b.quantRow(t, FirstDataRow+i); err != nil {
			return err
		}
	}
	if n := len(b.quant); n > 0 {
		if err := b.narratives(sh, cols, n, [3]string{
			"简要说明主要工作进展和主要数据（注明数据来源）。",
			"完成进度低于序时进度或未达到目标的，必须说明原因；没有问题可不填。",
			"写明下一步打算和具体措施。",
		}); err != nil {
			return err
		}
	}
	return b.finishSheet(sh, cols)
}

func strPtr(s string) *string { return &s }

// districtNote opens a 区县's sheet note: what its targets are and whose
// figures it reports.
func (b *builder) districtNote() string {
	s := "本表为区县（功能区）填报表：“年度目标”是下达本区县的分解任务或区县目标，“本期完成值”填本辖区的数，进度按本区县的目标判断，全市进度以牵头部门报送的全市数为准。"
	if b.example() {
		s += "本表的分解任务为示例（" + b.p.Split.Rule + "），不是正式下达的任务。"
	}
	return s
}

func textLength(dv *excelize.DataValidation) error {
	return dv.SetRange(0, MaxNarrative, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
}

// headerBlock writes 填报单位, 填报人, 联系电话, 填报日期 on SheetQuant.
func (b *builder) headerBlock() error {
	f, sh, s := b.f, SheetQuant, b.st
	set := []struct {
		ref, text string
		style     int
	}{
		{CellDeptLabel, DeptLabel, s.label},
		{CellDept, b.d.Name, s.value},
		{CellFillerLabel, "填报人", s.label},
		{CellFiller, "", s.inputText},
		{CellPhoneLabel, "联系电话", s.label},
		{CellPhone, "", s.inputPhone},
		{CellDateLabel, "填报日期", s.label},
		{CellDate, "", s.inputDate},
	}
	for _, c := range set {
		if c.text != "" {
			if err := f.SetCellStr(sh, c.ref, c.text); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sh, c.ref, c.ref, c.style); err != nil {
			return err
		}
	}
	// Widen the value cells over their neighbours where the layout leaves room.
	for _, m := range [][2]string{{CellDept, "C2"}, {CellPhone, "H2"}, {CellDate, "K2"}} {
		st, _ := f.GetCellStyle(sh, m[0])
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, m[0], m[1], st); err != nil {
			return err
		}
	}
	deadline := "报送截止：按通知要求"
	if d := b.deadlineText(); d != "" {
		deadline = "报送截止：" + d
	}
	lastC := lastCol(QuantColumns)
	if err := f.MergeCell(sh, "L2", lastC+"2"); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "L2", deadline+"　联系："+b.contact()); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "L2", lastC+"2", s.alert); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, InfoRow, 30); err != nil {
		return err
	}
	if err := b.validation(sh, CellFiller, func(dv *excelize.DataValidation) error {
		return dv.SetRange(1, 20, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	}, "填报人", "请填写填报人姓名。", "填报人", "请填写填报人姓名（不超过20个字）。"); err != nil {
		return err
	}
	if err := b.validation(sh, CellPhone, func(dv *excelize.DataValidation) error {
		return dv.SetRange(7, 30, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	}, "联系电话", "请填写办公电话或手机号码，如 0533-1234567 或 13800000000。", "联系电话", "联系电话应为7至30位，如 0533-1234567 或 13800000000。"); err != nil {
		return err
	}
	y := b.p.Year
	from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 12, 31, 0, 0, 0, 0, time.UTC)
	return b.validation(sh, CellDate, func(dv *excelize.DataValidation) error {
		return dv.SetRange(excelSerial(from), excelSerial(to), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
	}, "填报日期", "请填写填报日期，如 "+b.exampleDate()+"。",
		"填报日期", fmt.Sprintf("请填写%d年1月1日至%d年12月31日之间的日期，如 %s。", y, y+1, b.exampleDate()))
}

func (b *builder) exampleDate() string {
	if b.opt.Deadline != "" {
		return b.opt.Deadline
	}
	return b.opt.Period.End().AddDate(0, 0, 10).Format("2006-01-02")
}

// quantRow writes one quantitative target's row.
func (b *builder) quantRow(t plan.Target, r int) error {
	f, sh, s, cols := b.f, SheetQuant, b.st, QuantColumns
	progress, pctFmt, schedule, check := quantFormulas(t, r, b.opt.Period, b.p.Thresholds)
	height := 3
	for i, c := range cols {
		ref := cell(i+1, r)
		var v any
		style := s.text
		switch c.Key {
		case ColID:
			v, style = t.ID, s.center
		case ColChapter, ColIndicator, ColQuote:
			v = Definition(t, c.Key)
		case ColTarget:
			if goal, ok := goalOf(t); ok {
				v = goal
			}
			style = s.number
		case ColUnit, ColKind:
			v, style = Definition(t, c.Key), s.center
		case ColStatement:
			v, style = b.rowStatement(t), s.center
		case ColActual:
			style = s.inNumber
		case ColProgress:
			style = s.calcText
			if pctFmt {
				style = s.calcPct
			}
		case ColSchedule:
			v, style = schedule, s.calcText
			if _, ok := schedule.(float64); ok {
				style = s.calcShare
			}
		case ColCheck:
			style = s.check
		case ColNote, ColProblems, ColNext:
			style = s.inText
		}
		switch c.Key {
		case ColProgress:
			if progress != "" {
				if err := f.SetCellFormula(sh, ref, progress); err != nil {
					return err
				}
			} else if err := f.SetCellStr(sh, ref, "—"); err != nil {
				return err
			}
		case ColCheck:
			if err := f.SetCellFormula(sh, ref, check); err != nil {
				return err
			}
		default:
			if v != nil {
				if err := f.SetCellValue(sh, ref, v); err != nil {
					return err
				}
			}
		}
		if err := f.SetCellStyle(sh, ref, ref, style); err != nil {
			return err
		}
		if str, ok := v.(string); ok && !c.Input && !c.Calc {
			height = max(height, lines(str, c.Width))
		}
	}
	if err := f.SetRowHeight(sh, r, heightFor(height)); err != nil {
		return err
	}
	lo, hi, rangeText := valueRange(t)
	prompt := howToFill(t, b.opt.Period)
	ref := Col(cols, ColActual) + fmt.Sprint(r)
	return b.validation(sh, ref, func(dv *excelize.DataValidation) error {
		return dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
	}, clipRunes(t.Indicator, 32), prompt, "请填数字",
		"只能填写数字（不带单位、文字或空格）"+rangeText+"。")
}

// valueRange is what the decimal validation of a value cell accepts.
func valueRange(t plan.Target) (lo, hi float64, text string) {
	const big = 1e12
	switch t.Kind {
	case plan.Growth:
		return -100, 100000, "，增长率不低于 -100"
	case plan.Reduction:
		return -1000, 100, "，下降幅度不超过 100"
	case plan.Ceiling:
		return -big, big, ""
	}
	return 0, big, "，且不能为负数"
}

// howToFill tells, in one or two sentences, what the value cell of t takes.
func howToFill(t plan.Target, p plan.Period) string {
	unit := t.Unit
	if unit == "" {
		unit = "见“单位”列"
	}
	switch t.Kind {
	case plan.Cumulative:
		return fmt.Sprintf("填%s的累计完成值，单位：%s。只填数字。", p.Covers(), unit)
	case plan.Growth:
		return "填年初至报告期末的累计增长率（%）：增长5.2%填 5.2，下降填负数。只填数字。"
	case plan.Level:
		return fmt.Sprintf("填报告期末达到的水平（当前值），单位：%s。只填数字。", unit)
	case plan.Ceiling:
		return fmt.Sprintf("填报告期末的当前值，单位：%s。只填数字。", unit)
	case plan.Reduction:
		return "填较基期累计下降的幅度（%）：下降12.3%填 12.3；不降反升填负数。只填数字。"
	}
	return "只填数字。"
}

// goalOf is the target value, when the registry gives a usable one.
func goalOf(t plan.Target) (float64, bool) {
	if t.Value == nil || math.IsNaN(*t.Value) || math.IsInf(*t.Value, 0) {
		return 0, false
	}
	return *t.Value, true
}

// quantFormulas builds the calculated cells of row r: the 完成进度 formula
// (pct reports whether it is a share to format as %), the 序时进度 value and
// the 自查 formula.
func quantFormulas(t plan.Target, r int, p plan.Period, th plan.Thresholds) (progress string, pct bool, schedule any, check string) {
	ref := func(key string) string { return fmt.Sprintf("%s%d", Col(QuantColumns, key), r) }
	a, g, j, k, n := ref(ColActual), ref(ColTarget), ref(ColProgress), ref(ColSchedule), ref(ColProblems)
	type rule struct{ cond, msg string }
	chain := func(rules []rule) string {
		out := `""`
		for i := len(rules) - 1; i >= 0; i-- {
			out = fmt.Sprintf(`IF(%s,"%s",%s)`, rules[i].cond, rules[i].msg, out)
		}
		return out
	}
	rules := []rule{{blank(a), CheckEmpty}, {fmt.Sprintf("NOT(ISNUMBER(%s))", a), CheckNotNumber}}
	schedule = "—"
	goal, ok := goalOf(t)
	if !ok {
		return "", false, schedule, chain(rules)
	}
	approx := t.Has("左右") || t.Comparator == plan.About
	slack := 0.0
	if approx {
		slack = math.Abs(goal) * th.Approx
	}
	var over []string
	if goal > 0 {
		over = append(over, fmt.Sprintf("%s>%s*%d", a, g, implausibleRate))
	}
	if t.Unit == "%" && (t.Kind == plan.Level || t.Kind == plan.Reduction) {
		over = append(over, a+">100")
	}
	overRule := func() {
		switch len(over) {
		case 0:
		case 1:
			rules = append(rules, rule{over[0], CheckImplausib})
		default:
			rules = append(rules, rule{"OR(" + strings.Join(over, ",") + ")", CheckImplausib})
		}
	}
	switch t.Kind {
	case plan.Growth:
		lim := g
		if slack > 0 {
			lim = fmt.Sprintf("(%s-%s)", g, num(slack))
		}
		progress = fmt.Sprintf(`IF(ISNUMBER(%s),IF(%s>=%s,"达到目标","低"&TEXT(%s-%s,"0.0#")&CHAR(10)&"个百分点"),"")`, a, a, lim, g, a)
		overRule()
		rules = append(rules, rule{fmt.Sprintf(`AND(%s<%s,%s)`, a, lim, blank(n)), CheckBelowRate})
		return progress, false, schedule, chain(rules)
	case plan.Ceiling:
		lim := g
		if slack > 0 {
			lim = fmt.Sprintf("(%s+%s)", g, num(slack))
		}
		progress = fmt.Sprintf(`IF(ISNUMBER(%s),IF(%s<=%s,"符合目标","超出目标"),"")`, a, a, lim)
		overRule()
		rules = append(rules, rule{fmt.Sprintf(`AND(%s>%s,%s)`, a, lim, blank(n)), CheckOverCap})
		return progress, false, schedule, chain(rules)
	}
	// Cumulative, level, reduction: a share of the target against the share of the year.
	if t.Kind != plan.Reduction {
		rules = append(rules, rule{a + "<0", CheckNegative})
	}
	overRule()
	var share string
	switch {
	case t.Kind == plan.Level && t.Baseline != nil && t.Baseline.Value != goal:
		base := num(t.Baseline.Value)
		share = fmt.Sprintf("(%s-%s)/(%s-%s)", a, base, g, base)
	case goal != 0:
		share = fmt.Sprintf("%s/%s", a, g)
	default:
		share = "1"
	}
	met := fmt.Sprintf("%s>=%s", a, g)
	if approx {
		met = fmt.Sprintf("%s>=%s*%s", a, g, num(1-th.Approx))
	}
	progress = fmt.Sprintf(`IF(ISNUMBER(%s),IF(%s,MAX(1,%s),%s),"")`, a, met, share, share)
	schedule = math.Round(t.Expected(p)*1e4) / 1e4
	rules = append(rules, rule{fmt.Sprintf(`AND(%s<%s-%s,%s)`, j, k, num(th.Tolerance), blank(n)), CheckBehind})
	return progress, true, schedule, chain(rules)
}

// milestoneSheet writes SheetMilestone: one row per milestone.
func (b *builder) milestoneSheet() error {
	f, sh, cols, s := b.f, SheetMilestone, MilestoneColumns, b.st
	if err := b.widths(sh, cols); err != nil {
		return err
	}
	title := fmt.Sprintf("%s重点任务进展情况填报表（%s）", b.p.Title, b.opt.Period.Label())
	if err := b.title(sh, cols, title); err != nil {
		return err
	}
	// A short header block: who reports; the contact fields live on SheetQuant.
	if err := f.SetCellStr(sh, CellDeptLabel, DeptLabel); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A2", "A2", s.label); err != nil {
		return err
	}
	if err := f.MergeCell(sh, "B2", "C2"); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "B2", b.d.Name); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "B2", "C2", s.value); err != nil {
		return err
	}
	lastC := lastCol(cols)
	if err := f.MergeCell(sh, "D2", lastC+"2"); err != nil {
		return err
	}
	info := "填报人、联系电话、填报日期请在“指标进度”表第2行填写。"
	if d := b.deadlineText(); d != "" {
		info += "报送截止：" + d + "。"
	}
	if err := f.SetCellStr(sh, "D2", info); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "D2", lastC+"2", s.alert); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, InfoRow, 30); err != nil {
		return err
	}
	note := "填写说明：只填浅黄色单元格。“进展状态”请从下拉列表选择（" + strings.Join(plan.MilestoneChoices, "／") +
		"）；状态为“滞后”或“未启动”、或已过计划完成时间仍未完成的，必须在“存在问题”中说明原因。“自查”列全部为空后再报送。"
	if err := b.note(sh, cols, note); err != nil {
		return err
	}
	if err := b.headings(sh, cols); err != nil {
		return err
	}
	if len(b.miles) == 0 {
		if err := b.emptyRow(sh, cols, NoMilestones); err != nil {
			return err
		}
	}
	for i, t := range b.miles {
		if err := b.milestoneRow(t, FirstDataRow+i); err != nil {
			return err
		}
	}
	if n := len(b.miles); n > 0 {
		last := FirstDataRow + n - 1
		col := Col(cols, ColStatus)
		err := b.validation(sh, fmt.Sprintf("%s%d:%s%d", col, FirstDataRow, col, last), func(dv *excelize.DataValidation) error {
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$1:$A$%d", SheetLists, len(plan.MilestoneChoices)))
			return nil
		}, "进展状态", "请从下拉列表选择："+strings.Join(plan.MilestoneChoices, "、")+"。",
			"请从列表选择", "进展状态只能是："+strings.Join(plan.MilestoneChoices, "、")+"。请点单元格右侧的箭头选择。")
		if err != nil {
			return err
		}
		if err := b.narratives(sh, cols, n, [3]string{
			"简要说明任务推进情况、形象进度和取得的成效。",
			"状态为滞后、未启动或已过计划完成时间的，必须说明原因。",
			"写明下一步打算、具体措施和预计完成时间。",
		}); err != nil {
			return err
		}
	}
	return b.finishSheet(sh, cols)
}

// narratives validates the three narrative columns of n data rows, with the
// sheet's own prompts (进展情况, 存在问题, 下步措施), and flags rows whose 自查 speaks.
func (b *builder) narratives(sh string, cols []Column, n int, prompts [3]string) error {
	last := FirstDataRow + n - 1
	for i, c := range []struct{ key, title string }{{ColNote, "进展情况"}, {ColProblems, "存在问题"}, {ColNext, "下步措施"}} {
		col := Col(cols, c.key)
		err := b.validation(sh, fmt.Sprintf("%s%d:%s%d", col, FirstDataRow, col, last), textLength,
			c.title, prompts[i], "内容过长", fmt.Sprintf("请控制在%d字以内。", MaxNarrative))
		if err != nil {
			return err
		}
	}
	return b.flagRows(sh, cols, n)
}

// finishSheet freezes the panes, sets up printing, colours the tab and
// protects a data sheet.
func (b *builder) finishSheet(sh string, cols []Column) error {
	if err := b.freeze(sh, colIndex(cols, ColIndicator)); err != nil {
		return err
	}
	if err := b.pageSetup(sh, true, HeaderRow); err != nil {
		return err
	}
	if err := b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{TabColorRGB: strPtr("FFC000")}); err != nil {
		return err
	}
	return b.protect(sh)
}

func (b *builder) milestoneRow(t plan.Target, r int) error {
	f, sh, s, cols := b.f, SheetMilestone, b.st, MilestoneColumns
	height := 3
	for i, c := range cols {
		ref := cell(i+1, r)
		var v string
		style := s.text
		switch c.Key {
		case ColID:
			v, style = t.ID, s.center
		case ColChapter, ColIndicator, ColQuote:
			v = Definition(t, c.Key)
		case ColDue:
			v, style = Definition(t, c.Key), s.center
		case ColStatus:
			style = s.inList
		case ColCheck:
			style = s.check
			if err := f.SetCellFormula(sh, ref, milestoneCheck(t, r, b.opt.Period)); err != nil {
				return err
			}
		case ColNote, ColProblems, ColNext:
			style = s.inText
		}
		if v != "" {
			if err := f.SetCellStr(sh, ref, v); err != nil {
				return err
			}
			height = max(height, lines(v, c.Width))
		}
		if err := f.SetCellStyle(sh, ref, ref, style); err != nil {
			return err
		}
	}
	return f.SetRowHeight(sh, r, heightFor(height))
}

// blank tests a cell for nothing but spaces. LEN(TRIM()) rather than ref="":
// excelize's calculator does not treat an empty cell as "", and a reason of
// a single space is no reason.
func blank(ref string) string { return fmt.Sprintf("LEN(TRIM(%s))=0", ref) }

// milestoneCheck is the 自查 formula of a milestone row.
func milestoneCheck(t plan.Target, r int, p plan.Period) string {
	ref := func(key string) string { return fmt.Sprintf("%s%d", Col(MilestoneColumns, key), r) }
	st, prob := ref(ColStatus), ref(ColProblems)
	var notIn, lag []string
	for _, c := range plan.MilestoneChoices {
		notIn = append(notIn, fmt.Sprintf(`%s<>"%s"`, st, c))
	}
	for _, c := range []string{plan.MilestoneBehind, plan.MilestoneNotBegun} {
		lag = append(lag, fmt.Sprintf(`%s="%s"`, st, c))
	}
	tail := `""`
	if overdue(t, p) {
		tail = fmt.Sprintf(`IF(AND(%s<>"%s",%s),"%s","")`, st, plan.MilestoneDone, blank(prob), CheckPastDue)
	}
	return fmt.Sprintf(`IF(%s,"%s",IF(AND(%s),"%s",IF(AND(OR(%s),%s),"%s",%s)))`,
		blank(st), CheckEmpty, strings.Join(notIn, ","), CheckNotInList, strings.Join(lag, ","), blank(prob), CheckBehind, tail)
}

// lists writes the hidden sheet the drop-downs read from.
func (b *builder) lists() error {
	f := b.f
	for i, c := range plan.MilestoneChoices {
		if err := f.SetCellStr(SheetLists, cell(1, i+1), c); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(SheetLists, false); err != nil {
		return err
	}
	return b.protect(SheetLists)
}
