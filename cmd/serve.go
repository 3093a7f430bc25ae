package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"planrep/plan"
	"planrep/serve"
	"planrep/store"
	"planrep/workbook"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdServe(g, nil) })
}

// ServeOptions are the inputs of `serve`.
type ServeOptions struct {
	G         *Globals
	Addr      string
	Period    string
	Deadline  string
	Contact   string
	URL       string // the address units reach the server at, for the links printed
	RoundDir  string
	ReportDir string
	MaxUpload int64 // MB
	Grace     time.Duration

	// Context, when set, replaces the one SIGINT and SIGTERM end (tests).
	Context context.Context
	// Ready, when set, is told the address once the server listens (tests).
	Ready func(net.Addr)
	// ConnState, when set, is told of each connection's state (tests).
	ConnState func(net.Conn, http.ConnState)
}

// NewCmdServe builds `serve` and its subcommands; runF replaces the run function in tests.
func NewCmdServe(g *Globals, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{G: g}
	c := &cobra.Command{
		Use:   "serve --period 报告期",
		Short: "启动网上报送：各单位通过专用链接上传填报表，审核台在线审核",
		Long: `启动网上报送服务（本机网页服务，不连接外网）。

各填报单位用自己的专用链接（planrep serve links 列出，发放清单中也有）打开报送页面：下载本单位的
填报模板，上传填好的表格，几秒钟内在页面上看到校验结论和问题清单（单元格、问题、修改方法），可下载
反馈表，并能看到本期历次报送和每次改了什么。校验与 planrep collect 完全相同。

市发展改革委在 /admin 审核台（用 planrep serve passwd 设置密码后登录）查看各单位报送进度、错误和
是否按时，对每份报送“审核通过”“退回”（写明原因，填报单位在页面上可以看到）或“撤销审核”，复制
催报名单，并一键生成汇总数据（round.json、汇总表、校验结果）和进度报告、简报。
审核也可以在命令行完成：planrep review。

所有上传文件、校验结果、审核记录和操作日志都保存在数据库中（--db）。
按 Ctrl+C（或发送 SIGTERM）停止服务：正在上传和校验的文件会处理完再退出。

退出码：0 正常停止；2 无法启动（参数错误、端口被占用、数据库无法使用）。`,
		Example: `  planrep serve --period 2025Q3
  planrep serve --period 2025Q3 --addr 0.0.0.0:8080 --url http://10.1.2.3:8080
  planrep serve links --url http://10.1.2.3:8080
  planrep serve passwd`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Period, "period", "", "报告期，如 2025Q3（必填）")
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "监听地址；让其他电脑访问时用 0.0.0.0:8080")
	f.StringVar(&opts.URL, "url", "", "各单位访问本服务的地址，用于显示报送链接，如 http://10.1.2.3:8080（默认按 --addr）")
	f.StringVar(&opts.Deadline, "deadline", "", "报送截止日期，如 2025-10-10（默认报告期结束后第 10 天）")
	f.StringVar(&opts.Contact, "contact", "", "页面和模板上写明的联系方式（默认计划主管部门及其联系人、电话）")
	f.StringVar(&opts.RoundDir, "round-dir", "", "审核台生成汇总数据的文件夹（默认 汇总/<报告期>）")
	f.StringVar(&opts.ReportDir, "report-dir", "", "审核台生成报告的文件夹（默认 报告/<报告期>）")
	f.Int64Var(&opts.MaxUpload, "max-upload", serve.DefaultMaxUpload>>20, "单个上传文件的大小上限（MB）")
	f.DurationVar(&opts.Grace, "grace", time.Minute, "停止时等待正在处理的上传完成的最长时间")
	c.AddCommand(newCmdServeLinks(g), newCmdServePasswd(g))
	return c
}

// serveSetup is what serve and its subcommands share: the plan, the
// period, and the store's intake for the plan.
func serveSetup(g *Globals, period string) (*plan.Plan, plan.Period, *store.Store, *store.Intake, error) {
	var per plan.Period
	p, _, err := g.LoadPlan()
	if err != nil {
		return nil, per, nil, nil, err
	}
	if period != "" {
		if per, err = plan.ParsePeriod(period); err != nil {
			return nil, per, nil, nil, err
		}
		if per.Year != p.Year {
			return nil, per, nil, nil, periodOutOfYear(per, p.Year)
		}
	}
	st, err := g.OpenStore(true)
	if err != nil {
		return nil, per, nil, nil, err
	}
	return p, per, st, st.Intake(p.ID), nil
}

