package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"planrep/plan"
	reportpdf "planrep/report/pdf"
	"planrep/seeds"
	"planrep/simulate"
	"planrep/store"
	"planrep/templates"
)

// simulatedReturns fills the default plan's templates as departments would,
// with a few mistakes and two departments that send nothing.
func simulatedReturns(t *testing.T) (dir string, p *plan.Plan) {
	t.Helper()
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "收件箱")
	if _, err := simulate.Run(p, "", dir, simulate.Options{
		Period: plan.MustPeriod("2025Q3"), Seed: 7, Faults: 0.05, Missing: 2, Workers: 2,
	}); err != nil {
		t.Fatal(err)
	}
	return dir, p
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required in CI (poppler-utils)")
		}
		t.Skip("pdftotext not installed (poppler-utils); skipping")
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// TestReportEndToEnd collects simulated returns and reports, both in one go
// and from collect's round.json: the two briefs must be the same document.
func TestReportEndToEnd(t *testing.T) {
	inbox, _ := simulatedReturns(t)
	tmp := t.TempDir()

	direct := filepath.Join(tmp, "direct")
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"report", "--period", "2025Q3", "-o", direct, "--date", "2025-10-15", inbox}); code != ExitOK {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	xlsx := filepath.Join(direct, "2025Q3_进度报告.xlsx")
	pdf := filepath.Join(direct, "2025Q3_简报.pdf")
	for _, f := range []string{xlsx, pdf} {
		if !strings.Contains(out.String(), "已写入 "+f) {
			t.Errorf("output does not name %s:\n%s", f, out)
		}
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if m := regexp.MustCompile(`未报送：(\S+)`).FindStringSubmatch(out.String()); m == nil {
		t.Errorf("output does not list the two missing departments:\n%s", out)
	} else {
		text := pdfToText(t, pdf)
		for _, name := range strings.Split(m[1], "、") {
			if !strings.Contains(text, name) {
				t.Errorf("PDF does not name missing department %s", name)
			}
		}
	}

	// collect, then report from round.json, with a store of their own: the
	// report in one go recorded its collect in its store just so.
	coll := filepath.Join(tmp, "collected")
	g2, _, errOut2 := testGlobals()
	if code := Run(g2, []string{"collect", "--period", "2025Q3", "-o", coll, inbox}); code == ExitError {
		t.Fatalf("collect exit %d: %s", code, errOut2)
	}
	g3, out3, errOut3 := testGlobals()
	g3.DBFile = g2.DBFile
	if code := Run(g3, []string{"report", "--round", filepath.Join(coll, "round.json"), "--date", "2025-10-15"}); code != ExitOK {
		t.Fatalf("report --round exit %d: %s", code, errOut3)
	}
	pdf2 := filepath.Join(coll, "2025Q3_简报.pdf")
	if !strings.Contains(out3.String(), "已写入 "+pdf2) {
		t.Errorf("output does not name %s:\n%s", pdf2, out3)
	}
	a := mustGet(os.ReadFile(pdf))
	b := mustGet(os.ReadFile(pdf2))
	if !bytes.Equal(a, b) {
		t.Error("the brief made while collecting differs from the one made from round.json")
	}
	if len(a) > 2<<20 {
		t.Errorf("PDF is %d bytes; budget 2 MB", len(a))
	}
}

func TestReportBadInput(t *testing.T) {
	tmp := t.TempDir()
	p := defaultPlan(t)
	good := filepath.Join(tmp, "round.json")
	r := plan.Round{Schema: plan.RoundSchema, PlanID: p.ID, Period: plan.MustPeriod("2025Q3")}
	mustJSON(t, good, r)
	other := filepath.Join(tmp, "other.json")
	r.PlanID = "another-plan"
	mustJSON(t, other, r)
	broken := filepath.Join(tmp, "broken.json")
	mustWrite(t, broken, []byte("{not json"))
	badPeriod := filepath.Join(tmp, "period.json")
	mustWrite(t, badPeriod, []byte(`{"schema":1,"plan_id":"`+p.ID+`","period":"2025Q7"}`))
	noPeriod := filepath.Join(tmp, "noperiod.json")
	mustWrite(t, noPeriod, []byte(`{"schema":1,"plan_id":"`+p.ID+`"}`))
	unknown := filepath.Join(tmp, "unknown.json")
	mustWrite(t, unknown, []byte(`{"schema":1,"plan_id":"`+p.ID+`","period":"2025Q3","extra":1}`))
	ttc := filepath.Join(tmp, "font.ttc")
	mustWrite(t, ttc, append([]byte("ttcf"), make([]byte, 100)...))
	otf := filepath.Join(tmp, "font.otf")
	mustWrite(t, otf, append([]byte("OTTO"), make([]byte, 100)...))

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing", []string{"report"}, "--round"},
		{"both", []string{"report", "--round", good, tmp}, "二选一"},
		{"returns without -o", []string{"report", tmp}, "-o"},
		{"period with round", []string{"report", "--round", good, "--period", "2025Q3"}, "--period"},
		{"bad date", []string{"report", "--round", good, "--date", "10/15/2025"}, "报告日期"},
		{"bad deadline", []string{"report", "--round", good, "--deadline", "明天"}, "截止日期"},
		{"missing round", []string{"report", "--round", filepath.Join(tmp, "none.json")}, "无法读取汇总数据 " + filepath.Join(tmp, "none.json") + "：文件不存在"},
		{"round is a folder", []string{"report", "--round", tmp}, "这是一个文件夹"},
		{"bad period", []string{"report", "--round", badPeriod}, "报告期 \"2025Q7\" 无法识别"},
		{"no period", []string{"report", "--round", noPeriod}, "没有报告期"},
		{"unknown field", []string{"report", "--round", unknown}, "含有未知字段 \"extra\""},
		{"broken round", []string{"report", "--round", broken}, "不是有效的汇总数据"},
		{"other plan", []string{"report", "--round", other}, "--plan"},
		{"ttc font", []string{"report", "--round", good, "--font", ttc}, ".ttc"},
		{"otf font", []string{"report", "--round", good, "--font", otf}, ".otf"},
		{"missing font", []string{"report", "--round", good, "--font", filepath.Join(tmp, "none.ttf")}, "无法读取字体文件"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _, errOut := testGlobals()
			if code := Run(g, tc.args); code != ExitError {
				t.Errorf("exit %d; want %d", code, ExitError)
			}
			if !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("message %q does not mention %q", errOut.String(), tc.want)
			}
		})
	}
	// Nothing was written by the failures.
	if m, _ := filepath.Glob(filepath.Join(tmp, "*_简报.pdf")); len(m) > 0 {
		t.Errorf("failed runs wrote %v", m)
	}
}

