package workbook

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"github.com/xuri/excelize/v2"

	"planrep/internal/safefile"
	"planrep/internal/xlsxdim"
	"planrep/plan"
)

// Names of the files WriteOutputs writes in its folder.
const (
	RoundFile    = "round.json"
	SummaryFile  = "汇总表.xlsx"
	FindingsFile = "校验结果.xlsx"
	FeedbackDir  = "反馈"
	IssuesSheet  = "问题清单" // first sheet of a feedback copy
)

// WriteOutputs writes round.json, 汇总表.xlsx, 校验结果.xlsx and a feedback
// copy of each return with findings into dir. Every file is written under a
// temporary name and renamed; the feedback folder is built aside and swapped
// in whole, so it never mixes two runs. Nothing is written outside dir: file
// names taken from returns are cleaned first.
//
// The feedback copies are made first: a copy that cannot be made (the file
// cannot be read again, changed since it was read, or cannot be rewritten)
// becomes a FileNoFeedback finding in the round, and only copies made count
// in r.FeedbackWritten.
func (r *Result) WriteOutputs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹 %s：%w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, ".反馈-*.tmp")
	if err != nil {
		return fmt.Errorf("无法在 %s 中写文件：%w", dir, err)
	}
	defer os.RemoveAll(tmp)
	if err := r.makeFeedback(tmp); err != nil {
		return err
	}
	if err := safefile.Write(filepath.Join(dir, RoundFile), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := WriteRound(bw, r.Round); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return err
	}
	if err := writeXLSX(filepath.Join(dir, SummaryFile), func() (*excelize.File, error) { return summary(r.Plan, r.Round) }); err != nil {
		return err
	}
	if err := writeXLSX(filepath.Join(dir, FindingsFile), func() (*excelize.File, error) {
		f, err := findingsBook(r.Round)
		if err == nil && len(r.Corrections) > 0 {
			if err = correctionsTable(f, r.Round, r.Corrections); err != nil {
				f.Close()
			}
		}
		return f, err
	}); err != nil {
		return err
	}
	return r.swapFeedback(dir, tmp)
}

// MarshalRound renders round.json: indented, keys in a fixed order, no
// timestamps, so the same inputs give the same bytes.
func MarshalRound(rd *plan.Round) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteRound(&buf, rd); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// roundTail is how the indented encoding of a Round whose lists are all nil
// ends; WriteRound writes the lists in its place one element at a time.
const roundTail = `,
  "departments": null,
  "targets": null,
  "findings": null,
  "files": null
}
`

// WriteRound writes the bytes MarshalRound returns, encoding the round's
// lists one element at a time: a round of hundreds of thousands of targets
// is never held in memory as one piece of JSON.
func WriteRound(w io.Writer, rd *plan.Round) error {
	head := *rd
	head.Departments, head.Targets, head.Findings, head.Files = nil, nil, nil, nil
	head.Districts, head.DistrictTargets, head.Rollups = nil, nil, nil // omitted when empty; written below when not
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&head); err != nil {
		return err
	}
	b, ok := bytes.CutSuffix(buf.Bytes(), []byte(roundTail))
	if !ok { // the layout of Round changed: encode it whole
		buf.Reset()
		if err := enc.Encode(rd); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	if err := writeList(w, "departments", rd.Departments, false); err != nil {
		return err
	}
	if err := writeList(w, "targets", rd.Targets, false); err != nil {
		return err
	}
	if len(rd.Districts) > 0 {
		if err := writeList(w, "districts", rd.Districts, false); err != nil {
			return err
		}
	}
	if len(rd.DistrictTargets) > 0 {
		if err := writeList(w, "district_targets", rd.DistrictTargets, false); err != nil {
			return err
		}
	}
	if len(rd.Rollups) > 0 {
		if err := writeList(w, "rollups", rd.Rollups, false); err != nil {
			return err
		}
	}
	if err := writeList(w, "findings", rd.Findings, false); err != nil {
		return err
	}
	return writeList(w, "files", rd.Files, true)
}

