package cmd

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/text/width"

	"planrep/plan"
)

// unit is one reporting unit of a registry's rosters, as users may name it.
type unit struct {
	Code, Short, Name string
	District          bool
}

func (u unit) String() string { return fmt.Sprintf("%s（%s）", u.Short, u.Code) }

// rosterUnits lists every unit of the registry: departments, then 区县.
func rosterUnits(p *plan.Plan) []unit {
	var out []unit
	for _, d := range p.Depts {
		out = append(out, unit{Code: d.Code, Short: d.Short, Name: d.Name})
	}
	for _, d := range p.Districts {
		out = append(out, unit{Code: d.Code, Short: d.Short, Name: d.Name, District: true})
	}
	return out
}

// unitMatch is how a name given by a user was understood.
type unitMatch struct {
	Query string
	Unit  unit
	By    string // 代码, 简称, 全称, 名称的一部分
}

// Note says which unit was matched, for the user to check.
func (m unitMatch) Note() string {
	return fmt.Sprintf("“%s”按%s识别为 %s", m.Query, m.By, m.Unit)
}

// matchUnits resolves each query — a code in any case, a short name, a full
// name, or a part of a name that only one unit has — against the registry's
// rosters. An unknown or ambiguous one is an error that lists the closest
// units by name.
func matchUnits(p *plan.Plan, queries []string, option string) ([]unitMatch, error) {
	units := rosterUnits(p)
	var out []unitMatch
	var bad []string
	for _, q := range queries {
		q = strings.TrimSpace(width.Narrow.String(q))
		if q == "" {
			continue
		}
		m, err := matchUnit(units, q)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		out = append(out, m)
	}
	if len(bad) > 0 {
		where := ""
		if strings.HasPrefix(option, "--") {
			where = option + " 中"
		}
		return nil, fmt.Errorf("%s%s。单位可以写代码、简称或全称，多个单位用逗号分隔；planrep plan show 列出全部单位", where, strings.Join(bad, "；"))
	}
	return out, nil
}

func matchUnit(units []unit, q string) (unitMatch, error) {
	for _, by := range []struct {
		label string
		eq    func(u unit) bool
	}{
		{"代码", func(u unit) bool { return strings.EqualFold(u.Code, q) }},
		{"简称", func(u unit) bool { return u.Short == q }},
		{"全称", func(u unit) bool { return u.Name == q }},
	} {
		for _, u := range units {
			if by.eq(u) {
				return unitMatch{Query: q, Unit: u, By: by.label}, nil
			}
		}
	}
	var part []unit
	for _, u := range units {
		if strings.Contains(u.Short, q) || strings.Contains(u.Name, q) {
			part = append(part, u)
		}
	}
	if len(part) == 1 {
		return unitMatch{Query: q, Unit: part[0], By: "名称的一部分"}, nil
	}
	if len(part) > 1 {
		names := make([]string, 0, len(part))
		for i, u := range part {
			if i == 6 {
				names = append(names, fmt.Sprintf("等 %d 个", len(part)))
				break
			}
			names = append(names, u.String())
		}
		return unitMatch{}, fmt.Errorf("“%s”可能是 %s，请写得更完整或用代码", q, strings.Join(names, "、"))
	}
	return unitMatch{}, fmt.Errorf("没有“%s”这个单位，最接近的是 %s", q, strings.Join(closest(units, q, 3), "、"))
}

// closest are the n units whose code or names are nearest to q by edit
// distance (on characters, so that 商务局 is near 市商务局).
func closest(units []unit, q string, n int) []string {
	type scored struct {
		u unit
		d int
	}
	var s []scored
	for i, u := range units {
		d := min(editDistance(strings.ToUpper(q), u.Code), editDistance(q, u.Short), editDistance(q, u.Name))
		s = append(s, scored{u, d*1000 + i})
	}
	sort.Slice(s, func(i, j int) bool { return s[i].d < s[j].d })
	var out []string
	for i := 0; i < n && i < len(s); i++ {
		out = append(out, s[i].u.String())
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// unitCode resolves one unit named on the command line (a code, short or full
// name) to its code, and tells w which unit it took when the name was not
// the code itself. what names the argument in messages.
func unitCode(w io.Writer, p *plan.Plan, query, what string) (string, error) {
	ms, err := matchUnits(p, []string{query}, what)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return "", fmt.Errorf("请指定%s：代码、简称或全称", what)
	}
	if ms[0].By != "代码" {
		fmt.Fprintln(w, ms[0].Note())
	}
	return ms[0].Unit.Code, nil
}
