package cmd

import (
	"fmt"
	"os"
	"strings"

	"planrep/plan"
	"planrep/workbook"
)

// collectDefaults fills what a workspace implies and the command line left
// out: the inbox as input, the period of the latest templates, 汇总/<period>/
// as output and the previous period's round. It returns notes to print.
func collectDefaults(opts *CollectOptions, p *plan.Plan, wopt *workbook.Options) ([]string, error) {
	ws, err := opts.G.Workspace()
	if err != nil || ws == nil {
		return nil, err
	}
	var notes []string
	if len(opts.Inputs) == 0 {
		inbox := ws.Path(DirInbox)
		if _, err := os.Stat(inbox); err != nil {
			return nil, fmt.Errorf("工作区的收件箱 %s 不存在：请新建该文件夹并把各单位报送的文件放进去，或在命令行列出报送文件", dirShown(inbox))
		}
		opts.Inputs = []string{rel(inbox)}
		wopt.KeepsYear = true
	}
	for _, d := range []string{DirTemplates, DirCollected, DirReports} {
		wopt.Exclude = append(wopt.Exclude, ws.Path(d))
	}
	if wopt.Period == nil {
		if cur, ok := ws.currentPeriod(p.Year); ok {
			wopt.Period = &cur
			opts.Period = cur.String()
			notes = append(notes, fmt.Sprintf("报告期：%s（%s，取自工作区最近下发的模板；汇总其他报告期请用 --period 指定）", cur, cur.Label()))
		}
	}
	if per := wopt.Period; per != nil {
		if opts.Out == "" {
			opts.Out = rel(ws.Path(DirCollected, per.String()))
		}
		if opts.Previous == "" {
			if prev := ws.previousRound(*per); prev != "" {
				opts.Previous = rel(prev)
				notes = append(notes, fmt.Sprintf("上期数据：%s（用于检查累计值是否比上期减少）", opts.Previous))
			}
		}
	}
	return notes, nil
}

// collectOutAfter is the output folder of a workspace's collect whose period
// only the returns could tell.
func collectOutAfter(opts *CollectOptions, period string) string {
	ws, _ := opts.G.Workspace()
	if ws == nil || opts.Out != "" {
		return opts.Out
	}
	return rel(ws.Path(DirCollected, period))
}

// reportDefaults fills, in a workspace, the round of the period asked for
// (or of the latest period collected) and 报告/<period>/ as output.
func reportDefaults(opts *ReportOptions, p *plan.Plan) error {
	ws, err := opts.G.Workspace()
	if err != nil || ws == nil {
		return err
	}
	if opts.Round == "" && len(opts.Inputs) == 0 {
		var per plan.Period
		if opts.Period != "" {
			if per, err = plan.ParsePeriod(opts.Period); err != nil {
				return err
			}
		} else {
			done := periodDirs(ws.Path(DirCollected), p.Year)
			for i := len(done) - 1; i >= 0; i-- {
				if _, err := os.Stat(ws.roundFile(done[i])); err == nil {
					per = done[i]
					break
				}
			}
			if per.Year == 0 {
				return fmt.Errorf("工作区中还没有汇总数据（%s 下没有 round.json）：请先运行 planrep collect", dirShown(ws.Path(DirCollected)))
			}
		}
		f := ws.roundFile(per)
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%s 还没有汇总数据（%s 不存在）：请先运行 planrep collect --period %s", per.Label(), rel(f), per)
		}
		opts.Round, opts.Period = rel(f), ""
		if opts.Out == "" {
			opts.Out = rel(ws.Path(DirReports, per.String()))
		}
		return nil
	}
	if opts.Out == "" && opts.Round != "" {
		if r, err := readRound(opts.Round, p); err == nil {
			opts.Out = rel(ws.Path(DirReports, r.Period.String()))
		}
	}
	if opts.Out == "" && opts.Period != "" {
		if per, err := plan.ParsePeriod(opts.Period); err == nil {
			opts.Out = rel(ws.Path(DirReports, per.String()))
		}
	}
	return nil
}

// reportLines fills the 报送 and 抄送 lines the command line left out from
// PLANREP_SUBMIT_TO / PLANREP_COPY_TO or the workspace's settings.
func reportLines(opts *ReportOptions) error {
	for _, l := range []struct {
		key  string
		into *[]string
	}{{"report.submit_to", &opts.SendTo}, {"report.copy_to", &opts.CopyTo}} {
		if len(*l.into) > 0 {
			continue
		}
		r, err := opts.G.setting(l.key, "")
		if err != nil {
			return err
		}
		*l.into = splitList(r.Value)
	}
	return nil
}

// splitList splits a list written with commas (either width) or 、.
func splitList(s string) []string {
	var out []string
	for _, u := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == '，' || c == '、' }) {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// periodMissing says a period is needed, with every form of the plan's year.
func periodMissing(g *Globals, also string) error {
	year := 2025
	if p, _, err := g.LoadPlan(); err == nil && p.Year != 0 {
		year = p.Year
	}
	return fmt.Errorf("请用 --period 指定报告期%s。%s", also, plan.PeriodForms(year))
}

// periodOutOfYear says a period lies outside the plan's year.
func periodOutOfYear(per plan.Period, year int) error {
	return fmt.Errorf("报告期 %s 不在计划年度 %d 年内：请指定 %d 年的报告期。%s", per, year, year, plan.PeriodForms(year))
}
