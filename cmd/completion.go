package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"planrep/plan"
)

func init() {
	commands = append(commands, newCompletionCmd)
}

// placeholderKey is the flag annotation that names its value in help.
const placeholderKey = "planrep_placeholder"

// flagKind says what a flag's value is: the word help shows for it and how
// the shell completes it.
type flagKind struct {
	placeholder string
	exts        []string // files of these extensions (and folders to reach them)
	dirs        bool     // folders only
	complete    func(g *Globals) cobra.CompletionFunc
}

var (
	kindPeriod = flagKind{placeholder: "期别", complete: completePeriods}
	kindUnits  = flagKind{placeholder: "单位", complete: completeUnits}
	kindDir    = flagKind{placeholder: "文件夹", dirs: true}
	kindDate   = flagKind{placeholder: "日期"}
	kindYear   = flagKind{placeholder: "年份"}
)

func kindFile(exts ...string) flagKind { return flagKind{placeholder: "文件", exts: exts} }

// flagKinds are keyed by "command path flag", then by flag name alone.
var flagKinds = map[string]flagKind{
	"planrep db export output":   kindFile("jsonl"),
	"period":                     kindPeriod,
	"dept":                       kindUnits,
	"output":                     kindDir,
	"templates":                  kindDir,
	"plan":                       kindFile("yaml", "yml", "json"),
	"db":                         kindFile("db"),
	"round":                      kindFile("json"),
	"previous":                   kindFile("json"),
	"font":                       kindFile("ttf"),
	"from":                       kindFile("txt", "docx"),
	"deadline":                   kindDate,
	"date":                       kindDate,
	"year":                       kindYear,
	"planrep extract output":     kindFile("yaml", "yml"),
	"planrep extract xlsx":       kindFile("xlsx"),
	"planrep extract compare":    kindFile("yaml", "yml", "json"),
	"planrep plan import output": kindFile("yaml", "yml"),
	"planrep plan export output": kindFile("xlsx"),
	"planrep simulate templates": kindDir,
	"planrep report output":      kindDir,
	"planrep collect output":     kindDir,
	"planrep templates output":   kindDir,
	"planrep demo output":        kindDir,
	"planrep init from":          kindFile("txt", "docx"),
	"planrep extract year":       kindYear,
	"planrep simulate period":    kindPeriod,
	"planrep status period":      kindPeriod,
	"planrep templates deadline": kindDate,
	"planrep report deadline":    kindDate,
	"planrep report date":        kindDate,
	"planrep templates dept":     kindUnits,
	"planrep collect previous":   kindFile("json"),
	"planrep report round":       kindFile("json"),
	"planrep report font":        kindFile("ttf"),
	"planrep init office":        {placeholder: "单位名称"},
	"planrep init contact":       {placeholder: "文本"},
	"planrep templates contact":  {placeholder: "文本"},
	"planrep simulate faults":    {placeholder: "比例"},
	"planrep simulate seed":      {placeholder: "整数"},
	"planrep simulate missing":   {placeholder: "个数"},
	"planrep simulate scale":     {placeholder: "份数"},
	"planrep report office":      {placeholder: "单位名称"},
	"planrep report title":       {placeholder: "文本"},
}

// argKinds say what a command's arguments are, for completion.
var argKinds = map[string]flagKind{
	"planrep collect":        kindFile("xlsx", "zip"),
	"planrep report":         kindFile("xlsx", "zip"),
	"planrep extract":        kindFile("txt", "docx"),
	"planrep plan import":    kindFile("xlsx"),
	"planrep init":           kindDir,
	"planrep history dept":   kindUnits,
	"planrep review approve": kindUnits,
	"planrep review return":  kindUnits,
	"planrep review revoke":  kindUnits,
	"planrep db import":      kindFile("jsonl"),
}