func serveRun(opts *ServeOptions) error {
	g := opts.G
	if strings.TrimSpace(opts.Period) == "" {
		return periodMissing(g, "")
	}
	if opts.MaxUpload < 1 || opts.MaxUpload > 200 {
		return fmt.Errorf("--max-upload %d 超出范围：请写 1 到 200 之间的整数（MB）", opts.MaxUpload)
	}
	p, per, st, in, err := serveSetup(g, opts.Period)
	if err != nil {
		return err
	}
	defer st.Close()
	deadline, err := periodDeadline(g, per, opts.Deadline)
	if err != nil {
		return err
	}
	c, err := g.setting("office.contact", opts.Contact)
	if err != nil {
		return err
	}
	contact := c.Value
	if contact == "" {
		contact = plannerContact(p)
	}
	roundDir, reportDir := opts.RoundDir, opts.ReportDir
	ws, _ := g.Workspace()
	if roundDir == "" {
		roundDir = filepath.Join(DirCollected, per.String())
		if ws != nil {
			roundDir = rel(ws.Path(DirCollected, per.String()))
		}
	}
	if reportDir == "" {
		reportDir = filepath.Join(DirReports, per.String())
		if ws != nil {
			reportDir = rel(ws.Path(DirReports, per.String()))
		}
	}
	sopt := serve.Options{
		Plan: p, Period: per, Deadline: deadline, Contact: contact, Store: in, Now: g.now,
		RoundDir: roundDir, ReportDir: reportDir, MaxUpload: opts.MaxUpload << 20,
		WriteReports: serve.ReportWriter(g.now, deadline),
		Earlier: func(per plan.Period) (map[string]workbook.Prior, error) {
			var err error
			m := earlierFrom(st, p.ID, &err)(per)
			return m, err
		},
		Log:       g.IO.ErrOut,
		ConnState: opts.ConnState,
	}
	started := g.now()
	sopt.Annotate = func(res *workbook.Result) error { return corrections(st, res) }
	sopt.RecordRound = func(res *workbook.Result) error {
		files := make(map[string]store.FileMeta, len(res.Sources))
		for path, m := range res.Sources {
			files[path] = store.FileMeta{Archive: m.Archive, Member: m.Member, ModTime: m.ModTime, Filler: m.Filler, Phone: m.Phone, Filled: m.Filled}
		}
		_, err := st.RecordRound(context.Background(), store.Record{Plan: res.Plan, Round: res.Round, Files: files, PlanFile: g.planFile,
			Run: store.Run{Kind: store.KindServe, Started: started, Finished: g.now(), Command: g.commandLine(), Inputs: []string{filepath.Join(roundDir, serve.ReceivedDir)}}})
		return err
	}
	srv, err := serve.New(sopt)
	if err != nil {
		return err
	}
	defer srv.Close()
	ctx := opts.Context
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	hash, err := in.AdminPassword()
	if err != nil {
		return err
	}
	out := g.IO.Out
	ready := func(a net.Addr) {
		base := opts.URL
		if base == "" {
			base = "http://" + a.String()
		}
		fmt.Fprintf(out, "%s %s 网上报送已启动：%s/\n", p.Title, per.Label(), strings.TrimRight(base, "/"))
		fmt.Fprintf(out, "审核台：%s/admin", strings.TrimRight(base, "/"))
		if hash == "" {
			fmt.Fprint(out, "（尚未设置密码：请另开窗口运行 planrep serve passwd）")
		}
		fmt.Fprintf(out, "\n各单位的报送链接：planrep serve links --url %s\n", strings.TrimRight(base, "/"))
		fmt.Fprintf(out, "截止日期 %s；汇总写入 %s，报告写入 %s；数据库 %s。\n按 Ctrl+C 停止。\n", deadline, roundDir, reportDir, st.Path())
		if opts.Ready != nil {
			opts.Ready(a)
		}
	}
	if err := srv.Run(ctx, opts.Addr, opts.Grace, ready); err != nil {
		return err
	}
	fmt.Fprintln(out, "网上报送已停止。")
	return nil
}

// periodDeadline is --deadline checked, or the period's end plus the
// workspace's (or the default) number of days.
func periodDeadline(g *Globals, per plan.Period, flag string) (string, error) {
	days, _, err := g.deadlineDays()
	if err != nil {
		return "", err
	}
	deadline := strings.TrimSpace(flag)
	if deadline == "" {
		return per.End().AddDate(0, 0, days).Format("2006-01-02"), nil
	}
	d, err := time.Parse("2006-01-02", deadline)
	if err != nil {
		return "", fmt.Errorf("截止日期 %q 无法识别：请写成 2025-10-10 这样的日期", flag)
	}
	if d.Before(per.End()) {
		return "", fmt.Errorf("截止日期 %s 早于报告期结束（%s）：请检查 --deadline", deadline, per.End().Format("2006-01-02"))
	}
	return deadline, nil
}

