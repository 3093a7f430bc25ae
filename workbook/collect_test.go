package workbook

import (
	"path/filepath"
	"testing"

	"planrep/plan"
)

func TestCollectClean(t *testing.T) {
	p := loadPlan(t)
	dir := t.TempDir()
	writeAll(t, p, dir)
	res, err := Collect(p, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Round
	if len(r.Findings) != 0 {
		t.Errorf("findings on clean returns:\n%s", dumpFindings(r))
	}
	if r.Period != "2025Q3" {
		t.Errorf("period %q", r.Period)
	}
	for _, tr := range r.Targets {
		if tr.Status == plan.Invalid || tr.Status == plan.Missing {
			t.Errorf("target %s: %s %s", tr.ID, tr.Status, tr.Explanation)
		}
	}
	for _, d := range r.Departments {
		if !d.Submitted {
			t.Errorf("dept %s not submitted", d.Code)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
}
