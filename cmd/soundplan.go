package cmd

import (
	"fmt"
	"strings"

	"planrep/plan"
)

// maxProblemsShown bounds the problems a refused command lists; plan check
// lists them all.
const maxProblemsShown = 30

// LoadSoundPlan loads the registry as LoadPlan does and runs plan check's
// soundness checks on it. The commands that build on the registry
// (templates, simulate, collect, report, demo) call it before they write
// anything: a registry with a duplicated id or an unknown lead department
// would otherwise make two template rows with one number, or lose a target.
func (g *Globals) LoadSoundPlan() (*plan.Plan, error) {
	p, lines, err := g.LoadPlan()
	if err != nil {
		return nil, err
	}
	if problems := plan.Check(p, lines); len(problems) > 0 {
		return nil, unsound(problems)
	}
	return p, nil
}

// unsound says why a registry is refused, in plan check's words.
func unsound(problems []plan.Problem) error {
	var b strings.Builder
	fmt.Fprintf(&b, "计划登记表未通过检查，发现 %d 个问题，本命令未执行：\n", len(problems))
	for i, pr := range problems {
		if i == maxProblemsShown {
			fmt.Fprintf(&b, "  ……另有 %d 个问题\n", len(problems)-maxProblemsShown)
			break
		}
		fmt.Fprintf(&b, "  %s\n", pr.String())
	}
	b.WriteString("请逐条修正登记表，用 planrep plan check 确认通过后再运行")
	return fmt.Errorf("%s", b.String())
}
