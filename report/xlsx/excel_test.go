package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/report"
	"planrep/report/internal/sample"
)

var excelOut = flag.String("excel-out", "", "also write the test's progress report to this file, to look at")

// excelTestRound is the sample round of the default plan, with department
// text that looks like formulas in the first lagging target.
func excelTestRound(t testing.TB) (*plan.Plan, *plan.Round) {
	t.Helper()
	p := sample.DefaultPlan(t)
	r := sample.Round(p, sample.Period)
	for i := range r.Targets {
		if r.Targets[i].Status.Lagging() {
			r.Targets[i].Problems = "=1+1"
			r.Targets[i].NextSteps = "@SUM(A1:A2)"
			r.Targets[i].Note = "\x01控制字符\x7f"
			break
		}
	}
	return p, r
}

func excelTestBrief(t testing.TB) (*plan.Plan, *plan.Round, *report.Brief) {
	t.Helper()
	p, r := excelTestRound(t)
	return p, r, report.Compute(p, r, sample.Options())
}

// openExcel writes the brief's workbook to memory and opens it again.
func openExcel(t testing.TB, b *report.Brief) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

func TestExcelSheets(t *testing.T) {
	_, _, b := excelTestBrief(t)
	f, data := openExcel(t, b)
	if *excelOut != "" {
		if err := os.WriteFile(*excelOut, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := f.GetSheetList()
	want := []string{"总览", "主要指标", "分领域", "分部门", "滞后指标", "重点任务", "未报送", "明细", "校验问题"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sheets = %v; want %v", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet = %d; want 0 (总览)", f.GetActiveSheetIndex())
	}
}

// overviewFigures reads 总览's headline table: label in A, value in B.
func overviewFigures(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	rows, err := f.GetRows(SheetOverview, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 && r[0] != "" {
			if _, dup := out[r[0]]; !dup {
				out[r[0]] = r[1]
			}
		}
	}
	return out
}

func TestExcelOverviewMatchesRound(t *testing.T) {
	p, r, b := excelTestBrief(t)
	f, _ := openExcel(t, b)
	fig := overviewFigures(t, f)

	counts := map[plan.Status]int{}
	for _, tr := range b.Rows {
		counts[tr.Status]++
	}
	if got, want := fig["指标总数"], itoa(len(p.Targets)); got != want {
		t.Errorf("指标总数 = %q; want %q", got, want)
	}
	for _, s := range report.Statuses {
		if got, want := fig[string(s)], itoa(counts[s]); got != want {
			t.Errorf("%s = %q; want %q", s, got, want)
		}
	}
	in := 0
	for _, d := range r.Departments {
		if d.Submitted {
			in++
		}
	}
	if got, want := fig["应报送单位"], itoa(len(r.Departments)); got != want {
		t.Errorf("应报送单位 = %q; want %q", got, want)
	}
	if got, want := fig["已报送单位"], itoa(in); got != want {
		t.Errorf("已报送单位 = %q; want %q", got, want)
	}
	// 报送率 is a number shown as a percentage.
	rate := cellByLabel(t, f, SheetOverview, "报送率", 2)
	if got := mustGet(f.GetCellValue(SheetOverview, rate, excelize.Options{RawCellValue: true}))(t); !closeTo(got, float64(in)/float64(len(r.Departments))) {
		t.Errorf("报送率 = %q; want %v", got, float64(in)/float64(len(r.Departments)))
	}
	if shown := mustGet(f.GetCellValue(SheetOverview, rate))(t); !strings.HasSuffix(shown, "%") {
		t.Errorf("报送率 shows %q; want a percentage", shown)
	}
	if fig["按时报送率"] == "" || fig["按时报送率"] == "—" {
		t.Errorf("按时报送率 = %q; want a figure (the sample round has a deadline)", fig["按时报送率"])
	}
	// The status labels of the headline table are coloured by conditional formats.
	cfs, err := f.GetConditionalFormats(SheetOverview)
	if err != nil {
		t.Fatal(err)
	}
	if n := countStatusRules(cfs); n != 1 {
		t.Errorf("总览 has %d ranges coloured by status; want 1", n)
	}
}

func closeTo(s string, want float64) bool {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	d := v - want
	return d < 1e-9 && d > -1e-9
}

// cellByLabel finds the row whose column A reads label and returns the cell in column col.
func cellByLabel(t *testing.T, f *excelize.File, sheet, label string, col int) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			return xlCellName(col, i+1)
		}
	}
	t.Fatalf("%s: no row labelled %q", sheet, label)
	return ""
}

