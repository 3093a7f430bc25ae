// Package extract finds the quantitative targets in the text of a Chinese
// annual development plan (国民经济和社会发展计划, or the 计划执行情况与计划草案的
// 报告 delivered to a people's congress) and drafts a registry from them for
// the planning office to review.
//
// The rules describe the genre, not one city: headings 一、/（一）/一是/1.,
// clauses separated by Chinese or ASCII punctuation, a number followed by a
// unit and the qualifier words of plans (力争, 确保, 以上, 左右, 控制在 …).
// The review of last year is read for baselines only.
package extract

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"planrep/plan"
)

// Options tune an extraction.
type Options struct {
	// Year is the plan year; 0 infers it from the text's title.
	Year int
	// Roster gives each target a suggested lead and supporting
	// departments; nil is DefaultRoster.
	Roster *Roster
}

// ErrNoYear is returned when the plan year is neither given nor found.
var ErrNoYear = errors.New("无法从文本中判断计划年度（如“2025年国民经济和社会发展计划”）：请用 --year 指定")

// Extract drafts a registry from a plan's text: metadata, one target per
// quantitative target of the plan year and one milestone per deliverable,
// each with a lead and supporting departments suggested from the roster's
// remits (every one a suggestion for the office to confirm).
func Extract(text string, opt Options) (*plan.Plan, error) {
	year := opt.Year
	if year == 0 {
		y, ok := InferYear(text)
		if !ok {
			return nil, ErrNoYear
		}
		year = y
	}
	if year < 1949 || year > 2200 {
		return nil, fmt.Errorf("计划年度 %d 不合理：请用 --year 指定四位年份", year)
	}
	folded := fold(text)
	x := newExtractor(year)
	x.run(folded)
	title := unfold(text, folded, Title(folded, year))
	if title == "" {
		title = fmt.Sprintf("%d年国民经济和社会发展计划", year)
	}
	p := &plan.Plan{
		ID:         fmt.Sprintf("draft-%d", year),
		Title:      title,
		Year:       year,
		Thresholds: plan.DefaultThresholds,
		Targets:    x.targets(),
		Text:       text,
	}
	for i := range p.Targets {
		p.Targets[i].Quote = unfold(text, folded, p.Targets[i].Quote)
	}
	r := opt.Roster
	if r == nil {
		r = builtin()
	}
	r.assign(p, placeOf(title, year))
	return p, nil
}

var titleRe = regexp.MustCompile(`(?m)((?:19|20|21)\d\d)\s?年[^\n。，,；;执]{0,24}?(国民经济(?:和|与)社会发展计划|经济社会发展计划|社会发展计划|主要预期目标|主要目标|计划草案|计划[\s（(]|计划$)`)

// InferYear finds the plan year in the text: the latest year named in a
// plan title ("2025年国民经济和社会发展计划", "2025年…主要预期目标",
// "…2025年计划草案"). A year followed by 执行情况 names the review.
func InferYear(text string) (int, bool) {
	text = fold(text)
	best := 0
	for _, m := range titleRe.FindAllStringSubmatchIndex(text, -1) {
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		rest := text[m[1]:min(len(text), m[1]+12)]
		if strings.HasPrefix(rest, "执行情况") || strings.HasPrefix(rest, "完成情况") {
			continue
		}
		if y > best {
			best = y
		}
	}
	return best, best != 0
}

// Title returns the plan's own name for the year, as a line of the text
// gives it ("关于印发…的通知" becomes the name inside it).
func Title(text string, year int) string {
	want := strconv.Itoa(year) + "年"
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if len([]rune(l)) > 80 || !strings.Contains(l, want) || strings.ContainsAny(l, "，,。；;") {
			continue
		}
		if i := strings.Index(l, "关于印发"); i >= 0 {
			l = l[i+len("关于印发"):]
		}
		l = strings.TrimSuffix(l, "的通知")
		l = strings.Trim(l, "《》“”\" ")
		for _, end := range []string{"计划", "计划安排", "计划（草案）", "计划(草案)", "计划草案", "的报告", "目标"} {
			if strings.HasSuffix(l, end) {
				return l
			}
		}
	}
	return ""
}

// allUnits are plan.KnownUnits and their composites with a prefix (万家,
// 亿千瓦时), longest first, so that 万千瓦 wins over 千瓦.
var allUnits = func() []string {
	var u []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] && plan.KnownUnit(s) {
			seen[s] = true
			u = append(u, s)
		}
	}
	for _, k := range plan.KnownUnits {
		add(k)
		for _, p := range plan.UnitPrefixes {
			add(p + k)
		}
	}
	sort.SliceStable(u, func(i, j int) bool { return len([]rune(u[i])) > len([]rune(u[j])) })
	return u
}()

// unitAt returns the unit written at r[k], "" if none.
func unitAt(r []rune, k int) string {
	for _, u := range allUnits {
		if hasAt(r, k, u) {
			return u
		}
	}
	return ""
}

// found is one target found in the plan part, before ids are given.
type found struct {
	t    plan.Target
	name string // indicator as the plan words it, for baselines and duplicates
}

// record is one of last year's results, kept to give a target its baseline.
type record struct {
	name  string
	value float64
	unit  string
	kind  plan.Kind
}

type extractor struct {
	year    int
	level   int // 1 province, 2 city, 3 county; 0 unknown
	found   []found
	seen    map[string]bool
	records []record
}

func newExtractor(year int) *extractor {
	return &extractor{year: year, seen: map[string]bool{}}
}

var (
	h1Re   = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+(?:部分|章|节)\s*)`)
	h2Re   = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`)
	h3Re   = regexp.MustCompile(`^(?:\d{1,2}[、.．](?:[^\d]|$)|[（(]\d{1,2}[）)])`)
	shiRe  = regexp.MustCompile(`^[一二三四五六七八九十]+是`)
	yearRe = regexp.MustCompile(`((?:19|20|21)\d\d)\s?年`)
)

