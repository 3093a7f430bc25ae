package cmd

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/simulate"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdSimulate(g, nil) })
}

// SimulateOptions are the inputs of `simulate`.
type SimulateOptions struct {
	G         *Globals
	Period    string  // --period
	Templates string  // --templates
	Out       string  // -o
	Seed      uint64  // --seed
	Faults    float64 // --faults
	Missing   int     // --missing
	Scale     int     // --scale
	Workers   int     // not a flag: tests pin it
}

// NewCmdSimulate builds `simulate`; runF replaces the run function in tests.
func NewCmdSimulate(g *Globals, runF func(*SimulateOptions) error) *cobra.Command {
	opts := &SimulateOptions{G: g}
	c := &cobra.Command{
		Use:   "simulate -o 输出文件夹 [--templates 模板文件夹]",
		Short: "模拟各部门填报，生成用于演示和测试的报送文件",
		Long: `模拟各部门工作人员填写填报模板：填报人、联系电话、填报日期，围绕序时进度的完成值（有的超前、
有的滞后），简短的进展情况，滞后时写明存在问题和下步措施，重点任务选择进展状态；公式单元格
像 Excel 保存时一样带上计算结果。

模板按其中的标识识别（不看文件名）；不指定 --templates 时按登记表直接生成模板再填写。
使用 --faults 时按比例混入常见填报错误（“约5”、全角数字、千分位、带单位、负数、明显异常、
漏填、滞后未写问题、填报栏写公式、以 = 开头的文字、改动锁定的目标值、删行、调换行序、
重点任务状态不在列表中），每一处都记入 simulate.json（文件、工作表、单元格、指标、错误类型、
应报告的问题代码），便于核对 collect 是否全部查出。同一 --seed 生成的结果完全相同。

--scale N 用于规模测试：把登记表中每个部门和区县复制 N 份（代码如 FGW-0001、ZHANGDIAN-0001，
名称如 市发展改革委（0001）），合成的登记表写为 输出文件夹/plan.yaml（计划原文写在旁边），并为每个
复制出的牵头部门和承担分解任务的区县生成模板和填好的报送文件（模板只在内存中生成）。
分解到区县的指标按序时进度填报，各区县之和等于全市数，口径不一致只来自注入的填报错误。之后可用
  planrep collect --plan 输出文件夹/plan.yaml -o 汇总 输出文件夹/returns
汇总。

输出文件夹中写入：
  returns/        报送文件，文件名与部门报送时相同（模板原名，或加“_已填报”等字样）
  simulate.json   模拟清单：每份报送文件、注入的每一处错误及应报告的问题代码、未报送的部门
  plan.yaml       合成的登记表（仅 --scale）

退出码：0 成功；2 无法运行（参数错误、模板文件夹无法读取、输出文件夹无法写入）。`,
		Example: `  planrep templates --period 2025Q3 -o 模板
  planrep simulate --templates 模板 -o 模拟 --seed 1 --faults 0.05 --missing 1
  planrep simulate --period 2025Q3 --scale 400 -o 规模测试`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return simulateRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Out, "output", "o", "", "输出文件夹（必填）")
	c.Flags().StringVar(&opts.Period, "period", "", "报告期，如 2025Q3（默认取模板中的报告期；不指定 --templates 时必填）")
	c.Flags().StringVar(&opts.Templates, "templates", "", "模板文件夹（planrep templates 的输出）；不指定时直接按登记表生成")
	c.Flags().Uint64Var(&opts.Seed, "seed", 1, "随机种子：同一种子生成的结果完全相同")
	c.Flags().Float64Var(&opts.Faults, "faults", 0, "填报错误的比例（0 到 1，如 0.05 表示约 5% 的指标行有错误）")
	c.Flags().IntVar(&opts.Missing, "missing", 0, "未报送的部门个数")
	c.Flags().IntVar(&opts.Scale, "scale", 0, "规模测试：每个部门复制的份数")
	return c
}

