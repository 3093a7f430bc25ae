package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs planrep in the working folder and returns what it printed; it
// fails the test when the exit code is not want.
func run(t *testing.T, want int, args ...string) (string, string) {
	t.Helper()
	g, out, errOut := testGlobals()
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
	dir := t.TempDir()
	t.Chdir(dir)
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
	before, _ := os.ReadFile(ws.File())
	_, errOut := run(t, ExitError, "init", "办公室", "--office", "别的单位")
	mustContain(t, "second init", errOut, "已是 planrep 工作区", "未作任何改动")
	t.Chdir(filepath.Join(root, DirInbox))
	run(t, ExitError, "init", "..")
	after, _ := os.ReadFile(ws.File())
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
	dir := t.TempDir()
	t.Chdir(dir)
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
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(SettingsFile, []byte("plan: \"\"\ndeadlines: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut := run(t, ExitError, "plan", "show")
	mustContain(t, "bad settings", errOut, "planrep.yaml 有误", "第 2 行", `"deadlines"`)
}
