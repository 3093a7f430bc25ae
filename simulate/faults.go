package simulate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// Kinds of mistakes, as recorded in simulate.json.
const (
	faultNotNumber   = "not-number"   // 约5, 5-6, 待统计
	faultFullWidth   = "full-width"   // ５.５
	faultThousands   = "thousands"    // 1,234
	faultUnit        = "unit"         // 430个, 5.5%
	faultAsText      = "as-text"      // a number stored as text
	faultNegative    = "negative"     // -12 where a count is asked
	faultImplausible = "implausible"  // more than 3× the target
	faultPercent     = "percent"      // a share over 100
	faultEmpty       = "empty"        // no value
	faultNoProblems  = "no-problems"  // behind schedule, 存在问题 empty
	faultFormula     = "formula"      // =300+120 in the value cell
	faultFormulaText = "formula-text" // 进展情况 starting with =
	faultAltered     = "altered"      // the locked target value changed
	faultBadChoice   = "bad-choice"   // a milestone status not in the list
	faultRowDeleted  = "row-deleted"  // a target row deleted
	faultReordered   = "reordered"    // two target rows swapped
)

// faultCodes maps each kind of mistake to the finding it should produce.
var faultCodes = map[string]string{
	faultNotNumber:   plan.ValueNotNumber,
	faultFullWidth:   plan.ValueLenient,
	faultThousands:   plan.ValueLenient,
	faultUnit:        plan.ValueLenient,
	faultAsText:      plan.ValueText,
	faultNegative:    plan.ValueNegative,
	faultImplausible: plan.ValueImplausible,
	faultPercent:     plan.ValuePercent,
	faultEmpty:       plan.ValueMissing,
	faultNoProblems:  plan.ValueNoProblems,
	faultFormula:     plan.ValueFormula,
	faultFormulaText: plan.ValueFormulaText,
	faultAltered:     plan.StructAltered,
	faultBadChoice:   plan.ValueBadChoice,
	faultRowDeleted:  plan.StructRowDeleted,
	faultReordered:   plan.StructReordered,
}

// Kinds lists every kind of mistake with the finding code it should produce.
func Kinds() map[string]string {
	out := make(map[string]string, len(faultCodes))
	for k, v := range faultCodes {
		out[k] = v
	}
	return out
}

var milestoneFaults = []string{faultEmpty, faultBadChoice, faultNoProblems, faultFormulaText}

// pickQuantFault picks a mistake that makes sense for target t and value v:
// a thousands separator needs a number of four digits, a negative value is
// a mistake only where a count is asked, and so on.
func (fl *filler) pickQuantFault(t plan.Target, v float64) string {
	kinds := []string{faultNotNumber, faultFullWidth, faultUnit, faultAsText, faultEmpty, faultFormula, faultFormulaText, faultAltered, faultNoProblems}
	if v >= 1000 && fl.r.IntN(2) == 0 {
		// Thousands separators are typed where numbers are long.
		return faultThousands
	}
	if t.Kind == plan.Cumulative || t.Kind == plan.Level {
		if v > 0 {
			kinds = append(kinds, faultNegative)
		}
	}
	share := t.Unit == "%" && (t.Kind == plan.Level || t.Kind == plan.Reduction)
	if share && v > 5 {
		kinds = append(kinds, faultPercent)
	}
	if !share && *t.Value > 0 && t.Kind != plan.Growth && t.Kind != plan.Ceiling {
		kinds = append(kinds, faultImplausible)
	}
	return pick(fl.r, kinds)
}

// quantFault puts mistake kind into the row just filled with value v.
func (fl *filler) quantFault(f *excelize.File, kind string, t plan.Target, row int, v float64, note string) error {
	sh, cols, r := templates.SheetQuant, templates.QuantColumns, fl.r
	cell := ref(cols, templates.ColActual, row)
	text := numText(v, t)
	var entered string
	var err error
	switch kind {
	case faultNotNumber:
		entered = pick(r, []string{"约" + text, text + "左右", rangeText(v, t), "待统计", "正在统计"})
		err = f.SetCellStr(sh, cell, entered)
	case faultFullWidth:
		entered = fullWidth(text)
		err = f.SetCellStr(sh, cell, entered)
	case faultThousands:
		entered = thousands(text)
		err = f.SetCellStr(sh, cell, entered)
	case faultUnit:
		entered = text + t.Unit
		err = f.SetCellStr(sh, cell, entered)
	case faultAsText:
		entered = text
		err = f.SetCellStr(sh, cell, entered)
	case faultNegative:
		entered = "-" + text
		err = f.SetCellFloat(sh, cell, -v, -1, 64)
	case faultImplausible:
		x := roundTo(*t.Value*(3.5+2*r.Float64()), decimals(t))
		if x <= 3**t.Value {
			x = roundTo(*t.Value*4, 0)
		}
		entered = numText(x, t)
		err = f.SetCellFloat(sh, cell, x, -1, 64)
	case faultPercent:
		x := roundTo(v*10, 1)
		if x <= 100 {
			x = 100 + roundTo(v, 1)
		}
		entered = plan.FormatNumber(x)
		err = f.SetCellFloat(sh, cell, x, -1, 64)
	case faultEmpty:
		err = f.SetCellValue(sh, cell, nil)
	case faultNoProblems:
		// The value is behind schedule; the mistake is the empty 存在问题.
		cell, entered = ref(cols, templates.ColProblems, row), ""
	case faultFormula:
		a := roundTo(v*(0.3+0.4*r.Float64()), decimals(t))
		b := roundTo(v-a, decimals(t)+2)
		entered = "=" + plan.FormatNumber(a) + "+" + plan.FormatNumber(b)
		if err = f.SetCellFloat(sh, cell, v, -1, 64); err == nil {
			err = f.SetCellFormula(sh, cell, entered[1:])
		}
	case faultFormulaText:
		cell = ref(cols, templates.ColNote, row)
		entered = pick(r, []string{"=", "-"}) + note
		err = f.SetCellStr(sh, cell, entered)
	case faultAltered:
		cell = ref(cols, templates.ColTarget, row)
		x := alteredTarget(*t.Value, r.IntN(2) == 0)
		entered = plan.FormatNumber(x)
		err = f.SetCellFloat(sh, cell, x, -1, 64)
	}
	if err != nil {
		return err
	}
	fl.record(sh, cell, &t, kind, entered)
	return nil
}

