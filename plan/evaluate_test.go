package plan

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

var th = DefaultThresholds

// Targets modelled on the plan's own wording.
var (
	projects = Target{ID: "1-01", Indicator: "新引进过亿元项目", Kind: Cumulative, Value: f(430), Unit: "个",
		Comparator: AtLeast, Qualifiers: []string{"力争"}}
	gdp = Target{ID: "Z-01", Indicator: "地区生产总值增长", Kind: Growth, Value: f(5), Unit: "%",
		Comparator: AtLeast, Qualifiers: []string{"以上"}}
	gdpAbout = Target{ID: "Z-02", Indicator: "居民人均可支配收入增长", Kind: Growth, Value: f(5), Unit: "%",
		Comparator: About, Qualifiers: []string{"左右"}}
	computeShare = Target{ID: "3-01", Indicator: "智算占比", Kind: Level, Value: f(60), Unit: "%",
		Comparator: AtLeast, Qualifiers: []string{"达到"}, Baseline: &Baseline{Value: 40, Year: 2024}}
	museums = Target{ID: "6-01", Indicator: "博物馆数量", Kind: Level, Value: f(100), Unit: "家",
		Comparator: AtLeast, Qualifiers: []string{"达到"}}
	jobless = Target{ID: "Z-04", Indicator: "城镇调查失业率", Kind: Ceiling, Value: f(5.5), Unit: "%",
		Comparator: About, Qualifiers: []string{"控制在", "左右"}}
	pm25 = Target{ID: "5-02", Indicator: "细颗粒物（PM2.5）平均浓度", Kind: Ceiling, Value: f(35), Unit: "微克/立方米",
		Comparator: AtMost, Qualifiers: []string{"控制在"}}
	water = Target{ID: "5-01", Indicator: "万元地区生产总值用水量较2020年下降", Kind: Reduction, Value: f(15), Unit: "%",
		Comparator: AtLeast, Binding: true}
	road    = Target{ID: "1-02", Indicator: "高青至商河高速公路淄博段建成通车", Kind: Milestone, Due: "2025Q4"}
	park    = Target{ID: "1-03", Indicator: "产业园区一期建成投用", Kind: Milestone, Due: "2025H1"}
	undated = Target{ID: "1-04", Indicator: "出台支持政策", Kind: Milestone}
)

type evalCase struct {
	name     string
	t        Target
	period   string
	r        Report
	status   Status
	progress *float64 // nil: no progress expected
	expected float64
	explain  []string // substrings of the explanation
}

func runEval(t *testing.T, tests []evalCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.t, MustPeriod(tt.period), tt.r, th)
			if got.Status != tt.status {
				t.Errorf("status = %s (%s); want %s", got.Status, got.Explanation, tt.status)
			}
			switch {
			case tt.progress == nil && got.Progress != nil:
				t.Errorf("progress = %v; want none", *got.Progress)
			case tt.progress != nil && got.Progress == nil:
				t.Errorf("progress = none; want %v", *tt.progress)
			case tt.progress != nil && math.Abs(*got.Progress-*tt.progress) > 5e-7: // shares are rounded to six decimals
				t.Errorf("progress = %v; want %v", *got.Progress, *tt.progress)
			}
			if got.Progress != nil && (math.IsNaN(*got.Progress) || math.IsInf(*got.Progress, 0)) {
				t.Errorf("progress = %v; want a finite number", *got.Progress)
			}
			if math.Abs(got.Expected-tt.expected) > 1e-9 {
				t.Errorf("expected = %v; want %v", got.Expected, tt.expected)
			}
			if got.Explanation == "" || strings.ContainsAny(got.Explanation, "\n") {
				t.Errorf("explanation = %q; want one non-empty line", got.Explanation)
			}
			for _, s := range tt.explain {
				if !strings.Contains(got.Explanation, s) {
					t.Errorf("explanation = %q; want it to contain %q", got.Explanation, s)
				}
			}
			for _, bad := range []string{"NaN", "Inf", "%!"} {
				if strings.Contains(got.Explanation, bad) {
					t.Errorf("explanation = %q; contains %q", got.Explanation, bad)
				}
			}
		})
	}
}