// writeList writes `,\n  "key": [...]` as an indented encoder writes a list
// inside the top-level object, and the object's closing brace after the last.
func writeList[T any](w io.Writer, key string, list []T, last bool) error {
	var buf bytes.Buffer
	buf.WriteString(",\n  \"" + key + "\": ")
	switch {
	case list == nil:
		buf.WriteString("null")
	case len(list) == 0:
		buf.WriteString("[]")
	default:
		buf.WriteString("[")
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("    ", "  ")
		for i := range list {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n    ")
			if err := enc.Encode(&list[i]); err != nil {
				return err
			}
			buf.Truncate(buf.Len() - 1) // the encoder's newline
			if buf.Len() >= 32<<10 {
				if _, err := w.Write(buf.Bytes()); err != nil {
					return err
				}
				buf.Reset()
			}
		}
		buf.WriteString("\n  ]")
	}
	if last {
		buf.WriteString("\n}\n")
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeXLSX(name string, build func() (*excelize.File, error)) error {
	f, err := build()
	if err != nil {
		return fmt.Errorf("生成 %s 失败：%w", filepath.Base(name), err)
	}
	defer f.Close()
	// In one order of parts (excelize writes stream-written sheets in map
	// order), copied without being inflated: table() states each sheet's
	// range before streaming it, and a scale run's sheets are large.
	return safefile.Write(name, func(w io.Writer) error { return xlsxdim.WriteOrdered(w, f) })
}

// rereadErr says in Chinese why a return could not be read again.
func rereadErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件已被移走或删除"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	case errors.Is(err, errTooLarge):
		return "文件变得过大"
	}
	return "读取出错"
}

// table writes a header row and rows of values on a fresh sheet through a
// stream writer (thousands of findings cost little memory), as an Excel table
// with filters and sorting, a frozen header and column widths. Strings are
// always written as text: a department's "=1+1" stays text. The n rows are
// made one at a time by row, so a sheet of many thousands of rows is never
// held whole.
func table(f *excelize.File, sheet, name string, heads []string, widths []float64, n int, row func(i int) []any) error {
	hs, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	pct, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0.0%"), Alignment: &excelize.Alignment{Vertical: "top"}})
	// The stream writer keeps the sheet's dimension as it was: say the
	// table's range first, for readers that trust it.
	if err := f.SetSheetDimension(sheet, xlsxdim.RangeOf(len(heads), n+1)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(heads))
	for i, h := range heads {
		head[i] = excelize.Cell{StyleID: hs, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	var cells []any
	for r := 0; r < n; r++ {
		row := row(r)
		cells = cells[:0]
		for _, v := range row {
			switch x := v.(type) {
			case string:
				cells = append(cells, excelize.Cell{StyleID: wrap, Value: x})
			case percent:
				cells = append(cells, excelize.Cell{StyleID: pct, Value: float64(x)})
			default:
				cells = append(cells, v)
			}
		}
		// Neither Excel nor LibreOffice grows a row for wrapped text on
		// open: size it from the longest cell, so nothing is cut on screen or paper.
		lines := 1
		for c, v := range row {
			if x, ok := v.(string); ok && c < len(widths) {
				lines = max(lines, wrappedLines(x, widths[c]))
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, cells, excelize.RowOpts{Height: math.Min(409, 14.25*float64(lines)+1.5)}); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(heads))
	if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:%s%d", last, max(n+1, 2)), Name: name,
		StyleName: "TableStyleLight9", ShowRowStripes: ptr(true)}); err != nil {
		return err
	}
	return sw.Flush()
}

type percent float64

// pageSetup makes a sheet print as the office files it (call it before the
// sheet's stream writer is made): A4 landscape, fit to
// the page's width, the heading row repeated on every page, a title and the
// page number in the header and footer, 宋体 throughout.
func pageSetup(f *excelize.File, sheet, title string) error {
	if err := f.SetDefaultFont("宋体"); err != nil {
		return err
	}
	orient, fitW, fitH, a4 := "landscape", 1, 0, 9
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	margin := 0.5
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: ptr(0.75), Bottom: ptr(0.6), Header: ptr(0.3), Footer: ptr(0.3)}); err != nil {
		return err
	}
	// Excel allows 255 characters in a header: a title too long for it (a
	// deep folder named in it) drops the parenthesised folder, then the rest.
	head := "&C&\"宋体,常规\"&12" + strings.ReplaceAll(title, "&", "&&")
	if len([]rune(head)) > 255 {
		if i := strings.Index(title, "（"); i > 0 {
			title = title[:i]
		}
		head = "&C&\"宋体,常规\"&12" + strings.ReplaceAll(title, "&", "&&")
	}
	if len([]rune(head)) > 255 {
		head = ""
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: head,
		OddFooter: "&C第 &P 页，共 &N 页",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet})
}

func ptr[T any](v T) *T { return &v }

