package plan

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// UnitKind says which kind of reporting unit a return, a stamp or a row of a
// round concerns: a municipal department or a 区县/功能区.
type UnitKind string

const (
	UnitDept     UnitKind = "dept"     // a municipal department: leads targets, reports the city figure
	UnitDistrict UnitKind = "district" // a 区县 or 功能区: reports on its quotas and own targets
)

// Label is the kind's Chinese name.
func (k UnitKind) Label() string {
	if k == UnitDistrict {
		return "区县"
	}
	return "部门"
}

// Or returns k, or UnitDept when k is empty: rounds, stamps and files written
// before 区县 existed name no kind, and every unit then was a department.
func (k UnitKind) Or() UnitKind {
	if k == "" {
		return UnitDept
	}
	return k
}

// District is a 区县 or 功能区 of the plan's city. It carries quotas of the
// additive targets (the 分解表) and may carry targets of its own.
type District struct {
	Code    string `yaml:"code" json:"code"`   // short, stable ASCII code, e.g. ZHANGDIAN
	Name    string `yaml:"name" json:"name"`   // full name, e.g. 淄博市张店区
	Short   string `yaml:"short" json:"short"` // short name, e.g. 张店区
	Contact string `yaml:"contact,omitempty" json:"contact,omitempty"`
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
}

// SplitNote says where the registry's quotas come from.
type SplitNote struct {
	// Example marks quotas made by a stated rule for illustration, since the
	// plan gives none: every output that shows them labels them 示例.
	Example bool `yaml:"example,omitempty" json:"example,omitempty"`
	// Rule says how the quotas were made, in a sentence the office can read.
	Rule string `yaml:"rule,omitempty" json:"rule,omitempty"`
}

// Unit is a reporting unit of either kind.
type Unit struct {
	Kind    UnitKind
	Code    string
	Name    string
	Short   string
	Contact string
	Phone   string
}

// Unit returns the department as a reporting unit.
func (d Department) Unit() Unit {
	return Unit{UnitDept, d.Code, d.Name, d.Short, d.Contact, d.Phone}
}

// Unit returns the 区县 as a reporting unit.
func (d District) Unit() Unit {
	return Unit{UnitDistrict, d.Code, d.Name, d.Short, d.Contact, d.Phone}
}

// Department returns the unit in the shape of a department (code, names and
// contact), for code that lays out any unit's workbook.
func (u Unit) Department() Department {
	return Department{Code: u.Code, Name: u.Name, Short: u.Short, Contact: u.Contact, Phone: u.Phone}
}

// Additive reports whether values of the kind add up across 区县, so that a
// city target can be split into quotas: counts and amounts accumulated since
// 1 January do; levels, shares, rates and ceilings do not.
func (k Kind) Additive() bool { return k == Cumulative }

// District returns the 区县 with the given code.
func (p *Plan) District(code string) (District, bool) {
	for _, d := range p.Districts {
		if d.Code == code {
			return d, true
		}
	}
	return District{}, false
}

// Unit returns the department or 区县 with the given code.
func (p *Plan) Unit(code string) (Unit, bool) {
	if d, ok := p.Dept(code); ok {
		return d.Unit(), true
	}
	if d, ok := p.District(code); ok {
		return d.Unit(), true
	}
	return Unit{}, false
}

// Split reports whether the target is split into 区县 quotas.
func (t Target) Split() bool { return len(t.Quotas) > 0 }

// ForDistrict is the target as 区县 code carries it: its quota of a split
// target, or its own target of a non-additive one, as the target value.
// Lead stays the department that leads the city target. It reports false
// when the 区县 carries neither.
func (t Target) ForDistrict(code string) (Target, bool) {
	v, ok := t.Quotas[code]
	if !ok {
		v, ok = t.Own[code]
	}
	if !ok {
		return Target{}, false
	}
	d := t
	d.Value = &v
	d.Quotas, d.Own = nil, nil
	if t.Split() {
		// A quota is a share of a city total: 以上/突破/左右 of the city's
		// wording do not carry over to it.
		d.Qualifiers = nil
		d.Comparator = AtLeast
	}
	return d, true
}

// DistrictTargets returns the targets 区县 code carries (quotas and own
// targets), in registry order, each as ForDistrict gives it.
func (p *Plan) DistrictTargets(code string) []Target {
	var out []Target
	for _, t := range p.Targets {
		if d, ok := t.ForDistrict(code); ok {
			out = append(out, d)
		}
	}
	return out
}

// UnitTargets returns what unit code reports on: the targets a department
// leads, or a 区县's quotas and own targets.
func (p *Plan) UnitTargets(code string) []Target {
	if _, ok := p.District(code); ok {
		return p.DistrictTargets(code)
	}
	return p.Led(code)
}