// TestReportEmptyRound reports a round in which nobody sent anything, with
// another TrueType font given by --font.
func TestReportEmptyRound(t *testing.T) {
	tmp := t.TempDir()
	p := defaultPlan(t)
	var r plan.Round
	r.Schema, r.PlanID, r.Period = plan.RoundSchema, p.ID, plan.MustPeriod("2025Q3")
	for _, d := range p.LeadDepts() {
		r.Departments = append(r.Departments, plan.DeptResult{Code: d.Code, Name: d.Name, Short: d.Short})
	}
	path := filepath.Join(tmp, "round.json")
	mustJSON(t, path, r)
	font := filepath.Join(tmp, "copy.ttf")
	mustWrite(t, font, reportpdf.DefaultFont())
	g, out, errOut := testGlobals()
	if code := Run(g, []string{"report", "--round", path, "--font", font, "--title", "进度通报", "--office", "某某办公室"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "报送 0/") {
		t.Errorf("output:\n%s", out)
	}
	text := pdfToText(t, filepath.Join(tmp, "2025Q3_简报.pdf"))
	for _, w := range []string{"进度通报", "某某办公室", "2025年10月15日"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
}

// TestReportRecordsItsCollect: `report` given returns records its collect
// in the store as `collect` does, so that history knows the round; with
// --no-db it writes no store.
func TestReportRecordsItsCollect(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	cum := cumulativeTarget(t, p)
	d, _ := p.Dept(cum.Lead)
	q3 := plan.MustPeriod("2025Q3")
	in := t.TempDir()
	writeReturn(t, in, p, d, q3, "2025-10-08", onSchedule(q3))
	db := filepath.Join(t.TempDir(), "planrep.db")
	run := func(db string, args ...string) string {
		t.Helper()
		g, stdout, stderr := testGlobals()
		g.DBFile = db
		if code := Run(g, args); code != ExitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		}
		return stdout.String()
	}
	run(db, "report", "--period", "2025Q3", "-o", filepath.Join(t.TempDir(), "报告"), "--date", "2025-10-15", in)

	out := run(db, "history")
	for _, want := range []string{"2025年前三季度", fmt.Sprintf("1/%d", len(p.LeadDepts())), "共 1 次收集，1 个报告期"} {
		if !strings.Contains(out, want) {
			t.Errorf("history after report lacks %q:\n%s", want, out)
		}
	}
	var runs []store.RunInfo
	must(json.Unmarshal([]byte(run(db, "history", "--json")), &runs))
	if len(runs) != 1 || !strings.HasPrefix(runs[0].Command, "planrep report --period 2025Q3") || runs[0].Kind != store.KindCollect ||
		len(runs[0].Inputs) != 1 || runs[0].Inputs[0] != in || runs[0].Returns != 1 {
		t.Errorf("runs recorded by report = %+v", runs)
	}
	out = run(db, "history", "target", cum.ID)
	for _, want := range []string{cum.Indicator, plan.FormatNumber(*cum.Value*0.75) + cum.Unit, templates.FileName(q3, d), "75%"} {
		if !strings.Contains(out, want) {
			t.Errorf("history target after report lacks %q:\n%s", want, out)
		}
	}

	// --no-db: no store is made, and an existing one is left as it was.
	none := filepath.Join(t.TempDir(), "无.db")
	run(none, "report", "--no-db", "--period", "2025Q3", "-o", filepath.Join(t.TempDir(), "报告"), "--date", "2025-10-15", in)
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("report --no-db made a store: %v", err)
	}
	before := mustGet(os.ReadFile(db))
	run(db, "report", "--no-db", "--period", "2025Q3", "-o", filepath.Join(t.TempDir(), "报告"), "--date", "2025-10-15", in)
	if after := mustGet(os.ReadFile(db)); !bytes.Equal(before, after) {
		t.Error("report --no-db changed the store")
	}
	if !strings.Contains(run(db, "history"), "共 1 次收集") {
		t.Error("report --no-db recorded a run")
	}
}
