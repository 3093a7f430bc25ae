package cmd

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/store"
)

// run runs planrep in the working folder and returns what it printed; it
// fails the test when the exit code is not want. Unlike testGlobals it names
// no store: in a workspace, the workspace's own is used (see inWorkspaceTest).
func run(t *testing.T, want int, args ...string) (string, string) {
	t.Helper()
	io, out, errOut := Test()
	g := &Globals{IO: io, Now: func() time.Time { return time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC) }}
	if code := Run(g, args); code != want {
		t.Fatalf("planrep %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out.String(), errOut.String()
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, got)
		}
	}
}

func TestInitMakesAWorkspaceAndNeverOverwritesIt(t *testing.T) {
	dir := inWorkspaceTest(t)
	out, _ := run(t, ExitOK, "init", "办公室", "--office", "淄博市发展和改革委员会", "--contact", "计划科 0533-1234567")
	mustContain(t, "init", out, "已创建工作区 办公室/", "cd 办公室", "planrep templates --period 2025Q3", GuideFile)
	root := filepath.Join(dir, "办公室")
	for _, d := range []string{DirTemplates, DirInbox, DirCollected, DirReports} {
		if !isDir(filepath.Join(root, d)) {
			t.Errorf("init did not make %s/", d)
		}
	}
	ws, err := LoadWorkspace(root)
	if err != nil {
		t.Fatal(err)
	}
	s := ws.Settings
	if s.Plan != "" || s.Store != "planrep.db" || s.Office.Name != "淄博市发展和改革委员会" || s.Office.Contact != "计划科 0533-1234567" || s.Deadline.DaysAfter != 10 {
		t.Errorf("settings %+v", s)
	}
	guide, err := os.ReadFile(filepath.Join(root, GuideFile))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, GuideFile, string(guide), "《淄博市2025年国民经济和社会发展计划》", "planrep templates --period 2025Q3",
		"把文件放进 收件箱/，运行 planrep collect", "planrep status", "planrep report", "2025Q1–2025Q4")

	// A second init changes nothing, whether it names the folder or runs in it.
	before := mustGet(os.ReadFile(ws.File()))
	_, errOut := run(t, ExitError, "init", "办公室", "--office", "别的单位")
	mustContain(t, "second init", errOut, "已是 planrep 工作区", "未作任何改动")
	t.Chdir(filepath.Join(root, DirInbox))
	run(t, ExitError, "init", "..")
	after := mustGet(os.ReadFile(ws.File()))
	if string(before) != string(after) {
		t.Errorf("a second init rewrote %s", SettingsFile)
	}
	// A folder holding a file init would write is refused before anything is made.
	other := filepath.Join(dir, "其他")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, GuideFile), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut = run(t, ExitError, "init", other)
	mustContain(t, "init over a file", errOut, "已有 "+GuideFile, "未作任何改动")
	if fileExists(filepath.Join(other, SettingsFile)) || isDir(filepath.Join(other, DirInbox)) {
		t.Error("init wrote into a folder it refused")
	}
}

func TestConfigShowsEachSettingsSource(t *testing.T) {
	seed, err := filepath.Abs("../seeds/zibo-2025/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := inWorkspaceTest(t)
	out, _ := run(t, ExitOK, "config")
	mustContain(t, "config outside", out, "不在工作区中", "内置计划", "默认值", "报告期结束后第 10 天")

	run(t, ExitOK, "init")
	settings := filepath.Join(dir, SettingsFile)
	data, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "days_after_period: 10", "days_after_period: 15", 1))
	if err := os.WriteFile(settings, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLANREP_CONTACT", "计划科 王五 0533-7654321")
	t.Setenv("PLANREP_DB", "别处.db")
	t.Chdir(filepath.Join(dir, DirCollected)) // found by walking up
	out, _ = run(t, ExitOK, "--plan", seed, "config")
	mustContain(t, "config", out, "工作区："+dir,
		"命令行选项 --plan", "数据库        别处.db", "环境变量 PLANREP_DB",
		"联系方式      计划科 王五 0533-7654321", "环境变量 PLANREP_CONTACT",
		"报送截止      报告期结束后第 15 天", "工作区设置 ../planrep.yaml",
		"模板文件夹    ../模板/<报告期>/")

	// templates follows the rule and the contact, and writes into 模板/<period>/.
	out, _ = run(t, ExitOK, "templates", "--period", "2025Q3", "--dept", "SWJ")
	mustContain(t, "templates", out, "截止 2025-10-15", "../模板/2025Q3/", "联系方式：计划科 王五 0533-7654321")
	if !fileExists(filepath.Join(dir, DirTemplates, "2025Q3", "2025Q3_市商务局_SWJ.xlsx")) {
		t.Error("templates did not write into 模板/2025Q3/")
	}
}

