// Package templates defines the department workbook — its layout contract
// (sheets, columns, header cells, metadata keys) — and writes it. The reader
// in workbook/ uses the same contract, so the layout lives here only.
package templates

import (
	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// SchemaVersion is stamped into every template; bump it when the layout changes.
const SchemaVersion = 1

// Sheet names.
const (
	SheetGuide     = "填报说明"
	SheetQuant     = "指标进度"
	SheetMilestone = "重点任务"
	SheetMeta      = "_meta"  // very hidden: the stamp
	SheetLists     = "_lists" // hidden: long drop-down lists
)

// Rows of the two data sheets (1-based).
const (
	TitleRow     = 1 // the sheet's title, merged across
	InfoRow      = 2 // the header block: 填报单位, 填报人, 联系电话, 填报日期
	NoteRow      = 3 // one line of guidance
	HeaderRow    = 4 // column headings
	FirstDataRow = 5 // the first target row
)

// The header block lives on SheetQuant, row InfoRow: a label cell, then its value cell.
const (
	DeptLabel       = "填报单位" // the label of CellDeptLabel
	CellDeptLabel   = "A2"
	CellDept        = "B2" // 填报单位, pre-filled, locked
	CellFillerLabel = "D2"
	CellFiller      = "E2" // 填报人, input
	CellPhoneLabel  = "F2"
	CellPhone       = "G2" // 联系电话, input
	CellDateLabel   = "I2"
	CellDate        = "J2" // 填报日期, input (a date)
)

// Column is one column of a data sheet.
type Column struct {
	Key    string  // stable name used in code
	Header string  // heading shown in HeaderRow
	Width  float64 // column width in characters
	Input  bool    // unlocked, tinted, filled by the department
	Calc   bool    // a formula the department sees working
}

// Column keys.
const (
	ColID        = "id"
	ColChapter   = "chapter"
	ColIndicator = "indicator"
	ColTarget    = "target"    // the target value, a number
	ColUnit      = "unit"      // 单位
	ColStatement = "statement" // the target as the plan states it, with 力争/确保
	ColKind      = "kind"
	ColQuote     = "quote"
	ColActual    = "actual"   // input: 本期累计完成值 / 当前值
	ColProgress  = "progress" // formula: 完成进度
	ColSchedule  = "schedule" // 序时进度
	ColCheck     = "check"    // formula: 自查
	ColNote      = "note"     // input: 进展情况
	ColProblems  = "problems" // input: 存在问题
	ColNext      = "next"     // input: 下步措施
	ColDue       = "due"      // 计划完成时间
	ColStatus    = "status"   // input: milestone status, from a drop-down
)

// QuantColumns is the layout of SheetQuant, from column A.
var QuantColumns = []Column{
	{Key: ColID, Header: "编号", Width: 7},
	{Key: ColChapter, Header: "所属领域", Width: 14},
	{Key: ColIndicator, Header: "指标名称", Width: 22},
	{Key: ColTarget, Header: "年度目标", Width: 9},
	{Key: ColUnit, Header: "单位", Width: 7},
	{Key: ColStatement, Header: "目标表述", Width: 12},
	{Key: ColKind, Header: "指标类型", Width: 9},
	{Key: ColQuote, Header: "计划原文", Width: 34},
	{Key: ColActual, Header: "本期完成值", Width: 11, Input: true},
	{Key: ColProgress, Header: "完成进度", Width: 9, Calc: true},
	{Key: ColSchedule, Header: "序时进度", Width: 9, Calc: true},
	{Key: ColCheck, Header: "自查", Width: 16, Calc: true},
	{Key: ColNote, Header: "进展情况", Width: 30, Input: true},
	{Key: ColProblems, Header: "存在问题", Width: 24, Input: true},
	{Key: ColNext, Header: "下步措施", Width: 24, Input: true},
}

// MilestoneColumns is the layout of SheetMilestone, from column A.
var MilestoneColumns = []Column{
	{Key: ColID, Header: "编号", Width: 7},
	{Key: ColChapter, Header: "所属领域", Width: 14},
	{Key: ColIndicator, Header: "重点任务", Width: 26},
	{Key: ColQuote, Header: "计划原文", Width: 36},
	{Key: ColDue, Header: "计划完成时间", Width: 12},
	{Key: ColStatus, Header: "进展状态", Width: 12, Input: true},
	{Key: ColCheck, Header: "自查", Width: 16, Calc: true},
	{Key: ColNote, Header: "进展情况", Width: 30, Input: true},
	{Key: ColProblems, Header: "存在问题", Width: 24, Input: true},
	{Key: ColNext, Header: "下步措施", Width: 24, Input: true},
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

// Metadata keys, stamped in SheetMeta (column A key, column B value) and,
// as a second copy, as document custom properties named "planrep." + key.
const (
	MetaSchema          = "schema"
	MetaPlanID          = "plan_id"
	MetaPlanFingerprint = "plan_fingerprint"
	MetaDept            = "dept" // the reporting unit's code, a department's or a 区县's
	MetaUnit            = "unit" // the unit's kind: dept or district (absent in stamps made before 区县: dept)
	MetaPeriod          = "period"
	MetaGenerated       = "generated"      // RFC 3339
	MetaDeadline        = "deadline"       // YYYY-MM-DD, may be empty
	MetaLocked          = "locked"         // fingerprint of every locked definition cell
	MetaQuantRows       = "rows.quant"     // target ids of SheetQuant's rows, in order, comma separated
	MetaMilestoneRows   = "rows.milestone" // target ids of SheetMilestone's rows, in order
	MetaTargetPrefix    = "target."        // target.<id> = the target's definition fingerprint
	CustomPropPrefix    = "planrep."
)

// Stamp is what a template carries about where it came from.
type Stamp struct {
	Schema          int
	PlanID          string
	PlanFingerprint string
	Dept            string
	Unit            plan.UnitKind // dept or district; dept when the stamp predates 区县
	Period          plan.Period
	Generated       string
	Deadline        string
	Locked          string            // fingerprint of the locked definition cells as written
	QuantRows       []string          // target id of each SheetQuant data row, from FirstDataRow
	MilestoneRows   []string          // target id of each SheetMilestone data row
	Targets         map[string]string // target id → plan.Target.Fingerprint() when written
	// PropsOnly is set when the stamp was read from the document properties
	// alone: the SheetMeta sheet was deleted or emptied.
	PropsOnly bool
}
