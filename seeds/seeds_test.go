package seeds

import (
	"io/fs"
	"math"
	"regexp"
	"strings"
	"testing"

	"planrep/plan"
)

func loadDefault(t *testing.T) (*plan.Plan, plan.Lines) {
	t.Helper()
	p, lines, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if p.Text == "" {
		t.Fatal("the plan text was not loaded beside plan.yaml")
	}
	return p, lines
}

func TestDefaultIsSound(t *testing.T) {
	p, lines := loadDefault(t)
	for _, pr := range plan.Check(p, lines) {
		t.Errorf("plan.Check: %s", pr)
	}
	if p.ID != "zibo-2025" || p.Year != 2025 || p.Office != "淄博市人民政府" || p.Planner != "市发展改革委" || p.Source != "plan.txt" {
		t.Errorf("metadata: got id %q year %d office %q planner %q source %q", p.ID, p.Year, p.Office, p.Planner, p.Source)
	}
	if p.Thresholds == (plan.Thresholds{}) {
		t.Error("thresholds missing")
	}
}

func TestDefaultCoverage(t *testing.T) {
	p, _ := loadDefault(t)
	quant, miles := 0, 0
	for _, tg := range p.Targets {
		if tg.Kind.Quantitative() {
			quant++
		} else {
			miles++
		}
	}
	if quant < 75 {
		t.Errorf("quantitative targets: got %d; want at least 75", quant)
	}
	if miles < 30 {
		t.Errorf("milestones: got %d; want at least 30", miles)
	}
	for _, k := range plan.Kinds {
		n := 0
		for _, tg := range p.Targets {
			if tg.Kind == k {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no target of kind %s", k)
		}
	}
	// Every chapter of part 三 contributes targets.
	for _, ch := range []string{"（一）", "（二）", "（三）", "（四）", "（五）", "（六）"} {
		found := false
		for _, tg := range p.Targets {
			found = found || strings.HasPrefix(tg.Chapter, ch)
		}
		if !found {
			t.Errorf("no target in chapter %s", ch)
		}
	}
}

func TestQuotesAreVerbatim(t *testing.T) {
	p, _ := loadDefault(t)
	for _, tg := range p.Targets {
		if tg.Quote == "" || !strings.Contains(p.Text, tg.Quote) {
			t.Errorf("%s: quote not found in plan.txt: %q", tg.ID, tg.Quote)
		}
		// Qualifiers are words of the plan, so the quote must show them.
		for _, q := range tg.Qualifiers {
			if !strings.Contains(tg.Quote, q) {
				t.Errorf("%s: qualifier %q not in quote %q", tg.ID, q, tg.Quote)
			}
		}
		if tg.Has("左右") != (tg.Comparator == plan.About) && tg.Kind.Quantitative() {
			t.Errorf("%s: 左右 in qualifiers %v but comparator %q", tg.ID, tg.Qualifiers, tg.Comparator)
		}
	}
}

// TestValuesAreInQuotes guards against typing mistakes: the number a target
// asks for is written in the plan's own words, as in 力争新引进过亿元项目430个.
func TestValuesAreInQuotes(t *testing.T) {
	p, _ := loadDefault(t)
	for _, tg := range p.Targets {
		if !tg.Kind.Quantitative() {
			if tg.Value != nil {
				t.Errorf("%s: milestone with a value", tg.ID)
			}
			continue
		}
		if tg.Value == nil {
			t.Errorf("%s: no value", tg.ID)
			continue
		}
		v := plan.FormatNumber(*tg.Value)
		// The number must stand alone, not be part of a longer one (5 in 532).
		re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(v) + `([^0-9.]|$)`)
		if !re.MatchString(tg.Quote) {
			t.Errorf("%s: value %s not in quote %q", tg.ID, v, tg.Quote)
		}
		if (tg.Kind == plan.Growth || tg.Kind == plan.Reduction) && tg.Unit != "%" {
			t.Errorf("%s: %s target in %q; want %%", tg.ID, tg.Kind, tg.Unit)
		}
	}
}

