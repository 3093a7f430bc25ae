package plan_test

import (
	"fmt"

	"planrep/plan"
)

func ExampleParsePeriod() {
	for _, s := range []string{"2025Q3", "2025H1", "2025-09", "2025", "2025Q5"} {
		p, err := plan.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %s %.2f %s\n", p, p.Label(), p.Elapsed(), p.Covers())
	}
	// Output:
	// 2025Q3 2025年前三季度 0.75 2025年1月1日至9月30日
	// 2025H1 2025年上半年 0.50 2025年1月1日至6月30日
	// 2025M09 2025年1-9月 0.75 2025年1月1日至9月30日
	// 2025 2025年全年 1.00 2025年1月1日至12月31日
	// 报告期 "2025Q5" 无法识别。可用的写法：2025Q1–2025Q4（一季度、上半年、前三季度、全年）、2025H1 / 2025H2（上半年、全年）、2025M01–2025M12 或 2025-01–2025-12（1月至当月）、2025（全年）；例如 2025Q3 表示2025年前三季度（1-9月）
}

func ExampleEvaluate() {
	goal := 430.0
	projects := plan.Target{
		ID: "1-01", Indicator: "新引进过亿元项目", Kind: plan.Cumulative,
		Value: &goal, Unit: "个", Comparator: plan.AtLeast, Qualifiers: []string{"力争"},
	}
	q3 := plan.MustPeriod("2025Q3")
	for _, v := range []float64{320, 250, 450} {
		e := plan.Evaluate(projects, q3, plan.Report{Value: &v}, plan.DefaultThresholds)
		fmt.Println(e.Status, e.Explanation)
	}
	e := plan.Evaluate(projects, q3, plan.Report{}, plan.DefaultThresholds)
	fmt.Println(e.Status, e.Explanation)
	// Output:
	// 序时推进 完成 320/430个，进度 74.4%，序时 75.0%
	// 严重滞后 完成 250/430个，进度 58.1%，序时 75.0%
	// 已完成 完成 450/430个，已完成目标（104.7%）
	// 未报送 未填报完成值
}

func ExampleEvaluate_milestone() {
	road := plan.Target{ID: "1-02", Indicator: "高速公路建成通车", Kind: plan.Milestone, Due: "2025H1"}
	for _, p := range []string{"2025Q1", "2025Q3"} {
		e := plan.Evaluate(road, plan.MustPeriod(p), plan.Report{Milestone: plan.MilestoneOnPlan}, plan.DefaultThresholds)
		fmt.Println(p, e.Status, e.Explanation)
	}
	// Output:
	// 2025Q1 序时推进 按计划推进，计划2025年上半年完成
	// 2025Q3 滞后 计划完成时间已过仍未完成，计划2025年上半年完成
}

func ExampleTarget_Expected() {
	invest := plan.Target{Kind: plan.Cumulative, Schedule: map[string]float64{"Q1": 0.1, "H1": 0.3, "Q3": 0.6}}
	for _, p := range []string{"2025Q1", "2025H1", "2025M08", "2025Q3", "2025"} {
		fmt.Printf("%s %.2f\n", p, invest.Expected(plan.MustPeriod(p)))
	}
	// Output:
	// 2025Q1 0.10
	// 2025H1 0.30
	// 2025M08 0.50
	// 2025Q3 0.60
	// 2025 1.00
}

func ExampleTarget_TargetText() {
	v := 5.5
	t := plan.Target{Value: &v, Unit: "%", Comparator: plan.About, Qualifiers: []string{"控制在", "左右"}}
	fmt.Println(t.TargetText())
	// Output: 5.5%左右
}
