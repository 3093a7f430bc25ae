package extract

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"planrep/plan"
)

// Roster is the remit of the departments a plan's targets may be given to:
// for each department, keywords of what it is responsible for. It is data
// (roster.yaml, or a city's own file), not code.
type Roster struct {
	// Planner is the code of the department that runs the plan; it leads
	// what no department's keywords name, until the office decides.
	Planner string       `yaml:"planner"`
	Depts   []RosterDept `yaml:"departments"`
}

// RosterDept is one department of a roster and its remit.
type RosterDept struct {
	Code     string   `yaml:"code"`
	Name     string   `yaml:"name"` // {地名} stands for the plan's place (淄博市)
	Short    string   `yaml:"short"`
	Keywords []string `yaml:"keywords"`
}

// Suggestion is a suggested lead (and supporting departments) for a target,
// with the keywords it rests on; no keyword means the planner by default.
type Suggestion struct {
	Lead    string
	Support []string
	Basis   []string
}

//go:embed roster.yaml
var defaultRoster []byte

// DefaultRoster is the roster of a city's standard departments that
// extract uses unless told otherwise.
func DefaultRoster() *Roster {
	r, err := ParseRoster(defaultRoster)
	if err != nil {
		panic("extract: embedded roster.yaml: " + err.Error())
	}
	return r
}

// builtin is the default roster, parsed once, for Extract and MarshalDraft
// to read (never to change) when given none.
var builtin = sync.OnceValue(DefaultRoster)

// ReadRoster reads a roster file (YAML, as roster.yaml).
func ReadRoster(name string) (*Roster, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("无法读取部门职责关键词表 %s：%w", name, err)
	}
	r, err := ParseRoster(data)
	if err != nil {
		return nil, fmt.Errorf("部门职责关键词表 %s：%w", name, err)
	}
	return r, nil
}

var rosterCodeRe = regexp.MustCompile(`^[A-Z][A-Z0-9-]*$`)

// ParseRoster reads a roster and checks it: codes unique and well formed,
// names and keywords present, the planner one of the departments.
func ParseRoster(data []byte) (*Roster, error) {
	var r Roster
	if err := yaml.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("不是有效的 YAML（%v）：请对照默认的 roster.yaml 修改", err)
	}
	if len(r.Depts) == 0 {
		return nil, errors.New("没有部门（departments）：请按默认的 roster.yaml 的格式列出部门及其职责关键词")
	}
	seen := map[string]bool{}
	for i, d := range r.Depts {
		switch {
		case !rosterCodeRe.MatchString(d.Code):
			return nil, fmt.Errorf("第 %d 个部门的代码 %q 应由大写字母、数字和连字符组成（如 FGW）", i+1, d.Code)
		case seen[d.Code]:
			return nil, fmt.Errorf("部门代码 %s 重复", d.Code)
		case strings.TrimSpace(d.Name) == "" || strings.TrimSpace(d.Short) == "":
			return nil, fmt.Errorf("部门 %s 缺少全称（name）或简称（short）", d.Code)
		case len(d.Keywords) == 0:
			return nil, fmt.Errorf("部门 %s 没有职责关键词（keywords）：至少写一个", d.Code)
		}
		for _, k := range d.Keywords {
			if strings.TrimSpace(k) == "" {
				return nil, fmt.Errorf("部门 %s 有空的职责关键词", d.Code)
			}
		}
		seen[d.Code] = true
	}
	if r.Planner == "" {
		r.Planner = r.Depts[0].Code
	}
	if !seen[r.Planner] {
		return nil, fmt.Errorf("计划主管部门（planner）%s 不在部门名单中", r.Planner)
	}
	return &r, nil
}

// Departments are the roster's departments for a plan of the place
// (淄博市): {地名} in a name becomes the place, or, with no place, the
// name is the short one.
func (r *Roster) Departments(place string) []plan.Department {
	out := make([]plan.Department, 0, len(r.Depts))
	for _, d := range r.Depts {
		name := d.Short
		if place != "" {
			name = strings.ReplaceAll(d.Name, "{地名}", place)
		} else if !strings.Contains(d.Name, "{地名}") {
			name = d.Name
		}
		out = append(out, plan.Department{Code: d.Code, Name: name, Short: d.Short})
	}
	return out
}

// Short returns a department's short name, or its code.
func (r *Roster) Short(code string) string {
	for _, d := range r.Depts {
		if d.Code == code {
			return d.Short
		}
	}
	return code
}

// Where a keyword is found weighs how much it says about the target.
var fieldWeights = []struct {
	field  func(t plan.Target) string
	weight float64
}{
	{func(t plan.Target) string { return t.Indicator }, 4},
	{func(t plan.Target) string { return fold(t.Quote) }, 2}, // a traditional copy's quote stays as written
	{func(t plan.Target) string { return t.Section + " " + t.Task }, 1},
	{func(t plan.Target) string { return t.Chapter }, 0.5},
}

