package simulate

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/templates"
)

// TestSavedResultsMatchOffice opens returns in LibreOffice, which
// recalculates every formula, and compares its results with the ones the
// simulation saved: they must be what a spreadsheet program computes.
func TestSavedResultsMatchOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice (LibreOffice) is required in CI")
		}
		t.Skip("soffice (LibreOffice) not installed: cannot check saved formula results against an office suite")
	}
	p := defaultPlan(t)
	out := t.TempDir()
	m, err := Run(p, "", out, Options{Period: period, Seed: 5, Faults: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	// The returns with the most mistakes exercise the self-checks most.
	var files []string
	for _, r := range m.Returns {
		if len(r.Faults) >= 2 && len(files) < 3 {
			files = append(files, filepath.Join(out, filepath.FromSlash(r.File)))
		}
	}
	conv := t.TempDir()
	profile := "file://" + filepath.ToSlash(t.TempDir())
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "xlsx", "--outdir", conv}, files...)
	if b, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	compared := 0
	for _, in := range files {
		ours := open(t, in)
		theirs := open(t, filepath.Join(conv, filepath.Base(in)))
		for _, sh := range []string{templates.SheetQuant, templates.SheetMilestone} {
			rows, _ := ours.GetRows(sh)
			for r := 1; r <= len(rows); r++ {
				for c := 1; c <= len(templates.QuantColumns); c++ {
					ref, _ := excelize.CoordinatesToCellName(c, r)
					if fo, _ := ours.GetCellFormula(sh, ref); fo == "" {
						continue
					}
					compared++
					a, b := cellValue(t, ours, sh, ref), cellValue(t, theirs, sh, ref)
					if a != b && !sameFloat(a, b) {
						t.Errorf("%s %s!%s: saved %q, LibreOffice computes %q", filepath.Base(in), sh, ref, a, b)
					}
				}
			}
		}
	}
	if compared < 10 {
		t.Errorf("only %d formula cells compared", compared)
	}
}

func sameFloat(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(x))
}
