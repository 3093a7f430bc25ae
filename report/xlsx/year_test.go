package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/report"
	"planrep/report/internal/sample"
)

// TestExcelYear: with a year, the workbook gains 报送率, 滞后预警 and 趋势,
// whose cells hold the Brief's figures, and native line charts of the trends.
func TestExcelYear(t *testing.T) {
	t.Parallel()
	b, _, _ := sample.YearBrief(t)
	f, data := openExcel(t, b)
	sheets := f.GetSheetList()
	if got := strings.Join(sheets[len(sheets)-3:], ","); got != "报送率,滞后预警,趋势" {
		t.Fatalf("sheets = %v", sheets)
	}
	y := b.Year
	rows, err := f.GetRows(SheetRates)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range y.Periods {
		r := rows[xlFirstRow-1+i]
		if r[0] != p.Label || r[1] != fmt.Sprint(p.Expected) || r[2] != fmt.Sprint(p.Submitted) {
			t.Errorf("报送率 row %d = %v; want %+v", i+1, r, p)
		}
	}
	if !strings.Contains(fmt.Sprint(rows), "本期更正："+y.Corrections[0].Dept+"10月12日更正 2 项") {
		t.Errorf("报送率 lacks the correction: %v", rows)
	}
	rows = mustGet(f.GetRows(SheetAlerts))(t)
	for i, e := range y.Escalated {
		r := rows[xlFirstRow-1+i]
		if r[0] != e.ID || r[3] != e.Label || r[4] != e.Reason {
			t.Errorf("滞后预警 row %d = %v; want %+v", i+1, r, e)
		}
	}
	rows = mustGet(f.GetRows(SheetTrend, excelize.Options{RawCellValue: true}))(t)
	np := len(y.Periods)
	if head := rows[xlHeaderRow-1]; head[4] != y.Periods[0].Label || head[4+np] != "环比" {
		t.Errorf("趋势 header = %v", head)
	}
	for i, tr := range y.Trends {
		r := rows[xlFirstRow-1+i]
		if r[0] != tr.ID || r[4+np] != tr.ChangeWords {
			t.Errorf("趋势 row %d = %v; want %s 环比 %s", i+1, r, tr.ID, tr.ChangeWords)
		}
		for k, pt := range tr.Points {
			want := "—"
			if pt.Value != nil {
				want = fmt.Sprint(*pt.Value)
			}
			if r[4+k] != want {
				t.Errorf("趋势 %s %s = %q; want %q", tr.ID, y.Periods[k].Label, r[4+k], want)
			}
		}
	}
	// Native line charts, one a target up to the limit.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc := mustGet(zf.Open())(t)
			var buf bytes.Buffer
			mustGet(buf.ReadFrom(rc))(t)
			rc.Close()
			if strings.Contains(buf.String(), "<lineChart>") && strings.Contains(buf.String(), "趋势") {
				lines++
			}
		}
	}
	if want := min(len(y.Trends), yearTrendCharts); lines != want {
		t.Errorf("%d line charts on 趋势; want %d", lines, want)
	}
}

// TestExcelNoYear: a brief without a year has none of the year's sheets.
func TestExcelNoYear(t *testing.T) {
	t.Parallel()
	b := report.Compute(sample.TestPlan(t), sample.Round(sample.TestPlan(t), sample.Period), sample.Options())
	f, _ := openExcel(t, b)
	for _, s := range f.GetSheetList() {
		if s == SheetTrend || s == SheetRates || s == SheetAlerts {
			t.Errorf("sheet %s without a year", s)
		}
	}
}
