package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
	"planrep/templates"
)

func TestTemplatesFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *TemplatesOptions
	c := NewCmdTemplates(g, func(o *TemplatesOptions) error { got = o; return nil })
	c.SetArgs([]string{"--period", "2025Q3", "-o", "out", "--dept", "SWJ,gxj", "--deadline", "2025-10-12", "--contact", "计划科 0533-1"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Period != "2025Q3" || got.Out != "out" || strings.Join(got.Depts, ",") != "SWJ,gxj" || got.Deadline != "2025-10-12" || got.Contact != "计划科 0533-1" {
		t.Errorf("options %+v", got)
	}
}

func TestTemplatesWritesEveryLeadDepartment(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"templates", "--period", "2025Q3", "-o", dir}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	leads := p.LeadDepts()
	for _, want := range []string{"已生成", "2025年前三季度", "截止 2025-10-10", templates.RosterFile, "合计"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	for _, d := range leads {
		name := templates.FileName(plan.MustPeriod("2025Q3"), d)
		if !strings.Contains(out.String(), name) {
			t.Errorf("output does not list %s", name)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		st, err := templates.ReadStamp(f)
		if err != nil || st.Dept != d.Code || st.Deadline != "2025-10-10" || st.Generated != "2025-10-15T09:00:00Z" {
			t.Errorf("%s: stamp %+v, %v", name, st, err)
		}
		guide := mustGet(f.GetRows(templates.SheetGuide))
		if !strings.Contains(strings.Join(flatten(guide), " "), p.Planner) {
			t.Errorf("%s: guide does not name the contact %s", name, p.Planner)
		}
		f.Close()
	}
	if _, err := os.Stat(filepath.Join(dir, templates.RosterFile)); err != nil {
		t.Error(err)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestTemplatesDefaultFolderAndChosenDepartments(t *testing.T) {
	t.Chdir(t.TempDir())
	g, out, errOut := testGlobals()
	args := []string{"templates", "--period", "2025H1", "--dept", "swj", "--deadline", "2025-07-08", "--contact", "计划科 0533-3180000"}
	if code := Run(g, args); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join("templates-2025H1", "*.xlsx"))
	if len(files) != 2 {
		t.Fatalf("files %v; want one template and the roster", files)
	}
	if !strings.Contains(out.String(), "2025H1_市商务局_SWJ.xlsx") || !strings.Contains(out.String(), "计划科 0533-3180000") {
		t.Errorf("output:\n%s", out)
	}
	f, err := excelize.OpenFile(filepath.Join("templates-2025H1", "2025H1_市商务局_SWJ.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if st, _ := templates.ReadStamp(f); st.Deadline != "2025-07-08" || st.Period.String() != "2025H1" {
		t.Errorf("stamp %+v", st)
	}
}

func TestTemplatesErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"templates"}, []string{"--period"}},
		{[]string{"templates", "--period", "2025Q5"}, []string{"无法识别"}},
		{[]string{"templates", "--period", "2024Q3"}, []string{"不在计划年度"}},
		{[]string{"templates", "--period", "2025Q3", "--dept", "SWJ,XYZ"}, []string{"没有“XYZ”这个单位，最接近的是", "planrep plan show 列出全部单位"}},
		{[]string{"templates", "--period", "2025Q3", "--deadline", "10/10"}, []string{"截止日期", "2025-10-10"}},
		{[]string{"templates", "--period", "2025Q3", "--deadline", "2025-09-01"}, []string{"早于报告期结束"}},
	} {
		g, out, errOut := testGlobals()
		code := Run(g, append(c.args, "-o", dir))
		if code != ExitError {
			t.Errorf("%v: exit %d; want %d", c.args, code, ExitError)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%v: stderr %q does not say %q", c.args, errOut, w)
			}
		}
		if out.Len() != 0 {
			t.Errorf("%v: printed %q", c.args, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed runs wrote %d files", len(entries))
	}
}

func TestTemplatesUnits(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	per := plan.MustPeriod("2025Q3")
	cases := []struct {
		units         string
		depts, dists  int
		exampleNotice bool
	}{
		{"depts", len(p.LeadDepts()), 0, false},
		{"districts", 0, 11, true},
		{"all", len(p.LeadDepts()), 11, true},
	}
	for _, c := range cases {
		t.Run(c.units, func(t *testing.T) {
			dir := t.TempDir()
			g, out, errOut := testGlobals()
			if code := Run(g, []string{"templates", "--period", "2025Q3", "--units", c.units, "-o", dir}); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != c.depts+c.dists+1 {
				t.Errorf("%d files; want %d templates and the roster", len(entries), c.depts+c.dists)
			}
			for _, d := range p.Districts {
				name := templates.FileName(per, d.Unit().Department())
				_, err := os.Stat(filepath.Join(dir, name))
				if (err == nil) != (c.dists > 0) {
					t.Errorf("%s: exists %v; want %v", name, err == nil, c.dists > 0)
				}
				if c.dists > 0 && !strings.Contains(out.String(), "区县  ZHANGDIAN") && d.Code == "ZHANGDIAN" {
					t.Errorf("output does not list 张店区 as a 区县:\n%s", out)
				}
			}
			if got := strings.Contains(errOut.String(), "分解任务为示例"); got != c.exampleNotice {
				t.Errorf("示例 notice %v; want %v: %s", got, c.exampleNotice, errOut)
			}
		})
	}
	g, out, errOut := testGlobals()
	dir := t.TempDir()
	if code := Run(g, []string{"templates", "--period", "2025Q3", "--dept", "zhangdian,SWJ", "-o", dir}); code != ExitOK {
		t.Fatalf("--dept of both kinds: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "2025Q3_张店区_ZHANGDIAN.xlsx") || !strings.Contains(out.String(), "2025Q3_市商务局_SWJ.xlsx") {
		t.Errorf("--dept zhangdian,SWJ: %s", out)
	}
	g, _, errOut = testGlobals()
	if code := Run(g, []string{"templates", "--period", "2025Q3", "--units", "towns"}); code != ExitError {
		t.Errorf("--units towns: exit %d; want %d", code, ExitError)
	}
	if !strings.Contains(errOut.String(), "depts（牵头部门）、districts（区县）或 all") {
		t.Errorf("--units towns: %s", errOut)
	}
}
