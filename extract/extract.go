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
	"math"
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
}

// ErrNoYear is returned when the plan year is neither given nor found.
var ErrNoYear = errors.New("无法从文本中判断计划年度（如“2025年国民经济和社会发展计划”）：请用 --year 指定")

// Extract drafts a registry from a plan's text: metadata, and one target per
// quantitative target of the plan year, with no departments and no leads.
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
	x := newExtractor(year)
	x.run(text)
	title := Title(text, year)
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
	return p, nil
}

var titleRe = regexp.MustCompile(`((?:19|20|21)\d\d)年[^\n。，,；;]{0,24}?(国民经济和社会发展计划|主要预期目标|主要目标|计划草案)`)

// InferYear finds the plan year in the text: the latest year named in a
// plan title ("2025年国民经济和社会发展计划", "2025年…主要预期目标",
// "…2025年计划草案"). A year followed by 执行情况 names the review.
func InferYear(text string) (int, bool) {
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
		for _, end := range []string{"计划", "计划（草案）", "计划(草案)", "计划草案", "的报告", "目标"} {
			if strings.HasSuffix(l, end) {
				return l
			}
		}
	}
	return ""
}

// unitList is plan.KnownUnits, longest first, so that 万千瓦 wins over 千瓦.
func unitList() []string {
	u := append([]string(nil), plan.KnownUnits...)
	sort.SliceStable(u, func(i, j int) bool { return len([]rune(u[i])) > len([]rune(u[j])) })
	return u
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
	units   []string
	found   []found
	seen    map[string]bool
	records []record
}

func newExtractor(year int) *extractor {
	return &extractor{year: year, units: unitList(), seen: map[string]bool{}}
}

var (
	h1Re   = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+(?:部分|章|节)\s*)`)
	h2Re   = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`)
	h3Re   = regexp.MustCompile(`^(?:\d{1,2}[、.．](?:[^\d]|$)|[（(]\d{1,2}[）)])`)
	shiRe  = regexp.MustCompile(`^[一二三四五六七八九十]+是`)
	yearRe = regexp.MustCompile(`((?:19|20|21)\d\d)年`)
)

// run walks the document line by line, keeping the heading path and whether
// the current part reviews a past year.
func (x *extractor) run(text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	var h1, h2, h3 string
	var past1, past2 bool
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if n := x.table(lines, i, h1, h2, h3, past2); n > 0 {
			i += n - 1
			continue
		}
		// A numbered line that states a target ("（一）地区生产总值增长6%左右")
		// is an item of a list, not a heading.
		item := len(x.tokens(newClause(headText(l)))) > 0
		switch {
		case h1Re.MatchString(l) && !item:
			h1, h2, h3 = headText(l), "", ""
			past1 = x.pastHeading(l, false)
			past2 = past1
		case h2Re.MatchString(l) && !item:
			h2, h3 = headText(l), ""
			past2 = x.pastHeading(headSentence(l), past1)
		case h3Re.MatchString(l):
			// "1.扩大有效投资。…" names a section; "1.地区生产总值增长6%左右"
			// is a target in a numbered list.
			h3 = headText(l)
			if len(x.tokens(newClause(h3Re.ReplaceAllString(h3, "")))) > 0 {
				h3 = ""
			}
		}
		x.paragraph(l, chapterOf(h1, h2), h3, past2)
	}
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

// headSentence is a heading line up to its first full stop.
func headSentence(l string) string {
	if i := strings.Index(l, "。"); i >= 0 {
		return l[:i]
	}
	return l
}

