package plan

import (
	"encoding/json"
	"sort"
	"strings"
)

// Kind says what a department reports for a target and how progress is judged.
type Kind string

const (
	Cumulative Kind = "cumulative" // a count or amount accumulated since 1 January
	Growth     Kind = "growth"     // a year-to-date growth rate, %
	Level      Kind = "level"      // a level to reach: a share, a ratio, a stock
	Ceiling    Kind = "ceiling"    // a value to stay under
	Reduction  Kind = "reduction"  // a reduction against a base year, %
	Milestone  Kind = "milestone"  // a deliverable: done or not, with a status
)

// Kinds lists every kind in the order reports show them.
var Kinds = []Kind{Cumulative, Growth, Level, Ceiling, Reduction, Milestone}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case Cumulative:
		return "累计量"
	case Growth:
		return "增长率"
	case Level:
		return "水平值"
	case Ceiling:
		return "控制上限"
	case Reduction:
		return "下降率"
	case Milestone:
		return "重点任务"
	}
	return string(k)
}

// KindByLabel maps a Chinese label (or the English name) back to a Kind.
func KindByLabel(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if s == string(k) || s == k.Label() {
			return k, true
		}
	}
	return "", false
}

// Quantitative reports whether the target has a number to reach.
func (k Kind) Quantitative() bool { return k != Milestone && k != "" }

// Comparator says which side of the target value counts as meeting it.
type Comparator string

const (
	AtLeast Comparator = ">=" // 以上, 达到, 突破, 不低于
	AtMost  Comparator = "<=" // 控制在, 以内, 不超过
	About   Comparator = "~"  // 左右
)

// Baseline is the figure a target is measured from.
type Baseline struct {
	Value float64 `yaml:"value" json:"value"`
	Year  int     `yaml:"year" json:"year"`
}

// Target is one quantitative target or deliverable of the plan.
type Target struct {
	ID         string     `yaml:"id" json:"id"`
	Chapter    string     `yaml:"chapter" json:"chapter"`                     // e.g. 二、主要目标 or （一）扩内需稳外贸
	Section    string     `yaml:"section,omitempty" json:"section,omitempty"` // e.g. 二是扩大有效投资
	Task       string     `yaml:"task" json:"task"`                           // short task text
	Indicator  string     `yaml:"indicator" json:"indicator"`
	Kind       Kind       `yaml:"kind" json:"kind"`
	Value      *float64   `yaml:"value,omitempty" json:"value,omitempty"` // nil for a milestone
	Unit       string     `yaml:"unit,omitempty" json:"unit,omitempty"`
	Comparator Comparator `yaml:"comparator,omitempty" json:"comparator,omitempty"`
	Qualifiers []string   `yaml:"qualifiers,omitempty" json:"qualifiers,omitempty"` // 力争, 确保, 以上, 左右, 突破, 控制在, 达到 …
	Binding    bool       `yaml:"binding,omitempty" json:"binding,omitempty"`       // 约束性 rather than 预期性
	Baseline   *Baseline  `yaml:"baseline,omitempty" json:"baseline,omitempty"`
	// Schedule overrides the straight-line expectation: the share expected
	// by a period's end, keyed Q1, H1, Q3, M05 … (see Expected).
	Schedule map[string]float64 `yaml:"schedule,omitempty" json:"schedule,omitempty"`
	// Due is when a milestone is planned to be finished, as a period (2025Q4, 2025M06).
	Due     string   `yaml:"due,omitempty" json:"due,omitempty"`
	Lead    string   `yaml:"lead" json:"lead"`
	Support []string `yaml:"support,omitempty" json:"support,omitempty"`
	Quote   string   `yaml:"quote" json:"quote"`
	// Quotas split an additive target among 区县 (区县 code → quota, 分解任务):
	// their sum must reach the city target.
	Quotas map[string]float64 `yaml:"quotas,omitempty" json:"quotas,omitempty"`
	// Own gives 区县 targets of their own for a kind that does not add up
	// (区县 code → target), each judged alone.
	Own map[string]float64 `yaml:"own_targets,omitempty" json:"own_targets,omitempty"`
}

// Has reports whether the target carries the qualifier word.
func (t Target) Has(q string) bool {
	for _, x := range t.Qualifiers {
		if x == q {
			return true
		}
	}
	return false
}

// Nature is 约束性 or 预期性.
func (t Target) Nature() string {
	if t.Binding {
		return "约束性"
	}
	return "预期性"
}

// Commitment is 确保 or 力争 where the plan says so, else "".
func (t Target) Commitment() string {
	for _, q := range []string{"确保", "力争"} {
		if t.Has(q) {
			return q
		}
	}
	return ""
}

// TargetText renders the target as the plan states it: 5%以上, 430个, 5.5%左右.
func (t Target) TargetText() string {
	if t.Value == nil {
		return ""
	}
	s := FormatNumber(*t.Value) + t.Unit
	switch {
	case t.Has("左右") || t.Comparator == About:
		s += "左右"
	case t.Has("以上"):
		s += "以上"
	case t.Has("以内") || t.Comparator == AtMost:
		s += "以内"
	}
	if t.Has("突破") {
		s = "突破" + s
	}
	return s
}

// Fingerprint hashes the definition a department must not change: id,
// indicator, kind, value, unit, comparator. Narrative fields may be edited
// in the registry without invalidating templates already sent out.
func (t Target) Fingerprint() string {
	b, _ := json.Marshal([]any{t.ID, t.Indicator, t.Kind, t.Value, t.Unit, t.Comparator})
	return shortHash(b)
}

// Expected is the share of the target expected by the end of period p.
// Without a schedule it is the elapsed share of the year. A schedule gives
// points (month, share); between them the expectation is a straight line.
func (t Target) Expected(p Period) float64 {
	if len(t.Schedule) == 0 {
		return p.Elapsed()
	}
	type pt struct{ m, v float64 }
	pts := []pt{{0, 0}}
	for k, v := range t.Schedule {
		q, err := ParsePeriod("2000" + strings.ToUpper(k))
		if err != nil {
			continue
		}
		pts = append(pts, pt{float64(q.EndMonth()), v})
	}
	// Ties (Q2 and H1 both end in June) are broken by value so that map
	// order cannot change the result.
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].m != pts[j].m {
			return pts[i].m < pts[j].m
		}
		return pts[i].v < pts[j].v
	})
	if pts[len(pts)-1].m < 12 {
		pts = append(pts, pt{12, 1})
	}
	m := float64(p.EndMonth())
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if m <= b.m {
			if m == b.m || b.m == a.m {
				return b.v
			}
			return a.v + (b.v-a.v)*(m-a.m)/(b.m-a.m)
		}
	}
	return 1
}
