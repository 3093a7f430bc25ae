package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/report"
	reportdocx "planrep/report/docx"
	reportpdf "planrep/report/pdf"
	reportxlsx "planrep/report/xlsx"
	"planrep/workbook"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdReport(g, nil) })
}

// ReportOptions are the inputs of `report`.
type ReportOptions struct {
	G        *Globals
	Round    string // --round round.json
	Period   string // --period, when collecting
	Out      string // -o
	Title    string
	Office   string
	Date     string   // YYYY-MM-DD
	Deadline string   // YYYY-MM-DD
	Font     string   // a TrueType font file
	Issue    int      // 期号
	SendTo   []string // 报送
	CopyTo   []string // 抄送
	Inputs   []string
	NoDB     bool // --no-db
}

// NewCmdReport builds `report`; runF replaces the run function in tests.
func NewCmdReport(g *Globals, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{G: g}
	c := &cobra.Command{
		Use:   "report (--round round.json | -o 输出文件夹 报送文件...)",
		Short: "生成汇总进度报告（Excel）、领导简报（PDF）和可编辑的通报（Word）",
		Long: `根据本期汇总数据生成三份报告：

  <报告期>_进度报告.xlsx  汇总进度报告：总览（含图表）、主要指标、分领域、分部门、滞后指标、
                          重点任务、未报送、明细（每个指标的数值、来源文件和单元格）、校验问题
  <报告期>_简报.pdf       供领导阅看的简报，按公文格式（GB/T 9704）排版：总体情况和图表、
                          主要预期目标、滞后事项及原因、需核实的数据、报送情况、下步工作；
                          附件为滞后目标任务、重点任务进展和各单位情况；版记含报送、抄送单位
  <报告期>_通报.docx      与简报内容相同的 Word 文档，便于修改后印发

三份报告出自同一份计算结果，数字一致。版记上方的“数据指纹”标明所用数据：同一份数据，指纹相同。

数据来源二选一：
  --round 汇总文件夹/round.json   使用 collect 已生成的汇总数据（输出默认写在同一文件夹）；
  报送文件...                     先收集、校验报送文件（同 collect），再生成报告，须用 -o 指定输出文件夹；
                                  这次收集同 collect 一样记入数据库（--no-db 除外）。

简报和报告中的全年走势、环比和期号取自数据库（--db，默认 planrep.db）；--no-db 既不读也不写数据库。

简报使用内置的文泉驿微米黑字体；--font 可指定其他 TrueType 字体（.ttf，须含中文、字母和数字）。

退出码：0 报告已生成；2 无法运行（参数错误、数据无法读取、输出文件夹无法写入）。
未报送单位和校验问题写在报告中，不影响退出码。

在 planrep init 创建的工作区中，什么都不指定时使用 汇总/ 中最近一期的 round.json（--period 可指定
哪一期），报告写到 报告/<报告期>/；编发单位默认取工作区设置。`,
		Example: `  planrep report --round 汇总/2025Q3/round.json
  planrep report --round 汇总/2025Q3/round.json -o 报告/ --date 2025-10-15
  planrep report --period 2025Q3 -o 报告/2025Q3 收件箱/
  planrep report --round round.json --title 计划执行情况简报 --office 淄博市发展和改革委员会`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			if runF != nil {
				return runF(opts)
			}
			return reportRun(opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Round, "round", "", "collect 生成的汇总数据 round.json")
	f.StringVarP(&opts.Out, "output", "o", "", "输出文件夹（使用 --round 时默认为 round.json 所在文件夹）")
	f.StringVar(&opts.Period, "period", "", "报告期，如 2025Q3（直接收集报送文件时使用；默认取报送文件中的报告期）")
	f.StringVar(&opts.Title, "title", "", "简报标题（默认“"+report.DefaultTitle+"”）")
	f.StringVar(&opts.Office, "office", "", "发文机关（默认取计划登记表中负责计划调度的单位全称，如淄博市发展和改革委员会）")
	f.StringVar(&opts.Date, "date", "", "报告日期，如 2025-10-15（默认今天）")
	f.StringVar(&opts.Deadline, "deadline", "", "报送截止日期，如 2025-10-10，用于计算按时报送率（默认取汇总数据中的截止日期）")
	f.StringVar(&opts.Font, "font", "", "简报使用的 TrueType 字体文件（.ttf），替代内置的宋体、黑体、楷体")
	f.IntVar(&opts.Issue, "issue", 0, "简报期号，如 3 印为“第3期”（默认按全年数据库中已汇总的期数计算；没有数据库时不印期号）")
	f.StringSliceVar(&opts.SendTo, "send-to", nil, "版记“报送”单位，可多个，用逗号分隔（默认取计划登记表中的发文机关，如淄博市人民政府）")
	f.StringSliceVar(&opts.CopyTo, "copy-to", nil, "版记“抄送”单位，可多个，用逗号分隔（默认“市直有关部门”）")
	f.BoolVar(&opts.NoDB, "no-db", false, "不读写数据库：直接收集的报送不记入数据库，报告中不含全年走势")
	return c
}

func reportRun(opts *ReportOptions) error {
	out := opts.G.IO.Out
	p, err := opts.G.LoadSoundPlan()
	if err != nil {
		return err
	}
	if err := reportDefaults(opts, p); err != nil {
		return err
	}
	if opts.Round != "" && len(opts.Inputs) > 0 {
		return errors.New("--round 和报送文件只能二选一：已有汇总数据时用 --round，否则列出报送文件")
	}
	if opts.Round == "" && len(opts.Inputs) == 0 {
		return errors.New("请用 --round 指定 collect 生成的 round.json，或列出报送文件、文件夹、zip 压缩包")
	}
	if opts.Round != "" && opts.Period != "" {
		return errors.New("--period 只在直接收集报送文件时使用；round.json 已确定报告期")
	}
	date, err := reportDate(opts)
	if err != nil {
		return err
	}
	if opts.Deadline != "" {
		if _, err := time.Parse("2006-01-02", opts.Deadline); err != nil {
			return fmt.Errorf("截止日期 %q 无法识别：请写成 2025-10-10 这样的格式", opts.Deadline)
		}
	}
	var fontData []byte
	if opts.Font != "" {
		if fontData, err = os.ReadFile(opts.Font); err != nil {
			return fmt.Errorf("无法读取字体文件 %s：%v", opts.Font, err)
		}
		if err := reportpdf.CheckFont(fontData); err != nil {
			return fmt.Errorf("字体文件 %s 不能使用：%v", opts.Font, err)
		}
	}

	var r *plan.Round
	dir := opts.Out
	if opts.Round != "" {
		if r, err = readRound(opts.Round, p); err != nil {
			return err
		}
		if dir == "" {
			dir = filepath.Dir(opts.Round)
		}
	} else {
		ws, _ := opts.G.Workspace()
		if strings.TrimSpace(dir) == "" && ws == nil {
			return errors.New("直接收集报送文件时，请用 -o 指定输出文件夹")
		}
		if r, err = collectForReport(opts, p, dir); err != nil {
			return err
		}
		if dir == "" {
			dir = rel(ws.Path(DirReports, r.Period.String()))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹 %s：%v", dir, err)
	}
	office, err := opts.G.setting("office.name", opts.Office)
	if err != nil {
		return err
	}
	opts.Office = office.Value
	if err := reportLines(opts); err != nil {
		return err
	}
	per := r.Period
	if opts.Issue < 0 {
		return fmt.Errorf("期号 %d 无效：--issue 应为正整数，如 3", opts.Issue)
	}
	var hist *report.History
	if !opts.NoDB {
		if hist, err = reportYear(opts.G, p, r); err != nil {
			return err
		}
	}
	issue := opts.Issue
	if issue == 0 {
		// Without --issue, the store counts the 期号: one a period collected.
		issue = hist.IssueOf(per)
	}
	b := report.Compute(p, r, report.Options{Title: opts.Title, Office: opts.Office, Date: date, Deadline: opts.Deadline,
		Issue: issue, SendTo: opts.SendTo, CopyTo: opts.CopyTo, History: hist})
	xlsx := filepath.Join(dir, per.String()+"_进度报告.xlsx")
	pdf := filepath.Join(dir, per.String()+"_简报.pdf")
	if err := safefile.Write(xlsx, func(w io.Writer) error { return reportxlsx.Write(w, b) }); err != nil {
		return err
	}
	if err := safefile.Write(pdf, func(w io.Writer) error { return reportpdf.Write(w, b, fontData) }); err != nil {
		return err
	}
	word := filepath.Join(dir, per.String()+"_通报.docx")
	if err := safefile.Write(word, func(w io.Writer) error { return reportdocx.Write(w, b) }); err != nil {
		return err
	}
	printReport(out, b, xlsx, pdf, word)
	return nil
}

// reportDate is --date, or today by the command's clock.
func reportDate(opts *ReportOptions) (time.Time, error) {
	if opts.Date == "" {
		now := time.Now
		if opts.G.Now != nil {
			now = opts.G.Now
		}
		t := now()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(opts.Date))
	if err != nil {
		return time.Time{}, fmt.Errorf("报告日期 %q 无法识别：请写成 2025-10-15 这样的格式", opts.Date)
	}
	return t, nil
}

// readRound reads round.json and checks that it belongs to plan p.
func readRound(path string, p *plan.Plan) (*plan.Round, error) {
	return loadRound(path, p, "汇总数据")
}

// loadRound reads a round.json (what names it in messages: 汇总数据 or
// 上期数据) with the checks report and collect --previous share: it decodes
// with known fields only, is not of a newer schema, belongs to plan p and
// names a period.
func loadRound(path string, p *plan.Plan, what string) (*plan.Round, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取%s %s：%s", what, path, fileErr(err))
	}
	var r plan.Round
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s %s 不是有效的汇总数据（round.json）：%s。请重新运行 collect 生成", what, path, jsonErr(err))
	}
	if r.Schema > plan.RoundSchema {
		return nil, fmt.Errorf("%s %s 由较新版本的 planrep 生成（格式版本 %d）：请升级 planrep", what, path, r.Schema)
	}
	if r.Schema < 1 {
		return nil, fmt.Errorf("%s %s 中没有格式版本（schema），不是 collect 生成的 round.json：请重新运行 collect 生成", what, path)
	}
	if r.PlanID != "" && r.PlanID != p.ID {
		return nil, fmt.Errorf("%s %s 属于计划 %q，而当前登记表是 %q：请用 --plan 指定对应的计划登记表", what, path, r.PlanID, p.ID)
	}
	if r.Period.IsZero() {
		return nil, fmt.Errorf("%s %s 中没有报告期：请重新运行 collect 生成 round.json", what, path)
	}
	return &r, nil
}