func TestIDsFollowTheScheme(t *testing.T) {
	p, _ := loadDefault(t)
	re := regexp.MustCompile(`^(Z-\d{2}|[1-6]-\d{2}|[1-6]-M\d{2})$`)
	for _, tg := range p.Targets {
		if !re.MatchString(tg.ID) {
			t.Errorf("id %q does not follow Z-NN, N-NN, N-MNN", tg.ID)
			continue
		}
		isM := strings.Contains(tg.ID, "-M")
		if strings.HasPrefix(tg.ID, "Z-") {
			if tg.Chapter != "二、主要预期目标" {
				t.Errorf("%s: chapter %q; want 二、主要预期目标", tg.ID, tg.Chapter)
			}
			continue
		}
		if isM != (tg.Kind == plan.Milestone) {
			t.Errorf("%s: kind %s does not match its id", tg.ID, tg.Kind)
		}
		want := "（" + []string{"一", "二", "三", "四", "五", "六"}[tg.ID[0]-'1'] + "）"
		if !strings.HasPrefix(tg.Chapter, want) {
			t.Errorf("%s: chapter %q; want one starting %s", tg.ID, tg.Chapter, want)
		}
	}
}

func TestFieldsComplete(t *testing.T) {
	p, _ := loadDefault(t)
	for _, tg := range p.Targets {
		if tg.Task == "" || tg.Indicator == "" || tg.Chapter == "" || tg.Section == "" {
			t.Errorf("%s: task %q indicator %q chapter %q section %q: none may be empty", tg.ID, tg.Task, tg.Indicator, tg.Chapter, tg.Section)
		}
		if tg.Kind == plan.Milestone {
			if _, err := plan.ParsePeriod(tg.Due); err != nil {
				t.Errorf("%s: due %q: %v", tg.ID, tg.Due, err)
			}
		}
		if tg.Baseline != nil && tg.Baseline.Year >= p.Year {
			t.Errorf("%s: baseline year %d", tg.ID, tg.Baseline.Year)
		}
	}
}

func TestDepartments(t *testing.T) {
	p, _ := loadDefault(t)
	role := map[string]int{}
	for _, tg := range p.Targets {
		if _, ok := p.Dept(tg.Lead); !ok {
			t.Errorf("%s: lead %q not in the roster", tg.ID, tg.Lead)
		}
		role[tg.Lead]++
		for _, s := range tg.Support {
			if _, ok := p.Dept(s); !ok {
				t.Errorf("%s: support %q not in the roster", tg.ID, s)
			}
			role[s]++
		}
	}
	phone := regexp.MustCompile(`^0533-\d{7}$`)
	for _, d := range p.Depts {
		if role[d.Code] == 0 {
			t.Errorf("department %s (%s) neither leads nor supports any target", d.Code, d.Short)
		}
		if !strings.HasPrefix(d.Short, "市") || d.Name == "" {
			t.Errorf("department %s: name %q short %q", d.Code, d.Name, d.Short)
		}
		if d.Contact == "" || !phone.MatchString(d.Phone) {
			t.Errorf("department %s: contact %q phone %q", d.Code, d.Contact, d.Phone)
		}
	}
	for _, code := range []string{"FGW", "GXJ", "SWJ", "RSJ", "SLJ", "KJJ", "CZJ", "NYJ", "STHJ", "ZJJ", "JTJ", "JYJ", "WJW", "WLJ"} {
		if _, ok := p.Dept(code); !ok {
			t.Errorf("department %s missing from the roster", code)
		}
	}
}

// TestMainTargets pins the headline targets of part 二 as the plan states them.
func TestMainTargets(t *testing.T) {
	p, _ := loadDefault(t)
	cases := []struct {
		indicator string
		kind      plan.Kind
		value     float64
		unit      string
		cmp       plan.Comparator
		quote     string
	}{
		{"地区生产总值增长", plan.Growth, 5, "%", plan.AtLeast, "地区生产总值增长5%以上"},
		{"一般公共预算收入增长", plan.Growth, 2, "%", plan.AtLeast, "一般公共预算收入增长2%以上"},
		{"城镇调查失业率", plan.Ceiling, 5.5, "%", plan.About, "城镇调查失业率控制在5.5%左右"},
		{"城镇新增就业", plan.Cumulative, 5.5, "万人", plan.AtLeast, "城镇新增就业5.5万人以上"},
	}
	for _, c := range cases {
		t.Run(c.indicator, func(t *testing.T) {
			var got *plan.Target
			for i := range p.Targets {
				if p.Targets[i].Indicator == c.indicator && p.Targets[i].Chapter == "二、主要预期目标" {
					got = &p.Targets[i]
				}
			}
			if got == nil {
				t.Fatalf("no main target %s", c.indicator)
			}
			if got.Kind != c.kind || got.Value == nil || *got.Value != c.value || got.Unit != c.unit || got.Comparator != c.cmp || got.Quote != c.quote {
				t.Errorf("got %s %v %s %s %q; want %s %v %s %s %q", got.Kind, got.Value, got.Unit, got.Comparator, got.Quote,
					c.kind, c.value, c.unit, c.cmp, c.quote)
			}
		})
	}
}

