package workbook

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
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

// openWorkbook checks a file and opens it as a workbook. Callers must Close it.
func openWorkbook(name string, data []byte, limit int64) (*excelize.File, bool, *fileProblem) {
	ext, p := checkPackage(name, data, limit)
	if p != nil {
		return nil, false, p
	}
	xmlLimit := int64(16 << 20)
	if xmlLimit > limit {
		xmlLimit = limit
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: xmlLimit})
	if err != nil {
		return nil, false, problem(plan.FileCorrupt, "文件已损坏，无法作为 Excel 工作簿读取：请用 Excel 或 WPS 打开确认后重新保存报送")
	}
	return f, ext, nil
}

// panicked, when set (by tests), hears of a panic the reader recovered from.
var panicked func(any)

// readReturn reads a return's stamp, header block and data rows. A file
// without a readable stamp is not a planrep template.
func readReturn(name string, data []byte, limit int64) (ret *returnData, p *fileProblem) {
	defer func() {
		if r := recover(); r != nil {
			if panicked != nil {
				panicked(r)
			}
			ret, p = nil, problem(plan.FileCorrupt, "文件内容异常，无法读取：请用 Excel 或 WPS 打开确认后重新保存报送")
		}
	}()
	f, ext, p := openWorkbook(name, data, limit)
	if p != nil {
		return nil, p
	}
	defer f.Close()
	st, err := templates.ReadStamp(f)
	if pe := (*templates.PeriodError)(nil); errors.As(err, &pe) {
		p := problem(plan.FileBadStamp, "模板标识中的报告期“%s”无法识别：请使用本期下发的模板重新填写", clip(pe.Text, 20))
		p.Dept = st.Dept
		return nil, p
	}
	if errors.Is(err, templates.ErrStampConflict) {
		return nil, problem(plan.FileBadStamp, "%s", err.Error())
	}
	if err != nil {
		return nil, problem(plan.FileNotTemplate, "没有找到填报模板的标识，这不是本工具生成的填报模板：请使用市发展改革委下发的模板填写，不要新建表格或把内容复制到其他文件")
	}
	if st.Schema != templates.SchemaVersion {
		return nil, problem(plan.FileBadStamp, "模板版本（%d）与本程序（%d）不符：请使用本期下发的模板重新填写", st.Schema, templates.SchemaVersion)
	}
	ret = &returnData{Stamp: st, ExternalLinks: ext}
	ret.Quant = readSheet(f, templates.SheetQuant, templates.QuantColumns)
	ret.Mile = readSheet(f, templates.SheetMilestone, templates.MilestoneColumns)
	head := templates.SheetQuant
	if ret.Quant.Missing {
		head = templates.SheetMilestone
	}
	raw := excelize.Options{RawCellValue: true}
	if fp, err := templates.LockedFingerprint(f, st); err == nil {
		ret.Locked = fp
	}
	for _, sd := range []*sheetData{&ret.Quant, &ret.Mile} {
		if !sd.Missing {
			name := sd.Name
			ret.Units = append(ret.Units, unitCell{Sheet: name, Cell: unitOf(func(col, row int) string {
				ref, _ := excelize.CoordinatesToCellName(col, row)
				v, _ := f.GetCellValue(name, ref, raw)
				return v
			})})
		}
	}
	ret.Filler, _ = f.GetCellValue(head, templates.CellFiller, raw)
	ret.Phone, _ = f.GetCellValue(head, templates.CellPhone, raw)
	ret.Filler, ret.Phone = strings.TrimSpace(ret.Filler), strings.TrimSpace(ret.Phone)
	if d, _ := f.GetCellValue(head, templates.CellDate, raw); d != "" {
		if t, ok := parseDate(d); ok {
			ret.Filled = t
		}
	}
	return ret, nil
}

// unitOf reads a sheet's 填报单位 through get (a cell's raw value by
// column and row, 1-based): the first filled cell right of its label, which
// stand in templates.CellDeptLabel and CellDept unless columns were inserted
// (the sheet's columns are then read by heading, and S08 says so). Both
// readers use it.
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

