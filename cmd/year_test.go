package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
	"planrep/planxlsx"
	"planrep/simulate"
	"planrep/templates"
)

// office drives planrep in a workspace as the planning office would: only
// commands, files dropped into 收件箱/, and the screens they print.
type office struct {
	t    *testing.T
	root string
	now  time.Time
}

func (o *office) run(want int, args ...string) (string, string) {
	o.t.Helper()
	io, out, errOut := Test()
	now := o.now
	g := &Globals{IO: io, Now: func() time.Time { return now }}
	if code := Run(g, args); code != want {
		o.t.Fatalf("planrep %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out.String(), errOut.String()
}

// screen runs a command and checks that what it printed says each of wants.
func (o *office) screen(want int, args []string, wants ...string) string {
	o.t.Helper()
	out, errOut := o.run(want, args...)
	mustContain(o.t, "planrep "+strings.Join(args, " "), out+errOut, wants...)
	return out + errOut
}

// fill has the units fill the templates of period in 模板/<period>/ as
// departments would (simulate), outside the workspace, and returns the
// manifest and the folder the returns are in.
func (o *office) fill(p *plan.Plan, period string, seed uint64, faults float64, missing int) (*simulate.Manifest, string) {
	o.t.Helper()
	out := o.t.TempDir()
	m, err := simulate.Run(p, filepath.Join(o.root, DirTemplates, period), out, simulate.Options{Period: plan.MustPeriod(period), Seed: seed, Faults: faults, Missing: missing, Workers: 2})
	if err != nil {
		o.t.Fatal(err)
	}
	return m, out
}

// drop copies returns into the inbox, as a clerk saves e-mail attachments,
// each a little later than the last.
func (o *office) drop(dir string, names ...string) {
	o.t.Helper()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			o.t.Fatal(err)
		}
		dst := filepath.Join(o.root, DirInbox, filepath.Base(n))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			o.t.Fatal(err)
		}
		o.now = o.now.Add(time.Minute)
		if err := os.Chtimes(dst, o.now, o.now); err != nil {
			o.t.Fatal(err)
		}
	}
}