// summary is 汇总表.xlsx: one row a target.
func summary(p *plan.Plan, rd *plan.Round) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "汇总表"
	f.SetSheetName("Sheet1", sheet)
	src := rd.SourceDir() // files are named within the folder the returns came from
	heads := []string{"编号", "所属领域", "指标名称", "牵头部门", "指标类型", "目标表述", "本期完成值", "单位", "完成进度", "序时进度", "状态", "说明", "进展情况", "存在问题", "下步措施", "来源文件", "单元格"}
	widths := []float64{8, 16, 26, 16, 10, 14, 11, 8, 10, 10, 10, 36, 36, 28, 28, 30, 8}
	short := map[string]string{}
	for _, d := range p.Depts {
		short[d.Code] = d.Short
	}
	defs := make(map[string]*plan.Target, len(p.Targets))
	for i := range p.Targets {
		if _, dup := defs[p.Targets[i].ID]; !dup {
			defs[p.Targets[i].ID] = &p.Targets[i]
		}
	}
	row := func(i int) []any {
		t := &rd.Targets[i]
		def := defs[t.ID]
		if def == nil {
			def = &plan.Target{}
		}
		var val any
		switch {
		case t.Value != nil:
			val = *t.Value
		case t.Milestone != "":
			val = t.Milestone
		case t.Raw != "":
			val = t.Raw
		}
		var prog any
		if t.Progress != nil {
			prog = percent(*t.Progress)
		}
		stmt := def.TargetText()
		if !def.Kind.Quantitative() && def.Due != "" {
			stmt = "计划 " + def.Due
		}
		return []any{t.ID, def.Chapter, def.Indicator, short[t.Lead], def.Kind.Label(), stmt, val, def.Unit, prog,
			percent(t.Expected), string(t.Status), t.Explanation, t.Note, t.Problems, t.NextSteps, plan.RelativePath(src, t.File), t.Cell}
	}
	title := firstNonEmptyStr(p.Title, rd.PlanTitle) + " " + rd.Period.Label() + "汇总表"
	if src != "" {
		title += "（来源文件路径相对于 " + src + "）"
	}
	if err := pageSetup(f, sheet, strings.TrimSpace(title)); err != nil {
		f.Close()
		return nil, err
	}
	if err := table(f, sheet, "Summary", heads, widths, len(rd.Targets), row); err != nil {
		f.Close()
		return nil, err
	}
	if len(rd.Districts) > 0 {
		if err := districtSheets(f, p, rd, defs, short); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// Sheets of 汇总表.xlsx for the 区县, when the round has them.
const (
	SheetDistrictFigures = "区县填报"
	SheetRollups         = "区县合计核对"
)

// districtSheets adds the 区县 figures (each judged on its quota or own
// target) and the roll-up of each split target next to the city figure.
func districtSheets(f *excelize.File, p *plan.Plan, rd *plan.Round, defs map[string]*plan.Target, short map[string]string) error {
	for _, d := range p.Districts {
		short[d.Code] = d.Short
	}
	example := ""
	if p.Split != nil && p.Split.Example {
		example = "（" + plan.ExampleLabel + "）"
	}
	if _, err := f.NewSheet(SheetDistrictFigures); err != nil {
		return err
	}
	src := rd.SourceDir()
	period := rd.Period.Label()
	if err := pageSetup(f, SheetDistrictFigures, strings.TrimSpace(period+"区县填报情况"+example)); err != nil {
		return err
	}
	heads := []string{"区县", "区县代码", "编号", "指标名称", "类别", "区县目标" + example, "本期完成值", "单位", "完成进度", "序时进度", "状态", "说明", "进展情况", "存在问题", "来源文件", "单元格"}
	widths := []float64{12, 12, 8, 26, 10, 12, 11, 8, 10, 10, 10, 36, 36, 28, 30, 8}
	row := func(i int) []any {
		t := &rd.DistrictTargets[i]
		def := defs[t.ID]
		if def == nil {
			def = &plan.Target{}
		}
		what, goal := "区县目标", any(nil)
		if def.Split() {
			what = "分解任务"
		}
		if d, ok := def.ForDistrict(t.District); ok && d.Value != nil {
			goal = *d.Value
		}
		var val, prog any
		switch {
		case t.Value != nil:
			val = *t.Value
		case t.Raw != "":
			val = t.Raw
		}
		if t.Progress != nil {
			prog = percent(*t.Progress)
		}
		return []any{short[t.District], t.District, t.ID, def.Indicator, what, goal, val, def.Unit, prog,
			percent(t.Expected), string(t.Status), t.Explanation, t.Note, t.Problems, plan.RelativePath(src, t.File), t.Cell}
	}
	if err := table(f, SheetDistrictFigures, "DistrictFigures", heads, widths, len(rd.DistrictTargets), row); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetRollups); err != nil {
		return err
	}
	if err := pageSetup(f, SheetRollups, strings.TrimSpace(period+"区县合计与全市数核对")); err != nil {
		return err
	}
	heads = []string{"编号", "指标名称", "单位", "全市目标", "分解任务合计" + example, "牵头部门", "全市数（牵头部门报）", "区县合计", "已报区县", "未报区县", "差额（区县−全市）", "口径"}
	widths = []float64{8, 26, 8, 10, 12, 16, 12, 11, 10, 24, 12, 10}
	row = func(i int) []any {
		ru := &rd.Rollups[i]
		def := defs[ru.Target]
		if def == nil {
			def = &plan.Target{}
		}
		var goal, city, sum, diff any
		if def.Value != nil {
			goal = *def.Value
		}
		if ru.City != nil {
			city = *ru.City
		}
		if ru.Sum != nil {
			sum = *ru.Sum
		}
		if ru.Diff != nil {
			diff = *ru.Diff
		}
		verdict := "待核对"
		switch {
		case ru.Consistent != nil && *ru.Consistent:
			verdict = "一致"
		case ru.Consistent != nil:
			verdict = "口径不一致"
		case ru.City == nil:
			verdict = "全市数未报"
		case !ru.Complete():
			verdict = "区县未报齐"
		}
		return []any{ru.Target, def.Indicator, def.Unit, goal, def.QuotaSum(), short[ru.Lead], city, sum,
			fmt.Sprintf("%d/%d", ru.In, ru.Of), plan.DistrictNames(p, ru.Missing), diff, verdict}
	}
	return table(f, SheetRollups, "Rollups", heads, widths, len(rd.Rollups), row)
}

