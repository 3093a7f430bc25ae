package templates

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/plan"
)

// Guide sheet columns: a margin, labels, text.
var guideWidths = []float64{2, 14, 92}

// guide writes SheetGuide: what to fill, by when, whom to call, how each
// kind of target is filled, what the checks say and what the colours mean.
func (b *builder) guide() error {
	f, sh, s := b.f, SheetGuide, b.st
	for i, w := range guideWidths {
		c := string(rune('A' + i))
		if err := f.SetColWidth(sh, c, c, w); err != nil {
			return err
		}
	}
	row := 1
	var err error
	put := func(ref string, v string, style int) {
		if err == nil && v != "" {
			err = f.SetCellStr(sh, ref, v)
		}
		if err == nil {
			err = f.SetCellStyle(sh, ref, ref, style)
		}
	}
	merged := func(text string, style int, height float64) {
		a, z := fmt.Sprintf("B%d", row), fmt.Sprintf("C%d", row)
		if err == nil {
			err = f.MergeCell(sh, a, z)
		}
		put(a, text, style)
		if err == nil {
			err = f.SetCellStyle(sh, a, z, style)
		}
		if err == nil {
			err = f.SetRowHeight(sh, row, height)
		}
		row++
	}
	pair := func(label, text string, labelStyle int) {
		put(fmt.Sprintf("B%d", row), label, labelStyle)
		put(fmt.Sprintf("C%d", row), text, s.body)
		if err == nil {
			err = f.SetRowHeight(sh, row, heightFor(lines(text, guideWidths[2]*0.95))+4)
		}
		row++
	}
	heading := func(text string) { merged(text, s.heading, 28) }

	p, per := b.p, b.opt.Period
	merged(fmt.Sprintf("%s\n目标任务进展情况填报说明", p.Title), s.title, 60)
	merged(fmt.Sprintf("%s　·　%s", b.d.Name, per.Label()), s.subtitle, 22)

	heading("一、基本情况")
	pair("填报单位", fmt.Sprintf("%s（%s）", b.d.Name, b.d.Short), s.bodyBold)
	pair("报告期", fmt.Sprintf("%s：数据为%s的累计数或期末数", per.Label(), per.Covers()), s.bodyBold)
	due := "按通知要求的时间"
	if d := b.deadlineText(); d != "" {
		due = d + "前"
	}
	pair("报送截止", fmt.Sprintf("请于%s将本文件报送%s。", due, p.Planner), s.bodyBold)
	pair("联系方式", b.contact()+"（填报中遇到问题、或认为指标和目标有误的，请与我们联系，不要自行修改）", s.bodyBold)
	pair("本表内容", fmt.Sprintf("量化指标 %d 项（见“%s”表）；重点任务 %d 项（见“%s”表）。", len(b.quant), SheetQuant, len(b.miles), SheetMilestone), s.bodyBold)
	if b.district() {
		quotas, own := 0, 0
		for _, t := range b.quant {
			if b.city[t.ID].Split() {
				quotas++
			} else {
				own++
			}
		}
		text := fmt.Sprintf("本区县承担全市分解任务 %d 项", quotas)
		if own > 0 {
			text += fmt.Sprintf("、区县目标 %d 项", own)
		}
		text += "。分解任务是全市累计量指标分到本区县的份额，各区县合计不少于全市目标；“本期完成值”填本辖区的累计数，" +
			"汇总时各区县之和与牵头部门报送的全市数相互核对，口径不一致的将请双方核实。"
		if b.example() {
			text += "\n【示例】本表的分解任务为示例，不是正式下达的任务：" + b.p.Split.Rule
		}
		pair("任务来源", text, s.bodyBold)
	}

	heading("二、填报步骤")
	steps := []string{
		fmt.Sprintf("在“%s”表第2行填写填报人、联系电话和填报日期（填报单位已预先填好）。", SheetQuant),
		fmt.Sprintf("在“%s”表逐行填写浅黄色单元格：“本期完成值”只填数字，不带单位，不写“约”“左右”“%%”等文字，单位以“单位”列为准；再填写进展情况、存在问题和下步措施。", SheetQuant),
		fmt.Sprintf("在“%s”表逐行从下拉列表选择“进展状态”（%s），并填写进展情况、存在问题和下步措施。", SheetMilestone, strings.Join(plan.MilestoneChoices, "／")),
		"查看两张表的“自查”列：有提示的行显示为浅红色，请按提示修改或补充说明；“自查”列全部为空即为自查通过。",
		"保存文件（保持 .xlsx 格式，不要改文件名），在截止日期前报送。不要另存为 .xls、.et、PDF 或图片，不要增删行列、改动工作表名称和白色的固定内容。",
	}
	if len(b.quant) == 0 {
		steps[1] = fmt.Sprintf("本单位无量化指标，“%s”表只需填写第2行的填报人、联系电话和填报日期。", SheetQuant)
	}
	if len(b.miles) == 0 {
		steps[2] = fmt.Sprintf("本单位无重点任务，“%s”表无需填写。", SheetMilestone)
	}
	for i, st := range steps {
		pair(fmt.Sprintf("第%s步", []string{"一", "二", "三", "四", "五"}[i]), st, s.bodyBold)
	}

	heading("三、“本期完成值”怎么填")
	kinds := map[plan.Kind][]string{}
	for _, t := range b.quant {
		kinds[t.Kind] = append(kinds[t.Kind], t.Indicator)
	}
	if len(b.quant) == 0 {
		pair("—", "本单位无量化指标。", s.bodyBold)
	}
	for _, k := range plan.Kinds {
		names := kinds[k]
		if len(names) == 0 {
			continue
		}
		list := strings.Join(names, "、")
		if len(names) > 4 {
			list = strings.Join(names[:4], "、") + fmt.Sprintf("等 %d 项", len(names))
		}
		pair(k.Label(), kindGuide(k, per)+"\n本表此类指标："+list, s.bodyBold)
	}

	heading("四、完成进度、序时进度和自查")
	pair("完成进度", "自动计算：本期完成值 ÷ 年度目标；有基数的水平值指标为（本期值 − 基数）÷（目标 − 基数）。达到目标后不低于100%。"+
		"增长率类指标显示是否达到目标（或低于目标几个百分点），控制上限类指标显示是否符合控制目标。", s.bodyBold)
	pair("序时进度", fmt.Sprintf("到报告期末按时间应完成的比例：%s为 %.0f%%（个别指标按计划安排另定）。完成进度低于序时进度 %s 个百分点以上的视为滞后，须在“存在问题”中说明原因。增长率和控制上限类指标直接与年度目标比较，不计序时进度。",
		per.Label(), per.Elapsed()*100, plan.FormatNumber(p.Thresholds.Tolerance*100)), s.bodyBold)
	pair("自查提示", strings.Join([]string{
		"“" + CheckEmpty + "”：还没有填写；",
		"“" + CheckNotNumber + "”：填入了文字、单位或符号，请只填数字；",
		"“" + CheckNegative + "”：累计数和水平值不应为负数；",
		"“" + CheckImplausib + "”：超过年度目标的3倍（或百分比超过100），请核对单位和口径；",
		"“" + CheckBehind + "”：完成进度低于序时进度，请在“存在问题”中说明原因；",
		"“" + CheckBelowRate + "”“" + CheckOverCap + "”：增长率低于目标或超出控制目标，请说明原因；",
		"“" + CheckNotInList + "”：进展状态不是下拉列表中的选项；",
		"“" + CheckPastDue + "”：已过计划完成时间但未完成，请说明原因。",
	}, "\n"), s.bodyBold)

	heading("五、颜色说明")
	for _, c := range []struct {
		style int
		text  string
	}{
		{s.swatchInput, "浅黄色：需要填写的单元格（只有这些单元格可以编辑）"},
		{s.swatchFixed, "白色：计划中的指标、目标和原文，已锁定，不能修改"},
		{s.swatchCalc, "浅绿色：自动计算，随填写的内容即时变化"},
		{s.swatchFlag, "浅红色：该行自查发现问题，请按“自查”列的提示处理"},
		{s.swatchPending, "浅灰色：该行尚未填写，填好后灰色自动消失"},
	} {
		pair("", c.text, c.style)
	}
	heading("六、其他")
	pair("表格保护", "各工作表已设置保护（无密码），只为防止误改固定内容。请不要撤销保护、修改或删除隐藏内容：报送后将自动核对表格结构和固定内容，被改动的表格需要重新填报。", s.bodyBold)
	pair("软件", "可用 Microsoft Excel 2010 及以上版本或 WPS 表格填写；打开时如提示“启用编辑”，请点击启用。", s.bodyBold)
	if err != nil {
		return err
	}
	if err := b.pageSetup(sh, false, 0); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{TabColorRGB: strPtr("4472C4")}); err != nil {
		return err
	}
	return b.protect(sh)
}

// kindGuide says what the value cell means for a kind of target.
func kindGuide(k plan.Kind, p plan.Period) string {
	switch k {
	case plan.Cumulative:
		return fmt.Sprintf("填%s的累计完成值（1月1日以来的累计数），不是单月或单季度的数。例：新引进项目填1月以来累计引进的个数。", p.Covers())
	case plan.Growth:
		return "填年初至报告期末的累计增长率，单位为%：增长5.2%填 5.2，下降1.3%填 -1.3。"
	case plan.Level:
		return "填报告期末达到的水平（当前值），不是增量：如占比为58.5%填 58.5，数量为86家填 86。"
	case plan.Ceiling:
		return "填报告期末的当前值：如城镇调查失业率为5.3%填 5.3。不超过年度控制目标即为符合。"
	case plan.Reduction:
		return "填较基期（见计划原文，如2020年）累计下降的幅度，单位为%：下降12.3%填 12.3；不降反升的填负数。"
	}
	return "只填数字。"
}
