package extract

import (
	"regexp"
	"strconv"
	"strings"

	"planrep/plan"
)

var cellSplitRe = regexp.MustCompile(`\t+|[|│┃]|\s{2,}|　+`)

// cells splits a table row written as text: cells separated by tabs, bars
// or runs of spaces.
func cells(line string) []string {
	f := cellSplitRe.Split(strings.TrimSpace(line), -1)
	out := f[:0]
	for _, c := range f {
		c = strings.TrimSpace(c)
		if c == "" || strings.Trim(c, "-—=+:：") == "" {
			continue
		}
		out = append(out, c)
	}
	return out
}

// columns of a target table, -1 when absent.
type columns struct{ name, unit, target, base, nature int }

// tableHeader recognises the header of a targets table: a 单位 column and a
// column for the plan year (2025年目标, 预期目标, 计划).
func (x *extractor) tableHeader(cs []string) (columns, bool) {
	c := columns{-1, -1, -1, -1, -1}
	if len(cs) < 3 {
		return c, false
	}
	this, last := strconv.Itoa(x.year), strconv.Itoa(x.year-1)
	for i, h := range cs {
		switch {
		case strings.Contains(h, "单位") && c.unit < 0:
			c.unit = i
		case strings.Contains(h, "属性") || strings.Contains(h, "性质"):
			c.nature = i
		case strings.Contains(h, last) || strings.Contains(h, "实际") || strings.Contains(h, "完成") || strings.Contains(h, "执行"):
			if c.base < 0 {
				c.base = i
			}
		case strings.Contains(h, this) || strings.Contains(h, "目标") || strings.Contains(h, "预期") || strings.Contains(h, "计划"):
			if c.target < 0 || strings.Contains(h, this) {
				c.target = i
			}
		case (strings.Contains(h, "指标") || strings.Contains(h, "名称") || strings.Contains(h, "项目")) && c.name < 0:
			c.name = i
		}
	}
	if c.name < 0 {
		for i, h := range cs {
			if i != c.unit && i != c.target && i != c.base && !strings.Contains(h, "序号") {
				c.name = i
				break
			}
		}
	}
	return c, c.target >= 0 && c.name >= 0 && (c.unit >= 0 || c.base >= 0 || strings.Contains(cs[c.target], this))
}

var unitInNameRe = regexp.MustCompile(`^(.*?)\s*[（(]([^（）()]+)[)）]$`)

// table reads a targets table starting at lines[i]; it returns how many
// lines it used (0 when lines[i] is not a table header).
func (x *extractor) table(lines []string, i int, h1, h2, h3 string, past bool) int {
	head := cells(lines[i])
	cols, ok := x.tableHeader(head)
	if !ok {
		return 0
	}
	n := 1
	for j := i + 1; j < len(lines); j++ {
		line := strings.TrimSpace(lines[j])
		row := cells(line)
		if line == "" || len(row) < 3 || len(row) > len(head)+1 {
			break
		}
		n++
		if strings.Trim(line, "-—=+|:： \t") == "" {
			continue
		}
		x.row(row, cols, line, chapterOf(h1, h2), h3, past)
	}
	return n
}

func (x *extractor) row(row []string, c columns, line, chapter, section string, past bool) {
	at := func(i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return row[i]
	}
	name := cleanName(at(c.name))
	unit := strings.ReplaceAll(at(c.unit), "％", "%")
	unit = strings.Trim(unit, "（）() ")
	if c.unit < 0 {
		// "地区生产总值增长（%）": the unit rides on the indicator's name.
		m := unitInNameRe.FindStringSubmatch(name)
		if m == nil {
			return
		}
		name, unit = cleanName(m[1]), strings.ReplaceAll(m[2], "％", "%")
	}
	if name == "" || !plan.KnownUnit(unit) {
		return
	}
	tok, words, ok := cellValue(at(c.target))
	if !ok {
		return
	}
	tok.unit = unit
	if past {
		x.records = append(x.records, record{name: name, value: tok.value, unit: unit, kind: x.kind(name, name, tok, false)})
		return
	}
	cl := newClause(line)
	t := x.target(cl, item{tok: tok, prefix: words + name}, "")
	t.Indicator = name
	// The qualifier words in the cell decide; the row holds no verbs.
	t.Kind = x.kind(name, name+words, tok, false)
	switch {
	case tok.hasQual("左右"):
		t.Comparator = plan.About
	case t.Kind == plan.Ceiling:
		t.Comparator = plan.AtMost
	default:
		t.Comparator = plan.AtLeast
	}
	t.Chapter, t.Section, t.Task = chapter, section, taskOf(section, chapter)
	if strings.Contains(at(c.nature), "约束") {
		t.Binding = true
	}
	if b, _, ok := cellValue(at(c.base)); ok {
		t.Baseline = &plan.Baseline{Value: b.value, Year: x.year - 1}
	}
	x.add(found{t: t, name: name})
}

func (t token) hasQual(q string) bool {
	for _, x := range t.quals {
		if x == q {
			return true
		}
	}
	return false
}

var cellNumRe = regexp.MustCompile(`^(.*?)(-?\d+(?:\.\d+)?)\s*(%|％)?\s*(左右|以上|以内|以下)?(.*)$`)

// cellValue reads a table cell such as "5.5左右", "≥5", "控制在3以内", "4.5%".
func cellValue(s string) (token, string, bool) {
	cl := newClause(strings.TrimSpace(s))
	m := cellNumRe.FindStringSubmatch(cl.normStr)
	if m == nil {
		return token{}, "", false
	}
	pre, rest := strings.TrimSpace(m[1]), strings.TrimSpace(m[5])
	if len([]rune(pre)) > 6 || len([]rune(rest)) > 4 {
		return token{}, "", false
	}
	v, err := strconv.ParseFloat(m[2], 64)
	if err != nil {
		return token{}, "", false
	}
	t := token{value: v}
	if m[4] != "" {
		t.quals = append(t.quals, m[4])
	}
	switch {
	case strings.ContainsAny(pre, "≤<＜") || strings.Contains(pre, "不超过") || strings.Contains(pre, "控制"):
		t.quals = append(t.quals, "以内")
		pre = "控制在"
	case strings.ContainsAny(pre, "≥>＞"):
		t.quals = append(t.quals, "以上")
		pre = ""
	}
	return t, pre, true
}
