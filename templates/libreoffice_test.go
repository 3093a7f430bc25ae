package templates

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// needSoffice finds LibreOffice. Locally its absence skips the test; in CI
// (CI set) it is a failure, since .ci/run installs it.
func needSoffice(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice (LibreOffice) is not installed: skipping the compatibility test (it runs in CI)")
		}
		t.Fatal("soffice not found, but CI is set: .ci/run must install libreoffice-calc")
	}
	return path
}

// TestLibreOfficeRoundTrip fills a template, lets LibreOffice open it and
// save it again as .xlsx (as another office suite would), and checks that
// the stamp, the row map, the locked cells' fingerprint, the input cells and
// their validations survive, and that LibreOffice's own recalculation of the
// check formulas agrees with what they are meant to say.
func TestLibreOfficeRoundTrip(t *testing.T) {
	soffice := needSoffice(t)
	p := testPlan(t)
	f, _ := roundTrip(t, p, "FGW", testOptions())
	st, err := ReadStamp(f)
	if err != nil {
		t.Fatal(err)
	}
	// Rows (see testdata/plan.yaml): Z-01 growth, Z-02 ceiling, 1-01 cumulative, 1-02 level; 1-03, 1-04 milestones.
	q := func(key string, r int) string { return fmt.Sprintf("%s%d", Col(QuantColumns, key), r) }
	m := func(key string, r int) string { return fmt.Sprintf("%s%d", Col(MilestoneColumns, key), r) }
	for ref, v := range map[string]any{
		q(ColActual, 5): 5.2, q(ColActual, 6): 6.0, q(ColActual, 7): 200, q(ColNote, 7): "已签约项目180个",
		CellFiller: "张三", CellPhone: "0533-1234567",
	} {
		if err := f.SetCellValue(SheetQuant, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue(SheetMilestone, m(ColStatus, 5), plan.MilestoneBehind))
	must(f.SetCellValue(SheetMilestone, m(ColStatus, 6), plan.MilestoneDone))

	dir := t.TempDir()
	in := filepath.Join(dir, "in", "return.xlsx")
	must(os.MkdirAll(filepath.Dir(in), 0o755))
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	g, err := excelize.OpenFile(filepath.Join(out, "return.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()

	got, err := ReadStamp(g)
	if err != nil {
		t.Fatalf("stamp after LibreOffice: %v", err)
	}
	if got.Dept != st.Dept || got.Period != st.Period || got.PlanFingerprint != st.PlanFingerprint || got.Locked != st.Locked ||
		strings.Join(got.QuantRows, ",") != strings.Join(st.QuantRows, ",") || strings.Join(got.MilestoneRows, ",") != strings.Join(st.MilestoneRows, ",") ||
		len(got.Targets) != len(st.Targets) || got.Generated != st.Generated {
		t.Errorf("stamp after LibreOffice %+v; want %+v", got, st)
	}
	if fp, err := LockedFingerprint(g, got); err != nil || fp != st.Locked {
		t.Errorf("locked fingerprint after LibreOffice %q, %v; want %q", fp, err, st.Locked)
	}
	if visible, _ := g.GetSheetVisible(SheetMeta); visible {
		t.Errorf("%s became visible", SheetMeta)
	}
	for i, id := range st.QuantRows {
		if v, _ := g.GetCellValue(SheetQuant, cell(1, FirstDataRow+i)); v != id {
			t.Errorf("row %d: %q; want %q", FirstDataRow+i, v, id)
		}
	}

	// Input cells stay unlocked and validated; definitions stay locked.
	for _, part := range []struct {
		sheet string
		cols  []Column
		n     int
	}{{SheetQuant, QuantColumns, len(st.QuantRows)}, {SheetMilestone, MilestoneColumns, len(st.MilestoneRows)}} {
		dvs, _ := g.GetDataValidations(part.sheet)
		for i := 0; i < part.n; i++ {
			for ci, c := range part.cols {
				ref := cell(ci+1, FirstDataRow+i)
				if lk := locked(t, g, part.sheet, ref); lk == c.Input {
					t.Errorf("%s!%s locked=%v after LibreOffice", part.sheet, ref, lk)
				}
				if c.Input {
					dv := covering(dvs, ref)
					if dv == nil || dv.Prompt == nil || *dv.Prompt == "" {
						t.Errorf("%s!%s lost its validation or prompt", part.sheet, ref)
					} else if c.Key == ColStatus && !strings.Contains(dv.Formula1, SheetLists) {
						t.Errorf("status list now %q", dv.Formula1)
					}
				}
			}
		}
		prot, err := g.GetSheetProtection(part.sheet)
		if err != nil || !prot.SelectUnlockedCells {
			t.Errorf("%s protection after LibreOffice %+v, %v", part.sheet, prot, err)
		}
	}
	if v, _ := g.GetCellValue(SheetQuant, CellFiller); v != "张三" {
		t.Errorf("填报人 %q", v)
	}

	// LibreOffice recalculated and saved the results.
	for _, c := range []struct{ sheet, ref, want string }{
		{SheetQuant, q(ColCheck, 5), ""},
		{SheetQuant, q(ColProgress, 5), "达到目标"},
		{SheetQuant, q(ColCheck, 6), CheckOverCap},
		{SheetQuant, q(ColCheck, 7), CheckBehind},
		{SheetQuant, q(ColCheck, 8), CheckEmpty},
		{SheetMilestone, m(ColCheck, 5), CheckBehind},
		{SheetMilestone, m(ColCheck, 6), ""},
	} {
		if v, _ := g.GetCellValue(c.sheet, c.ref); v != c.want {
			t.Errorf("%s!%s after LibreOffice: %q; want %q", c.sheet, c.ref, v, c.want)
		}
	}
	if v, _ := g.GetCellValue(SheetQuant, q(ColProgress, 7), excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "0.465") {
		t.Errorf("完成进度 of 200/430 after LibreOffice: %q", v)
	}
}
