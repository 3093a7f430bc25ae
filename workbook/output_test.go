package workbook

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

func TestFeedbackCopy(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	sh, actual := cellOf(p, pk.cum.ID, templates.ColActual)
	_, target := cellOf(p, pk.cum.ID, templates.ColTarget)
	s := newScene(t, p)
	s.replace(pk.cum.Lead, func(f *excelize.File) {
		must(f.SetCellStr(sh, actual, "约5"))
		must(f.SetCellFloat(sh, target, 1, -1, 64))
	})
	res := s.run()
	out := t.TempDir()
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	if len(res.Feedback) != 1 {
		t.Fatalf("%d feedback entries", len(res.Feedback))
	}
	d, _ := p.Dept(pk.cum.Lead)
	name := strings.TrimSuffix(templates.FileName(testPeriod, d), ".xlsx") + "_反馈.xlsx"
	path := filepath.Join(out, FeedbackDir, name)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); sheets[0] != IssuesSheet {
		t.Errorf("first sheet %q; want %s", sheets[0], IssuesSheet)
	}
	rows := mustGet(f.GetRows(IssuesSheet))
	var listed []string
	for _, r := range rows[2:] {
		listed = append(listed, r[2]+"@"+r[4])
	}
	for _, want := range []string{"V02@" + actual, "S02@" + target} {
		if !strings.Contains(strings.Join(listed, " "), want) {
			t.Errorf("问题清单 lacks %s: %v", want, listed)
		}
	}
	// The S02 advice is longer than one line of its column: its row is sized
	// so the advice is not cut off.
	for i, r := range rows[2:] {
		if r[2] != "S02" {
			continue
		}
		lines := wrappedLines(r[6], 80)
		if h, _ := f.GetRowHeight(IssuesSheet, i+3); lines < 2 || h < 15*float64(lines) {
			t.Errorf("问题清单 row %d: height %v for %d lines of advice", i+3, h, lines)
		}
	}
	comments, _ := f.GetComments(sh)
	got := map[string]string{}
	for _, c := range comments {
		txt := c.Text
		for _, p := range c.Paragraph {
			txt += p.Text
		}
		got[c.Cell] = txt
	}
	if !strings.Contains(got[actual], "不是一个数字") || !strings.Contains(got[target], "年度目标被改为") {
		t.Errorf("comments %v", got)
	}
	for _, cell := range []string{actual, target} {
		id, _ := f.GetCellStyle(sh, cell)
		st, _ := f.GetStyle(id)
		if len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFC7CE" {
			t.Errorf("%s not highlighted: %+v", cell, st.Fill)
		}
	}
	// The department fixes the copy and sends it back: it reads as a return again.
	must(f.SetCellFloat(sh, actual, goodValue(pk.cum, testPeriod), -1, 64))
	must(f.SetCellFloat(sh, target, *pk.cum.Value, -1, 64))
	fixed := filepath.Join(t.TempDir(), "改好.xlsx")
	if err := f.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	s2 := newScene(t, p)
	s2.skip[pk.cum.Lead] = true
	data := mustGet(os.ReadFile(fixed))
	s2.files["改好.xlsx"] = data
	if r := s2.run().Round; len(r.Findings) != 0 {
		t.Errorf("fixed feedback copy has findings:\n%s", dumpFindings(r))
	}
}

func TestSummaryAndFindingsBooks(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	sh, note := cellOf(p, pk.cum.ID, templates.ColNote)
	_, actual := cellOf(p, pk.cum.ID, templates.ColActual)
	s := newScene(t, p)
	s.replace(pk.cum.Lead, func(f *excelize.File) {
		must(f.SetCellStr(sh, note, "=1+1"))
		must(f.SetCellStr(sh, actual, "待统计"))
	})
	res := s.run()
	out := t.TempDir()
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(out, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := mustGet(f.GetRows("汇总表"))
	if len(rows) != len(p.Targets)+1 {
		t.Fatalf("%d rows; want %d", len(rows), len(p.Targets)+1)
	}
	if d, _ := f.GetSheetDimension("汇总表"); d != "A1:Q"+itoa(len(rows)) {
		t.Errorf("汇总表 dimension %q; want A1:Q%d", d, len(rows))
	}
	found := false
	for i, r := range rows {
		if r[0] != pk.cum.ID {
			continue
		}
		found = true
		ref := "M" + itoa(i+1)
		if v, _ := f.GetCellValue("汇总表", ref); v != "=1+1" {
			t.Errorf("进展情况 %q", v)
		}
		if fm, _ := f.GetCellFormula("汇总表", ref); fm != "" {
			t.Errorf("department text became a formula: %q", fm)
		}
		if r[10] != string(plan.Invalid) {
			t.Errorf("status %q", r[10])
		}
	}
	if !found {
		t.Error("target row missing")
	}
	panes, _ := f.GetPanes("汇总表")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	g, err := excelize.OpenFile(filepath.Join(out, FindingsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	frows, _ := g.GetRows("校验结果")
	if len(frows) != len(res.Round.Findings)+1 || len(frows) < 3 {
		t.Errorf("%d finding rows for %d findings", len(frows), len(res.Round.Findings))
	}
	for name, book := range map[string]*excelize.File{SummaryFile: f, FindingsFile: g} {
		sheet := book.GetSheetList()[0]
		tables, _ := book.GetTables(sheet)
		if len(tables) != 1 || tables[0].Range == "" {
			t.Errorf("%s: tables %+v; want one table with filters", name, tables)
		}
		if panes, _ := book.GetPanes(sheet); !panes.Freeze {
			t.Errorf("%s: header not frozen", name)
		}
	}
}

// TestLibreOfficeReturn: a return saved by another office suite is accepted.
func TestLibreOfficeReturn(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice not installed")
		}
		t.Fatal("soffice is required in CI")
	}
	p := loadPlan(t)
	pk := pick(t, p)
	src := t.TempDir()
	d, _ := p.Dept(pk.cum.Lead)
	name := templates.FileName(testPeriod, d)
	writeFile(t, filepath.Join(src, name), goodReturn(t, p, pk.cum.Lead))
	conv := t.TempDir()
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+t.TempDir(), "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", conv, filepath.Join(src, name))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(conv, name))
	if err != nil {
		t.Fatal(err)
	}
	s := newScene(t, p)
	s.skip[pk.cum.Lead] = true
	s.files["另存.xlsx"] = data
	r := s.run().Round
	for _, f := range r.Findings {
		if f.Severity != plan.Info {
			t.Errorf("finding on a LibreOffice-saved return: %s %s!%s %s", f.Code, f.Sheet, f.Cell, f.Message)
		}
	}
	for _, dr := range r.Departments {
		if dr.Code == pk.cum.Lead && (!dr.Submitted || dr.Filled != "2025-10-08") {
			t.Errorf("department %+v", dr)
		}
	}
	tr, _ := r.Result(pk.cum.ID)
	if tr.Value == nil || *tr.Value != goodValue(pk.cum, testPeriod) {
		t.Errorf("value %v", tr.Value)
	}
}

