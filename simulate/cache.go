package simulate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
	"planrep/internal/xlsxdim"
)

// Excel saves the last computed result of every formula beside it (<v>), and
// readers that do not calculate — including excelize's GetCellValue — see
// only that. excelize writes formulas without a result, and its public API
// cannot put one back: setting a value removes the formula, and
// SetCellFormula keeps only a numeric value and types it as text.
//
// So a return is saved the way Excel would save it in two steps: first every
// formula's result is computed with CalcCellValue (the template's own
// formulas, so nothing is duplicated here), then the workbook is written
// through excelize's SetZipWriter hook, which lets cacheZip put each result
// into its worksheet part as <v>, with the type Excel gives it (no t for a
// number, t="str" for text, t="b" for a logical, t="e" for an error).

// cached is one formula's saved result.
type cached struct {
	v string // the value as Excel writes it in <v>
	t string // the cell type attribute: "", "str", "b" or "e"
}

// result computes the saved result of the formula in sheet!ref. It is
// called after the worksheets are serialised, so it may rewrite a formula
// in f for the calculation without changing the saved file.
func result(f *excelize.File, sheet, ref string) (cached, bool) {
	if fo, err := f.GetCellFormula(sheet, ref); err == nil && blankTest.MatchString(fo) {
		// excelize compares an empty cell with "" as unequal; Excel and
		// LibreOffice as equal. LEN(x)=0 holds for both an empty cell and
		// an empty text, in every evaluator.
		fo = blankTest.ReplaceAllStringFunc(fo, func(m string) string {
			sub := blankTest.FindStringSubmatch(m)
			if sub[2] == "=" {
				return "LEN(" + sub[1] + ")=0"
			}
			return "LEN(" + sub[1] + ")>0"
		})
		_ = f.SetCellFormula(sheet, ref, fo)
	}
	v, err := f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil && !isExcelError(v) {
		// A formula excelize cannot evaluate keeps no result; Excel
		// computes it on open (full calculation on load).
		return cached{}, false
	}
	return typed(v), true
}

// blankTest matches a cell compared with the empty text: I5="", 'x'!$B$2<>"".
var blankTest = regexp.MustCompile(`((?:'[^']+'!|[A-Za-z0-9_.\p{Han}]+!)?\$?[A-Z]{1,3}\$?[0-9]+)\s*(=|<>)\s*""`)

var excelErrors = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}

func isExcelError(v string) bool {
	for _, e := range excelErrors {
		if v == e {
			return true
		}
	}
	return false
}

func typed(v string) cached {
	switch {
	case isExcelError(v):
		return cached{v: v, t: "e"}
	case v == "TRUE":
		return cached{v: "1", t: "b"}
	case v == "FALSE":
		return cached{v: "0", t: "b"}
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) && strings.TrimSpace(v) == v {
		return cached{v: v}
	}
	return cached{v: v, t: "str"}
}

// writeWithResults writes f to w as Excel would save it: every formula
// with its result beside it.
func writeWithResults(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, fastDeflate)
		return &cacheZip{f: f, zw: zw}
	})
	defer f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	_, err := f.WriteTo(w)
	return err
}

// fastDeflate compresses a part at flate's best speed: a return is a few
// dozen KB either way, and making ten thousand of them is bound by this.
func fastDeflate(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := flatePool.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return pooledFlate{fw}, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	return pooledFlate{fw}, err
}

var flatePool sync.Pool

type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	flatePool.Put(p.Writer)
	return err
}

// cacheZip is the zip writer excelize writes a workbook through. It holds
// the parts until Close, because the workbook part that names the sheets is
// written after the worksheets.
type cacheZip struct {
	f     *excelize.File
	zw    *zip.Writer
	parts []*part
}

type part struct {
	name string
	buf  bytes.Buffer
}

func (z *cacheZip) Create(name string) (io.Writer, error) {
	p := &part{name: name}
	z.parts = append(z.parts, p)
	return &p.buf, nil
}

func (z *cacheZip) AddFS(fsys fs.FS) error { return z.zw.AddFS(fsys) }

