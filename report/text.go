package report

import (
	"fmt"
	"strings"

	"planrep/plan"
)

// body writes the brief's text: what a leader reads first. Tables of every
// target go to the attachments; the body says what they show.
func body(b *Brief) ([]Section, []Attachment, string) {
	h := b.Headline
	var secs []Section
	add := func(heading string, paras []string, blocks ...string) {
		secs = append(secs, Section{
			Heading:    fmt.Sprintf("%s、%s", Numeral(len(secs)+1), heading),
			Paragraphs: paras, Blocks: blocks,
		})
	}
	var atts []Attachment
	attach := func(title, block string) string {
		atts = append(atts, Attachment{Title: title, Block: block})
		return fmt.Sprintf("附件%d", len(atts))
	}
	behindAtt, milesAtt, deptsAtt := "", "", ""
	if len(b.Behind) > 0 {
		behindAtt = attach("滞后目标任务及原因", BlockBehind)
	}
	if h.Milestones > 0 {
		milesAtt = attach("重点任务进展情况", BlockMilestones)
	}
	if len(b.Depts) > 0 {
		deptsAtt = attach("各单位目标任务进展情况", BlockDepts)
	}
	gridAtt := ""
	if ds := b.Districts; ds != nil && len(ds.Grid) > 0 {
		gridAtt = attach(districtTitle("区县分解任务完成情况", ds), BlockDistrictGrid)
	}

	add("总体情况", []string{h.Summary}, BlockBoxes, BlockChapters)
	if len(b.MainGoals) > 0 {
		add("主要预期目标完成情况", []string{mainGoalsText(b.MainGoals)}, BlockMainGoals)
	}
	add("滞后事项及原因", behindText(b, behindAtt, milesAtt))
	if len(b.Doubtful) > 0 {
		add("需核实的数据", []string{doubtfulText(b.Doubtful)}, BlockDoubtful)
	}
	add("报送情况", []string{reportingText(b, deptsAtt)})
	if ds := b.Districts; ds != nil {
		add(districtTitle("区县任务完成情况", ds), districtText(ds, gridAtt), BlockDistrictRanking, BlockDistrictConsistency)
	}
	add("下步工作", nextSteps(b))

	closing := "本简报依据"
	if b.Meta.PeriodLabel != "" {
		closing += b.Meta.PeriodLabel
	}
	closing += "汇总数据生成，数据指纹 " + firstNonEmpty(b.Meta.Fingerprint, "（无）") + "，核对数据时以此为准。"
	return secs, atts, closing
}

// districtTitle labels a 区县 heading 示例 when the split is an example.
func districtTitle(s string, ds *Districts) string {
	if ds.Example {
		return s + "（" + plan.ExampleLabel + "）"
	}
	return s
}

func mainGoalsText(goals []TargetRow) string {
	counts := countStatuses(goals)
	var parts []string
	for i, s := range Statuses {
		if counts[i] > 0 {
			parts = append(parts, statusPhrase(s, counts[i]))
		}
	}
	s := fmt.Sprintf("计划确定的主要预期目标共 %d\u00a0项，%s。", len(goals), strings.Join(parts, "、"))
	var notes []string
	for _, g := range goals {
		switch {
		case g.Status.Lagging(), g.Status == Unconfirmed:
			notes = append(notes, g.Indicator+"，"+g.Account)
		}
	}
	if len(notes) > 0 {
		s += "需要关注的是：" + strings.Join(notes, "；") + "。"
	}
	return s
}

func behindText(b *Brief, behindAtt, milesAtt string) []string {
	h := b.Headline
	if h.Lagging == 0 {
		return []string{"本期没有滞后的目标任务。"}
	}
	far := []TargetRow{}
	for _, t := range b.Behind {
		if t.Status == plan.FarBehind {
			far = append(far, t)
		}
	}
	first := fmt.Sprintf("本期滞后的目标任务共 %d\u00a0项，其中%s、%s", h.Lagging,
		statusPhrase(plan.FarBehind, h.Count(plan.FarBehind)), statusPhrase(plan.Behind, h.Count(plan.Behind)))
	if top := busiestChapters(b.Behind); top != "" {
		first += "，主要集中在" + top
	}
	first += "。"
	paras := []string{first}
	if len(far) > 0 {
		items := make([]string, len(far))
		for i, t := range far {
			item := fmt.Sprintf("%s（%s）：%s", t.Indicator, t.Dept, t.Account)
			if r := firstSentence(t.Problems); r != "" {
				item += "；原因是" + r
			}
			items[i] = item
		}
		paras = append(paras, fmt.Sprintf("严重滞后的 %d\u00a0项是：%s。", len(far), strings.Join(items, "；")))
	}
	var refs []string
	if behindAtt != "" {
		refs = append(refs, "各项滞后目标任务的进展、原因和牵头单位所报措施见"+behindAtt)
	}
	if milesAtt != "" {
		refs = append(refs, "重点任务进展见"+milesAtt)
	}
	if len(refs) > 0 {
		paras = append(paras, strings.Join(refs, "，")+"。")
	}
	return paras
}

