package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"planrep/extract"
	"planrep/internal/safefile"
	"planrep/internal/xlsxdim"
	"planrep/plan"
	"planrep/planxlsx"
)

func init() {
	commands = append(commands, func(g *Globals) *cobra.Command { return NewCmdExtract(g, nil) })
}

// ExtractOptions are the inputs of `extract`.
type ExtractOptions struct {
	G       *Globals
	Input   string // the plan's text: .txt or .docx
	Output  string // -o: the draft plan.yaml; "" prints it
	XLSX    string // --xlsx: the draft as 任务分工表
	Year    int    // --year: 0 infers it
	Compare string // --compare: a registry to set the draft against
	Roster  string // --roster: the departments' remits; "" is the default roster
}

// NewCmdExtract builds `extract`; runF replaces the run function in tests.
func NewCmdExtract(g *Globals, runF func(*ExtractOptions) error) *cobra.Command {
	opts := &ExtractOptions{G: g}
	c := &cobra.Command{
		Use:   "extract 计划文本",
		Short: "从计划原文中提取量化指标和重点任务，生成登记表草稿",
		Long: `从年度国民经济和社会发展计划的原文中找出计划年度的各项量化指标和重点任务，生成登记表草稿（plan.yaml 格式），
供计划主管部门审核，免去逐条手工录入。

计划原文可以是 .txt 文本文件（UTF-8、GBK 或 Big5 编码），也可以是 Word 的 .docx 文件（.doc、.wps 请先另存为 .docx）；
繁体字按简体识别，原文出处保持原样。

每项指标包括：所属章节、指标名称、类型（累计量、增长率、水平值、控制上限、下降率）、目标值、单位（按原文，如 1.85万家）、
比较方式、限定词（力争、确保、以上、左右、控制在等）、能从上年执行情况中找到的基数，以及原文出处。
上年执行情况（回顾部分、“前三季度”等阶段数据）和上级的数据（如市计划中的“全省……”）只作参照，不当作目标。

完成类的重点任务（建成、开工、出台、编制、举办、通车等，对象为具体的项目、工程、试点、清单、计划、中心、大会等）
也一并提取为重点任务，计划完成时间按原文的“上半年”“年底前”“6月底前”等确定，未写明的按年底；
“推进”“提升”等持续性工作不提取，请审核时按需补充。

每项指标和重点任务都附有建议的牵头部门（lead）和配合部门（support）：按部门职责关键词表，看指标名称、
原文和所属章节中出现哪个部门的职责关键词。默认使用市级政府工作部门的通用关键词表；其他城市可复制后按本地
机构设置修改，用 --roster 指定。建议只是建议：草稿中每个牵头部门后注明“建议”和依据，任务分工表中的
建议部门以黄色底纹和批注标出，请逐项核实修改。

不指定 -o、--xlsx、--compare 时把草稿输出到屏幕；指定 -o 时写入文件。写入文件时把计划原文
（.docx 则转为 .txt）放在草稿旁边，供 planrep plan check 核对每项指标的原文出处。
使用 --xlsx 时另存一份任务分工表（与 planrep plan export 格式相同），可在 Excel 或 WPS 中
核实部门名单和建议的牵头部门，修改后用 planrep plan import 导回。

使用 --compare 时把草稿与已有登记表逐项比对，列出登记表缺少和草稿缺少的指标，以及数值、单位或类型不一致之处；
重点任务只列出对应情况，不影响退出码。

退出码：0 成功；1 比对发现差异（仅 --compare）；2 无法运行（文件无法读写、无法判断计划年度等）。`,
		Example: `  planrep extract 计划.docx -o 草稿/plan.yaml
  planrep extract plan.txt -o plan.yaml --xlsx 指标草稿.xlsx
  planrep extract plan.txt --year 2025 --compare plan.yaml
  planrep extract 计划.docx -o 草稿/plan.yaml --roster 本市部门职责.yaml`,
		Args: exactlyOne("请指定一个计划原文文件（.txt 或 .docx），例如：planrep extract 计划.docx -o plan.yaml"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = args[0]
			if runF != nil {
				return runF(opts)
			}
			return extractRun(opts)
		},
	}
	c.Flags().StringVarP(&opts.Output, "output", "o", "", "登记表草稿的保存路径（如 draft.yaml）；不指定时输出到屏幕")
	c.Flags().StringVar(&opts.XLSX, "xlsx", "", "另存为任务分工表（.xlsx），便于在 Excel 中审核")
	c.Flags().IntVar(&opts.Year, "year", 0, "计划年度（如 2025）；不指定时从标题判断")
	c.Flags().StringVar(&opts.Compare, "compare", "", "与已有登记表 plan.yaml 比对")
	c.Flags().StringVar(&opts.Roster, "roster", "", "部门职责关键词表（YAML），用于建议牵头部门；不指定时用内置的市级部门通用表")
	return c
}