func countStatusRules(cfs map[string][]excelize.ConditionalFormatOptions) int {
	n := 0
	for _, rules := range cfs {
		if len(rules) != len(report.Statuses) {
			continue
		}
		ok := true
		for i, s := range report.Statuses {
			if rules[i].Type != "cell" || (rules[i].Criteria != "==" && rules[i].Criteria != "equal to") || rules[i].Value != `"`+string(s)+`"` {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// header returns the column headings of a table sheet.
func header(t *testing.T, f *excelize.File, sheet string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < xlHeaderRow {
		t.Fatalf("%s has %d rows; want headings in row %d", sheet, len(rows), xlHeaderRow)
	}
	return rows[xlHeaderRow-1]
}

func colOf(t *testing.T, f *excelize.File, sheet, head string) int {
	t.Helper()
	for i, h := range header(t, f, sheet) {
		if h == head {
			return i + 1
		}
	}
	t.Fatalf("%s: no column %q in %v", sheet, head, header(t, f, sheet))
	return 0
}

func TestExcelDetailHasEveryTarget(t *testing.T) {
	p, r, b := excelTestBrief(t)
	f, _ := openExcel(t, b)
	rows, err := f.GetRows(SheetDetail)
	if err != nil {
		t.Fatal(err)
	}
	data := rows[xlFirstRow-1:]
	if len(data) != len(p.Targets) {
		t.Fatalf("明细 has %d target rows; want %d", len(data), len(p.Targets))
	}
	fileCol, cellCol, stCol := colOf(t, f, SheetDetail, "来源文件"), colOf(t, f, SheetDetail, "单元格"), colOf(t, f, SheetDetail, "状态")
	for i, tg := range p.Targets {
		res, _ := r.Result(tg.ID)
		row := data[i]
		get := func(c int) string {
			if c-1 < len(row) {
				return row[c-1]
			}
			return ""
		}
		if row[0] != tg.ID {
			t.Errorf("明细 row %d id = %q; want %q", i+xlFirstRow, row[0], tg.ID)
		}
		if get(fileCol) != res.File || get(cellCol) != res.Cell {
			t.Errorf("明细 %s source = %q %q; want %q %q", tg.ID, get(fileCol), get(cellCol), res.File, res.Cell)
		}
		if get(stCol) != string(b.Rows[i].Status) {
			t.Errorf("明细 %s status = %q; want %q", tg.ID, get(stCol), b.Rows[i].Status)
		}
	}
}

func TestExcelBehindAndMissing(t *testing.T) {
	p, r, b := excelTestBrief(t)
	f, _ := openExcel(t, b)
	rows, err := f.GetRows(SheetBehind)
	if err != nil {
		t.Fatal(err)
	}
	lagging := 0
	for _, tr := range r.Targets {
		if tr.Status.Lagging() {
			lagging++
		}
	}
	if lagging == 0 {
		t.Fatal("the sample round has no lagging target")
	}
	if got := len(rows) - xlHeaderRow; got != lagging {
		t.Errorf("滞后指标 has %d rows; want %d", got, lagging)
	}
	// Progress is a number formatted as a percentage.
	pc := colOf(t, f, SheetBehind, "进度")
	found := false
	for i := range lagging {
		cell := xlCellName(pc, xlFirstRow+i)
		if v := mustGet(f.GetCellValue(SheetBehind, cell))(t); v == "" {
			continue
		}
		found = true
		if typ := mustGet(f.GetCellType(SheetBehind, cell))(t); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s type = %v; want a number", cell, typ)
		}
		if shown := mustGet(f.GetCellValue(SheetBehind, cell))(t); !strings.HasSuffix(shown, "%") {
			t.Errorf("%s shows %q; want a percentage", cell, shown)
		}
		break
	}
	if !found {
		t.Error("no progress figure on 滞后指标")
	}

	missing, err := f.GetRows(SheetMissing)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range r.Departments {
		if !d.Submitted {
			want = append(want, d.Name)
		}
	}
	var got []string
	for _, row := range missing[xlFirstRow-1:] {
		if len(row) > 1 && row[1] != "" {
			got = append(got, row[1])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("未报送 lists %v; want %v", got, want)
	}
	_ = p
}

func TestExcelDepartmentTextIsNeverAFormula(t *testing.T) {
	_, _, b := excelTestBrief(t)
	f, _ := openExcel(t, b)
	for _, want := range []string{"=1+1", "@SUM(A1:A2)"} {
		cells, err := f.SearchSheet(SheetBehind, want)
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) == 0 {
			t.Fatalf("%q not found on 滞后指标", want)
		}
		for _, c := range cells {
			if formula := mustGet(f.GetCellFormula(SheetBehind, c))(t); formula != "" {
				t.Errorf("%s holds formula %q; want the text %q", c, formula, want)
			}
			if typ := mustGet(f.GetCellType(SheetBehind, c))(t); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s type = %v; want a string", c, typ)
			}
			if v := mustGet(f.GetCellValue(SheetBehind, c))(t); v != want {
				t.Errorf("%s = %q; want %q", c, v, want)
			}
		}
	}
	// Control characters are dropped, the text kept.
	cells := mustGet(f.SearchSheet(SheetDetail, "控制字符"))(t)
	if len(cells) != 1 {
		t.Fatalf("控制字符 found %d times on 明细; want 1", len(cells))
	}
	if v := mustGet(f.GetCellValue(SheetDetail, cells[0]))(t); v != "控制字符" {
		t.Errorf("%s = %q; want %q", cells[0], v, "控制字符")
	}
}

func TestExcelChartsPresent(t *testing.T) {
	_, _, b := excelTestBrief(t)
	_, data := openExcel(t, b)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name] = string(body)
	}
	var kinds []string
	for i := 1; i <= 3; i++ {
		c, ok := parts["xl/charts/chart"+itoa(i)+".xml"]
		if !ok {
			t.Fatalf("xl/charts/chart%d.xml missing", i)
		}
		switch {
		case chartTag(c, "doughnutChart>"):
			kinds = append(kinds, "doughnut")
		case chartTag(c, `grouping val="stacked"`):
			kinds = append(kinds, "stacked")
		case chartTag(c, "barChart>"):
			kinds = append(kinds, "bar")
		default:
			kinds = append(kinds, "other")
		}
		if !strings.Contains(c, "总览") {
			t.Errorf("chart%d does not refer to 总览's data", i)
		}
	}
	if want := []string{"doughnut", "stacked", "bar"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("charts = %v; want %v", kinds, want)
	}
	if _, ok := parts["xl/drawings/drawing1.xml"]; !ok {
		t.Error("xl/drawings/drawing1.xml missing")
	}
	if !strings.Contains(parts["xl/worksheets/sheet1.xml"], "<drawing ") {
		t.Error("总览 (sheet1) has no drawing")
	}
}

