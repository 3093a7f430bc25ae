package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"planrep/plan"
)

// unsoundPlan writes the default registry, spoilt by spoil, beside its
// text, and gives its path and plan check's messages about it.
func unsoundPlan(t *testing.T, spoil func(p *plan.Plan)) (string, []string) {
	t.Helper()
	p := defaultPlan(t)
	q := *p
	q.Targets = append([]plan.Target(nil), p.Targets...)
	spoil(&q)
	data, err := plan.Marshal(&q)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "plan.yaml"), data)
	mustWrite(t, filepath.Join(dir, q.Source), []byte(p.Text))
	loaded, lines, err := plan.Load(os.DirFS(dir), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, pr := range plan.Check(loaded, lines) {
		msgs = append(msgs, pr.String())
	}
	if len(msgs) == 0 {
		t.Fatal("the spoilt registry passes plan check")
	}
	return filepath.Join(dir, "plan.yaml"), msgs
}

// TestUnsoundRegistryRefused: templates, simulate, collect, report and demo
// run plan check first and refuse a registry with problems (exit 2, plan
// check's messages, nothing written). A duplicated id would make two rows
// with one number and one value read into both targets; an unknown lead
// department would make a target vanish from every template.
func TestUnsoundRegistryRefused(t *testing.T) {
	dup, dupMsgs := unsoundPlan(t, func(p *plan.Plan) { p.Targets[1].ID = p.Targets[0].ID })
	lead, leadMsgs := unsoundPlan(t, func(p *plan.Plan) { p.Targets[2].Lead = "NOPE" })
	if !strings.Contains(strings.Join(dupMsgs, "\n"), "编号重复") || !strings.Contains(strings.Join(leadMsgs, "\n"), "NOPE") {
		t.Fatalf("plan check does not see the faults: %v %v", dupMsgs, leadMsgs)
	}
	inbox := t.TempDir()
	for _, reg := range []struct {
		name, path string
		msgs       []string
	}{{"duplicate id", dup, dupMsgs}, {"unknown lead", lead, leadMsgs}} {
		for _, cmd := range []string{"templates", "simulate", "collect", "report", "demo"} {
			t.Run(reg.name+" "+cmd, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				args := map[string][]string{
					"templates": {"templates", "--period", "2025Q3", "-o", out},
					"simulate":  {"simulate", "--period", "2025Q3", "-o", out},
					"collect":   {"collect", "-o", out, inbox},
					"report":    {"report", "-o", out, inbox},
					"demo":      {"demo", "-o", out},
				}[cmd]
				g, stdout, stderr := testGlobals()
				if code := Run(g, append([]string{"--plan", reg.path}, args...)); code != ExitError {
					t.Fatalf("exit %d; want 2\n%s%s", code, stdout, stderr)
				}
				for _, m := range reg.msgs {
					if !strings.Contains(stderr.String(), m) {
						t.Errorf("stderr lacks plan check's %q:\n%s", m, stderr)
					}
				}
				if !strings.Contains(stderr.String(), "plan check") {
					t.Errorf("stderr does not say how to check: %s", stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s wrote %s for a registry it refused", cmd, out)
				}
			})
		}
	}
}

// TestErrorsInChinese: a file that is not there or is a folder is described
// in Chinese wherever it reaches the user, never in the system's English.
func TestErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	none := filepath.Join(dir, "没有.json")
	english := regexp.MustCompile(`no such file|is a directory|not a directory|permission denied|open |stat `)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--round", none}, "文件不存在"},
		{[]string{"report", "--round", dir}, "这是一个文件夹"},
		{[]string{"collect", "--previous", none, "-o", filepath.Join(dir, "o"), dir}, "文件不存在"},
		{[]string{"--plan", filepath.Join(dir, "plan.yaml"), "plan", "show"}, "文件不存在"},
		{[]string{"--plan", dir, "plan", "check"}, "是一个文件夹"},
		{[]string{"--plan", filepath.Join(dir, "plan.yaml"), "templates", "--period", "2025Q3", "-o", filepath.Join(dir, "t")}, "文件不存在"},
		{[]string{"report", "--round", none, "--font", filepath.Join(dir, "没有.ttf")}, "无法读取字体文件"},
	} {
		g, stdout, stderr := testGlobals()
		if code := Run(g, tc.args); code != ExitError {
			t.Errorf("%v: exit %d; want 2\n%s%s", tc.args, code, stdout, stderr)
		}
		if msg := stderr.String(); !strings.Contains(msg, tc.want) || english.MatchString(msg) {
			t.Errorf("%v: %q; want Chinese saying %q", tc.args, msg, tc.want)
		}
	}
}
