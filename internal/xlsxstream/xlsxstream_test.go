package xlsxstream

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetXML is a worksheet with every kind of cell the template contract
// knows, and some a department's office suite may leave: shared strings
// (plain, rich text, with _x000D_ escapes), inline strings, numbers, a
// percentage, booleans, errors, cached formula results, shared formulas,
// ISO dates, a merged range, a hidden row, rows and cells without
// references, and parts a reader must ignore.
const sheetXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<dimension ref="A1:F9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t xml:space="preserve"> 行内 </t></is></c><c r="E1" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c></row>
<row r="2" hidden="1"><c r="A2"><v>42</v></c><c r="B2" s="1"><v>0.55</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#DIV/0!</v></c><c r="E2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="F2"><f>A2*2</f><v>84</v></c></row>
<row r="3"><c r="A3"><f t="shared" ref="A3:A5" si="0">B3+$C3+D$3</f><v>1</v></c><c r="B3" t="d"><v>2025-10-08T00:00:00Z</v></c><c r="C3" s="2"><v>-0.25</v></c></row>
<row r="4"><c r="A4"><f t="shared" si="0"/><v>2</v></c></row>
<row r="5"><c r="A5"><f t="shared" si="0"/><v>3</v></c><c r="B5" t="s"><v>3</v></c></row>
<row><c><v>7</v></c><c t="s"><v>4</v></c><c r="E6"><v>9</v></c></row>
<row r="8"><c r="A8" t="s"><v>5</v></c><c r="B8" t="s"><v> 1 </v></c></row>
</sheetData>
<sheetProtection sheet="1"/>
<mergeCells count="1"><mergeCell ref="B8:D9"/></mergeCells>
<dataValidations count="1"><dataValidation type="list" sqref="A1"><formula1>"x,y"</formula1></dataValidation></dataValidations>
<extLst><ext uri="{x}"><foo:bar xmlns:foo="urn:x">ignored</foo:bar></ext></extLst>
</worksheet>`

const sstXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>编号</t></si>
<si><r><t>指标</t></r><r><rPr><b/></rPr><t xml:space="preserve">名称 </t></r></si>
<si><t>行一_x000D_行二</t><rPh sb="0" eb="1"><t>ハ</t></rPh></si>
<si><t>&lt;公式&gt; &amp; "引号"</t></si>
<si><t/></si>
<si><r><t>合并</t></r></si>
</sst>`