// finishTree gives every flag of the tree its placeholder and completion,
// and every command its arguments' completion. NewRoot calls it once the
// commands are added.
func finishTree(g *Globals, c *cobra.Command) {
	path := c.CommandPath()
	for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
		fs.VisitAll(func(f *pflag.Flag) {
			k, ok := flagKinds[path+" "+f.Name]
			if !ok {
				k, ok = flagKinds[f.Name]
			}
			if !ok {
				return
			}
			if f.Annotations[placeholderKey] == nil {
				_ = fs.SetAnnotation(f.Name, placeholderKey, []string{k.placeholder})
			}
			if fn := k.completion(g); fn != nil {
				if _, exists := c.GetFlagCompletionFunc(f.Name); !exists {
					_ = c.RegisterFlagCompletionFunc(f.Name, fn)
				}
			}
		})
	}
	if k, ok := argKinds[path]; ok && c.ValidArgsFunction == nil {
		c.ValidArgsFunction = k.completion(g)
	}
	for _, sub := range c.Commands() {
		finishTree(g, sub)
	}
}

// completion is how the shell completes a value of this kind.
func (k flagKind) completion(g *Globals) cobra.CompletionFunc {
	switch {
	case k.complete != nil:
		return k.complete(g)
	case len(k.exts) > 0:
		exts := k.exts
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return exts, cobra.ShellCompDirectiveFilterFileExt
		}
	case k.dirs:
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
	}
	return nil
}

// completePeriods offers every period of the plan's year, with its name.
func completePeriods(g *Globals) cobra.CompletionFunc {
	return func(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		year := 0
		if p, _, err := g.LoadPlan(); err == nil {
			year = p.Year
		}
		if year == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, per := range yearPeriods(year) {
			out = append(out, cobra.CompletionWithDesc(per.String(), per.Label()))
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// yearPeriods are the periods of a year in the order an office uses them.
func yearPeriods(year int) []plan.Period {
	var out []plan.Period
	for n := 1; n <= 4; n++ {
		out = append(out, plan.Period{Year: year, Span: plan.Quarter, N: n})
	}
	for n := 1; n <= 2; n++ {
		out = append(out, plan.Period{Year: year, Span: plan.Half, N: n})
	}
	for n := 1; n <= 12; n++ {
		out = append(out, plan.Period{Year: year, Span: plan.Month, N: n})
	}
	return append(out, plan.Period{Year: year, Span: plan.Year})
}

// completeUnits offers the codes and short names of the registry's units;
// after a comma it completes the next one of the list.
func completeUnits(g *Globals) cobra.CompletionFunc {
	return func(c *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		p, _, err := g.LoadPlan()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		done := ""
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			done = toComplete[:i+1]
		}
		var out []cobra.Completion
		for _, u := range rosterUnits(p) {
			out = append(out, cobra.CompletionWithDesc(done+u.Code, u.Short), cobra.CompletionWithDesc(done+u.Short, u.Code))
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func newCompletionCmd(g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "生成命令行自动补全脚本",
		Long: `生成 bash、zsh、fish 或 PowerShell 的自动补全脚本。装好后按 Tab 可补全命令、选项，
以及报告期（如 2025Q3，附中文名称）、部门代码和简称，和各选项所需类型的文件（登记表 .yaml、
汇总数据 .json、报送文件 .xlsx/.zip、计划原文 .txt/.docx 等）或文件夹。

bash（需要 bash-completion 2）：
  planrep completion bash > ~/.local/share/bash-completion/completions/planrep
zsh：
  planrep completion zsh > "${fpath[1]}/_planrep"        （之后重新打开终端）
fish：
  planrep completion fish > ~/.config/fish/completions/planrep.fish
PowerShell：
  planrep completion powershell | Out-String | Invoke-Expression
  （写入 $PROFILE 可长期生效）

退出码：0 成功；2 未指定或不支持的 shell。`,
		Example: `  planrep completion bash > ~/.local/share/bash-completion/completions/planrep
  source <(planrep completion bash)`,
		ValidArgs: []cobra.Completion{"bash", "zsh", "fish", "powershell"},
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("请指定 shell：bash、zsh、fish 或 powershell，例如 planrep completion bash")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			root, w := c.Root(), g.IO.Out
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			case "powershell", "pwsh":
				return root.GenPowerShellCompletionWithDesc(w)
			}
			return fmt.Errorf("不支持的 shell %q：请指定 bash、zsh、fish 或 powershell", args[0])
		},
	}
	return c
}