func TestEvaluateCumulative(t *testing.T) {
	hundred := Target{ID: "x", Indicator: "新增", Kind: Cumulative, Value: f(100), Unit: "个", Comparator: AtLeast}
	runEval(t, []evalCase{
		{"on track Q3", projects, "2025Q3", Report{Value: f(320)}, OnTrack, f(320.0 / 430), 0.75,
			[]string{"完成 320/430个，进度 74.4%，序时 75.0%"}},
		{"done early", projects, "2025Q3", Report{Value: f(430)}, Done, f(1), 0.75,
			[]string{"完成 430/430个，已完成目标（100.0%）"}},
		{"over-achieved", projects, "2025H1", Report{Value: f(500)}, Done, f(500.0 / 430), 0.5,
			[]string{"完成 500/430个", "116.3%"}},
		{"Q1 on track", projects, "2025Q1", Report{Value: f(100)}, OnTrack, f(100.0 / 430), 0.25,
			[]string{"进度 23.3%，序时 25.0%"}},
		{"H1 behind", projects, "2025H1", Report{Value: f(180)}, Behind, f(180.0 / 430), 0.5,
			[]string{"完成 180/430个，进度 41.9%，序时 50.0%"}},
		{"Q3 seriously behind", projects, "2025Q3", Report{Value: f(200)}, FarBehind, f(200.0 / 430), 0.75,
			[]string{"进度 46.5%，序时 75.0%"}},
		{"year short", projects, "2025", Report{Value: f(420)}, OnTrack, f(420.0 / 430), 1,
			[]string{"序时 100.0%"}},
		{"year behind", projects, "2025", Report{Value: f(380)}, Behind, f(380.0 / 430), 1, nil},
		{"month", projects, "2025M10", Report{Value: f(340)}, OnTrack, f(340.0 / 430), 10.0 / 12,
			[]string{"序时 83.3%"}},
		{"zero so far", projects, "2025M01", Report{Value: f(0)}, Behind, f(0), 1.0 / 12,
			[]string{"完成 0/430个，进度 0.0%，序时 8.3%"}},
		{"fraction", Target{ID: "Z-05", Kind: Cumulative, Value: f(5.5), Unit: "万人", Comparator: AtLeast}, "2025Q3",
			Report{Value: f(4.25)}, OnTrack, f(4.25 / 5.5), 0.75, []string{"完成 4.25/5.5万人，进度 77.3%"}},

		// Tolerance edges, target 100: exactly at expected − tolerance is still 序时推进;
		// exactly at expected − serious is 滞后, just below it 严重滞后.
		{"Q1 at tolerance", hundred, "2025Q1", Report{Value: f(20)}, OnTrack, f(0.2), 0.25, nil},
		{"Q1 below tolerance", hundred, "2025Q1", Report{Value: f(19.9)}, Behind, f(0.199), 0.25, nil},
		{"Q1 at serious", hundred, "2025Q1", Report{Value: f(10)}, Behind, f(0.1), 0.25, nil},
		{"Q1 below serious", hundred, "2025Q1", Report{Value: f(9.9)}, FarBehind, f(0.099), 0.25, nil},
		{"H1 at tolerance", hundred, "2025H1", Report{Value: f(45)}, OnTrack, f(0.45), 0.5, nil},
		{"H1 at serious", hundred, "2025H1", Report{Value: f(35)}, Behind, f(0.35), 0.5, nil},
		{"H1 below serious", hundred, "2025H1", Report{Value: f(34.9)}, FarBehind, f(0.349), 0.5, nil},
		{"Q3 at tolerance", hundred, "2025Q3", Report{Value: f(70)}, OnTrack, f(0.7), 0.75, nil},
		{"Q3 below tolerance", hundred, "2025Q3", Report{Value: f(69.99)}, Behind, f(0.6999), 0.75, nil},
		{"Q3 at serious", hundred, "2025Q3", Report{Value: f(60)}, Behind, f(0.6), 0.75, nil},
		{"Q3 below serious", hundred, "2025Q3", Report{Value: f(59.99)}, FarBehind, f(0.5999), 0.75, nil},
		{"year at tolerance", hundred, "2025", Report{Value: f(95)}, OnTrack, f(0.95), 1, nil},
		{"year at serious", hundred, "2025", Report{Value: f(85)}, Behind, f(0.85), 1, nil},
		{"M09 at tolerance", hundred, "2025M09", Report{Value: f(70)}, OnTrack, f(0.7), 0.75, nil},

		// A zero target: anything at or above it meets it, and nothing divides by zero.
		{"zero target met", Target{ID: "z", Kind: Cumulative, Value: f(0), Unit: "起", Comparator: AtLeast},
			"2025Q3", Report{Value: f(0)}, Done, f(1), 0.75, []string{"已完成目标（100.0%）"}},
		{"zero target exceeded", Target{ID: "z", Kind: Cumulative, Value: f(0), Unit: "起", Comparator: AtLeast},
			"2025Q3", Report{Value: f(3)}, Done, f(1), 0.75, nil},
	})
}

