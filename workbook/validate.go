package workbook

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"planrep/plan"
	"planrep/templates"
)

// checked is the outcome of validating one accepted return.
type checked struct {
	findings []plan.Finding
	results  []plan.TargetResult // one a target the department leads, registry order
}

// validator judges one return against the registry. The registry is the
// truth: definitions are read from plan, never from the file.
type validator struct {
	ix     *index
	p      *plan.Plan
	period plan.Period
	prev   map[string]float64 // previous round's cumulative values, by target
	early  map[string]Prior   // the store's earlier periods, by target
	file   string
	dept   string
	ret    *returnData
	out    checked
	byID   map[string]plan.TargetResult // the results while they are made
	// lockedChanged is set when the locked cells do not hash to the stamp's
	// fingerprint: each of them is then compared with the registry.
	lockedChanged bool
}

func (v *validator) add(code, sheet, cell, target, detail string) {
	msg := detail
	if d, ok := plan.Def(code); ok && d.Advice != "" {
		msg = strings.TrimRight(detail, "。：:") + "。" + d.Advice
	}
	v.out.findings = append(v.out.findings, newFinding(code, v.file, v.dept, sheet, cell, target, msg))
}

func newFinding(code, file, dept, sheet, cell, target, msg string) plan.Finding {
	sev := plan.Error
	if d, ok := plan.Def(code); ok {
		sev = d.Severity
	}
	return plan.Finding{Code: code, Severity: sev, File: file, Dept: dept, Sheet: sheet, Cell: cell, Target: target, Message: msg}
}

// validate checks an accepted return of department dept and judges each
// target it leads.
func validate(ix *index, period plan.Period, prev map[string]float64, file, dept string, ret *returnData) checked {
	return validateYear(ix, period, prev, nil, file, dept, ret)
}

// validateYear is validate with the store's earlier periods to compare with.
func validateYear(ix *index, period plan.Period, prev map[string]float64, early map[string]Prior, file, dept string, ret *returnData) checked {
	v := &validator{ix: ix, p: ix.p, period: period, prev: prev, early: early, file: file, dept: dept, ret: ret}
	v.byID = map[string]plan.TargetResult{}
	v.lockedChanged = ret.Locked == "" || ret.Locked != ret.Stamp.Locked
	if ret.Stamp.PropsOnly {
		v.add(plan.StructNoStampSheet, "", "", "", fmt.Sprintf("隐藏的模板标识工作表“%s”已被删除，本表按文档属性中保存的标识识别", templates.SheetMeta))
	}
	v.units()
	var quant, miles []plan.Target
	for _, t := range ix.led[dept] {
		t := *t
		if t.Kind.Quantitative() {
			quant = append(quant, t)
		} else {
			miles = append(miles, t)
		}
	}
	v.sheet(&ret.Quant, quant, ret.Stamp.QuantRows)
	v.sheet(&ret.Mile, miles, ret.Stamp.MilestoneRows)
	if v.lockedChanged && !v.explained() {
		v.add(plan.StructAltered, "", "", "", "模板中锁定的单元格（填报单位、指标定义）与下发时不一致，但未能定位到被改动的单元格")
	}
	// Kept as a list sized to fit: a round holds one of these for every
	// accepted return until it is merged.
	v.out.results = make([]plan.TargetResult, 0, len(v.byID))
	for _, t := range ix.led[dept] {
		if r, ok := v.byID[t.ID]; ok {
			v.out.results = append(v.out.results, r)
			delete(v.byID, t.ID)
		}
	}
	for _, r := range v.byID { // cannot happen: results are made for led targets only
		v.out.results = append(v.out.results, r)
	}
	if ix.kind[dept] == plan.UnitDistrict {
		for k := range v.out.results {
			v.out.results[k].District = dept
		}
	}
	return v.out
}

// units checks the 填报单位 of each data sheet's header block. A template
// from an older registry that is intact as it was written is left alone.
func (v *validator) units() {
	d, ok := v.p.Dept(v.dept)
	if !ok || (!v.lockedChanged && v.ret.Stamp.PlanFingerprint != v.ix.fingerprint) {
		return
	}
	for _, u := range v.ret.Units {
		if !templates.SameCell(u.Cell.Raw, d.Name) {
			v.add(plan.StructAltered, u.Sheet, u.Cell.Ref, "", fmt.Sprintf("填报单位被改为“%s”，本模板属于“%s”", clip(strings.TrimSpace(u.Cell.Raw), 40), d.Name))
		}
	}
}