func TestBadSettingsSayWhere(t *testing.T) {
	inWorkspaceTest(t)
	if err := os.WriteFile(SettingsFile, []byte("plan: \"\"\ndeadlines: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut := run(t, ExitError, "plan", "show")
	mustContain(t, "bad settings", errOut, "planrep.yaml 有误", "第 2 行", `"deadlines"`)
}

func TestUnitsByCodeShortOrFullName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"templates", "--period", "2025Q3", "-o", dir, "--dept", "swj,工业和信息化,淄博市财政局"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mustContain(t, "templates --dept", errOut.String(), "选定的单位：市商务局（SWJ）、“工业和信息化”→市工业和信息化局（GXJ）、“淄博市财政局”→市财政局（CZJ）")
	mustContain(t, "templates", out.String(), "已生成 3 份填报模板")
	for _, c := range []struct{ dept, want string }{
		{"发改", "没有“发改”这个单位，最接近的是 市发展改革委（FGW）"},
		{"市", "“市”可能是"},
		{"XYZ", "没有“XYZ”这个单位"},
	} {
		g, _, errOut := testGlobals()
		if code := Run(g, []string{"templates", "--period", "2025Q3", "-o", dir, "--dept", c.dept}); code != ExitError {
			t.Errorf("--dept %s: exit %d", c.dept, code)
		}
		mustContain(t, "--dept "+c.dept, errOut.String(), c.want, "单位可以写代码、简称或全称")
	}
}

func TestHelpNamesWhatEachValueIs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"templates", "--help"}, []string{"--period 期别", "-o, --output 文件夹", "--dept 单位", "--deadline 日期", "--plan 文件", "--db 文件"}},
		{[]string{"collect", "--help"}, []string{"--previous 文件", "--period 期别"}},
		{[]string{"extract", "--help"}, []string{"-o, --output 文件", "--xlsx 文件", "--year 年份"}},
		{[]string{"init", "--help"}, []string{"--from 文件", "init [文件夹]"}},
		{[]string{"report", "--help"}, []string{"--round 文件", "--font 文件"}},
	} {
		g, out, _ := testGlobals()
		if code := Run(g, c.args); code != ExitOK {
			t.Fatalf("%v: exit %d", c.args, code)
		}
		mustContain(t, strings.Join(c.args, " "), out.String(), c.wants...)
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"__complete", "templates", "--period", ""}, []string{"2025Q1\t2025年一季度", "2025H1\t2025年上半年", "2025M09\t2025年1-9月", "2025\t2025年全年"}},
		{[]string{"__complete", "templates", "--dept", "SWJ,"}, []string{"SWJ,GXJ\t市工业和信息化局", "SWJ,市商务局\tSWJ"}},
		{[]string{"__complete", "collect", ""}, []string{"xlsx\nzip\n:8"}},
		{[]string{"__complete", "extract", ""}, []string{"txt\ndocx\n:8"}},
		{[]string{"__complete", "--plan", ""}, []string{"yaml\nyml\njson\n:8"}},
		{[]string{"__complete", "report", "--round", ""}, []string{"json\n:8"}},
		{[]string{"__complete", "init", ""}, []string{":16"}},
		{[]string{"__complete", "completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"completion", "bash"}, []string{"# bash completion V2 for planrep"}},
		{[]string{"completion", "zsh"}, []string{"#compdef planrep"}},
		{[]string{"completion", "fish"}, []string{"complete -c planrep"}},
		{[]string{"completion", "powershell"}, []string{"Register-ArgumentCompleter"}},
	} {
		g, out, errOut := testGlobals()
		if code := Run(g, c.args); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		mustContain(t, strings.Join(c.args, " "), out.String(), c.wants...)
	}
	g, _, errOut := testGlobals()
	if code := Run(g, []string{"completion"}); code != ExitError || !strings.Contains(errOut.String(), "请指定 shell：bash、zsh、fish 或 powershell") {
		t.Errorf("completion with no shell: exit %d, %s", code, errOut)
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "953a44ffc477b09eddf0100ae9f077588dacdc11"},
		{Key: "vcs.time", Value: "2025-10-15T09:30:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}})
	want := "planrep v1.2.0\n提交：953a44ffc477b09eddf0100ae9f077588dacdc11（构建时有未提交的改动）\n提交日期：2025-10-15 09:30:00 UTC\nGo 版本：1.26.8\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}})
	mustContain(t, "version of go run", b.String(), "开发版", "提交：未记录")
}

// TestStatusNamesReturnsFromTheDesk: an upload the office returned from its
// desk (planrep review return) stands in status until the unit uploads again.
func TestStatusNamesReturnsFromTheDesk(t *testing.T) {
	inWorkspaceTest(t)
	run(t, ExitOK, "init")
	run(t, ExitOK, "templates", "--period", "2025Q3", "--dept", "SWJ")
	p, _, err := (&Globals{}).LoadPlan()
	if err != nil {
		t.Fatal(err)
	}
	db, err := (&Globals{}).OpenStore(false)
	if err != nil {
		t.Fatal(err)
	}
	sub := &store.Submission{Period: "2025Q3", Unit: "SWJ", At: time.Date(2025, 10, 8, 10, 0, 0, 0, time.UTC), Name: "商务局.xlsx", Size: 4, SHA256: "ab12", Verdict: plan.Accepted}
	if err := db.Intake(p.ID).AddSubmission(sub, []byte("xlsx")); err != nil {
		t.Fatal(err)
	}
	must(db.Close())
	out, errOut := run(t, ExitOK, "review", "return", "商务局", "--period", "2025Q3", "--reason", "外贸进出口总额单位应为亿元")
	mustContain(t, "review return", out+errOut, "“商务局”按名称的一部分识别为 市商务局（SWJ）")
	out, _ = run(t, ExitOK, "status")
	mustContain(t, "status", out, "已退回、尚未重新报送（1 个单位）", "市商务局：网上报送被退回，原因：外贸进出口总额单位应为亿元")
}

// inWorkspaceTest moves the test into a fresh folder and lifts the test
// binary's PLANREP_DB, so that a workspace's own store is the one used.
func inWorkspaceTest(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("PLANREP_DB", "")
	return dir
}

func TestInitFromATextWithoutAPlanLeavesNothing(t *testing.T) {
	dir := inWorkspaceTest(t)
	if err := os.WriteFile("通知.txt", []byte("关于做好节日期间安全生产工作的通知\n各单位要加强值班值守。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut := run(t, ExitError, "init", "新工作区", "--from", "通知.txt")
	mustContain(t, "init --from a notice", errOut, "无法从文本中判断计划年度")
	if _, err := os.Stat(filepath.Join(dir, "新工作区")); !os.IsNotExist(err) {
		t.Errorf("a failed init --from left 新工作区/ behind (%v)", err)
	}
	_, errOut = run(t, ExitError, "init", "--from", "没有这个文件.docx")
	mustContain(t, "init --from a missing file", errOut, "无法读取计划原文 没有这个文件.docx")
	if fileExists(SettingsFile) || isDir(DirPlan) {
		t.Error("a failed init wrote into the working folder")
	}
}

func TestEveryPeriodErrorListsTheForms(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"templates"},
		{"templates", "--period", "2025Q5"},
		{"templates", "--period", "2024Q3"},
		{"collect", "--period", "2025年三季度", "-o", t.TempDir(), t.TempDir()},
		{"simulate", "-o", t.TempDir()},
		{"serve"},
		{"review", "list"},
	} {
		g, _, errOut := testGlobals()
		if code := Run(g, args); code != ExitError {
			t.Errorf("%v: exit %d", args, code)
		}
		mustContain(t, strings.Join(args, " "), errOut.String(), "2025Q1–2025Q4", "2025H1 / 2025H2", "2025M01–2025M12", "2025（全年）", "例如 2025Q3")
	}
}