// milestoneFault puts mistake kind into a milestone row just filled.
func (fl *filler) milestoneFault(f *excelize.File, kind string, t plan.Target, row int, status, note string) error {
	sh, cols, r := templates.SheetMilestone, templates.MilestoneColumns, fl.r
	cell := ref(cols, templates.ColStatus, row)
	entered := status
	var err error
	switch kind {
	case faultEmpty:
		entered = ""
		err = f.SetCellValue(sh, cell, nil)
	case faultBadChoice:
		entered = pick(r, []string{"基本完成", "正在推进", "推进中", "已开工", "进行中"})
		err = f.SetCellStr(sh, cell, entered)
	case faultNoProblems:
		cell = ref(cols, templates.ColProblems, row)
		entered = ""
	case faultFormulaText:
		cell = ref(cols, templates.ColNote, row)
		entered = pick(r, []string{"=", "-"}) + note
		err = f.SetCellStr(sh, cell, entered)
	}
	if err != nil {
		return err
	}
	fl.record(sh, cell, &t, kind, entered)
	return nil
}

// restructure deletes a target row or swaps two, as a department that
// unprotects the sheet might; it returns the rows' targets as they now lie.
func (fl *filler) restructure(f *excelize.File, quant, miles []*plan.Target) ([]*plan.Target, []*plan.Target, error) {
	type option struct {
		sheet string
		cols  []templates.Column
		rows  *[]*plan.Target
		kind  string
	}
	var opts []option
	for _, s := range []option{
		{templates.SheetQuant, templates.QuantColumns, &quant, ""},
		{templates.SheetMilestone, templates.MilestoneColumns, &miles, ""},
	} {
		if len(*s.rows) >= 2 {
			s.kind = faultRowDeleted
			opts = append(opts, s)
			s.kind = faultReordered
			opts = append(opts, s)
		}
	}
	if len(opts) == 0 {
		return quant, miles, nil
	}
	o := pick(fl.r, opts)
	rows := *o.rows
	i := fl.r.IntN(len(rows) - 1)
	if rows[i] == nil || rows[i+1] == nil {
		return quant, miles, nil
	}
	first := templates.FirstDataRow + i
	switch o.kind {
	case faultRowDeleted:
		gone := rows[i]
		if err := f.RemoveRow(o.sheet, first); err != nil {
			return nil, nil, err
		}
		*o.rows = append(rows[:i:i], rows[i+1:]...)
		fl.record(o.sheet, ref(o.cols, templates.ColID, first), gone, faultRowDeleted, gone.ID)
	case faultReordered:
		if err := swapRows(f, o.sheet, o.cols, first, first+1); err != nil {
			return nil, nil, err
		}
		rows[i], rows[i+1] = rows[i+1], rows[i]
		fl.record(o.sheet, ref(o.cols, templates.ColID, first), rows[i], faultReordered, rows[i].ID)
	}
	return quant, miles, nil
}

// swapRows swaps the contents of two rows, leaving formulas in place: they
// refer to their own row and work out the moved values.
func swapRows(f *excelize.File, sheet string, cols []templates.Column, a, b int) error {
	for i, c := range cols {
		if c.Calc {
			continue
		}
		ca, _ := excelize.CoordinatesToCellName(i+1, a)
		cb, _ := excelize.CoordinatesToCellName(i+1, b)
		va, err := cellContent(f, sheet, ca)
		if err != nil {
			return err
		}
		vb, err := cellContent(f, sheet, cb)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(sheet, ca, vb); err != nil {
			return err
		}
		if err := f.SetCellValue(sheet, cb, va); err != nil {
			return err
		}
	}
	ha, err := f.GetRowHeight(sheet, a)
	if err != nil {
		return err
	}
	hb, err := f.GetRowHeight(sheet, b)
	if err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, a, hb); err != nil {
		return err
	}
	return f.SetRowHeight(sheet, b, ha)
}

// cellContent reads a cell as a value to write back: a number stays a number.
func cellContent(f *excelize.File, sheet, cell string) (any, error) {
	s, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil || s == "" {
		return nil, err
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		return nil, err
	}
	if typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			return x, nil
		}
	}
	return s, nil
}

// fullWidth writes digits and the decimal point as a Chinese input method
// in full-width mode does.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return '０' + (r - '0')
		case r == '.':
			return '．'
		}
		return r
	}, s)
}

// thousands groups the integer part of a number by threes: 12345.6 → 12,345.6.
func thousands(s string) string {
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}

// rangeText is a value given as a range: 5-6.
func rangeText(v float64, t plan.Target) string {
	lo := roundTo(v*0.95, decimals(t))
	hi := roundTo(v*1.05, decimals(t))
	if hi == lo {
		hi = lo + 1
	}
	return fmt.Sprintf("%s-%s", plan.FormatNumber(lo), plan.FormatNumber(hi))
}

// alteredTarget is a target value a department might have "corrected".
func alteredTarget(goal float64, down bool) float64 {
	x := roundTo(goal*0.9, 1)
	if !down {
		x = roundTo(goal*1.1, 1)
	}
	if x == goal {
		x = goal + 1
	}
	return x
}
