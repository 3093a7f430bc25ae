package store_test

import (
	"testing"

	"planrep/plan"
)

// TestRecordDistricts records a round with a 区县 return: its file, return,
// figures and findings say the unit is a 区县, and the city's figures stay
// the lead departments'.
func TestRecordDistricts(t *testing.T) {
	t.Parallel()
	p := defaultPlan(t)
	st := mustOpen(t)
	rd := fakeRound(p, "2025Q3", func(i int, t plan.Target) float64 { return 1 })
	var split plan.Target
	for _, tg := range p.Targets {
		if tg.Split() {
			split = tg
			break
		}
	}
	file := "收件箱/2025Q3_张店区_ZHANGDIAN.xlsx"
	v := 12.0
	rd.Files = append(rd.Files, plan.InputFile{Path: file, SHA256: "ab", Size: 20000, Dept: "ZHANGDIAN", Unit: plan.UnitDistrict,
		Period: rd.Period, Verdict: plan.Accepted})
	rd.Districts = []plan.DeptResult{{Unit: plan.UnitDistrict, Code: "ZHANGDIAN", Name: "淄博市张店区", Short: "张店区", Submitted: true, File: file, Targets: 1}}
	rd.DistrictTargets = []plan.TargetResult{{ID: split.ID, District: "ZHANGDIAN", Lead: split.Lead, Kind: split.Kind, Value: &v, Raw: "12",
		Status: plan.OnTrack, File: file, Sheet: "指标进度", Cell: "I5"}}
	rd.Findings = append(rd.Findings, plan.Finding{Code: plan.MissingDistrict, Severity: plan.Error, Dept: "ZICHUAN", Unit: plan.UnitDistrict, Message: "淄川区未报送"})
	rec := record(t, st, p, rd, day)
	if rec.Returns != len(p.LeadDepts())+1 {
		t.Errorf("returns: %d; want %d departments and one 区县", rec.Returns, len(p.LeadDepts()))
	}
	db := st.DB()
	var unit string
	var value float64
	if err := db.QueryRow(`SELECT unit, value FROM latest_values WHERE dept = 'ZHANGDIAN' AND target = ?`, split.ID).Scan(&unit, &value); err != nil || unit != "district" || value != 12 {
		t.Errorf("the 区县's figure: unit %q value %v (%v); want district 12", unit, value, err)
	}
	if err := db.QueryRow(`SELECT unit FROM latest_values WHERE dept = ? AND target = ?`, split.Lead, split.ID).Scan(&unit); err != nil || unit != "dept" {
		t.Errorf("the city figure: unit %q (%v); want dept", unit, err)
	}
	if err := db.QueryRow(`SELECT unit FROM files WHERE path = ?`, file).Scan(&unit); err != nil || unit != "district" {
		t.Errorf("file unit %q (%v); want district", unit, err)
	}
	if err := db.QueryRow(`SELECT unit FROM returns WHERE dept = 'ZHANGDIAN'`).Scan(&unit); err != nil || unit != "district" {
		t.Errorf("return unit %q (%v); want district", unit, err)
	}
	if err := db.QueryRow(`SELECT unit FROM findings WHERE code = 'C02'`).Scan(&unit); err != nil || unit != "district" {
		t.Errorf("finding unit %q (%v); want district", unit, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM returns WHERE unit = 'dept'`).Scan(&n); err != nil || n != len(p.LeadDepts()) {
		t.Errorf("department returns: %d (%v); want %d", n, err, len(p.LeadDepts()))
	}
}
