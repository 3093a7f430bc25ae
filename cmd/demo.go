package cmd

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/text/encoding/simplifiedchinese"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/report"
	reportdocx "planrep/report/docx"
	reportpdf "planrep/report/pdf"
	reportxlsx "planrep/report/xlsx"
	"planrep/simulate"
	"planrep/templates"
	"planrep/workbook"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdDemo(g, nil) })
}

// The demo's round: 2025 前三季度, as the office would live it. Its dates are
// fixed so that two runs give the same files.
const (
	demoPeriod   = "2025Q3"
	demoDeadline = "2025-10-10"
	demoSeed     = 2025
	demoFaults   = 0.1
)

var (
	demoIssued = time.Date(2025, 9, 26, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) // templates sent out
	demoReport = time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC)                     // the brief's date
)

// The demo's folders, in the order of the cycle.
const (
	demoTemplates = "1-填报模板"
	demoReturns   = "2-部门报送"
	demoCollected = "3-汇总校验"
	demoReports   = "4-进度报告"
)

var demoFolders = []string{demoTemplates, demoReturns, demoCollected, demoReports}

// DemoOptions are the flags of `planrep demo`.
type DemoOptions struct {
	G   *Globals
	Out string
}

// NewCmdDemo builds `planrep demo`.
func NewCmdDemo(g *Globals, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{G: g}
	c := &cobra.Command{
		Use:   "demo",
		Short: "用内置计划完整演示一轮填报：生成模板、模拟报送、收集校验、生成报告",
		Long: `用内置计划（或 --plan 指定的计划）完整演示一轮 2025 年前三季度的进度填报：

  1. 为每个牵头部门和承担分解任务的区县生成填报模板（1-填报模板/）；
  2. 模拟各部门和区县填报（2-部门报送/）：大多数填报无误，少数带有常见错误；
     一个部门未报送；一个部门先误用了上半年的模板被退回，随后重新报送；
     一个部门的报表装在 zip 压缩包里（文件名为 GBK 编码，如中文 Windows 所建）；
     区县按示例分解任务报送：一个区县逾期报送，一个区县的数与牵头部门的全市数口径不一致，
     一个区县未报送；
  3. 收集、校验并汇总（3-汇总校验/）：round.json、汇总表、校验结果、反馈表；
  4. 生成进度报告和领导简报（4-进度报告/）。

最后打印一段摘要和所写文件的目录树。重复运行会先清除上一次的这四个文件夹，
文件夹中的其他文件不受影响。日期和随机数都是固定的，两次运行结果相同。

退出码：0 成功；2 无法运行（如输出文件夹无法写入）。`,
		Example: `  planrep demo
  planrep demo -o /tmp/演示`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return demoRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Out, "output", "o", "planrep-demo", "输出文件夹")
	return c
}

