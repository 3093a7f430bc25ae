package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"planrep/plan"
	"planrep/seeds"
	"planrep/templates"
)

// writeCollectReturns writes a filled return for every lead department but skip.
func writeCollectReturns(t *testing.T, dir, skip string) *plan.Plan {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	per := plan.MustPeriod("2025Q3")
	for _, d := range p.LeadDepts() {
		if d.Code == skip {
			continue
		}
		f, err := templates.Build(p, d, templates.Options{Period: per, Deadline: "2025-10-10", Now: time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		must(f.SetCellStr(templates.SheetQuant, templates.CellFiller, "李四"))
		qr, mr := templates.FirstDataRow, templates.FirstDataRow
		for _, tg := range p.Led(d.Code) {
			if tg.Kind.Quantitative() {
				v := *tg.Value * per.Elapsed()
				if tg.Kind == plan.Growth || tg.Kind == plan.Ceiling {
					v = *tg.Value
				}
				if tg.Kind == plan.Level && tg.Baseline != nil {
					v = *tg.Value
				}
				must(f.SetCellFloat(templates.SheetQuant, templates.Col(templates.QuantColumns, templates.ColActual)+itoa(qr), v, -1, 64))
				qr++
			} else {
				must(f.SetCellStr(templates.SheetMilestone, templates.Col(templates.MilestoneColumns, templates.ColStatus)+itoa(mr), plan.MilestoneDone))
				mr++
			}
		}
		if err := f.SaveAs(filepath.Join(dir, templates.FileName(per, d))); err != nil {
			t.Fatal(err)
		}
		must(f.Close())
	}
	return p
}

func itoa(n int) string { return fmt.Sprint(n) }

func TestCollectExitCodes(t *testing.T) {
	in := t.TempDir()
	p := writeCollectReturns(t, in, "")
	out := filepath.Join(t.TempDir(), "out")

	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"collect", "-o", out, in}); code != ExitOK {
		t.Fatalf("exit %d; want 0\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{"round.json", "汇总表.xlsx", "校验结果.xlsx"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing output %s", name)
		}
	}
	if !strings.Contains(stdout.String(), "未报送 0 个") || stderr.Len() != 0 {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}

	// One department missing: exit 1, and the table says so.
	d := p.LeadDepts()[0]
	must(os.Remove(filepath.Join(in, templates.FileName(plan.MustPeriod("2025Q3"), d))))
	g, stdout, _ = testGlobals()
	if code := Run(g, []string{"collect", "-o", out, in}); code != ExitProblems {
		t.Fatalf("exit %d; want 1\n%s", code, stdout)
	}
	if !strings.Contains(stdout.String(), "未报送") || !strings.Contains(stdout.String(), d.Short) {
		t.Errorf("stdout does not name the missing department:\n%s", stdout)
	}

	// Cannot run: no output, bad period, missing input, unknown flag, an
	// output "folder" that is a file.
	notDir := filepath.Join(t.TempDir(), "文件")
	must(os.WriteFile(notDir, []byte("x"), 0o644))
	for _, args := range [][]string{
		{"collect", "-o", notDir, in},
		{"collect", in},
		{"collect", "-o", out, "--period", "2025Q9", in},
		{"collect", "-o", out, filepath.Join(in, "不存在")},
		{"collect", "-o", out, "--bogus", in},
		{"collect", "-o", out},
		{"collect", "-o", out, "--previous", filepath.Join(in, "无.json"), in},
		{"collect", "-o", out, "--period", "2024Q3", in},
	} {
		g, _, stderr := testGlobals()
		if code := Run(g, args); code != ExitError {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "错误：") {
			t.Errorf("%v: stderr %q", args, stderr)
		}
	}
}

func TestCollectPreviousNotComparable(t *testing.T) {
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	prev := filepath.Join(t.TempDir(), "round.json")
	must(os.WriteFile(prev, []byte(`{"schema":1,"plan_id":"zibo-2025","period":"2025Q4","targets":[]}`), 0o644))
	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"collect", "--previous", prev, "-o", filepath.Join(t.TempDir(), "out"), in}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr.String(), "未用于检查累计值") {
		t.Errorf("no note about the previous round: %q", stderr)
	}
}

