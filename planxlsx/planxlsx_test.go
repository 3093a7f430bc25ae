package planxlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
)

func fp(v float64) *float64 { return &v }

// handMade exercises every field of the registry.
func handMade() *plan.Plan {
	return &plan.Plan{
		ID: "demo-2025", Title: "示例市2025年国民经济和社会发展计划", Year: 2025,
		Office: "示例市人民政府", Planner: "市发展改革委", Source: "plan.txt",
		Thresholds: plan.Thresholds{Tolerance: 0.03, Serious: 0.2, Approx: 0.01},
		Depts: []plan.Department{
			{Code: "FGW", Name: "示例市发展和改革委员会", Short: "市发展改革委", Contact: "张三", Phone: "0533-1234567"},
			{Code: "SWJ", Name: "示例市商务局", Short: "市商务局"},
			{Code: "SLJ", Name: "示例市水利局", Short: "市水利局", Phone: "05332223333"},
			{Code: "RSJ", Name: "示例市人力资源和社会保障局", Short: "市人力资源社会保障局"},
		},
		Targets: []plan.Target{
			{ID: "Z-01", Chapter: "二、主要预期目标", Task: "经济增长", Indicator: "地区生产总值增长", Kind: plan.Growth,
				Value: fp(5), Unit: "%", Comparator: plan.AtLeast, Qualifiers: []string{"以上"},
				Baseline: &plan.Baseline{Value: 5.5, Year: 2024}, Lead: "FGW", Quote: "地区生产总值增长5%以上"},
			{ID: "Z-04", Chapter: "二、主要预期目标", Task: "稳定就业", Indicator: "城镇调查失业率", Kind: plan.Ceiling,
				Value: fp(5.5), Unit: "%", Comparator: plan.About, Qualifiers: []string{"控制在", "左右"}, Lead: "RSJ",
				Quote: "城镇调查失业率控制在5.5%左右"},
			{ID: "1-01", Chapter: "（一）坚持扩内需稳外贸", Section: "二是扩大有效投资", Task: "优化招商引资方式",
				Indicator: "新引进过亿元项目", Kind: plan.Cumulative, Value: fp(430), Unit: "个", Comparator: plan.AtLeast,
				Qualifiers: []string{"力争"}, Baseline: &plan.Baseline{Value: 432, Year: 2024},
				Schedule: map[string]float64{"Q1": 0.1, "H1": 0.3, "Q3": 0.6, "M11": 1.0 / 3},
				Lead:     "SWJ", Support: []string{"FGW", "SLJ"}, Quote: "力争新引进过亿元项目430个"},
			{ID: "1-02", Chapter: "（一）坚持扩内需稳外贸", Section: "二是扩大有效投资", Task: "推进重大项目建设",
				Indicator: "高青至商河高速公路淄博段建成通车", Kind: plan.Milestone, Due: "2025Q4", Lead: "FGW",
				Support: []string{"SWJ"}, Quote: "完成高青至商河高速公路淄博段建设"},
			{ID: "5-01", Chapter: "（五）生态", Task: "用水强度双控", Indicator: "万元地区生产总值用水量较2020年下降",
				Kind: plan.Reduction, Value: fp(15.25), Unit: "%", Comparator: plan.AtLeast, Binding: true,
				Baseline: &plan.Baseline{Value: 0, Year: 2020}, Lead: "SLJ", Quote: "较2020年下降15%"},
			{ID: "6-01", Chapter: "（六）民生", Task: "公共文化", Indicator: "博物馆数量", Kind: plan.Level,
				Value: fp(0.125), Unit: "个", Comparator: plan.AtLeast, Qualifiers: []string{"突破", "确保"}, Lead: "SWJ",
				Quote: "=博物馆数量突破100家"},
			{ID: "6-02", Chapter: "+民生", Task: "-公共文化", Indicator: "@示范", Kind: plan.Cumulative,
				Value: fp(0), Unit: "个", Comparator: plan.AtLeast, Lead: "SWJ", Quote: "=SUM(A1:A2)"},
		},
	}
}