func demoRun(opts *DemoOptions) error {
	st := opts.G.IO
	w := st.Out
	p, err := opts.G.LoadSoundPlan()
	if err != nil {
		return err
	}
	per, err := plan.ParsePeriod(demoPeriod)
	if err != nil {
		return err
	}
	if p.Year != per.Year {
		per.Year = p.Year // another plan: the same round, in its own year
	}
	out := filepath.Clean(opts.Out)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹 %s：%v", out, err)
	}
	for _, sub := range demoFolders {
		if err := os.RemoveAll(filepath.Join(out, sub)); err != nil {
			return fmt.Errorf("无法清除上一次的演示结果 %s：%v", filepath.Join(out, sub), err)
		}
	}
	db, yearStory, err := demoYear(opts.G, p, per, out)
	if err != nil {
		return err
	}
	defer db.Close()
	step := func(n int, what string) {
		if st.ShowProgress() {
			fmt.Fprintf(st.ErrOut, "[%d/4] %s…\n", n, what)
		}
	}

	// 1. Templates.
	step(1, "生成填报模板")
	deadline := per.End().AddDate(0, 0, 10).Format("2006-01-02")
	if per.String() == demoPeriod {
		deadline = demoDeadline
	}
	topt := templates.Options{Period: per, Deadline: deadline, Contact: plannerContact(p), Now: demoIssued}
	tdir := filepath.Join(out, demoTemplates)
	written, err := templates.WriteAll(tdir, p, p.LeadDepts(), topt)
	if err != nil {
		return err
	}

	// 2. Returns.
	step(2, "模拟各部门填报")
	rdir := filepath.Join(out, demoReturns)
	sopt := simulate.Options{Period: per, Seed: demoSeed, Faults: demoFaults, Missing: 1, Deadline: deadline, Now: demoIssued}
	man, err := simulate.Run(p, tdir, rdir, sopt)
	if err != nil {
		return err
	}
	story, err := demoStory(p, man, rdir, topt, sopt)
	if err != nil {
		return err
	}
	// The 区县's templates join the departments' once the departments'
	// returns are made (simulate fills every template it finds), and the
	// 区县 fill theirs by their own rule.
	if len(p.ReportingDistricts()) > 0 {
		units := []plan.Unit{}
		for _, d := range p.LeadDepts() {
			units = append(units, d.Unit())
		}
		for _, d := range p.ReportingDistricts() {
			units = append(units, d.Unit())
		}
		if written, err = templates.WriteUnits(tdir, p, units, topt); err != nil {
			return err
		}
	}
	dstory, err := demoDistricts(p, tdir, filepath.Join(rdir, simulate.ReturnsDir), topt)
	if err != nil {
		return err
	}
	story = append(story, dstory...)

	// 3. Collect.
	step(3, "收集、校验并汇总")
	inbox := filepath.Join(rdir, simulate.ReturnsDir)
	collected := time.Date(per.Year, demoReport.Month(), demoReport.Day()-2, 9, 0, 0, 0, demoIssued.Location())
	if err := demoTouch(inbox, collected); err != nil {
		return err
	}
	res, err := demoCollect(db, p, per, inbox, filepath.Join(out, demoCollected), collected)
	if err != nil {
		return err
	}
	story = append(yearStory, story...)

	// 4. Reports.
	step(4, "生成进度报告和简报")
	hist, err := yearOf(db, p, res.Round)
	if err != nil {
		return err
	}
	b := report.Compute(p, res.Round, report.Options{Date: demoReport, Deadline: deadline, Issue: hist.IssueOf(per), History: hist})
	ddir := filepath.Join(out, demoReports)
	xlsx := filepath.Join(ddir, per.String()+"_进度报告.xlsx")
	pdf := filepath.Join(ddir, per.String()+"_简报.pdf")
	if err := safefile.Write(xlsx, func(w io.Writer) error { return reportxlsx.Write(w, b) }); err != nil {
		return err
	}
	if err := safefile.Write(pdf, func(w io.Writer) error { return reportpdf.Write(w, b, nil) }); err != nil {
		return err
	}
	word := filepath.Join(ddir, per.String()+"_通报.docx")
	if err := safefile.Write(word, func(w io.Writer) error { return reportdocx.Write(w, b) }); err != nil {
		return err
	}

	printDemo(w, p, b, res, len(written), story, out, pdf, xlsx, word)
	return nil
}

// demoStoryLine is one thing the demo made happen beyond plain filling.
type demoStoryLine struct{ Dept, What string }

