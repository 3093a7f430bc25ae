package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"planrep/internal/xlsxdim"
)

// patchFeedback builds a feedback copy by patching the return's zip: the
// entries that do not change (shared strings, theme, the guide, custom
// properties, …) are copied as they are, still compressed; only the
// workbook, its relationships, the content types, the styles and the sheets
// whose cells are tinted are rewritten, and the 问题清单 sheet and the
// comments are added. It gives up (ok false) on whatever it does not
// handle — a copy that already has a 问题清单, comments of its own on a
// sheet to be marked, a cell to be marked that is not in the sheet — and
// the copy is then made with excelize.
func patchFeedback(data []byte, fb Feedback, corr *Correction) (out []byte, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	p, err := newPatch(data)
	if err != nil {
		return nil, false
	}
	if err := p.build(fb, corr); err != nil {
		return nil, false
	}
	out, err = p.write()
	if err != nil {
		return nil, false
	}
	return out, true
}

var errUnhandled = errors.New("not handled by the patch")

type zpatch struct {
	zr      *zip.Reader
	files   map[string]*zip.File
	changed map[string][]byte // entry → new content
	added   []string          // new entries, in order
	content map[string][]byte // new entries' content
	read    map[string][]byte // entries inflated so far, as they were
}

func newPatch(data []byte) (*zpatch, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	p := &zpatch{zr: zr, files: map[string]*zip.File{}, changed: map[string][]byte{}, content: map[string][]byte{}}
	for _, f := range zr.File {
		if _, dup := p.files[f.Name]; dup {
			return nil, errUnhandled
		}
		p.files[f.Name] = f
	}
	return p, nil
}

// get is an entry's current content (as changed, or inflated).
func (p *zpatch) get(name string) ([]byte, error) {
	if b, ok := p.changed[name]; ok {
		return b, nil
	}
	if b, ok := p.content[name]; ok {
		return b, nil
	}
	if b, ok := p.read[name]; ok {
		return b, nil
	}
	f := p.files[name]
	if f == nil {
		return nil, errUnhandled
	}
	if f.UncompressedSize64 > maxXMLPart {
		return nil, errUnhandled
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxXMLPart+1))
	if err != nil {
		return nil, err
	}
	if p.read == nil {
		p.read = map[string][]byte{}
	}
	p.read[name] = b[:len(b):len(b)] // an append by a caller copies
	return p.read[name], nil
}

func (p *zpatch) set(name string, b []byte) {
	if _, ok := p.files[name]; ok {
		p.changed[name] = b
		return
	}
	if _, ok := p.content[name]; !ok {
		p.added = append(p.added, name)
	}
	p.content[name] = b
}

// free finds an unused part name: prefix + n + suffix.
func (p *zpatch) free(prefix, suffix string) string {
	for n := 1; ; n++ {
		name := prefix + strconv.Itoa(n) + suffix
		if _, ok := p.files[name]; ok {
			continue
		}
		if _, ok := p.content[name]; ok {
			continue
		}
		return name
	}
}