func newCmdServeLinks(g *Globals) *cobra.Command {
	var base string
	var rotate []string
	c := &cobra.Command{
		Use:   "links --url 服务地址",
		Short: "列出各填报单位的专用报送链接",
		Long: `列出各填报单位的专用报送链接，每行一个单位：代码、名称、链接。没有链接的单位会自动生成。

链接中含有至少 128 位的随机密钥，持有链接即可代表该单位报送，请只发给该单位。链接遗失或泄露时，
用 --rotate 代码 更换，原链接立即作废。

退出码：0 成功；2 参数错误或数据库无法使用。`,
		Example: `  planrep serve links --url http://10.1.2.3:8080
  planrep serve links --url http://10.1.2.3:8080 --rotate SWJ`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if strings.TrimSpace(base) == "" {
				return errors.New("请用 --url 指定各单位访问本服务的地址，如 --url http://10.1.2.3:8080")
			}
			if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
				return fmt.Errorf("--url %q 应以 http:// 或 https:// 开头，如 http://10.1.2.3:8080", base)
			}
			p, _, st, in, err := serveSetup(g, "")
			if err != nil {
				return err
			}
			defer st.Close()
			for _, code := range rotate {
				if code, err = unitCode(g.IO.ErrOut, p, code, "--rotate 的单位"); err != nil {
					return err
				}
				if _, err := serve.RotateToken(in, code, g.now(), "cli"); err != nil {
					return err
				}
				fmt.Fprintf(g.IO.ErrOut, "已更换 %s 的报送链接，原链接作废。正在运行的 planrep serve 需要重新启动。\n", code)
			}
			toks, err := serve.EnsureTokens(in, p, g.now())
			if err != nil {
				return err
			}
			names := map[string]string{}
			for _, u := range serve.Units(p) {
				names[u.Code] = u.Name
			}
			for _, t := range toks {
				fmt.Fprintf(g.IO.Out, "%s\t%s\t%s\n", t.Unit, names[t.Unit], serve.Link(base, t.Token))
			}
			return nil
		},
	}
	c.Flags().StringVar(&base, "url", "", "各单位访问本服务的地址，如 http://10.1.2.3:8080（必填）")
	c.Flags().StringSliceVar(&rotate, "rotate", nil, "为这些单位更换链接（原链接作废），代码用逗号分隔")
	return c
}

func newCmdServePasswd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd",
		Short: "设置审核台登录密码",
		Long: `设置审核台（/admin）的登录密码，至少 10 个字符。在终端中运行时输入两次（不回显）；也可以从标准输入
读入一行（如 echo 密码 | planrep serve passwd）。数据库中只保存密码的 bcrypt 散列。设置新密码后，
所有已登录的会话失效。

退出码：0 成功；2 密码不符合要求或数据库无法使用。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			pw, err := readPassword(g)
			if err != nil {
				return err
			}
			hash, err := serve.HashPassword(pw)
			if err != nil {
				return err
			}
			_, _, st, in, err := serveSetup(g, "")
			if err != nil {
				return err
			}
			defer st.Close()
			now := g.now()
			if err := in.SetAdminPassword(hash, now); err != nil {
				return err
			}
			if err := in.AddAudit(store.AuditEntry{At: now, Actor: "cli", Action: "password", Detail: "设置审核台密码"}); err != nil {
				return err
			}
			fmt.Fprintf(g.IO.Out, "审核台密码已设置（保存在 %s）。\n", st.Path())
			return nil
		},
	}
}

// readPassword reads the new password: twice without echo from a terminal,
// else one line from standard input.
func readPassword(g *Globals) (string, error) {
	if f, ok := g.IO.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(g.IO.ErrOut, "新密码：")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.IO.ErrOut)
		if err != nil {
			return "", err
		}
		fmt.Fprint(g.IO.ErrOut, "再输入一次：")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.IO.ErrOut)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("两次输入的密码不一致，请重新运行 planrep serve passwd")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(g.IO.In, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("没有读到密码：请在终端中运行 planrep serve passwd，或从标准输入提供一行密码")
	}
	return line, serve.CheckPasswordRules(line)
}

// unitLinks are the units' web intake links on a server reached at base,
// by unit code, made when missing; none when base is "".
func unitLinks(g *Globals, p *plan.Plan, base string) (map[string]string, error) {
	base = strings.TrimSpace(base)
	if base == "" {
		return nil, nil
	}
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("--url %q 应以 http:// 或 https:// 开头，如 http://10.1.2.3:8080", base)
	}
	st, err := g.OpenStore(true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	toks, err := serve.EnsureTokens(st.Intake(p.ID), p, g.now())
	if err != nil {
		return nil, err
	}
	links := map[string]string{}
	for _, t := range toks {
		links[t.Unit] = serve.Link(base, t.Token)
	}
	return links, nil
}