// findingsBook is 校验结果.xlsx: every finding, filterable and sortable.
func findingsBook(rd *plan.Round) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "校验结果"
	f.SetSheetName("Sheet1", sheet)
	short := map[string]string{}
	for _, d := range rd.Departments {
		short[d.Code] = d.Short
	}
	for _, d := range rd.Districts {
		short[d.Code] = d.Short
	}
	src := rd.SourceDir()
	heads := []string{"序号", "单位代码", "填报单位", "级别", "代码", "问题", "说明", "文件", "工作表", "单元格", "指标编号", "单位类别"}
	widths := []float64{6, 9, 16, 7, 7, 26, 60, 34, 10, 8, 9, 8}
	row := func(i int) []any {
		x := &rd.Findings[i]
		def, _ := plan.Def(x.Code)
		kind := ""
		if x.Dept != "" {
			kind = x.Unit.Or().Label()
		}
		return []any{i + 1, x.Dept, short[x.Dept], x.Severity.Label(), x.Code, def.Title, x.Message, plan.RelativePath(src, x.File), x.Sheet, x.Cell, x.Target, kind}
	}
	title := strings.TrimSpace(rd.PlanTitle + " " + rd.Period.Label() + "校验结果")
	if src != "" {
		title += "（文件路径相对于 " + src + "）"
	}
	if err := pageSetup(f, sheet, title); err != nil {
		f.Close()
		return nil, err
	}
	if err := table(f, sheet, "Findings", heads, widths, len(rd.Findings), row); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// makeFeedback writes the feedback copies into tmp, and for each copy that
// cannot be made adds a FileNoFeedback finding to the round (and to its
// department's warnings). Its error is an output failure only.
func (r *Result) makeFeedback(tmp string) error {
	used := map[string]bool{}
	names := make([]string, len(r.Feedback))
	for i, fb := range r.Feedback {
		names[i] = filepath.Join(tmp, uniqueName(feedbackName(fb.Source.Name()), used))
	}
	// The copies are independent: written on every core, a few at a time.
	whys := make([]string, len(r.Feedback))
	if err := forEach(len(r.Feedback), runtime.GOMAXPROCS(0), func(i int) error {
		fb := r.Feedback[i]
		why, err := writeFeedbackCopy(names[i], fb, r.correctionFor(fb.Dept))
		whys[i] = why
		return err
	}); err != nil {
		return err
	}
	r.FeedbackWritten = 0
	var failed []plan.Finding
	for i, fb := range r.Feedback {
		if whys[i] == "" {
			r.FeedbackWritten++
			continue
		}
		failed = append(failed, newFinding(plan.FileNoFeedback, fb.Source.Path, fb.Dept, "", "", "",
			"无法生成此文件的反馈表："+whys[i]+"。该文件的问题都已列入校验结果.xlsx，请据此通知报送单位"))
	}
	if len(failed) == 0 || r.Round == nil {
		return nil
	}
	for _, f := range failed {
		for k := range r.Round.Departments {
			if r.Round.Departments[k].Code == f.Dept {
				r.Round.Departments[k].Warnings++
			}
		}
	}
	r.Round.Findings = append(r.Round.Findings, failed...)
	plan.SortFindings(r.Round.Findings)
	return nil
}