// write copies every entry that did not change without recompressing it and
// writes the changed and the new ones.
func (p *zpatch) write() ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(p.zr.File)*1024 + 32<<10)
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, fastDeflate)
	for _, f := range p.zr.File {
		if b, ok := p.changed[f.Name]; ok {
			if err := xlsxdim.PutEntry(zw, f.Name, f.FileHeader, b); err != nil {
				return nil, err
			}
			continue
		}
		if err := xlsxdim.CopyEntry(zw, f); err != nil {
			return nil, err
		}
	}
	var stamp zip.FileHeader // new entries carry the time of the workbook part
	if f := p.files["xl/workbook.xml"]; f != nil {
		stamp = f.FileHeader
	}
	for _, name := range p.added {
		if err := xlsxdim.PutEntry(zw, name, stamp, p.content[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

const (
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relSheet  = nsRel + "/worksheet"
	relCmts   = nsRel + "/comments"
	relVML    = nsRel + "/vmlDrawing"
	ctSheet   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctCmts    = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	ctVML     = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	feedAlert = "FFFFC7CE" // the tint of a cell with a finding
)

type relEntry struct{ id, typ, target string }

// rels reads a relationships part.
func readRels(b []byte) ([]relEntry, error) {
	var doc struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	out := make([]relEntry, len(doc.Rel))
	for i, r := range doc.Rel {
		out[i] = relEntry{r.ID, r.Type, r.Target}
	}
	return out, nil
}

// freeRelID is an Id not used in rels.
func freeRelID(rels []relEntry) string {
	used := map[string]bool{}
	for _, r := range rels {
		used[r.id] = true
	}
	for n := len(rels) + 1; ; n++ {
		if id := "rId" + strconv.Itoa(n); !used[id] {
			return id
		}
	}
}

// insertBefore puts ins before the last occurrence of end in b.
func insertBefore(b []byte, end string, ins string) ([]byte, error) {
	i := bytes.LastIndex(b, []byte(end))
	if i < 0 {
		return nil, errUnhandled
	}
	out := make([]byte, 0, len(b)+len(ins))
	out = append(out, b[:i]...)
	out = append(out, ins...)
	return append(out, b[i:]...), nil
}

func attrEsc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

var (
	localSheetID = regexp.MustCompile(`localSheetId="(\d+)"`)
)

// build makes every change of a feedback copy.
func (p *zpatch) build(fb Feedback, corr *Correction) error {
	const wbPath = "xl/workbook.xml"
	wb, err := p.get(wbPath)
	if err != nil {
		return err
	}
	var doc struct {
		Sheets []struct {
			Name    string `xml:"name,attr"`
			SheetID int    `xml:"sheetId,attr"`
			RID     string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb, &doc); err != nil {
		return err
	}
	if !bytes.Contains(wb, []byte(`xmlns:r="`+nsRel+`"`)) || !bytes.Contains(wb, []byte("<sheets>")) {
		return errUnhandled
	}
	relsPath := "xl/_rels/workbook.xml.rels"
	rb, err := p.get(relsPath)
	if err != nil {
		return err
	}
	rels, err := readRels(rb)
	if err != nil {
		return err
	}
	sheetPart := map[string]string{}
	maxID := 0
	for _, s := range doc.Sheets {
		if strings.EqualFold(s.Name, IssuesSheet) {
			return errUnhandled
		}
		maxID = max(maxID, s.SheetID)
		if _, dup := sheetPart[s.Name]; dup {
			continue // the first sheet of a name is the one marked
		}
		for _, r := range rels {
			if r.id == s.RID && r.typ == relSheet {
				t := r.target
				if strings.HasPrefix(t, "/") {
					t = strings.TrimPrefix(path.Clean(t), "/")
				} else {
					t = path.Clean("xl/" + t)
				}
				sheetPart[s.Name] = t
				break
			}
		}
	}

	// The 问题清单 sheet, first.
	issuesPart := p.free("xl/worksheets/sheet", ".xml")
	rid := freeRelID(rels)
	st, err := p.styles(fb, sheetPart)
	if err != nil {
		return err
	}
	p.set(issuesPart, issuesSheetXML(fb, corr, st))
	sheetEl := fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="%s"/>`, IssuesSheet, maxID+1, rid)
	wb = bytes.Replace(wb, []byte("<sheets>"), []byte("<sheets>"+sheetEl), 1)
	wb = localSheetID.ReplaceAllFunc(wb, func(m []byte) []byte {
		n, _ := strconv.Atoi(string(localSheetID.FindSubmatch(m)[1]))
		return []byte(`localSheetId="` + strconv.Itoa(n+1) + `"`)
	})
	wb, _ = dropAttr(wb, digits, "activeTab", "firstSheet")
	if i := bytes.Index(wb, []byte("<workbookView")); i >= 0 {
		at := i + len("<workbookView")
		wb = append(wb[:at:at], append([]byte(` activeTab="0"`), wb[at:]...)...)
	}
	p.set(wbPath, wb)
	rb, err = insertBefore(rb, "</Relationships>", fmt.Sprintf(`<Relationship Id="%s" Type="%s" Target="/%s"/>`, rid, relSheet, issuesPart))
	if err != nil {
		return err
	}
	p.set(relsPath, rb)
	ct, err := p.get("[Content_Types].xml")
	if err != nil {
		return err
	}
	types := fmt.Sprintf(`<Override PartName="/%s" ContentType="%s"/>`, issuesPart, ctSheet)

	// Other sheets lose their selection: only 问题清单 is selected.
	for _, s := range doc.Sheets {
		part, ok := sheetPart[s.Name]
		if !ok {
			continue
		}
		b, err := p.get(part)
		if err != nil {
			return err
		}
		if nb, changed := dropAttr(b, func(v []byte) bool { return string(v) == "1" || string(v) == "true" }, "tabSelected"); changed {
			p.set(part, nb)
		}
	}

	// Tint and comment each cell with findings.
	type mark struct {
		ref  string
		text []string
	}
	marks := map[string][]*mark{}
	var sheetsMarked []string
	for _, x := range fb.Findings {
		if x.Sheet == "" || x.Cell == "" {
			continue
		}
		if _, ok := sheetPart[x.Sheet]; !ok {
			continue
		}
		var m *mark
		for _, old := range marks[x.Sheet] {
			if old.ref == x.Cell {
				m = old
			}
		}
		if m == nil {
			if marks[x.Sheet] == nil {
				sheetsMarked = append(sheetsMarked, x.Sheet)
			}
			m = &mark{ref: x.Cell}
			marks[x.Sheet] = append(marks[x.Sheet], m)
		}
		m.text = append(m.text, x.Severity.Label()+"："+x.Message)
	}
	vmlDefault := bytes.Contains(ct, []byte(`Extension="vml"`))
	for k, name := range sheetsMarked {
		part := sheetPart[name]
		b, err := p.get(part)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("<legacyDrawing")) || !bytes.Contains(b[:min(len(b), 2048)], []byte(`xmlns:r="`+nsRel+`"`)) {
			return errUnhandled
		}
		refs := make([]string, len(marks[name]))
		for i, m := range marks[name] {
			refs[i] = m.ref
		}
		if b, err = restyle(b, refs, st); err != nil {
			return err
		}
		// The comments and their drawing.
		srels := path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
		var sr []relEntry
		srb := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`)
		if _, exists := p.files[srels]; exists {
			if srb, err = p.get(srels); err != nil {
				return err
			}
			if sr, err = readRels(srb); err != nil {
				return err
			}
			for _, r := range sr {
				if r.typ == relCmts || r.typ == relVML {
					return errUnhandled
				}
			}
		}
		cmPart := p.free("xl/comments", ".xml")
		vmlPart := p.free("xl/drawings/vmlDrawing", ".vml")
		vid := freeRelID(sr)
		cid := freeRelID(append(sr, relEntry{id: vid}))
		srb, err = insertBefore(srb, "</Relationships>", fmt.Sprintf(`<Relationship Id="%s" Type="%s" Target="/%s"/><Relationship Id="%s" Type="%s" Target="/%s"/>`,
			vid, relVML, vmlPart, cid, relCmts, cmPart))
		if err != nil {
			return err
		}
		p.set(srels, srb)
		b, err = insertLegacyDrawing(b, vid)
		if err != nil {
			return err
		}
		p.set(part, b)
		var cm, vml strings.Builder
		cm.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<comments xmlns="` + nsMain + `"><authors><author>市发展改革委</author></authors><commentList>`)
		vml.WriteString(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">`)
		idmap := 1000 + k
		fmt.Fprintf(&vml, `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%d"/></o:shapelayout>`, idmap)
		vml.WriteString(`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`)
		for i, m := range marks[name] {
			text := strings.Join(m.text, "\n")
			if utf8.RuneCountInString(text) > 30000 {
				text = string([]rune(text)[:30000])
			}
			var t bytes.Buffer
			xml.EscapeText(&t, []byte(text))
			fmt.Fprintf(&cm, `<comment ref="%s" authorId="0"><text><t xml:space="preserve">%s</t></text></comment>`, attrEsc(m.ref), t.String())
			col, row, err := excelize.CellNameToCoordinates(m.ref)
			if err != nil {
				return errUnhandled
			}
			fmt.Fprintf(&vml, `<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:320pt;height:140pt;z-index:%d;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`+
				`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`+
				`<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>%d, 15, %d, 2, %d, 15, %d, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>`,
				idmap*1024+i+1, i+1, col, max(row-2, 0), col+4, row+7, row-1, col-1)
		}
		cm.WriteString(`</commentList></comments>`)
		vml.WriteString(`</xml>`)
		p.set(cmPart, []byte(cm.String()))
		p.set(vmlPart, []byte(vml.String()))
		types += fmt.Sprintf(`<Override PartName="/%s" ContentType="%s"/>`, cmPart, ctCmts)
		if !vmlDefault {
			types += `<Default Extension="vml" ContentType="` + ctVML + `"/>`
			vmlDefault = true
		}
	}
	ct, err = insertBefore(ct, "</Types>", types)
	if err != nil {
		return err
	}
	p.set("[Content_Types].xml", ct)
	return nil
}

// dropAttr removes each attribute of one of the names (none a prefix of
// another), with the white space before it, whose value ok accepts, as the
// regular expression \s(name1|name2…)="v" would find them; changed says one
// was.
func dropAttr(b []byte, ok func(v []byte) bool, names ...string) (out []byte, changed bool) {
	last := 0
	for i := 0; ; {
		at, key := -1, ""
		for _, n := range names {
			if k := bytes.Index(b[i:], []byte(n+`="`)); k >= 0 && (at < 0 || i+k < at) {
				at, key = i+k, n+`="`
			}
		}
		if at < 0 {
			break
		}
		i = at + 1
		if at == 0 || !isRegexpSpace(b[at-1]) {
			continue
		}
		end := bytes.IndexByte(b[at+len(key):], '"')
		if end < 0 {
			break
		}
		if !ok(b[at+len(key) : at+len(key)+end]) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:at-1]...)
		last = at + len(key) + end + 1
		i = last
	}
	if out == nil {
		return b, false
	}
	return append(out, b[last:]...), true
}

