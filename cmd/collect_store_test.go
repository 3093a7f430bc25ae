package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/store"
	"planrep/templates"
)

// TestCollectRecordsInStore: collect records the run in the store named by
// --db, and round.json is the same bytes with the store as with --no-db.
func TestCollectRecordsInStore(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	p := writeCollectReturns(t, in, "")
	db := filepath.Join(t.TempDir(), "年度.db")
	outDB, outNo := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")

	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"collect", "--db", db, "-o", outDB, in}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	noDB := testDB()
	g, stdout, stderr = testGlobals()
	g.DBFile = noDB
	if code := Run(g, []string{"collect", "--no-db", "-o", outNo, in}); code != ExitOK {
		t.Fatalf("--no-db: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(noDB); err == nil {
		t.Error("--no-db created a store")
	}
	a, err := os.ReadFile(filepath.Join(outDB, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(outNo, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("round.json differs between a run with the store and one with --no-db")
	}

	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded; want 1", len(runs))
	}
	r := runs[0]
	if r.Period != "2025Q3" || r.Submitted != len(p.LeadDepts()) || r.Returns != len(p.LeadDepts()) || r.Files != len(p.LeadDepts()) ||
		!strings.HasPrefix(r.Command, "planrep collect --db ") || len(r.Inputs) != 1 || r.Inputs[0] != in {
		t.Errorf("run = %+v", r)
	}
	var filled, mtime string
	if err := st.DB().QueryRow(`SELECT filler, mtime FROM files LIMIT 1`).Scan(&filled, &mtime); err != nil || filled != "李四" || mtime == "" {
		t.Errorf("file row: filler %q, mtime %q, %v", filled, mtime, err)
	}
}

// writeReturn writes dept's return for per with value(t) in each
// quantitative row (nil leaves it empty) and 已完成 for each milestone,
// filled in on filled.
func writeReturn(t *testing.T, dir string, p *plan.Plan, d plan.Department, per plan.Period, filled string, value func(plan.Target) *float64) string {
	t.Helper()
	f, err := templates.Build(p, d, templates.Options{Period: per, Deadline: "2025-10-10", Now: time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must(f.SetCellStr(templates.SheetQuant, templates.CellFiller, "李四"))
	must(f.SetCellStr(templates.SheetQuant, templates.CellDate, filled))
	qr, mr := templates.FirstDataRow, templates.FirstDataRow
	for _, tg := range p.Led(d.Code) {
		if tg.Kind.Quantitative() {
			if v := value(tg); v != nil {
				must(f.SetCellFloat(templates.SheetQuant, templates.Col(templates.QuantColumns, templates.ColActual)+itoa(qr), *v, -1, 64))
			}
			qr++
		} else {
			must(f.SetCellStr(templates.SheetMilestone, templates.Col(templates.MilestoneColumns, templates.ColStatus)+itoa(mr), plan.MilestoneDone))
			mr++
		}
	}
	name := filepath.Join(dir, templates.FileName(per, d))
	if err := f.SaveAs(name); err != nil {
		t.Fatal(err)
	}
	return name
}

// onSchedule is a value on schedule for per: cumulative targets at the
// elapsed share, the others at their target.
func onSchedule(per plan.Period) func(plan.Target) *float64 {
	return func(tg plan.Target) *float64 {
		v := *tg.Value
		if tg.Kind == plan.Cumulative {
			v = *tg.Value * per.Elapsed()
		}
		return &v
	}
}

func outRound(t *testing.T, dir string) plan.Round {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rd plan.Round
	if err := json.Unmarshal(data, &rd); err != nil {
		t.Fatal(err)
	}
	return rd
}

func hasFinding(rd plan.Round, code, target string) bool {
	for _, f := range rd.Findings {
		if f.Code == code && f.Target == target {
			return true
		}
	}
	return false
}

// TestCollectOverTheYear: the store compares a period with the one before
// (V17 fell, V18 jumped, V19 unchanged) and lists what a resent return
// corrected, in 校验结果.xlsx and in the department's feedback copy.
func TestCollectOverTheYear(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	var fell, same, jump plan.Target
	for _, tg := range p.Targets {
		switch {
		case tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value > 0 && fell.ID == "":
			fell = tg
		case tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value > 0 && same.ID == "" && tg.Lead != fell.Lead:
			same = tg
		case tg.Kind == plan.Level && tg.Value != nil && *tg.Value > 0 && jump.ID == "" && tg.Lead != fell.Lead:
			jump = tg
		}
	}
	if fell.ID == "" || same.ID == "" || jump.ID == "" {
		t.Fatal("fixture: the plan lacks the targets this test needs")
	}
	db := filepath.Join(t.TempDir(), "planrep.db")
	h1, q3 := plan.MustPeriod("2025H1"), plan.MustPeriod("2025Q3")
	inH1, inQ3 := t.TempDir(), t.TempDir()
	for _, d := range p.LeadDepts() {
		writeReturn(t, inH1, p, d, h1, "2025-07-05", onSchedule(h1))
		writeReturn(t, inQ3, p, d, q3, "2025-10-08", func(tg plan.Target) *float64 {
			v := *onSchedule(q3)(tg)
			switch tg.ID {
			case fell.ID:
				v = *tg.Value * 0.3 // below H1's half
			case same.ID:
				v = *tg.Value * 0.5 // H1's value again
			case jump.ID:
				v = *tg.Value * 2.5 // from the target to two and a half times it
			}
			return &v
		})
	}
	run := func(want int, args ...string) {
		t.Helper()
		g, stdout, stderr := testGlobals()
		g.DBFile = db
		if code := Run(g, args); code != want {
			t.Fatalf("%v: exit %d; want %d\n%s%s", args, code, want, stdout, stderr)
		}
	}
	outH1, outQ3 := filepath.Join(t.TempDir(), "h1"), filepath.Join(t.TempDir(), "q3")
	run(ExitOK, "collect", "-o", outH1, inH1)
	run(ExitProblems, "collect", "-o", outQ3, inQ3)
	rd := outRound(t, outQ3)
	if !hasFinding(rd, plan.ValueFell, fell.ID) || !hasFinding(rd, plan.ValueUnchanged, same.ID) || !hasFinding(rd, plan.ValueJump, jump.ID) {
		t.Errorf("findings lack V17 on %s, V19 on %s or V18 on %s: %+v", fell.ID, same.ID, jump.ID, rd.Findings)
	}
	if r, _ := rd.Result(fell.ID); r.Status != plan.Invalid {
		t.Errorf("%s fell below H1: status %s; want 数据有误", fell.ID, r.Status)
	}
	// Without the store, none of it.
	g, _, _ := testGlobals()
	outNo := filepath.Join(t.TempDir(), "no")
	Run(g, []string{"collect", "--no-db", "-o", outNo, inQ3})
	if rn := outRound(t, outNo); hasFinding(rn, plan.ValueFell, fell.ID) || hasFinding(rn, plan.ValueJump, jump.ID) {
		t.Error("--no-db still compared with the store")
	}

	// The department resends: the fallen value corrected, one value left empty.
	d, _ := p.Dept(fell.Lead)
	var empty plan.Target
	for _, tg := range p.Led(d.Code) {
		if tg.Kind.Quantitative() && tg.ID != fell.ID {
			empty = tg
			break
		}
	}
	resent := t.TempDir()
	writeReturn(t, resent, p, d, q3, "2025-10-12", func(tg plan.Target) *float64 {
		switch tg.ID {
		case fell.ID:
			v := *tg.Value * 0.8
			return &v
		case empty.ID:
			return nil
		}
		return onSchedule(q3)(tg)
	})
	must(os.Rename(filepath.Join(resent, templates.FileName(q3, d)), filepath.Join(inQ3, "更正_"+templates.FileName(q3, d))))
	for i := 0; i < 2; i++ { // the same folder twice: the same corrections
		run(ExitProblems, "collect", "-o", outQ3, inQ3)
		wb, err := excelize.OpenFile(filepath.Join(outQ3, "校验结果.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows("更正情况")
		wb.Close()
		if err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprint(rows)
		wantOld := plan.FormatNumber(*fell.Value * 0.3)
		wantNew := plan.FormatNumber(*fell.Value * 0.8)
		if !strings.Contains(text, fell.ID) || !strings.Contains(text, wantOld) || !strings.Contains(text, wantNew) || !strings.Contains(text, empty.ID) {
			t.Errorf("run %d: 更正情况 lacks %s %s → %s or %s emptied:\n%v", i+1, fell.ID, wantOld, wantNew, empty.ID, rows)
		}
		fb, err := excelize.OpenFile(filepath.Join(outQ3, "反馈", "更正_"+strings.TrimSuffix(templates.FileName(q3, d), ".xlsx")+"_反馈.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = fb.GetRows("问题清单")
		fb.Close()
		text = fmt.Sprint(rows)
		if !strings.Contains(text, "本次更正了以下 2 项") || !strings.Contains(text, "本期完成值："+wantOld+" → "+wantNew) {
			t.Errorf("run %d: the feedback copy does not list the corrections:\n%v", i+1, rows)
		}
	}
}

// TestHistory: the three views of the year, as text and as JSON, after two
// periods and a correction.
func TestHistory(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	db := filepath.Join(t.TempDir(), "planrep.db")
	cum := cumulativeTarget(t, p)
	d, _ := p.Dept(cum.Lead)
	run := func(want int, args ...string) string {
		t.Helper()
		g, stdout, stderr := testGlobals()
		g.DBFile = db
		if code := Run(g, args); code != want {
			t.Fatalf("%v: exit %d; want %d\n%s%s", args, code, want, stdout, stderr)
		}
		return stdout.String()
	}
	// No store yet: history says so and exits 2.
	g, _, stderr := testGlobals()
	g.DBFile = db
	if code := Run(g, []string{"history"}); code != ExitError || !strings.Contains(stderr.String(), "不存在") {
		t.Errorf("history without a store: exit %d, %q", code, stderr)
	}
	h1, q3 := plan.MustPeriod("2025H1"), plan.MustPeriod("2025Q3")
	in1, in3 := t.TempDir(), t.TempDir()
	writeReturn(t, in1, p, d, h1, "2025-07-05", onSchedule(h1))
	writeReturn(t, in3, p, d, q3, "2025-10-08", onSchedule(q3))
	run(ExitProblems, "collect", "-o", filepath.Join(t.TempDir(), "1"), in1)
	run(ExitProblems, "collect", "-o", filepath.Join(t.TempDir(), "3"), in3)
	fix := t.TempDir()
	writeReturn(t, fix, p, d, q3, "2025-10-12", func(tg plan.Target) *float64 {
		if tg.ID == cum.ID {
			v := *tg.Value * 0.9
			return &v
		}
		return onSchedule(q3)(tg)
	})
	must(os.Rename(filepath.Join(fix, templates.FileName(q3, d)), filepath.Join(in3, "更正.xlsx")))
	run(ExitProblems, "collect", "-o", filepath.Join(t.TempDir(), "3b"), in3)

	// report reads the year from the store; without one, the brief has none.
	q3out := filepath.Join(t.TempDir(), "3b")
	run(ExitProblems, "collect", "-o", q3out, in3)
	for _, c := range []struct {
		db   string
		year bool
	}{{db, true}, {filepath.Join(t.TempDir(), "无.db"), false}} {
		g, stdout, stderr := testGlobals()
		g.DBFile = c.db
		rep := filepath.Join(t.TempDir(), "报告")
		if code := Run(g, []string{"report", "--round", filepath.Join(q3out, "round.json"), "-o", rep}); code != ExitOK {
			t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
		}
		wb, err := excelize.OpenFile(filepath.Join(rep, "2025Q3_进度报告.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		idx, _ := wb.GetSheetIndex("趋势")
		wb.Close()
		if (idx >= 0) != c.year {
			t.Errorf("report with store %s: 趋势 sheet %v; want %v", c.db, idx >= 0, c.year)
		}
	}

	out := run(ExitOK, "history")
	for _, want := range []string{"2025年上半年", "2025年前三季度", "1/" + fmt.Sprint(len(p.LeadDepts())), "共 4 次收集，2 个报告期"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	out = run(ExitOK, "history", "target", cum.ID)
	v1, v3, v3b := *cum.Value*0.5, *cum.Value*0.75, *cum.Value*0.9
	for _, want := range []string{cum.Indicator, plan.FormatNumber(v1) + cum.Unit, plan.FormatNumber(v3b) + cum.Unit,
		"+" + plan.FormatNumber(v3b-v1) + cum.Unit, "更正.xlsx", "75%"} {
		if !strings.Contains(out, want) {
			t.Errorf("history target lacks %q:\n%s", want, out)
		}
	}
	var ty TargetYear
	if err := json.Unmarshal([]byte(run(ExitOK, "history", "target", cum.ID, "--json")), &ty); err != nil {
		t.Fatal(err)
	}
	if len(ty.Periods) != 2 || ty.Periods[1].Point == nil || *ty.Periods[1].Point.Value != v3b || ty.Periods[1].Change == nil {
		t.Errorf("history target --json = %+v", ty)
	}
	out = run(ExitOK, "history", "dept", d.Code)
	for _, want := range []string{d.Short, "更正.xlsx", "被替代", "与上一份相比更正 1 项", cum.ID, plan.FormatNumber(v3) + " → " + plan.FormatNumber(v3b)} {
		if !strings.Contains(out, want) {
			t.Errorf("history dept lacks %q:\n%s", want, out)
		}
	}
	var dy DeptYear
	if err := json.Unmarshal([]byte(run(ExitOK, "history", "dept", d.Code, "--json")), &dy); err != nil {
		t.Fatal(err)
	}
	if len(dy.Returns) != 3 || len(dy.Returns[2].Changes) != 1 {
		t.Errorf("history dept --json = %+v", dy)
	}
	for _, args := range [][]string{{"history", "target", "无此编号"}, {"history", "dept", "NONE"}, {"history", "target"}} {
		g, _, stderr := testGlobals()
		g.DBFile = db
		if code := Run(g, args); code != ExitError || !strings.Contains(stderr.String(), "错误：") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// TestDBCommands: check, export, import into a new store, export again.
func TestDBCommands(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	db, db2 := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	run := func(dbf string, want int, args ...string) string {
		t.Helper()
		g, stdout, stderr := testGlobals()
		g.DBFile = dbf
		if code := Run(g, args); code != want {
			t.Fatalf("%v: exit %d; want %d\n%s%s", args, code, want, stdout, stderr)
		}
		return stdout.String() + stderr.String()
	}
	run(db, ExitError, "db", "check") // no store yet
	run(db, ExitOK, "collect", "-o", filepath.Join(dir, "o"), in)
	run(db, ExitOK, "collect", "-o", filepath.Join(dir, "o"), in)
	run(db, ExitOK, "collect", "-o", filepath.Join(dir, "o"), in)
	if out := run(db, ExitOK, "db", "check"); !strings.Contains(out, "完好") {
		t.Errorf("db check: %s", out)
	}
	ex1, ex2 := filepath.Join(dir, "1.jsonl"), filepath.Join(dir, "2.jsonl")
	run(db, ExitOK, "db", "export", "-o", ex1)
	run(db2, ExitOK, "db", "import", ex1)
	run(db2, ExitOK, "db", "export", "-o", ex2)
	a := mustGet(os.ReadFile(ex1))
	b := mustGet(os.ReadFile(ex2))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("export → import → export differs (%d vs %d bytes)", len(a), len(b))
	}
	if out := run(db2, ExitError, "db", "import", ex1); !strings.Contains(out, "已有数据") {
		t.Errorf("import into a full store: %s", out)
	}
	if out := run(db, ExitOK, "db", "prune", "--dry-run"); !strings.Contains(out, "将删除（--dry-run，未删除） 1 次") {
		t.Errorf("prune --dry-run: %s", out)
	}
	if out := run(db, ExitOK, "db", "prune"); !strings.Contains(out, "已删除 1 次") {
		t.Errorf("prune: %s", out)
	}
	run(db, ExitOK, "db", "check")
	// A broken invariant: exit 1, named.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE runs SET warnings = warnings + 1`); err != nil {
		t.Fatal(err)
	}
	must(st.Close())
	if out := run(db, ExitProblems, "db", "check"); !strings.Contains(out, "与问题记录不符") {
		t.Errorf("db check of a broken store: %s", out)
	}
}

// demoYearChecks: the demo's store holds 一季度, 上半年 (collected twice,
// one department correcting a value) and its own round, and db check passes.
func demoYearChecks(t *testing.T, dir, printed string) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, demoStore), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if probs, err := st.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("db check of the demo's store: %v %v", probs, err)
	}
	runs, err := st.Runs(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var periods []string
	for _, r := range runs {
		periods = append(periods, r.Period)
	}
	if strings.Join(periods, ",") != "2025Q1,2025H1,2025H1,"+demoPeriod || runs[2].Returns != 1 {
		t.Errorf("demo runs: %v (the second 上半年 run added %d returns; want 1)", periods, runs[len(runs)-1].Returns)
	}
	var corrected int
	if err := st.DB().QueryRow(`SELECT count(*) FROM returns WHERE supersedes IS NOT NULL`).Scan(&corrected); err != nil || corrected != 1 {
		t.Errorf("corrected returns: %d, %v; want 1", corrected, err)
	}
	// A 区县's submission log, as `history dept 张店区` prints it.
	h, err := DeptHistory(ctx, st, defaultPlan(t), "ZHANGDIAN")
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	printDeptHistory(&log, h)
	if h.Name != "张店区" || len(h.Files) == 0 {
		t.Errorf("history dept ZHANGDIAN: %q with %d files", h.Name, len(h.Files))
	}
	mustContain(t, "history dept ZHANGDIAN", log.String(), "张店区（ZHANGDIAN）报送记录", "采用")
	wb, err := excelize.OpenFile(filepath.Join(dir, demoReports, demoPeriod+"_进度报告.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("趋势")
	wb.Close()
	if err != nil || len(rows) < 5 || rows[2][4] != "2025年一季度" || rows[2][6] != "2025年前三季度" {
		t.Errorf("the demo's report has no 趋势 of three periods: %v %v", err, rows[:min(len(rows), 3)])
	}
	if !strings.Contains(printed, "更正重报") || !strings.Contains(printed, demoStore) {
		t.Errorf("the demo's summary does not tell of the correction or the store:\n%s", printed)
	}
}
