package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"planrep/plan"
)

// History is what the store knows of the year up to the brief's period:
// for each period collected, the accepted values and the reporting counts.
// The caller (the command, from the store) builds it; report knows no store.
type History struct {
	Periods []PeriodHistory // earliest first; the brief's own period may be last
}

// PeriodHistory is one period of the year.
type PeriodHistory struct {
	Period      plan.Period
	Expected    int // units expected to report
	Submitted   int
	OnTime      int
	Values      map[string]PastValue // accepted values, by target
	Corrections []Correction         // returns that corrected an earlier one
}

// PastValue is a target's accepted value in one period.
type PastValue struct {
	Value    *float64
	Progress *float64
	Status   plan.Status
}

// Correction is a department's resent return: when, and how many entries changed.
type Correction struct {
	Dept    string
	Date    string // YYYY-MM-DD, when it was received
	Changes int
}

// Year is the brief's view of the year: the periods so far with their rates,
// each quantitative target's path against its schedule with 环比, and the
// escalation of targets behind schedule in the manner of 督办 practice.
type Year struct {
	Periods     []YearPeriod     `json:"periods"`
	Trends      []Trend          `json:"trends"`      // quantitative targets with a value, registry order
	Escalated   []Escalation     `json:"escalated"`   // red first, then yellow; registry order within
	Running     []Escalation     `json:"running"`     // 连续滞后: behind this period and the one before
	Corrections []YearCorrection `json:"corrections"` // this period's corrected returns, roster order
}

// YearPeriod is one period's reporting.
type YearPeriod struct {
	Period     string  `json:"period"`
	Label      string  `json:"label"`
	Expected   int     `json:"expected"`
	Submitted  int     `json:"submitted"`
	OnTime     int     `json:"on_time"`
	SubmitRate float64 `json:"submit_rate"`  // 报送率
	OnTimeRate float64 `json:"on_time_rate"` // 按时报送率, of those expected
}

// Trend is a target's path through the periods.
type Trend struct {
	ID          string       `json:"id"`
	Indicator   string       `json:"indicator"`
	Dept        string       `json:"dept"`
	Unit        string       `json:"unit,omitempty"`
	Target      *float64     `json:"target,omitempty"`
	Points      []TrendPoint `json:"points"`           // one a period of Year.Periods
	Change      *float64     `json:"change,omitempty"` // 环比: this period's value less the previous period's
	ChangeText  string       `json:"change_text"`      // +12.5 / −3 / —
	ChangeWords string       `json:"change_words"`     // 环比 with its unit: +12.5万人 / +3.2个百分点 / 持平 / —
	Level       string       `json:"level,omitempty"`  // Yellow, Red or ""
}

// TrendPoint is a target in one period: its value and the schedule's.
type TrendPoint struct {
	Period   string      `json:"period"`
	Value    *float64    `json:"value,omitempty"`
	Schedule *float64    `json:"schedule,omitempty"` // where the schedule puts the value at the period's end
	Status   plan.Status `json:"status,omitempty"`
}

// Escalation levels.
const (
	Yellow = "yellow" // behind schedule this period
	Red    = "red"    // behind two periods running, or seriously behind
)

// Escalation is a target behind schedule, with its colour and why.
type Escalation struct {
	ID        string `json:"id"`
	Indicator string `json:"indicator"`
	Dept      string `json:"dept"`
	Level     string `json:"level"`
	Label     string `json:"label"`  // 黄色预警 / 红色预警
	Reason    string `json:"reason"` // 连续两期滞后（2025年上半年、2025年前三季度）
	Since     string `json:"since"`  // the first period of the lagging run
	Periods   int    `json:"periods"`
}

// YearCorrection is a department's corrections in the brief's period.
type YearCorrection struct {
	Dept string `json:"dept"`
	Text string `json:"text"` // 10月12日更正 2 项
}

// Blocks of the year, drawn by each renderer from Brief.Year.
const (
	BlockYearRates  = "year_rates"  // Year.Periods, then Year.Escalated (with Running) and Year.Corrections
	BlockYearTrends = "year_trends" // Year.Trends
)