func TestCollectHelpChinese(t *testing.T) {
	g, stdout, _ := testGlobals()
	Run(g, []string{"collect", "--help"})
	for _, want := range []string{"退出码：0", "反馈/", "GBK", "--previous"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestFindingsCommand(t *testing.T) {
	g, stdout, _ := testGlobals()
	if code := Run(g, []string{"findings"}); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, d := range plan.Catalogue {
		if !strings.Contains(stdout.String(), d.Code) || !strings.Contains(stdout.String(), d.Title) {
			t.Errorf("findings lacks %s", d.Code)
		}
	}
}

// TestCollectPreviousChecked: --previous is read with report's checks: a
// round.json of another plan, with a period that is not one, of a newer
// schema or with fields round.json does not have is refused (exit 2) before
// anything is written, with report's words.
func TestCollectPreviousChecked(t *testing.T) {
	in := t.TempDir()
	writeCollectReturns(t, in, "")
	dir := t.TempDir()
	for _, tc := range []struct{ name, body, want string }{
		{"other plan", `{"schema":1,"plan_id":"another","period":"2025H1","targets":[]}`, `属于计划 "another"`},
		{"bad period", `{"schema":1,"plan_id":"zibo-2025","period":"2025H3","targets":[]}`, `报告期 "2025H3" 无法识别`},
		{"no period", `{"schema":1,"plan_id":"zibo-2025","targets":[]}`, "没有报告期"},
		{"newer schema", `{"schema":99,"plan_id":"zibo-2025","period":"2025H1"}`, "较新版本"},
		{"no schema", `{"plan_id":"zibo-2025","period":"2025H1"}`, "没有格式版本"},
		{"unknown field", `{"schema":1,"plan_id":"zibo-2025","period":"2025H1","rows":[]}`, `未知字段 "rows"`},
		{"not json", `{"schema":1,`, "不是有效的汇总数据"},
		{"missing", "", "无法读取上期数据"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := filepath.Join(dir, tc.name+".json")
			if tc.body != "" {
				mustWrite(t, prev, []byte(tc.body))
			}
			out := filepath.Join(dir, tc.name+"-out")
			g, stdout, stderr := testGlobals()
			if code := Run(g, []string{"collect", "--previous", prev, "-o", out, in}); code != ExitError {
				t.Fatalf("exit %d; want 2\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr.String(), "上期数据 "+prev) || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q; want it to name %s and say %q", stderr, prev, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused run created %s", out)
			}
		})
	}
	// A missing file is named in Chinese, without the system's English.
	g, _, stderr := testGlobals()
	Run(g, []string{"collect", "--previous", filepath.Join(dir, "无.json"), "-o", filepath.Join(dir, "o"), in})
	if !strings.Contains(stderr.String(), "文件不存在") || strings.Contains(stderr.String(), "no such file") {
		t.Errorf("missing --previous: %q", stderr)
	}
}

// TestCollectShowsWhy: the table lists each department's files that were
// not taken, with the code and the reason; when no period can be told,
// every file read is listed with why, before the request for --period.
func TestCollectShowsWhy(t *testing.T) {
	in := t.TempDir()
	p := writeCollectReturns(t, in, "")
	d := p.LeadDepts()[0]
	if err := os.Remove(filepath.Join(in, templates.FileName(plan.MustPeriod("2025Q3"), d))); err != nil {
		t.Fatal(err)
	}
	old := plan.MustPeriod("2025H1")
	f, err := templates.Build(p, d, templates.Options{Period: old, Deadline: "2025-07-10", Now: time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	oldPath := filepath.Join(in, templates.FileName(old, d))
	if err := f.SaveAs(oldPath); err != nil {
		t.Fatal(err)
	}
	must(f.Close())
	g, stdout, stderr := testGlobals()
	if code := Run(g, []string{"collect", "--no-db", "--period", "2025Q3", "-o", filepath.Join(t.TempDir(), "out"), in}); code != ExitProblems {
		t.Fatalf("exit %d; want 1\n%s%s", code, stdout, stderr)
	}
	out := stdout.String()
	i := strings.Index(out, "未采用的文件（按部门）")
	if i < 0 {
		t.Fatalf("no list of files not taken:\n%s", out)
	}
	want := fmt.Sprintf("  %s（%s）\n    %s  拒收 F12：", d.Short, d.Code, filepath.ToSlash(oldPath))
	if !strings.Contains(out[i:], want) {
		t.Errorf("the list lacks %q:\n%s", want, out[i:])
	}

	// No period: each file and why, then the request for --period.
	junk := t.TempDir()
	mustWrite(t, filepath.Join(junk, "导出.csv"), []byte("编号,本期完成值\n1-01,5\n"))
	mustWrite(t, filepath.Join(junk, "空.xlsx"), nil)
	g, stdout, stderr = testGlobals()
	if code := Run(g, []string{"collect", "--no-db", "-o", filepath.Join(t.TempDir(), "out"), junk}); code != ExitError {
		t.Fatalf("exit %d; want 2\n%s%s", code, stdout, stderr)
	}
	for _, w := range []string{
		filepath.ToSlash(filepath.Join(junk, "导出.csv")) + "：F04 ",
		filepath.ToSlash(filepath.Join(junk, "空.xlsx")) + "：F07 ",
	} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr.String(), "--period") {
		t.Errorf("stderr does not ask for --period: %s", stderr)
	}
}