// run walks the document line by line, keeping the heading path and whether
// the current part reviews a past year. The part changes only where a line
// says so (a heading, a lead-in, a title): a heading that names a topic
// (“全力扩大有效需求”) keeps the part it is in.
func (x *extractor) run(text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	x.level = planLevel(text, x.year)
	var h1, h2, h3 string
	past := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if n := x.table(lines, i, h1, h2, h3, past); n > 0 {
			i += n - 1
			continue
		}
		// A numbered line that states a target ("（一）地区生产总值增长6%左右")
		// is an item of a list, not a heading.
		item := len(x.tokens(newClause(headText(l)))) > 0
		heading := false
		switch {
		case h1Re.MatchString(l) && !item:
			h1, h2, h3 = headText(l), "", ""
			heading = true
		case h2Re.MatchString(l) && !item:
			h2, h3 = headText(l), ""
			heading = true
		case h3Re.MatchString(l):
			// "1.扩大有效投资。…" names a section; "1.地区生产总值增长6%左右"
			// is a target in a numbered list.
			h3 = headText(l)
			if len(x.tokens(newClause(h3Re.ReplaceAllString(h3, "")))) > 0 {
				h3 = ""
			}
		}
		if m := x.marker(l, heading || isTitleLine(l)); m != 0 {
			past = m < 0
		}
		x.paragraph(l, chapterOf(h1, h2), h3, past)
	}
}

// isTitleLine is a line that stands alone: a title or an unnumbered heading.
func isTitleLine(l string) bool {
	return len([]rune(l)) <= 64 && !strings.ContainsAny(l, "，,。；;！？")
}

var (
	reviewWords = []string{"执行情况", "完成情况", "工作回顾", "回顾", "主要成效", "成效", "取得的成绩", "主要成绩", "发展成就", "主要工作"}
	planWords   = []string{"目标", "任务", "计划", "预期", "安排", "思路", "总体要求", "重点工作", "措施", "草案"}
	// Lead-ins that open a review wherever they stand.
	reviewLeads = []string{"回顾过去一年", "回顾一年来", "过去一年", "一年来", "一年以来", "去年以来", "回顾去年"}
	planLeads   = []string{"今年", "明年", "新的一年"}
)

// marker says whether a line opens the review (-1) or the plan part (+1):
// a past year with 执行情况 or 回顾, a lead-in such as “一年来”, or the plan
// year with 目标, 任务 or 安排. A heading or title is read whole; a
// paragraph only where it starts.
func (x *extractor) marker(l string, heading bool) int {
	s := stripNumbering(l)
	if _, ok := hasPrefixAny(s, reviewLeads); ok {
		// “过去一年，…。今年，…” sets one year against the other in a
		// paragraph; it does not open a part.
		for _, st := range splitKeep(s, "。！？!?")[1:] {
			if _, ok := hasPrefixAny(strings.TrimSpace(st), planLeads); ok {
				return 0
			}
			if y, at := x.firstYear(strings.TrimSpace(st)); at == 0 && y == x.year {
				return 0
			}
		}
		return -1
	}
	if !heading {
		// A paragraph marks a part by its opening words only:
		// “2026年经济社会发展的主要预期目标是：…”.
		head := s
		for _, sep := range []string{"：", ":", "。", "，", ","} {
			if i := strings.Index(head, sep); i >= 0 {
				head = head[:i]
			}
		}
		y, at := x.firstYear(head)
		if _, ok := hasPrefixAny(head, planLeads); ok && hasAny(head, planWords) && len([]rune(head)) <= 40 {
			return 1
		}
		if at != 0 || len([]rune(head)) > 40 {
			return 0
		}
		switch {
		case y == x.year && hasAny(head, planWords) && !hasAny(head, reviewWords):
			return 1
		case y < x.year && hasAny(head, reviewWords):
			return -1
		}
		return 0
	}
	past, this := -1, -1
	for _, m := range yearRe.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		if isBaseYear(s, m[0], m[1]) {
			continue
		}
		if y < x.year && past < 0 {
			past = m[0]
		}
		if y == x.year && this < 0 {
			this = m[0]
		}
	}
	rev, pl := hasAny(s, reviewWords), hasAny(s, planWords)
	switch {
	case past >= 0 && this >= 0:
		// “2025年计划执行情况与2026年计划草案的报告”: the review comes first.
		if past < this {
			return -1
		}
		return 1
	case past >= 0:
		return -1
	case this >= 0 && rev:
		return -1 // “2026年以来工作回顾” is not a plan
	case this >= 0 && pl:
		return 1
	case rev && !strings.Contains(s, "目标") || strings.Contains(s, "完成情况"):
		return -1
	case hasAny(s, []string{"主要目标", "预期目标", "重点任务", "主要任务", "工作安排", "重点工作", "总体要求", "主要措施"}):
		return 1
	}
	if _, ok := hasPrefixAny(s, planLeads); ok && pl {
		return 1
	}
	return 0
}

// firstYear returns the first year a text names and where (in bytes);
// -1 when it names none.
func (x *extractor) firstYear(s string) (int, int) {
	m := yearRe.FindStringSubmatchIndex(s)
	if m == nil {
		return 0, -1
	}
	y, _ := strconv.Atoi(s[m[2]:m[3]])
	return y, m[0]
}

// isBaseYear reports a year that is a base of comparison (较2020年,
// 比2024年, 2020年基础上) rather than the time of a statement.
func isBaseYear(s string, start, end int) bool {
	before := []rune(s[:start])
	if len(before) > 0 && strings.ContainsRune("较比与以", before[len(before)-1]) {
		return true
	}
	after := s[end:]
	for _, w := range []string{"基础", "水平", "基数", "为基", "底", "末", "以来"} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}

func chapterOf(h1, h2 string) string {
	if h2 != "" {
		return h2
	}
	return h1
}

// headText is a heading's name: the line up to its first punctuation.
func headText(l string) string {
	r := []rune(l)
	for i, c := range r {
		if i > 2 && strings.ContainsRune("，,。；;：:！？", c) {
			return strings.TrimSpace(string(r[:i]))
		}
	}
	if len(r) > 40 {
		return string(r[:40])
	}
	return l
}