// Suggest proposes a lead and up to two supporting departments for a
// target: each department scores the length of each of its keywords the
// target's words hold, weighed by where (name, quote, section, chapter);
// a keyword inside a longer one found there (工业 in 工业增加值) does not
// count, and one that ends the indicator's name (its head noun: 用水量 in
// 万元地区生产总值用水量) counts twice. The highest leads, those
// within half of it support.
func (r *Roster) Suggest(t plan.Target) Suggestion {
	type hit struct {
		dept, kw    int
		start, end  int // runes
		field       int
		headOfField bool
	}
	head := headNoun(t.Indicator)
	score := make([]float64, len(r.Depts))
	basis := make([][]string, len(r.Depts))
	for fi, f := range fieldWeights {
		text := f.field(t)
		var hits []hit
		for di, d := range r.Depts {
			for ki, k := range d.Keywords {
				for off := 0; off < len(text); {
					i := strings.Index(text[off:], k)
					if i < 0 {
						break
					}
					i += off
					off = i + len(k)
					// “万元地区生产总值用水量”, “每万人口…”, “占地区生产总值
					// 比重”: a denominator does not say whose the figure is.
					if before := text[:i]; hasSuffixAny(before, denominators) {
						continue
					}
					start := utf8.RuneCountInString(text[:i])
					hits = append(hits, hit{dept: di, kw: ki, start: start, end: start + utf8.RuneCountInString(k), field: fi})
					break
				}
			}
		}
		for _, h := range hits {
			inside := false
			for _, o := range hits {
				if o.end-o.start > h.end-h.start && o.start <= h.start && h.end <= o.end {
					inside = true
					break
				}
			}
			if inside {
				continue
			}
			k := r.Depts[h.dept].Keywords[h.kw]
			w := f.weight * float64(h.end-h.start)
			if fi == 0 && head != "" && strings.HasSuffix(head, k) {
				w *= 2
			}
			score[h.dept] += w
			if !contains(basis[h.dept], k) {
				basis[h.dept] = append(basis[h.dept], k)
			}
		}
	}
	order := make([]int, 0, len(r.Depts))
	for i := range r.Depts {
		if score[i] > 0 {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return Suggestion{Lead: r.Planner}
	}
	sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]] })
	top := order[0]
	b := basis[top]
	sort.SliceStable(b, func(i, j int) bool { return len([]rune(b[i])) > len([]rune(b[j])) })
	s := Suggestion{Lead: r.Depts[top].Code, Basis: b[:min(3, len(b))]}
	for _, o := range order[1:] {
		if score[o]*2 >= score[top] && len(s.Support) < 2 {
			s.Support = append(s.Support, r.Depts[o].Code)
		}
	}
	return s
}

// denominators stand before a figure's base, not its subject.
var denominators = []string{"万元", "单位", "每万", "每千", "占"}

// headNoun is an indicator's name without what follows its noun: a base
// of comparison (较2020年下降) and a verb (增长, 达到).
func headNoun(name string) string {
	if i := strings.Index(name, "较"); i > 0 {
		name = name[:i]
	}
	for changed := true; changed; {
		changed = false
		for _, w := range append(append(append([]string{}, growthWords...), reduceWords...), trailWords...) {
			if strings.HasSuffix(name, w) && len(name) > len(w) {
				name, changed = name[:len(name)-len(w)], true
			}
		}
	}
	return name
}

// assign gives every target the roster's suggestion and the plan the
// roster's departments.
func (r *Roster) assign(p *plan.Plan, place string) {
	p.Depts = r.Departments(place)
	p.Planner = r.Short(r.Planner)
	if place != "" {
		p.Office = place + "人民政府"
	}
	for i := range p.Targets {
		s := r.Suggest(p.Targets[i])
		p.Targets[i].Lead, p.Targets[i].Support = s.Lead, s.Support
	}
}

// placeOf is the place a plan's title names before its year (淄博市).
func placeOf(title string, year int) string {
	y := fmt.Sprint(year)
	i := strings.Index(title, y)
	if i <= 0 {
		return ""
	}
	place := strings.TrimSpace(title[:i])
	if j := strings.LastIndex(place, "关于印发"); j >= 0 {
		place = place[j+len("关于印发"):]
	}
	place = strings.TrimPrefix(place, "关于")
	place = strings.Trim(place, "《“ ")
	if n := len([]rune(place)); n < 2 || n > 12 {
		return ""
	}
	if !hasSuffixAny(place, []string{"市", "省", "县", "区", "州", "盟", "旗", "自治区"}) {
		return ""
	}
	return place
}
