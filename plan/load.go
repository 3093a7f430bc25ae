package plan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a registry, located as precisely as known.
type Problem struct {
	Target  string `json:"target,omitempty"`
	Line    int    `json:"line,omitempty"` // line in plan.yaml, 0 when unknown
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "第 %d 行", p.Line)
	}
	if p.Target != "" {
		if b.Len() > 0 {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "指标 %s", p.Target)
	}
	if b.Len() > 0 {
		b.WriteString("：")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Lines maps each target id (and "" for the top of the file) to its line in
// plan.yaml: the line of the first target of that id. The k-th target of
// the list (from 0) is also under targetKey(k), so that a second target of
// one id is told by its own line.
type Lines map[string]int

// targetKey is the key of the k-th target's line in Lines.
func targetKey(k int) string { return "#" + strconv.Itoa(k) }

// Load reads a registry from fsys: name is the YAML file; the source text
// named by its `source` field is read from beside it. A missing source text
// is not an error here (Check reports it); a YAML that does not parse is.
func Load(fsys fs.FS, name string) (*Plan, Lines, error) {
	p, lines, err := loadJSON(fsys, name)
	if p == nil && err == nil {
		data, rerr := fs.ReadFile(fsys, name)
		if rerr != nil {
			return nil, nil, fmt.Errorf("无法读取计划文件 %s：%w", name, rerr)
		}
		p, lines, err = Parse(data)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("计划文件 %s 格式有误：%w", name, err)
	}
	if p.Source != "" && !strings.Contains(p.Source, "..") {
		if txt, err := fs.ReadFile(fsys, path.Join(path.Dir(name), p.Source)); err == nil {
			p.Text = string(txt)
		}
	}
	return p, lines, nil
}

// Parse decodes plan.yaml and notes where each target starts.
//
// A registry written as JSON (which is also YAML) is decoded with
// encoding/json: synthetic registries of hundreds of thousands of targets
// load in a fraction of the memory the YAML decoder needs. Lines are not
// known for such a file.
func Parse(data []byte) (*Plan, Lines, error) {
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSON(trimmed)
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("文件是空的")
		}
		return nil, nil, yamlErr(syntaxLine(data, err))
	}
	var p Plan
	if err := root.Decode(&p); err != nil {
		return nil, nil, yamlErr(err)
	}
	if p.Thresholds == (Thresholds{}) {
		p.Thresholds = DefaultThresholds
	}
	lines := Lines{}
	if len(root.Content) > 0 {
		doc := root.Content[0]
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value != "targets" {
				continue
			}
			for k, item := range doc.Content[i+1].Content {
				lines[targetKey(k)] = item.Line
				for j := 0; j+1 < len(item.Content); j += 2 {
					if item.Content[j].Value == "id" {
						if _, dup := lines[item.Content[j+1].Value]; !dup {
							lines[item.Content[j+1].Value] = item.Line
						}
					}
				}
			}
		}
	}
	return &p, lines, nil
}

// loadJSON decodes a registry written as JSON straight from its file, as
// Parse would (the same errors, offsets counted from its first '{'), without
// first reading the whole file: the decoder holds its own copy, and for a
// registry of hundreds of thousands of targets a second one is hundreds of
// MB. It returns nothing, and no error, when the file is not JSON.
func loadJSON(fsys fs.FS, name string) (*Plan, Lines, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, nil
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 4096)
	lead := 0
	for {
		b, err := br.Peek(lead + 1)
		if err != nil || len(b) <= lead {
			return nil, nil, nil
		}
		switch c := b[lead]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			lead++
			continue
		case c == 0xEF:
			if b, err := br.Peek(lead + 3); err == nil && string(b[lead:]) == "\ufeff" {
				lead += 3
				continue
			}
		case c == '{':
			br.Discard(lead)
			return decodeJSON(br)
		}
		return nil, nil, nil
	}
}

func parseJSON(data []byte) (*Plan, Lines, error) {
	return decodeJSON(bytes.NewReader(data))
}

func decodeJSON(r io.Reader) (*Plan, Lines, error) {
	var p Plan
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := streamPlan(dec, &p); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, fmt.Errorf("JSON 语法错误（第 %d 个字节附近）：%v", se.Offset, err)
		}
		return nil, nil, fmt.Errorf("JSON 内容有误：%v", err)
	}
	if p.Thresholds == (Thresholds{}) {
		p.Thresholds = DefaultThresholds
	}
	return &p, Lines{}, nil
}