// Topic sentences of a review state a result: a subject, then an adverb
// and a verb of change (“居民消费稳步恢复。”). A plan's start with the verb
// (“稳步扩大居民消费。”).
var (
	resultAdverbs = []string{"稳步", "持续", "明显", "显著", "不断", "进一步", "稳中", "全面", "有效", "日益", "逐步", "大幅", "较快", "快速", "扎实", "有序", "加速", "加快", "强劲", "总体", "积极", "整体", "稳定", "平稳", "有力", "加力", "提速", "提质", "量质", "回升", "恢复", "成效", "亮点", "势头", "再上", "迈上", "取得", "实现", "焕发", "蓬勃", "更加", "企稳"}
	resultVerbs   = []string{"恢复", "向好", "回升", "改善", "提升", "增强", "提高", "巩固", "完善", "优化", "加快", "突破", "显著", "明显", "有力", "有效", "成效", "进展", "稳定", "平稳", "提速", "加力", "见效", "扩大", "深化", "增效", "提质", "有进", "向优", "落地", "释放", "壮大", "夯实", "加速", "推进", "活跃", "攀升", "发展", "增长", "升级", "新高", "台阶", "成果", "有为", "显现", "彰显", "增加", "上升", "向新", "出新", "加强", "健全", "好转", "开局", "起步", "完成"}
	planVerbs     = []string{"加快", "推动", "推进", "扩大", "全力", "着力", "大力", "坚持", "深化", "强化", "持续", "积极", "全面", "切实", "统筹", "聚焦", "实施", "促进", "提升", "提高", "优化", "完善", "健全", "构建", "打造", "培育", "发展", "加强", "做强", "做优", "做大", "筑牢", "守牢", "保障", "增进", "稳定", "巩固", "稳步", "扎实", "不断", "进一步", "更加", "努力", "坚定", "坚决", "主动", "精准", "用好", "抓好", "办好", "做好", "全方位", "多措并举", "千方百计", "有效", "有序", "提速", "加力", "纵深", "高水平", "高质量", "建设", "激发", "释放", "增强", "拓展", "深入", "加大", "扩", "稳", "促", "抓", "强", "优", "提", "保", "建", "推", "兴", "惠", "防"}
)

// topicPast reports a topic sentence of a review: short, without figures,
// ending in an adverb and a verb of change, not opening with a verb.
func topicPast(s string) bool {
	s = strings.TrimSpace(strings.TrimRight(s, "。！!；;"))
	s = stripNumbering(s)
	n := len([]rune(s))
	if n < 4 || n > 24 || strings.ContainsAny(s, "，,：:0123456789%") {
		return false
	}
	if _, ok := hasPrefixAny(s, planVerbs); ok {
		return false
	}
	if !hasSuffixAny(s, resultVerbs) {
		return false
	}
	r := []rune(s)
	tail := string(r[max(0, n-6):])
	return hasAny(tail, resultAdverbs) || hasSuffixAny(s, []string{"成效", "新高", "台阶", "成果", "进展", "显现", "彰显", "开局"})
}

// paragraph splits a line into sentences and clauses. A sentence that
// opens with a past year (or 去年) makes the rest of the paragraph review;
// so does a topic sentence that states a result (“居民消费稳步恢复。”).
func (x *extractor) paragraph(l, chapter, section string, past bool) {
	sentences := splitKeep(l, "。！？!?")
	ctxPast := past
	for k, s := range sentences {
		st := strings.TrimSpace(s)
		if m := shiRe.FindString(st); m != "" {
			section = headText(st)
		}
		if k == 0 || shiRe.MatchString(st) {
			body := shiRe.ReplaceAllString(st, "")
			if k == 0 && topicPast(st) || k > 0 && topicPast(body) {
				ctxPast = true
			}
		}
		if y, at := x.firstYear(st); at == 0 {
			rest := strings.TrimLeft(yearRe.ReplaceAllString(st[:min(len(st), 12)], ""), " ") + st[min(len(st), 12):]
			if !strings.HasPrefix(rest, "是") && !strings.HasPrefix(rest, "前") && !strings.HasPrefix(rest, "以来") {
				ctxPast = past || y < x.year
				if y == x.year {
					ctxPast = false
				}
			}
		}
		for _, w := range []string{"去年", "过去一年", "一年来", "上年", "截至", "截止", "目前", "回顾过去"} {
			if strings.HasPrefix(st, w) {
				ctxPast = true
			}
		}
		if w, ok := hasPrefixAny(st, planLeads); ok && !strings.HasPrefix(st[len(w):], "以来") {
			ctxPast = false
		}
		if strings.HasPrefix(st, "全年") {
			ctxPast = past // “截至11月底，…。全年…”: the year, as the part has it
		}
		x.sentence(s, chapter, section, ctxPast)
	}
}