// redate sets a return's 填报日期, as a unit that corrects and resends does.
func redate(t *testing.T, file string, day time.Time) {
	t.Helper()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellValue(templates.SheetQuant, templates.CellDate, day.Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

func (o *office) round(period string) *plan.Round {
	o.t.Helper()
	data, err := os.ReadFile(filepath.Join(o.root, DirCollected, period, "round.json"))
	if err != nil {
		o.t.Fatal(err)
	}
	var r plan.Round
	if err := json.Unmarshal(data, &r); err != nil {
		o.t.Fatal(err)
	}
	return &r
}

func returnFiles(m *simulate.Manifest, skip map[string]bool) []string {
	var out []string
	for _, r := range m.Returns {
		if !skip[r.Dept] {
			out = append(out, r.File)
		}
	}
	return out
}

// TestAYearInAWorkspace runs the embedded plan's whole year in a fresh
// workspace with nothing but init, templates --period, files dropped into
// 收件箱/, collect, status and report, and reads every screen.
func TestAYearInAWorkspace(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole year of rounds: run without -short")
	}
	root := inWorkspaceTest(t)
	o := &office{t: t, root: root, now: time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)}
	o.screen(ExitOK, []string{"init", "--contact", "计划科 0533-3180000"},
		"已创建工作区 ./", "使用内置登记表", "数据库：planrep.db", "planrep templates --period 2025Q3")
	if !fileExists(filepath.Join(root, "planrep.db")) {
		t.Fatal("init made no store")
	}
	o.screen(ExitOK, []string{"status"}, "还没有下发过填报模板：运行 planrep templates --period 2025Q1")
	p, _, err := (&Globals{}).LoadPlan()
	if err != nil {
		t.Fatal(err)
	}
	leads := len(p.LeadDepts())
	short := func(code string) string { d, _ := p.Dept(code); return d.Short }

	type quarter struct {
		period, label, deadline, prev string
		faults                        float64
		missing                       int
		next                          string
	}
	year := []quarter{
		{"2025Q1", "2025年一季度", "2025-04-10", "", 0, 1, "下一期运行 planrep templates --period 2025Q2"},
		{"2025H1", "2025年上半年", "2025-07-10", "2025Q1", 0, 0, "下一期运行 planrep templates --period 2025H2"},
		{"2025Q3", "2025年前三季度", "2025-10-10", "2025H1", 0.15, 0, "下一期运行 planrep templates --period 2025Q4"},
		{"2025", "2025年全年", "2026-01-10", "2025Q3", 0, 0, "本年度各期已完成"},
	}
	for i, q := range year {
		per := plan.MustPeriod(q.period)
		o.now = per.End().AddDate(0, 0, -5)
		o.screen(ExitOK, []string{"templates", "--period", q.period},
			fmt.Sprintf("已生成 %d 份填报模板（%s，截止 %s），保存在 模板/%s/", leads, q.label, q.deadline, q.period),
			"联系方式：计划科 0533-3180000")
		o.screen(ExitOK, []string{"status"}, q.label+"（"+q.period+"）", "截止日期："+q.deadline+"（还有 15 天）",
			fmt.Sprintf("报送：应报送 %d 个单位，已报送 0 个", leads), "上次汇总：本期尚未汇总",
			"下一步：等待各单位报送（截止 "+q.deadline+"）")

		m, dir := o.fill(p, q.period, uint64(2025+i), q.faults, q.missing)
		o.now = per.End().AddDate(0, 0, 8)
		files := returnFiles(m, nil)
		o.drop(dir, files...)
		o.screen(ExitOK, []string{"status"}, fmt.Sprintf("收件箱中的文件（%d 个）", len(files)),
			fmt.Sprintf("下一步：收件箱中有 %d 个新文件：运行 planrep collect", len(files)))

		// Collect takes the inbox, the period of the latest templates and
		// the previous period's round, and writes 汇总/<period>/.
		r0 := o.roundOrNil(q.period)
		want := ExitOK
		if q.missing > 0 || q.faults > 0 {
			want = ExitProblems
		}
		wants := []string{"报告期：" + q.period, "已写入 汇总/" + q.period + "：round.json"}
		if q.prev != "" {
			wants = append(wants, "上期数据：汇总/"+q.prev+"/round.json")
		}
		if i > 0 {
			wants = append(wants, "跳过 "+fmt.Sprint(len(o.inbox())-len(files))+" 个")
		}
		o.screen(want, []string{"collect"}, wants...)
		if r0 != nil {
			t.Fatalf("%s was collected before its first collect", q.period)
		}
		r := o.round(q.period)
		if r.Period.String() != q.period {
			t.Fatalf("round of %s says %s", q.period, r.Period)
		}

		switch {
		case q.missing > 0:
			// One unit is late: status names it, then its file comes in.
			late := m.Missing[0].Dept
			o.screen(ExitOK, []string{"status"}, fmt.Sprintf("已报送 %d 个，未报送 1 个", leads-1), "未报送："+short(late),
				"下一步：1 个单位未报送："+short(late)+"；请督促报送")
			lm, ldir := o.fill(p, q.period, 99, 0, 0)
			var lateFile string
			for _, ret := range lm.Returns {
				if ret.Dept == late {
					lateFile = ret.File
				}
			}
			o.drop(ldir, lateFile)
			o.screen(ExitOK, []string{"status"}, "上次汇总后收到的文件（1 个）", filepath.Base(lateFile), short(late),
				"下一步：收件箱中有 1 个新文件：运行 planrep collect")
			o.screen(ExitOK, []string{"collect"}, "未报送 0 个")
		case q.faults > 0:
			// Some returns have errors: status says whom they go back to,
			// the units correct and resend, and the round comes clean.
			var bad []string
			for _, d := range r.Departments {
				if d.Errors > 0 || !d.Submitted {
					bad = append(bad, d.Code)
				}
			}
			if len(bad) == 0 {
				t.Fatalf("faults %.2f gave no unit an error", q.faults)
			}
			names := make([]string, len(bad))
			for k, c := range bad {
				names[k] = short(c)
			}
			o.screen(ExitOK, []string{"status"}, fmt.Sprintf("已退回、尚未重新报送（%d 个单位）", len(bad)), names[0],
				fmt.Sprintf("下一步：%d 个单位的报送有错误：把 汇总/%s/反馈/ 中的反馈表发回%s", len(bad), q.period, strings.Join(names, "、")))
			cm, cdir := o.fill(p, q.period, uint64(2025+i), 0, 0)
			var resend []string
			for _, ret := range cm.Returns {
				if slices.Contains(bad, ret.Dept) {
					redate(t, filepath.Join(cdir, ret.File), per.End().AddDate(0, 0, 12))
					resend = append(resend, ret.File)
				}
			}
			// Corrected files come back under their own names.
			for k, f := range resend {
				renamed := strings.TrimSuffix(f, ".xlsx") + "（修改后）.xlsx"
				if err := os.Rename(filepath.Join(cdir, f), filepath.Join(cdir, renamed)); err != nil {
					t.Fatal(err)
				}
				resend[k] = renamed
			}
			o.drop(cdir, resend...)
			st := o.screen(ExitOK, []string{"status"}, fmt.Sprintf("上次汇总后收到的文件（%d 个）", len(resend)), "下一步：收件箱中有")
			if strings.Contains(st, "已退回、尚未重新报送") {
				t.Errorf("status still lists returned units after every one resent:\n%s", st)
			}
			o.screen(ExitOK, []string{"collect"}, "有错误 0 个", "未报送 0 个")
		}

		o.screen(ExitOK, []string{"status"}, fmt.Sprintf("已报送 %d 个，未报送 0 个", leads),
			"下一步：全部单位已报送且没有错误：运行 planrep report")
		if n := o.round(q.period).Departments; len(n) != leads {
			t.Errorf("%s: round expects %d units, want %d", q.period, len(n), leads)
		}
		o.screen(ExitOK, []string{"report"},
			"已写入 报告/"+q.period+"/"+q.period+"_进度报告.xlsx", "已写入 报告/"+q.period+"/"+q.period+"_简报.pdf")
		for _, f := range []string{"_进度报告.xlsx", "_简报.pdf"} {
			if !fileExists(filepath.Join(root, DirReports, q.period, q.period+f)) {
				t.Errorf("report did not write 报告/%s/%s%s", q.period, q.period, f)
			}
		}
		o.screen(ExitOK, []string{"status"}, "本期已完成，报告在 报告/"+q.period+"/；"+q.next)
	}
	// An earlier period stays reachable by --period, and the store knows every run.
	out := o.screen(ExitOK, []string{"status", "--period", "2025Q1"}, "2025年一季度（2025Q1）", "本期已汇总 2 次", "本期已完成")
	if strings.Contains(out, "上次汇总后收到的文件") {
		t.Errorf("later periods' files count as new for 2025Q1:\n%s", out)
	}
	// The store's history takes a unit by any of its names too.
	o.screen(ExitOK, []string{"history", "dept", "商务"}, "“商务”按名称的一部分识别为 市商务局（SWJ）", "市商务局（SWJ）报送记录")
	var st Status
	js, _ := o.run(ExitOK, "status", "--json")
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		t.Fatal(err)
	}
	if st.Period != "2025" || len(st.Expected) != leads || len(st.Missing) != 0 || st.Collected == nil || st.Collected.Runs != 1 || st.Report == "" {
		t.Errorf("status --json: %+v", st)
	}
}

