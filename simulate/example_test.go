package simulate_test

import (
	"fmt"

	"planrep/plan"
	"planrep/simulate"
)

// Clone makes the synthetic registry of a scale run: every department N
// times over, each clone leading copies of its original's targets.
func ExampleClone() {
	v := 430.0
	p := &plan.Plan{
		ID: "zibo-2025", Year: 2025,
		Depts:   []plan.Department{{Code: "SWJ", Name: "淄博市商务局", Short: "市商务局"}},
		Targets: []plan.Target{{ID: "1-01", Indicator: "新引进过亿元项目", Kind: plan.Cumulative, Value: &v, Unit: "个", Lead: "SWJ"}},
	}
	sp := simulate.Clone(p, 2)
	fmt.Println(sp.ID)
	for _, d := range sp.Depts {
		fmt.Println(d.Code, d.Short)
	}
	for _, t := range sp.Targets {
		fmt.Println(t.ID, t.Lead)
	}
	// Output:
	// zibo-2025-x2
	// SWJ-0001 市商务局（0001）
	// SWJ-0002 市商务局（0002）
	// 1-01-0001 SWJ-0001
	// 1-01-0002 SWJ-0002
}