func write(t *testing.T, p *plan.Plan) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t *testing.T, data []byte) *Book {
	t.Helper()
	b, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func open(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestRoundTripEmbedded(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	b := read(t, write(t, p))
	if len(b.Problems) != 0 {
		t.Fatalf("reading the exported workbook: %v", b.Problems)
	}
	got := b.Plan
	got.Text = p.Text
	if !reflect.DeepEqual(got, p) {
		diffPlans(t, got, p)
	}
	if probs := b.Check(); len(probs) != 0 {
		t.Errorf("Check on the embedded plan read back: %v; want none (plan check passes on it)", probs)
	}
}

func TestRoundTripHandMade(t *testing.T) {
	p := handMade()
	b := read(t, write(t, p))
	if len(b.Problems) != 0 {
		t.Fatalf("reading the exported workbook: %v", b.Problems)
	}
	if !reflect.DeepEqual(b.Plan, p) {
		diffPlans(t, b.Plan, p)
	}
}

func diffPlans(t *testing.T, got, want *plan.Plan) {
	t.Helper()
	if got.ID != want.ID || got.Title != want.Title || got.Year != want.Year || got.Office != want.Office ||
		got.Planner != want.Planner || got.Source != want.Source || got.Thresholds != want.Thresholds {
		t.Errorf("metadata: got %+v; want %+v", *got, *want)
	}
	if !reflect.DeepEqual(got.Depts, want.Depts) {
		t.Errorf("departments: got %+v; want %+v", got.Depts, want.Depts)
	}
	if len(got.Targets) != len(want.Targets) {
		t.Fatalf("got %d targets; want %d", len(got.Targets), len(want.Targets))
	}
	for i := range want.Targets {
		if !reflect.DeepEqual(got.Targets[i], want.Targets[i]) {
			t.Errorf("target %d: got %s; want %s", i, dump(got.Targets[i]), dump(want.Targets[i]))
		}
	}
	t.Errorf("plans differ")
}

func dump(t plan.Target) string {
	s := fmt.Sprintf("%+v", t)
	if t.Value != nil {
		s += fmt.Sprintf(" value=%v", *t.Value)
	}
	if t.Baseline != nil {
		s += fmt.Sprintf(" baseline=%+v", *t.Baseline)
	}
	return s
}

func TestWorkbookContent(t *testing.T) {
	p := handMade()
	f := open(t, write(t, p))

	if got, want := f.GetSheetList(), []string{SheetTargets, SheetDepts, SheetDistricts, SheetSplit, SheetPlan, SheetLists}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets = %v; want %v", got, want)
	}
	if vis, _ := f.GetSheetVisible(SheetLists); vis {
		t.Errorf("%s visible; want hidden", SheetLists)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet = %d; want 0 (%s)", f.GetActiveSheetIndex(), SheetTargets)
	}

	// Headers, in Chinese, every field of plan.Target.
	wantHeaders := []string{"编号", "所属章节", "所属小节", "任务", "指标名称", "指标类型", "目标值", "单位", "比较方式",
		"限定词", "约束性/预期性", "基数", "基数年份", "进度安排", "计划完成时间", "牵头部门", "配合部门", "计划原文"}
	rows := mustGet(f.GetRows(SheetTargets))
	if !reflect.DeepEqual(rows[0], wantHeaders) {
		t.Errorf("headers = %v; want %v", rows[0], wantHeaders)
	}
	if len(rows) != len(p.Targets)+1 {
		t.Errorf("got %d rows; want %d", len(rows), len(p.Targets)+1)
	}

	// Row 4 is target 1-01.
	cells := map[string]string{
		"A4": "1-01", "C4": "二是扩大有效投资", "F4": "累计量", "G4": "430", "H4": "个", "I4": ">=（达到或超过）",
		"J4": "力争", "K4": "预期性", "L4": "432", "M4": "2024", "N4": "Q1:0.1;H1:0.3;Q3:0.6;M11:0.3333333333333333",
		"O4": "", "P4": "市商务局", "Q4": "市发展改革委、市水利局", "R4": "力争新引进过亿元项目430个",
		"F3": "控制上限", "I3": "~（左右）", "J3": "控制在、左右", "P3": "市人力资源社会保障局",
		"F5": "重点任务", "G5": "", "I5": "", "O5": "2025Q4", "K6": "约束性", "L6": "0", "M6": "2020",
	}
	for cell, want := range cells {
		if got, _ := f.GetCellValue(SheetTargets, cell, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s!%s = %q; want %q", SheetTargets, cell, got, want)
		}
	}
	// Numbers are numbers; everything else is text, never a formula.
	for _, cell := range []string{"G2", "G4", "L4", "M4", "G7"} {
		if typ, _ := f.GetCellType(SheetTargets, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s type = %v; want a number", cell, typ)
		}
	}
	for _, cell := range []string{"R7", "R8", "B8", "D8", "E8", "A4"} {
		if typ, _ := f.GetCellType(SheetTargets, cell); typ != excelize.CellTypeSharedString {
			t.Errorf("%s type = %v; want text", cell, typ)
		}
		if fm, _ := f.GetCellFormula(SheetTargets, cell); fm != "" {
			t.Errorf("%s has formula %q; want plain text", cell, fm)
		}
	}
	if got, _ := f.GetCellValue(SheetTargets, "R8"); got != "=SUM(A1:A2)" {
		t.Errorf("R8 = %q; want the text =SUM(A1:A2)", got)
	}

	// Frozen header and first column; filter; widths; wrapped quote.
	panes, _ := f.GetPanes(SheetTargets)
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 1 {
		t.Errorf("panes = %+v; want frozen at B2", panes)
	}
	names := f.GetDefinedName()
	filter := false
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && n.Scope == SheetTargets && strings.Contains(n.RefersTo, "$A$1:$R$8") {
			filter = true
		}
	}
	if !filter {
		t.Errorf("no filter on %s!A1:R8 among %+v", SheetTargets, names)
	}
	if w, _ := f.GetColWidth(SheetTargets, "R"); w < 40 {
		t.Errorf("quote column width = %v; want a wide column", w)
	}
	sid, _ := f.GetCellStyle(SheetTargets, "R4")
	st, _ := f.GetStyle(sid)
	if st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("quote cell style = %+v; want wrapped text", st.Alignment)
	}
	sid, _ = f.GetCellStyle(SheetTargets, "A100")
	if st, _ := f.GetStyle(sid); st.NumFmt != 49 {
		t.Errorf("编号 column number format = %d; want 49 (text), so 1-03 does not become a date", st.NumFmt)
	}
	sid, _ = f.GetCellStyle(SheetTargets, "A1")
	if st, _ := f.GetStyle(sid); st.Font == nil || !st.Font.Bold {
		t.Errorf("header style = %+v; want bold", st.Font)
	}

	// The roster and the plan's metadata.
	depts := mustGet(f.GetRows(SheetDepts))
	if want := []string{"代码", "全称", "简称", "联系人", "联系电话"}; !reflect.DeepEqual(depts[0], want) {
		t.Errorf("%s headers = %v; want %v", SheetDepts, depts[0], want)
	}
	if want := []string{"FGW", "示例市发展和改革委员会", "市发展改革委", "张三", "0533-1234567"}; !reflect.DeepEqual(depts[1], want) {
		t.Errorf("%s row 2 = %v; want %v", SheetDepts, depts[1], want)
	}
	meta := map[string]string{}
	mrows := mustGet(f.GetRows(SheetPlan, excelize.Options{RawCellValue: true}))
	for _, r := range mrows[1:] {
		meta[r[0]] = r[1]
	}
	for k, want := range map[string]string{
		KeyID: "demo-2025", KeyYear: "2025", KeySource: "plan.txt", KeyTolerance: "0.03", KeySerious: "0.2", KeyApprox: "0.01",
	} {
		if meta[k] != want {
			t.Errorf("%s %s = %q; want %q", SheetPlan, k, meta[k], want)
		}
	}
}