// TestBaselinesFromPart1 checks a few 2024 results carried as baselines.
func TestBaselinesFromPart1(t *testing.T) {
	p, _ := loadDefault(t)
	want := map[string]float64{
		"新引进过亿元项目":      432,
		"举办促消费活动":       400,
		"城镇新增就业":        5.96,
		"每万人口有效发明专利拥有量": 29.37,
		"地区生产总值增长":      5.5,
		"博物馆数量":         95,
	}
	for ind, v := range want {
		found := false
		for _, tg := range p.Targets {
			if tg.Indicator != ind {
				continue
			}
			found = true
			if tg.Baseline == nil || tg.Baseline.Value != v || tg.Baseline.Year != 2024 {
				t.Errorf("%s (%s): baseline %+v; want %v in 2024", tg.ID, ind, tg.Baseline, v)
			}
		}
		if !found {
			t.Errorf("no target %s", ind)
		}
	}
}

func TestEmbeddedTextMatchesSource(t *testing.T) {
	txt, err := fs.ReadFile(FS(), "zibo-2025/plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(txt)
	for _, head := range []string{"二、2025年经济社会发展总体要求和主要目标", "三、2025年经济社会发展重点任务和主要措施"} {
		if !strings.Contains(s, head) {
			t.Errorf("plan.txt lacks the heading %s", head)
		}
	}
}

// TestExampleSplit holds the embedded plan's 区县 quotas to the rule its
// split note and the README state: every cumulative target of at least 11
// whole units (one a 区县) is split equally among the 11 区县 and 功能区 in
// whole units, the units left over going one each to the first 区县 in
// roster order, so the quotas add up to the city target exactly; no other
// target is split.
func TestExampleSplit(t *testing.T) {
	p, _ := loadDefault(t)
	want := []string{"张店区", "淄川区", "博山区", "周村区", "临淄区", "桓台县", "高青县", "沂源县", "高新区", "经济开发区", "文昌湖区"}
	if len(p.Districts) != len(want) {
		t.Fatalf("districts: got %d; want %d", len(p.Districts), len(want))
	}
	for i, d := range p.Districts {
		if d.Short != want[i] {
			t.Errorf("district %d: got %s; want %s", i, d.Short, want[i])
		}
	}
	if p.Split == nil || !p.Split.Example || !strings.Contains(p.Split.Rule, "示例") {
		t.Fatalf("split note: got %+v; want an example with its rule", p.Split)
	}
	n, split := len(p.Districts), 0
	for _, tg := range p.Targets {
		eligible := tg.Kind == plan.Cumulative && tg.Value != nil && *tg.Value >= float64(n) && *tg.Value == math.Trunc(*tg.Value)
		if !eligible {
			if len(tg.Quotas) > 0 || len(tg.Own) > 0 {
				t.Errorf("%s is split but the rule does not split it", tg.ID)
			}
			continue
		}
		split++
		q := plan.EqualSplit(*tg.Value, n)
		if len(tg.Quotas) != n {
			t.Errorf("%s: %d quotas; want %d", tg.ID, len(tg.Quotas), n)
		}
		for i, d := range p.Districts {
			if tg.Quotas[d.Code] != q[i] {
				t.Errorf("%s %s: quota %v; want %v", tg.ID, d.Short, tg.Quotas[d.Code], q[i])
			}
		}
		if tg.QuotaSum() != *tg.Value {
			t.Errorf("%s: quotas add up to %v; want %v", tg.ID, tg.QuotaSum(), *tg.Value)
		}
	}
	if split != 36 {
		t.Errorf("split targets: got %d; want 36", split)
	}
}