// streamPlan decodes a registry object field by field, and its departments
// and targets an element at a time: json.Decoder buffers a whole value, and
// a synthetic registry's target list is hundreds of megabytes.
func streamPlan(dec *json.Decoder, p *Plan) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	fields := jsonFields(p)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch key {
		case "departments":
			err = decodeList(dec, &p.Depts)
		case "targets":
			err = decodeList(dec, &p.Targets)
		case "districts":
			err = decodeList(dec, &p.Districts)
		case "fingerprint":
			// plan show --json adds the registry's fingerprint; it is
			// computed from the registry, never taken from a file.
			var skip json.RawMessage
			err = dec.Decode(&skip)
		default:
			field, ok := fields[key]
			if !ok {
				return fmt.Errorf("未知字段 %q", key)
			}
			err = dec.Decode(field)
		}
		if err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// jsonFields maps the JSON names of p's fields to pointers to them.
func jsonFields(p *Plan) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(p).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = v.Field(i).Addr().Interface()
		}
	}
	return out
}

func decodeList[T any](dec *json.Decoder, out *[]T) error {
	tok, err := dec.Token()
	if err != nil || tok == nil { // null: no list
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("应为列表，实为 %v", tok)
	}
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("应为 %q，实为 %v", want, tok)
	}
	return nil
}

// syntaxLine moves a syntax error to the line where the text goes wrong.
// yaml reports the line where the enclosing block starts ("did not find
// expected '-' indicator" on a list's first line for a bad line deep in it):
// the first prefix of whole lines that no longer parses ends at the line to
// fix. Prefixes are tried by bisection, and a line before the one yaml
// names is never taken.
func syntaxLine(data []byte, err error) error {
	m := yamlSyntaxRe.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	reported, _ := strconv.Atoi(m[1])
	ends := []int{} // ends[i] is the offset after line i+1
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	bad := func(n int) bool { // the first n lines do not parse
		var node yaml.Node
		err := yaml.Unmarshal(data[:ends[n-1]], &node)
		return err != nil && yamlSyntaxRe.MatchString(err.Error())
	}
	lo, hi := 1, len(ends) // the whole text is bad; find the shortest bad prefix
	if hi == 0 || !bad(hi) {
		return err
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if bad(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo <= reported {
		return err
	}
	return fmt.Errorf("yaml: line %d: %s", lo, m[2])
}

func yamlErr(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			msgs[i] = typeErrText(e)
		}
		return fmt.Errorf("字段类型不符：%s", strings.Join(msgs, "；"))
	}
	if m := yamlSyntaxRe.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("第 %s 行附近有语法错误（%s）：请检查缩进、冒号、引号和括号", m[1], m[2])
	}
	return err
}

var (
	yamlSyntaxRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlTypeRe   = regexp.MustCompile("^line (\\d+): cannot unmarshal (!!\\w+)(?: `([^`]*)`)? into (\\S+)$")
)

// typeErrText puts one of yaml's type errors into words an office can act on.
func typeErrText(e string) string {
	m := yamlTypeRe.FindStringSubmatch(e)
	if m == nil {
		return e
	}
	line, tag, val, into := m[1], m[2], m[3], m[4]
	if strings.HasSuffix(val, "...") { // yaml clips long values at a byte count, maybe mid-character
		val = strings.ToValidUTF8(strings.TrimSuffix(val, "..."), "") + "…"
	}
	var want string
	switch {
	case strings.HasPrefix(into, "float"):
		want = "应为数字（如 430 或 5.5，不带单位）"
	case strings.HasPrefix(into, "int"):
		want = "应为整数（如 2025）"
	case into == "bool":
		want = "应为 true 或 false"
	case strings.HasPrefix(into, "[]"):
		want = "应为列表（如 [FGW, SWJ]）"
	case into == "string":
		want = "应为一段文字"
	default:
		want = "格式不符（应为 " + into + "）"
	}
	switch {
	case val != "":
		return fmt.Sprintf("第 %s 行：“%s”%s", line, val, want)
	case tag == "!!seq":
		return fmt.Sprintf("第 %s 行：此处是列表，%s", line, want)
	case tag == "!!map":
		return fmt.Sprintf("第 %s 行：此处是键值对，%s", line, want)
	}
	return fmt.Sprintf("第 %s 行：%s", line, want)
}