// isRegexpSpace is the \s class of Go's regular expressions.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// digits accepts a value of one or more ASCII digits.
func digits(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// insertLegacyDrawing puts the comments' drawing where the schema wants it:
// before the elements that must follow it, or at the end.
func insertLegacyDrawing(b []byte, rid string) ([]byte, error) {
	el := `<legacyDrawing r:id="` + rid + `"/>`
	at := -1
	from := max(bytes.Index(b, []byte("</sheetData>")), 0) // they follow the cells
	for _, next := range []string{"<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts", "<extLst"} {
		if i := bytes.Index(b[from:], []byte(next)); i >= 0 && (at < 0 || from+i < at) {
			at = from + i
		}
	}
	if at < 0 {
		return insertBefore(b, "</worksheet>", el)
	}
	out := make([]byte, 0, len(b)+len(el))
	out = append(out, b[:at]...)
	out = append(out, el...)
	return append(out, b[at:]...), nil
}

// feedStyles are the cell formats a feedback copy adds.
type feedStyles struct {
	title, head, wrap, num, corr int
	alert                        map[int]int // a cell's format → the same with the alert tint
}

var (
	cellStyle = regexp.MustCompile(`\ss="(\d+)"`)
	fillIDAt  = regexp.MustCompile(`\sfillId="\d+"`)
	applyFill = regexp.MustCompile(`\sapplyFill="[^"]*"`)
	countAttr = regexp.MustCompile(`\scount="\d+"`)
)

// findCells finds, in one pass over a sheet, where the start tag of each
// cell of refs first appears: the offset of its `<c r="ref"`, as
// bytes.Index would find it.
func findCells(b []byte, refs map[string]bool) map[string]int {
	at := make(map[string]int, len(refs))
	key := []byte(`<c r="`)
	for i := 0; len(at) < len(refs); {
		k := bytes.Index(b[i:], key)
		if k < 0 {
			break
		}
		start := i + k
		i = start + 1
		v := b[start+len(key):]
		q := bytes.IndexByte(v, '"')
		if q < 0 {
			break
		}
		if ref := v[:q]; refs[string(ref)] {
			if _, seen := at[string(ref)]; !seen {
				at[string(ref)] = start
			}
		}
	}
	return at
}

// tagAt is the start tag of the cell ref found by findCells: the offsets
// of "<c" and of its ">", or -1, -1.
func tagAt(b []byte, at map[string]int, ref string) (int, int) {
	i, ok := at[ref]
	if !ok {
		return -1, -1
	}
	j := bytes.IndexByte(b[i:], '>')
	if j < 0 {
		return -1, -1
	}
	return i, i + j
}

// restyle gives each cell of refs (all different) its format with the
// alert tint, in one copy of the sheet.
func restyle(b []byte, refs []string, st *feedStyles) ([]byte, error) {
	type edit struct {
		i, j int
		tag  []byte
	}
	edits := make([]edit, 0, len(refs))
	grow := 0
	want := make(map[string]bool, len(refs))
	for _, ref := range refs {
		want[ref] = true
	}
	at := findCells(b, want)
	for _, ref := range refs {
		i, j := tagAt(b, at, ref)
		if i < 0 {
			return nil, errUnhandled
		}
		tag := b[i:j]
		old := 0
		m := cellStyle.FindSubmatchIndex(tag)
		if m != nil {
			old, _ = strconv.Atoi(string(tag[m[2]:m[3]]))
		}
		id, ok := st.alert[old]
		if !ok {
			return nil, errUnhandled
		}
		var nt []byte
		if m != nil {
			nt = cellStyle.ReplaceAll(tag, []byte(` s="`+strconv.Itoa(id)+`"`))
		} else {
			nt = append([]byte(`<c r="`+ref+`" s="`+strconv.Itoa(id)+`"`), tag[len(`<c r="`+ref+`"`):]...)
		}
		edits = append(edits, edit{i, j, nt})
		grow += len(nt) - len(tag)
	}
	sort.Slice(edits, func(a, c int) bool { return edits[a].i < edits[c].i })
	out := make([]byte, 0, len(b)+max(grow, 0))
	last := 0
	for _, e := range edits {
		if e.i < last {
			return nil, errUnhandled
		}
		out = append(append(out, b[last:e.i]...), e.tag...)
		last = e.j
	}
	return append(out, b[last:]...), nil
}

// styles adds the formats of the 问题清单 sheet and, for each format a
// marked cell has, the same format tinted.
func (p *zpatch) styles(fb Feedback, sheetPart map[string]string) (*feedStyles, error) {
	const part = "xl/styles.xml"
	b, err := p.get(part)
	if err != nil {
		return nil, err
	}
	lay, err := styleLayoutOf(b)
	if err != nil {
		return nil, err
	}
	fonts, fills, xfs, fontName := lay.fonts, lay.fills, lay.xfs, lay.fontName
	nFonts, nFills, nXfs := len(fonts.items), len(fills.items), len(xfs.items)
	st := &feedStyles{alert: map[int]int{}}
	var newXfs []string
	addXf := func(s string) int {
		newXfs = append(newXfs, s)
		return nXfs + len(newXfs) - 1
	}
	st.title = addXf(fmt.Sprintf(`<xf numFmtId="0" fontId="%d" fillId="0" borderId="0" xfId="0" applyFont="1"/>`, nFonts))
	st.head = addXf(fmt.Sprintf(`<xf numFmtId="0" fontId="%d" fillId="%d" borderId="0" xfId="0" applyFont="1" applyFill="1"/>`, nFonts+1, nFills))
	st.wrap = addXf(`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`)
	st.num = addXf(`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>`)
	st.corr = addXf(fmt.Sprintf(`<xf numFmtId="0" fontId="%d" fillId="0" borderId="0" xfId="0" applyFont="1"/>`, nFonts+2))
	alertFill := nFills + 1
	// The formats of the cells to be marked, in the order met.
	sheets := map[string][]byte{}
	wanted := map[string]map[string]bool{}
	for _, x := range fb.Findings {
		if x.Sheet == "" || x.Cell == "" || sheetPart[x.Sheet] == "" {
			continue
		}
		if _, ok := sheets[x.Sheet]; !ok {
			if sheets[x.Sheet], err = p.get(sheetPart[x.Sheet]); err != nil {
				return nil, err
			}
			wanted[x.Sheet] = map[string]bool{}
		}
		wanted[x.Sheet][x.Cell] = true
	}
	tags := map[string]map[string]int{}
	for name, refs := range wanted {
		tags[name] = findCells(sheets[name], refs)
	}
	for _, x := range fb.Findings {
		if x.Sheet == "" || x.Cell == "" || sheetPart[x.Sheet] == "" {
			continue
		}
		sb := sheets[x.Sheet]
		i, j := tagAt(sb, tags[x.Sheet], x.Cell)
		if i < 0 {
			return nil, errUnhandled
		}
		old := 0
		if m := cellStyle.FindSubmatch(sb[i:j]); m != nil {
			old, _ = strconv.Atoi(string(m[1]))
		}
		if _, done := st.alert[old]; done {
			continue
		}
		base := `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`
		if old < nXfs {
			base = string(b[xfs.items[old][0]:xfs.items[old][1]])
		}
		st.alert[old] = addXf(tint(base, alertFill))
	}
	var out bytes.Buffer
	out.Grow(len(b) + 1024)
	last := 0
	put := func(sec *xmlSection, extra string, n int) {
		out.Write(b[last:sec.open[0]])
		out.Write(countAttr.ReplaceAll(b[sec.open[0]:sec.open[1]], []byte(` count="`+strconv.Itoa(n)+`"`)))
		out.Write(b[sec.open[1]:sec.close])
		out.WriteString(extra)
		last = sec.close
	}
	put(fonts, fmt.Sprintf(`<font><b/><sz val="13"/><color rgb="FFC00000"/><name val="%s"/></font><font><b/><sz val="11"/><name val="%s"/></font><font><b/><sz val="12"/><color rgb="FF1F4E79"/><name val="%s"/></font>`, attrEsc(fontName), attrEsc(fontName), attrEsc(fontName)), nFonts+3)
	put(fills, `<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="`+feedAlert+`"/><bgColor indexed="64"/></patternFill></fill>`, nFills+2)
	put(xfs, strings.Join(newXfs, ""), nXfs+len(newXfs))
	out.Write(b[last:])
	p.set(part, out.Bytes())
	return st, nil
}

// styleLayout is where the lists a feedback copy extends are in a styles
// part, and the name of its first font.
type styleLayout struct {
	fonts, fills, xfs *xmlSection
	fontName          string
}

// styleLayouts remembers the layout of the styles parts met: the returns of
// one round mostly share their styles, byte for byte, and finding the lists
// costs more than the rest of a copy's styles.
var styleLayouts = struct {
	sync.Mutex
	m map[string]*styleLayout
}{m: map[string]*styleLayout{}}

func styleLayoutOf(b []byte) (*styleLayout, error) {
	styleLayouts.Lock()
	lay := styleLayouts.m[string(b)]
	styleLayouts.Unlock()
	if lay != nil {
		return lay, nil
	}
	lay = &styleLayout{fontName: "宋体"}
	var err error
	if lay.fonts, err = section(b, "fonts"); err != nil {
		return nil, err
	}
	if len(lay.fonts.items) > 0 {
		if m := fontNameAttr.FindSubmatch(b[lay.fonts.items[0][0]:lay.fonts.items[0][1]]); m != nil {
			lay.fontName = string(m[1])
		}
	}
	if lay.fills, err = section(b, "fills"); err != nil {
		return nil, err
	}
	if lay.xfs, err = section(b, "cellXfs"); err != nil {
		return nil, err
	}
	styleLayouts.Lock()
	if len(styleLayouts.m) >= 256 { // a round of many different styles: start afresh
		clear(styleLayouts.m)
	}
	styleLayouts.m[string(b)] = lay
	styleLayouts.Unlock()
	return lay, nil
}

var fontNameAttr = regexp.MustCompile(`<name val="([^"]*)"`)

// tint is a cell format with the alert fill.
func tint(xf string, fill int) string {
	end := strings.IndexByte(xf, '>')
	if end < 0 {
		return xf
	}
	if xf[end-1] == '/' {
		end--
	}
	tag := xf[:end]
	tag = fillIDAt.ReplaceAllString(tag, "")
	tag = applyFill.ReplaceAllString(tag, "")
	return tag + ` fillId="` + strconv.Itoa(fill) + `" applyFill="1"` + xf[end:]
}

// xmlSection is a list element of the styles: its start tag, its items and
// where its end tag begins.
type xmlSection struct {
	open  [2]int   // the start tag
	items [][2]int // each child element
	close int      // the end tag's "<"
}

// section finds the list element name (fonts, fills, cellXfs) and its children.
func section(b []byte, name string) (*xmlSection, error) {
	i := bytes.Index(b, []byte("<"+name+" "))
	if i < 0 {
		i = bytes.Index(b, []byte("<"+name+">"))
	}
	if i < 0 {
		return nil, errUnhandled
	}
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 || b[i+gt-1] == '/' {
		return nil, errUnhandled
	}
	s := &xmlSection{open: [2]int{i, i + gt + 1}}
	d := xml.NewDecoder(bytes.NewReader(b[s.open[1]:]))
	depth, start := 0, 0
	for {
		off := int(d.InputOffset())
		t, err := d.RawToken()
		if err != nil {
			return nil, errUnhandled
		}
		switch t.(type) {
		case xml.StartElement:
			if depth == 0 {
				start = off
			}
			depth++
		case xml.EndElement:
			if depth == 0 {
				s.close = s.open[1] + off
				sort.SliceStable(s.items, func(a, c int) bool { return s.items[a][0] < s.items[c][0] })
				return s, nil
			}
			depth--
			if depth == 0 {
				s.items = append(s.items, [2]int{s.open[1] + start, s.open[1] + int(d.InputOffset())})
			}
		}
	}
}

// issuesSheetXML is the 问题清单 sheet: a title, a heading row and one row a
// finding, frozen below the heading, landscape A4 fitted to the width.
// A correction (the department resent its return) is listed below, as
// addCorrectionRows lists it.
func issuesSheetXML(fb Feedback, corr *Correction, st *feedStyles) []byte {
	heads := []string{"序号", "级别", "代码", "工作表", "单元格", "指标编号", "问题说明"}
	widths := []float64{6, 7, 7, 10, 8, 12, 80}
	var b bytes.Buffer
	last := len(fb.Findings) + 2
	if corr != nil {
		last += 2 + len(corr.Changes)
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<worksheet xmlns="%s" xmlns:r="%s"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:G%d"/>`+
		`<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>`+
		`<sheetFormatPr defaultRowHeight="15"/><cols>`, nsMain, nsRel, last)
	for i, w := range widths {
		fmt.Fprintf(&b, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, w)
	}
	b.WriteString(`</cols><sheetData>`)
	str := func(ref string, style int, s string) {
		fmt.Fprintf(&b, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">`, ref, style)
		xml.EscapeText(&b, []byte(s))
		b.WriteString(`</t></is></c>`)
	}
	b.WriteString(`<row r="1">`)
	str("A1", st.title, "本表存在以下问题，请逐条修改后重新报送（有颜色标记的单元格带有批注；修改完成后可保留本工作表）")
	b.WriteString(`</row><row r="2">`)
	for i, h := range heads {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		str(ref, st.head, h)
	}
	b.WriteString(`</row>`)
	for i, x := range fb.Findings {
		row := i + 3
		fmt.Fprintf(&b, `<row r="%d" ht="%g" customHeight="1"><c r="A%d" s="%d"><v>%d</v></c>`, row, 15*float64(wrappedLines(x.Message, widths[len(widths)-1])), row, st.num, i+1)
		for j, v := range []string{x.Severity.Label(), x.Code, x.Sheet, x.Cell, x.Target, x.Message} {
			ref, _ := excelize.CoordinatesToCellName(j+2, row)
			if v == "" {
				continue
			}
			str(ref, st.wrap, v)
		}
		b.WriteString(`</row>`)
	}
	if corr != nil {
		row := len(fb.Findings) + 4
		head := fmt.Sprintf("与上次报送的 %s", baseName(corr.Previous))
		if corr.PreviousFilled != "" {
			head += fmt.Sprintf("（填报日期 %s）", corr.PreviousFilled)
		}
		fmt.Fprintf(&b, `<row r="%d">`, row)
		str(fmt.Sprintf("A%d", row), st.corr, fmt.Sprintf("%s相比，本次更正了以下 %d 项：", head, len(corr.Changes)))
		b.WriteString(`</row>`)
		for i, ch := range corr.Changes {
			row++
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" s="%d"><v>%d</v></c>`, row, row, st.num, i+1)
			for j, v := range []string{"更正", "", ch.Sheet, ch.Cell, ch.Target, changeText(ch)} {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(j+2, row)
				str(ref, st.wrap, v)
			}
			b.WriteString(`</row>`)
		}
	}
	b.WriteString(`</sheetData><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>`)
	return b.Bytes()
}

// fastDeflate compresses the parts a feedback copy rewrites at flate's best
// speed: they are a few KB each, and the copy is made once.
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
