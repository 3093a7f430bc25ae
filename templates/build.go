package templates

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"planrep/internal/xlsxdim"
	"planrep/plan"
)

// Options say which round a template is for and what it tells the department.
type Options struct {
	Period   plan.Period
	Deadline string // YYYY-MM-DD, or "" when the notice gives it
	Contact  string // whom to call, e.g. 市发展改革委 计划科 0533-…
	Now      time.Time
	// Links are the units' web intake links (planrep serve), by unit code:
	// when set, the distribution list has a column of them. They are
	// secrets, so they never go into the templates themselves.
	Links map[string]string
}

// Fonts that exist on Chinese Windows (and that WPS maps): a plain serif for
// the form and a sans-serif for titles and headings.
const (
	fontBody  = "宋体"
	fontTitle = "微软雅黑"
)

// Colours of the form; the legend on SheetGuide explains them.
const (
	colorInput     = "FFF2CC" // light yellow: fill in
	colorInputHead = "FFD966"
	colorCalc      = "E2EFDA" // light green: works out by itself
	colorCalcHead  = "C6E0B4"
	colorFixedHead = "D9E1F2" // blue-grey: fixed content
	colorLabel     = "F2F2F2"
	colorFlag      = "FCE4D6" // rose: the self-check says something
	colorPending   = "EDEDED" // pale grey: the row is not filled in yet
	colorBorder    = "A6A6A6"
	colorAlert     = "C00000"
	colorNote      = "595959"
	colorHeading   = "1F4E79"
)

// Build makes department d's workbook for the round described by opt.
func Build(p *plan.Plan, d plan.Department, opt Options) (*excelize.File, error) {
	return BuildUnit(p, d.Unit(), opt)
}

// BuildUnit makes the workbook of reporting unit u: a department's holds the
// targets it leads; a 区县's holds its quotas and own targets, each as the
// row's target, in the same layout and with the same checks.
func BuildUnit(p *plan.Plan, u plan.Unit, opt Options) (*excelize.File, error) {
	if p == nil {
		return nil, errors.New("没有计划登记表")
	}
	if opt.Period.Year == 0 {
		return nil, errors.New("没有指定报告期：请用 --period 指定，如 2025Q3")
	}
	if opt.Period.Year != p.Year {
		return nil, fmt.Errorf("报告期 %s 不在计划年度 %d 年内：请指定 %d 年的报告期", opt.Period, p.Year, p.Year)
	}
	if opt.Deadline != "" {
		if _, err := time.Parse("2006-01-02", opt.Deadline); err != nil {
			return nil, fmt.Errorf("截止日期 %q 无法识别：请写成 2025-10-10 这样的日期", opt.Deadline)
		}
	}
	if strings.TrimSpace(u.Code) == "" {
		return nil, fmt.Errorf("%s缺少代码", u.Kind.Or().Label())
	}
	u.Kind = u.Kind.Or()
	b := &builder{f: excelize.NewFile(), p: p, d: u.Department(), u: u, opt: opt}
	targets := p.Led(u.Code)
	if u.Kind == plan.UnitDistrict {
		targets = p.DistrictTargets(u.Code)
		b.city = map[string]plan.Target{}
		for _, t := range p.Targets {
			if _, ok := t.ForDistrict(u.Code); ok {
				b.city[t.ID] = t
			}
		}
	}
	for _, t := range targets {
		if t.Kind.Quantitative() {
			b.quant = append(b.quant, t)
		} else {
			b.miles = append(b.miles, t)
		}
	}
	if err := b.build(); err != nil {
		b.f.Close()
		return nil, fmt.Errorf("生成 %s 的填报模板失败：%w", u.Short, err)
	}
	return b.f, nil
}

// WriteUnit writes unit u's workbook to w.
func WriteUnit(w io.Writer, p *plan.Plan, u plan.Unit, opt Options) error {
	f, err := BuildUnit(p, u, opt)
	if err != nil {
		return err
	}
	defer f.Close()
	return xlsxdim.WriteTo(w, f)
}

// Write writes department d's workbook to w.
func Write(w io.Writer, p *plan.Plan, d plan.Department, opt Options) error {
	f, err := Build(p, d, opt)
	if err != nil {
		return err
	}
	defer f.Close()
	return xlsxdim.WriteTo(w, f)
}

// FileName is the template's file name: <period>_<short name>_<code>.xlsx,
// with characters no file system accepts replaced.
func FileName(period plan.Period, d plan.Department) string {
	short := d.Short
	if strings.TrimSpace(short) == "" {
		short = d.Name
	}
	return sanitize(period.String()) + "_" + sanitize(short) + "_" + sanitize(d.Code) + ".xlsx"
}