// splitKeep splits s after each rune in seps, keeping the separators.
func splitKeep(s, seps string) []string {
	var out []string
	start := 0
	for i, c := range s {
		if strings.ContainsRune(seps, c) {
			end := i + len(string(c))
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

const clauseSeps = "，,；;：:。！？!?\t"

// periodRe opens a clause about part of a year (前三季度, 1—11月, 上半年):
// a result so far, not a target.
var periodRe = regexp.MustCompile(`^(?:同期|其中|而|全年)?(?:前[一二三1-3]季度|[一二三四1-4]季度|上半年|下半年|前\d{1,2}个月|前[一二三四五六七八九十]+个月|\d{1,2}\s*[-—–~～至]\s*\d{1,2}月|[一1]至[一二三四五六七八九十]+月|截至\d{1,2}月|\d{1,2}月(?:份|底|末)?[，,]|年初以来|今年以来)`)

// sentence reads each clause of a sentence. 力争/确保 at the head of a
// sentence governs its later clauses too; so does a year or a period that
// opens a clause (“2025年增长5.2%，2026年预期增长5.5%”).
func (x *extractor) sentence(s, chapter, section string, past bool) {
	commit := ""
	subject := ""
	due := ""
	cur := past
	var parts []string
	for _, c := range splitClauses(s) {
		parts = append(parts, x.splitYears(strings.TrimSpace(strings.TrimRight(c, clauseSeps)))...)
	}
	for _, q := range parts {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		cl := newClause(q)
		for _, w := range []string{"力争", "确保"} {
			if strings.HasPrefix(cl.normStr, w) || strings.HasPrefix(strings.TrimPrefix(cl.normStr, "全年"), w) {
				commit = w
			}
		}
		lead := strings.TrimLeft(cl.normStr, "（(")
		// A year dates the clause and those after it: “2025年增长5.2%，
		// 2026年预期增长5.5%”.
		for _, m := range yearRe.FindAllStringSubmatchIndex(lead, -1) {
			if isBaseYear(lead, m[0], m[1]) {
				continue
			}
			if y, _ := strconv.Atoi(lead[m[2]:m[3]]); y <= x.year {
				cur = y < x.year
			}
			break
		}
		if periodRe.MatchString(lead) && !startsDeliverable(lead) {
			cur = true
		} else if strings.HasPrefix(lead, "全年") || strings.HasPrefix(lead, "今年") {
			cur = past
		}
		if x.higherLevel(lead) {
			continue // a province's or the country's figure, quoted as context
		}
		clausePast := cur || x.pastClause(cl.normStr)
		toks := x.tokens(cl)
		if clausePast {
			subject = x.review(cl, toks, subject)
			continue
		}
		n := len(x.found)
		subject = x.plan(cl, toks, chapter, section, commit, subject)
		if len(x.found) == n {
			due = x.milestone(cl, chapter, section, due)
		} else {
			due = ""
		}
	}
}

// splitYears splits a clause that gives last year's figure and then the
// plan year's (“2025年增长7.1%、2026年预期增长7%左右”) where the plan year
// begins.
func (x *extractor) splitYears(q string) []string {
	sawPast := false
	for _, m := range yearRe.FindAllStringSubmatchIndex(q, -1) {
		if isBaseYear(q, m[0], m[1]) {
			continue
		}
		y, _ := strconv.Atoi(q[m[2]:m[3]])
		switch {
		case y < x.year:
			sawPast = true
		case y == x.year && sawPast && m[0] > 0:
			return []string{strings.TrimRight(q[:m[0]], "、和及与 "), q[m[0]:]}
		}
	}
	return []string{q}
}

// planLevel says how high the plan's government stands: 1 a province,
// 2 a city, 3 a county or district; from the title, else from which of
// 全省/全市/全县 the text says most.
func planLevel(text string, year int) int {
	y := strconv.Itoa(year) + "年"
	for _, line := range strings.SplitN(text, "\n", 40) {
		i := strings.Index(line, y)
		if i <= 0 || !isTitleLine(strings.TrimSpace(line)) {
			continue
		}
		place := strings.TrimSpace(line[:i])
		place = strings.TrimPrefix(place, "关于")
		switch {
		case strings.HasSuffix(place, "省") || strings.HasSuffix(place, "自治区"):
			return 1
		case strings.HasSuffix(place, "市") || strings.HasSuffix(place, "州") || strings.HasSuffix(place, "盟"):
			return 2
		case strings.HasSuffix(place, "县") || strings.HasSuffix(place, "区") || strings.HasSuffix(place, "旗"):
			return 3
		}
	}
	best, level := 0, 0
	for i, w := range []string{"全省", "全市", "全县"} {
		if n := strings.Count(text, w); n > best {
			best, level = n, i+1
		}
	}
	return level
}

// higherLevel reports a clause about a higher government's area: 全国 or
// 国家 in a province's plan, 全省 too in a city's, 全市 too in a county's.
func (x *extractor) higherLevel(s string) bool {
	s = strings.TrimLeft(s, "（(")
	for _, w := range []string{"同期", "其中", "而"} {
		s = strings.TrimPrefix(s, w)
	}
	words := []string{"全国", "国家下达", "国家确定"}
	if x.level >= 2 {
		words = append(words, "全省", "省下达我", "省里")
	}
	if x.level >= 3 {
		words = append(words, "全市")
	}
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			rest := strings.TrimPrefix(s, w)
			// “全国文明城市”, “全省第一”: a title or a rank, not an area.
			if _, ok := hasPrefixAny(rest, []string{"文明", "第", "前列", "首位", "示范", "重点", "先进", "百强", "十强", "领先", "一流"}); ok {
				return false
			}
			return true
		}
	}
	return false
}

func splitClauses(s string) []string {
	var out []string
	start := 0
	depth := 0
	for i, c := range s {
		switch c {
		case '（', '(':
			depth++
		case '）', ')':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.ContainsRune(clauseSeps, c) {
			end := i + len(string(c))
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// pastClause reports a clause that states a result: 同比, 已…, or a past
// year that is not a base of comparison (较2020年, 比2024年).
func (x *extractor) pastClause(s string) bool {
	for _, w := range []string{"已经", "已建成", "已完成", "已开工", "已达到", "截至", "截止", "目前", "一年来"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	for _, m := range yearRe.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		if y >= x.year {
			continue
		}
		before := []rune(s[:m[0]])
		if len(before) > 0 && strings.ContainsRune("较比与以", before[len(before)-1]) {
			continue
		}
		after := s[m[1]:]
		if strings.HasPrefix(after, "基础") || strings.HasPrefix(after, "水平") || strings.HasPrefix(after, "基数") ||
			strings.HasPrefix(after, "为基") || strings.HasPrefix(after, "底") {
			continue
		}
		return true
	}
	return false
}

// clause is one clause of the text, as written and with full-width digits,
// ％ and ． folded to ASCII (rune for rune, so offsets agree).
type clause struct {
	norm    []rune
	normStr string
	quote   string
	binding bool // says 约束性
	yearly  bool // says 全年 or 年度: counts within the year
}

func newClause(q string) clause {
	orig := []rune(q)
	norm := make([]rune, len(orig))
	for i, c := range orig {
		switch {
		case c >= '０' && c <= '９':
			c = '0' + (c - '０')
		case c == '％':
			c = '%'
		case c == '．':
			c = '.'
		case c == '＋':
			c = '+'
		}
		norm[i] = c
	}
	norm = normalizeNumbers(norm)
	ns := string(norm)
	return clause{norm: norm, normStr: ns, quote: q,
		binding: strings.Contains(ns, "约束性"),
		yearly:  strings.Contains(ns, "全年") || strings.Contains(ns, "年度")}
}

// token is a number with its unit and the qualifiers around it.
type token struct {
	numStart, numEnd int // runes of the number
	end              int // after the unit and any trailing qualifier
	value            float64
	unit             string
	quals            []string // 以上, 左右, 以内, 以下 written at the number
	beforeNoun       bool     // "8家卫生院": the number precedes its noun
	share            bool     // "70%以上的镇…": a share of a group
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func isLatin(c rune) bool { return c < 128 && unicode.IsLetter(c) }

func isHan(c rune) bool { return unicode.Is(unicode.Han, c) }

func hasAt(r []rune, i int, w string) bool {
	if i < 0 {
		return false
	}
	k := i
	for _, c := range w {
		if k >= len(r) || r[k] != c {
			return false
		}
		k++
	}
	return true
}

// tokens finds the numbers that carry a unit, leaving out years, ordinals
// (第3位), programme names (3510, 1+2+N, 5G) and numbers inside a category
// (过10亿元镇, 百亿级).
func (x *extractor) tokens(cl clause) []token {
	r := cl.norm
	var out []token
	for i := 0; i < len(r); i++ {
		if !isDigit(r[i]) || (i > 0 && (isDigit(r[i-1]) || r[i-1] == '.')) {
			continue
		}
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j+1 < len(r) && r[j] == '.' && isDigit(r[j+1]) {
			j++
			for j < len(r) && isDigit(r[j]) {
				j++
			}
		}
		numEnd := j
		// "增长5—6%": a range is met at its lower end.
		rangeEnd := -1
		if numEnd+1 < len(r) && strings.ContainsRune("-—–~～至到", r[numEnd]) && isDigit(r[numEnd+1]) {
			k := numEnd + 1
			for k < len(r) && (isDigit(r[k]) || (r[k] == '.' && k+1 < len(r) && isDigit(r[k+1]))) {
				k++
			}
			if k < len(r) && r[k] == '—' {
				k++
			}
			if u := x.unitAt(r, k); u != "" && u != "年" {
				rangeEnd = k
			}
		}
		if i > 0 {
			p := r[i-1]
			if isLatin(p) || strings.ContainsRune("+-/—~第×*#No", p) {
				i = numEnd - 1
				continue
			}
		}
		if rangeEnd < 0 && numEnd < len(r) && (isLatin(r[numEnd]) || strings.ContainsRune("+/:：-—~", r[numEnd])) {
			i = numEnd - 1
			continue
		}
		v, err := strconv.ParseFloat(string(r[i:numEnd]), 64)
		if err != nil {
			i = numEnd - 1
			continue
		}
		k := numEnd
		if rangeEnd >= 0 {
			k = rangeEnd
		}
		var quals []string
		if k < len(r) && (r[k] == '余' || r[k] == '多') {
			k++ // "400余场": about, as reviews put it
		}
		for _, q := range []string{"左右", "以上"} {
			if hasAt(r, k, q) {
				quals = append(quals, q)
				k += 2
				break
			}
		}
		unit := x.unitAt(r, k)
		if unit == "" {
			i = numEnd - 1
			continue
		}
		if unit == "年" && numEnd-i == 4 {
			i = numEnd - 1
			continue
		}
		e := k + len([]rune(unit))
		for _, q := range []string{"以上", "左右", "以内", "以下"} {
			if hasAt(r, e, q) {
				quals = append(quals, q)
				e += 2
				break
			}
		}
		t := token{numStart: i, numEnd: numEnd, end: e, value: v, unit: unit, quals: quals}
		if e < len(r) {
			n := r[e]
			if n == '级' || n == '量' || (n == '的' && unit != "%") {
				i = e - 1
				continue
			}
			listed := strings.ContainsRune("和及与或", n) && e+1 < len(r) && isDigit(r[e+1]) // "6%和8%"
			if isHan(n) && !listed && !hasAt(r, e, "的") && !hasAt(r, e, "大关") && !hasAt(r, e, "台阶") && !hasAt(r, e, "关口") {
				t.beforeNoun = true
			}
			if n == '“' || n == '"' || n == '《' {
				t.beforeNoun = true
			}
			if hasAt(r, e, "的") && unit == "%" {
				t.beforeNoun = true
			}
		}
		// “过20亿元企业” names a class of firms; “游客超6000万人次” is a
		// target: after 过 or 超, a number is a target only where no noun
		// follows it.
		if i > 0 && (r[i-1] == '过' || r[i-1] == '超') && (t.beforeNoun || hasAt(r, e, "的")) {
			i = e - 1
			continue
		}
		out = append(out, t)
		i = e - 1
	}
	return out
}

func (x *extractor) unitAt(r []rune, k int) string { return unitAt(r, k) }

// Leading words that commit or scope rather than name an indicator.
var leadWords = []string{"力争", "确保", "全年", "全市", "全省", "全区", "全县", "全州", "全盟", "全旗", "今年", "去年", "上年", "年内", "努力", "争取", "预计", "预期", "实现", "其中", "并", "及", "和", "同比", "累计", "当年", "年末", "年底"}

// Trailing words between an indicator and its number.
var trailWords = []string{"分别", "达到", "达", "突破", "提高到", "提升到", "提高至", "提升至", "控制在", "控制到", "保持在", "稳定在", "保持", "超过", "不低于", "不少于", "不超过", "不高于", "低于", "为", "约", "完成", "实现", "增加到", "增至", "增长到", "增长至", "降至", "降到", "下降到", "下降至", "降低到", "降低至", "减少到", "减少至", "在", "总量", "以上", "超", "过"}

var numberingRe = regexp.MustCompile(`^(?:[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|[一二三四五六七八九十]+[、.．是]|\d{1,2}[、.．](?:\D|$)|第[一二三四五六七八九十]+(?:部分|章|节))`)

// stripNumbering drops a line's bullet and numbering (一、（二）3. 四是).
func stripNumbering(s string) string {
	s = strings.TrimLeft(strings.TrimSpace(s), "●○■□◆◇▲△★☆•·—–-*> 　")
	if m := numberingRe.FindString(s); m != "" {
		r := []rune(m)
		if last := r[len(r)-1]; !strings.ContainsRune("、.．）)是分章节", last) {
			m = string(r[:len(r)-1]) // the pattern's look-ahead rune
		}
		s = strings.TrimSpace(s[len(m):])
	}
	return s
}

func cleanName(s string) string {
	s = strings.ReplaceAll(stripNumbering(s), "同比", "")
	for changed := true; changed; {
		changed = false
		if m := yearRe.FindStringIndex(s); m != nil && m[0] == 0 && m[1] < len(s) {
			s, changed = strings.TrimSpace(s[m[1]:]), true // “2025年全市…”
		}
		for _, w := range leadWords {
			if strings.HasPrefix(s, w) && len(s) > len(w) {
				s = strings.TrimSpace(s[len(w):])
				changed = true
			}
		}
		for _, w := range trailWords {
			if w == "总量" {
				continue
			}
			if strings.HasSuffix(s, w) && len(s) > len(w) {
				s = strings.TrimSpace(s[:len(s)-len(w)])
				changed = true
			}
		}
	}
	return strings.Trim(s, "、 ")
}

// Words that make a count of what is done within the year.
var (
	newWords      = []string{"新增", "新建", "新改建", "新改扩建", "新培育", "新引进", "新认定", "新开工", "新培养", "新发展", "新登记", "新创建", "新设立", "新入选", "新招引", "新落地", "新签约", "新建成", "新吸引", "新上"}
	doWords       = []string{"接待", "引进", "招引", "培育", "培训", "培养", "举办", "开展", "实施", "推出", "打造", "建成", "建设", "创建", "争创", "认定", "修复", "治理", "改造", "完成", "到位", "发放", "推进实施", "建设提升", "组织", "帮扶", "吸纳", "带动", "开工", "签约", "落地", "投入", "安排", "发行", "提供", "新改", "提升完善", "优化提升", "新建提升", "改造提升", "建设提升"}
	levelWords    = []string{"达到", "达", "突破", "超", "稳定在", "保持在", "保持", "提高到", "提升到", "提高至", "提升至", "超过", "增加到", "增至", "增长到", "增长至", "不低于", "不少于"}
	levelNouns    = []string{"规模", "总量", "总数", "数量", "保有量", "累计", "总额", "余额", "率", "占比", "比重", "比例", "指数", "强度", "水平", "寿命", "面积", "容量", "人均", "每万人", "万人", "千人"}
	ceilingWords  = []string{"控制在", "控制到", "以内", "不超过", "不高于", "低于", "以下", "下降到", "下降至", "降至", "降到", "降低到", "降低至", "减少到", "减少至"}
	ceilingNouns  = []string{"失业率", "涨幅"}
	growthWords   = []string{"增长", "增速", "增幅"}
	reduceWords   = []string{"下降", "降低", "减少", "压减", "削减", "压降"}
	bindingTopics = []string{"能耗", "用水", "碳排放", "二氧化碳", "污染物", "排放"}
	// Indicators that plans in the genre list as 约束性 whatever their verb:
	// environmental quality, farmland, forests, energy and carbon.
	bindingAlways = []string{"水质", "空气质量", "优良天数", "细颗粒物", "PM2.5", "耕地保有量", "永久基本农田", "森林覆盖率", "森林蓄积量", "能耗", "碳排放", "二氧化碳"}
	commitWords   = []string{"力争", "确保"}
	orderedQuals  = []string{"力争", "确保", "达到", "突破", "提高到", "控制在", "稳定在", "保持", "以上", "左右", "以内"}
)

func hasAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func hasPrefixAny(s string, ws []string) (string, bool) {
	for _, w := range ws {
		if strings.HasPrefix(s, w) {
			return w, true
		}
	}
	return "", false
}

// lastWord returns which of ws ends closest to the end of s.
func lastWord(s string, ws []string) string {
	best, at := "", -1
	for _, w := range ws {
		if i := strings.LastIndex(s, w); i >= 0 && i+len(w) > at || (i >= 0 && i+len(w) == at && len(w) > len(best)) {
			best, at = w, i+len(w)
		}
	}
	return best
}

// item is one number of a clause with the words that name it.
type item struct {
	tok    token
	prefix string // raw text naming it (subject and verb), cleaned later
	pred   string // predicate shared through 分别 (较2020年下降)
	noun   string // for "8家卫生院": the noun after the number
}

// items pairs each usable number of a clause with its name.
func (x *extractor) items(cl clause, toks []token) []item {
	r := cl.norm
	// A share of a group ("70%以上涉农镇…突破2亿元"): the share is the
	// target, later numbers only define the group.
	if len(toks) > 0 && toks[0].unit == "%" && toks[0].beforeNoun && len(toks[0].quals) > 0 {
		head := cleanName(string(r[:toks[0].numStart]))
		if head == "" || strings.TrimSpace(string(r[:toks[0].numStart])) == "" || isLeadOnly(string(r[:toks[0].numStart])) {
			t := toks[0]
			t.share = true
			name := strings.TrimLeft(string(r[t.end:]), "的")
			return []item{{tok: t, prefix: name}}
		}
	}
	var its []item
	fenbie := strings.Index(cl.normStr, "分别")
	fenbieRune := -1
	if fenbie >= 0 {
		fenbieRune = len([]rune(cl.normStr[:fenbie]))
	}
	start := 0
	for k, t := range toks {
		it := item{tok: t, prefix: string(r[start:t.numStart])}
		next := t.end
		if t.beforeNoun && (moneyUnit(t.unit) || (k+1 < len(toks) && (t.hasQual("以上") || t.hasQual("以下")))) {
			// "10亿元以上项目100个": the first number names a class.
			continue
		}
		if t.beforeNoun {
			// "建成8家卫生院、50个工作室": a later number shares the verb.
			shared := len(its) > 0 && its[len(its)-1].noun != "" && cleanName(it.prefix) == ""
			if shared {
				it.prefix = its[len(its)-1].prefix
			} else if !x.keepBeforeNoun(r, start, t) {
				continue
			}
			limit := len(r)
			if k+1 < len(toks) {
				limit = toks[k+1].numStart
			}
			for next < limit && r[next] != '、' {
				next++
			}
			it.noun = strings.TrimRight(string(r[t.end:next]), "和及与")
		}
		its = append(its, it)
		start = next
		if start < len(r) && strings.ContainsRune("、和及与", r[start]) {
			start++
		}
	}
	if fenbieRune >= 0 && len(its) > 1 && its[0].tok.numStart > fenbieRune {
		subject := string(r[:fenbieRune])
		pred := cleanPred(string(r[fenbieRune+2 : its[0].tok.numStart]))
		names := splitNames(subject)
		for i := range its {
			if i > 0 && strings.TrimSpace(strings.Trim(its[i].prefix, "、和及与")) != "" {
				return its // not a plain list of numbers after 分别
			}
		}
		// A qualifier written once after the last number covers the list.
		last := its[len(its)-1].tok.quals
		for i := range its {
			if len(its[i].tok.quals) == 0 {
				its[i].tok.quals = last
			}
			its[i].pred = pred
			if len(names) == len(its) {
				its[i].prefix = names[i]
			} else {
				its[i].prefix = subject
			}
		}
		return its
	}
	// A list "新改扩建中小学5所、幼儿园3所": later items share the verb.
	if len(its) > 1 {
		verb := leadingVerb(cleanName(its[0].prefix))
		for i := 1; i < len(its); i++ {
			p := cleanName(its[i].prefix)
			if p == "" {
				its[i].prefix = its[i-1].prefix
				continue
			}
			if verb != "" && leadingVerb(p) == "" && !hasSuffixAny(p, actWords) {
				its[i].prefix = verb + p
			}
		}
	}
	return its
}

func isLeadOnly(s string) bool {
	s = strings.TrimSpace(s)
	for s != "" {
		w, ok := hasPrefixAny(s, leadWords)
		if !ok {
			return false
		}
		s = strings.TrimSpace(s[len(w):])
	}
	return true
}

func cleanPred(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"达到", "为", "是"} {
		s = strings.TrimSuffix(s, w)
	}
	return s
}

// splitNames splits "A、B和C" into names, dropping the leading scope words.
func splitNames(s string) []string {
	s = cleanName(s)
	f := strings.FieldsFunc(s, func(c rune) bool { return c == '、' })
	if len(f) == 1 {
		for _, sep := range []string{"和", "与", "及"} {
			if parts := strings.Split(s, sep); len(parts) == 2 && parts[0] != "" && parts[1] != "" {
				return parts
			}
		}
	}
	return f
}

// actWords end a name that carries its own action ("路面状况改善").
var actWords = []string{"改善", "提升", "治理", "改造", "建设", "修复", "整治", "更新", "提质", "升级"}

var doneWords = []string{"完工", "竣工", "建成", "投用", "投产", "开工", "落地", "完成", "通车", "运营"}

func hasSuffixAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

func leadingVerb(s string) string {
	if w, ok := hasPrefixAny(s, newWords); ok {
		return w
	}
	if w, ok := hasPrefixAny(s, doWords); ok {
		return w
	}
	return ""
}

// keepBeforeNoun keeps "建成8家中医特色卫生院" (a count of things to make)
// and drops "推进532个项目建设" or "A、B等5个项目" (work on named items).
func (x *extractor) keepBeforeNoun(r []rune, start int, t token) bool {
	switch t.unit {
	case "年", "天", "小时", "岁", "倍":
		return false // "3年行动", "24小时服务": a span that qualifies a noun
	}
	prefix := cleanName(string(r[start:t.numStart]))
	if prefix == "" {
		// "8个高效背压机组主体完工": things to finish within the year.
		return start == 0 && isLeadOnly(string(r[:t.numStart])) && hasSuffixAny(strings.TrimRight(string(r), "。；;，,"), doneWords)
	}
	if leadingVerb(prefix) != "" && !strings.HasPrefix(prefix, "推进") && !strings.HasPrefix(prefix, "完成") {
		return true
	}
	for _, w := range []string{"建成", "打造", "创建", "争创", "培育", "认定", "引进", "举办", "新改建", "新建", "实施", "招引", "签约", "开工"} {
		if strings.HasSuffix(prefix, w) || prefix == w {
			return true
		}
	}
	return false
}

// plan turns a plan-part clause into targets.
// plan turns a plan-part clause into targets. A name that is only a verb
// ("力争突破3.2万亿元") takes the subject of the clause before.
func (x *extractor) plan(cl clause, toks []token, chapter, section, commit, subject string) string {
	for i, it := range x.items(cl, toks) {
		t := x.target(cl, it, commit)
		t.Chapter = chapter
		t.Section = section
		t.Task = taskOf(section, chapter)
		if bare := strings.TrimSpace(t.Indicator); bare == "" || isVerbOnly(bare) || contains(trailWords, bare) || contains(levelWords, bare) {
			if subject == "" {
				continue
			}
			t.Indicator = subject + bare
		} else if i == 0 {
			subject = stripVerbs(baseName(t.Indicator))
		}
		x.add(found{t: t, name: t.Indicator})
	}
	return subject
}

func taskOf(section, chapter string) string {
	s := section
	if s == "" {
		s = chapter
	}
	s = shiRe.ReplaceAllString(s, "")
	s = h1Re.ReplaceAllString(s, "")
	s = h2Re.ReplaceAllString(s, "")
	s = h3Re.ReplaceAllStringFunc(s, func(m string) string {
		r := []rune(m)
		if last := r[len(r)-1]; !isDigit(last) && !strings.ContainsRune("、.．)）", last) {
			return string(last)
		}
		return ""
	})
	return strings.TrimSpace(s)
}

func (x *extractor) add(f found) {
	key := "M|" + f.t.Quote
	if f.t.Value != nil {
		key = fmt.Sprintf("%s|%v|%s", f.name, *f.t.Value, f.t.Unit)
	}
	if x.seen[key] {
		return // the same target restated in a later chapter
	}
	x.seen[key] = true
	x.found = append(x.found, f)
}

// target builds one target: its indicator, kind, comparator and qualifiers.
func (x *extractor) target(cl clause, it item, commit string) plan.Target {
	tok := it.tok
	raw := strings.TrimSpace(it.prefix)
	name := cleanName(raw) + it.pred
	if it.noun != "" {
		name = cleanName(raw) + it.noun
	}
	if tok.share {
		name = strings.TrimSpace(it.prefix)
		if !strings.HasSuffix(name, "比例") && !strings.HasSuffix(name, "占比") {
			name += "的比例"
		}
	}
	name = strings.TrimSpace(name)
	ctx := raw + it.pred
	v := tok.value
	t := plan.Target{
		Indicator: name,
		Value:     &v,
		Unit:      tok.unit,
		Quote:     cl.quote,
	}
	t.Kind = x.kind(name, ctx, tok, cl.yearly)
	quals := map[string]bool{}
	for _, q := range tok.quals {
		quals[q] = true
	}
	if commit != "" {
		quals[commit] = true
	}
	words := ctx
	if tok.share {
		words = "" // the words after a share define its group
	}
	for _, q := range []string{"力争", "确保", "达到", "突破", "提高到", "控制在", "稳定在"} {
		if strings.Contains(words, q) {
			quals[q] = true
		}
	}
	if strings.HasSuffix(strings.TrimSpace(words), "保持") {
		quals["保持"] = true
	}
	if quals["以下"] {
		quals["以内"] = true
	}
	for _, q := range orderedQuals {
		if quals[q] {
			t.Qualifiers = append(t.Qualifiers, q)
		}
	}
	switch {
	case quals["左右"]:
		t.Comparator = plan.About
	case t.Kind == plan.Ceiling:
		t.Comparator = plan.AtMost
	default:
		t.Comparator = plan.AtLeast
	}
	if cl.binding || hasAny(name, bindingAlways) || (t.Kind == plan.Reduction && hasAny(name, bindingTopics)) {
		t.Binding = true
	}
	return t
}

// kind judges how progress on the target is measured.
func (x *extractor) kind(name, ctx string, tok token, yearly bool) plan.Kind {
	pct := tok.unit == "%" || tok.unit == "个百分点" || tok.unit == "‰"
	// 不低于 and 不少于 set a floor, though they hold 低于 and 少于.
	ctx = strings.NewReplacer("不低于", "不少于", "不高于", "不超过").Replace(ctx)
	hasQ := func(q string) bool {
		for _, x := range tok.quals {
			if x == q {
				return true
			}
		}
		return false
	}
	if hasAny(ctx, ceilingWords) || hasQ("以内") || hasQ("以下") || hasAny(name, ceilingNouns) {
		return plan.Ceiling
	}
	verb := lastWord(ctx, append(append(append([]string{}, growthWords...), reduceWords...), levelWords...))
	if pct {
		switch {
		case tok.share:
			return plan.Level
		case contains(growthWords, verb):
			return plan.Growth
		case hasAny(ctx, []string{"增长不低于", "增长不少于", "增长超过", "增速不低于", "增幅不低于"}):
			return plan.Growth // “增长不低于3%”: a floor on growth
		case hasAny(ctx, []string{"下降不少于", "下降率不少于", "降低率不少于", "下降幅度不少于", "降幅不少于", "下降超过"}):
			return plan.Reduction
		case contains(reduceWords, verb):
			return plan.Reduction
		}
		return plan.Level
	}
	clean := cleanName(ctx)
	// Money in an annual plan is a flow of the year (投资, 营业收入, 产业规模),
	// unless it is a balance or a running total since some earlier start.
	if moneyUnit(tok.unit) && !hasAny(name, stockMoney) {
		return plan.Cumulative
	}
	if hasAny(clean, newWords) {
		return plan.Cumulative
	}
	if _, ok := hasPrefixAny(clean, doWords); ok {
		return plan.Cumulative
	}
	// “高标准农田建设不少于12万亩”: work to do, named after the thing.
	if hasSuffixAny(clean, []string{"建设", "改造", "治理", "修复", "造林", "整治"}) {
		return plan.Cumulative
	}
	if yearly {
		return plan.Cumulative
	}
	if contains(levelWords, verb) || hasAny(name, levelNouns) {
		return plan.Level
	}
	// "产值过10亿元镇10个": how many members a class has is a level.
	if classRe.MatchString(name) {
		return plan.Level
	}
	return plan.Cumulative
}

var classRe = regexp.MustCompile(`[过超][\d百千万亿]|\d+(?:\.\d+)?[万亿]?元以上的?`)

var stockMoney = []string{"累计", "余额", "存量", "标准", "人均", "每人", "平均", "市值", "资产"}

func moneyUnit(u string) bool { return strings.HasSuffix(u, "元") }

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// review keeps last year's results as records, carrying the subject of a
// clause to the next ("地区生产总值4884亿元，同比增长5.5%").
func (x *extractor) review(cl clause, toks []token, subject string) string {
	its := x.items(cl, toks)
	if len(its) == 0 {
		// "生产总值突破3万亿斤，增长5.1%": the subject still carries.
		for i, c := range cl.norm {
			if isDigit(c) {
				if s := stripVerbs(baseName(string(cl.norm[:i]))); s != "" {
					subject = s
				}
				break
			}
		}
	}
	for i, it := range its {
		raw := strings.TrimSpace(it.prefix)
		name := baseName(raw) + it.pred
		if it.noun != "" {
			name = baseName(raw) + it.noun
		}
		if name == "" || isVerbOnly(name) {
			name = subject + name
		} else if i == 0 {
			subject = stripVerbs(name)
		}
		x.records = append(x.records, record{
			name:  name,
			value: it.tok.value,
			unit:  it.tok.unit,
			kind:  x.kind(name, raw+it.pred, it.tok, cl.yearly),
		})
	}
	return subject
}

func baseName(s string) string {
	s = cleanName(s)
	for _, w := range []string{"实现", "完成", "达到", "达", "增加到", "提高到"} {
		s = strings.TrimSuffix(s, w)
	}
	return cleanName(s)
}

func isVerbOnly(s string) bool {
	s = strings.TrimSpace(s)
	for _, w := range append(append(append([]string{}, growthWords...), reduceWords...), "提高", "增加", "增长率", "占比", "比重") {
		if s == w {
			return true
		}
	}
	return false
}

func stripVerbs(s string) string {
	for _, w := range append(append([]string{}, growthWords...), reduceWords...) {
		if i := strings.Index(s, w); i > 0 {
			return s[:i]
		}
	}
	return s
}

// targets numbers the found targets and gives each its baseline.
func (x *extractor) targets() []plan.Target {
	out := make([]plan.Target, 0, len(x.found))
	for i, f := range x.found {
		t := f.t
		t.ID = fmt.Sprintf("E-%03d", i+1)
		if r, ok := x.baseline(t); ok {
			t.Baseline = &plan.Baseline{Value: r.value, Year: x.year - 1}
		}
		out = append(out, t)
	}
	return out
}

// baseline finds last year's result for the same indicator in the same
// unit: the same words once scope and verbs are set aside, and the same
// sort of figure (a count of new things is not the stock of them).
func (x *extractor) baseline(t plan.Target) (record, bool) {
	key, class := coreKey(t.Indicator)
	if len([]rune(key)) < 2 {
		return record{}, false
	}
	for _, r := range x.records {
		if r.unit != t.Unit || (t.Kind == plan.Growth) != (r.kind == plan.Growth) {
			continue
		}
		// "省外到位资金" is "到位省外资金": the same words in another order.
		if full := normKey(t.Indicator); len([]rune(full)) >= 4 && sortedRunes(full) == sortedRunes(normKey(r.name)) {
			return r, true
		}
		if rk, rc := coreKey(r.name); rk == key && (rc == "") == (class == "") {
			return r, true
		}
	}
	return record{}, false
}

// coreKey strips the verbs from an indicator's name and says whether it
// counts things done in the year ("do") or names a stock or rate ("").
func coreKey(name string) (string, string) {
	s := normKey(name)
	class := ""
	if hasAny(s, newWords) {
		class = "do"
	}
	for changed := true; changed; {
		changed = false
		for _, ws := range [][]string{newWords, doWords, {"各类", "组织", "全面"}} {
			if w, ok := hasPrefixAny(s, ws); ok && len(s) > len(w) {
				s, class, changed = s[len(w):], "do", true
			}
		}
	}
	return s, class
}

func sortedRunes(s string) string {
	r := []rune(s)
	sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
	return string(r)
}

func normKey(s string) string {
	s = cleanName(s)
	for _, w := range []string{"总数", "数量", "总量", "总规模"} {
		s = strings.TrimSuffix(s, w)
	}
	for _, w := range []string{"“", "”", "\"", " "} {
		s = strings.ReplaceAll(s, w, "")
	}
	return s
}