// explained reports whether a finding already accounts for locked cells
// that moved or changed: a row deleted, altered, reordered or inserted, a
// sheet or column missing or moved, a target redefined since the template.
func (v *validator) explained() bool {
	for _, f := range v.out.findings {
		if strings.HasPrefix(f.Code, "S") || f.Code == plan.FileOutdated {
			return true
		}
	}
	return false
}

// invalid marks a target 数据有误 with the reason shown in reports.
func (v *validator) invalid(t plan.Target, sheet, cell, reason string) {
	r := v.result(t, sheet, cell)
	r.Status, r.Explanation = plan.Invalid, reason
	r.Progress = nil
	v.byID[t.ID] = r
}

func (v *validator) result(t plan.Target, sheet, cell string) plan.TargetResult {
	if r, ok := v.byID[t.ID]; ok {
		return r
	}
	return plan.TargetResult{ID: t.ID, Lead: t.Lead, Kind: t.Kind, File: v.file, Sheet: sheet, Cell: cell,
		Status: plan.Missing, Expected: t.Expected(v.period)}
}

func (v *validator) sheet(sd *sheetData, led []plan.Target, stamped []string) {
	inStamp := map[string]bool{}
	for _, id := range stamped {
		inStamp[id] = true
	}
	if sd.Missing || len(sd.BadCols) > 0 {
		if len(led) == 0 && len(stamped) == 0 {
			return
		}
		reason := fmt.Sprintf("工作表“%s”被删除或改名，其中的指标无法读取", sd.Name)
		code := plan.StructSheetMissing
		if !sd.Missing {
			reason = fmt.Sprintf("工作表“%s”缺少“%s”列，无法读取", sd.Name, strings.Join(sd.BadCols, "”“"))
			code = plan.StructBadColumns
		}
		v.add(code, sd.Name, "", "", reason)
		for _, t := range led {
			v.invalid(t, sd.Name, "", reason)
		}
		return
	}
	if sd.Moved {
		v.add(plan.StructColumns, sd.Name, fmt.Sprintf("A%d", templates.HeaderRow), "", fmt.Sprintf("工作表“%s”的列被插入、删除或移动", sd.Name))
	}
	ledSet := map[string]bool{}
	for _, t := range led {
		ledSet[t.ID] = true
	}
	rows := map[string]*rowData{}
	var order []string // ids of the stamped rows, in the order found
	var orderRows []int
	for i := range sd.Rows {
		rd := &sd.Rows[i]
		ref := fmt.Sprintf("A%d", rd.Row)
		switch {
		case rd.ID == "":
			v.add(plan.StructInserted, sd.Name, ref, "", fmt.Sprintf("第 %d 行不是模板中的指标行（没有编号）", rd.Row))
			continue
		case !ledSet[rd.ID]:
			if _, known := v.ix.target[rd.ID]; known && !inStamp[rd.ID] {
				v.add(plan.StructInserted, sd.Name, ref, rd.ID, fmt.Sprintf("第 %d 行的指标 %s 不由本部门牵头，不属于本模板", rd.Row, clip(rd.ID, 20)))
			} else if !known && inStamp[rd.ID] {
				v.add(plan.StructInserted, sd.Name, ref, rd.ID, fmt.Sprintf("指标 %s 已从登记表中删除或调整了牵头部门，本行已忽略", clip(rd.ID, 20)))
			} else {
				v.add(plan.StructInserted, sd.Name, ref, "", fmt.Sprintf("第 %d 行的编号“%s”不是本部门的指标", rd.Row, clip(rd.ID, 20)))
			}
			continue
		case rows[rd.ID] != nil:
			v.add(plan.StructDuplicateRow, sd.Name, ref, rd.ID, fmt.Sprintf("指标 %s 在第 %d 行和第 %d 行重复出现", rd.ID, rows[rd.ID].Row, rd.Row))
			continue
		}
		rows[rd.ID] = rd
		if inStamp[rd.ID] {
			order = append(order, rd.ID)
			orderRows = append(orderRows, rd.Row)
		}
		if rd.Hidden {
			v.add(plan.StructHidden, sd.Name, ref, rd.ID, fmt.Sprintf("指标 %s 所在的第 %d 行被隐藏", rd.ID, rd.Row))
		}
	}
	// Reordered: the stamped rows that are present must keep their order.
	j := 0
	for _, id := range stamped {
		if rows[id] == nil {
			continue
		}
		if j < len(order) && order[j] != id {
			v.add(plan.StructReordered, sd.Name, fmt.Sprintf("A%d", orderRows[j]), "", fmt.Sprintf("工作表“%s”中指标行的顺序与模板不同", sd.Name))
			break
		}
		j++
	}
	outdated := v.ret.Stamp.PlanFingerprint != v.ix.fingerprint
	for _, t := range led {
		rd := rows[t.ID]
		if rd == nil {
			if inStamp[t.ID] {
				reason := fmt.Sprintf("指标 %s（%s）所在的行被删除", t.ID, t.Indicator)
				v.add(plan.StructRowDeleted, sd.Name, "", t.ID, reason)
				v.invalid(t, sd.Name, "", reason)
			} else {
				v.add(plan.MissingTarget, sd.Name, "", t.ID, fmt.Sprintf("模板中没有指标 %s（%s），可能是旧版模板", t.ID, t.Indicator))
				r := v.result(t, sd.Name, "")
				r.File = v.file
				r.Explanation = "模板中没有该指标"
				v.byID[t.ID] = r
			}
			continue
		}
		v.target(t, sd, rd, outdated)
	}
}