func TestDropDowns(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, write(t, p))
	end := len(p.Targets) + 1 + ExtraRows
	dvs, err := f.GetDataValidations(SheetTargets)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		if dv.Type == "list" {
			lists[dv.Sqref] = dv.Formula1
		}
	}
	want := map[string]string{
		fmt.Sprintf("F2:F%d", end): "_lists!$A$1:$A$6",
		fmt.Sprintf("I2:I%d", end): "_lists!$B$1:$B$3",
		fmt.Sprintf("K2:K%d", end): "_lists!$C$1:$C$2",
		fmt.Sprintf("P2:P%d", end): fmt.Sprintf("_lists!$D$1:$D$%d", len(p.Depts)),
		fmt.Sprintf("H2:H%d", end): fmt.Sprintf("_lists!$E$1:$E$%d", len(plan.KnownUnits)),
	}
	for sq, ref := range want {
		if got := strings.TrimPrefix(lists[sq], "="); got != ref {
			t.Errorf("drop-down on %s = %q; want %q (all: %v)", sq, got, ref, lists)
		}
	}
	// The lists hold what the drop-downs offer.
	col := func(c string, n int) []string {
		var out []string
		for i := 1; i <= n; i++ {
			v, _ := f.GetCellValue(SheetLists, fmt.Sprintf("%s%d", c, i))
			out = append(out, v)
		}
		return out
	}
	var kinds, shorts []string
	for _, k := range plan.Kinds {
		kinds = append(kinds, k.Label())
	}
	for _, d := range p.Depts {
		shorts = append(shorts, d.Short)
	}
	if got := col("A", len(kinds)); !reflect.DeepEqual(got, kinds) {
		t.Errorf("kind list = %v; want %v", got, kinds)
	}
	if got := col("D", len(shorts)); !reflect.DeepEqual(got, shorts) {
		t.Errorf("department list = %v; want %v", got, shorts)
	}
	if got := col("C", 2); !reflect.DeepEqual(got, []string{"约束性", "预期性"}) {
		t.Errorf("nature list = %v; want 约束性, 预期性", got)
	}
	// The roster's short names are too long for a list typed into the validation.
	if n := len([]rune(strings.Join(shorts, ","))); n <= 255 {
		t.Logf("department list is %d characters (a typed list would also fit)", n)
	}
}