func extractRun(opts *ExtractOptions) error {
	ios := opts.G.IO
	if opts.Year != 0 && (opts.Year < 1949 || opts.Year > 2200) {
		return fmt.Errorf("--year %d 不是有效的计划年度：请写四位年份，如 2025", opts.Year)
	}
	if opts.XLSX != "" && !strings.EqualFold(filepath.Ext(opts.XLSX), ".xlsx") {
		return fmt.Errorf("--xlsx 的文件名 %s 应以 .xlsx 结尾", opts.XLSX)
	}
	roster := extract.DefaultRoster()
	if opts.Roster != "" {
		r, err := extract.ReadRoster(opts.Roster)
		if err != nil {
			return err
		}
		roster = r
	}
	text, err := extract.ReadFile(opts.Input)
	if errors.Is(err, extract.ErrNotUTF8) {
		var enc string
		text, enc, err = readLegacy(opts.Input)
		if err == nil {
			fmt.Fprintf(ios.ErrOut, "提示：%s 不是 UTF-8 编码，已按 %s 编码读取\n", opts.Input, enc)
		}
	}
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("%s 中没有文字：请确认文件是计划原文", opts.Input)
	}
	draft, err := extract.Extract(text, extract.Options{Year: opts.Year, Roster: roster})
	if err != nil {
		return err
	}
	source := strings.TrimSuffix(filepath.Base(opts.Input), filepath.Ext(opts.Input)) + ".txt"
	draft.Source = source

	// Where the summary goes: beside the YAML on the screen, it would mix.
	toScreen := opts.Output == "" && opts.XLSX == "" && opts.Compare == ""
	say := ios.Out
	if toScreen {
		say = ios.ErrOut
	}
	printExtractSummary(say, opts.Input, draft, roster)

	data, err := extract.MarshalDraft(draft, roster)
	if err != nil {
		return err
	}
	// The text goes beside each output, so that plan check and plan import
	// find what the quotes are traced to. Refuse before writing anything.
	written := map[string]bool{}
	for _, out := range []string{opts.Output, opts.XLSX} {
		if out == "" || written[filepath.Dir(out)] {
			continue
		}
		written[filepath.Dir(out)] = true
		if err := writeSource(say, out, source, text); err != nil {
			return err
		}
	}
	if toScreen {
		_, err := ios.Out.Write(data)
		return err
	}
	if opts.Output != "" {
		if err := safefile.WriteBytes(opts.Output, data); err != nil {
			return fmt.Errorf("无法写入 %s：%w", opts.Output, err)
		}
		fmt.Fprintf(say, "已写入登记表草稿：%s\n", opts.Output)
	}
	if opts.XLSX != "" {
		err := safefile.Write(opts.XLSX, func(w io.Writer) error { return writeDraftBook(w, draft, roster) })
		if err != nil {
			return fmt.Errorf("无法写入 %s：%w", opts.XLSX, err)
		}
		fmt.Fprintf(say, "已写入任务分工表草稿：%s（审核后可用 planrep plan import 导回）\n", opts.XLSX)
	}
	if opts.Compare != "" {
		return compareDraft(ios.Out, opts.Compare, draft)
	}
	return nil
}

// readLegacy reads a text file saved as GBK/GB18030, as Notepad and WPS on
// Chinese Windows often do, or as Big5, as traditional copies may be; of
// the two readings it keeps the one that reads as Chinese prose. A file
// that is neither is refused.
func readLegacy(name string) (text, enc string, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", "", fmt.Errorf("无法读取计划文本 %s：%w", name, err)
	}
	best, bestScore := "", -1
	for _, c := range []struct {
		name string
		dec  encoding.Encoding
	}{{"GBK（GB18030）", simplifiedchinese.GB18030}, {"Big5（繁体）", traditionalchinese.Big5}} {
		out, err := c.dec.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
			continue
		}
		if score := proseScore(string(out)); score > bestScore {
			best, bestScore, text = c.name, score, string(out)
		}
	}
	if bestScore < 0 {
		return "", "", fmt.Errorf("%s 既不是 UTF-8 也不是 GBK 或 Big5 编码的文本：请用记事本或 WPS 另存为 UTF-8 编码后再试", name)
	}
	return text, best, nil
}

// proseScore counts characters that any Chinese prose is full of, in
// either script; a text read in the wrong encoding has few of them.
func proseScore(s string) int {
	n := 0
	for _, c := range s {
		if strings.ContainsRune("的年和在是了以及与與为為等不中一人大有这這个個发發展经經济濟社会會计計划劃增长長全市", c) {
			n++
		}
	}
	return n
}

