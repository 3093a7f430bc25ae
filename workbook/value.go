package workbook

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// parsed is a value read from an input cell.
type parsed struct {
	Value   float64
	Notes   []string // lenient readings, in Chinese: 全角数字, 千分位 …
	Problem string   // why it is not a number, when it is not
}

var (
	plainNum    = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)
	thousandNum = regexp.MustCompile(`^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// parseNumber reads a number as a department may have typed it. Where the
// intent is clear it is read with a note (全角数字 ５.５, 1,234, a trailing %
// or the target's own unit); where it is not (约5, 5-6, 五万, 待统计) it is a
// problem. unit is the target's unit.
func parseNumber(raw, unit string) parsed {
	s := strings.TrimFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\ufeff' })
	var out parsed
	if s == "" {
		out.Problem = "未填写"
		return out
	}
	if w := narrow(s); w != s {
		s = w
		out.Notes = append(out.Notes, "全角字符")
	}
	s = strings.TrimSpace(s)
	// A trailing % or the target's unit.
	for _, u := range suffixes(unit) {
		if strings.HasSuffix(s, u) && len(s) > len(u) {
			s = strings.TrimSpace(strings.TrimSuffix(s, u))
			out.Notes = append(out.Notes, "带单位“"+u+"”")
			break
		}
	}
	if thousandNum.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
		out.Notes = append(out.Notes, "千分位分隔符")
	}
	if !plainNum.MatchString(s) {
		out.Notes = nil
		out.Problem = "“" + clip(raw, 20) + "”不是一个数字"
		return out
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		out.Notes = nil
		out.Problem = "“" + clip(raw, 20) + "”不是一个有效数字"
		return out
	}
	out.Value = v
	return out
}

// suffixes are the units a value may carry, longest first.
func suffixes(unit string) []string {
	var out []string
	if unit != "" {
		out = append(out, unit)
	}
	if unit == "%" || unit == "个百分点" {
		out = append(out, "%", "个百分点")
	}
	return out
}

// narrow turns full-width digits and signs into ASCII.
func narrow(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．':
			r = '.'
		case r == '，':
			r = ','
		case r == '－' || r == '−':
			r = '-'
		case r == '＋':
			r = '+'
		case r == '％':
			r = '%'
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// parseDate reads 填报日期: an Excel serial number or a written date.
func parseDate(raw string) (time.Time, bool) {
	s := strings.TrimSpace(narrow(raw))
	if s == "" {
		return time.Time{}, false
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v < 1 || v > 2958465 {
			return time.Time{}, false
		}
		// Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for.
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		return base.AddDate(0, 0, int(v)), true
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	for _, layout := range []string{"2006-1-2", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
