package cmd

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/seeds"
	"planrep/store"
)

// writePlanFile writes p as a registry file (JSON, which is also YAML) with
// the plan text beside it, and returns its path.
func writePlanFile(t *testing.T, dir string, p *plan.Plan, extra string) string {
	t.Helper()
	must(os.MkdirAll(dir, 0o755))
	b, err := json.Marshal(p)
	must(err)
	path := filepath.Join(dir, "plan.yaml")
	mustWrite(t, path, append(b, extra...))
	mustWrite(t, filepath.Join(dir, p.Source), mustGet(fs.ReadFile(seeds.FS(), "zibo-2025/"+p.Source)))
	return path
}

// TestHistoryWithoutParsing: once a collect has recorded the registry
// file, the history commands answer from the store without parsing it, and
// say exactly what they say after parsing it; a file changed since is
// parsed again.
func TestHistoryWithoutParsing(t *testing.T) {
	t.Parallel()
	base := defaultPlan(t)
	// Targets of several kinds: a cumulative one with a schedule of its own,
	// a growth rate, a milestone, and one whose department never reports.
	var cum, growth, milestone, silent *plan.Target
	for i := range base.Targets {
		if tg := &base.Targets[i]; cum == nil && tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value >= 10 {
			cum = tg
		}
	}
	for i := range base.Targets {
		if tg := &base.Targets[i]; growth == nil && cum != nil && tg.Kind == plan.Growth && tg.Value != nil && tg.Lead != cum.Lead {
			growth = tg
		}
	}
	if cum == nil || growth == nil {
		t.Fatal("the default plan has no cumulative or growth target to follow")
	}
	cum.Schedule = map[string]float64{"H1": 0.4, "Q3": 0.6}
	for i := range base.Targets {
		tg := &base.Targets[i]
		switch {
		case milestone == nil && tg.Kind == plan.Milestone && (tg.Lead == cum.Lead || tg.Lead == growth.Lead):
			milestone = tg
		case silent == nil && tg.Kind.Quantitative() && tg.Lead != cum.Lead && tg.Lead != growth.Lead:
			silent = tg
		}
	}
	if milestone == nil || silent == nil {
		t.Fatal("the default plan has no milestone of the reporting departments or no other department's target")
	}
	tmp := t.TempDir()
	planPath := writePlanFile(t, filepath.Join(tmp, "登记表"), base, "")
	p, _, err := plan.Load(os.DirFS(filepath.Dir(planPath)), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if problems := plan.Check(p, nil); len(problems) > 0 {
		t.Fatalf("the test's registry is unsound: %v", problems)
	}
	// A registry file is older than a moment when collected: its status on
	// disk then identifies it (see store.ReadPlanFile).
	time.Sleep(2100 * time.Millisecond)
	db := filepath.Join(tmp, "planrep.db")
	run := func(planFile string, want int, args ...string) (string, int) {
		t.Helper()
		g, stdout, stderr := testGlobals()
		g.DBFile = db
		if code := Run(g, append([]string{"--plan", planFile}, args...)); code != want {
			t.Fatalf("%v: exit %d; want %d\n%s%s", args, code, want, stdout, stderr)
		}
		return stdout.String(), g.plansParsed
	}
	for _, c := range []struct {
		period, filled string
	}{{"2025H1", "2025-07-05"}, {"2025Q3", "2025-10-08"}} {
		per := plan.MustPeriod(c.period)
		in := filepath.Join(tmp, c.period)
		must(os.MkdirAll(in, 0o755))
		for _, code := range []string{cum.Lead, growth.Lead} {
			d, _ := p.Dept(code)
			writeReturn(t, in, p, d, per, c.filled, onSchedule(per))
		}
		if _, parsed := run(planPath, ExitProblems, "collect", "-o", filepath.Join(tmp, "汇总", c.period), in); parsed != 1 {
			t.Fatalf("collect parsed the registry %d times", parsed)
		}
	}

	st := mustGet(store.Open(db, store.Options{}))
	var stat string
	must(st.DB().QueryRow(`SELECT stat FROM plan_files`).Scan(&stat))
	must(st.Close())
	if stat != store.PlanFileStat(planPath) || (runtime.GOOS == "linux" && stat == "") {
		t.Fatalf("the plan file was recorded with status %q; it is %q", stat, store.PlanFileStat(planPath))
	}

	d, _ := p.Dept(cum.Lead)
	queries := [][]string{{"history"}, {"history", "--json"}, {"history", "dept", d.Code}, {"history", "dept", d.Short, "--json"}}
	for _, tg := range []*plan.Target{cum, growth, milestone, silent} {
		queries = append(queries, []string{"history", "target", tg.ID}, []string{"history", "target", tg.ID, "--json"})
	}
	fast := map[string]string{}
	for _, q := range queries {
		out, parsed := run(planPath, ExitOK, q...)
		if parsed != 0 {
			t.Errorf("%v parsed the registry the store knows", q)
		}
		fast[strings.Join(q, " ")] = out
	}
	// What the store answered is what the parsed registry says.
	out := fast["history target "+cum.ID]
	for _, want := range []string{cum.ID + " " + cum.Indicator + "（累计量）", "年度目标：" + cum.TargetText(), "牵头部门：" + d.Short + "（" + d.Code + "）",
		"2025年上半年", "40%", "60%", plan.FormatNumber(*cum.Value*0.75) + cum.Unit} {
		if !strings.Contains(out, want) {
			t.Errorf("history target %s lacks %q:\n%s", cum.ID, want, out)
		}
	}
	var ty TargetYear
	must(json.Unmarshal([]byte(fast["history target "+milestone.ID+" --json"]), &ty))
	if ty.Kind != plan.Milestone || len(ty.Periods) != 2 || ty.Periods[1].Point == nil || ty.Periods[1].Point.Milestone != plan.MilestoneDone {
		t.Errorf("history target %s --json = %+v", milestone.ID, ty)
	}
	var none TargetYear
	must(json.Unmarshal([]byte(fast["history target "+silent.ID+" --json"]), &none))
	if len(none.Periods) != 2 || none.Periods[0].Point != nil || none.Periods[1].Point != nil {
		t.Errorf("history target %s --json = %+v; want two periods without a value", silent.ID, none)
	}

	// The same bytes under another name (another inode): known by their
	// SHA-256, not their status.
	copyPath := writePlanFile(t, filepath.Join(tmp, "副本"), base, "")
	// A file that parses to the same registry but is not the recorded one:
	// the slow path, parsing it.
	otherPath := writePlanFile(t, filepath.Join(tmp, "重排"), base, "\n")
	for _, c := range []struct {
		path   string
		parsed int
	}{{copyPath, 0}, {otherPath, 1}} {
		for _, q := range queries {
			out, parsed := run(c.path, ExitOK, q...)
			if parsed != c.parsed {
				t.Errorf("%v with %s parsed the registry %d times; want %d", q, c.path, parsed, c.parsed)
			}
			if key := strings.Join(q, " "); out != fast[key] {
				t.Errorf("%v with %s differs from the answer without parsing:\n%s\nwithout parsing:\n%s", q, c.path, out, fast[key])
			}
		}
	}

	// The recorded file changed in place after the collect, to the same size:
	// history parses it and tells the new target.
	changed := *base
	changed.Targets = append([]plan.Target(nil), base.Targets...)
	old := mustGet(os.ReadFile(planPath))
	var k int
	for k = range changed.Targets {
		if changed.Targets[k].ID == cum.ID {
			break
		}
	}
	v := *cum.Value
	var now []byte
	for _, w := range []float64{v + 1, v - 1, v + 2, v * 2, v / 2} {
		changed.Targets[k].Value = &w
		now = mustGet(json.Marshal(&changed))
		if len(now) == len(old) {
			break
		}
	}
	if len(now) != len(old) {
		t.Fatalf("no value of %s keeps the file's size", cum.ID)
	}
	mustWrite(t, planPath, now)
	out, parsed := run(planPath, ExitOK, "history", "target", cum.ID)
	if parsed != 1 {
		t.Errorf("history target parsed a changed registry %d times; want 1", parsed)
	}
	if !strings.Contains(out, "年度目标："+changed.Targets[k].TargetText()+"\n") || strings.Contains(out, "年度目标："+cum.TargetText()+"\n") {
		t.Errorf("after the registry changed to %s, history target says:\n%s", changed.Targets[k].TargetText(), out)
	}
}