// swapFeedback puts the feedback copies made in tmp in place of the folder
// of the previous run.
func (r *Result) swapFeedback(dir, tmp string) error {
	final := filepath.Join(dir, FeedbackDir)
	if err := os.RemoveAll(final); err != nil {
		return fmt.Errorf("无法替换 %s：%w", final, err)
	}
	if r.FeedbackWritten == 0 {
		return nil
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("无法保存 %s：%w", final, err)
	}
	return nil
}

// feedbackName makes a safe file name from a return's path: its base name,
// with every character a file system might refuse or read as a path replaced.
func feedbackName(p string) string {
	base := path.Base(strings.ReplaceAll(p, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`\/:*?"<>|!`, r) || r == unicode.ReplacementChar:
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, base)
	base = strings.Trim(strings.TrimSpace(base), ". ")
	if r := []rune(base); len(r) > 80 {
		base = string(r[:80])
	}
	if base == "" {
		base = "返回文件"
	}
	return base + "_反馈.xlsx"
}

func uniqueName(name string, used map[string]bool) string {
	stem := strings.TrimSuffix(name, ".xlsx")
	n := name
	for i := 2; used[strings.ToLower(n)]; i++ {
		n = fmt.Sprintf("%s_%d.xlsx", stem, i)
	}
	used[strings.ToLower(n)] = true
	return n
}

// writeFeedbackCopy writes a copy of a return with a first sheet listing the
// findings and each offending cell highlighted and commented. When the copy
// cannot be made, why says so in Chinese; err is a failure to write name.
func writeFeedbackCopy(name string, fb Feedback, corr *Correction) (why string, err error) {
	defer func() {
		if recover() != nil {
			why, err = "程序无法改写此文件的内容", nil
		}
	}()
	data, rerr := fb.Source.reread()
	if rerr != nil {
		return fmt.Sprintf("无法再次读取此文件（%s）", rereadErr(rerr)), nil
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != fb.SHA256 {
		return "此文件在汇总过程中被改动或替换，与校验的内容不同", nil
	}
	var changes *Correction
	if corr != nil && corr.File == fb.Source.Path && len(corr.Changes) > 0 {
		changes = corr
	}
	if out, ok := patchFeedback(data, fb, changes); ok {
		return "", safefile.Write(name, func(w io.Writer) error {
			_, err := w.Write(out)
			return err
		})
	}
	f, oerr := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: DefaultMaxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if oerr != nil {
		return "此文件无法作为工作簿重新打开", nil
	}
	defer f.Close()
	if idx, _ := f.GetSheetIndex(IssuesSheet); idx >= 0 {
		f.DeleteSheet(IssuesSheet)
	}
	sheets := f.GetSheetList()
	if _, err := f.NewSheet(IssuesSheet); err != nil {
		return "无法在此文件中加入问题清单工作表", nil
	}
	if len(sheets) > 0 {
		f.MoveSheet(IssuesSheet, sheets[0])
	}
	f.SetSheetVisible(IssuesSheet, true)
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13, Color: "C00000"}})
	f.SetCellStr(IssuesSheet, "A1", "本表存在以下问题，请逐条修改后重新报送（有颜色标记的单元格带有批注；修改完成后可保留本工作表）")
	f.SetCellStyle(IssuesSheet, "A1", "A1", title)
	heads := []string{"序号", "级别", "代码", "工作表", "单元格", "指标编号", "问题说明"}
	widths := []float64{6, 7, 7, 10, 8, 12, 80}
	hs, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	for i, h := range heads {
		c, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellStr(IssuesSheet, c, h)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(IssuesSheet, col, col, widths[i])
	}
	f.SetCellStyle(IssuesSheet, "A2", "G2", hs)
	comments := map[[2]string][]string{}
	var order [][2]string
	for i, x := range fb.Findings {
		row := i + 3
		vals := []string{x.Severity.Label(), x.Code, x.Sheet, x.Cell, x.Target, x.Message}
		f.SetCellInt(IssuesSheet, fmt.Sprintf("A%d", row), int64(i+1))
		for j, v := range vals {
			c, _ := excelize.CoordinatesToCellName(j+2, row)
			f.SetCellStr(IssuesSheet, c, v)
		}
		f.SetCellStyle(IssuesSheet, fmt.Sprintf("G%d", row), fmt.Sprintf("G%d", row), wrap)
		// Neither Excel nor LibreOffice grows a row for wrapped text on open:
		// size it, or the advice is cut off on screen and on paper.
		f.SetRowHeight(IssuesSheet, row, 15*float64(wrappedLines(x.Message, widths[len(widths)-1])))
		if x.Sheet != "" && x.Cell != "" {
			k := [2]string{x.Sheet, x.Cell}
			if comments[k] == nil {
				order = append(order, k)
			}
			comments[k] = append(comments[k], x.Severity.Label()+"："+x.Message)
		}
	}
	if corr != nil && corr.File == fb.Source.Path {
		addCorrectionRows(f, len(fb.Findings)+3, corr)
	}
	f.SetPanes(IssuesSheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	orient, fitW, fitH, a4 := "landscape", 1, 0, 9
	f.SetPageLayout(IssuesSheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH})
	f.SetSheetProps(IssuesSheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)})
	highlighted := map[int]int{}
	for _, k := range order {
		if idx, _ := f.GetSheetIndex(k[0]); idx < 0 {
			continue
		}
		markCell(f, k[0], k[1], strings.Join(comments[k], "\n"), highlighted)
	}
	if idx, _ := f.GetSheetIndex(IssuesSheet); idx >= 0 {
		f.SetActiveSheet(idx)
	}
	return "", safefile.Write(name, func(w io.Writer) error { return xlsxdim.WriteTo(w, f) })
}

