package cmd

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/seeds"
)

func testGlobals() (*Globals, *bytes.Buffer, *bytes.Buffer) {
	io, out, errOut := Test()
	return &Globals{IO: io, DBFile: testDB(), Now: func() time.Time { return time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC) }}, out, errOut
}

// updateGolden reports whether golden files should be rewritten: with
// `go test -update` when some test file of the package defines that flag, or
// with UPDATE_GOLDEN=1.
func updateGolden() bool {
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return true
	}
	return os.Getenv("UPDATE_GOLDEN") == "1"
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "plan", name)
	if updateGolden() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (UPDATE_GOLDEN=1 rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestPlanShowGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"show.golden", []string{"--plan", "testdata/plan/plan.yaml", "plan", "show"}},
		{"show.json.golden", []string{"plan", "show", "--json", "--plan", "testdata/plan/plan.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, out, errOut := testGlobals()
			if code := Run(g, tc.args); code != ExitOK {
				t.Fatalf("exit %d; want 0; stderr: %s", code, errOut)
			}
			golden(t, tc.name, out.Bytes())
		})
	}
}

func TestPlanShowDefault(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"plan", "show"}); code != ExitOK {
		t.Fatalf("exit %d; want 0; stderr: %s", code, errOut)
	}
	text := out.String()
	quant, miles := 0, 0
	byKind := map[plan.Kind]int{}
	byLead := map[string]int{}
	for _, tg := range p.Targets {
		byKind[tg.Kind]++
		byLead[tg.Lead]++
		if tg.Kind == plan.Milestone {
			miles++
		} else {
			quant++
		}
	}
	head := fmt.Sprintf("共 %d 项：量化指标 %d 项，重点任务 %d 项；部门 %d 个", len(p.Targets), quant, miles, len(p.Depts))
	if !strings.Contains(text, head) {
		t.Errorf("output lacks %q:\n%s", head, text)
	}
	if !strings.Contains(text, p.Title) {
		t.Errorf("output lacks the title %q", p.Title)
	}
	lines := strings.Split(text, "\n")
	row := func(first string) []string {
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) > 0 && f[0] == first {
				return f
			}
		}
		return nil
	}
	for k, n := range byKind {
		f := row(k.Label())
		if len(f) < 3 || f[2] != fmt.Sprint(n) {
			t.Errorf("kind row %s = %v; want count %d", k.Label(), f, n)
		}
	}
	for _, d := range p.Depts {
		f := row(d.Short)
		if len(f) < 5 || f[1] != d.Code || f[4] != fmt.Sprint(byLead[d.Code]) {
			t.Errorf("department row %s = %v; want code %s and %d led", d.Short, f, d.Code, byLead[d.Code])
		}
	}
	for _, tg := range p.Targets {
		if !strings.Contains(text, tg.Chapter) {
			t.Errorf("output lacks chapter %q", tg.Chapter)
		}
	}
}

