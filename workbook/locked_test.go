package workbook

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// collectOne collects a single return of department dept, edited by edit,
// and gives the round and the findings on that file.
func collectOne(t *testing.T, p *plan.Plan, dept string, edit func(f *excelize.File)) (*plan.Round, []plan.Finding) {
	t.Helper()
	d, _ := p.Dept(dept)
	path := writeFile(t, filepath.Join(t.TempDir(), templates.FileName(testPeriod, d)), makeReturn(t, p, dept, edit))
	res, err := Collect(p, []string{path}, Options{Period: &testPeriod})
	if err != nil {
		t.Fatal(err)
	}
	var fs []plan.Finding
	for _, f := range res.Round.Findings {
		if f.File != "" {
			fs = append(fs, f)
		}
	}
	return res.Round, fs
}

// TestEveryLockedCellChecked changes each locked cell of both data sheets,
// and the 填报单位 of each header block, and wants one S02 at that cell that
// says what the return holds and what the registry says. A changed 指标名称,
// 年度目标 or 单位 makes the target 数据有误; any other definition leaves the
// verdict as it was.
func TestEveryLockedCellChecked(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	good, fs := collectOne(t, p, pk.cum.Lead, nil)
	if len(fs) != 0 {
		t.Fatalf("good return has findings: %v", fs)
	}
	goodMile, _ := collectOne(t, p, pk.mile.Lead, nil)
	type tc struct {
		tg   plan.Target
		cols []templates.Column
	}
	for _, c := range []tc{{pk.cum, templates.QuantColumns}, {pk.mile, templates.MilestoneColumns}} {
		for _, col := range c.cols {
			if col.Input || col.Calc || col.Key == templates.ColID {
				continue
			}
			t.Run(c.tg.ID+" "+col.Header, func(t *testing.T) {
				t.Parallel()
				sheet, ref := cellOf(p, c.tg.ID, col.Key)
				var typed any = "已改动的内容"
				typedText := "已改动的内容"
				if col.Key == templates.ColTarget {
					typed = *c.tg.Value + 7
					typedText = plan.FormatNumber(*c.tg.Value + 7)
				}
				r, fs := collectOne(t, p, c.tg.Lead, set(sheet, ref, typed))
				if len(fs) != 1 || fs[0].Code != plan.StructAltered || fs[0].Sheet != sheet || fs[0].Cell != ref || fs[0].Target != c.tg.ID {
					t.Fatalf("findings %+v; want one S02 at %s!%s for %s", fs, sheet, ref, c.tg.ID)
				}
				want := templates.Definition(c.tg, col.Key)
				if col.Key == templates.ColTarget {
					want = plan.FormatNumber(*c.tg.Value)
				}
				if len([]rune(want)) > 20 {
					want = string([]rune(want)[:20])
				}
				if msg := fs[0].Message; !strings.Contains(msg, want) || !strings.Contains(msg, typedText) {
					t.Errorf("message %q does not say both what the registry says (%q) and what the return holds", msg, want)
				}
				got, _ := r.Result(c.tg.ID)
				before, _ := good.Result(c.tg.ID)
				if !c.tg.Kind.Quantitative() {
					before, _ = goodMile.Result(c.tg.ID)
				}
				switch col.Key {
				case templates.ColIndicator, templates.ColTarget, templates.ColUnit:
					if got.Status != plan.Invalid {
						t.Errorf("status %s; want %s", got.Status, plan.Invalid)
					}
				default:
					if got.Status != before.Status || got.Explanation != before.Explanation {
						t.Errorf("status %s (%s); want it judged as before: %s (%s)", got.Status, got.Explanation, before.Status, before.Explanation)
					}
				}
			})
		}
	}
	for _, sheet := range []string{templates.SheetQuant, templates.SheetMilestone} {
		t.Run(sheet+" 填报单位", func(t *testing.T) {
			t.Parallel()
			d, _ := p.Dept(pk.cum.Lead)
			_, fs := collectOne(t, p, pk.cum.Lead, set(sheet, templates.CellDept, "某某局"))
			if len(fs) != 1 || fs[0].Code != plan.StructAltered || fs[0].Sheet != sheet || fs[0].Cell != templates.CellDept || fs[0].Target != "" ||
				!strings.Contains(fs[0].Message, "某某局") || !strings.Contains(fs[0].Message, d.Name) {
				t.Errorf("findings %+v; want one S02 at %s!%s naming 某某局 and %s", fs, sheet, templates.CellDept, d.Name)
			}
		})
	}
	// A fingerprint that no longer matches, with every cell as the registry
	// says (the stamp itself was edited), is still reported once.
	t.Run("fingerprint only", func(t *testing.T) {
		t.Parallel()
		_, fs := collectOne(t, p, pk.cum.Lead, func(f *excelize.File) {
			rows, err := f.GetRows(templates.SheetMeta)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rows {
				if len(r) > 1 && r[0] == templates.MetaLocked {
					if err := f.SetCellStr(templates.SheetMeta, "B"+itoa(i+1), "0000000000000000"); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := f.SetCustomProps(excelize.CustomProperty{Name: templates.CustomPropPrefix + templates.MetaLocked, Value: "0000000000000000"}); err != nil {
				t.Fatal(err)
			}
		})
		if len(fs) != 1 || fs[0].Code != plan.StructAltered || fs[0].Cell != "" || !strings.Contains(fs[0].Message, "未能定位") {
			t.Errorf("findings %+v; want one S02 for the file", fs)
		}
	})
}

// TestLongNarrative: a narrative past the template's limit is kept whole
// with a warning at its cell; past MaxText it is cut there, and says so.
func TestLongNarrative(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	sheet, note := cellOf(p, pk.cum.ID, templates.ColNote)
	_, next := cellOf(p, pk.cum.ID, templates.ColNext)
	long := strings.Repeat("甲", templates.MaxNarrative) + "乙"
	huge := strings.Repeat("丙", MaxText) + "丁"
	r, fs := collectOne(t, p, pk.cum.Lead, func(f *excelize.File) {
		set(sheet, note, long)(f)
		set(sheet, next, huge)(f)
	})
	got, _ := r.Result(pk.cum.ID)
	if got.Note != long {
		t.Errorf("进展情况 kept %d characters; want all %d", len([]rune(got.Note)), len([]rune(long)))
	}
	if got.NextSteps != huge[:len(huge)-len("丁")] {
		t.Errorf("下步措施 kept %d characters; want the first %d", len([]rune(got.NextSteps)), MaxText)
	}
	at := map[string]string{}
	for _, f := range fs {
		if f.Code != plan.ValueLongText || f.Severity != plan.Warning || f.Target != pk.cum.ID {
			t.Errorf("unexpected finding %+v", f)
		}
		at[f.Cell] = f.Message
	}
	if m := at[note]; !strings.Contains(m, "2001 字") || !strings.Contains(m, "完整保留") {
		t.Errorf("at %s: %q; want a warning that it was kept whole", note, m)
	}
	if m := at[next]; !strings.Contains(m, "20001 字") || !strings.Contains(m, "只保留了前 20000 字") {
		t.Errorf("at %s: %q; want a warning that it was cut", next, m)
	}
}

// pasteStamp replaces f's stamp (the _meta sheet and the document
// properties) with the one of the workbook src.
func pasteStamp(t *testing.T, f *excelize.File, src []byte) {
	t.Helper()
	g, err := excelize.OpenReader(bytesReader(src))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	rows, err := g.GetRows(templates.SheetMeta)
	if err != nil {
		t.Fatal(err)
	}
	old, err := f.GetRows(templates.SheetMeta)
	if err != nil {
		t.Fatal(err)
	}
	for i := range max(len(rows), len(old)) {
		for j, col := range []string{"A", "B"} {
			v := ""
			if i < len(rows) && j < len(rows[i]) {
				v = rows[i][j]
			}
			if err := f.SetCellStr(templates.SheetMeta, col+itoa(i+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	props, err := f.GetCustomProps()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range props {
		if err := f.SetCustomProps(excelize.CustomProperty{Name: p.Name}); err != nil {
			t.Fatal(err)
		}
	}
	props, err = g.GetCustomProps()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range props {
		if err := f.SetCustomProps(p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPastedStamp: a return whose stamp was copied from another
// department's template is a damaged stamp (F16) filed under the
// department its rows belong to, and counted for neither.
func TestPastedStamp(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	b := pk.cum.Lead // whose return it is
	var a plan.Department
	for _, d := range p.LeadDepts() {
		if d.Code != b && len(p.Led(d.Code)) > 0 {
			a = d
			break
		}
	}
	dir := t.TempDir()
	db, _ := p.Dept(b)
	path := writeFile(t, filepath.Join(dir, templates.FileName(testPeriod, db)), makeReturn(t, p, b, func(f *excelize.File) {
		pasteStamp(t, f, makeReturn(t, p, a.Code, nil))
	}))
	res, err := Collect(p, []string{path}, Options{Period: &testPeriod})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Round
	var fs []plan.Finding
	for _, f := range r.Findings {
		if f.File != "" {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 || fs[0].Code != plan.FileBadStamp || fs[0].Dept != b || !strings.Contains(fs[0].Message, a.Short) || !strings.Contains(fs[0].Message, db.Short) {
		t.Fatalf("findings on the file %+v; want one F16 under %s naming %s and %s", fs, b, a.Short, db.Short)
	}
	for _, d := range r.Departments {
		if (d.Code == a.Code || d.Code == b) && d.Submitted {
			t.Errorf("%s counted as submitted with the pasted stamp", d.Code)
		}
	}
	if len(r.Files) != 1 || r.Files[0].Verdict != plan.Rejected || r.Files[0].Dept != b {
		t.Errorf("files %+v; want the file rejected under %s", r.Files, b)
	}
	if len(res.Feedback) != 1 || res.Feedback[0].Dept != b {
		t.Errorf("feedback %+v; want one copy for %s", res.Feedback, b)
	}
}

// TestStampSheetDeleted: a return whose stamp sheet was deleted, with the
// document properties left, is identified by them and says so (S10, info).
func TestStampSheetDeleted(t *testing.T) {
	p := loadPlan(t)
	pk := pick(t, p)
	r, fs := collectOne(t, p, pk.cum.Lead, func(f *excelize.File) {
		if err := f.DeleteSheet(templates.SheetMeta); err != nil {
			t.Fatal(err)
		}
	})
	if len(fs) != 1 || fs[0].Code != plan.StructNoStampSheet || fs[0].Severity != plan.Info || !strings.Contains(fs[0].Message, templates.SheetMeta) {
		t.Errorf("findings %+v; want one S10 (info)", fs)
	}
	for _, d := range r.Departments {
		if d.Code == pk.cum.Lead && !d.Submitted {
			t.Errorf("the return was not accepted")
		}
	}
}
