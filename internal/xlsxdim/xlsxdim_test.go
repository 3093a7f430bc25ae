package xlsxdim

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteTo(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must(f.SetCellStr("Sheet1", "B2", "x"))
	must(f.SetCellInt("Sheet1", "D7", 3))
	mustGet(f.NewSheet("空表"))
	mustGet(f.NewSheet("一格"))
	must(f.SetCellStr("一格", "C3", "y"))
	var buf bytes.Buffer
	if err := WriteTo(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for sheet, want := range map[string]string{"Sheet1": "B2:D7", "空表": "A1", "一格": "C3"} {
		if got, _ := g.GetSheetDimension(sheet); got != want {
			t.Errorf("%s: dimension %q; want %q", sheet, got, want)
		}
	}
	if v, _ := g.GetCellValue("Sheet1", "D7"); v != "3" {
		t.Errorf("D7 = %q", v)
	}
	// openpyxl in read-only mode trusts the dimension.
	if _, err := exec.Command("/usr/bin/python3", "-c", "import openpyxl").CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("/usr/bin/python3 with openpyxl is required in CI")
		}
		t.Skip("openpyxl not installed")
	}
	name := filepath.Join(t.TempDir(), "a.xlsx")
	must(os.WriteFile(name, buf.Bytes(), 0o644))
	out, err := exec.Command("/usr/bin/python3", "-c", `import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Sheet1"]
print(ws.max_row, ws.max_column, [c.value for r in ws.iter_rows() for c in r if c.value is not None])`, name).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "7 4 ['x', 3]" {
		t.Errorf("openpyxl read-only: %s %v", out, err)
	}
}

func TestSheet(t *testing.T) {
	for in, want := range map[string]string{
		`<worksheet><dimension ref="A1"/><sheetData><row r="2"><c r="B2"/><c r="AA10"/></row></sheetData></worksheet>`:          `<dimension ref="B2:AA10"/>`,
		`<worksheet><sheetPr/><sheetData><row r="1"><c r="A1"/><c r="C4"/></row></sheetData></worksheet>`:                       `<sheetPr/><dimension ref="A1:C4"/>`,
		`<worksheet><dimension ref="A1"></dimension><sheetData><row r="1"><c r="A1"/><c r="B1"/></row></sheetData></worksheet>`: `<dimension ref="A1:B1"/><sheetData>`,
	} {
		out, changed := Sheet([]byte(in))
		if !changed || !strings.Contains(string(out), want) {
			t.Errorf("%s → %s (changed %v); want %s", in, out, changed, want)
		}
	}
	if _, changed := Sheet([]byte(`<worksheet><dimension ref="A1:B1"/><sheetData><row><c r="A1"/><c r="B1"/></row></sheetData></worksheet>`)); changed {
		t.Error("a right dimension was rewritten")
	}
	if RangeOf(17, 5) != "A1:Q5" || RangeOf(1, 1) != "A1" {
		t.Error("RangeOf")
	}
}

// Fix gives the same bytes whatever order the parts were written in
// (excelize writes stream-written sheets in map order).
func TestFixOrdersParts(t *testing.T) {
	build := func(names []string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte("<x>" + n + "</x>")); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, err := Fix(build([]string{"xl/worksheets/sheet2.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml", "docProps/app.xml"}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fix(build([]string{"docProps/app.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml", "xl/worksheets/sheet2.xml"}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("the same parts in another order give other bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name)
	}
	want := []string{"[Content_Types].xml", "docProps/app.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order %v; want %v", got, want)
	}
}

// TestWriteOrdered: several stream-written sheets give the same bytes every
// time, and the workbook still reads.
func TestWriteOrdered(t *testing.T) {
	build := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		for _, name := range []string{"Sheet1", "甲", "乙", "丙"} {
			if name != "Sheet1" {
				if _, err := f.NewSheet(name); err != nil {
					t.Fatal(err)
				}
			}
			sw, err := f.NewStreamWriter(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := sw.SetRow("A1", []any{name, 1}); err != nil {
				t.Fatal(err)
			}
			if err := sw.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := WriteOrdered(&buf, f); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := build()
	for i := 0; i < 8; i++ {
		if !bytes.Equal(build(), first) {
			t.Fatal("the same workbook gave other bytes")
		}
	}
	g, err := excelize.OpenReader(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v, _ := g.GetCellValue("乙", "A1"); v != "乙" {
		t.Errorf("乙!A1 = %q", v)
	}
}