// periodFlag reads a --period flag and checks it lies in the plan's year.
func periodFlag(s string, p *plan.Plan) (plan.Period, error) {
	per, err := plan.ParsePeriod(s)
	if err != nil {
		return plan.Period{}, err
	}
	if per.Year != p.Year {
		return plan.Period{}, periodOutOfYear(per, p.Year)
	}
	return per, nil
}

// collectForReport collects the returns first, as `collect` does, and
// records the run in the store (unless --no-db), so that the year is
// complete whichever command the office used; collect's own outputs are
// not written.
func collectForReport(opts *ReportOptions, p *plan.Plan, dir string) (*plan.Round, error) {
	wopt := workbook.Options{}
	if dir != "" {
		wopt.Exclude = []string{dir}
	}
	if ws, _ := opts.G.Workspace(); ws != nil {
		wopt.Exclude = append(wopt.Exclude, ws.Path(DirTemplates), ws.Path(DirCollected), ws.Path(DirReports))
	}
	if opts.Period != "" {
		per, err := periodFlag(opts.Period, p)
		if err != nil {
			return nil, err
		}
		wopt.Period = &per
	}
	rec, err := openRecorder(opts.G, opts.NoDB)
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	rec.compare(p.ID, &wopt)
	io := opts.G.IO
	if io.ShowProgress() {
		wopt.Progress = func(done, total int) { collectProgress(io.ErrOut, done, total) }
	}
	res, err := workbook.Collect(p, opts.Inputs, wopt)
	if wopt.Progress != nil {
		fmt.Fprint(io.ErrOut, "\r\033[K")
	}
	if err != nil {
		printUnidentified(io.Out, err)
		return nil, err
	}
	if err := rec.annotate(res); err != nil {
		return nil, err
	}
	if err := rec.record(res, opts.Inputs); err != nil {
		return nil, fmt.Errorf("报送文件已收集，但%w", err)
	}
	return res.Round, nil
}