// TestWriteRoundBytes checks that round.json written a list element at a time
// has the bytes of the round encoded whole.
func TestWriteRoundBytes(t *testing.T) {
	whole := func(rd *plan.Round) []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rd); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	p := loadPlan(t)
	s := newScene(t, p)
	full := s.run().Round
	if len(full.Targets) == 0 || len(full.Files) == 0 || len(full.Departments) == 0 {
		t.Fatal("the scene gave an empty round")
	}
	s = newScene(t, p)
	s.withDistricts(map[string]bool{"BOSHAN": true}, nil)
	both := s.run().Round
	if len(both.Districts) == 0 || len(both.DistrictTargets) == 0 || len(both.Rollups) == 0 {
		t.Fatal("the scene with 区县 gave no 区县 figures")
	}
	v, on := 1.5, true
	odd := &plan.Round{Schema: plan.RoundSchema, PlanID: "p<&>", Period: plan.MustPeriod("2025Q3"), Findings: []plan.Finding{},
		Departments: []plan.DeptResult{{Code: "a", Name: "“引号”\n<b>", OnTime: &on}},
		Targets:     []plan.TargetResult{{ID: "1", Value: &v, Note: "a\u2028b"}, {ID: "2"}}}
	for i, rd := range []*plan.Round{full, both, odd, {}, {Findings: []plan.Finding{}, Files: []plan.InputFile{}}} {
		got, err := MarshalRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		if want := whole(rd); !bytes.Equal(got, want) {
			t.Errorf("round %d: streamed bytes differ\n got: %.300s\nwant: %.300s", i, got, want)
		}
	}
}

// TestFeedbackCopyFailures: a feedback copy that cannot be made is named,
// with why, as a finding in round.json and 校验结果.xlsx, and is not counted
// as written.
func TestFeedbackCopyFailures(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	sh, actual := cellOf(p, pk.cum.ID, templates.ColActual)
	d, _ := p.Dept(pk.cum.Lead)
	for _, tc := range []struct {
		name  string
		spoil func(path string)
		why   string
	}{
		{"removed", func(path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, "文件已被移走或删除"},
		{"changed", func(path string) {
			writeFile(t, path, makeReturn(t, p, pk.cum.Lead, set(sh, actual, "约6")))
		}, "被改动或替换"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, filepath.Join(dir, templates.FileName(testPeriod, d)), makeReturn(t, p, pk.cum.Lead, set(sh, actual, "约5")))
			res, err := Collect(p, []string{path}, Options{Period: &testPeriod})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Feedback) != 1 {
				t.Fatalf("%d feedback entries; want 1", len(res.Feedback))
			}
			tc.spoil(path)
			out := t.TempDir()
			if err := res.WriteOutputs(out); err != nil {
				t.Fatal(err)
			}
			if res.FeedbackWritten != 0 {
				t.Errorf("FeedbackWritten %d; want 0", res.FeedbackWritten)
			}
			if _, err := os.Stat(filepath.Join(out, FeedbackDir)); err == nil {
				t.Errorf("a %s folder was made with no copy in it", FeedbackDir)
			}
			fs := findingsWith(res.Round, plan.FileNoFeedback)
			if len(fs) != 1 || fs[0].File != filepath.ToSlash(path) || fs[0].Dept != d.Code || !strings.Contains(fs[0].Message, tc.why) {
				t.Fatalf("F19 findings %+v; want one naming %s and saying %q", fs, path, tc.why)
			}
			data, err := os.ReadFile(filepath.Join(out, RoundFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), `"code": "F19"`) {
				t.Errorf("round.json lacks F19")
			}
			f, err := excelize.OpenFile(filepath.Join(out, FindingsFile))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range rows {
				found = found || strings.Contains(strings.Join(r, "|"), "F19")
			}
			if !found {
				t.Errorf("%s lacks F19", FindingsFile)
			}
		})
	}
}