func (z *cacheZip) Close() error {
	byPart, err := z.sheetParts()
	if err != nil {
		return err
	}
	for _, p := range z.parts {
		data := p.buf.Bytes()
		if sheet := byPart[p.name]; sheet != "" {
			res := func(ref string) (cached, bool) { return result(z.f, sheet, ref) }
			if data, err = putResults(data, res); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			data, _ = xlsxdim.Sheet(data)
		}
		w, err := z.zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return z.zw.Close()
}

// sheetParts maps each worksheet part's name to its sheet's name, reading
// the workbook part and its relationships as written.
func (z *cacheZip) sheetParts() (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for _, p := range z.parts {
		var err error
		switch p.name {
		case "xl/workbook.xml":
			err = xml.Unmarshal(p.buf.Bytes(), &wb)
		case "xl/_rels/workbook.xml.rels":
			err = xml.Unmarshal(p.buf.Bytes(), &rels)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		if t := target[s.RID]; t != "" {
			out[t] = s.Name
		}
	}
	return out, nil
}

// putResults writes each formula cell's result into a worksheet part as
// excelize serialised it: <c r="J5" s="7" t="str"><f>…</f></c>.
func putResults(data []byte, res func(ref string) (cached, bool)) ([]byte, error) {
	if !bytes.Contains(data, []byte("<f")) {
		return data, nil
	}
	var out bytes.Buffer
	out.Grow(len(data) + len(data)/8)
	rest := data
	for {
		i := bytes.Index(rest, []byte("<c "))
		if i < 0 {
			out.Write(rest)
			return out.Bytes(), nil
		}
		out.Write(rest[:i])
		rest = rest[i:]
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return nil, fmt.Errorf("unterminated cell")
		}
		start := rest[:end+1]
		if bytes.HasSuffix(start, []byte("/>")) {
			out.Write(start)
			rest = rest[end+1:]
			continue
		}
		close := bytes.Index(rest, []byte("</c>"))
		if close < 0 {
			return nil, fmt.Errorf("unterminated cell")
		}
		body := rest[end+1 : close]
		rest = rest[close+len("</c>"):]
		if !bytes.HasPrefix(body, []byte("<f")) {
			out.Write(start)
			out.Write(body)
			out.WriteString("</c>")
			continue
		}
		r, ok := res(attr(start, "r"))
		if !ok {
			out.Write(start)
			out.Write(body)
			out.WriteString("</c>")
			continue
		}
		formula, err := formulaElement(body)
		if err != nil {
			return nil, err
		}
		out.Write(withType(start, r.t))
		out.Write(formula)
		if r.v != "" {
			out.WriteString("<v>")
			xml.EscapeText(&out, []byte(r.v))
			out.WriteString("</v>")
		}
		out.WriteString("</c>")
	}
}

// formulaElement returns the <f> element at the start of a cell's body.
func formulaElement(body []byte) ([]byte, error) {
	gt := bytes.IndexByte(body, '>')
	if gt < 0 {
		return nil, fmt.Errorf("unterminated formula")
	}
	if body[gt-1] == '/' {
		return body[:gt+1], nil
	}
	end := bytes.Index(body, []byte("</f>"))
	if end < 0 {
		return nil, fmt.Errorf("unterminated formula")
	}
	return body[:end+len("</f>")], nil
}

// attr returns the value of attribute name in a start tag.
func attr(tag []byte, name string) string {
	key := []byte(" " + name + `="`)
	i := bytes.Index(tag, key)
	if i < 0 {
		return ""
	}
	v := tag[i+len(key):]
	j := bytes.IndexByte(v, '"')
	if j < 0 {
		return ""
	}
	return string(v[:j])
}

// withType rewrites a cell's start tag with type t ("" drops the attribute).
func withType(tag []byte, t string) []byte {
	out := append([]byte(nil), tag...)
	if i := bytes.Index(out, []byte(` t="`)); i >= 0 {
		j := bytes.IndexByte(out[i+4:], '"')
		out = append(out[:i], out[i+4+j+1:]...)
	}
	if t == "" {
		return out
	}
	gt := len(out) - 1
	return append(out[:gt], []byte(` t="`+t+`">`)...)
}
