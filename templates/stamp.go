package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// ErrNoStamp means the workbook carries no planrep stamp: it was not made
// by planrep templates, or its stamp was removed.
var ErrNoStamp = errors.New("不是 planrep 生成的填报模板（找不到模板标识）：请使用计划主管部门下发的填报模板，不要新建表格或复制到其他文件中填写")

// ErrStampConflict means the stamp's two copies (the hidden sheet and the
// document properties) disagree: one of them was edited.
var ErrStampConflict = errors.New("模板标识前后不一致，表格的隐藏内容可能被改动过：请使用计划主管部门下发的原始模板重新填报")

// ErrStampPeriod means the stamp's period cannot be read. ReadStamp returns
// a *PeriodError wrapping it, with the rest of the stamp filled in, so the
// file can still be told apart by its department.
var ErrStampPeriod = errors.New("模板标识中的报告期无法识别")

// PeriodError carries the period text a stamp holds when it cannot be read.
type PeriodError struct{ Text string }

func (e *PeriodError) Error() string { return fmt.Sprintf("%v：%q", ErrStampPeriod, e.Text) }
func (e *PeriodError) Unwrap() error { return ErrStampPeriod }

// maxPropLen is the longest text a custom document property holds in Excel;
// longer values are split over name, name#2, name#3 ….
const maxPropLen = 255

// pairs lists the stamp as ordered key–value pairs, as stamped.
func (st Stamp) pairs() [][2]string {
	out := [][2]string{
		{MetaSchema, strconv.Itoa(st.Schema)},
		{MetaPlanID, st.PlanID},
		{MetaPlanFingerprint, st.PlanFingerprint},
		{MetaDept, st.Dept},
		{MetaUnit, string(st.Unit)},
		{MetaPeriod, st.Period.String()},
		{MetaGenerated, st.Generated},
		{MetaDeadline, st.Deadline},
		{MetaLocked, st.Locked},
		{MetaQuantRows, strings.Join(st.QuantRows, ",")},
		{MetaMilestoneRows, strings.Join(st.MilestoneRows, ",")},
	}
	ids := append(append([]string(nil), st.QuantRows...), st.MilestoneRows...)
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
		out = append(out, [2]string{MetaTargetPrefix + id, st.Targets[id]})
	}
	var rest []string
	for id := range st.Targets {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		out = append(out, [2]string{MetaTargetPrefix + id, st.Targets[id]})
	}
	return out
}

// meta writes the stamp to the very hidden SheetMeta and, as a second copy,
// to the document's custom properties.
func (b *builder) meta() error {
	f := b.f
	st := Stamp{
		Schema:          SchemaVersion,
		PlanID:          b.p.ID,
		PlanFingerprint: b.p.Fingerprint(),
		Dept:            b.d.Code,
		Unit:            b.u.Kind,
		Period:          b.opt.Period,
		Generated:       b.opt.Now.Format(time.RFC3339),
		Deadline:        b.opt.Deadline,
		Targets:         map[string]string{},
	}
	for _, t := range b.quant {
		st.QuantRows = append(st.QuantRows, t.ID)
		st.Targets[t.ID] = t.Fingerprint()
	}
	for _, t := range b.miles {
		st.MilestoneRows = append(st.MilestoneRows, t.ID)
		st.Targets[t.ID] = t.Fingerprint()
	}
	var err error
	if st.Locked, err = LockedFingerprint(f, st); err != nil {
		return err
	}
	for i, kv := range st.pairs() {
		if err := f.SetCellStr(SheetMeta, cell(1, i+1), kv[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(SheetMeta, cell(2, i+1), kv[1]); err != nil {
			return err
		}
		for n, part := range chunks(kv[1]) {
			name := CustomPropPrefix + kv[0]
			if n > 0 {
				name += "#" + strconv.Itoa(n+1)
			}
			if err := f.SetCustomProps(excelize.CustomProperty{Name: name, Value: part}); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(SheetMeta, "A", "A", 24); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetMeta, "B", "B", 60); err != nil {
		return err
	}
	if err := f.SetSheetVisible(SheetMeta, false, true); err != nil {
		return err
	}
	return b.protect(SheetMeta)
}

// chunks splits s into pieces a custom property can hold ("" stays one piece).
func chunks(s string) []string {
	r := []rune(s)
	if len(r) <= maxPropLen {
		return []string{s}
	}
	var out []string
	for len(r) > 0 {
		n := min(len(r), maxPropLen)
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return out
}

// workbookProps sets document properties, recalculation on open and the
// workbook's structure lock.
func (b *builder) workbookProps() error {
	f := b.f
	now := b.opt.Now.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          fmt.Sprintf("%s %s 目标任务进展情况填报表", b.d.Short, b.opt.Period.Label()),
		Subject:        b.p.Title,
		Creator:        b.p.Planner,
		LastModifiedBy: b.p.Planner,
		Created:        now,
		Modified:       now,
		Language:       "zh-CN",
		Keywords:       "planrep",
	}); err != nil {
		return err
	}
	yes := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes}); err != nil {
		return err
	}
	return f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true})
}