func printReport(w io.Writer, b *report.Brief, xlsx, pdf, word string) {
	h := b.Headline
	fmt.Fprintf(w, "%s %s\n", b.Meta.PlanTitle, b.Meta.PeriodLabel)
	fmt.Fprintf(w, "目标任务 %d 项：", h.Targets)
	var parts []string
	for _, c := range h.ByStatus {
		parts = append(parts, fmt.Sprintf("%s %d", c.Status, c.Count))
	}
	fmt.Fprintln(w, strings.Join(parts, "，"))
	fmt.Fprintf(w, "报送 %d/%d 个单位（报送率 %s）", h.DeptsIn, h.DeptsExpected, report.Percent(h.SubmitRate))
	if len(b.Missing) > 0 {
		names := make([]string, len(b.Missing))
		for i, m := range b.Missing {
			names[i] = m.Short
		}
		fmt.Fprintf(w, "，未报送：%s", strings.Join(names, "、"))
	}
	fmt.Fprintln(w)
	if b.Meta.PlanMismatch {
		fmt.Fprintln(w, "注意：汇总数据是按另一版本的登记表收集的，报告以当前登记表为准。")
	}
	fmt.Fprintf(w, "数据指纹 %s\n", b.Meta.Fingerprint)
	fmt.Fprintf(w, "已写入 %s\n已写入 %s\n已写入 %s\n", xlsx, pdf, word)
}
