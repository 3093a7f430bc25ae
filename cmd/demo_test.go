package cmd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/seeds"
	"planrep/simulate"
	"planrep/templates"
)

// TestDemo runs the whole cycle on the embedded plan and checks what each
// stage left behind, then runs it again into the same folder.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo runs the whole cycle; skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "演示")
	runDemo := func() string {
		g, out, errOut := Test()
		if code := Run(&Globals{IO: g}, []string{"demo", "-o", dir}); code != ExitOK {
			t.Fatalf("demo exited %d; stderr:\n%s", code, errOut)
		}
		return out.String()
	}
	printed := runDemo()
	demoYearChecks(t, dir, printed)
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}

	// 1. One template for every lead department, identified by its stamp.
	stamped := map[string]bool{}
	for _, path := range glob(t, filepath.Join(dir, demoTemplates, "*.xlsx")) {
		if filepath.Base(path) == templates.RosterFile {
			continue
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		st, err := templates.ReadStamp(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if st.Period.String() != demoPeriod {
			t.Errorf("%s: period %s; want %s", path, st.Period, demoPeriod)
		}
		stamped[st.Dept] = true
	}
	for _, d := range p.LeadDepts() {
		if !stamped[d.Code] {
			t.Errorf("no template for lead department %s", d.Code)
		}
	}
	for _, d := range p.ReportingDistricts() {
		if !stamped[d.Code] {
			t.Errorf("no template for 区县 %s", d.Code)
		}
	}
	if want := len(p.LeadDepts()) + len(p.ReportingDistricts()); len(stamped) != want {
		t.Errorf("%d templates; want %d", len(stamped), want)
	}

	// 2. Every injected mistake is found, at its cell.
	man, err := simulate.ReadManifest(filepath.Join(dir, demoReturns, simulate.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var r plan.Round
	data, err := os.ReadFile(filepath.Join(dir, demoCollected, "round.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	type key struct{ dept, sheet, cell, code string }
	found := map[key]bool{}
	for _, f := range r.Findings {
		found[key{f.Dept, f.Sheet, f.Cell, f.Code}] = true
	}
	faults := man.Faults()
	if len(faults) == 0 {
		t.Fatal("the demo injected no mistakes")
	}
	for _, f := range faults {
		if !found[key{f.Dept, f.Sheet, f.Cell, f.Code}] {
			t.Errorf("injected %s in %s %s!%s (%s) not found as %s", f.Fault, f.Dept, f.Sheet, f.Cell, f.Entered, f.Code)
		}
	}
	for _, m := range man.Missing {
		if !found[key{m.Dept, "", "", m.Code}] {
			t.Errorf("missing department %s not reported as %s", m.Dept, m.Code)
		}
	}

	// 3. The round's counts add up.
	if len(r.Targets) != len(p.Targets) {
		t.Errorf("round has %d targets; want %d", len(r.Targets), len(p.Targets))
	}
	in := 0
	for _, d := range r.Departments {
		if d.Submitted {
			in++
		}
	}
	if want := len(p.LeadDepts()) - len(man.Missing); in != want {
		t.Errorf("%d departments submitted; want %d", in, want)
	}
	verdicts := map[string]int{}
	for _, f := range r.Files {
		verdicts[f.Verdict]++
		switch {
		case strings.Contains(f.Path, ".zip!"):
			if f.Verdict != plan.Accepted || !strings.HasSuffix(f.Path, ".xlsx") || !strings.Contains(f.Path, "_"+f.Dept+".xlsx") {
				t.Errorf("zipped return %s: verdict %s, dept %q; want accepted under its decoded Chinese name", f.Path, f.Verdict, f.Dept)
			}
		case strings.Contains(f.Path, "初次报送"):
			if f.Verdict == plan.Accepted {
				t.Errorf("first send on last period's template %s was accepted", f.Path)
			}
		}
	}
	districtsIn := 0
	for _, d := range r.Districts {
		if d.Submitted {
			districtsIn++
		}
	}
	if verdicts[plan.Accepted] != in+districtsIn {
		t.Errorf("%d files accepted; want %d (one per department and 区县 in): %v", verdicts[plan.Accepted], in+districtsIn, verdicts)
	}
	demoDistrictChecks(t, p, &r, printed)

	// 4. The brief names every behind-schedule target and its department.
	for _, want := range []string{"报送率", "最滞后的指标", "领导简报"} {
		if !strings.Contains(printed, want) {
			t.Errorf("summary lacks %q:\n%s", want, printed)
		}
	}
	// The most-behind list speaks as the brief does, in plain words, not 4/8个.
	_, behind, _ := strings.Cut(printed, "最滞后的指标：")
	behind, _, _ = strings.Cut(behind, "领导简报")
	if !strings.Contains(behind, "为年度目标（") || !strings.Contains(behind, "序时进度") || strings.Contains(behind, "/") {
		t.Errorf("the most-behind list is not in plain words:\n%s", behind)
	}
	text := pdfText(t, filepath.Join(dir, demoReports, demoPeriod+"_简报.pdf"))
	// The 期号 is counted from the demo's store: 一季度, 上半年, then this round.
	if !strings.Contains(strings.ReplaceAll(text, " ", ""), "第3期") {
		t.Error("the brief lacks its 期号 第3期, counted from the store")
	}
	lagging := 0
	for _, tr := range r.Targets {
		if !tr.Status.Lagging() {
			continue
		}
		lagging++
		tg, _ := p.Target(tr.ID)
		d, _ := p.Dept(tr.Lead)
		if !strings.Contains(text, squeeze(tg.Indicator)) {
			t.Errorf("brief lacks behind-schedule target %s %s", tr.ID, tg.Indicator)
		}
		if !strings.Contains(text, squeeze(d.Short)) {
			t.Errorf("brief lacks department %s", d.Short)
		}
	}
	if lagging == 0 {
		t.Error("the demo round has no behind-schedule target to show")
	}

	// 5. A second run into the same folder gives the same files.
	before := hashTree(t, dir)
	runDemo()
	after := hashTree(t, dir)
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Errorf("second run differs:\nfirst:\n%s\nsecond:\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		t.Fatalf("nothing matches %s (%v)", pattern, err)
	}
	return m
}

// pdfText is the PDF's text with all white space removed, so that wrapped
// lines join up again.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext is not installed (apt-get install poppler-utils); CI runs this")
		}
		t.Fatal("pdftotext is not installed")
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return squeeze(string(out))
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// hashTree lists every file under dir with its SHA-256, sorted by path.
func hashTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(dir, path)
		out = append(out, rel+" "+hex.EncodeToString(sum[:8]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// demoDistrictChecks holds the demo's 区县 to its story: all but one in, one
// late, one figure that disagrees with its department's (口径不一致, naming
// both figures and who reported them), and the 区县 in the summary.
func demoDistrictChecks(t *testing.T, p *plan.Plan, r *plan.Round, printed string) {
	t.Helper()
	ds := p.ReportingDistricts()
	if len(r.Districts) != len(ds) || len(r.Rollups) != 36 {
		t.Fatalf("round: %d 区县, %d roll-ups; want %d and 36", len(r.Districts), len(r.Rollups), len(ds))
	}
	late, silent := r.Districts[demoLateDistrict], r.Districts[demoSilentDistrict]
	if late.OnTime == nil || *late.OnTime || late.Filled != demoDistrictLateDate {
		t.Errorf("late 区县 %s: %+v", late.Short, late)
	}
	if silent.Submitted {
		t.Errorf("silent 区县 %s submitted", silent.Short)
	}
	var c01, c02 []plan.Finding
	for _, f := range r.Findings {
		switch f.Code {
		case plan.ConsistencyDiffers:
			c01 = append(c01, f)
		case plan.MissingDistrict:
			c02 = append(c02, f)
		}
	}
	if len(c02) != 1 || c02[0].Dept != silent.Code {
		t.Errorf("C02: %v; want the silent 区县 alone", c02)
	}
	disagree := ds[demoDisagreeDistrict].Short
	if len(c01) != 1 || !strings.Contains(c01[0].Message, disagree+" ") || !strings.Contains(c01[0].Message, "报全市") {
		t.Fatalf("C01: %v; want one naming %s and the department's figure", c01, disagree)
	}
	for _, d := range r.Districts {
		if d.Submitted && (d.Errors > 0 || d.Warnings > 0) {
			t.Errorf("区县 %s: %d errors, %d warnings; the demo's 区县 fill their forms cleanly", d.Short, d.Errors, d.Warnings)
		}
	}
	for _, w := range []string{"区县 11 个：已报送 10 个，未报送 1 个", "口径不一致 1 项", "逾期报送", "（分解任务为示例）"} {
		if !strings.Contains(printed, w) {
			t.Errorf("summary lacks %q", w)
		}
	}
}