// target checks one target's row and judges it.
func (v *validator) target(t plan.Target, sd *sheetData, rd *rowData, outdated bool) {
	sheet := sd.Name
	r := v.result(t, sheet, rd.Input.Ref)
	r.Note = v.narrative(t, sheet, rd.Note, "进展情况")
	r.Problems = v.narrative(t, sheet, rd.Problems, "存在问题")
	r.NextSteps = v.narrative(t, sheet, rd.Next, "下步措施")
	r.Raw = rd.Input.Raw
	v.byID[t.ID] = r
	var bad []string // reasons that make the target 数据有误

	changed := outdated && v.ret.Stamp.Targets[t.ID] != t.Fingerprint()
	if changed {
		v.add(plan.FileOutdated, sheet, rd.Indicator.Ref, t.ID, fmt.Sprintf("模板生成后，指标 %s（%s）的定义在登记表中已调整（现为 %s）", t.ID, t.Indicator, statementOf(t)))
	}
	// Locked definition: compare with the registry.
	if !changed && norm(rd.Indicator.Raw) != norm(t.Indicator) {
		msg := fmt.Sprintf("指标名称被改为“%s”，登记表中为“%s”", clip(rd.Indicator.Raw, 30), t.Indicator)
		v.add(plan.StructAltered, sheet, rd.Indicator.Ref, t.ID, msg)
		bad = append(bad, msg)
	}
	if t.Kind.Quantitative() {
		if !changed && t.Value != nil && !sameNumber(rd.Target.Raw, *t.Value) {
			msg := fmt.Sprintf("年度目标被改为“%s”，登记表中为 %s", clip(rd.Target.Raw, 20), plan.FormatNumber(*t.Value))
			v.add(plan.StructAltered, sheet, rd.Target.Ref, t.ID, msg)
			bad = append(bad, msg)
		}
		if strings.TrimSpace(rd.Unit.Raw) != t.Unit {
			msg := fmt.Sprintf("单位被改为“%s”，登记表中为“%s”", clip(rd.Unit.Raw, 10), t.Unit)
			v.add(plan.StructAltered, sheet, rd.Unit.Ref, t.ID, msg)
			bad = append(bad, msg)
		}
	}
	// The other locked definition cells: they do not change what the value
	// means, so the target is judged by the registry's definition as usual.
	if v.lockedChanged && !changed {
		cols := templates.QuantColumns
		if !t.Kind.Quantitative() {
			cols = templates.MilestoneColumns
		}
		for _, c := range cols {
			cv, ok := rd.Defs[c.Key]
			if !ok || c.Key == templates.ColIndicator || c.Key == templates.ColTarget || c.Key == templates.ColUnit {
				continue
			}
			if want := templates.Definition(t, c.Key); !templates.SameCell(cv.Raw, want) {
				v.add(plan.StructAltered, sheet, cv.Ref, t.ID, fmt.Sprintf("“%s”被改为“%s”，登记表中为“%s”", c.Header, clipText(cv.Raw), clipText(want)))
			}
		}
	}
	// Formulas and external links in input cells; text that looks like a formula.
	for _, c := range []struct {
		cv   cellVal
		what string
	}{{rd.Input, "填报栏"}, {rd.Note, "进展情况"}, {rd.Problems, "存在问题"}, {rd.Next, "下步措施"}} {
		if c.cv.Formula != "" {
			if external(c.cv.Formula) || (v.ret.ExternalLinks && strings.Contains(c.cv.Formula, "[")) {
				v.add(plan.ValueExternal, sheet, c.cv.Ref, t.ID, fmt.Sprintf("%s是引用其他文件的公式“=%s”，已按保存时的结果“%s”读取", c.what, clip(c.cv.Formula, 40), clip(c.cv.Raw, 20)))
			} else {
				v.add(plan.ValueFormula, sheet, c.cv.Ref, t.ID, fmt.Sprintf("%s是公式“=%s”，已按计算结果“%s”读取", c.what, clip(c.cv.Formula, 40), clip(c.cv.Raw, 20)))
			}
			continue
		}
		if c.cv.Ref != rd.Input.Ref && formulaLike(c.cv.Raw) {
			v.add(plan.ValueFormulaText, sheet, c.cv.Ref, t.ID, fmt.Sprintf("%s以“%s”开头", c.what, string([]rune(strings.TrimSpace(c.cv.Raw))[:1])))
		}
	}
	rep := plan.Report{}
	if t.Kind.Quantitative() {
		rep.Value = v.value(t, sheet, rd.Input, &bad)
		r.Value = rep.Value
	} else {
		choice := strings.TrimSpace(rd.Input.Raw)
		switch {
		case choice == "":
			v.add(plan.ValueMissing, sheet, rd.Input.Ref, t.ID, fmt.Sprintf("重点任务 %s 未选择进展状态", t.ID))
		case !isChoice(choice):
			msg := fmt.Sprintf("进展状态“%s”不在可选范围内", clip(choice, 20))
			v.add(plan.ValueBadChoice, sheet, rd.Input.Ref, t.ID, msg)
			bad = append(bad, msg)
		default:
			rep.Milestone = choice
			r.Milestone = choice
		}
	}
	if len(bad) > 0 {
		rep.Invalid = strings.Join(bad, "；")
	}
	ev := plan.Evaluate(t, v.period, rep, v.p.Thresholds)
	r.Status, r.Progress, r.Expected, r.Explanation = ev.Status, ev.Progress, ev.Expected, ev.Explanation
	v.byID[t.ID] = r
	if ev.Status.Lagging() && r.Problems == "" {
		v.add(plan.ValueNoProblems, sheet, rd.Problems.Ref, t.ID, fmt.Sprintf("指标 %s %s（%s），但“存在问题”栏为空", t.ID, ev.Status, ev.Explanation))
	}
}

