package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

const goodYAML = `id: demo
title: 示例计划
year: 2025
office: 示例市人民政府
planner: 市发展改革委
source: plan.txt
thresholds: {tolerance: 0.05, serious: 0.15, approx: 0.02}
departments:
  - {code: FGW, name: 示例市发展和改革委员会, short: 市发展改革委}
  - {code: SWJ, name: 示例市商务局, short: 市商务局, contact: 张三, phone: "0533-1234567"}
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
    schedule: {Q1: 0.1, H1: 0.3}
    lead: SWJ
    support: [FGW]
    quote: 力争新引进过亿元项目430个
  - id: A-03
    chapter: （一）扩内需
    task: 重大项目
    indicator: 建成物流园区
    kind: milestone
    due: 2025H1
    lead: FGW
    quote: 建成物流园区
`

const goodText = "地区生产总值增长5%以上。力争新引进过亿元项目430个。建成物流园区。"

func TestLoadGood(t *testing.T) {
	fsys := fstest.MapFS{
		"p/plan.yaml": {Data: []byte(goodYAML)},
		"p/plan.txt":  {Data: []byte(goodText)},
	}
	p, lines, err := Load(fsys, "p/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != goodText {
		t.Errorf("Text = %q; want the plan.txt beside plan.yaml", p.Text)
	}
	if probs := Check(p, lines); len(probs) != 0 {
		t.Errorf("Check: got %v; want no problems", probs)
	}
	wantLines := Lines{"A-01": 12, "A-02": 24, "A-03": 38, targetKey(0): 12, targetKey(1): 24, targetKey(2): 38}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Errorf("lines = %v; want %v", lines, wantLines)
	}
	a2, _ := p.Target("A-02")
	if a2.Schedule["H1"] != 0.3 || a2.Section != "二是扩大有效投资" || a2.Support[0] != "FGW" || *a2.Value != 430 {
		t.Errorf("A-02 = %+v; want its schedule, section, support and value read", a2)
	}
	if d, _ := p.Dept("SWJ"); d.Phone != "0533-1234567" || d.Contact != "张三" {
		t.Errorf("SWJ = %+v; want contact and phone read", d)
	}

	// Marshal writes what Parse reads back.
	data, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal(p)): %v\n%s", err, data)
	}
	q.Text = p.Text
	if !reflect.DeepEqual(p, q) {
		t.Errorf("Parse(Marshal(p)) = %+v; want %+v", q, p)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []string
	}{
		{"missing", "none.yaml", "", []string{"无法读取计划文件 none.yaml"}},
		{"not yaml", "plan.yaml", "id: [unclosed", []string{"计划文件 plan.yaml 格式有误"}},
		{"wrong type", "plan.yaml", "id: x\nyear: 二〇二五\n", []string{"格式有误", "字段类型不符"}},
		{"targets not a list", "plan.yaml", "targets: 3\n", []string{"字段类型不符"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.data != "" {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			}
			_, _, err := Load(fsys, tt.file)
			if err == nil {
				t.Fatalf("Load: got no error; want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q; want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadSourceNotOutside(t *testing.T) {
	fsys := fstest.MapFS{
		"p/plan.yaml": {Data: []byte(strings.Replace(goodYAML, "source: plan.txt", "source: ../secret.txt", 1))},
		"secret.txt":  {Data: []byte(goodText)},
	}
	p, _, err := Load(fsys, "p/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != "" {
		t.Errorf("Text = %q; want none read from outside the plan's folder", p.Text)
	}
}

func TestParseDefaultThresholds(t *testing.T) {
	p, _, err := Parse([]byte("id: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Thresholds != DefaultThresholds {
		t.Errorf("Thresholds = %+v; want the defaults %+v", p.Thresholds, DefaultThresholds)
	}
	if _, _, err := Parse([]byte("")); err == nil || !strings.Contains(err.Error(), "文件是空的") {
		t.Errorf("Parse(empty): got error %v; want 文件是空的", err)
	}
}

// badYAML has one problem per target; the comment after each id is the
// message Check must give for it.
const badYAML = `id: ""
title: ""
year: 25
source: plan.txt
thresholds: {tolerance: 0.2, serious: 0.1, approx: 0.02}
departments:
  - {code: FGW, name: 示例市发展和改革委员会, short: 市发展改革委}
  - {code: fgw, name: 小写, short: 小写}
  - {code: FGW, name: 重复, short: 重复}
  - {code: SWJ, name: "", short: 市商务局}
targets:
  - id: B-01 # 编号只能使用
    chapter: 一
    indicator: 合格
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: bad id # 编号只能使用字母
    chapter: 一
    indicator: 编号有空格
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-03 # 缺少指标名称
    chapter: 一
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-04 # 缺少所属章节
    indicator: 无章节
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-05 # 缺少牵头部门
    chapter: 一
    indicator: 无牵头
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    quote: 原文一
  - id: B-06 # 牵头部门 "XXX" 不在部门名单中
    chapter: 一
    indicator: 牵头不明
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: XXX
    quote: 原文一
  - id: B-07 # 配合部门 "YYY" 不在部门名单中
    chapter: 一
    indicator: 配合不明
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    support: [YYY]
    quote: 原文一
  - id: B-08 # 配合部门 FGW 与牵头部门相同
    chapter: 一
    indicator: 自己配合自己
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    support: [FGW]
    quote: 原文一
  - id: B-09 # 指标类型 "count" 无法识别
    chapter: 一
    indicator: 类型不明
    kind: count
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-10 # 重点任务（milestone）不应有目标值
    chapter: 一
    indicator: 任务带值
    kind: milestone
    value: 1
    lead: FGW
    quote: 原文一
  - id: B-11 # 计划完成时间（due）报告期 "2025Q5" 无法识别
    chapter: 一
    indicator: 时间不明
    kind: milestone
    due: 2025Q5
    lead: FGW
    quote: 原文一
  - id: B-12 # 缺少目标值（value）
    chapter: 一
    indicator: 无值
    kind: cumulative
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-13 # 目标值 -3 不合理
    chapter: 一
    indicator: 负值
    kind: cumulative
    value: -3
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-14 # 缺少计量单位（unit）
    chapter: 一
    indicator: 无单位
    kind: cumulative
    value: 1
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-15 # 计量单位 "斤" 不在已知单位表中
    chapter: 一
    indicator: 怪单位
    kind: cumulative
    value: 1
    unit: 斤
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-16 # 增长率类指标的单位应为 %，现为 "个"
    chapter: 一
    indicator: 增长用个
    kind: growth
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-17 # 控制上限类指标的比较方式应为 <= 或 ~
    chapter: 一
    indicator: 上限用大于
    kind: ceiling
    value: 1
    unit: "%"
    comparator: ">="
    lead: FGW
    quote: 原文一
  - id: B-18 # 比较方式 <= 只适用于控制上限
    chapter: 一
    indicator: 累计用小于
    kind: cumulative
    value: 1
    unit: 个
    comparator: "<="
    lead: FGW
    quote: 原文一
  - id: B-19 # 比较方式（comparator）"" 无法识别
    chapter: 一
    indicator: 无比较
    kind: cumulative
    value: 1
    unit: 个
    lead: FGW
    quote: 原文一
  - id: B-20 # 原文为“左右”，比较方式应为 ~
    chapter: 一
    indicator: 左右不符
    kind: level
    value: 1
    unit: "%"
    comparator: ">="
    qualifiers: [左右]
    lead: FGW
    quote: 原文一
  - id: B-21 # 基数年份 2025 应早于计划年度
    chapter: 一
    indicator: 基数太新
    kind: level
    value: 1
    unit: "%"
    comparator: ">="
    baseline: {value: 0.5, year: 2025}
    lead: FGW
    quote: 原文一
  - id: B-22 # 进度安排（schedule）Q9: 0.5 不合理
    chapter: 一
    indicator: 进度键错
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    schedule: {Q9: 0.5}
    lead: FGW
    quote: 原文一
  - id: B-23 # 进度安排（schedule）H1: 1.5 不合理
    chapter: 一
    indicator: 进度值错
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    schedule: {H1: 1.5}
    lead: FGW
    quote: 原文一
  - id: B-24 # 缺少原文依据（quote）
    chapter: 一
    indicator: 无原文
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
  - id: B-25 # 原文依据（quote）在计划原文中找不到
    chapter: 一
    indicator: 原文不符
    kind: cumulative
    value: 1
    unit: 个
    comparator: ">="
    lead: FGW
    quote: 计划里没有这句话
`

func TestCheckFindsEachProblemWithItsLine(t *testing.T) {
	fsys := fstest.MapFS{"plan.yaml": {Data: []byte(badYAML)}, "plan.txt": {Data: []byte("原文一")}}
	p, lines, err := Load(fsys, "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	probs := Check(p, lines)
	// Each target's expected problem, from the comment on its id line.
	type want struct {
		line int
		msg  string
	}
	wants := map[string]want{}
	for i, l := range strings.Split(badYAML, "\n") {
		if rest, ok := strings.CutPrefix(l, "  - id: "); ok {
			id, msg, _ := strings.Cut(rest, " # ")
			if id != "B-01" {
				wants[id] = want{i + 1, msg}
			}
		}
	}
	for id, w := range wants {
		found := false
		for _, pr := range probs {
			if pr.Target == id && strings.Contains(pr.Message, w.msg) {
				found = true
				if pr.Line != w.line {
					t.Errorf("%s: line = %d; want %d", id, pr.Line, w.line)
				}
				if s := pr.String(); !strings.HasPrefix(s, "第 ") || !strings.Contains(s, "指标 "+id) {
					t.Errorf("%s: String() = %q; want 第 N 行，指标 %s：…", id, s, id)
				}
			}
		}
		if !found {
			t.Errorf("%s: no problem containing %q in %v", id, w.msg, forTarget(probs, id))
		}
	}
	for _, pr := range forTarget(probs, "B-01") {
		t.Errorf("B-01 is sound; got problem %s", pr)
	}
	// Plan-level problems have no target and no line.
	for _, msg := range []string{
		"缺少计划编号（id）", "缺少计划标题（title）", "计划年度（year）应为四位年份，现为 25", "判定阈值（thresholds）不合理",
		`部门代码 "fgw" 应由大写字母`, "部门代码 FGW 重复", "部门 SWJ 缺少全称（name）或简称（short）",
	} {
		found := false
		for _, pr := range forTarget(probs, "") {
			found = found || strings.Contains(pr.Message, msg)
		}
		if !found {
			t.Errorf("no plan-level problem containing %q in %v", msg, forTarget(probs, ""))
		}
	}
	// Problems come in file order.
	for i := 1; i < len(probs); i++ {
		if probs[i].Line < probs[i-1].Line {
			t.Errorf("problem %d (line %d) after line %d; want file order", i, probs[i].Line, probs[i-1].Line)
		}
	}
}

func TestCheckPlanLevel(t *testing.T) {
	p := &Plan{ID: "x", Title: "x", Year: 2025, Thresholds: DefaultThresholds, Source: "gone.txt"}
	probs := Check(p, nil)
	for _, msg := range []string{`找不到计划原文（source: "gone.txt"）`, "计划中没有任何指标"} {
		found := false
		for _, pr := range probs {
			found = found || strings.Contains(pr.Message, msg)
		}
		if !found {
			t.Errorf("no problem containing %q in %v", msg, probs)
		}
	}
	dup := &Plan{ID: "x", Title: "x", Year: 2025, Thresholds: DefaultThresholds, Text: "原文",
		Depts: []Department{{Code: "FGW", Name: "n", Short: "s"}},
		Targets: []Target{
			{ID: "M-1", Chapter: "c", Indicator: "i", Kind: Milestone, Lead: "FGW", Quote: "原文"},
			{ID: "M-1", Chapter: "c", Indicator: "j", Kind: Milestone, Lead: "FGW", Quote: "原文"},
			{Chapter: "c", Indicator: "无编号", Kind: Milestone, Lead: "FGW", Quote: "原文"},
		}}
	probs = Check(dup, nil)
	msgs := []string{}
	for _, pr := range probs {
		msgs = append(msgs, pr.String())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"指标 M-1：编号重复", "有指标缺少编号（id）：指标“无编号”"} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems:\n%s\nwant one containing %q", joined, want)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Target: "1-03", Line: 12, Message: "缺少单位"}, "第 12 行，指标 1-03：缺少单位"},
		{Problem{Target: "1-03", Message: "缺少单位"}, "指标 1-03：缺少单位"},
		{Problem{Line: 3, Message: "缺少标题"}, "第 3 行：缺少标题"},
		{Problem{Message: "缺少标题"}, "缺少标题"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func forTarget(probs []Problem, id string) []Problem {
	var out []Problem
	for _, p := range probs {
		if p.Target == id {
			out = append(out, p)
		}
	}
	return out
}

func TestParseJSON(t *testing.T) {
	yml := []byte("id: x\ntitle: 测试计划\nyear: 2025\nsource: plan.txt\ndepartments:\n  - {code: FGW, name: 发展和改革委员会, short: 发改委}\ntargets:\n  - {id: A-1, chapter: 一, task: 任务, indicator: 指标, kind: cumulative, value: 430, unit: 个, comparator: \">=\", qualifiers: [力争], baseline: {value: 432, year: 2024}, schedule: {Q1: 0.1}, lead: FGW, quote: 力争430个}\n")
	want, _, err := Parse(yml)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, lines, err := Parse(append([]byte("\n "), data...))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON registry = %+v; want %+v", got, want)
	}
	if len(lines) != 0 {
		t.Errorf("lines = %v; want none for JSON", lines)
	}
	for _, bad := range []string{`{"id": "x",}`, `{"targets": [{"value": "many"}]}`, `{"unknown": 1}`} {
		if _, _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "JSON") {
			t.Errorf("Parse(%s) error = %v; want a JSON error", bad, err)
		}
	}
}

func TestKnownUnit(t *testing.T) {
	for u, want := range map[string]bool{
		"%": true, "万家": true, "万亿元": true, "亿千瓦时": true, "万标准箱": true, "亿立方米": true,
		"亿人次": true, "公顷": true, "‰": true, "万名": true, "万辆": true, "千吨": true,
		"万%": false, "亿年": false, "万倍": false, "万万人": false, "斤": false, "": false, "万": false,
	} {
		if got := KnownUnit(u); got != want {
			t.Errorf("KnownUnit(%q) = %v; want %v", u, got, want)
		}
	}
}

// TestLinesOfTheEmbeddedPlan: a syntax error deep in a real registry, and a
// second target of one id, are reported at their own lines.
func TestLinesOfTheEmbeddedPlan(t *testing.T) {
	data, err := os.ReadFile("../seeds/zibo-2025/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("../seeds/zibo-2025/plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var ids []int // lines (0-based) of "  - id: …"
	for i, l := range lines {
		if strings.HasPrefix(l, "  - id: ") {
			ids = append(ids, i)
		}
	}
	if len(ids) < 60 {
		t.Fatalf("%d targets in the embedded plan", len(ids))
	}
	// A line of the 50th target indented too little: yaml blames the
	// targets list's first line; the line to fix is the bad one.
	at := ids[50] + 2
	bad := append(append(append([]string(nil), lines[:at]...), " oops: 1"), lines[at:]...)
	_, _, err = Parse([]byte(strings.Join(bad, "\n")))
	if want := fmt.Sprintf("第 %d 行", at+1); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("syntax error: %v; want it at %s", err, want)
	}
	// The 60th target takes the 59th's id: the duplicate is reported at the 60th's line.
	prev := strings.TrimPrefix(lines[ids[58]], "  - id: ")
	dup := append([]string(nil), lines...)
	dup[ids[59]] = "  - id: " + prev
	fsys := fstest.MapFS{"plan.yaml": {Data: []byte(strings.Join(dup, "\n"))}, "plan.txt": {Data: text}}
	p, ln, err := Load(fsys, "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, pr := range Check(p, ln) {
		if strings.Contains(pr.Message, "编号重复") {
			found = true
			if pr.Line != ids[59]+1 {
				t.Errorf("duplicate id at line %d; want %d (the second target's)", pr.Line, ids[59]+1)
			}
		}
	}
	if !found {
		t.Error("no duplicate id reported")
	}
}
