package cmd

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"planrep/plan"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdFindings(g, nil) })
}

// FindingsOptions are the inputs of `findings`.
type FindingsOptions struct {
	G    *Globals
	JSON bool
}

// NewCmdFindings builds `findings`; runF replaces the run function in tests.
func NewCmdFindings(g *Globals, runF func(*FindingsOptions) error) *cobra.Command {
	opts := &FindingsOptions{G: g}
	c := &cobra.Command{
		Use:   "findings",
		Short: "列出校验问题代码表",
		Long: `列出 collect 可能报告的全部问题：代码、级别、问题和处理办法。

代码分四类：F 文件（格式、标识、重复报送），S 表格结构，V 填报数值，M 报送完整性。
级别：错误（文件被拒收或该指标按“数据有误”处理）、警告（数据已采用，请核对）、提示（无需处理）。
代码长期不变，round.json、校验结果.xlsx 和反馈表中的代码与此表一致。

退出码：0 成功。`,
		Example: `  planrep findings
  planrep findings --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return findingsRun(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "以 JSON 格式输出")
	return c
}

func findingsRun(opts *FindingsOptions) error {
	w := opts.G.IO.Out
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(plan.Catalogue)
	}
	rows := [][]string{{"代码", "级别", "问题", "处理办法"}}
	for _, d := range plan.Catalogue {
		rows = append(rows, []string{d.Code, d.Severity.Label(), d.Title, d.Advice})
	}
	collectTable(w, rows)
	return nil
}