func (o *office) roundOrNil(period string) *plan.Round {
	if !fileExists(filepath.Join(o.root, DirCollected, period, "round.json")) {
		return nil
	}
	return o.round(period)
}

func (o *office) inbox() []os.DirEntry {
	es, err := os.ReadDir(filepath.Join(o.root, DirInbox))
	if err != nil {
		o.t.Fatal(err)
	}
	return es
}

// TestAnotherCitysYearFromItsPlanText starts a workspace from a made-up
// city's plan text with init --from, has the office review the draft in its
// workbook, and runs the year (上半年, 全年) as TestAYearInAWorkspace does.
func TestAnotherCitysYearFromItsPlanText(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole year of rounds: run without -short")
	}
	text, err := os.ReadFile(filepath.Join("testdata", "workspace", "青禾市2026年计划.txt"))
	if err != nil {
		t.Fatal(err)
	}
	top := inWorkspaceTest(t)
	if err := os.WriteFile("青禾市2026年计划.txt", text, 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(top, "青禾")
	o := &office{t: t, root: root, now: time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)}
	o.screen(ExitOK, []string{"init", "青禾", "--from", "青禾市2026年计划.txt", "--office", "青禾市发展和改革委员会", "--contact", "综合科 0599-6180000"},
		"《青禾市2026年国民经济和社会发展计划》（2026 年度）量化指标 18 项",
		"已创建工作区 青禾/", "登记表草稿 计划/plan.yaml", "cd 青禾",
		"planrep plan import 计划/任务分工表.xlsx -o 计划/plan.yaml", "planrep plan check", "planrep templates --period 2026Q1")
	for _, f := range []string{"计划/plan.yaml", "计划/任务分工表.xlsx", "计划/青禾市2026年计划.txt", "planrep.db", GuideFile} {
		if !fileExists(filepath.Join(root, f)) {
			t.Errorf("init --from did not write %s", f)
		}
	}
	guide, err := os.ReadFile(filepath.Join(root, GuideFile))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, GuideFile, string(guide), "青禾市发展和改革委员会跟踪《青禾市2026年国民经济和社会发展计划》", "开始之前：审核登记表草稿",
		"planrep plan import 计划/任务分工表.xlsx -o 计划/plan.yaml", "planrep templates --period 2026Q3", "2026Q1–2026Q4")

	// The office reviews the draft in its workbook: 新增城市绿地 goes to the
	// 住房城乡建设 bureau rather than the suggested one, and the registry is
	// imported back over the draft.
	t.Chdir(root)
	book := filepath.Join(DirPlan, draftBook)
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(planxlsx.SheetTargets)
	if err != nil {
		t.Fatal(err)
	}
	ind, lead := colIndex(planxlsx.TargetColumns, planxlsx.ColIndicator), planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColLead)
	moved := false
	for i, r := range rows {
		if len(r) > ind && r[ind] == "新增城市绿地" {
			if err := f.SetCellStr(planxlsx.SheetTargets, fmt.Sprintf("%s%d", lead, i+1), "市住房城乡建设局"); err != nil {
				t.Fatal(err)
			}
			moved = true
		}
	}
	if !moved {
		t.Fatalf("the draft workbook has no row 新增城市绿地:\n%v", rows)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	must(f.Close())
	// In a workspace, import writes the registry the settings name.
	o.screen(ExitOK, []string{"plan", "import", book}, "已导入 18 项指标", "写入 "+filepath.Join(DirPlan, draftPlan))
	o.screen(ExitOK, []string{"plan", "check"}, "登记表检查通过：共 18 项指标")
	o.screen(ExitOK, []string{"config"}, "计划登记表    计划/plan.yaml", "编发单位      青禾市发展和改革委员会", "联系方式      综合科 0599-6180000")
	o.screen(ExitOK, []string{"status"}, "青禾市2026年国民经济和社会发展计划", "还没有下发过填报模板：运行 planrep templates --period 2026Q1")

	p, _, err := (&Globals{}).LoadPlan()
	if err != nil {
		t.Fatal(err)
	}
	if tg := findIndicator(p, "新增城市绿地"); tg.Lead != "ZJJ" {
		t.Errorf("新增城市绿地 is led by %q after the review; want ZJJ", tg.Lead)
	}
	leads := len(p.LeadDepts())
	short := func(code string) string { d, _ := p.Dept(code); return d.Short }

	for i, q := range []struct{ period, label, deadline string }{
		{"2026H1", "2026年上半年", "2026-07-10"},
		{"2026", "2026年全年", "2027-01-10"},
	} {
		per := plan.MustPeriod(q.period)
		o.now = per.End().AddDate(0, 0, -3)
		o.screen(ExitOK, []string{"templates", "--period", q.period},
			fmt.Sprintf("已生成 %d 份填报模板（%s，截止 %s），保存在 模板/%s/", leads, q.label, q.deadline, q.period), "联系方式：综合科 0599-6180000")
		o.screen(ExitOK, []string{"status"}, q.label+"（"+q.period+"）", "还有 13 天", fmt.Sprintf("应报送 %d 个单位，已报送 0 个", leads))

		m, dir := o.fill(p, q.period, uint64(7+i), 0, 1)
		late := m.Missing[0].Dept
		o.now = per.End().AddDate(0, 0, 10)
		o.drop(dir, returnFiles(m, nil)...)
		o.screen(ExitOK, []string{"status"}, fmt.Sprintf("下一步：收件箱中有 %d 个新文件：运行 planrep collect", leads-1))
		o.screen(ExitProblems, []string{"collect"}, "报告期："+q.period, "青禾市2026年国民经济和社会发展计划 "+q.label+" 报送情况",
			fmt.Sprintf("已报送 %d 个", leads-1), "未报送 1 个", "已写入 汇总/"+q.period)
		o.screen(ExitOK, []string{"status"}, "截止日期："+q.deadline+"（今天截止）", "未报送："+short(late),
			"下一步：1 个单位未报送："+short(late)+"；请督促报送")

		lm, ldir := o.fill(p, q.period, 99, 0, 0)
		for _, r := range lm.Returns {
			if r.Dept == late {
				o.drop(ldir, r.File)
			}
		}
		o.now = o.now.AddDate(0, 0, 2)
		o.screen(ExitOK, []string{"status"}, "（已过 2 天）", "上次汇总后收到的文件（1 个）", short(late))
		o.screen(ExitOK, []string{"collect"}, fmt.Sprintf("已报送 %d 个（有错误 0 个", leads), "未报送 0 个")
		o.screen(ExitOK, []string{"status"}, "下一步：全部单位已报送且没有错误：运行 planrep report")
		o.screen(ExitOK, []string{"report"}, "青禾市2026年国民经济和社会发展计划", fmt.Sprintf("报送 %d/%d 个单位", leads, leads),
			"已写入 报告/"+q.period+"/"+q.period+"_简报.pdf")
	}
	o.screen(ExitOK, []string{"status"}, "本期已完成，报告在 报告/2026/；本年度各期已完成")
}

func colIndex(cols []planxlsx.Column, key string) int {
	for i, c := range cols {
		if c.Key == key {
			return i
		}
	}
	return -1
}

func findIndicator(p *plan.Plan, name string) plan.Target {
	for _, t := range p.Targets {
		if t.Indicator == name {
			return t
		}
	}
	return plan.Target{}
}
