package serve

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/simulate"
	"planrep/templates"
	"planrep/workbook"
)

func TestUnitFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	tok := e.tokens["SWJ"]
	if len(tok) < 22 {
		t.Fatalf("token %q carries fewer than 128 bits", tok)
	}

	// The page names the unit and offers the template and a plain form.
	resp, page := e.get(c, "/u/"+tok)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("unit page: %d", resp.StatusCode)
	}
	for _, want := range []string{"淄博市商务局", "下载本单位填报模板", `enctype="multipart/form-data"`, `action="/u/` + tok + `"`, "本期尚未报送", "2025-10-10"} {
		if !strings.Contains(page, want) {
			t.Errorf("unit page lacks %q", want)
		}
	}

	// The template is this unit's, for this period.
	resp, body := e.get(c, "/u/"+tok+"/template")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	st, err := templates.ReadStamp(f)
	f.Close()
	if err != nil || st.Dept != "SWJ" || st.Period.String() != "2025Q3" {
		t.Fatalf("template stamp %+v, %v", st, err)
	}

	// A clean return: accepted, no findings.
	resp, _ = e.upload(c, "SWJ", "商务局.xlsx", makeReturn(t, e.p, "SWJ", nil))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/u/"+tok+"/s/1" {
		t.Fatalf("upload: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = e.get(c, "/u/"+tok+"/s/1")
	for _, want := range []string{"已接收，校验通过", "没有发现问题", "商务局.xlsx"} {
		if !strings.Contains(page, want) {
			t.Errorf("first submission page lacks %q", want)
		}
	}
	if strings.Contains(page, "下载反馈表") {
		t.Error("a clean return offers a 反馈 copy")
	}

	// A faulty one: the wrong cell is named with what to do, and what
	// changed since the first is listed.
	tg := firstQuant(t, e.p, "SWJ")
	sheet, cell := cellOf(e.p, tg.ID, templates.ColActual)
	bad := makeReturn(t, e.p, "SWJ", func(f *excelize.File) { must(t, f.SetCellStr(sheet, cell, "约5万")) })
	resp, _ = e.upload(c, "SWJ", "商务局-改.xlsx", bad)
	if resp.Header.Get("Location") != "/u/"+tok+"/s/2" {
		t.Fatalf("second upload went to %q", resp.Header.Get("Location"))
	}
	_, page = e.get(c, "/u/"+tok+"/s/2")
	for _, want := range []string{"有 1 个错误需要修改", plan.ValueNotNumber, cell, tg.ID, "不是有效数字", "与第 1 次报送相比", "约5万", "下载反馈表"} {
		if !strings.Contains(page, want) {
			t.Errorf("second submission page lacks %q", want)
		}
	}

	// The 反馈 copy is collect's: a 问题清单 sheet first, the cell commented.
	resp, body = e.get(c, "/u/"+tok+"/s/2/feedback")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("feedback: %d %s", resp.StatusCode, body)
	}
	fb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	if sh := fb.GetSheetList(); len(sh) == 0 || sh[0] != workbook.IssuesSheet {
		t.Fatalf("feedback sheets %v", sh)
	}
	rows := mustGet(fb.GetRows(workbook.IssuesSheet))(t)
	if len(rows) < 3 || !strings.Contains(strings.Join(rows[2], " "), cell) {
		t.Errorf("问题清单 rows %q lack %s", rows, cell)
	}
	comments := mustGet(fb.GetComments(sheet))(t)
	found := false
	for _, cm := range comments {
		found = found || cm.Cell == cell
	}
	if !found {
		t.Errorf("no comment on %s!%s", sheet, cell)
	}

	// The unit's page lists both, newest first, with the state.
	_, page = e.get(c, "/u/"+tok)
	if i, j := strings.Index(page, "第 2 次"), strings.Index(page, "第 1 次"); i < 0 || j < 0 || i > j {
		t.Errorf("history not newest first")
	}
	if !strings.Contains(page, "当前状态：</strong>第 2 次报送") {
		t.Errorf("unit page does not show the latest state")
	}
}

func TestUploadJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client()
	_, page := e.get(c, "/u/"+e.tokens["SWJ"])
	ctype, body := uploadBody(t, csrf(t, page), "a.xlsx", makeReturn(t, e.p, "SWJ", nil))
	req := mustGet(http.NewRequest("POST", e.http.URL+"/u/"+e.tokens["SWJ"], body))(t)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	mustGet(buf.ReadFrom(resp.Body))(t)
	if resp.StatusCode != http.StatusOK || !strings.Contains(buf.String(), `"url":"/u/`+e.tokens["SWJ"]+`/s/1"`) {
		t.Fatalf("script upload: %d %s", resp.StatusCode, buf.String())
	}
}

// A 区县 hands in its return through its link like a department.
func TestDistrictUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ds := e.p.ReportingDistricts()
	if len(ds) == 0 {
		t.Fatal("the default plan has no reporting 区县")
	}
	d := ds[0].Unit()
	tok := e.tokens[d.Code]
	if tok == "" {
		t.Fatalf("no link for %s", d.Code)
	}
	c := e.client()
	_, page := e.get(c, "/u/"+tok)
	if !strings.Contains(page, d.Name) {
		t.Fatalf("page lacks %s", d.Name)
	}
	resp, body := e.get(c, "/u/"+tok+"/template")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("template: %d %v", resp.StatusCode, err)
	}
	if _, err := simulate.Fill(f, e.p, simulate.Options{Period: testPeriod, Seed: 3}, "x.xlsx"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := simulate.Save(f, &buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if resp, _ := e.upload(c, d.Code, "区县.xlsx", buf.Bytes()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	subs := mustGet(e.st.UnitSubmissions("2025Q3", d.Code))(t)
	if len(subs) != 1 || subs[0].Verdict != plan.Accepted || len(subs[0].Values) == 0 {
		t.Fatalf("%s: %+v", d.Code, subs)
	}
	// A department's return sent through the 区县's link is refused.
	e.upload(c, d.Code, "商务局.xlsx", makeReturn(t, e.p, "SWJ", nil))
	subs = mustGet(e.st.UnitSubmissions("2025Q3", d.Code))(t)
	if len(subs) != 2 || subs[1].Findings[0].Code != plan.UploadOtherUnit {
		t.Errorf("SWJ's return through %s's link: %+v", d.Code, subs[len(subs)-1].Findings)
	}
}
