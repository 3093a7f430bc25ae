package plan

import (
	"encoding/json"
	"testing"
)

func TestKindLabels(t *testing.T) {
	want := map[Kind]string{
		Cumulative: "累计量", Growth: "增长率", Level: "水平值", Ceiling: "控制上限", Reduction: "下降率", Milestone: "重点任务",
	}
	if len(Kinds) != len(want) {
		t.Fatalf("len(Kinds) = %d; want %d", len(Kinds), len(want))
	}
	for _, k := range Kinds {
		if got := k.Label(); got != want[k] {
			t.Errorf("%s.Label() = %q; want %q", k, got, want[k])
		}
		for _, in := range []string{k.Label(), string(k), " " + k.Label() + " "} {
			if got, ok := KindByLabel(in); !ok || got != k {
				t.Errorf("KindByLabel(%q) = %q, %v; want %q, true", in, got, ok, k)
			}
		}
		if got := k.Quantitative(); got != (k != Milestone) {
			t.Errorf("%s.Quantitative() = %v; want %v", k, got, k != Milestone)
		}
	}
	for _, in := range []string{"", "累计", "Cumulative", "其他"} {
		if got, ok := KindByLabel(in); ok {
			t.Errorf("KindByLabel(%q) = %q, true; want false", in, got)
		}
	}
	if got := Kind("odd").Label(); got != "odd" {
		t.Errorf("Kind(odd).Label() = %q; want %q", got, "odd")
	}
	if Kind("").Quantitative() {
		t.Errorf("Kind(\"\").Quantitative() = true; want false")
	}
}

func TestTargetText(t *testing.T) {
	tests := []struct {
		t    Target
		want string
	}{
		{gdp, "5%以上"},
		{projects, "430个"},
		{jobless, "5.5%左右"},
		{pm25, "35微克/立方米以内"},
		{water, "15%"},
		{Target{Value: f(1000), Unit: "亿元", Qualifiers: []string{"突破"}, Comparator: AtLeast}, "突破1000亿元"},
		{Target{Value: f(2.5), Unit: "%", Qualifiers: []string{"以内"}, Comparator: AtMost}, "2.5%以内"},
		{Target{Value: f(60), Unit: "%", Comparator: About}, "60%左右"},
		{road, ""},
	}
	for _, tt := range tests {
		if got := tt.t.TargetText(); got != tt.want {
			t.Errorf("TargetText(%s) = %q; want %q", tt.t.ID, got, tt.want)
		}
	}
}

func TestNatureAndCommitment(t *testing.T) {
	tests := []struct {
		t                  Target
		nature, commitment string
	}{
		{water, "约束性", ""},
		{projects, "预期性", "力争"},
		{Target{Qualifiers: []string{"力争", "确保"}}, "预期性", "确保"},
		{Target{Binding: true, Qualifiers: []string{"以上", "确保"}}, "约束性", "确保"},
	}
	for _, tt := range tests {
		if got := tt.t.Nature(); got != tt.nature {
			t.Errorf("Nature(%v) = %q; want %q", tt.t.Qualifiers, got, tt.nature)
		}
		if got := tt.t.Commitment(); got != tt.commitment {
			t.Errorf("Commitment(%v) = %q; want %q", tt.t.Qualifiers, got, tt.commitment)
		}
	}
	if !jobless.Has("左右") || jobless.Has("以上") {
		t.Errorf("jobless.Has: got 左右=%v 以上=%v; want true, false", jobless.Has("左右"), jobless.Has("以上"))
	}
}

func TestTargetFingerprint(t *testing.T) {
	base := projects.Fingerprint()
	if len(base) != 16 {
		t.Errorf("Fingerprint() = %q; want 16 hex digits", base)
	}
	narrative := projects
	narrative.Quote, narrative.Task, narrative.Lead, narrative.Support = "改写的原文", "改写", "FGW", []string{"SWJ"}
	if got := narrative.Fingerprint(); got != base {
		t.Errorf("Fingerprint after editing narrative fields = %s; want %s unchanged", got, base)
	}
	for name, change := range map[string]func(*Target){
		"value":      func(t *Target) { t.Value = f(431) },
		"unit":       func(t *Target) { t.Unit = "家" },
		"kind":       func(t *Target) { t.Kind = Level },
		"indicator":  func(t *Target) { t.Indicator += "（含续建）" },
		"comparator": func(t *Target) { t.Comparator = About },
		"id":         func(t *Target) { t.ID = "1-99" },
	} {
		c := projects
		change(&c)
		if c.Fingerprint() == base {
			t.Errorf("Fingerprint unchanged after changing %s; want a new one", name)
		}
	}
}

func samplePlan() *Plan {
	return &Plan{
		ID: "demo", Title: "示例计划", Year: 2025, Thresholds: DefaultThresholds,
		Depts: []Department{
			{Code: "FGW", Name: "淄博市发展和改革委员会", Short: "市发展改革委"},
			{Code: "SWJ", Name: "淄博市商务局", Short: "市商务局"},
			{Code: "SLJ", Name: "淄博市水利局", Short: "市水利局"},
		},
		Targets: []Target{
			{ID: "a", Lead: "SWJ"}, {ID: "b", Lead: "FGW"}, {ID: "c", Lead: "SWJ"},
		},
	}
}

func TestPlanLookups(t *testing.T) {
	p := samplePlan()
	if d, ok := p.Dept("SWJ"); !ok || d.Short != "市商务局" {
		t.Errorf("Dept(SWJ) = %+v, %v; want 市商务局", d, ok)
	}
	if _, ok := p.Dept("NONE"); ok {
		t.Errorf("Dept(NONE) found; want not found")
	}
	if tg, ok := p.Target("b"); !ok || tg.Lead != "FGW" {
		t.Errorf("Target(b) = %+v, %v; want lead FGW", tg, ok)
	}
	if _, ok := p.Target("z"); ok {
		t.Errorf("Target(z) found; want not found")
	}
	var led []string
	for _, tg := range p.Led("SWJ") {
		led = append(led, tg.ID)
	}
	if got, want := jsonOf(led), `["a","c"]`; got != want {
		t.Errorf("Led(SWJ) = %s; want %s", got, want)
	}
	var leads []string
	for _, d := range p.LeadDepts() {
		leads = append(leads, d.Code)
	}
	if got, want := jsonOf(leads), `["FGW","SWJ"]`; got != want {
		t.Errorf("LeadDepts() = %s; want %s (roster order, only departments that lead)", got, want)
	}
}

func TestPlanFingerprint(t *testing.T) {
	p := samplePlan()
	base := p.Fingerprint()
	q := samplePlan()
	q.Text = "另一份原文"
	q.Source = "other.txt"
	q.Depts[0], q.Depts[2] = q.Depts[2], q.Depts[0]
	if got := q.Fingerprint(); got != base {
		t.Errorf("Fingerprint after reordering departments and changing the text = %s; want %s", got, base)
	}
	q.Targets[0].Lead = "FGW"
	if got := q.Fingerprint(); got == base {
		t.Errorf("Fingerprint unchanged after changing a lead department; want a new one")
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