func TestEvaluateGrowth(t *testing.T) {
	runEval(t, []evalCase{
		{"met mid-year", gdp, "2025Q3", Report{Value: f(5.2)}, OnTrack, f(5.2 / 5), 1,
			[]string{"增长 5.2%，目标 5%以上，达到目标"}},
		{"met at year end", gdp, "2025", Report{Value: f(5.2)}, Done, f(5.2 / 5), 1, nil},
		{"met in December", gdp, "2025M12", Report{Value: f(5)}, Done, f(1), 1, nil},
		{"met in H2", gdp, "2025H2", Report{Value: f(5)}, Done, f(1), 1, nil},
		{"exactly at target Q1", gdp, "2025Q1", Report{Value: f(5)}, OnTrack, f(1), 1, nil},
		{"short", gdp, "2025H1", Report{Value: f(4.6)}, Behind, f(4.6 / 5), 1,
			[]string{"增长 4.6%，目标 5%以上，低于目标 0.4 个百分点"}},
		{"short by the serious gap", gdp, "2025H1", Report{Value: f(3.5)}, Behind, f(0.7), 1, nil},
		{"far short", gdp, "2025Q3", Report{Value: f(3)}, FarBehind, f(0.6), 1,
			[]string{"低于目标 2 个百分点"}},
		{"falling", gdp, "2025Q1", Report{Value: f(-0.5)}, FarBehind, f(-0.1), 1,
			[]string{"增长 -0.5%"}},
		{"about: within slack", gdpAbout, "2025", Report{Value: f(4.9)}, Done, f(4.9 / 5), 1,
			[]string{"目标 5%左右，达到目标"}},
		{"about: at slack edge", gdpAbout, "2025", Report{Value: f(4.9)}, Done, f(0.98), 1, nil},
		{"about: below slack", gdpAbout, "2025", Report{Value: f(4.8)}, Behind, f(0.96), 1, nil},
		{"zero target", Target{ID: "g", Kind: Growth, Value: f(0), Unit: "%", Comparator: AtLeast},
			"2025Q3", Report{Value: f(0.3)}, OnTrack, nil, 1, []string{"增长 0.3%，目标 0%，达到目标"}},
	})
}