// ReadStamp reads a template's stamp from SheetMeta, checks it against the
// copy in the document's custom properties, and falls back to that copy
// when the sheet is gone. It returns an error wrapping ErrNoStamp when the
// workbook carries no stamp, and ErrStampConflict when the copies disagree.
func ReadStamp(f *excelize.File) (Stamp, error) {
	if f == nil {
		return Stamp{}, ErrNoStamp
	}
	sheet, err := sheetMeta(f)
	if err != nil {
		return Stamp{}, err
	}
	props, err := f.GetCustomProps()
	if err != nil {
		props = nil
	}
	return StampFrom(sheet, props)
}

// StampFrom reads a stamp from its two copies as a reader found them in a
// workbook: the key–value rows of SheetMeta (keys and values trimmed; empty
// when the sheet is absent) and the custom document properties (nil when
// there are none or they cannot be read). It fails as ReadStamp does.
func StampFrom(sheet map[string]string, customProps []excelize.CustomProperty) (Stamp, error) {
	props := propMeta(customProps)
	kv := sheet
	switch {
	case len(sheet) == 0 && len(props) == 0:
		return Stamp{}, ErrNoStamp
	case len(sheet) == 0:
		st, err := parseStamp(props)
		st.PropsOnly = true
		return st, err
	case len(props) > 0:
		if err := compareMeta(sheet, props); err != nil {
			return Stamp{}, err
		}
	}
	return parseStamp(kv)
}

func sheetMeta(f *excelize.File) (map[string]string, error) {
	name := ""
	for _, s := range f.GetSheetList() {
		if s == SheetMeta {
			name = s
		}
	}
	if name == "" {
		return nil, nil
	}
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("无法读取模板标识：%w", err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if len(r) == 0 || strings.TrimSpace(r[0]) == "" {
			continue
		}
		v := ""
		if len(r) > 1 {
			v = r[1]
		}
		out[strings.TrimSpace(r[0])] = strings.TrimSpace(v)
	}
	return out, nil
}

func propMeta(props []excelize.CustomProperty) map[string]string {
	parts := map[string]map[int]string{}
	for _, p := range props {
		if !strings.HasPrefix(p.Name, CustomPropPrefix) {
			continue
		}
		key, n := strings.TrimPrefix(p.Name, CustomPropPrefix), 1
		if i := strings.LastIndex(key, "#"); i >= 0 {
			if k, err := strconv.Atoi(key[i+1:]); err == nil && k > 1 {
				key, n = key[:i], k
			}
		}
		if parts[key] == nil {
			parts[key] = map[int]string{}
		}
		parts[key][n] = propString(p.Value)
	}
	out := map[string]string{}
	for key, ps := range parts {
		var b strings.Builder
		for i := 1; ; i++ {
			s, ok := ps[i]
			if !ok {
				break
			}
			b.WriteString(s)
		}
		out[key] = strings.TrimSpace(b.String())
	}
	return out
}

// propString reads a property of any type: another office suite may turn
// a text that looks like a number into one.
func propString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int32:
		return strconv.Itoa(int(x))
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func compareMeta(sheet, props map[string]string) error {
	keys := map[string]bool{}
	for k := range sheet {
		keys[k] = true
	}
	for k := range props {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		a, inSheet := sheet[k]
		b, inProps := props[k]
		if !inSheet || !inProps || a != b {
			return fmt.Errorf("%w（%s：元数据表为 %q，文档属性为 %q）", ErrStampConflict, k, a, b)
		}
	}
	return nil
}

func parseStamp(kv map[string]string) (Stamp, error) {
	for _, k := range []string{MetaSchema, MetaPlanID, MetaDept, MetaPeriod} {
		if kv[k] == "" {
			return Stamp{}, fmt.Errorf("%w（缺少 %s）", ErrNoStamp, k)
		}
	}
	schema, err := strconv.Atoi(kv[MetaSchema])
	if err != nil {
		v, ferr := strconv.ParseFloat(kv[MetaSchema], 64)
		if ferr != nil || v != math.Trunc(v) {
			return Stamp{}, fmt.Errorf("%w（模板版本 %q 无法识别）", ErrNoStamp, kv[MetaSchema])
		}
		schema = int(v)
	}
	switch plan.UnitKind(kv[MetaUnit]) {
	case "", plan.UnitDept, plan.UnitDistrict:
	default:
		return Stamp{}, fmt.Errorf("%w（填报单位类别 %q 无法识别）", ErrNoStamp, kv[MetaUnit])
	}
	st := Stamp{
		Schema:          schema,
		PlanID:          kv[MetaPlanID],
		PlanFingerprint: kv[MetaPlanFingerprint],
		Dept:            kv[MetaDept],
		Unit:            plan.UnitKind(kv[MetaUnit]).Or(),
		Generated:       kv[MetaGenerated],
		Deadline:        kv[MetaDeadline],
		Locked:          kv[MetaLocked],
		QuantRows:       splitIDs(kv[MetaQuantRows]),
		MilestoneRows:   splitIDs(kv[MetaMilestoneRows]),
		Targets:         map[string]string{},
	}
	for k, v := range kv {
		if id, ok := strings.CutPrefix(k, MetaTargetPrefix); ok && id != "" {
			st.Targets[id] = v
		}
	}
	per, err := plan.ParsePeriod(kv[MetaPeriod])
	if err != nil {
		return st, &PeriodError{Text: kv[MetaPeriod]}
	}
	st.Period = per
	return st, nil
}

