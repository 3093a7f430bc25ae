package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdConfig(g, nil) })
}

// Where an effective setting came from, strongest first: a flag on the
// command line, an environment variable, the workspace's planrep.yaml, the
// built-in default.
type source int

const (
	fromDefault source = iota
	fromWorkspace
	fromEnv
	fromFlag
)

// setting is one thing a user may set in more than one place.
type setting struct {
	key   string // its name in planrep.yaml
	label string // what users call it
	flag  string // the option that overrides it, with the command that has it
	env   string // the environment variable that overrides the workspace
	ws    func(*Settings) string
}

var settings = []setting{
	{"plan", "计划登记表", "--plan", "PLANREP_PLAN", func(s *Settings) string { return s.Plan }},
	{"store", "数据库", "--db", "PLANREP_DB", func(s *Settings) string { return s.Store }},
	{"office.name", "编发单位", "report --office", "PLANREP_OFFICE", func(s *Settings) string { return s.Office.Name }},
	{"office.contact", "联系方式", "templates --contact", "PLANREP_CONTACT", func(s *Settings) string { return s.Office.Contact }},
	{"deadline.days_after_period", "报送截止", "templates --deadline", "PLANREP_DEADLINE_DAYS", func(s *Settings) string {
		if s.Deadline.DaysAfter == 0 {
			return ""
		}
		return strconv.Itoa(s.Deadline.DaysAfter)
	}},
	{"report.submit_to", "报送", "report --send-to", "PLANREP_SUBMIT_TO", func(s *Settings) string { return s.Report.SubmitTo }},
	{"report.copy_to", "抄送", "report --copy-to", "PLANREP_COPY_TO", func(s *Settings) string { return s.Report.CopyTo }},
	{"units", "默认报送单位", "templates --dept", "PLANREP_UNITS", func(s *Settings) string { return strings.Join(s.Units, ",") }},
}

func settingDef(key string) setting {
	for _, s := range settings {
		if s.key == key {
			return s
		}
	}
	panic("unknown setting " + key)
}

// resolved is a setting's effective value and where it came from.
type resolved struct {
	Value  string
	Source source
	From   string // the flag, variable or file that gave it
}

// setting resolves key: flagValue (when the command line set it), else the
// environment, else the workspace. Value is "" when the default applies; the
// caller knows the default.
func (g *Globals) setting(key, flagValue string) (resolved, error) {
	def := settingDef(key)
	if strings.TrimSpace(flagValue) != "" {
		return resolved{flagValue, fromFlag, def.flag}, nil
	}
	if v := strings.TrimSpace(os.Getenv(def.env)); v != "" {
		return resolved{v, fromEnv, def.env}, nil
	}
	ws, err := g.Workspace()
	if err != nil {
		return resolved{}, err
	}
	if ws != nil {
		if v := strings.TrimSpace(def.ws(&ws.Settings)); v != "" {
			if key == "plan" || key == "store" {
				v = ws.resolve(v)
			}
			return resolved{v, fromWorkspace, ws.File()}, nil
		}
	}
	return resolved{Source: fromDefault}, nil
}

// deadlineDays is the deadline rule in effect: days after a period's end.
func (g *Globals) deadlineDays() (int, resolved, error) {
	r, err := g.setting("deadline.days_after_period", "")
	if err != nil || r.Value == "" {
		return deadlineDays, r, err
	}
	n, err := strconv.Atoi(r.Value)
	if err != nil || n < 0 || n > 366 {
		return 0, r, fmt.Errorf("%s 的取值 %q 不是有效的天数：请写 0 到 366 之间的整数，如 10", r.From, r.Value)
	}
	return n, r, nil
}

// units is the list of units templates go to by default.
func (g *Globals) units() ([]string, resolved, error) {
	r, err := g.setting("units", "")
	if err != nil || r.Value == "" {
		return nil, r, err
	}
	return splitList(r.Value), r, nil
}

// ConfigOptions are the inputs of `config`.
type ConfigOptions struct {
	G    *Globals
	JSON bool
	Root *cobra.Command // to tell whether a global flag was given
}