// chartTag reports whether chart XML has the element, with or without the c: prefix.
func chartTag(xml, tag string) bool {
	return strings.Contains(xml, "<"+tag) || strings.Contains(xml, "<c:"+tag)
}

func TestExcelTablesAreWorkable(t *testing.T) {
	_, _, b := excelTestBrief(t)
	f, _ := openExcel(t, b)
	statusCols := map[string]string{
		SheetMainGoals: "状态", SheetBehind: "状态", SheetMilestones: "状态", SheetDetail: "状态", SheetDepts: "报送情况",
	}
	for _, s := range ExcelSheets[1:] {
		t.Run(s, func(t *testing.T) {
			panes, err := f.GetPanes(s)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != xlHeaderRow {
				t.Errorf("panes = %+v; want the first %d rows frozen", panes, xlHeaderRow)
			}
			// The filter sits on the heading row.
			names := f.GetDefinedName()
			filter := false
			for _, n := range names {
				if n.Name == "_xlnm._FilterDatabase" && n.Scope == s && strings.Contains(n.RefersTo, "$A$3:") {
					filter = true
				}
			}
			if !filter {
				t.Errorf("no autofilter on row %d", xlHeaderRow)
			}
			// Print-ready: A4 landscape, fit to width, headings repeated.
			pl, err := f.GetPageLayout(s)
			if err != nil {
				t.Fatal(err)
			}
			if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 {
				t.Errorf("page layout = size %d %s fit %d; want A4 landscape fit to width", *pl.Size, *pl.Orientation, *pl.FitToWidth)
			}
			titles := false
			for _, n := range names {
				if n.Name == "_xlnm.Print_Titles" && n.Scope == s && strings.HasSuffix(n.RefersTo, "$3:$3") {
					titles = true
				}
			}
			if !titles {
				t.Error("no print titles")
			}
			if head, ok := statusCols[s]; ok {
				col := xlColName(colOf(t, f, s, head))
				cfs, err := f.GetConditionalFormats(s)
				if err != nil {
					t.Fatal(err)
				}
				coloured := false
				for ref, rules := range cfs {
					if strings.HasPrefix(ref, col+itoa(xlFirstRow)+":") && countStatusRules(map[string][]excelize.ConditionalFormatOptions{ref: rules}) == 1 {
						coloured = true
					}
				}
				if !coloured {
					t.Errorf("column %s (%s) has no status colours; conditional formats: %v", col, head, cfs)
				}
				// Colours come from conditional formats only: the cells have no fill of their own.
				st := mustGet(f.GetCellStyle(s, col+itoa(xlFirstRow)))(t)
				if style := mustGet(f.GetStyle(st))(t); style != nil && len(style.Fill.Color) > 0 {
					t.Errorf("%s%d has a static fill %v", col, xlFirstRow, style.Fill.Color)
				}
			}
			// Widths fit: no column narrower than its heading.
			for i, h := range header(t, f, s) {
				w := mustGet(f.GetColWidth(s, xlColName(i+1)))(t)
				if w < xlTextWidth(h) {
					t.Errorf("column %q is %.1f wide; want at least %.1f", h, w, xlTextWidth(h))
				}
			}
		})
	}
}