func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// LockedFingerprint hashes the locked definition cells of the rows st names
// (and the pre-filled 填报单位), the same way Build computed st.Locked.
// Values are read raw and numbers normalised, so a workbook saved again by
// another office suite gives the same fingerprint when nothing was changed.
func LockedFingerprint(f *excelize.File, st Stamp) (string, error) {
	if f == nil {
		return "", ErrNoStamp
	}
	hasSheet := map[string]bool{}
	for _, s := range f.GetSheetList() {
		hasSheet[s] = true
	}
	raw := excelize.Options{RawCellValue: true}
	return LockedFingerprintOf(st, func(sheet string) bool { return hasSheet[sheet] }, func(c LockedCell) (string, error) {
		return f.GetCellValue(c.Sheet, c.Ref, raw)
	})
}

// LockedFingerprintOf is LockedFingerprint over any reader of a workbook's
// cells: hasSheet tells whether a sheet exists, raw gives a cell's stored
// value (a shared string's text, a number as stored) or "" for an empty
// cell. The cells hashed are LockedCells(st), in that order.
func LockedFingerprintOf(st Stamp, hasSheet func(sheet string) bool, raw func(c LockedCell) (string, error)) (string, error) {
	// What is hashed: each part followed by a 0 byte, each group of parts
	// by a 1 byte.
	b := make([]byte, 0, 4096)
	write := func(parts ...string) {
		for _, p := range parts {
			b = append(append(b, p...), 0)
		}
		b = append(b, 1)
	}
	write("planrep-locked", "1")
	checked := ""
	for _, c := range LockedCells(st) {
		if c.Sheet != checked {
			if !hasSheet(c.Sheet) {
				return "", fmt.Errorf("缺少工作表“%s”：模板结构被改动", c.Sheet)
			}
			checked = c.Sheet // the cells come sheet by sheet
		}
		v, err := raw(c)
		if err != nil {
			return "", fmt.Errorf("无法读取工作表“%s”的单元格 %s：%w", c.Sheet, c.Ref, err)
		}
		write(c.Sheet, c.Ref, normalizeCell(v))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8]), nil
}

// LockedCell is one cell the locked fingerprint covers, where the template
// put it: the 填报单位 of the header block, or a definition column of a
// stamped target's row.
type LockedCell struct {
	Sheet, Ref string
	Col, Row   int    // Ref's coordinates
	Key        string // the column key; "" for the 填报单位 cell
	Target     string // the row's target id; "" for the 填报单位 cell
}

// LockedCells lists the cells of st's fingerprint in the order they are
// hashed: SheetQuant's 填报单位, then each stamped row's locked columns.
func LockedCells(st Stamp) []LockedCell {
	var out []LockedCell
	for _, part := range []struct {
		sheet string
		cols  []Column
		ids   []string
	}{{SheetQuant, QuantColumns, st.QuantRows}, {SheetMilestone, MilestoneColumns, st.MilestoneRows}} {
		if len(part.ids) == 0 && part.sheet != SheetQuant {
			continue
		}
		if part.sheet == SheetQuant {
			c, r, _ := excelize.CellNameToCoordinates(CellDept)
			out = append(out, LockedCell{Sheet: SheetQuant, Ref: CellDept, Col: c, Row: r})
		}
		for i, id := range part.ids {
			for ci, c := range part.cols {
				if c.Input || c.Calc {
					continue
				}
				out = append(out, LockedCell{Sheet: part.sheet, Ref: cell(ci+1, FirstDataRow+i), Col: ci + 1, Row: FirstDataRow + i, Key: c.Key, Target: id})
			}
		}
	}
	return out
}

// SameCell reports whether a cell's raw text shows def, compared as the
// locked fingerprint compares them (spacing at the ends, line breaks,
// numbers written differently).
func SameCell(raw, def string) bool { return normalizeCell(raw) == normalizeCell(def) }

// normalizeCell makes a cell's raw text comparable across office suites.
func normalizeCell(v string) string {
	v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	if v == "" || !strings.ContainsRune("0123456789+-.iInN", rune(v[0])) {
		return v // not a number: ParseFloat's numbers start so
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
		return strconv.FormatFloat(x, 'g', 15, 64)
	}
	return v
}
