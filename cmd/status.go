package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/serve"
	"planrep/store"
	"planrep/templates"
	"planrep/workbook"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdStatus(g, nil) })
}

// StatusOptions are the inputs of `status`.
type StatusOptions struct {
	G      *Globals
	Period string
	JSON   bool
}

// NewCmdStatus builds `status`; runF replaces the run function in tests.
func NewCmdStatus(g *Globals, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{G: g}
	c := &cobra.Command{
		Use:   "status [--period 期别]",
		Short: "查看本期进展：谁已报送、哪些问题未解决、下一步做什么",
		Long: `在工作区中查看一期填报的进展：

  报告期和截止日期；
  应报送、已报送和未报送的单位（列出名称）；
  各单位尚未解决的错误和警告；
  上次汇总之后收件箱中新收到的文件，以及是哪个单位报送的；
  已退回（有错误、已生成反馈表）但尚未重新报送的单位；
  下一步该做什么。

不指定 --period 时查看工作区最近下发模板（或最近汇总）的一期。使用 --json 时输出同样内容的 JSON。
status 只读取，不改动任何文件。

退出码：0 成功；2 不在工作区中或无法读取。`,
		Example: `  planrep status
  planrep status --period 2025H1
  planrep status --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
	c.Flags().StringVar(&opts.Period, "period", "", "报告期，如 2025Q3（默认最近一期）")
	c.Flags().BoolVar(&opts.JSON, "json", false, "以 JSON 格式输出")
	return c
}

// Status is where a round stands: what `planrep status` prints.
type Status struct {
	Workspace   string        `json:"workspace"`
	PlanID      string        `json:"plan_id"`
	PlanTitle   string        `json:"plan_title"`
	Period      string        `json:"period,omitempty"`
	PeriodLabel string        `json:"period_label,omitempty"`
	Deadline    string        `json:"deadline,omitempty"`
	DaysLeft    *int          `json:"days_left,omitempty"` // negative once the deadline has passed
	Templates   string        `json:"templates,omitempty"` // the folder, when written
	Collected   *CollectState `json:"collected,omitempty"` // the last collect, when there was one
	Expected    []UnitState   `json:"expected"`
	Missing     []string      `json:"missing"`  // short names of units not in
	Problems    []UnitState   `json:"problems"` // units with errors or warnings outstanding
	NewFiles    []NewFile     `json:"new_files"`
	Returned    []UnitState   `json:"returned"` // returned with errors, not yet resent
	Report      string        `json:"report,omitempty"`
	Next        string        `json:"next"`
}

// CollectState is the last collect of the period.
type CollectState struct {
	Round string `json:"round"`
	At    string `json:"at"` // YYYY-MM-DD HH:MM, local time
	Files int    `json:"files"`
	Runs  int    `json:"runs,omitempty"` // collect runs of the period the store records
}

// UnitState is one unit's standing.
type UnitState struct {
	Code      string `json:"code"`
	Short     string `json:"short"`
	Submitted bool   `json:"submitted"`
	Errors    int    `json:"errors"`
	Warnings  int    `json:"warnings"`
	File      string `json:"file,omitempty"`
	Reason    string `json:"reason,omitempty"` // why the office's desk returned its upload
}

// NewFile is a file of the inbox the last collect did not see.
type NewFile struct {
	Path   string `json:"path"`
	Unit   string `json:"unit,omitempty"`   // short name, when the stamp says
	Period string `json:"period,omitempty"` // the period its stamp names
	Note   string `json:"note,omitempty"`
}

func statusRun(opts *StatusOptions) error {
	g := opts.G
	ws, err := g.Workspace()
	if err != nil {
		return err
	}
	if ws == nil {
		return errors.New("当前文件夹不在工作区中（本文件夹及其上级都没有 planrep.yaml）：请先运行 planrep init 创建工作区，或进入已有的工作区再运行 planrep status")
	}
	p, _, err := g.LoadPlan()
	if err != nil {
		return err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	st, err := computeStatus(g, ws, p, opts.Period, now())
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(g.IO.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStatus(g.IO.Out, st)
	return nil
}

func computeStatus(g *Globals, ws *Workspace, p *plan.Plan, period string, now time.Time) (*Status, error) {
	st := &Status{Workspace: ws.Root, PlanID: p.ID, PlanTitle: p.Title, Missing: []string{}, Problems: []UnitState{}, NewFiles: []NewFile{}, Returned: []UnitState{}}
	if len(p.LeadDepts()) == 0 {
		st.Next = fmt.Sprintf("登记表中还没有牵头单位：请在任务分工表中填写部门名单和牵头部门，用 planrep plan import 导回（工作区设置的登记表为 %s），再运行 planrep plan check", rel(ws.PlanPath()))
		if ws.PlanPath() == "" {
			st.Next = "登记表中还没有牵头单位：请用 planrep plan export 导出任务分工表，填写牵头部门后用 planrep plan import 导回，并在 planrep.yaml 中设置 plan"
		}
		return st, nil
	}
	var per plan.Period
	if period != "" {
		var err error
		if per, err = plan.ParsePeriod(period); err != nil {
			return nil, err
		}
		if per.Year != p.Year {
			return nil, periodOutOfYear(per, p.Year)
		}
	} else if cur, ok := ws.currentPeriod(p.Year); ok {
		per = cur
	} else {
		st.Next = fmt.Sprintf("还没有下发过填报模板：运行 planrep templates --period %dQ1（报告期按需要选择），把 %s 中的表格发给各单位", p.Year, dirShown(ws.Path(DirTemplates))+"<报告期>/")
		return st, nil
	}
	st.Period, st.PeriodLabel = per.String(), per.Label()
	days, _, err := g.deadlineDays()
	if err != nil {
		return nil, err
	}
	st.Deadline = per.End().AddDate(0, 0, days).Format("2006-01-02")
	if d := ws.Path(DirTemplates, per.String()); isDir(d) {
		st.Templates = dirShown(d)
	}

	// The last collect: its round, and when it ran.
	var round *plan.Round
	var seen map[string]bool
	if f := ws.roundFile(per); fileExists(f) {
		if round, err = readRound(f, p); err != nil {
			return nil, err
		}
		info, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		st.Collected = &CollectState{Round: rel(f), At: info.ModTime().Local().Format("2006-01-02 15:04"), Files: len(round.Files)}
		if round.Deadline != "" {
			st.Deadline = round.Deadline
		}
		seen = map[string]bool{}
		for _, fl := range round.Files {
			seen[fl.SHA256] = true
		}
		if run, n, err := lastRun(g, p, per); err != nil {
			return nil, err
		} else if run != nil {
			if t, err := time.Parse(store.TimeFormat, run.Finished); err == nil {
				st.Collected.At = t.Local().Format("2006-01-02 15:04")
			}
			st.Collected.Files, st.Collected.Runs = run.Files, n
		}
	}
	if dl, err := time.Parse("2006-01-02", st.Deadline); err == nil {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		n := int(dl.Sub(today).Hours() / 24)
		st.DaysLeft = &n
	}

	// Who is expected, who is in.
	if round != nil {
		for _, d := range round.Departments {
			u := UnitState{Code: d.Code, Short: d.Short, Submitted: d.Submitted, Errors: d.Errors, Warnings: d.Warnings, File: d.File}
			st.Expected = append(st.Expected, u)
		}
	} else {
		want, _, err := g.units()
		if err != nil {
			return nil, err
		}
		units, _, err := pickUnits(p, unitsDepts, want)
		if err != nil {
			return nil, err
		}
		for _, d := range units {
			st.Expected = append(st.Expected, UnitState{Code: d.Code, Short: d.Short})
		}
	}
	for _, u := range st.Expected {
		if !u.Submitted {
			st.Missing = append(st.Missing, u.Short)
		}
		if u.Submitted && u.Errors+u.Warnings > 0 {
			st.Problems = append(st.Problems, u)
		}
	}

	// What came in since.
	newFiles, err := inboxNews(ws, p, per, seen)
	if err != nil {
		return nil, err
	}
	st.NewFiles = newFiles
	resent := map[string]bool{}
	for _, f := range newFiles {
		if f.Period == per.String() {
			resent[f.Unit] = true
		}
	}
	if round != nil {
		rejected := map[string]bool{}
		for _, f := range round.Files {
			if f.Verdict == plan.Rejected && f.Dept != "" && f.Period == round.Period {
				rejected[f.Dept] = true
			}
		}
		for _, u := range st.Expected {
			returned := u.Submitted && u.Errors > 0 || !u.Submitted && rejected[u.Code]
			if returned && !resent[u.Short] {
				st.Returned = append(st.Returned, u)
			}
		}
	}
	// Returns sent back from the office's desk (planrep serve, planrep review
	// return) whose unit has not uploaded again.
	webReturned, err := intakeReturns(g, p, per, st.Deadline)
	if err != nil {
		return nil, err
	}
	for _, u := range webReturned {
		dup := false
		for k, r := range st.Returned {
			if r.Code == u.Code {
				st.Returned[k].Reason, dup = u.Reason, true
			}
		}
		if !dup {
			st.Returned = append(st.Returned, u)
		}
	}
	if d := ws.Path(DirReports, per.String()); isDir(d) {
		if entries, _ := os.ReadDir(d); len(entries) > 0 {
			st.Report = dirShown(d)
		}
	}
	st.Next = nextStep(ws, st, round, per)
	return st, nil
}

// inboxNews lists the inbox's returns whose content the last collect did not
// see (all of them when there was none), with the unit each one's stamp
// names. A template of this plan for another period is no news of this one:
// the inbox keeps the whole year.
func inboxNews(ws *Workspace, p *plan.Plan, per plan.Period, seen map[string]bool) ([]NewFile, error) {
	inbox := ws.Path(DirInbox)
	if !isDir(inbox) {
		return []NewFile{}, nil
	}
	srcs, closeAll, err := workbook.Discover([]string{rel(inbox)}, workbook.DefaultMaxUnzipped, nil)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	out := []NewFile{}
	for _, s := range srcs {
		data, err := s.Read()
		if err != nil {
			continue // skipped or unreadable: collect will say why
		}
		sum := sha256.Sum256(data)
		if seen[hex.EncodeToString(sum[:])] {
			continue
		}
		nf := NewFile{Path: s.Path}
		if f, err := excelize.OpenReader(bytes.NewReader(data)); err == nil {
			if stamp, err := templates.ReadStamp(f); err == nil {
				if stamp.PlanID == p.ID && !stamp.Period.IsZero() && stamp.Period != per {
					f.Close()
					continue
				}
				nf.Period = stamp.Period.String()
				if d, ok := p.Dept(stamp.Dept); ok {
					nf.Unit = d.Short
				}
				if stamp.PlanID != p.ID {
					nf.Note = "其他计划的模板"
				}
			}
			f.Close()
		}
		if nf.Unit == "" && nf.Note == "" {
			nf.Note = "无法识别报送单位"
		}
		out = append(out, nf)
	}
	return out, nil
}

// nextStep is the one thing to do now.
func nextStep(ws *Workspace, st *Status, round *plan.Round, per plan.Period) string {
	switch {
	case st.Templates == "" && round == nil:
		return fmt.Sprintf("运行 planrep templates --period %s，把 %s 中的表格发给各单位", per, dirShown(ws.Path(DirTemplates, per.String())))
	case round == nil && len(st.NewFiles) == 0:
		return fmt.Sprintf("等待各单位报送（截止 %s）；收到的文件放进 %s，然后运行 planrep collect", st.Deadline, dirShown(ws.Path(DirInbox)))
	case len(st.NewFiles) > 0:
		return fmt.Sprintf("收件箱中有 %d 个新文件：运行 planrep collect", len(st.NewFiles))
	case len(st.Missing) > 0:
		return fmt.Sprintf("%d 个单位未报送：%s；请督促报送，收到后放进 %s 并运行 planrep collect", len(st.Missing), strings.Join(st.Missing, "、"), dirShown(ws.Path(DirInbox)))
	case len(st.Returned) > 0:
		var mailed, web []string
		for _, u := range st.Returned {
			if u.Reason != "" {
				web = append(web, u.Short)
			} else {
				mailed = append(mailed, u.Short)
			}
		}
		if len(mailed) == 0 {
			return fmt.Sprintf("%d 个单位的网上报送已退回：等待%s修改后重新报送", len(web), strings.Join(web, "、"))
		}
		return fmt.Sprintf("%d 个单位的报送有错误：把 %s 中的反馈表发回%s，改好后重新报送，再运行 planrep collect", len(mailed), dirShown(ws.Path(DirCollected, per.String(), workbook.FeedbackDir)), strings.Join(mailed, "、"))
	case st.Report == "":
		return "全部单位已报送且没有错误：运行 planrep report 生成进度报告和简报"
	}
	next := "本年度各期已完成"
	if n, ok := nextPeriod(per); ok {
		next = fmt.Sprintf("下一期运行 planrep templates --period %s", n)
	}
	return fmt.Sprintf("本期已完成，报告在 %s；%s", st.Report, next)
}

// nextPeriod is the period of the same span after per, within the year.
func nextPeriod(per plan.Period) (plan.Period, bool) {
	n := per
	n.N++
	if per.Span == plan.Year || n.EndMonth() > 12 {
		return plan.Period{}, false
	}
	return n, true
}

func printStatus(w io.Writer, st *Status) {
	fmt.Fprintf(w, "%s", st.PlanTitle)
	if st.Period == "" {
		fmt.Fprintf(w, "\n\n下一步：%s\n", st.Next)
		return
	}
	fmt.Fprintf(w, " %s（%s）\n", st.PeriodLabel, st.Period)
	fmt.Fprintf(w, "截止日期：%s", st.Deadline)
	if st.DaysLeft != nil {
		switch n := *st.DaysLeft; {
		case n > 0:
			fmt.Fprintf(w, "（还有 %d 天）", n)
		case n == 0:
			fmt.Fprint(w, "（今天截止）")
		default:
			fmt.Fprintf(w, "（已过 %d 天）", -n)
		}
	}
	fmt.Fprintln(w)
	if st.Templates != "" {
		fmt.Fprintf(w, "填报模板：%s\n", st.Templates)
	}
	if c := st.Collected; c != nil {
		fmt.Fprintf(w, "上次汇总：%s（%s，%d 个文件", c.At, c.Round, c.Files)
		if c.Runs > 0 {
			fmt.Fprintf(w, "；本期已汇总 %d 次", c.Runs)
		}
		fmt.Fprintln(w, "）")
	} else {
		fmt.Fprintln(w, "上次汇总：本期尚未汇总")
	}

	in := len(st.Expected) - len(st.Missing)
	fmt.Fprintf(w, "\n报送：应报送 %d 个单位，已报送 %d 个，未报送 %d 个\n", len(st.Expected), in, len(st.Missing))
	if st.Collected != nil && in > 0 {
		var names []string
		for _, u := range st.Expected {
			if u.Submitted {
				names = append(names, u.Short)
			}
		}
		writeNames(w, "已报送", names)
	}
	if len(st.Missing) > 0 {
		label := "未报送"
		if st.Collected == nil {
			label = "应报送"
		}
		writeNames(w, label, st.Missing)
	}

	if len(st.Problems) > 0 {
		fmt.Fprintf(w, "\n尚未解决的问题（%d 个单位）：\n", len(st.Problems))
		rows := [][]string{{"  单位", "错误", "警告", "采用的文件"}}
		for _, u := range st.Problems {
			rows = append(rows, []string{"  " + u.Short, fmt.Sprint(u.Errors), fmt.Sprint(u.Warnings), u.File})
		}
		collectTable(w, rows)
	}
	if len(st.NewFiles) > 0 {
		title := "上次汇总后收到的文件"
		if st.Collected == nil {
			title = "收件箱中的文件"
		}
		fmt.Fprintf(w, "\n%s（%d 个）：\n", title, len(st.NewFiles))
		rows := [][]string{}
		for _, f := range st.NewFiles {
			who := f.Unit
			if f.Period != "" && f.Period != st.Period {
				who += "（" + f.Period + " 的模板）"
			}
			if f.Note != "" {
				who = strings.TrimSpace(who + " " + f.Note)
			}
			rows = append(rows, []string{"  " + f.Path, who})
		}
		collectTable(w, rows)
	}
	if len(st.Returned) > 0 {
		fmt.Fprintf(w, "\n已退回、尚未重新报送（%d 个单位）：\n", len(st.Returned))
		for _, u := range st.Returned {
			what := fmt.Sprintf("错误 %d 条", u.Errors)
			switch {
			case u.Reason != "":
				what = "网上报送被退回，原因：" + u.Reason
			case !u.Submitted:
				what = "报送文件被拒收"
			}
			fmt.Fprintf(w, "  %s：%s\n", u.Short, what)
		}
	}
	if st.Report != "" {
		fmt.Fprintf(w, "\n报告：%s\n", st.Report)
	}
	fmt.Fprintf(w, "\n下一步：%s\n", st.Next)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// writeNames prints a labelled list of names, wrapped to fit 80 columns.
func writeNames(w io.Writer, label string, names []string) {
	head := "  " + label + "："
	indent := strings.Repeat(" ", displayWidth(head))
	line, width := head, displayWidth(head)
	for i, n := range names {
		s := n
		if i < len(names)-1 {
			s += "、"
		}
		if width+displayWidth(s) > 80 && line != head {
			fmt.Fprintln(w, strings.TrimRight(line, " "))
			line, width = indent, len(indent)
		}
		line += s
		width += displayWidth(s)
	}
	fmt.Fprintln(w, line)
}

// lastRun is the store's last collect run of the period and how many it
// records; nil when there is no store yet.
func lastRun(g *Globals, p *plan.Plan, per plan.Period) (*store.RunInfo, int, error) {
	if !fileExists(g.DBPath()) {
		return nil, 0, nil
	}
	db, err := g.OpenStore(false)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	runs, err := db.Runs(context.Background(), p.ID)
	if err != nil {
		return nil, 0, err
	}
	var last *store.RunInfo
	n := 0
	for i, r := range runs {
		if r.Period == per.String() && r.Kind == store.KindCollect {
			last, n = &runs[i], n+1
		}
	}
	return last, n, nil
}

// intakeReturns are the units whose latest upload to the web intake was
// returned by the office; none when there is no store yet.
func intakeReturns(g *Globals, p *plan.Plan, per plan.Period, deadline string) ([]UnitState, error) {
	if !fileExists(g.DBPath()) {
		return nil, nil
	}
	db, err := g.OpenStore(false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	s, err := serve.Stand(db.Intake(p.ID), p, per, deadline)
	if err != nil {
		return nil, err
	}
	var out []UnitState
	for _, u := range s.Units {
		if u.Review != nil && u.Review.Action == store.ReviewReturn {
			out = append(out, UnitState{Code: u.Unit.Code, Short: u.Unit.Short, Submitted: u.Counted != nil, Reason: u.Review.Reason})
		}
	}
	return out, nil
}
