package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/planxlsx"
	"planrep/seeds"
)

func xlsxGlobals() (*Globals, *bytes.Buffer, *bytes.Buffer) {
	io, out, errOut := Test()
	return &Globals{IO: io, Now: func() time.Time { return time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC) }}, out, errOut
}

func xlsxRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	g, out, errOut := xlsxGlobals()
	code = Run(g, args)
	return code, out.String(), errOut.String()
}

func xlsxLoad(t *testing.T, path string) *plan.Plan {
	t.Helper()
	abs, _ := filepath.Abs(path)
	p, _, err := plan.Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func xlsxSamePlan(t *testing.T, got, want *plan.Plan) {
	t.Helper()
	a, b := *got, *want
	a.Text, b.Text = "", ""
	if !reflect.DeepEqual(a, b) {
		ya, _ := plan.Marshal(&a)
		yb, _ := plan.Marshal(&b)
		t.Errorf("plans differ\n--- got\n%s\n--- want\n%s", ya, yb)
	}
}

func TestPlanExportImportEmbedded(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "任务分工表.xlsx")
	code, out, errOut := xlsxRun(t, "plan", "export", "-o", book)
	if code != ExitOK {
		t.Fatalf("export: exit %d; want 0\n%s%s", code, out, errOut)
	}
	want, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "已导出任务分工表") || !strings.Contains(out, "指标 "+strconv.Itoa(len(want.Targets))+" 项") {
		t.Errorf("export printed %q; want the file and the number of targets", out)
	}

	// Import to another folder: the embedded text is found by the plan id and copied beside.
	outDir := filepath.Join(dir, "out")
	yamlPath := filepath.Join(outDir, "plan.yaml")
	code, out, errOut = xlsxRun(t, "plan", "import", book, "-o", yamlPath)
	if code != ExitOK {
		t.Fatalf("import: exit %d; want 0\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "写入 "+yamlPath) || !strings.Contains(out, "复制为") {
		t.Errorf("import printed %q; want where it wrote and that it copied the text", out)
	}
	got := xlsxLoad(t, yamlPath)
	xlsxSamePlan(t, got, want)
	if got.Text != want.Text {
		t.Errorf("the plan text beside plan.yaml differs from the embedded one")
	}
	// The written registry passes plan check on its own.
	if code, out, errOut := xlsxRun(t, "--plan", yamlPath, "plan", "check"); code != ExitOK {
		t.Errorf("plan check on the imported registry: exit %d\n%s%s", code, out, errOut)
	}
	// No temporary files are left.
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files in output folder = %v; want plan.yaml and %s", names, want.Source)
	}
}

const xlsxHandYAML = `id: demo-2025
title: 示例市2025年国民经济和社会发展计划
year: 2025
office: 示例市人民政府
planner: 市发展改革委
source: 原文.txt
thresholds: {tolerance: 0.04, serious: 0.12, approx: 0.03}
departments:
  - {code: FGW, name: 示例市发展和改革委员会, short: 市发展改革委, contact: 张三, phone: "0533-1234567"}
  - {code: SWJ, name: 示例市商务局, short: 市商务局}
  - {code: SLJ, name: 示例市水利局, short: 市水利局}
targets:
  - id: A-01
    chapter: 二、主要预期目标
    task: 经济增长
    indicator: 地区生产总值增长
    kind: growth
    value: 5
    unit: "%"
    comparator: ">="
    qualifiers: [以上]
    baseline: {value: 5.5, year: 2024}
    lead: FGW
    quote: 地区生产总值增长5%以上
  - id: A-02
    chapter: （一）扩内需
    section: 二是扩大有效投资
    task: 招商引资
    indicator: 新引进过亿元项目
    kind: cumulative
    value: 430
    unit: 个
    comparator: ">="
    qualifiers: [力争]
    schedule: {Q1: 0.1, H1: 0.3, Q3: 0.6}
    lead: SWJ
    support: [FGW, SLJ]
    quote: 力争新引进过亿元项目430个
  - id: A-03
    chapter: （五）生态
    task: 用水强度
    indicator: 用水量较2020年下降
    kind: reduction
    value: 15
    unit: "%"
    comparator: ">="
    binding: true
    lead: SLJ
    quote: 用水量较2020年下降15%
  - id: A-04
    chapter: （一）扩内需
    task: 重大项目
    indicator: 建成物流园区
    kind: milestone
    due: 2025H1
    lead: FGW
    support: [SWJ]
    quote: 建成物流园区
`

