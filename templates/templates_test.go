package templates

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/internal/testmust"
	"planrep/plan"
	"planrep/seeds"
)

var update = flag.Bool("update", false, "rewrite golden files")

var testNow = time.Date(2025, 9, 25, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func testPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, _, err := plan.Load(os.DirFS("testdata"), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func testOptions() Options {
	return Options{Period: plan.MustPeriod("2025Q3"), Deadline: "2025-10-10", Contact: "市发展改革委 计划科 0533-3180000", Now: testNow}
}

func dept(t testing.TB, p *plan.Plan, code string) plan.Department {
	t.Helper()
	d, ok := p.Dept(code)
	if !ok {
		t.Fatalf("no department %s", code)
	}
	return d
}

// roundTrip builds a workbook, writes it and opens it again, as a department would receive it.
func roundTrip(t testing.TB, p *plan.Plan, code string, opt Options) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p, dept(t, p, code), opt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

func TestWriteAllDefaultPlan(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	leads := p.LeadDepts()
	ws, err := WriteAll(dir, p, leads, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != len(leads) {
		t.Fatalf("wrote %d templates; want %d (one per lead department)", len(ws), len(leads))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(files) != len(leads)+1 {
		t.Errorf("folder holds %d workbooks; want %d templates and %s", len(files), len(leads), RosterFile)
	}
	perDept := map[string]int{}
	seen := map[string]string{}
	for _, w := range ws {
		f, err := excelize.OpenFile(w.File)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ReadStamp(f)
		if err != nil {
			t.Fatalf("%s: %v", w.File, err)
		}
		perDept[st.Dept]++
		if st.Dept != w.Dept.Code || st.Period.String() != "2025Q3" || st.PlanID != p.ID || st.PlanFingerprint != p.Fingerprint() || st.Schema != SchemaVersion {
			t.Errorf("%s: stamp %+v does not name %s, 2025Q3, plan %s", w.File, st, w.Dept.Code, p.ID)
		}
		if filepath.Base(w.File) != FileName(plan.MustPeriod("2025Q3"), w.Dept) {
			t.Errorf("file %s; want %s", w.File, FileName(plan.MustPeriod("2025Q3"), w.Dept))
		}
		var wantQ, wantM []string
		for _, tg := range p.Led(w.Dept.Code) {
			if tg.Kind.Quantitative() {
				wantQ = append(wantQ, tg.ID)
			} else {
				wantM = append(wantM, tg.ID)
			}
		}
		if strings.Join(st.QuantRows, ",") != strings.Join(wantQ, ",") || strings.Join(st.MilestoneRows, ",") != strings.Join(wantM, ",") {
			t.Errorf("%s: rows %v %v; want %v %v", w.Dept.Code, st.QuantRows, st.MilestoneRows, wantQ, wantM)
		}
		if w.Targets != len(wantQ)+len(wantM) {
			t.Errorf("%s: Targets %d; want %d", w.Dept.Code, w.Targets, len(wantQ)+len(wantM))
		}
		for sheet, ids := range map[string][]string{SheetQuant: st.QuantRows, SheetMilestone: st.MilestoneRows} {
			for i, id := range ids {
				if other, dup := seen[id]; dup {
					t.Errorf("target %s appears in %s and %s", id, other, w.File)
				}
				seen[id] = w.File
				got, _ := f.GetCellValue(sheet, cell(1, FirstDataRow+i))
				if got != id {
					t.Errorf("%s %s row %d: id %q; want %q", w.Dept.Code, sheet, FirstDataRow+i, got, id)
				}
				tg, _ := p.Target(id)
				if st.Targets[id] != tg.Fingerprint() {
					t.Errorf("stamp of %s: %q; want %q", id, st.Targets[id], tg.Fingerprint())
				}
			}
		}
		fp, err := LockedFingerprint(f, st)
		if err != nil || fp != st.Locked {
			t.Errorf("%s: locked fingerprint %s, %v; want %s", w.Dept.Code, fp, err, st.Locked)
		}
		f.Close()
	}
	for _, d := range leads {
		if perDept[d.Code] != 1 {
			t.Errorf("department %s has %d files; want 1", d.Code, perDept[d.Code])
		}
	}
	for _, tg := range p.Targets {
		if _, ok := seen[tg.ID]; !ok {
			t.Errorf("target %s is in no template", tg.ID)
		}
	}

	r, err := excelize.OpenFile(filepath.Join(dir, RosterFile))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, _ := r.GetRows("发放清单")
	if len(rows) != 2+len(leads) {
		t.Fatalf("roster has %d rows; want title, header and %d departments", len(rows), len(leads))
	}
	if got := strings.Join(rows[1], ","); !strings.Contains(got, "填报单位,单位代码,文件名,指标数") || !strings.Contains(got, "截止日期") {
		t.Errorf("roster header %q", got)
	}
	for i, w := range ws {
		row := rows[2+i]
		if row[1] != w.Dept.Short || row[3] != filepath.Base(w.File) || row[4] != fmt.Sprint(w.Targets) || row[7] != "2025-10-10" {
			t.Errorf("roster row %v; want %s %s %d 2025-10-10", row, w.Dept.Short, filepath.Base(w.File), w.Targets)
		}
	}
}

// covering returns the validation whose range holds ref.
func covering(dvs []*excelize.DataValidation, ref string) *excelize.DataValidation {
	c, r, _ := excelize.CellNameToCoordinates(ref)
	for _, dv := range dvs {
		for _, part := range strings.Fields(dv.Sqref) {
			lo, hi, ok := strings.Cut(part, ":")
			if !ok {
				hi = lo
			}
			c1, r1, _ := excelize.CellNameToCoordinates(lo)
			c2, r2, _ := excelize.CellNameToCoordinates(hi)
			if c >= c1 && c <= c2 && r >= r1 && r <= r2 {
				return dv
			}
		}
	}
	return nil
}

func locked(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st.Protection == nil || st.Protection.Locked
}

// zipPart reads one part of the workbook package.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc := mustGet(f.Open())
			b := mustGet(io.ReadAll(rc))
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

func TestTemplateStructure(t *testing.T) {
	p := testPlan(t)
	f, data := roundTrip(t, p, "FGW", testOptions())

	if got := strings.Join(f.GetSheetList(), ","); got != strings.Join([]string{SheetGuide, SheetQuant, SheetMilestone, SheetLists, SheetMeta}, ",") {
		t.Errorf("sheets %s", got)
	}
	wb := zipPart(t, data, "xl/workbook.xml")
	if !regexp.MustCompile(`name="_meta"[^>]*state="veryHidden"`).MatchString(wb) {
		t.Errorf("_meta is not very hidden: %s", wb)
	}
	if !regexp.MustCompile(`name="_lists"[^>]*state="hidden"`).MatchString(wb) {
		t.Errorf("_lists is not hidden")
	}
	if !regexp.MustCompile(`fullCalcOnLoad="(1|true)"`).MatchString(wb) {
		t.Errorf("workbook does not ask for recalculation on load")
	}
	if v, _ := f.GetCellValue(SheetQuant, CellDept); v != "测试市发展和改革委员会" {
		t.Errorf("填报单位 %q", v)
	}

	// Locked definition cells, unlocked inputs, on both data sheets.
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.QuantRows) != 4 || len(st.MilestoneRows) != 2 {
		t.Fatalf("rows %v %v", st.QuantRows, st.MilestoneRows)
	}
	for _, part := range []struct {
		sheet string
		cols  []Column
		n     int
	}{{SheetQuant, QuantColumns, len(st.QuantRows)}, {SheetMilestone, MilestoneColumns, len(st.MilestoneRows)}} {
		dvs, err := f.GetDataValidations(part.sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < part.n; i++ {
			r := FirstDataRow + i
			for ci, c := range part.cols {
				ref := cell(ci+1, r)
				if got := locked(t, f, part.sheet, ref); got == c.Input {
					t.Errorf("%s!%s (%s) locked=%v; want %v", part.sheet, ref, c.Key, got, !c.Input)
				}
				dv := covering(dvs, ref)
				if c.Input {
					if dv == nil {
						t.Errorf("%s!%s (%s) has no validation", part.sheet, ref, c.Key)
						continue
					}
					if !dv.ShowInputMessage || dv.Prompt == nil || *dv.Prompt == "" || !dv.ShowErrorMessage || dv.Error == nil || *dv.Error == "" {
						t.Errorf("%s!%s: validation lacks a prompt or an alert", part.sheet, ref)
					}
					want := map[string]string{ColActual: "decimal", ColStatus: "list", ColNote: "textLength", ColProblems: "textLength", ColNext: "textLength"}[c.Key]
					if dv.Type != want {
						t.Errorf("%s!%s: validation %s; want %s", part.sheet, ref, dv.Type, want)
					}
					if c.Key == ColStatus && !strings.Contains(dv.Formula1, SheetLists) {
						t.Errorf("status list %q does not read %s", dv.Formula1, SheetLists)
					}
				}
				if c.Key == ColCheck || (c.Key == ColProgress && part.sheet == SheetQuant) {
					fm, _ := f.GetCellFormula(part.sheet, ref)
					if !strings.Contains(fm, fmt.Sprint(r)) || !strings.HasPrefix(fm, "IF(") {
						t.Errorf("%s!%s: formula %q", part.sheet, ref, fm)
					}
				}
			}
		}
		prot, err := f.GetSheetProtection(part.sheet)
		if err != nil || !prot.SelectLockedCells || !prot.SelectUnlockedCells || prot.InsertRows || prot.DeleteRows {
			t.Errorf("%s protection %+v, %v", part.sheet, prot, err)
		}
		layout, _ := f.GetPageLayout(part.sheet)
		if *layout.Orientation != "landscape" || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("%s page layout %v %v %v", part.sheet, *layout.Orientation, *layout.Size, layout.FitToWidth)
		}
		props, _ := f.GetSheetProps(part.sheet)
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s does not fit to page", part.sheet)
		}
		panes, _ := f.GetPanes(part.sheet)
		if !panes.Freeze || panes.YSplit != HeaderRow {
			t.Errorf("%s panes %+v", part.sheet, panes)
		}
		cfs, _ := f.GetConditionalFormats(part.sheet)
		if len(cfs) == 0 {
			t.Errorf("%s has no conditional formats", part.sheet)
		}
		// Every row is tinted while its 自查 speaks: rose for a problem,
		// pale grey while it is not filled in yet.
		tinted := map[string]int{}
		for rng, opts := range cfs {
			if strings.HasPrefix(rng, "A") {
				for _, o := range opts {
					tinted[o.Criteria]++
				}
			}
		}
		var flags, pending int
		for crit, n := range tinted {
			switch {
			case strings.Contains(crit, "AND(") && strings.Contains(crit, `<>"`+CheckEmpty+`"`):
				flags += n
			case strings.HasSuffix(crit, `="`+CheckEmpty+`"`):
				pending += n
			}
		}
		if flags == 0 || pending == 0 {
			t.Errorf("%s: rows tinted for problems %d times and for 未填 %d times; want both: %v", part.sheet, flags, pending, cfs)
		}
	}
	for _, s := range []string{SheetGuide, SheetQuant, SheetMilestone, SheetLists, SheetMeta} {
		i, _ := f.GetSheetIndex(s)
		x := zipPart(t, data, fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		if !regexp.MustCompile(`<sheetProtection[^>]*sheet="(1|true)"`).MatchString(x) || strings.Contains(x, "assword") {
			t.Errorf("%s is not protected without a password", s)
		}
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, s := range []string{SheetQuant, SheetMilestone} {
		if want := fmt.Sprintf("'%s'!$1:$%d", s, HeaderRow); titles[s] != want {
			t.Errorf("print titles of %s: %q; want %q", s, titles[s], want)
		}
	}

	// The header block.
	dvs, _ := f.GetDataValidations(SheetQuant)
	for ref, typ := range map[string]string{CellFiller: "textLength", CellPhone: "textLength", CellDate: "date"} {
		if locked(t, f, SheetQuant, ref) {
			t.Errorf("%s is locked", ref)
		}
		if dv := covering(dvs, ref); dv == nil || dv.Type != typ || dv.Prompt == nil {
			t.Errorf("%s validation %+v; want %s with a prompt", ref, dv, typ)
		}
	}
	if !locked(t, f, SheetQuant, CellDept) {
		t.Errorf("填报单位 is not locked")
	}
	if dv := covering(dvs, CellDate); dv.Formula1 != "45658" || dv.Formula2 != "46387" {
		t.Errorf("date range %s–%s; want 2025-01-01 to 2026-12-31", dv.Formula1, dv.Formula2)
	}

	// The stamp: both copies, every key.
	if st.Schema != SchemaVersion || st.PlanID != "test-2025" || st.Dept != "FGW" || st.Period.String() != "2025Q3" ||
		st.Deadline != "2025-10-10" || st.Generated != "2025-09-25T09:30:00+08:00" || st.PlanFingerprint != p.Fingerprint() {
		t.Errorf("stamp %+v", st)
	}
	if fp, err := LockedFingerprint(f, st); err != nil || fp != st.Locked || fp == "" {
		t.Errorf("locked fingerprint %q, %v; want %q", fp, err, st.Locked)
	}
	props, _ := f.GetCustomProps()
	have := map[string]bool{}
	for _, pr := range props {
		have[pr.Name] = true
	}
	for _, k := range []string{MetaSchema, MetaPlanID, MetaPlanFingerprint, MetaDept, MetaPeriod, MetaGenerated, MetaDeadline, MetaLocked, MetaQuantRows, MetaMilestoneRows, MetaTargetPrefix + "1-01"} {
		if !have[CustomPropPrefix+k] {
			t.Errorf("no custom property %s", CustomPropPrefix+k)
		}
	}

	// The guide names the period, the deadline and the contact.
	rows := mustGet(f.GetRows(SheetGuide))
	var guide strings.Builder
	for _, r := range rows {
		guide.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, want := range []string{"2025年前三季度", "2025年1月1日至9月30日", "2025年10月10日", "0533-3180000", "累计量", "增长率", "水平值", "控制上限", "颜色说明", "填 5.2"} {
		if !strings.Contains(guide.String(), want) {
			t.Errorf("guide does not say %q", want)
		}
	}
}

func TestTampering(t *testing.T) {
	p := testPlan(t)
	f, _ := roundTrip(t, p, "FGW", testOptions())
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	target := Col(QuantColumns, ColTarget) + fmt.Sprint(FirstDataRow+2)
	must(f.SetCellValue(SheetQuant, target, 300))
	if fp, _ := LockedFingerprint(f, st); fp == st.Locked {
		t.Errorf("changing %s left the fingerprint unchanged", target)
	}
	// Inputs are not part of it.
	must(f.SetCellValue(SheetQuant, target, 430))
	must(f.SetCellValue(SheetQuant, Col(QuantColumns, ColActual)+fmt.Sprint(FirstDataRow), 4.8))
	must(f.SetCellValue(SheetMilestone, Col(MilestoneColumns, ColNote)+fmt.Sprint(FirstDataRow), "进展顺利"))
	if fp, _ := LockedFingerprint(f, st); fp != st.Locked {
		t.Errorf("filling inputs changed the fingerprint")
	}

	// Editing the hidden copy is caught by the other copy.
	must(f.SetCellStr(SheetMeta, "B4", "SWJ"))
	if _, err := ReadStamp(f); !errors.Is(err, ErrStampConflict) {
		t.Errorf("edited stamp: %v; want ErrStampConflict", err)
	}
	// Without the sheet, the properties still tell.
	must(f.DeleteSheet(SheetMeta))
	if got, err := ReadStamp(f); err != nil || got.Dept != "FGW" || strings.Join(got.QuantRows, ",") != strings.Join(st.QuantRows, ",") {
		t.Errorf("stamp from properties %+v, %v", got, err)
	}

	blank := excelize.NewFile()
	if _, err := ReadStamp(blank); !errors.Is(err, ErrNoStamp) || !strings.Contains(err.Error(), "不是 planrep 生成的填报模板") {
		t.Errorf("plain workbook: %v; want ErrNoStamp", err)
	}
}

func TestLongStampSurvivesProperties(t *testing.T) {
	p := testPlan(t)
	base, _ := p.Target("1-01")
	for i := 0; i < 80; i++ {
		tg := base
		tg.ID = fmt.Sprintf("X-%03d", i)
		p.Targets = append(p.Targets, tg)
	}
	f, _ := roundTrip(t, p, "FGW", testOptions())
	must(f.DeleteSheet(SheetMeta))
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.QuantRows) != 84 || st.QuantRows[83] != "X-079" {
		t.Errorf("rows from properties: %d, last %q", len(st.QuantRows), st.QuantRows[len(st.QuantRows)-1])
	}
}

func TestNoTargets(t *testing.T) {
	p := testPlan(t)
	for code, want := range map[string][2]bool{"SWJ": {true, false}, "TYJ": {false, true}, "WSB": {false, false}} {
		f, _ := roundTrip(t, p, code, testOptions())
		q, _ := f.GetCellValue(SheetQuant, cell(1, FirstDataRow))
		m, _ := f.GetCellValue(SheetMilestone, cell(1, FirstDataRow))
		if (q == NoQuantTargets) == want[0] || (m == NoMilestones) == want[1] {
			t.Errorf("%s: first rows %q / %q", code, q, m)
		}
		st, err := ReadStamp(f)
		if err != nil {
			t.Fatal(err)
		}
		if fp, _ := LockedFingerprint(f, st); fp != st.Locked {
			t.Errorf("%s: fingerprint differs", code)
		}
		if v, _ := f.GetCellValue(SheetQuant, CellDept); v == "" {
			t.Errorf("%s: no header block", code)
		}
	}
}

// input sets an input cell the way a department types it.
func input(t *testing.T, f *excelize.File, sheet, ref string, v any) {
	t.Helper()
	if v == nil {
		return
	}
	if err := f.SetCellValue(sheet, ref, v); err != nil {
		t.Fatal(err)
	}
}

func TestFormulasEvaluate(t *testing.T) {
	p := testPlan(t)
	rowOf := func(st Stamp, id string) int {
		for i, x := range append(append([]string{}, st.QuantRows...), st.MilestoneRows...) {
			if x == id {
				if i >= len(st.QuantRows) {
					i -= len(st.QuantRows)
				}
				return FirstDataRow + i
			}
		}
		t.Fatalf("no row %s", id)
		return 0
	}
	quant := []struct {
		name, id        string
		value           any
		problems        string
		progress, check string
	}{
		{"empty", "1-01", nil, "", "", CheckEmpty},
		{"text", "1-01", "三百个", "", "", CheckNotNumber},
		{"on schedule", "1-01", 330, "", "0.767441860465116", ""},
		{"done", "1-01", 450, "", "1.04651162790698", ""},
		{"three times over", "1-01", 1300, "", "3.02325581395349", CheckImplausib},
		{"behind, no reason", "1-01", 200, "", "0.465116279069767", CheckBehind},
		{"behind, explained", "1-01", 200, "项目落地慢", "0.465116279069767", ""},
		{"negative", "1-01", -5, "", "-0.0116279069767442", CheckNegative},
		{"level from a base", "1-02", 95, "", "0.75", ""},
		{"level behind", "1-02", 90, "", "0.5", CheckBehind},
		{"growth met", "Z-01", 5.2, "", "达到目标", ""},
		{"growth below", "Z-01", 4.5, "", "低0.5\n个百分点", CheckBelowRate},
		{"growth below, explained", "Z-01", 4.5, "外需偏弱", "低0.5\n个百分点", ""},
		{"growth implausible", "Z-01", 52, "", "达到目标", CheckImplausib},
		{"ceiling within slack", "Z-02", 5.6, "", "符合目标", ""},
		{"ceiling exceeded", "Z-02", 6, "", "超出目标", CheckOverCap},
	}
	for _, c := range quant {
		t.Run(c.name, func(t *testing.T) {
			f, _ := roundTrip(t, p, "FGW", testOptions())
			st, _ := ReadStamp(f)
			r := rowOf(st, c.id)
			input(t, f, SheetQuant, fmt.Sprintf("%s%d", Col(QuantColumns, ColActual), r), c.value)
			if c.problems != "" {
				input(t, f, SheetQuant, fmt.Sprintf("%s%d", Col(QuantColumns, ColProblems), r), c.problems)
			}
			raw := excelize.Options{RawCellValue: true}
			prog, err := f.CalcCellValue(SheetQuant, fmt.Sprintf("%s%d", Col(QuantColumns, ColProgress), r), raw)
			if err != nil {
				t.Fatal(err)
			}
			check, err := f.CalcCellValue(SheetQuant, fmt.Sprintf("%s%d", Col(QuantColumns, ColCheck), r), raw)
			if err != nil {
				t.Fatal(err)
			}
			if prog != c.progress || check != c.check {
				t.Errorf("完成进度 %q, 自查 %q; want %q, %q", prog, check, c.progress, c.check)
			}
		})
	}
	miles := []struct {
		name, id, status, problems, check string
	}{
		{"empty", "1-03", "", "", CheckEmpty},
		{"on plan", "1-03", plan.MilestoneOnPlan, "", ""},
		{"behind, no reason", "1-03", plan.MilestoneBehind, "", CheckBehind},
		{"not begun, explained", "1-03", plan.MilestoneNotBegun, "资金未到位", ""},
		{"not in the list", "1-03", "基本完成", "", CheckNotInList},
		{"past due, on plan", "1-04", plan.MilestoneOnPlan, "", CheckPastDue},
		{"past due, done", "1-04", plan.MilestoneDone, "", ""},
	}
	for _, c := range miles {
		t.Run("milestone "+c.name, func(t *testing.T) {
			f, _ := roundTrip(t, p, "FGW", testOptions())
			st, _ := ReadStamp(f)
			r := rowOf(st, c.id)
			if c.status != "" {
				input(t, f, SheetMilestone, fmt.Sprintf("%s%d", Col(MilestoneColumns, ColStatus), r), c.status)
			}
			if c.problems != "" {
				input(t, f, SheetMilestone, fmt.Sprintf("%s%d", Col(MilestoneColumns, ColProblems), r), c.problems)
			}
			got, err := f.CalcCellValue(SheetMilestone, fmt.Sprintf("%s%d", Col(MilestoneColumns, ColCheck), r))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.check {
				t.Errorf("自查 %q; want %q", got, c.check)
			}
		})
	}
}

func TestScheduleAndDeterminism(t *testing.T) {
	p := testPlan(t)
	f, a := roundTrip(t, p, "FGW", testOptions())
	k := func(r int) string {
		v, _ := f.GetCellValue(SheetQuant, fmt.Sprintf("%s%d", Col(QuantColumns, ColSchedule), r), excelize.Options{RawCellValue: true})
		return v
	}
	// Z-01 growth, Z-02 ceiling: no schedule; 1-01 cumulative: 75%.
	if k(5) != "—" || k(6) != "—" || k(7) != "0.75" {
		t.Errorf("序时进度 %q %q %q; want — — 0.75", k(5), k(6), k(7))
	}
	_, b := roundTrip(t, p, "FGW", testOptions())
	if !bytes.Equal(a, b) {
		t.Errorf("two builds with the same inputs differ")
	}
}

func TestFileName(t *testing.T) {
	per := plan.MustPeriod("2025Q3")
	for _, c := range []struct {
		d    plan.Department
		want string
	}{
		{plan.Department{Code: "SWJ", Short: "市商务局"}, "2025Q3_市商务局_SWJ.xlsx"},
		{plan.Department{Code: "WSB", Short: "市外办/友城科"}, "2025Q3_市外办_友城科_WSB.xlsx"},
		{plan.Department{Code: "X", Short: `a:b*c?"d<e>f|g\h`}, "2025Q3_a_b_c__d_e_f_g_h_X.xlsx"},
		{plan.Department{Code: "Y", Name: "某某局"}, "2025Q3_某某局_Y.xlsx"},
		{plan.Department{Code: "Z", Short: "..", Name: ""}, "2025Q3___Z.xlsx"},
	} {
		if got := FileName(per, c.d); got != c.want {
			t.Errorf("FileName(%+v) = %q; want %q", c.d, got, c.want)
		}
	}
	if got := FileName(plan.MustPeriod("2025M09"), plan.Department{Code: "A", Short: "甲"}); got != "2025M09_甲_A.xlsx" {
		t.Errorf("monthly name %q", got)
	}
}

func TestBuildRejectsBadOptions(t *testing.T) {
	p := testPlan(t)
	d := dept(t, p, "FGW")
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "没有指定报告期"},
		{Options{Period: plan.MustPeriod("2026Q1")}, "不在计划年度"},
		{Options{Period: plan.MustPeriod("2025Q3"), Deadline: "10/10/2025"}, "截止日期"},
	} {
		if _, err := Build(p, d, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Build(%+v): %v; want an error saying %q", c.opt, err, c.want)
		}
	}
}

func TestWriteAllRejectsClashingNames(t *testing.T) {
	p := testPlan(t)
	d := dept(t, p, "FGW")
	dir := t.TempDir()
	if _, err := WriteAll(dir, p, []plan.Department{d, d}, testOptions()); err == nil {
		t.Fatal("two departments with one file name: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed run left %d files", len(entries))
	}
}

// TestGolden keeps the cells, formulas and validations of one department's
// data sheets stable: go test ./templates -run Golden -update rewrites it.
func TestGolden(t *testing.T) {
	p := testPlan(t)
	f, _ := roundTrip(t, p, "FGW", testOptions())
	dump := map[string]any{}
	for _, sheet := range []string{SheetQuant, SheetMilestone, SheetMeta, SheetLists} {
		cells := map[string]string{}
		rows := mustGet(f.GetRows(sheet, excelize.Options{RawCellValue: true}))
		for r, row := range rows {
			for c := range row {
				ref := cell(c+1, r+1)
				if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
					cells[ref] = "=" + fm
				} else if row[c] != "" {
					cells[ref] = row[c]
				}
			}
		}
		var dvs []string
		list, _ := f.GetDataValidations(sheet)
		for _, dv := range list {
			prompt := ""
			if dv.Prompt != nil {
				prompt = *dv.Prompt
			}
			dvs = append(dvs, fmt.Sprintf("%s %s %s %s %s", dv.Sqref, dv.Type, dv.Formula1, dv.Formula2, prompt))
		}
		sort.Strings(dvs)
		dump[sheet] = map[string]any{"cells": cells, "validations": dvs}
	}
	got := mustGet(json.MarshalIndent(dump, "", "  "))
	got = append(got, '\n')
	path := filepath.Join("testdata", "FGW_2025Q3.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("template differs from %s (if intended, rerun with -update):\n%s", path, diffLines(string(want), string(got)))
	}
}

// diffLines shows the lines that differ, with their line numbers.
func diffLines(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out strings.Builder
	for i := 0; i < max(len(la), len(lb)) && out.Len() < 4000; i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			fmt.Fprintf(&out, "%d:\n- %s\n+ %s\n", i+1, x, y)
		}
	}
	return out.String()
}