func TestEvaluateLevel(t *testing.T) {
	same := Target{ID: "s", Indicator: "森林覆盖率", Kind: Level, Value: f(20), Unit: "%", Comparator: AtLeast,
		Baseline: &Baseline{Value: 20, Year: 2024}}
	runEval(t, []evalCase{
		{"baseline on track", computeShare, "2025Q3", Report{Value: f(55)}, OnTrack, f(0.75), 0.75,
			[]string{"当前 55（基数 40）/60%，进度 75.0%，序时 75.0%"}},
		{"baseline reached", computeShare, "2025Q3", Report{Value: f(61)}, Done, f(1.05), 0.75,
			[]string{"当前 61（基数 40）/60%，已完成目标（105.0%）"}},
		{"baseline behind", computeShare, "2025H1", Report{Value: f(47)}, Behind, f(0.35), 0.5,
			[]string{"进度 35.0%，序时 50.0%"}},
		{"baseline seriously behind", computeShare, "2025Q3", Report{Value: f(45)}, FarBehind, f(0.25), 0.75, nil},
		{"below baseline", computeShare, "2025Q1", Report{Value: f(38)}, FarBehind, f(-0.1), 0.25,
			[]string{"进度 -10.0%"}},
		{"no baseline on track", museums, "2025H1", Report{Value: f(50)}, OnTrack, f(0.5), 0.5,
			[]string{"当前 50/100家，进度 50.0%，序时 50.0%"}},
		{"no baseline reached", museums, "2025Q1", Report{Value: f(102)}, Done, f(1.02), 0.25,
			[]string{"当前 102/100家，已完成目标（102.0%）"}},
		{"no baseline behind", museums, "2025", Report{Value: f(88)}, Behind, f(0.88), 1, nil},
		// A baseline equal to the target: judged against the target alone, never 0/0.
		{"baseline equals target, met", same, "2025Q3", Report{Value: f(20)}, Done, f(1), 0.75, nil},
		{"baseline equals target, short", same, "2025Q3", Report{Value: f(18)}, OnTrack, f(0.9), 0.75,
			[]string{"当前 18（基数 20）/20%，进度 90.0%"}},
		{"baseline equals target, far short", same, "2025", Report{Value: f(15)}, FarBehind, f(0.75), 1, nil},
		{"zero level target", Target{ID: "z", Kind: Level, Value: f(0), Unit: "个", Comparator: AtLeast},
			"2025Q1", Report{Value: f(0)}, Done, f(1), 0.25, nil},
	})
}

func TestEvaluateCeiling(t *testing.T) {
	runEval(t, []evalCase{
		{"about: under", jobless, "2025Q3", Report{Value: f(5.3)}, OnTrack, nil, 0.75,
			[]string{"当前 5.3%，控制目标 5.5%左右，符合要求"}},
		{"about: under at year end", jobless, "2025", Report{Value: f(5.3)}, Done, nil, 1, nil},
		{"about: within slack", jobless, "2025", Report{Value: f(5.6)}, Done, nil, 1, nil},
		{"about: at slack edge", jobless, "2025", Report{Value: f(5.61)}, Done, nil, 1, nil},
		{"about: over slack", jobless, "2025Q3", Report{Value: f(5.62)}, Behind, nil, 0.75,
			[]string{"当前 5.62%，超出控制目标 5.5%左右"}},
		{"about: far over", jobless, "2025Q3", Report{Value: f(6.4)}, FarBehind, nil, 0.75, nil},
		{"strict: at target", pm25, "2025H1", Report{Value: f(35)}, OnTrack, nil, 0.5,
			[]string{"当前 35微克/立方米，控制目标 35微克/立方米以内，符合要求"}},
		{"strict: just over", pm25, "2025", Report{Value: f(35.1)}, Behind, nil, 1,
			[]string{"超出控制目标 35微克/立方米以内"}},
		{"strict: at serious edge", pm25, "2025", Report{Value: f(40.25)}, Behind, nil, 1, nil},
		{"strict: far over", pm25, "2025", Report{Value: f(41)}, FarBehind, nil, 1, nil},
		{"zero ceiling", Target{ID: "z", Kind: Ceiling, Value: f(0), Unit: "起", Comparator: AtMost},
			"2025", Report{Value: f(0)}, Done, nil, 1, nil},
	})
}

