package planxlsx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// splitHandMade is handMade with two 区县, an example split of 1-01 and an
// own 区县 target of the level 6-01.
func splitHandMade() *plan.Plan {
	p := handMade()
	p.Districts = []plan.District{
		{Code: "ZD", Name: "示例市张店区", Short: "张店区", Contact: "李四", Phone: "0533-7654321"},
		{Code: "ZC", Name: "示例市淄川区", Short: "淄川区"},
	}
	p.Split = &plan.SplitNote{Example: true, Rule: "示例：平均分配，向上取整。"}
	p.Targets[2].Quotas = map[string]float64{"ZD": 215, "ZC": 215}
	p.Targets[5].Own = map[string]float64{"ZD": 0.1}
	return p
}

func TestSplitRoundTrip(t *testing.T) {
	p := splitHandMade()
	data := write(t, p)
	b := read(t, data)
	if len(b.Problems) != 0 {
		t.Fatalf("reading the exported workbook: %v", b.Problems)
	}
	if !reflect.DeepEqual(b.Plan, p) {
		if !reflect.DeepEqual(b.Plan.Districts, p.Districts) || !reflect.DeepEqual(b.Plan.Split, p.Split) {
			t.Errorf("districts %+v split %+v; want %+v %+v", b.Plan.Districts, b.Plan.Split, p.Districts, p.Split)
		}
		diffPlans(t, b.Plan, p)
	}
	f := open(t, data)
	title, _ := f.GetCellValue(SheetSplit, "A1")
	if !strings.HasPrefix(title, "【示例】") || !strings.Contains(title, "平均分配") {
		t.Errorf("title %q; want it to start 【示例】 and state the rule", title)
	}
	for ref, want := range map[string]string{"A2": "编号", "F2": "分解方式", "G2": "张店区", "H2": "淄川区", "I2": headSum, "J2": headShortfall,
		"A5": "1-01", "F5": MethodQuota, "G5": "215", "A7": "6-01", "F7": MethodOwn, "G7": "0.1", "A3": "Z-01", "F3": MethodOwn} {
		if got, _ := f.GetCellValue(SheetSplit, ref); got != want {
			t.Errorf("分解!%s = %q; want %q", ref, got, want)
		}
	}
	if got, _ := f.CalcCellValue(SheetSplit, "I5"); got != "430" {
		t.Errorf("区县合计 of 1-01 computes to %q; want 430", got)
	}
	if got, _ := f.CalcCellValue(SheetSplit, "J5"); got != "0" {
		t.Errorf("差额 of 1-01 computes to %q; want 0", got)
	}
	if got, _ := f.CalcCellValue(SheetSplit, "I7"); got != "" {
		t.Errorf("区县合计 of the level 6-01 computes to %q; want blank (own targets do not add up)", got)
	}
	rows := mustGet(f.GetRows(SheetPlan))
	found := false
	for _, r := range rows {
		found = found || len(r) > 1 && r[0] == KeySplitNature && r[1] == "示例"
	}
	if !found {
		t.Errorf("计划 sheet has no %s 示例 row", KeySplitNature)
	}
	cfs, _ := f.GetConditionalFormats(SheetSplit)
	if len(cfs) == 0 {
		t.Error("no conditional format marks a shortfall red")
	}
}

func TestSplitEditedWorkbookChecked(t *testing.T) {
	data := edit(t, write(t, splitHandMade()), func(f *excelize.File) {
		must(f.SetCellFloat(SheetSplit, "H5", 200, -1, 64)) // 1-01 淄川区: 415 in all, 15 short
		must(f.SetCellStr(SheetSplit, "F7", MethodQuota))   // 6-01 is a level: no quotas
		must(f.SetCellStr(SheetSplit, "G4", "约5"))          // Z-04 张店区: not a number
		must(f.SetCellStr(SheetSplit, "K2", "周村区"))         // not in the roster
		must(f.SetCellStr(SheetSplit, "A12", "9-99"))       // no such target
		must(f.SetCellInt(SheetSplit, "G12", 3))
	})
	b := read(t, data)
	b.Plan.Text = splitHandMade().Text
	got := map[string]Problem{}
	for _, pr := range b.Check() {
		got[pr.Message] = pr
	}
	want := []struct {
		msg   string
		sheet string
		row   int
	}{
		{"区县分解任务合计 415个，少于全市目标 430个，还差 15个", SheetSplit, 5},
		{"水平值类指标的数值不能在区县之间相加，不能下达分解任务（quotas）", SheetSplit, 7},
		{"张店区的分解数“约5”不是数字", SheetSplit, 4},
		{"列标题“周村区”不是“区县”工作表中的区县", SheetSplit, 2},
		{"编号在“指标”工作表中找不到", SheetSplit, 12},
	}
	for _, w := range want {
		ok := false
		for msg, pr := range got {
			if strings.HasPrefix(msg, w.msg) {
				ok = true
				if pr.Sheet != w.sheet || pr.Row != w.row {
					t.Errorf("%q located at %s row %d; want %s row %d", w.msg, pr.Sheet, pr.Row, w.sheet, w.row)
				}
			}
		}
		if !ok {
			t.Errorf("no problem %q among %v", w.msg, got)
		}
	}
}

func TestSplitDistrictProblemsLocated(t *testing.T) {
	data := edit(t, write(t, splitHandMade()), func(f *excelize.File) {
		must(f.SetCellStr(SheetDistricts, "A3", "FGW")) // 淄川区 takes a department's code
	})
	b := read(t, data)
	b.Plan.Text = splitHandMade().Text
	found := false
	for _, pr := range b.Check() {
		if strings.HasPrefix(pr.Message, "区县代码 FGW 与部门代码重复") {
			found = true
			if pr.Sheet != SheetDistricts || pr.Row != 3 {
				t.Errorf("located at %s row %d; want %s row 3", pr.Sheet, pr.Row, SheetDistricts)
			}
		}
	}
	if !found {
		t.Error("a 区县 code equal to a department's is not reported")
	}
}

func TestWorkbookWithoutDistrictSheets(t *testing.T) {
	// A 任务分工表 exported before 区县 existed still imports.
	data := edit(t, write(t, handMade()), func(f *excelize.File) {
		must(f.DeleteSheet(SheetDistricts))
		must(f.DeleteSheet(SheetSplit))
	})
	b := read(t, data)
	if len(b.Problems) != 0 || len(b.Plan.Districts) != 0 {
		t.Errorf("problems %v, districts %v; want none", b.Problems, b.Plan.Districts)
	}
}