const xlsxHandText = "地区生产总值增长5%以上。力争新引进过亿元项目430个。用水量较2020年下降15%。建成物流园区。"

// xlsxHandPlan writes the hand-made registry and its text into a new folder.
func xlsxHandPlan(t *testing.T) (dir, yamlPath string) {
	t.Helper()
	dir = t.TempDir()
	yamlPath = filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(yamlPath, []byte(xlsxHandYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "原文.txt"), []byte(xlsxHandText), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, yamlPath
}

func TestPlanExportImportWithPlanFlag(t *testing.T) {
	dir, src := xlsxHandPlan(t)
	book := filepath.Join(dir, "book", "任务分工表.xlsx")
	if code, out, errOut := xlsxRun(t, "--plan", src, "plan", "export", "-o", book); code != ExitOK {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	// Neither beside the output nor beside the workbook: the text comes from --plan.
	yamlPath := filepath.Join(dir, "new", "plan.yaml")
	code, out, errOut := xlsxRun(t, "--plan", src, "plan", "import", book, "-o", yamlPath)
	if code != ExitOK {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	got := xlsxLoad(t, yamlPath)
	xlsxSamePlan(t, got, xlsxLoad(t, src))
	if got.Text != xlsxHandText {
		t.Errorf("text beside the new plan.yaml = %q; want the --plan registry's text", got.Text)
	}

	// Without --plan the text is found beside the workbook.
	if err := os.WriteFile(filepath.Join(dir, "book", "原文.txt"), []byte(xlsxHandText), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other", "plan.yaml")
	if code, out, errOut := xlsxRun(t, "plan", "import", book, "-o", other); code != ExitOK {
		t.Fatalf("import beside the workbook: exit %d\n%s%s", code, out, errOut)
	}
	xlsxSamePlan(t, xlsxLoad(t, other), xlsxLoad(t, src))

	// Re-importing over an existing plan.yaml with its text beside it copies nothing.
	code, out, _ = xlsxRun(t, "plan", "import", book, "-o", other)
	if code != ExitOK || strings.Contains(out, "复制为") {
		t.Errorf("re-import: exit %d, printed %q; want 0 and no copy", code, out)
	}
}

func TestPlanImportEditedWorkbook(t *testing.T) {
	dir, src := xlsxHandPlan(t)
	book := filepath.Join(dir, "任务分工表.xlsx")
	if code, out, errOut := xlsxRun(t, "--plan", src, "plan", "export", "-o", book); code != ExitOK {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	xlsxEditBook(t, book, func(f *excelize.File) {
		must(f.SetCellStr(planxlsx.SheetTargets, "P3", "市水利局")) // A-02 now led by SLJ
		must(f.SetCellStr(planxlsx.SheetTargets, "Q3", "市发展改革委"))
		row := map[string]string{"A7": "A-05", "B7": "（五）生态", "E7": "新增节水型企业", "F7": "累计量", "G7": "20",
			"H7": "家", "I7": ">=（达到或超过）", "K7": "预期性", "P7": "市水利局", "R7": "建成物流园区"}
		for cell, v := range row {
			must(f.SetCellStr(planxlsx.SheetTargets, cell, v))
		}
	})
	yamlPath := filepath.Join(dir, "plan.yaml")
	if code, out, errOut := xlsxRun(t, "plan", "import", book, "-o", yamlPath); code != ExitOK {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	imported := xlsxLoad(t, yamlPath)
	got, _ := imported.Target("A-02")
	if got.Lead != "SLJ" || !reflect.DeepEqual(got.Support, []string{"FGW"}) {
		t.Errorf("A-02 lead %s, support %v; want SLJ, [FGW]", got.Lead, got.Support)
	}
	added, ok := imported.Target("A-05")
	if !ok || added.Kind != plan.Cumulative || *added.Value != 20 || added.Unit != "家" || added.Lead != "SLJ" {
		t.Errorf("A-05 = %+v, %v; want the added row", added, ok)
	}
}

func TestPlanImportProblems(t *testing.T) {
	dir, src := xlsxHandPlan(t)
	book := filepath.Join(dir, "任务分工表.xlsx")
	if code, _, _ := xlsxRun(t, "--plan", src, "plan", "export", "-o", book); code != ExitOK {
		t.Fatal("export failed")
	}
	xlsxEditBook(t, book, func(f *excelize.File) {
		must(f.SetCellStr(planxlsx.SheetTargets, "P4", "市外事办")) // unknown department
		must(f.SetCellStr(planxlsx.SheetTargets, "G3", "四百三十")) // not a number
		must(f.SetCellStr(planxlsx.SheetTargets, "F2", "增长"))   // bad kind
		must(f.SetCellStr(planxlsx.SheetTargets, "R5", "原文里没有的话"))
	})
	out := filepath.Join(dir, "new", "plan.yaml")
	code, stdout, stderr := xlsxRun(t, "plan", "import", book, "-o", out)
	if code != ExitProblems {
		t.Fatalf("exit %d; want %d\n%s%s", code, ExitProblems, stdout, stderr)
	}
	for _, want := range []string{
		"指标 第 2 行（编号 A-01）：指标类型“增长”无法识别",
		"指标 第 3 行（编号 A-02）：目标值“四百三十”不是数字",
		"指标 第 4 行（编号 A-03）：牵头部门“市外事办”不在“部门”工作表中",
		"指标 第 5 行（编号 A-04）：原文依据（quote）在计划原文中找不到",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout:\n%s\nwant a line containing %q", stdout, want)
		}
	}
	if !strings.Contains(stderr, "发现 4 个问题，未写入") {
		t.Errorf("stderr = %q; want the count and that nothing was written", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("plan.yaml written despite problems (stat: %v)", err)
	}
}

func TestPlanImportNoText(t *testing.T) {
	dir, src := xlsxHandPlan(t)
	book := filepath.Join(dir, "book", "任务分工表.xlsx")
	if code, _, _ := xlsxRun(t, "--plan", src, "plan", "export", "-o", book); code != ExitOK {
		t.Fatal("export failed")
	}
	code, stdout, _ := xlsxRun(t, "plan", "import", book, "-o", filepath.Join(dir, "new", "plan.yaml"))
	if code != ExitProblems || !strings.Contains(stdout, "计划 第 7 行：找不到计划原文") {
		t.Errorf("exit %d, stdout %q; want 1 and 计划 第 7 行：找不到计划原文", code, stdout)
	}
}

func TestPlanXLSXErrors(t *testing.T) {
	dir := t.TempDir()
	notBook := filepath.Join(dir, "x.xlsx")
	must(os.WriteFile(notBook, []byte("编号,指标\n"), 0o644))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"plan", "import"}, "请指定一个任务分工表文件"},
		{"two files", []string{"plan", "import", "a.xlsx", "b.xlsx"}, "请指定一个任务分工表文件"},
		{"missing file", []string{"plan", "import", filepath.Join(dir, "none.xlsx")}, "无法读取任务分工表"},
		{"not a workbook", []string{"plan", "import", notBook, "-o", filepath.Join(dir, "p.yaml")}, "无法打开任务分工表"},
		{"export not xlsx", []string{"plan", "export", "-o", filepath.Join(dir, "a.csv")}, "应以 .xlsx 结尾"},
		{"export bad plan", []string{"--plan", filepath.Join(dir, "none.yaml"), "plan", "export", "-o", filepath.Join(dir, "a.xlsx")}, "无法读取计划文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := xlsxRun(t, tt.args...)
			if code != ExitError || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestPlanXLSXFlags(t *testing.T) {
	g, _, _ := xlsxGlobals()
	var gotExport *PlanExportOptions
	c := NewCmdPlanExport(g, func(o *PlanExportOptions) error { gotExport = o; return nil })
	c.SetArgs([]string{"-o", "x.xlsx"})
	if err := c.Execute(); err != nil || gotExport.Output != "x.xlsx" {
		t.Errorf("export -o x.xlsx: err %v, output %q", err, gotExport.Output)
	}
	var gotImport *PlanImportOptions
	c = NewCmdPlanImport(g, func(o *PlanImportOptions) error { gotImport = o; return nil })
	c.SetArgs([]string{"book.xlsx"})
	if err := c.Execute(); err != nil || gotImport.Input != "book.xlsx" || gotImport.Output != "plan.yaml" {
		t.Errorf("import book.xlsx: err %v, options %+v; want input book.xlsx, output plan.yaml", err, gotImport)
	}
}

func xlsxEditBook(t *testing.T, path string, change func(f *excelize.File)) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	change(f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}
