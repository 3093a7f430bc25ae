package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"planrep/plan"
)

// Deliverables: a clause of the plan part whose verb completes something
// (建成, 开工, 出台, 举办 …) and whose object is concrete (a name in “” or
// 《》, a …项目/工程/试点/清单/计划/中心/大会, a list ending in 等) is drafted
// as a milestone, due when the clause says (上半年, 年底前, 6月底前) or at
// the year's end.

var (
	// doneVerbs complete a deliverable whatever it is.
	doneVerbs = []string{"建成投用", "建成投产", "建成运营", "建成", "投用", "投运", "投产", "开工建设", "开工", "启动建设", "启动", "出台", "印发", "发布", "制定", "制订", "修订", "编制", "建立", "组建", "设立", "成立", "挂牌", "争创", "创建", "申报", "申建", "举办", "筹办", "承办", "召开", "通车", "竣工", "完工", "完成", "实施", "开展", "上线", "落成", "开通", "实现"}
	// workVerbs move work on; they make a deliverable only of a named
	// project or a list of them (“推进A、B等重点项目建设”).
	workVerbs = []string{"推进", "推动", "加快", "抓好", "支持", "策划实施", "推出", "建设", "打造", "扩大", "谋划"}
	// Adverbs and helpers that may stand before the verb.
	verbLeads = []string{"力争", "确保", "争取", "全力", "积极", "高效", "全面", "扎实", "持续", "高标准", "高质量", "高水平", "研究", "谋划", "规划", "如期", "按期", "有序", "稳步", "统筹", "同步", "年内", "年底前", "上半年", "下半年", "全年", "适时", "深入", "大力", "着力", "继续", "主动", "系统", "全力以赴", "加速", "依法", "科学", "精心", "组织", "基本", "全部", "率先", "好"}
	// Objects that name a thing to deliver.
	concreteEnds = []string{"项目", "工程", "试点", "清单", "计划", "中心", "大会", "方案", "规划", "纲要", "措施", "机制", "办法", "条例", "意见", "平台", "园区", "基地", "高速", "高铁", "铁路", "大桥", "公路", "机组", "医院", "学校", "博览会", "运动会", "交易会", "论坛", "赛", "新区", "示范区", "任务", "厂", "馆", "站", "港", "枢纽", "通道", "线", "标准厂房", "厂房", "活动", "县", "集群", "名录", "政策", "赛事", "细则", "院区", "校区", "集团", "公司", "节", "楼", "段", "道路", "大道", "公园", "水库", "管网", "机场", "场馆", "综合体", "小镇"}
	// Objects that describe a quality, not a thing.
	vagueEnds = []string{"水平", "能力", "环境", "作用", "质量", "效能", "效率", "成效", "体系", "格局", "氛围", "意识", "动能", "活力", "韧性", "保障", "服务", "战略"}
	// Campaigns and activities go on through the year; they are not
	// delivered.
	ongoingEnds = []string{"行动", "活动", "攻坚战", "工作"}
	// Work that follows its object (“…项目建设”, “…工程主体完工”).
	trailWork = []string{"主体完工", "主体建设", "开工建设", "建设", "工作", "迁移", "搬迁", "改造", "验收", "整合", "全线通车", "通车", "开工", "投用", "建成"}
)

// doneSuffixes complete a deliverable named before them.
var doneSuffixes = []string{"开工建设", "建成投用", "建成投产", "建成", "投用", "投运", "投产", "通车", "竣工", "完工", "开工", "落地", "挂牌"}

// hasSuffixAny2 is hasSuffixAny that says which word.
func hasSuffixAny2(s string, ws []string) (string, bool) {
	for _, w := range ws {
		if strings.HasSuffix(s, w) {
			return w, true
		}
	}
	return "", false
}

var phaseRe = regexp.MustCompile(`[（(]?[一二三四五六七八九十\d]+期[）)]?$`)

var dueRe = regexp.MustCompile(`(上半年|下半年|一季度|二季度|三季度|四季度|前三季度|年底前|年底|年末|年内|(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末|份)?(?:前|之前)?)`)

// dueOf reads when a clause says its deliverable is due; "" when it
// does not.
func (x *extractor) dueOf(s string) string {
	m := dueRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	y := strconv.Itoa(x.year)
	switch m[1] {
	case "上半年", "二季度":
		return y + "H1"
	case "一季度":
		return y + "Q1"
	case "三季度", "前三季度":
		return y + "Q3"
	case "下半年", "四季度", "年底前", "年底", "年末", "年内":
		return y + "Q4"
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		v, ok := hanValue([]rune(m[2]))
		if !ok {
			return ""
		}
		n = v
	}
	if n < 1 || n > 12 {
		return ""
	}
	return fmt.Sprintf("%sM%02d", y, n)
}

// milestone drafts a deliverable from a plan-part clause, if it is one.
// due is a date the sentence gave before the clause; it returns the date
// a bare date clause ("年底前") gives the next.
func (x *extractor) milestone(cl clause, chapter, section, due string) string {
	s := strings.TrimSpace(cl.normStr)
	if d := x.dueOf(s); d != "" {
		due = d
	}
	// A clause that is only a date (“年底前，”) dates the next one.
	if rest := strings.TrimSpace(dueRe.ReplaceAllString(cleanLead(s), "")); rest == "" || rest == "前" {
		return due
	}
	obj, strong, ok := deliverable(s)
	if !ok {
		return due
	}
	if !strong && !concreteObject(obj, true) {
		return due
	}
	if strong && !concreteObject(obj, false) {
		return due
	}
	if due == "" {
		due = strconv.Itoa(x.year) + "Q4"
	}
	t := plan.Target{
		Chapter:   chapter,
		Section:   section,
		Task:      taskOf(section, chapter),
		Indicator: obj,
		Kind:      plan.Milestone,
		Due:       due,
		Quote:     cl.quote,
	}
	if cl.binding {
		t.Binding = true
	}
	x.add(found{t: t, name: obj})
	return ""
}

