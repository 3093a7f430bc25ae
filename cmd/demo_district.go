package cmd

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/templates"
	"planrep/workbook"
)

// The demo's 区县: which one reports late, which one's figure disagrees with
// its department's, which one sends nothing (by roster position). The
// disagreeing figure is large enough to show although a 区县 is missing: a
// partial sum is compared only once it exceeds the city figure.
const (
	demoLateDistrict      = 6  // 高青县: filled after the deadline
	demoDisagreeDistrict  = 4  // 临淄区: one figure half again its share
	demoSilentDistrict    = 10 // 文昌湖区: sends nothing
	demoDistrictLateDate  = "2025-10-13"
	demoDistrictFilled    = "2025-10-09"
	demoDistrictDisagree  = 3   // as if it had counted projects the city counts under another 区县
	demoDistrictSpread    = 0.3 // the first 区县 keeps pace 30% above its share, the last 30% below
	demoDistrictFillerFmt = "%s发展改革局"
)

// demoDistricts writes the 区县 returns of the demo's round into the
// inbox, beside the departments': each 区县 shares its department's city
// figure in proportion to its quota (so that the 区县 add up to it), some
// 区县 ahead and some behind; one 区县 reports late, one sends a figure
// that disagrees with its department's (口径不一致), and one sends nothing.
// The departments' figures are read from their returns first, as collect
// reads them.
func demoDistricts(p *plan.Plan, tdir, inbox string, topt templates.Options) ([]demoStoryLine, error) {
	ds := p.ReportingDistricts()
	if len(ds) == 0 {
		return nil, nil
	}
	per := topt.Period
	pre, err := workbook.Collect(p, []string{inbox}, workbook.Options{Period: &per})
	if err != nil {
		return nil, err
	}
	city := map[string]float64{}
	for _, t := range pre.Round.Targets {
		if t.Value != nil && t.Status != plan.Invalid {
			city[t.ID] = *t.Value
		}
	}
	// The disagreement is on the split target with the largest city figure.
	disagreeOn, most := "", 0.0
	for _, t := range p.Targets {
		if c, ok := city[t.ID]; ok && t.Split() && c > most {
			disagreeOn, most = t.ID, c
		}
	}
	var story []demoStoryLine
	weight := func(i int) float64 {
		if len(ds) < 2 {
			return 1
		}
		return 1 + demoDistrictSpread - 2*demoDistrictSpread*float64(i)/float64(len(ds)-1)
	}
	for i, d := range ds {
		if i == demoSilentDistrict {
			story = append(story, demoStoryLine{d.Short, "区县未报送"})
			continue
		}
		name := templates.FileName(per, d.Unit().Department())
		f, err := templates.BuildUnit(p, d.Unit(), topt)
		if err != nil {
			return nil, err
		}
		filled := demoDistrictFilled
		if i == demoLateDistrict {
			filled = demoDistrictLateDate
			story = append(story, demoStoryLine{d.Short, "区县逾期报送（" + filled + "填报，截止 " + topt.Deadline + "）"})
		}
		day, _ := time.Parse("2006-01-02", filled)
		set := func(ref string, v any) {
			if err == nil {
				err = f.SetCellValue(templates.SheetQuant, ref, v)
			}
		}
		set(templates.CellFiller, fmt.Sprintf(demoDistrictFillerFmt, d.Short))
		set(templates.CellPhone, "0533-2"+fmt.Sprintf("%06d", 100000+i*1111))
		set(templates.CellDate, day)
		for k, t := range p.DistrictTargets(d.Code) {
			row := templates.FirstDataRow + k
			ref := func(key string) string {
				return fmt.Sprintf("%s%d", templates.Col(templates.QuantColumns, key), row)
			}
			def, _ := p.Target(t.ID)
			v := demoDistrictValue(def, d.Code, ds, weight, city, per, i)
			if i == demoDisagreeDistrict && t.ID == disagreeOn {
				v = math.Round(v*demoDistrictDisagree*100) / 100
				story = append(story, demoStoryLine{d.Short, fmt.Sprintf("%s报 %s%s，与牵头部门的全市数口径不一致", def.Indicator, plan.FormatNumber(v), def.Unit)})
			}
			set(ref(templates.ColActual), v)
			ev := plan.Evaluate(t, per, plan.Report{Value: &v}, p.Thresholds)
			set(ref(templates.ColNote), "按分解任务推进，数据经区统计部门核实。")
			if ev.Status.Lagging() {
				set(ref(templates.ColProblems), "部分项目前期手续办理偏慢，进度落后于序时。")
				set(ref(templates.ColNext), "建立项目清单，逐项明确责任人和完成时限。")
			}
		}
		if err == nil {
			err = safefile.Write(filepath.Join(inbox, name), func(w io.Writer) error { return f.Write(w) })
		}
		f.Close()
		if err != nil {
			return nil, err
		}
		mt := day.Add(17 * time.Hour)
		if err := os.Chtimes(filepath.Join(inbox, name), mt, mt); err != nil {
			return nil, err
		}
	}
	return story, nil
}

// demoDistrictValue is 区县 code's figure for split target t: its share of
// the city figure by quota, weighted so the 区县 differ but add up to the
// city figure; the 区县 after the first round to two decimals and the first
// takes the remainder. Without a city figure (or with one more than three
// times the target, which collect questions), its quota times the share of
// the year expected, weighted alike.
func demoDistrictValue(t plan.Target, code string, ds []plan.District, weight func(int) float64, city map[string]float64,
	per plan.Period, at int) float64 {
	total := 0.0
	for i, d := range ds {
		total += t.Quotas[d.Code] * weight(i)
	}
	c, ok := city[t.ID]
	if !ok || total == 0 || (t.Value != nil && c > 3**t.Value) { // no city figure, or one collect questions (V07)
		return math.Round(t.Quotas[code]*weight(at)*t.Expected(per)*100) / 100
	}
	share := func(i int) float64 { return math.Round(c*t.Quotas[ds[i].Code]*weight(i)/total*100) / 100 }
	if at > 0 {
		return share(at)
	}
	rest := 0.0
	for i := 1; i < len(ds); i++ {
		rest += share(i)
	}
	return math.Max(0, math.Round((c-rest)*100)/100)
}