// year computes Brief.Year from the history and the brief's own round (which
// stands for its period whatever the history says of it).
func year(p *plan.Plan, r *plan.Round, rows []TargetRow, depts []DeptRow, deptShort map[string]string, h *History) *Year {
	if h == nil || r.Period.IsZero() {
		return nil
	}
	var periods []PeriodHistory
	for _, ph := range h.Periods {
		if ph.Period.Year == r.Period.Year && ph.Period.EndMonth() < r.Period.EndMonth() {
			periods = append(periods, ph)
		}
	}
	sort.SliceStable(periods, func(i, j int) bool { return periods[i].Period.EndMonth() < periods[j].Period.EndMonth() })
	// The brief's own period, from its round.
	own := PeriodHistory{Period: r.Period, Values: map[string]PastValue{}}
	for _, d := range r.Departments {
		own.Expected++
		if d.Submitted {
			own.Submitted++
		}
		if d.OnTime != nil && *d.OnTime {
			own.OnTime++
		}
	}
	for _, row := range rows {
		own.Values[row.ID] = PastValue{Value: row.Reported, Progress: row.Progress, Status: row.Status}
	}
	for _, ph := range h.Periods {
		if ph.Period == r.Period {
			own.Corrections = ph.Corrections
		}
	}
	periods = append(periods, own)
	if len(periods) < 2 && len(own.Corrections) == 0 {
		return nil // a year of one period says nothing the brief does not
	}
	y := &Year{Trends: []Trend{}, Escalated: []Escalation{}, Running: []Escalation{}, Corrections: []YearCorrection{}}
	for _, ph := range periods {
		yp := YearPeriod{Period: ph.Period.String(), Label: ph.Period.Label(), Expected: ph.Expected, Submitted: ph.Submitted, OnTime: ph.OnTime}
		if ph.Expected > 0 {
			yp.SubmitRate = float64(ph.Submitted) / float64(ph.Expected)
			yp.OnTimeRate = float64(ph.OnTime) / float64(ph.Expected)
		}
		y.Periods = append(y.Periods, yp)
	}
	for _, row := range rows {
		t, ok := p.Target(row.ID)
		if !ok {
			continue
		}
		esc := escalate(t, row, periods, deptShort)
		if esc != nil {
			y.Escalated = append(y.Escalated, *esc)
			if esc.Periods >= 2 {
				y.Running = append(y.Running, *esc)
			}
		}
		if !t.Kind.Quantitative() {
			continue
		}
		tr := Trend{ID: t.ID, Indicator: t.Indicator, Dept: deptShort[t.Lead], Unit: t.Unit, Target: t.Value, ChangeText: "—", ChangeWords: "—"}
		any := false
		var prev *float64
		for i, ph := range periods {
			pv := ph.Values[t.ID]
			pt := TrendPoint{Period: ph.Period.String(), Status: pv.Status, Schedule: schedule(t, ph.Period)}
			if pv.Value != nil && pv.Status != plan.Invalid {
				v := *pv.Value
				pt.Value = &v
				any = true
				if i == len(periods)-1 && prev != nil {
					d := v - *prev
					tr.Change = &d
					tr.ChangeText = signedNumber(d)
					tr.ChangeWords = changeWords(d, t.Unit)
				}
				prev = &v
			}
			tr.Points = append(tr.Points, pt)
		}
		if esc != nil {
			tr.Level = esc.Level
		}
		if any {
			y.Trends = append(y.Trends, tr)
		}
	}
	sort.SliceStable(y.Escalated, func(i, j int) bool { return y.Escalated[i].Level == Red && y.Escalated[j].Level != Red })
	for i, d := range depts {
		var parts []string
		for _, c := range own.Corrections {
			if c.Dept != d.Code {
				continue
			}
			date := c.Date
			if len(date) == 10 {
				date = fmt.Sprintf("%d月%d日", atoi(date[5:7]), atoi(date[8:10]))
			}
			parts = append(parts, fmt.Sprintf("%s更正 %d 项", date, c.Changes))
		}
		if len(parts) > 0 {
			text := strings.Join(parts, "，")
			y.Corrections = append(y.Corrections, YearCorrection{Dept: d.Short, Text: text})
			// The department appendix says it too: 已报送（10月9日填报），10月12日更正 2 项，…
			if k := strings.Index(d.Standing, "，"); k >= 0 {
				depts[i].Standing = d.Standing[:k] + "，" + text + d.Standing[k:]
			} else {
				depts[i].Standing = d.Standing + "，" + text
			}
		}
	}
	return y
}

