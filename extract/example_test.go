package extract_test

import (
	"fmt"

	"planrep/extract"
	"planrep/plan"
)

func ExampleExtract() {
	text := `某市2025年国民经济和社会发展计划
一、2024年计划执行情况
全市地区生产总值增长5.2%，城镇新增就业3.1万人。
二、2025年主要目标
地区生产总值增长5.5%左右，城镇新增就业3万人以上，城镇调查失业率控制在5.5%以内。`
	p, err := extract.Extract(text, extract.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Year, p.Title)
	for _, t := range p.Targets {
		base := ""
		if t.Baseline != nil {
			base = fmt.Sprintf("（%d年 %s）", t.Baseline.Year, plan.FormatNumber(t.Baseline.Value))
		}
		fmt.Printf("%s %s %s %s%s\n", t.ID, t.Indicator, t.Kind.Label(), t.TargetText(), base)
	}
	// Output:
	// 2025 某市2025年国民经济和社会发展计划
	// E-001 地区生产总值增长 增长率 5.5%左右（2024年 5.2）
	// E-002 城镇新增就业 累计量 3万人以上（2024年 3.1）
	// E-003 城镇调查失业率 控制上限 5.5%以内
}
