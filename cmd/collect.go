package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/workbook"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdCollect(g, nil) })
}

// CollectOptions are the inputs of `collect`.
type CollectOptions struct {
	G        *Globals
	Period   string // --period, "" to take it from the returns
	Previous string // --previous round.json
	Out      string // -o
	NoDB     bool   // --no-db
	Inputs   []string

	MemoryLimit string // --memory-limit, "" for the default
}

// NewCmdCollect builds `collect`; runF replaces the run function in tests.
func NewCmdCollect(g *Globals, runF func(*CollectOptions) error) *cobra.Command {
	opts := &CollectOptions{G: g}
	c := &cobra.Command{
		Use:   "collect -o 输出文件夹 报送文件...",
		Short: "收集、校验并汇总各部门报送的填报表",
		Long: `收集各部门报送的填报表，逐个校验，合并为本期汇总数据。

报送文件可以是任意组合的 .xlsx 文件、文件夹（含子文件夹）和 .zip 压缩包（包括中文 Windows
上打包、文件名为 GBK 编码的压缩包，可再套一层压缩包）。Office 临时文件（~$ 开头）和隐藏文件
会被跳过并列出。每个文件按模板中的标识（计划、报告期、部门）识别，不看文件名；同一部门报送
多次的，按填报日期、文件修改时间、文件名取最新的一份，其余列为“被替代”。

校验内容：文件格式（.xls、WPS、CSV、PDF、加密、损坏等）、模板标识、表格结构（删行、改动锁定
内容、插入或隐藏行）、填报数值（未填、非数字、负数、百分比越界、明显异常、滞后未说明原因、
公式和外部链接）以及报送完整性。完整的问题代码表见 planrep findings。

输出文件夹中写入：
  round.json       本期汇总数据（每个指标的数值、状态和说明，全部问题，全部输入文件及其 SHA-256）
  汇总表.xlsx      每个指标一行的汇总表
  校验结果.xlsx    全部问题清单，可按部门、级别筛选排序
  反馈/            每个有问题的报送文件的副本：第一张表列出问题，问题单元格标色并加批注，
                   可直接发回给部门修改后重新报送
输入文件不会被修改。

在 planrep init 创建的工作区中，不列出报送文件时读取 收件箱/（其中往期的报送文件跳过），
报告期默认取最近下发模板的报告期，输出写到 汇总/<报告期>/，上期数据默认取 汇总/ 中较早一期的 round.json。

退出码：0 全部部门已报送且没有错误；1 有部门未报送或存在错误；2 无法运行（参数错误、
输入路径不存在、输出文件夹无法写入）。`,
		Example: `  planrep collect -o 汇总/2025Q3 收件箱/
  planrep collect --period 2025Q3 -o 汇总/2025Q3 收件箱/ 补报.zip
  planrep collect --previous 汇总/2025H1/round.json -o 汇总/2025Q3 收件箱/`,
		Args: func(c *cobra.Command, args []string) error {
			if ws, _ := g.Workspace(); len(args) == 0 && ws == nil {
				return errors.New("请指定报送文件、文件夹或 zip 压缩包（在 planrep init 创建的工作区中可不指定，默认读取 收件箱/）")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			if runF != nil {
				return runF(opts)
			}
			return collectRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Out, "output", "o", "", "输出文件夹（必填；工作区中默认 汇总/<报告期>/）")
	c.Flags().StringVar(&opts.Period, "period", "", "报告期，如 2025Q3、2025H1、2025M09（默认取报送文件中的报告期）")
	c.Flags().StringVar(&opts.Previous, "previous", "", "上期的 round.json，用于检查累计值是否比上期减少")
	c.Flags().StringVar(&opts.MemoryLimit, "memory-limit", "", "内存上限（如 2GiB、1500MB；默认取本机内存的八分之一，介于 512MiB 与 4GiB 之间；0 表示不设上限，按 Go 的默认节奏回收内存）")
	c.Flags().BoolVar(&opts.NoDB, "no-db", false, "不记入数据库（默认记入 --db 指定的数据库，见 planrep history）")
	return c
}

func collectRun(opts *CollectOptions) error {
	io := opts.G.IO
	p, err := opts.G.LoadSoundPlan()
	if err != nil {
		return err
	}
	ws, err := opts.G.Workspace()
	if err != nil {
		return err
	}
	if strings.TrimSpace(opts.Out) == "" && ws == nil {
		return errors.New("请用 -o 指定输出文件夹")
	}
	wopt := workbook.Options{}
	if opts.Period != "" {
		per, err := periodFlag(opts.Period, p)
		if err != nil {
			return err
		}
		wopt.Period = &per
	}
	notes, err := collectDefaults(opts, p, &wopt)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(io.ErrOut, n)
	}
	if opts.Out != "" {
		wopt.Exclude = append(wopt.Exclude, opts.Out)
	}
	if opts.Previous != "" {
		prev, err := loadRound(opts.Previous, p, "上期数据")
		if err != nil {
			return err
		}
		wopt.Previous = prev
	}
	if opts.Out != "" {
		if err := os.MkdirAll(opts.Out, 0o755); err != nil {
			return fmt.Errorf("无法创建输出文件夹 %s：%v", opts.Out, err)
		}
	}
	rec, err := openRecorder(opts.G, opts.NoDB)
	if err != nil {
		return err
	}
	defer rec.Close()
	if wopt.Previous == nil {
		rec.compare(p.ID, &wopt)
	}
	if io.ShowProgress() {
		wopt.Progress = func(done, total int) { collectProgress(io.ErrOut, done, total) }
	}
	if len(p.Targets) >= 5000 {
		// A registry this large is mostly alike departments: their texts
		// are kept once, not once a target, for as long as the run lasts.
		p.ShareStrings()
	}
	restore, err := applyMemoryLimit(opts.MemoryLimit)
	if err != nil {
		return err
	}
	defer restore()
	res, err := workbook.Collect(p, opts.Inputs, wopt)
	if wopt.Progress != nil {
		fmt.Fprint(io.ErrOut, "\r\033[K")
	}
	if err != nil {
		printUnidentified(io.Out, err)
		return err
	}
	if opts.Out == "" {
		opts.Out = collectOutAfter(opts, res.Round.Period.String())
		if err := os.MkdirAll(opts.Out, 0o755); err != nil {
			return fmt.Errorf("无法创建输出文件夹 %s：%v", opts.Out, err)
		}
	}
	if err := rec.annotate(res); err != nil {
		return err
	}
	if err := res.WriteOutputs(opts.Out); err != nil {
		return err
	}
	if err := rec.record(res, opts.Inputs); err != nil {
		return fmt.Errorf("汇总结果已写入 %s，但%w", opts.Out, err)
	}
	if prev := wopt.Previous; prev != nil {
		if !workbook.Comparable(prev, p.ID, res.Round.Period) {
			fmt.Fprintf(io.ErrOut, "提示：上期数据 %s（计划 %s，报告期 %s）不是本计划本年度更早的报告期，未用于检查累计值\n", opts.Previous, prev.PlanID, prev.Period)
		}
	}
	if printCollect(io.Out, res, opts.Out) {
		return errProblems
	}
	return nil
}

// printUnidentified lists, when no period could be told, every file read
// and why it was not identified as a return of this plan.
func printUnidentified(w io.Writer, err error) {
	var npe *workbook.NoPeriodError
	if !errors.As(err, &npe) {
		return
	}
	if len(npe.Files) == 0 {
		fmt.Fprintln(w, "没有找到任何文件。")
		return
	}
	fmt.Fprintf(w, "共读取 %d 个文件，没有一个能识别为本计划的填报表：\n", len(npe.Files))
	for _, f := range npe.Files {
		code := ""
		if f.Code != "" {
			code = f.Code + " "
		}
		fmt.Fprintf(w, "  %s：%s%s\n", f.Path, code, f.Reason)
	}
	fmt.Fprintln(w)
}

// collectProgress draws a one-line bar on stderr.
func collectProgress(w io.Writer, done, total int) {
	if total == 0 {
		return
	}
	const n = 30
	k := done * n / total
	fmt.Fprintf(w, "\r读取报送文件 [%s%s] %d/%d", strings.Repeat("#", k), strings.Repeat(".", n-k), done, total)
}

// printDistricts prints the 区县 table, their totals and the roll-up's
// verdicts; it returns how many 区县 have not reported.
func printDistricts(w io.Writer, r *plan.Round) int {
	fmt.Fprintln(w)
	rows := [][]string{{"区县", "代码", "状态", "错误", "警告", "采用的文件"}}
	in, missing := 0, 0
	for _, d := range r.Districts {
		state, errs, warns := "已报送", fmt.Sprint(d.Errors), fmt.Sprint(d.Warnings)
		switch {
		case !d.Submitted:
			state, errs, warns = "未报送", "—", "—"
			missing++
		case d.Errors > 0:
			state = "有错误"
		case d.Warnings > 0:
			state = "有警告"
		}
		if d.Submitted {
			in++
		}
		rows = append(rows, []string{d.Short, d.Code, state, errs, warns, d.File})
	}
	collectTable(w, rows)
	var same, differ, waiting int
	for _, ru := range r.Rollups {
		switch {
		case ru.Consistent == nil:
			waiting++
		case *ru.Consistent:
			same++
		default:
			differ++
		}
	}
	fmt.Fprintf(w, "\n区县：应报送 %d 个，已报送 %d 个，未报送 %d 个。分解指标 %d 项：区县合计与全市数一致 %d 项，口径不一致 %d 项，待核对 %d 项（区县未报齐或全市数未报）。\n",
		len(r.Districts), in, missing, len(r.Rollups), same, differ, waiting)
	return missing
}

// printCollect prints the table by department and the totals; it reports
// whether problems stand (a department missing or an error finding).
func printCollect(w io.Writer, res *workbook.Result, out string) bool {
	r := res.Round
	fmt.Fprintf(w, "%s %s 报送情况\n\n", r.PlanTitle, r.Period.Label())
	rows := [][]string{{"部门", "代码", "状态", "错误", "警告", "采用的文件"}}
	var in, missing, withErr, withWarn int
	for _, d := range r.Departments {
		state := "已报送"
		switch {
		case !d.Submitted:
			state = "未报送"
			missing++
		case d.Errors > 0:
			state = "有错误"
		case d.Warnings > 0:
			state = "有警告"
		}
		if d.Submitted {
			in++
			if d.Errors > 0 {
				withErr++
			} else if d.Warnings > 0 {
				withWarn++
			}
		}
		errs, warns := fmt.Sprint(d.Errors), fmt.Sprint(d.Warnings)
		if !d.Submitted {
			errs, warns = "—", "—"
		}
		rows = append(rows, []string{d.Short, d.Code, state, errs, warns, d.File})
	}
	collectTable(w, rows)
	printRejected(w, r)
	var nErr, nWarn, nInfo int
	var loose []plan.Finding // errors in files no department could be told from
	for _, f := range r.Findings {
		switch f.Severity {
		case plan.Error:
			nErr++
			if f.Dept == "" {
				loose = append(loose, f)
			}
		case plan.Warning:
			nWarn++
		default:
			nInfo++
		}
	}
	verdicts := map[string]int{}
	for _, f := range r.Files {
		verdicts[f.Verdict]++
	}
	fmt.Fprintf(w, "\n合计：应报送 %d 个部门，已报送 %d 个（有错误 %d 个，有警告 %d 个），未报送 %d 个。\n",
		len(r.Departments), in, withErr, withWarn, missing)
	if len(r.Districts) > 0 {
		missing += printDistricts(w, r)
	}
	fmt.Fprintf(w, "文件：共 %d 个，采用 %d 个，拒收 %d 个，被替代 %d 个，跳过 %d 个。\n",
		len(r.Files), verdicts[plan.Accepted], verdicts[plan.Rejected], verdicts[plan.Superseded], verdicts[plan.Skipped])
	fmt.Fprintf(w, "问题：错误 %d 条，警告 %d 条，提示 %d 条。\n", nErr, nWarn, nInfo)
	if len(loose) > 0 {
		fmt.Fprintln(w, "\n无法识别报送部门的文件：")
		for i, f := range loose {
			if i == 20 {
				fmt.Fprintf(w, "  ……另有 %d 个，见 校验结果.xlsx\n", len(loose)-20)
				break
			}
			fmt.Fprintf(w, "  %s：%s %s\n", f.File, f.Code, f.Message)
		}
	}
	fmt.Fprintf(w, "\n已写入 %s：round.json、汇总表.xlsx、校验结果.xlsx", out)
	if res.FeedbackWritten > 0 {
		fmt.Fprintf(w, "，反馈/（%d 份反馈表）", res.FeedbackWritten)
	}
	fmt.Fprintln(w, "。")
	return missing > 0 || nErr > 0
}

// printRejected lists, under each department, the files of it that were
// not taken (rejected or superseded), with the finding code and the reason.
func printRejected(w io.Writer, r *plan.Round) {
	code := map[string]string{} // file → the code that set it aside
	for _, f := range r.Findings {
		if f.File != "" && strings.HasPrefix(f.Code, "F") && f.Severity != plan.Warning && code[f.File] == "" {
			code[f.File] = f.Code
		}
	}
	byDept := map[string][]plan.InputFile{}
	for _, f := range r.Files {
		if f.Dept != "" && (f.Verdict == plan.Rejected || f.Verdict == plan.Superseded) {
			byDept[f.Dept] = append(byDept[f.Dept], f)
		}
	}
	if len(byDept) == 0 {
		return
	}
	fmt.Fprintln(w, "\n未采用的文件（按部门）：")
	for _, d := range r.Departments {
		fs := byDept[d.Code]
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s（%s）\n", d.Short, d.Code)
		for _, f := range fs {
			verdict := "拒收"
			if f.Verdict == plan.Superseded {
				verdict = "被替代"
			}
			fmt.Fprintf(w, "    %s  %s %s：%s\n", f.Path, verdict, code[f.Path], f.Reason)
		}
		delete(byDept, d.Code)
	}
}

// collectTable prints rows with columns aligned by display width (a Chinese
// character is two columns wide).
func collectTable(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