// busiestChapters names the one or two chapters with the most lagging targets.
func busiestChapters(rows []TargetRow) string {
	n := map[string]int{}
	var order []string
	for _, r := range rows {
		if n[r.Chapter] == 0 {
			order = append(order, r.Chapter)
		}
		n[r.Chapter]++
	}
	best := func(skip string) string {
		top := ""
		for _, c := range order {
			if c != skip && (top == "" || n[c] > n[top]) {
				top = c
			}
		}
		return top
	}
	a := best("")
	if a == "" || n[a] < 2 {
		return ""
	}
	label := func(c string) string {
		return fmt.Sprintf("“%s”（%d\u00a0项）", strings.TrimLeft(chapterLabel(c), "（）一二三四五六七八九十"), n[c])
	}
	if b := best(a); b != "" && n[b] >= 2 {
		return label(a) + "和" + label(b)
	}
	return label(a)
}

// firstSentence is a department's text up to its first full stop.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "。；;"); i > 0 {
		s = s[:i]
	}
	return s
}

func doubtfulText(rows []TargetRow) string {
	items := make([]string, len(rows))
	for i, t := range rows {
		item := fmt.Sprintf("%s（%s）：%s", t.Indicator, t.Dept, t.Account)
		if t.Note != "" {
			item += "；单位说明：" + strings.TrimRight(t.Note, "。")
		}
		items[i] = item
	}
	return fmt.Sprintf("以下 %d\u00a0项所报数值经校验存疑，暂列为待核实，未计入已完成，已请牵头单位核实：%s。",
		len(rows), strings.Join(items, "；"))
}

func reportingText(b *Brief, deptsAtt string) string {
	h := b.Headline
	s := fmt.Sprintf("应报送的 %d\u00a0个单位中，已报送 %d\u00a0个，报送率 %s", h.DeptsExpected, h.DeptsIn, Pct(h.SubmitRate))
	if h.OnTimeRate != nil {
		s += fmt.Sprintf("，按时报送率 %s", Pct(*h.OnTimeRate))
	}
	s += "。"
	if len(b.Missing) > 0 {
		names := make([]string, len(b.Missing))
		targets := 0
		for i, m := range b.Missing {
			names[i] = m.Short
			targets += m.Targets
		}
		s += fmt.Sprintf("%s未报送，牵头的 %d\u00a0项目标任务本期暂无数据。", strings.Join(names, "、"), targets)
	} else {
		s += "各单位均已报送。"
	}
	var gaps []string
	for _, st := range []plan.Status{Blank, plan.Invalid} {
		if n := h.Count(st); n > 0 {
			gaps = append(gaps, statusPhrase(st, n))
		}
	}
	if len(gaps) > 0 {
		s += "已报送的报表中，" + strings.Join(gaps, "、") + "，校验发现的问题已形成反馈表，由有关单位补正。"
	}
	if deptsAtt != "" {
		s += "各单位情况见" + deptsAtt + "。"
	}
	return s
}

func nextSteps(b *Brief) []string {
	h := b.Headline
	var out []string
	ord := []string{"一是", "二是", "三是", "四是", "五是"}
	add := func(s string) { out = append(out, ord[len(out)]+s) }
	if n := h.Count(plan.FarBehind); n > 0 {
		add(fmt.Sprintf("对严重滞后的 %d\u00a0项，建议由牵头单位逐项分析原因，明确追赶措施和完成时限，列入重点督办。", n))
	}
	if n := h.Count(plan.Behind); n > 0 {
		add(fmt.Sprintf("对滞后的 %d\u00a0项，督促牵头单位落实所报措施，下期重点跟踪。", n))
	}
	if n := h.Count(Unconfirmed) + h.Count(Blank) + h.Count(plan.Invalid); n > 0 {
		add(fmt.Sprintf("对待核实、未填报和数据有误的 %d\u00a0项，请牵头单位核实补正，补正后更新本期数据。", n))
	}
	if len(b.Missing) > 0 {
		add(fmt.Sprintf("督促未报送的 %d\u00a0个单位尽快报送，报送后补充本期情况。", len(b.Missing)))
	}
	if len(out) == 0 {
		out = append(out, "各项目标任务总体按序时推进，下期继续跟踪调度。")
	}
	return out
}

// Numeral writes 1–99 in Chinese numerals (1 → 一, 12 → 十二), as the
// brief numbers its headings; every renderer takes it from here.
func Numeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 0:
		return "〇"
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}