// ReportingDistricts returns the 区县 that carry at least one quota or own
// target, in roster order.
func (p *Plan) ReportingDistricts() []District {
	carries := map[string]bool{}
	for _, t := range p.Targets {
		for c := range t.Quotas {
			carries[c] = true
		}
		for c := range t.Own {
			carries[c] = true
		}
	}
	var out []District
	for _, d := range p.Districts {
		if carries[d.Code] {
			out = append(out, d)
		}
	}
	return out
}

// QuotaSum adds up the target's quotas.
func (t Target) QuotaSum() float64 {
	codes := make([]string, 0, len(t.Quotas))
	for c := range t.Quotas {
		codes = append(codes, c)
	}
	sort.Strings(codes) // the same order, the same float sum
	s := 0.0
	for _, c := range codes {
		s += t.Quotas[c]
	}
	return round6(s)
}

// EqualSplit splits a whole-number value into n quotas of whole units
// that add up to it exactly: each gets value/n rounded down, and the units
// left over go one each to the first quotas. It is the rule of the embedded
// plan's example split, in roster order.
func EqualSplit(value float64, n int) []float64 {
	if n <= 0 || value < 0 || value != math.Trunc(value) {
		return nil
	}
	q := math.Floor(value / float64(n))
	rest := int(value - q*float64(n))
	out := make([]float64, n)
	for i := range out {
		out[i] = q
		if i < rest {
			out[i]++
		}
	}
	return out
}

// checkDistricts checks the 区县 roster against itself and the departments.
func checkDistricts(p *Plan, depts map[string]bool, add func(id, format string, args ...any)) map[string]bool {
	known := map[string]bool{}
	shorts := map[string]bool{}
	for _, d := range p.Districts {
		switch {
		case !codeRe.MatchString(d.Code):
			add("", "区县代码 %q 应由大写字母、数字和连字符组成（如 ZHANGDIAN）", d.Code)
		case known[d.Code]:
			add("", "区县代码 %s 重复", d.Code)
		case depts[d.Code]:
			add("", "区县代码 %s 与部门代码重复：填报单位按代码识别，部门和区县的代码须各不相同", d.Code)
		}
		known[d.Code] = true
		if d.Name == "" || d.Short == "" {
			add("", "区县 %s 缺少全称（name）或简称（short）", d.Code)
		}
		if d.Short != "" && shorts[d.Short] {
			add("", "区县简称 %s 重复", d.Short)
		}
		shorts[d.Short] = true
	}
	return known
}

// checkSplit checks a target's quotas and own 区县 targets.
func checkSplit(t Target, districts map[string]bool, add func(id, format string, args ...any)) {
	id := t.ID
	if len(t.Quotas) == 0 && len(t.Own) == 0 {
		return
	}
	for _, m := range []map[string]float64{t.Quotas, t.Own} {
		for _, c := range sortedKeys(m) {
			v := m[c]
			if !districts[c] {
				add(id, "区县 %q 不在区县名单（districts）中", c)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && t.Kind != Growth) {
				add(id, "区县 %s 的目标 %v 不合理", c, v)
			}
		}
	}
	for _, c := range sortedKeys(t.Own) {
		if _, both := t.Quotas[c]; both {
			add(id, "区县 %s 同时有分解任务（quotas）和区县目标（own_targets），只能有一种", c)
		}
	}
	switch {
	case t.Kind == Milestone:
		add(id, "重点任务没有目标值，不能分解到区县，也不能给区县下达目标")
		return
	case len(t.Quotas) > 0 && !t.Kind.Additive():
		add(id, "%s类指标的数值不能在区县之间相加，不能下达分解任务（quotas）：如需给区县下达目标，请改为区县目标（own_targets），各区县单独评价",
			t.Kind.Label())
	case len(t.Own) > 0 && t.Kind.Additive():
		add(id, "累计量指标请用分解任务（quotas）分解到区县（合计不少于全市目标），不用区县目标（own_targets）")
	}
	if len(t.Quotas) > 0 && t.Kind.Additive() && t.Value != nil {
		sum := t.QuotaSum()
		if sum < round6(*t.Value) {
			add(id, "区县分解任务合计 %s，少于全市目标 %s，还差 %s：请补足分解任务",
				num(sum, t.Unit), num(*t.Value, t.Unit), num(round6(*t.Value-sum), t.Unit))
		}
	}
}

func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DistrictNames lists short names for a message: 张店区、淄川区 and 3 more.
func DistrictNames(p *Plan, codes []string) string {
	var names []string
	for _, c := range codes {
		if d, ok := p.District(c); ok {
			names = append(names, d.Short)
		} else {
			names = append(names, c)
		}
	}
	return strings.Join(names, "、")
}

// ExampleLabel is how outputs mark quotas of an example split.
const ExampleLabel = "示例"

// SplitLabel says what a split is, for headings: 区县任务分解（示例）.
func (p *Plan) SplitLabel() string {
	if p.Split != nil && p.Split.Example {
		return fmt.Sprintf("区县任务分解（%s）", ExampleLabel)
	}
	return "区县任务分解"
}
