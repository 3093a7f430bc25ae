package workbook

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestOutputsPrint opens 汇总表 and 校验结果 as the office prints them: A4
// landscape fit to the width, the heading row repeated, 宋体, rows tall
// enough for their wrapped text, and files named within the folder the
// returns came from.
func TestOutputsPrint(t *testing.T) {
	p := loadPlan(t)
	dir := t.TempDir()
	writeAll(t, p, dir)
	writeFile(t, filepath.Join(dir, "说明.csv"), []byte("不是报表,请忽略\n")) // a finding with a file
	res, err := Collect(p, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, sheet, fileCol string }{
		{SummaryFile, "汇总表", "来源文件"},
		{FindingsFile, "校验结果", "文件"},
	} {
		t.Run(c.sheet, func(t *testing.T) {
			f, err := excelize.OpenFile(filepath.Join(out, c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pl, err := f.GetPageLayout(c.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
				pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("page layout %+v; want A4 landscape, one page wide", pl)
			}
			if props, _ := f.GetSheetProps(c.sheet); props.FitToPage == nil || !*props.FitToPage {
				t.Error("fit to page is off")
			}
			titles := false
			for _, n := range f.GetDefinedName() {
				titles = titles || n.Name == "_xlnm.Print_Titles" && n.Scope == c.sheet && strings.HasSuffix(n.RefersTo, "!$1:$1")
			}
			if !titles {
				t.Errorf("no repeated heading row: %+v", f.GetDefinedName())
			}
			if font, _ := f.GetDefaultFont(); font != "宋体" {
				t.Errorf("default font %q; want 宋体", font)
			}
			hf, _ := f.GetHeaderFooter(c.sheet)
			if hf == nil || !strings.Contains(hf.OddFooter, "&P") {
				t.Errorf("no page number in the footer: %+v", hf)
			}
			rows, err := f.GetRows(c.sheet)
			if err != nil {
				t.Fatal(err)
			}
			col := -1
			for i, h := range rows[0] {
				if h == c.fileCol {
					col = i
				}
			}
			if col < 0 {
				t.Fatalf("no column %s", c.fileCol)
			}
			if len(rows) < 2 {
				t.Fatal("no data rows")
			}
			for r := 1; r < len(rows); r++ {
				if col < len(rows[r]) && rows[r][col] != "" {
					if v := rows[r][col]; filepath.IsAbs(v) || strings.Contains(v, filepath.ToSlash(dir)) {
						t.Errorf("row %d names %q; want a path within the returns' folder", r+1, v)
					}
				}
				need := 1
				for i, v := range rows[r] {
					w, _ := f.GetColWidth(c.sheet, colName(i+1))
					need = max(need, wrappedLines(v, w))
				}
				if h, _ := f.GetRowHeight(c.sheet, r+1); h < 14.25*float64(need) {
					t.Errorf("row %d is %.1f pt for %d lines of text", r+1, h, need)
				}
			}
		})
	}
}

func colName(i int) string { n, _ := excelize.ColumnNumberToName(i); return n }

// TestPageSetupLongTitle: a title longer than Excel's 255-character header
// (a deep folder named in it) must not stop collect from writing its files.
func TestPageSetupLongTitle(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	title := "淄博市2025年国民经济和社会发展计划 2025年前三季度汇总表（来源文件路径相对于 /" + strings.Repeat("很深的文件夹/", 60) + "）"
	if err := pageSetup(f, "Sheet1", title); err != nil {
		t.Fatal(err)
	}
	hf, err := f.GetHeaderFooter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hf.OddHeader, "汇总表") || strings.Contains(hf.OddHeader, "很深") {
		t.Errorf("header %q; want the title without the folder", hf.OddHeader)
	}
}