func BenchmarkTemplates(b *testing.B) {
	p, _, err := seeds.Default()
	if err != nil {
		b.Fatal(err)
	}
	depts := p.LeadDepts()
	opt := testOptions()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, d := range depts {
			if err := Write(io.Discard, p, d, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(depts)), "depts")
}

func TestOddRegistryEntries(t *testing.T) {
	p := testPlan(t)
	nan, inf := math.NaN(), math.Inf(1)
	p.Targets = append(p.Targets,
		plan.Target{ID: "Q-1", Indicator: "缺目标值", Kind: plan.Cumulative, Lead: "FGW"},
		plan.Target{ID: "Q-2", Indicator: "非数", Kind: plan.Level, Value: &nan, Lead: "FGW"},
		plan.Target{ID: "Q-3", Indicator: "无穷", Kind: plan.Growth, Value: &inf, Lead: "FGW"},
		plan.Target{ID: "Q-4", Indicator: "零目标", Kind: plan.Cumulative, Value: new(float64), Lead: "FGW", Quote: strings.Repeat("很长的原文", 200)},
		plan.Target{ID: "Q-5", Indicator: "未知类型", Kind: "", Lead: "FGW"},
		plan.Target{ID: "Q-6", Indicator: "坏日期", Kind: plan.Milestone, Due: "明年", Lead: "FGW"},
	)
	f, _ := roundTrip(t, p, "FGW", testOptions())
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	if fp, _ := LockedFingerprint(f, st); fp != st.Locked {
		t.Error("fingerprint differs")
	}
	for i := range st.QuantRows {
		ref := fmt.Sprintf("%s%d", Col(QuantColumns, ColCheck), FirstDataRow+i)
		if v, err := f.CalcCellValue(SheetQuant, ref); err != nil || v != CheckEmpty {
			t.Errorf("%s (%s): %q, %v", ref, st.QuantRows[i], v, err)
		}
	}
}