func TestDeterministic(t *testing.T) {
	p := handMade()
	a, b := write(t, p), write(t, p)
	if !bytes.Equal(a, b) {
		t.Errorf("two exports of the same plan differ")
	}
}

// edit opens an exported workbook, applies change and saves it.
func edit(t *testing.T, data []byte, change func(f *excelize.File)) []byte {
	t.Helper()
	f := open(t, data)
	change(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEditedWorkbook(t *testing.T) {
	p := handMade()
	data := edit(t, write(t, p), func(f *excelize.File) {
		// 1-01 (row 4) moves to 市水利局, by short name; its support is typed with a comma.
		must(f.SetCellStr(SheetTargets, "P4", "市水利局"))
		must(f.SetCellStr(SheetTargets, "Q4", " 市发展改革委， RSJ "))
		// Z-04 (row 3): the lead typed as a code.
		must(f.SetCellStr(SheetTargets, "P3", "SWJ"))
		// A blank row, then a new target typed as text by hand.
		for col, v := range map[string]string{
			"A10": "7-01", "B10": "（七）新增", "D10": "新任务", "E10": "新增养老床位", "F10": "累计量", "G10": "１,２００",
			"H10": "张", "I10": ">=", "J10": "力争、以上", "K10": "约束性", "N10": "h1：40%；Q3:0.7",
			"P10": "市人力资源社会保障局", "Q10": "市商务局", "R10": "新增养老床位1200张",
		} {
			must(f.SetCellStr(SheetTargets, col, v))
		}
		must(f.SetCellStr(SheetTargets, "A9", "   "))
		// Z-01's target typed as 5.5% in Excel: stored 0.055 with a percent format.
		pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
		must(f.SetCellFloat(SheetTargets, "G2", 0.055, -1, 64))
		must(f.SetCellStyle(SheetTargets, "G2", "G2", pct))
		custom := "0.0%"
		pct2, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
		must(f.SetCellFloat(SheetTargets, "L2", 0.07, -1, 64))
		must(f.SetCellStyle(SheetTargets, "L2", "L2", pct2))
		// A new department.
		must(f.SetCellStr(SheetDepts, "A6", "MZJ"))
		must(f.SetCellStr(SheetDepts, "B6", "示例市民政局"))
		must(f.SetCellStr(SheetDepts, "C6", "市民政局"))
		must(f.SetCellStr(SheetTargets, "P11", "市民政局"))
		for col, v := range map[string]string{"A11": "7-02", "B11": "（七）新增", "E11": "出台养老服务条例", "F11": "milestone", "O11": "2025M06", "R11": "出台条例"} {
			must(f.SetCellStr(SheetTargets, col, v))
		}
	})
	b := read(t, data)
	if len(b.Problems) != 0 {
		t.Fatalf("problems: %v", b.Problems)
	}
	want := handMade()
	want.Targets[0].Value = fp(5.5)
	want.Targets[0].Baseline.Value = 7
	want.Targets[2].Lead = "SLJ"
	want.Targets[2].Support = []string{"FGW", "RSJ"}
	want.Targets[1].Lead = "SWJ"
	want.Depts = append(want.Depts, plan.Department{Code: "MZJ", Name: "示例市民政局", Short: "市民政局"})
	want.Targets = append(want.Targets,
		plan.Target{ID: "7-01", Chapter: "（七）新增", Task: "新任务", Indicator: "新增养老床位", Kind: plan.Cumulative,
			Value: fp(1200), Unit: "张", Comparator: plan.AtLeast, Qualifiers: []string{"力争", "以上"}, Binding: true,
			Schedule: map[string]float64{"H1": 0.4, "Q3": 0.7}, Lead: "RSJ", Support: []string{"SWJ"}, Quote: "新增养老床位1200张"},
		plan.Target{ID: "7-02", Chapter: "（七）新增", Indicator: "出台养老服务条例", Kind: plan.Milestone, Due: "2025M06",
			Lead: "MZJ", Quote: "出台条例"},
	)
	if !reflect.DeepEqual(b.Plan, want) {
		diffPlans(t, b.Plan, want)
	}
	// The new rows are located on the sheet.
	b.Plan.Text = "出台条例"
	for _, pr := range b.Check() {
		if pr.Target == "7-02" {
			t.Errorf("7-02: %s; want no problem", pr)
		}
		if pr.Target == "7-01" && pr.Row != 10 {
			t.Errorf("7-01 problem at row %d; want row 10: %s", pr.Row, pr)
		}
	}
}

func TestBadRows(t *testing.T) {
	p := handMade()
	data := edit(t, write(t, p), func(f *excelize.File) {
		must(f.SetCellStr(SheetTargets, "P2", "市不存在局"))      // Z-01: unknown lead
		must(f.SetCellStr(SheetTargets, "F3", "比率"))         // Z-04: bad kind
		must(f.SetCellStr(SheetTargets, "G4", "约430"))       // 1-01: not a number
		must(f.SetCellStr(SheetTargets, "Q4", "市发展改革委、外省厅")) // 1-01: unknown support
		must(f.SetCellStr(SheetTargets, "A5", "Z-01"))       // 1-02 → duplicate id
		must(f.SetCellStr(SheetTargets, "I6", "大于"))         // 5-01: bad comparator
		must(f.SetCellStr(SheetTargets, "N6", "Q1=0.2"))     // 5-01: bad schedule
		must(f.SetCellStr(SheetTargets, "M7", "二〇二四"))       // 6-01: bad base year
		must(f.SetCellStr(SheetTargets, "L7", "3"))
		must(f.SetCellStr(SheetTargets, "K8", "必须"))  // 6-02: bad nature
		must(f.SetCellStr(SheetTargets, "P8", ""))    // 6-02: no lead
		must(f.SetCellStr(SheetTargets, "E12", "孤行")) // a row without an id
		must(f.SetCellStr(SheetTargets, "F12", "重点任务"))
		must(f.SetCellStr(SheetTargets, "P12", "市商务局"))
		must(f.SetCellStr(SheetTargets, "R12", "孤行"))
	})
	b := read(t, data)
	b.Plan.Text = strings.Join([]string{"地区生产总值增长5%以上", "城镇调查失业率控制在5.5%左右", "力争新引进过亿元项目430个",
		"完成高青至商河高速公路淄博段建设", "较2020年下降15%", "=博物馆数量突破100家", "=SUM(A1:A2)", "孤行"}, "\n")
	probs := b.Check()
	var lines []string
	for _, pr := range probs {
		lines = append(lines, pr.String())
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"指标 第 2 行（编号 Z-01）：牵头部门“市不存在局”不在“部门”工作表中",
		"指标 第 3 行（编号 Z-04）：指标类型“比率”无法识别：请从下拉列表中选择（累计量、增长率、水平值、控制上限、下降率、重点任务）",
		"指标 第 4 行（编号 1-01）：目标值“约430”不是数字",
		"指标 第 4 行（编号 1-01）：配合部门“外省厅”不在“部门”工作表中",
		"指标 第 5 行（编号 Z-01）：编号与第 2 行重复",
		"指标 第 6 行（编号 5-01）：比较方式“大于”无法识别",
		"指标 第 6 行（编号 5-01）：进度安排“Q1=0.2”无法识别",
		"指标 第 7 行（编号 6-01）：基数年份“二〇二四”不是四位年份",
		"指标 第 8 行（编号 6-02）：约束性/预期性“必须”无法识别",
		"指标 第 8 行（编号 6-02）：牵头部门为空",
		"指标 第 12 行：编号为空：请为指标“孤行”填写唯一编号",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems:\n%s\nwant one containing %q", all, want)
		}
	}
	// plan.Check does not repeat what reading already said.
	for _, again := range []string{`牵头部门 "`, "指标类型 \"", "缺少目标值", `配合部门 "外省厅"`, "编号重复", "比较方式（comparator）", "有指标缺少编号", "缺少牵头部门"} {
		if strings.Contains(all, again) {
			t.Errorf("problems:\n%s\nrepeat %q", all, again)
		}
	}
	// Problems come sheet by sheet, in row order.
	for i := 1; i < len(probs); i++ {
		if probs[i].Sheet == probs[i-1].Sheet && probs[i].Row < probs[i-1].Row {
			t.Errorf("problem %q before %q; want row order", probs[i-1], probs[i])
		}
	}
}

func TestPlanAndDeptProblemsLocated(t *testing.T) {
	p := handMade()
	data := edit(t, write(t, p), func(f *excelize.File) {
		must(f.SetCellStr(SheetPlan, "B2", ""))     // no id
		must(f.SetCellStr(SheetPlan, "B4", "明年"))   // year not a number
		must(f.SetCellStr(SheetPlan, "B8", "很多"))   // tolerance not a number
		must(f.SetCellStr(SheetDepts, "A3", "swj")) // lower-case code
		must(f.SetCellStr(SheetDepts, "A7", ""))
		must(f.SetCellStr(SheetDepts, "C7", "市无代码局"))
		must(f.SetCellStr(SheetDepts, "A8", "SWJ2"))
		must(f.SetCellStr(SheetDepts, "C8", "市商务局"))
	})
	b := read(t, data)
	b.Plan.Text = "x"
	var lines []string
	for _, pr := range b.Check() {
		lines = append(lines, pr.String())
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"计划 第 2 行：缺少计划编号",
		"计划 第 4 行：计划年度“明年”不是四位年份",
		"计划 第 8 行：序时容差“很多”不是数字",
		"部门 第 3 行：部门代码 \"swj\" 应由大写字母",
		"部门 第 7 行：部门“市无代码局”缺少代码",
		"部门 第 8 行：简称“市商务局”与第 3 行重复",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems:\n%s\nwant one containing %q", all, want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	noSheet := edit(t, write(t, handMade()), func(f *excelize.File) { must(f.DeleteSheet(SheetDepts)) })
	noColumn := edit(t, write(t, handMade()), func(f *excelize.File) {
		must(f.SetCellStr(SheetTargets, "P1", "负责单位"))
		must(f.SetCellStr(SheetTargets, "R1", ""))
	})
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not a workbook", []byte("编号,指标\n1,2\n"), "无法打开任务分工表（不是有效的 .xlsx 文件）"},
		{"encrypted or xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 600)...), "加密的工作簿或旧版 .xls"},
		{"damaged sheet", damaged(t), "文件已损坏：xl/worksheets/sheet1.xml"},
		{"empty", nil, "无法打开任务分工表"},
		{"missing sheet", noSheet, "不是任务分工表：缺少工作表 “部门”"},
		{"missing columns", noColumn, "工作表“指标”第 1 行缺少列 “牵头部门”、“计划原文”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read: got error %v; want one containing %q", err, tt.want)
			}
		})
	}
}

