package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"planrep/internal/safefile"
	"planrep/store"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdDB(g) })
}

// NewCmdDB builds `db` and its subcommands.
func NewCmdDB(g *Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "db",
		Short: "数据库的备份、恢复、检查和清理",
		Long: `管理 planrep 的数据库（--db 指定，默认取环境变量 PLANREP_DB，否则为当前文件夹中的 planrep.db）：

  planrep db export -o 备份.jsonl   导出全部记录（用于备份或搬到另一台计算机）
  planrep db import 备份.jsonl      把导出的记录导入一个新的空数据库
  planrep db check                  检查数据库是否完好（SQLite 完整性检查和本工具的数据规则）
  planrep db prune                  删除重复的收集记录（没有带来新报送的收集批次），压缩数据库

数据库只追加、不改写：除 db prune 外，任何命令都不会删除已记下的内容。

退出码：0 成功；1 db check 发现问题；2 无法运行。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	var out string
	export := &cobra.Command{
		Use:   "export -o 备份.jsonl",
		Short: "导出数据库的全部记录（JSON Lines）",
		Long: `把数据库中的全部记录导出为一个 JSON Lines 文本文件：第一行注明格式和数据库结构版本，
其后每行是一张表中的一条记录。同一个数据库两次导出的文件完全相同；导入到新的空数据库后再导出，
得到的文件也完全相同。导出只读取数据库，可以在收集进行时运行。

退出码：0 成功；2 无法运行。`,
		Example: "  planrep db export -o 备份/planrep-2025-10-15.jsonl",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if strings.TrimSpace(out) == "" {
				return errors.New("请用 -o 指定导出文件，如 planrep db export -o 备份.jsonl")
			}
			st, err := g.OpenStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			var n int
			if err := safefile.Write(out, func(w io.Writer) error {
				var err error
				n, err = st.Export(context.Background(), w)
				return err
			}); err != nil {
				return err
			}
			fmt.Fprintf(g.IO.Out, "已从 %s 导出 %d 条记录到 %s。\n", st.Path(), n, out)
			return nil
		},
	}
	export.Flags().StringVarP(&out, "output", "o", "", "导出文件（必填）")
	imp := &cobra.Command{
		Use:   "import 备份.jsonl",
		Short: "把导出的记录导入一个新的空数据库",
		Long: `把 planrep db export 导出的文件导入 --db 指定的数据库。该数据库必须尚不存在或为空，
以免两份记录混在一起；导入在一个事务中完成，中途出错时数据库保持为空。

退出码：0 成功；2 无法运行（文件不是导出文件、数据库已有数据等）。`,
		Example: "  planrep --db 新机器/planrep.db db import 备份.jsonl",
		Args:    exactlyOne("请指定一个导出文件，如 planrep db import 备份.jsonl"),
		RunE: func(c *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("无法读取导出文件 %s：%v", args[0], err)
			}
			defer f.Close()
			st, err := g.OpenStore(true)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.Import(context.Background(), f)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.IO.Out, "已从 %s 导入 %d 条记录到 %s。\n", args[0], n, st.Path())
			return nil
		},
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "检查数据库是否完好",
		Long: `对数据库做 SQLite 完整性检查和外键检查，并核对本工具的数据规则：每份报送与其文件一致，
更正只指向同一部门同一期更早的报送，每个部门每期只有一份当前报送，各批次记下的问题数和报送数
与明细一致。发现问题时逐条列出。

退出码：0 完好；1 发现问题；2 无法运行（数据库不存在或无法打开）。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			st, err := g.OpenStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			problems, err := st.Check(context.Background())
			if err != nil {
				return err
			}
			if len(problems) == 0 {
				fmt.Fprintf(g.IO.Out, "数据库 %s 完好（结构第 %d 版）。\n", st.Path(), store.Version())
				return nil
			}
			fmt.Fprintf(g.IO.Out, "数据库 %s 有 %d 个问题：\n", st.Path(), len(problems))
			for _, p := range problems {
				fmt.Fprintln(g.IO.Out, "  "+p)
			}
			return errProblems
		},
	}
	var dry bool
	prune := &cobra.Command{
		Use:   "prune",
		Short: "删除没有带来新报送的重复收集记录，并压缩数据库",
		Long: `反复收集同一个收件箱时，每次收集都会记下一批文件和问题记录，但没有新的报送。
prune 删除这样的收集批次及其文件和问题记录，只保留每个报告期最近的一次；所有报送、数值和
各期最近一次的问题记录都保留。删除前列出要删除的内容；--dry-run 只列出，不删除。

退出码：0 成功；2 无法运行。`,
		Example: "  planrep db prune --dry-run\n  planrep db prune",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			st, err := g.OpenStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := st.Prune(context.Background(), dry)
			if err != nil {
				return err
			}
			if res.Runs == 0 {
				fmt.Fprintf(g.IO.Out, "数据库 %s 中没有可清理的重复收集记录。\n", st.Path())
				return nil
			}
			verb := "已删除"
			if dry {
				verb = "将删除（--dry-run，未删除）"
			}
			ids := make([]string, len(res.RunIDs))
			for i, id := range res.RunIDs {
				ids[i] = fmt.Sprint(id)
			}
			fmt.Fprintf(g.IO.Out, "%s %d 次没有带来新报送的收集记录（批次 %s），连同文件记录 %d 条、问题记录 %d 条。\n",
				verb, res.Runs, strings.Join(ids, "、"), res.Files, res.Findings)
			return nil
		},
	}
	prune.Flags().BoolVar(&dry, "dry-run", false, "只列出要删除的内容，不删除")
	c.AddCommand(export, imp, check, prune)
	return c
}
