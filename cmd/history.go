package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/store"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdHistory(g, nil) })
}

// HistoryOptions are the inputs of `history`.
type HistoryOptions struct {
	G    *Globals
	What string // "", "target", "dept"
	Key  string // the target id or department code
	JSON bool
}

// NewCmdHistory builds `history` and its two subcommands.
func NewCmdHistory(g *Globals, runF func(*HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{G: g}
	run := func() error {
		if runF != nil {
			return runF(opts)
		}
		return historyRun(opts)
	}
	c := &cobra.Command{
		Use:   "history",
		Short: "查看数据库中全年各期的收集记录、指标走势和部门报送记录",
		Long: `查看数据库（--db，默认 planrep.db）中记下的全年情况：

  planrep history               各次收集：报告期、收集时间、已报送/应报送部门数、错误和警告数
  planrep history target 编号   某个指标在各期的完成值、完成进度、序时进度、状态和环比，
                                以及数据来自哪个部门的哪个文件
  planrep history dept 部门代码 某个部门的报送记录：每个文件何时收到、是否采用；
                                重新报送的，列出与上一次相比改了哪些单元格（原值 → 新值）

--json 输出同样内容的 JSON。history 只读取数据库，不做任何改动。

退出码：0 成功；2 无法运行（数据库不存在或无法读取、编号或代码不存在）。`,
		Example: `  planrep history
  planrep history target Q012
  planrep history dept GXJ --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return run() },
	}
	c.PersistentFlags().BoolVar(&opts.JSON, "json", false, "以 JSON 格式输出")
	target := &cobra.Command{
		Use:   "target 指标编号",
		Short: "某个指标在各期的完成值、进度、状态和环比",
		Long: `列出某个指标在数据库中每一期的采用值：完成值、完成进度、序时进度、状态、与上期相比的变化（环比），
以及数据来自的部门、文件和单元格。没有采用值的期次注明“未报送”。

退出码：0 成功；2 无法运行。`,
		Example: "  planrep history target Q012",
		Args:    exactlyOne("请指定一个指标编号，如 planrep history target Q012（编号见 planrep plan show）"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.What, opts.Key = "target", args[0]
			return run()
		},
	}
	dept := &cobra.Command{
		Use:   "dept 部门",
		Short: "某个部门的报送记录和每次更正的内容",
		Long: `列出某个部门报送过的每个文件（首次收到的时间、报告期、填报日期、是否采用及原因），
以及每一份被采用的报送；重新报送的，列出与上一份相比改动的单元格（原值 → 新值）。

退出码：0 成功；2 无法运行。`,
		Example: "  planrep history dept GXJ",
		Args:    exactlyOne("请指定一个部门（代码、简称或全称），如 planrep history dept GXJ 或 planrep history dept 市工业和信息化局"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.What, opts.Key = "dept", args[0]
			return run()
		},
	}
	c.AddCommand(target, dept)
	return c
}

func historyRun(opts *HistoryOptions) error {
	g := opts.G
	// The settings first: a workspace whose settings cannot be read stops
	// here, as LoadPlan would have stopped it.
	if _, err := g.setting("plan", g.PlanFile); err != nil {
		return err
	}
	st, err := g.OpenStore(false)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	reg, err := knownRegistry(ctx, g, st)
	if err != nil {
		return err
	}
	var p *plan.Plan
	if reg == nil {
		if p, _, err = g.LoadPlan(); err != nil {
			return err
		}
	}
	w := g.IO.Out
	switch opts.What {
	case "target":
		var h *TargetYear
		if reg != nil {
			h, err = storedTargetHistory(ctx, st, reg, opts.Key)
		} else {
			h, err = TargetHistory(ctx, st, p, opts.Key)
		}
		if err != nil {
			return err
		}
		if opts.JSON {
			return writeJSON(w, h)
		}
		printTargetHistory(w, h)
	case "dept":
		if reg != nil {
			// The roster alone, from the store: names are what is matched.
			if p, err = st.Head(ctx, reg.ID); err != nil {
				return err
			}
		}
		code, err := unitCode(g.IO.ErrOut, p, opts.Key, "单位")
		if err != nil {
			return err
		}
		h, err := DeptHistory(ctx, st, p, code)
		if err != nil {
			return err
		}
		if opts.JSON {
			return writeJSON(w, h)
		}
		printDeptHistory(w, h)
	default:
		planID, title := "", ""
		if reg != nil {
			planID, title = reg.PlanID, reg.Title
		} else {
			planID, title = p.ID, p.Title
		}
		runs, err := st.Runs(ctx, planID)
		if err != nil {
			return err
		}
		if runs == nil {
			runs = []store.RunInfo{}
		}
		if opts.JSON {
			return writeJSON(w, runs)
		}
		printRuns(w, title, runs, st.Path())
	}
	return nil
}

// knownRegistry is the registry the store recorded from the plan file the
// settings name, when the file is as it was then: known by its status on
// disk (nothing has written to it since), else by the SHA-256 of its bytes.
// It is nil for the embedded plan (which parses in milliseconds) and for a
// file the store does not know as it is now; the caller then parses the
// file. Parsing a registry of hundreds of thousands of targets takes
// seconds, while the history commands need its names and one target.
func knownRegistry(ctx context.Context, g *Globals, st *store.Store) (*store.Registry, error) {
	r, err := g.setting("plan", g.PlanFile)
	if err != nil || r.Value == "" {
		return nil, err
	}
	reg, ok, err := st.RegistryByStat(ctx, store.PlanFileStat(r.Value))
	if err != nil || ok {
		return &reg, err
	}
	sum, size, err := store.HashPlanFile(r.Value)
	if err != nil {
		return nil, nil // LoadPlan says why it cannot be read
	}
	reg, ok, err = st.RegistryByContent(ctx, sum, size)
	if err != nil || !ok {
		return nil, err
	}
	return &reg, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// shortTime shows a stored RFC 3339 time as 2025-10-12 09:30.
func shortTime(s string) string {
	t, err := time.Parse(store.TimeFormat, s)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02 15:04")
}

func periodLabel(code string) string {
	if p, err := plan.ParsePeriod(code); err == nil {
		return p.Label()
	}
	return code
}

func printRuns(w io.Writer, title string, runs []store.RunInfo, path string) {
	fmt.Fprintf(w, "%s 收集记录（数据库 %s）\n\n", title, path)
	if len(runs) == 0 {
		fmt.Fprintln(w, "数据库中还没有收集记录：用 planrep collect 收集一期报送后再查看。")
		return
	}
	rows := [][]string{{"报告期", "收集时间", "已报送/应报送", "按时", "错误", "警告", "文件", "新收报送"}}
	periods := map[string]bool{}
	for _, r := range runs {
		periods[r.Period] = true
		rows = append(rows, []string{periodLabel(r.Period), shortTime(r.Started), fmt.Sprintf("%d/%d", r.Submitted, r.Expected),
			fmt.Sprint(r.OnTime), fmt.Sprint(r.Errors), fmt.Sprint(r.Warnings), fmt.Sprint(r.Files), fmt.Sprint(r.Returns)})
	}
	collectTable(w, rows)
	fmt.Fprintf(w, "\n共 %d 次收集，%d 个报告期。\n", len(runs), len(periods))
}

// TargetPeriod is one period of a target's year.
type TargetPeriod struct {
	Period      string       `json:"period"`
	Label       string       `json:"label"`
	Expected    float64      `json:"expected"` // 序时进度
	Point       *store.Point `json:"value,omitempty"`
	Change      *float64     `json:"change,omitempty"` // 环比: since the previous period with a value
	ChangeShare *float64     `json:"change_share,omitempty"`
}

// TargetYear is `history target`'s answer.
type TargetYear struct {
	ID        string         `json:"id"`
	Indicator string         `json:"indicator"`
	Kind      plan.Kind      `json:"kind"`
	Statement string         `json:"statement"`
	Unit      string         `json:"unit,omitempty"`
	Lead      string         `json:"lead"`
	LeadName  string         `json:"lead_name"`
	Periods   []TargetPeriod `json:"periods"`
}

// TargetHistory gathers a target's year from the store: every period
// collected, with its accepted value when there is one.
func TargetHistory(ctx context.Context, st *store.Store, p *plan.Plan, id string) (*TargetYear, error) {
	t, ok := p.Target(id)
	if !ok {
		return nil, noTarget(id)
	}
	lead, _ := p.Dept(t.Lead)
	return targetYear(ctx, st, p.ID, t, lead.Short)
}

// storedTargetHistory is TargetHistory with the target's definition read
// from the registry the store recorded, not from the parsed plan.
func storedTargetHistory(ctx context.Context, st *store.Store, reg *store.Registry, id string) (*TargetYear, error) {
	t, leadShort, ok, err := st.TargetDefinition(ctx, reg.ID, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, noTarget(id)
	}
	return targetYear(ctx, st, reg.PlanID, t, leadShort)
}

func noTarget(id string) error {
	return fmt.Errorf("登记表中没有编号为 %s 的指标：请用 planrep plan show 查看指标编号", id)
}

// targetYear is the year of target t of plan planID, led by leadShort.
func targetYear(ctx context.Context, st *store.Store, planID string, t plan.Target, leadShort string) (*TargetYear, error) {
	pts, err := st.TargetYear(ctx, planID, t.ID)
	if err != nil {
		return nil, err
	}
	periods, err := st.Periods(ctx, planID)
	if err != nil {
		return nil, err
	}
	h := &TargetYear{ID: t.ID, Indicator: t.Indicator, Kind: t.Kind, Statement: t.TargetText(), Unit: t.Unit, Lead: t.Lead,
		LeadName: leadShort, Periods: []TargetPeriod{}}
	byPeriod := map[string]store.Point{}
	for _, pt := range pts {
		byPeriod[pt.Period] = pt
		if !containsStr(periods, pt.Period) {
			periods = append(periods, pt.Period)
		}
	}
	sortPeriods(periods)
	var last *float64
	for _, code := range periods {
		per, err := plan.ParsePeriod(code)
		if err != nil {
			continue
		}
		tp := TargetPeriod{Period: code, Label: per.Label(), Expected: t.Expected(per)}
		if pt, ok := byPeriod[code]; ok {
			pt := pt
			tp.Point = &pt
			if pt.Value != nil && pt.Status != plan.Invalid {
				if last != nil {
					d := *pt.Value - *last
					tp.Change = &d
					if *last != 0 {
						s := d / *last
						tp.ChangeShare = &s
					}
				}
				v := *pt.Value
				last = &v
			}
		}
		h.Periods = append(h.Periods, tp)
	}
	return h, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortPeriods orders period codes by their end, then by code.
func sortPeriods(codes []string) {
	sort.SliceStable(codes, func(i, j int) bool {
		a, ea := plan.ParsePeriod(codes[i])
		b, eb := plan.ParsePeriod(codes[j])
		if ea != nil || eb != nil {
			return codes[i] < codes[j]
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.EndMonth() != b.EndMonth() {
			return a.EndMonth() < b.EndMonth()
		}
		return codes[i] < codes[j]
	})
}

func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return plan.FormatNumber(roundTo(*v*100, 1)) + "%"
}

func roundTo(v float64, digits int) float64 {
	m := 1.0
	for i := 0; i < digits; i++ {
		m *= 10
	}
	if v < 0 {
		return -float64(int64(-v*m+0.5)) / m
	}
	return float64(int64(v*m+0.5)) / m
}

func printTargetHistory(w io.Writer, h *TargetYear) {
	fmt.Fprintf(w, "%s %s（%s）\n", h.ID, h.Indicator, h.Kind.Label())
	if h.Statement != "" {
		fmt.Fprintf(w, "年度目标：%s\n", h.Statement)
	}
	fmt.Fprintf(w, "牵头部门：%s（%s）\n\n", h.LeadName, h.Lead)
	if len(h.Periods) == 0 {
		fmt.Fprintln(w, "数据库中还没有本计划的收集记录。")
		return
	}
	quant := h.Kind.Quantitative()
	head := []string{"报告期", "完成值", "完成进度", "序时进度", "状态", "环比", "来源"}
	if !quant {
		head = []string{"报告期", "进展状态", "序时进度", "状态", "来源"}
	}
	rows := [][]string{head}
	for _, tp := range h.Periods {
		pt := tp.Point
		if pt == nil {
			if quant {
				rows = append(rows, []string{tp.Label, "—", "—", pct(&tp.Expected), string(plan.Missing), "—", ""})
			} else {
				rows = append(rows, []string{tp.Label, "—", pct(&tp.Expected), string(plan.Missing), ""})
			}
			continue
		}
		src := pt.File
		if pt.Cell != "" {
			src += " " + pt.Sheet + "!" + pt.Cell
		}
		if !quant {
			rows = append(rows, []string{tp.Label, orDash(pt.Milestone), pct(&tp.Expected), string(pt.Status), src})
			continue
		}
		val := orDash(pt.Raw)
		if pt.Value != nil {
			val = plan.FormatNumber(*pt.Value) + h.Unit
		}
		change := "—"
		if tp.Change != nil {
			change = signed(*tp.Change) + h.Unit
			if tp.ChangeShare != nil {
				change += "（" + signed(roundTo(*tp.ChangeShare*100, 1)) + "%）"
			}
		}
		rows = append(rows, []string{tp.Label, val, pct(pt.Progress), pct(&tp.Expected), string(pt.Status), change, src})
	}
	collectTable(w, rows)
	for _, tp := range h.Periods {
		if tp.Point != nil && tp.Point.Explanation != "" {
			fmt.Fprintf(w, "\n%s：%s", tp.Label, tp.Point.Explanation)
		}
	}
	fmt.Fprintln(w)
}

func signed(v float64) string {
	if v > 0 {
		return "+" + plan.FormatNumber(v)
	}
	return plan.FormatNumber(v)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// DeptYear is `history dept`'s answer.
type DeptYear struct {
	Code string `json:"code"`
	Name string `json:"name"`
	*store.DeptLog
}

// DeptHistory gathers the submission log of a department or a 区县 from the store.
func DeptHistory(ctx context.Context, st *store.Store, p *plan.Plan, code string) (*DeptYear, error) {
	name := ""
	if d, ok := p.Dept(code); ok {
		name = d.Short
	} else if d, ok := p.District(code); ok {
		name = d.Short // a 区县 reports as a department does
	} else {
		return nil, fmt.Errorf("登记表中没有代码为 %s 的部门或区县：请用 planrep plan show 查看单位代码", code)
	}
	log, err := st.Log(ctx, p.ID, code)
	if err != nil {
		return nil, err
	}
	return &DeptYear{Code: code, Name: name, DeptLog: log}, nil
}

var verdictLabel = map[string]string{plan.Accepted: "采用", plan.Rejected: "拒收", plan.Superseded: "被替代", plan.Skipped: "跳过"}

func printDeptHistory(w io.Writer, h *DeptYear) {
	fmt.Fprintf(w, "%s（%s）报送记录\n\n", h.Name, h.Code)
	if len(h.Files) == 0 {
		fmt.Fprintln(w, "数据库中没有该单位报送的文件。")
		return
	}
	rows := [][]string{{"首次收到", "报告期", "文件", "填报日期", "结论", "说明"}}
	for _, f := range h.Files {
		reason := f.Reason
		if r := []rune(reason); len(r) > 40 {
			reason = string(r[:40]) + "…"
		}
		rows = append(rows, []string{shortTime(f.FirstSeen), periodLabel(f.Period), f.Path, orDash(f.Filled), verdictLabel[f.Verdict], reason})
	}
	collectTable(w, rows)
	if len(h.Returns) == 0 {
		return
	}
	fmt.Fprintln(w, "\n采用的报送：")
	n := map[string]int{}
	for _, r := range h.Returns {
		n[r.Period]++
		line := fmt.Sprintf("  %s 第 %d 份：%s（填报日期 %s，%s 收到）", periodLabel(r.Period), n[r.Period], r.File, orDash(r.Filled), shortTime(r.Received))
		if !r.Current() {
			line += "，已被更正"
		}
		fmt.Fprintln(w, line)
		if r.Supersedes == 0 {
			continue
		}
		if len(r.Changes) == 0 {
			fmt.Fprintln(w, "    与上一份相比没有改动。")
			continue
		}
		fmt.Fprintf(w, "    与上一份相比更正 %d 项：\n", len(r.Changes))
		for _, c := range r.Changes {
			where := c.Target
			if c.Cell != "" {
				where = fmt.Sprintf("%s %s!%s", c.Target, c.Sheet, c.Cell)
			}
			fmt.Fprintf(w, "    %s %s：%s → %s\n", where, c.Field, orEmpty(c.Old), orEmpty(c.New))
		}
	}
}

func orEmpty(s string) string {
	if s == "" {
		return "（空）"
	}
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
