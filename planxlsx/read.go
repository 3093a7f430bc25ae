package planxlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"planrep/plan"
)

// Problem is one thing wrong in the workbook, located by sheet and row.
type Problem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`    // 1-based, 0 when not known
	Target  string `json:"target,omitempty"` // 编号 of the row, when it has one
	Message string `json:"message"`
}

// String reads 指标 第 12 行（编号 1-03）：… .
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Sheet)
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第 %d 行", p.Row)
	}
	if p.Target != "" {
		fmt.Fprintf(&b, "（编号 %s）", p.Target)
	}
	if b.Len() > 0 {
		b.WriteString("：")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Book is a 任务分工表 read back: the plan it holds, what could not be
// read, and where each target and department came from.
type Book struct {
	Plan     *plan.Plan
	Problems []Problem // what could not be read; see Check for the full list

	targetRows   []int          // row of each of Plan.Targets
	deptRows     []int          // row of each of Plan.Depts
	districtRows []int          // row of each of Plan.Districts
	splitRows    map[string]int // target id → its row of SheetSplit
	// suppressPlan lists plan.Check messages (by prefix) naming no target
	// that repeat a problem already reported while reading.
	suppressPlan []string
	planRows     map[string]int // SheetPlan label → row
	// suppress lists, per target id, the plan.Check messages (by prefix)
	// that repeat a problem already reported while reading.
	suppress map[string][]string

	percentStyles map[int]bool // style id → shows a percentage
}

// MaxSize bounds the workbook's decompressed size.
const MaxSize = 64 << 20

// Read reads a 任务分工表. The error is for a file that cannot be read as
// one at all; problems in its cells are in Book.Problems.
func Read(r io.Reader) (b *Book, err error) {
	defer func() {
		if x := recover(); x != nil {
			b, err = nil, fmt.Errorf("任务分工表已损坏，无法读取（%v）：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入", x)
		}
	}()
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("无法读取任务分工表：%w", err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("任务分工表超过 %d MB，不像是任务分工表", MaxSize>>20)
	}
	// A damaged sheet can open without error and read as blank rows, which
	// would silently drop targets: check every part of the file first.
	if err := verifyZip(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxSize, UnzipXMLSizeLimit: MaxSize})
	if err != nil {
		return nil, fmt.Errorf("无法打开任务分工表（%v）：请确认是由 planrep plan export 导出、用 Excel 或 WPS 保存的 .xlsx 文件", err)
	}
	defer f.Close()
	var missing []string
	for _, s := range []string{SheetTargets, SheetDepts, SheetPlan} {
		if idx, err := f.GetSheetIndex(s); err != nil || idx < 0 {
			missing = append(missing, "“"+s+"”")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("不是任务分工表：缺少工作表 %s（请勿删除或改名工作表）", strings.Join(missing, "、"))
	}
	b = &Book{Plan: &plan.Plan{}, planRows: map[string]int{}, splitRows: map[string]int{}, suppress: map[string][]string{}, percentStyles: map[int]bool{}}
	if err := b.readPlan(f); err != nil {
		return nil, err
	}
	if err := b.readDepts(f); err != nil {
		return nil, err
	}
	if err := b.readDistricts(f); err != nil {
		return nil, err
	}
	if err := b.readTargets(f); err != nil {
		return nil, err
	}
	if err := b.readSplit(f); err != nil {
		return nil, err
	}
	return b, nil
}

// verifyZip reads every member of the file through archive/zip, which
// checks each one's CRC, within MaxSize in all.
func verifyZip(data []byte) error {
	bad := func(why string) error {
		return fmt.Errorf("无法打开任务分工表（%s）：请确认是由 planrep plan export 导出、用 Excel 或 WPS 保存的 .xlsx 文件", why)
	}
	if len(data) >= 4 && bytes.Equal(data[:4], []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		return bad("这是加密的工作簿或旧版 .xls 文件；请取消密码并另存为 .xlsx")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return bad("不是有效的 .xlsx 文件")
	}
	var total int64
	for _, m := range zr.File {
		rc, err := m.Open()
		if err != nil {
			return bad("文件已损坏：" + m.Name)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, MaxSize-total+1))
		rc.Close()
		total += n
		if total > MaxSize {
			return bad("解压后过大")
		}
		if err != nil {
			return bad("文件已损坏：" + m.Name)
		}
	}
	return nil
}

func rows(f *excelize.File, sheet string) ([][]string, error) {
	rs, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表“%s”：%v", sheet, err)
	}
	return rs, nil
}

func (b *Book) add(sheet string, row int, target, format string, args ...any) {
	b.Problems = append(b.Problems, Problem{Sheet: sheet, Row: row, Target: target, Message: fmt.Sprintf(format, args...)})
}

func (b *Book) readPlan(f *excelize.File) error {
	rs, err := rows(f, SheetPlan)
	if err != nil {
		return err
	}
	p := b.Plan
	vals := map[string]string{}
	for i, r := range rs {
		if i == 0 || len(r) == 0 {
			continue
		}
		key := clean(r[0])
		if _, dup := b.planRows[key]; key == "" || dup {
			continue
		}
		b.planRows[key] = i + 1
		if len(r) > 1 {
			vals[key] = clean(r[1])
		}
	}
	for _, k := range []string{KeyID, KeyTitle, KeyYear} {
		if _, ok := b.planRows[k]; !ok {
			b.add(SheetPlan, 0, "", "缺少“%s”一行：请在 A 列写“%s”，B 列写其内容", k, k)
		}
	}
	p.ID, p.Title, p.Office, p.Planner, p.Source = vals[KeyID], vals[KeyTitle], vals[KeyOffice], vals[KeyPlanner], vals[KeySource]
	switch src := p.Source; {
	case src == "":
		b.add(SheetPlan, b.planRows[KeySource], "", "“%s”为空：请填写计划原文的文件名（如 plan.txt）", KeySource)
	case strings.ContainsAny(src, `/\:`) || src == "." || src == "..":
		b.add(SheetPlan, b.planRows[KeySource], "", "“%s”只能是文件名（如 plan.txt），不能含路径：原文须与 plan.yaml 放在同一文件夹", KeySource)
	}
	if s := vals[KeyYear]; s != "" {
		y, err := parseInt(s)
		if err != nil {
			b.add(SheetPlan, b.planRows[KeyYear], "", "计划年度“%s”不是四位年份", s)
		}
		p.Year = y
	}
	for _, th := range []struct {
		key string
		dst *float64
	}{
		{KeyTolerance, &p.Thresholds.Tolerance}, {KeySerious, &p.Thresholds.Serious}, {KeyApprox, &p.Thresholds.Approx},
		{KeyConsistency, &p.Thresholds.Consistency},
	} {
		s := vals[th.key]
		if s == "" {
			continue
		}
		v, err := parseShare(s)
		if err != nil {
			b.add(SheetPlan, b.planRows[th.key], "", "%s“%s”不是数字：请填写比例，如 5%% 或 0.05", th.key, s)
			continue
		}
		*th.dst = v
	}
	if p.Thresholds == (plan.Thresholds{}) {
		p.Thresholds = plan.DefaultThresholds
	}
	b.readSplitNote(vals)
	return nil
}

// header maps each heading of row 1 to its column index; it reports the
// headings of cols that are missing.
func header(sheet string, rs [][]string, cols []Column) (map[string]int, error) {
	idx := map[string]int{}
	if len(rs) > 0 {
		for i, h := range rs[0] {
			h = clean(h)
			if _, dup := idx[h]; h != "" && !dup {
				idx[h] = i
			}
		}
	}
	out := map[string]int{}
	var missing []string
	for _, c := range cols {
		i, ok := idx[c.Header]
		if !ok {
			missing = append(missing, "“"+c.Header+"”")
			continue
		}
		out[c.Key] = i
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("工作表“%s”第 1 行缺少列 %s：请勿删除或改名表头", sheet, strings.Join(missing, "、"))
	}
	return out, nil
}

func cell(r []string, i int) string {
	if i < len(r) {
		return clean(r[i])
	}
	return ""
}

func blank(r []string) bool {
	for _, c := range r {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

func (b *Book) readDepts(f *excelize.File) error {
	rs, err := rows(f, SheetDepts)
	if err != nil {
		return err
	}
	col, err := header(SheetDepts, rs, DeptColumns)
	if err != nil {
		return err
	}
	shortRow := map[string]int{}
	for i := 1; i < len(rs); i++ {
		r := rs[i]
		if blank(r) {
			continue
		}
		d := plan.Department{
			Code: cell(r, col["code"]), Name: cell(r, col["name"]), Short: cell(r, col["short"]),
			Contact: cell(r, col["contact"]), Phone: cell(r, col["phone"]),
		}
		if d.Code == "" {
			b.add(SheetDepts, i+1, "", "部门“%s”缺少代码：请填写由大写字母、数字组成的代码（如 FGW）", firstNonEmpty(d.Short, d.Name))
		}
		if prev, dup := shortRow[d.Short]; dup && d.Short != "" {
			b.add(SheetDepts, i+1, "", "简称“%s”与第 %d 行重复：各部门简称须不同，牵头部门按简称识别", d.Short, prev)
		} else {
			shortRow[d.Short] = i + 1
		}
		b.Plan.Depts = append(b.Plan.Depts, d)
		b.deptRows = append(b.deptRows, i+1)
	}
	return nil
}

// dept finds a department by code, short name or full name.
func (b *Book) dept(s string) (string, bool) {
	for _, match := range []func(d plan.Department) bool{
		func(d plan.Department) bool { return d.Code == s },
		func(d plan.Department) bool { return d.Short == s },
		func(d plan.Department) bool { return d.Name == s },
		func(d plan.Department) bool { return strings.EqualFold(d.Code, s) },
	} {
		for _, d := range b.Plan.Depts {
			if d.Code != "" && match(d) {
				return d.Code, true
			}
		}
	}
	return "", false
}

func (b *Book) readTargets(f *excelize.File) error {
	rs, err := rows(f, SheetTargets)
	if err != nil {
		return err
	}
	col, err := header(SheetTargets, rs, TargetColumns)
	if err != nil {
		return err
	}
	firstRow := map[string]int{}
	for i := 1; i < len(rs); i++ {
		r := rs[i]
		if blank(r) {
			continue
		}
		row := i + 1
		get := func(key string) string { return cell(r, col[key]) }
		t := plan.Target{
			ID: get(ColID), Chapter: get(ColChapter), Section: get(ColSection), Task: get(ColTask),
			Indicator: get(ColIndicator), Unit: get(ColUnit), Due: get(ColDue), Quote: get(ColQuote),
		}
		id := t.ID
		bad := func(checkPrefix, format string, args ...any) {
			b.add(SheetTargets, row, id, format, args...)
			if checkPrefix != "" {
				b.suppress[id] = append(b.suppress[id], checkPrefix)
			}
		}
		switch prev, dup := firstRow[id]; {
		case id == "":
			bad("有指标缺少编号", "编号为空：请为指标“%s”填写唯一编号（如 1-03）", t.Indicator)
		case dup:
			bad("编号重复", "编号与第 %d 行重复：每个指标的编号必须唯一", prev)
		default:
			firstRow[id] = row
		}

		switch s := get(ColKind); {
		case s == "":
			bad("指标类型", "指标类型为空：请从下拉列表中选择（%s）", kindLabels())
		default:
			k, ok := plan.KindByLabel(s)
			if !ok {
				bad("指标类型", "指标类型“%s”无法识别：请从下拉列表中选择（%s）", s, kindLabels())
				k = plan.Kind(s)
			}
			t.Kind = k
		}
		// A number typed as 5% is stored as 0.05 in a percent-formatted cell:
		// the registry wants the 5.
		percent := func(key string) float64 {
			name, _ := excelize.ColumnNumberToName(col[key] + 1)
			if b.percentCell(f, SheetTargets, fmt.Sprintf("%s%d", name, row)) {
				return 100
			}
			return 1
		}
		if s := get(ColValue); s != "" {
			v, err := parseNumber(s)
			if err != nil {
				bad("缺少目标值", "目标值“%s”不是数字：请只填写数字，单位写在“单位”列", s)
			} else {
				v = scale(v, percent(ColValue))
				t.Value = &v
			}
		}
		if s := get(ColComparator); s != "" {
			c, ok := parseComparator(s)
			if !ok {
				bad("比较方式", "比较方式“%s”无法识别：请从下拉列表中选择 >=、<= 或 ~", s)
				c = plan.Comparator(s)
			}
			t.Comparator = c
		}
		t.Qualifiers = splitList(get(ColQualifiers))
		switch s := get(ColNature); s {
		case natureBinding:
			t.Binding = true
		case natureExpected, "":
		default:
			bad("", "约束性/预期性“%s”无法识别：请选择约束性或预期性", s)
		}
		base, year := get(ColBase), get(ColBaseYear)
		if base != "" || year != "" {
			v, errV := parseNumber(base)
			y, errY := parseInt(year)
			switch {
			case base == "":
				bad("", "填写了基数年份 %s，但基数为空：请补填基数，或清空基数年份", year)
			case errV != nil:
				bad("", "基数“%s”不是数字", base)
			case year == "":
				bad("", "填写了基数 %s，但基数年份为空：请补填基数所属年份（如 2024）", base)
			case errY != nil:
				bad("", "基数年份“%s”不是四位年份", year)
			default:
				t.Baseline = &plan.Baseline{Value: scale(v, percent(ColBase)), Year: y}
			}
		}
		if s := get(ColSchedule); s != "" {
			sched, err := ParseSchedule(s)
			if err != nil {
				bad("", "进度安排“%s”无法识别：%v", s, err)
			}
			t.Schedule = sched
		}
		if s := get(ColLead); s != "" {
			code, ok := b.dept(s)
			if !ok {
				bad(`牵头部门 "`, "牵头部门“%s”不在“部门”工作表中：请从下拉列表中选择，新部门请先在“部门”工作表中添加", s)
				code = s
			}
			t.Lead = code
		} else {
			bad("缺少牵头部门", "牵头部门为空：请从下拉列表中选择牵头部门")
		}
		for _, s := range splitList(get(ColSupport)) {
			code, ok := b.dept(s)
			if !ok {
				bad(`配合部门 "`+s+`"`, "配合部门“%s”不在“部门”工作表中：请填写部门简称，多个用顿号分隔", s)
				code = s
			}
			t.Support = append(t.Support, code)
		}
		b.Plan.Targets = append(b.Plan.Targets, t)
		b.targetRows = append(b.targetRows, row)
	}
	return nil
}