func TestReorderedColumns(t *testing.T) {
	p := handMade()
	data := edit(t, write(t, p), func(f *excelize.File) {
		// The office inserts a column of notes before 编号 and moves nothing else.
		if err := f.InsertCols(SheetTargets, "A", 1); err != nil {
			t.Fatal(err)
		}
		must(f.SetCellStr(SheetTargets, "A1", "备注"))
		must(f.SetCellStr(SheetTargets, "A3", "待定"))
	})
	b := read(t, data)
	if len(b.Problems) != 0 {
		t.Fatalf("problems: %v", b.Problems)
	}
	if !reflect.DeepEqual(b.Plan, p) {
		diffPlans(t, b.Plan, p)
	}
}

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]float64
		err  string
	}{
		{"Q1:0.1;H1:0.3;Q3:0.6", map[string]float64{"Q1": 0.1, "H1": 0.3, "Q3": 0.6}, ""},
		{"q1：10%；h1：30%", map[string]float64{"Q1": 0.1, "H1": 0.3}, ""},
		{" M05:0.5 ; ", map[string]float64{"M05": 0.5}, ""},
		{"", nil, ""},
		{"Q1=0.1", nil, "缺少冒号"},
		{"Q1:很多", nil, "应为 期间:比例"},
		{"Q1:0.1;Q1:0.2", nil, "出现了两次"},
	}
	for _, tt := range tests {
		got, err := ParseSchedule(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseSchedule(%q): got error %v; want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseSchedule(%q): %v", tt.in, err)
		case tt.err == "" && !reflect.DeepEqual(got, tt.want):
			t.Errorf("ParseSchedule(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	if got := FormatSchedule(map[string]float64{"Q3": 0.6, "M02": 0.05, "H1": 0.3, "Q1": 0.1}); got != "M02:0.05;Q1:0.1;H1:0.3;Q3:0.6" {
		t.Errorf("FormatSchedule = %q; want periods in order", got)
	}
}

func TestParseComparator(t *testing.T) {
	tests := map[string]plan.Comparator{
		">=（达到或超过）": plan.AtLeast, ">=": plan.AtLeast, "≥": plan.AtLeast, "＞＝": plan.AtLeast,
		"<=（不超过）": plan.AtMost, "<= (不超过)": plan.AtMost, "~（左右）": plan.About, "～": plan.About, "左右": plan.About,
	}
	for in, want := range tests {
		if got, ok := parseComparator(in); !ok || got != want {
			t.Errorf("parseComparator(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"大于", "=", "（左右）"} {
		if got, ok := parseComparator(in); ok {
			t.Errorf("parseComparator(%q) = %q; want not recognised", in, got)
		}
	}
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, handMade()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	if err := Write(&buf, splitHandMade()); err != nil { // with the 区县 and 分解 sheets
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(bytes.NewReader(data))
		if err == nil {
			b.Check()
		}
	})
}

func TestRowHeightFitsWrappedText(t *testing.T) {
	p := handMade()
	p.Targets[0].Quote = strings.Repeat("地区生产总值增长百分之五以上，", 12)
	f := open(t, write(t, p))
	if h, _ := f.GetRowHeight(SheetTargets, 2); h < 4*lineHeight {
		t.Errorf("row 2 height = %v with a quote of %d characters; want room for several lines", h, len([]rune(p.Targets[0].Quote)))
	}
	if h, _ := f.GetRowHeight(SheetTargets, 8); h > 2*lineHeight+4 {
		t.Errorf("row 8 height = %v; want at most two lines for short text", h)
	}
}

// TestThroughLibreOffice saves the workbook as another office suite would
// and reads it back: the plan and the drop-downs survive.
func TestThroughLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice (LibreOffice) not installed; CI installs it")
		}
		t.Fatal("soffice (LibreOffice) not found: CI must install libreoffice-calc")
	}
	p := handMade()
	dir := t.TempDir()
	in := filepath.Join(dir, "任务分工表.xlsx")
	if err := os.WriteFile(in, write(t, p), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "lo")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(filepath.Join(out, "任务分工表.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	b := read(t, data)
	if len(b.Problems) != 0 {
		t.Fatalf("reading the workbook saved by LibreOffice: %v", b.Problems)
	}
	if !reflect.DeepEqual(b.Plan, p) {
		diffPlans(t, b.Plan, p)
	}
	f := open(t, data)
	dvs, _ := f.GetDataValidations(SheetTargets)
	found := false
	for _, dv := range dvs {
		found = found || (dv.Type == "list" && strings.Contains(dv.Formula1, "$D$1:$D$4") && strings.HasPrefix(dv.Sqref, "P2:P"))
	}
	if !found {
		t.Errorf("department drop-down lost through LibreOffice; validations: %+v", dvs)
	}
}

func TestSourceName(t *testing.T) {
	for src, want := range map[string]string{
		"":              "计划 第 7 行：“计划原文文件”为空",
		"../secret.txt": "计划 第 7 行：“计划原文文件”只能是文件名",
		`C:\plan.txt`:   "计划 第 7 行：“计划原文文件”只能是文件名",
	} {
		p := handMade()
		p.Source = src
		b := read(t, write(t, p))
		var got []string
		for _, pr := range b.Problems {
			got = append(got, pr.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("source %q: problems %v; want one containing %q", src, got, want)
		}
	}
}

// damaged returns an export whose first sheet has one byte flipped inside
// its compressed data, so that only its CRC tells.
func damaged(t *testing.T) []byte {
	data := write(t, handMade())
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range zr.File {
		if m.Name == "xl/worksheets/sheet1.xml" {
			off, err := m.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			out := append([]byte(nil), data...)
			out[off+int64(m.CompressedSize64)/2] ^= 0x01
			return out
		}
	}
	t.Fatal("no sheet1.xml in the export")
	return nil
}
