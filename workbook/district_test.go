package workbook

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/templates"
)

// splitTarget is the registry's first target split among 区县.
func splitTarget(t testing.TB, p *plan.Plan) plan.Target {
	t.Helper()
	for _, tg := range p.Targets {
		if tg.Split() {
			return tg
		}
	}
	t.Fatal("the registry splits no target")
	return plan.Target{}
}

// districtGood is a 区县's on-schedule figure: its quota (or own target)
// times the expected share. The example split adds up to the city target
// exactly, so these figures add up to the lead department's good figure.
func districtGood(city plan.Target, code string) float64 {
	d, _ := city.ForDistrict(code)
	return goodValue(d, testPeriod)
}

// districtCell is the A1 address of column key on target id's row of 区县
// code's template.
func districtCell(p *plan.Plan, code, id, key string) string {
	row := templates.FirstDataRow
	for _, tg := range p.DistrictTargets(code) {
		if tg.ID == id {
			break
		}
		row++
	}
	return fmt.Sprintf("%s%d", templates.Col(templates.QuantColumns, key), row)
}

// makeDistrictReturn builds 区县 code's template, fills it well, lets edit
// change it, and returns the bytes.
func makeDistrictReturn(t testing.TB, p *plan.Plan, code string, edit func(f *excelize.File)) []byte {
	t.Helper()
	d, ok := p.District(code)
	if !ok {
		t.Fatalf("no 区县 %s", code)
	}
	f, err := templates.BuildUnit(p, d.Unit(), tmplOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must(f.SetCellStr(templates.SheetQuant, templates.CellFiller, "李四"))
	must(f.SetCellStr(templates.SheetQuant, templates.CellPhone, "0533-7654321"))
	must(f.SetCellValue(templates.SheetQuant, templates.CellDate, time.Date(2025, 10, 9, 0, 0, 0, 0, time.UTC)))
	for _, tg := range p.DistrictTargets(code) {
		city, _ := p.Target(tg.ID)
		must(f.SetCellFloat(templates.SheetQuant, districtCell(p, code, tg.ID, templates.ColActual), districtGood(city, code), -1, 64))
		must(f.SetCellStr(templates.SheetQuant, districtCell(p, code, tg.ID, templates.ColNote), "按分解任务推进。"))
	}
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var goodDistrictReturns sync.Map

func goodDistrictReturn(t testing.TB, p *plan.Plan, code string) []byte {
	if b, ok := goodDistrictReturns.Load(code); ok {
		return b.([]byte)
	}
	b := makeDistrictReturn(t, p, code, nil)
	goodDistrictReturns.Store(code, b)
	return b
}

func districtFile(d plan.District) string {
	return templates.FileName(testPeriod, d.Unit().Department())
}

// withDistricts adds every 区县's good return to the scene, except those in
// skip and those edit changes.
func (s *scene) withDistricts(skip map[string]bool, edits map[string]func(f *excelize.File)) {
	for _, d := range s.p.ReportingDistricts() {
		switch {
		case skip[d.Code]:
		case edits[d.Code] != nil:
			s.files[districtFile(d)] = makeDistrictReturn(s.t, s.p, d.Code, edits[d.Code])
		default:
			s.files[districtFile(d)] = goodDistrictReturn(s.t, s.p, d.Code)
		}
	}
}

func TestCollectDistricts(t *testing.T) {
	p := loadPlan(t)
	s := newScene(t, p)
	s.withDistricts(nil, nil)
	res := s.run()
	r := res.Round
	out := t.TempDir()
	if err := res.WriteOutputs(out); err != nil {
		t.Fatal(err)
	}
	sum, err := excelize.OpenFile(filepath.Join(out, "汇总表.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer sum.Close()
	figs, _ := sum.GetRows(SheetDistrictFigures)
	if len(figs) != 1+11*36 || figs[0][5] != "区县目标（示例）" || figs[1][0] != "张店区" || figs[1][4] != "分解任务" {
		t.Errorf("%s: %d rows, first %v %v", SheetDistrictFigures, len(figs), figs[0], figs[1])
	}
	rus, _ := sum.GetRows(SheetRollups)
	if len(rus) != 1+36 || rus[1][8] != "11/11" || rus[1][11] != "一致" {
		t.Errorf("%s: %d rows, first %v", SheetRollups, len(rus), rus[1])
	}
	if len(r.Findings) != 0 {
		t.Fatalf("findings on good returns of both kinds:\n%s", dumpFindings(r))
	}
	if len(r.Districts) != 11 {
		t.Fatalf("districts: %d; want 11", len(r.Districts))
	}
	for _, d := range r.Districts {
		if !d.Submitted || d.Unit != plan.UnitDistrict || d.Targets != 36 || d.OnTime == nil || !*d.OnTime {
			t.Errorf("区县 %s: %+v", d.Code, d)
		}
	}
	for _, d := range r.Departments {
		if d.Unit != plan.UnitDept {
			t.Errorf("department %s has unit %q", d.Code, d.Unit)
		}
	}
	if len(r.DistrictTargets) != 11*36 {
		t.Errorf("district targets: %d; want %d", len(r.DistrictTargets), 11*36)
	}
	st := splitTarget(t, p)
	for _, dr := range r.DistrictTargets {
		if dr.ID != st.ID {
			continue
		}
		quota := st.Quotas[dr.District]
		if !strings.Contains(dr.Explanation, "/"+plan.FormatNumber(quota)+st.Unit) || dr.Status != plan.OnTrack || dr.File == "" {
			t.Errorf("%s %s: %s %s; want judged on its quota %v", dr.District, dr.ID, dr.Status, dr.Explanation, quota)
		}
	}
	city, _ := r.Result(st.ID)
	if city.District != "" || city.Lead != st.Lead || city.Value == nil {
		t.Errorf("city figure of %s: %+v", st.ID, city)
	}
	if len(r.Rollups) != 36 {
		t.Fatalf("rollups: %d; want 36", len(r.Rollups))
	}
	ru := r.Rollups[0]
	if ru.Target != st.ID || ru.In != 11 || ru.Of != 11 || ru.Sum == nil || ru.City == nil || ru.Consistent == nil || !*ru.Consistent ||
		math.Abs(*ru.Sum-*city.Value) > 1e-6 {
		t.Errorf("rollup of %s: %+v", st.ID, ru)
	}
	for _, f := range r.Files {
		if f.Verdict == plan.Accepted && f.Unit == "" {
			t.Errorf("file %s names no unit kind", f.Path)
		}
	}
}

func TestCollectDistrictProblems(t *testing.T) {
	p := loadPlan(t)
	st := splitTarget(t, p)
	ds := p.ReportingDistricts()
	first, last := ds[0], ds[len(ds)-1]
	cityGood := goodValue(st, testPeriod)

	t.Run("missing 区县", func(t *testing.T) {
		s := newScene(t, p)
		s.withDistricts(map[string]bool{last.Code: true}, nil)
		r := s.run().Round
		if got := codes(r); strings.Join(got, ",") != "C02" {
			t.Fatalf("codes %v; want C02\n%s", got, dumpFindings(r))
		}
		f := r.Findings[0]
		if f.Dept != last.Code || f.Unit != plan.UnitDistrict || !strings.Contains(f.Message, last.Short+"（"+last.Code+"）未报送") {
			t.Errorf("C02: %+v", f)
		}
		ru := r.Rollups[0]
		if ru.In != 10 || ru.Of != 11 || len(ru.Missing) != 1 || ru.Missing[0] != last.Code || ru.Consistent != nil {
			t.Errorf("rollup with one 区县 missing: %+v; want 10 of 11 in and no comparison", ru)
		}
		if d := r.Districts[len(r.Districts)-1]; d.Submitted || d.Errors != 1 {
			t.Errorf("missing 区县 standing: %+v", d)
		}
	})

	t.Run("口径不一致", func(t *testing.T) {
		s := newScene(t, p)
		bump := districtGood(st, first.Code) + cityGood*0.1
		s.withDistricts(nil, map[string]func(f *excelize.File){
			first.Code: set(templates.SheetQuant, districtCell(p, first.Code, st.ID, templates.ColActual), bump),
		})
		r := s.run().Round
		fs := findingsWith(r, plan.ConsistencyDiffers)
		if len(fs) != 1 {
			t.Fatalf("C01: %d findings; want 1\n%s", len(fs), dumpFindings(r))
		}
		f := fs[0]
		lead, _ := p.Dept(st.Lead)
		for _, w := range []string{lead.Short + "报全市 " + plan.FormatNumber(cityGood) + st.Unit, "11 个区县合计",
			first.Short + " " + plan.FormatNumber(bump), "超过 2.0% 的容差"} {
			if !strings.Contains(f.Message, w) {
				t.Errorf("C01 message lacks %q: %s", w, f.Message)
			}
		}
		if f.Dept != st.Lead || f.Target != st.ID || f.Severity != plan.Warning || f.File == "" {
			t.Errorf("C01: %+v", f)
		}
		if ru := r.Rollups[0]; ru.Consistent == nil || *ru.Consistent || ru.Diff == nil {
			t.Errorf("rollup: %+v; want compared and inconsistent", ru)
		}
	})

	t.Run("partial sum already above the city figure", func(t *testing.T) {
		s := newScene(t, p)
		skip := map[string]bool{}
		for _, d := range ds[1:6] {
			skip[d.Code] = true
		}
		s.withDistricts(skip, map[string]func(f *excelize.File){
			first.Code: set(templates.SheetQuant, districtCell(p, first.Code, st.ID, templates.ColActual), cityGood*2),
		})
		r := s.run().Round
		fs := findingsWith(r, plan.ConsistencyDiffers)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "已报送的 6 个区县（共 11 个）合计") {
			t.Fatalf("C01 on a partial sum: %v\n%s", fs, dumpFindings(r))
		}
		if n := len(findingsWith(r, plan.MissingDistrict)); n != 5 {
			t.Errorf("C02: %d; want 5", n)
		}
	})

	t.Run("unit kind altered in the stamp", func(t *testing.T) {
		s := newScene(t, p)
		s.files[districtFile(first)] = makeDistrictReturn(t, p, first.Code, func(f *excelize.File) {
			for _, fix := range []func() error{
				func() error { return setMeta(f, templates.MetaUnit, string(plan.UnitDept)) },
			} {
				if err := fix(); err != nil {
					t.Fatal(err)
				}
			}
		})
		r := s.run().Round
		fs := findingsWith(r, plan.FileBadStamp)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "单位类别为部门，登记表中为区县") {
			t.Fatalf("F16: %v\n%s", fs, dumpFindings(r))
		}
		if len(r.Districts) != 0 || len(r.Rollups) != 0 {
			t.Errorf("a round whose only 区县 return is refused expects no 区县: %d districts, %d rollups", len(r.Districts), len(r.Rollups))
		}
	})

	t.Run("previous round of a 区县", func(t *testing.T) {
		s := newScene(t, p)
		s.withDistricts(nil, nil)
		prev := s.run().Round
		prev.Period = plan.MustPeriod("2025H1")
		for k := range prev.DistrictTargets {
			if prev.DistrictTargets[k].District == first.Code && prev.DistrictTargets[k].ID == st.ID {
				v := districtGood(st, first.Code) + 1
				prev.DistrictTargets[k].Value = &v
			}
		}
		s2 := newScene(t, p)
		s2.withDistricts(nil, nil)
		s2.opt.Previous = prev
		r := s2.run().Round
		fs := findingsWith(r, plan.ValueBelowPrev)
		if len(fs) != 1 || fs[0].Dept != first.Code || fs[0].Target != st.ID {
			t.Errorf("V08 against the 区县's own previous figure: %v\n%s", fs, dumpFindings(r))
		}
	})
}

// setMeta changes one key of a template's stamp in both its copies.
func setMeta(f *excelize.File, key, value string) error {
	rows, err := f.GetRows(templates.SheetMeta)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key {
			if err := f.SetCellStr(templates.SheetMeta, fmt.Sprintf("B%d", i+1), value); err != nil {
				return err
			}
			return f.SetCustomProps(excelize.CustomProperty{Name: templates.CustomPropPrefix + key, Value: value})
		}
	}
	return fmt.Errorf("no %s in the stamp", key)
}
