package simulate

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"planrep/plan"
	"planrep/workbook"
)

// TestCollectFindsEveryFault runs the whole loop: templates → simulate with
// mistakes → collect. Collect must report each injected mistake's finding
// at its cell, and nothing else.
func TestCollectFindsEveryFault(t *testing.T) {
	p := defaultPlan(t)
	tmpl := writeTemplates(t, p)
	seen := map[string]bool{}
	for _, c := range []struct {
		seed uint64
		rate float64
	}{{1, 0.1}, {2, 0.4}, {3, 0.4}, {4, 0.4}} {
		t.Run(fmt.Sprintf("seed%d_rate%v", c.seed, c.rate), func(t *testing.T) {
			out := t.TempDir()
			m, err := Run(p, tmpl, out, Options{Seed: c.seed, Faults: c.rate, Missing: 1})
			if err != nil {
				t.Fatal(err)
			}
			res, err := workbook.Collect(p, []string{filepath.Join(out, ReturnsDir)}, workbook.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkFindings(t, m, res.Round.Findings)
			for _, fl := range m.Faults() {
				seen[fl.Fault] = true
			}
		})
	}
	for kind := range Kinds() {
		if !seen[kind] {
			t.Errorf("no %s mistake was made: pick seeds that cover every kind", kind)
		}
	}
}

// checkFindings holds findings to the manifest: every fault found, every
// finding explained.
func checkFindings(t *testing.T, m *Manifest, findings []plan.Finding) {
	t.Helper()
	found := func(fl Fault, f plan.Finding) bool {
		if path.Base(f.File) != path.Base(fl.File) || f.Sheet != fl.Sheet {
			return false
		}
		if fl.Fault == faultRowDeleted {
			return f.Target == fl.Target
		}
		return f.Cell == fl.Cell
	}
	faults := m.Faults()
	if len(faults) == 0 {
		t.Fatal("no faults injected")
	}
	kinds := map[string]bool{}
	for _, fl := range faults {
		kinds[fl.Fault] = true
		ok := false
		for _, f := range findings {
			if f.Code == fl.Code && found(fl, f) {
				ok = true
				break
			}
		}
		if !ok {
			var near []string
			for _, f := range findings {
				if path.Base(f.File) == path.Base(fl.File) {
					near = append(near, fmt.Sprintf("%s %s!%s %s %s", f.Code, f.Sheet, f.Cell, f.Target, f.Message))
				}
			}
			t.Errorf("fault %s (%q) at %s %s!%s (%s) not reported as %s; findings of that file:\n  %s",
				fl.Fault, fl.Entered, path.Base(fl.File), fl.Sheet, fl.Cell, fl.Target, fl.Code, strings.Join(near, "\n  "))
		}
	}
	missing := map[string]bool{}
	for _, md := range m.Missing {
		missing[md.Dept] = true
	}
	for _, f := range findings {
		explained := false
		if (f.Code == plan.MissingDept || f.Code == plan.MissingDistrict) && missing[f.Dept] {
			continue
		}
		// The 区县 add up to the city figure unless a mistake was injected
		// in a row of that target, the department's or a 区县's.
		if f.Code == plan.ConsistencyDiffers {
			for _, fl := range faults {
				explained = explained || fl.Target == f.Target
			}
			if explained {
				continue
			}
		}
		for _, fl := range faults {
			if path.Base(fl.File) != path.Base(f.File) {
				continue
			}
			if f.Code == fl.Code && found(fl, f) {
				explained = true
				break
			}
		}
		if !explained {
			t.Errorf("unexpected finding %s (%s) in %s %s!%s %s: %s", f.Code, f.Severity, path.Base(f.File), f.Sheet, f.Cell, f.Target, f.Message)
		}
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	t.Logf("%d faults of %d kinds: %s", len(faults), len(ks), strings.Join(ks, " "))
}