// value reads a quantitative target's entry and checks it.
func (v *validator) value(t plan.Target, sheet string, c cellVal, bad *[]string) *float64 {
	if strings.TrimSpace(c.Raw) == "" {
		detail := fmt.Sprintf("指标 %s（%s）的本期完成值未填写", t.ID, t.Indicator)
		if c.Formula != "" {
			detail += "（公式没有保存计算结果）"
		}
		v.add(plan.ValueMissing, sheet, c.Ref, t.ID, detail)
		return nil
	}
	var val float64
	if c.Text {
		pv := parseNumber(c.Raw, t.Unit)
		if pv.Problem != "" {
			msg := pv.Problem
			v.add(plan.ValueNotNumber, sheet, c.Ref, t.ID, msg)
			*bad = append(*bad, msg)
			return nil
		}
		val = pv.Value
		if len(pv.Notes) > 0 {
			v.add(plan.ValueLenient, sheet, c.Ref, t.ID, fmt.Sprintf("“%s”含%s，已按 %s 读取", clip(c.Raw, 20), strings.Join(pv.Notes, "、"), plan.FormatNumber(val)))
		} else if c.Formula == "" {
			v.add(plan.ValueText, sheet, c.Ref, t.ID, fmt.Sprintf("“%s”以文本形式存储，已按数字 %s 读取", clip(c.Raw, 20), plan.FormatNumber(val)))
		}
	} else {
		f, err := strconv.ParseFloat(strings.TrimSpace(c.Raw), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			msg := fmt.Sprintf("“%s”不是一个数字", clip(c.Raw, 20))
			v.add(plan.ValueNotNumber, sheet, c.Ref, t.ID, msg)
			*bad = append(*bad, msg)
			return nil
		}
		val = f
		if c.Percent && (t.Unit == "%" || t.Unit == "个百分点") {
			val = f * 100
			v.add(plan.ValueLenient, sheet, c.Ref, t.ID, fmt.Sprintf("单元格为百分比格式（%s%%），已按 %s 读取", plan.FormatNumber(val), plan.FormatNumber(val)))
		}
	}
	share := t.Unit == "%" && t.Kind != plan.Growth
	switch {
	case val < 0 && t.Kind != plan.Growth:
		msg := fmt.Sprintf("完成值 %s 为负数", plan.FormatNumber(val))
		v.add(plan.ValueNegative, sheet, c.Ref, t.ID, msg)
		*bad = append(*bad, msg)
		return &val
	case share && val > 100:
		msg := fmt.Sprintf("完成值 %s%% 超出 0–100 的范围", plan.FormatNumber(val))
		v.add(plan.ValuePercent, sheet, c.Ref, t.ID, msg)
		*bad = append(*bad, msg)
		return &val
	}
	if t.Value != nil && *t.Value > 0 && val > 3**t.Value {
		v.add(plan.ValueImplausible, sheet, c.Ref, t.ID, fmt.Sprintf("完成值 %s 超过年度目标 %s 的 3 倍", plan.FormatNumber(val), t.TargetText()))
	}
	if prev, ok := v.prev[t.ID]; ok && t.Kind == plan.Cumulative && val < prev {
		v.add(plan.ValueBelowPrev, sheet, c.Ref, t.ID, fmt.Sprintf("累计完成值 %s 小于上期报送的 %s", plan.FormatNumber(val), plan.FormatNumber(prev)))
	}
	if pr, ok := v.early[t.ID]; ok {
		v.overPeriods(t, sheet, c.Ref, val, pr, bad)
	}
	return &val
}

