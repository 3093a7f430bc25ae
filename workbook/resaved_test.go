package workbook

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/templates"
)

// needTool finds an external program a test needs: locally a missing one
// skips the test, in CI (CI=true) it fails it.
func needTool(t *testing.T, name string, probe ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil && len(probe) > 0 {
		_, err = exec.Command(path, probe...).CombinedOutput()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("%s not available: %v", name, err)
	}
	return path
}

// TestFeedbackOfResavedReturns: a return saved again by LibreOffice or by
// openpyxl (8-digit colours with alpha 00, empty colours) gives feedback
// copies, and a 汇总表 and 校验结果, that excelize, openpyxl and LibreOffice
// all open.
func TestFeedbackOfResavedReturns(t *testing.T) {
	t.Parallel()
	python := needTool(t, "/usr/bin/python3", "-c", "import openpyxl")
	soffice := needTool(t, "soffice")
	p := loadPlan(t)
	pk := pick(t, p)
	sh, actual := cellOf(p, pk.cum.ID, templates.ColActual)
	_, target := cellOf(p, pk.cum.ID, templates.ColTarget)
	d, _ := p.Dept(pk.cum.Lead)
	name := templates.FileName(testPeriod, d)
	work := t.TempDir()
	orig := writeFile(t, filepath.Join(work, "orig", name), makeReturn(t, p, pk.cum.Lead, func(f *excelize.File) {
		set(sh, actual, "约5")(f)
		set(sh, target, 1.0)(f)
	}))
	lo := filepath.Join(work, "libreoffice")
	if out, err := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+t.TempDir(), "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", lo, orig).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	opx := filepath.Join(work, "openpyxl", name)
	if err := os.MkdirAll(filepath.Dir(opx), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(python, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])", orig, opx).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var written []string
	for _, in := range []string{filepath.Join(lo, name), opx} {
		res, err := Collect(p, []string{in}, Options{Period: &testPeriod})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(work, "out-"+filepath.Base(filepath.Dir(in)))
		if err := res.WriteOutputs(out); err != nil {
			t.Fatal(err)
		}
		if res.FeedbackWritten != 1 {
			t.Fatalf("%s: %d feedback copies; want 1", in, res.FeedbackWritten)
		}
		copies, err := filepath.Glob(filepath.Join(out, FeedbackDir, "*.xlsx"))
		if err != nil || len(copies) != 1 {
			t.Fatalf("%s: copies %v (%v)", in, copies, err)
		}
		written = append(written, copies[0], filepath.Join(out, SummaryFile), filepath.Join(out, FindingsFile))
	}
	// excelize reads every sheet of each.
	for _, w := range written {
		f, err := excelize.OpenFile(w)
		if err != nil {
			t.Errorf("excelize cannot open %s: %v", w, err)
			continue
		}
		for _, s := range f.GetSheetList() {
			if _, err := f.GetRows(s); err != nil {
				t.Errorf("excelize cannot read %s!%s: %v", w, s, err)
			}
		}
		f.Close() // only read
	}
	// openpyxl opens each, and sees the alert fill of the marked cell in the copies.
	script := `
import sys, openpyxl
for path in sys.argv[2:]:
    wb = openpyxl.load_workbook(path)
    if "_反馈" in path:
        c = wb[sys.argv[1].split("!")[0]][sys.argv[1].split("!")[1]]
        assert c.fill.fgColor.rgb.upper().endswith("FFC7CE"), (path, c.fill.fgColor.rgb)
print("ok")
`
	args := append([]string{"-c", script, sh + "!" + actual}, written...)
	if out, err := exec.Command(python, args...).CombinedOutput(); err != nil || !strings.Contains(string(out), "ok") {
		t.Errorf("openpyxl: %v\n%s", err, out)
	}
	// LibreOffice opens each (and writes its first sheet out as text), one
	// output folder at a time: their file names are the same.
	for i := 0; i < len(written); i += 3 {
		dst := filepath.Join(work, "csv", itoa(i))
		args := append([]string{"--headless", "-env:UserInstallation=file://" + t.TempDir(), "--convert-to", "csv", "--outdir", dst}, written[i:i+3]...)
		if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
			t.Errorf("soffice: %v\n%s", err, out)
			continue
		}
		for _, w := range written[i : i+3] {
			base := strings.TrimSuffix(filepath.Base(w), ".xlsx") + ".csv"
			if _, err := os.Stat(filepath.Join(dst, base)); err != nil {
				t.Errorf("LibreOffice did not open %s: %v", w, err)
			}
		}
	}
}
