package cmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"planrep/extract"
	"planrep/plan"
	"planrep/planxlsx"
	"planrep/seeds"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// extractSeeds copies the embedded plan (registry and text) into dir.
func extractSeeds(t *testing.T, dir string) (yamlPath, textPath string) {
	t.Helper()
	for _, name := range []string{"plan.yaml", "plan.txt"} {
		data, err := fs.ReadFile(seeds.FS(), "zibo-2025/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "plan.yaml"), filepath.Join(dir, "plan.txt")
}

func runExtract(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	g, out, errOut := testGlobals()
	code := Run(g, append([]string{"extract"}, args...))
	return code, out.String(), errOut.String()
}

func TestExtractWritesDraft(t *testing.T) {
	dir := t.TempDir()
	_, text := extractSeeds(t, dir)
	outDir := filepath.Join(dir, "草稿")
	must(os.Mkdir(outDir, 0o755))
	draftPath := filepath.Join(outDir, "draft.yaml")
	book := filepath.Join(outDir, "指标草稿.xlsx")
	code, out, errOut := runExtract(t, text, "-o", draftPath, "--xlsx", book)
	if code != ExitOK {
		t.Fatalf("exit %d; want 0\n%s%s", code, out, errOut)
	}
	txt := mustGet(os.ReadFile(text))
	want, err := extract.Extract(string(txt), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[plan.Kind]int{}
	for _, tg := range want.Targets {
		counts[tg.Kind]++
	}
	for k, n := range counts {
		if line := k.Label() + "：" + itoaExtract(n) + " 项"; !strings.Contains(out, line) {
			t.Errorf("summary lacks %q:\n%s", line, out)
		}
	}
	quant := len(want.Targets) - counts[plan.Milestone]
	for _, s := range []string{"2025 年度", "量化指标 " + itoaExtract(quant) + " 项、重点任务 " + itoaExtract(counts[plan.Milestone]) + " 项", "牵头部门（lead）", "已写入登记表草稿", "已写入任务分工表草稿"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}

	// The draft loads, finds its text beside it, and every quote is traced;
	// what plan check still asks for is a lead and departments.
	got, lines, err := plan.Load(os.DirFS(outDir), "draft.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != string(txt) || got.Source != "plan.txt" {
		t.Fatalf("source %q not beside the draft", got.Source)
	}
	if len(got.Targets) != len(want.Targets) || got.Year != 2025 || got.Title != "淄博市2025年国民经济和社会发展计划" {
		t.Fatalf("draft: %d targets, year %d, title %q", len(got.Targets), got.Year, got.Title)
	}
	// With the suggested leads and the roster's departments, the draft
	// passes plan check as it is; each lead says it is a suggestion.
	for _, pr := range plan.Check(got, lines) {
		t.Errorf("plan check: %s", pr)
	}
	raw := mustGet(os.ReadFile(draftPath))
	if n, m := strings.Count(string(raw), "\n    lead: "), strings.Count(string(raw), "# 建议"); n != len(got.Targets) || m < n {
		t.Errorf("draft: %d leads, %d marked as suggestions; want %d, all marked", n, m, len(got.Targets))
	}

	// The workbook is the export format: reading it back gives the draft.
	f, err := os.Open(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := planxlsx.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.Plan.Targets, got.Targets) {
		t.Errorf("workbook targets differ from the draft's")
	}

	// Run again: the text beside the draft is the same, nothing is refused.
	if code, out, errOut := runExtract(t, text, "-o", draftPath); code != ExitOK {
		t.Fatalf("second run: exit %d\n%s%s", code, out, errOut)
	}
}

func itoaExtract(n int) string { return strings.TrimSpace(plan.FormatNumber(float64(n))) }

func TestExtractToStdout(t *testing.T) {
	dir := t.TempDir()
	_, text := extractSeeds(t, dir)
	code, out, errOut := runExtract(t, text, "--year", "2025")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	p, _, err := plan.Parse([]byte(out))
	if err != nil {
		t.Fatalf("stdout is not a registry: %v\n%s", err, out)
	}
	if len(p.Targets) == 0 || p.Year != 2025 {
		t.Errorf("stdout: %d targets, year %d", len(p.Targets), p.Year)
	}
	if !strings.Contains(errOut, "量化指标") {
		t.Errorf("summary should go to stderr when the draft goes to stdout:\n%s", errOut)
	}
}

func TestExtractCompare(t *testing.T) {
	dir := t.TempDir()
	reg, text := extractSeeds(t, dir)
	code, out, errOut := runExtract(t, text, "--compare", reg)
	if code != ExitOK {
		t.Fatalf("same registry: exit %d; want 0\n%s%s", code, out, errOut)
	}
	regPlan, _, err := plan.Load(os.DirFS(dir), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	miles := 0
	for _, tg := range regPlan.Targets {
		if tg.Kind == plan.Milestone {
			miles++
		}
	}
	if !strings.Contains(out, "量化指标完全一致") || !strings.Contains(out, "重点任务：登记表 "+itoaExtract(miles)+" 项") || !strings.Contains(out, "年12月底前完成") || strings.Contains(out, "targets:") {
		t.Errorf("compare output:\n%s", out)
	}

	// A registry that lost one target and changed another's value.
	p, _, err := plan.Load(os.DirFS(dir), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var quant []int
	for i, tg := range p.Targets {
		if tg.Kind.Quantitative() {
			quant = append(quant, i)
		}
	}
	dropped := p.Targets[quant[0]]
	changed := p.Targets[quant[1]]
	v := *changed.Value + 1
	p.Targets[quant[1]].Value = &v
	p.Targets = append(p.Targets[:quant[0]], p.Targets[quant[0]+1:]...)
	data, _ := plan.Marshal(p)
	must(os.WriteFile(filepath.Join(dir, "edited.yaml"), data, 0o644))
	code, out, _ = runExtract(t, text, "--compare", filepath.Join(dir, "edited.yaml"))
	if code != ExitProblems {
		t.Fatalf("edited registry: exit %d; want 1\n%s", code, out)
	}
	for _, s := range []string{"登记表缺少（草稿有、登记表没有，1 项）", dropped.Quote, "目标值或单位不一致（1 项）", changed.ID} {
		if !strings.Contains(out, s) {
			t.Errorf("compare output lacks %q:\n%s", s, out)
		}
	}
}

func TestExtractErrors(t *testing.T) {
	dir := t.TempDir()
	noYear := filepath.Join(dir, "无年份.txt")
	must(os.WriteFile(noYear, []byte("地区生产总值增长5%以上。"), 0o644))
	_, text := extractSeeds(t, dir)
	other := filepath.Join(dir, "out")
	must(os.Mkdir(other, 0o755))
	must(os.WriteFile(filepath.Join(other, "plan.txt"), []byte("另一份文本"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "请指定一个计划原文文件"},
		{[]string{filepath.Join(dir, "缺失.txt")}, "无法读取计划文本"},
		{[]string{noYear}, "--year"},
		{[]string{text, "--year", "25"}, "不是有效的计划年度"},
		{[]string{text, "-o", filepath.Join(other, "plan.yaml")}, "已存在且内容与计划原文不同"},
		{[]string{text, "--compare", filepath.Join(dir, "无此文件.yaml")}, "无法读取计划文件"},
		{[]string{text, "--xlsx", filepath.Join(dir, "草稿.xls")}, "应以 .xlsx 结尾"},
	} {
		code, _, errOut := runExtract(t, tc.args...)
		if code != ExitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("extract %v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(other, "plan.yaml")); err == nil {
		t.Error("a refused run wrote its draft")
	}
}

func TestExtractFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *ExtractOptions
	c := NewCmdExtract(g, func(o *ExtractOptions) error { got = o; return nil })
	c.SetArgs([]string{"计划.docx", "-o", "d.yaml", "--xlsx", "d.xlsx", "--year", "2026", "--compare", "plan.yaml"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	want := ExtractOptions{G: g, Input: "计划.docx", Output: "d.yaml", XLSX: "d.xlsx", Year: 2026, Compare: "plan.yaml"}
	if *got != want {
		t.Errorf("got %+v; want %+v", *got, want)
	}
}

func TestExtractHelpChinese(t *testing.T) {
	code, out, _ := runExtract(t, "--help")
	if code != ExitOK || !strings.Contains(out, "从年度国民经济和社会发展计划的原文中") || !strings.Contains(out, "退出码") || !strings.Contains(out, "--compare") {
		t.Errorf("help:\n%s", out)
	}
}

// TestExtractWorkbookImports is the office's path: extract to a workbook,
// fill in the departments and leads in Excel, import it as the registry.
func TestExtractWorkbookImports(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "原文")
	must(os.Mkdir(src, 0o755))
	_, text := extractSeeds(t, src)
	work := filepath.Join(dir, "审核")
	must(os.Mkdir(work, 0o755))
	book := filepath.Join(work, "指标草稿.xlsx")
	code, out, errOut := runExtract(t, text, "--xlsx", book)
	if code != ExitOK {
		t.Fatalf("extract: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "targets:") {
		t.Errorf("with --xlsx the draft should not go to the screen:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(work, "plan.txt")); err != nil {
		t.Fatalf("plan text not beside the workbook: %v", err)
	}

	// Every lead is a suggestion, tinted and annotated as one.
	{
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		lead := planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColLead)
		comments, err := f.GetComments(planxlsx.SheetTargets)
		if err != nil {
			t.Fatal(err)
		}
		noted := map[string]string{}
		for _, c := range comments {
			noted[c.Cell] = c.Text
			for _, r := range c.Paragraph {
				noted[c.Cell] += r.Text
			}
		}
		if !strings.Contains(noted[lead+"1"], "建议") {
			t.Errorf("the 牵头部门 heading has no note on suggestions: %q", noted[lead+"1"])
		}
		rows := mustGet(f.GetRows(planxlsx.SheetTargets))
		for r := 2; r <= len(rows); r++ {
			cell := fmt.Sprintf("%s%d", lead, r)
			if !strings.HasPrefix(noted[cell], "建议") {
				t.Errorf("%s: lead %q carries no suggestion note (%q)", cell, rows[r-1][15], noted[cell])
			}
			id, _ := f.GetCellStyle(planxlsx.SheetTargets, cell)
			st, err := f.GetStyle(id)
			if err != nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != suggestedFill {
				t.Errorf("%s: suggested lead not tinted (%+v)", cell, st)
			}
		}
		f.Close()
	}

	// The suggestions make a complete registry: it imports as it is.
	g, gout, gerr := testGlobals()
	if code := Run(g, []string{"plan", "import", book, "-o", filepath.Join(work, "plan.yaml")}); code != ExitOK {
		t.Fatalf("import before review: exit %d; want 0\n%s%s", code, gout, gerr)
	}
	must(os.Remove(filepath.Join(work, "plan.yaml")))

	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"FGW", "某市发展和改革委员会", "市发展改革委"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		must(f.SetCellStr(planxlsx.SheetDepts, cell, v))
	}
	rows := mustGet(f.GetRows(planxlsx.SheetTargets))
	lead := planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColLead)
	n := 0
	for r := 2; r <= len(rows); r++ {
		if len(rows[r-1]) > 0 && rows[r-1][0] != "" {
			must(f.SetCellStr(planxlsx.SheetTargets, fmt.Sprintf("%s%d", lead, r), "市发展改革委"))
			must(f.SetCellStr(planxlsx.SheetTargets, fmt.Sprintf("%s%d", planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColSupport), r), ""))
			n++
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	must(f.Close())

	g, gout, gerr = testGlobals()
	out2 := filepath.Join(work, "plan.yaml")
	if code := Run(g, []string{"plan", "import", book, "-o", out2}); code != ExitOK {
		t.Fatalf("import after review: exit %d\n%s%s", code, gout, gerr)
	}
	p := func() *plan.Plan {
		p, lines, err := plan.Load(os.DirFS(work), "plan.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if probs := plan.Check(p, lines); len(probs) > 0 {
			t.Errorf("imported registry: %v", probs)
		}
		return p
	}()
	if len(p.Targets) != n || n == 0 {
		t.Errorf("imported %d targets; the workbook had %d", len(p.Targets), n)
	}
	for _, tg := range p.Targets {
		if tg.Lead != "FGW" {
			t.Errorf("%s: lead %s; the office gave FGW", tg.ID, tg.Lead)
		}
	}
}

func TestExtractGBKText(t *testing.T) {
	dir := t.TempDir()
	utf, err := os.ReadFile("../extract/testdata/report_shape.txt")
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "计划.txt")
	must(os.WriteFile(name, gbk, 0o644))
	code, out, errOut := runExtract(t, name, "-o", filepath.Join(dir, "out", "plan.yaml"))
	if code != ExitOK || !strings.Contains(errOut, "已按 GBK") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	p, lines, err := plan.Load(os.DirFS(filepath.Join(dir, "out")), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Year != 2024 || len(p.Targets) == 0 {
		t.Fatalf("year %d, %d targets", p.Year, len(p.Targets))
	}
	for _, pr := range plan.Check(p, lines) {
		if strings.Contains(pr.Message, "原文") {
			t.Errorf("quotes must be found in the UTF-8 copy: %s", pr)
		}
	}
	// A copy in traditional characters saved as Big5.
	trad := "香江市2026年國民經濟和社會發展計劃\n二、2026年主要目標\n全市地區生產總值增長5%左右，城鎮新增就業3.5萬人。\n"
	big5, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(trad))
	if err != nil {
		t.Fatal(err)
	}
	must(os.WriteFile(name, big5, 0o644))
	code, out, errOut = runExtract(t, name, "-o", filepath.Join(dir, "big5", "plan.yaml"))
	if code != ExitOK || !strings.Contains(errOut, "已按 Big5") {
		t.Fatalf("Big5: exit %d\n%s%s", code, out, errOut)
	}
	p, lines, err = plan.Load(os.DirFS(filepath.Join(dir, "big5")), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Year != 2026 || len(p.Targets) != 2 || p.Targets[1].Quote != "城鎮新增就業3.5萬人" || p.Targets[1].Unit != "万人" {
		t.Fatalf("Big5: year %d, targets %+v", p.Year, p.Targets)
	}
	if probs := plan.Check(p, lines); len(probs) != 0 {
		t.Errorf("Big5: plan check: %v", probs)
	}

	must(os.WriteFile(name, []byte{0x81, 0x20, 0xff, 0xfe, 0x00}, 0o644))
	if code, _, errOut := runExtract(t, name); code != ExitError || !strings.Contains(errOut, "既不是 UTF-8 也不是 GBK") {
		t.Errorf("binary: exit %d, %s", code, errOut)
	}
}

func TestExtractRoster(t *testing.T) {
	dir := t.TempDir()
	_, text := extractSeeds(t, dir)
	roster := filepath.Join(dir, "部门.yaml")
	mustWrite(t, roster, []byte(`planner: PLAN
departments:
  - {code: PLAN, name: "{地名}计划委员会", short: 市计委, keywords: [生产总值]}
  - {code: JOBS, name: "{地名}就业局", short: 市就业局, keywords: [就业, 失业]}
`))
	out := filepath.Join(dir, "out", "plan.yaml")
	code, so, se := runExtract(t, text, "-o", out, "--roster", roster)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, so, se)
	}
	p, lines, err := plan.Load(os.DirFS(filepath.Dir(out)), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Depts) != 2 || p.Depts[1].Name != "淄博市就业局" || p.Planner != "市计委" {
		t.Fatalf("departments %+v, planner %q", p.Depts, p.Planner)
	}
	jobs := 0
	for _, tg := range p.Targets {
		if strings.Contains(tg.Indicator, "就业") && tg.Lead == "JOBS" {
			jobs++
		}
		if tg.Lead != "JOBS" && tg.Lead != "PLAN" {
			t.Errorf("%s: lead %s is not of the roster", tg.ID, tg.Lead)
		}
	}
	if jobs == 0 {
		t.Errorf("no 就业 target led by JOBS")
	}
	if probs := plan.Check(p, lines); len(probs) != 0 {
		t.Errorf("plan check: %v", probs)
	}
	if !strings.Contains(so, "暂由市计委牵头") {
		t.Errorf("summary does not say who leads what no keyword names:\n%s", so)
	}

	bad := filepath.Join(dir, "坏.yaml")
	for _, tt := range []struct{ body, want string }{
		{"departments: []", "没有部门"},
		{"departments:\n  - {code: fgw, name: a, short: b, keywords: [x]}", "大写字母"},
		{"departments:\n  - {code: A, name: a, short: b}", "没有职责关键词"},
		{"planner: X\ndepartments:\n  - {code: A, name: a, short: b, keywords: [x]}", "不在部门名单中"},
		{"departments: [", "不是有效的 YAML"},
	} {
		must(os.WriteFile(bad, []byte(tt.body), 0o644))
		code, so, se := runExtract(t, text, "--roster", bad)
		if code != ExitError || !strings.Contains(se, tt.want) {
			t.Errorf("roster %q: exit %d, %q; want 2 and %q", tt.body, code, so+se, tt.want)
		}
	}
	code, _, se = runExtract(t, text, "--roster", filepath.Join(dir, "无.yaml"))
	if code != ExitError || !strings.Contains(se, "无法读取部门职责关键词表") {
		t.Errorf("missing roster: exit %d, %q", code, se)
	}
}