// pastHeading tells a review heading (2024年…执行情况, 工作回顾) from a plan
// heading (2025年…目标, 重点任务); inherit applies when it says neither.
func (x *extractor) pastHeading(h string, inherit bool) bool {
	for _, m := range yearRe.FindAllStringSubmatch(h, -1) {
		y, _ := strconv.Atoi(m[1])
		if y == x.year {
			return false
		}
		if y < x.year {
			return true
		}
	}
	for _, w := range []string{"执行情况", "完成情况", "工作回顾", "回顾", "主要成效", "取得的成绩", "过去一年"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	for _, w := range []string{"目标", "任务", "措施", "安排", "计划草案", "总体要求", "主要指标"} {
		if strings.Contains(h, w) {
			return false
		}
	}
	return inherit
}

// paragraph splits a line into sentences and clauses. A sentence that
// opens with a past year (or 去年) makes the rest of the paragraph review.
func (x *extractor) paragraph(l, chapter, section string, past bool) {
	sentences := splitKeep(l, "。！？!?")
	ctxPast := past
	for _, s := range sentences {
		st := strings.TrimSpace(s)
		if m := shiRe.FindString(st); m != "" {
			section = headText(st)
		}
		if m := yearRe.FindStringSubmatchIndex(st); m != nil && m[0] == 0 {
			y, _ := strconv.Atoi(st[m[2]:m[3]])
			rest := st[m[1]:]
			if !strings.HasPrefix(rest, "是") && !strings.HasPrefix(rest, "前") {
				ctxPast = past || y < x.year
				if y == x.year {
					ctxPast = false
				}
			}
		}
		for _, w := range []string{"去年", "过去一年", "一年来", "上年", "截至", "截止", "目前"} {
			if strings.HasPrefix(st, w) {
				ctxPast = true
			}
		}
		for _, w := range []string{"今年", "明年", "新的一年"} {
			if strings.HasPrefix(st, w) {
				ctxPast = past
			}
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

// sentence reads each clause of a sentence. 力争/确保 at the head of a
// sentence governs its later clauses too.
func (x *extractor) sentence(s, chapter, section string, past bool) {
	commit := ""
	subject := ""
	for _, c := range splitClauses(s) {
		q := strings.TrimSpace(strings.TrimRight(c, clauseSeps))
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
		clausePast := past || x.pastClause(cl.normStr)
		toks := x.tokens(cl)
		if clausePast {
			subject = x.review(cl, toks, subject)
			continue
		}
		subject = x.plan(cl, toks, chapter, section, commit, subject)
	}
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
	for _, w := range []string{"同比", "已经", "已建成", "已完成", "已开工", "已达到", "截至", "截止", "目前", "一年来"} {
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
	wr := []rune(w)
	if i < 0 || i+len(wr) > len(r) {
		return false
	}
	for k, c := range wr {
		if r[i+k] != c {
			return false
		}
	}
	return true
}

func endsWithAt(r []rune, i int, w string) bool {
	wr := []rune(w)
	return hasAt(r, i-len(wr), w)
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
			if isLatin(p) || strings.ContainsRune("+-/—~第过超×*#No", p) {
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
		if unit == "" && k < len(r) && r[k] == '万' {
			// "1.2万个": ten thousands of a unit that has no 万 form.
			if u := x.unitAt(r, k+1); u != "" && !contains(x.units, "万"+u) {
				unit = u
				v = math.Round(v*1e4*1e6) / 1e6
				k++
			}
		}
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
		out = append(out, t)
		i = e - 1
	}
	return out
}

func (x *extractor) unitAt(r []rune, k int) string {
	for _, u := range x.units {
		if hasAt(r, k, u) {
			return u
		}
	}
	return ""
}

// Leading words that commit or scope rather than name an indicator.
var leadWords = []string{"力争", "确保", "全年", "全市", "全省", "全区", "全县", "全州", "全盟", "今年", "年内", "努力", "争取", "预计", "预期", "实现", "其中", "并", "及", "和", "同比", "累计", "当年", "年末", "年底"}

// Trailing words between an indicator and its number.
var trailWords = []string{"分别", "达到", "达", "突破", "提高到", "提升到", "提高至", "提升至", "控制在", "控制到", "保持在", "稳定在", "保持", "超过", "不低于", "不少于", "不超过", "不高于", "低于", "为", "约", "完成", "实现", "增加到", "增至", "增长到", "增长至", "降至", "降到", "下降到", "下降至", "降低到", "降低至", "减少到", "减少至", "在", "总量", "以上"}

var numberingRe = regexp.MustCompile(`^(?:[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|[一二三四五六七八九十]+[、.．是]|\d{1,2}[、.．](?:\D|$)|第[一二三四五六七八九十]+(?:部分|章|节))`)

func cleanName(s string) string {
	s = strings.TrimLeft(strings.TrimSpace(s), "●○■□◆◇▲△★☆•·—–-*> 　")
	if m := numberingRe.FindString(s); m != "" {
		r := []rune(m)
		if last := r[len(r)-1]; !strings.ContainsRune("、.．）)是分章节", last) {
			m = string(r[:len(r)-1]) // the pattern's look-ahead rune
		}
		s = strings.TrimSpace(s[len(m):])
	}
	for changed := true; changed; {
		changed = false
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
	doWords       = []string{"引进", "招引", "培育", "培训", "培养", "举办", "开展", "实施", "推出", "打造", "建成", "建设", "创建", "争创", "认定", "修复", "治理", "改造", "完成", "到位", "发放", "推进实施", "建设提升", "组织", "帮扶", "吸纳", "带动", "开工", "签约", "落地", "投入", "安排", "发行", "提供", "新改", "提升完善", "优化提升", "新建提升", "改造提升", "建设提升"}
	levelWords    = []string{"达到", "达", "突破", "稳定在", "保持在", "保持", "提高到", "提升到", "提高至", "提升至", "超过", "增加到", "增至", "增长到", "增长至", "不低于", "不少于"}
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
	key := fmt.Sprintf("%s|%v|%s", f.name, *f.t.Value, f.t.Unit)
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
	pct := tok.unit == "%" || tok.unit == "个百分点"
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