// NewCmdConfig builds `config`; runF replaces the run function in tests.
func NewCmdConfig(g *Globals, runF func(*ConfigOptions) error) *cobra.Command {
	opts := &ConfigOptions{G: g}
	c := &cobra.Command{
		Use:   "config",
		Short: "显示当前生效的各项设置及其来源",
		Long: `显示各项设置当前生效的取值，以及每一项来自哪里。

同一设置可以在几处指定，依次为（前者优先）：
  命令行选项    如 --plan、--db，或 templates --contact 等命令自己的选项；
  环境变量      如 PLANREP_PLAN、PLANREP_DB、PLANREP_CONTACT；
  工作区设置    从当前文件夹逐级向上找到的 planrep.yaml（planrep init 创建）；
  默认值        不在工作区时各命令原有的默认做法。

在工作区中，各命令的文件夹也取自工作区：templates 写入 模板/<报告期>/，collect 不列出报送文件时
读取 收件箱/ 并写入 汇总/<报告期>/，report 写入 报告/<报告期>/。

退出码：0 成功；2 工作区设置有误。`,
		Example: `  planrep config
  planrep --plan 其他计划/plan.yaml config
  planrep config --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Root = c.Root()
			if runF != nil {
				return runF(opts)
			}
			return configRun(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "以 JSON 格式输出")
	return c
}

// configRow is one line of `planrep config`.
type configRow struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Source string `json:"source"`         // flag, environment, workspace, default
	From   string `json:"from,omitempty"` // which flag, variable or file
}

func configRun(opts *ConfigOptions) error {
	g := opts.G
	ws, err := g.Workspace()
	if err != nil {
		return err
	}
	flagValue := func(name string) string {
		if opts.Root == nil {
			return ""
		}
		f := opts.Root.PersistentFlags().Lookup(name)
		if f == nil || !f.Changed {
			return ""
		}
		return f.Value.String()
	}
	var rows []configRow
	add := func(key string, r resolved, def string) {
		s := settingDef(key)
		row := configRow{Key: key, Label: s.label, Value: r.Value, From: r.From}
		switch r.Source {
		case fromFlag:
			row.Source = "flag"
		case fromEnv:
			row.Source = "environment"
		case fromWorkspace:
			row.Source = "workspace"
			row.From = rel(r.From)
		default:
			row.Source, row.Value = "default", def
		}
		if key == "plan" || key == "store" {
			if r.Source != fromDefault {
				row.Value = rel(row.Value)
			}
		}
		rows = append(rows, row)
	}

	r, err := g.setting("plan", flagValue("plan"))
	if err != nil {
		return err
	}
	add("plan", r, "内置计划（淄博市2025年国民经济和社会发展计划）")
	p, _, perr := g.LoadPlan()

	r, err = g.setting("store", flagValue("db"))
	if err != nil {
		return err
	}
	storeDefault := defaultStore + "（当前文件夹）"
	if ws != nil {
		storeDefault = rel(ws.StorePath())
	}
	add("store", r, storeDefault)

	officeDefault, contactDefault := "登记表中的计划主管部门（简报的发文机关）", "登记表中的计划主管部门及其联系人、电话"
	unitsDefault := "全部牵头单位"
	if perr == nil {
		officeDefault = firstNonEmptyString(plannerName(p), p.Office)
		contactDefault = plannerContact(p)
		unitsDefault = fmt.Sprintf("全部牵头单位（%d 个）", len(p.LeadDepts()))
	}
	for _, k := range []struct{ key, def string }{{"office.name", officeDefault}, {"office.contact", contactDefault}} {
		r, err := g.setting(k.key, "")
		if err != nil {
			return err
		}
		add(k.key, r, k.def)
	}
	n, r, err := g.deadlineDays()
	if err != nil {
		return err
	}
	add("deadline.days_after_period", r, "")
	rows[len(rows)-1].Value = fmt.Sprintf("报告期结束后第 %d 天", n)
	for _, key := range []string{"report.submit_to", "report.copy_to"} {
		r, err := g.setting(key, "")
		if err != nil {
			return err
		}
		add(key, r, map[string]string{"report.submit_to": "登记表中的发文机关", "report.copy_to": "市直有关部门"}[key])
	}
	units, r, err := g.units()
	if err != nil {
		return err
	}
	add("units", r, unitsDefault)
	if len(units) > 0 {
		rows[len(rows)-1].Value = strings.Join(units, "、")
	}

	folders := []configRow{
		{Key: "folders.templates", Label: "模板文件夹", Value: "templates-<报告期>/（当前文件夹下）"},
		{Key: "folders.inbox", Label: "收件箱", Value: "（collect 须列出报送文件）"},
		{Key: "folders.collected", Label: "汇总文件夹", Value: "（collect 须用 -o 指定）"},
		{Key: "folders.reports", Label: "报告文件夹", Value: "round.json 所在文件夹"},
	}
	for i, d := range []string{DirTemplates, DirInbox, DirCollected, DirReports} {
		folders[i].Source = "default"
		if ws != nil {
			folders[i].Source, folders[i].From = "workspace", rel(ws.File())
			folders[i].Value = dirShown(ws.Path(d))
			if d != DirInbox {
				folders[i].Value += "<报告期>/"
			}
		}
	}
	rows = append(rows, folders...)

	w := g.IO.Out
	if opts.JSON {
		doc := struct {
			Workspace string      `json:"workspace,omitempty"`
			Settings  []configRow `json:"settings"`
		}{Settings: rows}
		if ws != nil {
			doc.Workspace = ws.Root
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	printConfig(w, ws, rows)
	if perr != nil {
		fmt.Fprintf(g.IO.ErrOut, "注意：计划登记表无法读取：%v\n", perr)
	}
	return nil
}

func printConfig(w io.Writer, ws *Workspace, rows []configRow) {
	if ws != nil {
		fmt.Fprintf(w, "工作区：%s（设置文件 %s）\n\n", ws.Root, SettingsFile)
	} else {
		fmt.Fprintln(w, "不在工作区中（当前文件夹及其上级都没有 planrep.yaml），各命令按原有默认做法运行。")
		fmt.Fprintln(w, "用 planrep init 可以创建工作区。")
		fmt.Fprintln(w)
	}
	t := [][]string{{"设置", "取值", "来源"}}
	for _, r := range rows {
		t = append(t, []string{r.Label, r.Value, sourceLabel(r)})
	}
	collectTable(w, t)
}

func sourceLabel(r configRow) string {
	switch r.Source {
	case "flag":
		return "命令行选项 " + r.From
	case "environment":
		return "环境变量 " + r.From
	case "workspace":
		return "工作区设置 " + r.From
	}
	return "默认值"
}

func firstNonEmptyString(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
