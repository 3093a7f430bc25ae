package workbook

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/templates"
)

// cellVal is one cell as the department left it.
type cellVal struct {
	Ref     string // A1 address
	Raw     string // the stored value (a formula's cached result)
	Text    bool   // stored as text rather than as a number
	Percent bool   // a number shown with a percent format (55% stored as 0.55)
	Formula string // the formula, when the cell holds one
}

// rowData is one data row of a return.
type rowData struct {
	Row       int
	ID        string
	Hidden    bool
	Content   bool // any cell other than the id is filled
	Indicator cellVal
	Target    cellVal // quantitative sheet only
	Unit      cellVal // quantitative sheet only
	Input     cellVal // 本期完成值, or a milestone's 进展状态
	Note      cellVal
	Problems  cellVal
	Next      cellVal
	// Defs holds every locked definition column of the row other than the
	// id (所属领域, 指标名称, 年度目标, 单位, 目标表述, 指标类型, 计划原文,
	// 计划完成时间: the sheet's columns neither Input nor Calc), found by
	// heading, by column key. Indicator, Target and Unit are among them.
	Defs map[string]cellVal
}

// sheetData is one data sheet of a return.
type sheetData struct {
	Name    string
	Missing bool     // the sheet is not in the workbook
	BadCols []string // headings of required columns that could not be found
	Moved   bool     // columns found away from their places
	Rows    []rowData
}

// returnData is everything collect needs from one return: small, so that the
// workbook itself can be closed at once.
type returnData struct {
	Stamp templates.Stamp
	// Locked is the fingerprint of the locked cells as the return holds them
	// (templates.LockedFingerprintOf over templates.LockedCells(Stamp)), to
	// compare with Stamp.Locked; "" when a data sheet it covers is missing.
	Locked string
	// Units are the 填报单位 cells of the data sheets' header blocks
	// (templates.CellDept), for the sheets that exist, SheetQuant first.
	Units         []unitCell
	Filler, Phone string
	Filled        time.Time // 填报日期, zero when absent or unreadable
	ExternalLinks bool
	Quant, Mile   sheetData
}

// panicked, when set (by tests), hears of a panic the reader recovered from.
var panicked func(any)

// unitOf reads a sheet's 填报单位 through get (a cell's raw value by
// column and row, 1-based): the first filled cell right of its label, which
// stand in templates.CellDeptLabel and CellDept unless columns were inserted
// (the sheet's columns are then read by heading, and S08 says so).
func unitOf(get func(col, row int) string) cellVal {
	col, row, _ := excelize.CellNameToCoordinates(templates.CellDeptLabel)
	for c := col; c <= col+maxExtraCols; c++ {
		if strings.TrimSpace(get(c, row)) == templates.DeptLabel {
			col = c
			break
		}
	}
	first, _ := excelize.CoordinatesToCellName(col+1, row)
	for c := col + 1; c <= col+1+maxExtraCols; c++ {
		if v := get(c, row); strings.TrimSpace(v) != "" {
			ref, _ := excelize.CoordinatesToCellName(c, row)
			return cellVal{Ref: ref, Raw: v}
		}
	}
	return cellVal{Ref: first}
}

// definitionKeys lists the locked definition columns of cols found in at
// (column key → index), layout order, the id excepted: what rowData.Defs holds.
func definitionKeys(cols []templates.Column, at map[string]int) []string {
	var defs []string
	for _, c := range cols {
		if _, ok := at[c.Key]; ok && !c.Calc && !c.Input && c.Key != templates.ColID {
			defs = append(defs, c.Key)
		}
	}
	return defs
}

// unitCell is a 填报单位 cell as the department left it.
type unitCell struct {
	Sheet string
	Cell  cellVal
}

// Bounds of the area read from a data sheet.
const (
	maxExtraCols = 4    // columns looked at beyond the layout, for inserted ones
	maxBlankRows = 12   // blank rows that end the table
	maxRows      = 5000 // rows read at most
)

// inputKey is the column a sheet's value is entered in.
func inputKey(cols []templates.Column) string {
	for _, c := range cols {
		if c.Key == templates.ColStatus {
			return templates.ColStatus
		}
	}
	return templates.ColActual
}