func printExtractSummary(w io.Writer, input string, p *plan.Plan, r *extract.Roster) {
	counts := map[plan.Kind]int{}
	based := 0
	for _, t := range p.Targets {
		counts[t.Kind]++
		if t.Baseline != nil {
			based++
		}
	}
	quant := 0
	for _, t := range p.Targets {
		if t.Kind.Quantitative() {
			quant++
		}
	}
	fmt.Fprintf(w, "从 %s 提取《%s》（%d 年度）量化指标 %d 项、重点任务 %d 项：\n", filepath.Base(input), p.Title, p.Year, quant, len(p.Targets)-quant)
	for _, k := range plan.Kinds {
		if counts[k] > 0 {
			fmt.Fprintf(w, "  %s：%d 项\n", k.Label(), counts[k])
		}
	}
	if len(p.Targets) == 0 {
		fmt.Fprintln(w, "没有找到量化指标和重点任务：请确认文本是年度计划原文，必要时用 --year 指定计划年度。")
		return
	}
	if based > 0 {
		fmt.Fprintf(w, "其中 %d 项已从上年执行情况中找到基数。\n", based)
	}
	unmatched := 0
	for _, t := range p.Targets {
		if len(r.Suggest(t).Basis) == 0 {
			unmatched++
		}
	}
	fmt.Fprintf(w, "牵头部门（lead）和配合部门（support）是按部门职责关键词表给出的建议：%d 项有关键词依据", len(p.Targets)-unmatched)
	if unmatched > 0 {
		fmt.Fprintf(w, "，%d 项未匹配到关键词、暂由%s牵头", unmatched, r.Short(r.Planner))
	}
	fmt.Fprintln(w, "。请逐项核实修改，再用 planrep plan check 检查。")
}

// suggestedFill tints the cells of 任务分工表 that hold a suggestion.
const suggestedFill = "FFF2CC"

// writeDraftBook writes the draft as 任务分工表 with every suggested lead
// and supporting department tinted and annotated as a suggestion.
func writeDraftBook(w io.Writer, p *plan.Plan, r *extract.Roster) error {
	var buf bytes.Buffer
	if err := planxlsx.Write(&buf, p); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	sh := planxlsx.SheetTargets
	leadCol := planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColLead)
	supCol := planxlsx.Col(planxlsx.TargetColumns, planxlsx.ColSupport)
	tinted := map[int]int{}
	tint := func(cell string) error {
		id, err := f.GetCellStyle(sh, cell)
		if err != nil {
			return err
		}
		if _, ok := tinted[id]; !ok {
			st, err := f.GetStyle(id)
			if err != nil {
				return err
			}
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{suggestedFill}}
			nid, err := f.NewStyle(st)
			if err != nil {
				return err
			}
			tinted[id] = nid
		}
		return f.SetCellStyle(sh, cell, cell, tinted[id])
	}
	note := func(cell, text string) error {
		return f.AddComment(sh, excelize.Comment{Cell: cell, Author: "planrep", Text: text})
	}
	if err := note(leadCol+"1", "黄色底纹的牵头部门、配合部门是按部门职责关键词表给出的建议，批注中注明了依据。请逐项核实，需要改的从下拉列表中另选。"); err != nil {
		return err
	}
	for i, t := range p.Targets {
		row := i + 2
		s := r.Suggest(t)
		lead := fmt.Sprintf("%s%d", leadCol, row)
		if err := tint(lead); err != nil {
			return err
		}
		if err := note(lead, extract.SuggestionNote(s)); err != nil {
			return err
		}
		if len(t.Support) > 0 {
			sup := fmt.Sprintf("%s%d", supCol, row)
			if err := tint(sup); err != nil {
				return err
			}
			if err := note(sup, "建议配合部门，请核实"); err != nil {
				return err
			}
		}
	}
	return xlsxdim.WriteTo(w, f)
}

// writeSource puts the plan's text beside the draft under the name its
// `source` field gives, so that plan check can trace every quote.
func writeSource(w io.Writer, output, source, text string) error {
	path := filepath.Join(filepath.Dir(output), source)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, []byte(text)):
		return nil
	case err == nil:
		return fmt.Errorf("%s 已存在且内容与计划原文不同：请把草稿保存到另一个文件夹（-o），以免覆盖", path)
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	if err := safefile.WriteBytes(path, []byte(text)); err != nil {
		return fmt.Errorf("无法写入计划原文 %s：%w", path, err)
	}
	fmt.Fprintf(w, "已保存计划原文：%s（草稿的 source 指向它）\n", path)
	return nil
}

