package templates

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
)

func districtWorkbook(t *testing.T, p *plan.Plan, code string) *excelize.File {
	t.Helper()
	d, ok := p.District(code)
	if !ok {
		t.Fatalf("no 区县 %s", code)
	}
	var buf bytes.Buffer
	if err := WriteUnit(&buf, p, d.Unit(), testOptions()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestDistrictTemplate(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := districtWorkbook(t, p, "ZHANGDIAN")
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Dept != "ZHANGDIAN" || st.Unit != plan.UnitDistrict {
		t.Errorf("stamp names %s (%s); want ZHANGDIAN (district)", st.Dept, st.Unit)
	}
	want := p.DistrictTargets("ZHANGDIAN")
	if len(st.QuantRows) != len(want) || len(want) != 36 || len(st.MilestoneRows) != 0 {
		t.Fatalf("rows: %d quantitative, %d milestones; want 36 and 0", len(st.QuantRows), len(st.MilestoneRows))
	}
	for i, tg := range want {
		if st.Targets[tg.ID] != tg.Fingerprint() {
			t.Errorf("%s: stamped fingerprint is not the quota's", tg.ID)
		}
		if st.QuantRows[i] != tg.ID {
			t.Errorf("row %d: %s; want %s", i, st.QuantRows[i], tg.ID)
		}
	}
	if got, err := LockedFingerprint(f, st); err != nil || got != st.Locked {
		t.Errorf("locked fingerprint %s (%v); want %s", got, err, st.Locked)
	}
	get := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := get(SheetQuant, CellDept); got != "淄博市张店区" {
		t.Errorf("填报单位 %q; want 淄博市张店区", got)
	}
	// 1-01 (力争新引进过亿元项目430个): the quota is the row's target.
	row := 0
	for i, id := range st.QuantRows {
		if id == "1-01" {
			row = FirstDataRow + i
		}
	}
	tgt := get(SheetQuant, cell(colIndex(QuantColumns, ColTarget), row))
	stmt := get(SheetQuant, cell(colIndex(QuantColumns, ColStatement), row))
	if tgt != "40" || stmt != "分解任务40个（全市力争430个，示例）" {
		t.Errorf("1-01: 年度目标 %q, 目标表述 %q; want 40 and 分解任务40个（全市力争430个，示例）", tgt, stmt)
	}
	if title := get(SheetQuant, "A1"); !strings.Contains(title, "区县量化指标进展情况填报表") {
		t.Errorf("title %q", title)
	}
	if note := get(SheetQuant, cell(1, NoteRow)); !strings.Contains(note, "本表为区县（功能区）填报表") || !strings.Contains(note, "分解任务为示例") {
		t.Errorf("note %q; want the 区县 and 示例 explained", note)
	}
	if got := get(SheetMilestone, cell(1, FirstDataRow)); got != NoMilestones {
		t.Errorf("重点任务 first row %q; want %q", got, NoMilestones)
	}
	rows := mustGet(f.GetRows(SheetGuide))
	var guide strings.Builder
	for _, r := range rows {
		guide.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, w := range []string{"任务来源", "本区县承担全市分解任务 36 项", "【示例】", "淄博市张店区（张店区）"} {
		if !strings.Contains(guide.String(), w) {
			t.Errorf("填报说明 lacks %q", w)
		}
	}
	// The same checks as a department's: the actual value is validated as a decimal.
	dvs, _ := f.GetDataValidations(SheetQuant)
	if dv := covering(dvs, cell(colIndex(QuantColumns, ColActual), row)); dv == nil || dv.Type != "decimal" {
		t.Errorf("本期完成值 of a 区县 row has no decimal validation: %+v", dv)
	}
}

func TestDistrictOwnTarget(t *testing.T) {
	p := testPlan(t)
	p.Districts = []plan.District{{Code: "ZD", Name: "测试市张店区", Short: "张店区"}}
	var level *plan.Target
	for i := range p.Targets {
		if p.Targets[i].Kind == plan.Level && p.Targets[i].Value != nil {
			level = &p.Targets[i]
			break
		}
	}
	if level == nil {
		t.Fatal("the test plan has no level target")
	}
	level.Own = map[string]float64{"ZD": 1}
	f := districtWorkbook(t, p, "ZD")
	stmt, _ := f.GetCellValue(SheetQuant, cell(colIndex(QuantColumns, ColStatement), FirstDataRow))
	if !strings.HasPrefix(stmt, "区县目标1"+level.Unit+"（全市") || strings.Contains(stmt, "示例") {
		t.Errorf("目标表述 %q; want the own target next to the city's, not 示例", stmt)
	}
}

func TestDepartmentStampSaysDept(t *testing.T) {
	p := testPlan(t)
	f, _ := roundTrip(t, p, "FGW", testOptions())
	st, err := ReadStamp(f)
	if err != nil || st.Unit != plan.UnitDept {
		t.Errorf("unit %q (%v); want dept", st.Unit, err)
	}
	// A stamp without the key (made before 区县) reads as a department's;
	// one with an unknown kind is refused.
	kv := map[string]string{MetaSchema: "1", MetaPlanID: "x", MetaDept: "FGW", MetaPeriod: "2025Q3"}
	if st, err := parseStamp(kv); err != nil || st.Unit != plan.UnitDept {
		t.Errorf("old stamp: unit %q (%v); want dept", st.Unit, err)
	}
	kv[MetaUnit] = "county"
	if _, err := parseStamp(kv); err == nil || !strings.Contains(err.Error(), "填报单位类别") {
		t.Errorf("unknown unit kind: %v; want refused", err)
	}
}

func TestWriteUnitsBothKinds(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	var units []plan.Unit
	for _, d := range p.LeadDepts()[:2] {
		units = append(units, d.Unit())
	}
	for _, d := range p.ReportingDistricts() {
		units = append(units, d.Unit())
	}
	dir := t.TempDir()
	ws, err := WriteUnits(dir, p, units, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 13 || ws[2].Kind != plan.UnitDistrict || filepath.Base(ws[2].File) != "2025Q3_张店区_ZHANGDIAN.xlsx" || ws[2].Targets != 36 {
		t.Fatalf("written: %+v", ws[2])
	}
	r, err := excelize.OpenFile(filepath.Join(dir, RosterFile))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, _ := r.GetRows("发放清单")
	if got := rows[4]; got[1] != "张店区" || got[8] != "区县" || got[4] != "36" {
		t.Errorf("roster row of 张店区: %v", got)
	}
	if got := rows[2]; got[8] != "部门" {
		t.Errorf("roster row of a department: %v", got)
	}
}
