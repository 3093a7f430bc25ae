package cmd

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newVersionCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "显示版本号、提交和构建信息",
		Long: `显示 planrep 的版本号（模块版本）、构建所用的提交及其日期、Go 版本。

这些信息由 Go 在构建时写入程序：用 go build 或 go install 在 git 仓库中构建时记录提交和日期；
go run 不记录提交。

退出码：0 成功。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo()
			writeVersion(g.IO.Out, info)
			return nil
		},
	}
}

// writeVersion prints what the build info says of this binary.
func writeVersion(w io.Writer, info *debug.BuildInfo) {
	version := Version
	var rev, when, goVersion string
	modified := false
	if info != nil {
		goVersion = info.GoVersion
		if version == "dev" && info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if version == "(devel)" {
		version = "开发版（devel，未标注版本号）"
	}
	fmt.Fprintf(w, "planrep %s\n", version)
	if rev == "" {
		fmt.Fprintln(w, "提交：未记录（go run 或在 git 仓库外构建时不记录）")
	} else {
		line := "提交：" + rev
		if modified {
			line += "（构建时有未提交的改动）"
		}
		fmt.Fprintln(w, line)
	}
	if t, err := time.Parse(time.RFC3339, when); err == nil {
		fmt.Fprintf(w, "提交日期：%s\n", t.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if goVersion != "" {
		fmt.Fprintf(w, "Go 版本：%s\n", strings.TrimPrefix(goVersion, "go"))
	}
}