// Marshal writes the registry as plan.yaml.
func Marshal(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	enc.Close()
	return buf.Bytes(), nil
}

var (
	idRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	codeRe = regexp.MustCompile(`^[A-Z][A-Z0-9-]*$`)
)

// KnownUnits are the units a target may carry.
var KnownUnits = []string{
	"%", "个百分点", "个", "家", "项", "场", "件", "人", "名", "万人", "人次", "万人次",
	"亿元", "万元", "元", "亿美元", "万美元", "公里", "千米", "米", "万亩", "亩", "万千瓦",
	"千瓦", "万吨", "吨", "万吨标准煤", "所", "张", "座", "处", "条", "台", "辆", "户", "万户",
	"套", "万套", "万平方米", "平方米", "岁", "天", "小时", "车", "列", "标箱", "万标箱", "次",
	"部", "批", "篇", "栋", "间", "个村", "床", "微克/立方米", "倍", "年",
	"平方公里", "公顷", "‰", "千瓦时", "标准箱", "立方米",
}

// UnitPrefixes may stand before a unit of KnownUnits that counts or
// measures (万家, 万亿元, 亿千瓦时, 万标准箱): plans keep the value as
// written, 1.85 万家 rather than 18500 家.
var UnitPrefixes = []string{"万亿", "亿", "万", "千"}

// unscaled units take no prefix.
var unscaled = map[string]bool{"%": true, "个百分点": true, "岁": true, "天": true, "小时": true, "年": true, "倍": true, "微克/立方米": true, "‰": true}

// KnownUnit reports whether u is one of KnownUnits, or one of them that
// counts or measures behind one of UnitPrefixes.
func KnownUnit(u string) bool {
	if knownUnit(u) {
		return true
	}
	for _, p := range UnitPrefixes {
		if base, ok := strings.CutPrefix(u, p); ok && knownUnit(base) && !unscaled[base] &&
			!strings.HasPrefix(base, "万") && !strings.HasPrefix(base, "亿") {
			return true
		}
	}
	return false
}

func knownUnit(u string) bool {
	for _, k := range KnownUnits {
		if k == u {
			return true
		}
	}
	return false
}