func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`\/:*?"<>|`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	s = strings.Trim(strings.TrimSpace(s), ".")
	if s == "" {
		s = "_"
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return s
}

// builder holds what one workbook is made of while it is built.
type builder struct {
	f     *excelize.File
	p     *plan.Plan
	d     plan.Department // the unit, in a department's shape
	u     plan.Unit
	city  map[string]plan.Target // a 区县's targets as the city states them, by id
	opt   Options
	quant []plan.Target
	miles []plan.Target
	st    styles
}

func (b *builder) build() error {
	f := b.f
	if err := f.SetDefaultFont(fontBody); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetGuide); err != nil {
		return err
	}
	for _, s := range []string{SheetQuant, SheetMilestone, SheetLists, SheetMeta} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	if err := b.newStyles(); err != nil {
		return err
	}
	steps := []func() error{b.guide, b.quantSheet, b.milestoneSheet, b.lists, b.meta, b.workbookProps}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return nil
}

// deadlineText is the deadline as people write it: 2025年10月10日.
func (b *builder) deadlineText() string {
	t, err := time.Parse("2006-01-02", b.opt.Deadline)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (b *builder) contact() string {
	if c := strings.TrimSpace(b.opt.Contact); c != "" {
		return c
	}
	return b.p.Planner
}

// district reports whether the workbook is a 区县's.
func (b *builder) district() bool { return b.u.Kind == plan.UnitDistrict }

// example reports whether the registry's split is an example.
func (b *builder) example() bool { return b.p.Split != nil && b.p.Split.Example }

// rowStatement is the 目标表述 of a row: the plan's wording, or for a 区县
// its quota or own target next to the city's, 示例 when the split is one.
func (b *builder) rowStatement(t plan.Target) string {
	city, ok := b.city[t.ID]
	if !b.district() || !ok {
		return statement(t)
	}
	what := "区县目标"
	if city.Split() {
		what = "分解任务"
	}
	s := fmt.Sprintf("%s%s（全市%s", what, plan.FormatNumber(*t.Value)+t.Unit, statement(city))
	if city.Split() && b.example() {
		s += "，" + plan.ExampleLabel
	}
	return s + "）"
}

// statement renders the target as the plan commits to it: 力争430个, 控制在5.5%左右（约束性）.
func statement(t plan.Target) string {
	s := t.TargetText()
	if s == "" {
		return ""
	}
	if t.Has("控制在") && !strings.HasPrefix(s, "控制在") {
		s = "控制在" + s
	}
	s = t.Commitment() + s
	if t.Binding {
		s += "（约束性）"
	}
	return s
}

// dueText says when a milestone is planned to be finished: 2025年12月底前.
func dueText(t plan.Target) string {
	if t.Due == "" {
		return "年内"
	}
	q, err := plan.ParsePeriod(t.Due)
	if err != nil {
		return t.Due
	}
	e := q.End()
	return fmt.Sprintf("%d年%d月底前", e.Year(), int(e.Month()))
}

// overdue reports whether a milestone's planned date has come by the period's end.
func overdue(t plan.Target, p plan.Period) bool {
	q, err := plan.ParsePeriod(t.Due)
	if err != nil || t.Due == "" {
		return false
	}
	return !q.End().After(p.End())
}

// num writes a number for a formula: no exponent, no trailing zeros.
func num(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// textUnits estimates how many column-width units s takes in the body font:
// a Chinese character is about two digits wide.
func textUnits(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w++
		} else {
			w += 1.9
		}
	}
	return w
}

// lines estimates how many lines s wraps to in a column width wide.
func lines(s string, width float64) int {
	usable := math.Max(width-1, 1)
	n := 0
	for _, part := range strings.Split(s, "\n") {
		n += int(math.Max(1, math.Ceil(textUnits(part)/usable)))
	}
	return n
}

// lineHeight is the height in points of one wrapped line of 10-point body text.
const lineHeight = 14.0

// heightFor is the row height for n lines, within Excel's 409-point limit.
func heightFor(n int) float64 { return math.Min(float64(n)*lineHeight+6, 409) }

// cell names column col (1-based) of row.
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// colIndex is the 1-based index of key in cols.
func colIndex(cols []Column, key string) int {
	for i, c := range cols {
		if c.Key == key {
			return i + 1
		}
	}
	return 0
}

func lastCol(cols []Column) string {
	name, _ := excelize.ColumnNumberToName(len(cols))
	return name
}

// excelSerial is a date's serial number in the 1900 date system.
func excelSerial(t time.Time) int {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return int(t.Sub(base).Hours() / 24)
}
