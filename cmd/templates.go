package cmd

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"planrep/plan"
	"planrep/templates"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdTemplates(g, nil) })
}

// deadlineDays is how long after a period's end returns are due by default.
const deadlineDays = 10

// TemplatesOptions are the inputs of `templates`.
type TemplatesOptions struct {
	G        *Globals
	Period   string
	Out      string   // output folder; "" means ./templates-<period>/
	Depts    []string // unit codes (departments or 区县); empty means every unit of Units
	Units    string   // depts, districts or all
	Deadline string   // YYYY-MM-DD; "" means the period's end + deadlineDays
	Contact  string   // "" means the plan's planner, with its contact and phone when the roster has them
	URL      string   // the web intake's address: 发放清单 lists each unit's link
}

// NewCmdTemplates builds `templates`; runF replaces the run function in tests.
func NewCmdTemplates(g *Globals, runF func(*TemplatesOptions) error) *cobra.Command {
	opts := &TemplatesOptions{G: g}
	c := &cobra.Command{
		Use:   "templates --period 报告期",
		Short: "为各牵头部门和区县生成 Excel 填报模板和发放清单",
		Long: `为每个牵头部门生成一份 Excel 填报模板（<报告期>_<部门简称>_<部门代码>.xlsx），并生成“发放清单.xlsx”
（填报单位、文件名、指标数、截止日期、类别），把模板发给各单位即可。

--units 选择填报单位：depts 为牵头部门（默认），districts 为承担分解任务或区县目标的区县（功能区），
all 为两者。区县模板与部门模板格式和自查规则相同，“年度目标”为下达该区县的分解任务或区县目标，
“目标表述”注明全市目标；登记表中的分解为示例时，模板各处标注“示例”。

每份模板包含：
  填报说明  报告期及数据口径、报送截止日期、联系方式、各类指标的填法和颜色说明；
  指标进度  本部门牵头的量化指标，浅黄色单元格填写本期完成值、进展情况、存在问题和下步措施，
            完成进度、序时进度和“自查”提示随填写自动生成；
  重点任务  本部门牵头的重点任务，从下拉列表选择进展状态并填写进展情况。
固定内容已锁定（工作表保护，无密码），隐藏的模板标识供回收时核对部门、报告期和指标是否被改动。

不指定 -o 时写到当前目录下的 templates-<报告期>/ 文件夹，在工作区中写到 模板/<报告期>/；
已有同名文件会被替换。
不指定 --deadline 时，截止日期为报告期结束后第 10 天（如 2025Q3 为 2025-10-10），工作区可另行设定天数。
不指定 --contact 时，联系方式取工作区设置，否则为登记表中的计划主管部门（planner）及其联系人和电话。
使用网上报送（planrep serve）时，加 --url 服务地址，发放清单中会列出各单位的专用报送链接。
不指定 --dept 时，为工作区设置的默认报送单位生成，否则为全部牵头部门。

退出码：0 成功；2 参数错误或文件无法写入。`,
		Example: `  planrep templates --period 2025Q3
  planrep templates --period 2025Q3 -o ./发放 --deadline 2025-10-15
  planrep templates --period 2025H1 --dept SWJ,GXJ --contact "市发展改革委 计划科 0533-3180000"
  planrep templates --period 2025Q3 --units all
  planrep templates --period 2025Q3 --dept ZHANGDIAN,LINZI`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return templatesRun(opts)
		},
	}
	c.Flags().StringVar(&opts.Period, "period", "", "报告期：2025Q3（前三季度）、2025H1（上半年）、2025M09（1-9月）或 2025（全年）")
	c.Flags().StringVarP(&opts.Out, "output", "o", "", "输出文件夹（默认 ./templates-<报告期>/，工作区中为 模板/<报告期>/）")
	c.Flags().StringSliceVar(&opts.Depts, "dept", nil, "只为这些部门或区县生成：代码、简称或全称，用逗号分隔，如 SWJ,市工业和信息化局,张店区")
	c.Flags().StringVar(&opts.Units, "units", unitsDepts, "填报单位：depts（牵头部门）、districts（区县）或 all（两者）")
	c.Flags().StringVar(&opts.Deadline, "deadline", "", "报送截止日期，如 2025-10-10（默认报告期结束后第 10 天）")
	c.Flags().StringVar(&opts.Contact, "contact", "", "模板中写明的联系方式（默认计划主管部门及其联系人、电话）")
	c.Flags().StringVar(&opts.URL, "url", "", "网上报送（planrep serve）的访问地址，如 http://10.1.2.3:8080：发放清单中列出各单位的专用报送链接")
	return c
}