// demoStory stages what a real round has besides clean returns: a department
// that first used the wrong template and sent again, and one whose return
// arrives in a zip made on Chinese Windows (GBK member names).
func demoStory(p *plan.Plan, man *simulate.Manifest, rdir string, topt templates.Options, sopt simulate.Options) ([]demoStoryLine, error) {
	var story []demoStoryLine
	missing := map[string]bool{}
	for _, m := range man.Missing {
		missing[m.Dept] = true
		if d, ok := p.Dept(m.Dept); ok {
			story = append(story, demoStoryLine{d.Short, "未报送"})
		}
	}
	// Pick two departments with clean returns, the same ones every run.
	var clean []simulate.Return
	for _, r := range man.Returns {
		if len(r.Faults) == 0 && !missing[r.Dept] {
			clean = append(clean, r)
		}
	}
	sort.Slice(clean, func(i, j int) bool { return clean[i].Dept < clean[j].Dept })
	if len(clean) < 2 {
		return story, nil
	}
	resend, zipped := clean[0], clean[len(clean)-1]
	rd, _ := p.Dept(resend.Dept)
	zd, _ := p.Dept(zipped.Dept)

	// The first send used last period's template: collect rejects it, and the
	// department's second file, the right one, is accepted.
	prev := plan.Period{Year: topt.Period.Year, Span: plan.Half, N: 1}
	popt := topt
	popt.Period, popt.Deadline = prev, prev.End().AddDate(0, 0, 10).Format("2006-01-02")
	f, err := templates.Build(p, rd, popt)
	if err != nil {
		return nil, err
	}
	first := filepath.Join(rdir, simulate.ReturnsDir, strings.TrimSuffix(filepath.Base(resend.File), ".xlsx")+"（初次报送）.xlsx")
	sp := sopt
	sp.Period, sp.Faults = prev, 0
	if _, err := simulate.Fill(f, p, sp, filepath.Base(first)); err != nil {
		f.Close()
		return nil, err
	}
	err = safefile.Write(first, func(w io.Writer) error { return f.Write(w) })
	f.Close()
	if err != nil {
		return nil, err
	}
	story = append(story, demoStoryLine{rd.Short, "初次报送误用上半年模板被退回，随后重新报送"})

	// The zipped return: the file moves into an archive whose member name is
	// GBK-encoded, as Windows' built-in zip does on a Chinese system.
	zsrc := filepath.Join(rdir, filepath.FromSlash(zipped.File))
	data, err := os.ReadFile(zsrc)
	if err != nil {
		return nil, err
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(filepath.Base(zsrc))
	if err != nil {
		return nil, fmt.Errorf("无法把文件名 %s 转为 GBK：%v", filepath.Base(zsrc), err)
	}
	zpath := filepath.Join(rdir, simulate.ReturnsDir, zd.Short+"报送材料.zip")
	err = safefile.Write(zpath, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		h := &zip.FileHeader{Name: gbk, Method: zip.Deflate, NonUTF8: true, Modified: demoIssued.AddDate(0, 0, 12)}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return nil, err
	}
	if err := os.Remove(zsrc); err != nil {
		return nil, err
	}
	story = append(story, demoStoryLine{zd.Short, "报表装在 zip 压缩包中（GBK 编码文件名）"})
	return story, nil
}

func printDemo(w io.Writer, p *plan.Plan, b *report.Brief, res *workbook.Result, nTemplates int, story []demoStoryLine, out, pdf, xlsx, word string) {
	h := b.Headline
	fmt.Fprintf(w, "演示完成：%s，%s\n\n", p.Title, b.Meta.PeriodLabel)
	fmt.Fprintf(w, "填报模板 %d 份；报送率 %s（%d/%d 个单位）", nTemplates, report.Percent(h.SubmitRate), h.DeptsIn, h.DeptsExpected)
	if h.OnTimeRate != nil {
		fmt.Fprintf(w, "，按时报送率 %s", report.Percent(*h.OnTimeRate))
	}
	fmt.Fprintln(w)
	var parts []string
	for _, c := range h.ByStatus {
		parts = append(parts, fmt.Sprintf("%s %d", c.Status, c.Count))
	}
	fmt.Fprintf(w, "目标任务 %d 项：%s\n", h.Targets, strings.Join(parts, "，"))
	fmt.Fprintf(w, "校验发现错误 %d 处、警告 %d 处，已为 %d 份报表生成反馈表\n", h.Errors, h.Warnings, len(res.Feedback))
	for _, s := range story {
		fmt.Fprintf(w, "  · %s：%s\n", s.Dept, s.What)
	}
	if ds := b.Districts; ds != nil {
		fmt.Fprintf(w, "区县 %d 个：已报送 %d 个，未报送 %d 个；分解到区县的指标 %d 项，区县合计与全市数口径不一致 %d 项",
			ds.Expected, ds.Submitted, len(ds.Missing), len(ds.Consistency), ds.Inconsistent)
		if ds.Example {
			fmt.Fprint(w, "（分解任务为示例）")
		}
		fmt.Fprintln(w)
	}
	if n := min(3, len(b.Behind)); n > 0 {
		fmt.Fprintln(w, "\n最滞后的指标：")
		for i, r := range b.Behind[:n] {
			fmt.Fprintf(w, "  %d. %s（%s，%s）：%s\n", i+1, r.Indicator, r.Dept, r.Status, r.Account)
		}
	}
	fmt.Fprintf(w, "\n领导简报：%s\n通报（Word）：%s\n进度报告：%s\n汇总数据：%s\n\n", pdf, word, xlsx, filepath.Join(out, demoCollected, workbook.RoundFile))
	fmt.Fprintf(w, "往期：%s（一季度、上半年的报送和汇总结果）；全年数据库：%s（planrep --db %s history 查看）\n\n",
		filepath.Join(out, demoEarlier), filepath.Join(out, demoStore), filepath.Join(out, demoStore))
	fmt.Fprintf(w, "已写入 %s：\n", out)
	printTree(w, out)
}

// printTree lists the demo's folders under root: each file, or a count where
// a folder holds many. Other files in root are not the demo's and not shown.
func printTree(w io.Writer, root string) {
	const many = 6
	type item struct {
		name string
		dir  string // the folder to descend into, "" for a file
	}
	var walk func(items []item, indent string)
	list := func(dir string) []item {
		entries, _ := os.ReadDir(dir)
		var dirs, files []item
		for _, e := range entries {
			switch {
			case strings.HasPrefix(e.Name(), "."):
			case e.IsDir():
				dirs = append(dirs, item{e.Name() + "/", filepath.Join(dir, e.Name())})
			default:
				files = append(files, item{name: e.Name()})
			}
		}
		if len(files) > many {
			n := len(files)
			files = append(files[:many-1], item{name: fmt.Sprintf("…（共 %d 个文件）", n)})
		}
		return append(dirs, files...)
	}
	walk = func(items []item, indent string) {
		for i, it := range items {
			branch, next := "├── ", "│   "
			if i == len(items)-1 {
				branch, next = "└── ", "    "
			}
			fmt.Fprintf(w, "%s%s%s\n", indent, branch, it.name)
			if it.dir != "" {
				walk(list(it.dir), indent+next)
			}
		}
	}
	fmt.Fprintf(w, "%s/\n", root)
	var top []item
	for _, sub := range demoFolders {
		top = append(top, item{sub + "/", filepath.Join(root, sub)})
	}
	walk(top, "")
}
