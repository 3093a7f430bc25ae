// Package cmd holds planrep's commands: flags, wiring and printing. The
// rules live in plan/, templates/, workbook/ and report/.
package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/seeds"
	"planrep/store"
)

// Exit codes, the same for every command.
const (
	ExitOK       = 0 // done, nothing to report
	ExitProblems = 1 // done, and problems were found (findings, check failures)
	ExitError    = 2 // could not run: bad flags, unreadable input, unwritable output
)

// Version is set at build time with -ldflags "-X planrep/cmd.Version=…".
var Version = "dev"

// Globals are the flags and services every command shares.
type Globals struct {
	IO       *IOStreams
	PlanFile string           // --plan; "" means the embedded default
	Now      func() time.Time // the clock; tests fix it
	DBFile   string           // --db; "" means $PLANREP_DB, then the workspace's store, then planrep.db (see DBPath)
	Args     []string         // the command line, as Run got it

	planFile    *store.PlanFile // the registry file LoadPlan read last; nil for the embedded plan
	plansParsed int             // registry files LoadPlan parsed (the history commands avoid it)

	ws     *Workspace // the workspace the working folder is in; see Workspace
	wsErr  error
	wsDone bool
}

// LoadPlan loads the plan named by --plan, PLANREP_PLAN or the workspace's
// settings, or the embedded default.
func (g *Globals) LoadPlan() (*plan.Plan, plan.Lines, error) {
	r, err := g.setting("plan", g.PlanFile)
	if err != nil {
		return nil, nil, err
	}
	g.planFile = nil
	if r.Value == "" {
		return seeds.Default()
	}
	if fi, err := os.Stat(r.Value); err != nil {
		return nil, nil, &readError{fmt.Sprintf("无法读取计划文件 %s：%s", r.Value, fileErr(err)), err}
	} else if fi.IsDir() {
		return nil, nil, &readError{fmt.Sprintf("计划文件 %s 是一个文件夹：请用 --plan 指定其中的 plan.yaml", r.Value), &fs.PathError{Op: "read", Path: r.Value, Err: syscall.EISDIR}}
	}
	data, fi, id, err := store.ReadPlanFile(r.Value)
	if err != nil {
		return nil, nil, &readError{fmt.Sprintf("无法读取计划文件 %s：%s", r.Value, fileErr(err)), err}
	}
	g.plansParsed++
	p, lines, err := loadPlanData(r.Value, data, fi)
	if err != nil {
		return nil, nil, err
	}
	// The file's identity goes into the store with the registry, so that
	// the history commands can know the file again without parsing it.
	g.planFile = id
	return p, lines, nil
}

// errProblems is returned by a command that ran and found problems it has
// already printed: the exit code is 1 and nothing more is said.
var errProblems = errors.New("problems found")

// NewRoot builds the command tree.
func NewRoot(g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "planrep",
		Short: "年度计划目标任务进度填报、汇总与报告工具",
		Long: `planrep 帮助计划主管部门跟踪年度国民经济和社会发展计划的执行进度：

  1. 维护计划目标任务登记表（每个指标都可追溯到计划原文），并明确牵头部门；
  2. 为每个牵头部门生成统一的 Excel 填报模板；
  3. 收集各部门填好的表格（文件、文件夹或 zip 压缩包），校验并汇总；
  4. 生成汇总进度报告（Excel）和供领导阅看的简报（PDF）。

不指定 --plan 时使用内置的《淄博市2025年国民经济和社会发展计划》。
全年在一个文件夹里工作：planrep init 创建工作区，此后在其中运行的各命令都从 planrep.yaml 取默认值
（planrep config 查看每项设置及其来源），planrep status 显示本期进展和下一步。

退出码：0 成功；1 已完成但发现问题（如校验未通过）；2 无法运行（参数错误、文件无法读写）。`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(g.IO.Out)
	root.SetErr(g.IO.ErrOut)
	root.PersistentFlags().StringVar(&g.PlanFile, "plan", "", "计划登记表 plan.yaml 的路径（默认取环境变量 PLANREP_PLAN，其次为工作区设置，否则使用内置计划）")
	// The default is what the caller set (tests give each run its own store).
	root.PersistentFlags().StringVar(&g.DBFile, "db", g.DBFile, "数据库文件（默认取环境变量 PLANREP_DB，其次为工作区设置，否则为当前文件夹中的 planrep.db）")
	localize(root)

	root.AddCommand(newVersionCmd(g))
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	finishTree(g, root)
	return root
}

// commands are registered by each command's file in init, so that adding a
// command touches only its own file.
var commands []func(*Globals) *cobra.Command

// Execute runs planrep with the process's arguments and returns the exit code.
func Execute() int {
	g := &Globals{IO: System(), Now: time.Now}
	return Run(g, os.Args[1:])
}

// Run runs planrep with args and returns the exit code.
func Run(g *Globals, args []string) int {
	g.Args = args
	root := NewRoot(g)
	root.SetArgs(args)
	err := root.Execute()
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errProblems):
		return ExitProblems
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command") {
		msg = fmt.Sprintf("未知命令 %s：请运行 planrep --help 查看可用命令", strings.Fields(msg)[2])
	}
	fmt.Fprintln(g.IO.ErrOut, "错误："+zhSystem(msg))
	return ExitError
}

// exactlyOne accepts one positional argument and otherwise says, in the
// command's own words, what to give.
func exactlyOne(usage string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return errors.New(usage)
		}
		return nil
	}
}