func TestEvaluateReduction(t *testing.T) {
	runEval(t, []evalCase{
		{"on track", water, "2025Q3", Report{Value: f(12)}, OnTrack, f(0.8), 0.75,
			[]string{"已下降 12/15%，进度 80.0%，序时 75.0%"}},
		{"reached", water, "2025H1", Report{Value: f(15.5)}, Done, f(15.5 / 15), 0.5,
			[]string{"已下降 15.5/15%，已完成目标（103.3%）"}},
		{"behind", water, "2025", Report{Value: f(13)}, Behind, f(13.0 / 15), 1, nil},
		{"rising instead", water, "2025Q1", Report{Value: f(-2)}, FarBehind, f(-2.0 / 15), 0.25, nil},
		// A reduction's baseline is the reference year, not a starting figure: progress is reduction/target.
		{"baseline ignored", Target{ID: "r", Kind: Reduction, Value: f(11), Unit: "%", Comparator: AtLeast,
			Baseline: &Baseline{Value: 11, Year: 2020}}, "2025Q3", Report{Value: f(8.8)}, OnTrack, f(0.8), 0.75,
			[]string{"已下降 8.8/11%"}},
	})
}

func TestEvaluateMilestone(t *testing.T) {
	past := Target{ID: "p", Indicator: "上年结转任务", Kind: Milestone, Due: "2024Q4"}
	next := Target{ID: "n", Indicator: "跨年任务", Kind: Milestone, Due: "2026H1"}
	monthly := Target{ID: "m", Indicator: "月度任务", Kind: Milestone, Due: "2025M06"}
	runEval(t, []evalCase{
		{"done", road, "2025Q3", Report{Milestone: MilestoneDone}, Done, nil, 0.75, []string{"已完成"}},
		{"done after due", park, "2025Q3", Report{Milestone: MilestoneDone}, Done, nil, 0.75, nil},
		{"on plan, due ahead", road, "2025Q3", Report{Milestone: MilestoneOnPlan}, OnTrack, nil, 0.75,
			[]string{"按计划推进，计划年内完成"}},
		{"on plan, due passed", park, "2025Q3", Report{Milestone: MilestoneOnPlan}, Behind, nil, 0.75,
			[]string{"计划完成时间已过仍未完成", "计划2025年上半年完成"}},
		{"on plan, due this period", park, "2025H1", Report{Milestone: MilestoneOnPlan}, Behind, nil, 0.5, nil},
		{"on plan, year end", road, "2025", Report{Milestone: MilestoneOnPlan}, Behind, nil, 1,
			[]string{"计划完成时间已过仍未完成，计划年内完成"}},
		{"behind, due ahead", road, "2025H1", Report{Milestone: MilestoneBehind}, Behind, nil, 0.5,
			[]string{"单位报告滞后，计划年内完成"}},
		{"behind, due passed", park, "2025Q3", Report{Milestone: MilestoneBehind}, FarBehind, nil, 0.75,
			[]string{"单位报告滞后，计划完成时间已过"}},
		{"not begun, due ahead", park, "2025Q1", Report{Milestone: MilestoneNotBegun}, Behind, nil, 0.25,
			[]string{"尚未启动，计划2025年上半年完成"}},
		{"not begun, due passed", road, "2025", Report{Milestone: MilestoneNotBegun}, FarBehind, nil, 1,
			[]string{"尚未启动，计划完成时间已过"}},
		{"no due date", undated, "2025", Report{Milestone: MilestoneOnPlan}, OnTrack, nil, 1,
			[]string{"按计划推进"}},
		{"due in a past year", past, "2025Q1", Report{Milestone: MilestoneOnPlan}, Behind, nil, 0.25,
			[]string{"计划完成时间已过", "计划2024年底前完成"}},
		{"due next year", next, "2025", Report{Milestone: MilestoneNotBegun}, Behind, nil, 1, nil},
		{"due a month", monthly, "2025M05", Report{Milestone: MilestoneOnPlan}, OnTrack, nil, 5.0 / 12,
			[]string{"计划2025年6月底前完成"}},
		{"due a month, passed", monthly, "2025M07", Report{Milestone: MilestoneOnPlan}, Behind, nil, 7.0 / 12, nil},
		{"missing", road, "2025Q3", Report{}, Missing, nil, 0.75, []string{"未填报进展状态"}},
		{"not a choice", road, "2025Q3", Report{Milestone: "快完成了"}, Invalid, nil, 0.75,
			[]string{`进展状态 "快完成了" 不在可选范围内`}},
	})
}