// escalate colours a target behind schedule: yellow when behind this period,
// red when seriously behind or behind in the period before as well.
func escalate(t plan.Target, row TargetRow, periods []PeriodHistory, deptShort map[string]string) *Escalation {
	lag := func(s plan.Status) bool { return s.Lagging() }
	if !lag(row.Status) {
		return nil
	}
	run := 1
	for i := len(periods) - 2; i >= 0; i-- {
		if !lag(periods[i].Values[t.ID].Status) {
			break
		}
		run++
	}
	first := periods[len(periods)-run].Period
	e := &Escalation{ID: t.ID, Indicator: t.Indicator, Dept: deptShort[t.Lead], Level: Yellow, Label: "黄色预警",
		Since: first.Label(), Periods: run, Reason: "本期" + string(row.Status)}
	switch {
	case run >= 2:
		e.Level, e.Label = Red, "红色预警"
		labels := make([]string, 0, run)
		for _, ph := range periods[len(periods)-run:] {
			labels = append(labels, ph.Period.Label())
		}
		e.Reason = fmt.Sprintf("连续 %d 期滞后（%s）", run, strings.Join(labels, "、"))
	case row.Status == plan.FarBehind:
		e.Level, e.Label = Red, "红色预警"
		e.Reason = "本期严重滞后"
	}
	return e
}

// schedule is where the plan's schedule puts a target's value at a period's end.
func schedule(t plan.Target, per plan.Period) *float64 {
	if t.Value == nil {
		return nil
	}
	goal, e := *t.Value, t.Expected(per)
	var v float64
	switch t.Kind {
	case plan.Growth, plan.Ceiling:
		v = goal
	case plan.Level:
		if t.Baseline != nil {
			v = t.Baseline.Value + (goal-t.Baseline.Value)*e
		} else {
			v = goal * e
		}
	default:
		v = goal * e
	}
	// As precise as a department would state it: 2 decimals, 4 below 1.
	digits := 100.0
	if math.Abs(v) < 1 {
		digits = 10000
	}
	v = math.Round(v*digits) / digits
	return &v
}

// changeWords is 环比 with its unit as a report says it: the change of a
// percentage is in 个百分点 (+3.2个百分点), of anything else in its unit
// (+12.5万人); no change is 持平.
func changeWords(v float64, unit string) string {
	s := signedNumber(v)
	if s == "0" {
		return "持平"
	}
	switch unit {
	case "%":
		return s + "个百分点"
	case "‰":
		return s + "个千分点"
	}
	return s + unit
}

// ChangeOf is a target's 环比 with its unit, "—" when the year has no
// earlier value of it (or it is not a quantitative target).
func (y *Year) ChangeOf(id string) string {
	if y != nil {
		for _, t := range y.Trends {
			if t.ID == id {
				return t.ChangeWords
			}
		}
	}
	return "—"
}

func signedNumber(v float64) string {
	switch {
	case v > 0:
		return "+" + plan.FormatNumber(v)
	case v < 0:
		return "−" + plan.FormatNumber(-v)
	}
	return "0"
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return n
}

// yearParts adds the year's attachment to a brief that has a year.
func yearParts(b *Brief) {
	if b.Year == nil {
		return
	}
	b.Attachments = append(b.Attachments,
		Attachment{Title: "全年各期报送情况和滞后预警", Block: BlockYearRates},
		Attachment{Title: "主要指标全年走势", Block: BlockYearTrends})
}

// IssueOf is the 期号 a brief of period p takes when the store counts it: the
// number of periods of the year collected up to and including p (第 3 期 for
// 前三季度 after 一季度 and 上半年). 0 without a history.
func (h *History) IssueOf(p plan.Period) int {
	if h == nil {
		return 0
	}
	n, seen := 0, false
	for _, ph := range h.Periods {
		if ph.Period == p {
			seen = true
		}
		if !ph.Period.End().After(p.End()) {
			n++
		}
	}
	if !seen {
		n++
	}
	return n
}