// markCell fills a cell with the alert colour, keeping its other formatting,
// and puts the findings in its comment.
func markCell(f *excelize.File, sheet, cell, text string, cache map[int]int) {
	old, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		return
	}
	id, ok := cache[old]
	if !ok {
		st, err := f.GetStyle(old)
		if err != nil || st == nil {
			st = &excelize.Style{}
		}
		cleanColors(st)
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}
		if id, err = f.NewStyle(st); err != nil {
			return
		}
		cache[old] = id
	}
	f.SetCellStyle(sheet, cell, cell, id)
	f.DeleteComment(sheet, cell)
	if r := []rune(text); len(r) > 30000 {
		text = string(r[:30000])
	}
	f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "市发展改革委", Text: text, Width: 320, Height: 140})
}

// cleanColors makes the colours of a style read from a return writable:
// excelize reads an 8-digit aRGB value (as LibreOffice and openpyxl write
// them, often with alpha 00) and writes it back behind its own "FF", and an
// empty value as "FF" alone; other programs (openpyxl) refuse both. Each
// colour becomes its 6 RGB digits, or none.
func cleanColors(st *excelize.Style) {
	if st.Font != nil {
		st.Font.Color = rgb6(st.Font.Color)
	}
	for i := range st.Border {
		st.Border[i].Color = rgb6(st.Border[i].Color)
	}
	var fill []string
	for _, c := range st.Fill.Color {
		if c = rgb6(c); c != "" {
			fill = append(fill, c)
		}
	}
	st.Fill.Color = fill
}

// rgb6 reduces a colour to its RGB hex digits: #RRGGBB, RRGGBB or AARRGGBB
// give RRGGBB; anything else gives "".
func rgb6(c string) string {
	c = strings.TrimPrefix(strings.TrimSpace(c), "#")
	if len(c) == 8 {
		c = c[2:]
	}
	if len(c) != 6 {
		return ""
	}
	for _, r := range c {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return ""
		}
	}
	return strings.ToUpper(c)
}

// wrappedLines is how many lines text takes in a column of the given width
// (in characters; a Chinese character takes two).
func wrappedLines(text string, colWidth float64) int {
	w := 0.0
	for _, r := range text {
		if r < 0x1100 {
			w++
		} else {
			w += 2
		}
	}
	return max(1, int(math.Ceil(w/(colWidth-2))))
}

// forEach calls fn for 0..n-1 on at most limit goroutines at once and
// returns the error of the lowest index that failed, so that the outcome
// does not depend on the order the calls finish in.
func forEach(n, limit int, fn func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func firstNonEmptyStr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