// scale multiplies v by k (1 or 100) without leaving 7.000000000000001 behind.
func scale(v, k float64) float64 {
	if k == 1 {
		return v
	}
	return math.Round(v*k*1e9) / 1e9
}

// percentCell reports whether the cell shows its number as a percentage.
func (b *Book) percentCell(f *excelize.File, sheet, cell string) bool {
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil || id == 0 {
		return false
	}
	if pc, ok := b.percentStyles[id]; ok {
		return pc
	}
	st, err := f.GetStyle(id)
	pc := err == nil && (st.NumFmt == 9 || st.NumFmt == 10 ||
		st.CustomNumFmt != nil && strings.Contains(strings.ReplaceAll(*st.CustomNumFmt, `"%"`, ""), "%"))
	b.percentStyles[id] = pc
	return pc
}

// Check runs plan.Check on the plan read (set Plan.Text first, so quotes are
// verified) and returns every problem, each located by sheet and row:
// first those found while reading, then those of plan.Check.
func (b *Book) Check() []Problem {
	out := append([]Problem(nil), b.Problems...)
	rowOf := map[string]int{}
	for i, t := range b.Plan.Targets {
		if _, ok := rowOf[t.ID]; !ok {
			rowOf[t.ID] = b.targetRows[i]
		}
	}
	for _, pr := range plan.Check(b.Plan, nil) {
		if b.suppressed(pr) {
			continue
		}
		p := Problem{Message: pr.Message}
		switch {
		case pr.Target != "" && splitProblem(pr.Message) && b.splitRows[pr.Target] > 0:
			p.Sheet, p.Row, p.Target = SheetSplit, b.splitRows[pr.Target], pr.Target
		case pr.Target != "":
			p.Sheet, p.Row, p.Target = SheetTargets, rowOf[pr.Target], pr.Target
		default:
			p.Sheet, p.Row = b.locatePlanProblem(pr.Message)
		}
		out = append(out, p)
	}
	order := map[string]int{SheetPlan: 1, SheetDepts: 2, SheetDistricts: 3, SheetTargets: 4, SheetSplit: 5}
	sort.SliceStable(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if order[a.Sheet] != order[c.Sheet] {
			return order[a.Sheet] < order[c.Sheet]
		}
		return a.Row < c.Row
	})
	return out
}