func TestEvaluateMissingAndInvalid(t *testing.T) {
	for _, tg := range []Target{projects, gdp, computeShare, museums, jobless, water} {
		runEval(t, []evalCase{
			{tg.ID + " missing", tg, "2025Q3", Report{}, Missing, nil, 0.75, []string{"未填报完成值"}},
			{tg.ID + " invalid", tg, "2025Q3", Report{Value: f(3), Invalid: "完成值“约5”不是数字"}, Invalid, nil, 0.75,
				[]string{"完成值“约5”不是数字"}},
		})
	}
	runEval(t, []evalCase{
		{"milestone invalid", road, "2025Q3", Report{Milestone: MilestoneDone, Invalid: "进展状态被改为公式"}, Invalid, nil, 0.75,
			[]string{"进展状态被改为公式"}},
		{"registry without value", Target{ID: "v", Kind: Cumulative, Unit: "个"}, "2025Q3", Report{Value: f(3)},
			Invalid, nil, 0.75, []string{"缺少目标值"}},
	})
}

func TestEvaluateSchedule(t *testing.T) {
	// Construction paid mostly late in the year: 10% by Q1, 30% by H1, 60% by Q3.
	sched := Target{ID: "sc", Indicator: "完成投资", Kind: Cumulative, Value: f(100), Unit: "亿元", Comparator: AtLeast,
		Schedule: map[string]float64{"Q1": 0.1, "H1": 0.3, "Q3": 0.6}}
	expected := map[string]float64{
		"2025M01": 0.1 / 3, "2025M02": 0.2 / 3, "2025Q1": 0.1, "2025M04": 0.1 + 0.2/3, "2025H1": 0.3, "2025Q2": 0.3,
		"2025M08": 0.5, "2025Q3": 0.6, "2025M10": 0.6 + 0.4/3, "2025Q4": 1, "2025": 1, "2025H2": 1,
	}
	for p, want := range expected {
		if got := sched.Expected(MustPeriod(p)); math.Abs(got-want) > 1e-9 {
			t.Errorf("Expected(%s) = %v; want %v", p, got, want)
		}
	}
	runEval(t, []evalCase{
		{"Q1 on schedule", sched, "2025Q1", Report{Value: f(8)}, OnTrack, f(0.08), 0.1,
			[]string{"完成 8/100亿元，进度 8.0%，序时 10.0%"}},
		{"Q3 on schedule", sched, "2025Q3", Report{Value: f(56)}, OnTrack, f(0.56), 0.6, []string{"序时 60.0%"}},
		{"Q3 behind", sched, "2025Q3", Report{Value: f(50)}, Behind, f(0.5), 0.6, nil},
		{"H1 far behind", sched, "2025H1", Report{Value: f(10)}, FarBehind, f(0.1), 0.3, nil},
	})

	// Lower-case keys, a schedule reaching 1 before December, points that share a month.
	early := Target{Kind: Cumulative, Schedule: map[string]float64{"q1": 0.5, "h1": 1}}
	for p, want := range map[string]float64{"2025Q1": 0.5, "2025M05": 5.0 / 6, "2025Q3": 1, "2025": 1} {
		if got := early.Expected(MustPeriod(p)); math.Abs(got-want) > 1e-9 {
			t.Errorf("early.Expected(%s) = %v; want %v", p, got, want)
		}
	}
	bad := Target{Kind: Cumulative, Schedule: map[string]float64{"Q9": 0.5, "H1": 0.4}}
	if got := bad.Expected(MustPeriod("2025H1")); got != 0.4 {
		t.Errorf("Expected with a bad key = %v; want 0.4 (the bad key ignored)", got)
	}
	tie := Target{Kind: Cumulative, Schedule: map[string]float64{"Q2": 0.3, "H1": 0.4, "M06": 0.35}}
	first := tie.Expected(MustPeriod("2025H1"))
	for i := 0; i < 50; i++ {
		if got := tie.Expected(MustPeriod("2025H1")); got != first {
			t.Fatalf("Expected with points sharing a month changed between calls: %v, then %v", first, got)
		}
	}
}