const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%;[Red]\-0.0%"/></numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>
</styleSheet>`

// pkg builds a workbook package from parts, with the usual frame.
func pkg(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	base := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheetXML,
		"xl/sharedStrings.xml":       sstXML,
		"xl/styles.xml":              stylesXML,
	}
	for k, v := range parts {
		if v == "" {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "docProps/custom.xml"} {
		v, ok := base[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		mustN(io.WriteString(w, v))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t testing.TB, data []byte) *Book {
	t.Helper()
	p, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Read(Options{Limit: 1 << 20, Sheets: []string{"数据"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCellsAsExcelize reads every cell of a range with both this package and
// excelize, and requires the same raw value, formula, type and row visibility.
func TestCellsAsExcelize(t *testing.T) {
	data := pkg(t, nil)
	b := read(t, data)
	sh := b.Sheet("数据")
	if sh == nil || sh.Err != nil {
		t.Fatalf("sheet: %+v", sh)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw := excelize.Options{RawCellValue: true}
	checked := 0
	for r := 1; r <= 12; r++ {
		for c := 1; c <= 8; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r)
			want, _ := f.GetCellValue("数据", ref, raw)
			wantF, _ := f.GetCellFormula("数据", ref)
			wantT, _ := f.GetCellType("数据", ref)
			cell, _ := sh.Cell(c, r)
			if cell.Value != want {
				t.Errorf("%s value %q, excelize %q", ref, cell.Value, want)
			}
			if cell.Formula != wantF {
				t.Errorf("%s formula %q, excelize %q", ref, cell.Formula, wantF)
			}
			gotT := map[string]excelize.CellType{"b": excelize.CellTypeBool, "d": excelize.CellTypeDate, "n": excelize.CellTypeNumber, "e": excelize.CellTypeError,
				"s": excelize.CellTypeSharedString, "str": excelize.CellTypeFormula, "inlineStr": excelize.CellTypeInlineString}[cell.Type]
			if gotT != wantT {
				t.Errorf("%s type %q, excelize %v", ref, cell.Type, wantT)
			}
			if want != "" {
				checked++
			}
		}
		vis, _ := f.GetRowVisible("数据", r)
		if sh.RowHidden(r) != !vis {
			t.Errorf("row %d hidden %v, excelize visible %v", r, sh.RowHidden(r), vis)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d cells with a value compared", checked)
	}
	// Spot checks, so that agreeing on nothing cannot pass.
	for ref, want := range map[string]string{"B1": "指标名称 ", "C1": "行一\r行二", "D1": " 行内 ", "E1": "富文本", "C2": "1", "D2": "#DIV/0!", "E2": "ab",
		"B3": "2025-10-08T00:00:00Z", "A6": "7", "B5": `<公式> & "引号"`, "E6": "9", "A8": "合并", "C9": "指标名称 "} {
		c, r, _ := excelize.CellNameToCoordinates(ref)
		if got := sh.Value(c, r); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if c, _ := sh.Cell(1, 5); c.Formula != "B5+$C5+D$3" {
		t.Errorf("shared formula in A5 = %q", c.Formula)
	}
	if !sh.RowHidden(2) || sh.RowHidden(3) || !sh.RowHidden(20) {
		t.Error("row visibility")
	}
}

// TestPercentAsExcelize compares ShowsPercent with whether excelize's
// formatted value ends in %, for number formats a department may use.
func TestPercentAsExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	codes := []string{"0%", "0.00%", "0.0%", `0.0%;[Red]\-0.0%`, "0.0", "General", `0"%"`, `0%" 完成"`, `0.0%_)`, `[>=1]0;0%`, `#,##0.00`, `0%;-0%;"零"`, `"百分比"0`, `0\%`}
	ids := []int{0, 9, 10, 2, 4}
	var styles []int
	for _, id := range ids {
		s, err := f.NewStyle(&excelize.Style{NumFmt: id})
		if err != nil {
			t.Fatal(err)
		}
		styles = append(styles, s)
	}
	for _, c := range codes {
		s, err := f.NewStyle(&excelize.Style{CustomNumFmt: &c})
		if err != nil {
			t.Fatal(err)
		}
		styles = append(styles, s)
	}
	values := []float64{0.55, -0.25, 0, 1.5, 1}
	for i, s := range styles {
		for j, v := range values {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			must(f.SetCellFloat("Sheet1", ref, v, -1, 64))
			must(f.SetCellStyle("Sheet1", ref, ref, s))
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	p, err := Open(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Read(Options{Sheets: []string{"Sheet1"}})
	if err != nil {
		t.Fatal(err)
	}
	sh := b.Sheet("Sheet1")
	yes := 0
	for i := range styles {
		for j, v := range values {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			shown, _ := g.GetCellValue("Sheet1", ref)
			want := strings.HasSuffix(strings.TrimSpace(shown), "%")
			c, _ := sh.Cell(j+1, i+1)
			if got := b.ShowsPercent(c.Style, v); got != want {
				t.Errorf("%s (%v shown %q): ShowsPercent %v", ref, v, shown, got)
			}
			if want {
				yes++
			}
		}
	}
	if yes < 10 {
		t.Fatalf("only %d percentages among the cases", yes)
	}
}

func TestProps(t *testing.T) {
	custom := `<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
		`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="a"><vt:lpwstr>文本</vt:lpwstr></property>` +
		`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="b"><vt:r8>1</vt:r8></property>` +
		`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="c"><vt:i4>7</vt:i4></property>` +
		`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="5" name="d"><vt:bool>true</vt:bool></property></Properties>`
	data := pkg(t, map[string]string{"docProps/custom.xml": custom})
	b := read(t, data)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := f.GetCustomProps()
	if err != nil {
		t.Fatal(err)
	}
	if b.PropsErr || fmt.Sprint(b.Props) != fmt.Sprint(want) || len(want) != 4 {
		t.Fatalf("props %v (err %v), excelize %v", b.Props, b.PropsErr, want)
	}
	for _, bad := range []string{`<vt:i4>x</vt:i4>`, `<vt:filetime>yesterday</vt:filetime>`} {
		b := read(t, pkg(t, map[string]string{"docProps/custom.xml": strings.Replace(custom, `<vt:lpwstr>文本</vt:lpwstr>`, bad, 1)}))
		if !b.PropsErr {
			t.Errorf("%s: read as %v", bad, b.Props)
		}
	}
}

func TestDamage(t *testing.T) {
	good := pkg(t, nil)
	// Flip a byte inside the compressed sheet: the CRC must catch it.
	i := bytes.Index(good, []byte("xl/worksheets/sheet1.xml"))
	bad := bytes.Clone(good)
	bad[i+len("xl/worksheets/sheet1.xml")+40] ^= 0xff
	p, err := Open(bad)
	if err == nil {
		_, err = p.Read(Options{Limit: 1 << 20, Sheets: []string{"数据"}})
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged entry: %v", err)
	}
	p, _ = Open(good)
	if _, err := p.Read(Options{Limit: 2000, Sheets: []string{"数据"}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limit: %v", err)
	}
	p, _ = Open(pkg(t, map[string]string{"xl/workbook.xml": "<workbook><sheets><sheet name='x'></sheets></workbook>"}))
	if _, err := p.Read(Options{Sheets: []string{"x"}}); !errors.Is(err, ErrMalformed) {
		t.Errorf("malformed workbook: %v", err)
	}
	// A damaged sheet or shared strings part: the sheet reads empty, never fatal.
	for part, xml := range map[string]string{"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></row></sheetData></worksheet>",
		"xl/sharedStrings.xml": "<sst><si><t>x</si></sst>", "xl/styles.xml": "<styleSheet><cellXfs>"} {
		b := read(t, pkg(t, map[string]string{part: xml}))
		sh := b.Sheet("数据")
		if part == "xl/styles.xml" {
			if sh.Err != nil || b.ShowsPercent(1, 0.5) {
				t.Errorf("%s: sheet %v, percent %v", part, sh.Err, b.ShowsPercent(1, 0.5))
			}
			continue
		}
		if sh.Err == nil || sh.Value(1, 2) != "" {
			t.Errorf("%s damaged: sheet read %v", part, sh.Value(1, 2))
		}
	}
}

// FuzzRead feeds arbitrary bytes, and arbitrary XML as the sheet, to the
// reader: it must never panic, and a sheet it cannot read reads empty.
func FuzzRead(f *testing.F) {
	good := pkg(f, nil)
	f.Add(good, "")
	f.Add(good[:len(good)/2], "")
	f.Add([]byte{}, sheetXML)
	f.Add([]byte{}, `<worksheet><sheetData><row><c><f t="shared" si="0" ref="A1:A9">A1+B$2</f></c></row><row><c><f t="shared" si="0"/></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>`)
	f.Fuzz(func(t *testing.T, data []byte, sheet string) {
		if len(data) == 0 {
			data = pkg(t, map[string]string{"xl/worksheets/sheet1.xml": sheet})
		}
		p, err := Open(data)
		if err != nil {
			return
		}
		b, err := p.Read(Options{Limit: 4 << 20, Sheets: []string{"数据", "Sheet1"}})
		if err != nil {
			return
		}
		for _, name := range b.SheetNames {
			sh := b.Sheet(name)
			for r := 1; r < 12; r++ {
				for c := 1; c < 8; c++ {
					cell, _ := sh.Cell(c, r)
					if sh.Err != nil && cell.Value != "" {
						t.Fatalf("a sheet that could not be read has %q in it", cell.Value)
					}
					b.ShowsPercent(cell.Style, 0.5)
				}
				sh.RowHidden(r)
			}
		}
	})
}