func isChoice(s string) bool {
	for _, c := range plan.MilestoneChoices {
		if s == c {
			return true
		}
	}
	return false
}

// external reports whether a formula refers to another workbook: [1]Sheet!A1 or 'C:\…\[x.xlsx]Sheet'!A1.
func external(fm string) bool {
	i := strings.Index(fm, "[")
	return i >= 0 && strings.Contains(fm[i:], "]") && strings.Contains(fm, "!")
}

// formulaLike reports whether text would be taken for a formula by a spreadsheet.
func formulaLike(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

func sameNumber(raw string, want float64) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return false
	}
	return math.Abs(f-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// norm compares texts regardless of spacing and line breaks.
func norm(s string) string { return strings.Join(strings.Fields(s), "") }

// MaxText is the most characters of a narrative cell collect keeps (in
// round.json, 汇总表 and the reports); a longer text is cut there with V14.
// Excel holds 32,767 characters in a cell; the template asks for at most
// templates.MaxNarrative.
const MaxText = 20000

// narrative reads a narrative cell: whole up to MaxText characters, with a
// warning when it passes the template's limit or is cut.
func (v *validator) narrative(t plan.Target, sheet string, cv cellVal, what string) string {
	s := strings.TrimSpace(cv.Raw)
	n := utf8.RuneCountInString(s)
	switch {
	case n > MaxText:
		s = string([]rune(s)[:MaxText])
		v.add(plan.ValueLongText, sheet, cv.Ref, t.ID, fmt.Sprintf("“%s”共 %d 字，超过汇总保留的上限 %d 字，只保留了前 %d 字", what, n, MaxText, MaxText))
	case n > templates.MaxNarrative:
		v.add(plan.ValueLongText, sheet, cv.Ref, t.ID, fmt.Sprintf("“%s”共 %d 字，超过模板限定的 %d 字，已完整保留", what, n, templates.MaxNarrative))
	}
	return s
}

// clean trims a 填报人 or 联系电话 and caps its length so one cell cannot
// bloat round.json; the template allows 20 and 30 characters.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 2000 {
		s = string(r[:2000]) + "…"
	}
	return s
}

// clipText shortens a definition quoted in a message; an empty one is named.
func clipText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "（空白）"
	}
	return clip(s, 60)
}

func statementOf(t plan.Target) string {
	if s := t.TargetText(); s != "" {
		return t.Indicator + " " + s
	}
	return t.Indicator
}
