package plan

import (
	"fmt"
	"strings"
	"testing"
)

func splitPlan() *Plan {
	v := func(x float64) *float64 { return &x }
	return &Plan{
		ID: "t", Title: "测试计划", Year: 2025, Text: "新引进项目10个。智算占比达到60%。", Thresholds: DefaultThresholds,
		Depts:     []Department{{Code: "SWJ", Name: "商务局", Short: "市商务局"}},
		Districts: []District{{Code: "ZD", Name: "淄博市张店区", Short: "张店区"}, {Code: "ZC", Name: "淄博市淄川区", Short: "淄川区"}},
		Targets: []Target{
			{ID: "1", Chapter: "一", Indicator: "新引进项目", Kind: Cumulative, Value: v(10), Unit: "个", Comparator: AtLeast,
				Qualifiers: []string{"以上"}, Lead: "SWJ", Quote: "新引进项目10个", Quotas: map[string]float64{"ZD": 6, "ZC": 4}},
			{ID: "2", Chapter: "一", Indicator: "智算占比", Kind: Level, Value: v(60), Unit: "%", Comparator: AtLeast,
				Lead: "SWJ", Quote: "智算占比达到60%", Own: map[string]float64{"ZD": 70}},
		},
	}
}

func TestSplitSound(t *testing.T) {
	p := splitPlan()
	if pr := Check(p, nil); len(pr) > 0 {
		t.Fatalf("Check: got %v; want none", pr)
	}
	got := p.DistrictTargets("ZD")
	if len(got) != 2 || *got[0].Value != 6 || *got[1].Value != 70 || got[0].Quotas != nil || got[0].Has("以上") || got[0].Lead != "SWJ" {
		t.Errorf("DistrictTargets(ZD): got %+v", got)
	}
	if got := p.UnitTargets("ZC"); len(got) != 1 || *got[0].Value != 4 {
		t.Errorf("UnitTargets(ZC): got %+v; want the quota 4 alone", got)
	}
	if got := p.UnitTargets("SWJ"); len(got) != 2 || *got[0].Value != 10 {
		t.Errorf("UnitTargets(SWJ): got %+v; want the city targets", got)
	}
	if u, ok := p.Unit("ZC"); !ok || u.Kind != UnitDistrict || u.Short != "淄川区" {
		t.Errorf("Unit(ZC): got %+v, %v", u, ok)
	}
	if u, ok := p.Unit("SWJ"); !ok || u.Kind != UnitDept {
		t.Errorf("Unit(SWJ): got %+v, %v", u, ok)
	}
	if ds := p.ReportingDistricts(); len(ds) != 2 {
		t.Errorf("ReportingDistricts: got %d; want 2", len(ds))
	}
	// The quota is part of what a 区县's template locks.
	a, _ := p.Targets[0].ForDistrict("ZD")
	b, _ := p.Targets[0].ForDistrict("ZC")
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("two quotas of one target have the same fingerprint")
	}
}

func TestSplitProblems(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *Plan)
		want string
	}{
		{"shortfall", func(p *Plan) { p.Targets[0].Quotas["ZC"] = 3.5 }, "区县分解任务合计 9.5个，少于全市目标 10个，还差 0.5个"},
		{"quota on a level", func(p *Plan) { p.Targets[1].Quotas = map[string]float64{"ZC": 50} },
			"水平值类指标的数值不能在区县之间相加，不能下达分解任务（quotas）"},
		{"own target on a cumulative", func(p *Plan) { p.Targets[0].Own = map[string]float64{"ZD": 3} },
			"累计量指标请用分解任务（quotas）分解到区县"},
		{"unknown district", func(p *Plan) { p.Targets[0].Quotas["XX"] = 1 }, `区县 "XX" 不在区县名单（districts）中`},
		{"negative quota", func(p *Plan) { p.Targets[0].Quotas["ZC"] = -1; p.Targets[0].Quotas["ZD"] = 11 }, "区县 ZC 的目标 -1 不合理"},
		{"district code of a department", func(p *Plan) { p.Districts[0].Code = "SWJ"; p.Targets[0].Quotas = nil; p.Targets[1].Own = nil },
			"区县代码 SWJ 与部门代码重复"},
		{"duplicate district", func(p *Plan) { p.Districts[1].Code = "ZD" }, "区县代码 ZD 重复"},
		{"district without names", func(p *Plan) { p.Districts[1].Short = "" }, "区县 ZC 缺少全称（name）或简称（short）"},
		{"both kinds for one district", func(p *Plan) { p.Targets[1].Quotas = map[string]float64{"ZD": 1} }, "区县 ZD 同时有分解任务"},
		{"milestone", func(p *Plan) {
			p.Targets[1].Kind, p.Targets[1].Value, p.Targets[1].Unit, p.Targets[1].Comparator = Milestone, nil, "", ""
		}, "重点任务没有目标值，不能分解到区县"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := splitPlan()
			c.edit(p)
			var msgs []string
			for _, pr := range Check(p, nil) {
				msgs = append(msgs, pr.String())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("got %q; want a problem containing %q", msgs, c.want)
			}
		})
	}
}

func TestFingerprintWithoutDistrictsUnchanged(t *testing.T) {
	p := splitPlan()
	p.Districts, p.Split = nil, nil
	for i := range p.Targets {
		p.Targets[i].Quotas, p.Targets[i].Own = nil, nil
	}
	before := p.Fingerprint()
	p.Districts = []District{{Code: "ZD", Name: "张店区", Short: "张店区"}}
	if p.Fingerprint() == before {
		t.Error("adding a 区县 does not change the fingerprint")
	}
	q := *p
	q.Split = &SplitNote{Example: true}
	if q.Fingerprint() == p.Fingerprint() {
		t.Error("marking the split 示例 does not change the fingerprint")
	}
}

func TestEqualSplit(t *testing.T) {
	for _, c := range []struct {
		v    float64
		n    int
		want []float64
	}{
		{430, 11, []float64{40, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39}},
		{12, 11, []float64{2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{22, 11, []float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}},
		{3, 4, []float64{1, 1, 1, 0}},
		{5.5, 11, nil},
	} {
		got := EqualSplit(c.v, c.n)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("EqualSplit(%v, %d): got %v; want %v", c.v, c.n, got, c.want)
		}
		sum := 0.0
		for _, q := range got {
			sum += q
		}
		if got != nil && sum != c.v {
			t.Errorf("EqualSplit(%v, %d) adds up to %v", c.v, c.n, sum)
		}
	}
}