func TestExcelDeterministic(t *testing.T) {
	_, _, b := excelTestBrief(t)
	f1, d1 := openExcel(t, b)
	f2, d2 := openExcel(t, b)
	for _, s := range f1.GetSheetList() {
		r1 := mustGet(f1.GetRows(s, excelize.Options{RawCellValue: true}))(t)
		r2 := mustGet(f2.GetRows(s, excelize.Options{RawCellValue: true}))(t)
		if !reflect.DeepEqual(r1, r2) {
			t.Errorf("sheet %s differs between two writes of the same brief", s)
		}
	}
	if !bytes.Equal(d1, d2) {
		t.Error("two writes of the same brief differ in bytes")
	}
	props, err := f1.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2025-10-15T00:00:00Z" || props.Modified != props.Created {
		t.Errorf("created %q modified %q; want the brief's date", props.Created, props.Modified)
	}
}

func TestExcelEmptyRound(t *testing.T) {
	p := sample.DefaultPlan(t)
	r := &plan.Round{Schema: plan.RoundSchema, PlanID: p.ID, Period: plan.MustPeriod("2025H1")}
	for _, d := range p.LeadDepts() {
		r.Departments = append(r.Departments, plan.DeptResult{Code: d.Code, Name: d.Name, Short: d.Short})
	}
	b := report.Compute(p, r, report.Options{})
	f, _ := openExcel(t, b)
	fig := overviewFigures(t, f)
	if fig["未报送"] != itoa(len(p.Targets)) {
		t.Errorf("未报送 = %q; want %d", fig["未报送"], len(p.Targets))
	}
	if fig["按时报送率"] == "" {
		t.Error("按时报送率 row missing")
	}
	v := mustGet(f.GetCellValue(SheetBehind, "A4"))(t)
	if v != "本期没有滞后指标。" {
		t.Errorf("empty 滞后指标 says %q", v)
	}
	// A brief with nothing at all still gives a workbook.
	if _, err := Build(&report.Brief{}); err != nil {
		t.Errorf("empty brief: %v", err)
	}
	if _, err := Build(nil); err == nil {
		t.Error("nil brief: no error")
	}
}

