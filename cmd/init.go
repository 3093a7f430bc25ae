package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"planrep/internal/safefile"
	"planrep/plan"
	"planrep/seeds"
	"planrep/store"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdInit(g, nil) })
}

// The files init --from leaves in 计划/.
const (
	draftPlan = "plan.yaml"
	draftBook = "任务分工表.xlsx"
)

// InitOptions are the inputs of `init`.
type InitOptions struct {
	G       *Globals
	Dir     string // the workspace's folder; "" is the working folder
	From    string // --from: a plan's text to draft the registry from
	Office  string // --office
	Contact string // --contact
	Year    int    // --year, with --from
}

// NewCmdInit builds `init`; runF replaces the run function in tests.
func NewCmdInit(g *Globals, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{G: g}
	c := &cobra.Command{
		Use:   "init [文件夹]",
		Short: "创建工作区：设置文件、模板/收件箱/汇总/报告文件夹、数据库和使用说明",
		Long: `在指定文件夹（默认当前文件夹）创建 planrep 工作区，全年在这一个文件夹里工作：

  planrep.yaml   工作区设置：计划登记表、数据库、组织填报单位及联系方式、截止日期规则、
                 通报的报送和抄送单位、默认报送单位（文件中有逐项说明，可直接修改）
  模板/          planrep templates 按报告期写入 模板/<报告期>/
  收件箱/        各单位报送的文件原样放在这里，全年不必分期
  汇总/          planrep collect 按报告期写入 汇总/<报告期>/
  报告/          planrep report 按报告期写入 报告/<报告期>/
  planrep.db     本年度数据库（空库，collect 每次运行都记入）
  使用说明.txt   每期的操作步骤

在工作区及其子文件夹中运行 planrep 时，各命令自动找到 planrep.yaml 并以其为默认值，命令行选项
优先；planrep config 显示每项设置的取值和来源，planrep status 显示本期进展和下一步。

不指定 --from 时使用内置的《淄博市2025年国民经济和社会发展计划》。指定 --from 计划原文（.txt 或
.docx）时，先从原文提取量化指标，在 计划/ 中写入登记表草稿 plan.yaml、计划原文和任务分工表，
并说明审核草稿的步骤。

已有工作区（文件夹中已有 planrep.yaml）时不作任何改动。

退出码：0 成功；2 无法运行（已是工作区、计划原文无法读取、文件夹无法写入）。`,
		Example: `  planrep init
  planrep init 2025年计划跟踪 --office 淄博市发展和改革委员会 --contact "计划科 0533-3180000"
  planrep init 2026 --from 2026年计划.docx`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return errors.New("只能指定一个文件夹，例如：planrep init 2025年计划跟踪")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	c.Flags().StringVar(&opts.From, "from", "", "从计划原文（.txt 或 .docx）起草登记表")
	c.Flags().StringVar(&opts.Office, "office", "", "组织填报的单位全称，印在报告上（默认取登记表中的计划主管部门）")
	c.Flags().StringVar(&opts.Contact, "contact", "", "印在填报模板上的联系方式，如“计划科 0533-3180000”")
	c.Flags().IntVar(&opts.Year, "year", 0, "计划年度（与 --from 同用；默认从原文标题判断）")
	return c
}

func initRun(opts *InitOptions) error {
	g := opts.G
	w := g.IO.Out
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if st, err := os.Stat(root); err == nil && !st.IsDir() {
		return fmt.Errorf("%s 是文件，不是文件夹：请指定一个文件夹", dir)
	}
	if _, err := os.Stat(filepath.Join(root, SettingsFile)); err == nil {
		return fmt.Errorf("%s 已是 planrep 工作区（其中已有 %s），未作任何改动。查看设置请运行 planrep config，查看进展请运行 planrep status", dirShown(root), SettingsFile)
	}
	if opts.From != "" {
		if _, err := os.Stat(opts.From); err != nil {
			return fmt.Errorf("无法读取计划原文 %s：请确认文件存在（.txt 或 .docx）", opts.From)
		}
	}
	ws := &Workspace{Root: root}
	// Refuse before writing anything when a file init would write is there.
	var clash []string
	for _, f := range []string{GuideFile, defaultStore} {
		if _, err := os.Lstat(ws.Path(f)); err == nil {
			clash = append(clash, f)
		}
	}
	if opts.From != "" {
		for _, f := range []string{draftPlan, draftBook} {
			if _, err := os.Lstat(ws.Path(DirPlan, f)); err == nil {
				clash = append(clash, filepath.Join(DirPlan, f))
			}
		}
	}
	if len(clash) > 0 {
		return fmt.Errorf("%s 中已有 %s：为免覆盖，未作任何改动。请换一个空文件夹，或先移走这些文件", dirShown(root), strings.Join(clash, "、"))
	}
	_, statErr := os.Stat(root)
	madeRoot := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("无法创建文件夹 %s：%v", dir, err)
	}

	var p *plan.Plan
	s := Settings{Store: defaultStore, Deadline: DeadlineRule{DaysAfter: deadlineDays}}
	if opts.From != "" {
		if p, err = initDraft(opts, ws); err != nil {
			// Nothing of a workspace is left behind by a failed draft.
			if madeRoot {
				os.RemoveAll(root)
			}
			return err
		}
		s.Plan = DirPlan + "/" + draftPlan
	} else {
		if g.PlanFile != "" {
			return errors.New("init 不使用 --plan：不指定 --from 时使用内置计划；其他计划请用 --from 指定计划原文，或创建后在 planrep.yaml 中修改 plan")
		}
		if p, _, err = seeds.Default(); err != nil {
			return err
		}
	}
	s.Office.Name = strings.TrimSpace(opts.Office)
	if s.Office.Name == "" {
		s.Office.Name = plannerName(p)
	}
	s.Office.Contact = strings.TrimSpace(opts.Contact)
	if s.Office.Contact == "" && opts.From == "" {
		s.Office.Contact = plannerContact(p)
	}

	for _, d := range []string{DirTemplates, DirInbox, DirCollected, DirReports} {
		if err := os.MkdirAll(ws.Path(d), 0o755); err != nil {
			return fmt.Errorf("无法创建文件夹 %s：%v", ws.Path(d), err)
		}
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	// An empty store, so that the year's first collect finds it.
	st, err := store.Open(ws.StorePath(), store.Options{Create: true})
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	if err := safefile.WriteBytes(ws.Path(GuideFile), []byte(guideText(p, s, opts.From != "", now()))); err != nil {
		return fmt.Errorf("无法写入 %s：%v", GuideFile, err)
	}
	// The settings go last: a workspace is one once planrep.yaml is there.
	if err := safefile.WriteBytes(ws.File(), []byte(settingsText(s, now()))); err != nil {
		return fmt.Errorf("无法写入 %s：%v", SettingsFile, err)
	}
	printInit(w, ws, p, s, opts)
	return nil
}

// initDraft runs extract into 计划/: the draft registry, the plan's text
// beside it and the review workbook.
func initDraft(opts *InitOptions, ws *Workspace) (*plan.Plan, error) {
	eo := &ExtractOptions{
		G:      opts.G,
		Input:  opts.From,
		Output: ws.Path(DirPlan, draftPlan),
		XLSX:   ws.Path(DirPlan, draftBook),
		Year:   opts.Year,
	}
	_, statErr := os.Stat(ws.Path(DirPlan))
	madeDir := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(ws.Path(DirPlan), 0o755); err != nil {
		return nil, fmt.Errorf("无法创建文件夹 %s：%v", ws.Path(DirPlan), err)
	}
	if err := extractRun(eo); err != nil {
		if madeDir {
			os.RemoveAll(ws.Path(DirPlan))
		}
		return nil, err
	}
	abs := ws.Path(DirPlan, draftPlan)
	p, _, err := plan.Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if err != nil {
		return nil, fmt.Errorf("登记表草稿 %s 无法读取：%v", abs, err)
	}
	fmt.Fprintln(opts.G.IO.Out)
	return p, nil
}

// plannerName is the full name of the plan's planning office when the
// roster lists it, else the name the plan gives.
func plannerName(p *plan.Plan) string {
	for _, d := range p.Depts {
		if p.Planner != "" && (d.Short == p.Planner || d.Name == p.Planner) {
			return d.Name
		}
	}
	return p.Planner
}

// yamlString quotes s as YAML needs it.
func yamlString(s string) string {
	b, _ := yaml.Marshal(s)
	return strings.TrimSpace(string(b))
}

func settingsText(s Settings, now time.Time) string {
	units := "[]"
	if len(s.Units) > 0 {
		var q []string
		for _, u := range s.Units {
			q = append(q, yamlString(u))
		}
		units = "[" + strings.Join(q, ", ") + "]"
	}
	return fmt.Sprintf(`# planrep 工作区设置（planrep init 创建于 %s）
#
# 在本文件夹及其子文件夹中运行 planrep 时，各命令从这里取默认值。命令行选项和
# 环境变量（PLANREP_PLAN、PLANREP_DB 等）优先；planrep config 显示每项设置的取值和来源。
# 路径相对于本文件夹。

# 计划目标任务登记表；留空则使用内置的《淄博市2025年国民经济和社会发展计划》。
plan: %s

# 本年度数据库：每次汇总、每个报送文件和每条问题都记在这里。
store: %s

# 组织填报的单位：name 作为编发单位印在报告上，contact 作为联系方式印在每份填报模板上。
office:
  name: %s
  contact: %s

# 报送截止日期：报告期结束后第几天（10 表示 2025Q3 的截止日期为 2025-10-10）。
deadline:
  days_after_period: %d

# 通报的报送、抄送单位，如 submit_to: 市委、市政府领导，copy_to: 各区县发展改革局。
report:
  submit_to: %s
  copy_to: %s

# 默认报送单位：部门代码、简称或全称，如 [FGW, 市商务局]；留空为全部牵头单位。
units: %s
`, now.Format("2006-01-02"), yamlString(s.Plan), yamlString(s.Store), yamlString(s.Office.Name), yamlString(s.Office.Contact),
		s.Deadline.DaysAfter, yamlString(s.Report.SubmitTo), yamlString(s.Report.CopyTo), units)
}

// guideText is 使用说明.txt: the steps of a year, in the office's words.
func guideText(p *plan.Plan, s Settings, draft bool, now time.Time) string {
	var b strings.Builder
	year := p.Year
	office := s.Office.Name
	if office == "" {
		office = "计划主管部门"
	}
	fmt.Fprintf(&b, "planrep 工作区使用说明\n\n")
	fmt.Fprintf(&b, "本文件夹是%s跟踪《%s》执行进度的工作区，%s由 planrep init 创建。\n", office, p.Title, now.Format("2006年1月2日"))
	fmt.Fprintf(&b, "在本文件夹或其中任何子文件夹中运行 planrep，各命令都会找到这里的设置（planrep.yaml）。\n\n")
	b.WriteString("一、文件夹\n")
	rows := [][2]string{{SettingsFile, "工作区设置：计划登记表、数据库、组织填报单位及联系方式、截止日期规则、"},
		{"", "通报的报送和抄送单位、默认报送单位（文件中有逐项说明）"}}
	if draft {
		rows = append(rows, [2]string{DirPlan + "/", "登记表草稿 " + draftPlan + "、计划原文和任务分工表 " + draftBook})
	}
	rows = append(rows,
		[2]string{DirTemplates + "/<报告期>/", "planrep templates 生成的填报模板和发放清单"},
		[2]string{DirInbox + "/", "各单位报送回来的文件（邮件附件、压缩包等）原样放在这里，不必改名，也不必分期"},
		[2]string{DirCollected + "/<报告期>/", "planrep collect 写出的汇总数据、校验结果和反馈表"},
		[2]string{DirReports + "/<报告期>/", "planrep report 写出的进度报告和领导简报"},
		[2]string{s.Store, "本年度数据库：每次汇总、每个报送文件、每个数值和每条问题都记在这里"})
	for _, r := range rows {
		fmt.Fprintf(&b, "  %s%s  %s\n", r[0], strings.Repeat(" ", 16-displayWidth(r[0])), r[1])
	}
	b.WriteString("\n")
	n := 2
	if draft {
		b.WriteString("二、开始之前：审核登记表草稿\n")
		fmt.Fprintf(&b, "  1. 用 Excel 或 WPS 打开 %s/%s：在“部门”表中核对部门名单（代码、全称、简称、联系人），\n", DirPlan, draftBook)
		b.WriteString("     在“指标”表中逐项核对指标名称、目标值、单位和牵头部门（草稿中的牵头部门是按职责关键词给出的建议），\n")
		b.WriteString("     补充重点任务。\n")
		fmt.Fprintf(&b, "  2. 导回登记表：planrep plan import %s/%s -o %s/%s\n", DirPlan, draftBook, DirPlan, draftPlan)
		b.WriteString("  3. 检查登记表：planrep plan check（每项指标的原文出处、部门、数值都会核对）\n\n")
		n = 3
	}
	fmt.Fprintf(&b, "%s、每期的步骤（以%d年前三季度为例）\n", chineseNumber(n), year)
	fmt.Fprintf(&b, "  1. 生成模板：planrep templates --period %dQ3\n", year)
	fmt.Fprintf(&b, "     把 %s/%dQ3/ 中的表格发给各单位；发放清单.xlsx 列出每个单位的文件和截止日期。\n", DirTemplates, year)
	fmt.Fprintf(&b, "  2. 收到报送：把文件放进 %s/，运行 planrep collect。可以反复运行；\n", DirInbox)
	fmt.Fprintf(&b, "     把 %s/%dQ3/反馈/ 中的反馈表发回有问题的单位，改好后重新报送。\n", DirCollected, year)
	b.WriteString("  3. 随时查看进展：planrep status（已报送和未报送的单位、未解决的问题、下一步做什么）。\n")
	fmt.Fprintf(&b, "  4. 全部报送且没有错误后：planrep report，进度报告和简报写到 %s/%dQ3/。\n\n", DirReports, year)
	fmt.Fprintf(&b, "%s、其他\n", chineseNumber(n+1))
	b.WriteString("  planrep config          查看每项设置当前的取值和来源\n")
	b.WriteString("  planrep plan show       概览登记表；planrep findings 列出全部校验问题代码\n")
	b.WriteString("  planrep --help          查看全部命令；planrep 命令 --help 查看某个命令的说明\n")
	fmt.Fprintf(&b, "  报告期%s\n", plan.PeriodForms(year))
	return b.String()
}

func chineseNumber(n int) string {
	return [...]string{"零", "一", "二", "三", "四", "五"}[n]
}

func printInit(w io.Writer, ws *Workspace, p *plan.Plan, s Settings, opts *InitOptions) {
	fmt.Fprintf(w, "已创建工作区 %s\n", dirShown(ws.Root))
	fmt.Fprintf(w, "  计划：%s（%d 年）", p.Title, p.Year)
	if s.Plan == "" {
		fmt.Fprint(w, "，使用内置登记表")
	} else {
		fmt.Fprintf(w, "，登记表草稿 %s", s.Plan)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  设置：%s；说明：%s；数据库：%s\n", SettingsFile, GuideFile, s.Store)
	fmt.Fprintf(w, "  文件夹：%s/ %s/ %s/ %s/\n", DirTemplates, DirInbox, DirCollected, DirReports)
	if s.Office.Name == "" || s.Office.Contact == "" {
		var miss []string
		if s.Office.Name == "" {
			miss = append(miss, "office.name（组织填报的单位全称）")
		}
		if s.Office.Contact == "" {
			miss = append(miss, "office.contact（印在模板上的联系方式）")
		}
		fmt.Fprintf(w, "  请在 %s 中填写 %s。\n", SettingsFile, strings.Join(miss, "、"))
	}
	fmt.Fprintln(w, "\n下一步：")
	if opts.Dir != "" && ws.Root != mustAbs(".") {
		fmt.Fprintf(w, "  cd %s\n", rel(ws.Root))
	}
	if s.Plan != "" {
		if len(p.LeadDepts()) > 0 {
			fmt.Fprintf(w, "  1. 用 Excel 或 WPS 打开 %s/%s，逐项核对指标和建议的牵头部门，补充部门联系人和重点任务；\n", DirPlan, draftBook)
		} else {
			fmt.Fprintf(w, "  1. 用 Excel 或 WPS 打开 %s/%s，填写部门名单，为每项指标选择牵头部门，补充重点任务；\n", DirPlan, draftBook)
		}
		fmt.Fprintf(w, "  2. planrep plan import %s/%s -o %s/%s\n", DirPlan, draftBook, DirPlan, draftPlan)
		fmt.Fprintln(w, "  3. planrep plan check")
		fmt.Fprintf(w, "  4. planrep templates --period %dQ1\n", p.Year)
		return
	}
	fmt.Fprintf(w, "  planrep templates --period %dQ3（报告期按需要选择），把 %s/<报告期>/ 中的表格发给各单位。\n", p.Year, DirTemplates)
	fmt.Fprintf(w, "  详细步骤见 %s。\n", GuideFile)
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