func (b *Book) suppressed(pr plan.Problem) bool {
	if pr.Target == "" {
		for _, prefix := range b.suppressPlan {
			if strings.HasPrefix(pr.Message, prefix) {
				return true
			}
		}
	}
	for _, prefix := range b.suppress[pr.Target] {
		if strings.HasPrefix(pr.Message, prefix) {
			return true
		}
	}
	return false
}

// splitProblem reports whether a plan.Check message is about a target's
// 区县 figures, which SheetSplit holds.
func splitProblem(msg string) bool {
	return strings.HasPrefix(msg, "区县") || strings.Contains(msg, "quotas") || strings.Contains(msg, "own_targets")
}

// locatePlanProblem places a problem of plan.Check that names no target.
func (b *Book) locatePlanProblem(msg string) (string, int) {
	if strings.HasPrefix(msg, "区县") {
		for i, d := range b.Plan.Districts {
			if d.Code != "" && (strings.Contains(msg, " "+d.Code+" ") || strings.Contains(msg, `"`+d.Code+`"`) ||
				d.Short != "" && strings.Contains(msg, " "+d.Short+" ")) {
				return SheetDistricts, b.districtRows[i]
			}
		}
		return SheetDistricts, 0
	}
	if strings.HasPrefix(msg, "部门") {
		for i, d := range b.Plan.Depts {
			if d.Code != "" && (strings.Contains(msg, " "+d.Code+" ") || strings.Contains(msg, `"`+d.Code+`"`)) {
				return SheetDepts, b.deptRows[i]
			}
		}
		return SheetDepts, 0
	}
	for _, m := range []struct{ prefix, key string }{
		{"缺少计划编号", KeyID}, {"缺少计划标题", KeyTitle}, {"计划年度", KeyYear},
		{"找不到计划原文", KeySource}, {"判定阈值", KeyTolerance},
	} {
		if strings.HasPrefix(msg, m.prefix) {
			return SheetPlan, b.planRows[m.key]
		}
	}
	if strings.HasPrefix(msg, "计划中没有任何指标") {
		return SheetTargets, 0
	}
	return "", 0
}