// TestLockedCellsShowDefinitions: every cell the locked fingerprint covers
// holds what Definition says (the reader compares returns with it), and the
// cells are those the sheets lock.
func TestLockedCellsShowDefinitions(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.LeadDepts() {
		f, _ := roundTrip(t, p, d.Code, testOptions())
		st, err := ReadStamp(f)
		if err != nil {
			t.Fatal(err)
		}
		cells := LockedCells(st)
		n := 0
		for _, c := range cells {
			raw, err := f.GetCellValue(c.Sheet, c.Ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			want := d.Name
			if c.Target != "" {
				tg, ok := p.Target(c.Target)
				if !ok {
					t.Fatalf("%s!%s: unknown target %s", c.Sheet, c.Ref, c.Target)
				}
				want = Definition(tg, c.Key)
				n++
			}
			if !SameCell(raw, want) {
				t.Errorf("%s %s!%s (%s): %q; Definition says %q", d.Code, c.Sheet, c.Ref, c.Key, raw, want)
			}
			if !locked(t, f, c.Sheet, c.Ref) {
				t.Errorf("%s %s!%s is not locked", d.Code, c.Sheet, c.Ref)
			}
		}
		quantCols, mileCols := 0, 0
		for _, c := range QuantColumns {
			if !c.Input && !c.Calc {
				quantCols++
			}
		}
		for _, c := range MilestoneColumns {
			if !c.Input && !c.Calc {
				mileCols++
			}
		}
		if want := len(st.QuantRows)*quantCols + len(st.MilestoneRows)*mileCols; n != want {
			t.Errorf("%s: %d locked row cells; want %d", d.Code, n, want)
		}
		fp, err := LockedFingerprint(f, st)
		if err != nil || fp != st.Locked {
			t.Errorf("%s: fingerprint %s (%v); stamped %s", d.Code, fp, err, st.Locked)
		}
		f.Close()
	}
}

// must stops a test whose own set-up failed (in any goroutine: the test
// binary fails); a set-up error is never ignored.
var must = testmust.Do

func mustGet[T any](v T, err error) T { return testmust.Get(v, err) }