// cleanLead drops numbering, scope and commitment words from a clause's head.
func cleanLead(s string) string {
	s = stripNumbering(s)
	for changed := true; changed; {
		changed = false
		if m := dueRe.FindStringIndex(s); m != nil && m[0] == 0 && m[1] < len(s) {
			s = strings.TrimSpace(s[m[1]:])
			changed = true
			continue
		}
		for _, w := range append(append([]string{}, leadWords...), verbLeads...) {
			if strings.HasPrefix(s, w) && len(s) > len(w) {
				s = strings.TrimSpace(s[len(w):])
				changed = true
			}
		}
	}
	return s
}

// deliverable finds a clause's verb and object: strong when the verb
// completes something, weak when it only moves work on.
func deliverable(s string) (obj string, strong, ok bool) {
	s = cleanLead(s)
	if w, found := hasPrefixAny(s, doneVerbs); found {
		obj = strings.TrimSpace(s[len(w):])
		strong = true
	} else if w, found := hasPrefixAny(s, workVerbs); found {
		obj = strings.TrimSpace(s[len(w):])
		if w2, again := hasPrefixAny(obj, doneVerbs); again {
			obj, strong = strings.TrimSpace(obj[len(w2):]), true
		}
	} else if w, found := hasSuffixAny2(s, doneSuffixes); found {
		// “江川至海澜高速公路全线通车”: the verb comes last.
		obj = strings.TrimSpace(strings.TrimSuffix(s, w))
		for _, a := range []string{"全线", "主体", "正式", "顺利", "基本", "全面", "实现"} {
			obj = strings.TrimSuffix(obj, a)
		}
		strong = true
	} else {
		return "", false, false
	}
	if !strong {
		if w, found := hasSuffixAny2(obj, doneSuffixes); found && len(obj) > len(w) {
			// “推进沂源抽水蓄能项目开工建设”: the start is the deliverable.
			strong = true
		}
	}
	// A second verb (“建成投用”, “开工建设”) and 好 (“编制好”) are the verb's.
	for changed := true; changed; {
		changed = false
		for _, w := range []string{"好", "建设", "实施", "投用", "运营"} {
			if strings.HasPrefix(obj, w) && len([]rune(obj)) > len([]rune(w))+1 {
				obj, changed = strings.TrimSpace(obj[len(w):]), true
			}
		}
	}
	obj = strings.Trim(obj, "，,、；;：: ")
	if len([]rune(obj)) < 2 {
		return "", false, false
	}
	return obj, strong, true
}

// concreteObject tells a thing to deliver (“江川国际会展中心”, “A、B等重点
// 项目”) from a quality to improve (“服务水平”). A weak verb needs a name in
// quotation marks or a list of projects.
func concreteObject(obj string, weak bool) bool {
	core := obj
	for changed := true; changed; {
		changed = false
		for _, w := range trailWork {
			if strings.HasSuffix(core, w) && len(core) > len(w) {
				core, changed = strings.TrimSpace(core[:len(core)-len(w)]), true
			}
		}
		// “算力中心一期”: a phase of a thing.
		if m := phaseRe.FindStringIndex(core); m != nil && m[0] > 0 {
			core, changed = strings.TrimSpace(core[:m[0]]), true
		}
		// “经十路东延工程(淄博段)”: a part named in brackets.
		if i := strings.LastIndexAny(core, "(（"); i > 0 && strings.HasSuffix(core, ")") || strings.HasSuffix(core, "）") {
			if i := strings.LastIndexAny(core, "(（"); i > 0 {
				core, changed = strings.TrimSpace(core[:i]), true
			}
		}
	}
	core = strings.TrimRight(core, "的")
	if hasSuffixAny(core, ongoingEnds) || hasSuffixAny(obj, ongoingEnds) && !hasSuffixAny(obj, trailWork) {
		return false
	}
	quoted := strings.ContainsAny(core, "“《\"")
	named := quoted || strings.Contains(core, "等") || strings.Contains(core, "、") || strings.Contains(obj, "(") || strings.Contains(obj, "（") || strings.Contains(core, "至")
	if hasSuffixAny(core, vagueEnds) {
		return !weak && quoted
	}
	ends := hasSuffixAny(core, concreteEnds)
	if hasAny(core, []string{"更多", "一批", "若干个"}) {
		return false
	}
	if weak {
		if _, ok := hasPrefixAny(core, []string{"培育", "打造", "发展", "提升", "壮大", "引导"}); ok {
			return false
		}
		// A weak verb needs a named thing: “A、B等重点项目”, “A至B高速”,
		// or a long proper name of a project.
		if ends && !named && hasSuffixAny(core, []string{"项目", "工程", "机组"}) && len([]rune(core)) >= 10 && !hasAny(core, []string{"重点", "重大", "一批", "各类", "相关", "一系列", "提升", "能力", "质量", "创新"}) {
			return true
		}
		return named && ends
	}
	return ends || quoted && (strings.HasSuffix(core, "”") || strings.HasSuffix(core, "》"))
}

// startsDeliverable reports a clause that opens with a date and then a
// verb of completion (“上半年建成…”, “一季度开工…”): a due date, not a
// period's result.
func startsDeliverable(s string) bool {
	m := dueRe.FindStringIndex(s)
	if m == nil || m[0] != 0 {
		return false
	}
	_, ok := hasPrefixAny(cleanLead(s[m[1]:]), doneVerbs)
	return ok
}