func TestEvaluateThresholdsFromPlan(t *testing.T) {
	strict := Thresholds{Tolerance: 0, Serious: 0.1, Approx: 0}
	got := Evaluate(projects, MustPeriod("2025Q3"), Report{Value: f(320)}, strict)
	if got.Status != Behind {
		t.Errorf("with no tolerance: status = %s; want %s", got.Status, Behind)
	}
	got = Evaluate(jobless, MustPeriod("2025"), Report{Value: f(5.6)}, strict)
	if got.Status != Behind {
		t.Errorf("with no 左右 slack: status = %s; want %s", got.Status, Behind)
	}
}

func TestStatusLagging(t *testing.T) {
	want := map[Status]bool{Done: false, OnTrack: false, Behind: true, FarBehind: true, Missing: false, Invalid: false}
	for _, s := range Statuses {
		if got := s.Lagging(); got != want[s] {
			t.Errorf("%s.Lagging() = %v; want %v", s, got, want[s])
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := map[float64]string{
		430: "430", 5.5: "5.5", 0.25: "0.25", 1181: "1181", 0: "0", -3: "-3", 1.23456: "1.2346",
		74.4186: "74.4186", 2e15: "2000000000000000", 0.1 + 0.2: "0.3",
	}
	for in, want := range tests {
		if got := FormatNumber(in); got != want {
			t.Errorf("FormatNumber(%v) = %q; want %q", in, got, want)
		}
	}
}

// TestEvaluateEveryKindEveryPeriod checks what must hold whatever the kind
// and period: a known status, a one-line explanation with the figures, the
// expected share of the period, and no NaN.
func TestEvaluateEveryKindEveryPeriod(t *testing.T) {
	periods := []string{"2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025H1", "2025H2", "2025"}
	for m := 1; m <= 12; m++ {
		periods = append(periods, fmt.Sprintf("2025M%02d", m))
	}
	targets := []Target{projects, gdp, gdpAbout, computeShare, museums, jobless, pm25, water, road, park, undated}
	known := map[Status]bool{}
	for _, s := range Statuses {
		known[s] = true
	}
	for _, tg := range targets {
		for _, ps := range periods {
			p := MustPeriod(ps)
			reports := []Report{{}, {Invalid: "不是数字"}}
			if tg.Kind == Milestone {
				for _, c := range MilestoneChoices {
					reports = append(reports, Report{Milestone: c})
				}
			} else {
				for _, share := range []float64{-0.1, 0, 0.5, 0.99, 1, 1.5} {
					reports = append(reports, Report{Value: f(*tg.Value * share)})
				}
			}
			for _, r := range reports {
				e := Evaluate(tg, p, r, th)
				name := tg.ID + "@" + ps
				if !known[e.Status] {
					t.Errorf("%s: status %q; want one of %v", name, e.Status, Statuses)
				}
				if e.Explanation == "" || strings.Contains(e.Explanation, "\n") || strings.Contains(e.Explanation, "NaN") {
					t.Errorf("%s: explanation %q; want one line", name, e.Explanation)
				}
				want := p.Elapsed()
				if tg.Kind == Growth && r.Value != nil && r.Invalid == "" {
					want = 1 // a rate is judged against the whole-year rate at every period
				}
				if math.Abs(e.Expected-want) > 1e-9 {
					t.Errorf("%s: expected %v; want %v", name, e.Expected, want)
				}
				if e.Progress != nil && (math.IsNaN(*e.Progress) || math.IsInf(*e.Progress, 0)) {
					t.Errorf("%s: progress %v", name, *e.Progress)
				}
				if r.Value != nil && r.Invalid == "" && tg.Kind != Milestone && !strings.Contains(e.Explanation, FormatNumber(*r.Value)) {
					t.Errorf("%s: explanation %q does not show the value %s", name, e.Explanation, FormatNumber(*r.Value))
				}
			}
		}
	}
}
