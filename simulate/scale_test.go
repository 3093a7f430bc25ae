package simulate

import (
	"os"
	"path/filepath"
	"planrep/seeds"
	"reflect"
	"testing"

	"planrep/plan"
	"planrep/templates"
	"planrep/workbook"
)

func TestScale(t *testing.T) {
	p := defaultPlan(t)
	const n = 3
	out := t.TempDir()
	sum, err := Scale(p, n, out, Options{Period: period, Seed: 5, Faults: 0.1, Missing: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Returns != nil || sum.Totals == nil || sum.Totals.Returns != len(m.Returns) || !reflect.DeepEqual(sum.Totals, m.Totals) {
		t.Errorf("Scale returned %d returns (want none: they are streamed) and totals %+v; file has %d", len(sum.Returns), sum.Totals, len(m.Returns))
	}
	if sum.Totals.Faults != len(m.Faults()) || sum.Totals.Faults == 0 {
		t.Errorf("totals count %d faults; simulate.json lists %d", sum.Totals.Faults, len(m.Faults()))
	}
	sp, lines, err := plan.Load(os.DirFS(out), PlanName)
	if err != nil {
		t.Fatal(err)
	}
	if probs := plan.Check(sp, lines); len(probs) > 0 {
		t.Fatalf("synthetic plan fails its check: %v", probs)
	}
	if got, want := len(sp.Depts), n*len(p.Depts); got != want {
		t.Errorf("%d departments; want %d", got, want)
	}
	if got, want := len(sp.Targets), n*len(p.Targets); got != want {
		t.Errorf("%d targets; want %d", got, want)
	}
	if sp.Fingerprint() != m.PlanFingerprint || sp.Fingerprint() != Clone(p, n).Fingerprint() {
		t.Errorf("plan.yaml's fingerprint %s; manifest says %s", sp.Fingerprint(), m.PlanFingerprint)
	}
	if d, ok := sp.Dept("FGW-0002"); !ok || d.Short != "市发展改革委（0002）" {
		t.Errorf("clone FGW-0002 = %+v", d)
	}
	if got, want := len(sp.Districts), n*len(p.Districts); got != want {
		t.Errorf("%d 区县; want %d", got, want)
	}
	if d, ok := sp.District("ZHANGDIAN-0002"); !ok || d.Short != "张店区（0002）" {
		t.Errorf("clone ZHANGDIAN-0002 = %+v", d)
	}
	leads := n * (len(p.LeadDepts()) + len(p.ReportingDistricts()))
	if got := len(m.Returns) + len(m.Missing); got != leads || len(m.Missing) != 2 {
		t.Errorf("%d returns and %d missing; want %d in all (departments and 区县), 2 missing", len(m.Returns), len(m.Missing), leads)
	}
	districtReturns := 0
	for _, r := range m.Returns {
		if _, ok := sp.District(r.Dept); ok {
			districtReturns++
		}
	}
	if districtReturns == 0 {
		t.Error("no 区县 return among the clones")
	}
	files, _ := filepath.Glob(filepath.Join(out, ReturnsDir, "*.xlsx"))
	if len(files) != len(m.Returns) {
		t.Errorf("%d files in returns/; manifest lists %d", len(files), len(m.Returns))
	}
	for _, r := range m.Returns[:5] {
		f := open(t, filepath.Join(out, filepath.FromSlash(r.File)))
		st, err := templates.ReadStamp(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.PlanID != sp.ID || st.PlanFingerprint != sp.Fingerprint() || st.Dept != r.Dept {
			t.Errorf("%s stamped %s/%s/%s; want %s/%s/%s", r.File, st.PlanID, st.PlanFingerprint, st.Dept, sp.ID, sp.Fingerprint(), r.Dept)
		}
		if len(st.QuantRows)+len(st.MilestoneRows) != len(sp.UnitTargets(r.Dept)) {
			t.Errorf("%s has %d rows; %s reports on %d targets", r.File, len(st.QuantRows)+len(st.MilestoneRows), r.Dept, len(sp.UnitTargets(r.Dept)))
		}
	}
	res, err := workbook.Collect(sp, []string{filepath.Join(out, ReturnsDir)}, workbook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkFindings(t, m, res.Round.Findings)
	if got, want := len(res.Round.Districts), n*len(p.ReportingDistricts()); got != want || len(res.Round.Rollups) == 0 {
		t.Errorf("round: %d 区县, %d roll-ups; want %d 区县", got, len(res.Round.Rollups), want)
	}
	consistent := 0
	for _, ru := range res.Round.Rollups {
		if ru.Consistent != nil && *ru.Consistent {
			consistent++
		}
	}
	if consistent == 0 {
		t.Error("no split target's 区县 add up to the city figure")
	}
}

func TestCloneFingerprintStreamed(t *testing.T) {
	p, _, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 7, 8, 20} { // 129×8 ≥ 1,000 targets: the streamed hash
		c := newCloner(p, n)
		if got, want := c.fingerprint(), Clone(p, n).Fingerprint(); got != want {
			t.Errorf("scale %d: streamed fingerprint %s; want %s", n, got, want)
		}
	}
}
