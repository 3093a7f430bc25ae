package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/serve"
	"planrep/store"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdReview(g) })
}

// ReviewOptions are the inputs of the review commands.
type ReviewOptions struct {
	G      *Globals
	Period string
	By     string
	Reason string
	Seq    int
	JSON   bool
}

// NewCmdReview builds `review` and its subcommands: the desk's review
// actions from the command line.
func NewCmdReview(g *Globals) *cobra.Command {
	opts := &ReviewOptions{G: g}
	c := &cobra.Command{
		Use:   "review",
		Short: "审核网上报送：列出、审核通过、退回、撤销审核",
		Long: `在命令行审核各单位通过网上报送（planrep serve）上传的填报表，与审核台的操作相同，记入同一个数据库。

  planrep review list --period 2025Q3                     各单位最近一次报送、校验结论和审核状态
  planrep review approve SWJ --period 2025Q3              审核通过该单位最近一次报送
  planrep review return SWJ --period 2025Q3 --reason …    退回（填报单位在报送页面上看到原因）
  planrep review revoke SWJ --period 2025Q3               撤销对该单位最近一次报送的审核

--seq N 指定第 N 次报送（默认最近一次）；--by 记录经办人（默认当前系统用户）。

退出码：0 成功；2 参数错误、没有这份报送或数据库无法使用。`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	pf := c.PersistentFlags()
	pf.StringVar(&opts.Period, "period", "", "报告期，如 2025Q3（必填）")
	pf.StringVar(&opts.By, "by", "", "经办人姓名（默认当前系统用户）")
	list := &cobra.Command{
		Use:   "list --period 报告期",
		Short: "列出各单位最近一次报送和审核状态",
		Args:  cobra.NoArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return reviewList(opts) },
	}
	list.Flags().BoolVar(&opts.JSON, "json", false, "以 JSON 输出")
	act := func(action, use, short string) *cobra.Command {
		cc := &cobra.Command{
			Use:   use,
			Short: short,
			Args:  exactlyOne("请指定一个单位（代码、简称或全称），如 planrep review " + action + " SWJ --period 2025Q3"),
			RunE:  func(c *cobra.Command, args []string) error { return reviewAct(opts, action, args[0]) },
		}
		cc.Flags().IntVar(&opts.Seq, "seq", 0, "第几次报送（默认最近一次）")
		return cc
	}
	ret := act(store.ReviewReturn, "return 单位 --reason 原因", "退回一份报送，并写明原因")
	ret.Flags().StringVar(&opts.Reason, "reason", "", "退回原因，填报单位在报送页面上可以看到（必填）")
	c.AddCommand(list,
		act(store.ReviewApprove, "approve 单位", "审核通过一份报送"),
		ret,
		act(store.ReviewRevoke, "revoke 单位", "撤销对一份报送的审核"))
	return c
}

func reviewSetup(opts *ReviewOptions) (*plan.Plan, plan.Period, *store.Store, *store.Intake, error) {
	if strings.TrimSpace(opts.Period) == "" {
		return nil, plan.Period{}, nil, nil, periodMissing(opts.G, "")
	}
	return serveSetup(opts.G, opts.Period)
}

// reviewRow is one unit in `review list`.
type reviewRow struct {
	Unit     string `json:"unit"`
	Name     string `json:"name"`
	Uploads  int    `json:"uploads"`
	Seq      int    `json:"seq,omitempty"`
	At       string `json:"at,omitempty"`
	Verdict  string `json:"verdict,omitempty"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Review   string `json:"review"` // approve, return, or "" (pending / none)
	By       string `json:"by,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Counted  bool   `json:"counted"` // the round takes this unit's data
	sub      *store.Submission
}

