package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"

	"planrep/plan"
)

func init() { commands = append(commands, newPlanCmd) }

// planSubcommands are further `plan` subcommands registered by other files
// in init (export and import live beside the workbook code).
var planSubcommands []func(*Globals) *cobra.Command

func newPlanCmd(g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "plan",
		Short: "查看和检查计划目标任务登记表",
		Long: `查看和检查计划目标任务登记表（plan.yaml）。

登记表列出计划的每项量化指标和重点任务、牵头和配合部门，以及每一项在计划原文中的出处。
不指定 --plan 时使用内置的《淄博市2025年国民经济和社会发展计划》。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(NewCmdPlanShow(g, nil), NewCmdPlanCheck(g, nil))
	for _, add := range planSubcommands {
		c.AddCommand(add(g))
	}
	return c
}

// PlanShowOptions are the inputs of `plan show`.
type PlanShowOptions struct {
	G    *Globals
	JSON bool
}

// NewCmdPlanShow builds `plan show`; runF replaces the run function in tests.
func NewCmdPlanShow(g *Globals, runF func(*PlanShowOptions) error) *cobra.Command {
	opts := &PlanShowOptions{G: g}
	c := &cobra.Command{
		Use:   "show",
		Short: "概览登记表：按类型、章节、牵头部门统计指标",
		Long: `概览计划目标任务登记表：计划名称和年度，按指标类型、所属章节和牵头部门统计的指标数量。

使用 --json 时输出完整登记表（计划信息、部门名单、每个指标的全部字段和原文出处），便于其他程序处理。

退出码：0 成功；2 登记表无法读取。`,
		Example: `  planrep plan show
  planrep plan show --json > 登记表.json
  planrep --plan ./plan.yaml plan show`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return planShowRun(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "以 JSON 格式输出完整登记表")
	return c
}

func planShowRun(opts *PlanShowOptions) error {
	p, _, err := opts.G.LoadPlan()
	if err != nil {
		return err
	}
	if opts.JSON {
		return writePlanJSON(opts.G.IO.Out, p)
	}
	return writePlanSummary(opts.G.IO.Out, p)
}

// writePlanJSON prints the whole registry; encoding/json sorts map keys, so
// the output depends only on the registry.
func writePlanJSON(w io.Writer, p *plan.Plan) error {
	doc := struct {
		*plan.Plan
		Fingerprint string `json:"fingerprint"`
	}{p, p.Fingerprint()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func writePlanSummary(w io.Writer, p *plan.Plan) error {
	quant, miles := 0, 0
	for _, t := range p.Targets {
		if t.Kind == plan.Milestone {
			miles++
		} else {
			quant++
		}
	}
	fmt.Fprintf(w, "%s（%d 年）\n", p.Title, p.Year)
	fmt.Fprintf(w, "计划编号 %s，发布机关 %s，组织填报 %s，登记表指纹 %s\n", p.ID, p.Office, p.Planner, p.Fingerprint())
	fmt.Fprintf(w, "共 %d 项：量化指标 %d 项，重点任务 %d 项；部门 %d 个，其中牵头部门 %d 个\n",
		len(p.Targets), quant, miles, len(p.Depts), len(p.LeadDepts()))
	if len(p.Districts) > 0 {
		fmt.Fprintln(w, splitSummary(p))
	}

	// By kind, in the order reports use.
	byKind := map[plan.Kind]int{}
	binding := map[plan.Kind]int{}
	for _, t := range p.Targets {
		byKind[t.Kind]++
		if t.Binding {
			binding[t.Kind]++
		}
	}
	tb := &table{head: []string{"类型", "代码", "数量", "其中约束性"}, right: map[int]bool{2: true, 3: true}}
	kinds := append([]plan.Kind(nil), plan.Kinds...)
	for k := range byKind {
		if !containsKind(kinds, k) {
			kinds = append(kinds, k) // an unknown kind still shows; plan check names it
		}
	}
	for _, k := range kinds {
		if byKind[k] == 0 {
			continue
		}
		tb.add(k.Label(), string(k), fmt.Sprint(byKind[k]), fmt.Sprint(binding[k]))
	}
	tb.add("合计", "", fmt.Sprint(len(p.Targets)), fmt.Sprint(sumInts(binding)))
	fmt.Fprintln(w, "\n按指标类型")
	tb.write(w)

	// By chapter, in the order chapters first appear.
	type counts struct{ quant, miles int }
	var chapters []string
	byChapter := map[string]*counts{}
	for _, t := range p.Targets {
		c := byChapter[t.Chapter]
		if c == nil {
			c = &counts{}
			byChapter[t.Chapter] = c
			chapters = append(chapters, t.Chapter)
		}
		if t.Kind == plan.Milestone {
			c.miles++
		} else {
			c.quant++
		}
	}
	tb = &table{head: []string{"章节", "量化指标", "重点任务", "合计"}, right: map[int]bool{1: true, 2: true, 3: true}}
	for _, ch := range chapters {
		c := byChapter[ch]
		name := ch
		if name == "" {
			name = "（未填写章节）"
		}
		tb.add(name, fmt.Sprint(c.quant), fmt.Sprint(c.miles), fmt.Sprint(c.quant+c.miles))
	}
	tb.add("合计", fmt.Sprint(quant), fmt.Sprint(miles), fmt.Sprint(len(p.Targets)))
	fmt.Fprintln(w, "\n按所属章节")
	tb.write(w)

	// By lead department, in roster order; supporting roles counted too.
	type dcounts struct{ quant, miles, support int }
	byDept := map[string]*dcounts{}
	get := func(code string) *dcounts {
		if byDept[code] == nil {
			byDept[code] = &dcounts{}
		}
		return byDept[code]
	}
	for _, t := range p.Targets {
		if t.Kind == plan.Milestone {
			get(t.Lead).miles++
		} else {
			get(t.Lead).quant++
		}
		for _, s := range t.Support {
			get(s).support++
		}
	}
	tb = &table{head: []string{"部门", "代码", "牵头量化", "牵头任务", "牵头合计", "配合"}, right: map[int]bool{2: true, 3: true, 4: true, 5: true}}
	listed := map[string]bool{}
	for _, d := range p.Depts {
		listed[d.Code] = true
		c := get(d.Code)
		tb.add(d.Short, d.Code, fmt.Sprint(c.quant), fmt.Sprint(c.miles), fmt.Sprint(c.quant+c.miles), fmt.Sprint(c.support))
	}
	for _, t := range p.Targets { // leads missing from the roster, so nothing is hidden
		if !listed[t.Lead] {
			listed[t.Lead] = true
			c := get(t.Lead)
			name := "（不在部门名单中）"
			if t.Lead == "" {
				name = "（未指定牵头部门）"
			}
			tb.add(name, t.Lead, fmt.Sprint(c.quant), fmt.Sprint(c.miles), fmt.Sprint(c.quant+c.miles), fmt.Sprint(c.support))
		}
	}
	fmt.Fprintln(w, "\n按牵头部门")
	tb.write(w)
	return nil
}

func containsKind(ks []plan.Kind, k plan.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func sumInts(m map[plan.Kind]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// PlanCheckOptions are the inputs of `plan check`.
type PlanCheckOptions struct {
	G *Globals
}

// NewCmdPlanCheck builds `plan check`; runF replaces the run function in tests.
func NewCmdPlanCheck(g *Globals, runF func(*PlanCheckOptions) error) *cobra.Command {
	opts := &PlanCheckOptions{G: g}
	return &cobra.Command{
		Use:   "check",
		Short: "检查登记表：编号、部门、数值、单位、比较方式和原文出处",
		Long: `检查计划目标任务登记表是否完整可靠：

  - 计划编号、标题、年度齐全，判定阈值合理；
  - 部门代码唯一，部门有全称和简称；
  - 指标编号唯一，每个指标有章节、名称和牵头部门，牵头、配合部门都在部门名单中；
  - 指标类型可识别，目标值是数字，计量单位在已知单位表中，比较方式与类型相符；
  - 每个指标的原文依据（quote）都能在计划原文中逐字找到；
  - 区县代码唯一且不与部门代码重复；分解任务（quotas）只用于累计量指标，
    各区县分解任务合计不少于全市目标（不足时说明还差多少）；增长率、水平值、
    控制上限、下降率等不能相加的指标不能分解，只能给区县下达区县目标（own_targets），单独评价。

每个问题都注明指标编号和它在 plan.yaml 中的行号。

退出码：0 检查通过；1 发现问题；2 登记表无法读取。`,
		Example: `  planrep plan check
  planrep --plan ./plan.yaml plan check`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return planCheckRun(opts)
		},
	}
}

func planCheckRun(opts *PlanCheckOptions) error {
	io := opts.G.IO
	p, lines, err := opts.G.LoadPlan()
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return err // unreadable: exit 2
		}
		// The file is there but does not parse: that is a problem of the registry.
		fmt.Fprintln(io.Out, err.Error())
		fmt.Fprintln(io.ErrOut, "登记表检查未通过：请修正上述格式错误后重新检查")
		return errProblems
	}
	problems := plan.Check(p, lines)
	if len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintln(io.Out, pr.String())
		}
		fmt.Fprintf(io.ErrOut, "登记表检查未通过：发现 %d 个问题，请逐条修正后重新检查\n", len(problems))
		return errProblems
	}
	quant := 0
	for _, t := range p.Targets {
		if t.Kind.Quantitative() {
			quant++
		}
	}
	fmt.Fprintf(io.Out, "登记表检查通过：共 %d 项指标（量化指标 %d 项，重点任务 %d 项），%d 个部门\n",
		len(p.Targets), quant, len(p.Targets)-quant, len(p.Depts))
	if len(p.Districts) > 0 {
		fmt.Fprintln(io.Out, splitSummary(p))
	}
	return nil
}

// splitSummary says how far the registry is split among 区县: 区县 11 个；分解到区县的指标 36 项（示例）….
func splitSummary(p *plan.Plan) string {
	split, own := 0, 0
	for _, t := range p.Targets {
		if t.Split() {
			split++
		}
		if len(t.Own) > 0 {
			own++
		}
	}
	s := fmt.Sprintf("区县和功能区 %d 个；分解到区县的累计量指标 %d 项", len(p.Districts), split)
	if own > 0 {
		s += fmt.Sprintf("，给区县下达区县目标的指标 %d 项", own)
	}
	if p.Split != nil && p.Split.Example {
		s += "（分解数为示例：" + p.Split.Rule + "）"
	}
	return s
}

// table prints rows aligned for a terminal, counting East Asian wide
// characters as two columns.
type table struct {
	head  []string
	rows  [][]string
	right map[int]bool // right-aligned columns
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.head))
	all := append([][]string{t.head}, t.rows...)
	for _, r := range all {
		for i, c := range r {
			if i < len(widths) && displayWidth(c) > widths[i] {
				widths[i] = displayWidth(c)
			}
		}
	}
	for _, r := range all {
		var b strings.Builder
		b.WriteString("  ")
		for i := range widths {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