func TestPlanShowJSON(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"plan", "show", "--json"}); code != ExitOK {
		t.Fatalf("exit %d; want 0; stderr: %s", code, errOut)
	}
	var got struct {
		plan.Plan
		Fingerprint string `json:"fingerprint"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if got.ID != p.ID || got.Title != p.Title || got.Year != p.Year || got.Thresholds != p.Thresholds {
		t.Errorf("metadata = %q %q %d %+v; want %q %q %d %+v", got.ID, got.Title, got.Year, got.Thresholds, p.ID, p.Title, p.Year, p.Thresholds)
	}
	if got.Fingerprint != p.Fingerprint() {
		t.Errorf("fingerprint = %q; want %q", got.Fingerprint, p.Fingerprint())
	}
	if len(got.Depts) != len(p.Depts) {
		t.Errorf("departments: got %d; want %d", len(got.Depts), len(p.Depts))
	}
	if len(got.Targets) != len(p.Targets) {
		t.Fatalf("targets: got %d; want %d", len(got.Targets), len(p.Targets))
	}
	for i, tg := range got.Targets {
		want := p.Targets[i]
		if tg.ID != want.ID || tg.Quote != want.Quote || tg.Quote == "" || tg.Lead != want.Lead || tg.Kind != want.Kind {
			t.Errorf("target %d = %s %q; want %s %q", i, tg.ID, tg.Quote, want.ID, want.Quote)
		}
		if want.Kind.Quantitative() && (tg.Value == nil || *tg.Value != *want.Value || tg.Unit != want.Unit || tg.Comparator != want.Comparator) {
			t.Errorf("%s: value, unit or comparator lost in JSON", want.ID)
		}
	}
	// Same registry, same bytes.
	g2, out2, _ := testGlobals()
	Run(g2, []string{"plan", "show", "--json"})
	if !bytes.Equal(out.Bytes(), out2.Bytes()) {
		t.Error("two runs printed different JSON")
	}
}

func TestPlanCheckDefault(t *testing.T) {
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"plan", "check"}); code != ExitOK {
		t.Fatalf("exit %d; want 0\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	re := regexp.MustCompile(`^登记表检查通过：共 \d+ 项指标（量化指标 \d+ 项，重点任务 \d+ 项），\d+ 个部门\n` +
		`区县和功能区 11 个；分解到区县的累计量指标 36 项（分解数为示例：[^\n]*平均分配[^\n]*）\n$`)
	if !re.MatchString(out.String()) {
		t.Errorf("output = %q; want a summary of the targets and of the example split", out.String())
	}
}

func TestPlanCheckSplitProblems(t *testing.T) {
	dir := t.TempDir()
	text := "新引进项目10个。智算占比达到60%。"
	yaml := `id: t
title: 测试计划
year: 2025
source: plan.txt
departments:
  - {code: SWJ, name: 商务局, short: 市商务局}
districts:
  - {code: ZD, name: 淄博市张店区, short: 张店区}
  - {code: ZC, name: 淄博市淄川区, short: 淄川区}
targets:
  - {id: "1", chapter: 一, indicator: 新引进项目, kind: cumulative, value: 10, unit: 个, comparator: ">=", lead: SWJ,
     quote: 新引进项目10个, quotas: {ZD: 5, ZC: 4}}
  - {id: "2", chapter: 一, indicator: 智算占比, kind: level, value: 60, unit: "%", comparator: ">=", lead: SWJ,
     quote: 智算占比达到60%, quotas: {ZD: 30, ZC: 30}}
`
	if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	g, out, _ := testGlobals()
	if code := Run(g, []string{"--plan", filepath.Join(dir, "plan.yaml"), "plan", "check"}); code != ExitProblems {
		t.Fatalf("exit %d; want %d\n%s", code, ExitProblems, out)
	}
	for _, want := range []string{
		"第 11 行，指标 1：区县分解任务合计 9个，少于全市目标 10个，还差 1个",
		"第 13 行，指标 2：水平值类指标的数值不能在区县之间相加，不能下达分解任务（quotas）",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

const brokenYAML = `id: broken
title: 示例计划
year: 2025
office: 示例市人民政府
planner: 市发展改革委
source: plan.txt
departments:
  - {code: FGW, name: 示例市发展和改革委员会, short: 市发展改革委}
targets:
  - id: A-01
    chapter: 二、主要预期目标
    task: 经济增长
    indicator: 地区生产总值增长
    kind: growth
    value: 5
    unit: "%"
    comparator: ">="
    lead: FGW
    quote: 地区生产总值增长6%以上
  - id: A-02
    chapter: 二、主要预期目标
    task: 招商
    indicator: 新引进过亿元项目
    kind: cumulative
    value: 430
    unit: 个
    comparator: ">="
    lead: XYZ
    quote: 力争新引进过亿元项目430个
  - id: A-03
    chapter: 二、主要预期目标
    task: 就业
    indicator: 城镇调查失业率
    kind: ceiling
    value: 5.5
    unit: "%"
    comparator: "=>"
    lead: FGW
    quote: 城镇调查失业率控制在5.5%左右
  - id: A-02
    chapter: 二、主要预期目标
    task: 就业
    indicator: 城镇新增就业
    kind: cumulative
    value: 5.5
    unit: 万人
    comparator: ">="
    lead: FGW
    quote: 城镇新增就业5.5万人以上
`

const brokenText = "地区生产总值增长5%以上,城镇调查失业率控制在5.5%左右,城镇新增就业5.5万人以上。力争新引进过亿元项目430个。"

func writePlan(t *testing.T, yaml, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if text != "" {
		if err := os.WriteFile(filepath.Join(dir, "plan.txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "plan.yaml")
}

func TestPlanCheckBroken(t *testing.T) {
	path := writePlan(t, brokenYAML, brokenText)
	g, out, errOut := testGlobals()
	code := Run(g, []string{"--plan", path, "plan", "check"})
	if code != ExitProblems {
		t.Fatalf("exit %d; want 1\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	want := []string{
		"第 10 行，指标 A-01：原文依据（quote）在计划原文中找不到，请从原文逐字复制：地区生产总值增长6%以上",
		"第 20 行，指标 A-02：牵头部门 \"XYZ\" 不在部门名单中",
		"第 30 行，指标 A-03：比较方式（comparator）\"=>\" 无法识别：应为 >=、<= 或 ~",
		"第 40 行，指标 A-02：编号重复：每个指标的编号必须唯一", // the second A-02
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, w := range want {
		found := false
		for _, l := range got {
			found = found || l == w
		}
		if !found {
			t.Errorf("output lacks the line\n  %s\ngot:\n%s", w, out)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems; want %d:\n%s", len(got), len(want), out)
	}
	if !strings.Contains(errOut.String(), fmt.Sprintf("登记表检查未通过：发现 %d 个问题", len(want))) {
		t.Errorf("stderr = %q; want the number of problems", errOut)
	}
}

func TestPlanCheckInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, text string
		missing          bool
		code             int
		out, errOut      string
	}{
		{name: "missing file", missing: true, code: ExitError, errOut: "错误：无法读取计划文件"},
		{name: "yaml syntax", yaml: "id: x\ntargets:\n  - id: [unclosed\n", text: "x", code: ExitProblems, out: "第 3 行附近有语法错误", errOut: "登记表检查未通过"},
		{name: "value not a number", yaml: strings.Replace(brokenYAML, "value: 430", "value: 四百三十", 1), text: brokenText, code: ExitProblems, out: "第 25 行：“四百…”应为数字"},
		{name: "no plan text", yaml: strings.Replace(brokenYAML, "source: plan.txt", "source: 原文.txt", 1), text: brokenText, code: ExitProblems, out: "找不到计划原文"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nothing.yaml")
			if !tc.missing {
				path = writePlan(t, tc.yaml, tc.text)
			}
			g, out, errOut := testGlobals()
			code := Run(g, []string{"--plan", path, "plan", "check"})
			if code != tc.code {
				t.Fatalf("exit %d; want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out.String(), tc.out) || !strings.Contains(errOut.String(), tc.errOut) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out, errOut, tc.out, tc.errOut)
			}
		})
	}
}

func TestPlanShowFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *PlanShowOptions
	c := NewCmdPlanShow(g, func(o *PlanShowOptions) error { got = o; return nil })
	c.SetArgs([]string{"--json"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.JSON {
		t.Errorf("options = %+v; want JSON set", got)
	}
	g, _, errOut := testGlobals()
	if code := Run(g, []string{"plan", "show", "extra"}); code != ExitError {
		t.Errorf("extra argument: exit %d; want 2 (stderr %q)", code, errOut)
	}
}

func TestPlanHelpIsChinese(t *testing.T) {
	g, out, _ := testGlobals()
	if code := Run(g, []string{"plan"}); code != ExitOK {
		t.Fatalf("exit %d; want 0", code)
	}
	for _, w := range []string{"show", "check", "概览登记表", "检查登记表"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("help lacks %q:\n%s", w, out)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0}, {"FGW", 3}, {"市商务局", 8}, {"（一）扩内需", 12}, {"5.5%", 4}, {"A-01 指标", 9},
	} {
		if got := displayWidth(tc.s); got != tc.want {
			t.Errorf("displayWidth(%q) = %d; want %d", tc.s, got, tc.want)
		}
	}
}

func TestTableAligns(t *testing.T) {
	tb := &table{head: []string{"部门", "代码", "数量"}, right: map[int]bool{2: true}}
	tb.add("市发展改革委", "FGW", "20")
	tb.add("市外办", "WSB", "1")
	var b bytes.Buffer
	tb.write(&b)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines; want 3", len(lines))
	}
	for _, l := range lines {
		if w := displayWidth(l); w != displayWidth(lines[0]) {
			t.Errorf("line %q is %d columns; want %d", l, w, displayWidth(lines[0]))
		}
	}
	// The code column starts at the same terminal column on every line.
	col := func(l, s string) int { return displayWidth(l[:strings.Index(l, s)]) }
	if col(lines[1], "FGW") != col(lines[2], "WSB") || col(lines[0], "代码") != col(lines[1], "FGW") {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
}

// TestPlanShowJSONRoundTrip: what plan show --json prints loads back with
// --plan (beside the plan's text), passes plan check and prints the same.
func TestPlanShowJSONRoundTrip(t *testing.T) {
	p := defaultPlan(t)
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"plan", "show", "--json"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "登记表.json")
	mustWrite(t, path, out.Bytes())
	mustWrite(t, filepath.Join(dir, p.Source), []byte(p.Text))
	g, checked, errOut := testGlobals()
	if code := Run(g, []string{"--plan", path, "plan", "check"}); code != ExitOK {
		t.Fatalf("plan check of the JSON: exit %d\n%s%s", code, checked, errOut)
	}
	g, again, errOut := testGlobals()
	if code := Run(g, []string{"--plan", path, "plan", "show", "--json"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if again.String() != out.String() {
		t.Errorf("plan show --json of the loaded JSON differs from the first")
	}
	if !strings.Contains(out.String(), `"fingerprint": "`+p.Fingerprint()+`"`) {
		t.Errorf("the JSON does not carry the registry's fingerprint %s", p.Fingerprint())
	}
}
