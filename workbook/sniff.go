package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"

	"planrep/plan"
)

// fileProblem is why a file cannot be read as a workbook: a finding code and
// a message that says what is wrong with this file in particular.
type fileProblem struct {
	Code    string
	Message string
	Dept    string // the department the file names, when it can be told
}

func (p *fileProblem) Error() string { return p.Message }

func problem(code, format string, args ...any) *fileProblem {
	return &fileProblem{Code: code, Message: fmt.Sprintf(format, args...)}
}

// maxXMLPart bounds each XML part of a workbook (a sheet, the shared strings):
// a template's are a few hundred KB at most.
const maxXMLPart = 16 << 20

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// checkPackage decides whether data is an Office Open XML workbook that can
// safely be handed to excelize: it tells the usual wrong files apart (old
// .xls, encrypted workbooks, WPS, CSV, PDF, Word documents, empty files), reads
// every zip entry with its CRC checked (excelize opens a damaged package
// without complaint) and enforces the decompressed-size limit. It reports
// whether the package holds external links.
func checkPackage(name string, data []byte, limit int64) (externalLinks bool, p *fileProblem) {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case len(data) == 0:
		return false, problem(plan.FileEmpty, "文件为空（0 字节），可能在传输中损坏：请重新发送")
	case bytes.HasPrefix(data, oleMagic):
		return false, checkOLE(ext, data)
	case bytes.HasPrefix(data, []byte("%PDF")):
		return false, problem(plan.FilePDF, "这是 PDF 文件，不是 Excel 工作簿：请报送填好的 .xlsx 模板原件")
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return checkZip(data, limit)
	case ext == ".et" || ext == ".ett":
		return false, problem(plan.FileWPS, "这是 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case looksText(data):
		if ext == ".csv" || bytes.Count(data[:min(len(data), 4096)], []byte(",")) > 0 {
			return false, problem(plan.FileText, "这是 CSV 文本文件，不是 Excel 工作簿：请在下发的 .xlsx 模板中填写后报送")
		}
		return false, problem(plan.FileText, "这是文本文件，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	return false, problem(plan.FileUnknown, "无法识别的文件类型（不是 Excel 工作簿）：请报送下发的 .xlsx 填报模板")
}

// checkOLE tells apart the compound-document formats: an encrypted OOXML
// workbook carries an EncryptionInfo stream, a .xls a Workbook or Book
// stream, a Word document a WordDocument stream.
func checkOLE(ext string, data []byte) (p *fileProblem) {
	defer func() {
		if recover() != nil {
			p = problem(plan.FileCorrupt, "文件已损坏（复合文档结构无法读取）：请用 Excel 或 WPS 打开确认后重新保存报送")
		}
	}()
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return problem(plan.FileCorrupt, "文件已损坏（复合文档结构无法读取）：请用 Excel 或 WPS 打开确认后重新保存报送")
	}
	streams := map[string]bool{}
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		streams[e.Name] = true
		if len(streams) > 10000 {
			break
		}
	}
	switch {
	case streams["EncryptionInfo"] || streams["EncryptedPackage"]:
		return problem(plan.FileEncrypted, "文件设有打开密码：请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空后确定），保存后重新报送")
	case ext == ".et" || ext == ".ett":
		return problem(plan.FileWPS, "这是 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case streams["Workbook"] || streams["Book"]:
		return problem(plan.FileOldExcel, "这是旧版 Excel 97-2003（.xls）文件：请在下发的 .xlsx 模板中填写，或用 Excel/WPS“另存为”Excel 工作簿（*.xlsx）后重新报送")
	case streams["WordDocument"]:
		return problem(plan.FileNotWorkbook, "这是 Word 文档，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case streams["PowerPoint Document"]:
		return problem(plan.FileNotWorkbook, "这是 PowerPoint 文档，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	return problem(plan.FileUnknown, "这是一个 Office 复合文档，但不是可读取的 Excel 工作簿：请报送下发的 .xlsx 填报模板")
}

// checkZip verifies an OOXML package entry by entry.
func checkZip(data []byte, limit int64) (externalLinks bool, p *fileProblem) {
	corrupt := problem(plan.FileCorrupt, "文件已损坏（压缩结构不完整或校验失败），可能在传输中损坏：请用 Excel 或 WPS 打开确认后重新保存报送")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return false, corrupt
	}
	var declared, biggestXML uint64
	has := map[string]bool{}
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if strings.HasSuffix(strings.ToLower(f.Name), ".xml") && f.UncompressedSize64 > biggestXML {
			biggestXML = f.UncompressedSize64
		}
		has[f.Name] = true
		if strings.HasPrefix(f.Name, "xl/externalLinks/") {
			externalLinks = true
		}
	}
	tooBig := problem(plan.FileTooLarge, "文件解压后超过 %d MB 的上限，已拒收：请用下发的模板重新填写，不要粘贴大量图片或数据", limit>>20)
	if declared > uint64(limit) {
		return false, tooBig
	}
	if biggestXML > maxXMLPart {
		// Images may be large; a sheet's XML may not: excelize holds it as a tree.
		return false, problem(plan.FileTooLarge, "文件中的表格内容解压后超过 %d MB，已拒收：填报模板正常只有几十 KB，请用下发的模板重新填写，不要粘贴大量数据", maxXMLPart>>20)
	}
	switch {
	case has["word/document.xml"]:
		return false, problem(plan.FileNotWorkbook, "这是 Word 文档（.docx）改了扩展名，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case has["ppt/presentation.xml"]:
		return false, problem(plan.FileNotWorkbook, "这是 PowerPoint 文档改了扩展名，不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	case !has["xl/workbook.xml"] || !has["[Content_Types].xml"]:
		if has["content.xml"] && has["mimetype"] {
			return false, problem(plan.FileNotWorkbook, "这是 OpenDocument（.ods）文件：请用“另存为”Excel 工作簿（*.xlsx）后重新报送")
		}
		return false, problem(plan.FileNotWorkbook, "这是一个压缩文件，但不是 Excel 工作簿：请报送下发的 .xlsx 填报模板")
	}
	// Read every entry: archive/zip checks the CRC and that no entry is
	// longer than declared, so the declared total above is a true bound.
	buf := make([]byte, 32<<10)
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false, corrupt
		}
		for {
			n, err := rc.Read(buf)
			total += int64(n)
			if total > limit {
				rc.Close()
				return false, tooBig
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return false, corrupt
			}
		}
		rc.Close()
	}
	return externalLinks, nil
}

// looksText reports whether data's beginning reads as text (UTF-8, or GBK
// without NUL bytes).
func looksText(data []byte) bool {
	head := data[:min(len(data), 4096)]
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	if utf8.Valid(head) {
		return true
	}
	// GBK text: no control characters apart from whitespace.
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
