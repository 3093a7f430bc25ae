// Package xlsxstream reads the parts of an .xlsx workbook that a return's
// checks need, in one pass over its zip: every entry is inflated once with
// its CRC checked as it is read, and only the workbook, its relationships,
// the shared strings, the number formats of the styles, the custom document
// properties and the sheets asked for are parsed, with encoding/xml's token
// reader. Everything else (themes, fonts, drawings, unknown parts) is only
// inflated, for its CRC. Cells read as excelize's raw cell values do, so a
// reader built on this package sees what one built on excelize saw.
//
// A part that is not needed is never fatal, however odd. A needed part that
// cannot be parsed is: the workbook and its relationships make the package
// unreadable (ErrMalformed); a sheet or the shared strings make that sheet
// unreadable (Sheet.Err); the custom properties make them absent.
package xlsxstream

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
)

// Errors of Read; the package's problem is wrapped in an *Error.
var (
	ErrCorrupt   = errors.New("xlsxstream: the zip is damaged or an entry fails its CRC")
	ErrTooLarge  = errors.New("xlsxstream: the package inflates beyond the limit")
	ErrMalformed = errors.New("xlsxstream: the workbook part or its relationships cannot be parsed")
)

// Error says which part a problem was found in.
type Error struct {
	Part string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Part, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Package is an opened zip whose central directory was read; nothing was
// inflated yet.
type Package struct {
	zr      *zip.Reader
	byName  map[string]*zip.File // normalised name → entry (the last of a name)
	has     map[string]bool      // names as stored
	declare uint64
	bigXML  uint64
}

// Open reads the central directory of data.
func Open(data []byte) (*Package, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &Error{Part: "zip", Err: ErrCorrupt}
	}
	p := &Package{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), has: make(map[string]bool, len(zr.File))}
	for _, f := range zr.File {
		p.declare += f.UncompressedSize64
		if strings.HasSuffix(strings.ToLower(f.Name), ".xml") && f.UncompressedSize64 > p.bigXML {
			p.bigXML = f.UncompressedSize64
		}
		p.has[f.Name] = true
		p.byName[partName(f.Name)] = f
	}
	return p, nil
}

// partName is an entry's name as excelize files it: backslashes made
// forward, the content types and shared strings found in any case.
func partName(name string) string {
	n := strings.ReplaceAll(name, "\\", "/")
	switch strings.ToLower(n) {
	case "[content_types].xml":
		return "[Content_Types].xml"
	case "xl/sharedstrings.xml":
		return "xl/sharedStrings.xml"
	}
	return n
}

// Has reports whether an entry of exactly this name is in the package.
func (p *Package) Has(name string) bool { return p.has[name] }

// Names lists the entries' names as stored, in the zip's order.
func (p *Package) Names() []string {
	out := make([]string, len(p.zr.File))
	for i, f := range p.zr.File {
		out[i] = f.Name
	}
	return out
}

// Declared is the sum of the entries' declared uncompressed sizes.
func (p *Package) Declared() uint64 { return p.declare }

// BiggestXML is the largest declared uncompressed size of a .xml entry.
func (p *Package) BiggestXML() uint64 { return p.bigXML }

// Options say what to read.
type Options struct {
	// Limit bounds the bytes inflated from all entries together.
	Limit int64
	// Sheets are the sheets whose cells are read (matched as excelize
	// matches sheet names, regardless of case).
	Sheets []string
	// StdXML reads every part with encoding/xml's token reader alone,
	// never with the package's own tokenizer: the reader that one is
	// proven equal to.
	StdXML bool
}

// Book is what was read of a workbook.
type Book struct {
	// SheetNames are the workbook's sheets, in its order.
	SheetNames []string
	// Props are the custom document properties; PropsErr says they could
	// not be read (excelize would have returned an error, so none are used).
	Props    []Prop
	PropsErr bool
	// PropsPanic says a property has a type excelize panics on (an
	// unsigned integer).
	PropsPanic bool

	sheets map[string]*Sheet // lower-cased name → sheet read
	styles []byte            // xl/styles.xml, parsed on first use
	fmts   *numFormats
	once   sync.Once
	std    bool
}

// Prop is a custom document property, its value as excelize gives it.
type Prop struct {
	Name  string
	Value any // string, int32, float64, bool, time.Time or nil
}