// TestExcelOddInput feeds what a department or a user might: very long text,
// an ampersand and a long title. The workbook must still be written.
func TestExcelOddInput(t *testing.T) {
	p, r := excelTestRound(t)
	long := strings.Repeat("因征地拆迁等前置手续未办结，项目开工延后；", 400)
	for i := range r.Targets {
		r.Targets[i].Note = long
	}
	b := report.Compute(p, r, report.Options{Title: strings.Repeat("A&B 计划执行情况", 40), Date: sample.Date})
	f, _ := openExcel(t, b)
	v := mustGet(f.GetCellValue(SheetDetail, xlCellName(colOf(t, f, SheetDetail, "进展情况"), xlFirstRow)))(t)
	if v != long {
		t.Errorf("long text came back with %d characters; want %d", len([]rune(v)), len([]rune(long)))
	}
	hf, err := f.GetHeaderFooter(SheetDetail)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(hf.OddHeader)); n > 255 {
		t.Errorf("header has %d characters; Excel allows 255", n)
	}
}

// TestExcelInLibreOffice prints the workbook through LibreOffice, as another
// office suite would show it: the charts draw (their titles appear), every
// sheet prints, and department text prints as typed.
func TestExcelInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice not found, but CI is set: .ci/run must install libreoffice-calc")
		}
		t.Skip("soffice (LibreOffice) is not installed: skipping (it runs in CI)")
	}
	sample.NeedTool(t, "pdftotext")
	_, _, b := excelTestBrief(t)
	_, data := openExcel(t, b)
	dir := t.TempDir()
	in := filepath.Join(dir, "进度报告.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-layout", filepath.Join(dir, "进度报告.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"指标状态分布", "分领域指标进展情况", "各单位已完成和序时推进指标占比", "指标总数", "=1+1", "催报清单"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed workbook lacks %q", want)
		}
	}
	for _, s := range ExcelSheets {
		if !strings.Contains(text, "· "+s) && s != SheetOverview {
			t.Errorf("sheet %s did not print", s)
		}
	}
	if pages := strings.Count(text, "\f"); pages < len(ExcelSheets) || pages > 80 {
		t.Errorf("%d pages printed; want between %d and 80", pages, len(ExcelSheets))
	}
}

func TestTextWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want float64
	}{{"", 0}, {"abc", 3}, {"滞后", 4}, {"5%以上", 6}, {"（一）", 6}} {
		if got := xlTextWidth(c.s); got != c.want {
			t.Errorf("xlTextWidth(%q) = %v; want %v", c.s, got, c.want)
		}
	}
}

func BenchmarkExcel(b *testing.B) {
	_, _, br := excelTestBrief(b)
	for b.Loop() {
		if err := Write(io.Discard, br); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestOddRound writes briefs of rounds collect would never write: no panic, no error.
func TestOddRound(t *testing.T) {
	for _, b := range sample.OddBriefs(t) {
		var buf bytes.Buffer
		if err := Write(&buf, b); err != nil {
			t.Errorf("Write: %v", err)
		}
	}
}