func reviewList(opts *ReviewOptions) error {
	p, per, st, in, err := reviewSetup(opts)
	if err != nil {
		return err
	}
	defer st.Close()
	deadline, err := periodDeadline(opts.G, per, "")
	if err != nil {
		return err
	}
	s, err := serve.Stand(in, p, per, deadline)
	if err != nil {
		return err
	}
	var rows []reviewRow
	for _, u := range s.Units {
		r := reviewRow{Unit: u.Unit.Code, Name: u.Unit.Short, Uploads: len(u.Subs), Counted: u.Counted != nil}
		if l := u.Latest; l != nil {
			r.Seq, r.At, r.Errors, r.Warnings = l.Seq, l.At.Local().Format("2006-01-02 15:04"), l.Errors, l.Warnings
			r.Verdict = l.Verdict
			if u.Review != nil {
				r.Review, r.By, r.Reason = u.Review.Action, u.Review.By, u.Review.Reason
			}
		}
		rows = append(rows, r)
	}
	w := opts.G.IO.Out
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	fmt.Fprintf(w, "%s %s 网上报送审核情况（截止 %s）\n\n", p.Title, per.Label(), deadline)
	t := &table{head: []string{"单位", "代码", "次数", "最近上传", "校验结论", "错误", "警告", "审核", "审核人", "退回原因"}, right: map[int]bool{2: true, 5: true, 6: true}}
	for _, r := range rows {
		if r.Uploads == 0 {
			t.add(r.Name, r.Unit, "0", "未报送", "", "", "", "", "", "")
			continue
		}
		verdict := "已接收"
		if r.Verdict != plan.Accepted {
			verdict = "拒收"
		}
		state := store.ReviewLabel(r.Review)
		if r.Verdict != plan.Accepted && r.Review == "" {
			state = "—"
		}
		t.add(r.Name, r.Unit, fmt.Sprint(r.Uploads), r.At, verdict, fmt.Sprint(r.Errors), fmt.Sprint(r.Warnings), state, r.By, r.Reason)
	}
	t.write(w)
	fmt.Fprintf(w, "\n已报送 %d/%d 个单位（被退回的不计），仍有错误 %d 个，按时 %d 个，待审核 %d 份。\n", s.In, s.Expected, s.Errors, s.OnTime, s.Pending)
	if chase := s.Chase(); len(chase) > 0 {
		fmt.Fprintln(w, "\n催报名单：")
		for _, l := range chase {
			fmt.Fprintln(w, "  "+l)
		}
	}
	return nil
}

func reviewAct(opts *ReviewOptions, action, code string) error {
	p, per, st, in, err := reviewSetup(opts)
	if err != nil {
		return err
	}
	defer st.Close()
	if code, err = unitCode(opts.G.IO.ErrOut, p, code, "单位"); err != nil {
		return err
	}
	if _, ok := p.Unit(code); !ok {
		return fmt.Errorf("未知的单位代码 %s：请用 planrep review list --period %s 查看各单位的代码", code, per)
	}
	subs, err := in.UnitSubmissions(per.String(), code)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return fmt.Errorf("%s 在%s没有网上报送，无法审核", code, per.Label())
	}
	sub := subs[len(subs)-1]
	if opts.Seq != 0 {
		found := false
		for _, x := range subs {
			if x.Seq == opts.Seq {
				sub, found = x, true
			}
		}
		if !found {
			return fmt.Errorf("%s 在%s没有第 %d 次报送（共 %d 次）", code, per.Label(), opts.Seq, len(subs))
		}
	}
	by := strings.TrimSpace(opts.By)
	if by == "" {
		by = os.Getenv("USER")
		if by == "" {
			by = "命令行"
		}
	}
	revs, err := in.Reviews(per.String())
	if err != nil {
		return err
	}
	states := serve.ReviewStates(revs)
	now := opts.G.now()
	rv := store.Review{Submission: sub.ID, Period: per.String(), Unit: code, Action: action, Reason: strings.TrimSpace(opts.Reason), By: by, At: now}
	if action != store.ReviewReturn {
		rv.Reason = ""
	}
	if err := serve.CheckReview(sub, rv, states); err != nil {
		return err
	}
	if err := in.AddReview(&rv); err != nil {
		return err
	}
	if err := in.AddAudit(store.AuditEntry{At: now, Actor: "cli:" + by, Action: action, Unit: code, SHA256: sub.SHA256,
		Detail: fmt.Sprintf("第%d次报送 %s", sub.Seq, rv.Reason)}); err != nil {
		return err
	}
	name := code
	if d, ok := p.Unit(code); ok {
		name = fmt.Sprintf("%s（%s）", d.Short, code)
	}
	switch action {
	case store.ReviewApprove:
		fmt.Fprintf(opts.G.IO.Out, "已审核通过%s第 %d 次报送（%s）。\n", name, sub.Seq, sub.Name)
	case store.ReviewReturn:
		fmt.Fprintf(opts.G.IO.Out, "已退回%s第 %d 次报送（%s），原因：%s\n", name, sub.Seq, sub.Name, rv.Reason)
	default:
		fmt.Fprintf(opts.G.IO.Out, "已撤销对%s第 %d 次报送的审核。\n", name, sub.Seq)
	}
	return nil
}
