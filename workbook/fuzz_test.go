package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"planrep/plan"
)

// fuzzPlan and fuzzBase are shared by the fuzz targets' iterations.
var (
	fuzzPlan *plan.Plan
	fuzzBase []byte // a good return
)

func fuzzSetup(f *testing.F) {
	if fuzzPlan == nil {
		fuzzPlan = loadPlan(f)
		fuzzBase = goodReturn(f, fuzzPlan, pick(f, fuzzPlan).cum.Lead)
	}
}

// exercise runs a file through everything collect does with one return,
// read by the reader's tokenizer and by encoding/xml alone, which must agree.
func exercise(t *testing.T, name string, data []byte) {
	panicked = func(v any) { t.Fatalf("reader panicked: %v", v) }
	defer func() { panicked = nil }()
	ret, p := readReturnStream(name, data, 4<<20)
	if sret, sp := readReturnStd(name, data, 4<<20); !reflect.DeepEqual(ret, sret) || !reflect.DeepEqual(p, sp) {
		t.Fatalf("the two XML readers disagree:\n  encoding/xml: %s\n  tokenizer:    %s", show(sret, sp), show(ret, p))
	}
	if ret == nil && p == nil {
		t.Fatal("neither a return nor a problem")
	}
	if p != nil && p.Message == "" {
		t.Fatal("problem without a message")
	}
	if ret == nil {
		return
	}
	prev := map[string]float64{}
	for _, tg := range fuzzPlan.Targets {
		prev[tg.ID] = 1
	}
	c := validate(newIndex(fuzzPlan), testPeriod, prev, name, ret.Stamp.Dept, ret)
	for _, f := range c.findings {
		if _, ok := plan.Def(f.Code); !ok || f.Message == "" {
			t.Fatalf("bad finding %+v", f)
		}
	}
}

// FuzzReadReturn feeds arbitrary bytes to the return reader: it must never
// panic and must always say what is wrong.
func FuzzReadReturn(f *testing.F) {
	fuzzSetup(f)
	f.Add(fuzzBase)
	f.Add(fuzzBase[:len(fuzzBase)/3])
	f.Add(restored(&testing.T{}, fuzzBase))
	for _, name := range []string{"old.xls", "encrypted.xlsx", "return.csv"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("%PDF-1.4"))
	f.Fuzz(func(t *testing.T, data []byte) {
		exercise(t, "x.xlsx", data)
	})
}

// FuzzReadSheet puts arbitrary XML in place of a good return's data sheet,
// inside an intact package, so the fuzzer gets past the zip checks.
func FuzzReadSheet(f *testing.F) {
	fuzzSetup(f)
	sheet := unzipEntry(f, fuzzBase, "xl/worksheets/sheet2.xml")
	f.Add(sheet)
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="4"><c r="A4" t="inlineStr"><is><t>编号</t></is></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, xml []byte) {
		exercise(t, "x.xlsx", replaceEntry(t, fuzzBase, "xl/worksheets/sheet2.xml", xml))
	})
}

func replaceEntry(t testing.TB, data []byte, name string, content []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w := mustGet(zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store}))
		if f.Name == name {
			mustN(w.Write(content))
			continue
		}
		rc := mustGet(f.Open())
		mustGet(io.Copy(w, rc))
		rc.Close() // only read
	}
	must(zw.Close())
	return buf.Bytes()
}

// TestWriteFuzzSeeds writes the seed corpus into testdata/fuzz (run with
// PLANREP_GEN=1 after the template layout changes).
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("PLANREP_GEN") == "" {
		t.Skip("set PLANREP_GEN=1 to regenerate")
	}
	p := loadPlan(t)
	base := goodReturn(t, p, pick(t, p).cum.Lead)
	seeds := map[string][]byte{
		"good":      base,
		"truncated": base[:len(base)/2],
		"stored":    restored(t, base),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzReadReturn")
	must(os.MkdirAll(dir, 0o755))
	for name, b := range seeds {
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b)))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sdir := filepath.Join("testdata", "fuzz", "FuzzReadSheet")
	must(os.MkdirAll(sdir, 0o755))
	sheet := unzipEntry(t, base, "xl/worksheets/sheet2.xml")
	content := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(sheet)))
	must(os.WriteFile(filepath.Join(sdir, "quant"), []byte(content), 0o644))
}

// FuzzArchive feeds arbitrary bytes as a .zip input to discovery and reading.
func FuzzArchive(f *testing.F) {
	fuzzSetup(f)
	f.Add(zipOf(f, map[string][]byte{"a.xlsx": fuzzBase[:200], "b.zip": zipOf(f, map[string][]byte{"c.xlsx": {1}}, zip.Store)}, zip.Store))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "x.zip")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Skip()
		}
		srcs, done, err := Discover([]string{name}, 1<<20, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		for _, s := range srcs {
			it := readItem(s, 1<<20, false, checker(newIndex(fuzzPlan), Options{}))
			if it.problem != nil && it.problem.Message == "" {
				t.Fatal("problem without a message")
			}
		}
	})
}