// Check proves a registry sound: the plan's metadata, unique ids, known
// departments, values and units, comparators that fit kinds, a lead for
// every target and every quote found verbatim in the plan's text.
func Check(p *Plan, lines Lines) []Problem {
	var out []Problem
	add := func(id, format string, args ...any) {
		out = append(out, Problem{Target: id, Line: lines[id], Message: fmt.Sprintf(format, args...)})
	}
	if p.ID == "" {
		add("", "缺少计划编号（id）")
	}
	if p.Title == "" {
		add("", "缺少计划标题（title）")
	}
	if p.Year < 2000 || p.Year > 2100 {
		add("", "计划年度（year）应为四位年份，现为 %d", p.Year)
	}
	if p.Text == "" {
		add("", "找不到计划原文（source: %q）：请把原文放在 plan.yaml 旁边并在 source 中写明文件名", p.Source)
	}
	th := p.Thresholds
	if th.Tolerance < 0 || th.Serious < th.Tolerance || th.Serious >= 1 || th.Approx < 0 || th.Approx >= 1 || th.Consistency < 0 || th.Consistency >= 1 {
		add("", "判定阈值（thresholds）不合理：应满足 0 ≤ tolerance ≤ serious < 1，0 ≤ approx < 1，0 ≤ consistency < 1")
	}
	depts := map[string]bool{}
	for _, d := range p.Depts {
		switch {
		case !codeRe.MatchString(d.Code):
			add("", "部门代码 %q 应由大写字母、数字和连字符组成（如 FGW）", d.Code)
		case depts[d.Code]:
			add("", "部门代码 %s 重复", d.Code)
		}
		depts[d.Code] = true
		if d.Name == "" || d.Short == "" {
			add("", "部门 %s 缺少全称（name）或简称（short）", d.Code)
		}
	}
	districts := checkDistricts(p, depts, add)
	if len(p.Targets) == 0 {
		add("", "计划中没有任何指标（targets）")
	}
	seen := map[string]bool{}
	// A large registry repeats its quotes (its departments are alike):
	// each is looked for in the text once.
	found := map[string]bool{}
	quoted := func(q string) bool {
		ok, known := found[q]
		if !known {
			ok = strings.Contains(p.Text, q)
			found[q] = ok
		}
		return ok
	}
	for k, t := range p.Targets {
		id := t.ID
		// Problems of this target carry its own line (the id may be shared).
		line := lines[id]
		if l, ok := lines[targetKey(k)]; ok {
			line = l
		}
		add := func(id, format string, args ...any) {
			out = append(out, Problem{Target: id, Line: line, Message: fmt.Sprintf(format, args...)})
		}
		switch {
		case id == "":
			add("", "有指标缺少编号（id）：指标“%s”", t.Indicator)
		case !idRe.MatchString(id):
			add(id, "编号只能使用字母、数字、点、连字符和下划线")
		case seen[id]:
			add(id, "编号重复：每个指标的编号必须唯一")
		}
		seen[id] = true
		if strings.TrimSpace(t.Indicator) == "" {
			add(id, "缺少指标名称（indicator）")
		}
		if strings.TrimSpace(t.Chapter) == "" {
			add(id, "缺少所属章节（chapter）")
		}
		switch {
		case t.Lead == "":
			add(id, "缺少牵头部门（lead）：请填写部门代码")
		case !depts[t.Lead]:
			add(id, "牵头部门 %q 不在部门名单中", t.Lead)
		}
		for _, s := range t.Support {
			if !depts[s] {
				add(id, "配合部门 %q 不在部门名单中", s)
			}
			if s == t.Lead {
				add(id, "配合部门 %s 与牵头部门相同", s)
			}
		}
		checkKind(t, p.Year, add)
		checkSplit(t, districts, add)
		if strings.TrimSpace(t.Quote) == "" {
			add(id, "缺少原文依据（quote）")
		} else if p.Text != "" && !quoted(t.Quote) {
			add(id, "原文依据（quote）在计划原文中找不到，请从原文逐字复制：%s", clip(t.Quote, 40))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func checkKind(t Target, year int, add func(id, format string, args ...any)) {
	id := t.ID
	known := false
	for _, k := range Kinds {
		known = known || t.Kind == k
	}
	if !known {
		add(id, "指标类型 %q 无法识别：应为 cumulative、growth、level、ceiling、reduction 或 milestone", t.Kind)
		return
	}
	if t.Kind == Milestone {
		if t.Value != nil {
			add(id, "重点任务（milestone）不应有目标值")
		}
		if t.Due != "" {
			if _, err := ParsePeriod(t.Due); err != nil {
				add(id, "计划完成时间（due）%v", err)
			}
		}
		return
	}
	if t.Value == nil {
		add(id, "缺少目标值（value）")
	} else if v := *t.Value; math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && t.Kind != Growth) {
		add(id, "目标值 %v 不合理", v)
	}
	if t.Unit == "" {
		add(id, "缺少计量单位（unit）")
	} else if !KnownUnit(t.Unit) {
		add(id, "计量单位 %q 不在已知单位表中", t.Unit)
	}
	if (t.Kind == Growth || t.Kind == Reduction) && t.Unit != "%" && t.Unit != "个百分点" {
		add(id, "%s类指标的单位应为 %%，现为 %q", t.Kind.Label(), t.Unit)
	}
	switch t.Comparator {
	case AtLeast, About:
		if t.Kind == Ceiling && t.Comparator == AtLeast {
			add(id, "控制上限类指标的比较方式应为 <= 或 ~，不能是 >=")
		}
	case AtMost:
		if t.Kind != Ceiling {
			add(id, "比较方式 <= 只适用于控制上限（ceiling）类指标")
		}
	default:
		add(id, "比较方式（comparator）%q 无法识别：应为 >=、<= 或 ~", t.Comparator)
	}
	if t.Has("左右") && t.Comparator != About {
		add(id, "原文为“左右”，比较方式应为 ~")
	}
	if t.Baseline != nil && t.Baseline.Year >= year {
		add(id, "基数年份 %d 应早于计划年度", t.Baseline.Year)
	}
	for k, v := range t.Schedule {
		if _, err := ParsePeriod("2000" + strings.ToUpper(k)); err != nil || v < 0 || v > 1 {
			add(id, "进度安排（schedule）%s: %v 不合理：键应为 Q1、H1、Q3、M05 等，值在 0 到 1 之间", k, v)
		}
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
