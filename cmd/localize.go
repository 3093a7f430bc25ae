package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const usageTemplate = `用法：{{if .Runnable}}
  {{.UseLine | zhUse}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

可用命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{zhFlagSet .LocalFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{zhFlagSet .InheritedFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

使用 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`

// localize puts cobra's own words (usage, help, flag errors) into Chinese.
func localize(root *cobra.Command) {
	cobra.AddTemplateFunc("zhUse", func(s string) string { return strings.ReplaceAll(s, "[flags]", "[选项]") })
	cobra.AddTemplateFunc("zhFlagSet", zhFlagSet)
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpTemplate(`{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`)
	root.PersistentFlags().BoolP("help", "h", false, "显示帮助")
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示某个命令的帮助",
		Run: func(c *cobra.Command, args []string) {
			cmd, _, e := c.Root().Find(args)
			if cmd == nil || e != nil {
				c.Printf("未知命令 %q\n", strings.Join(args, " "))
				c.Root().Usage()
				return
			}
			cmd.Help()
		},
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%s\n请运行 %s --help 查看用法", flagError(err), c.CommandPath())
	})
}

// flagError translates pflag's messages.
func flagError(err error) string {
	s := err.Error()
	repl := []struct{ from, to string }{
		{"unknown shorthand flag: ", "未知选项："},
		{"unknown flag: ", "未知选项："},
		{"flag needs an argument: ", "选项缺少取值："},
		{"invalid argument ", "选项取值无效："},
	}
	for _, r := range repl {
		if strings.HasPrefix(s, r.from) {
			return r.to + strings.TrimPrefix(s, r.from)
		}
	}
	return s
}

// zhFlagSet lists flags as pflag does, in Chinese: each value is named by
// what it is (文件, 文件夹, 期别, 单位 — see flagKinds) or else by its type,
// defaults say 默认, and columns are aligned by display width (a Chinese
// character takes two columns).
func zhFlagSet(fs *pflag.FlagSet) string {
	type line struct{ left, usage string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if ph := f.Annotations[placeholderKey]; len(ph) > 0 {
			name = ph[0]
		} else {
			name = typeWords[name]
		}
		if name != "" && f.Value.Type() != "bool" {
			left += " " + name
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" && f.Value.Type() != "bool" {
			usage += "（默认 " + def + "）"
		}
		lines = append(lines, line{left, usage})
		width = max(width, displayWidth(left))
	})
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.left)
		b.WriteString(strings.Repeat(" ", width-displayWidth(l.left)+3))
		b.WriteString(l.usage)
		b.WriteString("\n")
	}
	return b.String()
}

// typeWords name a flag's value by its type when nothing better is known.
var typeWords = map[string]string{
	"string": "文本", "strings": "列表", "stringSlice": "列表", "int": "整数", "uint": "整数",
	"uint64": "整数", "int64": "整数", "float": "数值", "float64": "数值", "duration": "时长",
}
