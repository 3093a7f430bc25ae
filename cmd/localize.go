package cmd

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
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
{{.LocalFlags.FlagUsages | zhFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | zhFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

使用 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`

// localize puts cobra's own words (usage, help, flag errors) into Chinese.
func localize(root *cobra.Command) {
	cobra.AddTemplateFunc("zhUse", func(s string) string { return strings.ReplaceAll(s, "[flags]", "[选项]") })
	cobra.AddTemplateFunc("zhFlags", zhFlags)
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

var defaultRe = regexp.MustCompile(` ?\(default ([^)]*)\)`)

// zhFlags translates the words pflag puts into flag listings, keeping the
// columns aligned (a Chinese character takes two columns).
func zhFlags(s string) string {
	s = defaultRe.ReplaceAllString(s, "（默认 $1）")
	for _, r := range [][2]string{{"stringSlice", "列表"}, {"strings", "列表"}, {"string", "文本"}, {"float64", "数值"}, {"float", "数值"}, {"uint", "整数"}, {"int", "整数"}} {
		from, to := " "+r[0]+" ", " "+r[1]+" "
		if pad := len(r[0]) - 4; pad >= 0 {
			to += strings.Repeat(" ", pad)
		} else {
			from += strings.Repeat(" ", -pad)
		}
		s = strings.ReplaceAll(s, from, to)
	}
	return s
}