func kindLabels() string {
	var ls []string
	for _, k := range plan.Kinds {
		ls = append(ls, k.Label())
	}
	return strings.Join(ls, "、")
}

// clean trims a cell's text, including full-width and non-breaking spaces.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0'
	})
}

// parseNumber reads a number as typed: full-width digits and thousands
// separators are accepted, nothing else.
func parseNumber(s string) (float64, error) {
	n := strings.ReplaceAll(width.Narrow.String(clean(s)), ",", "")
	n = strings.TrimSpace(n)
	v, err := strconv.ParseFloat(n, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not a number")
	}
	return v, nil
}

func parseInt(s string) (int, error) {
	v, err := parseNumber(s)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1e9 {
		return 0, errors.New("not an integer")
	}
	return int(v), nil
}

// parseShare reads 0.05 or 5%.
func parseShare(s string) (float64, error) {
	n := width.Narrow.String(clean(s))
	if t, ok := strings.CutSuffix(n, "%"); ok {
		v, err := parseNumber(t)
		return v / 100, err
	}
	return parseNumber(n)
}

func parseComparator(s string) (plan.Comparator, bool) {
	s = width.Narrow.String(clean(s))
	if i := strings.IndexAny(s, "( （"); i > 0 {
		s = s[:i]
	}
	switch s {
	case ">=", "≥", "=>", "不低于", "以上", "达到":
		return plan.AtLeast, true
	case "<=", "≤", "=<", "不超过", "以内", "控制在":
		return plan.AtMost, true
	case "~", "≈", "左右":
		return plan.About, true
	}
	return "", false
}

// splitList splits 力争、以上 (also commas, semicolons, spaces) into its items.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、，,；; \u3000\n", r)
	})
	if len(f) == 0 {
		return nil
	}
	return f
}

// ParseSchedule reads a schedule cell: Q1:0.1;H1:0.3;Q3:0.6 (full-width
// punctuation and 10% for 0.1 accepted). Keys are upper-cased; whether each
// is a period is for plan.Check to say.
func ParseSchedule(s string) (map[string]float64, error) {
	s = width.Narrow.String(clean(s))
	out := map[string]float64{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '、' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("“%s”缺少冒号：请写成 Q1:0.1;H1:0.3", part)
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		x, err := parseShare(v)
		if k == "" || err != nil {
			return nil, fmt.Errorf("“%s”应为 期间:比例，如 H1:0.3", part)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s 出现了两次", k)
		}
		out[k] = x
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
