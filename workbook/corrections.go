package workbook

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// Correction is what a department changed when it resent its return for a
// period: the accepted file against the return it supersedes in the store.
type Correction struct {
	Dept           string
	File           string // the accepted return
	Previous       string // the return it corrects
	PreviousFilled string // its 填报日期
	Received       string // when the store first had the previous one (RFC 3339)
	Changes        []plan.Change
}

// CorrectionsSheet is the sheet of 校验结果.xlsx that lists corrections.
const CorrectionsSheet = "更正情况"

// changeText is a change as one line: 本期完成值：120 → 135.
func changeText(c plan.Change) string {
	o, n := c.Old, c.New
	if o == "" {
		o = "（空）"
	}
	if n == "" {
		n = "（空）"
	}
	return fmt.Sprintf("%s：%s → %s", c.Field, clip(o, 60), clip(n, 60))
}

// correctionFor finds a department's correction.
func (r *Result) correctionFor(dept string) *Correction {
	for i := range r.Corrections {
		if r.Corrections[i].Dept == dept {
			return &r.Corrections[i]
		}
	}
	return nil
}

// addCorrectionRows lists a correction below the findings of a feedback
// copy's 问题清单, from row on; it returns the next free row.
func addCorrectionRows(f *excelize.File, row int, c *Correction) int {
	if c == nil || len(c.Changes) == 0 {
		return row
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F4E79"}})
	row++
	head := fmt.Sprintf("与上次报送的 %s", baseName(c.Previous))
	if c.PreviousFilled != "" {
		head += fmt.Sprintf("（填报日期 %s）", c.PreviousFilled)
	}
	f.SetCellStr(IssuesSheet, fmt.Sprintf("A%d", row), fmt.Sprintf("%s相比，本次更正了以下 %d 项：", head, len(c.Changes)))
	f.SetCellStyle(IssuesSheet, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), bold)
	row++
	for i, ch := range c.Changes {
		f.SetCellInt(IssuesSheet, fmt.Sprintf("A%d", row), int64(i+1))
		for j, v := range []string{"更正", "", ch.Sheet, ch.Cell, ch.Target, changeText(ch)} {
			cell, _ := excelize.CoordinatesToCellName(j+2, row)
			f.SetCellStr(IssuesSheet, cell, v)
		}
		row++
	}
	return row
}

// correctionsTable adds the 更正情况 sheet to 校验结果.xlsx.
func correctionsTable(f *excelize.File, rd *plan.Round, cs []Correction) error {
	if _, err := f.NewSheet(CorrectionsSheet); err != nil {
		return err
	}
	short := map[string]string{}
	for _, d := range rd.Departments {
		short[d.Code] = d.Short
	}
	type line struct {
		c  *Correction
		ch plan.Change
	}
	var lines []line
	for i := range cs {
		for _, ch := range cs[i].Changes {
			lines = append(lines, line{&cs[i], ch})
		}
	}
	heads := []string{"序号", "部门代码", "部门", "指标编号", "栏目", "工作表", "单元格", "原内容", "更正为", "本次文件", "上次文件", "上次填报日期"}
	widths := []float64{6, 9, 16, 9, 10, 10, 8, 30, 30, 34, 34, 12}
	return table(f, CorrectionsSheet, "Corrections", heads, widths, len(lines), func(i int) []any {
		l := lines[i]
		return []any{i + 1, l.c.Dept, short[l.c.Dept], l.ch.Target, l.ch.Field, l.ch.Sheet, l.ch.Cell, l.ch.Old, l.ch.New,
			l.c.File, l.c.Previous, l.c.PreviousFilled}
	})
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '!' || p[i] == '\\' {
			return p[i+1:]
		}
	}
	return p
}