// readSheet reads one data sheet, finding each column by its heading. It
// works on excelize's parsed worksheet only (cell by cell), so each sheet's
// XML is parsed once: a return's cost is dominated by opening it.
func readSheet(f *excelize.File, sheet string, cols []templates.Column) sheetData {
	sd := sheetData{Name: sheet}
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		sd.Missing = true
		return sd
	}
	raw := excelize.Options{RawCellValue: true}
	get := func(col, row int) string {
		ref, _ := excelize.CoordinatesToCellName(col+1, row)
		v, _ := f.GetCellValue(sheet, ref, raw)
		return v
	}
	// Locate the columns by heading; they are expected where the layout puts them.
	width := len(cols) + maxExtraCols
	header := make([]string, width)
	for i := range header {
		header[i] = strings.TrimSpace(get(i, templates.HeaderRow))
	}
	at := map[string]int{}
	for i, c := range cols {
		if header[i] == c.Header {
			at[c.Key] = i
			continue
		}
		for j, h := range header {
			if h == c.Header {
				at[c.Key] = j
				sd.Moved = true
				break
			}
		}
	}
	required := []string{templates.ColID, templates.ColIndicator, inputKey(cols), templates.ColNote, templates.ColProblems, templates.ColNext}
	if sheet == templates.SheetQuant {
		required = append(required, templates.ColTarget, templates.ColUnit)
	}
	for _, k := range required {
		if _, ok := at[k]; !ok {
			for _, c := range cols {
				if c.Key == k {
					sd.BadCols = append(sd.BadCols, c.Header)
				}
			}
		}
	}
	if len(sd.BadCols) > 0 {
		return sd
	}
	calc := map[int]bool{}
	for _, c := range cols {
		if j, ok := at[c.Key]; ok && c.Calc {
			calc[j] = true
		}
	}
	defs := definitionKeys(cols, at)
	cell := func(row []string, r int, key string, input bool) cellVal {
		i := at[key]
		name, _ := excelize.ColumnNumberToName(i + 1)
		cv := cellVal{Ref: name + strconv.Itoa(r), Raw: row[i]}
		if !input {
			return cv
		}
		if fm, _ := f.GetCellFormula(sheet, cv.Ref); fm != "" {
			cv.Formula = fm
		}
		if cv.Raw == "" {
			return cv
		}
		switch t, _ := f.GetCellType(sheet, cv.Ref); t {
		case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
			cv.Text = true
		case excelize.CellTypeUnset, excelize.CellTypeNumber:
			// 55% typed into Excel is stored as 0.55 with a percent format.
			// Looking at the format parses the styles, so only fractions are
			// looked at.
			if v, err := strconv.ParseFloat(cv.Raw, 64); err == nil && key == templates.ColActual && math.Abs(v) <= 1.5 {
				if shown, err := f.GetCellValue(sheet, cv.Ref); err == nil && strings.HasSuffix(strings.TrimSpace(shown), "%") {
					cv.Percent = true
				}
			}
		}
		return cv
	}
	// Rows run until maxBlankRows blank rows in a row: a row appended far
	// below the table is not a return's business.
	row := make([]string, width)
	for r, blank := templates.FirstDataRow, 0; blank < maxBlankRows && r < templates.FirstDataRow+maxRows; r++ {
		rd := rowData{Row: r}
		for i := range row {
			row[i] = get(i, r)
		}
		rd.ID = strings.TrimSpace(row[at[templates.ColID]])
		for i, v := range row {
			if i != at[templates.ColID] && !calc[i] && strings.TrimSpace(v) != "" {
				rd.Content = true
				break
			}
		}
		if rd.ID == "" && !rd.Content {
			blank++
			continue
		}
		blank = 0
		if rd.ID == templates.NoQuantTargets || rd.ID == templates.NoMilestones {
			continue
		}
		if vis, err := f.GetRowVisible(sheet, r); err == nil && !vis {
			rd.Hidden = true
		}
		if rd.ID == "" {
			sd.Rows = append(sd.Rows, rd)
			continue
		}
		rd.Defs = make(map[string]cellVal, len(defs))
		for _, k := range defs {
			rd.Defs[k] = cell(row, r, k, false)
		}
		rd.Indicator = rd.Defs[templates.ColIndicator]
		if sheet == templates.SheetQuant {
			rd.Target = rd.Defs[templates.ColTarget]
			rd.Unit = rd.Defs[templates.ColUnit]
		}
		rd.Input = cell(row, r, inputKey(cols), true)
		rd.Note = cell(row, r, templates.ColNote, true)
		rd.Problems = cell(row, r, templates.ColProblems, true)
		rd.Next = cell(row, r, templates.ColNext, true)
		sd.Rows = append(sd.Rows, rd)
	}
	return sd
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