func templatesRun(opts *TemplatesOptions) error {
	if strings.TrimSpace(opts.Period) == "" {
		return periodMissing(opts.G, "")
	}
	per, err := plan.ParsePeriod(opts.Period)
	if err != nil {
		return err
	}
	p, err := opts.G.LoadSoundPlan()
	if err != nil {
		return err
	}
	if per.Year != p.Year {
		return periodOutOfYear(per, p.Year)
	}
	days, _, err := opts.G.deadlineDays()
	if err != nil {
		return err
	}
	deadline := strings.TrimSpace(opts.Deadline)
	if deadline == "" {
		deadline = per.End().AddDate(0, 0, days).Format("2006-01-02")
	} else if d, err := time.Parse("2006-01-02", deadline); err != nil {
		return fmt.Errorf("截止日期 %q 无法识别：请写成 2025-10-10 这样的日期", opts.Deadline)
	} else if d.Before(per.End()) {
		return fmt.Errorf("截止日期 %s 早于报告期结束（%s）：请检查 --deadline", deadline, per.End().Format("2006-01-02"))
	}
	want := opts.Depts
	if len(want) == 0 {
		if want, _, err = opts.G.units(); err != nil {
			return err
		}
	}
	units, note, err := pickUnits(p, opts.Units, want)
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintln(opts.G.IO.ErrOut, note)
	}
	if len(units) == 0 {
		switch opts.Units {
		case unitsDistricts:
			return fmt.Errorf("登记表中没有承担分解任务或区县目标的区县，无需生成区县模板：请先在登记表中填写区县名单（districts）和分解任务（quotas）")
		default:
			return fmt.Errorf("登记表中没有牵头任何指标的部门，无需生成模板")
		}
	}
	c, err := opts.G.setting("office.contact", opts.Contact)
	if err != nil {
		return err
	}
	contact := c.Value
	if contact == "" {
		contact = plannerContact(p)
	}
	out := opts.Out
	if out == "" {
		out = "templates-" + per.String()
		if ws, _ := opts.G.Workspace(); ws != nil {
			out = rel(ws.Path(DirTemplates, per.String()))
		}
	}
	now := time.Now
	if opts.G.Now != nil {
		now = opts.G.Now
	}
	links, err := unitLinks(opts.G, p, opts.URL)
	if err != nil {
		return err
	}
	ws, err := templates.WriteUnits(out, p, units, templates.Options{Period: per, Deadline: deadline, Contact: contact, Now: now(), Links: links})
	if err != nil {
		return err
	}
	w := opts.G.IO.Out
	fmt.Fprintf(w, "已生成 %d 份填报模板（%s，截止 %s），保存在 %s：\n\n", len(ws), per.Label(), deadline, filepath.Clean(out)+string(filepath.Separator))
	t := &table{head: []string{"填报单位", "类别", "代码", "文件名", "量化指标", "重点任务"}, right: map[int]bool{4: true, 5: true}}
	totalQ, totalM, districts := 0, 0, 0
	for _, x := range ws {
		q := 0
		if x.Kind == plan.UnitDistrict {
			districts++
		}
		for _, tg := range p.UnitTargets(x.Dept.Code) {
			if tg.Kind.Quantitative() {
				q++
			}
		}
		totalQ, totalM = totalQ+q, totalM+x.Targets-q
		t.add(x.Dept.Short, x.Kind.Label(), x.Dept.Code, filepath.Base(x.File), fmt.Sprint(q), fmt.Sprint(x.Targets-q))
		if x.Targets == 0 {
			fmt.Fprintf(opts.G.IO.ErrOut, "提示：%s（%s）没有需要填报的指标，其模板只有填报说明和空表。\n", x.Dept.Short, x.Dept.Code)
		}
	}
	t.add("合计", "", "", "", fmt.Sprint(totalQ), fmt.Sprint(totalM))
	t.write(w)
	if districts > 0 && p.Split != nil && p.Split.Example {
		fmt.Fprintf(opts.G.IO.ErrOut, "提示：区县模板中的分解任务为示例（%s），正式下发前请在登记表中换成正式的分解任务。\n", p.Split.Rule)
	}
	fmt.Fprintf(w, "\n发放清单：%s\n联系方式：%s\n", filepath.Join(out, templates.RosterFile), contact)
	return nil
}

// Choices of --units.
const (
	unitsDepts     = "depts"
	unitsDistricts = "districts"
	unitsAll       = "all"
)

// pickUnits resolves --dept (codes in any case, short or full names of
// departments or 区县, see matchUnits), or with none every unit --units
// names: lead departments, 区县 that carry a quota or an own target, or
// both, departments first. note says which unit each name was taken for.
func pickUnits(p *plan.Plan, units string, names []string) (out []plan.Unit, note string, err error) {
	var depts, districts bool
	switch strings.ToLower(strings.TrimSpace(units)) {
	case unitsDepts, "":
		depts = true
	case unitsDistricts:
		districts = true
	case unitsAll:
		depts, districts = true, true
	default:
		return nil, "", fmt.Errorf("--units %q 无法识别：请写 depts（牵头部门）、districts（区县）或 all（两者）", units)
	}
	if len(names) > 0 {
		ms, err := matchUnits(p, names, "--dept")
		if err != nil {
			return nil, "", err
		}
		want := map[string]bool{}
		var notes []string
		for _, m := range ms {
			want[m.Unit.Code] = true
			if m.By == "代码" {
				notes = append(notes, m.Unit.String())
			} else {
				notes = append(notes, fmt.Sprintf("“%s”→%s", m.Query, m.Unit))
			}
		}
		for _, d := range p.Depts {
			if want[d.Code] {
				out = append(out, d.Unit())
			}
		}
		for _, d := range p.Districts {
			if want[d.Code] {
				out = append(out, d.Unit())
			}
		}
		return out, "选定的单位：" + strings.Join(notes, "、"), nil
	}
	if depts {
		for _, d := range p.LeadDepts() {
			out = append(out, d.Unit())
		}
	}
	if districts {
		for _, d := range p.ReportingDistricts() {
			out = append(out, d.Unit())
		}
	}
	return out, "", nil
}

// plannerContact is the planning office with its contact person and phone
// when the roster lists the planner as a department.
func plannerContact(p *plan.Plan) string {
	c := p.Planner
	for _, d := range p.Depts {
		if d.Short == p.Planner || d.Name == p.Planner {
			for _, s := range []string{d.Contact, d.Phone} {
				if s != "" {
					c += " " + s
				}
			}
			break
		}
	}
	return strings.TrimSpace(c)
}