// compareDraft sets the draft against a registry and prints, in Chinese,
// what each lacks; differences make the exit code 1.
func compareDraft(w io.Writer, name string, draft *plan.Plan) error {
	abs, err := filepath.Abs(name)
	if err != nil {
		return err
	}
	reg, _, err := plan.Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	if err != nil {
		return err
	}
	c := extract.Compare(draft.Targets, reg.Targets, draft.Text)
	fmt.Fprintf(w, "\n与登记表 %s 比对：登记表量化指标 %d 项，草稿 %d 项，一致 %d 项（登记表指标找到 %.1f%%，草稿指标在登记表中 %.1f%%）。\n",
		name, c.Quantitative, c.Found, len(c.Matched), 100*c.Recall(), 100*c.Precision())
	line := func(t plan.Target) string {
		return fmt.Sprintf("%s %s：%s（原文：%s）", t.ID, t.Indicator, t.TargetText(), clipRunes(t.Quote, 60))
	}
	kinds := c.KindDiffers()
	if len(kinds) > 0 {
		fmt.Fprintf(w, "\n指标类型不一致（%d 项）：\n", len(kinds))
		for _, p := range kinds {
			fmt.Fprintf(w, "  登记表 %s 为%s，草稿 %s 为%s\n", line(p.Registry), p.Registry.Kind.Label(), p.Draft.ID, p.Draft.Kind.Label())
		}
	}
	if len(c.Differ) > 0 {
		fmt.Fprintf(w, "\n目标值或单位不一致（%d 项）：\n", len(c.Differ))
		for _, p := range c.Differ {
			fmt.Fprintf(w, "  登记表 %s\n  草稿   %s\n", line(p.Registry), line(p.Draft))
		}
	}
	miles := map[string]string{}
	for _, p := range c.Milestones {
		miles[p.Draft.ID] = p.Registry.ID
	}
	var extra []plan.Target
	for _, t := range c.Extra {
		if !differs(c, t) {
			extra = append(extra, t)
		}
	}
	if len(extra) > 0 {
		fmt.Fprintf(w, "\n登记表缺少（草稿有、登记表没有，%d 项）：\n", len(extra))
		for _, t := range extra {
			note := ""
			if id, ok := miles[t.ID]; ok {
				note = fmt.Sprintf("；登记表列为重点任务 %s", id)
			}
			fmt.Fprintf(w, "  %s%s\n", line(t), note)
		}
	}
	var missing []plan.Target
	for _, t := range c.Missing {
		if !differsReg(c, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, "\n草稿缺少（登记表有、草稿没有，%d 项）：\n", len(missing))
		for _, t := range missing {
			fmt.Fprintf(w, "  %s\n", line(t))
		}
	}
	fmt.Fprintf(w, "\n重点任务：登记表 %d 项，草稿 %d 项，对应 %d 项（登记表重点任务找到 %.1f%%，草稿重点任务在登记表中 %.1f%%）。\n",
		len(c.Deliverables)+len(c.NoDeliverable), len(c.Deliverables)+len(c.ExtraDeliverable), len(c.Deliverables),
		100*c.DeliverableRecall(), 100*c.DeliverablePrecision())
	if len(c.ExtraDeliverable) > 0 {
		fmt.Fprintf(w, "\n登记表缺少的重点任务（%d 项）：\n", len(c.ExtraDeliverable))
		for _, t := range c.ExtraDeliverable {
			fmt.Fprintf(w, "  %s %s（%s；原文：%s）\n", t.ID, t.Indicator, dueText(t.Due), clipRunes(t.Quote, 60))
		}
	}
	if len(c.NoDeliverable) > 0 {
		fmt.Fprintf(w, "\n草稿缺少的重点任务（%d 项）：\n", len(c.NoDeliverable))
		for _, t := range c.NoDeliverable {
			fmt.Fprintf(w, "  %s %s（原文：%s）\n", t.ID, t.Indicator, clipRunes(t.Quote, 60))
		}
	}
	// Deliverables are drafted for review, not measured: only the
	// quantitative targets decide the exit code.
	if len(kinds)+len(c.Differ)+len(extra)+len(missing) == 0 {
		fmt.Fprintln(w, "\n草稿与登记表的量化指标完全一致。")
		return nil
	}
	return errProblems
}

// dueText says when a milestone is due: 2025年6月底前完成.
func dueText(due string) string {
	p, err := plan.ParsePeriod(due)
	if err != nil {
		return "完成时间未定"
	}
	e := p.End()
	return fmt.Sprintf("%d年%d月底前完成", e.Year(), int(e.Month()))
}

func differs(c extract.Comparison, t plan.Target) bool {
	for _, p := range c.Differ {
		if p.Draft.ID == t.ID {
			return true
		}
	}
	return false
}

func differsReg(c extract.Comparison, t plan.Target) bool {
	for _, p := range c.Differ {
		if p.Registry.ID == t.ID {
			return true
		}
	}
	return false
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