// HasSheet reports whether the workbook lists a sheet of that name
// (regardless of case).
func (b *Book) HasSheet(name string) bool {
	for _, s := range b.SheetNames {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// Sheet is a sheet that was asked for, or nil when the workbook has none of
// that name.
func (b *Book) Sheet(name string) *Sheet {
	if !b.HasSheet(name) {
		return nil
	}
	if s := b.sheets[strings.ToLower(name)]; s != nil {
		return s
	}
	return &Sheet{Name: name, Err: errors.New("sheet not read"), Absent: true}
}

// pool holds the buffers entries are inflated into.
var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// reader inflates the package's entries, each once, counting against the limit.
type reader struct {
	p     *Package
	limit int64
	total int64
	done  map[*zip.File]bool
	bufs  []*bytes.Buffer
}

// read inflates one entry whole (CRC checked) and returns its bytes, valid
// until the reader is released; ok is false when there is no such entry.
func (r *reader) read(name string) (data []byte, ok bool, err error) {
	f := r.p.byName[name]
	if f == nil || f.FileInfo().IsDir() {
		return nil, false, nil
	}
	if r.done[f] {
		return nil, false, nil
	}
	r.done[f] = true
	buf := pool.Get().(*bytes.Buffer)
	buf.Reset()
	r.bufs = append(r.bufs, buf)
	if err := r.inflate(f, buf); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), true, nil
}

// inflate reads an entry to its end into w (io.Discard for a part not
// needed), so that archive/zip checks its CRC and its declared length.
func (r *reader) inflate(f *zip.File, w io.Writer) error {
	rc, err := f.Open()
	if err != nil {
		return &Error{Part: f.Name, Err: ErrCorrupt}
	}
	defer rc.Close()
	if b, ok := w.(*bytes.Buffer); ok && f.UncompressedSize64 < uint64(r.limit) {
		b.Grow(int(f.UncompressedSize64) + bytes.MinRead)
	}
	lr := &io.LimitedReader{R: rc, N: r.limit - r.total + 1}
	n, err := copyBuf(w, lr)
	r.total += n
	if r.total > r.limit {
		return &Error{Part: f.Name, Err: ErrTooLarge}
	}
	if err != nil {
		return &Error{Part: f.Name, Err: ErrCorrupt}
	}
	return nil
}

var copyPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func copyBuf(w io.Writer, r io.Reader) (int64, error) {
	if b, ok := w.(*bytes.Buffer); ok {
		return b.ReadFrom(r)
	}
	bp := copyPool.Get().(*[]byte)
	defer copyPool.Put(bp)
	return io.CopyBuffer(w, r, *bp)
}

func (r *reader) release() {
	for _, b := range r.bufs {
		if b.Cap() <= 1<<20 {
			pool.Put(b)
		}
	}
	r.bufs = nil
}

// Read inflates every entry of the package once and parses what opt asks for.
func (p *Package) Read(opt Options) (book *Book, err error) {
	r := &reader{p: p, limit: opt.Limit, done: make(map[*zip.File]bool, len(p.zr.File))}
	if r.limit <= 0 {
		r.limit = 1 << 62
	}
	defer r.release()
	book, err = r.parse(opt)
	if err != nil && !errors.Is(err, ErrMalformed) {
		return nil, err
	}
	// Every other entry: inflated for its CRC and its length only. A damaged
	// entry is reported before a part that could not be parsed.
	for _, f := range p.zr.File {
		if r.done[f] || f.FileInfo().IsDir() {
			continue
		}
		r.done[f] = true
		if err := r.inflate(f, io.Discard); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	return book, nil
}

// parse reads the parts opt asks for.
func (r *reader) parse(opt Options) (*Book, error) {
	book := &Book{sheets: map[string]*Sheet{}, std: opt.StdXML}

	// The workbook part, found as excelize finds it.
	wbPath := "xl/workbook.xml"
	if data, ok, err := r.read("_rels/.rels"); err != nil {
		return nil, err
	} else if ok {
		rels, err := parseRels(data, opt.StdXML)
		if err != nil {
			return nil, &Error{Part: "_rels/.rels", Err: ErrMalformed}
		}
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, "/officeDocument") {
				wbPath = strings.TrimPrefix(rel.Target, "/")
				break
			}
		}
	}
	data, ok, err := r.read(wbPath)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &Error{Part: wbPath, Err: ErrMalformed}
	}
	wbSheets, err := parseWorkbook(data, opt.StdXML)
	if err != nil {
		return nil, &Error{Part: wbPath, Err: ErrMalformed}
	}
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	var rels []rel
	if data, ok, err := r.read(relsPath); err != nil {
		return nil, err
	} else if ok {
		if rels, err = parseRels(data, opt.StdXML); err != nil {
			return nil, &Error{Part: relsPath, Err: ErrMalformed}
		}
	}
	sheetPath := map[string]string{} // lower-cased name → part
	for _, s := range wbSheets {
		book.SheetNames = append(book.SheetNames, s.name)
		for _, rl := range rels {
			if rl.ID == s.rid {
				if p := worksheetPath(wbPath, rl.Target); r.p.byName[p] != nil {
					sheetPath[strings.ToLower(s.name)] = p
				}
			}
		}
	}

	// Shared strings, before the sheets that point into them.
	var sst []string
	var sstErr error
	if data, ok, err := r.read("xl/sharedStrings.xml"); err != nil {
		return nil, err
	} else if ok {
		sst, sstErr = parseSST(data, opt.StdXML)
	}
	if data, ok, err := r.read("xl/styles.xml"); err != nil {
		return nil, err
	} else if ok {
		book.styles = bytes.Clone(data)
	}
	if data, ok, err := r.read("docProps/custom.xml"); err != nil {
		return nil, err
	} else if ok {
		book.Props, book.PropsErr, book.PropsPanic = parseProps(data, opt.StdXML)
	}
	for _, name := range opt.Sheets {
		key := strings.ToLower(name)
		if !book.HasSheet(name) || book.sheets[key] != nil {
			continue
		}
		sh := &Sheet{Name: name}
		book.sheets[key] = sh
		p, ok := sheetPath[key]
		switch {
		case !ok:
			sh.Err, sh.Absent = errors.New("the sheet's part is missing"), true
			continue
		case strings.HasPrefix(p, "xl/chartsheets") || strings.HasPrefix(p, "xl/dialogsheet") || strings.HasPrefix(p, "xl/macrosheet"):
			sh.Err, sh.Absent = errors.New("not a worksheet"), true
			continue
		}
		data, _, err := r.read(p)
		if err != nil {
			return nil, err
		}
		if sstErr != nil {
			sh.Err = sstErr
			continue
		}
		parseSheet(sh, data, sst, opt.StdXML)
	}
	return book, nil
}

// worksheetPath resolves a relationship's target as excelize does.
func worksheetPath(wbPath, target string) string {
	t := strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(t, "/") {
		return strings.TrimPrefix(path.Clean(t), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir(wbPath)+"/"+t), "/")
}