func simulateRun(opts *SimulateOptions) error {
	ios := opts.G.IO
	if strings.TrimSpace(opts.Out) == "" {
		return errors.New("请用 -o 指定输出文件夹")
	}
	if opts.Scale != 0 && opts.Templates != "" {
		return errors.New("--scale 与 --templates 不能同时使用：规模测试的模板按合成的登记表在内存中生成")
	}
	p, err := opts.G.LoadSoundPlan()
	if err != nil {
		return err
	}
	sopt := simulate.Options{Seed: opts.Seed, Faults: opts.Faults, Missing: opts.Missing, Workers: opts.Workers}
	if opts.Period != "" {
		if sopt.Period, err = plan.ParsePeriod(opts.Period); err != nil {
			return err
		}
		if sopt.Period.Year != p.Year {
			return periodOutOfYear(sopt.Period, p.Year)
		}
	} else if opts.Templates == "" {
		return periodMissing(opts.G, "（或用 --templates 指定模板文件夹）")
	}
	if ios.ShowProgress() {
		sopt.Progress = progressBar(ios.ErrOut, "生成报送文件")
	}
	var m *simulate.Manifest
	if opts.Scale != 0 {
		m, err = simulate.Scale(p, opts.Scale, opts.Out, sopt)
	} else {
		m, err = simulate.Run(p, opts.Templates, opts.Out, sopt)
	}
	if sopt.Progress != nil {
		fmt.Fprint(ios.ErrOut, "\r\033[K")
	}
	if err != nil {
		return err
	}
	printSimulate(ios.Out, m, opts.Out)
	return nil
}

// progressBar draws a one-line bar on stderr, redrawn only when it moves.
func progressBar(w io.Writer, what string) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		const n = 30
		k := done * n / total
		if k == last && done != total && done%100 != 0 {
			return
		}
		last = k
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d", what, strings.Repeat("#", k), strings.Repeat(".", n-k), done, total)
	}
}

func printSimulate(w io.Writer, m *simulate.Manifest, out string) {
	tot := m.Totals
	if tot == nil {
		tot = &simulate.Totals{}
	}
	fmt.Fprintf(w, "报告期 %s，随机种子 %d：生成报送文件 %d 份（%d 个指标行），在 %s\n",
		m.Period, m.Seed, tot.Returns, tot.Rows, filepath.Join(out, simulate.ReturnsDir))
	if len(m.Missing) > 0 {
		var codes []string
		for _, d := range m.Missing {
			codes = append(codes, d.Dept)
		}
		if len(codes) > 10 {
			codes = append(codes[:10], "…")
		}
		fmt.Fprintf(w, "未报送的部门 %d 个：%s\n", len(m.Missing), strings.Join(codes, "、"))
	}
	if tot.Faults > 0 {
		fmt.Fprintf(w, "注入填报错误 %d 处，collect 应报告：\n", tot.Faults)
		var codes []string
		for c := range tot.ByCode {
			if c != plan.MissingDept {
				codes = append(codes, c)
			}
		}
		sort.Strings(codes)
		for _, c := range codes {
			def, _ := plan.Def(c)
			fmt.Fprintf(w, "  %s %s %4d 处  %s\n", c, def.Severity.Label(), tot.ByCode[c], def.Title)
		}
	}
	for _, s := range m.Skipped {
		fmt.Fprintf(w, "已跳过 %s\n", s)
	}
	fmt.Fprintf(w, "模拟清单：%s\n", filepath.Join(out, simulate.ManifestName))
	if m.Scale > 0 {
		reg := filepath.Join(out, simulate.PlanName)
		fmt.Fprintf(w, "合成登记表：%s（每个部门 %d 份）\n", reg, m.Scale)
		fmt.Fprintf(w, "汇总：planrep collect --plan %s -o 汇总 %s\n", reg, filepath.Join(out, simulate.ReturnsDir))
	}
}
