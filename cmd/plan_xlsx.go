package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/planxlsx"
	"planrep/seeds"
)

func init() {
	planSubcommands = append(planSubcommands,
		func(g *Globals) *cobra.Command { return NewCmdPlanExport(g, nil) },
		func(g *Globals) *cobra.Command { return NewCmdPlanImport(g, nil) },
	)
}

// PlanExportOptions are the inputs of `plan export`.
type PlanExportOptions struct {
	G      *Globals
	Output string
}

// NewCmdPlanExport builds `plan export`; runF replaces the run function in tests.
func NewCmdPlanExport(g *Globals, runF func(*PlanExportOptions) error) *cobra.Command {
	opts := &PlanExportOptions{G: g}
	c := &cobra.Command{
		Use:   "export",
		Short: "把登记表导出为任务分工表（Excel），供计划主管部门编辑",
		Long: `把计划目标任务登记表导出为 Excel 格式的任务分工表，供计划主管部门审阅和修改：

  - “指标”工作表：每行一个指标，包括编号、章节、指标名称、指标类型、目标值、单位、比较方式、
    限定词、约束性/预期性、基数、进度安排、计划完成时间、牵头部门、配合部门和计划原文；
    指标类型、比较方式、约束性/预期性、单位和牵头部门可从下拉列表中选择；
  - “部门”工作表：部门代码、全称、简称、联系人和联系电话；
  - “区县”工作表：区县和功能区的代码、全称、简称、联系人和联系电话；
  - “分解”工作表：量化指标 × 区县的分解表。累计量指标填分解任务，合计不少于全市目标
    （“区县合计”“差额”两列自动计算，差额为负时标红）；其他量化指标可填区县目标，各区县单独评价；
    分解数为示例时，表头注明【示例】；
  - “计划”工作表：计划编号、名称、年度、原文文件名、进度判定阈值和分解表性质（示例或正式）。

修改后用 planrep plan import 读回为 plan.yaml。

退出码：0 成功；2 登记表无法读取或文件无法写入。`,
		Example: `  planrep plan export -o 任务分工表.xlsx
  planrep --plan ./plan.yaml plan export -o 任务分工表.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return planExportRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Output, "output", "o", "任务分工表.xlsx", "输出的任务分工表文件")
	return c
}

func planExportRun(opts *PlanExportOptions) error {
	p, _, err := opts.G.LoadPlan()
	if err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(opts.Output), ".xlsx") {
		return fmt.Errorf("输出文件 %s 应以 .xlsx 结尾", opts.Output)
	}
	if err := safefile.Write(opts.Output, func(w io.Writer) error { return planxlsx.Write(w, p) }); err != nil {
		return err
	}
	fmt.Fprintf(opts.G.IO.Out, "已导出任务分工表 %s：指标 %d 项，部门 %d 个，区县 %d 个\n", opts.Output, len(p.Targets), len(p.Depts), len(p.Districts))
	return nil
}

// PlanImportOptions are the inputs of `plan import`.
type PlanImportOptions struct {
	G      *Globals
	Input  string
	Output string
}

// NewCmdPlanImport builds `plan import`; runF replaces the run function in tests.
func NewCmdPlanImport(g *Globals, runF func(*PlanImportOptions) error) *cobra.Command {
	opts := &PlanImportOptions{G: g}
	c := &cobra.Command{
		Use:   "import 任务分工表.xlsx",
		Short: "从任务分工表（Excel）读回登记表 plan.yaml，并做全部检查",
		Long: `读取由 planrep plan export 导出、经修改的任务分工表，检查后写成登记表 plan.yaml。

牵头部门和配合部门可以写部门简称、全称或代码；空行会被跳过。
“分解”工作表的区县列按列标题（区县简称、全称或代码）识别，读回后与 plan check 做同样的分解检查。
读取后做与 planrep plan check 相同的全部检查，计划原文按以下顺序查找：
“计划”工作表中“计划原文文件”所写的文件，先在输出的 plan.yaml 旁边找，再在任务分工表旁边找；
其次是 --plan 所指登记表的原文；计划编号与内置计划相同时使用内置计划的原文。

有问题时逐条列出（注明工作表、行号和编号），不写 plan.yaml。
在工作区中不指定 -o 时，写入工作区设置（planrep.yaml 的 plan）所指的登记表。
写入时先写临时文件再改名；若 plan.yaml 旁边还没有计划原文，会一并复制过去，使登记表自成一体。

退出码：0 成功；1 发现问题（未写入）；2 文件无法读取或写入。`,
		Example: `  planrep plan import 任务分工表.xlsx -o plan.yaml
  planrep --plan ./plan.yaml plan import 任务分工表.xlsx -o ./plan.yaml`,
		Args: exactlyOne("请指定一个任务分工表文件，例如：planrep plan import 任务分工表.xlsx -o plan.yaml"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = args[0]
			if ws, _ := g.Workspace(); ws != nil && ws.PlanPath() != "" && !c.Flags().Changed("output") {
				opts.Output = rel(ws.PlanPath()) // the registry the workspace uses
			}
			if runF != nil {
				return runF(opts)
			}
			return planImportRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Output, "output", "o", "plan.yaml", "输出的登记表文件（工作区中默认为工作区设置的登记表）")
	return c
}

func planImportRun(opts *PlanImportOptions) error {
	out := opts.G.IO.Out
	f, err := os.Open(opts.Input)
	if err != nil {
		return fmt.Errorf("无法读取任务分工表 %s：%w", opts.Input, err)
	}
	book, err := planxlsx.Read(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s：%w", opts.Input, err)
	}
	p := book.Plan
	text, err := importText(opts, p)
	if err != nil {
		return err
	}
	p.Text = text
	if problems := book.Check(); len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintln(out, pr.String())
		}
		fmt.Fprintf(opts.G.IO.ErrOut, "任务分工表检查未通过：发现 %d 个问题，未写入 %s；请在 %s 中逐条修正后重新导入\n",
			len(problems), opts.Output, opts.Input)
		return errProblems
	}
	data, err := plan.Marshal(p)
	if err != nil {
		return err
	}
	if err := safefile.WriteBytes(opts.Output, data); err != nil {
		return err
	}
	copied := ""
	if plainFileName(p.Source) {
		beside := filepath.Join(filepath.Dir(opts.Output), p.Source)
		if _, err := os.Stat(beside); errors.Is(err, os.ErrNotExist) {
			if err := safefile.WriteBytes(beside, []byte(text)); err != nil {
				return err
			}
			copied = fmt.Sprintf("，并把计划原文复制为 %s", beside)
		}
	}
	fmt.Fprintf(out, "已导入 %d 项指标、%d 个部门、%d 个区县，写入 %s%s\n", len(p.Targets), len(p.Depts), len(p.Districts), opts.Output, copied)
	return nil
}

// importText finds the text of the plan the workbook holds: the file its 计划
// sheet names, beside the output and then beside the workbook; the text of
// --plan's registry; the embedded plan's text when the ids match. It returns
// "" when none is found (Check then says so).
func importText(opts *PlanImportOptions, p *plan.Plan) (string, error) {
	if plainFileName(p.Source) {
		for _, dir := range []string{filepath.Dir(opts.Output), filepath.Dir(opts.Input)} {
			b, err := os.ReadFile(filepath.Join(dir, p.Source))
			if err == nil {
				return string(b), nil
			}
			if !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("无法读取计划原文：%w", err)
			}
		}
	}
	if opts.G.PlanFile != "" {
		q, _, err := opts.G.LoadPlan()
		if err != nil {
			return "", err
		}
		if q.Text != "" {
			return q.Text, nil
		}
	}
	if d, _, err := seeds.Default(); err == nil && d.ID == p.ID {
		return d.Text, nil
	}
	return "", nil
}

// plainFileName reports whether s is a plain file name, safe to join to a folder.
func plainFileName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\:`) && filepath.Base(s) == s
}
