package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Span is the length of a reporting period.
type Span int

const (
	Year Span = iota
	Half
	Quarter
	Month
)

// Period is a reporting period of a plan year. Every period starts on
// 1 January: departments report cumulative figures since the year began.
type Period struct {
	Year int
	Span Span
	N    int // half 1–2, quarter 1–4, month 1–12; 0 for a whole year
}

var periodRe = regexp.MustCompile(`^(\d{4})(?:([QqHhMm])(\d{1,2})|-(\d{1,2}))?$`)

// ParsePeriod reads 2025, 2025H1, 2025Q3, 2025M09 or 2025-09.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	m := periodRe.FindStringSubmatch(s)
	bad := fmt.Errorf("报告期 %q 无法识别。%s", s, PeriodForms(yearOf(s)))
	if m == nil {
		return Period{}, bad
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2000 || y > 2100 {
		return Period{}, bad
	}
	p := Period{Year: y}
	switch {
	case m[4] != "":
		p.Span = Month
		p.N, _ = strconv.Atoi(m[4])
	case m[2] != "":
		p.N, _ = strconv.Atoi(m[3])
		switch strings.ToUpper(m[2]) {
		case "H":
			p.Span = Half
		case "Q":
			p.Span = Quarter
		case "M":
			p.Span = Month
		}
	}
	max := map[Span]int{Year: 0, Half: 2, Quarter: 4, Month: 12}[p.Span]
	if p.Span != Year && (p.N < 1 || p.N > max) {
		return Period{}, bad
	}
	return p, nil
}

// PeriodForms lists, in Chinese, every way of writing a period of the year,
// with an example: what a user who wrote one wrong needs to read.
func PeriodForms(year int) string {
	return fmt.Sprintf("可用的写法：%[1]dQ1–%[1]dQ4（一季度、上半年、前三季度、全年）、%[1]dH1 / %[1]dH2（上半年、全年）、"+
		"%[1]dM01–%[1]dM12 或 %[1]d-01–%[1]d-12（1月至当月）、%[1]d（全年）；例如 %[1]dQ3 表示%[1]d年前三季度（1-9月）", year)
}

// yearOf is the year a mistyped period starts with, for the examples; 2025
// when it starts with none.
func yearOf(s string) int {
	if len(s) >= 4 {
		if y, err := strconv.Atoi(s[:4]); err == nil && y >= 2000 && y <= 2100 {
			return y
		}
	}
	return 2025
}

// MustPeriod is ParsePeriod for literals known to be good.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String is the canonical code: 2025, 2025H1, 2025Q3, 2025M09.
func (p Period) String() string {
	switch p.Span {
	case Half:
		return fmt.Sprintf("%dH%d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%dQ%d", p.Year, p.N)
	case Month:
		return fmt.Sprintf("%dM%02d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

// EndMonth is the last month the period covers (1–12).
func (p Period) EndMonth() int {
	switch p.Span {
	case Half:
		return p.N * 6
	case Quarter:
		return p.N * 3
	case Month:
		return p.N
	}
	return 12
}

// Elapsed is the share of the year that has passed at the period's end:
// Q1 0.25, H1 0.5, Q3 0.75, the year 1, month m m/12.
func (p Period) Elapsed() float64 { return float64(p.EndMonth()) / 12 }

// End is the last day of the period.
func (p Period) End() time.Time {
	return time.Date(p.Year, time.Month(p.EndMonth())+1, 0, 0, 0, 0, 0, time.UTC)
}

// Label names the period in Chinese: 2025年前三季度, 2025年上半年, 2025年1-9月, 2025年全年.
func (p Period) Label() string {
	switch p.Span {
	case Half:
		if p.N == 1 {
			return fmt.Sprintf("%d年上半年", p.Year)
		}
		return fmt.Sprintf("%d年全年", p.Year)
	case Quarter:
		return fmt.Sprintf("%d年%s", p.Year, [...]string{"", "一季度", "上半年", "前三季度", "全年"}[p.N])
	case Month:
		if p.N == 1 {
			return fmt.Sprintf("%d年1月", p.Year)
		}
		return fmt.Sprintf("%d年1-%d月", p.Year, p.N)
	}
	return fmt.Sprintf("%d年全年", p.Year)
}

// Covers says what the period's figures cover: 2025年1月1日至9月30日.
func (p Period) Covers() string {
	e := p.End()
	return fmt.Sprintf("%d年1月1日至%d月%d日", p.Year, int(e.Month()), e.Day())
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p == Period{} }

// MarshalText writes the canonical code ("" for the zero period), so a
// period is a plain string in round.json and every other JSON output.
func (p Period) MarshalText() ([]byte, error) {
	if p.IsZero() {
		return nil, nil
	}
	return []byte(p.String()), nil
}

// UnmarshalText reads a period code; "" is the zero period.
func (p *Period) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*p = Period{}
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
