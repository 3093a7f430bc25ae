package simulate

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteWithResults(t *testing.T) {
	f := excelize.NewFile()
	sh := "Sheet1"
	mustGet(f.NewSheet("数据"))
	must(f.SetCellFloat(sh, "A1", 3, -1, 64))
	must(f.SetCellFloat(sh, "B1", 4, -1, 64))
	must(f.SetCellFormula(sh, "C1", `IF(A1="","",A1/B1)`))
	must(f.SetCellFormula(sh, "D1", `IF(A1>1,"偏高","")`))
	must(f.SetCellFormula(sh, "E1", `A1>B1`))
	must(f.SetCellFormula(sh, "F1", `A1/0`))
	must(f.SetCellFormula(sh, "G1", `IF(A2="","",1)`))
	must(f.SetCellFloat("数据", "A1", 10, -1, 64))
	must(f.SetCellFormula("数据", "B1", `A1*2&"<个>"`))
	var buf bytes.Buffer
	if err := writeWithResults(f, &buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, cell, want, formula string }{
		{sh, "C1", "0.75", `IF(A1="","",A1/B1)`},
		{sh, "D1", "偏高", `IF(A1>1,"偏高","")`},
		{sh, "E1", "FALSE", "A1>B1"},
		{sh, "F1", "#DIV/0!", "A1/0"},
		{sh, "G1", "", `IF(A2="","",1)`},
		{"数据", "B1", "20<个>", `A1*2&"<个>"`},
	} {
		got, _ := g.GetCellValue(c.sheet, c.cell)
		fo, _ := g.GetCellFormula(c.sheet, c.cell)
		if got != c.want || fo != c.formula {
			t.Errorf("%s!%s = %q (formula %q); want %q (formula %q)", c.sheet, c.cell, got, fo, c.want, c.formula)
		}
	}
	xml := sheetXML(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	for _, want := range []string{
		`<c r="C1"><f>IF(A1=&#34;&#34;,&#34;&#34;,A1/B1)</f><v>0.75</v></c>`,
		`<c r="D1" t="str"><f>`, `<v>偏高</v>`,
		`<c r="E1" t="b"><f>A1&gt;B1</f><v>0</v></c>`,
		`<c r="F1" t="e">`,
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("sheet1.xml lacks %s:\n%s", want, xml)
		}
	}
}

func sheetXML(t *testing.T, data []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range z.File {
		if e.Name == name {
			r, _ := e.Open()
			b := mustGet(io.ReadAll(r))
			return string(b)
		}
	}
	t.Fatalf("no %s", name)
	return ""
}
