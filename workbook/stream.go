package workbook

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"planrep/internal/xlsxstream"
	"planrep/plan"
	"planrep/templates"
)

// streamSheets are the sheets a return's checks read.
var streamSheets = []string{templates.SheetQuant, templates.SheetMilestone, templates.SheetMeta}

// openStream checks a file and reads what the checks need of it in one pass
// over its zip.
func openStream(name string, data []byte, limit int64, std bool) (*xlsxstream.Book, bool, *fileProblem) {
	if !bytes.HasPrefix(data, zipMagic) && !bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return nil, false, checkPackage(name, data)
	}
	corrupt := problem(plan.FileCorrupt, "文件已损坏（压缩结构不完整或校验失败），可能在传输中损坏：请用 Excel 或 WPS 打开确认后重新保存报送")
	tooBig := problem(plan.FileTooLarge, "文件解压后超过 %d MB 的上限，已拒收：请用下发的模板重新填写，不要粘贴大量图片或数据", limit>>20)
	pkg, err := xlsxstream.Open(data)
	if err != nil {
		return nil, false, corrupt
	}
	if pkg.Declared() > uint64(limit) {
		return nil, false, tooBig
	}
	if pkg.BiggestXML() > maxXMLPart {
		return nil, false, problem(plan.FileTooLarge, "文件中的表格内容解压后超过 %d MB，已拒收：填报模板正常只有几十 KB，请用下发的模板重新填写，不要粘贴大量数据", maxXMLPart>>20)
	}
	externalLinks := false
	for _, n := range pkg.Names() {
		if strings.HasPrefix(n, "xl/externalLinks/") {
			externalLinks = true
			break
		}
	}
	switch {
	case pkg.Has("word/document.xml"):
		return nil, false, problem(plan.FileNotWorkbook, "这是 Word 文档（.docx）改了扩展名，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case pkg.Has("ppt/presentation.xml"):
		return nil, false, problem(plan.FileNotWorkbook, "这是 PowerPoint 文档改了扩展名，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case !pkg.Has("xl/workbook.xml") || !pkg.Has("[Content_Types].xml"):
		if pkg.Has("content.xml") && pkg.Has("mimetype") {
			return nil, false, problem(plan.FileNotWorkbook, "这是 OpenDocument（.ods）文件：请用“另存为”Excel 工作簿（*.xlsx）后重新报送")
		}
		return nil, false, problem(plan.FileNotWorkbook, "这是一个压缩文件，但不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	book, err := pkg.Read(xlsxstream.Options{Limit: limit, Sheets: streamSheets, StdXML: std})
	switch {
	case errors.Is(err, xlsxstream.ErrTooLarge):
		return nil, false, tooBig
	case errors.Is(err, xlsxstream.ErrMalformed):
		return nil, false, problem(plan.FileCorrupt, "文件已损坏，无法作为 Excel 工作簿读取：请用 Excel 或 WPS 打开确认后重新保存报送")
	case err != nil:
		return nil, false, corrupt
	}
	return book, externalLinks, nil
}

// readReturnStream reads a return's stamp, header block and data rows from
// the parts the streaming reader delivers. A file without a readable stamp
// is not a planrep template.
func readReturnStream(name string, data []byte, limit int64) (ret *returnData, p *fileProblem) {
	return readReturnXML(name, data, limit, false)
}

// readReturnStd is readReturnStream with every part read by encoding/xml
// alone (Options.StdXML).
func readReturnStd(name string, data []byte, limit int64) (ret *returnData, p *fileProblem) {
	return readReturnXML(name, data, limit, true)
}

func readReturnXML(name string, data []byte, limit int64, std bool) (ret *returnData, p *fileProblem) {
	defer func() {
		if r := recover(); r != nil {
			if panicked != nil {
				panicked(r)
			}
			ret, p = nil, problem(plan.FileCorrupt, "文件内容异常，无法读取：请用 Excel 或 WPS 打开确认后重新保存报送")
		}
	}()
	book, ext, p := openStream(name, data, limit, std)
	if p != nil {
		return nil, p
	}
	st, err := stampOf(book)
	if errors.Is(err, errPropsPanic) {
		return nil, problem(plan.FileCorrupt, "文件内容异常，无法读取：请用 Excel 或 WPS 打开确认后重新保存报送")
	}
	if pe := (*templates.PeriodError)(nil); errors.As(err, &pe) {
		p := problem(plan.FileBadStamp, "模板标识中的报告期“%s”无法识别：请使用本期下发的模板重新填写", clip(pe.Text, 20))
		p.Dept = st.Dept
		return nil, p
	}
	if errors.Is(err, templates.ErrStampConflict) {
		return nil, problem(plan.FileBadStamp, "%s", err.Error())
	}
	if err != nil {
		return nil, problem(plan.FileNotTemplate, "没有找到填报模板的标识，这不是本工具生成的填报模板：请使用市发展改革委下发的模板填写，不要新建表格或把内容复制到其他文件")
	}
	if st.Schema != templates.SchemaVersion {
		return nil, problem(plan.FileBadStamp, "模板版本（%d）与本程序（%d）不符：请使用本期下发的模板重新填写", st.Schema, templates.SchemaVersion)
	}
	ret = &returnData{Stamp: st, ExternalLinks: ext}
	ret.Quant = readSheetStream(book, templates.SheetQuant, templates.QuantColumns)
	ret.Mile = readSheetStream(book, templates.SheetMilestone, templates.MilestoneColumns)
	head := templates.SheetQuant
	if ret.Quant.Missing {
		head = templates.SheetMilestone
	}
	var (
		lastName  string
		lastSheet *xlsxstream.Sheet
	)
	fp, err := templates.LockedFingerprintOf(st, book.HasSheet, func(c templates.LockedCell) (string, error) {
		if lastSheet == nil || c.Sheet != lastName {
			lastName, lastSheet = c.Sheet, book.Sheet(c.Sheet)
		}
		if lastSheet == nil || lastSheet.Err != nil {
			return "", errors.New("sheet not read")
		}
		return lastSheet.Value(c.Col, c.Row), nil
	})
	if err == nil {
		ret.Locked = fp
	}
	for _, sd := range []*sheetData{&ret.Quant, &ret.Mile} {
		if !sd.Missing {
			ret.Units = append(ret.Units, unitCell{Sheet: sd.Name, Cell: unitOf(book.Sheet(sd.Name).Value)})
		}
	}
	hs := book.Sheet(head)
	at := func(ref string) string {
		c, r, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			return ""
		}
		return hs.Value(c, r)
	}
	ret.Filler, ret.Phone = strings.TrimSpace(at(templates.CellFiller)), strings.TrimSpace(at(templates.CellPhone))
	if d := at(templates.CellDate); d != "" {
		if t, ok := parseDate(d); ok {
			ret.Filled = t
		}
	}
	return ret, nil
}

// errPropsPanic: the custom properties hold a type excelize's reader panics on.
var errPropsPanic = errors.New("custom property of an unsigned type")

// stampOf reads the stamp's two copies: the rows of the _meta sheet (as far
// as they can be read) and the custom properties.
func stampOf(b *xlsxstream.Book) (templates.Stamp, error) {
	kv := map[string]string{}
	exact := false
	for _, s := range b.SheetNames {
		if s == templates.SheetMeta {
			exact = true
		}
	}
	if exact {
		sh := b.Sheet(templates.SheetMeta)
		if sh.Absent {
			return templates.Stamp{}, errors.New("无法读取模板标识")
		}
	rows:
		for _, r := range sh.Rows {
			var a, v string
			ga, gv := false, false
			for _, c := range r.Cells {
				if c.Bad {
					break rows
				}
				switch {
				case c.Col == 1 && !ga:
					a, ga = c.Value, true
				case c.Col == 2 && !gv:
					v, gv = c.Value, true
				}
			}
			if strings.TrimSpace(a) == "" {
				continue
			}
			kv[strings.TrimSpace(a)] = strings.TrimSpace(v)
		}
	}
	if b.PropsPanic {
		return templates.Stamp{}, errPropsPanic
	}
	var props []excelize.CustomProperty
	if !b.PropsErr {
		props = make([]excelize.CustomProperty, len(b.Props))
		for i, p := range b.Props {
			props[i] = excelize.CustomProperty{Name: p.Name, Value: p.Value}
		}
	}
	return templates.StampFrom(kv, props)
}

// readSheetStream reads one data sheet, finding each column by its heading
// (where the layout puts it, or elsewhere when columns were moved).
func readSheetStream(b *xlsxstream.Book, sheet string, cols []templates.Column) sheetData {
	sd := sheetData{Name: sheet}
	if !b.HasSheet(sheet) {
		sd.Missing = true
		return sd
	}
	sh := b.Sheet(sheet)
	get := func(col, row int) string { return sh.Value(col+1, row) }
	width := len(cols) + maxExtraCols
	header := make([]string, width)
	for i := range header {
		header[i] = strings.TrimSpace(get(i, templates.HeaderRow))
	}
	at := map[string]int{}
	for i, c := range cols {
		if header[i] == c.Header {
			at[c.Key] = i
			continue
		}
		for j, h := range header {
			if h == c.Header {
				at[c.Key] = j
				sd.Moved = true
				break
			}
		}
	}
	required := []string{templates.ColID, templates.ColIndicator, inputKey(cols), templates.ColNote, templates.ColProblems, templates.ColNext}
	if sheet == templates.SheetQuant {
		required = append(required, templates.ColTarget, templates.ColUnit)
	}
	for _, k := range required {
		if _, ok := at[k]; !ok {
			for _, c := range cols {
				if c.Key == k {
					sd.BadCols = append(sd.BadCols, c.Header)
				}
			}
		}
	}
	if len(sd.BadCols) > 0 {
		return sd
	}
	calc := map[int]bool{}
	for _, c := range cols {
		if j, ok := at[c.Key]; ok && c.Calc {
			calc[j] = true
		}
	}
	defs := definitionKeys(cols, at)
	cell := func(row []string, r int, key string, input bool) cellVal {
		i := at[key]
		name, _ := excelize.ColumnNumberToName(i + 1)
		cv := cellVal{Ref: name + strconv.Itoa(r), Raw: row[i]}
		if !input {
			return cv
		}
		c, _ := sh.Cell(i+1, r)
		cv.Formula = c.Formula
		if cv.Raw == "" {
			return cv
		}
		switch c.Type {
		case "s", "inlineStr", "str":
			cv.Text = true
		case "b", "d", "e":
		default:
			if v, err := strconv.ParseFloat(cv.Raw, 64); err == nil && key == templates.ColActual && math.Abs(v) <= 1.5 {
				cv.Percent = b.ShowsPercent(c.Style, v)
			}
		}
		return cv
	}
	row := make([]string, width)
	for r, blank := templates.FirstDataRow, 0; blank < maxBlankRows && r < templates.FirstDataRow+maxRows; r++ {
		rd := rowData{Row: r}
		for i := range row {
			row[i] = get(i, r)
		}
		rd.ID = strings.TrimSpace(row[at[templates.ColID]])
		for i, v := range row {
			if i != at[templates.ColID] && !calc[i] && strings.TrimSpace(v) != "" {
				rd.Content = true
				break
			}
		}
		if rd.ID == "" && !rd.Content {
			blank++
			continue
		}
		blank = 0
		if rd.ID == templates.NoQuantTargets || rd.ID == templates.NoMilestones {
			continue
		}
		rd.Hidden = sh.RowHidden(r)
		if rd.ID == "" {
			sd.Rows = append(sd.Rows, rd)
			continue
		}
		rd.Defs = make(map[string]cellVal, len(defs))
		for _, k := range defs {
			rd.Defs[k] = cell(row, r, k, false)
		}
		rd.Indicator = rd.Defs[templates.ColIndicator]
		if sheet == templates.SheetQuant {
			rd.Target = rd.Defs[templates.ColTarget]
			rd.Unit = rd.Defs[templates.ColUnit]
		}
		rd.Input = cell(row, r, inputKey(cols), true)
		rd.Note = cell(row, r, templates.ColNote, true)
		rd.Problems = cell(row, r, templates.ColProblems, true)
		rd.Next = cell(row, r, templates.ColNext, true)
		sd.Rows = append(sd.Rows, rd)
	}
	return sd
}
