package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/simulate"
)

func TestSimulateFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *SimulateOptions
	c := NewCmdSimulate(g, func(o *SimulateOptions) error { got = o; return nil })
	c.SetArgs([]string{"--period", "2025Q3", "--templates", "模板", "-o", "模拟", "--seed", "9", "--faults", "0.05", "--missing", "2", "--scale", "10"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	want := SimulateOptions{G: g, Period: "2025Q3", Templates: "模板", Out: "模拟", Seed: 9, Faults: 0.05, Missing: 2, Scale: 10}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("got %+v; want %+v", *got, want)
	}
}

// TestSimulateThenCollect runs the office's commands in order: templates,
// simulate from them, collect; and a scale round collected with its plan.
func TestSimulateThenCollect(t *testing.T) {
	dir := t.TempDir()
	tmpl, sim, out := filepath.Join(dir, "模板"), filepath.Join(dir, "模拟"), filepath.Join(dir, "汇总")
	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"templates", "--period", "2025Q3", "-o", tmpl}); code != ExitOK {
		t.Fatalf("templates: exit %d\n%s%s", code, stdout, stderr)
	}
	g, stdout, stderr = testGlobals()
	if code := Run(g, []string{"simulate", "--templates", tmpl, "-o", sim, "--faults", "0.1", "--missing", "1"}); code != ExitOK {
		t.Fatalf("simulate: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"报告期 2025Q3", "未报送的部门 1 个", "注入填报错误", "simulate.json"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("simulate's output lacks %q:\n%s", want, stdout)
		}
	}
	m, err := simulate.ReadManifest(filepath.Join(sim, simulate.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	g, stdout, _ = testGlobals()
	if code := Run(g, []string{"collect", "-o", out, filepath.Join(sim, simulate.ReturnsDir)}); code != ExitProblems {
		t.Fatalf("collect of returns with mistakes and a missing department: exit %d; want 1\n%s", code, stdout)
	}
	var round plan.Round
	readJSON(t, filepath.Join(out, "round.json"), &round)
	submitted := 0
	for _, d := range round.Departments {
		if d.Submitted {
			submitted++
		}
	}
	if submitted != len(m.Returns) {
		t.Errorf("collect accepted %d returns; simulate made %d", submitted, len(m.Returns))
	}

	// Scale: a synthetic plan beside the returns, collected clean.
	scale := filepath.Join(dir, "规模")
	g, stdout, stderr = testGlobals()
	if code := Run(g, []string{"simulate", "--period", "2025Q3", "--scale", "2", "-o", scale}); code != ExitOK {
		t.Fatalf("simulate --scale: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout.String(), "planrep collect --plan") {
		t.Errorf("simulate --scale does not say how to collect:\n%s", stdout)
	}
	g, stdout, _ = testGlobals()
	out2 := filepath.Join(dir, "规模汇总")
	if code := Run(g, []string{"collect", "--plan", filepath.Join(scale, simulate.PlanName), "-o", out2, filepath.Join(scale, simulate.ReturnsDir)}); code != ExitOK {
		t.Fatalf("collect of a clean scale round: exit %d; want 0\n%s", code, stdout)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

func TestSimulateBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--period", "2025Q3"}, "-o"},
		{[]string{"simulate", "-o", dir}, "--period"},
		{[]string{"simulate", "--period", "2024Q3", "-o", dir}, "计划年度"},
		{[]string{"simulate", "--period", "2025Q3", "-o", dir, "--faults", "2"}, "--faults"},
		{[]string{"simulate", "--period", "2025Q3", "-o", dir, "--missing", "999"}, "--missing"},
		{[]string{"simulate", "--period", "2025Q3", "-o", dir, "--scale", "-1"}, "--scale"},
		{[]string{"simulate", "--period", "2025Q3", "-o", dir, "--scale", "2", "--templates", dir}, "--templates"},
		{[]string{"simulate", "-o", dir, "--templates", filepath.Join(dir, "没有")}, "模板文件夹"},
		{[]string{"simulate", "-o", dir, "--templates", dir}, "没有找到"},
	} {
		g, _, stderr := testGlobals()
		if code := Run(g, c.args); code != ExitError || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message naming %s", c.args, code, stderr, c.want)
		}
	}
}
